"""Reads for outreach, scoped in one place."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.outreach.models import Campaign, Conversation
from porchlight.people.scrub import scrub


def conversations_visible_to(user: User) -> QuerySet[Conversation]:
    """Conversations whose notes the user may read; partners see only their own organization's."""
    if not user.is_authenticated or not user.can(Capability.VIEW_CONVERSATIONS):
        return Conversation.objects.none()
    qs = Conversation.objects.all()
    if user.is_partner:
        qs = qs.filter(team=user.team)
    return qs


def conversation_get_for_user(*, user: User, pk: int) -> Conversation:
    return get_object_or_404(
        conversations_visible_to(user).select_related("campaign", "held_by", "team", "resident", "area"),
        pk=pk,
    )


def campaign_current() -> Campaign | None:
    """The campaign running today, else the most recent one."""
    today = timezone.localdate()
    running = (
        Campaign.objects.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date").first()
    )
    return running or Campaign.objects.order_by("-end_date").first()


SCRUBBED_FIELDS = ("notes", "what_matters_most", "ideas")


def conversation_text_for(*, user: User, conversation: Conversation) -> Conversation:
    """The conversation as this user may read it: for users who may not see residents (analysts), the notes
    are scrubbed of names, phones, emails and street addresses as in reports. Changes the object in memory
    only (never saved); returns it for chaining."""
    if user.can(Capability.VIEW_RESIDENTS):
        return conversation
    names = [conversation.held_by.get_full_name()] if conversation.held_by_id else []
    if conversation.resident_id and (resident := conversation.resident) is not None:
        names += [f"{resident.first_name} {resident.last_name}", resident.first_name, resident.last_name]
    names = [n.strip() for n in names if n and n.strip()]
    for field in SCRUBBED_FIELDS:
        setattr(conversation, field, scrub(getattr(conversation, field), known_names=names))
    conversation.scrubbed = True
    return conversation
