"""What residents talked about: theme shares for a campaign and period, overall and by group, over time, and
what sets each group apart.

Counting unit: a conversation. A conversation "raises" a theme when any of its texts (notes, what matters
most, ideas) has an effective code for it (coding/selectors.effective_codes: analyst codes, accepted codes,
undecided automatic codes above the coder's threshold). A theme's share in a group is the conversations of
the group raising it over the group's conversations with any text; one conversation may raise several
themes, so shares do not add up to 100%. Every count also carries "residents" (distinct identified residents
plus one per anonymous conversation, as in selectors.py), which is what public suppression looks at.

Over-representation: a theme is said to distinguish a group when its share there is at least LIFT_MIN times
its share in the rest of the conversations, at least MIN_COUNT conversations of the group raise it, and a
two-proportion z-test says the difference is unlikely to be chance (z >= Z_MIN, one-sided p < 0.025).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from porchlight.accounts.models import Team
from porchlight.insights.coding.selectors import effective_codes
from porchlight.insights.models import TextItem, Theme, ThemeCode
from porchlight.insights.selectors import DashboardFilters
from porchlight.outreach.models import Channel
from porchlight.people.models import Language, Resident
from porchlight.places.models import Area

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LIFT_MIN = 1.25
MIN_COUNT = 5
Z_MIN = 1.96
NOT_RECORDED = ""


@dataclass(frozen=True)
class Dimension:
    """A way to split conversations into groups: the path to the group in a TextItem query, and labels."""

    key: str
    label: StrOrPromise
    path: str  # from TextItem
    labels: Callable[[list], dict]
    # The notes-review page's query parameter for this group, when it can filter by it.
    notes_param: str = ""


def _choices(choices: Sequence[tuple[str, StrOrPromise]]) -> Callable[[list], dict]:
    return lambda keys: {k: str(v) for k, v in choices}


def _area_labels(keys: list) -> dict:
    return dict(Area.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))


def _team_labels(keys: list) -> dict:
    return dict(Team.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))


DIMENSIONS = [
    Dimension("area", gettext_lazy("Neighborhood"), "conversation__area_id", _area_labels, "area"),
    Dimension(
        "channel", gettext_lazy("Channel"), "conversation__channel", _choices(Channel.choices), "channel"
    ),
    Dimension("language", gettext_lazy("Language"), "language", _choices(Language.choices), "language"),
    Dimension("team", gettext_lazy("Team"), "conversation__team_id", _team_labels),
    Dimension(
        "age_range",
        gettext_lazy("Age range"),
        "conversation__resident__age_range",
        _choices(Resident.AgeRange.choices),
    ),
    Dimension(
        "gender", gettext_lazy("Gender"), "conversation__resident__gender", _choices(Resident.Gender.choices)
    ),
    Dimension(
        "race_ethnicity",
        gettext_lazy("Race or ethnicity"),
        "conversation__resident__race_ethnicity",
        _choices(Resident.RaceEthnicity.choices),
    ),
]
DIMENSIONS_BY_KEY = {d.key: d for d in DIMENSIONS}


def _reach(prefix: str) -> dict:
    """Conversations and residents (identified + anonymous conversations) in one aggregate."""
    convo = f"{prefix}conversation"
    return {
        "conversations": Count(convo, distinct=True),
        "identified": Count(f"{convo}__resident", distinct=True),
        "anonymous": Count(convo, distinct=True, filter=Q(**{f"{convo}__resident__isnull": True})),
    }


def _counts(row: Mapping[str, Any]) -> dict:
    return {"conversations": row["conversations"], "residents": row["identified"] + row["anonymous"]}


def text_items(filters: DashboardFilters) -> QuerySet[TextItem]:
    """The resident texts of the campaign and period (empty texts left out)."""
    return TextItem.objects.filter(filters.conversation_q("conversation__")).exclude(text="").order_by()


def _codes(items: QuerySet[TextItem]) -> QuerySet[ThemeCode]:
    return effective_codes(items).filter(theme__is_active=True).order_by()


def theme_name(theme: Mapping[str, Any]) -> str:
    return theme["name_es"] if get_language() == "es" and theme.get("name_es") else theme["name"]


def themes_of(filters: DashboardFilters) -> list[dict]:
    """The campaign's active themes (sub-themes included), in codebook order."""
    if filters.campaign is None:
        return []
    rows = Theme.objects.filter(campaign=filters.campaign, is_active=True).values(
        "id", "name", "name_es", "parent_id"
    )
    return [{**r, "label": theme_name(r)} for r in rows]


