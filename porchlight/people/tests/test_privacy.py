import json

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.models import AuditEvent
from porchlight.cases.models import Referral, ReferralStatusChange, Task
from porchlight.directory.models import Screening
from porchlight.insights.selectors import (
    DashboardFilters,
    dashboard_totals,
    needs_by_category,
    referrals_by_status,
)
from porchlight.outreach.models import Attempt, Conversation, Need
from porchlight.people.models import Email, Phone, Resident
from porchlight.people.privacy import ERASED_TEXT, resident_erase, resident_export
from porchlight.testing.factories import (
    AreaFactory,
    ConversationFactory,
    NeedFactory,
    PhoneFactory,
    ReferralFactory,
    ResidentFactory,
)
from porchlight.testing.factories_cases import CaseFactory, CaseNoteFactory, TaskFactory


@pytest.fixture
def record(personas):
    """A resident the city knows well: contacts, a conversation with notes, a need, a referral, a screening
    and a case with a note and a task."""
    resident = ResidentFactory(first_name="Rosa", last_name="Quintero", age_range="35_44", gender="woman")
    PhoneFactory(resident=resident, number="+17045550142")
    Email.objects.create(resident=resident, address="rosa@example.org")
    area = AreaFactory(name="Hidden Valley")
    conversation = ConversationFactory(
        resident=resident,
        area=area,
        address=resident.address,
        notes="Rosa's landlord is threatening to evict her.",
        what_matters_most="Keeping her kids in the same school",
        ideas="",
    )
    need = NeedFactory(conversation=conversation, description="Two months behind on rent")
    referral = ReferralFactory(
        need=need, note="Rosa works nights; call after 2pm", owner=personas["case_manager"]
    )
    ReferralStatusChange.objects.create(
        referral=referral, status="sent", changed_by=personas["case_manager"], note="Rosa asked for Spanish"
    )
    Screening.objects.create(
        resident=resident,
        screened_by=personas["case_manager"],
        answers={"income": 21000, "household_size": 3},
    )
    case = CaseFactory(resident=resident, owner=personas["case_manager"], title="Rosa Quintero eviction")
    CaseNoteFactory(case=case, body="Rosa's ex-partner must not learn her new address.")
    TaskFactory(case=case, title="Call Rosa about the lease")
    Task.objects.create(
        referral=referral,
        kind="follow_up",
        rule="check_in_14",
        title="Check in with Rosa Quintero about rent help",
        assigned_to=personas["case_manager"],
        due_on=timezone.localdate(),
    )
    Attempt.objects.create(
        campaign=conversation.campaign,
        resident=resident,
        address=resident.address,
        channel="door",
        outcome="not_home",
        note="Rosa's car in the drive",
        made_by=conversation.held_by,
        made_at=timezone.now(),
    )
    return {
        "resident": resident,
        "conversation": conversation,
        "referral": referral,
        "case": case,
        "area": area,
    }


def test_it_exports_everything_we_hold_and_audits_the_export(personas, record):
    resident = record["resident"]
    data = resident_export(resident=resident, actor=personas["administrator"])
    json.dumps(data)  # JSON-ready
    assert data["resident"]["first_name"] == "Rosa"
    assert data["contacts"]["phones"][0]["number"] == "+17045550142"
    assert data["contacts"]["emails"][0]["address"] == "rosa@example.org"
    assert data["conversations"][0]["notes"] == "Rosa's landlord is threatening to evict her."
    assert data["needs"][0]["description"] == "Two months behind on rent"
    assert data["referrals"][0]["note"] == "Rosa works nights; call after 2pm"
    assert {h["note"] for h in data["referrals"][0]["history"]} >= {"Rosa asked for Spanish"}
    assert data["screenings"][0]["answers"] == {"income": 21000, "household_size": 3}
    assert data["cases"][0]["notes"][0]["body"] == "Rosa's ex-partner must not learn her new address."
    assert data["cases"][0]["tasks"][0]["title"] == "Call Rosa about the lease"
    assert data["contact_attempts"][0]["note"] == "Rosa's car in the drive"
    assert AuditEvent.objects.filter(
        action="export",
        object_type="people.resident",
        object_id=str(resident.pk),
        actor=personas["administrator"],
    ).exists()


def counts() -> dict:
    filters = DashboardFilters()
    return {
        "totals": dashboard_totals(filters=filters),
        "needs": needs_by_category(filters=filters),
        "referrals": referrals_by_status(filters=filters),
        "by_area": list(Conversation.objects.values("area").annotate(n=Count("id")).order_by("area")),
        "outcomes": list(
            Referral.objects.values("status", "outcome").annotate(n=Count("id")).order_by("status")
        ),
        "cases": list(Task.objects.values("case__status").annotate(n=Count("id")).order_by("case__status")),
    }


