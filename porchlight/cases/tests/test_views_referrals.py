"""Referral pages: the permission matrix, what a partner sees (only what the referral shares), the action
forms with their reasons, referring from a resident's page, the overdue filter and the updates page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.models import AuditEvent
from porchlight.cases.models import Referral
from porchlight.directory.models import Screening
from porchlight.people.models import Email
from porchlight.testing.factories import PhoneFactory, ProgramFactory, ResidentFactory
from porchlight.testing.factories_referrals import partner_program, referral_in_state

NOTES = "Husband drinks; she is scared of the landlord."


@pytest.fixture
def world(personas, partner_team):
    """One referral to the partner's program (made in a conversation with private notes), one to another
    organization's program."""
    worker = personas["outreach_worker"]
    ours = referral_in_state(program=partner_program(partner_team), referrer=worker, notes=NOTES)
    Referral.objects.filter(pk=ours.pk).update(note="Call after 5pm, Spanish please")
    ours.need.description = "Landlord keeps the deposit"
    ours.need.save(update_fields=["description"])
    PhoneFactory(resident=ours.resident, number="+17045550142")
    Email.objects.create(resident=ours.resident, address="rosa@example.org")
    theirs = referral_in_state(program=ProgramFactory(name="Food pantry"), referrer=worker)
    return {"ours": ours, "theirs": theirs, "resident": ours.resident}


MATRIX = [
    # (url name, object, allowed personas)
    (
        "cases:referral_list",
        None,
        {"administrator", "program_manager", "outreach_worker", "case_manager", "partner"},
    ),
    (
        "cases:referral_updates",
        None,
        {"administrator", "program_manager", "outreach_worker", "case_manager", "partner"},
    ),
    ("cases:outcomes", None, {"administrator", "program_manager", "analyst"}),
    (
        "cases:referral_detail",
        "ours",
        {"administrator", "program_manager", "outreach_worker", "case_manager", "partner"},
    ),
    (
        "cases:referral_detail",
        "theirs",
        {"administrator", "program_manager", "outreach_worker", "case_manager"},
    ),
    (
        "cases:referral_new_for_resident",
        "resident",
        {"administrator", "program_manager", "outreach_worker", "case_manager"},
    ),
]
PERSONAS = ["administrator", "program_manager", "outreach_worker", "case_manager", "analyst", "partner"]


