"""Forms for the codebook, the review of coded notes and the promotion of emergent themes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from porchlight.insights.codebook.selectors import active_themes
from porchlight.insights.models import TextItem, Theme
from porchlight.outreach.models import Campaign, Channel
from porchlight.people.models import Language
from porchlight.places.models import Area
from porchlight.ui.forms import USWDSFormMixin, choice_field, model_choice_field


class ThemeForm(USWDSFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the theme covers, in the words residents use. The automatic coding compares "
                    "notes with it."),
    )
    description_es = forms.CharField(
        label=_("Description in Spanish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Used for notes in Spanish. Without it, a built-in word list bridges the languages."),
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("None: a main theme"),
    )

    def __init__(self, *args: Any, campaign: Campaign, theme: Theme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Theme.objects.filter(campaign=campaign, parent__isnull=True, is_active=True)
        if theme is not None:
            parents = parents.exclude(pk=theme.pk)
        model_choice_field(self, "parent").queryset = parents.order_by("name")


class ExampleSearchForm(forms.Form):
    q = forms.CharField(label=_("Find notes containing"), max_length=100, required=False)


class ReviewFilterForm(forms.Form):
    """The review page's filters. The report links here with the same query parameters ("notes behind a
    figure"), so their names are an interface: theme, language, area, channel, uncoded."""

    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False,
                                   empty_label=_("Any theme"))
    language = forms.ChoiceField(label=_("Language"), required=False)
    area = forms.ModelChoiceField(label=_("Neighborhood"), queryset=Area.objects.none(), required=False,
                                  empty_label=_("Any neighborhood"))
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel")), *Channel.choices])
    uncoded = forms.BooleanField(label=_("Only notes with no theme"), required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = Theme.objects.filter(campaign=campaign).select_related("parent")
        model_choice_field(self, "theme").queryset = themes
        areas = Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).order_by("name")
        model_choice_field(self, "area").queryset = areas
        used = TextItem.objects.filter(campaign=campaign).values_list("language", flat=True).distinct()
        labels = dict(Language.choices)
        choice_field(self, "language").choices = [("", _("Any language"))] + sorted(
            ((code, labels.get(code, code)) for code in used if code), key=lambda c: str(c[1])
        )
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "usa-select"


class AddCodeForm(forms.Form):
    theme = forms.ModelChoiceField(label=_("Add theme"), queryset=Theme.objects.none())

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "theme").queryset = active_themes(campaign)


class PromoteForm(USWDSFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