def notes_url(filters: DashboardFilters, **params: object) -> str:
    """The notes-review page filtered to the notes behind a figure (staff only)."""
    if filters.campaign is None:
        return ""
    base = reverse("insights:notes_review", args=[filters.campaign.pk])
    query: dict[str, Any] = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def theme_shares(*, filters: DashboardFilters) -> dict:
    """Overall: {"total": {conversations, residents}, "rows": [{theme..., conversations, residents, share}]}
    with every active theme, largest first."""
    items = text_items(filters)
    total = _counts(items.aggregate(**_reach("")))
    per_theme = {
        r["theme_id"]: _counts(r) for r in _codes(items).values("theme_id").annotate(**_reach("item__"))
    }
    rows = []
    for theme in themes_of(filters):
        c = per_theme.get(theme["id"], {"conversations": 0, "residents": 0})
        rows.append(
            {
                **theme,
                **c,
                "share": share(c["conversations"], total["conversations"]),
                "url": notes_url(filters, theme=theme["id"]),
            }
        )
    rows.sort(key=lambda r: (-r["conversations"], r["label"]))
    return {"total": total, "rows": rows}


def z_two_proportions(x1: int, n1: int, x2: int, n2: int) -> float:
    """The z statistic of p1 - p2 under the pooled null hypothesis (0 when it cannot be computed)."""
    if not n1 or not n2:
        return 0.0
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 0.0 if se == 0 else (x1 / n1 - x2 / n2) / se


def _group_counts(items: QuerySet[TextItem], dim: Dimension) -> dict[object, dict[str, int]]:
    """Conversations and residents of each group (with text)."""
    group_rows = items.values(dim.path).annotate(**_reach(""))
    groups = {(r[dim.path] or NOT_RECORDED): _counts(r) for r in group_rows}
    # Rows with a null and an empty value both mean "not recorded": add them up.
    if len(groups) < len(group_rows):
        groups = {}
        for r in group_rows:
            key = r[dim.path] or NOT_RECORDED
            g = groups.setdefault(key, {"conversations": 0, "residents": 0})
            for name, value in _counts(r).items():
                g[name] += value
    return groups


def _cell_counts(items: QuerySet[TextItem], dim: Dimension) -> dict[object, dict[int, dict]]:
    """Group → theme id → conversations and residents of the group raising the theme."""
    code_rows = _codes(items).values("theme_id", f"item__{dim.path}").annotate(**_reach("item__"))
    cells: dict[object, dict[int, dict]] = {}
    for r in code_rows:
        key = r[f"item__{dim.path}"] or NOT_RECORDED
        cell = cells.setdefault(key, {}).setdefault(r["theme_id"], {"conversations": 0, "residents": 0})
        for name, value in _counts(r).items():
            cell[name] += value
    return cells


def _distinctive(theme: dict, c: dict, g: dict, *, total: int, theme_total: int, url: str) -> dict | None:
    """The theme, if it sets the group apart from the rest of the conversations (see the module docstring)."""
    rest_n = total - g["conversations"]
    rest_x = theme_total - c["conversations"]
    p_group = share(c["conversations"], g["conversations"]) or 0.0
    p_rest = share(rest_x, rest_n)
    if p_rest is None or c["conversations"] < MIN_COUNT:
        return None
    lift = p_group / p_rest if p_rest else math.inf
    z = z_two_proportions(c["conversations"], g["conversations"], rest_x, rest_n)
    if lift < LIFT_MIN or z < Z_MIN:
        return None
    return {
        "theme_id": theme["id"],
        "label": theme["label"],
        "share": p_group,
        "share_rest": p_rest,
        "lift": lift,
        "z": z,
        "url": url,
    }


