from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import User
from porchlight.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from porchlight.cases.models import Referral
from porchlight.directory.models import Program
from porchlight.ui.forms import USWDSFormMixin, choice_field, model_choice_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReferralForm(USWDSFormMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(), empty_label=None)
    owner = forms.ModelChoiceField(
        label=_("Owner (who follows up)"),
        queryset=User.objects.none(),
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
        help_text=_(
            "The only text the program sees besides the resident's name, language and contact details."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "program").queryset = programs
        model_choice_field(self, "program", label=lambda p: f"{p.name} — {p.organization}")
        referrer_roles = [r for r in Role if Capability.MANAGE_REFERRALS in ROLE_CAPABILITIES[r]]
        model_choice_field(self, "owner").queryset = (
            User.objects.filter(is_active=True, role__in=[*referrer_roles, Role.OUTREACH_WORKER])
            .exclude(team__kind="partner")
            .select_related("team")
            .order_by("last_name", "first_name")
        )


# The button that makes each move, as the person making it reads it.
ACTION_LABELS: dict[str, StrOrPromise] = {
    Referral.Status.ACCEPTED: _("Accept"),
    Referral.Status.DECLINED: _("Decline"),
    Referral.Status.IN_PROGRESS: _("Mark in progress"),
    Referral.Status.RESOLVED: _("Resolve: report the outcome"),
    Referral.Status.UNRESOLVED: _("Close unresolved"),
    Referral.Status.SENT: _("Send again"),
}
REOPENABLE = {Referral.Status.RESOLVED, Referral.Status.UNRESOLVED}
REASON_FIELDS: dict[str, tuple[StrOrPromise, Sequence[tuple[str, StrOrPromise]]]] = {
    Referral.Status.DECLINED: (_("Why is it declined?"), Referral.DeclineReason.choices),
    Referral.Status.RESOLVED: (_("Outcome"), Referral.Outcome.choices),
    Referral.Status.UNRESOLVED: (_("Why is it closed?"), Referral.CloseReason.choices),
}


class ReferralActionForm(USWDSFormMixin, forms.Form):
    """One move of a referral (accept, decline...) to `target`, posted with a `target` field. Its reason
    select is there only for closing moves; the prefix is the target so several forms fit on one page."""

    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args: Any, target: str, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, prefix=target, **kwargs)
        self.target = target
        reopening = target == Referral.Status.IN_PROGRESS and current in REOPENABLE
        self.label = _("Reopen") if reopening else ACTION_LABELS[target]
        if target in REASON_FIELDS:
            label, choices = REASON_FIELDS[target]
            self.fields["reason"] = forms.ChoiceField(
                label=label,
                choices=[("", _("- Select -")), *choices],
                error_messages={"required": _("Choose a reason.")},
            )
            self.fields["reason"].widget.attrs["class"] = "usa-select"
            self.order_fields(["reason", "note"])


class ReferralFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Referral.Status.choices]
    )
    program = forms.ModelChoiceField(
        label=_("Program"), required=False, queryset=Program.objects.none(), empty_label=_("Any program")
    )
    overdue = forms.BooleanField(label=_("Only overdue (not accepted in time)"), required=False)
    mine = forms.BooleanField(label=_("Only referrals I made or own"), required=False)

    def __init__(self, *args: Any, programs: QuerySet[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "program").queryset = programs
        self.fields["status"].widget.attrs["class"] = "usa-select"
        self.fields["program"].widget.attrs["class"] = "usa-select"


class OutcomesFilterForm(USWDSFormMixin, forms.Form):
    group_by = forms.ChoiceField(label=_("Group by"), required=False, initial="program")
    start = forms.DateField(
        label=_("Referred from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from porchlight.cases.outcomes import GROUP_CHOICES

        super().__init__(*args, **kwargs)
        choice_field(self, "group_by").choices = GROUP_CHOICES

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        data["group_by"] = data.get("group_by") or "program"
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start date must be on or before the end date."))
        return data
