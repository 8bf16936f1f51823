"""The printable walk sheet of a turf: a PDF (WeasyPrint) for workers who knock with a clipboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from porchlight.outreach.field.canvass import DOOR_OUTCOMES, Door, walk_list
from porchlight.outreach.models import Script, Turf
from porchlight.people.models import Language


@dataclass
class WalkSheet:
    html: str
    doors: list[Door]
    scripts: list[Script]


def walksheet_build(*, turf: Turf, now: dt.datetime | None = None) -> WalkSheet:
    """The sheet's HTML: campaign, turf, worker, the scripts in the languages at its doors, and the doors."""
    now = now or timezone.now()
    doors = walk_list(turf=turf, now=now)
    campaign = turf.target_list.campaign
    scripts = {s.language: s for s in campaign.scripts.all()}
    languages = {r.preferred_language for d in doors for r in d.residents} or {Language.ENGLISH}
    order = [code for code, _label in Language.choices]
    ordered = sorted(languages, key=order.index)
    chosen = [scripts.get(lang) or scripts.get(Language.ENGLISH) for lang in ordered]
    sheet_scripts = list(dict.fromkeys(s for s in chosen if s))
    html = render_to_string(
        "outreach/canvass/walksheet.html",
        {
            "turf": turf,
            "campaign": campaign,
            "worker": turf.assigned_to or turf.assigned_team,
            "doors": doors,
            "scripts": sheet_scripts,
            "outcomes": DOOR_OUTCOMES,
            "printed_at": now,
        },
    )
    return WalkSheet(html=html, doors=doors, scripts=sheet_scripts)


def walksheet_pdf(*, turf: Turf, now: dt.datetime | None = None) -> bytes:
    """The walk sheet as PDF bytes."""
    from weasyprint import HTML  # imported here: it loads pango, which only this export needs

    return HTML(string=walksheet_build(turf=turf, now=now).html).write_pdf()
