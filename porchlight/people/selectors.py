"""Reads for people, scoped in one place: what a user may see of residents."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.accounts.scope import team_scope_q
from porchlight.people.contact import phone_normalize
from porchlight.people.models import Resident


def residents_visible_to(user: User) -> QuerySet[Resident]:
    """Residents whose record the user may open.

    Partners see only residents their own organization talked to. A resident who was only *referred* to them
    stays behind the referral: the referral page shows what the resident agreed to share (name, language,
    contact, the note), never the rest of the record.
    """
    if not user.is_authenticated or not user.can(Capability.VIEW_RESIDENTS):
        return Resident.objects.none()
    qs = Resident.objects.filter(merged_into__isnull=True)  # a merged-away record is hidden until undone
    if user.is_partner:
        qs = qs.filter(conversations__team=user.team).distinct()
    return qs


def resident_get_for_user(*, user: User, pk: int) -> Resident:
    """Fetch and authorize: a resident outside the user's scope is a 404, not a leak."""
    return get_object_or_404(
        residents_visible_to(user).select_related("address", "household"), pk=pk
    )


def residents_search(*, user: User, query: str) -> QuerySet[Resident]:
    """Search by name, phone or street address; every word of the query must match something."""
    qs = residents_visible_to(user).select_related("address")
    query = (query or "").strip()
    if not query:
        return qs.none()
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) >= 7 and len(digits) >= len(query.replace(" ", "")) - 4:
        try:
            e164 = phone_normalize(query)
        except Exception:  # noqa: BLE001 - not a full number: fall back to a suffix match
            return qs.filter(phones__number__endswith=digits).distinct()
        return qs.filter(phones__number=e164).distinct()
    for word in query.split():
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(address__street__icontains=word)
            | Q(address__zip_code=word)
            | Q(emails__address__icontains=word)
        )
    return qs.distinct()


def resident_timeline(*, resident: Resident, user: User) -> list[dict[str, Any]]:
    """Everything that happened with a resident, newest first: conversations, needs and referrals.

    Read through reverse relations so that people (a lower layer) imports nothing from outreach or cases.
    Partners see only their own organization's conversations and referrals.
    """
    conversations = resident.conversations.select_related("campaign", "held_by", "team").prefetch_related(
        "topics", "needs"
    )
    referrals = resident.referrals.select_related("program__organization", "owner", "need").prefetch_related(
        "history"
    )
    if user.is_partner:
        conversations = conversations.filter(team=user.team)
        referrals = referrals.filter(program__organization__team=user.team)
    elif not user.is_administrator and settings.REFERRAL_VISIBILITY != "all":
        # Need-to-know, as cases.selectors.referrals_visible_to: other teams' referrals stay out of sight.
        referrals = referrals.filter(team_scope_q(user=user, fields=("owner", "created_by")))
    events = [{"kind": "conversation", "at": c.held_at, "obj": c} for c in conversations]
    events += [{"kind": "referral", "at": r.created_at, "obj": r} for r in referrals]
    return sorted(events, key=lambda e: e["at"], reverse=True)
