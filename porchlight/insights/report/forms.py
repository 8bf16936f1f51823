"""The report's options (GET, so a report is a bookmarkable, shareable URL)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from porchlight.insights.forms import DateInput, DateRangeMixin
from porchlight.insights.models import Theme
from porchlight.insights.report.breakdowns import theme_name
from porchlight.insights.selectors import DashboardFilters
from porchlight.outreach.models import Campaign
from porchlight.ui.forms import choice_field


class ReportForm(DateRangeMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    period = forms.ChoiceField(
        label=_("Trend by"),
        choices=[("week", _("Week")), ("month", _("Month"))],
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    map_theme = forms.TypedChoiceField(
        label=_("Theme on the map"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    format = forms.ChoiceField(
        choices=[("html", "html"), ("pdf", "pdf"), ("csv", "csv")], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = Theme.objects.filter(campaign=campaign, is_active=True).values("id", "name", "name_es")
        choices: list[tuple[Any, Any]] = [("", _("The theme raised most"))]
        choice_field(self, "map_theme").choices = choices + [(t["id"], theme_name(t)) for t in themes]

    def to_filters(self, campaign: Campaign) -> DashboardFilters:
        """The filters of a valid form (call is_valid() first)."""
        return DashboardFilters(
            campaign=campaign,
            date_from=self.cleaned_data.get("date_from"),
            date_to=self.cleaned_data.get("date_to"),
        )
