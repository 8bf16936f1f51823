"""Hostile HSDS JSON uploads are answered with a clear error (400), never a server error."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from porchlight.directory.models import Organization


def _upload(client, content: bytes, name: str = "directory.json"):
    return client.post(reverse("services:hsds_import"), {"file": SimpleUploadedFile(name, content)})


def test_it_refuses_ten_kilobytes_of_brackets(client, personas) -> None:
    client.force_login(personas["program_manager"])
    before = Organization.objects.count()
    response = _upload(client, b"[" * 10_240 + b"]" * 10_240)
    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()
    assert Organization.objects.count() == before


def test_it_refuses_a_file_over_the_size_limit(client, personas) -> None:
    client.force_login(personas["program_manager"])
    response = _upload(client, b"[" + b" " * (20 * 1024 * 1024) + b"]")
    assert response.status_code == 400
    assert "larger than 20 MB" in response.content.decode()
