"""Eligibility screening in a real browser: an ambassador screens a resident on a phone and sees a likely
program with its reason and what to bring; a program manager edits the program's rules and tries them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from porchlight.directory.models import EligibilityRule, Screening
from porchlight.testing.factories_screening import EligibilityRuleFactory, ami_table_create
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


def _rules(world: World) -> None:
    ami_table_create(year=2024, four_person=103_800)
    program = world.housing_program
    program.required_documents = "Photo ID\nLease or rental agreement\nProof of income (last 30 days)"
    program.application_process = "Call the housing hotline; intake takes about 20 minutes."
    program.phone = "704-336-3380"
    program.save()
    EligibilityRuleFactory(program=program, question="income", operator="ami_at_most", value="60")
    EligibilityRuleFactory(
        program=program, question="tenure", operator="is", value="renter", explanation="Rents the home"
    )
    EligibilityRuleFactory(program=world.legal_program, question="age", operator="at_least", value="62")


@pytest.mark.browser
def test_it_screens_a_resident_and_shows_a_likely_program_with_reason_and_documents(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    _rules(world)
    page = new_context(phone=True).new_page()
    log_in(page, site, world.worker)
    page.goto(f"{site}/residents/{world.resident.pk}/")
    page.get_by_role("link", name="Screen for programs").click()
    expect(page.get_by_role("heading", name="Screen Dolores Huerta for programs")).to_be_visible()
    page.get_by_label("How many people live in the household, counting the resident?").fill("3")
    page.get_by_label("Yearly household income before taxes, in dollars").fill("30,000")
    tick(page, "Rents")
    assert horizontal_overflow(page) == 0
    screenshot(page, "screener-phone")
    page.get_by_role("button", name="Find programs").click()

    expect(page.get_by_role("heading", name="Programs for Dolores Huerta")).to_be_visible()
    card = page.locator("section").filter(has=page.get_by_role("heading", name="Rent Relief"))
    reason = "Income $30,000 is at or below 60% of AMI for 3 people ($56,052)"
    expect(card.get_by_text(reason)).to_be_visible()
    expect(card.get_by_text("Rents the home")).to_be_visible()
    expect(card.get_by_text("Lease or rental agreement")).to_be_visible()
    expect(card.get_by_role("link", name=re.compile("^Refer"))).to_be_visible()
    maybe = page.locator("section").filter(has=page.get_by_role("heading", name="Tenant Defense"))
    expect(maybe.get_by_text("Ask about: Age")).to_be_visible()
    assert horizontal_overflow(page) == 0
    violations = blocking(run_axe(page))
    assert not violations, describe(violations)
    screenshot(page, "screening-results-phone")
    screening = Screening.objects.get()
    assert screening.screened_by == world.worker and screening.answers["income"] == 30_000

    # Back on the resident's page, the screening is listed (loaded by htmx).
    page.get_by_role("link", name="Dolores Huerta").first.click()
    expect(page.locator("#resident-screenings").get_by_text("1 likely program")).to_be_visible()
    screenshot(page, "resident-page-phone")


@pytest.mark.browser
def test_it_lets_a_program_manager_add_a_rule_and_try_it(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    _rules(world)
    page = new_context().new_page()
    log_in(page, site, world.manager)
    page.goto(f"{site}/programs/{world.housing_program.pk}/rules/")
    expect(page.get_by_role("heading", name="Eligibility rules: Rent Relief")).to_be_visible()
    page.get_by_label("Question").select_option(label="Age")
    page.get_by_label("Condition").select_option(label="is at least")
    page.get_by_label("Value").fill("sixty")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text("Enter a number (digits only), e.g. 62.")).to_be_visible()
    assert not EligibilityRule.objects.filter(question="age", program=world.housing_program).exists()
    page.get_by_label("Value").fill("18")
    page.get_by_role("button", name="Add rule").click()
    expect(page.get_by_text("Rule saved.")).to_be_visible()

    page.get_by_label("How many people live in the household, counting the resident?").fill("3")
    page.get_by_label("Yearly household income before taxes, in dollars").fill("56052")
    page.get_by_label("Age of the resident").fill("40")
    tick(page, "Rents")
    with page.expect_response(re.compile(r"/rules/try/")):
        page.get_by_role("button", name="Try these answers").click()
    expect(page.locator("#try-result").get_by_text("Likely qualifies.")).to_be_visible()
    violations = blocking(run_axe(page))
    assert not violations, describe(violations)
    screenshot(page, "rules-desktop")

    page.goto(f"{site}/programs/ami/")
    expect(page.get_by_label("4 people")).to_have_value("103800")
    screenshot(page, "ami-desktop")
