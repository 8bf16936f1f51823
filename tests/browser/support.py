"""Helpers for the browser tests: signing in, axe-core, screenshots, sideways-scroll checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import Page

from porchlight.accounts.models import Team, User
from porchlight.testing.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "porchlight" / "web" / "static" / "vendor" / "axe" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass
class World:
    """The people and records the browser tests work with, all committed to the live server's database."""

    team: Team
    worker: User
    manager: User
    analyst: User
    campaign: object
    legal_program: object
    housing_program: object
    resident: object
    conversation: object
    need: object
    referral: object
    # Field outreach: a door list cut into turfs (the first assigned to the worker) and a call list.
    door_list: object = None
    turf: object = None
    door: object = None
    call_list: object = None


def log_in(page: Page, site: str, user: User) -> None:
    """Sign in through the real login form (django-axes sees a normal, successful attempt)."""
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/")
    # The sign-out button sits in the menu, which is folded away on a phone: look for it hidden or not.
    assert page.get_by_role("button", name="Sign out", include_hidden=True).count() == 1, "sign-in failed"


def run_axe(page: Page) -> list[dict]:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; return the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # By URL, not inline: the Content-Security-Policy refuses inline scripts, ours and the tests' alike.
        assert AXE_JS.exists(), "run scripts/assets.sh first"
        page.add_script_tag(url=urljoin(page.url, "/static/vendor/axe/axe.min.js"))
    return page.evaluate("tags => axe.run(document, {runOnly: tags}).then(r => r.violations)", AXE_TAGS)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, n["target"])) for n in v["nodes"]][:8]
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}\n      " + "\n      ".join(targets))
    return "\n".join(lines)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def overflowing_elements(page: Page) -> list[str]:
    """The elements that stick out past the right edge of the viewport (to say what to fix)."""
    return page.evaluate(
        """() => {
          const w = window.innerWidth, out = [];
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > w + 1) {
              out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                       + (el.className && typeof el.className === 'string'
                          ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                       + ' right=' + Math.round(r.right));
            }
          }
          return out.slice(0, 10);
        }"""
    )


def tick(page: Page, label: str) -> None:
    """Tick a USWDS radio button or checkbox the way a person does: by tapping its label (USWDS hides the
    real input off-screen and draws its own box, so the input itself cannot be clicked)."""
    page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")).click()
    assert page.get_by_label(label, exact=True).is_checked(), f"{label!r} did not get ticked"