def breakdown(*, filters: DashboardFilters, dimension: str) -> dict:
    """Theme shares in each group of one dimension, and the themes that distinguish each group.

    Returns {"key", "label", "themes": [...], "groups": [{"key", "label", "conversations", "residents",
    "cells": {theme_id: {conversations, residents, share, url}}, "distinctive": [{theme, share,
    share_rest, lift, z}]}]}. Groups are largest first; "not recorded" is a group of its own (key "").
    """
    dim = DIMENSIONS_BY_KEY[dimension]
    items = text_items(filters)
    themes = themes_of(filters)
    groups = _group_counts(items, dim)
    cells = _cell_counts(items, dim)
    total = sum(g["conversations"] for g in groups.values())
    theme_totals = {
        t["id"]: sum(cells.get(k, {}).get(t["id"], {}).get("conversations", 0) for k in groups)
        for t in themes
    }
    labels = dim.labels(list(groups))
    out: list[dict[str, Any]] = []
    for key, g in groups.items():
        row_cells = {}
        distinctive = []
        for theme in themes:
            c = cells.get(key, {}).get(theme["id"], {"conversations": 0, "residents": 0})
            params = {"theme": theme["id"]}
            if dim.notes_param and key != NOT_RECORDED:
                params[dim.notes_param] = key
            url = notes_url(filters, **params)
            row_cells[theme["id"]] = {**c, "share": share(c["conversations"], g["conversations"]), "url": url}
            found = _distinctive(theme, c, g, total=total, theme_total=theme_totals[theme["id"]], url=url)
            if found is not None:
                distinctive.append(found)
        distinctive.sort(key=lambda d: (-d["lift"], d["label"]))
        out.append(
            {
                "key": key,
                "label": _("Not recorded") if key == NOT_RECORDED else str(labels.get(key, key)),
                **g,
                "cells": row_cells,
                "distinctive": distinctive,
            }
        )
    out.sort(key=lambda r: (r["key"] == NOT_RECORDED, -r["conversations"], r["label"]))
    return {"key": dim.key, "label": str(dim.label), "themes": themes, "groups": out}


def theme_trend(*, filters: DashboardFilters, period: str = "week") -> dict:
    """Theme shares per week or month: {"periods": [iso date...], "rows": [{period, theme_id, label,
    conversations, residents, share}]} (periods with text only)."""
    trunc = {"week": TruncWeek, "month": TruncMonth}[period]
    items = text_items(filters).annotate(period=trunc("conversation__held_at"))
    totals: dict[str, int] = {}
    for r in items.values("period").annotate(n=Count("conversation", distinct=True)):
        key = r["period"].date().isoformat() if hasattr(r["period"], "date") else str(r["period"])
        totals[key] = totals.get(key, 0) + r["n"]
    codes = _codes(items).annotate(period=trunc("item__conversation__held_at"))
    counts: dict[tuple[str, int], dict] = {}
    for code in codes.values("period", "theme_id").annotate(**_reach("item__")):
        key = code["period"].date().isoformat() if hasattr(code["period"], "date") else str(code["period"])
        c = counts.setdefault((key, code["theme_id"]), {"conversations": 0, "residents": 0})
        for name, value in _counts(code).items():
            c[name] += value
    themes = themes_of(filters)
    none = {"conversations": 0, "residents": 0}
    rows = [
        {
            "period": p,
            "theme_id": t["id"],
            "label": t["label"],
            **counts.get((p, t["id"]), none),
            "share": share(counts.get((p, t["id"]), none)["conversations"], totals[p]),
        }
        for p in sorted(totals)
        for t in themes
    ]
    return {"periods": sorted(totals), "totals": totals, "rows": rows}


def representative_quotes(
    *, filters: DashboardFilters, theme_id: int, limit: int = 3, max_chars: int = 280
) -> list[str]:
    """Scrubbed quotes for a theme: its most confidently coded texts (analyst codes first), short enough to
    read, each once. Only `text_scrubbed` is ever returned, never the raw text."""
    codes = (
        _codes(text_items(filters))
        .filter(theme_id=theme_id)
        .exclude(item__text_scrubbed="")
        .order_by("-source", "-confidence", "item_id")  # "analyst" sorts after "auto": reversed puts it first
        .values_list("item__text_scrubbed", "item__conversation_id")[: limit * 20]
    )
    quotes: list[str] = []
    seen: set[int] = set()
    said: set[str] = set()
    for text, conversation_id in codes:
        text = " ".join(text.split())
        # One quote per conversation, and no quote twice (residents and templates repeat phrases).
        if conversation_id in seen or text.lower() in said or len(text) < 20 or len(text) > max_chars:
            continue
        seen.add(conversation_id)
        said.add(text.lower())
        quotes.append(text)
        if len(quotes) >= limit:
            break
    return quotes
