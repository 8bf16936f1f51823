"""Sign out everywhere: an administrator (or the user) ends every session and the API token at once."""

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from porchlight.accounts.models import AuditEvent
from porchlight.testing.factories import PASSWORD


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("web:home")).wsgi_request.user.is_authenticated


def signed_in(username: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_an_administrator_signs_a_user_out_everywhere(personas):
    phone, laptop = signed_in("outreach_worker"), signed_in("outreach_worker")
    bystander = signed_in("analyst")
    token = Token.objects.create(user=personas["outreach_worker"])
    admin = Client()
    admin.force_login(personas["administrator"])
    personas["administrator"].is_staff = True
    personas["administrator"].is_superuser = True
    personas["administrator"].save(update_fields=["is_staff", "is_superuser"])
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [personas["outreach_worker"].pk]},
    )
    assert response.status_code == 302
    for client in (phone, laptop):
        assert not is_signed_in(client)
    assert is_signed_in(bystander)
    assert not Token.objects.filter(pk=token.pk).exists()
    assert AuditEvent.objects.filter(
        actor=personas["administrator"], object_id=str(personas["outreach_worker"].pk),
        detail="signed out everywhere",
    ).exists()
    assert is_signed_in(signed_in("outreach_worker"))  # a fresh sign-in works


def test_a_user_signs_themselves_out_everywhere(personas):
    phone, laptop = signed_in("case_manager"), signed_in("case_manager")
    assert laptop.post(reverse("accounts:sign_out_everywhere")).status_code == 302
    assert not is_signed_in(phone) and not is_signed_in(laptop)


def test_only_an_administrator_signs_out_someone_else(personas):
    worker = signed_in("outreach_worker")
    manager = Client()
    manager.force_login(personas["program_manager"])
    response = manager.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [personas["outreach_worker"].pk]},
    )
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert is_signed_in(worker)
