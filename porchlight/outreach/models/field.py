"""Field outreach: who to reach (target lists), where to walk (turfs), what to say (scripts), what happened
(attempts). The door and phone work of NYC's Public Engagement Unit and Charlotte's Take10 ambassadors."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import Team
from porchlight.outreach.models.campaigns import Campaign, Conversation
from porchlight.people.models import Language, Resident
from porchlight.places.models import Address


class TargetList(models.Model):
    """The doors or phones a campaign means to reach, chosen by filters, with who was left out and why."""

    class Kind(models.TextChoices):
        DOOR = "door", _("Doors to knock")
        PHONE = "phone", _("Residents to call")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="target_lists")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The filters as the program manager chose them (areas, building attributes, language, ...), kept so that
    # the list can be explained and rebuilt.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # {"do_not_contact": 12, "recently_contacted": 40, ...}: how many were held out, by reason.
    excluded = models.JSONField(_("excluded"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="targetlist_unique_name")]

    def __str__(self) -> str:
        return self.name


class Turf(models.Model):
    """A compact piece of a door target list that one worker or team walks in one outing."""

    target_list = models.ForeignKey(TargetList, on_delete=models.CASCADE, related_name="turfs")
    number = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=100)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="turfs",
        verbose_name=_("assigned to"),
    )
    assigned_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="turfs", verbose_name=_("team")
    )
    # The outline drawn on the map (GeoJSON polygon around the turf's doors).
    outline = models.JSONField(null=True, blank=True)
    door_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_list", "number"]
        constraints = [models.UniqueConstraint(fields=["target_list", "number"], name="turf_unique_number")]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """One door (a door list) or one resident with a phone (a call list) on a target list."""

    target_list = models.ForeignKey(TargetList, on_delete=models.CASCADE, related_name="targets")
    address = models.ForeignKey(Address, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    turf = models.ForeignKey(Turf, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets")
    # Position in the turf's walking route (or in the call queue).
    sequence = models.PositiveIntegerField(default=0)
    # For call lists: who is calling this resident (assigned from the queue).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["target_list", "turf", "sequence", "id"]
        indexes = [models.Index(fields=["target_list", "turf", "sequence"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(address__isnull=False) | Q(resident__isnull=False),
                name="target_has_door_or_resident",
            ),
            models.UniqueConstraint(
                fields=["target_list", "address"],
                condition=Q(resident__isnull=True),
                name="target_unique_door",
            ),
            models.UniqueConstraint(
                fields=["target_list", "resident"],
                condition=Q(resident__isnull=False),
                name="target_unique_resident",
            ),
        ]

    def __str__(self) -> str:
        return str(self.resident or self.address)


class Script(models.Model):
    """What a worker says at the door or on the phone for a campaign, in one language."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scripts")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    body = models.TextField(_("script"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "language"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "language"], name="script_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} ({self.get_language_display()})"


class Outcome(models.TextChoices):
    NOT_HOME = "not_home", _("Not home")
    REFUSED = "refused", _("Refused")
    MOVED = "moved", _("Moved")
    INACCESSIBLE = "inaccessible", _("Inaccessible")
    LANGUAGE_BARRIER = "language_barrier", _("Language barrier")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_MESSAGE = "left_message", _("Left message")
    CALL_BACK = "call_back", _("Call back later")
    CONVERSATION = "conversation", _("Conversation held")


class Attempt(models.Model):
    """One knock on a door or one call to a resident, and what came of it."""

    # Generated by the client (the offline app): a retried sync never records the attempt twice.
    client_id = models.UUIDField(default=uuid.uuid4, unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="attempts")
    target = models.ForeignKey(
        Target, on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts"
    )
    address = models.ForeignKey(Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10, choices=[("door", _("Door")), ("phone", _("Phone"))])
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts"
    )
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attempts")
    made_at = models.DateTimeField(_("made at"), db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["campaign", "made_at"]), models.Index(fields=["target", "made_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="call_back") | Q(callback_at__isnull=False),
                name="attempt_callback_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.made_at:%Y-%m-%d %H:%M}"
