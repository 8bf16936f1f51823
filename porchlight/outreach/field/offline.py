"""The offline canvassing app's server side: the bundle of everything the app needs to work a turf at the
doors with no connection, and the correction of a phone's clock. Which turfs a worker may take offline is in
selectors.py; the conflict rule that settles a door two workers reported on is in attempts.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.http import HttpRequest
from django.utils import timezone

from porchlight.accounts.models import AuditEvent, User
from porchlight.accounts.services import audit_record
from porchlight.outreach.field.attempts import PHONE_ONLY, door_state, is_final, person_name
from porchlight.outreach.models import Attempt, NeedCategory, Outcome, Script, Target, Turf
from porchlight.people.models import Language, Resident
from porchlight.people.selectors import residents_visible_to

BUNDLE_VERSION = 1


# ---- the bundle -----


def door_outcome_choices() -> list[dict]:
    return [
        {"value": o.value, "label": str(o.label), "final": is_final(o.value)}
        for o in Outcome
        if o not in PHONE_ONLY
    ]


def _attempt_row(attempt: Attempt) -> dict:
    return {
        "outcome": attempt.outcome,
        "made_at": attempt.made_at.isoformat(),
        "by": person_name(attempt.made_by),
        "mine": False,
    }


def turf_bundle(*, user: User, turf: Turf, request: HttpRequest | None = None) -> dict:
    """Everything the offline app needs to work a turf with no connection. Audit-logged: it holds residents.

    Residents carry only what a worker needs at the door: name, language and whether not to approach them.
    """
    campaign = turf.target_list.campaign
    targets: Sequence[Target] = list(
        turf.targets.select_related("address", "resident__address").order_by("sequence", "id")
    )
    residents_by_address = _residents_by_address(user, targets)
    attempts_by_target: dict[int | None, list[Attempt]] = {}
    for a in Attempt.objects.filter(target__in=targets).select_related("made_by").order_by("made_at", "id"):
        attempts_by_target.setdefault(a.target_id, []).append(a)
    doors = [_door(t, residents_by_address, attempts_by_target.get(t.pk, [])) for t in targets]
    bundle = {
        "version": BUNDLE_VERSION,
        "generated_at": timezone.now().isoformat(),
        "turf": {
            "id": turf.pk,
            "name": turf.name,
            "number": turf.number,
            "outline": turf.outline,
            "door_count": len(doors),
        },
        "campaign": {"id": campaign.pk, "name": campaign.name, "languages": campaign.languages},
        "doors": doors,
        "scripts": {s.language: s.body for s in Script.objects.filter(campaign=campaign)},
        "topics": [
            {"id": t.pk, "name": t.name, "name_es": t.name_es} for t in campaign.topics.order_by("name")
        ],
        "outcomes": door_outcome_choices(),
        "need_categories": [{"value": c.value, "label": str(c.label)} for c in NeedCategory],
        "languages": [{"value": c.value, "label": str(c.label)} for c in Language],
    }
    resident_count = sum(len(d["residents"]) for d in doors)
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        obj=turf,
        detail=f"offline bundle: {len(doors)} doors, {resident_count} residents",
        request=request,
    )
    return bundle


def _residents_by_address(user: User, targets: Sequence[Target]) -> dict[int | None, list[Resident]]:
    address_ids = {t.address_id for t in targets if t.address_id}
    by_address: dict[int | None, list[Resident]] = {}
    for r in (
        residents_visible_to(user).filter(address_id__in=address_ids).order_by("last_name", "first_name")
    ):
        by_address.setdefault(r.address_id, []).append(r)
    return by_address


def _door(
    target: Target, residents_by_address: dict[int | None, list[Resident]], attempts: list[Attempt]
) -> dict:
    """One door of the bundle: where it is, who lives there, what happened there and the door's state."""
    address = target.address or (target.resident.address if target.resident else None)
    residents = list(residents_by_address.get(target.address_id, []))
    if target.resident and target.resident not in residents:
        residents.append(target.resident)
    door_dnc = bool(address and address.do_not_contact)
    state = door_state(attempts)
    return {
        "target": target.pk,
        "sequence": target.sequence,
        "address": str(address) if address else "",
        "street": address.street if address else "",
        "unit": address.unit if address else "",
        "lat": address.latitude if address else None,
        "lng": address.longitude if address else None,
        "do_not_contact": door_dnc,
        "residents": [
            {
                "id": r.pk,
                "name": r.full_name or str(r),
                "language": r.preferred_language,
                "do_not_contact": r.do_not_contact or door_dnc,
            }
            for r in residents
        ],
        "attempts": [_attempt_row(a) for a in attempts],
        "state": None
        if state.decider is None
        else {
            "outcome": state.decider.outcome,
            "final": state.finished,
            "by": person_name(state.decider.made_by),
            "at": state.decider.made_at.isoformat(),
        },
    }


def clock_offset(*, client_now: dt.datetime | None, server_now: dt.datetime | None = None) -> dt.timedelta:
    """How far the phone's clock is behind the server's (zero when within a minute, or unknown).

    A phone whose clock runs fast would otherwise have every attempt rejected as "in the future", for ever.
    """
    if client_now is None:
        return dt.timedelta(0)
    offset = (server_now or timezone.now()) - client_now
    return offset if abs(offset) > dt.timedelta(minutes=1) else dt.timedelta(0)
