"""Domain events: outreach announces a logged conversation after commit, once, whoever listens."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import transaction

from porchlight.outreach.events import conversation_logged
from porchlight.outreach.models import Channel, Conversation
from porchlight.outreach.services import conversation_log
from porchlight.testing.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> list[int]:
    """The conversation ids a test subscriber was told about."""
    ids: list[int] = []

    def listen(sender: type, *, conversation_id: int, **kwargs: object) -> None:
        assert sender is Conversation
        ids.append(conversation_id)

    conversation_logged.connect(listen, dispatch_uid="test.heard")
    yield ids
    conversation_logged.disconnect(dispatch_uid="test.heard")


def _log(client_id: uuid.UUID | None = None):
    campaign = CampaignFactory(start_date=dt.date(2017, 1, 1), end_date=dt.date(2030, 12, 31))
    return conversation_log(
        actor=UserFactory(), client_id=client_id or uuid.uuid4(), campaign=campaign, channel=Channel.DOOR
    )


def test_it_announces_a_logged_conversation_only_after_commit(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = _log()
        assert heard == []  # still inside the transaction: nothing said yet
    assert heard == [result.conversation.pk]


def test_it_says_nothing_when_the_transaction_rolls_back(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _log()
        raise RuntimeError("the caller fails after logging")
    assert heard == []
    assert not Conversation.objects.exists()


def test_it_does_not_announce_a_retry_again(heard, django_capture_on_commit_callbacks):
    client_id = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = _log(client_id)
    with django_capture_on_commit_callbacks(execute=True):
        again = conversation_log(
            actor=first.conversation.held_by,
            client_id=client_id,
            campaign=first.conversation.campaign,
            channel=Channel.DOOR,
        )
    assert not again.created
    assert heard == [first.conversation.pk]


def test_a_failing_subscriber_does_not_fail_the_logging(heard, django_capture_on_commit_callbacks):
    def broken(sender: type, **kwargs: object) -> None:
        raise ValueError("subscriber bug")

    conversation_logged.connect(broken, dispatch_uid="test.broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = _log()
    finally:
        conversation_logged.disconnect(dispatch_uid="test.broken")
    assert result.created
    assert heard == [result.conversation.pk]  # the other subscribers were still told


def test_insights_subscribes_to_code_the_notes() -> None:
    from porchlight.insights.coding.tasks import code_logged_conversation

    assert code_logged_conversation in [receiver[1]() for receiver in conversation_logged.receivers]
