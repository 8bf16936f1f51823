import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.roles import Role
from porchlight.cases.casework import services as svc
from porchlight.cases.casework.selectors import case_is_readable_by, cases_readable_by, task_queue
from porchlight.cases.models import Case, CaseDocument, Task
from porchlight.testing.factories import (
    ConversationFactory,
    ReferralFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
)
from porchlight.testing.factories_cases import CaseFactory, CaseNoteFactory, TaskFactory

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def cm(personas):
    return personas["case_manager"]


def test_it_opens_a_case_with_documents_referrals_and_history(cm):
    referral = ReferralFactory()
    case = svc.case_open(
        resident=referral.resident,
        title="  Keep the family housed  ",
        owner=cm,
        actor=cm,
        documents=["Photo ID", "Lease", "Photo ID", " "],
        referrals=[referral],
    )
    assert (case.title, case.owner, case.team, case.status) == ("Keep the family housed", cm, cm.team, "open")
    assert list(case.documents.values_list("name", flat=True)) == ["Photo ID", "Lease"]
    referral.refresh_from_db()
    assert referral.case == case
    assert list(case.history.values_list("status", flat=True)) == ["open"]
    assert AuditEvent.objects.filter(
        action="create", object_type="cases.case", object_id=str(case.pk)
    ).exists()


def test_it_refuses_to_open_a_case_for_an_erased_resident(cm):
    resident = ResidentFactory(erased_at=timezone.now())
    with pytest.raises(ValidationError, match="erased"):
        svc.case_open(resident=resident, title="Help", owner=cm, actor=cm)
    assert Case.objects.count() == 0


def test_it_refuses_a_resident_the_partner_cannot_see(personas):
    partner = personas["partner"]
    with pytest.raises(ValidationError, match="cannot open a case"):
        svc.case_open(resident=ResidentFactory(), title="Help", owner=partner, actor=partner)


def test_it_refuses_an_owner_who_is_not_a_case_manager_and_writes_nothing(personas):
    cm = personas["case_manager"]
    with pytest.raises(ValidationError, match="cannot own cases"):
        svc.case_open(
            resident=ResidentFactory(),
            title="Help",
            owner=personas["outreach_worker"],
            actor=cm,
            documents=["Photo ID"],
        )
    assert Case.objects.count() == 0
    assert CaseDocument.objects.count() == 0


def test_it_refuses_an_actor_without_the_capability(personas):
    worker = personas["outreach_worker"]
    with pytest.raises(PermissionDenied):
        svc.case_open(resident=ResidentFactory(), title="Help", owner=personas["case_manager"], actor=worker)


def test_it_rolls_back_the_case_when_a_referral_belongs_to_someone_else(cm):
    resident = ResidentFactory()
    other = ReferralFactory()
    with pytest.raises(ValidationError, match="another resident"):
        svc.case_open(resident=resident, title="Help", owner=cm, actor=cm, referrals=[other])
    assert Case.objects.count() == 0


def test_it_needs_a_note_to_close_and_records_each_status(cm):
    case = CaseFactory(owner=cm)
    with pytest.raises(ValidationError, match="closing note"):
        svc.case_set_status(case=case, status="closed", actor=cm, note="  ")
    svc.case_set_status(case=case, status="on_hold", actor=cm, note="Resident travelling")
    case = svc.case_set_status(case=case, status="closed", actor=cm, note="Rent paid, lease renewed")
    assert (case.status, case.close_note) == ("closed", "Rent paid, lease renewed")
    assert case.closed_at is not None
    assert list(case.history.values_list("status", flat=True)) == ["open", "on_hold", "closed"]
    case = svc.case_set_status(case=case, status="open", actor=cm)
    assert (case.closed_at, case.close_note) == (None, "")


def test_it_refuses_an_unknown_status(cm):
    with pytest.raises(ValidationError, match="Unknown"):
        svc.case_set_status(case=CaseFactory(owner=cm), status="archived", actor=cm)


def test_closing_a_case_closes_its_open_plan(cm):
    case = CaseFactory(owner=cm)
    open_task = TaskFactory(case=case)
    svc.case_set_status(case=case, status="closed", actor=cm, note="Done")
    open_task.refresh_from_db()
    assert open_task.done_by == cm and open_task.done_at is not None


def test_it_reassigns_the_case_its_team_and_the_old_owners_open_tasks(cm):
    case = CaseFactory(owner=cm)
    mine = TaskFactory(case=case)
    done = TaskFactory(case=case, done_at=timezone.now())
    other_team = TeamFactory(name="Housing & Neighborhood Services")
    new_owner = UserFactory(role=Role.CASE_MANAGER, team=other_team)
    case = svc.case_reassign(case=case, owner=new_owner, actor=cm)
    assert (case.owner, case.team) == (new_owner, other_team)
    mine.refresh_from_db()
    done.refresh_from_db()
    assert (mine.assigned_to, done.assigned_to) == (new_owner, cm)
    assert "Reassigned" in case.history.last().note
    # The old owner's team no longer reads the case; the new team does.
    assert not case_is_readable_by(case=case, user=cm)
    assert case_is_readable_by(case=case, user=UserFactory(role=Role.CASE_MANAGER, team=other_team))


