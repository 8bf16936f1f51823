import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from porchlight.insights.choropleth import HIDDEN_COLOR
from porchlight.insights.pages import public_summary_page
from porchlight.insights.tests.factories_data import small_city
from porchlight.testing.factories import AreaFactory, CampaignFactory, ConversationFactory

pytestmark = pytest.mark.django_db

PUBLIC = reverse("insights:public_summary")


def test_it_shows_small_numbers_as_fewer_than_5_and_no_personal_data(client):
    city = small_city()
    response = client.get(PUBLIC, {"campaign": city.campaign.pk})
    body = response.content.decode()
    ctx = response.context
    assert ctx["conversations"].value == 7
    assert ctx["residents"].value == 6  # Ana, Ben, Cruz, Dee and two anonymous conversations
    assert ctx["needs"].suppressed and ctx["referrals"].suppressed
    assert all(t["cell"].suppressed for t in ctx["topics"])  # 2 and 1 conversations
    assert ctx["area_rows"] == []  # Alpha 2, Beta 3, not recorded 1: all below 5
    assert ctx["areas_hidden"] == 2
    assert "fewer than 5" in body
    for name in ["Zzyzx", "Ana", "Ben", "Cruz", "Dee"]:
        assert name not in body
    # the map's tooltips carry no hidden number either
    values = ctx["map"]["values"]
    assert values[city.hood_a.id]["c"] == HIDDEN_COLOR
    assert "2" not in values[city.hood_a.id]["t"]


def test_it_hides_a_second_neighborhood_so_a_small_one_cannot_be_worked_out():
    campaign = CampaignFactory(name="Reach test")
    big, middle, small = (AreaFactory(name=n, population=1000) for n in ["Big", "Middle", "Small"])
    for area, n in [(big, 10), (middle, 7), (small, 3)]:
        ConversationFactory.create_batch(n, campaign=campaign, area=area, resident=None)
    page = public_summary_page(campaign=campaign)
    assert page["residents"].value == 20
    assert [(r["name"], r["cell"].value, r["one_in"]) for r in page["area_rows"]] == [("Big", 10, 100)]
    assert page["areas_hidden"] == 2
    values = page["map"]["values"]
    assert values[middle.id]["c"] == values[small.id]["c"] == HIDDEN_COLOR
    assert "7" not in values[middle.id]["t"] and "3" not in values[small.id]["t"]


def test_it_shows_the_current_campaign_by_default(client):
    city = small_city()
    CampaignFactory(name="Planned", start_date=dt.date(2099, 1, 1), end_date=dt.date(2099, 2, 1))
    response = client.get(PUBLIC)
    assert response.context["campaign"] == city.campaign


def test_it_says_so_when_there_is_no_campaign_yet(client):
    response = client.get(PUBLIC)
    assert response.status_code == 200
    assert "No conversations have been held yet" in response.content.decode()


def test_it_speaks_spanish_when_asked(client):
    small_city()
    with translation.override("es"):
        page = public_summary_page(campaign=CampaignFactory(name="Vacía"))
    assert page["conversations"].suppressed
    response = client.get(PUBLIC, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "es"
    body = response.content.decode()
    assert "Lo que hemos escuchado" in body and "menos de 5" in body
