from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import User
from porchlight.cases.models import Case, Referral
from porchlight.ui.forms import USWDSFormMixin, choice_field, model_choice_field


def _user_label(user: User) -> str:
    return f"{user} ({user.team})" if user.team_id else str(user)


def _referral_label(referral: Referral) -> str:
    return f"{referral.program} — {referral.program.organization} ({referral.get_status_display()})"


class CaseOpenForm(USWDSFormMixin, forms.Form):
    title = forms.CharField(
        label=_("What the case is about"),
        max_length=200,
        help_text=_("For example: Keep the family housed after the eviction notice."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), empty_label=None)
    referrals = forms.ModelMultipleChoiceField(
        label=_("Referrals that are part of this case"),
        queryset=Referral.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents = forms.MultipleChoiceField(
        label=_("Documents to collect"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_documents = forms.CharField(
        label=_("Other documents to collect"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. Lease, Pay stubs for the last 30 days."),
    )

    def __init__(
        self,
        *args: Any,
        owners: QuerySet[User],
        referrals: QuerySet[Referral],
        documents: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = owners
        model_choice_field(self, "owner", label=_user_label)
        model_choice_field(self, "referrals").queryset = referrals
        model_choice_field(self, "referrals", label=_referral_label)
        choice_field(self, "documents").choices = [(d, d) for d in documents]
        if not documents:
            del self.fields["documents"]
        if not referrals.exists():
            del self.fields["referrals"]

    def document_names(self) -> list[str]:
        typed = self.cleaned_data.get("other_documents", "").splitlines()
        return [*self.cleaned_data.get("documents", []), *typed]


class CaseStatusForm(USWDSFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Case.Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when closing: what was done and how the case ended."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = choice_field(self, "status")
        status.choices = [(s, label) for s, label in Case.Status.choices if s != current]


class CaseReassignForm(USWDSFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = owners
        model_choice_field(self, "owner", label=_user_label)


class CaseNoteForm(USWDSFormMixin, forms.Form):
    body = forms.CharField(label=_("New note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)


class CaseDocumentForm(USWDSFormMixin, forms.Form):
    name = forms.CharField(label=_("Document to add to the checklist"), max_length=200)


class TaskForm(USWDSFormMixin, forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=lambda: timezone.localdate() + dt.timedelta(days=7),
    )


class CaseReferralLinkForm(USWDSFormMixin, forms.Form):
    referral = forms.ModelChoiceField(label=_("Referral"), queryset=Referral.objects.none(), empty_label=None)

    def __init__(self, *args: Any, referrals: QuerySet[Referral], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "referral").queryset = referrals
        model_choice_field(self, "referral", label=_referral_label)
