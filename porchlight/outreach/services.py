"""Writes for outreach: logging conversations (idempotently) and managing campaigns."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.outreach.events import conversation_logged_send
from porchlight.outreach.models import Campaign, Conversation, Need, NeedCategory, Topic
from porchlight.people.models import Resident
from porchlight.places.models import Address, Area


def need_record(*, conversation: Conversation, category: str, description: str = "") -> Need:
    """Record a need the conversation found, once per category (a retry or a second mention adds nothing)."""
    need, _created = Need.objects.get_or_create(
        conversation=conversation,
        category=category,
        defaults={"resident": conversation.resident, "description": description.strip()[:500]},
    )
    return need


@dataclass
class ConversationResult:
    conversation: Conversation
    created: bool
    needs: list[Need] = field(default_factory=list)


def conversation_log(
    *,
    actor: User,
    client_id: uuid.UUID,
    campaign: Campaign,
    channel: str,
    held_at: datetime | None = None,
    resident: Resident | None = None,
    address: Address | None = None,
    area: Area | None = None,
    language: str = "en",
    duration_minutes: int | None = None,
    topics: Iterable[Topic] = (),
    notes: str = "",
    what_matters_most: str = "",
    ideas: str = "",
    wants_follow_up: bool = False,
    needs: Iterable[tuple[str, str]] = (),
) -> ConversationResult:
    """Record a conversation and the needs it found, once: a retry with the same client_id returns the first.

    `needs` is a list of (category, details). The neighborhood is taken from the resident's or the given
    address when not given.
    """
    existing = _logged_before(client_id)
    if existing is not None:
        return existing
    topic_list, need_details = list(topics), dict(needs)
    held_at = held_at or timezone.now()
    _check_conversation(campaign=campaign, topics=topic_list, held_at=held_at, needs=need_details)
    if address is None and resident is not None:
        address = resident.address
    if area is None and address is not None:
        area = address.areas.filter(kind=Area.Kind.NEIGHBORHOOD).first()
    conversation = Conversation(
        client_id=client_id,
        campaign=campaign,
        channel=channel,
        held_by=actor,
        team=actor.team,
        held_at=held_at,
        resident=resident,
        address=address,
        area=area,
        language=language,
        duration_minutes=duration_minutes,
        notes=notes.strip(),
        what_matters_most=what_matters_most.strip(),
        ideas=ideas.strip(),
        wants_follow_up=wants_follow_up,
    )
    try:
        created_needs = _save_conversation(conversation, topics=topic_list, needs=need_details)
    except IntegrityError:
        # Two copies of the same submission raced: the other one won, and this is that record.
        existing = _logged_before(client_id)
        if existing is None:
            raise
        return existing
    # Tell the apps above (insights codes the notes) once the conversation is safely saved.
    transaction.on_commit(partial(conversation_logged_send, conversation_id=conversation.pk))
    return ConversationResult(conversation=conversation, created=True, needs=created_needs)


def _logged_before(client_id: uuid.UUID) -> ConversationResult | None:
    """The first record of this submission, if a retry (or a twin racing it) got here first."""
    existing = Conversation.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    return ConversationResult(conversation=existing, created=False, needs=list(existing.needs.all()))


def _check_conversation(
    *, campaign: Campaign, topics: list[Topic], held_at: datetime, needs: dict[str, str]
) -> None:
    """Refuse what the form or the API could not: another campaign's topics, a future time, unknown needs."""
    allowed = set(campaign.topics.values_list("pk", flat=True))
    foreign = [t for t in topics if t.pk not in allowed]
    if foreign:
        raise ValidationError(
            {
                "topics": _("Not a topic of %(campaign)s: %(topics)s")
                % {"campaign": campaign, "topics": ", ".join(map(str, foreign))}
            }
        )
    if timezone.is_naive(held_at):
        raise ValueError("held_at must be timezone-aware")
    if held_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"held_at": _("A conversation cannot be in the future.")})
    bad = [c for c in needs if c not in NeedCategory.values]
    if bad:
        raise ValidationError({"needs": _("Unknown need: %(needs)s") % {"needs": ", ".join(bad)}})


def _save_conversation(
    conversation: Conversation, *, topics: list[Topic], needs: dict[str, str]
) -> list[Need]:
    """Write the conversation, its topics and its needs: all of them or none."""
    with transaction.atomic():
        conversation.full_clean(exclude=["client_id"])
        conversation.save()
        conversation.topics.set(topics)
        return [need_record(conversation=conversation, category=c, description=d) for c, d in needs.items()]


@transaction.atomic
def campaign_create(
    *,
    name: str,
    start_date: date,
    end_date: date,
    topics: Iterable[Topic] = (),
    languages: Iterable[str] = ("en",),
    conversation_target: int = 0,
    description: str = "",
) -> Campaign:
    campaign = Campaign(
        name=name.strip(),
        start_date=start_date,
        end_date=end_date,
        languages=list(languages),
        conversation_target=conversation_target,
        description=description,
    )
    campaign.full_clean()
    campaign.save()
    campaign.topics.set(list(topics))
    return campaign


def topic_get_or_create(*, name: str, name_es: str = "", description: str = "") -> Topic:
    topic, _ = Topic.objects.get_or_create(
        name=name.strip(), defaults={"name_es": name_es, "description": description}
    )
    return topic


@transaction.atomic
def conversation_capture(
    *,
    actor: User,
    client_id: uuid.UUID,
    new_resident: dict[str, Any] | None = None,
    **conversation: object,
) -> ConversationResult:
    """The conversation form's write: optionally register the resident met on the spot, then log.

    A retried submission (same client_id) returns the first record and registers no second resident.
    """
    existing = _logged_before(client_id)
    if existing is not None:
        return existing
    if new_resident:
        from porchlight.people.matching.tasks import match_resident_enqueue
        from porchlight.people.services import resident_create

        resident = conversation["resident"] = resident_create(actor=actor, **new_resident)
        # Someone met on the spot may already be on file (Bob / Robert): the worker checks and queues the pair
        # for review, off this request (a DuckDB run).
        transaction.on_commit(
            partial(match_resident_enqueue, resident_id=resident.pk, found_by="conversation")
        )
    return conversation_log(actor=actor, client_id=client_id, **conversation)  # type: ignore[arg-type]


@transaction.atomic
def campaign_save(
    *, campaign: Campaign, topics: Iterable[Topic], new_topic_names: Iterable[str] = ()
) -> Campaign:
    """Save a campaign edited in a form, creating any new topics it names."""
    campaign.full_clean()
    campaign.save()
    all_topics = list(topics) + [topic_get_or_create(name=n) for n in new_topic_names]
    campaign.topics.set(all_topics)
    return campaign
