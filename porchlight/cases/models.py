from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from porchlight.directory.models import Program
from porchlight.outreach.models import Need
from porchlight.people.models import Resident


class Referral(models.Model):
    """A closed-loop hand-off of a resident to a program, tracked until the program reports the outcome.

    Statuses follow findhelp's referral states and HL7 FHIR Task: sent → accepted or declined → in progress →
    resolved (with an outcome) or closed unresolved (with a reason).
    """

    # Set in memory only, by the referral page, for its template: the moves the reader may make.
    next_statuses: list[str]

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        UNRESOLVED = "unresolved", _("Closed unresolved")

    class DeclineReason(models.TextChoices):
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        NO_CAPACITY = "no_capacity", _("No capacity")
        OUTSIDE_AREA = "outside_area", _("Outside our service area")
        DUPLICATE = "duplicate", _("Already being served")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        SERVICE_RECEIVED = "service_received", _("Service received")
        COMPLETED = "completed", _("Completed the program (graduated)")

    class CloseReason(models.TextChoices):
        COULD_NOT_CONTACT = "could_not_contact", _("Couldn't contact the resident")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        NO_CAPACITY = "no_capacity", _("No capacity")
        NOT_INTERESTED = "not_interested", _("No longer interested")
        REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")

    # Where it came from: a need found in a conversation, a screening, or straight from the resident's page.
    need = models.ForeignKey(Need, on_delete=models.CASCADE, null=True, blank=True, related_name="referrals")
    screening = models.ForeignKey(
        "services.Screening", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="referrals")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
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
    # The only free text a partner organization sees: what the worker chose to share.
    note = models.CharField(_("note for the program"), max_length=500, blank=True)
    decline_reason = models.CharField(
        _("reason declined"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    close_reason = models.CharField(
        _("reason closed"), max_length=20, choices=CloseReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the program last received it (made, or sent again after a decline): the clock for accepting it.
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
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
        return self.status in {self.Status.DECLINED, self.Status.RESOLVED, self.Status.UNRESOLVED}


class ReferralStatusChange(models.Model):
    """One step in a referral's history: who moved it to which status, when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Referral.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    # The decline reason, outcome or close reason chosen with this step, if any.
    reason = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.changed_at:%Y-%m-%d %H:%M}"


class Case(models.Model):
    """Individualized help for one resident: an owner, a plan of tasks, notes, documents and referrals.

    Case notes are sensitive: only the owner, case managers of the owner's team and administrators read them.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("what the case is about"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_owned",
        verbose_name=_("owner"),
    )
    # The owner's team when the case was opened or handed over: its case managers may read the case.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.CharField(_("closing note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=Case.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} at {self.changed_at:%Y-%m-%d %H:%M}"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.created_at:%Y-%m-%d}"


class CaseDocument(models.Model):
    """One line of a case's documents checklist (photo ID, lease, pay stubs...): needed, then received."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("document"), max_length=200)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="casedocument_unique_name")]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """A follow-up someone must do by a date: part of a case plan, or scheduled from a referral.

    Automatic follow-ups ("check in 14 days after referral") are created by the scheduler with `kind` AUTO
    and a `referral`, at most one per referral and rule.
    """

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan step")
        FOLLOW_UP = "follow_up", _("Automatic follow-up")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks")
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLAN)
    # For automatic follow-ups: which rule made it (e.g. "check_in_14"), so reruns never duplicate it.
    rule = models.CharField(max_length=50, blank=True)
    title = models.CharField(_("task"), max_length=200)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due"), db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the owner was emailed about this task being overdue, so each overdue task is emailed once.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "rule"],
                condition=~models.Q(rule=""),
                name="task_unique_rule_per_referral",
            )
        ]

    def __str__(self) -> str:
        return self.title
