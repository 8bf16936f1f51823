"""One URL, two renderings: the people search answers htmx with the results table alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from porchlight.accounts.roles import Role
from porchlight.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_renders_the_whole_page_for_a_browser(client) -> None:
    client.force_login(UserFactory(role=Role.OUTREACH_WORKER))
    response = client.get(reverse("people:resident_list"), {"q": "nobody"})
    assert response.status_code == 200
    assert b"<html" in response.content
    assert "HX-Request" in response["Vary"]


def test_it_renders_only_the_fragment_for_htmx(client) -> None:
    client.force_login(UserFactory(role=Role.OUTREACH_WORKER))
    response = client.get(reverse("people:resident_list"), {"q": "nobody"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert [t.name for t in response.templates][0] == "people/_results.html"
    assert "HX-Request" in response["Vary"]
