"""The screening rule engine, specified as a table of households and the programs each should be shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from porchlight.directory.models import AreaMedianIncome, EligibilityRule, Program, Screening
from porchlight.directory.screening.rules import ami_for_size, ami_table
from porchlight.directory.screening.screener import (
    Verdict,
    neighborhood_areas,
    screening_answers_clean,
    screening_evaluate,
)
from porchlight.directory.screening.services import screening_record
from porchlight.places.models import Area
from porchlight.testing.factories import (
    AreaFactory,
    ConversationFactory,
    ProgramFactory,
    ResidentFactory,
    UserFactory,
    square,
)
from porchlight.testing.factories_screening import EligibilityRuleFactory, ami_table_create

Q = EligibilityRule.Question
Op = EligibilityRule.Operator
YEAR = 2024

# A household that qualifies for nothing: each row of the table changes only what it is about.
BASE = {
    "household_size": 2,
    "income": 200_000,
    "age": 30,
    "tenure": "owner",
    "rent_regulated": False,
    "health_coverage": True,
    "employment": "full_time",
    "area": "2030",  # a neighborhood outside council district 7
}
ALL_RULE_PROGRAMS = {
    "Big Family Fund": ["household_size", "income"],
    "Coverage Help": ["health_coverage"],
    "Job Start": ["employment"],
    "Rent Relief": ["household_size", "income", "tenure"],
    "Senior Repairs": ["age", "tenure"],
    "Tenant Rights": ["rent_regulated"],
    "Westside Grants": ["area"],
}


@pytest.fixture
def city(db) -> dict[str, Program]:
    """Eight programs with rules, an AMI table (4 people: $100,000) and areas: a neighborhood inside
    council district 7, one outside it (in ZIP 28299), and an NPA whose code '7' is also a district's."""
    ami_table_create(year=YEAR, four_person=100_000)
    ami_table_create(year=2020, four_person=80_000)
    AreaFactory(code="2001", name="NPA 2001")  # lon -80.88 … -80.87
    AreaFactory(code="2030", name="NPA 2030")  # lon -80.30 … -80.29
    AreaFactory(code="7", name="NPA 7")
    AreaFactory(
        kind=Area.Kind.COUNCIL_DISTRICT,
        code="7",
        name="Council District 7",
        geometry=square(-80.89, 35.19, 0.05),
    )
    AreaFactory(kind=Area.Kind.ZIP, code="28299", name="ZIP 28299", geometry=square(-80.31, 35.19, 0.05))
    AreaFactory(kind=Area.Kind.ZIP, code="28000", name="ZIP 28000", geometry=square(-81.5, 35.0, 0.01))

    def program(name: str, *rules: tuple[str, str, str, str], documents: str = "") -> Program:
        p = ProgramFactory(name=name, required_documents=documents)
        for question, operator, value, explanation in rules:
            EligibilityRuleFactory(
                program=p, question=question, operator=operator, value=value, explanation=explanation
            )
        return p

    return {
        p.name: p
        for p in [
            program(
                "Rent Relief",
                (Q.INCOME, Op.AMI_AT_MOST, "60", ""),
                (Q.TENURE, Op.IS, "renter", ""),
                documents="Photo ID\nLease\n\nLast two pay stubs",
            ),
            program(
                "Senior Repairs",
                (Q.AGE, Op.AT_LEAST, "62", "62 or older"),
                (Q.TENURE, Op.IS, "owner", "Owns the home"),
            ),
            program("Job Start", (Q.EMPLOYMENT, Op.ONE_OF, "unemployed, part_time", "")),
            program("Coverage Help", (Q.HEALTH_COVERAGE, Op.IS, "false", "")),
            program("Tenant Rights", (Q.RENT_REGULATED, Op.IS, "true", "")),
            program("Westside Grants", (Q.AREA, Op.ONE_OF, "council_district:7, 28000", "")),
            program(
                "Big Family Fund",
                (Q.HOUSEHOLD_SIZE, Op.AT_LEAST, "9", ""),
                (Q.INCOME, Op.AMI_AT_MOST, "80", ""),
            ),
            program("Open Pantry"),
        ]
    }


