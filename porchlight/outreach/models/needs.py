"""Needs: what a resident said they need help with, captured with the conversation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from porchlight.outreach.models.campaigns import Conversation, NeedCategory
from porchlight.people.models import Resident


class Need(models.Model):
    """Something a resident needs help with, found in a conversation (housing, tenant legal help, ...).

    Referrals (in `cases`) point here; the table keeps the name it had when needs lived in `cases`.
    """

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
        db_table = "cases_need"  # moved from cases without moving a row (migration outreach 0003)
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "category"], name="need_unique_category_per_conversation"
            )
        ]

    def __str__(self) -> str:
        return self.get_category_display()
