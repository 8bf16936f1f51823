"""Writes of field work, each in one transaction: a knock or call (attempt_record), a conversation held at a
door or on a call together with its attempt (conversation_at_target_log), campaign scripts, and sharing a
call list among callers. The walk list and call screen pages, the offline app's sync API and the demo all call
these — never their own copy of the rules (attempts.py holds the rules).

Building a target list (targets.target_list_build) and cutting and assigning turfs (turfs.turf_cut,
turf_assign, turfs_auto_assign) are writes too; they live in their own modules with their algorithms.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.outreach.field.attempts import attempt_check, attempt_conflict, target_blocked_reason
from porchlight.outreach.field.selectors import callers_for
from porchlight.outreach.models import (
    Attempt,
    Campaign,
    Conversation,
    Need,
    Outcome,
    Script,
    Target,
    TargetList,
)
from porchlight.outreach.services import conversation_capture
from porchlight.people.models import Language, Resident

_Record = TypeVar("_Record", Attempt, Conversation)

# ---- attempts and conversations at a target ----


@dataclass
class AttemptResult:
    attempt: Attempt
    created: bool
    # Set when another worker's finished attempt decides the door instead of this one (attempt_conflict).
    conflict: dict[str, Any] | None = None


@dataclass
class TargetConversationResult:
    conversation: Conversation
    created: bool
    attempt: AttemptResult | None  # None when no attempt id was given
    needs: list[Need]


def _own_record(model: type[_Record], *, client_id: uuid.UUID, actor: User) -> _Record | None:
    """The actor's record with this client_id, or None; another worker's client_id is refused, never answered
    with their record."""
    existing = model.objects.filter(client_id=client_id).first()
    owner = "made_by_id" if model is Attempt else "held_by_id"
    if existing is not None and getattr(existing, owner) != actor.pk:
        raise ValidationError({"client_id": _("That client_id belongs to another record.")})
    return existing


def _answer(attempt: Attempt, *, created: bool) -> AttemptResult:
    return AttemptResult(attempt, created=created, conflict=attempt_conflict(attempt=attempt))


@transaction.atomic
def attempt_record(
    *,
    actor: User,
    client_id: uuid.UUID,
    outcome: str,
    made_at: dt.datetime,
    target: Target | None = None,
    campaign: Campaign | None = None,
    channel: str | None = None,
    callback_at: dt.datetime | None = None,
    note: str = "",
    conversation: Conversation | None = None,
) -> AttemptResult:
    """Record one knock or call, once: a retry with the same client_id returns the first record.

    The campaign and channel follow the target's list when not given. Every attempt is kept, even one that
    does not change the door's state; the result says when another worker's finished attempt decides the door.
    """
    existing = _own_record(Attempt, client_id=client_id, actor=actor)
    if existing is not None:
        return _answer(existing, created=False)
    if target is None:
        if campaign is None or channel is None:
            raise ValueError("an attempt without a target needs its campaign and channel")
    else:
        campaign = campaign or target.target_list.campaign
        channel = channel or target.target_list.kind
    attempt_check(
        campaign=campaign,
        channel=channel,
        outcome=outcome,
        made_at=made_at,
        target=target,
        callback_at=callback_at,
        conversation=conversation,
        actor=actor,
    )
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                client_id=client_id,
                campaign=campaign,
                target=target,
                address=target.address if target else None,
                resident=target.resident if target else None,
                channel=channel,
                outcome=outcome,
                callback_at=callback_at if outcome == Outcome.CALL_BACK else None,
                note=note.strip()[:500],
                conversation=conversation,
                made_by=actor,
                made_at=made_at,
            )
    except IntegrityError:
        # Two copies of the same tap raced: the other one won, and this is that record.
        existing = Attempt.objects.filter(client_id=client_id, made_by=actor).first()
        if existing is None:
            raise
        return _answer(existing, created=False)
    return _answer(attempt, created=True)


def _check_at_target(
    *,
    target: Target,
    campaign: Campaign | None,
    channel: str | None,
    resident: Resident | None,
    held_at: dt.datetime | None,
) -> None:
    """A conversation at a target is in the target's campaign and channel, with someone of that door (or the
    household of the resident called), within the campaign's dates, and never at a door that asked not to be
    contacted."""
    target_campaign = target.target_list.campaign
    if campaign is not None and campaign.pk != target_campaign.pk:
        raise ValidationError(
            {"campaign": _("This door or call belongs to %(campaign)s.") % {"campaign": target_campaign}}
        )
    if channel is not None and channel != target.target_list.kind:
        raise ValidationError(
            {"channel": _("That target is not on a %(channel)s list.") % {"channel": channel}}
        )
    door = target.address_id or (target.resident.address_id if target.resident is not None else None)
    if (
        resident is not None
        and resident.pk != target.resident_id
        and (not door or resident.address_id != door)
    ):
        raise ValidationError({"resident": _("Not a resident of that door.")})
    day = timezone.localtime(held_at).date() if held_at and timezone.is_aware(held_at) else None
    if day is not None and not target_campaign.start_date <= day <= target_campaign.end_date:
        raise ValidationError(
            {
                "held_at": _("This date is outside the campaign (%(start)s – %(end)s).")
                % {"start": target_campaign.start_date, "end": target_campaign.end_date}
            }
        )
    reason = target_blocked_reason(target=target)
    if reason:
        raise ValidationError({"target": reason})


@transaction.atomic
def conversation_at_target_log(
    *,
    actor: User,
    target: Target,
    client_id: uuid.UUID,
    attempt_client_id: uuid.UUID | None = None,
    made_at: dt.datetime | None = None,
    note: str = "",
    held_at: dt.datetime | None = None,
    resident: Resident | None = None,
    campaign: Campaign | None = None,
    channel: str | None = None,
    **conversation: Any,
) -> TargetConversationResult:
    """Log a conversation held at a door or on a call, and the "conversation held" attempt that closes the
    target, together: either both are saved or neither is.

    The conversation form reached from a walk list or call screen and the offline app's sync both call this.
    Retries are safe: the same client_id returns the first conversation, the same attempt_client_id the first
    attempt, and a conversation keeps the one attempt it was first recorded with. The attempt is made when the
    conversation was held (`made_at` overrides) and follows every attempt rule (attempts.attempt_check).
    Without attempt_client_id only the conversation is logged (the offline app may send the attempt later).
    `conversation` holds the conversation's other values as outreach.services.conversation_log takes them
    (new_resident, area, language, duration_minutes, topics, notes, what_matters_most, ideas,
    wants_follow_up, needs).
    """
    found = _own_record(Conversation, client_id=client_id, actor=actor)
    if found is None:
        _check_at_target(
            target=target, campaign=campaign, channel=channel, resident=resident, held_at=held_at
        )
        captured = conversation_capture(
            actor=actor,
            client_id=client_id,
            campaign=target.target_list.campaign,
            channel=target.target_list.kind,
            held_at=held_at,
            resident=resident,
            address=target.address,
            **conversation,
        )
        saved, created, found_needs = captured.conversation, captured.created, captured.needs
    else:
        saved, created, found_needs = found, False, list(found.needs.all())
    attempt = None
    if attempt_client_id is not None:
        attempt = _conversation_attempt(
            actor=actor,
            target=target,
            conversation=saved,
            client_id=attempt_client_id,
            made_at=made_at,
            note=note,
        )
    return TargetConversationResult(saved, created=created, attempt=attempt, needs=found_needs)


def _conversation_attempt(
    *,
    actor: User,
    target: Target,
    conversation: Conversation,
    client_id: uuid.UUID,
    made_at: dt.datetime | None,
    note: str,
) -> AttemptResult:
    first = conversation.attempts.exclude(client_id=client_id).first()
    if first is not None:
        return _answer(first, created=False)
    return attempt_record(
        actor=actor,
        client_id=client_id,
        target=target,
        outcome=Outcome.CONVERSATION,
        made_at=made_at or min(conversation.held_at, timezone.now()),
        note=note,
        conversation=conversation,
    )


# ---- scripts and call lists ----


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
