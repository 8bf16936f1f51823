"""The "what we heard" report in a real browser: staff version with notes links, public version, phones."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from porchlight.insights.tests.factories_report import report_city
from tests.browser.support import (
    World,
    blocking,
    describe,
    horizontal_overflow,
    log_in,
    overflowing_elements,
    run_axe,
    screenshot,
)


def _check(page: Page, name: str) -> None:
    page.wait_for_selector(".pl-map path", timeout=10_000)  # the map drew (Leaflet, no tiles)
    violations = blocking(run_axe(page))
    assert not violations, f"{name}: accessibility problems:\n{describe(violations)}"
    screenshot(page, name)


def test_it_shows_an_analyst_the_report_and_the_notes_behind_a_figure(
    site: str, world: World, page: Page
) -> None:
    city = report_city()
    log_in(page, site, world.analyst)
    page.goto(f"{site}/insights/campaigns/{city.campaign.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What we heard: Listening Tour")
    expect(page.get_by_role("heading", name="What residents talked about")).to_be_visible()
    page.wait_for_selector("#themes-title ~ .pl-chart svg")  # the Vega-Lite theme chart drew
    expect(page.get_by_text("Safety (75% vs 15% elsewhere)").first).to_be_visible()
    expect(page.get_by_text("under-reached").first).to_be_visible()
    _check(page, "report-staff-desktop")
    # Every theme figure opens the notes behind it.
    page.get_by_role("link", name="18 (read the notes)").click()
    page.wait_for_url(f"**/insights/campaigns/{city.campaign.pk}/notes/?theme={city.safety.pk}")
    expect(page.get_by_text("Corner 0 is dark").first).to_be_visible()


def test_it_shows_everyone_the_public_report_without_small_numbers(
    site: str, new_context: Callable[..., BrowserContext]
) -> None:
    city = report_city()
    page = new_context().new_page()
    page.goto(f"{site}/what-we-heard/{city.campaign.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What we heard: Listening Tour")
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    assert page.locator("a[href*='/notes/']").count() == 0
    assert "704-555" not in page.content()
    _check(page, "report-public-desktop")


def test_it_fits_a_phone_screen(site: str, world: World, new_context: Callable[..., BrowserContext]) -> None:
    city = report_city()
    page = new_context(phone=True).new_page()
    log_in(page, site, world.analyst)
    for url, name in [
        (f"{site}/insights/campaigns/{city.campaign.pk}/report/", "report-staff-phone"),
        (f"{site}/what-we-heard/{city.campaign.pk}/", "report-public-phone"),
    ]:
        page.goto(url)
        page.wait_for_selector(".pl-map path", timeout=10_000)
        assert horizontal_overflow(page) == 0, f"{name} scrolls sideways: {overflowing_elements(page)}"
        _check(page, name)
