from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from porchlight.testing.factories import PASSWORD


def test_it_hashes_passwords_with_argon2(personas):
    assert identify_hasher(personas["analyst"].password).algorithm == "argon2"


def test_it_signs_in_with_the_right_password(client, personas):
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).context["user"].username == "analyst"


def test_it_locks_an_account_out_after_repeated_failures(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "analyst", "password": "wrong-password"})
    # Even the right password is refused now.
    response = client.post(reverse("login"), {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_it_does_not_lock_out_after_fewer_failures(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "analyst", "password": "wrong-password"})
    assert client.post(reverse("login"), {"username": "analyst", "password": PASSWORD}).status_code == 302


def _fail(client, username: str, ip: str, times: int) -> None:
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"}, REMOTE_ADDR=ip)


def test_it_locks_out_one_user_from_one_address_only(client, personas, settings):
    """Five failures for A from the office's address lock A out from there; a colleague B behind the same
    address (an office NAT) still signs in, and so does A from another address."""
    office, home = "203.0.113.7", "198.51.100.20"
    _fail(client, "analyst", office, settings.AXES_FAILURE_LIMIT)
    assert _sign_in(client, "analyst", office).status_code == 429
    assert _sign_in(client, "case_manager", office).status_code == 302
    client.logout()
    assert _sign_in(client, "analyst", home).status_code == 302


def _sign_in(client, username: str, ip: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip)
