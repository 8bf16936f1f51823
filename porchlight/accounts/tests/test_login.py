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
