"""Working the lists: the walk list of a turf, the worker's queue, the next call on a call list, and the
script for each door — what a worker sees at each door and in which order (reads; the writes are in
services.py, the scoping of turfs and lists in selectors.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from porchlight.accounts.models import User
from porchlight.outreach.field.attempts import target_blocked_reason, target_next_visit
from porchlight.outreach.field.selectors import turfs_assigned_to
from porchlight.outreach.models import (
    Attempt,
    Campaign,
    Outcome,
    Script,
    Target,
    TargetList,
    Turf,
)
from porchlight.people.models import Language, Resident

# The buttons, in the order a worker meets them. Conversation opens the conversation form instead.
DOOR_OUTCOMES = [
    Outcome.NOT_HOME,
    Outcome.REFUSED,
    Outcome.MOVED,
    Outcome.INACCESSIBLE,
    Outcome.LANGUAGE_BARRIER,
    Outcome.CALL_BACK,
    Outcome.CONVERSATION,
]
PHONE_OUTCOMES = [
    Outcome.NO_ANSWER,
    Outcome.LEFT_MESSAGE,
    Outcome.WRONG_NUMBER,
    Outcome.REFUSED,
    Outcome.LANGUAGE_BARRIER,
    Outcome.CALL_BACK,
    Outcome.CONVERSATION,
]


# ---- scripts ---------------------------------------------------------------------------------------------


def script_for(*, campaign: Campaign, language: str) -> Script | None:
    """The campaign's script in `language`, else its English script, else None."""
    scripts = {s.language: s for s in campaign.scripts.all()}
    return scripts.get(language) or scripts.get(Language.ENGLISH)


# ---- who may see which turf and call list ----------------------------------------------------------------


def _targets_with_history(qs: QuerySet[Target]) -> QuerySet[Target]:
    return qs.select_related(
        "address", "resident__address", "target_list__campaign", "turf"
    ).prefetch_related(
        Prefetch("attempts", queryset=Attempt.objects.select_related("made_by").order_by("-made_at", "-id")),
        Prefetch("address__residents", queryset=Resident.objects.order_by("last_name", "first_name", "id")),
        "resident__phones",
    )


# ---- walk list -------------------------------------------------------------------------------------------


@dataclass
class Door:
    """One stop on a walk list (or one resident on a call list), with everything the worker needs there."""

    target: Target
    residents: list[Resident]
    attempts: list[Attempt]  # newest first
    next_visit: dt.datetime | None
    due: bool
    blocked: str  # why it may not be contacted, or ""
    scripts: list[Script] = field(default_factory=list)  # in the languages of the residents
    client_id: uuid.UUID = field(default_factory=uuid.uuid4)
    back: str = ""  # the page to come back to after acting here (set by the view)

    @property
    def is_callback(self) -> bool:
        return bool(self.attempts) and self.attempts[0].outcome == Outcome.CALL_BACK

    @property
    def finished(self) -> bool:
        return self.next_visit is None


def _door(target: Target, now: dt.datetime, scripts: dict[str, Script]) -> Door:
    residents: list[Resident] = []
    if target.resident is not None:
        residents = [target.resident]
    elif target.address is not None:
        residents = list(target.address.residents.all())
    attempts = list(target.attempts.all())
    blocked = target_blocked_reason(target=target)
    next_visit = None if blocked else target_next_visit(target=target, now=now)
    languages = list(dict.fromkeys(r.preferred_language for r in residents)) or [Language.ENGLISH]
    found = (scripts.get(lang) or scripts.get(Language.ENGLISH) for lang in languages)
    door_scripts = list(dict.fromkeys(s for s in found if s))
    return Door(
        target=target,
        residents=residents,
        attempts=attempts,
        next_visit=next_visit,
        due=next_visit is not None and next_visit <= now,
        blocked=blocked,
        scripts=door_scripts,
    )


def _scripts_by_language(campaign: Campaign) -> dict[str, Script]:
    return {s.language: s for s in campaign.scripts.all()}


def walk_list(*, turf: Turf, now: dt.datetime | None = None) -> list[Door]:
    """The turf's doors in walking order, each with residents, history, whether it is due and its script."""
    now = now or timezone.now()
    scripts = _scripts_by_language(turf.target_list.campaign)
    targets = _targets_with_history(turf.targets.order_by("sequence", "id"))
    return [_door(t, now, scripts) for t in targets]


# ---- the worker's queue ----------------------------------------------------------------------------------


def queue_for(*, user: User, now: dt.datetime | None = None) -> list[Door]:
    """What the user should work now: callbacks due or overdue first (oldest first), then other due targets.

    Across the door turfs assigned to the user or their team and the call-list residents assigned to them, in
    campaigns that have not ended. Do-not-contact and finished targets never appear.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    targets = Target.objects.filter(
        Q(turf__in=turfs_assigned_to(user))
        | Q(assigned_to=user, target_list__kind=TargetList.Kind.PHONE),
        target_list__campaign__end_date__gte=today,
    )
    scripts: dict[int, dict[str, Script]] = {}
    doors: list[Door] = []
    for target in _targets_with_history(targets):
        campaign = target.target_list.campaign
        if campaign.pk not in scripts:
            scripts[campaign.pk] = _scripts_by_language(campaign)
        door = _door(target, now, scripts[campaign.pk])
        if door.due:
            doors.append(door)
    doors.sort(key=lambda d: (not d.is_callback, d.next_visit, d.target.target_list_id, d.target.sequence))
    return doors


# ---- call lists ------------------------------------------------------------------------------------------


def call_next(
    *, user: User, target_list: TargetList, now: dt.datetime | None = None, target_id: int | None = None
) -> Door | None:
    """The resident the caller should call now on this list (or the one asked for, if it is theirs)."""
    now = now or timezone.now()
    scripts = _scripts_by_language(target_list.campaign)
    qs = _targets_with_history(target_list.targets.filter(assigned_to=user).order_by("sequence", "id"))
    if target_id is not None:
        target = qs.filter(pk=target_id).first()
        return _door(target, now, scripts) if target is not None else None
    due = [d for d in (_door(t, now, scripts) for t in qs) if d.due]
    due.sort(key=lambda d: (not d.is_callback, d.next_visit, d.target.sequence, d.target.pk))
    return due[0] if due else None


# ---- attempts from the pages -----------------------------------------------------------------------------


