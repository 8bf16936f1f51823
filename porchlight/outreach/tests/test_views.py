import datetime as dt
import uuid

import pytest
from django.urls import reverse

from porchlight.cases.models import Referral
from porchlight.outreach.models import Conversation
from porchlight.people.models import Resident
from porchlight.testing.factories import AreaFactory, CampaignFactory, ProgramFactory, ResidentFactory


@pytest.fixture
def campaign(db):
    return CampaignFactory(start_date=dt.date(2017, 1, 1), end_date=dt.date(2030, 12, 31))


@pytest.fixture
def worker_client(client, personas):
    client.force_login(personas["outreach_worker"])
    return client


def _post(client, campaign, **overrides):
    data = {
        "client_id": str(uuid.uuid4()),
        "campaign": campaign.pk,
        "channel": "door",
        "held_at": "2026-01-15T10:30",
        "who": "anonymous",
        "language": "en",
        "duration_minutes": "10",
        "topics": [t.pk for t in campaign.topics.all()[:2]],
        "notes": "Worried about speeding on Tuckaseegee Rd.",
        "what_matters_most": "Safe streets for kids",
        "ideas": "",
        "needs": [],
        "need_details": "",
    }
    data.update(overrides)
    return client.post(reverse("outreach:conversation_new"), data)


def test_it_offers_the_current_campaigns_topics_and_a_fresh_client_id(worker_client, campaign):
    response = worker_client.get(reverse("outreach:conversation_new"))
    form = response.context["form"]
    assert list(form.fields["topics"].queryset) == list(campaign.topics.all())
    assert uuid.UUID(str(form.initial["client_id"]))


def test_it_logs_an_anonymous_conversation_and_shows_it(worker_client, campaign):
    area = AreaFactory()
    response = _post(worker_client, campaign, area=area.pk, needs=["safety"], need_details="Dark corner")
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:conversation_detail", args=[conversation.pk])
    assert conversation.area == area and conversation.resident is None
    assert conversation.needs.get().description == "Dark corner"
    page = worker_client.get(response["Location"])
    assert b"Tuckaseegee" in page.content


def test_it_saves_a_double_submitted_form_once(worker_client, campaign):
    client_id = str(uuid.uuid4())
    first = _post(worker_client, campaign, client_id=client_id)
    second = _post(worker_client, campaign, client_id=client_id)
    assert Conversation.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_it_registers_the_resident_met_on_the_spot(worker_client, campaign):
    _post(
        worker_client,
        campaign,
        who="new",
        **{
            "new-first_name": "Rosa",
            "new-last_name": "Martínez",
            "new-phone": "980-555-0123",
            "new-street": "1200 Central Ave",
            "new-zip_code": "28204",
            "new-preferred_language": "es",
            "new-consent_to_contact": "on",
        },
        language="es",
    )
    resident = Resident.objects.get()
    assert resident.full_name == "Rosa Martínez"
    assert resident.consent_to_contact
    assert resident.address.street == "1200 Central Ave"
    assert Conversation.objects.get().resident == resident


def test_it_shows_a_clear_error_for_a_bad_phone_and_saves_nothing(worker_client, campaign):
    response = _post(worker_client, campaign, who="new", **{"new-first_name": "Rosa", "new-phone": "555"})
    assert response.status_code == 200
    assert (
        "is not a valid phone number" in response.content.decode()
        or "is not a phone number" in response.content.decode()
    )
    assert Conversation.objects.count() == 0 and Resident.objects.count() == 0


def test_it_requires_choosing_the_existing_resident(worker_client, campaign):
    response = _post(worker_client, campaign, who="existing")
    assert "Search for the resident" in response.content.decode()
    assert Conversation.objects.count() == 0


def test_it_refuses_a_date_outside_the_campaign(worker_client, campaign):
    response = _post(worker_client, campaign, held_at="2016-06-01T10:00")
    assert "outside the campaign" in response.content.decode()
    assert Conversation.objects.count() == 0


def test_it_links_an_existing_resident(worker_client, campaign):
    resident = ResidentFactory()
    _post(worker_client, campaign, who="existing", resident=resident.pk)
    assert Conversation.objects.get().resident == resident


def test_it_goes_from_a_need_to_a_referral(worker_client, campaign, personas):
    resident = ResidentFactory()
    program = ProgramFactory(category="legal", name="Tenant legal help")
    ProgramFactory(category="food", name="Food pantry")
    _post(
        worker_client,
        campaign,
        who="existing",
        resident=resident.pk,
        needs=["legal"],
        need_details="Landlord will not fix the heat",
    )
    need = Conversation.objects.get().needs.get()
    form_page = worker_client.get(reverse("cases:referral_new", args=[need.pk]))
    # The programs matching the need come first.
    assert list(form_page.context["form"].fields["program"].queryset)[0] == program
    refused = worker_client.post(reverse("cases:referral_new", args=[need.pk]), {"program": program.pk})
    assert "agreement" in refused.content.decode() and Referral.objects.count() == 0
    response = worker_client.post(
        reverse("cases:referral_new", args=[need.pk]), {"program": program.pk, "consent_given": "on"}
    )
    referral = Referral.objects.get()
    assert response["Location"] == reverse("cases:referral_detail", args=[referral.pk])
    assert referral.owner == personas["outreach_worker"]
    # The worker may not accept for the program, but may close it when the resident changes their mind.
    refused = worker_client.post(reverse("cases:referral_status", args=[referral.pk]), {"target": "accepted"})
    assert refused.status_code == 403
    worker_client.post(
        reverse("cases:referral_status", args=[referral.pk]),
        {"target": "unresolved", "unresolved-reason": "not_interested"},
    )
    referral.refresh_from_db()
    assert (referral.status, referral.close_reason) == ("unresolved", "not_interested")
