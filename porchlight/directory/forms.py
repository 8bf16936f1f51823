"""Forms for the program directory: search filters, organizations, locations, programs and HSDS uploads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from porchlight.directory.models import Location, Organization, Program
from porchlight.directory.selectors import language_label
from porchlight.people.models import Language
from porchlight.places.models import Area
from porchlight.ui.forms import USWDSFormMixin, choice_field, model_choice_field

# Languages offered as checkboxes on the program form; codes already on a program (e.g. from an HSDS
# import) are added to these so that saving the form never drops them.
CITY_LANGUAGES = [code for code in Language.values if code != Language.OTHER]
MAX_UPLOAD_MB = 20


def _https_url_field(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Model fields as form fields, web addresses typed without a scheme taken as https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganizationForm(USWDSFormMixin, forms.ModelForm):
    class Meta:
        formfield_callback = _https_url_field
        model = Organization
        fields = ["name", "description", "website", "email", "phone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LocationForm(USWDSFormMixin, forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "latitude",
            "longitude",
            "transportation",
        ]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        for name, limit in (("latitude", 90), ("longitude", 180)):
            value = data.get(name)
            if value is not None and not -limit <= value <= limit:
                self.add_error(name, _("Must be between -%(n)d and %(n)d degrees.") % {"n": limit})
        return data


class ProgramForm(USWDSFormMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages served"), required=False, widget=forms.CheckboxSelectMultiple
    )
    areas_served = forms.ModelMultipleChoiceField(
        label=_("Areas served"),
        queryset=Area.objects.order_by("kind", "name"),
        required=False,
        help_text=_("Leave empty if the program serves the whole city. Hold Ctrl (or ⌘) to pick several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Locations"),
        queryset=Location.objects.select_related("organization"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accept_within_days = forms.IntegerField(
        label=_("Days to accept a referral"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("A referral not accepted within this many days is flagged as overdue (3 if left empty)."),
    )

    class Meta:
        formfield_callback = _https_url_field
        model = Program
        fields = [
            "organization",
            "name",
            "category",
            "description",
            "eligibility_description",
            "application_process",
            "required_documents",
            "fees_description",
            "languages",
            "phone",
            "email",
            "url",
            "areas_served",
            "locations",
            "accept_within_days",
            "is_active",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "description",
                "eligibility_description",
                "application_process",
                "required_documents",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = list(CITY_LANGUAGES)
        codes += [c for c in (self.instance.languages or []) if c not in codes]
        choice_field(self, "languages").choices = [(c, language_label(c)) for c in codes]
        model_choice_field(self, "locations", label=lambda loc: f"{loc.name} — {loc.organization}")
        self.fields["is_active"].label = _("Taking referrals")

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        organization = data.get("organization")
        foreign = [
            loc for loc in data.get("locations") or [] if organization and loc.organization != organization
        ]
        if foreign:
            self.add_error("locations", _("Pick only locations of %(org)s.") % {"org": organization})
        return data


class DirectorySearchForm(forms.Form):
    """The directory's filters (GET). Invalid values are ignored rather than shown as errors."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.ChoiceField(label=_("Language served"), required=False)
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, empty_label=_("Any area")
    )
    inactive = forms.BooleanField(label=_("Include programs not taking referrals"), required=False)

    def __init__(
        self, *args: Any, languages: list[tuple[str, str]], areas: QuerySet[Area], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "category").choices = [("", _("Any category")), *Program.Category.choices]
        choice_field(self, "language").choices = [("", _("Any language")), *languages]
        model_choice_field(self, "area").queryset = areas


class HsdsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_("An HSDS CSV package (.zip) or an HSDS JSON file (.json), at most %(mb)d MB.")
        % {"mb": MAX_UPLOAD_MB},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".zip,.json,application/zip,application/json", "class": "usa-file-input"}
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_MB})
        return upload
