from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability, Role
from porchlight.cases.models import Referral
from porchlight.web.forms import USWDSFormMixin


class ReferralForm(USWDSFormMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None, empty_label=None)
    owner = forms.ModelChoiceField(
        label=_("Owner (who follows up)"),
        queryset=None,
        required=False,
        empty_label=_("Me"),
        help_text=_("Choose who follows up with the program and the resident."),
    )
    consent_given = forms.BooleanField(
        label=_("The resident agreed that we share their details with this program"),
        required=True,
        error_messages={"required": _("A referral needs the resident's agreement.")},
    )
    note = forms.CharField(
        label=_("Note for the program"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, programs, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].label_from_instance = lambda p: f"{p.name} — {p.organization}"
        self.fields["owner"].queryset = (
            User.objects.filter(
                is_active=True,
                role__in=[r for r in Role if Capability.MANAGE_REFERRALS in _caps(r)]
                + [Role.OUTREACH_WORKER],
            )
            .select_related("team")
            .order_by("last_name", "first_name")
        )


def _caps(role: str) -> frozenset[str]:
    from porchlight.accounts.roles import ROLE_CAPABILITIES

    return ROLE_CAPABILITIES[role]


class ReferralStatusForm(USWDSFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Referral.Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
