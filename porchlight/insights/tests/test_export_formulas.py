"""Names that look like spreadsheet formulas come out neutralized in every insights export."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from porchlight.insights.tests.factories_report import report_city
from porchlight.places.models import Area

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(1)"]


@pytest.fixture
def city():
    city = report_city()
    for theme, name in zip((city.safety, city.housing, city.jobs), PAYLOADS, strict=False):
        theme.name = theme.name_es = name
        theme.save(update_fields=["name", "name_es"])
    Area.objects.filter(pk=city.north.pk).update(name=PAYLOADS[3])
    return city


def _cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _assert_neutralized(cells: list[str], expect: list[str]) -> None:
    for payload in expect:
        assert "'" + payload in cells, payload
    for cell in cells:
        assert cell[:1] not in ("=", "+", "@") and not (
            cell[:1] == "-" and not cell[1:].replace(".", "").isdigit()
        )


@pytest.mark.parametrize("public", [True, False])
def test_it_neutralizes_formulas_in_the_report_csv_tables(client, personas, city, public):
    if public:
        url = reverse("insights:report_public", args=[city.campaign.pk])
    else:
        client.force_login(personas["analyst"])
        url = reverse("insights:report", args=[city.campaign.pk])
    zf = zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content))
    cells = [c for name in zf.namelist() if name.endswith(".csv") for c in _cells(zf.read(name))]
    _assert_neutralized(cells, PAYLOADS)


def test_it_neutralizes_formulas_in_the_dashboard_area_csv(client, personas, city):
    client.force_login(personas["analyst"])
    response = client.get(
        reverse("insights:dashboard_areas_csv"), {"campaign": city.campaign.pk, "area_kind": "neighborhood"}
    )
    _assert_neutralized(_cells(response.content), [PAYLOADS[3]])
