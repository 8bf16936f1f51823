"""Working the lists: scripts, walk lists, the worker's queue, call queues and caller assignment.

Reads (what a worker may see and in which order) and the few writes of this step (scripts, call assignments,
the attempt that a saved conversation closes). Every attempt itself is written by attempts.attempt_record.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import Team, User
from porchlight.accounts.roles import Capability
from porchlight.outreach.attempts import (
    AttemptResult,
    attempt_record,
    target_blocked_reason,
    target_next_visit,
)
from porchlight.outreach.models import (
    Attempt,
    Campaign,
    Conversation,
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


@transaction.atomic
def scripts_save(*, campaign: Campaign, bodies: dict[str, str]) -> list[Script]:
    """Set the campaign's script per language; an empty body removes that language's script."""
    saved: list[Script] = []
    for language, body in bodies.items():
        if language not in Language.values:
            raise ValidationError(_("Unknown language: %(code)s") % {"code": language})
        body = (body or "").strip()
        if not body:
            Script.objects.filter(campaign=campaign, language=language).delete()
            continue
        script, _created = Script.objects.update_or_create(
            campaign=campaign, language=language, defaults={"body": body}
        )
        saved.append(script)
    return saved


# ---- who may see which turf and call list ----------------------------------------------------------------


def _plans_everything(user: User) -> bool:
    return user.can(Capability.MANAGE_CAMPAIGNS) and not user.is_partner


def turfs_visible_to(user: User) -> QuerySet[Turf]:
    """Door turfs the user may walk: their own or their team's (program managers see every turf)."""
    if not user.is_authenticated or not user.can(Capability.LOG_CONVERSATIONS):
        return Turf.objects.none()
    qs = Turf.objects.filter(target_list__kind=TargetList.Kind.DOOR).select_related(
        "target_list__campaign", "assigned_to", "assigned_team"
    )
    if _plans_everything(user):
        return qs
    scope = Q(assigned_to=user)
    if user.team_id:
        scope |= Q(assigned_team_id=user.team_id)
    return qs.filter(scope)


def turfs_assigned_to(user: User) -> QuerySet[Turf]:
    """The turfs that are the user's work (own or team's), for their queue — managers' too."""
    scope = Q(assigned_to=user)
    if user.team_id:
        scope |= Q(assigned_team_id=user.team_id)
    return turfs_visible_to(user).filter(scope)


def turf_get_for_user(*, user: User, pk: int) -> Turf:
    """Fetch and authorize: a turf that is not the user's (or their team's) is a 404."""
    return get_object_or_404(turfs_visible_to(user), pk=pk)


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
    if target.resident_id:
        residents = [target.resident]
    elif target.address_id:
        residents = list(target.address.residents.all())
    else:
        residents = []
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


def call_lists_visible_to(user: User) -> QuerySet[TargetList]:
    """Phone target lists: every one for program managers, else those with residents assigned to the user."""
    qs = TargetList.objects.filter(kind=TargetList.Kind.PHONE).select_related("campaign")
    if not user.is_authenticated or not user.can(Capability.LOG_CONVERSATIONS):
        return qs.none()
    if _plans_everything(user):
        return qs
    return qs.filter(targets__assigned_to=user).distinct()


def call_lists_assigned_to(user: User) -> QuerySet[TargetList]:
    """The call lists with residents assigned to the user to call."""
    return call_lists_visible_to(user).filter(targets__assigned_to=user).distinct()


def call_list_get_for_user(*, user: User, pk: int) -> TargetList:
    return get_object_or_404(call_lists_visible_to(user), pk=pk)


def call_list_get_for_manager(*, user: User, pk: int) -> TargetList:
    if not _plans_everything(user):
        from django.http import Http404

        raise Http404
    return get_object_or_404(TargetList.objects.select_related("campaign"), pk=pk, kind=TargetList.Kind.PHONE)


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


def call_list_summary(*, target_list: TargetList) -> dict:
    """How the call list is shared out: per caller, and how many are still unassigned."""
    from django.db.models import Count

    per_caller = (
        target_list.targets.filter(assigned_to__isnull=False)
        .values("assigned_to", "assigned_to__username", "assigned_to__first_name", "assigned_to__last_name")
        .annotate(n=Count("id"))
        .order_by("assigned_to__last_name", "assigned_to__username")
    )
    return {
        "total": target_list.targets.count(),
        "unassigned": target_list.targets.filter(assigned_to__isnull=True).count(),
        "callers": [
            {
                "name": " ".join(p for p in (r["assigned_to__first_name"], r["assigned_to__last_name"]) if p)
                or r["assigned_to__username"],
                "n": r["n"],
            }
            for r in per_caller
        ],
    }


