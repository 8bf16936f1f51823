"""Every staff page (and the public pages a visitor lands on) passes axe-core's WCAG 2.1 A/AA rules with no
serious or critical violation, at desktop width and on a 390×844 phone, and never scrolls sideways on the
phone. Screenshots of each go to test-artifacts/screenshots/ for a human to look at."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.support import (
    PHONE,
    World,
    blocking,
    describe,
    log_in,
    overflowing_elements,
    run_axe,
    screenshot,
    tick,
)


@dataclass(frozen=True)
class Screen:
    name: str
    path: Callable[[World], str]
    as_user: str | None = "worker"  # a World attribute, or None for a visitor who is not signed in
    prepare: Callable[[Page], None] | None = None  # put the page in the state worth checking
    expect_text: str = ""  # something the page must show (proves we reached the right page)
    # A known problem in a page another team owns: the test is expected to fail (strictly, so that the mark
    # must be removed once the page is fixed).
    known_issue: str = ""


def _choose_someone_new(page: Page) -> None:
    tick(page, "Someone new (register them)")
    tick(page, "Legal / tenant")


def _search_for_resident(page: Page) -> None:
    page.get_by_label("Find the resident (name, phone or address)").fill("Huerta")
    page.get_by_role("button", name="Choose").first.wait_for()


def _open_menu(page: Page) -> None:
    """On a phone the navigation folds into a Menu button: open it (a no-op on a desktop)."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
        page.get_by_role("button", name="Sign out").wait_for()
        # The menu slides in from the right: wait until it is all on screen.
        page.wait_for_function(  # a function, not an expression: the CSP forbids Playwright's eval of those
            "() => { const r = document.querySelector('.usa-nav').getBoundingClientRect();"
            " return r.left >= 0 && r.right <= window.innerWidth + 1; }"
        )


def _submit_with_errors(page: Page) -> None:
    tick(page, "A resident already in Porchlight")
    page.get_by_role("button", name="Save conversation").click()
    page.locator(".usa-error-message").first.wait_for()


DOOR_ATTEMPT = "6b1f0c5e-0d4b-4d0e-9a57-0c0e6f0b8d11"  # the id the walk list gives a "conversation held" tap

