from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from porchlight.outreach.models import Conversation, NeedCategory
from porchlight.people.models import Resident
from porchlight.services.models import Program


class Need(models.Model):
    """Something a resident needs help with, found in a conversation (housing, tenant legal help, ...)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, null=True, blank=True, related_name="needs"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, null=True, blank=True, related_name="needs"
    )
    category = models.CharField(_("need"), max_length=20, choices=NeedCategory.choices)
    description = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "category"], name="need_unique_category_per_conversation"
            )
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class Referral(models.Model):
    """A hand-off of a resident with a need to a program, tracked until it is resolved."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        UNRESOLVED = "unresolved", _("Closed unresolved")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="referrals")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="referrals")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_owned",
        verbose_name=_("owner"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consent_given = models.BooleanField(
        _("resident agreed to share their details with the program"), default=False
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "program"], name="referral_unique_program_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.resident} → {self.program}"

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.RESOLVED, self.Status.UNRESOLVED}


class ReferralStatusChange(models.Model):
    """One step in a referral's history: who moved it to which status, when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Referral.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.changed_at:%Y-%m-%d %H:%M}"
