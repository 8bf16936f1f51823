"""The address import service: every row checked first, then all written or nothing."""

from __future__ import annotations

import pytest

from porchlight.accounts.models import AuditEvent
from porchlight.places.imports import import_job_create, import_job_run
from porchlight.places.models import Address, Building, ImportJob
from porchlight.testing.factories import AddressFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "street,unit,city,state,zip,latitude,longitude\n"


def run(text: str | bytes, *, kind: str = "addresses", actor=None) -> ImportJob:
    data = text.encode() if isinstance(text, str) else text
    job = import_job_create(kind=kind, file_name="upload.csv", data=data, actor=actor)
    return import_job_run(job=job)


def messages(job: ImportJob) -> list[tuple[int, str, str]]:
    return [(e["line"], e["field"], e["message"]) for e in job.errors]


def test_it_imports_good_rows_and_puts_them_in_their_areas(neighborhoods):
    actor = UserFactory(role="program_manager")
    job = run(
        HEADER
        + "600 E 4th St,,Charlotte,NC,28202,35.205,-80.895\n"
        + "601 E 4th St,Apt 2,Charlotte,,28202,35.205,-80.875\n"
        + "5 No Point Rd,,Charlotte,NC,28205-1234,,\n",
        actor=actor,
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.total_rows, job.processed_rows, job.created_count, job.error_count) == (3, 3, 3, 0)
    first = Address.objects.get(street="600 E 4th St")
    assert [a.code for a in first.areas.all()] == ["1000"]
    second = Address.objects.get(street="601 E 4th St")
    assert (second.unit, second.state, [a.code for a in second.areas.all()]) == ("Apt 2", "NC", ["1001"])
    assert Address.objects.get(street="5 No Point Rd").areas.count() == 0
    audit = AuditEvent.objects.get(action="import")
    assert audit.actor == actor and audit.object_id == str(job.pk) and "3 created" in audit.detail
    assert not job.file  # the upload is deleted once the job ends


def test_it_accepts_headers_in_any_case_and_spacing_and_a_byte_order_mark(db):
    job = run("\ufeff Street ,ZIP Code,CITY\n1 Main St,28202,Charlotte\n".encode())
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Address.objects.get().zip_code == "28202"


def test_it_rejects_unknown_columns_listing_the_expected_ones(db):
    job = run("street,city,zip,colour\n1 Main St,Charlotte,28202,blue\n")
    assert job.status == ImportJob.Status.FAILED
    ((line, field, message),) = messages(job)
    assert line == 1 and "“colour”" in message and "street, unit, city, state, zip" in message
    assert Address.objects.count() == 0


def test_it_rejects_a_file_missing_required_columns_with_one_error(db):
    job = run("street,unit\n1 Main St,\n")
    assert job.error_count == 1
    assert "Missing required column(s): city, zip" in job.errors[0]["message"]


def test_it_reports_every_bad_row_with_line_field_and_reason_and_writes_nothing(neighborhoods):
    AddressFactory(street="1 Old St", zip_code="28202")
    before = list(Address.objects.values_list("id", flat=True))
    job = run(
        HEADER
        + "600 E 4th St,,Charlotte,NC,28202,35.205,-80.895\n"  # good
        + ",,Charlotte,NC,28202,,\n"  # 3: no street
        + "2 Elm St,,Charlotte,NC,2820,,\n"  # 4: bad ZIP
        + "3 Elm St,,Charlotte,NC,28202,abc,-80.895\n"  # 5: latitude not a number
        + "4 Elm St,,Charlotte,NC,28202,95,-80.895\n"  # 6: latitude out of range
        + "5 Elm St,,Charlotte,NC,28202,35.205,\n"  # 7: longitude missing
        + "6 Elm St,,Charlotte,NC,28202,40.0,-75.0\n"  # 8: outside every area
        + "600 e 4th st,,charlotte,NC,28202,35.205,-80.895\n"  # 9: duplicate of line 2
    )
    assert job.status == ImportJob.Status.FAILED
    got = {(line, field): message for line, field, message in messages(job)}
    assert got[(3, "street")] == "is required"
    assert "not a ZIP code" in got[(4, "zip")] and "leading zero" in got[(4, "zip")]
    assert "not a number" in got[(5, "latitude")]
    assert "out of range" in got[(6, "latitude")]
    assert "required when latitude is given" in got[(7, "longitude")]
    assert "outside every area" in got[(8, "latitude")]
    assert got[(9, "street")].startswith("duplicates line 2")
    assert job.error_count == 7
    assert list(Address.objects.values_list("id", flat=True)) == before
    assert "failed with 7 error(s)" in AuditEvent.objects.get(action="import").detail


def test_it_does_not_check_areas_when_the_city_has_none_loaded(db):
    job = run(HEADER + "6 Elm St,,Charlotte,NC,28202,40.0,-75.0\n")
    assert job.status == ImportJob.Status.DONE, job.errors


