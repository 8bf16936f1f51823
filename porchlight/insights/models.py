"""What residents said, coded into themes; and how residents voted on statements in dialogues.

Theme coding: each campaign has a codebook (Theme, with sub-themes and example notes). Every piece of resident
text (a conversation's notes, "what matters most", ideas) is a TextItem; the coder gives it zero or more
ThemeCodes with a confidence. Analysts accept, reject or add codes; their decisions are kept apart
(`source = analyst`) and a re-run never overwrites them.

Opinion groups: a StatementSet (a dialogue's or survey's statements, or an imported Pol.is conversation) has
Statements, Participants and their Votes (agree 1 / pass 0 / disagree -1); an OpinionAnalysis stores the
groups found, each group's representative statements and the statements with consensus.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """One entry of a campaign's codebook: a theme (or a sub-theme of one) residents talk about."""

    campaign = models.ForeignKey("outreach.Campaign", on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    # What the theme covers, in plain words: the zero-shot coder compares notes with this (and with the
    # Spanish description for Spanish notes), so say it the way residents would.
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    topic = models.ForeignKey(
        "outreach.Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="themes"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "parent_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="theme_unique_name_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent is not None else self.name


class TextItem(models.Model):
    """One piece of resident text to code: a conversation's notes, "what matters most" or ideas."""

    # Set in memory only, by codebook.selectors.with_language_labels, for the templates.
    language_label: str

    class Field(models.TextChoices):
        NOTES = "notes", _("Notes")
        MATTERS_MOST = "what_matters_most", _("What matters most")
        IDEAS = "ideas", _("Ideas")

    conversation = models.ForeignKey(
        "outreach.Conversation", on_delete=models.CASCADE, related_name="text_items"
    )
    campaign = models.ForeignKey("outreach.Campaign", on_delete=models.CASCADE, related_name="text_items")
    field = models.CharField(max_length=20, choices=Field.choices)
    text = models.TextField()
    # The language the worker recorded, else the one detected from the text.
    language = models.CharField(max_length=8, blank=True)
    language_detected = models.BooleanField(default=False)
    # The text with names, phone numbers, emails and street addresses removed: the only form quotes take.
    text_scrubbed = models.TextField(blank=True)
    coded_at = models.DateTimeField(null=True, blank=True)
    # Which coder (method and codebook version) produced the current automatic codes.
    coder = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "field"], name="textitem_unique_field")
        ]
        indexes = [models.Index(fields=["campaign", "coded_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class ThemeCode(models.Model):
    """A theme given to a text item, by the coder or by an analyst."""

    class Source(models.TextChoices):
        AUTO = "auto", _("Automatic")
        ANALYST = "analyst", _("Analyst")

    class Decision(models.TextChoices):
        NONE = "", _("Not reviewed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    item = models.ForeignKey(TextItem, on_delete=models.CASCADE, related_name="codes")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="codes")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.AUTO)
    confidence = models.FloatField(default=0.0)
    # An analyst's decision on an automatic code; analyst codes are accepted by definition. A re-run replaces
    # only automatic codes nobody decided on.
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-confidence", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "theme"], name="themecode_unique_theme")]

    def __str__(self) -> str:
        return f"{self.theme} ({self.confidence:.2f})"


class CodingRun(models.Model):
    """A batch of coding (new notes, a re-run after codebook changes, an imported history), with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey("outreach.Campaign", on_delete=models.CASCADE, related_name="coding_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Coding run {self.pk} ({self.get_status_display()})"


class EmergentTheme(models.Model):
    """A group of notes that fit no theme of the codebook: a candidate new theme for an analyst to promote."""

    campaign = models.ForeignKey(
        "outreach.Campaign", on_delete=models.CASCADE, related_name="emergent_themes"
    )
    label = models.CharField(max_length=200)
    keywords = models.JSONField(default=list)
    size = models.PositiveIntegerField(default=0)
    items = models.ManyToManyField(TextItem, related_name="emergent_themes")
    # Scrubbed representative quotes (never raw text).
    quotes = models.JSONField(default=list)
    promoted_to = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-size", "id"]

    def __str__(self) -> str:
        return self.label


class StatementSet(models.Model):
    """Statements residents vote on: a "Can We Talk?" dialogue, a survey or an imported Pol.is poll."""

    name = models.CharField(_("name"), max_length=200)
    campaign = models.ForeignKey(
        "outreach.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="statement_sets"
    )
    source = models.CharField(max_length=200, blank=True, help_text=_("e.g. the Pol.is conversation id"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    statement_set = models.ForeignKey(StatementSet, on_delete=models.CASCADE, related_name="statements")
    external_id = models.CharField(max_length=50)
    text = models.TextField()
    moderated_out = models.BooleanField(default=False)

    class Meta:
        ordering = ["statement_set", "id"]
        constraints = [
            models.UniqueConstraint(fields=["statement_set", "external_id"], name="statement_unique_id")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Participant(models.Model):
    statement_set = models.ForeignKey(StatementSet, on_delete=models.CASCADE, related_name="participants")
    external_id = models.CharField(max_length=50)
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The group Pol.is itself assigned, kept from an import to compare our groups with.
    source_group = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement_set", "external_id"], name="participant_unique_id")
        ]

    def __str__(self) -> str:
        return self.external_id


class Vote(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()  # 1 agree, 0 pass, -1 disagree

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="vote_unique"),
            models.CheckConstraint(condition=models.Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.value}"


class OpinionAnalysis(models.Model):
    """Opinion groups computed for a statement set: groups, their representative statements, consensus."""

    statement_set = models.ForeignKey(StatementSet, on_delete=models.CASCADE, related_name="analyses")
    computed_at = models.DateTimeField(auto_now_add=True)
    n_participants = models.PositiveIntegerField(default=0)
    n_groups = models.PositiveSmallIntegerField(default=0)
    # {"groups": [{"id", "size", "representative": [...]}], "consensus": [...],
    #  "members": {participant id: group id}}
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.statement_set}: {self.n_groups} groups"
