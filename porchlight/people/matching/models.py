"""The review queue of possible duplicate residents, and the log that lets a merge be undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# "people.Resident" by name: people/models.py imports this module (so the models belong to the app), and an
# import back would make a loop.
Resident = "people.Resident"


class MatchCandidate(models.Model):
    """Two resident records the matching model thinks may be one person, waiting for a person to decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DIFFERENT = "different", _("Different people")

    # resident_a is always the older record (lower id): one row per pair, whichever way it was found.
    resident_a = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    resident_b = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(help_text="Match weight (log2 Bayes factor, prior included).")
    reasons = models.JSONField(default=dict, help_text="Per field: the level that matched and its weight.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    found_by = models.CharField(max_length=20, default="batch")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resident_a", "resident_b"], name="match_candidate_unique_pair"),
            models.CheckConstraint(
                condition=Q(resident_a__lt=F("resident_b")), name="match_candidate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.resident_a_id} ~ #{self.resident_b_id} ({self.score:.1f})"


class ResidentMerge(models.Model):
    """One merge of a resident record into another, with every row it re-pointed, so it can be undone."""

    candidate = models.ForeignKey(MatchCandidate, on_delete=models.SET_NULL, null=True, related_name="merges")
    kept = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    merged = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    # {"app_label.model.field": [pk, ...]}: the rows moved from `merged` to `kept`.
    moved = models.JSONField(default=dict)
    # The kept record's fields before the merge (consent, do-not-contact, blanks filled from the other).
    kept_before = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.kept_id}"
