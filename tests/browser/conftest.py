"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

One Chromium per test session; each test gets fresh browser contexts (cookies, storage) and a fresh database
(`transactional_db`: the live server runs in another thread, so the data must be committed).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
# running loop unless told it is safe (it is: the loop only drives the browser, never Django).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from porchlight.accounts.models import Team
from porchlight.accounts.roles import Role
from porchlight.testing.factories import (
    AddressFactory,
    CampaignFactory,
    ConversationFactory,
    NeedFactory,
    OrganizationFactory,
    PhoneFactory,
    ProgramFactory,
    ReferralFactory,
    ResidentFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
)
from tests.browser.support import DESKTOP, PHONE, World

CHROMIUM = os.environ.get("PORCHLIGHT_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives a browser: mark them so `-m "not browser"` skips them all."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium, or ./dev test)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts (closed after the test). `phone=True` emulates a 390×844 touch phone."""
    contexts: list[BrowserContext] = []

    def make(*, phone: bool = False, **kwargs: object) -> BrowserContext:
        options: dict = {"viewport": DESKTOP, "locale": "en-US"}
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        options.update(kwargs)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's base URL (no trailing slash)."""
    return live_server.url


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


@pytest.fixture
def world(site: str) -> World:
    """A city team with one person per staff role, a campaign running today, programs, and one resident
    who already had a conversation, a need and a referral (so every detail page has something to show)."""
    team = TeamFactory(name="Community Engagement", kind=Team.Kind.DEPARTMENT)
    worker = UserFactory(
        username="ambassador", first_name="Ana", last_name="Rivera", role=Role.OUTREACH_WORKER, team=team
    )
    manager = UserFactory(
        username="manager", first_name="Marcus", last_name="Lee", role=Role.PROGRAM_MANAGER, team=team
    )
    analyst = UserFactory(
        username="analyst", first_name="Priya", last_name="Shah", role=Role.ANALYST, team=team
    )
    today = timezone.localdate()
    topics = [TopicFactory(name=n) for n in ("Affordable housing", "Community safety", "Good-paying jobs")]
    campaign = CampaignFactory(
        name="Neighborhood Listening",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=30),
        topics=topics,
    )
    legal_aid = OrganizationFactory(name="Legal Aid of the Carolinas")
    legal_program = ProgramFactory(organization=legal_aid, name="Tenant Defense", category="legal")
    housing_program = ProgramFactory(name="Rent Relief", category="housing")
    resident = ResidentFactory(first_name="Dolores", last_name="Huerta", preferred_language="es")
    PhoneFactory(resident=resident, number="+17045550123")
    conversation = ConversationFactory(
        campaign=campaign,
        held_by=worker,
        resident=resident,
        language="es",
        held_at=timezone.now() - dt.timedelta(days=2),
        notes="Worried about rent going up next month.",
    )
    conversation.topics.set(topics[:1])
    need = NeedFactory(conversation=conversation, category="housing", description="Rent doubled")
    referral = ReferralFactory(need=need, program=housing_program)
    door_list, turf, call_list = _field_outreach(campaign, manager, worker)
    return World(
        team,
        worker,
        manager,
        analyst,
        campaign,
        legal_program,
        housing_program,
        resident,
        conversation,
        need,
        referral,
        door_list=door_list,
        turf=turf,
        door=turf.targets.order_by("sequence").first(),
        call_list=call_list,
    )


def _field_outreach(campaign, manager, worker):
    """Ten doors on two streets built into a door list (cut into turfs of five, the first the worker's), a
    call list of the residents with phones (one assigned to the worker), and a script in each language."""
    from porchlight.outreach.field.services import call_assign_next, scripts_save
    from porchlight.outreach.field.targets import target_list_build
    from porchlight.outreach.field.turfs import turf_assign, turf_cut

    for i, (first, last, lang) in enumerate(
        [("Rosa", "Parks", "en"), ("José", "Martí", "es"), ("Nguyen", "Van An", "vi"),
         ("Ella", "Baker", "en"), ("Carmen", "Ortiz", "es"), ("Fannie", "Hamer", "en"),
         ("Ida", "Wells", "en"), ("Luis", "Valdez", "es"), ("Bayard", "Rustin", "en"), ("Mai", "Tran", "vi")]
    ):
        address = AddressFactory(latitude=35.2050 + (i % 5) * 0.0004, longitude=-80.8950 + (i // 5) * 0.0012)
        person = ResidentFactory(first_name=first, last_name=last, preferred_language=lang, address=address)
        PhoneFactory(resident=person, number=f"+1704555{i:04d}")
    scripts_save(
        campaign=campaign,
        bodies={
            "en": "Hi, I'm with the City. We're asking neighbors what matters most to them.",
            "es": "Hola, soy de la Ciudad. Preguntamos a los vecinos qué es lo que más les importa.",
        },
    )
    door_list = target_list_build(campaign=campaign, name="Eastside doors", kind="door", actor=manager)
    turf_cut(target_list=door_list, size=5, actor=manager)
    turf = door_list.turfs.order_by("number").first()
    turf_assign(turf=turf, actor=manager, user=worker)
    call_list = target_list_build(campaign=campaign, name="Callbacks", kind="phone", actor=manager)
    call_assign_next(target_list=call_list, caller=worker, count=2)
    return door_list, turf, call_list
