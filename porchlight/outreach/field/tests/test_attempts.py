"""Recording attempts once, refusing what may not be recorded, and the revisit rules (attempts.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from porchlight.outreach.field.attempts import target_blocked_reason, target_next_visit
from porchlight.outreach.field.services import attempt_record
from porchlight.outreach.field.tests.test_canvass import (
    make_call,
    make_door,
    make_list,
    make_turf,
    running_campaign,
)
from porchlight.outreach.models import Attempt, Outcome
from porchlight.testing.factories import ConversationFactory, UserFactory

# A frozen clock: every rule is evaluated at this instant, given explicitly.
T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def door(db):
    worker = UserFactory()
    return make_door(make_turf(make_list(running_campaign()), user=worker), 1, "en")


def record(target, outcome: str, made_at: dt.datetime, **kwargs):
    kwargs.setdefault("client_id", uuid.uuid4())
    kwargs.setdefault("actor", target.turf.assigned_to if target.turf else target.assigned_to)
    return attempt_record(
        campaign=target.target_list.campaign,
        channel=kwargs.pop("channel", target.target_list.kind),
        outcome=outcome,
        made_at=made_at,
        target=target,
        **kwargs,
    )


def test_it_records_an_attempt_once_for_a_retried_client_id(door):
    client_id = uuid.uuid4()
    first = record(door, Outcome.NOT_HOME, T0, client_id=client_id)
    again = record(door, Outcome.NOT_HOME, T0, client_id=client_id)
    assert first.created and not again.created
    assert again.attempt.pk == first.attempt.pk
    assert Attempt.objects.count() == 1
    assert first.attempt.address == door.address


@pytest.mark.parametrize(
    ("outcome", "kwargs", "field"),
    [
        ("shrugged", {}, "outcome"),
        (Outcome.CALL_BACK, {}, "callback_at"),
        (Outcome.CALL_BACK, {"callback_at": T0 - dt.timedelta(hours=1)}, "callback_at"),
        (Outcome.NO_ANSWER, {}, "outcome"),  # a phone outcome at a door
        (Outcome.NOT_HOME, {"channel": "phone"}, "outcome"),
        (Outcome.REFUSED, {"channel": "phone"}, "channel"),  # a door target is not on a phone list
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(door, outcome, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        record(door, outcome, T0, **kwargs)
    assert field in caught.value.message_dict
    assert not Attempt.objects.exists()


def test_it_refuses_an_attempt_in_the_future(door):
    from django.utils import timezone

    with pytest.raises(ValidationError) as caught:
        record(door, Outcome.NOT_HOME, timezone.now() + dt.timedelta(hours=1))
    assert "made_at" in caught.value.message_dict
    assert not Attempt.objects.exists()


def test_it_refuses_a_conversation_of_another_campaign(door):
    with pytest.raises(ValidationError):
        record(door, Outcome.CONVERSATION, T0, conversation=ConversationFactory())
    assert not Attempt.objects.exists()


def test_it_refuses_do_not_contact_doors_and_residents(db):
    worker = UserFactory()
    campaign = running_campaign()
    turf = make_turf(make_list(campaign), user=worker)
    posted = make_door(turf, 1, "en", do_not_contact=True)
    calls = make_list(campaign, "phone")
    asked = make_call(calls, 1, caller=worker, do_not_contact=True)
    no_consent = make_call(calls, 2, caller=worker, consent_to_contact=False)
    for target, outcome in [
        (posted, Outcome.NOT_HOME),
        (asked, Outcome.NO_ANSWER),
        (no_consent, Outcome.NO_ANSWER),
    ]:
        assert target_blocked_reason(target=target)
        with pytest.raises(ValidationError) as caught:
            record(target, outcome, T0, actor=worker)
        assert "target" in caught.value.message_dict
    assert not Attempt.objects.exists()


def test_it_lets_a_door_be_knocked_when_only_some_residents_asked_not_to_be(db):
    worker = UserFactory()
    door = make_door(make_turf(make_list(running_campaign()), user=worker), 1, "en", "es")
    first = door.address.residents.first()
    first.do_not_contact = True
    first.save(update_fields=["do_not_contact"])
    assert target_blocked_reason(target=door) == ""
    assert record(door, Outcome.NOT_HOME, T0).created


def test_it_makes_a_new_target_due_now(door):
    assert target_next_visit(target=door, now=T0) == T0


def test_it_revisits_after_the_revisit_hours_until_the_maximum(door, settings):
    settings.OUTREACH_MAX_ATTEMPTS = 3
    settings.OUTREACH_REVISIT_HOURS = 48
    record(door, Outcome.NOT_HOME, T0)
    assert target_next_visit(target=door, now=T0) == T0 + dt.timedelta(hours=48)
    record(door, Outcome.INACCESSIBLE, T0 + dt.timedelta(hours=50))
    assert target_next_visit(target=door, now=T0) == T0 + dt.timedelta(hours=98)
    record(door, Outcome.NOT_HOME, T0 + dt.timedelta(hours=100))
    assert target_next_visit(target=door, now=T0 + dt.timedelta(days=30)) is None


@pytest.mark.parametrize("outcome", [Outcome.REFUSED, Outcome.MOVED, Outcome.CONVERSATION])
def test_it_finishes_a_target_on_a_final_outcome(door, outcome):
    record(door, outcome, T0)
    assert target_next_visit(target=door, now=T0) is None


def test_it_makes_a_callback_due_at_its_time_even_past_the_maximum(door, settings):
    settings.OUTREACH_MAX_ATTEMPTS = 2
    record(door, Outcome.NOT_HOME, T0)
    record(door, Outcome.CALL_BACK, T0 + dt.timedelta(hours=1), callback_at=T0 + dt.timedelta(days=2))
    assert target_next_visit(target=door, now=T0) == T0 + dt.timedelta(days=2)


def test_it_judges_by_the_latest_attempt_whatever_order_they_arrive_in(door):
    # An offline phone syncs an older "not home" after a newer "refused": the door stays finished.
    record(door, Outcome.REFUSED, T0 + dt.timedelta(hours=5))
    record(door, Outcome.NOT_HOME, T0)
    assert target_next_visit(target=door, now=T0 + dt.timedelta(days=1)) is None


def test_it_keeps_a_door_finished_when_another_worker_later_reports_not_home(door):
    # Two workers at the same door while offline: the one who held the conversation finished it.
    record(door, Outcome.CONVERSATION, T0)
    record(door, Outcome.NOT_HOME, T0 + dt.timedelta(hours=1), actor=UserFactory())
    assert target_next_visit(target=door, now=T0 + dt.timedelta(days=3)) is None


def test_it_lets_the_same_worker_correct_a_mistaken_final_tap(door):
    record(door, Outcome.REFUSED, T0)
    record(door, Outcome.NOT_HOME, T0 + dt.timedelta(minutes=2))
    assert target_next_visit(target=door, now=T0) == T0 + dt.timedelta(minutes=2, hours=48)
