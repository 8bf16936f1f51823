"""Theme shares, breakdowns, over-representation, trend and quotes on a hand-counted campaign."""

from __future__ import annotations

import datetime as dt

import pytest

from porchlight.insights.models import ThemeCode
from porchlight.insights.report.breakdowns import (
    breakdown,
    representative_quotes,
    theme_shares,
    theme_trend,
    z_two_proportions,
)
from porchlight.insights.selectors import DashboardFilters
from porchlight.insights.tests.factories_report import report_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return report_city()


def _rows(city) -> dict:
    return {r["name"]: r for r in theme_shares(filters=DashboardFilters(campaign=city.campaign))["rows"]}


def test_it_gives_each_themes_share_of_conversations(city) -> None:
    data = theme_shares(filters=DashboardFilters(campaign=city.campaign))
    rows = {r["name"]: r for r in data["rows"]}
    assert data["total"] == {"conversations": 40, "residents": 40}
    assert rows["Safety"]["conversations"] == 18
    assert rows["Safety"]["share"] == pytest.approx(0.45)
    assert rows["Housing"]["conversations"] == 13
    assert rows["Housing"]["residents"] == 13
    assert [r["name"] for r in data["rows"]] == ["Safety", "Housing", "Jobs"]


def test_it_never_counts_rejected_or_low_confidence_codes(city) -> None:
    assert _rows(city)["Jobs"]["conversations"] == 0


def test_it_counts_an_analyst_code_and_drops_a_code_once_rejected(city) -> None:
    code = ThemeCode.objects.filter(theme=city.safety, item__conversation__area=city.north).first()
    code.decision = ThemeCode.Decision.REJECTED
    code.save(update_fields=["decision"])
    ThemeCode.objects.create(item=city.items[25], theme=city.jobs, source=ThemeCode.Source.ANALYST)
    rows = _rows(city)
    assert rows["Safety"]["conversations"] == 17
    assert rows["Jobs"]["conversations"] == 1


def test_it_links_each_theme_to_the_notes_behind_it(city) -> None:
    url = _rows(city)["Safety"]["url"]
    assert url == f"/insights/campaigns/{city.campaign.pk}/notes/?theme={city.safety.pk}"


def test_it_breaks_themes_down_by_neighborhood_with_notes_links(city) -> None:
    data = breakdown(filters=DashboardFilters(campaign=city.campaign), dimension="area")
    groups = {g["label"]: g for g in data["groups"]}
    north, south = groups["North"], groups["South"]
    assert (north["conversations"], south["conversations"]) == (20, 20)
    assert north["cells"][city.safety.pk]["share"] == pytest.approx(0.75)
    assert south["cells"][city.housing.pk]["conversations"] == 10
    assert north["cells"][city.housing.pk]["residents"] == 3
    assert f"area={city.north.pk}" in north["cells"][city.safety.pk]["url"]


def test_it_says_what_distinguishes_each_group(city) -> None:
    data = breakdown(filters=DashboardFilters(campaign=city.campaign), dimension="area")
    groups = {g["label"]: g for g in data["groups"]}
    north = groups["North"]["distinctive"]
    assert [d["label"] for d in north] == ["Safety"]
    assert north[0]["share"] == pytest.approx(0.75)
    assert north[0]["share_rest"] == pytest.approx(0.15)
    assert north[0]["lift"] == pytest.approx(5.0)
    assert [d["label"] for d in groups["South"]["distinctive"]] == ["Housing"]


def test_it_does_not_call_a_theme_distinctive_on_fewer_than_5_conversations(city) -> None:
    # North raises Housing in 3 conversations: too few, whatever the shares.
    data = breakdown(filters=DashboardFilters(campaign=city.campaign), dimension="area")
    north = next(g for g in data["groups"] if g["label"] == "North")
    assert north["cells"][city.housing.pk]["conversations"] == 3
    assert "Housing" not in [d["label"] for d in north["distinctive"]]


def test_it_has_nothing_distinctive_when_everyone_is_in_one_group(city) -> None:
    data = breakdown(filters=DashboardFilters(campaign=city.campaign), dimension="gender")
    assert [g["label"] for g in data["groups"]] == ["Not recorded"]
    assert data["groups"][0]["distinctive"] == []


def test_it_breaks_down_by_language_channel_and_demographics(city) -> None:
    f = DashboardFilters(campaign=city.campaign)
    language = {g["key"]: g for g in breakdown(filters=f, dimension="language")["groups"]}
    assert language["es"]["label"] == "Spanish"
    assert language["es"]["cells"][city.housing.pk]["share"] == pytest.approx(0.5)
    channel = {g["key"]: g for g in breakdown(filters=f, dimension="channel")["groups"]}
    assert channel["phone"]["conversations"] == 20
    race = {g["key"]: g for g in breakdown(filters=f, dimension="race_ethnicity")["groups"]}
    assert race["black"]["conversations"] == 10
    assert race[""]["label"] == "Not recorded"
    assert race[""]["conversations"] == 25  # 5 who did not answer + 20 anonymous


def test_it_limits_figures_to_the_period(city) -> None:
    march = DashboardFilters(
        campaign=city.campaign, date_from=dt.date(2017, 3, 1), date_to=dt.date(2017, 3, 31)
    )
    rows = {r["name"]: r for r in theme_shares(filters=march)["rows"]}
    assert rows["Safety"]["conversations"] == 15
    assert rows["Housing"]["conversations"] == 3


def test_it_gives_the_trend_by_month(city) -> None:
    trend = theme_trend(filters=DashboardFilters(campaign=city.campaign), period="month")
    assert trend["periods"] == ["2017-03-01", "2017-04-01"]
    april = {r["label"]: r for r in trend["rows"] if r["period"] == "2017-04-01"}
    assert april["Housing"]["share"] == pytest.approx(0.5)


def test_it_quotes_only_scrubbed_text(city) -> None:
    quotes = representative_quotes(filters=DashboardFilters(campaign=city.campaign), theme_id=city.safety.pk)
    assert len(quotes) == 3
    assert all("[phone]" in q and "555" not in q for q in quotes)


def test_it_computes_the_two_proportion_z() -> None:
    assert z_two_proportions(15, 20, 3, 20) == pytest.approx(0.6 / (0.45 * 0.55 * 0.1) ** 0.5)
    assert z_two_proportions(1, 0, 3, 20) == 0.0
