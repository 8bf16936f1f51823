from __future__ import annotations

from typing import Any

from django.db.models import Q

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.cases.models import Referral
from porchlight.cases.selectors import referrals_overdue
from porchlight.outreach.models import Campaign, Conversation


def home_summary(*, user: User) -> dict[str, Any]:
    """The few numbers a staff member wants first: their own recent work and what waits for them."""
    summary: dict[str, Any] = {"campaigns": Campaign.objects.order_by("-start_date")[:5]}
    if user.can(Capability.LOG_CONVERSATIONS):
        mine = Conversation.objects.filter(held_by=user)
        summary["my_conversations"] = mine.count()
        summary["recent_conversations"] = mine.select_related("campaign", "resident").order_by("-held_at")[:5]
    if user.can(Capability.REFER) or user.can(Capability.MANAGE_REFERRALS):
        open_statuses = [Referral.Status.SENT, Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS]
        summary["my_open_referrals"] = Referral.objects.filter(
            Q(owner=user) | Q(created_by=user), status__in=open_statuses
        ).count()
        # Not accepted in time: the whole city's for those who manage referrals, a partner's own inbox,
        # else the user's own referrals.
        overdue = referrals_overdue(user=user)
        summary["overdue_mine_only"] = not user.can(Capability.MANAGE_REFERRALS)
        if summary["overdue_mine_only"]:
            overdue = overdue.filter(Q(owner=user) | Q(created_by=user))
        summary["overdue_referrals"] = overdue.count()
    return summary
