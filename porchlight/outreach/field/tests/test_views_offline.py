"""The offline app's page, service worker and manifest."""

import json

import pytest
from django.test import Client

from porchlight.outreach.models import TargetList, Turf
from porchlight.testing.factories import CampaignFactory


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("outreach_worker", 200), ("program_manager", 200), ("case_manager", 403), ("analyst", 403)],
)
def test_it_shows_the_app_to_those_who_log_conversations(personas, persona, expected):
    assert client_for(personas[persona]).get("/outreach/offline/").status_code == expected


def test_it_sends_anonymous_visitors_to_sign_in():
    assert Client().get("/outreach/offline/").status_code == 302


def test_it_lists_only_the_workers_turfs(personas):
    campaign = CampaignFactory()
    target_list = TargetList.objects.create(
        campaign=campaign, name="Doors", kind="door", created_by=personas["program_manager"]
    )
    Turf.objects.create(
        target_list=target_list, number=1, name="Mine", assigned_to=personas["outreach_worker"]
    )
    Turf.objects.create(
        target_list=target_list, number=2, name="Theirs", assigned_to=personas["program_manager"]
    )
    page = client_for(personas["outreach_worker"]).get("/outreach/offline/").content.decode()
    assert "Mine" in page and "Theirs" not in page and 'rel="manifest"' in page


def test_it_serves_the_service_worker_from_the_root_with_the_shell_to_cache(db):
    response = Client().get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert '"/outreach/offline/"' in body and "outreach/offline/app.js" in body
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_serves_an_installable_manifest(db):
    manifest = json.loads(Client().get("/manifest.webmanifest").content)
    assert manifest["start_url"] == "/outreach/offline/" and manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
