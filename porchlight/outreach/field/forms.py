"""Forms of field work: planning (target lists, turf cutting and assignment) and working the lists (walk
list and call screen taps, scripts, caller assignment)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import Team, User
from porchlight.outreach.field.selectors import callers_for, outreach_workers
from porchlight.outreach.field.turfs import MAX_TURF_SIZE, MIN_TURF_SIZE
from porchlight.outreach.models import Campaign, Outcome, TargetList
from porchlight.people.models import Language
from porchlight.places.models import Area, Building
from porchlight.ui.forms import USWDSFormMixin, model_choice_field

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ScriptForm(USWDSFormMixin, forms.Form):
    """One text area per language of the campaign (English always)."""

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = {s.language: s.body for s in campaign.scripts.all()}
        languages = list(dict.fromkeys([Language.ENGLISH, *campaign.languages, *existing]))
        labels = dict(Language.choices)
        for code in languages:
            if code not in labels:
                continue
            self.fields[f"script_{code}"] = forms.CharField(
                label=_("Script in %(language)s") % {"language": labels[code]},
                required=False,
                max_length=20000,
                initial=existing.get(code, ""),
                # The mixin styled the fields that existed before these: style these here.
                widget=forms.Textarea(attrs={"rows": 8, "lang": code, "class": "usa-textarea"}),
            )

    def bodies(self) -> dict[str, str]:
        return {name.removeprefix("script_"): value for name, value in self.cleaned_data.items()}


class AttemptForm(forms.Form):
    """One tap on an outcome button. The client id comes from the page, so a double tap records once."""

    target = forms.IntegerField(widget=forms.HiddenInput)
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=Outcome.choices)
    callback_at = forms.DateTimeField(required=False, input_formats=DATETIME_FORMATS)
    made_at = forms.DateTimeField(required=False, input_formats=DATETIME_FORMATS)
    note = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        now = timezone.now()
        made_at = data.get("made_at") or now
        data["made_at"] = made_at
        if made_at > now + dt.timedelta(minutes=5):
            self.add_error("made_at", _("An attempt cannot be in the future."))
        if data.get("outcome") == Outcome.CALL_BACK:
            callback_at = data.get("callback_at")
            if callback_at is None:
                self.add_error("callback_at", _("Say when to call or come back."))
            elif callback_at < made_at - dt.timedelta(minutes=1):
                self.add_error("callback_at", _("The call-back time must be after the attempt."))
        return data


class AssignNextForm(USWDSFormMixin, forms.Form):
    caller: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Caller"), queryset=None, empty_label=_("Choose a caller")
    )
    count = forms.IntegerField(label=_("How many residents"), min_value=1, max_value=5000, initial=25)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "caller").queryset = callers_for()


class AssignTeamForm(USWDSFormMixin, forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.order_by("name"), empty_label=_("Choose a team")
    )

    def clean_team(self) -> Team:
        team = self.cleaned_data["team"]
        if not callers_for(team=team).exists():
            raise forms.ValidationError(_("Nobody on that team can make calls."))
        return team


# ---- planning ----


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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "user").queryset = outreach_workers()


class AutoAssignForm(USWDSFormMixin, forms.Form):
    workers = forms.ModelMultipleChoiceField(
        label=_("Workers"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "workers").queryset = outreach_workers()
