"""Every output open to anonymous users, in every format, shows no count under the public threshold.

The anonymous URLs are found from the URL resolver (each named URL is requested without logging in) and
must match PUBLIC_VIEWS, so a new public URL fails here until someone lists it with the formats it serves.
The counts are read by tests/public_counts.py; the same outputs rendered with suppression switched off must
make it complain in every format, which shows the check can fail.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from porchlight.cases.models import Referral
from porchlight.insights.models import TextItem, ThemeCode
from porchlight.insights.tests.factories_data import area
from porchlight.insights.tests.factories_report import TZ, report_city
from porchlight.outreach.models import Channel
from porchlight.places.models import Area
from porchlight.testing.factories import ConversationFactory, NeedFactory, ReferralFactory, ResidentFactory
from tests.public_counts import small_in_csv, small_in_html, small_in_json, small_in_text

pytestmark = pytest.mark.django_db

# URL name → the formats it serves to anonymous users ("" for pages with no figures about residents).
PUBLIC_VIEWS = {
    "login": "",
    "set_language": "",
    "password_reset": "",
    "password_reset_done": "",
    "password_reset_confirm": "",
    "password_reset_complete": "",
    "web:healthz": "",  # {"status": "ok"}
    "offline:manifest": "",
    "offline:service_worker": "",
    "web:home": "html",
    "insights:area_shapes": "geojson",  # boundaries only
    "insights:public_summary": "html",
    "insights:report_public": "html csv pdf",
}


def _patterns(resolver: URLResolver | None = None, ns: str = ""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.app_name != "admin":  # Django's admin has its own staff login
                yield from _patterns(p, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name, p


def _url(name: str, pattern: URLPattern, pk: int) -> str:
    names = list(pattern.pattern.regex.groupindex)
    for value in (pk, "address", "MQ"):
        try:
            return reverse(name, kwargs={k: ("json" if k == "format" else value) for k in names})
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}")


def _closed(response) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code in (401, 403) or (
        response.status_code in (301, 302) and response["Location"].startswith(login)
    )


def anonymous_views(client, pk: int) -> set[str]:
    """Names of the URLs that answer an anonymous visitor with anything but the login page or a refusal."""
    found = set()
    for name, pattern in _patterns():
        url = _url(name, pattern, pk)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        if not _closed(response):
            found.add(name)
    return found


def small_count_city():
    """The report's hand-counted campaign plus a neighborhood, a language, a channel, a week, a need and
    a referral status each with 1 to 4 residents, so that every table has cells to suppress."""
    city = report_city()
    east = area(Area.Kind.NEIGHBORHOOD, "4", "Eastover", -80.7, 0.01, 3000)
    for i in range(3):
        resident = ResidentFactory(first_name=f"Vy{i}", last_name="Tran", race_ethnicity="asian")
        convo = ConversationFactory(
            campaign=city.campaign,
            resident=resident,
            area=east,
            channel=Channel.EVENT,
            language="vi",
            held_at=dt.datetime(2017, 5, 15 + i, 12, tzinfo=TZ),
            notes="The bus stop has no shelter and the job center closed.",
        )
        item = TextItem.objects.create(
            conversation=convo,
            campaign=city.campaign,
            field="notes",
            text=convo.notes,
            language="en",
            text_scrubbed=convo.notes,
        )
        ThemeCode.objects.create(item=item, theme=city.jobs, source=ThemeCode.Source.ANALYST, confidence=1)
        if i == 0:
            need = NeedFactory(conversation=convo, resident=resident, category="utilities")
            ReferralFactory(need=need, status=Referral.Status.ACCEPTED)
    return city


def _outputs(client, city) -> dict[str, list[str]]:
    """Every public output, read with the checker of its format: where → small counts found."""
    pk = city.campaign.pk
    threshold = 5
    found: dict[str, list[str]] = {}
    for name, formats in PUBLIC_VIEWS.items():
        if not formats:
            continue  # no figures about residents to check
        args = [pk] if name == "insights:report_public" else []
        url = reverse(name, args=args)
        for fmt in formats.split():
            if fmt == "html":
                for query in ({}, {"period": "month"}, {"map_theme": city.housing.pk}):
                    if query and name != "insights:report_public":
                        continue
                    response = client.get(url, query)
                    assert response.status_code == 200, (name, query)
                    found[f"{name} {query}"] = small_in_html(response.content.decode(), threshold, name)
            elif fmt == "geojson":
                data = json.loads(client.get(url).content)
                found[name] = small_in_json(data, threshold, name)
            elif fmt == "csv":
                zf = zipfile.ZipFile(io.BytesIO(client.get(url, {"format": "csv"}).content))
                for member in zf.namelist():
                    if member.endswith(".csv"):
                        text = zf.read(member).decode("utf-8-sig")
                        found[f"{name} {member}"] = small_in_csv(member, text, threshold)
            elif fmt == "pdf":
                pdf = client.get(url, {"format": "pdf"}).content
                text = subprocess.run(
                    [shutil.which("pdftotext") or "pdftotext", "-layout", "-", "-"],
                    input=pdf,
                    capture_output=True,
                    check=True,
                ).stdout.decode()
                found[f"{name} pdf"] = small_in_text(text, threshold, "pdf")
    return found


needs_pdf = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


def test_the_list_of_public_views_is_every_url_open_to_anonymous_users(client):
    city = small_count_city()
    assert anonymous_views(client, city.campaign.pk) == set(PUBLIC_VIEWS)


@needs_pdf
def test_no_public_output_shows_a_count_under_the_threshold(client, settings):
    pytest.importorskip("weasyprint")
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 5
    city = small_count_city()
    found = _outputs(client, city)
    assert any(key.endswith("pdf") for key in found) and any("theme_trend.csv" in key for key in found)
    assert {k: v for k, v in found.items() if v} == {}


@needs_pdf
def test_the_check_finds_small_counts_when_suppression_is_off(client, settings):
    """The same outputs with nothing suppressed: the checker must see small counts in every format."""
    pytest.importorskip("weasyprint")
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 0
    city = small_count_city()
    found = _outputs(client, city)
    for where in [
        "insights:public_summary {}",
        "insights:report_public {}",
        "insights:report_public pdf",
        "insights:report_public theme_trend.csv",
        "insights:report_public theme_breakdowns.csv",
        "insights:report_public reach_by_neighborhood.csv",
        "insights:report_public needs.csv",
        "insights:report_public referrals.csv",
        "insights:report_public themes.csv",
    ]:
        assert found[where], where
    assert any("chart-themes-spec" in f for f in found["insights:report_public {}"])
    assert any("map-values" in f for f in found["insights:public_summary {}"])
    assert small_in_json({"type": "Feature", "properties": {"residents": 3}}, 5)
