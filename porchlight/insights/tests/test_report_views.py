"""The "what we heard" report: permissions, the public version's suppression, the PDF and the CSV tables."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.insights.report.selectors import report_build
from porchlight.insights.selectors import DashboardFilters
from porchlight.insights.tests.factories_report import report_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return report_city()


def _staff_url(city) -> str:
    return reverse("insights:report", args=[city.campaign.pk])


def _public_url(city) -> str:
    return reverse("insights:report_public", args=[city.campaign.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("analyst", 200), ("program_manager", 200), ("administrator", 200), ("outreach_worker", 403)],
)
def test_it_lets_only_dashboard_users_see_the_staff_report(client, personas, city, persona, status) -> None:
    client.force_login(personas[persona])
    assert client.get(_staff_url(city)).status_code == status


def test_it_sends_anonymous_visitors_of_the_staff_report_to_log_in(client, city) -> None:
    response = client.get(_staff_url(city))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_it_answers_404_for_a_campaign_that_does_not_exist(client, personas, city) -> None:
    client.force_login(personas["analyst"])
    assert client.get(reverse("insights:report", args=[city.campaign.pk + 999])).status_code == 404
    assert client.get(reverse("insights:report_public", args=[city.campaign.pk + 999])).status_code == 404


def test_it_shows_staff_exact_counts_with_links_to_the_notes_but_no_names(client, personas, city) -> None:
    client.force_login(personas["analyst"])
    response = client.get(_staff_url(city))
    html = response.content.decode()
    notes = reverse("insights:notes_review", args=[city.campaign.pk])
    assert f"{notes}?theme={city.safety.pk}" in html
    assert f"theme={city.housing.pk}&amp;area={city.north.pk}" in html
    assert "Nora" not in html and "Quill" not in html
    assert "704-555" not in html and "[phone]" in html
    north_housing = response.context["report"]["breakdowns"][0]["groups"]
    assert any(g["label"] == "North" for g in north_housing)


def test_it_shows_the_public_report_to_anyone_with_small_cells_suppressed(client, city) -> None:
    response = client.get(_public_url(city))
    assert response.status_code == 200
    report = response.context["report"]
    area = next(b for b in report["breakdowns"] if b["key"] == "area")
    north = next(g for g in area["groups"] if g["label"] == "North")
    housing = next(c for c in north["cells"] if c["theme_id"] == city.housing.pk)
    # 3 residents in North raised Housing: the cell says so without the number or the share.
    assert housing["display"] == "fewer than 5"
    assert housing["conversations"] is None and housing["share"] is None
    html = response.content.decode()
    assert "fewer than 5" in html
    assert "/notes/" not in html
    assert "Nora" not in html and "704-555" not in html
    # Food needs concern 2 residents: hidden. With the total of 8 needs shown, housing (6) would give the
    # food count away by subtraction, so it is hidden too (complementary suppression).
    assert report["summary"]["needs"].display == "8"
    assert report["needs"]["needs"] == []


def test_it_takes_public_quotes_only_from_themes_of_at_least_5_residents(city) -> None:
    from porchlight.insights.models import ThemeCode

    # Jobs raised by 2 residents (analyst codes): quotes would be about fewer than 5 people.
    for item in city.items[1:3]:
        ThemeCode.objects.create(item=item, theme=city.jobs, source=ThemeCode.Source.ANALYST)
    themes = {
        r["label"]: r
        for r in report_build(filters=DashboardFilters(campaign=city.campaign), public=True)["themes"]["rows"]
    }
    assert themes["Jobs"]["quotes"] == []
    assert themes["Jobs"]["cell"].display == "fewer than 5"
    assert len(themes["Safety"]["quotes"]) == 3
    staff = {
        r["label"]: r
        for r in report_build(filters=DashboardFilters(campaign=city.campaign))["themes"]["rows"]
    }
    assert staff["Jobs"]["quotes"]


def test_it_refuses_an_end_date_before_the_start(client, personas, city) -> None:
    client.force_login(personas["analyst"])
    response = client.get(_staff_url(city), {"date_from": "2017-05-01", "date_to": "2017-04-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_it_exports_the_csv_tables_and_audits_it(client, personas, city) -> None:
    client.force_login(personas["analyst"])
    response = client.get(_staff_url(city), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(response.content))
    assert {
        "summary.csv",
        "themes.csv",
        "quotes.csv",
        "reach_by_neighborhood.csv",
        "theme_breakdowns.csv",
        "distinctive_themes.csv",
        "reach_by_demographics.csv",
        "needs.csv",
        "referrals.csv",
    } <= set(zf.namelist())
    themes = list(csv.DictReader(io.StringIO(zf.read("themes.csv").decode("utf-8-sig"))))
    assert {r["theme"]: r["conversations"] for r in themes} == {"Safety": "18", "Housing": "13", "Jobs": "0"}
    quotes = zf.read("quotes.csv").decode("utf-8-sig")
    assert "[phone]" in quotes and "704-555" not in quotes
    event = AuditEvent.objects.get(action="export", object_type="insights.report")
    assert event.actor == personas["analyst"] and event.object_id == str(city.campaign.pk)


def test_it_exports_public_csv_tables_with_small_cells_suppressed(client, city) -> None:
    response = client.get(_public_url(city), {"format": "csv"})
    zf = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.DictReader(io.StringIO(zf.read("theme_breakdowns.csv").decode("utf-8-sig"))))
    north_housing = next(
        r for r in rows if r["dimension"] == "area" and r["group"] == "North" and r["theme"] == "Housing"
    )
    assert north_housing["conversations"] == ""
    assert north_housing["share_of_group_conversations"] == "fewer than 5"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_it_renders_the_report_as_a_pdf_that_draws(client, personas, city, tmp_path) -> None:
    pytest.importorskip("weasyprint")
    client.force_login(personas["analyst"])
    response = client.get(_staff_url(city), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        [
            shutil.which("pdftoppm"),
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert pngs and pngs[0].stat().st_size > 5000
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "What we heard: Listening Tour" in text
    assert "Safety" in text and "704-555" not in text
    assert AuditEvent.objects.filter(action="export", detail__startswith="format=pdf").exists()


def test_it_maps_a_chosen_theme_by_neighborhood_and_hides_small_areas_in_public(
    client, personas, city
) -> None:
    client.force_login(personas["analyst"])
    staff = client.get(_staff_url(city), {"map_theme": city.housing.pk}).context["report"]["theme_map"]
    assert staff["theme"]["id"] == city.housing.pk
    assert "15% of conversations (3)" in staff["values"][city.north.pk]["t"]
    assert "50% of conversations (10)" in staff["values"][city.south.pk]["t"]
    public = client.get(_public_url(city), {"map_theme": city.housing.pk}).context["report"]["theme_map"]
    assert public["values"][city.north.pk]["t"] == "fewer than 5 residents"
    # With no choice, the map shows the theme raised most.
    assert client.get(_public_url(city)).context["report"]["theme_map"]["theme"]["id"] == city.safety.pk


def test_it_refuses_a_theme_of_another_campaign_for_the_map(client, personas, city) -> None:
    client.force_login(personas["analyst"])
    assert client.get(_staff_url(city), {"map_theme": 999999}).status_code == 400


def test_it_suppresses_each_themes_trend_as_a_series_in_the_public_csv(client, city) -> None:
    """Safety is raised by 15 residents one week and 3 the next: the 3 reads "fewer than 5", and the 15 is
    hidden too, since the theme's total (18) is public."""
    response = client.get(_public_url(city), {"format": "csv"})
    zf = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.DictReader(io.StringIO(zf.read("theme_trend.csv").decode("utf-8-sig"))))
    safety = {r["period_start"]: r for r in rows if r["theme"] == "Safety"}
    assert sorted(r["conversations"] for r in safety.values()) == ["fewer than 5", "not shown"]
    assert all(r["share_of_conversations"] == "" for r in safety.values())
    allowed = {"fewer than 5", "not shown"} | {str(n) for n in range(5, 99)}
    assert {r["conversations"] for r in rows} <= allowed


def test_it_names_the_map_themes_in_the_reader_s_language(city) -> None:
    from django.utils import translation

    from porchlight.insights.report.forms import ReportForm

    with translation.override("es"):
        spanish = dict(ReportForm(campaign=city.campaign).fields["map_theme"].choices)
    with translation.override("en"):
        english = dict(ReportForm(campaign=city.campaign).fields["map_theme"].choices)
    assert spanish[city.housing.pk] == "Vivienda" and english[city.housing.pk] == "Housing"
