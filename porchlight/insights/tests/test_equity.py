"""Reach and equity: per neighborhood (1 in N, under-reached), per language, against the Census make-up."""

from __future__ import annotations

import pytest

from porchlight.insights.report.equity import (
    area_makeup,
    reach_by_demographics,
    reach_by_language,
    reach_by_neighborhood,
)
from porchlight.insights.selectors import DashboardFilters
from porchlight.insights.tests.factories_data import area
from porchlight.insights.tests.factories_report import report_city
from porchlight.places.models import Area
from porchlight.testing.factories import ConversationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return report_city()


def test_it_gives_reach_needs_and_referrals_per_neighborhood(city) -> None:
    data = reach_by_neighborhood(filters=DashboardFilters(campaign=city.campaign))
    rows = {r["name"]: r for r in data["rows"]}
    assert rows["North"]["residents_reached"] == 20
    assert rows["North"]["one_in"] == 100
    assert rows["South"]["one_in"] == 600
    assert (rows["North"]["needs"], rows["North"]["referrals"]) == (6, 3)
    assert (rows["South"]["needs"], rows["South"]["referrals"]) == (2, 0)


def test_it_flags_neighborhoods_reached_at_under_half_the_median_rate(city) -> None:
    # Rates: North 1%, South 0.17%, East 0.5%: median 0.5%; under half of it (0.25%) is South only.
    east = area(Area.Kind.NEIGHBORHOOD, "4", "East", -80.7, 0.01, 1000)
    for _ in range(5):
        ConversationFactory(
            campaign=city.campaign, area=east, resident=None, held_at=city.items[0].conversation.held_at
        )
    unvisited = area(Area.Kind.NEIGHBORHOOD, "5", "West", -80.6, 0.01, 1000)
    data = reach_by_neighborhood(filters=DashboardFilters(campaign=city.campaign))
    assert data["median_share"] == pytest.approx(0.005)
    assert [r["name"] for r in data["under_reached"]] == ["South"]
    assert [r["id"] for r in data["not_visited"]] == [unvisited.pk]


def test_it_gives_residents_reached_by_language(city) -> None:
    rows = {r["language"]: r for r in reach_by_language(filters=DashboardFilters(campaign=city.campaign))}
    assert rows["en"]["residents_reached"] == 20
    assert rows["es"]["residents_reached"] == 20
    assert rows["es"]["label"] == "Spanish"


def test_it_compares_who_answered_with_the_census_make_up(city) -> None:
    data = reach_by_demographics(filters=DashboardFilters(campaign=city.campaign))
    makeup = area_makeup()
    north, south = makeup["2"], makeup["3"]
    keys = ["white", "black", "asian", "other_race", "hispanic"]
    population = sum(north[k] + south[k] for k in keys)
    race = {r["key"]: r for r in data["race"]["rows"]}
    assert data["race"]["answered"] == 15
    assert race["black"]["residents"] == 10
    assert race["black"]["share_reached"] == pytest.approx(10 / 15)
    black_share = (north["black"] + south["black"]) / population
    assert race["black"]["share_population"] == pytest.approx(black_share)
    assert race["black"]["representation"] == pytest.approx((10 / 15) / black_share)
    assert race["hispanic"]["residents"] == 0
    assert race["hispanic"]["under_represented"] is True
    age = {r["key"]: r for r in data["age"]["rows"]}
    assert age["age_18_64"]["residents"] == 20
    assert age["under_18"]["share_population"] == pytest.approx(
        (north["under_18"] + south["under_18"]) / population
    )


def test_it_reads_the_bundled_census_make_up() -> None:
    makeup = area_makeup()
    assert len(makeup) > 400
    assert makeup["2"]["white"] == 1281
