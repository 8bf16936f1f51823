"""The rules of door knocks and calls: which outcomes fit, which targets may not be contacted, when a
target is worked again, and the conflict rule that settles a door two workers reported on. The writes that
apply these rules are in field/services.py (attempt_record, conversation_at_target_log).

The conflict rule (docs/offline.md): every attempt is kept — they are facts. The door's state is the latest
attempt by made_at, except that a door finished by one worker (a final outcome: conversation, refused, moved,
wrong number) is not reopened by a later non-final attempt ("not home", ...) of *another* worker. The same
worker's later attempt does count: that is how a worker corrects a mistaken tap. A later final outcome by
anyone replaces an earlier one (the door stays finished; the newest fact describes it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.outreach.models import Attempt, Campaign, Conversation, Outcome, Target

# Outcomes after which a target is never worked again in the campaign.
FINAL_OUTCOMES = {Outcome.REFUSED, Outcome.MOVED, Outcome.WRONG_NUMBER, Outcome.CONVERSATION}
# Outcomes that only mean "try again later".
RETRY_OUTCOMES = {
    Outcome.NOT_HOME,
    Outcome.NO_ANSWER,
    Outcome.LEFT_MESSAGE,
    Outcome.INACCESSIBLE,
    Outcome.LANGUAGE_BARRIER,
}
PHONE_ONLY = {Outcome.WRONG_NUMBER, Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE}
DOOR_ONLY = {Outcome.NOT_HOME, Outcome.INACCESSIBLE, Outcome.MOVED}


def is_final(outcome: str) -> bool:
    return outcome in FINAL_OUTCOMES


@dataclass
class DoorState:
    """What the door's attempts add up to: the attempt that decides it, and those that did not count."""

    decider: Attempt | None
    overridden: list[Attempt]

    @property
    def finished(self) -> bool:
        return self.decider is not None and is_final(self.decider.outcome)


def door_state(attempts: Iterable[Attempt]) -> DoorState:
    """Settle a door's state from its attempts, in any order (the conflict rule, docs/offline.md).

    Every attempt is kept — they are facts. The state is the latest attempt by made_at, except that a door
    finished by one worker (a final outcome) is not reopened by a later non-final attempt of *another* worker
    (two workers offline at the same door). The same worker's later attempt counts: that is how a worker
    corrects a mistaken tap. A later final outcome by anyone replaces an earlier one.
    """
    decider: Attempt | None = None
    overridden: list[Attempt] = []
    for attempt in sorted(attempts, key=lambda a: (a.made_at, a.pk or 0)):
        if (
            decider is not None
            and is_final(decider.outcome)
            and not is_final(attempt.outcome)
            and attempt.made_by_id != decider.made_by_id
        ):
            overridden.append(attempt)
            continue
        decider = attempt
    return DoorState(decider=decider, overridden=overridden)


def attempt_check(
    *,
    campaign: Campaign,
    channel: str,
    outcome: str,
    made_at: dt.datetime,
    target: Target | None,
    callback_at: dt.datetime | None,
    conversation: Conversation | None,
    actor: User,
) -> None:
    """Raise ValidationError when the attempt may not be recorded (ValueError for naive datetimes)."""
    _check_outcome(channel=channel, outcome=outcome)
    _check_times(outcome=outcome, made_at=made_at, callback_at=callback_at)
    if target is not None:
        _check_target(target=target, campaign=campaign, channel=channel)
    if conversation is not None:
        _check_conversation(conversation=conversation, campaign=campaign, outcome=outcome, actor=actor)


def _check_outcome(*, channel: str, outcome: str) -> None:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome: %(o)s") % {"o": outcome}})
    if channel not in ("door", "phone"):
        raise ValidationError({"channel": _("An attempt is at a door or on the phone.")})
    if channel == "door" and outcome in PHONE_ONLY or channel == "phone" and outcome in DOOR_ONLY:
        raise ValidationError(
            {"outcome": _("That outcome does not fit a %(channel)s attempt.") % {"channel": channel}}
        )


def _check_times(*, outcome: str, made_at: dt.datetime, callback_at: dt.datetime | None) -> None:
    if timezone.is_naive(made_at):
        raise ValueError("made_at must be timezone-aware")
    if made_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"made_at": _("An attempt cannot be in the future.")})
    if outcome != Outcome.CALL_BACK:
        return
    if callback_at is None:
        raise ValidationError({"callback_at": _("Say when to call or come back.")})
    if timezone.is_naive(callback_at):
        raise ValueError("callback_at must be timezone-aware")
    if callback_at < made_at - dt.timedelta(minutes=1):
        raise ValidationError({"callback_at": _("The call-back time must be after the attempt.")})


