"""The resident import service: phones and emails normalized, choices checked, all written or nothing."""

from __future__ import annotations

import pytest

from porchlight.people.models import Email, Household, Phone, Resident
from porchlight.places.imports import import_job_create, import_job_run
from porchlight.places.models import Address, ImportJob
from porchlight.testing.factories import AddressFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "first_name,last_name,phone,email,street,unit,city,zip,preferred_language,consent_to_contact,"
    "do_not_contact,age_range,gender,race_ethnicity\n"
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(text: str, actor=None) -> ImportJob:
    job = import_job_create(kind="residents", file_name="people.csv", data=text.encode(), actor=actor)
    return import_job_run(job=job)


def test_it_imports_residents_with_households_phones_and_emails():
    actor = UserFactory(role="program_manager")
    existing = AddressFactory(street="600 E 4th St", unit="", city="Charlotte", zip_code="28202")
    old_household = Household.objects.create(address=existing)
    job = run(
        HEADER
        + "Ana,Lopez,704-555-0134,Ana@Example.org,600 e 4th st,,Charlotte,28202,"
        + "Spanish,yes,no,25_34,woman,hispanic\n"
        + "Luis,Lopez,(704) 555-0135; 980 555 0100,,600 E 4th St,,Charlotte,28202,es,1,0,,,\n"
        + "Kim,Tran,,kim@example.org,9 New Rd,Apt 3,Charlotte,28205,Tiếng Việt,,true,65 or older,,\n"
        + "Sam,Nobody,704-555-0199,,,,,,,no,no,,,\n",
        actor=actor,
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.created_count == 4
    ana = Resident.objects.get(first_name="Ana")
    assert (ana.address, ana.household, ana.preferred_language) == (existing, old_household, "es")
    assert (ana.consent_to_contact, ana.do_not_contact, ana.age_range, ana.gender, ana.race_ethnicity) == (
        True,
        False,
        "25_34",
        "woman",
        "hispanic",
    )
    assert ana.created_by == actor
    assert list(ana.phones.values_list("number", "is_primary")) == [("+17045550134", True)]
    assert list(ana.emails.values_list("address", flat=True)) == ["ana@example.org"]
    luis = Resident.objects.get(first_name="Luis")
    assert luis.household == old_household
    assert sorted(luis.phones.values_list("number", flat=True)) == ["+17045550135", "+19805550100"]
    kim = Resident.objects.get(first_name="Kim")
    assert (kim.address.street, kim.address.unit, kim.address.state) == ("9 New Rd", "Apt 3", "NC")
    assert kim.household.address == kim.address
    assert (kim.preferred_language, kim.do_not_contact, kim.age_range) == ("vi", True, "65_plus")
    sam = Resident.objects.get(first_name="Sam")
    assert sam.address is None and sam.household is None


def test_it_rejects_bad_phones_with_the_phonenumbers_message_and_writes_nothing():
    ResidentFactory()
    counts = (
        Resident.objects.count(),
        Address.objects.count(),
        Phone.objects.count(),
        Household.objects.count(),
    )
    job = run(
        HEADER
        + "Ana,Lopez,704-555-0134,,1 A St,,Charlotte,28202,en,yes,no,,,\n"
        + "Bo,Bad,555-1,,,,,,,,,,,\n"
        + "Cy,Worse,not a phone,,,,,,,,,,,\n"
        + "Di,Mail,,di@@example,,,,,,,,,,\n"
    )
    assert job.status == ImportJob.Status.FAILED
    got = {(e["line"], e["field"]): e["message"] for e in job.errors}
    assert "“555-1” is not a valid phone number" in got[(3, "phone")]
    assert "“not a phone” is not a phone number" in got[(4, "phone")]
    assert "not a valid email address" in got[(5, "email")]
    assert (
        Resident.objects.count(),
        Address.objects.count(),
        Phone.objects.count(),
        Household.objects.count(),
    ) == counts
    assert Email.objects.count() == 0


def test_it_checks_languages_flags_and_demographics_against_the_choices():
    job = run(HEADER + "Ana,Lopez,,,,,,,Klingon,maybe,2,old,robot,martian\n")
    fields = {e["field"] for e in job.errors}
    assert fields == {
        "preferred_language",
        "consent_to_contact",
        "do_not_contact",
        "age_range",
        "gender",
        "race_ethnicity",
    }
    assert Resident.objects.count() == 0


def test_it_needs_a_name_phone_or_email_and_a_full_address():
    job = run(HEADER + ",,,,,,,,en,yes,,,,\n" + "Ana,Lopez,,,1 A St,,,bad,,,,,,\n")
    got = {(e["line"], e["field"]) for e in job.errors}
    assert got == {(2, "first_name"), (3, "city"), (3, "zip")}


def test_it_rejects_duplicate_rows_and_skips_residents_already_there():
    home = AddressFactory(street="1 A St", unit="", city="Charlotte", zip_code="28202")
    ResidentFactory(first_name="Ana", last_name="Lopez", address=home)
    job = run(HEADER + "Ana,Lopez,,,1 A St,,Charlotte,28202,,,,,,\nBo,Diaz,,,1 A St,,Charlotte,28202,,,,,,\n")
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.skipped_count) == (1, 1)
    assert job.notices[0]["line"] == 2 and "already exists" in job.notices[0]["message"]
    job = run(HEADER + "Cy,Diaz,,,2 A St,,Charlotte,28202,,,,,,\ncy,diaz,,,2 a st,,Charlotte,28202,,,,,,\n")
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["line"] == 3 and "duplicates line 2" in job.errors[0]["message"]
    assert not Resident.objects.filter(first_name="Cy").exists()


def test_it_rejects_address_columns_in_a_resident_file_it_does_not_take():
    job = run("first_name,last_name,latitude\nAna,Lopez,35.2\n")
    assert "“latitude”" in job.errors[0]["message"] and "first_name, last_name" in job.errors[0]["message"]
