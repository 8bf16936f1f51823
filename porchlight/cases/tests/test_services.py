import pytest
from django.core.exceptions import ValidationError

from porchlight.accounts.roles import Role
from porchlight.cases.models import Referral
from porchlight.cases.services import referral_create, referral_set_status
from porchlight.testing.factories import ConversationFactory, NeedFactory, ProgramFactory, UserFactory


@pytest.fixture
def worker(db):
    """Moves the referrals through every step: a city case manager may make any move."""
    return UserFactory(role=Role.CASE_MANAGER)


def test_it_refers_a_need_with_consent_and_records_history(worker):
    need = NeedFactory()
    program = ProgramFactory()
    referral = referral_create(
        need=need, program=program, actor=worker, consent_given=True, note="Call after 5pm"
    )
    assert (referral.resident, referral.owner, referral.status) == (need.resident, worker, "sent")
    assert list(referral.history.values_list("status", flat=True)) == ["sent"]


def test_it_refuses_a_referral_without_consent(worker):
    with pytest.raises(ValidationError, match="agree"):
        referral_create(need=NeedFactory(), program=ProgramFactory(), actor=worker, consent_given=False)
    assert Referral.objects.count() == 0


def test_it_refuses_to_refer_an_anonymous_need(worker):
    need = NeedFactory(conversation=ConversationFactory(resident=None))
    with pytest.raises(ValidationError, match="anonymous"):
        referral_create(need=need, program=ProgramFactory(), actor=worker, consent_given=True)


def test_it_refuses_an_inactive_program_and_a_duplicate(worker):
    need = NeedFactory()
    with pytest.raises(ValidationError):
        referral_create(need=need, program=ProgramFactory(is_active=False), actor=worker, consent_given=True)
    program = ProgramFactory()
    referral_create(need=need, program=program, actor=worker, consent_given=True)
    with pytest.raises(ValidationError, match="already"):
        referral_create(need=need, program=program, actor=worker, consent_given=True)


def test_it_moves_a_referral_through_its_lifecycle(worker):
    referral = referral_create(need=NeedFactory(), program=ProgramFactory(), actor=worker, consent_given=True)
    referral = referral_set_status(referral=referral, status="accepted", actor=worker)
    assert referral.accepted_at is not None and referral.closed_at is None
    referral = referral_set_status(referral=referral, status="in_progress", actor=worker)
    assert referral.closed_at is None
    referral = referral_set_status(
        referral=referral, status="resolved", actor=worker, note="Enrolled", reason="enrolled"
    )
    assert (referral.outcome, referral.closed_at is not None) == ("enrolled", True)
    assert list(referral.history.values_list("status", "reason")) == [
        ("sent", ""), ("accepted", ""), ("in_progress", ""), ("resolved", "enrolled"),
    ]


def test_a_closing_status_needs_its_reason(worker):
    referral = referral_create(need=NeedFactory(), program=ProgramFactory(), actor=worker, consent_given=True)
    with pytest.raises(ValidationError, match="why"):
        referral_set_status(referral=referral, status="declined", actor=worker)
    with pytest.raises(ValidationError, match="why"):
        referral_set_status(referral=referral, status="declined", actor=worker, reason="enrolled")
    referral.refresh_from_db()
    assert (referral.status, referral.history.count()) == ("sent", 1)
    referral = referral_set_status(referral=referral, status="declined", actor=worker, reason="no_capacity")
    assert (referral.decline_reason, referral.is_closed) == ("no_capacity", True)


def test_it_refuses_an_impossible_move_and_an_unknown_status(worker):
    referral = referral_create(need=NeedFactory(), program=ProgramFactory(), actor=worker, consent_given=True)
    referral = referral_set_status(referral=referral, status="accepted", actor=worker)
    referral = referral_set_status(referral=referral, status="resolved", actor=worker, reason="enrolled")
    with pytest.raises(ValidationError):
        referral_set_status(referral=referral, status="sent", actor=worker)
    with pytest.raises(ValidationError):
        referral_set_status(referral=referral, status="teleported", actor=worker)
    referral.refresh_from_db()
    assert referral.status == "resolved"