def _check_target(*, target: Target, campaign: Campaign, channel: str) -> None:
    if target.target_list.campaign_id != campaign.pk:
        raise ValidationError({"target": _("That target belongs to another campaign.")})
    if target.target_list.kind != channel:
        raise ValidationError(
            {"channel": _("That target is not on a %(channel)s list.") % {"channel": channel}}
        )
    reason = target_blocked_reason(target=target, channel=channel)
    if reason:
        raise ValidationError({"target": reason})


def _check_conversation(*, conversation: Conversation, campaign: Campaign, outcome: str, actor: User) -> None:
    if conversation.campaign_id != campaign.pk:
        raise ValidationError({"conversation": _("That conversation belongs to another campaign.")})
    if conversation.held_by_id != actor.pk:
        raise ValidationError({"conversation": _("That conversation was logged by someone else.")})
    if outcome != Outcome.CONVERSATION:
        raise ValidationError({"outcome": _("An attempt linked to a conversation is a conversation held.")})


def target_blocked_reason(*, target: Target, channel: str | None = None) -> str:
    """Why the target may not be knocked or called (do-not-contact), or "" when it may.

    A door is off limits when the address asked not to be contacted, when the target is one resident who did,
    or when every resident on file at the door did. A call needs the resident's consent as well
    (Resident.may_be_contacted).
    """
    channel = channel or target.target_list.kind
    resident = target.resident
    if resident is not None:
        if resident.do_not_contact or (resident.address is not None and resident.address.do_not_contact):
            return _("This resident asked not to be contacted.")
        if channel == "phone" and not resident.may_be_contacted:
            return _("This resident has not agreed to be called.")
    address = target.address
    if address is not None:
        if address.do_not_contact:
            return _("This door asked not to be contacted.")
        if resident is None:
            flags = [r.do_not_contact for r in address.residents.all()]
            if flags and all(flags):
                return _("Everyone at this door asked not to be contacted.")
    return ""


def target_next_visit(*, target: Target, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the target should next be worked, or None when it is finished (final outcome or out of attempts).

    Rules: a final outcome ends it; a callback is due at its time; otherwise retry after
    settings.OUTREACH_REVISIT_HOURS, up to settings.OUTREACH_MAX_ATTEMPTS attempts.
    """
    now = now or timezone.now()
    # Works from `target.attempts.all()` so that a prefetched `attempts` serves a whole walk list.
    attempts = list(target.attempts.all())
    if not attempts:
        return now
    # The door's state follows the conflict rule: another worker's later "not home" does not reopen a door
    # someone already finished.
    last = door_state(attempts).decider
    assert last is not None  # there are attempts, so one decides the door
    if last.outcome in FINAL_OUTCOMES:
        return None
    if last.outcome == Outcome.CALL_BACK:
        return last.callback_at
    if len(attempts) >= settings.OUTREACH_MAX_ATTEMPTS:
        return None
    return last.made_at + dt.timedelta(hours=settings.OUTREACH_REVISIT_HOURS)


def person_name(user: User) -> str:
    return user.get_full_name() or user.username


def attempt_conflict(*, attempt: Attempt) -> dict | None:
    """Whether another worker's attempt decides the door instead of this one, said for the worker.

    None when this attempt decides the door, or when the decider is not a finished door (an older "not home"
    simply being older is no conflict).
    """
    if attempt.target_id is None:
        return None
    state = door_state(Attempt.objects.filter(target_id=attempt.target_id).select_related("made_by"))
    decider = state.decider
    if decider is None or decider.pk == attempt.pk or decider.made_by_id == attempt.made_by_id:
        return None
    if not is_final(decider.outcome):
        return None
    at = timezone.localtime(decider.made_at)
    return {
        "message": _("Door already completed by %(who)s at %(when)s (%(outcome)s).")
        % {
            "who": person_name(decider.made_by),
            "when": f"{at:%Y-%m-%d %H:%M}",
            "outcome": decider.get_outcome_display(),
        },
        "by": person_name(decider.made_by),
        "at": decider.made_at.isoformat(),
        "outcome": decider.outcome,
        "counted": attempt not in state.overridden,
    }
