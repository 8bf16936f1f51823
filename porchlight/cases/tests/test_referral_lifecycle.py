"""The referral lifecycle: who may make which move, refused moves, new referrals from a resident's page or a
screening, and the email to the referring worker on every change someone else makes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from porchlight.accounts.roles import Role
from porchlight.cases.models import Referral
from porchlight.cases.selectors import referral_next_statuses
from porchlight.cases.services import referral_create, referral_set_status
from porchlight.directory.models import Screening
from porchlight.outreach.models import Need
from porchlight.testing.factories import (
    ConversationFactory,
    NeedFactory,
    OrganizationFactory,
    ProgramFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
)
from porchlight.testing.factories_referrals import partner_program

S = Referral.Status


@pytest.fixture
def setup(personas, partner_team):
    """A referral made by the outreach worker to the partner organization's program, plus a second partner
    organization's user (who must never act on it)."""
    other_team = TeamFactory(name="Food Bank", kind="partner")
    OrganizationFactory(name="Food Bank", team=other_team)
    users = dict(personas)
    users["other_partner"] = UserFactory(username="other_partner", role=Role.CASE_MANAGER, team=other_team)
    users["owner"] = personas["outreach_worker"]
    program = partner_program(partner_team)
    need = NeedFactory(
        conversation=ConversationFactory(held_by=personas["outreach_worker"]), category="legal"
    )
    referral = referral_create(
        need=need, program=program, actor=personas["outreach_worker"], consent_given=True
    )
    return users, referral


def _put(referral: Referral, status: str) -> Referral:
    """Put the referral in `status` straight away (the path there is not what is tested)."""
    Referral.objects.filter(pk=referral.pk).update(status=status)
    referral.refresh_from_db()
    return referral


REASONS = {S.DECLINED: "no_capacity", S.RESOLVED: "enrolled", S.UNRESOLVED: "not_interested"}
# (from, to, who may make the move). "owner" is the outreach worker who made the referral.
EVERYONE_WITH_MANAGE = {"administrator", "program_manager", "case_manager"}
MOVES = [
    (S.SENT, S.ACCEPTED, {"partner"} | EVERYONE_WITH_MANAGE),
    (S.SENT, S.DECLINED, {"partner"} | EVERYONE_WITH_MANAGE),
    (S.SENT, S.UNRESOLVED, {"owner"} | EVERYONE_WITH_MANAGE),
    (S.ACCEPTED, S.IN_PROGRESS, {"partner"} | EVERYONE_WITH_MANAGE),
    (S.ACCEPTED, S.RESOLVED, {"partner"} | EVERYONE_WITH_MANAGE),
    (S.ACCEPTED, S.UNRESOLVED, {"partner", "owner"} | EVERYONE_WITH_MANAGE),
    (S.IN_PROGRESS, S.RESOLVED, {"partner"} | EVERYONE_WITH_MANAGE),
    (S.IN_PROGRESS, S.UNRESOLVED, {"partner", "owner"} | EVERYONE_WITH_MANAGE),
    (S.DECLINED, S.SENT, {"owner"} | EVERYONE_WITH_MANAGE),
    (S.RESOLVED, S.IN_PROGRESS, {"partner"} | EVERYONE_WITH_MANAGE),
    (S.UNRESOLVED, S.IN_PROGRESS, {"partner"} | EVERYONE_WITH_MANAGE),
]
ACTORS = ["partner", "other_partner", "owner", "case_manager", "program_manager", "administrator", "analyst"]


