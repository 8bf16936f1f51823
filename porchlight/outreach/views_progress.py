"""Field outreach progress: one page. Program managers and analysts see the whole campaign, broken down by
turf, team and worker (and may narrow it to one of them); an outreach worker sees only their own work."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from porchlight.accounts.models import Team, User
from porchlight.accounts.permissions import any_capability_required
from porchlight.accounts.roles import ROLE_CAPABILITIES, Capability
from porchlight.outreach.models import Campaign, Turf
from porchlight.outreach.progress import (
    CONTACT_OUTCOMES,
    MAP_POINT_CAP,
    ProgressScope,
    coverage_points,
    progress_by_team,
    progress_by_turf,
    progress_by_worker,
    progress_totals,
    progress_weekly,
    progress_weekly_chart,
)

_FIELD_ROLES = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.LOG_CONVERSATIONS in caps]


class ProgressForm(forms.Form):
    """The campaign, and optionally one team, worker or turf of it (managers and analysts only)."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.order_by("-start_date", "name"), empty_label=None
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), required=False, empty_label=_("All teams")
    )
    worker = forms.ModelChoiceField(
        label=_("Worker"),
        queryset=User.objects.filter(is_active=True, role__in=_FIELD_ROLES).order_by(
            "first_name", "last_name", "username"
        ),
        required=False,
        empty_label=_("All workers"),
    )
    turf = forms.ModelChoiceField(label=_("Turf"), queryset=Turf.objects.none(), required=False)

    def __init__(self, data: QueryDict, *, campaign_pk: str, whole_campaign: bool) -> None:
        super().__init__(data)
        for field in self.fields.values():
            field.widget.attrs["class"] = "usa-select"
        if not whole_campaign:
            for name in ("team", "worker", "turf"):
                del self.fields[name]
            return
        turf = self.fields["turf"]
        turf.queryset = (
            Turf.objects.filter(target_list__campaign_id=campaign_pk if campaign_pk.isdigit() else 0)
            .select_related("target_list")
            .order_by("target_list__name", "number")
        )
        turf.empty_label = _("All turfs")
        turf.label_from_instance = lambda t: f"{t.target_list.name} · {t.name}"


def _default_campaign() -> Campaign | None:
    """The campaign started most recently (not in the future), else the most recent one."""
    today = timezone.localdate()
    started = Campaign.objects.filter(start_date__lte=today).order_by("-start_date", "-id").first()
    return started or Campaign.objects.order_by("-start_date", "-id").first()


@require_GET
@any_capability_required(Capability.MANAGE_CAMPAIGNS, Capability.VIEW_DASHBOARD, Capability.LOG_CONVERSATIONS)
def progress(request: HttpRequest) -> HttpResponse:
    """The progress page. Whole campaign for managers and analysts; "My progress" for outreach workers."""
    user = request.user
    whole_campaign = user.can(Capability.MANAGE_CAMPAIGNS) or user.can(Capability.VIEW_DASHBOARD)
    params = request.GET.copy()
    if not params.get("campaign"):
        campaign = _default_campaign()
        params["campaign"] = str(campaign.pk) if campaign else ""
    form = ProgressForm(params, campaign_pk=params["campaign"], whole_campaign=whole_campaign)
    context: dict = {
        "form": form,
        "whole_campaign": whole_campaign,
        "results": None,
        "map_cap": MAP_POINT_CAP,
        "contact_outcomes": [o.label for o in CONTACT_OUTCOMES],
    }
    if form.is_valid():
        data = form.cleaned_data
        if whole_campaign:
            scope = ProgressScope(
                campaign=data["campaign"], team=data["team"], worker=data["worker"], turf=data["turf"]
            )
        else:
            scope = ProgressScope(campaign=data["campaign"], worker=user)
        weeks = progress_weekly(scope=scope)
        context["results"] = {
            "campaign": scope.campaign,
            "narrowed": bool(scope.team or scope.turf or (whole_campaign and scope.worker)),
            "totals": progress_totals(scope=scope),
            "weeks": weeks,
            "chart": progress_weekly_chart(weeks) if weeks else None,
            "turfs": progress_by_turf(scope=scope),
            "teams": progress_by_team(scope=scope) if whole_campaign else None,
            "workers": progress_by_worker(scope=scope) if whole_campaign else None,
            "coverage": coverage_points(scope=scope),
        }
    return render(request, "outreach/progress/progress.html", context)
