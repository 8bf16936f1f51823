import csv
import io

import pytest
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.insights.tests.factories_data import small_city
from porchlight.outreach.models import Conversation
from porchlight.testing.factories import AreaFactory, ConversationFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("insights:dashboard")
CSV = reverse("insights:dashboard_areas_csv")
PUBLIC = reverse("insights:public_summary")
SHAPES = reverse("insights:area_shapes")
# session, user, campaigns (current, form check, select), areas, ~9 aggregates, council roll-up signature
QUERY_BUDGET = 16


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("program_manager", 200),
        ("analyst", 200),
        ("outreach_worker", 403),
        ("case_manager", 403),
        ("partner", 403),
    ],
)
@pytest.mark.parametrize("url", [DASHBOARD, CSV])
def test_it_lets_only_dashboard_roles_see_the_dashboard_and_its_export(
    client, personas, persona, status, url
):
    client.force_login(personas[persona])
    assert client.get(url).status_code == status


@pytest.mark.parametrize("url", [DASHBOARD, CSV])
def test_it_sends_anonymous_visitors_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", [None, "outreach_worker", "analyst"])
def test_it_shows_the_public_summary_to_everyone(client, personas, persona):
    small_city()
    if persona:
        client.force_login(personas[persona])
    assert client.get(PUBLIC).status_code == 200


def test_it_renders_the_full_page_normally_and_only_the_results_for_htmx(client, personas):
    small_city()
    client.force_login(personas["analyst"])
    full = client.get(DASHBOARD)
    fragment = client.get(DASHBOARD, HTTP_HX_REQUEST="true")
    assert full.status_code == fragment.status_code == 200
    assert b"<html" in full.content and b'name="date_from"' in full.content
    assert b"<html" not in fragment.content and b'name="date_from"' not in fragment.content
    for body in (full.content, fragment.content):
        assert b'id="chart-weekly-spec"' in body and b'id="map-values"' in body
    assert "HX-Request" in fragment["Vary"]


def test_it_defaults_to_the_current_campaign_and_filters_by_the_query_string(client, personas):
    city = small_city()
    client.force_login(personas["analyst"])
    response = client.get(DASHBOARD)
    assert response.context["form"]["campaign"].value() == str(city.campaign.pk)
    assert response.context["results"]["totals"]["conversations"] == 7
    march = client.get(
        DASHBOARD, {"campaign": city.campaign.pk, "date_from": "2017-03-01", "date_to": "2017-03-31"}
    )
    assert march.context["results"]["totals"]["conversations"] == 6
    everything = client.get(DASHBOARD, {"campaign": ""})
    assert everything.context["results"]["totals"]["conversations"] == 8


def test_it_links_the_chosen_campaign_to_its_report_codebook_and_notes(client, personas):
    city = small_city()
    client.force_login(personas["analyst"])
    html = client.get(DASHBOARD).content.decode()
    for name in ("insights:report", "insights:codebook", "insights:notes_review", "insights:report_public"):
        assert f'href="{reverse(name, args=[city.campaign.pk])}"' in html, name
    # All campaigns at once have no single report.
    assert reverse("insights:report", args=[city.campaign.pk]) not in client.get(
        DASHBOARD, {"campaign": ""}
    ).content.decode()


def test_it_reports_a_backwards_date_range_instead_of_guessing(client, personas):
    small_city()
    client.force_login(personas["analyst"])
    response = client.get(DASHBOARD, {"date_from": "2017-03-31", "date_to": "2017-03-01"})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "The end date is before the start date." in response.content.decode()


def test_it_exports_the_by_area_table_as_csv_and_audits_it(client, personas):
    city = small_city()
    client.force_login(personas["program_manager"])
    response = client.get(
        CSV, {"campaign": city.campaign.pk, "date_from": "2017-03-01", "date_to": "2017-03-31"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "area_code",
        "area_name",
        "population",
        "conversations",
        "residents_reached",
        "one_in_n",
    ]
    assert ["A", "Alpha", "1000", "3", "2", "500"] in rows
    assert ["B", "Beta", "500", "2", "2", "250"] in rows
    assert ["", "(no area recorded)", "", "1", "1", ""] in rows
    event = AuditEvent.objects.get(action="export")
    assert event.actor == personas["program_manager"]
    assert event.object_type == "insights.reach_by_area"
    assert event.object_id == str(city.campaign.pk)
    assert "from=2017-03-01" in event.detail


def test_it_does_not_audit_a_refused_export(client, personas):
    client.force_login(personas["outreach_worker"])
    client.get(CSV)
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("kind", ["neighborhood", "council_district"])
def test_it_renders_the_dashboard_in_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries, kind
):
    city = small_city()
    client.force_login(personas["analyst"])
    client.get(DASHBOARD, {"area_kind": kind})  # warm the area caches, as any running server has
    with django_assert_max_num_queries(QUERY_BUDGET):
        small = client.get(DASHBOARD, {"area_kind": kind})
    hoods = [AreaFactory(code=str(5000 + i), name=f"Grown {i}") for i in range(6)]
    for hood in hoods:
        ConversationFactory.create_batch(3, campaign=city.campaign, area=hood)
    assert Conversation.objects.count() > 20
    client.get(DASHBOARD, {"area_kind": kind})
    with django_assert_max_num_queries(QUERY_BUDGET):
        big = client.get(DASHBOARD, {"area_kind": kind})
    assert (
        big.context["results"]["totals"]["conversations"]
        > small.context["results"]["totals"]["conversations"]
    )


def test_it_serves_light_area_shapes_to_anyone(client):
    small_city()
    response = client.get(SHAPES, {"kind": "neighborhood"})
    assert response.status_code == 200
    data = response.json()
    assert {f["properties"]["name"] for f in data["features"]} == {"Alpha", "Beta"}
    ring = data["features"][0]["geometry"]["coordinates"][0]
    assert all(len(str(c).split(".")[-1]) <= 4 for point in ring for c in point)
    assert "max-age=3600" in response["Cache-Control"]
    assert client.get(SHAPES, {"kind": "planet"}).status_code == 400
