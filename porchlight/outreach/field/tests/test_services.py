"""A conversation held at a door or on a call and its attempt, saved together (field/services.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from porchlight.accounts.models import User
from porchlight.accounts.roles import Role
from porchlight.outreach.field.services import attempt_record, conversation_at_target_log
from porchlight.outreach.field.tests.test_canvass import (
    make_call,
    make_door,
    make_list,
    make_turf,
    running_campaign,
)
from porchlight.outreach.models import Attempt, Conversation, Outcome, Target
from porchlight.testing.factories import ConversationFactory, ResidentFactory, UserFactory


@pytest.fixture
def worker(db) -> User:
    return UserFactory(username="walker", role=Role.OUTREACH_WORKER)


@pytest.fixture
def door(worker) -> Target:
    return make_door(make_turf(make_list(running_campaign()), user=worker), 1, "en")


def log(target: Target, actor: User, **kwargs: object):
    kwargs.setdefault("client_id", uuid.uuid4())
    kwargs.setdefault("attempt_client_id", uuid.uuid4())
    kwargs.setdefault("held_at", timezone.now() - dt.timedelta(minutes=10))
    return conversation_at_target_log(actor=actor, target=target, notes="Wants a crosswalk.", **kwargs)


def test_it_saves_the_conversation_and_the_attempt_that_closes_the_door(door, worker):
    resident = door.address.residents.get()
    result = log(door, worker, resident=resident, needs=[("housing", "Rent went up")])
    assert result.created and result.attempt.created and result.attempt.conflict is None
    attempt = result.attempt.attempt
    assert (attempt.outcome, attempt.conversation, attempt.target) == (
        Outcome.CONVERSATION,
        result.conversation,
        door,
    )
    assert attempt.made_at == result.conversation.held_at
    assert result.conversation.address == door.address and result.conversation.resident == resident
    assert [n.category for n in result.needs] == ["housing"]


def test_it_saves_nothing_twice_for_a_retry(door, worker):
    ids = {"client_id": uuid.uuid4(), "attempt_client_id": uuid.uuid4()}
    first = log(door, worker, **ids)
    again = log(door, worker, **ids)
    assert not again.created and not again.attempt.created
    assert again.attempt.attempt.pk == first.attempt.attempt.pk
    assert Conversation.objects.count() == Attempt.objects.count() == 1


def test_it_keeps_the_first_attempt_of_a_conversation(door, worker):
    client_id = uuid.uuid4()
    first = log(door, worker, client_id=client_id)
    # The walk list was reloaded (a new attempt id) and the same conversation form sent again.
    again = log(door, worker, client_id=client_id, attempt_client_id=uuid.uuid4())
    assert again.attempt.attempt.pk == first.attempt.attempt.pk
    assert Attempt.objects.count() == 1


def test_it_saves_neither_when_the_attempt_is_refused(door, worker):
    with pytest.raises(ValidationError) as caught:
        log(door, worker, made_at=timezone.now() + dt.timedelta(days=1))
    assert "made_at" in caught.value.message_dict
    assert not Conversation.objects.exists() and not Attempt.objects.exists()


def test_it_registers_no_one_when_the_conversation_is_refused(door, worker):
    door.address.do_not_contact = True
    door.address.save(update_fields=["do_not_contact"])
    before = door.address.residents.count()
    with pytest.raises(ValidationError) as caught:
        log(door, worker, new_resident={"first_name": "Lee", "last_name": "Park", "address": door.address})
    assert "target" in caught.value.message_dict
    assert door.address.residents.count() == before and not Conversation.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"campaign": "other"}, "campaign"),
        ({"channel": "phone"}, "channel"),
        ({"resident": "stranger"}, "resident"),
    ],
)
def test_it_keeps_a_conversation_at_a_target_in_its_campaign_channel_and_door(door, worker, kwargs, field):
    values = {
        "other": running_campaign(),
        "stranger": ResidentFactory(),
    }
    resolved = {k: values.get(v, v) for k, v in kwargs.items()}
    with pytest.raises(ValidationError) as caught:
        log(door, worker, **resolved)
    assert field in caught.value.message_dict
    assert not Conversation.objects.exists()


def test_it_accepts_the_household_of_the_resident_called(worker):
    campaign = running_campaign()
    call = make_call(make_list(campaign, "phone"), 1, caller=worker)
    partner = ResidentFactory(address=call.resident.address)
    result = log(call, worker, resident=partner)
    assert result.conversation.channel == "phone" and result.attempt.attempt.channel == "phone"
    assert result.conversation.address == call.resident.address


def test_it_refuses_another_workers_client_ids(door, worker):
    theirs = ConversationFactory(campaign=door.target_list.campaign)
    with pytest.raises(ValidationError) as caught:
        log(door, worker, client_id=theirs.client_id)
    assert "client_id" in caught.value.message_dict
    tap = attempt_record(
        actor=UserFactory(),
        client_id=uuid.uuid4(),
        target=door,
        outcome=Outcome.NOT_HOME,
        made_at=timezone.now(),
    )
    with pytest.raises(ValidationError):
        attempt_record(
            actor=worker,
            client_id=tap.attempt.client_id,
            target=door,
            outcome="not_home",
            made_at=timezone.now(),
        )
    assert Attempt.objects.count() == 1 and not door.attempts.filter(made_by=worker).exists()


def test_it_links_an_attempt_only_to_the_workers_own_conversation_held(door, worker):
    campaign = door.target_list.campaign
    mine = ConversationFactory(campaign=campaign, held_by=worker)
    theirs = ConversationFactory(campaign=campaign)
    for conversation, outcome in [(theirs, Outcome.CONVERSATION), (mine, Outcome.NOT_HOME)]:
        with pytest.raises(ValidationError):
            attempt_record(
                actor=worker,
                client_id=uuid.uuid4(),
                target=door,
                outcome=outcome,
                made_at=timezone.now(),
                conversation=conversation,
            )
    assert not Attempt.objects.exists()
