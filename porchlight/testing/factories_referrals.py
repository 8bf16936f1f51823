"""Helpers for the referral tests: referrals in a given state at a given time, and a partner's program."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from porchlight.accounts.models import Team, User
from porchlight.cases.models import Referral
from porchlight.directory.models import Program
from porchlight.testing.factories import ConversationFactory, NeedFactory, ProgramFactory, ReferralFactory


def partner_program(team: Team, **kwargs: object) -> Program:
    """A program run by the partner organization whose users sign in through `team`."""
    kwargs.setdefault("name", "Tenant Defense")
    kwargs.setdefault("category", "legal")
    return ProgramFactory(organization=team.organization, **kwargs)


def referral_in_state(
    *,
    program: Program,
    referrer: User,
    status: str = Referral.Status.SENT,
    created_at: dt.datetime | None = None,
    accepted_days: float | None = None,
    closed_days: float | None = None,
    outcome: str = "",
    close_reason: str = "",
    decline_reason: str = "",
    **conversation: object,
) -> Referral:
    """A referral made by `referrer` (in a conversation of theirs, with `conversation` overrides), written
    straight to the database in the given state: `accepted_days`/`closed_days` after `created_at`."""
    need = NeedFactory(conversation=ConversationFactory(held_by=referrer, **conversation))
    referral = ReferralFactory(need=need, program=program, owner=referrer, created_by=referrer)
    created_at = created_at or timezone.now()
    fields = {
        "status": status,
        "created_at": created_at,
        "sent_at": created_at,
        "outcome": outcome,
        "close_reason": close_reason,
        "decline_reason": decline_reason,
        "accepted_at": created_at + dt.timedelta(days=accepted_days) if accepted_days is not None else None,
        "closed_at": created_at + dt.timedelta(days=closed_days) if closed_days is not None else None,
    }
    # auto_now_add ignores a given created_at: set the state with an update, as a migration would.
    Referral.objects.filter(pk=referral.pk).update(**fields)
    referral.refresh_from_db()
    return referral