@pytest.mark.parametrize(("name", "key", "allowed"), MATRIX, ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_allows_exactly_the_right_people(client, personas, world, name, key, allowed, persona):
    client.force_login(personas[persona])
    response = client.get(reverse(name, args=[world[key].pk]) if key else reverse(name))
    if persona in allowed:
        assert response.status_code == 200
    elif persona == "partner" and key == "theirs":
        assert response.status_code == 404  # another organization's referral: not even its existence
    else:
        assert response.status_code == 403


def test_a_partner_sees_what_the_referral_shares_and_nothing_else(client, personas, world):
    client.force_login(personas["partner"])
    page = client.get(reverse("cases:referral_detail", args=[world["ours"].pk])).content.decode()
    resident = world["resident"]
    for shared in (
        resident.full_name,
        "(704) 555-0142",
        "rosa@example.org",
        "Call after 5pm, Spanish please",
        "Tenant Defense",
        "History",
    ):
        assert shared in page, shared
    assert NOTES not in page  # conversation notes
    assert "Landlord keeps the deposit" not in page  # the need's details, written in the conversation
    assert reverse("people:resident_detail", args=[resident.pk]) not in page
    assert reverse("outreach:conversation_detail", args=[world["ours"].need.conversation_id]) not in page


def test_city_staff_see_the_need_and_the_conversation_behind_it(client, personas, world):
    client.force_login(personas["outreach_worker"])
    page = client.get(reverse("cases:referral_detail", args=[world["ours"].pk])).content.decode()
    assert "Landlord keeps the deposit" in page
    assert reverse("outreach:conversation_detail", args=[world["ours"].need.conversation_id]) in page


def test_every_view_of_a_referral_is_audited(client, personas, world):
    client.force_login(personas["partner"])
    client.get(reverse("cases:referral_detail", args=[world["ours"].pk]))
    event = AuditEvent.objects.get(actor=personas["partner"])
    assert (event.action, event.object_id) == ("view", str(world["resident"].pk))


def test_the_partners_inbox_lists_only_their_organizations_referrals(client, personas, world):
    client.force_login(personas["partner"])
    response = client.get(reverse("cases:referral_list"))
    assert list(response.context["page"].object_list) == [world["ours"]]
    assert "Food pantry" not in response.content.decode()


def test_the_partner_accepts_and_must_give_a_reason_to_decline(client, personas, world):
    referral = world["ours"]
    client.force_login(personas["partner"])
    page = client.get(reverse("cases:referral_detail", args=[referral.pk])).content.decode()
    assert "Accept" in page and "Decline" in page and "Send again" not in page
    url = reverse("cases:referral_status", args=[referral.pk])
    refused = client.post(url, {"target": "declined", "declined-note": "Full"})
    assert refused.status_code == 400 and "Choose a reason." in refused.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.history.count()) == ("sent", 0)
    response = client.post(
        url, {"target": "declined", "declined-reason": "no_capacity", "declined-note": "Full"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "no_capacity")
    assert referral.history.last().note == "Full"


def test_it_refuses_a_move_the_user_may_not_make_with_a_403(client, personas, world):
    client.force_login(personas["outreach_worker"])
    response = client.post(reverse("cases:referral_status", args=[world["ours"].pk]), {"target": "accepted"})
    assert response.status_code == 403
    world["ours"].refresh_from_db()
    assert world["ours"].status == "sent"


def test_a_partner_cannot_move_another_organizations_referral(client, personas, world):
    client.force_login(personas["partner"])
    response = client.post(
        reverse("cases:referral_status", args=[world["theirs"].pk]), {"target": "accepted"}
    )
    assert response.status_code == 404


def test_it_refers_from_a_residents_page_with_the_program_chosen_and_consent(client, personas, partner_team):
    resident = ResidentFactory(first_name="Rosa", last_name="Parks")
    program = partner_program(partner_team)
    ProgramFactory(name="Another program")
    client.force_login(personas["outreach_worker"])
    detail = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    url = reverse("cases:referral_new_for_resident", args=[resident.pk])
    assert url in detail  # the "Refer to a program" button
    form = client.get(url, {"program": program.pk}).context["form"]
    assert form.initial["program"] == program
    refused = client.post(url, {"program": program.pk})
    assert "agreement" in refused.content.decode() and not Referral.objects.exists()
    response = client.post(url, {"program": program.pk, "consent_given": "on", "note": "Mornings"})
    referral = Referral.objects.get()
    assert response["Location"] == reverse("cases:referral_detail", args=[referral.pk])
    assert (referral.resident, referral.note, referral.created_by) == (
        resident,
        "Mornings",
        personas["outreach_worker"],
    )
    again = client.post(url, {"program": program.pk, "consent_given": "on"})
    assert "already has an open referral" in again.content.decode() and Referral.objects.count() == 1


def test_it_refers_from_a_screening_and_refuses_another_residents_screening(client, personas):
    resident = ResidentFactory()
    screening = Screening.objects.create(resident=resident, screened_by=personas["outreach_worker"])
    program = ProgramFactory()
    client.force_login(personas["outreach_worker"])
    url = reverse("cases:referral_new_for_resident", args=[resident.pk])
    assert client.get(url, {"program": program.pk, "screening": screening.pk}).status_code == 200
    client.post(f"{url}?screening={screening.pk}", {"program": program.pk, "consent_given": "on"})
    assert Referral.objects.get().screening == screening
    other = ResidentFactory()
    other_url = reverse("cases:referral_new_for_resident", args=[other.pk])
    assert client.get(other_url, {"screening": screening.pk}).status_code == 404


def test_it_explains_why_an_erased_resident_cannot_be_referred(client, personas):
    erased = ResidentFactory(first_name="", last_name="", erased_at=timezone.now())
    client.force_login(personas["case_manager"])
    url = reverse("cases:referral_new_for_resident", args=[erased.pk])
    response = client.post(url, {"program": ProgramFactory().pk, "consent_given": "on"})
    assert "erased" in response.content.decode() and not Referral.objects.exists()


def test_it_flags_and_filters_referrals_not_accepted_in_time(client, personas, partner_team):
    program = partner_program(partner_team, accept_within_days=3)
    worker = personas["outreach_worker"]
    late = referral_in_state(
        program=program, referrer=worker, created_at=timezone.now() - dt.timedelta(days=5)
    )
    referral_in_state(program=program, referrer=worker)
    referral_in_state(
        program=program, referrer=worker, status="accepted", created_at=timezone.now() - dt.timedelta(days=9)
    )
    client.force_login(personas["partner"])
    response = client.get(reverse("cases:referral_list"), {"overdue": "on"})
    assert list(response.context["page"].object_list) == [late]
    assert "Overdue" in response.content.decode()
    assert "Overdue" in client.get(reverse("cases:referral_detail", args=[late.pk])).content.decode()
    home = client.get(reverse("web:home"))
    assert home.context["summary"]["overdue_referrals"] == 1


def test_the_list_filters_by_program_status_and_mine(client, personas, world):
    client.force_login(personas["case_manager"])
    by_program = client.get(reverse("cases:referral_list"), {"program": world["theirs"].program_id})
    assert list(by_program.context["page"].object_list) == [world["theirs"]]
    assert (
        client.get(reverse("cases:referral_list"), {"status": "accepted"}).context["page"].paginator.count
        == 0
    )
    assert client.get(reverse("cases:referral_list"), {"mine": "1"}).context["page"].paginator.count == 0


def test_the_updates_page_shows_what_the_program_did(client, personas, world):
    referral = world["ours"]
    client.force_login(personas["partner"])
    client.post(reverse("cases:referral_status", args=[referral.pk]), {"target": "accepted"})
    client.force_login(personas["outreach_worker"])
    response = client.get(reverse("cases:referral_updates"))
    [(change, _reason)] = response.context["rows"]
    assert (change.referral, change.status, change.changed_by) == (referral, "accepted", personas["partner"])
    assert "Legal Aid of the Carolinas" in response.content.decode()
