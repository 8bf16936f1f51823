"""The demo city generator, built at a small size: invariants a demo must keep to be believable."""

from __future__ import annotations

import hashlib
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone
from shapely.geometry import Point, shape

from porchlight.accounts.models import AuditEvent, User
from porchlight.cases.models import Referral
from porchlight.demo.generator import DemoError, demo_build, demo_reset
from porchlight.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from porchlight.outreach.models import Campaign, Conversation, Need, Topic
from porchlight.people.contact import phone_normalize
from porchlight.people.models import Language, Phone, Resident
from porchlight.places.models import Address, Area, Building

SMALL = {"addresses": 300, "residents": 100, "conversations": 200}
# fmt: off
SPANISH_WORDS = {
    "que", "la", "el", "de", "del", "en", "los", "las", "una", "un", "con", "su", "sus", "por", "para",
    "dice", "y", "pero", "sin", "se", "le", "muy",
}
ENGLISH_WORDS = {
    "the", "and", "to", "of", "she", "he", "her", "his", "with", "for", "on", "at", "says", "is", "in", "not",
    "did", "would", "wants", "about", "was", "has", "from", "after", "like", "more", "are", "near", "last",
}
# fmt: on


def _quiet(_: str) -> None:
    pass


@pytest.fixture
def small_city(db):
    return demo_build(seed=11, say=_quiet, **SMALL)


def _digest() -> str:
    """A fingerprint of what a seed decides, sorted in Python so that database collation does not matter."""
    rows = [
        *Resident.objects.values_list("client_id", "first_name", "last_name"),
        *Conversation.objects.values_list(
            "client_id", "notes", "what_matters_most", "ideas", "held_at", "language"
        ),
        *Address.objects.values_list("street", "unit", "zip_code", "latitude", "longitude"),
    ]
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-záéíóúñü]+", text.lower())


def test_it_builds_the_requested_counts(small_city):
    assert Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).count() == 459
    assert Area.objects.filter(kind=Area.Kind.COUNCIL_DISTRICT).count() == 7
    assert Area.objects.filter(kind=Area.Kind.ZIP).count() == 34
    assert Address.objects.count() == 300
    assert Resident.objects.count() == 100
    assert Conversation.objects.filter(campaign__name="Community Letter / Take10CLT").count() == 200
    assert Conversation.objects.count() == 220  # + 10 dialogues + 10 check-ins in the running campaign
    assert User.objects.count() == 160
    assert Topic.objects.count() == 5 and all(t.name_es for t in Topic.objects.all())
    letter = Campaign.objects.get(name="Community Letter / Take10CLT")
    assert (letter.conversation_target, letter.languages, letter.topics.count()) == (8000, ["en", "es"], 5)
    assert small_city.conversations == 220


def test_it_sums_council_district_population_from_the_neighborhoods(small_city):
    districts = Area.objects.filter(kind=Area.Kind.COUNCIL_DISTRICT)
    assert all(d.population and d.population > 50_000 for d in districts)
    total = sum(Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).values_list("population", flat=True))
    assert total == 1_115_476
    assert sum(d.population for d in districts) < total  # the towns outside Charlotte are in no district


def test_it_puts_every_address_inside_its_neighborhood_and_zip(small_city):
    addresses = Address.objects.prefetch_related("areas")
    for address in addresses:
        point = Point(address.longitude, address.latitude)
        by_kind: dict[str, list[Area]] = {}
        for area in address.areas.all():
            by_kind.setdefault(area.kind, []).append(area)
        assert len(by_kind[Area.Kind.NEIGHBORHOOD]) == 1, address
        assert shape(by_kind[Area.Kind.NEIGHBORHOOD][0].geometry).intersects(point), address
        assert [z.code for z in by_kind[Area.Kind.ZIP]] == [address.zip_code]
        assert len(by_kind.get(Area.Kind.COUNCIL_DISTRICT, [])) <= 1
    assert Building.objects.filter(addresses__isnull=False).exists()


def test_it_is_deterministic_for_a_seed(db):
    demo_build(seed=5, say=_quiet, **SMALL)
    first = _digest()
    demo_reset(say=_quiet)
    assert not Resident.objects.exists() and not User.objects.exists()
    demo_build(seed=5, say=_quiet, **SMALL)
    assert _digest() == first
    demo_reset(say=_quiet)
    demo_build(seed=6, say=_quiet, **SMALL)
    assert _digest() != first


def test_it_writes_spanish_notes_for_spanish_conversations(small_city):
    spanish = list(Conversation.objects.filter(language=Language.SPANISH))
    english = list(Conversation.objects.filter(language=Language.ENGLISH))
    assert spanish and english
    for conversation in spanish:
        words = _words(conversation.notes)
        assert sum(w in SPANISH_WORDS for w in words) > sum(w in ENGLISH_WORDS for w in words), (
            conversation.notes
        )
    for conversation in english:
        words = _words(conversation.notes)
        assert sum(w in ENGLISH_WORDS for w in words) > sum(w in SPANISH_WORDS for w in words), (
            conversation.notes
        )