@pytest.mark.parametrize(("old", "new", "allowed"), MOVES, ids=[f"{m[0]}->{m[1]}" for m in MOVES])
@pytest.mark.parametrize("who", ACTORS)
def test_it_lets_exactly_the_right_people_make_each_move(setup, old, new, allowed, who):
    users, referral = setup
    referral = _put(referral, old)
    actor = users[who]
    assert (new in referral_next_statuses(user=actor, referral=referral)) == (who in allowed)
    if who in allowed:
        moved = referral_set_status(referral=referral, status=new, actor=actor, reason=REASONS.get(new, ""))
        assert moved.status == new
        assert moved.history.last().changed_by == actor
    else:
        with pytest.raises(PermissionDenied):
            referral_set_status(referral=referral, status=new, actor=actor, reason=REASONS.get(new, ""))
        referral.refresh_from_db()
        assert referral.status == old and referral.history.count() == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (S.SENT, S.IN_PROGRESS),
        (S.SENT, S.RESOLVED),
        (S.DECLINED, S.ACCEPTED),
        (S.RESOLVED, S.UNRESOLVED),
        (S.IN_PROGRESS, S.SENT),
        (S.IN_PROGRESS, S.DECLINED),
    ],
)
def test_it_refuses_moves_the_lifecycle_does_not_have_even_for_an_administrator(setup, old, new):
    users, referral = setup
    referral = _put(referral, old)
    with pytest.raises(ValidationError, match="cannot go from"):
        referral_set_status(
            referral=referral, status=new, actor=users["administrator"], reason=REASONS.get(new, "")
        )
    referral.refresh_from_db()
    assert referral.status == old


def test_the_partner_runs_the_loop_and_the_worker_is_told_of_every_step(
    setup, django_capture_on_commit_callbacks
):
    users, referral = setup
    users["owner"].email = "ana@city.example"
    users["owner"].save(update_fields=["email"])
    partner = users["partner"]
    for status, reason in [(S.ACCEPTED, ""), (S.IN_PROGRESS, ""), (S.RESOLVED, "enrolled")]:
        with django_capture_on_commit_callbacks(execute=True):
            referral = referral_set_status(referral=referral, status=status, actor=partner, reason=reason)
    assert (referral.status, referral.outcome) == ("resolved", "enrolled")
    assert referral.accepted_at is not None and referral.closed_at is not None
    assert [m.to for m in mail.outbox] == [["ana@city.example"]] * 3
    assert "Resolved" in mail.outbox[-1].subject and str(referral.program) in mail.outbox[-1].subject
    assert "Enrolled" in mail.outbox[-1].body
    assert f"/referrals/{referral.pk}/" in mail.outbox[-1].body
    # The email names no resident: personal details stay behind the sign-in.
    assert referral.resident.last_name not in mail.outbox[-1].body + mail.outbox[-1].subject