def test_it_skips_addresses_that_already_exist_and_says_so(db):
    existing = AddressFactory(street="1 Main St", unit="", city="Charlotte", zip_code="28202", latitude=None)
    job = run(HEADER + "1 MAIN ST,,Charlotte,NC,28202,35.2,-80.9\n2 Main St,,Charlotte,NC,28202,,\n")
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.skipped_count) == (1, 1)
    assert job.notices == [{"line": 2, "field": "street", "message": "already exists, skipped"}]
    existing.refresh_from_db()
    assert existing.latitude is None  # left as it was


def test_it_creates_buildings_from_building_columns(db):
    job = run(
        "street,unit,city,zip,building_type,unit_count,rent_regulated\n"
        "10 Tower Rd,1A,Charlotte,28202,multi_family,40,yes\n"
        "10 Tower Rd,1B,Charlotte,28202,Apartment building,40,true\n"
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    building = Building.objects.get()
    assert (building.building_type, building.unit_count, building.rent_regulated) == (
        "multi_family",
        40,
        True,
    )
    assert building.addresses.count() == 2


def test_it_rejects_bad_building_attributes(db):
    job = run(
        "street,city,zip,building_type,unit_count,rent_regulated\n1 A St,Charlotte,28202,castle,0,maybe\n"
    )
    assert {f for _, f, _ in messages(job)} == {"building_type", "unit_count", "rent_regulated"}


def test_it_rejects_an_empty_file(db):
    job = run(b"")
    assert job.status == ImportJob.Status.FAILED
    assert messages(job) == [(0, "", "The file is empty (0 bytes).")]


def test_it_rejects_text_that_is_not_utf8_naming_the_line(db):
    data = (HEADER + "1 Main St,,Charlotte,NC,28202,,\n2 Calle Año,,Charlotte,NC,28202,,\n").encode("cp1252")
    job = run(data)
    ((line, _, message),) = messages(job)
    assert line == 3 and "not UTF-8" in message and "CSV UTF-8" in message
    assert Address.objects.count() == 0


def test_it_rejects_a_binary_file(db):
    job = run(b"street,city,zip\n\x00\x01\x02\n")
    assert "not CSV text" in job.errors[0]["message"]


def test_it_rejects_a_header_without_rows(db):
    job = run("street,city,zip\n\n")
    assert "no data rows" in job.errors[0]["message"]


def test_it_rejects_a_file_over_the_size_limit(db, settings):
    settings.PORCHLIGHT_IMPORT_MAX_BYTES = 100
    job = run(HEADER + "1 Main St,,Charlotte,NC,28202,,\n" * 5)
    assert "the limit is" in job.errors[0]["message"]


def test_it_rejects_a_file_with_too_many_rows(db, settings):
    settings.PORCHLIGHT_IMPORT_MAX_ROWS = 10
    job = run(HEADER + "".join(f"{n} Main St,,Charlotte,NC,28202,,\n" for n in range(11)))
    ((line, _, message),) = messages(job)
    assert line == 12 and "more than 10 data rows" in message


def test_it_caps_the_errors_it_keeps_but_counts_them_all(db):
    rows = "".join(f"{n} Main St,,Charlotte,NC,bad,,\n" for n in range(5000))
    job = run(HEADER + rows)
    assert job.error_count == 5000
    assert len(job.errors) == 200
    assert job.errors[0]["line"] == 2 and job.errors[-1]["line"] == 201
    assert Address.objects.count() == 0


def test_it_reports_a_row_with_more_cells_than_columns(db):
    job = run("street,city,zip\n1 Main St, Apt 2,Charlotte,28202\n")
    assert "more cells than the header" in job.errors[0]["message"]


def test_it_counts_lines_of_multiline_cells(db):
    job = run('street,city,zip\n"1 Main St\nrear",Charlotte,28202\n2 Main St,Charlotte,bad\n')
    assert messages(job)[0][:2] == (4, "zip")


def test_it_records_progress_while_validating(db, settings):
    settings.PORCHLIGHT_IMPORT_PROGRESS_EVERY = 500
    seen: list[tuple[str, int]] = []
    data = (HEADER + "".join(f"{n} Main St,,Charlotte,NC,28202,,\n" for n in range(1200))).encode()
    job = import_job_create(kind="addresses", file_name="big.csv", data=data, actor=None)

    def watch(j: ImportJob) -> None:
        stored = ImportJob.objects.get(pk=j.pk)
        seen.append((stored.status, stored.processed_rows))

    import_job_run(job=job, on_progress=watch)
    assert ("validating", 500) in seen and ("validating", 1000) in seen
    assert job.status == ImportJob.Status.DONE and Address.objects.count() == 1200
