"""Case management in a real browser: a case manager opens a case from a resident's page, plans it, writes a
note, ticks a document and a task (htmx, no page reload) and puts it on hold; the task queue groups the work.
An administrator exports a resident's record and erases it on request. Every page: axe, no sideways scroll
on a phone."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from porchlight.accounts.roles import Role
from porchlight.cases.models import Case, Task
from porchlight.people.models import Resident
from porchlight.testing.factories import UserFactory
from porchlight.testing.factories_cases import TaskFactory
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


def named(action: str, what: str) -> re.Pattern:
    """A button's accessible name: its visible verb, then the visually hidden ": <what>" it acts on."""
    return re.compile(rf"^{action}\s*:\s*{re.escape(what)}$")


SCRATCH = Path("/tmp/cases")  # noqa: S108 - where this helper looks at its screenshots, if it exists


def _check(page: Page, name: str) -> None:
    """Screenshot (kept in test-artifacts and /tmp/cases), axe-clean, nothing sticking out sideways."""
    path = screenshot(page, f"cases-{name}")
    if SCRATCH.is_dir():
        shutil.copy(path, SCRATCH / path.name)
    violations = blocking(run_axe(page))
    assert not violations, f"{name}:\n{describe(violations)}"
    assert horizontal_overflow(page) <= 0, f"{name}: {overflowing_elements(page)}"


@pytest.mark.browser
def test_a_case_manager_opens_and_works_a_case(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    cm = UserFactory(
        username="carla", first_name="Carla", last_name="Mitchell", role=Role.CASE_MANAGER, team=world.team
    )
    world.housing_program.required_documents = "Photo ID\nLease\nProof of income"
    world.housing_program.save(update_fields=["required_documents"])
    page = new_context().new_page()
    log_in(page, site, cm)

    page.goto(f"{site}/residents/{world.resident.pk}/")
    page.get_by_role("link", name="Open a case").click()
    expect(page.get_by_role("heading", name="Open a case for Dolores Huerta")).to_be_visible()
    expect(page.get_by_label("Photo ID")).to_be_checked()
    _check(page, "open-form")
    page.get_by_label("What the case is about").fill("Keep Dolores housed after the rent increase")
    page.get_by_label("Other documents to collect").fill("Letter from the landlord")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("Case opened.")).to_be_visible()
    case = Case.objects.get()
    assert list(case.referrals.all()) == [world.referral]

    page.get_by_label("Task").fill("Call the landlord about a payment plan")
    page.get_by_label("Due").fill((timezone.localdate() + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Add the task").click()
    expect(page.get_by_text("Task added to the plan.")).to_be_visible()
    page.get_by_label("New note").fill("Dolores has the lease and two pay stubs; landlord's letter to come.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    page.get_by_role("button", name=named("Received", "Photo ID")).click()
    expect(page.get_by_text("Photo ID received.")).to_be_visible()

    # Done through htmx: the row changes in place, the page does not reload.
    page.evaluate("window.__stayed = true")
    page.get_by_role("button", name=named("Done", "Call the landlord about a payment plan")).click()
    expect(
        page.get_by_role("button", name=named("Undo", "Call the landlord about a payment plan"))
    ).to_be_visible()
    assert page.evaluate("window.__stayed === true")
    assert Task.objects.get(case=case).done_by == cm

    page.get_by_label("New status").select_option(label="On hold")
    page.get_by_label("Note", exact=True).fill("Waiting for the landlord's letter.")
    page.get_by_role("button", name="Change the status").click()
    expect(page.get_by_text("Case is now On hold.")).to_be_visible()
    _check(page, "detail-desktop")

    phone = new_context(phone=True).new_page()
    log_in(phone, site, cm)
    phone.goto(f"{site}/cases/{case.pk}/")
    _check(phone, "detail-phone")

    TaskFactory(
        case=case, title="Collect the landlord's letter", due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    TaskFactory(case=case, title="Visit Dolores at home", due_on=timezone.localdate() + dt.timedelta(days=9))
    phone.goto(f"{site}/cases/tasks/")
    expect(phone.get_by_role("heading", name="Overdue 1")).to_be_visible()
    _check(phone, "queue-phone")
    phone.get_by_role("button", name=named("Done", "Collect the landlord's letter")).click()
    expect(phone.get_by_role("button", name=named("Undo", "Collect the landlord's letter"))).to_be_visible()
    phone.goto(f"{site}/cases/?scope=team")
    expect(phone.get_by_role("link", name="Keep Dolores housed after the rent increase")).to_be_visible()
    _check(phone, "list-phone")


@pytest.mark.browser
def test_an_administrator_exports_and_erases_a_record_on_request(
    site: str, world: World, new_context: Callable[..., BrowserContext]
) -> None:
    admin = UserFactory(
        username="admin", first_name="Alex", last_name="Admin", role=Role.ADMINISTRATOR, team=world.team
    )
    page = new_context().new_page()
    log_in(page, site, admin)
    page.goto(f"{site}/residents/{world.resident.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export this resident's record").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["resident"]["last_name"] == "Huerta"

    page.get_by_role("link", name="Erase on request").click()
    expect(page.get_by_role("heading", name="What is removed")).to_be_visible()
    _check(page, "erase-confirm")
    page.get_by_label("The request").fill("Asked by phone on Monday, ticket 4411")
    tick(page, "I understand that this cannot be undone")
    page.get_by_role("button", name="Erase the personal data").click()
    expect(page.get_by_role("heading", name="Erased on")).to_be_visible()
    expect(page.get_by_text("Huerta")).to_have_count(0)
    expect(page.get_by_text("Worried about rent")).to_have_count(0)
    _check(page, "erased-resident")
    assert Resident.objects.get(pk=world.resident.pk).erased_at is not None
