"""The printable walk sheet (walksheet.py): a real PDF, the right rows and pages, audited downloads."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from porchlight.accounts.models import AuditEvent
from porchlight.accounts.roles import Role
from porchlight.outreach.field.tests.test_canvass import make_door, make_list, make_turf, running_campaign
from porchlight.outreach.field.walksheet import walksheet_build, walksheet_pdf
from porchlight.outreach.models import Script
from porchlight.testing.factories import UserFactory

pytest.importorskip("weasyprint")


def pdf_pages(pdf: bytes) -> int:
    """The page count as poppler's pdfinfo reads it: a second, independent reader of the PDF."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        out = subprocess.run([pdfinfo, "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
    raise AssertionError("pdfinfo is not installed")


def turf_with(doors: int, *, spanish_every: int = 3, zip_code: str = "28202"):
    worker = UserFactory(first_name="Ana", last_name="Walker", role=Role.OUTREACH_WORKER)
    campaign = running_campaign(name=f"Neighborhood check-ins ({doors} doors)")
    Script.objects.create(campaign=campaign, language="en", body="Hi, I'm with the city.")
    Script.objects.create(campaign=campaign, language="es", body="Hola, soy de la ciudad.")
    turf = make_turf(make_list(campaign), user=worker)
    for i in range(doors):
        lang = "es" if i % spanish_every == 0 else "en"
        make_door(turf, i, lang, street=f"{100 + 2 * i} Elm St", zip_code=zip_code)
    return turf


def test_it_lists_every_door_in_walking_order_with_the_scripts_of_the_languages_present(db):
    turf = turf_with(12)
    sheet = walksheet_build(turf=turf)
    assert sheet.html.count('<tr class="door') == 12
    assert sheet.html.index("100 Elm St") < sheet.html.index("102 Elm St") < sheet.html.index("122 Elm St")
    assert [s.language for s in sheet.scripts] == ["en", "es"]
    assert "Ana Walker" in sheet.html and "Neighborhood check-ins" in sheet.html


def test_it_shows_only_the_english_script_when_nobody_speaks_spanish(db):
    turf = turf_with(4, spanish_every=99)
    turf.targets.first().address.residents.update(preferred_language="en")
    assert [s.language for s in walksheet_build(turf=turf).scripts] == ["en"]


def test_it_marks_do_not_contact_doors_without_checkboxes(db):
    turf = turf_with(2)
    make_door(turf, 9, "en", street="999 Elm St", do_not_contact=True)
    html = walksheet_build(turf=turf).html
    row = html[html.index("999 Elm St") : html.index("</tr>", html.index("999 Elm St"))]
    assert "Do not knock" in row and 'class="box"' not in row


def test_it_renders_a_pdf_that_grows_by_pages_with_the_doors(db):
    from weasyprint import HTML

    small, big = turf_with(5), turf_with(80, zip_code="28205")
    assert walksheet_pdf(turf=small).startswith(b"%PDF")
    assert len(HTML(string=walksheet_build(turf=small).html).render().pages) == 1
    assert len(HTML(string=walksheet_build(turf=big).html).render().pages) > 2


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")
def test_it_writes_a_pdf_that_another_reader_opens_with_the_same_pages(db):
    pdf = walksheet_pdf(turf=turf_with(80))
    assert pdf_pages(pdf) > 2


@pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdfinfo"), reason="no poppler-utils")
def test_it_prints_the_addresses_and_scripts_as_text(db, tmp_path: Path):
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(walksheet_pdf(turf=turf_with(30)))
    pdftotext = shutil.which("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in text.splitlines() if re.search(r"\b1\d\d Elm St\b", line)]
    assert len(rows) == 30
    assert "Hola, soy de la ciudad." in text
    assert text.count("\f") == pdf_pages(pdf.read_bytes())  # one form feed per page


def test_it_downloads_the_sheet_and_audits_the_export(client, db):
    turf = turf_with(3)
    client.force_login(turf.assigned_to)
    response = client.get(reverse("outreach:walk_sheet", args=[turf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.object_type, event.object_id) == (
        turf.assigned_to,
        "outreach.turf",
        str(turf.pk),
    )
