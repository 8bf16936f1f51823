from __future__ import annotations

from django.db.models import Q

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.cases.models import Referral
from porchlight.outreach.models import Campaign, Conversation


def home_summary(*, user: User) -> dict:
    """The few numbers a staff member wants first: their own recent work and what waits for them."""
    summary: dict = {"campaigns": Campaign.objects.order_by("-start_date")[:5]}
    if user.can(Capability.LOG_CONVERSATIONS):
        mine = Conversation.objects.filter(held_by=user)
        summary["my_conversations"] = mine.count()
        summary["recent_conversations"] = mine.select_related("campaign", "resident").order_by("-held_at")[:5]
    if user.can(Capability.REFER) or user.can(Capability.MANAGE_REFERRALS):
        open_statuses = [Referral.Status.SENT, Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS]
        summary["my_open_referrals"] = Referral.objects.filter(
            Q(owner=user) | Q(created_by=user), status__in=open_statuses
        ).count()
    return summary