def test_it_refuses_to_reassign_to_someone_who_cannot_own_cases(personas):
    case = CaseFactory(owner=personas["case_manager"])
    with pytest.raises(ValidationError):
        svc.case_reassign(case=case, owner=personas["analyst"], actor=personas["case_manager"])


def test_it_adds_notes_and_refuses_empty_ones(cm):
    case = CaseFactory(owner=cm)
    with pytest.raises(ValidationError, match="Write the note"):
        svc.case_note_add(case=case, actor=cm, body="   ")
    note = svc.case_note_add(case=case, actor=cm, body=" Landlord agreed to a payment plan. ")
    assert (note.body, note.author) == ("Landlord agreed to a payment plan.", cm)


def test_it_keeps_a_documents_checklist(cm):
    case = CaseFactory(owner=cm)
    doc = svc.case_document_add(case=case, name="Pay stubs", actor=cm)
    with pytest.raises(ValidationError, match="already on the checklist"):
        svc.case_document_add(case=case, name="pay stubs", actor=cm)
    with pytest.raises(ValidationError, match="Name the document"):
        svc.case_document_add(case=case, name="", actor=cm)
    svc.case_document_mark_received(document=doc, actor=cm)
    assert doc.received_at is not None
    svc.case_document_mark_received(document=doc, actor=cm, received=False)
    doc.refresh_from_db()
    assert doc.received_at is None


def test_it_adds_plan_tasks_for_the_owner_and_checks_dates_and_assignees(cm, personas):
    case = CaseFactory(owner=cm)
    task = svc.task_add(case=case, title="Call the landlord", due_on=TODAY, actor=cm, today=TODAY)
    assert (task.assigned_to, task.kind, task.due_on) == (cm, "plan", TODAY)
    with pytest.raises(ValidationError, match="past"):
        svc.task_add(case=case, title="Late", due_on=TODAY - dt.timedelta(days=1), actor=cm, today=TODAY)
    with pytest.raises(ValidationError, match="cannot see this case"):
        svc.task_add(
            case=case, title="X", due_on=TODAY, actor=cm, assigned_to=personas["partner"], today=TODAY
        )
    with pytest.raises(ValidationError, match="Say what"):
        svc.task_add(case=case, title=" ", due_on=TODAY, actor=cm, today=TODAY)
    assert Task.objects.count() == 1


def test_a_closed_case_takes_no_new_tasks_documents_or_referrals(cm):
    case = CaseFactory(owner=cm, status=Case.Status.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        svc.task_add(case=case, title="Call", due_on=timezone.localdate(), actor=cm)
    with pytest.raises(ValidationError, match="closed"):
        svc.case_document_add(case=case, name="ID", actor=cm)
    with pytest.raises(ValidationError, match="closed"):
        svc.referral_link_to_case(referral=ReferralFactory(resident=case.resident), case=case, actor=cm)


def test_it_completes_and_reopens_tasks(cm):
    task = TaskFactory(case=CaseFactory(owner=cm))
    task = svc.task_complete(task=task, actor=cm)
    first_done = task.done_at
    assert task.done_by == cm
    assert svc.task_complete(task=task, actor=cm).done_at == first_done  # a double click changes nothing
    task = svc.task_reopen(task=task, actor=cm)
    assert (task.done_at, task.done_by) == (None, None)


def test_it_links_a_referral_of_the_same_resident_only_once(cm):
    case = CaseFactory(owner=cm)
    conversation = ConversationFactory(resident=case.resident)
    referral = ReferralFactory(need__conversation=conversation)
    svc.referral_link_to_case(referral=referral, case=case, actor=cm)
    other_case = CaseFactory(owner=cm, resident=case.resident)
    with pytest.raises(ValidationError, match="another case"):
        svc.referral_link_to_case(referral=referral, case=other_case, actor=cm)
    with pytest.raises(ValidationError, match="another resident"):
        svc.referral_link_to_case(referral=ReferralFactory(), case=case, actor=cm)


def test_the_reading_rule_owner_team_case_managers_and_administrators(personas):
    cm = personas["case_manager"]
    case = CaseFactory(owner=cm)
    CaseNoteFactory(case=case)
    teammate = UserFactory(role=Role.CASE_MANAGER, team=cm.team)
    assert set(cases_readable_by(cm)) == {case}
    assert set(cases_readable_by(teammate)) == {case}
    assert set(cases_readable_by(personas["administrator"])) == {case}
    for name in ("outreach_worker", "analyst", "program_manager", "partner"):
        assert not cases_readable_by(personas[name]).exists(), name
    assert not cases_readable_by(UserFactory(role=Role.CASE_MANAGER)).exists()  # another team


def test_the_queue_groups_open_tasks_by_due_date(cm):
    case = CaseFactory(owner=cm)
    overdue = TaskFactory(case=case, due_on=TODAY - dt.timedelta(days=1))
    today = TaskFactory(case=case, due_on=TODAY)
    week = TaskFactory(case=case, due_on=TODAY + dt.timedelta(days=6))
    later = TaskFactory(case=case, due_on=TODAY + dt.timedelta(days=7))
    TaskFactory(case=case, due_on=TODAY, done_at=timezone.now())
    TaskFactory(case=CaseFactory(), due_on=TODAY)  # someone else's
    groups = task_queue(user=cm, today=TODAY)
    assert groups == {"overdue": [overdue], "today": [today], "week": [week], "later": [later]}
