import pytest
from django.urls import reverse

from porchlight.directory.models import Program
from porchlight.outreach.models import Campaign, Topic
from porchlight.testing.factories import CampaignFactory, OrganizationFactory, TopicFactory


@pytest.fixture
def manager_client(client, personas):
    client.force_login(personas["program_manager"])
    return client


def test_it_creates_a_campaign_with_new_and_existing_topics(manager_client):
    safety = TopicFactory(name="Community safety")
    response = manager_client.post(
        reverse("outreach:campaign_new"),
        {
            "name": "Can We Talk? 2018",
            "start_date": "2018-01-01",
            "end_date": "2018-06-30",
            "topics": [safety.pk],
            "new_topics": "Parks,  Transit ,",
            "languages": ["en", "es"],
            "conversation_target": "1500",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="Can We Talk? 2018")
    assert sorted(campaign.topics.values_list("name", flat=True)) == ["Community safety", "Parks", "Transit"]
    assert campaign.languages == ["en", "es"]


def test_it_edits_a_campaigns_topics(manager_client):
    campaign = CampaignFactory()
    keep = campaign.topics.first()
    manager_client.post(
        reverse("outreach:campaign_edit", args=[campaign.pk]),
        {
            "name": campaign.name,
            "start_date": "2017-01-01",
            "end_date": "2017-12-31",
            "topics": [keep.pk],
            "new_topics": "",
            "languages": ["en"],
            "conversation_target": "8000",
        },
    )
    assert list(campaign.topics.all()) == [keep]


def test_it_refuses_dates_in_the_wrong_order_and_no_topics(manager_client):
    response = manager_client.post(
        reverse("outreach:campaign_new"),
        {
            "name": "Backwards",
            "start_date": "2018-06-01",
            "end_date": "2018-01-01",
            "languages": ["en"],
            "conversation_target": "0",
        },
    )
    assert "on or after the start date" in response.content.decode()
    assert not Campaign.objects.exists() and not Topic.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("program_manager", 200),
        ("administrator", 200),
        ("outreach_worker", 403),
        ("analyst", 403),
        ("partner", 403),
    ],
)
def test_it_lets_only_managers_manage_campaigns_and_programs(client, personas, persona, status):
    client.force_login(personas[persona])
    # (The program directory itself is open to everyone who refers or screens: services' own tests.)
    for name in ("outreach:campaign_list", "outreach:campaign_new", "services:program_new"):
        assert client.get(reverse(name)).status_code == status


def test_it_adds_a_program_to_the_list(manager_client):
    org = OrganizationFactory(name="Crisis Assistance Ministry")
    manager_client.post(
        reverse("services:program_new"),
        {"organization": org.pk, "name": "Utility assistance", "category": "utilities", "is_active": "on"},
    )
    assert Program.objects.get().name == "Utility assistance"
    assert "Utility assistance" in manager_client.get(reverse("services:program_list")).content.decode()
