"""Who sees which referrals: own and own team's by default, the receiving organization's for partners, all
for administrators, and all for everyone who refers when the city sets REFERRAL_VISIBILITY=all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from porchlight.accounts.models import Team
from porchlight.accounts.roles import Role
from porchlight.cases.selectors import referrals_visible_to
from porchlight.people.selectors import resident_timeline
from porchlight.testing.factories import (
    ConversationFactory,
    ProgramFactory,
    ReferralFactory,
    TeamFactory,
    UserFactory,
)


@pytest.fixture
def cast(personas, partner_team):
    """A referral made by an outreach worker of the city team, to the partner's program."""
    other_team = TeamFactory(name="Housing Services", kind=Team.Kind.DEPARTMENT)
    worker = personas["outreach_worker"]
    program = ProgramFactory(organization=partner_team.organization)
    referral = ReferralFactory(
        need__conversation=ConversationFactory(held_by=worker, team=worker.team),
        program=program,
        note="3-person household, $28.5k, unemployed",
    )
    return {
        "referral": referral,
        "own": worker,
        "same_team": personas["case_manager"],
        "other_team": UserFactory(role=Role.CASE_MANAGER, team=other_team),
        "no_team": UserFactory(role=Role.OUTREACH_WORKER, team=None),
        "partner": personas["partner"],
        "admin": personas["administrator"],
        "other_partner": UserFactory(
            role=Role.CASE_MANAGER, team=TeamFactory(name="Food bank", kind=Team.Kind.PARTNER)
        ),
    }


SEES = {"own": True, "same_team": True, "other_team": False, "no_team": False, "partner": True,
        "admin": True, "other_partner": False}


@pytest.mark.parametrize(("persona", "sees"), SEES.items())
def test_it_shows_a_referral_only_to_those_who_need_to_know(client, cast, persona, sees) -> None:
    referral, user = cast["referral"], cast[persona]
    assert referrals_visible_to(user).filter(pk=referral.pk).exists() is sees
    client.force_login(user)
    detail = client.get(reverse("cases:referral_detail", args=[referral.pk]))
    assert detail.status_code == (200 if sees else 404)
    listed = client.get(reverse("cases:referral_list")).content.decode()
    assert (reverse("cases:referral_detail", args=[referral.pk]) in listed) is sees


@pytest.mark.parametrize("persona", ["other_team", "no_team"])
def test_a_city_may_widen_it_to_everyone_who_refers(cast, settings, persona) -> None:
    settings.REFERRAL_VISIBILITY = "all"
    assert referrals_visible_to(cast[persona]).filter(pk=cast["referral"].pk).exists()
    assert not referrals_visible_to(cast["other_partner"]).filter(pk=cast["referral"].pk).exists()


def test_the_residents_timeline_hides_other_teams_referrals(cast) -> None:
    referral = cast["referral"]

    def referrals_seen(user) -> list:
        events = resident_timeline(resident=referral.resident, user=user)
        return [e["obj"] for e in events if e["kind"] == "referral"]

    assert referrals_seen(cast["same_team"]) == [referral]
    assert referrals_seen(cast["admin"]) == [referral]
    assert referrals_seen(cast["other_team"]) == []
