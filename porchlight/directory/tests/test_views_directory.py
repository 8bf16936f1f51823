"""The directory pages: who may browse, edit, import and export; search filters; edits and uploads."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.directory.hsds.services import hsds_export
from porchlight.directory.models import Organization, Program
from porchlight.testing.factories import OrganizationFactory, ProgramFactory
from porchlight.testing.factories_directory import LocationFactory, directory_sample

pytestmark = pytest.mark.django_db

BROWSERS = {
    "administrator": 200,
    "program_manager": 200,
    "outreach_worker": 200,
    "case_manager": 200,
    "partner": 200,
    "analyst": 403,
}
MANAGERS = {
    "administrator": 200,
    "program_manager": 200,
    "outreach_worker": 403,
    "case_manager": 403,
    "partner": 403,
    "analyst": 403,
}


def _pages(sample: dict) -> dict[str, tuple[str, dict[str, int]]]:
    org, office, tenant = sample["legal"], sample["office"], sample["tenant"]
    return {
        "list": (reverse("services:program_list"), BROWSERS),
        "detail": (reverse("services:program_detail", args=[tenant.pk]), BROWSERS),
        "new": (reverse("services:program_new"), MANAGERS),
        "edit": (reverse("services:program_edit", args=[tenant.pk]), MANAGERS),
        "orgs": (reverse("services:organization_list"), MANAGERS),
        "org new": (reverse("services:organization_new"), MANAGERS),
        "org edit": (reverse("services:organization_edit", args=[org.pk]), MANAGERS),
        "location new": (reverse("services:location_new", args=[org.pk]), MANAGERS),
        "location edit": (reverse("services:location_edit", args=[org.pk, office.pk]), MANAGERS),
        "import": (reverse("services:hsds_import"), MANAGERS),
        "export": (reverse("services:hsds_export") + "?format=json", MANAGERS),
    }


@pytest.mark.parametrize("persona", list(BROWSERS))
def test_it_lets_each_role_reach_only_its_directory_pages(client, personas, persona):
    sample = directory_sample()
    client.force_login(personas[persona])
    for name, (url, expected) in _pages(sample).items():
        assert (name, client.get(url).status_code) == (name, expected[persona])


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("services:program_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_answers_404_for_programs_and_locations_that_do_not_exist_or_belong_elsewhere(client, personas):
    sample = directory_sample()
    client.force_login(personas["program_manager"])
    assert client.get(reverse("services:program_detail", args=[99999])).status_code == 404
    # A location reached through another organization's URL.
    url = reverse("services:location_edit", args=[sample["crisis"].pk, sample["office"].pk])
    assert client.get(url).status_code == 404


def _names(client, **params: str) -> list[str]:
    response = client.get(reverse("services:program_list"), params)
    return [p.name for p in response.context["page"].object_list]


def test_it_searches_and_filters_the_directory(client, personas):
    sample = directory_sample()
    client.force_login(personas["outreach_worker"])
    assert _names(client) == ["Emergency rent assistance", "Tenant legal help"]  # inactive hidden
    assert _names(client, q="eviction court") == ["Tenant legal help"]
    assert _names(client, q="crisis") == ["Emergency rent assistance"]
    assert _names(client, category="housing") == ["Emergency rent assistance"]
    assert _names(client, language="vi") == ["Tenant legal help"]
    # Programs with no areas serve the whole city, so they match every area.
    assert _names(client, area=str(sample["zip"].pk)) == ["Emergency rent assistance", "Tenant legal help"]
    sample["rent"].areas_served.set([sample["district"]])
    assert _names(client, area=str(sample["zip"].pk)) == ["Tenant legal help"]
    assert _names(client, inactive="on") == ["Emergency rent assistance", "Tenant legal help"]


def test_it_lists_programs_not_taking_referrals_for_managers_who_ask(client, personas):
    directory_sample()
    client.force_login(personas["program_manager"])
    assert "Winter fuel fund" in _names(client, inactive="on")
    assert "Winter fuel fund" not in _names(client)


def test_it_renders_the_directory_fragment_for_htmx(client, personas):
    directory_sample()
    client.force_login(personas["case_manager"])
    response = client.get(reverse("services:program_list"), {"q": "tenant"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Tenant legal help" in body and "<form" not in body


def test_it_shows_what_a_worker_tells_a_resident(client, personas):
    sample = directory_sample()
    client.force_login(personas["outreach_worker"])
    body = client.get(reverse("services:program_detail", args=[sample["tenant"].pk])).content.decode()
    for text in (
        "Call the intake line",
        "Eviction notice",
        "Tenants in Mecklenburg County",
        "Rents their home",
        "CATS bus 9",
        "600 E Trade St",
        "Spanish",
        "Vietnamese",
        "ZIP 28208",
        "tel:+17045550101",
    ):
        assert text in body
    assert "Edit program" not in body


def test_it_creates_a_program_with_languages_areas_and_locations(client, personas):
    sample = directory_sample()
    client.force_login(personas["program_manager"])
    response = client.post(
        reverse("services:program_new"),
        {
            "organization": sample["legal"].pk,
            "name": "Fair housing clinic",
            "category": "legal",
            "languages": ["en", "es"],
            "areas_served": [sample["district"].pk],
            "locations": [sample["office"].pk],
            "required_documents": "Photo ID\nLease",
            "accept_within_days": "5",
            "is_active": "on",
        },
    )
    program = Program.objects.get(name="Fair housing clinic")
    assert response.status_code == 302
    assert (program.languages, program.accept_within_days, program.documents) == (
        ["en", "es"],
        5,
        ["Photo ID", "Lease"],
    )
    assert list(program.areas_served.all()) == [sample["district"]]
    assert AuditEvent.objects.filter(
        action="create",
        object_type="services.program",
        object_id=str(program.pk),
        actor=personas["program_manager"],
    ).exists()


def test_it_refuses_another_organizations_location_and_saves_nothing(client, personas):
    sample = directory_sample()
    client.force_login(personas["program_manager"])
    response = client.post(
        reverse("services:program_new"),
        {
            "organization": sample["crisis"].pk,
            "name": "Rent clinic",
            "category": "housing",
            "locations": [sample["office"].pk],
        },
    )
    assert response.status_code == 200
    assert "Pick only locations of Crisis Assistance Ministry." in response.content.decode()
    assert not Program.objects.filter(name="Rent clinic").exists()


def test_it_refuses_a_duplicate_program_name_in_one_organization(client, personas):
    sample = directory_sample()
    client.force_login(personas["program_manager"])
    response = client.post(
        reverse("services:program_new"),
        {"organization": sample["legal"].pk, "name": "Tenant legal help", "category": "legal"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Program.objects.filter(name="Tenant legal help").count() == 1


def test_it_edits_organizations_and_adds_locations(client, personas):
    org = OrganizationFactory(name="Care Ring")
    client.force_login(personas["program_manager"])
    client.post(
        reverse("services:organization_edit", args=[org.pk]),
        {"name": "Care Ring", "website": "https://carering.org/", "email": "", "phone": ""},
    )
    response = client.post(
        reverse("services:location_new", args=[org.pk]),
        {
            "name": "Main clinic",
            "address_1": "601 E 5th St",
            "city": "Charlotte",
            "state_province": "NC",
            "postal_code": "28202",
            "latitude": "35.2229",
            "longitude": "-80.8370",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.website == "https://carering.org/"
    assert org.locations.get().postal_code == "28202"
    bad = client.post(reverse("services:location_new", args=[org.pk]), {"name": "Nowhere", "latitude": "135"})
    assert bad.status_code == 200 and org.locations.count() == 1


def test_it_exports_with_an_attachment_and_an_audit_row(client, personas):
    directory_sample()
    manager = personas["program_manager"]
    client.force_login(manager)
    response = client.get(reverse("services:hsds_export"), {"format": "zip"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="porchlight-directory-hsds.zip"'
    assert AuditEvent.objects.get(action="export", actor=manager).object_type == "services.directory"
    assert client.get(reverse("services:hsds_export"), {"format": "xml"}).status_code == 400


def _upload(client, content: bytes, name: str):
    return client.post(reverse("services:hsds_import"), {"file": SimpleUploadedFile(name, content)})


def test_it_imports_an_upload_and_audits_it(client, personas):
    directory_sample()
    data = hsds_export(fmt="json", actor=None)[0]
    Program.objects.all().delete()
    Organization.objects.all().delete()
    client.force_login(personas["administrator"])
    response = _upload(client, data, "directory.json")
    assert response.status_code == 302 and Program.objects.count() == 3
    assert AuditEvent.objects.filter(action="import", actor=personas["administrator"]).exists()


def test_it_lists_every_problem_of_a_bad_upload_and_writes_nothing(client, personas):
    client.force_login(personas["program_manager"])
    services = [
        {
            "id": "s1",
            "name": "P",
            "email": "nope",
            "organization": {"id": "o1", "name": "O"},
            "service_areas": [{"name": "Atlantis"}],
        }
    ]
    before = Organization.objects.count()
    response = _upload(client, json.dumps(services).encode(), "bad.json")
    body = response.content.decode()
    assert response.status_code == 400
    assert "The file has 2 problems. Nothing was imported." in body
    assert "service_areas[0].name" in body and "Unknown area “Atlantis”" in body
    assert "“nope” is not a valid email address." in body
    assert Organization.objects.count() == before
    assert AuditEvent.objects.get(action="import").detail.endswith("nothing written")


def test_it_refuses_an_upload_without_a_file(client, personas):
    client.force_login(personas["program_manager"])
    assert client.post(reverse("services:hsds_import"), {}).status_code == 400
    assert _upload(client, io.BytesIO(b"hello").getvalue(), "notes.txt").status_code == 400


def test_it_offers_edit_links_only_to_managers(client, personas):
    program = ProgramFactory(name="Mobile pantry")
    LocationFactory(organization=program.organization)
    client.force_login(personas["program_manager"])
    body = client.get(reverse("services:program_detail", args=[program.pk])).content.decode()
    assert reverse("services:program_edit", args=[program.pk]) in body
