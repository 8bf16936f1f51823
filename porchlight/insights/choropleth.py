"""Classes, colours and legend for the reach map, decided on the server so the map script stays dumb."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from porchlight.ui.suppression import Cell

# A sequential light-to-dark blue ramp (USWDS blue family); dark enough at the top for contrast with white.
COLORS = ["#d9e8f6", "#aacdec", "#73b3e7", "#2378c3", "#0b4778"]
NONE_COLOR = "#f0f0f0"
HIDDEN_COLOR = "#a9aeb1"


def share_label(x: float) -> str:
    value = x * 100
    return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"


def _breaks(shares: list[float], n: int) -> list[float]:
    """Upper bounds of n classes at the quantiles of the shares (fewer classes when values repeat)."""
    ordered = sorted(shares)
    bounds: list[float] = []
    for i in range(1, n + 1):
        b = ordered[min(len(ordered) - 1, max(0, round(i * len(ordered) / n) - 1))]
        if not bounds or b > bounds[-1]:
            bounds.append(b)
    return bounds


@dataclass(frozen=True)
class Classes:
    """Classes of positive shares at their quantiles, each with a colour of the light-to-dark ramp. The one
    classing every map uses (reach, and the report's theme map), so their colours and legends read alike."""

    bounds: list[float]
    colors: list[str]

    def color(self, share: float) -> str:
        return next((c for c, b in zip(self.colors, self.bounds, strict=True) if share <= b), self.colors[-1])

    def legend(self) -> list[dict[str, str]]:
        legend = []
        low: float | None = None
        for color, b in zip(self.colors, self.bounds, strict=True):
            label = (
                _("up to %(pct)s") % {"pct": share_label(b)}
                if low is None
                else f"{share_label(low)}–{share_label(b)}"
            )
            legend.append({"color": color, "label": label})
            low = b
        return legend


def color_classes(shares: list[float]) -> Classes:
    bounds = _breaks(shares, len(COLORS)) if shares else []
    return Classes(bounds=bounds, colors=COLORS[len(COLORS) - len(bounds) :] if bounds else [])


def reach_map(rows: list[dict], *, cells: dict[int, Cell] | None = None) -> dict:
    """Map data: {"values": {area_id: {"c": colour, "t": tooltip}}, "legend": [{"color", "label"}]}.

    `rows` come from selectors.reach_by_area. With `cells` (the public page's suppressed counts), an area
    whose count is suppressed is drawn in the "hidden" colour and its share is never revealed.
    """
    shown = [r for r in rows if r["share"] and (cells is None or not cells[r["id"]].suppressed)]
    classes = color_classes([r["share"] for r in shown])
    values: dict[int, dict[str, str]] = {}
    for r in rows:
        if cells is not None and cells[r["id"]].suppressed:
            values[r["id"]] = {
                "c": HIDDEN_COLOR,
                "t": _("%(n)s residents reached") % {"n": cells[r["id"]].display},
            }
            continue
        reached = r["residents_reached"]
        text = ngettext("%(n)s resident reached", "%(n)s residents reached", reached) % {
            "n": intcomma(reached)
        }
        if r["one_in"]:
            text += " · " + _("1 in %(n)s residents") % {"n": intcomma(r["one_in"])}
        if not reached:
            color = NONE_COLOR
        elif not r["share"]:
            color = HIDDEN_COLOR if cells is not None else NONE_COLOR
        else:
            color = classes.color(r["share"])
        values[r["id"]] = {"c": color, "t": text}
    legend = classes.legend()
    if cells is not None:
        legend.append(
            {
                "color": HIDDEN_COLOR,
                "label": _("fewer than %(n)d residents, or not shown")
                % {"n": next(iter(cells.values())).threshold if cells else 5},
            }
        )
    else:
        legend.append({"color": NONE_COLOR, "label": _("not reached")})
    return {"values": values, "legend": legend}
