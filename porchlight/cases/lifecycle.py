"""A referral's lifecycle: the statuses, the moves between them, who may make each move, and the reason a
closing move must carry. Rules only (no queries, no writes), so services and selectors both read them."""

from __future__ import annotations

from django.db import models

from porchlight.cases.models import Referral

S = Referral.Status
OPEN_STATUSES = (S.SENT, S.ACCEPTED, S.IN_PROGRESS)
CLOSED_STATUSES = (S.DECLINED, S.RESOLVED, S.UNRESOLVED)
# Which moves a referral may make. Closed referrals can be reopened (the resident comes back).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    S.SENT: {S.ACCEPTED, S.DECLINED, S.UNRESOLVED},
    S.ACCEPTED: {S.IN_PROGRESS, S.RESOLVED, S.UNRESOLVED},
    S.IN_PROGRESS: {S.RESOLVED, S.UNRESOLVED},
    S.DECLINED: {S.SENT},
    S.RESOLVED: {S.IN_PROGRESS},
    S.UNRESOLVED: {S.IN_PROGRESS},
}
# Every move ALLOWED_TRANSITIONS allows, split by who may make it.
# The receiving organization answers and reports: accept, decline, progress, outcome, reopen.
PARTNER_MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        (S.SENT, S.ACCEPTED),
        (S.SENT, S.DECLINED),
        (S.ACCEPTED, S.IN_PROGRESS),
        (S.ACCEPTED, S.RESOLVED),
        (S.ACCEPTED, S.UNRESOLVED),
        (S.IN_PROGRESS, S.RESOLVED),
        (S.IN_PROGRESS, S.UNRESOLVED),
        (S.RESOLVED, S.IN_PROGRESS),
        (S.UNRESOLVED, S.IN_PROGRESS),
    }
)
# The referring worker may give up (the resident is no longer interested) or send a declined one again,
# but never speak for the program (accept, report progress or an outcome).
REFERRER_MOVES: frozenset[tuple[str, str]] = frozenset(
    {(S.SENT, S.UNRESOLVED), (S.ACCEPTED, S.UNRESOLVED), (S.IN_PROGRESS, S.UNRESOLVED), (S.DECLINED, S.SENT)}
)
# The reason each closing status must carry, and where it is stored.
STATUS_REASONS: dict[str, tuple[str, type[models.TextChoices]]] = {
    S.DECLINED: ("decline_reason", Referral.DeclineReason),
    S.RESOLVED: ("outcome", Referral.Outcome),
    S.UNRESOLVED: ("close_reason", Referral.CloseReason),
}


def transition_allowed(*, old: str, new: str) -> bool:
    """True when the lifecycle lets a referral go from `old` to `new` (whoever asks)."""
    return new in ALLOWED_TRANSITIONS.get(old, set())


def next_statuses(*, status: str) -> set[str]:
    """Every status a referral in `status` may move to."""
    return set(ALLOWED_TRANSITIONS.get(status, set()))


def referral_reason_label(*, status: str, reason: str) -> str:
    """The human label of a status change's reason (decline reason, outcome or close reason)."""
    if status not in STATUS_REASONS or not reason:
        return ""
    choices = STATUS_REASONS[status][1]
    return str(choices(reason).label) if reason in choices.values else reason
