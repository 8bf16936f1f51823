"""The header's language button switches the whole interface, and the page says which language it is in."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.support import ROOT, World, log_in, screenshot

SPANISH_CATALOG = ROOT / "porchlight" / "locale" / "es" / "LC_MESSAGES" / "django.mo"


def _spanish(text: str) -> str:
    with translation.override("es"):
        return translation.gettext(text)


@pytest.mark.browser
def test_it_switches_the_interface_to_spanish_and_back(site: str, world: World, page: Page) -> None:
    log_in(page, site, world.worker)
    page.goto(f"{site}/outreach/conversations/new/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url == f"{site}/outreach/conversations/new/"  # the same page, now in Spanish
    screenshot(page, "conversation-form-spanish-desktop")

    if Path(SPANISH_CATALOG).exists():
        heading = _spanish("Log a conversation")
        assert heading != "Log a conversation", "the Spanish catalog does not translate the form's heading"
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("button", name=_spanish("Save conversation"))).to_be_visible()

    # The choice sticks for the next page, and the English button brings the interface back.
    page.goto(f"{site}/residents/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Residents")
