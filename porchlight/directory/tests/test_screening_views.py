"""The screener, its results, the rules and AMI editors over HTTP: permissions, privacy, audit, bad input."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from porchlight.accounts.models import AuditEvent, Team
from porchlight.accounts.roles import Role
from porchlight.directory.models import AreaMedianIncome, EligibilityRule, Program, Screening
from porchlight.places.models import Area
from porchlight.testing.factories import (
    AreaFactory,
    ConversationFactory,
    ProgramFactory,
    ReferralFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
)
from porchlight.testing.factories_screening import EligibilityRuleFactory, ScreeningFactory, ami_table_create

Q = EligibilityRule.Question
Op = EligibilityRule.Operator


@pytest.fixture
def rent_relief(db) -> Program:
    ami_table_create(year=2024, four_person=100_000)
    program = ProgramFactory(
        name="Rent Relief",
        required_documents="Photo ID\nLease",
        application_process="Call intake on weekdays.",
    )
    EligibilityRuleFactory(program=program, question=Q.INCOME, operator=Op.AMI_AT_MOST, value="60")
    EligibilityRuleFactory(
        program=program, question=Q.TENURE, operator=Op.IS, value="renter", explanation="Rents the home"
    )
    return program


@pytest.fixture
def resident(db):
    return ResidentFactory(first_name="Dolores", last_name="Huerta")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _audits(resident, detail: str = "") -> int:
    qs = AuditEvent.objects.filter(object_type="people.resident", object_id=str(resident.pk), action="view")
    return qs.filter(detail__contains=detail).count() if detail else qs.count()


# --- The screener -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outreach_worker", 200),
        ("case_manager", 200),
        ("program_manager", 200),
        ("administrator", 200),
        ("analyst", 403),
        ("partner", 404),  # the partner never talked with this resident nor was sent them
    ],
)
def test_it_lets_only_screeners_open_the_screener(personas, resident, rent_relief, persona, status) -> None:
    response = _client(personas[persona]).get(reverse("services:screening_new", args=[resident.pk]))
    assert response.status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(resident) -> None:
    response = Client().get(reverse("services:screening_new", args=[resident.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lets_a_partner_screen_only_residents_their_organization_talked_to(personas, rent_relief) -> None:
    partner = personas["partner"]
    referral = ReferralFactory(program=ProgramFactory(organization=partner.team.organization))
    # A referral shares name, language and contact, not the record: screening it is the city's to do.
    referred = _client(partner).get(reverse("services:screening_new", args=[referral.resident.pk]))
    assert referred.status_code == 404
    talked_to = ConversationFactory(team=partner.team, held_by=partner).resident
    assert _client(partner).get(reverse("services:screening_new", args=[talked_to.pk])).status_code == 200


def test_it_prefills_the_neighborhood_from_the_residents_address(personas, rent_relief) -> None:
    hood = AreaFactory(code="4242", name="NPA 4242 · near Freedom Park")
    resident = ResidentFactory()
    resident.address.areas.add(hood)
    response = _client(personas["outreach_worker"]).get(reverse("services:screening_new", args=[resident.pk]))
    assert response.context["form"]["area"].value() == "4242"
    assert 'value="4242" selected' in response.content.decode()


def test_it_screens_and_shows_likely_programs_with_reasons_documents_and_a_refer_link(
    personas, resident, rent_relief
) -> None:
    worker = personas["outreach_worker"]
    conversation = ConversationFactory(resident=resident, held_by=worker)
    client = _client(worker)
    url = reverse("services:screening_new", args=[resident.pk]) + f"?conversation={conversation.pk}"
    response = client.post(
        url, {"household_size": "3", "income": "$30,000", "tenure": "renter", "employment": ""}, follow=True
    )
    screening = Screening.objects.get()
    assert response.redirect_chain[-1][0] == reverse("services:screening_detail", args=[screening.pk])
    assert screening.screened_by == worker and screening.conversation == conversation
    assert screening.answers == {"household_size": 3, "income": 30_000, "tenure": "renter"}
    page = response.content.decode()
    assert "Rent Relief" in page
    assert "Income $30,000 is at or below 60% of AMI for 3 people ($54,000)" in page
    assert "Rents the home" in page and "Photo ID" in page and "Lease" in page
    assert "Call intake on weekdays." in page
    refer = reverse("cases:referral_new_for_resident", args=[resident.pk])
    assert f'href="{refer}?program={rent_relief.pk}&amp;screening={screening.pk}"' in page
    assert AuditEvent.objects.filter(action="create", detail=f"screening {screening.pk}").count() == 1
    assert _audits(resident, f"screening {screening.pk}") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"household_size": "0"}, "greater than or equal to 1"),
        ({"income": "lots"}, "Yearly household income must be a whole number from 0 to 10,000,000."),
        ({"income": "-5"}, "from 0 to 10,000,000"),
        ({"age": "130"}, "less than or equal to 120"),
        ({"tenure": "squatter"}, "Select a valid choice"),
    ],
)
def test_it_shows_a_clear_error_and_saves_nothing_for_bad_answers(
    personas, resident, rent_relief, data, message
) -> None:
    response = _client(personas["outreach_worker"]).post(
        reverse("services:screening_new", args=[resident.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Screening.objects.count() == 0


def test_it_ignores_a_conversation_with_someone_else(personas, resident, rent_relief) -> None:
    other = ConversationFactory()
    url = reverse("services:screening_new", args=[resident.pk]) + f"?conversation={other.pk}"
    _client(personas["outreach_worker"]).post(url, {"tenure": "renter"})
    assert Screening.objects.get().conversation is None


# --- Privacy of the results -------------------------------------------------------------------------------


@pytest.fixture
def screening(personas, resident, rent_relief) -> Screening:
    from porchlight.directory.screening.services import screening_record

    return screening_record(
        resident=resident,
        actor=personas["outreach_worker"],
        answers={"household_size": 3, "income": 30_000, "tenure": "renter"},
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outreach_worker", 200),  # the screener
        ("case_manager", 200),  # a case manager of the screener's team
        ("administrator", 200),
        ("program_manager", 404),  # same team, but does not work cases
        ("analyst", 403),
        ("partner", 404),
    ],
)
def test_it_shows_screening_answers_only_to_those_allowed(personas, screening, persona, status) -> None:
    response = _client(personas[persona]).get(reverse("services:screening_detail", args=[screening.pk]))
    assert response.status_code == status
    assert _audits(screening.resident, f"screening {screening.pk}") == (1 if status == 200 else 0)


def test_it_hides_a_screening_from_another_teams_case_manager(personas, screening) -> None:
    other = UserFactory(
        role=Role.CASE_MANAGER, team=TeamFactory(name="Housing Services", kind=Team.Kind.DEPARTMENT)
    )
    response = _client(other).get(reverse("services:screening_detail", args=[screening.pk]))
    assert response.status_code == 404
    history = _client(other).get(
        reverse("services:screening_history", args=[screening.resident.pk]), HTTP_HX_REQUEST="true"
    )
    assert f"/programs/screenings/{screening.pk}/" not in history.content.decode()


def test_it_hides_a_screening_from_another_outreach_worker_of_the_same_team(personas, screening) -> None:
    colleague = UserFactory(role=Role.OUTREACH_WORKER, team=personas["outreach_worker"].team)
    response = _client(colleague).get(reverse("services:screening_detail", args=[screening.pk]))
    assert response.status_code == 404


def test_it_audits_every_read(personas, screening) -> None:
    client = _client(personas["case_manager"])
    for _ in range(3):
        client.get(reverse("services:screening_detail", args=[screening.pk]))
    events = AuditEvent.objects.filter(actor=personas["case_manager"], detail=f"screening {screening.pk}")
    assert events.count() == 3


def test_it_lists_a_residents_screenings_for_the_resident_page(personas, screening) -> None:
    ScreeningFactory(
        resident=screening.resident, screened_by=UserFactory(role=Role.OUTREACH_WORKER)
    )  # not ours
    response = _client(personas["outreach_worker"]).get(
        reverse("services:screening_history", args=[screening.resident.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page  # the fragment alone
    assert page.count("/programs/screenings/") == 1
    assert "1 likely program" in page
    assert _audits(screening.resident, "screenings") == 1
    full = _client(personas["outreach_worker"]).get(
        reverse("services:screening_history", args=[screening.resident.pk])
    )
    assert "<html" in full.content.decode()


def test_it_puts_the_screen_button_and_the_screenings_on_the_resident_page(personas, screening) -> None:
    page = (
        _client(personas["outreach_worker"])
        .get(reverse("people:resident_detail", args=[screening.resident.pk]))
        .content.decode()
    )
    assert reverse("services:screening_new", args=[screening.resident.pk]) in page
    assert reverse("services:screening_history", args=[screening.resident.pk]) in page


def test_it_shows_the_snapshot_even_after_the_rules_change(personas, screening, rent_relief) -> None:
    rent_relief.rules.all().delete()
    EligibilityRuleFactory(program=rent_relief, question=Q.AGE, operator=Op.AT_LEAST, value="90")
    page = _client(personas["outreach_worker"]).get(reverse("services:screening_detail", args=[screening.pk]))
    assert "Rents the home" in page.content.decode()


# --- The rules editor -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("program_manager", 200),
        ("administrator", 200),
        ("outreach_worker", 403),
        ("case_manager", 403),
        ("analyst", 403),
        ("partner", 403),
    ],
)
def test_it_lets_only_program_managers_edit_rules(personas, rent_relief, persona, status) -> None:
    client = _client(personas[persona])
    assert client.get(reverse("services:program_rules", args=[rent_relief.pk])).status_code == status
    assert client.get(reverse("services:ami_table")).status_code == status


def test_it_adds_edits_and_deletes_a_rule(personas, rent_relief) -> None:
    client = _client(personas["program_manager"])
    url = reverse("services:program_rules", args=[rent_relief.pk])
    response = client.post(
        url, {"question": "employment", "operator": "one_of", "value": "unemployed ,part_time"}
    )
    assert response.status_code == 302
    rule = rent_relief.rules.get(question="employment")
    assert rule.value == "unemployed, part_time"
    edit = reverse("services:program_rule_edit", args=[rent_relief.pk, rule.pk])
    client.post(edit, {"question": "age", "operator": "at_least", "value": "62", "explanation": "Seniors"})
    rule.refresh_from_db()
    assert (rule.question, rule.operator, rule.value, rule.explanation) == (
        "age",
        "at_least",
        "62",
        "Seniors",
    )
    client.post(reverse("services:program_rule_delete", args=[rent_relief.pk, rule.pk]))
    assert not EligibilityRule.objects.filter(pk=rule.pk).exists()
    assert client.get(reverse("services:program_rule_delete", args=[rent_relief.pk, 1])).status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "income", "operator": "at_most", "value": "sixty thousand"}, "Enter a number"),
        ({"question": "income", "operator": "ami_at_most", "value": "0"}, "from 1 to 200"),
        ({"question": "income", "operator": "ami_at_most", "value": "250"}, "from 1 to 200"),
        ({"question": "age", "operator": "ami_at_most", "value": "60"}, "does not apply to “Age”"),
        ({"question": "tenure", "operator": "is", "value": "landlord"}, "Use these codes: renter, owner."),
        ({"question": "tenure", "operator": "is", "value": "renter, owner"}, "use “is one of”"),
        ({"question": "employment", "operator": "one_of", "value": "retired, astronaut"}, "Use these codes"),
        ({"question": "rent_regulated", "operator": "is", "value": "maybe"}, "Enter true or false."),
        (
            {"question": "area", "operator": "one_of", "value": "99999"},
            "There is no area with the code 99999.",
        ),
        ({"question": "area", "operator": "is", "value": "7"}, "names more than one area"),
        ({"question": "area", "operator": "is", "value": "ward:7"}, "is not an area kind"),
        ({"question": "age", "operator": "at_least", "value": ""}, "This field is required."),
    ],
)
def test_it_rejects_bad_rules_with_a_clear_error_and_saves_nothing(
    personas, rent_relief, data, message
) -> None:
    AreaFactory(code="7")
    AreaFactory(kind=Area.Kind.COUNCIL_DISTRICT, code="7", name="Council District 7")
    before = list(EligibilityRule.objects.values_list("id", "question", "operator", "value"))
    response = _client(personas["program_manager"]).post(
        reverse("services:program_rules", args=[rent_relief.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(EligibilityRule.objects.values_list("id", "question", "operator", "value")) == before


def test_it_rejects_a_bad_edit_and_keeps_the_rule(personas, rent_relief) -> None:
    rule = rent_relief.rules.get(question="income")
    edit = reverse("services:program_rule_edit", args=[rent_relief.pk, rule.pk])
    response = _client(personas["program_manager"]).post(
        edit, {"question": "income", "operator": "ami_at_most", "value": "abc"}
    )
    assert "Enter a number" in response.content.decode()
    rule.refresh_from_db()
    assert rule.value == "60"


def test_it_does_not_edit_a_rule_through_another_program(personas, rent_relief) -> None:
    rule = rent_relief.rules.first()
    other = ProgramFactory()
    url = reverse("services:program_rule_edit", args=[other.pk, rule.pk])
    assert _client(personas["program_manager"]).get(url).status_code == 404


def test_it_tries_the_rules_on_made_up_answers(personas, rent_relief) -> None:
    client = _client(personas["program_manager"])
    url = reverse("services:program_rules_try", args=[rent_relief.pk])
    fits = client.get(
        url, {"household_size": "3", "income": "54000", "tenure": "renter"}, HTTP_HX_REQUEST="true"
    )
    assert "Likely qualifies." in fits.content.decode() and "<html" not in fits.content.decode()
    over = client.get(
        url, {"household_size": "3", "income": "54001", "tenure": "renter"}, HTTP_HX_REQUEST="true"
    )
    assert "Not listed." in over.content.decode()
    missing = client.get(url, {"tenure": "renter"}, HTTP_HX_REQUEST="true")
    assert "Might qualify" in missing.content.decode()
    page = client.get(url, {"household_size": "3", "income": "1000", "tenure": "renter"})
    assert "<html" in page.content.decode() and "Likely qualifies." in page.content.decode()
    assert Screening.objects.count() == 0


# --- The AMI table ----------------------------------------------------------------------------------------


def _ami_post(**sizes: int | str) -> dict:
    data = {f"size_{n}": v for n, v in zip(range(1, 9), [50, 60, 70, 80, 90, 100, 110, 120], strict=True)}
    data.update(sizes)
    return data


def test_it_edits_a_years_ami_table(personas, rent_relief) -> None:
    client = _client(personas["program_manager"])
    response = client.post(reverse("services:ami_table") + "?year=2024", _ami_post(size_4="104000"))
    assert response.status_code == 302
    table = dict(AreaMedianIncome.objects.filter(year=2024).values_list("household_size", "income"))
    assert table[4] == 104_000 and len(table) == 8


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"size_3": "0"}, "greater than or equal to 1"),
        ({"size_5": ""}, "This field is required."),
        ({"size_2": "-10"}, "greater than or equal to 1"),
        ({"size_1": "lots"}, "Enter a whole number."),
    ],
)
def test_it_rejects_a_bad_ami_table_and_keeps_the_old_one(personas, rent_relief, change, message) -> None:
    before = list(AreaMedianIncome.objects.values_list("year", "household_size", "income"))
    response = _client(personas["program_manager"]).post(
        reverse("services:ami_table") + "?year=2024", _ami_post(**change)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert list(AreaMedianIncome.objects.values_list("year", "household_size", "income")) == before


def test_it_adds_a_year_by_copying_the_previous_one(personas, rent_relief) -> None:
    client = _client(personas["program_manager"])
    response = client.post(reverse("services:ami_year_new"), {"year": "2025"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2025")
    assert dict(AreaMedianIncome.objects.filter(year=2025).values_list("household_size", "income")) == dict(
        AreaMedianIncome.objects.filter(year=2024).values_list("household_size", "income")
    )
    again = client.post(reverse("services:ami_year_new"), {"year": "2025"}, follow=True)
    assert "There is already a table for 2025." in again.content.decode()
    first = client.post(reverse("services:ami_year_new"), {"year": "2010"}, follow=True)
    assert "There is no earlier table to copy" in first.content.decode()
    assert not AreaMedianIncome.objects.filter(year=2010).exists()
