"""Template-ready data for the dashboard and the public summary: selectors' numbers, charts and map data.

Kept out of views.py so the views stay thin and the public page's suppression is testable without HTTP.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from porchlight.insights.choropleth import reach_map
from porchlight.insights.selectors import (
    DashboardFilters,
    dashboard_data,
    dashboard_totals,
    needs_by_category,
    reach_by_area,
    referrals_by_status,
    top_topics,
)
from porchlight.outreach.models import Campaign
from porchlight.places.models import Area
from porchlight.ui import charts
from porchlight.ui.suppression import suppress_breakdown, suppress_count

NOT_RECORDED_KEY = 0  # area ids start at 1, so 0 can stand for "no area recorded" in a breakdown


def topic_name(row: dict) -> str:
    return row["name_es"] if get_language() == "es" and row.get("name_es") else row["name"]


def _chart(key: str, title: str, spec: dict, columns: list[str], rows: list[list]) -> dict:
    return {
        "id": f"chart-{key}",
        "spec_id": f"chart-{key}-spec",
        "title": title,
        "spec": spec,
        "columns": columns,
        "rows": rows,
    }


def _charts(data: dict) -> list[dict]:
    """The dashboard's charts, each with its figures as a table (columns and rows)."""
    topics = [{"label": topic_name(r), "count": r["count"]} for r in data["topics"]]
    count = _("Conversations")
    return [
        _chart(
            "weekly",
            _("Conversations per week"),
            charts.weekly_chart(data["over_time"]),
            [_("Week starting"), count],
            [[r["week"], r["count"]] for r in data["over_time"]],
        ),
        _chart(
            "channel",
            _("Conversations by channel"),
            charts.bar_chart(
                data["by_channel"], title=_("By channel"), label_title=_("Channel"), count_title=count
            ),
            [_("Channel"), count],
            [[r["label"], r["count"]] for r in data["by_channel"]],
        ),
        _chart(
            "language",
            _("Conversations by language"),
            charts.bar_chart(
                data["by_language"], title=_("By language"), label_title=_("Language"), count_title=count
            ),
            [_("Language"), count],
            [[r["label"], r["count"]] for r in data["by_language"]],
        ),
        _chart(
            "topics",
            _("Topics most raised"),
            charts.bar_chart(topics, title=_("Topics"), label_title=_("Topic"), count_title=count),
            [_("Topic"), count],
            [[r["label"], r["count"]] for r in topics],
        ),
        _chart(
            "needs",
            _("Needs found, by category"),
            charts.bar_chart(data["needs"], title=_("Needs"), label_title=_("Need"), count_title=_("Needs")),
            [_("Need"), _("Needs")],
            [[r["label"], r["count"]] for r in data["needs"]],
        ),
        _chart(
            "referrals",
            _("Referrals, by status"),
            charts.bar_chart(
                data["referrals"], title=_("Referrals"), label_title=_("Status"), count_title=_("Referrals")
            ),
            [_("Status"), _("Referrals")],
            [[r["label"], r["count"]] for r in data["referrals"]],
        ),
    ]


def dashboard_page(*, filters: DashboardFilters) -> dict:
    """Everything the staff dashboard's results fragment renders."""
    data = dashboard_data(filters=filters)
    chart_list = _charts(data)
    by_area = data["by_area"]
    reached = sorted(
        (r for r in by_area["rows"] if r["conversations"]), key=lambda r: (-r["conversations"], r["name"])
    )
    return {
        "totals": data["totals"],
        "charts": chart_list,
        "area_rows": reached,
        "areas_total": len(by_area["rows"]),
        "not_recorded": by_area["not_recorded"],
        "map": reach_map(by_area["rows"]),
        "area_kind": filters.area_kind,
        "area_kind_label": dict(Area.Kind.choices).get(filters.area_kind, ""),
    }


def public_summary_page(*, campaign: Campaign | None) -> dict:
    """The public page's numbers, every one of them through suppression (docs/dashboard.md)."""
    if campaign is None:
        return {"campaign": None}
    filters = DashboardFilters(campaign=campaign, area_kind=Area.Kind.NEIGHBORHOOD)
    by_area = reach_by_area(filters=filters)
    needs = needs_by_category(filters=filters)
    referrals = referrals_by_status(filters=filters)
    totals = dashboard_totals(
        filters=filters, population=by_area["population"], needs=needs, referrals=referrals
    )
    residents = suppress_count(totals["residents_reached"])
    # Neighborhood breakdown of residents reached, with "no neighborhood recorded" as a cell of its own so
    # that the cells add up to (about) the public total, and complementary suppression protects them.
    counts = {r["id"]: r["residents_reached"] for r in by_area["rows"]}
    counts[NOT_RECORDED_KEY] = by_area["not_recorded"]["residents_reached"]
    cells = suppress_breakdown(counts)
    shown_rows = [
        {"name": r["name"], "cell": cells[r["id"]], "one_in": r["one_in"]}
        for r in by_area["rows"]
        if not cells[r["id"]].suppressed
    ]
    hidden = sum(1 for r in by_area["rows"] if cells[r["id"]].suppressed)
    topic_rows = top_topics(filters=filters)
    topic_cells = suppress_breakdown({r["topic_id"]: r["count"] for r in topic_rows}, total_shown=False)
    area_cells = {r["id"]: cells[r["id"]] for r in by_area["rows"]}
    return {
        "campaign": campaign,
        "conversations": suppress_count(totals["conversations"]),
        "residents": residents,
        "one_in": None if residents.suppressed else totals["one_in"],
        "neighborhoods_reached": sum(1 for r in by_area["rows"] if r["conversations"]),
        "neighborhoods_total": len(by_area["rows"]),
        "needs": suppress_count(totals["needs"]),
        "referrals": suppress_count(totals["referrals"]),
        "topics": [{"name": topic_name(r), "cell": topic_cells[r["topic_id"]]} for r in topic_rows],
        "area_rows": shown_rows,
        "areas_hidden": hidden,
        "not_recorded": cells[NOT_RECORDED_KEY] if counts[NOT_RECORDED_KEY] else None,
        "map": reach_map(by_area["rows"], cells=area_cells),
    }
