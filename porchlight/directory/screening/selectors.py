"""Reads for screening. Screening answers are sensitive: every read is scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.directory.models import AreaMedianIncome, EligibilityRule, Program, Screening
from porchlight.directory.screening.rules import Q_, QUESTIONS, Op
from porchlight.directory.screening.screener import Verdict, answer_display
from porchlight.outreach.models import Conversation
from porchlight.people.models import Resident
from porchlight.people.selectors import residents_visible_to


def screenings_visible_to(user: User) -> QuerySet[Screening]:
    """Screenings the user may read: their own, their team's if they work cases, all for administrators.

    Always within the residents the user may see at all.
    """
    if not user.is_authenticated:
        return Screening.objects.none()
    qs = Screening.objects.select_related("resident", "screened_by", "screened_by__team")
    if user.is_partner:
        qs = qs.filter(resident__in=residents_visible_to(user))
    elif not user.can(Capability.VIEW_RESIDENTS):
        return Screening.objects.none()
    if user.is_administrator:
        return qs
    allowed = Q(screened_by=user)
    if user.can(Capability.MANAGE_CASES) and user.team_id is not None:
        allowed |= Q(screened_by__team_id=user.team_id)
    return qs.filter(allowed)


def screening_get_for_user(*, user: User, pk: int) -> Screening:
    """Fetch and authorize: a screening the user may not read is a 404, not a leak."""
    return get_object_or_404(screenings_visible_to(user), pk=pk)


def screening_conversation_get(
    *, user: User, resident: Resident, pk: str | int | None
) -> Conversation | None:
    """The resident's conversation a screening is held during, if the user's team may link to it."""
    conversations = resident.conversations.all()
    if user.is_partner:
        conversations = conversations.filter(team=user.team)
    return conversations.filter(pk=pk or 0).first()


def screening_results_by_verdict(*, screening: Screening) -> dict[str, list[dict[str, Any]]]:
    """The stored results grouped by verdict, each with its program (None if deleted since) and the labels of
    the questions still unanswered."""
    programs = Program.objects.select_related("organization").in_bulk(
        [r["program_id"] for r in screening.results]
    )
    groups: dict[str, list[dict[str, Any]]] = {v: [] for v in Verdict.values}
    for result in screening.results:
        groups.setdefault(result["verdict"], []).append(
            {
                **result,
                "program": programs.get(result["program_id"]),
                "missing_labels": [Q_(q).label for q in result.get("missing", []) if q in QUESTIONS],
            }
        )
    return groups


def screening_answers_display(*, screening: Screening) -> tuple[list[tuple[str, str]], list[str]]:
    """(question, answer) as a worker reads them, in the screener's order; then the unanswered questions."""
    answers = screening.answers
    answered = [(str(Q_(q).label), answer_display(q, answers[q])) for q in QUESTIONS if q in answers]
    unanswered = [str(Q_(q).label) for q in QUESTIONS if q not in answers]
    return answered, unanswered


def screening_history_rows(*, user: User, resident: Resident) -> list[dict[str, Any]]:
    """A resident's past screenings the user may read, newest first, with how many programs were likely."""
    screenings = screenings_visible_to(user).filter(resident=resident)
    return [
        {"screening": s, "likely": sum(1 for r in s.results if r.get("verdict") == Verdict.LIKELY)}
        for s in screenings
    ]


def program_get_for_rules(*, pk: int) -> Program:
    return get_object_or_404(Program.objects.select_related("organization"), pk=pk)


def program_rules_asked(*, rules: list[EligibilityRule]) -> set[str]:
    """The questions a program's rules depend on (an AMI rule asks household size and income)."""
    asked = {r.question for r in rules}
    if any(r.operator == Op.AMI_AT_MOST for r in rules):
        asked |= {Q_.HOUSEHOLD_SIZE, Q_.INCOME}
    return asked


def ami_years() -> list[int]:
    """The years that have an area median income table, newest first."""
    return sorted(set(AreaMedianIncome.objects.values_list("year", flat=True)), reverse=True)


def ami_incomes(*, year: int) -> dict[int, int]:
    """{household size: income} of one year's table (empty if that year has none)."""
    return dict(AreaMedianIncome.objects.filter(year=year).values_list("household_size", "income"))
