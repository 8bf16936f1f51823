"""An analyst builds a campaign's codebook, codes the notes, corrects the coding and promotes a new theme."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from porchlight.insights.models import CodingRun, EmergentTheme, Theme, ThemeCode
from porchlight.testing.factories import ConversationFactory
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

HOUSING = [
    "The rent went up again and we may have to move out of the apartment.",
    "Our landlord will not fix the leaking roof and the rent keeps rising.",
    "Housing costs too much, rent is half of what I earn.",
    "Affordable housing is what matters most, rents are pushing families out.",
    "We got an eviction notice after the rent increase.",
    "La renta subió otra vez y no podemos pagar la vivienda.",
]
SAFETY = [
    "Street lights are out and people speed through; we do not feel safe walking at night.",
    "There were break-ins on our block and the police took hours to come.",
    "Kids cannot play outside because of the shootings, safety is the main worry.",
    "Crime near the corner store makes us afraid at night.",
    "We need more patrols, the block is not safe after dark.",
]
# A subject the codebook does not have: it should surface as a candidate new theme.
BUSES = [
    "The bus never comes on time and the bus stop has no shelter from the rain.",
    "Bus route 7 was cut so my commute takes two buses now.",
    "The bus stop on our street has no bench and no shelter.",
    "Buses are late every morning, I miss the start of my shift at work.",
    "We need a bus shelter, the stop floods when it rains.",
    "The bus schedule changed and nobody told the riders.",
    "Waiting for the bus in the heat with no shelter is hard on seniors.",
    "More buses on the weekend route would help people get to church and stores.",
    "The bus stop sign fell down and the bus drives past.",
    "Bus fares went up and the route is slower than before.",
    "A bus shelter and a bench at the stop, that is all we ask.",
    "The bus driver skipped our stop twice this week.",
]


def _check_page(page: Page, name: str) -> None:
    violations = blocking(run_axe(page))
    assert not violations, f"{name}: accessibility problems:\n{describe(violations)}"
    screenshot(page, name)


def test_it_lets_an_analyst_build_the_codebook_and_correct_the_coding(
    world: World, site: str, page: Page, new_context
) -> None:
    for text in HOUSING + SAFETY + BUSES:
        ConversationFactory(campaign=world.campaign, held_by=world.worker, notes=text)
    campaign = world.campaign
    log_in(page, site, world.analyst)

    # An empty codebook, seeded from the campaign's topics.
    page.goto(f"{site}/insights/campaigns/{campaign.pk}/codebook/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Codebook")
    _check_page(page, "codebook-empty")
    page.get_by_role("button", name="Seed from topics").click()
    expect(page.get_by_role("link", name="Affordable housing")).to_be_visible()
    assert Theme.objects.filter(campaign=campaign).count() == 3

    # Re-code all notes: the progress bar (htmx) ends at "finished".
    page.get_by_role("button", name="Re-code all notes").click()
    expect(page.locator("#coding-progress")).to_contain_text("Last coding run finished", timeout=60_000)
    run = CodingRun.objects.get(campaign=campaign)
    assert run.status == CodingRun.Status.DONE and run.done == run.total > 0
    page.reload()
    _check_page(page, "codebook-coded")

    # Review the notes coded to housing; reject one automatic code.
    housing = Theme.objects.get(campaign=campaign, name="Affordable housing")
    page.goto(f"{site}/insights/campaigns/{campaign.pk}/notes/?theme={housing.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Coded notes")
    _check_page(page, "codebook-notes")
    first_note = page.locator(".pl-notes > li").first
    note_id = int(first_note.get_attribute("id").removeprefix("note-"))
    first_note.get_by_role("button", name=re.compile(r"^Reject\W+Affordable housing")).click()
    expect(page.locator(f"#note-{note_id} .pl-code--rejected")).to_contain_text("Affordable housing")
    code = ThemeCode.objects.get(item_id=note_id, theme=housing)
    assert code.decision == ThemeCode.Decision.REJECTED and code.decided_by == world.analyst

    # Add a theme to a note the coder left without one.
    page.goto(f"{site}/insights/campaigns/{campaign.pk}/notes/?uncoded=1")
    note = page.locator(".pl-notes > li").first
    item_id = int(note.get_attribute("id").removeprefix("note-"))
    safety = Theme.objects.get(campaign=campaign, name="Community safety")
    note.get_by_label("Add theme").select_option(str(safety.pk))
    note.get_by_role("button", name="Add").click()
    expect(page.locator(f"#note-{item_id} .pl-codes")).to_contain_text("Community safety")
    assert ThemeCode.objects.get(item_id=item_id, theme=safety).source == ThemeCode.Source.ANALYST

    # Find new themes among the notes that fit none, and promote the bus one.
    page.goto(f"{site}/insights/campaigns/{campaign.pk}/emergent/")
    page.get_by_role("button", name="Find new themes").click()
    expect(page.get_by_role("heading", name="Candidate themes")).to_be_visible()
    candidate = EmergentTheme.objects.filter(campaign=campaign, keywords__icontains="bus").first()
    assert candidate is not None, list(EmergentTheme.objects.values_list("label", flat=True))
    _check_page(page, "codebook-emergent")
    page.get_by_role("link", name=re.compile(f"^Promote\\W+{re.escape(candidate.label)}")).click()
    expect(page.get_by_label("Name")).to_have_value(candidate.label)
    page.get_by_label("Name").fill("Buses and bus stops")
    page.get_by_label("Description").fill("bus service, bus stops, shelters, routes")
    _check_page(page, "codebook-promote")
    page.get_by_role("button", name="Add to codebook").click()
    expect(page.get_by_role("link", name="Buses and bus stops")).to_be_visible()
    promoted = Theme.objects.get(campaign=campaign, name="Buses and bus stops")
    assert ThemeCode.objects.filter(theme=promoted, source=ThemeCode.Source.ANALYST).count() == candidate.size

    # On a phone nothing scrolls sideways.
    phone = new_context(phone=True).new_page()
    log_in(phone, site, world.analyst)
    for path, name in [
        ("codebook/", "codebook-phone"),
        ("notes/", "codebook-notes-phone"),
        ("emergent/", "codebook-emergent-phone"),
    ]:
        phone.goto(f"{site}/insights/campaigns/{campaign.pk}/{path}")
        assert horizontal_overflow(phone) <= 0, f"{name}: {overflowing_elements(phone)}"
        screenshot(phone, name)
