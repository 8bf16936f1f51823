"""The duplicate review queue in a real browser, on a phone: a program manager compares two records of one
resident (Bob / Robert, one phone written two ways), sees why they were proposed, merges, then undoes it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from playwright.sync_api import BrowserContext, expect

from porchlight.people.models import Resident
from porchlight.people.services import resident_create
from porchlight.places.models import Address
from tests.browser.support import (
    World,
    blocking,
    describe,
    horizontal_overflow,
    log_in,
    run_axe,
    screenshot,
    tick,
)


@pytest.mark.browser
def test_it_reviews_merges_and_undoes_a_duplicate_on_a_phone(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    door = Address.objects.create(street="300 Pine Rd", city="Charlotte", zip_code="28205")
    resident_create(
        actor=None, first_name="Robert", last_name="Smithfield", address=door, phones=["(704) 555-0134"]
    )
    bob = resident_create(actor=None, first_name="Bob", last_name="Smithfield", phones=["704.555.0134"])
    call_command("match_residents")

    page = new_context(phone=True).new_page()
    log_in(page, site, world.manager)
    page.goto(f"{site}/residents/matches/")
    expect(page.get_by_role("heading", name="Possible duplicate residents")).to_be_visible()
    violations = blocking(run_axe(page))
    assert not violations, describe(violations)
    page.get_by_role("link", name="Review").first.click()

    expect(page.get_by_role("heading", name="Are these one person?")).to_be_visible()
    expect(page.get_by_text("same phone")).to_be_visible()
    expect(page.get_by_text("nickname")).to_be_visible()
    assert horizontal_overflow(page) == 0
    violations = blocking(run_axe(page))
    assert not violations, describe(violations)
    screenshot(page, "match-review-phone")

    tick(page, "Same person: keep the first record")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Records merged.")).to_be_visible()
    assert Resident.all_objects.get(pk=bob.pk).merged_into_id is not None

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Merge undone")).to_be_visible()
    assert Resident.all_objects.get(pk=bob.pk).merged_into_id is None
