"""The core loop in a real browser: an ambassador logs a conversation with someone new, refers their need to a
program, and a program manager sees the conversation counted on the dashboard. Plus the retry (Back, then
Save again) and the live resident search of the conversation form."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from porchlight.cases.models import Referral
from porchlight.outreach.models import Conversation, Need
from porchlight.people.models import Resident
from tests.browser.support import World, log_in, screenshot, tick


def _conversations_stat(page: Page) -> Locator:
    """The number on the dashboard's 'conversations' card (the card whose label is exactly that word)."""
    label = page.get_by_text("conversations", exact=True)
    card = page.locator("#dashboard-results .pl-stat").filter(has=label)
    return card.locator(".pl-stat__value")


@pytest.mark.browser
def test_it_logs_a_conversation_refers_the_need_and_counts_it_on_the_dashboard(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    before = Conversation.objects.filter(campaign=world.campaign).count()

    # An ambassador on a phone, at a door.
    page = new_context(phone=True).new_page()
    log_in(page, site, world.worker)
    page.get_by_role("link", name="Log a conversation").first.click()
    page.wait_for_load_state()  # the form's script (show the part for who was met) must be running
    expect(page.get_by_role("heading", name="Log a conversation")).to_be_visible()
    expect(page.get_by_label("Campaign")).to_have_value(str(world.campaign.pk))
    tick(page, "Someone new (register them)")
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Parks")
    page.get_by_label("Phone", exact=True).fill("704-555-0199")
    tick(page, "Agrees to be contacted by the city")
    tick(page, "Affordable housing")
    tick(page, "Community safety")
    page.get_by_label("Notes").fill("The landlord has not fixed the heat since October.")
    tick(page, "Legal / tenant")
    page.get_by_label("Details of the need").fill("Heat not fixed; wants to know her rights")
    page.get_by_role("button", name="Save conversation").click()

    # The conversation page.
    expect(page.get_by_text("Conversation saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Rosa Parks")).to_be_visible()
    conversation = Conversation.objects.get(resident__last_name="Parks")
    assert conversation.campaign == world.campaign and conversation.held_by == world.worker
    assert sorted(t.name for t in conversation.topics.all()) == ["Affordable housing", "Community safety"]
    assert conversation.resident.phones.get().number == "+17045550199"
    need = Need.objects.get(conversation=conversation)
    assert need.category == "legal"

    # Refer the need to a program.
    page.get_by_role("link", name="Refer to a program").click()
    expect(page.get_by_role("heading", name=re.compile("Refer Rosa Parks"))).to_be_visible()
    program_label = f"{world.legal_program.name} — Legal Aid of the Carolinas"
    page.get_by_role("combobox", name="Program").select_option(label=program_label)
    tick(page, "The resident agreed that we share their details with this program")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text(f"Referral sent to {world.legal_program.name}.")).to_be_visible()
    screenshot(page, "flow-referral-sent-phone")
    referral = Referral.objects.get(need=need)
    assert referral.program == world.legal_program and referral.consent_given
    assert referral.created_by == world.worker

    # A program manager at a desk opens the dashboard and picks the campaign.
    desk = new_context().new_page()
    log_in(desk, site, world.manager)
    desk.get_by_role("button", name="Insights").click()
    desk.get_by_role("link", name="Dashboard, themes and reports").click()
    desk.wait_for_load_state()  # htmx must be listening before the filter changes
    expect(desk.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    with desk.expect_response(re.compile(r"/dashboard/\?")):
        desk.get_by_label("Campaign").select_option(label=world.campaign.name)
    expect(desk.locator("#dashboard-results .pl-stat").first).to_be_visible()
    expect(_conversations_stat(desk)).to_have_text(str(before + 1))
    screenshot(desk, "flow-dashboard-desktop")


@pytest.mark.browser
def test_it_keeps_one_record_when_the_same_form_is_sent_again_after_going_back(
    site: str, world: World, page: Page
) -> None:
    log_in(page, site, world.worker)
    page.goto(f"{site}/outreach/conversations/new/")
    client_id = page.locator('input[name="client_id"]').input_value()
    page.get_by_label("Notes").fill("Asked about the bus stop shelter.")
    page.get_by_role("button", name="Save conversation").click()
    expect(page.get_by_text("Conversation saved.")).to_be_visible()
    assert Conversation.objects.filter(client_id=client_id).count() == 1

    # A worker on a bad connection goes back and taps Save again: the page still carries the same client_id.
    page.go_back()
    expect(page.get_by_role("heading", name="Log a conversation")).to_be_visible()
    assert page.locator('input[name="client_id"]').input_value() == client_id
    expect(page.get_by_label("Notes")).to_have_value("Asked about the bus stop shelter.")
    page.get_by_role("button", name="Save conversation").click()

    expect(page.get_by_text("This conversation was already saved; nothing was added twice.")).to_be_visible()
    assert Conversation.objects.filter(notes="Asked about the bus stop shelter.").count() == 1


@pytest.mark.browser
def test_it_finds_a_resident_as_you_type_and_chooses_them(site: str, world: World, page: Page) -> None:
    other = Resident.objects.create(first_name="Dolores", last_name="Clark", preferred_language="en")
    log_in(page, site, world.worker)
    page.goto(f"{site}/outreach/conversations/new/")
    search = page.get_by_label("Find the resident (name, phone or address)")
    expect(search).to_be_hidden()  # only shown once "A resident already in Porchlight" is picked
    tick(page, "A resident already in Porchlight")

    with page.expect_response(re.compile(r"/residents/\?pick=1")) as response:
        search.press_sequentially("Huer", delay=30)
    assert response.value.request.headers.get("hx-request") == "true"  # htmx, not a page load
    results = page.locator("#resident-results")
    expect(results.get_by_text("1 resident found")).to_be_visible()
    expect(results.get_by_text(other.last_name)).to_have_count(0)
    expect(page.get_by_role("heading", name="Log a conversation")).to_be_visible()  # still on the form

    results.get_by_role("button", name="Choose Dolores Huerta").click()
    expect(page.locator("#picked-resident")).to_have_text("Talking with Dolores Huerta")
    expect(results).to_be_empty()
    assert page.locator('input[name="resident"]').input_value() == str(world.resident.pk)
    expect(page.get_by_label("Spanish")).to_be_checked()  # her preferred language

    page.get_by_label("Notes").fill("Follow-up on the rent increase.")
    page.get_by_role("button", name="Save conversation").click()
    expect(page.get_by_text("Conversation saved.")).to_be_visible()
    saved = Conversation.objects.get(notes="Follow-up on the rent increase.")
    assert saved.resident == world.resident and saved.language == "es"
