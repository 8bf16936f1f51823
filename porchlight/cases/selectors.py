"""Reads for cases, scoped in one place: which referrals a user sees, and which moves each user may make."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.accounts.scope import team_scope_q
from porchlight.cases.lifecycle import PARTNER_MOVES, REFERRER_MOVES, next_statuses
from porchlight.cases.models import Referral, ReferralStatusChange
from porchlight.directory.models import Program, Screening
from porchlight.outreach.models import Need
from porchlight.people.models import Resident
from porchlight.people.selectors import residents_visible_to

S = Referral.Status


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Need-to-know: the referrals a user may open (anything else is a 404).

    Partners see those sent to their organization's programs. City staff who refer or manage referrals see
    the ones they or their team made or own; administrators see all, and so does everyone when the city sets
    REFERRAL_VISIBILITY=all (docs/referrals.md, "Who sees what").
    """
    if not user.is_authenticated or not (user.can(Capability.REFER) or user.can(Capability.MANAGE_REFERRALS)):
        return Referral.objects.none()
    qs = Referral.objects.all()
    if user.is_partner:
        return qs.filter(program__organization__team=user.team)
    if user.is_administrator or settings.REFERRAL_VISIBILITY == "all":
        return qs
    return qs.filter(team_scope_q(user=user, fields=("owner", "created_by")))


def referral_get_for_user(*, user: User, pk: int) -> Referral:
    """Fetch and authorize one referral: outside the user's scope is a 404."""
    return get_object_or_404(
        referrals_visible_to(user)
        .select_related(
            "resident",
            "program__organization",
            "owner",
            "created_by__team",
            "need__conversation",
            "screening",
        )
        .prefetch_related("resident__phones", "resident__emails"),
        pk=pk,
    )


def referral_is_receiver(*, user: User, referral: Referral) -> bool:
    """True for users of the organization that runs the referral's program."""
    return (
        user.is_partner
        and user.team_id is not None
        and referral.program.organization.team_id == user.team_id
    )


def referral_next_statuses(*, user: User, referral: Referral) -> list[str]:
    """The statuses this user may move this referral to now, in lifecycle order (empty: read only).

    City staff who manage referrals may make any allowed move; the receiving partner organization answers
    and reports the outcome; the referral's owner or creator may close it unresolved or send it again.
    """
    allowed = next_statuses(status=referral.status)
    if referral_is_receiver(user=user, referral=referral):
        moves = {new for new in allowed if (referral.status, new) in PARTNER_MOVES}
    elif user.is_partner:
        moves = set()  # another organization's referral (normally already a 404)
    elif user.can(Capability.MANAGE_REFERRALS):
        moves = set(allowed)
    elif user.pk in (referral.owner_id, referral.created_by_id):
        moves = {new for new in allowed if (referral.status, new) in REFERRER_MOVES}
    else:
        moves = set()
    return [s for s in S.values if s in moves]


def referral_may_update(*, user: User, referral: Referral) -> bool:
    return bool(referral_next_statuses(user=user, referral=referral))


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overdue_q(*, today: dt.date | None = None, prefix: str = "") -> Q:
    """Referrals still "sent" more calendar days after they were (last) sent than their program allows.

    Sent on day D with 3 days to accept: fine through D+3, overdue from D+4. Programs set their own limit,
    so the condition is one branch per distinct limit (a handful) — portable to SQLite and PostgreSQL, with
    no date arithmetic in SQL.
    """
    today = today or timezone.localdate()
    days = Program.objects.order_by().values_list("accept_within_days", flat=True).distinct()
    q = Q(pk__in=[])
    for d in days:
        q |= Q(
            **{
                f"{prefix}program__accept_within_days": d,
                f"{prefix}sent_at__lt": _start_of_day(today - dt.timedelta(days=d)),
            }
        )
    return Q(**{f"{prefix}status": S.SENT}) & q


def referral_is_overdue(*, referral: Referral, today: dt.date | None = None) -> bool:
    if referral.status != S.SENT:
        return False
    today = today or timezone.localdate()
    waited = (today - timezone.localtime(referral.sent_at).date()).days
    return waited > referral.program.accept_within_days


def referrals_overdue(*, user: User, today: dt.date | None = None) -> QuerySet[Referral]:
    """Overdue referrals the user can see (partners: their inbox)."""
    return referrals_visible_to(user).filter(overdue_q(today=today))


def referrals_for_list(
    *,
    user: User,
    status: str = "",
    mine: bool = False,
    program: int | None = None,
    overdue: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Referral]:
    late = overdue_q(today=today)
    qs = (
        referrals_visible_to(user)
        .select_related("resident", "program__organization", "owner")
        .annotate(
            overdue=Case(When(late, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    )
    if status in S.values:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(Q(owner=user) | Q(created_by=user))
    if program:
        qs = qs.filter(program_id=program)
    if overdue:
        qs = qs.filter(late)
    return qs


def programs_for_filter(*, user: User) -> QuerySet[Program]:
    """The programs the list can be filtered by: a partner's own, or every program for city staff."""
    qs = Program.objects.select_related("organization").order_by("name")
    if user.is_partner:
        qs = qs.filter(organization__team=user.team)
    return qs


def referral_updates_for(*, user: User) -> QuerySet[ReferralStatusChange]:
    """Status changes other people made to referrals this user made or owns, newest first."""
    return (
        ReferralStatusChange.objects.filter(
            Q(referral__owner=user) | Q(referral__created_by=user), referral__in=referrals_visible_to(user)
        )
        .exclude(changed_by=user)
        .select_related("referral__resident", "referral__program__organization", "changed_by__team")
        .order_by("-changed_at", "-id")
    )


def need_get_for_referral(*, user: User, pk: int) -> Need:
    """A need the user may refer: its resident must be visible to them."""
    return get_object_or_404(
        Need.objects.select_related("resident", "conversation").filter(
            resident__in=residents_visible_to(user)
        ),
        pk=pk,
    )


def resident_get_for_referral(*, user: User, pk: int) -> Resident:
    return get_object_or_404(residents_visible_to(user), pk=pk)


def screening_get_for_referral(*, resident: Resident, pk: int) -> Screening:
    """A screening of this resident (another resident's screening is a 404)."""
    return get_object_or_404(Screening.objects.filter(resident=resident), pk=pk)


def programs_for_need(*, need: Need) -> QuerySet[Program]:
    """Active programs, the ones matching the need's category first."""
    return programs_for_category(category=need.category)


def programs_for_category(*, category: str = "") -> QuerySet[Program]:
    return (
        Program.objects.filter(is_active=True)
        .select_related("organization")
        .annotate(
            match=Case(When(category=category, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("match", "name")
    )
