import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from porchlight.outreach.models import Channel, Conversation, Need
from porchlight.outreach.services import conversation_capture, conversation_log
from porchlight.people.models import Resident
from porchlight.places.geo import area_index_reset
from porchlight.testing.factories import (
    AddressFactory,
    AreaFactory,
    CampaignFactory,
    ResidentFactory,
    UserFactory,
)


@pytest.fixture
def worker(db):
    return UserFactory()


@pytest.fixture
def campaign(db):
    return CampaignFactory(start_date=dt.date(2017, 1, 1), end_date=dt.date(2030, 12, 31))


def _log(worker, campaign, client_id=None, **kwargs):
    return conversation_log(
        actor=worker,
        client_id=client_id or uuid.uuid4(),
        campaign=campaign,
        channel=kwargs.pop("channel", Channel.DOOR),
        **kwargs,
    )


def test_it_records_a_conversation_with_topics_and_needs(worker, campaign):
    resident = ResidentFactory()
    topics = list(campaign.topics.all()[:2])
    result = _log(
        worker,
        campaign,
        resident=resident,
        topics=topics,
        notes="  Wants more street lights. ",
        needs=[("housing", "Rent went up 30%"), ("food", "")],
    )
    c = result.conversation
    assert result.created
    assert c.notes == "Wants more street lights."
    assert set(c.topics.all()) == set(topics)
    assert sorted(n.category for n in c.needs.all()) == ["food", "housing"]
    assert c.needs.get(category="housing").resident == resident
    assert c.team == worker.team


def test_it_never_creates_a_second_record_for_a_retried_submission(worker, campaign):
    client_id = uuid.uuid4()
    first = _log(worker, campaign, client_id=client_id, needs=[("legal", "")])
    again = _log(worker, campaign, client_id=client_id, needs=[("legal", "")], notes="different text")
    assert not again.created
    assert again.conversation.pk == first.conversation.pk
    assert Conversation.objects.count() == 1
    assert Need.objects.count() == 1


def test_it_registers_a_new_resident_only_once_when_the_form_is_resubmitted(worker, campaign):
    client_id = uuid.uuid4()
    for _ in range(3):
        conversation_capture(
            actor=worker,
            client_id=client_id,
            campaign=campaign,
            channel=Channel.STREET,
            new_resident={
                "first_name": "Ana",
                "last_name": "Reyes",
                "phones": ["704-555-0143"],
                "preferred_language": "es",
            },
        )
    assert Resident.objects.filter(first_name="Ana").count() == 1
    assert Conversation.objects.get().resident.phones.get().number == "+17045550143"


def test_it_writes_nothing_when_the_new_resident_is_invalid(worker, campaign):
    with pytest.raises(ValidationError):
        conversation_capture(
            actor=worker,
            client_id=uuid.uuid4(),
            campaign=campaign,
            channel=Channel.DOOR,
            new_resident={"first_name": "Ana", "phones": ["12"]},
        )
    assert Resident.objects.count() == 0
    assert Conversation.objects.count() == 0


def test_it_takes_the_neighborhood_from_the_residents_address(worker, campaign):
    area = AreaFactory()
    area_index_reset()
    lon, lat = area.geometry["coordinates"][0][0]
    from porchlight.places.services import address_create

    address = address_create(
        street="1 Main St", city="Charlotte", zip_code="28202", latitude=lat + 0.005, longitude=lon + 0.005
    )
    result = _log(worker, campaign, resident=ResidentFactory(address=address))
    assert result.conversation.area == area


def test_it_refuses_a_topic_from_another_campaign(worker, campaign):
    other = CampaignFactory(topics=[])
    from porchlight.testing.factories import TopicFactory

    foreign = TopicFactory(name="Parking")
    other.topics.add(foreign)
    with pytest.raises(ValidationError, match="Parking"):
        _log(worker, campaign, topics=[foreign])
    assert Conversation.objects.count() == 0


def test_it_refuses_a_conversation_in_the_future(worker, campaign):
    with pytest.raises(ValidationError):
        _log(worker, campaign, held_at=timezone.now() + dt.timedelta(days=1))


def test_it_refuses_an_unknown_need(worker, campaign):
    with pytest.raises(ValidationError, match="spaceship"):
        _log(worker, campaign, needs=[("spaceship", "")])
    assert Conversation.objects.count() == 0


def test_it_refuses_an_unknown_channel(worker, campaign):
    with pytest.raises(ValidationError):
        _log(worker, campaign, channel="carrier-pigeon")


def test_it_allows_an_anonymous_conversation(worker, campaign):
    area = AreaFactory()
    result = _log(worker, campaign, area=area, needs=[("safety", "Broken light")])
    assert result.conversation.resident is None
    assert result.conversation.area == area
    assert result.needs[0].resident is None
    assert AddressFactory._meta.model.objects.count() == 0
