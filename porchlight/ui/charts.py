"""Vega-Lite specs built as plain dicts (rendered in the browser by vega-embed, SVG renderer).

Kept as dicts rather than altair charts: the specs are small, and this keeps a dependency out.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
BLUE = "#005ea2"  # USWDS primary
FONT = "Source Sans Pro Web, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif"


def _base(values: list[dict], title: str) -> dict:
    return {
        "$schema": SCHEMA,
        "description": title,
        "data": {"values": values},
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 160},
            "view": {"stroke": None},
        },
    }


def weekly_chart(values: list[dict]) -> dict:
    """Conversations per week: an area under a line, with the week's start date on the x axis."""
    spec = _base(values, _("Conversations per week"))
    spec.update(
        {
            "height": 200,
            "mark": {
                "type": "area",
                "color": "#d9e8f6",
                "line": {"color": BLUE, "strokeWidth": 2},
                "point": {"color": BLUE, "size": 30},
                "tooltip": True,
            },
            "encoding": {
                "x": {
                    "field": "week",
                    "type": "temporal",
                    "timeUnit": "yearmonthdate",
                    "title": _("Week starting"),
                    "axis": {"format": "%b %d", "labelAngle": 0, "tickCount": 6},
                },
                "y": {"field": "count", "type": "quantitative", "title": _("Conversations")},
                "tooltip": [
                    {
                        "field": "week",
                        "type": "temporal",
                        "timeUnit": "yearmonthdate",
                        "title": _("Week starting"),
                    },
                    {"field": "count", "type": "quantitative", "title": _("Conversations"), "format": ","},
                ],
            },
        }
    )
    return spec


def bar_chart(values: list[dict], *, title: str, label_title: str, count_title: str) -> dict:
    """A horizontal bar chart of `label` against `count`, largest first."""
    spec = _base(values, title)
    spec.update(
        {
            "height": {"step": 24},
            "mark": {"type": "bar", "color": BLUE, "tooltip": True},
            "encoding": {
                "y": {"field": "label", "type": "nominal", "sort": "-x", "title": None},
                "x": {"field": "count", "type": "quantitative", "title": count_title},
                "tooltip": [
                    {"field": "label", "type": "nominal", "title": label_title},
                    {"field": "count", "type": "quantitative", "title": count_title, "format": ","},
                ],
            },
        }
    )
    return spec
