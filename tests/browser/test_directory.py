"""The program directory in a real browser: a program manager imports an HSDS file (a bad one first: every
problem listed, nothing written), and an ambassador on a phone finds a program in Spanish and reads what the
resident must bring. Each page passes axe-core and does not scroll sideways on the phone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from porchlight.directory.models import Program
from tests.browser.support import (
    World,
    blocking,
    describe,
    log_in,
    overflowing_elements,
    run_axe,
    screenshot,
)


def _service(name: str, **extra: object) -> dict:
    service = {
        "id": f"svc-{name}",
        "name": name,
        "status": "active",
        "description": "Free help with past-due utility bills.",
        "eligibility_description": "Households at or below 60% of area median income.",
        "application_process": "Call the intake line; a caseworker calls back within two days.",
        "organization": {"id": "org-cam", "name": "Crisis Assistance Ministry"},
        "phones": [{"number": "+17045550152"}],
        "languages": [{"code": "en"}, {"code": "es"}],
        "required_documents": [{"document": "Photo ID"}, {"document": "Most recent utility bill"}],
        "attributes": [{"taxonomy_term": {"code": "utilities", "name": "Utilities"}}],
        "service_at_locations": [
            {
                "location": {
                    "id": "loc-spratt",
                    "name": "Crisis Assistance Ministry – Spratt St",
                    "latitude": 35.2446,
                    "longitude": -80.8207,
                    "transportation": "CATS bus 3 (The Plaza)",
                    "addresses": [
                        {
                            "address_1": "500-A Spratt St",
                            "city": "Charlotte",
                            "state_province": "NC",
                            "postal_code": "28206",
                            "address_type": "physical",
                        }
                    ],
                }
            }
        ],
    }
    service.update(extra)
    return service


def _check(page: Page, name: str, *, phone: bool = False) -> None:
    screenshot(page, f"directory-{name}")
    problems = blocking(run_axe(page))
    assert not problems, f"{name}:\n{describe(problems)}"
    if phone:
        assert not overflowing_elements(page), f"{name} scrolls sideways: {overflowing_elements(page)}"


@pytest.mark.browser
def test_it_imports_a_directory_and_a_worker_finds_what_to_bring(
    site: str, world: World, new_context: Callable[..., BrowserContext], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [_service("Utility bill assistance", email="not-an-email", service_areas=[{"name": "Atlantis"}])]
        )
    )
    good = tmp_path / "directory.json"
    good.write_text(json.dumps([_service("Utility bill assistance")]))

    # A program manager at a desk imports a file from the county's 211.
    page = new_context().new_page()
    log_in(page, site, world.manager)
    page.goto(f"{site}/programs/")
    _check(page, "directory-manager")
    page.get_by_role("link", name="Import or export").click()
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("The file has 2 problems. Nothing was imported.")).to_be_visible()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.filter(has_text="Unknown area “Atlantis”")).to_contain_text("service_areas[0].name")
    _check(page, "import-errors")
    assert not Program.objects.filter(name="Utility bill assistance").exists()
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Directory imported: organizations: 1 created")).to_be_visible()
    program = Program.objects.get(name="Utility bill assistance")
    page.goto(f"{site}/programs/{program.pk}/edit/")
    _check(page, "program-form")

    # An ambassador on a phone looks for help a Spanish-speaking resident can use.
    phone = new_context(phone=True).new_page()
    log_in(phone, site, world.worker)
    phone.goto(f"{site}/programs/")
    phone.get_by_label("Language served").select_option(label="Spanish")
    phone.get_by_label("Search", exact=True).fill("utility")
    phone.get_by_role("button", name="Search").click()
    expect(phone.get_by_text("1 program", exact=True)).to_be_visible()
    _check(phone, "directory-phone", phone=True)
    phone.get_by_role("link", name="Utility bill assistance").click()
    expect(phone.get_by_role("heading", name="What to bring")).to_be_visible()
    expect(phone.get_by_text("Most recent utility bill")).to_be_visible()
    expect(phone.get_by_text("500-A Spratt St")).to_be_visible()
    expect(phone.get_by_role("link", name="Edit program")).to_have_count(0)
    _check(phone, "program-detail-phone", phone=True)
