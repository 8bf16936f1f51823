from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from porchlight.people.contact import email_normalize, phone_normalize
from porchlight.people.models import Language, Resident
from porchlight.ui.forms import USWDSFormMixin


class ResidentSearchForm(USWDSFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search by name, phone or address"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ResidentFieldsForm(USWDSFormMixin, forms.Form):
    """The resident fields, shared by the resident form and the conversation form's 'new resident' part."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"type": "email", "inputmode": "email", "autocomplete": "off"}),
    )
    street = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    unit = forms.CharField(label=_("Apt / unit"), max_length=30, required=False)
    zip_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^\d{5}(-\d{4})?$",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a 5-digit ZIP code.")},
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.ENGLISH
    )
    consent_to_contact = forms.BooleanField(label=_("Agrees to be contacted by the city"), required=False)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        return phone_normalize(raw) if raw.strip() else ""

    def clean_email(self) -> str:
        raw = self.cleaned_data["email"]
        return email_normalize(raw) if raw.strip() else ""

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("street") and not data.get("zip_code"):
            self.add_error("zip_code", _("Enter the ZIP code of the address."))
        return data

    def has_resident_details(self) -> bool:
        d = self.cleaned_data
        return any(d.get(k) for k in ("first_name", "last_name", "phone", "email"))


class ResidentForm(ResidentFieldsForm):
    do_not_contact = forms.BooleanField(
        label=_("Do not contact"),
        required=False,
        help_text=_("The resident asked never to be called, visited or mailed."),
    )
    age_range = forms.ChoiceField(
        label=_("Age range (optional)"),
        required=False,
        choices=[("", _("Prefer not to say")), *Resident.AgeRange.choices],
    )
    gender = forms.ChoiceField(
        label=_("Gender (optional)"),
        required=False,
        choices=[("", _("Prefer not to say"))] + Resident.Gender.choices,
    )
    race_ethnicity = forms.ChoiceField(
        label=_("Race or ethnicity (optional)"),
        required=False,
        choices=[("", _("Prefer not to say"))] + Resident.RaceEthnicity.choices,
    )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not self.has_resident_details():
            raise ValidationError(_("Enter at least a name, a phone number or an email address."))
        return data
