"""Recording door knocks and calls, and the rules that decide when a target is worked again."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


@dataclass
class AttemptResult:
    attempt: Attempt
    created: bool


def attempt_record(
    *,
    actor: User,
    client_id: uuid.UUID,
    campaign: Campaign,
    channel: str,
    outcome: str,
    made_at: dt.datetime,
    target: Target | None = None,
    callback_at: dt.datetime | None = None,
    note: str = "",
    conversation: Conversation | None = None,
) -> AttemptResult:
    """Record one knock or call, once: a retry with the same client_id returns the first record."""
    existing = Attempt.objects.filter(client_id=client_id).first()
    if existing is not None:
        return AttemptResult(existing, created=False)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome: %(o)s") % {"o": outcome}})
    if channel not in ("door", "phone"):
        raise ValidationError({"channel": _("An attempt is at a door or on the phone.")})
    if channel == "door" and outcome in PHONE_ONLY or channel == "phone" and outcome in DOOR_ONLY:
        raise ValidationError(
            {"outcome": _("That outcome does not fit a %(channel)s attempt.") % {"channel": channel}}
        )
    if timezone.is_naive(made_at):
        raise ValueError("made_at must be timezone-aware")
    if made_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"made_at": _("An attempt cannot be in the future.")})
    if outcome == Outcome.CALL_BACK and callback_at is None:
        raise ValidationError({"callback_at": _("Say when to call or come back.")})
    if outcome == Outcome.CALL_BACK and timezone.is_naive(callback_at):
        raise ValueError("callback_at must be timezone-aware")
    if outcome == Outcome.CALL_BACK and callback_at < made_at - dt.timedelta(minutes=1):
        raise ValidationError({"callback_at": _("The call-back time must be after the attempt.")})
    if target is not None and target.target_list.campaign_id != campaign.pk:
        raise ValidationError({"target": _("That target belongs to another campaign.")})
    if target is not None and target.target_list.kind != channel:
        raise ValidationError(
            {"channel": _("That target is not on a %(channel)s list.") % {"channel": channel}}
        )
    if conversation is not None and conversation.campaign_id != campaign.pk:
        raise ValidationError({"conversation": _("That conversation belongs to another campaign.")})
    if target is not None:
        reason = target_blocked_reason(target=target, channel=channel)
        if reason:
            raise ValidationError({"target": reason})
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
        existing = Attempt.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return AttemptResult(existing, created=False)
    return AttemptResult(attempt, created=True)


def target_blocked_reason(*, target: Target, channel: str | None = None) -> str:
    """Why the target may not be knocked or called (do-not-contact), or "" when it may.

    A door is off limits when the address asked not to be contacted, when the target is one resident who did,
    or when every resident on file at the door did. A call needs the resident's consent as well
    (Resident.may_be_contacted).
    """
    channel = channel or target.target_list.kind
    resident = target.resident
    if resident is not None:
        if resident.do_not_contact or (resident.address_id and resident.address.do_not_contact):
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
    if last.outcome in FINAL_OUTCOMES:
        return None
    if last.outcome == Outcome.CALL_BACK:
        return last.callback_at
    if len(attempts) >= settings.OUTREACH_MAX_ATTEMPTS:
        return None
    return last.made_at + dt.timedelta(hours=settings.OUTREACH_REVISIT_HOURS)
