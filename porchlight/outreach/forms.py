from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import User
from porchlight.outreach.models import Campaign, Channel, NeedCategory, Topic
from porchlight.people.forms import ResidentFieldsForm
from porchlight.people.models import Language, Resident
from porchlight.people.selectors import residents_visible_to
from porchlight.places.models import Area
from porchlight.ui.forms import USWDSFormMixin, choice_field, model_choice_field


class ConversationForm(USWDSFormMixin, forms.Form):
    """What an ambassador records after a ten-minute conversation. Built to be done in under a minute."""

    WHO_CHOICES = [
        ("existing", _("A resident already in Porchlight")),
        ("new", _("Someone new (register them)")),
        ("anonymous", _("Anonymous")),
    ]

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), empty_label=None)
    channel = forms.ChoiceField(
        label=_("Where did you talk?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.DOOR,
    )
    held_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    who = forms.ChoiceField(
        label=_("Who did you talk with?"), choices=WHO_CHOICES, widget=forms.RadioSelect, initial="anonymous"
    )
    resident = forms.IntegerField(required=False, widget=forms.HiddenInput)
    area = forms.ModelChoiceField(
        label=_("Neighborhood"),
        required=False,
        queryset=Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD),
        empty_label=_("Not recorded"),
        help_text=_("Where the conversation happened, when the resident has no address on file."),
    )
    language = forms.ChoiceField(
        label=_("Language of the conversation"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        initial=Language.ENGLISH,
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        required=False,
        min_value=1,
        max_value=600,
        initial=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics discussed"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    what_matters_most = forms.CharField(
        label=_("What matters most to them"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    ideas = forms.CharField(
        label=_("Ideas they offered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs identified"),
        choices=NeedCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    need_details = forms.CharField(label=_("Details of the need"), required=False, max_length=500)
    wants_follow_up = forms.BooleanField(label=_("Wants someone to follow up"), required=False)

    def __init__(self, *args: Any, user: User, campaign: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        areas = Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).order_by("code")
        model_choice_field(self, "area").queryset = areas
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())
            self.initial.setdefault("held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
            if campaign is not None:
                self.initial.setdefault("campaign", campaign.pk)
        selected = campaign
        if self.is_bound:
            selected = Campaign.objects.filter(pk=self.data.get("campaign") or 0).first() or campaign
        if selected is not None:
            model_choice_field(self, "topics").queryset = selected.topics.all()
            # Offer the campaign's languages first (fewer taps); "Other" stays for anyone else.
            wanted = [*selected.languages, self.initial.get("language"), Language.OTHER]
            offered = [c for c in Language.choices if c[0] in wanted]
            choice_field(self, "language").choices = offered or Language.choices

    def clean_resident(self) -> Resident | None:
        pk = self.cleaned_data.get("resident")
        if not pk:
            return None
        resident = residents_visible_to(self.user).filter(pk=pk).first()
        if resident is None:
            raise forms.ValidationError(_("That resident was not found."))
        return resident

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("who") == "existing" and not data.get("resident"):
            self.add_error("who", _("Search for the resident and choose them, or pick another option."))
        held_at = data.get("held_at")
        if held_at and held_at > timezone.now() + timedelta(minutes=5):
            self.add_error("held_at", _("The conversation cannot be in the future."))
        campaign = data.get("campaign")
        if (
            held_at
            and campaign
            and not (campaign.start_date <= timezone.localtime(held_at).date() <= campaign.end_date)
        ):
            self.add_error(
                "held_at",
                _("This date is outside the campaign (%(start)s – %(end)s).")
                % {"start": campaign.start_date, "end": campaign.end_date},
            )
        if data.get("need_details") and not data.get("needs"):
            self.add_error("needs", _("Tick the kind of need the details are about."))
        return data


def conversation_submission(form: ConversationForm, new_form: ResidentFieldsForm) -> dict | None:
    """Validate the conversation form and, for someone new, the new-resident fields (a ResidentFieldsForm).

    Returns the conversation's values (keyword arguments of outreach.services.conversation_capture, with
    `new_resident` set for someone new), or None when either form has errors (they are on the forms). Shared
    by the conversation page and the conversation held at a door or on a call.
    """
    form_ok = form.is_valid()
    needs_new = form_ok and form.cleaned_data["who"] == "new"
    new_ok = not needs_new or new_form.is_valid()
    if needs_new and new_ok and not new_form.has_resident_details():
        new_form.add_error(None, _("Enter at least a name, a phone number or an email for the new resident."))
        new_ok = False
    if not (form_ok and new_ok):
        return None
    data = form.cleaned_data
    return {
        "client_id": data["client_id"],
        "new_resident": _new_resident_values(new_form.cleaned_data) if needs_new else None,
        "campaign": data["campaign"],
        "channel": data["channel"],
        "held_at": data["held_at"],
        "resident": data["resident"] if data["who"] == "existing" else None,
        "area": data["area"],
        "language": data["language"],
        "duration_minutes": data["duration_minutes"],
        "topics": data["topics"],
        "notes": data["notes"],
        "what_matters_most": data["what_matters_most"],
        "ideas": data["ideas"],
        "wants_follow_up": data["wants_follow_up"],
        "needs": [(c, data["need_details"]) for c in data["needs"]],
    }


def _new_resident_values(data: dict) -> dict:
    from porchlight.places.services import address_in_city

    address = None
    if data.get("street"):
        address = address_in_city(street=data["street"], unit=data.get("unit", ""), zip_code=data["zip_code"])
    return {
        "first_name": data["first_name"],
        "last_name": data["last_name"],
        "address": address,
        "preferred_language": data["preferred_language"],
        "consent_to_contact": data["consent_to_contact"],
        "phones": [data["phone"]],
        "emails": [data["email"]],
    }


class CampaignForm(USWDSFormMixin, forms.ModelForm):
    new_topics = forms.CharField(
        label=_("Add topics"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated, e.g. “Parks, Transit”. New topics are added to the list."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple, initial=["en"]
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "description",
            "start_date",
            "end_date",
            "topics",
            "languages",
            "conversation_target",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_new_topics(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["new_topics"].split(",") if n.strip()]
        too_long = [n for n in names if len(n) > 100]
        if too_long:
            raise forms.ValidationError(_("A topic name can be at most 100 characters."))
        return names

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        if not data.get("topics") and not data.get("new_topics") and not self.errors:
            self.add_error("topics", _("Choose or add at least one topic."))
        return data
