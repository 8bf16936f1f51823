"""The permission matrix: every staff page, every persona. Allowed → 200, refused → 403, anonymous → login."""

import pytest
from django.urls import reverse

from porchlight.testing.factories import ConversationFactory, NeedFactory, ReferralFactory

ALL = {"administrator", "program_manager", "outreach_worker", "case_manager", "analyst", "partner"}


@pytest.fixture
def objects(personas, city_team):
    conversation = ConversationFactory(held_by=personas["outreach_worker"])
    need = NeedFactory(conversation=conversation)
    referral = ReferralFactory(need=need)
    return {
        "conversation": conversation,
        "need": need,
        "referral": referral,
        "resident": conversation.resident,
    }


# (url name, kwargs from objects, personas allowed). The partner's team is not the conversation's and the
# referral's program is not theirs, so for detail pages they are refused or get a 404 (out of scope).
MATRIX = [
    ("web:home", None, ALL),
    ("people:resident_list", None, ALL - {"analyst"}),
    ("people:resident_new", None, ALL - {"analyst"}),
    (
        "people:resident_detail",
        ("resident",),
        {"administrator", "program_manager", "outreach_worker", "case_manager"},
    ),
    (
        "people:resident_edit",
        ("resident",),
        {"administrator", "program_manager", "outreach_worker", "case_manager"},
    ),
    ("outreach:conversation_new", None, {"administrator", "program_manager", "outreach_worker"}),
    ("outreach:conversation_list", None, ALL),
    ("outreach:conversation_detail", ("conversation",), ALL - {"partner"}),
    ("cases:referral_list", None, ALL - {"analyst"}),
    (
        "cases:referral_new",
        ("need",),
        {"administrator", "program_manager", "outreach_worker", "case_manager"},
    ),
    (
        "cases:referral_detail",
        ("referral",),
        {"administrator", "program_manager", "outreach_worker", "case_manager"},
    ),
]


def _url(name, keys, objects):
    if keys is None:
        return reverse(name)
    return reverse(name, args=[objects[keys[0]].pk])


@pytest.mark.parametrize(("name", "keys", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("persona", sorted(ALL))
def test_it_allows_exactly_the_roles_that_need_the_page(
    client, personas, objects, name, keys, allowed, persona
):
    client.force_login(personas[persona])
    response = client.get(_url(name, keys, objects))
    if persona in allowed:
        assert response.status_code == 200, f"{persona} should see {name}"
    else:
        # Out of the partner's scope is a 404 (no leak that it exists); a missing capability is a 403.
        assert response.status_code in (403, 404), f"{persona} must not see {name}"


@pytest.mark.parametrize(("name", "keys", "allowed"), MATRIX[1:], ids=[m[0] for m in MATRIX[1:]])
def test_it_sends_anonymous_visitors_to_sign_in(client, objects, name, keys, allowed):
    response = client.get(_url(name, keys, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_hides_other_organizations_residents_from_partners_with_a_404(client, personas, objects):
    client.force_login(personas["partner"])
    response = client.get(reverse("people:resident_detail", args=[objects["resident"].pk]))
    assert response.status_code == 404


def test_it_shows_partners_referrals_to_them_but_only_their_own_residents_records(
    client, personas, partner_team, objects
):
    from porchlight.testing.factories import ProgramFactory

    program = ProgramFactory(organization=partner_team.organization)
    referral = ReferralFactory(need=NeedFactory(conversation=ConversationFactory()), program=program)
    talked_to = ConversationFactory(team=partner_team).resident
    client.force_login(personas["partner"])
    assert client.get(reverse("cases:referral_detail", args=[referral.pk])).status_code == 200
    # The referral shares what the resident agreed to; the rest of the record stays with the city.
    assert client.get(reverse("people:resident_detail", args=[referral.resident.pk])).status_code == 404
    assert client.get(reverse("people:resident_detail", args=[talked_to.pk])).status_code == 200
    # ...but not the referral of the same kind sent to another organization.
    assert client.get(reverse("cases:referral_detail", args=[objects["referral"].pk])).status_code == 404
