"""The offline canvassing app's server side: which turfs a worker may take offline, the bundle of everything
the app needs at the doors, and the rule that settles a door's state when two workers report on it offline.

The conflict rule (docs/offline.md): every attempt is kept — they are facts. The door's state is the latest
attempt by made_at, except that a door finished by one worker (a final outcome: conversation, refused, moved,
wrong number) is not reopened by a later non-final attempt ("not home", ...) of *another* worker. The same
worker's later attempt does count: that is how a worker corrects a mistaken tap. A later final outcome by
anyone replaces an earlier one (the door stays finished; the newest fact describes it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import AuditEvent, User
from porchlight.accounts.services import audit_record
from porchlight.outreach.attempts import PHONE_ONLY, door_state, is_final
from porchlight.outreach.models import Attempt, NeedCategory, Outcome, Script, Target, Turf
from porchlight.people.models import Language
from porchlight.people.selectors import residents_visible_to

BUNDLE_VERSION = 1


# ---- which turfs -----


def turfs_for_worker(user: User) -> QuerySet[Turf]:
    """Turfs assigned to the user, or to the user's team: the only ones they may take offline."""
    if not user.is_authenticated:
        return Turf.objects.none()
    scope = Q(assigned_to=user)
    if user.team_id:
        scope |= Q(assigned_team_id=user.team_id)
    return (
        Turf.objects.filter(scope, target_list__kind="door")
        .select_related("target_list__campaign")
        .order_by("target_list__campaign__name", "number")
    )


def turf_get_for_worker(*, user: User, pk: int) -> Turf:
    """Fetch and authorize: a turf that is not the worker's (or their team's) is a 404."""
    return get_object_or_404(turfs_for_worker(user), pk=pk)


def target_reportable_by(*, user: User, target_id: int) -> Target | None:
    """The door target a worker may report an attempt or conversation on, or None.

    A worker may report on a door of a turf assigned to them or their team — or of a turf they downloaded,
    even if it was reassigned while they were offline (the knock happened; losing it helps nobody).
    """
    target = (
        Target.objects.select_related("target_list__campaign", "turf", "address", "resident")
        .filter(pk=target_id, turf__isnull=False)
        .first()
    )
    if target is None:
        return None
    if turfs_for_worker(user).filter(pk=target.turf_id).exists():
        return target
    downloaded = AuditEvent.objects.filter(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type="outreach.turf",
        object_id=str(target.turf_id),
    ).exists()
    return target if downloaded else None


def _person(user: User) -> str:
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
            "who": _person(decider.made_by),
            "when": f"{at:%Y-%m-%d %H:%M}",
            "outcome": decider.get_outcome_display(),
        },
        "by": _person(decider.made_by),
        "at": decider.made_at.isoformat(),
        "outcome": decider.outcome,
        "counted": attempt not in state.overridden,
    }


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
        "by": _person(attempt.made_by),
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
    address_ids = {t.address_id for t in targets if t.address_id}
    residents_by_address: dict[int, list] = {}
    for r in (
        residents_visible_to(user).filter(address_id__in=address_ids).order_by("last_name", "first_name")
    ):
        residents_by_address.setdefault(r.address_id, []).append(r)
    attempts_by_target: dict[int, list[Attempt]] = {}
    for a in Attempt.objects.filter(target__in=targets).select_related("made_by").order_by("made_at", "id"):
        attempts_by_target.setdefault(a.target_id, []).append(a)

    doors = []
    resident_count = 0
    for t in targets:
        address = t.address or (t.resident.address if t.resident else None)
        residents = list(residents_by_address.get(t.address_id, []))
        if t.resident and t.resident not in residents:
            residents.append(t.resident)
        resident_count += len(residents)
        attempts = attempts_by_target.get(t.pk, [])
        state = door_state(attempts)
        doors.append(
            {
                "target": t.pk,
                "sequence": t.sequence,
                "address": str(address) if address else "",
                "street": address.street if address else "",
                "unit": address.unit if address else "",
                "lat": address.latitude if address else None,
                "lng": address.longitude if address else None,
                "do_not_contact": bool(address and address.do_not_contact),
                "residents": [
                    {
                        "id": r.pk,
                        "name": r.full_name or str(r),
                        "language": r.preferred_language,
                        "do_not_contact": r.do_not_contact or bool(address and address.do_not_contact),
                    }
                    for r in residents
                ],
                "attempts": [_attempt_row(a) for a in attempts],
                "state": None
                if state.decider is None
                else {
                    "outcome": state.decider.outcome,
                    "final": state.finished,
                    "by": _person(state.decider.made_by),
                    "at": state.decider.made_at.isoformat(),
                },
            }
        )
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
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        obj=turf,
        detail=f"offline bundle: {len(doors)} doors, {resident_count} residents",
        request=request,
    )
    return bundle


def clock_offset(*, client_now: dt.datetime | None, server_now: dt.datetime | None = None) -> dt.timedelta:
    """How far the phone's clock is behind the server's (zero when within a minute, or unknown).

    A phone whose clock runs fast would otherwise have every attempt rejected as "in the future", for ever.
    """
    if client_now is None:
        return dt.timedelta(0)
    offset = (server_now or timezone.now()) - client_now
    return offset if abs(offset) > dt.timedelta(minutes=1) else dt.timedelta(0)