def test_erasing_removes_personal_data_everywhere_and_keeps_the_counts(personas, record):
    resident = record["resident"]
    before = counts()
    resident_erase(resident=resident, actor=personas["administrator"], reason="Asked by phone, ticket 4411")
    assert counts() == before

    resident.refresh_from_db()
    assert resident.erased_at is not None
    assert (resident.first_name, resident.last_name, resident.age_range, resident.gender) == ("", "", "", "")
    assert resident.address is None and resident.household is None
    assert resident.do_not_contact and not resident.consent_to_contact
    assert not Phone.objects.filter(resident=resident).exists()
    assert not Email.objects.filter(resident=resident).exists()
    conversation = Conversation.objects.get(pk=record["conversation"].pk)
    assert (conversation.notes, conversation.what_matters_most, conversation.ideas) == (
        ERASED_TEXT,
        ERASED_TEXT,
        "",
    )
    assert conversation.address is None and conversation.area == record["area"]
    assert conversation.resident == resident  # still one identified resident reached
    assert Need.objects.get().description == ERASED_TEXT
    referral = Referral.objects.get()
    assert referral.note == ERASED_TEXT and referral.program == record["referral"].program
    assert "Rosa" not in "".join(ReferralStatusChange.objects.values_list("note", flat=True))
    assert Screening.objects.get().answers == {}
    case = record["case"]
    case.refresh_from_db()
    assert case.title == ERASED_TEXT
    assert list(case.notes.values_list("body", flat=True)) == [ERASED_TEXT]
    assert set(Task.objects.values_list("title", flat=True)) == {ERASED_TEXT}
    assert Attempt.objects.get().note == ERASED_TEXT
    # Nothing that names her is left in the rows we keep.
    export = json.dumps(resident_export(resident=resident, actor=personas["administrator"]))
    for secret in ("Rosa", "Quintero", "+17045550142", "rosa@example.org", "21000"):
        assert secret not in export, secret
    event = AuditEvent.objects.filter(
        object_type="people.resident", object_id=str(resident.pk), action="update"
    )
    assert "ticket 4411" in event.get().detail


def test_erasing_also_blanks_the_theme_analysis_copy_but_keeps_its_themes(personas, record):
    from porchlight.insights.models import TextItem, Theme, ThemeCode

    conversation = record["conversation"]
    item = TextItem.objects.create(
        conversation=conversation,
        campaign=conversation.campaign,
        field="notes",
        text=conversation.notes,
        text_scrubbed=conversation.notes,
    )
    theme = Theme.objects.create(campaign=conversation.campaign, name="Housing costs")
    ThemeCode.objects.create(item=item, theme=theme, confidence=0.9)
    resident_erase(resident=record["resident"], actor=personas["administrator"], reason="Asked in person")
    item.refresh_from_db()
    assert (item.text, item.text_scrubbed) == (ERASED_TEXT, ERASED_TEXT)
    assert item.codes.get().theme == theme  # the theme count stays


def test_erasing_twice_is_refused(personas, record):
    resident_erase(resident=record["resident"], actor=personas["administrator"], reason="Asked by email")
    with pytest.raises(ValidationError, match="already erased"):
        resident_erase(resident=record["resident"], actor=personas["administrator"], reason="Again")


def test_erasing_needs_the_request_written_down(personas, record):
    with pytest.raises(ValidationError, match="Write down the request"):
        resident_erase(resident=record["resident"], actor=personas["administrator"], reason="  ")
    assert Resident.objects.get(pk=record["resident"].pk).first_name == "Rosa"


def test_only_administrators_may_export_or_erase(client, personas, record):
    resident = record["resident"]
    for name in ("case_manager", "program_manager", "outreach_worker", "analyst", "partner"):
        client.force_login(personas[name])
        assert client.get(reverse("people:resident_export", args=[resident.pk])).status_code == 403, name
        assert client.post(reverse("people:resident_erase", args=[resident.pk]), {}).status_code == 403, name
    resident.refresh_from_db()
    assert resident.erased_at is None


def test_the_export_downloads_as_json(client, personas, record):
    client.force_login(personas["administrator"])
    response = client.get(reverse("people:resident_export", args=[record["resident"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["resident"]["last_name"] == "Quintero"


def test_the_erase_page_says_what_goes_and_needs_the_reason_and_the_confirmation(client, personas, record):
    resident = record["resident"]
    url = reverse("people:resident_erase", args=[resident.pk])
    client.force_login(personas["administrator"])
    page = client.get(url).content.decode()
    assert "What is removed" in page and "What remains" in page
    response = client.post(url, {"reason": "", "confirm": "on"})
    assert response.status_code == 200 and "Write down the request" in response.content.decode()
    response = client.post(url, {"reason": "Asked at the library event"})
    assert response.status_code == 200 and "cannot be undone" in response.content.decode()
    resident.refresh_from_db()
    assert resident.erased_at is None
    response = client.post(url, {"reason": "Asked at the library event", "confirm": "on"})
    assert response.status_code == 302
    page = client.get(reverse("people:resident_detail", args=[resident.pk])).content.decode()
    assert "Erased on" in page
    assert "Rosa" not in page and "rosa@example.org" not in page and "landlord" not in page
    # A second attempt only says it was already done.
    response = client.post(url, {"reason": "Again", "confirm": "on"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_id=str(resident.pk), detail__startswith="erased").count() == 1
