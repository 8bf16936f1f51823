"""The second factor on a phone: set up an authenticator app, keep the recovery codes, sign in with a code.

The codes are computed the way the app on the worker's phone computes them (django_otp.oath.totp)."""

from __future__ import annotations

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from porchlight.testing.factories import PASSWORD
from tests.browser.support import (
    World,
    blocking,
    describe,
    horizontal_overflow,
    run_axe,
    screenshot,
)


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def _accessible(page: Page, name: str) -> None:
    found = blocking(run_axe(page))
    assert not found, f"{name}:\n{describe(found)}"
    assert horizontal_overflow(page) <= 1, f"{name}: scrolls sideways"
    screenshot(page, f"two-factor-{name}-phone")


def _phone_page(new_context) -> Page:
    context = new_context(phone=True)
    context.set_default_timeout(30_000)  # a busy CI machine: the first page loads all of USWDS
    return context.new_page()


def _password(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.browser
def test_a_worker_sets_up_codes_and_then_signs_in_with_one(
    site: str, world: World, new_context, settings
) -> None:
    settings.PORCHLIGHT_REQUIRE_2FA = True
    page = _phone_page(new_context)
    _password(page, site, world.worker.username)
    page.wait_for_url(re.compile(r"/accounts/two-factor/set-up/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up sign-in codes")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    _accessible(page, "set-up")

    device = TOTPDevice.objects.get(user=world.worker, confirmed=False)
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    _accessible(page, "set-up-error")
    page.wait_for_timeout(1100)  # django-otp's throttle after a wrong code
    page.get_by_label("Code", exact=True).fill(_code(device))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert len(page.locator("#recovery-codes li").all_inner_texts()) == 10
    _accessible(page, "recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(f"{site}/")

    # Next day, a new phone session: the password, then the code the app shows now.
    page = _phone_page(new_context)
    _password(page, site, world.worker.username)
    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    _accessible(page, "verify")
    page.get_by_label("Code", exact=True).fill(_code(device, 1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{site}/")
    assert page.get_by_role("button", name="Sign out", include_hidden=True).count() == 1
