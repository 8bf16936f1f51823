"""The dashboard's filter form (GET, so every view of the dashboard is a bookmarkable URL)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from porchlight.insights.selectors import DashboardFilters
from porchlight.outreach.models import Campaign
from porchlight.places.models import Area


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"class": "usa-input"})


class DateRangeMixin:
    """For a form with `date_from` and `date_to`: the end may not come before the start."""

    def clean(self) -> dict:
        data = super().clean()  # type: ignore[misc]
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))  # type: ignore[attr-defined]
        return data


class DashboardFilterForm(DateRangeMixin, forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("-start_date", "name"),
        required=False,
        empty_label=_("All campaigns"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    area_kind = forms.ChoiceField(
        label=_("Areas"),
        choices=[
            (Area.Kind.NEIGHBORHOOD, _("Neighborhoods")),
            (Area.Kind.COUNCIL_DISTRICT, _("Council districts")),
            (Area.Kind.ZIP, _("ZIP codes")),
        ],
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )

    def to_filters(self) -> DashboardFilters:
        """The filters of a valid form (call is_valid() first)."""
        data = self.cleaned_data
        return DashboardFilters(
            campaign=data.get("campaign"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            area_kind=data.get("area_kind") or Area.Kind.NEIGHBORHOOD,
        )


class PublicSummaryForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("-start_date", "name"),
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