def callers_for(*, team: Team | None = None) -> QuerySet[User]:
    """Active users who may make calls (LOG_CONVERSATIONS), optionally one team's."""
    from porchlight.accounts.roles import ROLE_CAPABILITIES

    roles = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.LOG_CONVERSATIONS in caps]
    qs = User.objects.filter(is_active=True).filter(Q(role__in=roles) | Q(is_superuser=True))
    if team is not None:
        qs = qs.filter(team=team)
    return qs.order_by("last_name", "first_name", "username")


def _unassigned_callable(target_list: TargetList) -> list[Target]:
    qs = target_list.targets.filter(assigned_to__isnull=True)
    qs = qs.select_related("resident__address", "target_list")
    return [t for t in qs.order_by("sequence", "id") if not target_blocked_reason(target=t, channel="phone")]


def _check_assignable(target_list: TargetList, callers: list[User]) -> None:
    if target_list.kind != TargetList.Kind.PHONE:
        raise ValidationError(_("Only a call list can be shared out to callers."))
    allowed = set(callers_for().filter(pk__in=[u.pk for u in callers]).values_list("pk", flat=True))
    if not callers or any(u.pk not in allowed for u in callers):
        raise ValidationError(_("Callers must be active users who log conversations."))


@transaction.atomic
def call_assign_next(*, target_list: TargetList, caller: User, count: int) -> int:
    """Give `caller` the next `count` unassigned residents of the call list, in queue order; how many."""
    if count < 1:
        raise ValidationError(_("Assign at least one resident."))
    _check_assignable(target_list, [caller])
    ids = [t.pk for t in _unassigned_callable(target_list)[:count]]
    # The filter on assigned_to keeps two managers assigning at once from taking the same resident twice.
    return Target.objects.filter(pk__in=ids, assigned_to__isnull=True).update(assigned_to=caller)


@transaction.atomic
def call_assign_round_robin(*, target_list: TargetList, callers: list[User]) -> dict[int, int]:
    """Deal every unassigned resident of the call list to `callers` in turn. Returns {user id: how many}."""
    _check_assignable(target_list, callers)
    dealt: dict[int, list[int]] = {u.pk: [] for u in callers}
    for target, caller in zip(_unassigned_callable(target_list), itertools.cycle(callers), strict=False):
        dealt[caller.pk].append(target.pk)
    counts = {}
    for user_id, ids in dealt.items():
        counts[user_id] = Target.objects.filter(pk__in=ids, assigned_to__isnull=True).update(
            assigned_to_id=user_id
        )
    return counts


# ---- attempts from the pages -----------------------------------------------------------------------------


def target_workable_by(*, user: User, target_id: int) -> Target | None:
    """A target the user may record an attempt on: a door of a turf they may walk, or a resident they call."""
    if not user.can(Capability.LOG_CONVERSATIONS):
        return None
    scope = Q(turf__in=turfs_visible_to(user), target_list__kind=TargetList.Kind.DOOR) | Q(
        assigned_to=user, target_list__kind=TargetList.Kind.PHONE
    )
    if _plans_everything(user):
        scope |= Q(target_list__kind=TargetList.Kind.PHONE)
    qs = Target.objects.select_related("target_list__campaign", "address", "resident__address")
    return qs.filter(scope, pk=target_id).first()


def attempt_from_page(
    *,
    actor: User,
    target: Target,
    client_id: uuid.UUID,
    outcome: str,
    made_at: dt.datetime | None = None,
    callback_at: dt.datetime | None = None,
    note: str = "",
    conversation: Conversation | None = None,
) -> AttemptResult:
    """Record a tap on a walk list or call screen (the channel follows the list)."""
    return attempt_record(
        actor=actor,
        client_id=client_id,
        campaign=target.target_list.campaign,
        channel=target.target_list.kind,
        outcome=outcome,
        made_at=made_at or timezone.now(),
        target=target,
        callback_at=callback_at,
        note=note,
        conversation=conversation,
    )


def conversation_handoff(
    *, actor: User, target: Target, attempt_client_id: uuid.UUID, conversation_client_id: uuid.UUID
) -> AttemptResult | None:
    """After the conversation form saved a conversation for a target, record the attempt that it closes.

    Called by the conversation view with the ids the walk list or call screen put in the link; idempotent like
    every attempt (the attempt's client id was made when the page was drawn). None if nothing was saved.
    """
    conversation = Conversation.objects.filter(client_id=conversation_client_id, held_by=actor).first()
    if conversation is None:
        return None
    return attempt_from_page(
        actor=actor,
        target=target,
        client_id=attempt_client_id,
        outcome=Outcome.CONVERSATION,
        made_at=min(conversation.held_at, timezone.now()),
        conversation=conversation,
    )
