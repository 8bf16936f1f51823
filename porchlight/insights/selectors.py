"""Reads for the dashboard and the public summary: aggregates computed in the database.

Every function takes a `DashboardFilters` and returns plain dicts/lists (no model instances of residents), so
the same numbers feed the staff dashboard, its CSV export and the public page. None loops over conversations
in Python: each is one `values().annotate()` / `aggregate()` query; the only Python loops are over the
aggregated rows (weeks, channels, areas).

"Residents reached" is an estimate: distinct identified residents plus one person per anonymous
conversation (a conversation with no resident record). It can over-count a person who spoke anonymously twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from porchlight.cases.models import Referral
from porchlight.insights.geometry import area_parent_map
from porchlight.outreach.models import Campaign, Channel, Conversation, Need, NeedCategory
from porchlight.people.models import Language
from porchlight.places.models import Area

NOT_RECORDED = "__none__"


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard is looking at: one campaign (or all), a date range and how to group areas."""

    campaign: Campaign | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # Conversations carry a neighborhood; council districts and ZIP codes are reached through the
    # neighborhood's representative point (see insights/geometry.py).
    area_kind: str = Area.Kind.NEIGHBORHOOD

    def conversation_q(self, prefix: str = "") -> Q:
        """The filter on conversations, optionally reached through a relation (`prefix="conversation__"`)."""
        q = Q()
        if self.campaign is not None:
            q &= Q(**{f"{prefix}campaign": self.campaign})
        tz = timezone.get_current_timezone()
        if self.date_from is not None:
            start = dt.datetime.combine(self.date_from, dt.time.min, tzinfo=tz)
            q &= Q(**{f"{prefix}held_at__gte": start})
        if self.date_to is not None:
            end = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
            q &= Q(**{f"{prefix}held_at__lt": end})
        return q


def conversations_for(filters: DashboardFilters) -> QuerySet[Conversation]:
    return Conversation.objects.filter(filters.conversation_q()).order_by()


def one_in(population: int | None, reached: int) -> int | None:
    """'1 in N residents': N = population / reached, rounded; None when it can't be said."""
    if not population or reached <= 0:
        return None
    return max(1, round(population / reached))


def _reach_counts() -> dict[str, Any]:
    return {
        "conversations": Count("id"),
        "identified": Count("resident", distinct=True),
        "anonymous": Count("id", filter=Q(resident__isnull=True)),
    }


