"""HSDS import and export: round trips, upserts, category mapping, and bad files that write nothing."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from porchlight.accounts.models import AuditEvent
from porchlight.directory.hsds.services import HsdsImportError, hsds_export, hsds_import
from porchlight.directory.models import EligibilityRule, Location, Organization, Program
from porchlight.testing.factories_directory import directory_sample

pytestmark = pytest.mark.django_db


def _wipe() -> None:
    Program.objects.all().delete()
    Organization.objects.all().delete()


def _counts() -> tuple[int, int, int, int]:
    return (
        Organization.objects.count(),
        Location.objects.count(),
        Program.objects.count(),
        EligibilityRule.objects.count(),
    )


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return out.getvalue()


def _members(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name).decode() for name in zf.namelist()}


def _errors(data: bytes, file_name: str = "upload.zip") -> list[tuple[str, int, str]]:
    with pytest.raises(HsdsImportError) as caught:
        hsds_import(data=data, file_name=file_name, actor=None)
    return [(e.file, e.line, e.field) for e in caught.value.errors]


ORGS = "id,name,email\r\norg-1,Care Ring,intake@example.org\r\n"
SERVICES = "id,organization_id,name,status\r\nsvc-1,org-1,Physicians Reach Out,active\r\n"


@pytest.mark.parametrize("fmt", ["zip", "json"])
def test_it_round_trips_an_export_through_an_empty_database(fmt):
    directory_sample()
    first, name, _type = hsds_export(fmt=fmt, actor=None)
    _wipe()
    assert _counts() == (0, 0, 0, 0)

    summary = hsds_import(data=first, file_name=name, actor=None)

    second, _name, _type = hsds_export(fmt=fmt, actor=None)
    assert second == first
    assert summary.created["programs"] == 3
    tenant = Program.objects.get(name="Tenant legal help")
    assert tenant.organization.name == "Legal Aid of North Carolina – Charlotte"
    assert (tenant.category, tenant.languages, tenant.accept_within_days) == ("legal", ["en", "es", "vi"], 2)
    assert tenant.documents == ["Photo ID", "Lease", "Eviction notice"]
    assert sorted(a.name for a in tenant.areas_served.all()) == [
        "Council District 2",
        "NPA 301 · near Reid Park",
        "ZIP 28208",
    ]
    assert tenant.locations.get().transportation == "CATS bus 9, stop at Trade St"
    assert not Program.objects.get(name="Winter fuel fund").is_active


def test_it_writes_every_hsds_table_of_the_csv_package_with_hsds_field_names():
    directory_sample()
    members = _members(hsds_export(fmt="zip", actor=None)[0])
    assert sorted(members) == sorted(
        [
            "organizations.csv",
            "services.csv",
            "locations.csv",
            "addresses.csv",
            "service_at_locations.csv",
            "phones.csv",
            "languages.csv",
            "service_areas.csv",
            "required_documents.csv",
            "attributes.csv",
            "taxonomy_terms.csv",
        ]
    )
    assert members["services.csv"].startswith("id,organization_id,program_id,name,alternate_name,description")
    assert "urn:porchlight:area:zip:28208" in members["service_areas.csv"]
    assert ",vi,Vietnamese" not in members["languages.csv"] and "Vietnamese,vi" in members["languages.csv"]


def test_it_updates_rather_than_duplicates_when_an_export_is_imported_again():
    sample = directory_sample()
    data, name, _ = hsds_export(fmt="json", actor=None)
    services = json.loads(data)
    for service in services:
        if service["name"] == "Tenant legal help":
            service["description"] = "Updated description."
            service["porchlight_rules"] = []
    before = _counts()

    summary = hsds_import(data=json.dumps(services).encode(), file_name=name, actor=None)

    assert _counts() == (before[0], before[1], before[2], before[3] - 2)
    assert summary.created == {"organizations": 0, "locations": 0, "programs": 0}
    sample["tenant"].refresh_from_db()
    assert sample["tenant"].description == "Updated description."


def test_it_adopts_an_organization_entered_by_hand_with_the_same_name():
    hand_made = Organization.objects.create(name="Care Ring")
    hsds_import(
        data=_zip({"organizations.csv": ORGS, "services.csv": SERVICES}), file_name="x.zip", actor=None
    )
    hand_made.refresh_from_db()
    assert (Organization.objects.count(), hand_made.hsds_id, hand_made.email) == (
        1,
        "org-1",
        "intake@example.org",
    )


@pytest.mark.parametrize(
    ("terms", "category"),
    [
        ([{"code": "youth", "name": "Anything"}], "youth"),
        ([{"code": "BD-1800", "name": "Food Pantries"}], "food"),
        ([{"code": "", "name": "Legal Assistance"}, {"code": "", "name": "Housing"}], "legal"),
        ([{"code": "X", "name": "Recreation"}], "other"),
        ([], "other"),
    ],
)
def test_it_maps_hsds_taxonomy_terms_to_a_category(terms, category):
    service = {
        "id": "s1",
        "name": "A program",
        "status": "active",
        "organization": {"id": "o1", "name": "An organization"},
        "attributes": [{"taxonomy_term": t} for t in terms],
    }
    hsds_import(data=json.dumps([service]).encode(), file_name="d.json", actor=None)
    assert Program.objects.get().category == category


def test_it_imports_a_package_with_only_the_two_required_files():
    hsds_import(
        data=_zip({"hsds/organizations.csv": ORGS, "hsds/services.csv": SERVICES}),
        file_name="x.zip",
        actor=None,
    )
    program = Program.objects.get()
    assert (program.name, program.category, program.is_active, program.accept_within_days) == (
        "Physicians Reach Out",
        "other",
        True,
        3,
    )


def test_it_reports_a_missing_required_column_and_writes_nothing():
    services = "id,organization_id,status\r\nsvc-1,org-1,active\r\n"
    errors = _errors(_zip({"organizations.csv": ORGS, "services.csv": services}))
    assert errors == [("services.csv", 1, "name")]
    assert _counts() == (0, 0, 0, 0)


def test_it_reports_a_missing_file():
    assert _errors(_zip({"organizations.csv": ORGS})) == [("services.csv", 0, "")]


def test_it_reports_bad_references_emails_areas_and_languages_by_row_and_column():
    orgs = ORGS + "org-2,Care Ring Two,not-an-email\r\n"
    services = SERVICES + "svc-2,org-9,Dental care,active\r\nsvc-3,org-1,Vision,open\r\n"
    errors = _errors(
        _zip(
            {
                "organizations.csv": orgs,
                "services.csv": services,
                "service_at_locations.csv": "id,service_id,location_id\r\nsal-1,svc-1,loc-404\r\n",
                "service_areas.csv": "id,service_id,name\r\na-1,svc-1,Atlantis\r\n",
                "languages.csv": (
                    "id,service_id,name,code\r\nl-1,svc-1,Klingon,tlh\r\nl-2,svc-7,English,en\r\n"
                ),
                "required_documents.csv": "id,service_id,document\r\nd-1,svc-1,Photo ID\r\n",
            }
        )
    )
    assert sorted(errors) == sorted(
        [
            ("organizations.csv", 3, "email"),
            ("services.csv", 3, "organization_id"),
            ("services.csv", 4, "status"),
            ("service_at_locations.csv", 2, "location_id"),
            ("service_areas.csv", 2, "name"),
            ("languages.csv", 2, "code"),
            ("languages.csv", 3, "service_id"),
        ]
    )
    assert _counts() == (0, 0, 0, 0)


def test_it_reports_duplicate_ids_and_names():
    orgs = ORGS + "org-1,Other name,\r\norg-3,care ring,\r\n"
    errors = _errors(_zip({"organizations.csv": orgs, "services.csv": SERVICES + SERVICES.splitlines()[1]}))
    assert sorted(errors) == sorted(
        [
            ("organizations.csv", 3, "id"),
            ("organizations.csv", 4, "name"),
            ("services.csv", 3, "id"),
            ("services.csv", 3, "name"),
        ]
    )


def test_it_writes_nothing_when_one_row_of_many_is_bad():
    directory_sample()
    data = json.loads(hsds_export(fmt="json", actor=None)[0])
    _wipe()
    data[-1]["organization"]["website"] = "www.no-scheme.org"
    data[-1]["organization"]["name"] += " renamed"  # keep the organization consistent across services
    for service in data:
        if service["organization"]["id"] == data[-1]["organization"]["id"]:
            service["organization"] = data[-1]["organization"]
    errors = _errors(json.dumps(data).encode(), "d.json")
    assert {field for _f, _l, field in errors} == {"organization.website"}
    assert _counts() == (0, 0, 0, 0)


def test_it_reports_bad_json_with_its_line_and_bad_rules_with_their_path():
    assert _errors(b'[\n{"id": "s1",\n "name": }]', "d.json") == [("d.json", 3, "")]
    service = {
        "id": "s1",
        "name": "P",
        "organization": {"id": "o1", "name": "O"},
        "languages": [{"code": "es"}, {"name": "Martian"}],
        "porchlight_rules": [
            {"question": "income", "operator": "ami_at_most", "value": "sixty"},
            {"question": "shoe_size", "operator": "is", "value": "9"},
            # Well-formed, but "at most" means nothing for renter/owner: the editor grammar refuses it.
            {"question": "tenure", "operator": "at_most", "value": "5"},
        ],
    }
    assert sorted(_errors(json.dumps([service]).encode(), "d.json")) == [
        ("d.json", 1, "languages[1].name"),
        ("d.json", 1, "porchlight_rules[0].value"),
        ("d.json", 1, "porchlight_rules[1].question"),
        ("d.json", 1, "porchlight_rules[2].operator"),
    ]


def test_it_refuses_a_file_that_is_neither_a_zip_nor_json():
    assert _errors(b"id,name\r\n1,x\r\n", "orgs.csv") == [("orgs.csv", 0, "")]
    assert _errors(b"PK\x03\x04 broken", "x.zip") == [("(zip)", 0, "")]


def test_it_audits_imports_and_exports_with_their_outcome():
    directory_sample()
    data, name, _ = hsds_export(fmt="zip", actor=None)
    hsds_import(data=data, file_name=name, actor=None)
    with pytest.raises(HsdsImportError):
        hsds_import(data=b"[]", file_name="empty.json", actor=None)
    details = list(AuditEvent.objects.order_by("id").values_list("action", "detail"))
    assert details[0] == ("export", "HSDS zip: 2 organizations, 1 locations, 3 programs")
    assert details[1][0] == "import" and "programs: 0 created, 3 updated" in details[1][1]
    assert details[2] == ("import", "HSDS empty.json failed with 1 error(s); nothing written")


def test_it_exports_and_imports_from_the_command_line(tmp_path):
    directory_sample()
    path = tmp_path / "directory.json"
    call_command("hsds", "export", str(path), stdout=io.StringIO())
    _wipe()
    out = io.StringIO()
    call_command("hsds", "import", str(path), stdout=out)
    assert "programs: 3 created" in out.getvalue() and Program.objects.count() == 3
    bad = tmp_path / "bad.zip"
    bad.write_bytes(_zip({"organizations.csv": "id,name\r\n,Nameless\r\n"}))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("hsds", "import", str(bad), stderr=err)
    assert "organizations.csv, line 2, id: This field is required." in err.getvalue()


FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(1)", "'=already quoted"]


def test_it_neutralizes_formulas_in_the_csv_package_and_reads_them_back_unchanged():
    sample = directory_sample()
    legal = sample["tenant"].organization
    legal.name = FORMULAS[0]
    legal.save(update_fields=["name"])
    for program, name in zip(Program.objects.order_by("pk"), FORMULAS[1:], strict=False):
        program.name = name
        program.save(update_fields=["name"])
    Organization.objects.exclude(pk=legal.pk).update(description=FORMULAS[4])
    first, name, _type = hsds_export(fmt="zip", actor=None)
    cells = [c for text in _members(first).values() for row in csv.reader(io.StringIO(text)) for c in row]
    for formula in FORMULAS:
        assert "'" + formula in cells and formula not in cells
    _wipe()

    hsds_import(data=first, file_name=name, actor=None)

    assert Organization.objects.filter(name=FORMULAS[0]).exists()
    assert Organization.objects.filter(description=FORMULAS[4]).exists()
    assert sorted(Program.objects.values_list("name", flat=True)) == sorted(FORMULAS[1:4])
    assert hsds_export(fmt="zip", actor=None)[0] == first


def test_it_writes_normal_directory_data_with_no_added_quote_except_on_phone_numbers():
    directory_sample()
    members = _members(hsds_export(fmt="zip", actor=None)[0])
    quoted = [
        c for text in members.values() for row in csv.reader(io.StringIO(text)) for c in row if c[:1] == "'"
    ]
    # "+1704…" would turn into a bare number in a spreadsheet; every other cell of normal data is unchanged.
    assert quoted and all(c.startswith("'+1704") for c in quoted)
