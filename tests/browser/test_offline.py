"""The offline canvassing app in a real browser: download a turf, lose the connection, knock doors and log a
conversation, reload the page with no network (the service worker serves it), come back online, and check that
every record reached the database exactly once."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from porchlight.accounts.models import AuditEvent
from porchlight.outreach.models import Attempt, Conversation, Script, Target, TargetList, Turf
from porchlight.testing.factories import AddressFactory, ResidentFactory
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


def _turf(world: World) -> Turf:
    target_list = TargetList.objects.create(
        campaign=world.campaign, name="Belmont doors", kind="door", created_by=world.manager
    )
    turf = Turf.objects.create(target_list=target_list, number=1, name="Belmont 1", assigned_to=world.worker)
    streets = ["101 Pegram St", "105 Pegram St", "109 Pegram St", "113 Pegram St"]
    for i, street in enumerate(streets):
        address = AddressFactory(street=street, unit="")
        Target.objects.create(target_list=target_list, turf=turf, address=address, sequence=i)
        if i == 2:
            ResidentFactory(address=address, first_name="Rosa", last_name="Parks", preferred_language="en")
    script = "Hi! I'm with the city's listening project."
    Script.objects.update_or_create(campaign=world.campaign, language="en", defaults={"body": script})
    return turf


def _record(page: Page, street: str, outcome: str) -> None:
    page.get_by_role("button", name=re.compile(street)).click()
    expect(page.get_by_role("heading", name=re.compile(street))).to_be_visible()
    tick(page, outcome)


def _accessible_on_a_phone(page: Page) -> None:
    problems = blocking(run_axe(page))
    assert not problems, describe(problems)
    assert horizontal_overflow(page) <= 0


def _waiting(page: Page, n: int) -> None:
    expect(page.locator("#sync-state")).to_have_text(f"{n} waiting to sync")


@pytest.mark.browser
def test_it_records_doors_offline_and_syncs_each_record_exactly_once(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    turf = _turf(world)
    context = new_context(phone=True)
    page = context.new_page()
    log_in(page, site, world.worker)
    page.goto(f"{site}/outreach/offline/")
    expect(page.get_by_role("heading", name="Canvass offline")).to_be_visible()
    # The service worker takes control of the page (skipWaiting + clients.claim) once it has stored the shell.
    # A function, not an expression: Playwright evals expressions in the page, which the CSP forbids.
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")

    page.get_by_role("button", name="Download for offline use Belmont 1").click()
    expect(page.get_by_role("heading", name=re.compile("Belmont 1 · 4 doors"))).to_be_visible()
    assert AuditEvent.objects.filter(actor=world.worker, action="export", object_id=str(turf.pk)).count() == 1
    _accessible_on_a_phone(page)

    context.set_offline(True)
    expect(page.locator("#net-state")).to_have_text(re.compile("Offline"))
    _record(page, "101 Pegram St", "Not home")
    expect(page.get_by_text("Hi! I'm with the city's listening project.")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    _waiting(page, 1)
    _record(page, "105 Pegram St", "Refused")
    page.get_by_role("button", name="Save").click()
    _waiting(page, 2)
    _record(page, "109 Pegram St", "Conversation held")
    tick(page, "Rosa Parks")
    tick(page, "Affordable housing")
    page.get_by_label("Notes").fill("Rent went up 30% this year.")
    tick(page, "Housing")
    page.get_by_label("Details of the need").fill("Needs help with rent")
    tick(page, "Wants follow-up")
    _accessible_on_a_phone(page)
    page.get_by_role("button", name="Save").click()
    _waiting(page, 4)  # the conversation and its attempt
    screenshot(page, "offline-waiting-phone")

    # Reload with no network: the service worker answers from its cache (the page's CSRF token is the stored
    # copy's, not a fresh one the server would have rendered), and the outbox is still there.
    stored_token = page.evaluate(
        """() => caches.keys().then(keys => caches.open(keys.find(k => k.startsWith('porchlight-offline-'))))
             .then(c => c.match('/outreach/offline/')).then(r => r.text())
             .then(t => t.match(/name="csrfmiddlewaretoken" value="([^"]+)"/)[1])"""
    )
    response = page.reload()
    assert response is not None and response.from_service_worker
    expect(page.get_by_role("heading", name="Canvass offline")).to_be_visible()
    assert page.locator("[name=csrfmiddlewaretoken]").first.input_value() == stored_token
    _waiting(page, 4)
    page.get_by_role("button", name="Open Belmont 1").click()
    _record(page, "113 Pegram St", "Moved")
    page.get_by_role("button", name="Save").click()
    _waiting(page, 5)
    assert Attempt.objects.count() == 0  # nothing left the phone

    context.set_offline(False)
    expect(page.locator("#sync-state")).to_have_text("Everything is synced.", timeout=20_000)
    acknowledged = page.evaluate(
        """user => new Promise(res => { const o = indexedDB.open('porchlight-offline-' + user);
             o.onsuccess = () => { const r = o.result.transaction('done').objectStore('done').getAllKeys();
             r.onsuccess = () => res(r.result); }; })""",
        world.worker.pk,
    )
    assert len(acknowledged) == 5

    # Syncing again (another tap, another tab) adds nothing.
    page.get_by_role("button", name="Sync now").click()
    page.wait_for_timeout(500)
    attempts = Attempt.objects.filter(target__turf=turf)
    assert sorted(a.outcome for a in attempts) == ["conversation", "moved", "not_home", "refused"]
    assert {str(a.client_id) for a in attempts} | {
        str(c.client_id) for c in Conversation.objects.filter(attempts__in=attempts)
    } == set(acknowledged)
    conversation = Conversation.objects.exclude(pk=world.conversation.pk).get()
    assert conversation.resident.last_name == "Parks" and conversation.wants_follow_up
    assert [t.name for t in conversation.topics.all()] == ["Affordable housing"]
    assert conversation.needs.get().category == "housing"
    assert attempts.get(outcome="conversation").conversation == conversation
    assert all(a.made_by == world.worker for a in attempts)
    screenshot(page, "offline-synced-phone")


