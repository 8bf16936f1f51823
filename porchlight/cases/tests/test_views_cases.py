import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.roles import Role
from porchlight.cases.models import Case, CaseNote, Task
from porchlight.testing.factories import (
    ConversationFactory,
    ProgramFactory,
    ReferralFactory,
    ResidentFactory,
    UserFactory,
)
from porchlight.testing.factories_cases import CaseDocumentFactory, CaseFactory, CaseNoteFactory, TaskFactory


@pytest.fixture
def case(personas):
    case = CaseFactory(owner=personas["case_manager"], title="Keep the family housed")
    CaseNoteFactory(case=case, body="Landlord agreed to wait until the 15th.")
    return case


def get(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def post(client, user, url, data=None, **kwargs):
    client.force_login(user)
    return client.post(url, data or {}, **kwargs)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("case_manager", 200),  # the owner
        ("teammate", 200),  # a case manager of the owner's team
        ("administrator", 200),
        ("other_team_case_manager", 404),
        ("partner", 404),
        ("outreach_worker", 403),
        ("analyst", 403),
        ("program_manager", 403),
    ],
)
def test_the_case_page_permission_matrix(client, personas, case, who, status):
    users = {
        **personas,
        "teammate": UserFactory(role=Role.CASE_MANAGER, team=personas["case_manager"].team),
        "other_team_case_manager": UserFactory(role=Role.CASE_MANAGER),
    }
    response = get(client, users[who], reverse("casework:case_detail", args=[case.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Landlord agreed to wait" in response.content.decode()


def test_it_audits_every_read_of_a_case_page(client, personas, case):
    url = reverse("casework:case_detail", args=[case.pk])
    get(client, personas["case_manager"], url)
    get(client, personas["administrator"], url)
    events = AuditEvent.objects.filter(
        action="view",
        object_type="people.resident",
        object_id=str(case.resident_id),
        detail=f"case {case.pk}",
    )
    assert set(events.values_list("actor__username", flat=True)) == {"case_manager", "administrator"}
    assert events.count() == 2


def test_a_refused_read_is_not_audited_as_a_view(client, personas, case):
    get(client, personas["partner"], reverse("casework:case_detail", args=[case.pk]))
    assert not AuditEvent.objects.filter(detail=f"case {case.pk}").exists()


def test_the_writes_are_404_for_case_managers_outside_the_case(client, personas, case):
    stranger = UserFactory(role=Role.CASE_MANAGER)
    for name, data in [
        ("note_add", {"body": "sneaky"}),
        ("case_status", {"status": "closed", "note": "x"}),
        ("task_add", {"title": "x", "due_on": "2030-01-01"}),
        ("document_add", {"name": "ID"}),
    ]:
        assert post(client, stranger, reverse(f"casework:{name}", args=[case.pk]), data).status_code == 404, (
            name
        )
    assert CaseNote.objects.filter(body="sneaky").count() == 0
    case.refresh_from_db()
    assert case.status == "open"


def test_the_case_list_shows_mine_and_my_teams(client, personas, case):
    teammate = UserFactory(role=Role.CASE_MANAGER, team=personas["case_manager"].team)
    theirs = CaseFactory(owner=teammate, title="Find a job near the bus line")
    CaseFactory(title="Another team's case")
    cm = personas["case_manager"]
    mine = get(client, cm, reverse("casework:case_list")).content.decode()
    assert "Keep the family housed" in mine and theirs.title not in mine
    team = get(client, cm, reverse("casework:case_list") + "?scope=team").content.decode()
    assert (
        "Keep the family housed" in team and theirs.title in team and "Another team&#x27;s case" not in team
    )
    closed = get(client, cm, reverse("casework:case_list") + "?status=closed").content.decode()
    assert "Keep the family housed" not in closed
    assert get(client, personas["outreach_worker"], reverse("casework:case_list")).status_code == 403


def test_it_opens_a_case_from_a_residents_page_with_the_programs_documents(client, personas):
    cm = personas["case_manager"]
    resident = ResidentFactory()
    program = ProgramFactory(name="Emergency rent assistance", required_documents="Photo ID\nLease\n")
    # Made by a colleague on the case manager's team: need-to-know lets them see and link it.
    by_colleague = ConversationFactory(resident=resident, held_by=personas["outreach_worker"])
    referral = ReferralFactory(need__conversation=by_colleague, program=program)
    url = reverse("casework:case_new") + f"?resident={resident.pk}"
    page = get(client, cm, url).content.decode()
    assert "Photo ID" in page and "Emergency rent assistance" in page
    response = post(
        client,
        cm,
        reverse("casework:case_new"),
        {
            "resident": resident.pk,
            "title": "Stay housed",
            "owner": cm.pk,
            "referrals": [referral.pk],
            "documents": ["Photo ID"],
            "other_documents": "Pay stubs\n",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("casework:case_detail", args=[case.pk])
    assert list(case.documents.values_list("name", flat=True)) == ["Photo ID", "Pay stubs"]
    assert list(case.referrals.all()) == [referral]


def test_opening_a_case_shows_errors_and_writes_nothing(client, personas):
    cm = personas["case_manager"]
    resident = ResidentFactory()
    response = post(
        client, cm, reverse("casework:case_new"), {"resident": resident.pk, "title": "", "owner": cm.pk}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    # An owner from another team is not offered, and is refused if posted anyway.
    stranger = UserFactory(role=Role.CASE_MANAGER)
    response = post(
        client,
        cm,
        reverse("casework:case_new"),
        {"resident": resident.pk, "title": "X", "owner": stranger.pk},
    )
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_opening_a_case_for_a_resident_out_of_scope_is_404(client, personas):
    url = reverse("casework:case_new") + f"?resident={ResidentFactory().pk}"
    assert get(client, personas["partner"], url).status_code == 404
    assert get(client, personas["outreach_worker"], url).status_code == 403


def test_closing_without_a_note_shows_the_error_on_the_page(client, personas, case):
    cm = personas["case_manager"]
    response = post(
        client, cm, reverse("casework:case_status", args=[case.pk]), {"status": "closed", "note": ""}
    )
    assert response.status_code == 200
    assert "Write a closing note" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "open"
    response = post(
        client, cm, reverse("casework:case_status", args=[case.pk]), {"status": "closed", "note": "Done"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_it_adds_notes_tasks_documents_and_links_referrals(client, personas, case):
    cm = personas["case_manager"]
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert (
        post(client, cm, reverse("casework:note_add", args=[case.pk]), {"body": "Called back."}).status_code
        == 302
    )
    assert (
        post(
            client, cm, reverse("casework:task_add", args=[case.pk]), {"title": "Visit", "due_on": due}
        ).status_code
        == 302
    )
    assert (
        post(client, cm, reverse("casework:document_add", args=[case.pk]), {"name": "Lease"}).status_code
        == 302
    )
    referral = ReferralFactory(
        need__conversation=ConversationFactory(resident=case.resident, held_by=personas["outreach_worker"])
    )
    url = reverse("casework:referral_link", args=[case.pk])
    assert post(client, cm, url, {"referral": referral.pk}).status_code == 302
    assert case.notes.first().body == "Called back."
    assert case.tasks.get().title == "Visit"
    assert case.documents.get().name == "Lease"
    referral.refresh_from_db()
    assert referral.case == case
    page = get(client, cm, reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert page.index("Called back.") < page.index("Landlord agreed")  # newest note first


def test_a_task_in_the_past_is_refused_with_a_message(client, personas, case):
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    response = post(
        client,
        personas["case_manager"],
        reverse("casework:task_add", args=[case.pk]),
        {"title": "X", "due_on": past},
    )
    assert response.status_code == 200 and "in the past" in response.content.decode()
    assert Task.objects.count() == 0


def test_it_ticks_a_document_received(client, personas, case):
    doc = CaseDocumentFactory(case=case, name="Photo ID")
    post(
        client,
        personas["case_manager"],
        reverse("casework:document_received", args=[doc.pk]),
        {"received": "1"},
    )
    doc.refresh_from_db()
    assert doc.received_at is not None
    assert (
        post(
            client,
            UserFactory(role=Role.CASE_MANAGER),
            reverse("casework:document_received", args=[doc.pk]),
            {"received": "0"},
        ).status_code
        == 404
    )


def test_my_work_queue_groups_my_tasks_and_includes_automatic_check_ins(client, personas, case):
    cm = personas["case_manager"]
    today = timezone.localdate()
    TaskFactory(case=case, title="Overdue call", due_on=today - dt.timedelta(days=1))
    TaskFactory(case=case, title="Call today", due_on=today)
    referral = ReferralFactory(owner=cm)
    Task.objects.create(
        referral=referral,
        kind="follow_up",
        rule="check_in_14",
        title="Check in with Ana",
        assigned_to=cm,
        due_on=today + dt.timedelta(days=10),
    )
    TaskFactory(case=CaseFactory(), title="Not mine")
    page = get(client, cm, reverse("casework:task_queue")).content.decode()
    assert page.index("Overdue call") < page.index("Call today") < page.index("Check in with Ana")
    assert "Not mine" not in page
    assert reverse("cases:referral_detail", args=[referral.pk]) in page
    assert get(client, personas["analyst"], reverse("casework:task_queue")).status_code == 403


def test_done_swaps_the_row_for_htmx_and_redirects_without_js(client, personas, case):
    cm = personas["case_manager"]
    task = TaskFactory(case=case, title="Call the landlord")
    url = reverse("casework:task_done", args=[task.pk])
    response = post(client, cm, url, {"next": "/cases/tasks/"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="pl-task pl-task--done" id="task-{task.pk}"')
    assert "Undo" in html
    task.refresh_from_db()
    assert task.done_by == cm
    response = post(client, cm, reverse("casework:task_reopen", args=[task.pk]), {"next": "/cases/tasks/"})
    assert response.status_code == 302 and response.url == "/cases/tasks/"
    task.refresh_from_db()
    assert task.done_at is None
    # Not an open redirect.
    response = post(client, cm, url, {"next": "https://evil.example/"})
    assert response.url == reverse("casework:task_queue")


def test_nobody_else_can_tick_my_task(client, personas, case):
    task = TaskFactory(case=case)
    url = reverse("casework:task_done", args=[task.pk])
    assert post(client, UserFactory(role=Role.CASE_MANAGER), url).status_code == 404
    assert post(client, personas["outreach_worker"], url).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None
