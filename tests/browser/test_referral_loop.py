"""The closed loop in a real browser: an ambassador logs a conversation with a need and refers it with the
resident's consent; the partner organization signs in, accepts, works and resolves it ("Enrolled"); the
ambassador sees the outcome and the whole history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from porchlight.accounts.models import Team
from porchlight.accounts.roles import Role
from porchlight.cases.models import Referral
from porchlight.cases.services import referral_set_status
from porchlight.testing.factories import TeamFactory, UserFactory
from tests.browser.support import (
    World,
    blocking,
    describe,
    horizontal_overflow,
    log_in,
    overflowing_elements,
    run_axe,
    screenshot,
    tick,
)


def _shot(page: Page, name: str) -> None:
    screenshot(page, f"referral-loop-{name}")


def _move(page: Page, action: str, reason: tuple[str, str] | None = None, note: str = "") -> None:
    """Open one of the referral's next steps, fill it in and send it."""
    step = page.locator("details", has=page.locator("summary", has_text=action))
    if step.get_attribute("open") is None:  # already open when the page came back with an error
        step.locator("summary").click()
    form = step.locator("form")
    if reason:
        form.get_by_label(reason[0]).select_option(label=reason[1])
    if note:
        form.get_by_label("Note (optional)").fill(note)
    form.get_by_role("button", name=action).click()
    expect(page.get_by_text("Status updated.")).to_be_visible()


