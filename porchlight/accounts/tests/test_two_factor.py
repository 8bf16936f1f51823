"""The second factor: enrolment with a QR code and a real TOTP code, sign-in with a code, recovery codes."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.roles import Role
from porchlight.testing.factories import PASSWORD


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or `steps_ahead` × 30 s from now)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def enrol(client) -> list[str]:
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user__username="case_manager")
    response = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 302
    page = client.get(response.url)
    return re.findall(r"<li>([a-z2-7]{8})</li>", page.content.decode())


@pytest.fixture
def required(settings):
    settings.PORCHLIGHT_REQUIRE_2FA = True


def test_everyone_who_sees_residents_or_notes_needs_a_second_factor(personas):
    for role in Role:
        assert personas[role.value].needs_second_factor, role
    personas["analyst"].is_active = False
    assert not personas["analyst"].needs_second_factor  # no capabilities at all


def test_it_sends_a_user_without_a_device_to_enrolment_before_any_page(client, personas, required):
    sign_in(client, "case_manager")
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    assert client.get("/api/v1/campaigns/").status_code == 403
    page = client.get(response.url)
    assert page.status_code == 200 and b"<svg" in page.content
    assert re.search(rb"[A-Z2-7]{4}( [A-Z2-7]{1,4}){3,}", page.content)  # the key, typed by hand


def test_it_enrols_with_a_code_from_the_app_and_shows_recovery_codes_once(client, personas, required):
    sign_in(client, "case_manager")
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas["case_manager"], confirmed=False)
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 200 and b"That code is not right" in wrong.content

    codes = enrol(client)
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("web:home")).status_code == 200
    again = client.get(reverse("accounts:two_factor")).content.decode()
    assert not re.findall(r"<li>([a-z2-7]{8})</li>", again)
    assert AuditEvent.objects.filter(object_type="accounts.user", detail="second factor set up").exists()


def test_it_asks_an_enrolled_user_for_a_code_at_sign_in(client, personas, required):
    sign_in(client, "case_manager")
    enrol(client)
    client.logout()
    sign_in(client, "case_manager")
    response = client.get(reverse("web:home"))
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    device = TOTPDevice.objects.get(user=personas["case_manager"])
    # The next 30-second code (the device's tolerance accepts it), not the one used at enrolment.
    response = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1), "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("web:home")).status_code == 200


def test_it_refuses_a_wrong_code_and_then_slows_down(client, personas, required):
    sign_in(client, "case_manager")
    enrol(client)
    client.logout()
    sign_in(client, "case_manager")
    device = TOTPDevice.objects.get(user=personas["case_manager"])
    assert client.post(reverse("accounts:two_factor_verify"), {"code": "123456"}).status_code == 200
    # django-otp's throttle: right after a failure even the right code waits (1 s, then 2, 4, ...).
    right = client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device, 1)})
    assert right.status_code == 200
    assert client.get(reverse("web:home")).status_code == 302


def test_it_asks_for_the_code_even_when_not_required(client, personas, settings):
    settings.PORCHLIGHT_REQUIRE_2FA = True
    sign_in(client, "case_manager")
    enrol(client)
    client.logout()
    settings.PORCHLIGHT_REQUIRE_2FA = False
    sign_in(client, "case_manager")
    assert client.get(reverse("web:home")).url.startswith(reverse("accounts:two_factor_verify"))
    # ... while a user with no device goes straight in (the demo, DEBUG on).
    client.logout()
    sign_in(client, "analyst")
    assert client.get(reverse("web:home")).status_code == 200


def test_a_recovery_code_works_once(client, personas, required):
    sign_in(client, "case_manager")
    codes = enrol(client)
    for attempt in range(2):
        client.logout()
        sign_in(client, "case_manager")
        response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()})
        if attempt == 0:
            assert response.status_code == 302
            assert StaticToken.objects.filter(device__user=personas["case_manager"]).count() == 9
        else:
            assert response.status_code == 200  # already used
            assert client.get(reverse("web:home")).status_code == 302


def test_it_makes_new_recovery_codes_for_a_verified_user(client, personas, required):
    sign_in(client, "case_manager")
    old = enrol(client)
    client.post(reverse("accounts:recovery_codes_renew"))
    new = re.findall(r"<li>([a-z2-7]{8})</li>", client.get(reverse("accounts:two_factor")).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_deploy_check_refuses_the_second_factor_off(settings):
    settings.PORCHLIGHT_REQUIRE_2FA = False
    with pytest.raises(SystemCheckError, match="accounts.E001"):
        call_command("check", "--deploy", "--tag", "security")
    settings.PORCHLIGHT_REQUIRE_2FA = True
    from porchlight.accounts.checks import second_factor_required

    assert second_factor_required(None) == []


def test_a_password_alone_cannot_set_up_a_new_authenticator(client, personas, required):
    sign_in(client, "case_manager")
    enrol(client)
    client.logout()
    sign_in(client, "case_manager")
    session = client.session  # even with the cached answer gone (a session from before this feature)
    del session["porchlight_has_otp_device"]
    session.save()
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=personas["case_manager"]).count() == 1