SCREENS = [
    Screen("public-home", lambda w: "/", as_user=None, expect_text="Staff sign in"),
    Screen("login", lambda w: "/accounts/login/", as_user=None, expect_text="Sign in"),
    Screen("home", lambda w: "/", expect_text="Welcome, Ana"),
    Screen("residents", lambda w: "/residents/", expect_text="Type a name"),
    Screen("residents-search", lambda w: "/residents/?q=Huerta", expect_text="1 resident found"),
    Screen("resident-detail", lambda w: f"/residents/{w.resident.pk}/", expect_text="Timeline"),
    Screen("resident-new", lambda w: "/residents/new/", expect_text="Register a resident"),
    Screen("resident-edit", lambda w: f"/residents/{w.resident.pk}/edit/", expect_text="Edit Dolores"),
    Screen("conversation-form", lambda w: "/outreach/conversations/new/", expect_text="Log a conversation"),
    Screen(
        "conversation-form-new-resident",
        lambda w: "/outreach/conversations/new/",
        prepare=_choose_someone_new,
        expect_text="First name",
    ),
    Screen(
        "conversation-form-search",
        lambda w: "/outreach/conversations/new/",
        prepare=lambda p: (
            tick(p, "A resident already in Porchlight"),
            _search_for_resident(p),
        ),
        expect_text="Dolores Huerta",
    ),
    Screen(
        "conversation-form-errors",
        lambda w: "/outreach/conversations/new/",
        prepare=_submit_with_errors,
        expect_text="Please correct the errors below.",
    ),
    Screen("conversations", lambda w: "/outreach/conversations/", expect_text="1 conversation"),
    Screen(
        "conversation-detail",
        lambda w: f"/outreach/conversations/{w.conversation.pk}/",
        expect_text="Needs and referrals",
    ),
    Screen("referral-form", lambda w: f"/referrals/needs/{w.need.pk}/refer/", expect_text="Send referral"),
    Screen("referrals", lambda w: "/referrals/", expect_text="1 referral"),
    Screen("referral-detail", lambda w: f"/referrals/{w.referral.pk}/", expect_text="History"),
    Screen(
        "campaigns", lambda w: "/outreach/campaigns/", as_user="manager", expect_text="Neighborhood Listening"
    ),
    Screen(
        "campaign-form", lambda w: "/outreach/campaigns/new/", as_user="manager", expect_text="Add topics"
    ),
    Screen("menu-open", lambda w: "/", prepare=_open_menu, expect_text="Sign out"),
    # Field outreach: the worker's side...
    Screen("my-queue", lambda w: "/outreach/canvass/", expect_text="My queue"),
    Screen("walk-list", lambda w: f"/outreach/canvass/turfs/{w.turf.pk}/", expect_text="Turf 1"),
    Screen("call-lists", lambda w: "/outreach/calls/", expect_text="Callbacks"),
    Screen("call-screen", lambda w: f"/outreach/calls/{w.call_list.pk}/", expect_text="Callbacks"),
    Screen("inbound-311", lambda w: "/outreach/calls/inbound/", expect_text="Log a conversation"),
    Screen(
        "door-conversation",
        lambda w: f"/outreach/canvass/conversation/?target={w.door.pk}&attempt={DOOR_ATTEMPT}",
        expect_text="Log a conversation",
    ),
    Screen("my-progress", lambda w: "/outreach/progress/", expect_text="My progress"),
    Screen("offline-app", lambda w: "/outreach/offline/", expect_text="Canvass offline"),
    # ...and the program manager's.
    Screen("target-lists", lambda w: "/outreach/targets/", as_user="manager", expect_text="Eastside doors"),
    Screen("target-list-new", lambda w: "/outreach/targets/new/", as_user="manager", expect_text="Build a"),
    Screen(
        "target-list-turfs",
        lambda w: f"/outreach/targets/{w.door_list.pk}/",
        as_user="manager",
        expect_text="Eastside doors",
    ),
    Screen(
        "call-assign",
        lambda w: f"/outreach/calls/{w.call_list.pk}/assign/",
        as_user="manager",
        expect_text="Assign callers",
    ),
    Screen(
        "scripts",
        lambda w: f"/outreach/campaigns/{w.campaign.pk}/scripts/",
        as_user="manager",
        expect_text="Scripts",
    ),
    Screen("outreach-progress", lambda w: "/outreach/progress/", as_user="manager", expect_text="progress"),
    # Pages other teams own; checked here too so that the whole staff site is held to the same bar.
    Screen(
        "dashboard",
        lambda w: "/dashboard/",
        as_user="manager",
        expect_text="residents reached",
    ),
    Screen(
        "public-summary",
        lambda w: "/what-we-heard/",
        as_user=None,
    ),
    Screen("programs", lambda w: "/programs/", as_user="manager", expect_text="Tenant Defense"),
    Screen("imports", lambda w: "/places/imports/", as_user="manager"),
]


def _open(context: BrowserContext, site: str, world: World, screen: Screen) -> Page:
    page = context.new_page()
    page.goto(site + screen.path(world))
    page.evaluate("document.fonts.ready.then(() => true)")  # screenshots with the real fonts
    if screen.prepare:
        screen.prepare(page)
    if screen.expect_text:
        assert screen.expect_text in page.locator("body").inner_text(), f"{screen.name}: wrong page"
    return page


@pytest.mark.browser
@pytest.mark.parametrize(
    "screen",
    [
        pytest.param(
            s,
            id=s.name,
            marks=[pytest.mark.xfail(strict=True, reason=s.known_issue)] if s.known_issue else [],
        )
        for s in SCREENS
    ],
)
def test_it_has_no_serious_accessibility_problems_on_desktop_or_phone(
    screen: Screen, site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    desktop = new_context()
    if screen.as_user:
        log_in(desktop.new_page(), site, getattr(world, screen.as_user))
    # The phone shares the desktop's sign-in cookie, which saves a second trip through the login form.
    phone = new_context(phone=True, storage_state=desktop.storage_state())

    problems = []
    for label, context in (("desktop", desktop), ("phone", phone)):
        page = _open(context, site, world, screen)
        screenshot(page, f"{screen.name}-{label}")
        found = blocking(run_axe(page))
        if found:
            problems.append(f"{label}:\n{describe(found)}")
        if label == "phone":
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE["width"] + 1:
                problems.append(
                    f"phone: the page scrolls sideways (scrollWidth {scroll_width}px > {PHONE['width']}px); "
                    f"too wide: {overflowing_elements(page)}"
                )
    assert not problems, f"{screen.name} ({screen.path(world)}):\n" + "\n".join(problems)