def test_it_does_not_email_people_about_their_own_changes(setup, django_capture_on_commit_callbacks):
    users, referral = setup
    users["owner"].email = "ana@city.example"
    users["owner"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        referral_set_status(
            referral=referral, status=S.UNRESOLVED, actor=users["owner"], reason="not_interested"
        )
    assert mail.outbox == []


def test_it_emails_nobody_when_the_change_is_rolled_back(setup, django_capture_on_commit_callbacks):
    users, referral = setup
    users["owner"].email = "ana@city.example"
    users["owner"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):  # refused before anything is written
            referral_set_status(referral=referral, status=S.DECLINED, actor=users["partner"], reason="")
        with pytest.raises(RuntimeError), transaction.atomic():  # written, then rolled back
            referral_set_status(referral=referral, status=S.ACCEPTED, actor=users["partner"])
            raise RuntimeError
    assert callbacks == [] and mail.outbox == []
    referral.refresh_from_db()
    assert (referral.status, referral.history.count()) == ("sent", 1)


def test_it_refers_a_resident_from_their_page_and_records_the_need(personas):
    resident = ResidentFactory()
    program = ProgramFactory(category="employment", name="Career pathways")
    referral = referral_create(
        resident=resident,
        program=program,
        actor=personas["case_manager"],
        consent_given=True,
        note="Evenings",
    )
    assert (referral.resident, referral.need.category, referral.need.conversation) == (
        resident,
        "employment",
        None,
    )
    assert referral.history.get().status == "sent"
    # A second program of another category that has no need of its own is recorded as "other".
    youth = ProgramFactory(category="youth", name="Summer jobs")
    second = referral_create(
        resident=resident, program=youth, actor=personas["case_manager"], consent_given=True
    )
    assert second.need.category == "other"


def test_it_refers_from_a_screening_into_the_screenings_conversation(personas):
    conversation = ConversationFactory(held_by=personas["outreach_worker"])
    resident = conversation.resident
    screening = Screening.objects.create(
        resident=resident, conversation=conversation, screened_by=personas["outreach_worker"]
    )
    program = ProgramFactory(category="housing")
    referral = referral_create(
        resident=resident,
        screening=screening,
        program=program,
        actor=personas["outreach_worker"],
        consent_given=True,
    )
    assert (referral.screening, referral.need.conversation, referral.need.category) == (
        screening,
        conversation,
        "housing",
    )
    with pytest.raises(ValidationError, match="another resident"):
        referral_create(
            resident=ResidentFactory(),
            screening=screening,
            program=ProgramFactory(),
            actor=personas["outreach_worker"],
            consent_given=True,
        )


def test_it_refuses_a_second_open_referral_of_the_resident_to_the_same_program(personas):
    need = NeedFactory(category="legal")
    program = ProgramFactory(category="legal")
    referral_create(need=need, program=program, actor=personas["case_manager"], consent_given=True)
    with pytest.raises(ValidationError, match="already has an open referral"):
        referral_create(
            resident=need.resident, program=program, actor=personas["case_manager"], consent_given=True
        )
    assert Referral.objects.count() == 1 and Need.objects.count() == 1


def test_it_refers_again_once_the_first_referral_is_closed(personas):
    resident = ResidentFactory()
    program = ProgramFactory()
    first = referral_create(
        resident=resident, program=program, actor=personas["case_manager"], consent_given=True
    )
    referral_set_status(
        referral=first, status=S.UNRESOLVED, actor=personas["case_manager"], reason="could_not_contact"
    )
    second = referral_create(
        resident=resident, program=program, actor=personas["case_manager"], consent_given=True
    )
    assert second.pk != first.pk and second.need_id != first.need_id


def test_it_refuses_erased_residents_inactive_programs_and_missing_consent(personas):
    erased = ResidentFactory(first_name="", last_name="", erased_at=timezone.now())
    actor = personas["case_manager"]
    with pytest.raises(ValidationError, match="erased"):
        referral_create(resident=erased, program=ProgramFactory(), actor=actor, consent_given=True)
    with pytest.raises(ValidationError, match="not taking referrals"):
        referral_create(
            resident=ResidentFactory(),
            program=ProgramFactory(is_active=False),
            actor=actor,
            consent_given=True,
        )
    with pytest.raises(ValidationError, match="agree"):
        referral_create(
            resident=ResidentFactory(), program=ProgramFactory(), actor=actor, consent_given=False
        )
    with pytest.raises(ValidationError, match="resident"):
        referral_create(program=ProgramFactory(), actor=actor, consent_given=True)
    assert Referral.objects.count() == 0 and Need.objects.count() == 0


def test_a_referral_sent_again_after_a_decline_gets_a_fresh_time_to_accept(db):
    import datetime as dt

    from django.utils import timezone

    from porchlight.cases.selectors import referral_is_overdue
    from porchlight.cases.services import referral_set_status
    from porchlight.testing.factories import ProgramFactory, UserFactory
    from porchlight.testing.factories_referrals import referral_in_state

    manager = UserFactory(role="program_manager")
    program = ProgramFactory(accept_within_days=3)
    referral = referral_in_state(
        program=program,
        referrer=manager,
        status="declined",
        decline_reason="no_capacity",
        created_at=timezone.now() - dt.timedelta(days=10),
    )
    referral = referral_set_status(referral=referral, status="sent", actor=manager)
    assert not referral_is_overdue(referral=referral)
    assert referral_is_overdue(referral=referral, today=timezone.localdate() + dt.timedelta(days=4))