def _offline_database_exists(page: Page, user_pk: int) -> bool:
    return page.evaluate(
        "name => indexedDB.databases().then(ds => ds.some(d => d.name === name))",
        f"porchlight-offline-{user_pk}",
    )


@pytest.mark.browser
def test_it_clears_the_phone_at_sign_out_but_warns_before_losing_unsent_records(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    _turf(world)
    context = new_context(phone=True)
    page = context.new_page()
    log_in(page, site, world.worker)
    page.goto(f"{site}/outreach/offline/")
    # A function, not an expression: Playwright evals expressions in the page, which the CSP forbids.
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.get_by_role("button", name="Download for offline use Belmont 1").click()
    expect(page.get_by_role("heading", name=re.compile("Belmont 1 · 4 doors"))).to_be_visible()

    context.set_offline(True)
    _record(page, "101 Pegram St", "Not home")
    page.get_by_role("button", name="Save").click()
    _waiting(page, 1)
    # Signing out now would lose the record: the worker is asked, says no, and everything stays.
    dialogs: list[str] = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_timeout(300)
    assert dialogs == ["This phone holds 1 records not yet sent. Signing out deletes them. Sign out anyway?"]
    assert _offline_database_exists(page, world.worker.pk)
    _waiting(page, 1)

    context.set_offline(False)
    expect(page.locator("#sync-state")).to_have_text("Everything is synced.", timeout=20_000)
    assert Attempt.objects.filter(target__turf__name="Belmont 1").count() == 1
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site}/accounts/login/")
    assert not _offline_database_exists(page, world.worker.pk)
    stored = page.evaluate(
        """() => caches.keys()
             .then(keys => Promise.all(keys.filter(k => k.startsWith('porchlight-offline-'))
               .map(k => caches.open(k).then(c => c.match('/outreach/offline/')))))
             .then(rs => rs.filter(Boolean).length)"""
    )
    assert stored == 0  # the stored app page (the worker's turf list) is gone too
