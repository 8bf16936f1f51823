"""Bulk reads are bounded and audited; hostile bodies are a 400; reads per token are rate limited (429)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.cache import caches
from django.db import connection

from porchlight.accounts.models import AuditEvent
from porchlight.api.tests.test_api import api_for
from porchlight.testing.factories import CampaignFactory, ConversationFactory, ResidentFactory

BRACKETS = "[" * 10_240 + "]" * 10_240  # 20 KB: 10 KB of opening brackets


@pytest.fixture
def residents(db):
    return ResidentFactory.create_batch(120)


def test_it_serves_at_most_a_hundred_residents_per_request(personas, residents) -> None:
    api = api_for(personas["outreach_worker"])
    body = api.get("/api/v1/residents/", {"limit": 100}).json()
    assert len(body["results"]) == 100 and body["count"] == 120 and body["next"]
    assert len(api.get("/api/v1/residents/").json()["results"]) == 50


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 100_000}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": "x"}, "offset"),
    ],
)
def test_it_refuses_a_page_out_of_bounds_with_a_clear_message(personas, residents, params, field) -> None:
    response = api_for(personas["outreach_worker"]).get("/api/v1/residents/", params)
    assert response.status_code == 400
    assert "whole number" in response.json()[field][0]


def test_it_audits_one_entry_per_list_request_with_the_ids_shown(personas, residents) -> None:
    worker = personas["outreach_worker"]
    api_for(worker).get("/api/v1/residents/", {"limit": 10, "q": residents[0].last_name})
    api_for(worker).get("/api/v1/residents/", {"limit": 5, "offset": 5})
    events = list(AuditEvent.objects.filter(actor=worker, object_type="people.resident").order_by("id"))
    assert len(events) == 2
    assert events[0].detail.startswith("api search: ")
    assert residents[0].last_name not in events[0].detail  # never the search terms
    ids = sorted(r.pk for r in residents)[5:10]
    assert events[1].detail == f"api list: 5 shown, ids {ids[0]}-{ids[-1]}"


def test_it_exports_only_with_the_capability_and_audits_it(personas, residents) -> None:
    assert api_for(personas["outreach_worker"]).get("/api/v1/residents/export/").status_code == 403
    manager = personas["program_manager"]
    response = api_for(manager).get("/api/v1/residents/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 121 and lines[0].startswith("id,first_name,last_name")
    event = AuditEvent.objects.get(actor=manager, action="export")
    assert event.object_type == "people.resident" and event.detail == "api export: 120 residents"


def test_it_neutralizes_spreadsheet_formulas_in_the_export(personas, residents) -> None:
    residents[0].first_name = '=HYPERLINK("http://x","y")'
    residents[0].save(update_fields=["first_name"])
    response = api_for(personas["program_manager"]).get("/api/v1/residents/export/")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text and ',=HYPERLINK' not in text and '"=HYPERLINK' not in text


def test_it_limits_exports_per_token(personas, residents, settings) -> None:
    settings.API_EXPORT_RATE = "1/hour"
    api = api_for(personas["administrator"])
    assert api.get("/api/v1/residents/export/").status_code == 200
    refused = api.get("/api/v1/residents/export/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_it_limits_reads_per_token_and_says_when_to_come_back(personas, settings) -> None:
    settings.API_READ_RATE = "3/minute"
    worker, other = api_for(personas["outreach_worker"]), api_for(personas["case_manager"])
    assert [worker.get("/api/v1/campaigns/").status_code for _ in range(3)] == [200, 200, 200]
    refused = worker.get("/api/v1/campaigns/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    assert other.get("/api/v1/campaigns/").status_code == 200  # per token, not for everyone


def test_it_keeps_the_counters_in_the_shared_database_cache(personas, settings) -> None:
    settings.API_READ_RATE = "3/minute"
    api_for(personas["outreach_worker"]).get("/api/v1/campaigns/")
    assert caches["throttle"].__class__.__name__ == "DatabaseCache"
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM porchlight_throttle_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(f"api_read_{personas['outreach_worker'].pk}" in key for key in keys)


@pytest.mark.parametrize("path", ["/api/v1/conversations/", "/api/v1/sync/"])
def test_it_answers_ten_kilobytes_of_brackets_with_a_400(personas, path) -> None:
    api = api_for(personas["outreach_worker"])
    response = api.generic("POST", path, BRACKETS, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/conversations/", "/api/v1/sync/"])
def test_it_answers_an_oversized_body_with_a_400(personas, path, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"conversations": [], "attempts": [], "notes": "x" * 20_000})
    api = api_for(personas["outreach_worker"])
    response = api.generic("POST", path, body, content_type="application/json")
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


def test_it_refuses_an_invalid_sent_at(personas) -> None:
    body = {"conversations": [], "attempts": [], "sent_at": "yesterday-ish"}
    response = api_for(personas["outreach_worker"]).post("/api/v1/sync/", body, format="json")
    assert response.status_code == 400 and "sent_at" in response.json()


def test_analysts_read_notes_without_phones_emails_or_addresses(personas) -> None:
    campaign = CampaignFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2030, 12, 31))
    resident = ResidentFactory(first_name="Dana", last_name="Whitfield")
    note = "Dana Whitfield at 1200 Beatties Ford Rd, call 704-555-0142 or dana@example.org"
    conversation = ConversationFactory(
        campaign=campaign, resident=resident, notes=note, client_id=uuid.uuid4()
    )
    analyst = api_for(personas["analyst"]).get(f"/api/v1/conversations/{conversation.pk}/").json()
    assert analyst["notes"] == "[name] at [address], call [phone] or [email]"
    worker = api_for(personas["outreach_worker"]).get(f"/api/v1/conversations/{conversation.pk}/").json()
    assert worker["notes"] == note