def _names(matches: list, verdict: str) -> set[str]:
    return {m.program.name for m in matches if m.verdict == verdict}


# (case, changes to BASE (None = not answered), expected likely, expected maybe {program: missing questions})
HOUSEHOLDS = [
    ("qualifies for nothing", {}, set(), {}),
    (
        "income exactly at 60% of AMI for 3",
        {"household_size": 3, "income": 54_000, "tenure": "renter"},
        {"Rent Relief"},
        {},
    ),
    (
        "income $1 over 60% of AMI for 3",
        {"household_size": 3, "income": 54_001, "tenure": "renter"},
        set(),
        {},
    ),
    ("income zero", {"household_size": 1, "income": 0, "tenure": "renter"}, {"Rent Relief"}, {}),
    (
        "income not given",
        {"household_size": 3, "income": None, "tenure": "renter"},
        set(),
        {"Rent Relief": ["income"]},
    ),
    (
        "neither size nor income given",
        {"household_size": None, "income": None, "tenure": "renter"},
        set(),
        {"Rent Relief": ["household_size", "income"], "Big Family Fund": ["household_size", "income"]},
    ),
    (
        "tenure not given, income fits",
        {"household_size": 3, "income": 40_000, "tenure": None},
        set(),
        {"Rent Relief": ["tenure"]},
    ),
    # Above the table (8 people): 132,000 + 2 × 8% × 100,000 = 148,000 for 10 people; 80% = 118,400.
    ("10 people exactly at 80% of AMI", {"household_size": 10, "income": 118_400}, {"Big Family Fund"}, {}),
    ("10 people $1 over 80% of AMI", {"household_size": 10, "income": 118_401}, set(), {}),
    ("9 people at 80% of AMI", {"household_size": 9, "income": 112_000}, {"Big Family Fund"}, {}),
    ("8 people is below the fund's minimum", {"household_size": 8, "income": 1_000}, set(), {}),
    ("age exactly 62, owner", {"age": 62}, {"Senior Repairs"}, {}),
    ("age 61", {"age": 61}, set(), {}),
    ("age not given", {"age": None}, set(), {"Senior Repairs": ["age"]}),
    ("works part time (one of)", {"employment": "part_time"}, {"Job Start"}, {}),
    ("unemployed (one of)", {"employment": "unemployed"}, {"Job Start"}, {}),
    ("retired (not one of)", {"employment": "retired"}, set(), {}),
    ("no health coverage", {"health_coverage": False}, {"Coverage Help"}, {}),
    ("rent-regulated home", {"rent_regulated": True}, {"Tenant Rights"}, {}),
    ("neighborhood inside council district 7", {"area": "2001"}, {"Westside Grants"}, {}),
    ("NPA 7 is not council district 7", {"area": "7"}, set(), {}),
    ("neighborhood not known", {"area": None}, set(), {"Westside Grants": ["area"]}),
    ("nothing answered", {k: None for k in BASE}, set(), ALL_RULE_PROGRAMS),
]


@pytest.mark.parametrize(("case", "changes", "likely", "maybe"), HOUSEHOLDS, ids=[h[0] for h in HOUSEHOLDS])
def test_it_lists_the_programs_each_household_qualifies_for(
    city: dict[str, Program], case: str, changes: dict, likely: set[str], maybe: dict[str, list[str]]
) -> None:
    answers = {**BASE, **changes}
    matches = screening_evaluate(answers=answers, year=YEAR)
    assert _names(matches, Verdict.LIKELY) == likely
    assert {m.program.name: m.missing for m in matches if m.verdict == Verdict.MAYBE} == maybe
    # A program with no rules is open to everyone: never a "likely" match, always listed apart.
    assert _names(matches, Verdict.OPEN) == {"Open Pantry"}
    assert all(m.reasons for m in matches if m.verdict == Verdict.LIKELY)


