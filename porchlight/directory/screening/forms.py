"""Forms for the screener, the eligibility rules editor and the AMI table editor.

They check what a person typed; screening.screener and screening.rules hold the rules themselves and check
again, so a form and an API call can never disagree.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from porchlight.directory.models import EligibilityRule
from porchlight.directory.screening.rules import (
    AMI_SIZES_REQUIRED,
    AMI_YEAR_RANGE,
    EMPLOYMENT_CHOICES,
    QUESTIONS,
    TENURE_CHOICES,
    rule_value_parse,
)
from porchlight.directory.screening.screener import screening_answers_clean
from porchlight.places.models import Area
from porchlight.ui.forms import USWDSFormMixin, choice_field

PREFER_NOT = ("", _("Prefer not to say, or not known"))
YES_NO = [("true", _("Yes")), ("false", _("No")), PREFER_NOT]


class ScreeningForm(USWDSFormMixin, forms.Form):
    """The screener. Every question is optional: a resident may not know or may prefer not to say."""

    household_size = forms.IntegerField(
        label=_("How many people live in the household, counting the resident?"),
        required=False,
        min_value=1,
        max_value=20,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    income = forms.CharField(
        label=_("Yearly household income before taxes, in dollars"),
        required=False,
        max_length=20,
        help_text=_("Everyone in the household, all sources. Leave blank if they prefer not to say."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    age = forms.IntegerField(
        label=_("Age of the resident"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tenure = forms.ChoiceField(
        label=_("Does the household rent or own its home?"),
        required=False,
        choices=[*TENURE_CHOICES, PREFER_NOT],
        widget=forms.RadioSelect,
    )
    rent_regulated = forms.ChoiceField(
        label=_("Is the home rent-regulated or subsidized?"),
        required=False,
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    health_coverage = forms.ChoiceField(
        label=_("Does the resident have health coverage?"),
        required=False,
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    employment = forms.ChoiceField(
        label=_("Employment"),
        required=False,
        choices=[*EMPLOYMENT_CHOICES, PREFER_NOT],
        widget=forms.RadioSelect,
    )
    area = forms.ChoiceField(label=_("Neighborhood"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        neighborhoods = (
            Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).order_by("name").values_list("code", "name")
        )
        choice_field(self, "area").choices = [("", _("Not known")), *neighborhoods]
        self.answers: dict[str, object] = {}

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            self.answers = screening_answers_clean({q: data.get(q) for q in QUESTIONS})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


class EligibilityRuleForm(USWDSFormMixin, forms.ModelForm):
    class Meta:
        model = EligibilityRule
        fields = ["question", "operator", "value", "explanation"]
        help_texts = {
            "value": _(
                "A number (income in dollars, or the percent for “% of area median income”); "
                "true or false; or codes separated by commas: renter, owner; full_time, part_time, "
                "unemployed, retired, student, unable_to_work; area codes, e.g. 28205 or council_district:3."
            ),
            "explanation": _(
                "Shown to the worker when the rule matches; leave blank for a generated sentence."
            ),
        }

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if {"question", "operator", "value"} <= data.keys():
            try:
                rule_value_parse(question=data["question"], operator=data["operator"], value=data["value"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


class AmiTableForm(USWDSFormMixin, forms.Form):
    """One year's table: 100% of area median income for household sizes 1–8 (and any larger sizes kept)."""

    def __init__(self, *args: Any, sizes: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for size in sorted({*AMI_SIZES_REQUIRED, *(sizes or [])}):
            self.fields[f"size_{size}"] = forms.IntegerField(
                label=_("%(n)s people") % {"n": size} if size > 1 else _("1 person"),
                required=size in AMI_SIZES_REQUIRED,
                min_value=1,
                max_value=10_000_000,
                # Added after USWDSFormMixin styled the declared fields, so styled here.
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "usa-input"}),
            )

    def incomes(self) -> dict[int, int]:
        return {
            int(name.removeprefix("size_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("size_") and value is not None
        }


class AmiYearForm(USWDSFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=AMI_YEAR_RANGE[0],
        max_value=AMI_YEAR_RANGE[1],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
