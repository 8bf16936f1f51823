"""Reads for cases, scoped in one place."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.cases.models import Need, Referral
from porchlight.people.selectors import residents_visible_to
from porchlight.services.models import Program


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """City staff who refer or manage referrals see all; partners only those sent to their organization."""
    if not user.is_authenticated or not (user.can(Capability.REFER) or user.can(Capability.MANAGE_REFERRALS)):
        return Referral.objects.none()
    qs = Referral.objects.all()
    if user.is_partner:
        qs = qs.filter(program__organization__team=user.team)
    return qs


def referral_get_for_user(*, user: User, pk: int) -> Referral:
    return get_object_or_404(
        referrals_visible_to(user).select_related("resident", "program__organization", "owner", "need"), pk=pk
    )


def referral_may_update(*, user: User, referral: Referral) -> bool:
    """Status changes: the owner, anyone who manages referrals, or the receiving partner organization."""
    if user.can(Capability.MANAGE_REFERRALS):
        return True
    return referral.owner_id == user.pk


def need_get_for_referral(*, user: User, pk: int) -> Need:
    """A need the user may refer: its resident must be visible to them."""
    return get_object_or_404(
        Need.objects.select_related("resident", "conversation").filter(
            resident__in=residents_visible_to(user)
        ),
        pk=pk,
    )


def programs_for_need(*, need: Need) -> QuerySet[Program]:
    """Active programs, the ones matching the need's category first."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        Program.objects.filter(is_active=True)
        .select_related("organization")
        .annotate(
            match=Case(
                When(category=need.category, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("match", "name")
    )


def referrals_for_list(*, user: User, status: str = "", mine: bool = False) -> QuerySet[Referral]:
    qs = referrals_visible_to(user).select_related("resident", "program__organization", "owner")
    if status in Referral.Status.values:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(Q(owner=user) | Q(created_by=user))
    return qs