def test_it_explains_each_match_with_the_rule_or_a_generated_sentence(city: dict[str, Program]) -> None:
    answers = {**BASE, "household_size": 3, "income": 30_000, "tenure": "renter", "age": 70}
    matches = {m.program.name: m for m in screening_evaluate(answers=answers, year=YEAR)}
    assert matches["Rent Relief"].reasons == [
        "Income $30,000 is at or below 60% of AMI for 3 people ($54,000)",
        "Rents or owns: Rents",
    ]
    assert matches["Rent Relief"].documents == ["Photo ID", "Lease", "Last two pay stubs"]
    answers = {**BASE, "age": 70}
    matches = {m.program.name: m for m in screening_evaluate(answers=answers, year=YEAR)}
    assert matches["Senior Repairs"].reasons == ["62 or older", "Owns the home"]
    matches = {m.program.name: m for m in screening_evaluate(answers={**BASE, "area": "2001"}, year=YEAR)}
    assert matches["Westside Grants"].reasons == ["Lives in Council District 7"]


def test_it_orders_likely_before_maybe_before_open(city: dict[str, Program]) -> None:
    matches = screening_evaluate(
        answers={"household_size": 3, "income": 10_000, "tenure": "renter"}, year=YEAR
    )
    verdicts = [m.verdict for m in matches]
    assert verdicts == sorted(verdicts, key=[Verdict.LIKELY, Verdict.MAYBE, Verdict.OPEN].index)
    assert verdicts[0] == Verdict.LIKELY and verdicts[-1] == Verdict.OPEN


def test_it_uses_the_most_recent_ami_table_at_or_before_the_year(city: dict[str, Program]) -> None:
    # 2020 table: 3 people $72,000, 60% = $43,200. 2024 table: 60% = $54,000.
    answers = {"household_size": 3, "income": 50_000, "tenure": "renter"}
    programs = Program.objects.filter(name="Rent Relief")
    assert [m.verdict for m in screening_evaluate(answers=answers, programs=programs, year=2024)] == [
        "likely"
    ]
    assert screening_evaluate(answers=answers, programs=programs, year=2023) == []
    assert ami_table(2030) == (2024, ami_table(2024)[1])


def test_it_says_maybe_when_there_is_no_ami_table_for_the_year(city: dict[str, Program]) -> None:
    answers = {"household_size": 3, "income": 50_000, "tenure": "renter"}
    [match] = screening_evaluate(
        answers=answers, programs=Program.objects.filter(name="Rent Relief"), year=2019
    )
    assert match.verdict == Verdict.MAYBE and match.missing == []
    assert "no figure for 3 people" in match.unchecked[0]


def test_it_follows_hud_practice_above_the_largest_household_size() -> None:
    table = {1: 70, 2: 80, 3: 90, 4: 100, 5: 108, 6: 116, 7: 124, 8: 132}
    assert ami_for_size(table, 8) == 132
    assert ami_for_size(table, 9) == 140
    assert ami_for_size(table, 12) == 164
    assert ami_for_size({1: 50, 2: 60}, 3) is None  # no 4-person base: cannot extrapolate
    assert ami_for_size({1: 50, 2: 60, 4: 100}, 3) is None  # a hole in the table: never guess


def test_it_never_crashes_on_rule_data_saved_past_validation(city: dict[str, Program]) -> None:
    bad = ProgramFactory(name="Legacy Fund")
    EligibilityRule.objects.create(program=bad, question=Q.AGE, operator=Op.AT_MOST, value="sixty")
    EligibilityRule.objects.create(program=bad, question=Q.TENURE, operator=Op.IS, value="squatter")
    [match] = screening_evaluate(answers=BASE, programs=Program.objects.filter(pk=bad.pk), year=YEAR)
    assert match.verdict == Verdict.MAYBE
    assert len(match.unchecked) == 2


def test_it_leaves_out_inactive_programs(city: dict[str, Program]) -> None:
    Program.objects.filter(name="Job Start").update(is_active=False)
    matches = screening_evaluate(answers={**BASE, "employment": "unemployed"}, year=YEAR)
    assert "Job Start" not in {m.program.name for m in matches}