@pytest.mark.browser
def test_it_closes_the_loop_from_a_conversations_need_to_a_resolved_referral(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    legal_aid = world.legal_program.organization
    partner_team = TeamFactory(name=legal_aid.name, kind=Team.Kind.PARTNER)
    legal_aid.team = partner_team
    legal_aid.save(update_fields=["team"])
    partner = UserFactory(
        username="legalaid", first_name="Lena", last_name="Ortiz", role=Role.CASE_MANAGER, team=partner_team
    )

    # An ambassador at a door logs the conversation and the need.
    phone = new_context(phone=True).new_page()
    log_in(phone, site, world.worker)
    phone.goto(f"{site}/outreach/conversations/new/")
    phone.wait_for_load_state()
    tick(phone, "Someone new (register them)")
    phone.get_by_label("First name").fill("Rosa")
    phone.get_by_label("Last name").fill("Parks")
    phone.get_by_label("Phone", exact=True).fill("704-555-0199")
    tick(phone, "Agrees to be contacted by the city")
    phone.get_by_label("Notes").fill("Her son was arrested last year; she does not want the police involved.")
    tick(phone, "Legal / tenant")
    phone.get_by_label("Details of the need").fill("Eviction notice for Friday")
    phone.get_by_role("button", name="Save conversation").click()
    expect(phone.get_by_text("Conversation saved.")).to_be_visible()

    # ...and refers it, with her consent, to the legal aid program.
    phone.get_by_role("link", name="Refer to a program").click()
    phone.get_by_role("combobox", name="Program").select_option(
        label=f"{world.legal_program.name} — {legal_aid}"
    )
    phone.get_by_label("Note for the program").fill("Prefers calls after 5pm")
    phone.get_by_role("button", name="Send referral").click()
    expect(phone.get_by_text("A referral needs the resident's agreement.")).to_be_visible()  # consent first
    tick(phone, "The resident agreed that we share their details with this program")
    phone.get_by_role("button", name="Send referral").click()
    expect(phone.get_by_text(f"Referral sent to {world.legal_program.name}.")).to_be_visible()
    referral = Referral.objects.get(resident__last_name="Parks")
    assert (referral.status, referral.program, referral.consent_given) == ("sent", world.legal_program, True)
    _shot(phone, "1-worker-sent-phone")
    assert horizontal_overflow(phone) == 0

    # The partner signs in and finds it in their inbox: only their organization's referrals.
    desk = new_context().new_page()
    log_in(desk, site, partner)
    desk.get_by_role("button", name="Connect to help").click()
    desk.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Referrals").click()
    expect(desk.get_by_text("1 referral", exact=True)).to_be_visible()
    expect(desk.get_by_role("link", name="Dolores Huerta")).to_have_count(0)  # sent to another program
    _shot(desk, "2-partner-inbox")
    desk.get_by_role("link", name="Rosa Parks").click()
    expect(desk.get_by_text("(704) 555-0199")).to_be_visible()
    expect(desk.get_by_text("Prefers calls after 5pm")).to_be_visible()
    expect(desk.get_by_text("arrested")).to_have_count(0)  # conversation notes are not shared
    expect(desk.get_by_text("Eviction notice for Friday")).to_have_count(0)
    _shot(desk, "3-partner-referral")

    _move(desk, "Accept")
    _move(desk, "Mark in progress", note="Intake booked for Tuesday")
    desk.locator("summary", has_text="Resolve: report the outcome").click()
    desk.locator("details[open] form").get_by_role("button", name="Resolve: report the outcome").click()
    expect(desk.get_by_text("Choose a reason.")).to_be_visible()  # an outcome is required
    _shot(desk, "4a-partner-outcome-required")
    _move(desk, "Resolve: report the outcome", reason=("Outcome", "Enrolled"), note="Represented at hearing")
    _shot(desk, "4-partner-resolved")

    # The ambassador sees the outcome and every step.
    phone.goto(f"{site}/referrals/updates/")
    expect(phone.get_by_text("Resolved — Enrolled")).to_be_visible()
    phone.get_by_role("link", name=re.compile("Rosa Parks")).first.click()
    expect(phone.locator("#referral-status")).to_contain_text("Resolved — Enrolled")
    history = phone.locator("#referral-history li")
    expect(history).to_have_count(4)
    for i, text in enumerate(["Sent", "Accepted", "In progress", "Resolved — Enrolled"]):
        expect(history.nth(i)).to_contain_text(text)
    expect(history.nth(2)).to_contain_text("Intake booked for Tuesday")
    expect(history.nth(3)).to_contain_text("Lena Ortiz")
    _shot(phone, "5-worker-sees-outcome-phone")
    assert horizontal_overflow(phone) == 0
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("resolved", "enrolled")


@pytest.mark.browser
def test_the_outcomes_report_reads_well_at_a_desk_and_on_a_phone(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    referral = world.referral
    referral_set_status(referral=referral, status="accepted", actor=world.manager)
    referral_set_status(referral=referral, status="resolved", actor=world.manager, reason="completed")
    for phone in (False, True):
        page = new_context(phone=phone).new_page()
        log_in(page, site, world.analyst)
        page.goto(f"{site}/referrals/outcomes/")
        page.get_by_label("Group by").select_option(label="Campaign")
        page.get_by_role("button", name="Show").click()
        table = page.get_by_role("table", name="Referral outcomes by campaign")
        row = table.get_by_role("row", name=re.compile(world.campaign.name))
        expect(row).to_contain_text("100%")
        problems = blocking(run_axe(page))
        assert not problems, describe(problems)
        assert horizontal_overflow(page) == 0, overflowing_elements(page)
        _shot(page, "6-outcomes-phone" if phone else "6-outcomes-desktop")


@pytest.mark.browser
def test_it_refers_from_the_residents_page_and_flags_what_waits_too_long(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    Referral.objects.filter(pk=world.referral.pk).update(created_at=ten_days_ago, sent_at=ten_days_ago)
    page = new_context(phone=True).new_page()
    log_in(page, site, world.worker)
    expect(page.locator(".pl-home-card", has_text="referrals not accepted in time")).to_contain_text("1")
    page.goto(f"{site}/residents/{world.resident.pk}/")
    page.get_by_role("link", name="Refer to a program").click()
    expect(page.get_by_role("heading", name="Refer Dolores Huerta to a program")).to_be_visible()
    page.get_by_role("combobox", name="Program").select_option(
        label=f"{world.legal_program.name} — Legal Aid of the Carolinas"
    )
    tick(page, "The resident agreed that we share their details with this program")
    _shot(page, "7-refer-from-resident-phone")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text(f"Referral sent to {world.legal_program.name}.")).to_be_visible()
    assert Referral.objects.get(resident=world.resident, program=world.legal_program).need.category == "legal"

    page.goto(f"{site}/referrals/?mine=1&overdue=1")
    expect(page.get_by_text("1 referral", exact=True)).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("Overdue")
    expect(page.locator("tbody tr").first).to_contain_text(world.housing_program.name)
    assert horizontal_overflow(page) == 0, overflowing_elements(page)
    problems = blocking(run_axe(page))
    assert not problems, describe(problems)
    _shot(page, "8-overdue-list-phone")