def dashboard_totals(
    *,
    filters: DashboardFilters,
    population: int | None = None,
    needs: list[dict[str, Any]] | None = None,
    referrals: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Conversations, residents reached (estimate), 1 in N of `population`, needs and referrals."""
    convo = conversations_for(filters).aggregate(**_reach_counts())
    reached = convo["identified"] + convo["anonymous"]
    needs = needs_by_category(filters=filters) if needs is None else needs
    referrals = referrals_by_status(filters=filters) if referrals is None else referrals
    return {
        "conversations": convo["conversations"],
        "residents_identified": convo["identified"],
        "conversations_anonymous": convo["anonymous"],
        "residents_reached": reached,
        "population": population,
        "one_in": one_in(population, reached),
        "needs": sum(r["count"] for r in needs),
        "referrals": sum(r["count"] for r in referrals),
        "referrals_resolved": next(
            (r["count"] for r in referrals if r["status"] == Referral.Status.RESOLVED), 0
        ),
    }


def conversations_over_time(*, filters: DashboardFilters) -> list[dict[str, Any]]:
    """Conversations per week (weeks start on Monday, in the city's time zone); empty weeks are included."""
    rows = (
        conversations_for(filters)
        .annotate(week=TruncWeek("held_at"))
        .values("week")
        .annotate(count=Count("id"))
        .order_by("week")
    )
    by_week: dict[dt.date, int] = {}
    for row in rows:
        week = row["week"]
        week = week.date() if isinstance(week, dt.datetime) else week
        by_week[week] = by_week.get(week, 0) + row["count"]
    if not by_week:
        return []
    week, last, out = min(by_week), max(by_week), []
    while week <= last:
        out.append({"week": week.isoformat(), "count": by_week.get(week, 0)})
        week += dt.timedelta(days=7)
    return out


def _labelled(rows: Iterable[Mapping[str, Any]], key: str, labels: dict[str, Any]) -> list[dict[str, Any]]:
    return [{key: r[key], "label": str(labels.get(r[key], r[key])), "count": r["count"]} for r in rows]


def conversations_by_channel(*, filters: DashboardFilters) -> list[dict[str, Any]]:
    rows = (
        conversations_for(filters).values("channel").annotate(count=Count("id")).order_by("-count", "channel")
    )
    return _labelled(rows, "channel", dict(Channel.choices))


def conversations_by_language(*, filters: DashboardFilters) -> list[dict[str, Any]]:
    rows = (
        conversations_for(filters)
        .values("language")
        .annotate(count=Count("id"))
        .order_by("-count", "language")
    )
    return _labelled(rows, "language", dict(Language.choices))


def top_topics(*, filters: DashboardFilters, limit: int = 10) -> list[dict[str, Any]]:
    """Topics most raised: how many conversations touched each (one conversation may raise several)."""
    through = Conversation.topics.through
    rows = (
        through.objects.filter(filters.conversation_q("conversation__"))
        .values("topic_id", "topic__name", "topic__name_es")
        .annotate(count=Count("conversation_id"))
        .order_by("-count", "topic__name")[:limit]
    )
    return [
        {
            "topic_id": r["topic_id"],
            "name": r["topic__name"],
            "name_es": r["topic__name_es"],
            "count": r["count"],
        }
        for r in rows
    ]


def needs_by_category(*, filters: DashboardFilters) -> list[dict[str, Any]]:
    """Needs found in the filtered conversations (needs logged outside a conversation are not counted)."""
    rows = (
        Need.objects.filter(filters.conversation_q("conversation__"))
        .values("category")
        .annotate(count=Count("id"))
        .order_by("-count", "category")
    )
    return _labelled(rows, "category", dict(NeedCategory.choices))


def referrals_by_status(*, filters: DashboardFilters) -> list[dict[str, Any]]:
    """Referrals made for needs found in the filtered conversations, by where they stand now."""
    rows = (
        Referral.objects.filter(filters.conversation_q("need__conversation__"))
        .values("status")
        .annotate(count=Count("id"))
        .order_by("status")
    )
    order = list(Referral.Status.values)
    out = _labelled(rows, "status", dict(Referral.Status.choices))
    return sorted(out, key=lambda r: order.index(r["status"]) if r["status"] in order else len(order))


def areas_of_kind(kind: str) -> list[dict[str, Any]]:
    """The areas of one kind with their population (no geometry: that is served separately, cached)."""
    return [
        dict(a)
        for a in Area.objects.filter(kind=kind).values("id", "code", "name", "population").order_by("name")
    ]


def reach_by_area(*, filters: DashboardFilters, areas: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Conversations and residents reached per area of `filters.area_kind`, with population and 1 in N.

    Returns {"rows": [...every area, reached or not, by name...], "not_recorded": {...}, "population": int}.
    For council districts and ZIP codes, the neighborhood figures are added up through each neighborhood's
    representative point; an identified resident who spoke in two neighborhoods of one district counts twice.
    """
    kind = filters.area_kind
    if areas is None:
        areas = areas_of_kind(kind)
    rows = conversations_for(filters).values("area_id").annotate(**_reach_counts())
    per_neighborhood: dict[int | None, Mapping[str, Any]] = {r["area_id"]: r for r in rows}
    parent = None if kind == Area.Kind.NEIGHBORHOOD else area_parent_map(kind)
    totals: dict[object, dict[str, int]] = {}
    for area_id, r in per_neighborhood.items():
        target = area_id if parent is None or area_id is None else parent.get(area_id)
        key = NOT_RECORDED if target is None else target
        t = totals.setdefault(key, {"conversations": 0, "identified": 0, "anonymous": 0})
        for name in t:
            t[name] += r[name]
    out = []
    for area in areas:
        t = totals.get(area["id"], {"conversations": 0, "identified": 0, "anonymous": 0})
        reached = t["identified"] + t["anonymous"]
        out.append(
            {
                **area,
                "conversations": t["conversations"],
                "residents_reached": reached,
                "one_in": one_in(area["population"], reached),
                "share": (reached / area["population"]) if area["population"] else None,
            }
        )
    nr = totals.get(NOT_RECORDED, {"conversations": 0, "identified": 0, "anonymous": 0})
    return {
        "rows": out,
        "not_recorded": {
            "conversations": nr["conversations"],
            "residents_reached": nr["identified"] + nr["anonymous"],
        },
        "population": sum(a["population"] or 0 for a in areas) or None,
    }


def latest_campaign(*, today: dt.date | None = None) -> Campaign | None:
    """The current campaign (started most recently, not in the future), else the most recent one."""
    today = today or timezone.localdate()
    started = Campaign.objects.filter(start_date__lte=today).order_by("-start_date", "-id").first()
    return started or Campaign.objects.order_by("-start_date", "-id").first()


def dashboard_data(*, filters: DashboardFilters) -> dict[str, Any]:
    """Everything the staff dashboard shows, in one call (about ten queries whatever the data size)."""
    areas = areas_of_kind(filters.area_kind)
    by_area = reach_by_area(filters=filters, areas=areas)
    # "1 in N" for the whole city is against the city's population, which the neighborhoods add up to.
    population = by_area["population"] if filters.area_kind == Area.Kind.NEIGHBORHOOD else city_population()
    needs = needs_by_category(filters=filters)
    referrals = referrals_by_status(filters=filters)
    return {
        "totals": dashboard_totals(filters=filters, population=population, needs=needs, referrals=referrals),
        "over_time": conversations_over_time(filters=filters),
        "by_channel": conversations_by_channel(filters=filters),
        "by_language": conversations_by_language(filters=filters),
        "by_area": by_area,
        "topics": top_topics(filters=filters),
        "needs": needs,
        "referrals": referrals,
    }


def city_population() -> int | None:
    """The city's population: the sum over its neighborhoods."""
    total: int | None = Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).aggregate(p=Sum("population"))["p"]
    return total
