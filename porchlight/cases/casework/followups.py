"""The follow-up scheduler and the overdue-work email.

Rules (docs/cases.md):
- Every referral that is not closed gets one automatic task, "Check in with <resident> about <program>",
  for the referral's owner, due REFERRAL_CHECK_IN_DAYS (14) days after the referral was made. Scheduling is
  idempotent (one task per referral and rule, enforced by a unique constraint), so it is safe to run
  as often as you like: right after each referral is made, and daily by `manage.py followups`.
- When a referral closes (declined, resolved, closed unresolved) its automatic follow-up no longer matters:
  it disappears from queues and emails at once (see selectors.open_tasks) and the next daily run marks it
  done, with no "done by", which tells it apart from a follow-up a person ticked.
- Once a day, each person with overdue work gets ONE email listing their overdue tasks not yet emailed, and
  their referrals still waiting for the program to accept them past the program's deadline. Each task is
  emailed once (Task.overdue_notified_at); a failed email leaves that person's tasks unmarked, to retry.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from porchlight.accounts.models import User
from porchlight.cases.casework.selectors import open_tasks
from porchlight.cases.lifecycle import CLOSED_STATUSES
from porchlight.cases.models import Referral, Task
from porchlight.cases.selectors import overdue_q
from porchlight.ui.links import absolute_url

log = logging.getLogger(__name__)

# The rule's name is stored on each task; it stays the same if REFERRAL_CHECK_IN_DAYS is changed, so that a
# rerun never schedules a second check-in for the same referral.
CHECK_IN_RULE = "check_in_14"


def _check_in_task(referral: Referral) -> Task:
    created = timezone.localdate(referral.created_at)
    return Task(
        referral=referral,
        kind=Task.Kind.FOLLOW_UP,
        rule=CHECK_IN_RULE,
        title=f"Check in with {referral.resident} about {referral.program}"[:200],
        assigned_to_id=referral.owner_id,
        due_on=created + dt.timedelta(days=settings.REFERRAL_CHECK_IN_DAYS),
    )


def _needing_check_in(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return (
        referrals.exclude(status__in=CLOSED_STATUSES)
        .exclude(tasks__rule=CHECK_IN_RULE)
        .select_related("resident", "program")
    )


def followup_schedule_for_referral(*, referral: Referral) -> Task | None:
    """Schedule the check-in for one referral (called right after a referral is made). Idempotent.

    Returns the referral's check-in task, or None for a closed referral that never had one.
    """
    ref = _needing_check_in(Referral.objects.filter(pk=referral.pk)).first()
    if ref is not None:
        Task.objects.bulk_create([_check_in_task(ref)], ignore_conflicts=True)
    return Task.objects.filter(referral_id=referral.pk, rule=CHECK_IN_RULE).first()


@transaction.atomic
def followups_close_for_closed_referrals() -> int:
    """Mark done the automatic follow-ups whose referral has closed; returns how many."""
    return Task.objects.filter(
        kind=Task.Kind.FOLLOW_UP, done_at__isnull=True, referral__status__in=CLOSED_STATUSES
    ).update(done_at=timezone.now())


@transaction.atomic
def followups_schedule(*, today: dt.date | None = None, created_since: dt.date | None = None) -> int:
    """Create the missing check-in tasks for referrals not closed and made by `today`; returns how many.

    `created_since` limits the look-back (the first run on a database with years of referrals).
    """
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    referrals = Referral.objects.filter(
        created_at__lt=dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    )
    if created_since is not None:
        referrals = referrals.filter(
            created_at__gte=dt.datetime.combine(created_since, dt.time.min, tzinfo=tz)
        )
    tasks = [_check_in_task(r) for r in _needing_check_in(referrals).order_by("id").iterator(chunk_size=2000)]
    before = Task.objects.filter(rule=CHECK_IN_RULE).count()
    # ignore_conflicts: a referral made while this runs may get its task from referral_create's hook first.
    Task.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=True)
    return Task.objects.filter(rule=CHECK_IN_RULE).count() - before


@dataclass
class OwnerDigest:
    """What one person is emailed about: overdue tasks and referrals waiting too long to be accepted."""

    user: User
    tasks: list[Task] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)


def overdue_referrals(*, today: dt.date) -> list[Referral]:
    """Referrals still "sent" after their program's accept-within days."""
    return list(Referral.objects.filter(overdue_q(today=today)).select_related("program", "resident"))


def overdue_digests(*, today: dt.date) -> list[OwnerDigest]:
    """One digest per person who has overdue tasks not yet emailed (with their late referrals alongside)."""
    tasks = (
        open_tasks()
        .filter(due_on__lt=today, overdue_notified_at__isnull=True, assigned_to__is_active=True)
        .select_related("assigned_to", "case__resident", "referral__resident", "referral__program")
        .order_by("assigned_to_id", "due_on", "id")
    )
    digests: dict[int, OwnerDigest] = {}
    for task in tasks:
        digests.setdefault(task.assigned_to_id, OwnerDigest(user=task.assigned_to)).tasks.append(task)
    late: dict[int, list[Referral]] = defaultdict(list)
    for r in overdue_referrals(today=today):
        late[r.owner_id].append(r)
    for digest in digests.values():
        digest.referrals = late.get(digest.user.pk, [])
    return [d for d in digests.values() if d.user.email]


def _message(digest: OwnerDigest, *, today: dt.date) -> EmailMultiAlternatives:
    context = {
        "user": digest.user,
        "tasks": digest.tasks,
        "referrals": digest.referrals,
        "today": today,
        "queue_url": absolute_url(reverse("casework:task_queue")),
        "base_url": absolute_url(""),
    }
    # Each person reads the email in the first language they speak.
    language = (digest.user.languages or [settings.LANGUAGE_CODE])[0]
    with translation.override(language):
        subject = render_to_string("cases/email/overdue_subject.txt", context).strip()
        body = render_to_string("cases/email/overdue.txt", context)
    return EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[digest.user.email]
    )


def overdue_notify(*, today: dt.date | None = None) -> int:
    """Email each person ONE message about their overdue work; returns how many emails were sent.

    Tasks are marked as emailed only after that person's email went out: if the mail server refuses or is
    down, their tasks stay unmarked and are retried on the next run, and the others are still emailed.
    """
    today = today or timezone.localdate()
    sent = 0
    for digest in overdue_digests(today=today):
        try:
            _message(digest, today=today).send(fail_silently=False)
        except Exception:
            log.exception("Could not email overdue tasks to %s", digest.user.email)
            continue
        Task.objects.filter(pk__in=[t.pk for t in digest.tasks]).update(overdue_notified_at=timezone.now())
        sent += 1
    return sent
