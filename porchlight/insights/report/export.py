"""The report as files: a PDF (WeasyPrint) and a zip of CSV tables, from the same dict as the web page."""

from __future__ import annotations

import io
import zipfile

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from porchlight.insights.report.svg import reach_map_svg
from porchlight.places.models import Area
from porchlight.ui.exports import csv_writer


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _n(cell: object) -> str:
    """A count as the report shows it: the number, or "fewer than 5" / "not shown" in the public version."""
    value = getattr(cell, "value", None)
    return str(value) if value is not None else str(cell)


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def _summary_table(report: dict) -> str:
    s = report["summary"]
    return _csv(
        ["figure", "value"],
        [
            ["conversations", _n(s["conversations"])],
            ["residents_reached", _n(s["residents"])],
            ["one_in_n", s["one_in"] or ""],
            ["conversations_with_text", _n(s["texts"])],
            ["needs", _n(s["needs"])],
            ["referrals", _n(s["referrals"])],
            ["neighborhoods_reached", s["areas_reached"]],
            ["neighborhoods_total", s["areas_total"]],
        ],
    )


def _themes_table(report: dict) -> str:
    return _csv(
        ["theme", "conversations", "share_of_conversations"],
        [
            [
                r["label"],
                _n(r["cell"]) if r["conversations"] is None else r["conversations"],
                _pct(r["share"]),
            ]
            for r in report["themes"]["rows"]
        ],
    )


def _quotes_table(report: dict) -> str:
    return _csv(
        ["theme", "quote"],
        [[r["label"], q] for r in report["themes"]["rows"] for q in r["quotes"]],
    )


def _reach_by_neighborhood_table(report: dict) -> str:
    return _csv(
        [
            "area_code",
            "area_name",
            "population",
            "residents_reached",
            "one_in_n",
            "needs",
            "referrals",
            "under_reached",
        ],
        [
            [
                r["code"],
                r["name"],
                r["population"] or "",
                _n(r["cell"]),
                r["one_in"] or "",
                _n(r["needs"]),
                _n(r["referrals"]),
                "yes" if r["under_reached"] else "",
            ]
            for r in report["reach"]["rows"]
        ],
    )


def _reach_by_language_table(report: dict) -> str:
    return _csv(
        ["language", "residents_reached"],
        [[r["label"], _n(r["cell"])] for r in report["equity"]["languages"]],
    )


def _needs_table(report: dict) -> str:
    return _csv(["need", "count"], [[r["label"], _n(r["cell"])] for r in report["needs"]["needs"]])


def _referrals_table(report: dict) -> str:
    return _csv(["status", "count"], [[r["label"], _n(r["cell"])] for r in report["needs"]["referrals"]])


def _theme_trend_table(report: dict) -> str:
    return _csv(
        ["period_start", "theme", "conversations", "share_of_conversations"],
        [
            [
                r["period"],
                r["label"],
                _n(r["cell"]) if r["conversations"] is None else r["conversations"],
                _pct(r["share"]),
            ]
            for r in report["trend"]["rows"]
        ],
    )


def _reach_by_demographics_table(report: dict) -> str:
    demo = report["equity"]["demographics"]
    return _csv(
        [
            "dimension",
            "group",
            "residents_reached",
            "share_of_answers",
            "share_of_population",
            "representation",
        ],
        [
            [
                part,
                r["label"],
                _n(r["cell"]),
                _pct(r["share_reached"]),
                _pct(r["share_population"]),
                "" if r["representation"] is None else f"{r['representation']:.3f}",
            ]
            for part in ("race", "age")
            for r in demo[part]["rows"]
        ],
    )


def _theme_breakdowns_table(report: dict) -> str:
    rows = []
    for b in report["breakdowns"]:
        names = {t["id"]: t["label"] for t in b["themes"]}
        for g in b["groups"]:
            for c in g["cells"]:
                rows.append(
                    [
                        b["key"],
                        g["label"],
                        names[c["theme_id"]],
                        "" if c["conversations"] is None else c["conversations"],
                        c["display"] if c["share"] is None else _pct(c["share"]),
                    ]
                )
    return _csv(["dimension", "group", "theme", "conversations", "share_of_group_conversations"], rows)


def _distinctive_themes_table(report: dict) -> str:
    return _csv(
        ["dimension", "group", "theme", "share_in_group", "share_elsewhere", "lift", "z"],
        [
            [
                b["key"],
                g["label"],
                d["label"],
                _pct(d["share"]),
                _pct(d["share_rest"]),
                f"{d['lift']:.2f}",
                f"{d['z']:.2f}",
            ]
            for b in report["breakdowns"]
            for g in b["groups"]
            for d in g["distinctive"]
        ],
    )


# File name → the table of one section of the report, in the order of the zip.
TABLES = {
    "summary.csv": _summary_table,
    "themes.csv": _themes_table,
    "quotes.csv": _quotes_table,
    "reach_by_neighborhood.csv": _reach_by_neighborhood_table,
    "reach_by_language.csv": _reach_by_language_table,
    "needs.csv": _needs_table,
    "referrals.csv": _referrals_table,
    "theme_trend.csv": _theme_trend_table,
    "reach_by_demographics.csv": _reach_by_demographics_table,
    "theme_breakdowns.csv": _theme_breakdowns_table,
    "distinctive_themes.csv": _distinctive_themes_table,
}


def report_csv_tables(report: dict) -> dict[str, str]:
    """File name → CSV text, one table per section of the report."""
    return {name: table(report) for name, table in TABLES.items()}


def report_csv_zip(report: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in report_csv_tables(report).items():
            zf.writestr(name, "\ufeff" + text)  # the BOM lets Excel read accents in Spanish labels
        if report["public"]:
            readme = _('Tables of the public report "%(name)s": counts under %(n)d residents are hidden.') % {
                "name": report["campaign"].name,
                "n": report["threshold"],
            }
        else:
            readme = _('Tables of the staff report "%(name)s": exact counts, not for publication.') % {
                "name": report["campaign"].name
            }
        zf.writestr("README.txt", readme + "\n")
    return buffer.getvalue()


def report_pdf(report: dict) -> bytes:
    """The report as PDF: the same sections as the page, with a static SVG map and HTML bars for charts."""
    from weasyprint import HTML  # imported here: it loads pango, which only this export needs

    context = {**report, "map_svg": reach_map_svg(report["reach"]["map"], kind=Area.Kind.NEIGHBORHOOD)}
    if report["theme_map"]:
        context["theme_map_svg"] = reach_map_svg(report["theme_map"], kind=Area.Kind.NEIGHBORHOOD)
    max_count = max((r["conversations"] or 0 for r in report["themes"]["rows"]), default=0)
    context["theme_bars"] = [
        {**r, "width": round(100 * (r["conversations"] or 0) / max_count) if max_count else 0}
        for r in report["themes"]["rows"]
        if r["conversations"]
    ]
    html = render_to_string("insights/report/report_pdf.html", context)
    return HTML(string=html).write_pdf()
