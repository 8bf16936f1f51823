"""Password reset by email: a link that works once, the same answer for unknown addresses."""

import re

from django.core import mail
from django.urls import reverse

from porchlight.testing.factories import PASSWORD


def test_it_emails_a_link_that_sets_a_new_password(client, personas, settings):
    settings.PORCHLIGHT_BASE_URL = "https://porchlight.example.gov"
    user = personas["analyst"]
    user.email = "ana@example.gov"
    user.save(update_fields=["email"])
    response = client.post(reverse("password_reset"), {"email": "ANA@example.gov"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.gov"]
    link = re.search(r"https://porchlight\.example\.gov(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"Choose a new password" in form.content
    new = "a-much-better-passphrase"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert client.post(reverse("login"), {"username": "analyst", "password": PASSWORD}).status_code == 200
    assert client.post(reverse("login"), {"username": "analyst", "password": new}).status_code == 302
    client.logout()
    assert b"This link no longer works" in client.get(link, follow=True).content  # used once


def test_it_answers_the_same_for_an_unknown_address(client, personas):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gov"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_sign_in_page_links_to_the_reset(client, db):
    assert reverse("password_reset").encode() in client.get(reverse("login")).content


def test_it_writes_the_email_in_spanish_for_a_spanish_page(client, personas):
    personas["analyst"].email = "ana@example.gov"
    personas["analyst"].save(update_fields=["email"])
    client.cookies["django_language"] = "es"
    client.post(reverse("password_reset"), {"email": "ana@example.gov"})
    assert "contraseña" in mail.outbox[0].subject.lower()