def test_it_writes_mostly_distinct_notes(small_city):
    notes = list(Conversation.objects.values_list("notes", flat=True))
    assert all(notes)
    assert len(set(notes)) / len(notes) > 0.95


def test_it_refers_needs_to_programs_of_the_same_category(small_city):
    referrals = list(Referral.objects.select_related("need", "program").prefetch_related("history"))
    assert referrals
    for referral in referrals:
        assert referral.program.category == referral.need.category
        assert referral.resident_id == referral.need.resident_id is not None
        history = list(referral.history.all())
        assert history[0].status == Referral.Status.SENT
        assert history[-1].status == referral.status
        assert referral.need.conversation.held_at <= referral.created_at <= timezone.now()
        assert all(h.changed_at <= timezone.now() for h in history)
        assert (referral.closed_at is not None) == referral.is_closed
    assert Need.objects.count() >= len(referrals)


def test_it_gives_residents_valid_distinct_phone_numbers(small_city):
    numbers = list(Phone.objects.values_list("number", flat=True))
    assert numbers
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert phone_normalize(number) == number
        assert number[:5] in {"+1704", "+1980"}


def test_it_lets_each_demo_login_sign_in(small_city):
    request = RequestFactory().post("/accounts/login/")
    for login in DEMO_LOGINS:
        user = authenticate(request, username=login.username, password=DEMO_PASSWORD)
        assert user is not None, login.username
        assert (user.role, user.team.name) == (login.role, login.team)
    assert User.objects.get(username="partner").is_partner


def test_it_does_nothing_with_if_empty_the_second_time(db):
    call_command(
        "demo", "--if-empty", "--seed", "3", *[f"--{k}={v}" for k, v in SMALL.items()], stdout=StringIO()
    )
    count = Conversation.objects.count()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "already has a campaign" in out.getvalue()
    assert Conversation.objects.count() == count


def test_it_refuses_to_build_over_an_existing_city(small_city):
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", stdout=StringIO())


def test_it_refuses_to_reset_while_the_audit_log_names_users(small_city):
    AuditEvent.objects.create(actor=User.objects.get(username="admin"), action="view", object_type="resident")
    with pytest.raises(DemoError, match="append-only"):
        demo_reset(say=_quiet)
    assert Resident.objects.count() == 100


def test_it_prints_the_demo_logins(small_city):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for login in DEMO_LOGINS:
        assert re.search(rf"^{login.username}\s+.+{re.escape(DEMO_PASSWORD)}$", text, re.MULTILINE)
    assert "Not in this database" not in text


def test_it_gives_the_ambassador_turfs_a_call_list_and_a_call_back_due_today(small_city):
    from porchlight.outreach.field.canvass import walk_list
    from porchlight.outreach.models import Script, TargetList

    ambassador = User.objects.get(username="ambassador")
    doors = TargetList.objects.get(kind="door", campaign__name="Neighborhood check-ins")
    assert doors.turfs.filter(assigned_to=ambassador).count() == min(2, doors.turfs.count())
    assert doors.turfs.filter(assigned_to__isnull=True).count() == 0
    assert TargetList.objects.get(kind="phone").targets.filter(assigned_to=ambassador).exists()
    assert set(Script.objects.values_list("language", flat=True)) == {"en", "es"}
    first = doors.turfs.order_by("number").first()
    assert first.assigned_to == ambassador
    assert sum(d.is_callback for d in walk_list(turf=first)) == 1


def test_it_loads_the_charlotte_program_directory_with_rules_areas_and_partners(small_city):
    from porchlight.directory.models import EligibilityRule, Organization, Program

    programs = Program.objects.all()
    assert programs.count() >= 30
    assert set(programs.values_list("category", flat=True)) == set(Program.Category.values)
    assert EligibilityRule.objects.filter(program__name="Emergency rent assistance").count() == 2
    pantry = Program.objects.get(name="Mobile food pantry")
    assert pantry.areas_served.filter(kind="neighborhood").count() == 2
    legal = Organization.objects.get(name="Legal Aid of North Carolina – Charlotte")
    assert legal.team.name == legal.name and legal.locations.get().latitude
    assert Organization.objects.filter(team__isnull=False).count() == 5
    for location in legal.locations.model.objects.all():
        assert 35.0 < location.latitude < 35.52 and -81.06 < location.longitude < -80.55  # Mecklenburg
    assert {c for p in programs for c in p.languages} >= {"en", "es", "vi", "ar", "fr"}


def test_it_codes_every_campaign_s_notes_through_a_recorded_coding_run(small_city):
    from porchlight.insights.models import CodingRun, TextItem

    coded = Campaign.objects.filter(themes__isnull=False).distinct()
    assert coded.exists()
    for campaign in coded:
        run = CodingRun.objects.get(campaign=campaign)
        assert run.status == CodingRun.Status.DONE and run.done == run.total > 0
    assert TextItem.objects.exists()
    assert not TextItem.objects.filter(campaign__in=coded, coded_at__isnull=True).exists()