def test_it_finds_the_district_and_zip_covering_a_neighborhood(city: dict[str, Program]) -> None:
    assert [a.name for a in neighborhood_areas("2001")] == ["NPA 2001", "Council District 7"]
    assert [a.name for a in neighborhood_areas("2030")] == ["NPA 2030", "ZIP 28299"]
    assert neighborhood_areas("nope") == []


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"household_size": 0}, "household_size", "Household size must be a whole number from 1 to 20."),
        ({"household_size": 21}, "household_size", "from 1 to 20"),
        ({"household_size": "three"}, "household_size", "whole number"),
        ({"household_size": True}, "household_size", "whole number"),
        ({"income": -1}, "income", "from 0 to 10,000,000"),
        ({"income": 10_000_001}, "income", "from 0 to 10,000,000"),
        ({"income": "12.50"}, "income", "whole number"),
        ({"age": 121}, "age", "Age must be a whole number from 0 to 120."),
        ({"tenure": "squatter"}, "tenure", "is not an answer"),
        ({"employment": "astronaut"}, "employment", "is not an answer"),
        ({"rent_regulated": "maybe"}, "rent_regulated", "yes or no"),
        ({"area": "no-such-npa"}, "area", "no neighborhood"),
        ({"shoe_size": 9}, "shoe_size", "not a screening question"),
    ],
)
def test_it_rejects_bad_answers_with_a_clear_error(
    city: dict[str, Program], answers: dict, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        screening_answers_clean(answers)
    assert message in " ".join(exc.value.message_dict[field])


def test_it_accepts_answers_as_a_form_sends_them(city: dict[str, Program]) -> None:
    clean = screening_answers_clean(
        {
            "household_size": "3",
            "income": "$30,000",
            "age": "",
            "rent_regulated": "true",
            "tenure": "renter",
            "health_coverage": "false",
            "area": "2001",
            "employment": None,
        }
    )
    assert clean == {
        "household_size": 3,
        "income": 30_000,
        "tenure": "renter",
        "rent_regulated": True,
        "health_coverage": False,
        "area": "2001",
    }


def test_it_records_answers_and_a_snapshot_of_the_results(city: dict[str, Program]) -> None:
    resident = ResidentFactory()
    worker = UserFactory()
    conversation = ConversationFactory(resident=resident, held_by=worker)
    screening = screening_record(
        resident=resident,
        conversation=conversation,
        actor=worker,
        answers={"household_size": "3", "income": "30000", "tenure": "renter", "age": ""},
    )
    screening.refresh_from_db()
    assert screening.answers == {"household_size": 3, "income": 30_000, "tenure": "renter"}
    assert screening.screened_by == worker and screening.conversation == conversation
    by_name = {r["program_name"]: r for r in screening.results}
    assert by_name["Rent Relief"]["verdict"] == "likely"
    assert by_name["Rent Relief"]["program_id"] == city["Rent Relief"].pk
    assert by_name["Rent Relief"]["reasons"][0].startswith("Income $30,000 is at or below 60% of AMI")
    assert by_name["Job Start"] == {
        "program_id": city["Job Start"].pk,
        "program_name": "Job Start",
        "verdict": "maybe",
        "reasons": [],
        "missing": ["employment"],
        "unchecked": [],
    }
    assert by_name["Open Pantry"]["verdict"] == "open"
    assert "Senior Repairs" not in by_name  # a renter: its "owns the home" rule failed


@pytest.mark.parametrize(
    "answers", [{"household_size": 0}, {"income": "lots"}, {"age": 200}, {"tenure": "renter", "x": 1}]
)
def test_it_saves_nothing_when_an_answer_is_bad(city: dict[str, Program], answers: dict) -> None:
    with pytest.raises(ValidationError):
        screening_record(resident=ResidentFactory(), actor=UserFactory(), answers=answers)
    assert Screening.objects.count() == 0


def test_it_refuses_a_conversation_with_someone_else(city: dict[str, Program]) -> None:
    other = ConversationFactory()
    with pytest.raises(ValidationError, match="someone else"):
        screening_record(resident=ResidentFactory(), actor=UserFactory(), answers={}, conversation=other)
    assert Screening.objects.count() == 0


def test_it_refuses_to_screen_an_erased_resident(city: dict[str, Program]) -> None:
    from django.utils import timezone

    resident = ResidentFactory(erased_at=timezone.now())
    with pytest.raises(ValidationError, match="erased"):
        screening_record(resident=resident, actor=UserFactory(), answers={"age": 30})
    assert Screening.objects.count() == 0
    assert AreaMedianIncome.objects.filter(year=YEAR).count() == 8
