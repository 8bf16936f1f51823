"""The "what we heard" report of a campaign: every figure of the page, the PDF and the CSV tables.

`report_build(filters=..., public=False)` is the staff version: exact counts, and every theme figure carries
the address of the notes behind it. `public=True` is the version for everyone: every count goes through
suppression.py (a cell under 5 residents reads "fewer than 5", with complementary suppression where a total
is shown), there are no links to notes, no team names and no figure about fewer than 5 residents; quotes
come only from themes raised by at least 5 residents, and quotes are always the scrubbed text (scrub.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.cases.models import Referral
from porchlight.insights.choropleth import HIDDEN_COLOR, NONE_COLOR, color_classes, reach_map, share_label
from porchlight.insights.report.breakdowns import (
    DIMENSIONS,
    breakdown,
    representative_quotes,
    theme_shares,
    theme_trend,
)
from porchlight.insights.report.equity import reach_by_demographics, reach_by_language, reach_by_neighborhood
from porchlight.insights.selectors import DashboardFilters, city_population, dashboard_totals, one_in
from porchlight.outreach.models import Need, NeedCategory
from porchlight.ui import charts
from porchlight.ui.suppression import SMALL, Cell, suppress_breakdown, suppress_count, threshold_default

AREA_GROUPS_SHOWN = 15  # neighborhoods in the theme-by-neighborhood table (most conversations first)
PUBLIC_DIMENSIONS = ["area", "channel", "language", "age_range", "gender", "race_ethnicity"]
QUOTES_PER_THEME = 3


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f}%"


def _exact(value: int) -> Cell:
    """A count shown as it is (staff version), in the same shape as a suppressed one."""
    return Cell(value=value, threshold=threshold_default())


def _by_residents(
    model: type[Need] | type[Referral], prefix: str, group: str, filters: DashboardFilters
) -> list[dict[str, Any]]:
    """Needs or referrals per category/status: how many, and how many residents they concern."""
    convo = f"{prefix}conversation"
    rows = (
        model.objects.filter(filters.conversation_q(f"{convo}__"))
        .values(group)
        .annotate(
            count=Count("id"),
            identified=Count(f"{convo}__resident", distinct=True),
            anonymous=Count(convo, distinct=True, filter=Q(**{f"{convo}__resident__isnull": True})),
        )
        .order_by("-count", group)
    )
    labels = dict(NeedCategory.choices) if group == "category" else dict(Referral.Status.choices)
    return [
        {
            "key": r[group],
            "label": str(labels.get(r[group], r[group])),
            "count": r["count"],
            "residents": r["identified"] + r["anonymous"],
        }
        for r in rows
    ]


def _cells_for(
    rows: list[dict[str, Any]], *, public: bool, key: str = "key", total_shown: bool = True
) -> dict[Any, Any]:
    if not public:
        return {r[key]: _exact(r["residents"]) for r in rows}
    return suppress_breakdown({r[key]: r["residents"] for r in rows}, total_shown=total_shown)


def _theme_columns(data: dict[str, Any], group_cells: dict[Any, Any]) -> dict[int, dict[Any, Any]]:
    """Public cells of a breakdown's theme columns: theme id → group key → Cell.

    A theme's counts over the groups add up to its total, which the report shows, so each column is a
    breakdown of its own: a cell under the threshold (by residents) or in a hidden group is small, and
    complementary suppression protects it. The table, its CSV and the theme map all use these cells.
    """
    t = threshold_default()
    columns = {}
    for theme in data["themes"]:
        counts = {g["key"]: g["cells"][theme["id"]]["conversations"] for g in data["groups"]}
        small = {
            g["key"]
            for g in data["groups"]
            if group_cells[g["key"]].suppressed or g["cells"][theme["id"]]["residents"] < t
        }
        columns[theme["id"]] = suppress_breakdown(counts, small=small)
    return columns


def _trend_public(trend: dict[str, Any]) -> list[dict[str, Any]]:
    """The trend rows the public may see: each theme's series over the periods adds up to the theme's
    total, so it is suppressed as a breakdown (periods with fewer than 5 conversations are hidden whole)."""
    t = threshold_default()
    series: dict[int, dict[str, dict[str, Any]]] = {}
    for r in trend["rows"]:
        series.setdefault(r["theme_id"], {})[r["period"]] = r
    rows = []
    for by_period in series.values():
        small = {p for p, r in by_period.items() if r["residents"] < t or trend["totals"][p] < t}
        cells = suppress_breakdown({p: r["conversations"] for p, r in by_period.items()}, small=small)
        for p, r in by_period.items():
            if trend["totals"][p] < t:
                continue
            hidden = cells[p].suppressed
            rows.append(
                {
                    **r,
                    "cell": cells[p],
                    "conversations": None if hidden else r["conversations"],
                    "residents": None,
                    "share": None if hidden else r["share"],
                }
            )
    rows.sort(key=lambda r: (r["period"], r["label"]))
    return rows


def _trend_chart(trend: dict[str, Any], themes: set[int]) -> dict[str, Any]:
    values = [
        {"period": r["period"], "label": r["label"], "share": round((r["share"] or 0) * 100, 1)}
        for r in trend["rows"]
        if r["theme_id"] in themes and (r["share"] is not None or r["conversations"] is not None)
    ]
    spec = charts._base(values, _("Theme shares over time"))
    spec.update(
        {
            "height": 220,
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "period",
                    "type": "temporal",
                    "timeUnit": "yearmonthdate",
                    "title": _("Period starting"),
                    "axis": {"format": "%b %d", "labelAngle": 0, "tickCount": 6},
                },
                "y": {"field": "share", "type": "quantitative", "title": _("Share of conversations (%)")},
                "color": {"field": "label", "type": "nominal", "title": _("Theme")},
            },
        }
    )
    return spec


def _themes_section(filters: DashboardFilters, *, public: bool) -> dict[str, Any]:
    overall = theme_shares(filters=filters)
    rows = overall["rows"]
    cells = _cells_for(rows, public=public, key="id", total_shown=False)
    out = []
    for r in rows:
        cell = cells[r["id"]]
        quotes: list[str] = []
        if not cell.suppressed:
            quotes = representative_quotes(filters=filters, theme_id=r["id"], limit=QUOTES_PER_THEME)
        out.append(
            {
                "id": r["id"],
                "label": r["label"],
                "parent_id": r["parent_id"],
                "conversations": None if cell.suppressed else r["conversations"],
                "cell": cell,
                "share": None if cell.suppressed else r["share"],
                "share_display": "—" if cell.suppressed else _pct(r["share"]),
                "url": "" if public else r["url"],
                "quotes": quotes,
            }
        )
    shown = [r for r in out if r["conversations"]]
    chart = charts.bar_chart(
        [{"label": r["label"], "count": r["conversations"]} for r in shown],
        title=_("Themes"),
        label_title=_("Theme"),
        count_title=_("Conversations"),
    )
    return {"total": overall["total"], "rows": out, "chart": chart, "shown": bool(shown)}


def _breakdown_section(filters: DashboardFilters, dimension: str, *, public: bool) -> dict[str, Any]:
    data = breakdown(filters=filters, dimension=dimension)
    groups = data["groups"]
    group_cells = _cells_for(groups, public=public)
    columns = _theme_columns(data, group_cells) if public else {}
    out_groups = []
    for g in groups:
        gcell = group_cells[g["key"]]
        if public and gcell.suppressed:
            continue
        theme_cells = []
        for theme in data["themes"]:
            c = g["cells"][theme["id"]]
            cell = columns[theme["id"]][g["key"]] if public else None
            hidden = cell is not None and cell.suppressed
            theme_cells.append(
                {
                    "theme_id": theme["id"],
                    "display": str(cell) if hidden else _pct(c["share"]),
                    "conversations": None if hidden else c["conversations"],
                    "share": None if hidden else c["share"],
                    "url": "" if public else c["url"],
                }
            )
        distinctive = [
            {**d, "share_display": _pct(d["share"]), "rest_display": _pct(d["share_rest"])}
            for d in g["distinctive"]
            if not public or not columns[d["theme_id"]][g["key"]].suppressed
        ]
        out_groups.append(
            {
                "key": g["key"],
                "label": g["label"],
                "cell": gcell,
                "conversations": g["conversations"],
                "cells": theme_cells,
                "distinctive": distinctive,
            }
        )
    hidden_groups = len(groups) - len(out_groups)
    if dimension == "area":
        hidden_groups += max(0, len(out_groups) - AREA_GROUPS_SHOWN)
        out_groups = out_groups[:AREA_GROUPS_SHOWN]
    return {
        "key": data["key"],
        "label": data["label"],
        "themes": data["themes"],
        "groups": out_groups,
        "hidden_groups": hidden_groups,
    }


def theme_map(
    filters: DashboardFilters, theme: dict[str, Any] | None, *, public: bool
) -> dict[str, Any] | None:
    """Map data (the shape choropleth.reach_map returns) of one theme's share of each neighborhood's
    conversations. In the public version a neighborhood where fewer than 5 residents raised it is grey."""
    if theme is None:
        return None
    data = breakdown(filters=filters, dimension="area")
    t = threshold_default()
    column = _theme_columns(data, _cells_for(data["groups"], public=True))[theme["id"]] if public else {}
    shares: dict[int, tuple[float, int]] = {}
    hidden: set[int] = set()
    for g in data["groups"]:
        if g["key"] == "":
            continue
        cell = g["cells"][theme["id"]]
        if public and column[g["key"]].suppressed:
            hidden.add(g["key"])
        else:
            shares[g["key"]] = (cell["share"] or 0.0, cell["conversations"])
    classes = color_classes([v[0] for v in shares.values() if v[0] > 0])
    values: dict[int, dict[str, str]] = {}
    for area_id in hidden:
        # A complementary cell is not "fewer than 5": it is hidden so that another cannot be worked out.
        small = column[area_id].reason == SMALL
        text = _("fewer than %(n)d residents") % {"n": t} if small else _("not shown")
        values[area_id] = {"c": HIDDEN_COLOR, "t": text}
    for area_id, (value, n) in shares.items():
        values[area_id] = {
            "c": classes.color(value) if value else NONE_COLOR,
            "t": _("%(pct)s of conversations (%(n)s)") % {"pct": share_label(value), "n": n},
        }
    legend = classes.legend()
    legend.append({"color": NONE_COLOR, "label": _("not raised, or no conversations")})
    if public:
        hidden_label = _("fewer than %(n)d residents, or not shown") % {"n": t}
        legend.append({"color": HIDDEN_COLOR, "label": hidden_label})
    return {"values": values, "legend": legend, "theme": theme}


def _reach_section(filters: DashboardFilters, *, public: bool) -> dict[str, Any]:
    data = reach_by_neighborhood(filters=filters)
    rows = data["rows"]
    if public:
        counts = {r["id"]: r["residents_reached"] for r in rows}
        counts[0] = data["not_recorded"]["residents_reached"]
        cells = suppress_breakdown(counts)
    else:
        cells = {r["id"]: _exact(r["residents_reached"]) for r in rows}
    area_cells = {r["id"]: cells[r["id"]] for r in rows}
    reached = sorted((r for r in rows if r["conversations"]), key=lambda r: (-r["conversations"], r["name"]))
    if public:
        # Needs and referrals by area add up to the totals of the summary: areas hidden for their
        # residents, and needs with no area recorded, are hidden cells of those breakdowns too.
        hidden_areas = {r["id"] for r in reached if cells[r["id"]].suppressed} | {0}
        nr = data["not_recorded"]
        need_cells = suppress_breakdown(
            {**{r["id"]: r["needs"] for r in reached}, 0: nr["needs"]}, small=hidden_areas
        )
        referral_cells = suppress_breakdown(
            {**{r["id"]: r["referrals"] for r in reached}, 0: nr["referrals"]}, small=hidden_areas
        )
    else:
        need_cells = {r["id"]: _exact(r["needs"]) for r in reached}
        referral_cells = {r["id"]: _exact(r["referrals"]) for r in reached}
    table = [
        {
            "id": r["id"],
            "code": r["code"],
            "name": r["name"],
            "population": r["population"],
            "conversations": r["conversations"],
            "cell": cells[r["id"]],
            "one_in": None if cells[r["id"]].suppressed else r["one_in"],
            "needs": need_cells[r["id"]],
            "referrals": referral_cells[r["id"]],
            "under_reached": r["under_reached"] and not cells[r["id"]].suppressed,
        }
        for r in reached
        if not public or not cells[r["id"]].suppressed
    ]
    return {
        "rows": table,
        "hidden": len(reached) - len(table),
        "map": reach_map(rows, cells=area_cells if public else None),
        "median_one_in": round(1 / data["median_share"]) if data["median_share"] else None,
        "under_reached": [r for r in table if r["under_reached"]],
        "not_visited": len(data["not_visited"]),
        "areas_total": len(rows),
        "areas_reached": len(reached),
    }


def _equity_section(filters: DashboardFilters, *, public: bool) -> dict[str, Any]:
    languages = reach_by_language(filters=filters)
    for r in languages:
        r["residents"] = r["residents_reached"]
    lang_cells = _cells_for(languages, public=public, key="language")
    demo = reach_by_demographics(filters=filters)
    for part in ("race", "age"):
        rows = demo[part]["rows"]
        cells = _cells_for(rows, public=public)
        for r in rows:
            r["cell"] = cells[r["key"]]
            if r["cell"].suppressed:
                r["share_reached"] = r["representation"] = None
                r["under_represented"] = False
            r["share_reached_display"] = _pct(r["share_reached"])
            r["share_population_display"] = _pct(r["share_population"])
            r["representation_display"] = "—" if r["representation"] is None else f"{r['representation']:.2f}"
        demo[part]["answered_cell"] = (
            suppress_count(demo[part]["answered"]) if public else _exact(demo[part]["answered"])
        )
    return {
        "languages": [
            {**r, "cell": lang_cells[r["language"]]}
            for r in languages
            if not (public and lang_cells[r["language"]].suppressed)
        ],
        "demographics": demo,
    }


def _needs_section(filters: DashboardFilters, *, public: bool) -> dict[str, Any]:
    needs = _by_residents(Need, "", "category", filters)
    referrals = _by_residents(Referral, "need__", "status", filters)
    t = threshold_default()

    def cells_for(rows: list[dict[str, Any]]) -> dict[str, Any]:
        # Hidden by the residents they concern; shown as the number of needs or referrals, which add up to
        # the summary's totals, so complementary suppression works on those numbers.
        if not public:
            return {r["key"]: _exact(r["count"]) for r in rows}
        small = {r["key"] for r in rows if r["residents"] < t}
        return suppress_breakdown({r["key"]: r["count"] for r in rows}, small=small)

    need_cells = cells_for(needs)
    ref_cells = cells_for(referrals)

    def shown(rows: list[dict[str, Any]], cells: dict[str, Any]) -> list[dict[str, Any]]:
        return [{**r, "cell": cells[r["key"]]} for r in rows if not cells[r["key"]].suppressed]

    return {"needs": shown(needs, need_cells), "referrals": shown(referrals, ref_cells)}


def report_build(
    *,
    filters: DashboardFilters,
    public: bool = False,
    trend_period: str = "week",
    map_theme: int | None = None,
) -> dict[str, Any]:
    """Everything the report shows (see the module docstring for what differs in the public version)."""
    reach = _reach_section(filters, public=public)
    needs = _needs_section(filters, public=public)
    # "1 in N" for the whole campaign is against the city's population (its neighborhoods added up).
    population = city_population()
    totals = dashboard_totals(filters=filters, population=population)
    themes = _themes_section(filters, public=public)
    shown_theme_ids = {r["id"] for r in themes["rows"] if r["conversations"]}
    # The theme map shows the chosen theme, else the theme raised most.
    candidates = [r for r in themes["rows"] if r["conversations"]]
    chosen = next((r for r in candidates if r["id"] == map_theme), candidates[0] if candidates else None)
    trend = theme_trend(filters=filters, period=trend_period)
    if public:
        trend["rows"] = _trend_public(trend)
    dims = PUBLIC_DIMENSIONS if public else [d.key for d in DIMENSIONS]
    count = suppress_count if public else _exact
    residents = totals["residents_reached"]
    return {
        "public": public,
        "campaign": filters.campaign,
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "generated_at": timezone.now(),
        "threshold": threshold_default(),
        "summary": {
            "conversations": count(totals["conversations"]),
            "residents": count(residents),
            "one_in": None if (public and residents < threshold_default()) else one_in(population, residents),
            "texts": count(themes["total"]["conversations"]),
            "needs": count(totals["needs"]),
            "referrals": count(totals["referrals"]),
            "areas_reached": reach["areas_reached"],
            "areas_total": reach["areas_total"],
        },
        "reach": reach,
        "themes": themes,
        "theme_map": theme_map(filters, chosen, public=public),
        "map_themes": [{"id": r["id"], "label": r["label"]} for r in candidates],
        "trend": {"chart": _trend_chart(trend, shown_theme_ids), "rows": trend["rows"]},
        "breakdowns": [_breakdown_section(filters, d, public=public) for d in dims],
        "equity": _equity_section(filters, public=public),
        "needs": needs,
    }
