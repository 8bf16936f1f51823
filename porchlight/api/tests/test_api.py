import datetime as dt
import uuid

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from porchlight.accounts.models import AuditEvent
from porchlight.outreach.models import Conversation
from porchlight.people.models import Resident
from porchlight.testing.factories import CampaignFactory, ConversationFactory, ResidentFactory


@pytest.fixture
def campaign(db):
    return CampaignFactory(start_date=dt.date(2017, 1, 1), end_date=dt.date(2030, 12, 31))


def api_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _payload(campaign, **overrides):
    body = {
        "client_id": str(uuid.uuid4()),
        "campaign": campaign.pk,
        "channel": "phone",
        "held_at": "2026-03-02T15:00:00-05:00",
        "notes": "Asked about bus route 7 frequency.",
        "topics": [campaign.topics.first().pk],
        "needs": [{"category": "employment", "details": "Looking for work"}],
    }
    body.update(overrides)
    return body


def test_it_logs_a_conversation_once_however_often_it_is_retried(personas, campaign):
    api = api_for(personas["outreach_worker"])
    body = _payload(campaign, new_resident={"first_name": "Kim", "phone": "704-555-0188"})
    first = api.post("/api/v1/conversations/", body, format="json")
    second = api.post("/api/v1/conversations/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Conversation.objects.count() == 1 and Resident.objects.count() == 1
    assert first.json()["needs"] == ["employment"]


def test_it_answers_bad_input_with_field_errors_and_writes_nothing(personas, campaign):
    api = api_for(personas["outreach_worker"])
    response = api.post(
        "/api/v1/conversations/",
        _payload(campaign, channel="pigeon", needs=[{"category": "x"}]),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"channel", "needs"}
    bad_phone = api.post(
        "/api/v1/conversations/", _payload(campaign, new_resident={"phone": "12"}), format="json"
    )
    assert bad_phone.status_code == 400 and "phone" in str(bad_phone.json())
    assert Conversation.objects.count() == 0 and Resident.objects.count() == 0


def test_it_refuses_logging_to_roles_that_do_not_log(personas, campaign):
    for role in ("analyst", "case_manager"):
        assert (
            api_for(personas[role])
            .post("/api/v1/conversations/", _payload(campaign), format="json")
            .status_code
            == 403
        )


def test_it_hides_who_said_what_from_analysts(personas, campaign):
    ConversationFactory(campaign=campaign)
    rows = api_for(personas["analyst"]).get("/api/v1/conversations/").json()["results"]
    assert len(rows) == 1 and rows[0]["resident"] is None and rows[0]["notes"]
    assert api_for(personas["analyst"]).get("/api/v1/residents/").status_code == 403


def test_it_audits_reading_a_resident_through_the_api(personas):
    resident = ResidentFactory(first_name="Zora")
    api = api_for(personas["case_manager"])
    assert api.get("/api/v1/residents/?q=zora").json()["results"][0]["id"] == resident.pk
    assert api.get(f"/api/v1/residents/{resident.pk}/").status_code == 200
    assert AuditEvent.objects.filter(object_id=str(resident.pk), detail="api").count() == 1


def test_it_requires_authentication(db):
    assert APIClient().get("/api/v1/conversations/").status_code == 401


def test_it_serves_an_openapi_schema(personas):
    response = api_for(personas["analyst"]).get("/api/schema/")
    assert response.status_code == 200 and b"/api/v1/conversations/" in response.content
