"""The progress page's choice of campaign, and of one team, worker or turf of it."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import ROLE_CAPABILITIES, Capability
from porchlight.insights.progress.selectors import progress_turf_choices
from porchlight.outreach.models import Campaign, Turf
from porchlight.ui.forms import model_choice_field

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
        turf = model_choice_field(self, "turf", label=lambda t: f"{t.target_list.name} · {t.name}")
        turf.queryset = progress_turf_choices(campaign_pk=campaign_pk)
        turf.empty_label = _("All turfs")
