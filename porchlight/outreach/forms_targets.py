"""Forms for planning field outreach: building a target list, cutting turfs, assigning them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import User
from porchlight.accounts.roles import ROLE_CAPABILITIES, Capability
from porchlight.outreach.models import Campaign, TargetList
from porchlight.outreach.turfs import MAX_TURF_SIZE, MIN_TURF_SIZE
from porchlight.people.models import Language
from porchlight.places.models import Area, Building
from porchlight.ui.forms import USWDSFormMixin


def outreach_workers() -> forms.QuerySet:
    """Active users who may knock on doors (hold LOG_CONVERSATIONS)."""
    roles = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.LOG_CONVERSATIONS in caps]
    return User.objects.filter(is_active=True, role__in=roles).order_by("first_name", "last_name", "username")


class TargetListForm(USWDSFormMixin, forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), empty_label=None)
    name = forms.CharField(label=_("Name of the list"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TargetList.Kind.choices,
        widget=forms.RadioSelect,
        initial=TargetList.Kind.DOOR,
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        required=False,
        queryset=Area.objects.all(),
        help_text=_("Hold Ctrl (or ⌘) to choose several. None chosen: the whole city."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    building_types = forms.MultipleChoiceField(
        label=_("Building types"),
        required=False,
        choices=Building.Type.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    rent_regulated = forms.TypedChoiceField(
        label=_("Rent-regulated buildings"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Only rent-regulated")), ("no", _("Only not rent-regulated"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    min_units = forms.IntegerField(label=_("At least this many units"), required=False, min_value=1)
    languages = forms.MultipleChoiceField(
        label=_("Residents who speak"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    not_reached_in_campaign = forms.BooleanField(
        label=_("Only those not yet reached in this campaign"), required=False
    )
    last_contact_older_than_days = forms.IntegerField(
        label=_("Last contact more than this many days ago"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=_("Anyone contacted in the last cool-down period is always left out."),
    )


class TurfCutForm(USWDSFormMixin, forms.Form):
    size = forms.IntegerField(
        label=_("Doors per turf"),
        min_value=MIN_TURF_SIZE,
        max_value=MAX_TURF_SIZE,
        initial=50,
        help_text=_("About how many doors one worker walks in an outing (40–60 is usual)."),
    )


class TurfAssignForm(USWDSFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = outreach_workers()


class AutoAssignForm(USWDSFormMixin, forms.Form):
    workers = forms.ModelMultipleChoiceField(
        label=_("Workers"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = outreach_workers()
