"""The review pages and the registration form's "this may be X" check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.roles import Role
from porchlight.people.matching.models import MatchCandidate, ResidentMerge
from porchlight.people.models import Resident
from porchlight.people.services import resident_create
from porchlight.places.models import Address
from porchlight.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair() -> MatchCandidate:
    door = Address.objects.create(street="300 Pine Rd", city="Charlotte", zip_code="28205")
    robert = resident_create(
        actor=None, first_name="Robert", last_name="Smith", address=door, phones=["7045550134"]
    )
    bob = resident_create(actor=None, first_name="Bob", last_name="Smith", phones=["704.555.0134"])
    return MatchCandidate.objects.create(
        resident_a=robert,
        resident_b=bob,
        score=7.4,
        reasons={
            "phones": {"level": "same phone", "weight": 9.6},
            "first_name": {"level": "nickname", "weight": 5.7},
        },
    )


def test_it_shows_both_records_and_audits_the_reading(client, pair) -> None:
    worker = UserFactory(role=Role.OUTREACH_WORKER)
    client.force_login(worker)
    response = client.get(reverse("people:match_detail", args=[pair.pk]))
    assert response.status_code == 200
    assert b"Robert Smith" in response.content and b"Bob Smith" in response.content
    assert b"same phone" in response.content
    assert b"Save decision" not in response.content  # an outreach worker may look, not merge
    audited = set(AuditEvent.objects.filter(actor=worker, action="view").values_list("object_id", flat=True))
    assert audited == {str(pair.resident_a_id), str(pair.resident_b_id)}


def test_a_case_manager_merges_from_the_page_and_undoes_it(client, pair) -> None:
    client.force_login(UserFactory(role=Role.CASE_MANAGER))
    response = client.post(reverse("people:match_decide", args=[pair.pk]), {"decision": "keep_a"})
    assert response.status_code == 302
    assert Resident.all_objects.get(pk=pair.resident_b_id).merged_into_id == pair.resident_a_id
    merge = ResidentMerge.objects.get()
    client.post(reverse("people:merge_undo", args=[merge.pk]))
    assert Resident.all_objects.get(pk=pair.resident_b_id).merged_into_id is None


def test_an_outreach_worker_cannot_merge(client, pair) -> None:
    client.force_login(UserFactory(role=Role.OUTREACH_WORKER))
    response = client.post(reverse("people:match_decide", args=[pair.pk]), {"decision": "keep_a"})
    assert response.status_code == 403
    assert MatchCandidate.objects.get().status == MatchCandidate.Status.OPEN


def test_the_registration_form_offers_the_existing_record(client, pair) -> None:
    client.force_login(UserFactory(role=Role.OUTREACH_WORKER))
    form = {"first_name": "Rob", "last_name": "Smith", "phone": "(704) 555-0134", "preferred_language": "en"}
    response = client.post(reverse("people:resident_new"), form)
    assert response.status_code == 200
    assert b"This may be Robert Smith" in response.content
    assert Resident.objects.count() == 2
    # "A different person": saved, and the resemblance goes to the review queue.
    response = client.post(reverse("people:resident_new"), {**form, "not_a_match": "1"})
    assert response.status_code == 302
    assert Resident.objects.count() == 3
    assert MatchCandidate.objects.filter(found_by="registration").exists()
