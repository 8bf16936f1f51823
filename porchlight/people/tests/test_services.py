import pytest
from django.core.exceptions import ValidationError

from porchlight.people.contact import phone_normalize
from porchlight.people.models import Resident
from porchlight.people.selectors import residents_search
from porchlight.people.services import resident_create, resident_update
from porchlight.testing.factories import AddressFactory, PhoneFactory, ResidentFactory, UserFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("704-555-0143", "+17045550143"),
        ("(704) 555 0143", "+17045550143"),
        ("+1 980 555 0199", "+19805550199"),
        ("1-704-555-0143", "+17045550143"),
        ("+52 55 1234 5678", "+525512345678"),
    ],
)
def test_it_normalizes_phone_numbers(raw, expected):
    assert phone_normalize(raw) == expected


@pytest.mark.parametrize("raw", ["12", "555-0143", "not a phone", "704-555-01434444", "+1 000 000 0000"])
def test_it_rejects_invalid_phone_numbers_with_a_message(raw):
    with pytest.raises(ValidationError) as info:
        phone_normalize(raw)
    assert raw in info.value.messages[0]


def test_it_registers_a_resident_with_household_phone_and_email(db):
    address = AddressFactory()
    actor = UserFactory()
    resident = resident_create(
        actor=actor,
        first_name=" Maria ",
        last_name="Lopez",
        address=address,
        phones=["704 555 0143", "(704) 555-0143"],
        emails=[" Maria@Example.org "],
        preferred_language="es",
    )
    assert resident.first_name == "Maria"
    assert list(resident.phones.values_list("number", flat=True)) == ["+17045550143"]
    assert resident.emails.get().address == "maria@example.org"
    assert resident.household.address == address
    # A second resident at the same door joins the same household.
    other = resident_create(actor=actor, first_name="Luis", address=address)
    assert other.household == resident.household


def test_it_writes_nothing_when_one_phone_is_invalid(db):
    with pytest.raises(ValidationError):
        resident_create(actor=None, first_name="Maria", phones=["704 555 0143", "bad"])
    assert Resident.objects.count() == 0


def test_it_needs_a_name_or_a_way_to_reach_the_resident(db):
    with pytest.raises(ValidationError):
        resident_create(actor=None)


def test_it_refuses_an_unknown_language(db):
    with pytest.raises(ValidationError):
        resident_create(actor=None, first_name="A", preferred_language="klingon")


def test_it_replaces_phones_and_keeps_the_first_primary(db):
    resident = resident_create(actor=None, first_name="A", phones=["704 555 0143"])
    resident_update(resident=resident, phones=["980 555 0199", "704 555 0143"], do_not_contact=True)
    resident.refresh_from_db()
    assert resident.do_not_contact
    assert resident.phones.get(is_primary=True).number == "+19805550199"
    assert resident.phones.count() == 2


def test_it_is_not_contactable_when_the_door_asked_not_to_be(db):
    resident = ResidentFactory(consent_to_contact=True, address=AddressFactory(do_not_contact=True))
    assert not resident.may_be_contacted
    assert ResidentFactory(consent_to_contact=True).may_be_contacted
    assert not ResidentFactory(consent_to_contact=True, do_not_contact=True).may_be_contacted


@pytest.fixture
def searcher(personas):
    return personas["outreach_worker"]


def test_it_finds_residents_by_name_phone_and_street(searcher):
    maria = ResidentFactory(
        first_name="Maria", last_name="Lopez", address=AddressFactory(street="512 Beatties Ford Rd")
    )
    PhoneFactory(resident=maria, number="+17045550143")
    ResidentFactory(first_name="John", last_name="Smith")
    assert list(residents_search(user=searcher, query="maria lopez")) == [maria]
    assert list(residents_search(user=searcher, query="(704) 555-0143")) == [maria]
    assert list(residents_search(user=searcher, query="5550143")) == [maria]
    assert list(residents_search(user=searcher, query="beatties")) == [maria]
    assert list(residents_search(user=searcher, query="maria smith")) == []
    assert list(residents_search(user=searcher, query="")) == []


def test_it_finds_nobody_for_users_who_may_not_see_residents(personas):
    ResidentFactory(first_name="Maria")
    assert list(residents_search(user=personas["analyst"], query="maria")) == []
