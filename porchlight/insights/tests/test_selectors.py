import datetime as dt

import pytest

from porchlight.insights.selectors import (
    DashboardFilters,
    conversations_by_channel,
    conversations_by_language,
    conversations_over_time,
    dashboard_data,
    dashboard_totals,
    latest_campaign,
    needs_by_category,
    one_in,
    reach_by_area,
    referrals_by_status,
    top_topics,
)
from porchlight.insights.tests.factories_data import small_city
from porchlight.places.models import Area
from porchlight.testing.factories import CampaignFactory

pytestmark = pytest.mark.django_db

MARCH = {"date_from": dt.date(2017, 3, 1), "date_to": dt.date(2017, 3, 31)}


@pytest.fixture
def city():
    return small_city()


@pytest.fixture
def march(city):
    return DashboardFilters(campaign=city.campaign, **MARCH)


def test_it_counts_conversations_and_estimates_residents_reached(march):
    totals = dashboard_totals(filters=march, population=1500)
    assert totals["conversations"] == 6
    assert totals["residents_identified"] == 3  # Ana (twice), Ben, Dee
    assert totals["conversations_anonymous"] == 2
    assert totals["residents_reached"] == 5
    assert totals["one_in"] == 300
    assert totals["needs"] == 3
    assert totals["referrals"] == 2
    assert totals["referrals_resolved"] == 1


def test_it_keeps_the_date_range_and_campaign_apart(city):
    whole = dashboard_totals(filters=DashboardFilters(campaign=city.campaign))
    assert whole["conversations"] == 7
    assert whole["needs"] == 4 and whole["referrals"] == 3 and whole["referrals_resolved"] == 2
    everything = dashboard_totals(filters=DashboardFilters())
    assert everything["conversations"] == 8
    assert everything["residents_identified"] == 4
    # the date range ends at the end of its last day, in the city's time zone
    last_day = DashboardFilters(
        campaign=city.campaign, date_from=dt.date(2017, 3, 22), date_to=dt.date(2017, 3, 22)
    )
    assert dashboard_totals(filters=last_day)["conversations"] == 2


def test_it_counts_conversations_per_week_including_empty_weeks(march):
    assert conversations_over_time(filters=march) == [
        {"week": "2017-03-06", "count": 2},
        {"week": "2017-03-13", "count": 0},
        {"week": "2017-03-20", "count": 4},
    ]


def test_it_breaks_conversations_down_by_channel_and_language(march):
    channels = {r["channel"]: r["count"] for r in conversations_by_channel(filters=march)}
    assert channels == {"door": 4, "phone": 1, "street": 1}
    languages = conversations_by_language(filters=march)
    assert [(r["language"], r["label"], r["count"]) for r in languages] == [
        ("en", "English", 5),
        ("es", "Spanish", 1),
    ]


def test_it_ranks_topics_by_conversations(march):
    assert [(r["name"], r["count"]) for r in top_topics(filters=march)] == [
        ("Community safety", 2),
        ("Affordable housing", 1),
    ]


def test_it_counts_needs_by_category_and_referrals_by_status(march):
    assert {r["category"]: r["count"] for r in needs_by_category(filters=march)} == {"housing": 2, "food": 1}
    assert [(r["status"], r["count"]) for r in referrals_by_status(filters=march)] == [
        ("sent", 1),
        ("resolved", 1),
    ]


def test_it_gives_reach_by_neighborhood_with_population_and_one_in_n(city, march):
    data = reach_by_area(filters=march)
    rows = {r["name"]: r for r in data["rows"]}
    assert (rows["Alpha"]["conversations"], rows["Alpha"]["residents_reached"], rows["Alpha"]["one_in"]) == (
        3,
        2,
        500,
    )
    assert (rows["Beta"]["conversations"], rows["Beta"]["residents_reached"], rows["Beta"]["one_in"]) == (
        2,
        2,
        250,
    )
    assert data["not_recorded"] == {"conversations": 1, "residents_reached": 1}
    assert data["population"] == 1500


def test_it_rolls_neighborhoods_up_to_council_districts_by_their_representative_point(city, march):
    filters = DashboardFilters(campaign=city.campaign, area_kind=Area.Kind.COUNCIL_DISTRICT, **MARCH)
    data = reach_by_area(filters=filters)
    rows = {r["name"]: r for r in data["rows"]}
    assert (rows["District 1"]["conversations"], rows["District 1"]["residents_reached"]) == (3, 2)
    assert rows["District 1"]["one_in"] == 5000
    assert (rows["District 2"]["conversations"], rows["District 2"]["residents_reached"]) == (2, 2)
    assert rows["District 2"]["one_in"] is None  # no population known
    assert data["not_recorded"]["conversations"] == 1
    # "1 in N" for the whole city still uses the neighborhoods' population
    assert dashboard_data(filters=filters)["totals"]["one_in"] == 300


def test_it_says_one_in_n_only_when_it_can():
    assert one_in(1000, 3) == 333
    assert one_in(10, 20) == 1
    assert one_in(None, 3) is None
    assert one_in(1000, 0) is None


def test_it_picks_the_current_campaign_for_the_public_page(city):
    assert latest_campaign(today=dt.date(2017, 6, 1)) == city.campaign
    assert latest_campaign(today=dt.date(2016, 6, 1)) == city.other_campaign
    future = CampaignFactory(name="Next year", start_date=dt.date(2030, 1, 1), end_date=dt.date(2030, 12, 31))
    assert latest_campaign(today=dt.date(2017, 6, 1)) == city.campaign
    assert latest_campaign(today=dt.date(2030, 2, 1)) == future


def test_it_returns_empty_results_for_an_empty_range(city):
    filters = DashboardFilters(
        campaign=city.campaign, date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 2, 1)
    )
    data = dashboard_data(filters=filters)
    assert data["totals"]["conversations"] == 0
    assert data["totals"]["one_in"] is None
    assert data["over_time"] == [] and data["topics"] == [] and data["needs"] == []
