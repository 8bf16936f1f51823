"""Field outreach progress: one page. Program managers and analysts see the whole campaign, broken down by
turf, team and worker (and may narrow it to one of them); an outreach worker sees only their own work."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from porchlight.accounts.http import AuthedHttpRequest
from porchlight.accounts.permissions import any_capability_required
from porchlight.accounts.roles import Capability
from porchlight.insights.progress.figures import (
    CONTACT_OUTCOMES,
    MAP_POINT_CAP,
    coverage_points,
    progress_by_team,
    progress_by_turf,
    progress_by_worker,
    progress_totals,
    progress_weekly,
    progress_weekly_chart,
)
from porchlight.insights.progress.forms import ProgressForm
from porchlight.insights.progress.selectors import ProgressScope, progress_default_campaign


@require_GET
@any_capability_required(Capability.MANAGE_CAMPAIGNS, Capability.VIEW_DASHBOARD, Capability.LOG_CONVERSATIONS)
def progress(request: AuthedHttpRequest) -> HttpResponse:
    """The progress page. Whole campaign for managers and analysts; "My progress" for outreach workers."""
    user = request.user
    whole_campaign = user.can(Capability.MANAGE_CAMPAIGNS) or user.can(Capability.VIEW_DASHBOARD)
    params = request.GET.copy()
    if not params.get("campaign"):
        campaign = progress_default_campaign()
        params["campaign"] = str(campaign.pk) if campaign else ""
    form = ProgressForm(params, campaign_pk=str(params["campaign"]), whole_campaign=whole_campaign)
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
    return render(request, "insights/progress/progress.html", context)
