"""Queueing, merging and undoing, on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from porchlight.accounts.models import AuditEvent
from porchlight.people.matching.models import MatchCandidate, ResidentMerge
from porchlight.people.matching.selectors import resident_match_candidates
from porchlight.people.matching.services import (
    match_candidate_mark_different,
    resident_merge,
    resident_merge_undo,
)
from porchlight.people.models import Resident
from porchlight.people.services import resident_create
from porchlight.places.models import Address
from porchlight.testing.factories import ConversationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _door(street: str) -> Address:
    return Address.objects.create(street=street, city="Charlotte", zip_code="28205")


def _robert_and_bob() -> tuple[Resident, Resident]:
    robert = resident_create(
        actor=None,
        first_name="Robert",
        last_name="Smith",
        address=_door("300 Pine Rd"),
        phones=["(704) 555-0134"],
        consent_to_contact=True,
    )
    bob = resident_create(
        actor=None,
        first_name="Bob",
        last_name="Smith",
        address=_door("300 Pine Road"),
        phones=["704.555.0134", "704-555-0199"],
        emails=["bob@example.org"],
        do_not_contact=True,
    )
    return robert, bob


def test_it_finds_a_stored_resident_written_differently() -> None:
    robert, _bob = _robert_and_bob()
    found = resident_match_candidates(first_name="Rob", last_name="Smith", phones=["+17045550134"])
    assert [c.resident for c in found][:2] and robert in [c.resident for c in found]
    assert found[0].is_strong
    assert "same phone" in found[0].agreed


def test_it_finds_nobody_for_a_stranger() -> None:
    _robert_and_bob()
    assert resident_match_candidates(first_name="Mary", last_name="Jones", phones=["+17045550111"]) == []


def test_the_batch_is_idempotent_and_respects_different_people() -> None:
    robert, bob = _robert_and_bob()
    resident_create(
        actor=None, first_name="Mary", last_name="Smith", address=robert.address, phones=["7045550134"]
    )
    call_command("match_residents")
    call_command("match_residents")
    pair = MatchCandidate.objects.get()
    assert (pair.resident_a, pair.resident_b) == (robert, bob)  # Mary, same door and phone, is not proposed
    match_candidate_mark_different(candidate=pair, actor=UserFactory())
    call_command("match_residents")
    assert MatchCandidate.objects.get().status == MatchCandidate.Status.DIFFERENT


def test_a_merge_moves_everything_keeps_the_most_protective_choice_and_can_be_undone() -> None:
    robert, bob = _robert_and_bob()
    staff = UserFactory()
    talk = ConversationFactory(resident=bob)
    call_command("match_residents")
    pair = MatchCandidate.objects.get()
    log = resident_merge(kept=robert, merged=bob, actor=staff, candidate=pair)

    robert.refresh_from_db()
    bob.refresh_from_db()
    talk.refresh_from_db()
    assert talk.resident == robert
    assert bob.merged_into == robert
    assert sorted(robert.phones.values_list("number", flat=True)) == ["+17045550134", "+17045550199"]
    assert list(robert.emails.values_list("address", flat=True)) == ["bob@example.org"]
    assert robert.do_not_contact and not robert.consent_to_contact
    assert MatchCandidate.objects.get().status == MatchCandidate.Status.MERGED
    assert AuditEvent.objects.filter(object_id=str(robert.pk), detail__startswith="merged").exists()

    resident_merge_undo(merge=log, actor=staff)
    robert.refresh_from_db()
    bob.refresh_from_db()
    talk.refresh_from_db()
    assert talk.resident == bob and bob.merged_into is None
    assert list(robert.phones.values_list("number", flat=True)) == ["+17045550134"]
    assert sorted(bob.phones.values_list("number", flat=True)) == ["+17045550134", "+17045550199"]
    assert not robert.do_not_contact and robert.consent_to_contact
    assert MatchCandidate.objects.get().status == MatchCandidate.Status.OPEN


def test_a_merge_cannot_be_undone_after_the_window() -> None:
    robert, bob = _robert_and_bob()
    log = resident_merge(kept=robert, merged=bob, actor=UserFactory())
    ResidentMerge.objects.filter(pk=log.pk).update(merged_at=timezone.now() - timedelta(days=8))
    log.refresh_from_db()
    with pytest.raises(ValidationError):
        resident_merge_undo(merge=log, actor=UserFactory())


def test_registering_and_importing_queue_near_duplicates() -> None:
    from porchlight.people.matching.services import (
        match_candidates_queue_for,
        match_candidates_queue_imported,
    )

    robert, bob = _robert_and_bob()
    assert match_candidates_queue_for(resident=bob, found_by="registration") == 1
    jose = resident_create(
        actor=None, first_name="José", last_name="García", address=_door("15 Sugar Creek Rd")
    )
    jose2 = resident_create(
        actor=None, first_name="Jose", last_name="Garcia-Lopez", address=_door("15 Sugar Creek Road")
    )
    assert match_candidates_queue_imported(resident_ids=[jose2.pk]) == 1
    assert MatchCandidate.objects.filter(resident_a=jose, resident_b=jose2, found_by="import").exists()


def test_a_merged_record_is_hidden_from_lists_and_doors_until_undone() -> None:
    robert, bob = _robert_and_bob()
    log = resident_merge(kept=robert, merged=bob, actor=UserFactory())
    assert not Resident.objects.filter(pk=bob.pk).exists()
    assert bob.pk not in bob.address.residents.values_list("pk", flat=True)  # walk lists read this
    resident_merge_undo(merge=log, actor=UserFactory())
    assert Resident.objects.filter(pk=bob.pk).exists()


def test_a_resident_registered_with_a_conversation_is_checked(django_capture_on_commit_callbacks) -> None:
    import uuid

    from porchlight.outreach.services import conversation_capture
    from porchlight.testing.factories import CampaignFactory

    robert, _bob = _robert_and_bob()
    MatchCandidate.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        result = conversation_capture(
            actor=UserFactory(),
            client_id=uuid.uuid4(),
            campaign=CampaignFactory(),
            channel="street",
            new_resident={"first_name": "Bobby", "last_name": "Smith", "phones": ["704 555 0134"]},
        )
    new = result.conversation.resident
    assert MatchCandidate.objects.filter(resident_a=robert, resident_b=new, found_by="conversation").exists()


def test_a_shared_phone_comes_first_when_the_candidates_are_capped(monkeypatch) -> None:
    from porchlight.people.matching import selectors

    robert, _bob = _robert_and_bob()
    for first in ("Ann", "Carl", "Dana", "Eve"):
        resident_create(actor=None, first_name=first, last_name="Smith")
    monkeypatch.setattr(selectors, "MAX_CANDIDATES", 2)
    found = resident_match_candidates(first_name="Robert", last_name="Smith", phones=["+17045550134"])
    assert robert in [c.resident for c in found]
