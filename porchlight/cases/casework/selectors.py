"""Reads for case management, scoped in one place.

A case, with its notes, is readable by its owner, by users who manage cases in the case's team and by
administrators. Anyone else gets a 404, so that a case's existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from porchlight.accounts.models import User
from porchlight.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from porchlight.cases.lifecycle import CLOSED_STATUSES
from porchlight.cases.models import Case, CaseDocument, Referral, Task
from porchlight.cases.selectors import referrals_visible_to


def case_roles() -> list[str]:
    """The roles whose holders may own and work cases."""
    return [r for r in Role if Capability.MANAGE_CASES in ROLE_CAPABILITIES[r]]


def cases_readable_by(user: User) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_administrator:
        return Case.objects.all()
    scope = Q(owner=user)
    if user.can(Capability.MANAGE_CASES) and user.team_id is not None:
        scope |= Q(team_id=user.team_id)
    return Case.objects.filter(scope)


def case_is_readable_by(*, case: Case, user: User) -> bool:
    return cases_readable_by(user).filter(pk=case.pk).exists()


def case_get_for_user(*, user: User, pk: int) -> Case:
    """Fetch and authorize: a case the user may not read is a 404."""
    return get_object_or_404(
        cases_readable_by(user).select_related("resident", "owner", "team", "opened_by"), pk=pk
    )


def cases_for_list(*, user: User, status: str = "", scope: str = "mine") -> QuerySet[Case]:
    """The user's own cases, or every case they may read ("team")."""
    qs = cases_readable_by(user).select_related("resident", "owner", "team")
    if scope != "team":
        qs = qs.filter(owner=user)
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    return qs


def case_owner_choices(*, actor: User) -> QuerySet[User]:
    """Who may own a case the actor opens or hands over: case managers of their team (any, for admins)."""
    qs = User.objects.filter(is_active=True, role__in=case_roles()).select_related("team")
    if not actor.is_administrator:
        # An actor with no team shares it with the other users with no team (as `team_id=None` did).
        qs = qs.filter(team_id=actor.team_id) if actor.team_id else qs.filter(team__isnull=True)
    return qs.order_by("last_name", "first_name", "username")


def referrals_linkable(*, resident_id: int, user: User) -> QuerySet[Referral]:
    """Referrals of the resident, visible to the user, not yet linked to a case."""
    return (
        referrals_visible_to(user)
        .filter(resident_id=resident_id, case__isnull=True)
        .select_related("program__organization")
    )


def open_tasks() -> QuerySet[Task]:
    """Tasks still to do. A follow-up of a closed referral or a step of a closed case is no longer to do."""
    return (
        Task.objects.filter(done_at__isnull=True)
        .exclude(referral__status__in=CLOSED_STATUSES)
        .exclude(case__status=Case.Status.CLOSED)
    )


def task_queue(*, user: User, today: dt.date | None = None) -> dict[str, list[Task]]:
    """The user's open tasks grouped: overdue, due today, due this week (next 6 days) and later."""
    today = today or timezone.localdate()
    groups: dict[str, list[Task]] = {"overdue": [], "today": [], "week": [], "later": []}
    tasks = (
        open_tasks()
        .filter(assigned_to=user)
        .select_related("case__resident", "referral__resident", "referral__program")
    )
    for task in tasks.order_by("due_on", "id"):
        if task.due_on < today:
            groups["overdue"].append(task)
        elif task.due_on == today:
            groups["today"].append(task)
        elif task.due_on <= today + dt.timedelta(days=6):
            groups["week"].append(task)
        else:
            groups["later"].append(task)
    return groups


def tasks_workable_by(user: User) -> QuerySet[Task]:
    """Tasks the user may tick off: their own, and the plan steps of cases they may read and work."""
    if not user.is_authenticated:
        return Task.objects.none()
    scope = Q(assigned_to=user)
    if user.can(Capability.MANAGE_CASES):
        scope |= Q(case__in=cases_readable_by(user))
    return Task.objects.filter(scope)


def task_get_for_user(*, user: User, pk: int) -> Task:
    return get_object_or_404(
        tasks_workable_by(user).select_related(
            "case__resident", "referral__resident", "referral__program", "assigned_to"
        ),
        pk=pk,
    )


def document_get_for_user(*, user: User, pk: int) -> CaseDocument:
    return get_object_or_404(
        CaseDocument.objects.filter(case__in=cases_readable_by(user)).select_related("case"), pk=pk
    )


def case_detail_data(*, case: Case) -> dict[str, Any]:
    """Everything the case page shows, each list fetched once."""
    return {
        "tasks": list(
            case.tasks.select_related("assigned_to", "done_by").order_by(
                F("done_at").asc(nulls_first=True), "due_on", "id"
            )
        ),
        "notes": list(case.notes.select_related("author")),
        "documents": list(case.documents.all()),
        "referrals": list(case.referrals.select_related("program__organization", "owner")),
        "history": list(case.history.select_related("changed_by")),
    }
