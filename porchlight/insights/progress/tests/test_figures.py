"""Field outreach progress: exact figures on a small campaign, who sees what, and a fixed query budget."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from porchlight.accounts.roles import Role
from porchlight.cases.models import Referral
from porchlight.insights.progress.figures import (
    coverage_points,
    progress_by_team,
    progress_by_turf,
    progress_by_worker,
    progress_totals,
    progress_weekly,
)
from porchlight.insights.progress.selectors import ProgressScope
from porchlight.outreach.models import Attempt, Outcome, Target, TargetList, Turf
from porchlight.testing.factories import (
    AddressFactory,
    CampaignFactory,
    ConversationFactory,
    NeedFactory,
    ReferralFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("outreach:progress")
WEEK1 = dt.date(2025, 3, 3)  # a Monday
WEEK2 = dt.date(2025, 3, 10)


def at(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class World:
    """Two workers on two teams, a door list of five doors in two turfs, a call list, one other campaign."""

    def __init__(self, personas: dict) -> None:
        self.pm = personas["program_manager"]
        self.w1 = personas["outreach_worker"]
        self.team_b = TeamFactory(name="Youth council")
        self.w2 = UserFactory(username="w2", first_name="Bea", last_name="Two", team=self.team_b)
        self.campaign = CampaignFactory(
            name="Door to door", start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31)
        )
        self.other = CampaignFactory(
            name="Other", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31)
        )
        doors = TargetList.objects.create(
            campaign=self.campaign, name="East doors", kind=TargetList.Kind.DOOR, created_by=self.pm
        )
        self.t1 = Turf.objects.create(
            target_list=doors, number=1, name="Turf 1", assigned_to=self.w1, assigned_team=self.w1.team
        )
        self.t2 = Turf.objects.create(
            target_list=doors, number=2, name="Turf 2", assigned_to=self.w2, assigned_team=self.team_b
        )
        self.a = [
            Target.objects.create(
                target_list=doors,
                turf=turf,
                sequence=i,
                address=AddressFactory(latitude=35.2 + i / 1000, longitude=-80.8),
            )
            for i, turf in enumerate([self.t1, self.t1, self.t1, self.t2, self.t2])
        ]
        calls = TargetList.objects.create(
            campaign=self.campaign, name="Callbacks", kind=TargetList.Kind.PHONE, created_by=self.pm
        )
        self.phone = Target.objects.create(target_list=calls, resident=ResidentFactory())
        # Conversations: c1 logged from a door attempt, c2 in the street (no attempt), c3 by w2 (no attempt).
        self.c1 = ConversationFactory(campaign=self.campaign, held_by=self.w1, held_at=at(WEEK2))
        self.c2 = ConversationFactory(
            campaign=self.campaign, held_by=self.w1, held_at=at(WEEK2), channel="street"
        )
        self.c3 = ConversationFactory(campaign=self.campaign, held_by=self.w2, held_at=at(WEEK1))
        noise = ConversationFactory(campaign=self.other, held_by=self.w1, held_at=at(WEEK1))
        a = self.a
        self.attempt(self.w1, a[0], Outcome.NOT_HOME, WEEK1)
        self.attempt(self.w1, a[0], Outcome.CONVERSATION, WEEK2, conversation=self.c1)
        self.attempt(self.w1, a[1], Outcome.REFUSED, WEEK1)
        self.attempt(self.w1, self.phone, Outcome.NO_ANSWER, WEEK1, channel="phone")
        self.attempt(self.w1, self.phone, Outcome.LANGUAGE_BARRIER, WEEK2, channel="phone")
        self.attempt(self.w2, a[3], Outcome.CALL_BACK, WEEK1, callback_at=at(WEEK2))
        self.attempt(self.w2, a[3], Outcome.CONVERSATION, WEEK2)  # no conversation logged
        self.attempt(self.w2, a[4], Outcome.MOVED, WEEK2)
        Attempt.objects.create(
            campaign=self.other, channel="door", outcome=Outcome.REFUSED, made_by=self.w1, made_at=at(WEEK1)
        )
        # Referrals: one from c1, two from c3, one from the other campaign.
        r1 = ReferralFactory(need=NeedFactory(conversation=self.c1))
        need3 = NeedFactory(conversation=self.c3)
        r2 = ReferralFactory(need=need3)
        r3 = ReferralFactory(need=need3)
        ReferralFactory(need=NeedFactory(conversation=noise))
        Referral.objects.filter(pk__in=[r1.pk, r2.pk]).update(created_at=at(WEEK2))
        Referral.objects.filter(pk=r3.pk).update(created_at=at(WEEK1))
        Referral.objects.exclude(pk__in=[r1.pk, r2.pk, r3.pk]).update(created_at=at(WEEK1))

    def attempt(self, who, target, outcome, day, *, channel="door", **extra) -> Attempt:
        return Attempt.objects.create(
            campaign=self.campaign,
            target=target,
            address=target.address,
            resident=target.resident,
            channel=channel,
            outcome=outcome,
            made_by=who,
            made_at=at(day),
            **extra,
        )


@pytest.fixture
def world(personas) -> World:
    return World(personas)


def pick(row: dict) -> dict:
    keys = ("attempts", "contacts", "doors_knocked", "conversations", "referrals")
    return {k: row[k] for k in keys}


def test_it_counts_the_whole_campaign_once(world):
    totals = progress_totals(scope=ProgressScope(campaign=world.campaign))
    assert pick(totals) == {
        "attempts": 8,
        "contacts": 5,
        "doors_knocked": 4,
        "conversations": 4,
        "referrals": 3,
    }
    assert totals["contact_rate"] == 5 / 8
    assert totals["doors_targeted"] == 5
    assert totals["door_coverage"] == 4 / 5


def test_it_breaks_the_campaign_down_by_worker_and_adds_up_to_the_total(world):
    rows = {r["key"]: r for r in progress_by_worker(scope=ProgressScope(campaign=world.campaign))}
    assert pick(rows[world.w1.pk]) == {
        "attempts": 5, "contacts": 3, "doors_knocked": 2, "conversations": 2, "referrals": 1,
    }  # fmt: skip
    assert pick(rows[world.w2.pk]) == {
        "attempts": 3, "contacts": 2, "doors_knocked": 2, "conversations": 2, "referrals": 2,
    }  # fmt: skip
    assert rows[world.w2.pk]["label"] == "Bea Two"
    assert set(rows) == {world.w1.pk, world.w2.pk}


def test_it_breaks_the_campaign_down_by_team(world):
    rows = {r["key"]: r for r in progress_by_team(scope=ProgressScope(campaign=world.campaign))}
    assert pick(rows[world.w1.team_id])["conversations"] == 2
    assert pick(rows[world.team_b.pk]) == {
        "attempts": 3, "contacts": 2, "doors_knocked": 2, "conversations": 2, "referrals": 2,
    }  # fmt: skip
    assert rows[world.team_b.pk]["label"] == "Youth council"


def test_it_breaks_the_campaign_down_by_turf_with_coverage(world):
    rows = {r["key"]: r for r in progress_by_turf(scope=ProgressScope(campaign=world.campaign))}
    t1, t2 = rows[world.t1.pk], rows[world.t2.pk]
    assert pick(t1) == {"attempts": 3, "contacts": 2, "doors_knocked": 2, "conversations": 1, "referrals": 1}
    assert (t1["doors_targeted"], t1["door_coverage"], t1["list"]) == (3, 2 / 3, "East doors")
    assert pick(t2) == {"attempts": 3, "contacts": 2, "doors_knocked": 2, "conversations": 1, "referrals": 0}
    assert (t2["doors_targeted"], t2["door_coverage"]) == (2, 1.0)


def test_it_counts_per_week_including_the_doors_knocked_each_week(world):
    weeks = progress_weekly(scope=ProgressScope(campaign=world.campaign))
    assert [w["week"] for w in weeks] == [WEEK1, WEEK2]
    assert pick(weeks[0]) == {
        "attempts": 4,
        "contacts": 2,
        "doors_knocked": 3,
        "conversations": 1,
        "referrals": 1,
    }
    assert pick(weeks[1]) == {
        "attempts": 4,
        "contacts": 3,
        "doors_knocked": 3,
        "conversations": 3,
        "referrals": 2,
    }


def test_it_fills_in_empty_weeks(world):
    Attempt.objects.filter(made_at=at(WEEK2)).update(made_at=at(WEEK2 + dt.timedelta(days=14)))
    weeks = progress_weekly(scope=ProgressScope(campaign=world.campaign, worker=world.w2))
    assert [(w["week"], w["attempts"]) for w in weeks] == [
        (WEEK1, 1), (WEEK2, 0), (WEEK2 + dt.timedelta(days=7), 0), (WEEK2 + dt.timedelta(days=14), 2),
    ]  # fmt: skip


def test_it_narrows_to_one_turf(world):
    totals = progress_totals(scope=ProgressScope(campaign=world.campaign, turf=world.t1))
    assert pick(totals) == {
        "attempts": 3,
        "contacts": 2,
        "doors_knocked": 2,
        "conversations": 1,
        "referrals": 1,
    }
    assert totals["doors_targeted"] == 3


def test_it_maps_each_door_attempted_or_not(world):
    coverage = coverage_points(scope=ProgressScope(campaign=world.campaign))
    assert coverage["mode"] == "doors"
    assert [p[2] for p in coverage["points"]] == [1, 1, 0, 1, 1]
    assert coverage["points"][0] == [35.2, -80.8, 1]


def test_it_aggregates_the_map_to_a_grid_above_the_cap(world):
    coverage = coverage_points(scope=ProgressScope(campaign=world.campaign), cap=3)
    assert coverage["mode"] == "grid" and coverage["doors"] == 5
    assert sum(p[2] for p in coverage["points"]) == 5  # every door in exactly one cell
    assert sum(p[3] for p in coverage["points"]) == 4  # attempted doors
    assert len(coverage["points"]) <= 5


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("program_manager", 200),
        ("analyst", 200),
        ("outreach_worker", 200),
        ("case_manager", 403),
        ("partner", 403),
    ],
)
def test_it_lets_managers_analysts_and_workers_in(client, personas, persona, status):
    CampaignFactory()
    client.force_login(personas[persona])
    assert client.get(URL).status_code == status


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _cards(html: str) -> list[str]:
    return re.findall(r'class="pl-stat__value">([^<]*)<', html)


def test_it_shows_a_manager_the_whole_campaign_by_turf_team_and_worker(client, world):
    client.force_login(world.pm)
    html = client.get(URL, {"campaign": world.campaign.pk}).content.decode()
    assert _cards(html) == ["4", "8", "5", "63%", "4", "3"]
    for heading in ("By turf", "By team", "By worker", "Coverage map", "Youth council", "Bea Two"):
        assert heading in html
    assert 'id="progress-weekly-spec"' in html and 'id="coverage-points"' in html


def test_it_narrows_the_page_to_a_team(client, world):
    client.force_login(world.pm)
    html = client.get(URL, {"campaign": world.campaign.pk, "team": world.team_b.pk}).content.decode()
    assert _cards(html) == ["2", "3", "2", "67%", "2", "2"]


def test_it_refuses_a_turf_of_another_campaign(client, world):
    client.force_login(world.pm)
    html = client.get(URL, {"campaign": world.other.pk, "turf": world.t1.pk}).content.decode()
    assert "Select a valid choice" in html and "pl-stat__value" not in html


def test_it_shows_a_worker_only_their_own_progress(client, world):
    client.force_login(world.w1)
    # Asking for someone else's figures changes nothing: a worker's page has no team/worker/turf filters.
    html = client.get(URL, {"campaign": world.campaign.pk, "worker": world.w2.pk}).content.decode()
    assert "My progress" in html
    assert _cards(html) == ["2", "5", "3", "60%", "2", "1"]
    assert "By worker" not in html and "Bea Two" not in html and "Turf 2" not in html
    assert 'name="worker"' not in html
    points = json.loads(re.search(r'id="coverage-points"[^>]*>([^<]*)<', html).group(1))
    assert [p[2] for p in points] == [1, 1, 0]  # the doors of the turf assigned to them


def test_it_defaults_to_the_current_campaign(client, world):
    client.force_login(world.pm)
    html = client.get(URL).content.decode()
    assert f'<option value="{world.campaign.pk}" selected>' in html


def test_it_costs_the_same_number_of_queries_whatever_the_data(client, world, django_assert_max_num_queries):
    client.force_login(world.pm)
    params = {"campaign": world.campaign.pk}
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(params and URL, params).status_code == 200
    # Ten more workers, each with a turf, doors, attempts and conversations: the same budget.
    for n in range(10):
        worker = UserFactory(role=Role.OUTREACH_WORKER, team=TeamFactory(name=f"Team {n}"))
        turf = Turf.objects.create(
            target_list=world.t1.target_list, number=10 + n, name=f"T{n}", assigned_to=worker
        )
        for i in range(3):
            door = Target.objects.create(target_list=turf.target_list, turf=turf, address=AddressFactory())
            world.attempt(worker, door, Outcome.CONVERSATION, WEEK1 + dt.timedelta(days=i))
        ReferralFactory(
            need=NeedFactory(conversation=ConversationFactory(campaign=world.campaign, held_by=worker))
        )
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(URL, params).status_code == 200


# session, user, campaign check, 4 totals, 3 weekly, 4 by turf, 3 by team, 3 by worker, 2 map,
# the four selects (campaign, team, worker, turf)
QUERY_BUDGET = 27
