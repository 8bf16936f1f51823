"""Field outreach progress figures: doors knocked, contacts, conversations, contact rate and referrals, per
campaign, turf, team and worker, per week; and the coverage map of doors attempted against doors targeted.

Everything is counted in the database (values/annotate); a page costs a fixed number of queries whatever the
size of the campaign. The definitions (also shown on the page and in docs/field-outreach-progress.md):

- attempts: Attempt rows of the campaign (door knocks and calls).
- doors knocked: distinct door targets with at least one door attempt.
- contacts: attempts where someone answered: refused, language barrier, call back later, conversation held.
  (Moved and wrong number are not contacts: we did not reach the resident we meant to reach.)
- contact rate: contacts / attempts.
- conversations: Conversation rows of the campaign (by held_by and their team), plus attempts marked
  "conversation held" that have no Conversation linked (so that a conversation is never counted twice).
- referrals made: Referral rows whose need's conversation is in the campaign (by the conversation's worker and
  team; per week by the day the referral was made).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import Floor, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.insights.progress.selectors import ProgressScope
from porchlight.outreach.models import Attempt, Outcome, Target, Turf
from porchlight.ui.charts import FONT, SCHEMA

CONTACT_OUTCOMES = (Outcome.REFUSED, Outcome.LANGUAGE_BARRIER, Outcome.CALL_BACK, Outcome.CONVERSATION)
# Above this many doors the coverage map shows a grid of cells (each the share of its doors attempted)
# rather than one marker per door: a browser draws 5,000 SVG circles comfortably, not 500,000.
MAP_POINT_CAP = 5000
MAP_GRID_CELLS = 70  # cells along the longer side of the doors' bounding box when aggregating

_CONTACT_Q = Q(outcome__in=CONTACT_OUTCOMES)
_ATTEMPT_ONLY_CONVERSATION_Q = Q(outcome=Outcome.CONVERSATION, conversation__isnull=True)
_DOOR_TARGET_Q = Q(channel="door", target__isnull=False)


def _attempt_counts() -> dict:
    return {
        "attempts": Count("id"),
        "contacts": Count("id", filter=_CONTACT_Q),
        "doors_knocked": Count("target", filter=_DOOR_TARGET_Q, distinct=True),
        "attempt_only_conversations": Count("id", filter=_ATTEMPT_ONLY_CONVERSATION_Q),
    }


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


def percent(part: int, whole: int) -> int | None:
    """part / whole as a whole percentage, halves rounded up (5 of 8 is 63%), or None for 0 / 0."""
    return (200 * part + whole) // (2 * whole) if whole else None


def _finish(row: dict) -> dict:
    row["conversations"] = row.get("conversations", 0) + row.pop("attempt_only_conversations", 0)
    row["contact_rate"] = rate(row["contacts"], row["attempts"])
    row["contact_rate_pct"] = percent(row["contacts"], row["attempts"])
    return row


_ZERO = {"attempts": 0, "contacts": 0, "doors_knocked": 0, "attempt_only_conversations": 0}


def progress_totals(*, scope: ProgressScope) -> dict:
    """The summary cards: four queries."""
    row = dict(scope.attempts().aggregate(**_attempt_counts()))
    row["conversations"] = scope.conversations().count()
    row["referrals"] = scope.referrals().count()
    row["doors_targeted"] = scope.door_targets().count()
    row["door_coverage"] = rate(row["doors_knocked"], row["doors_targeted"])
    row["door_coverage_pct"] = percent(row["doors_knocked"], row["doors_targeted"])
    return _finish(row)


def _week(value: dt.date | dt.datetime) -> dt.date:
    # SQLite hands back datetimes for TruncWeek, PostgreSQL too but in the current time zone: keep the day.
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def progress_weekly(*, scope: ProgressScope) -> list[dict]:
    """One row per week (Monday, city time zone) from the first to the last week with any work; empty weeks
    included. Doors knocked in a week counts the doors knocked that week, so weeks do not add up to the total.
    """
    by_week: dict[dt.date, dict] = {}

    def slot(week: dt.date) -> dict:
        return by_week.setdefault(week, {**_ZERO, "conversations": 0, "referrals": 0})

    rows = (
        scope.attempts()
        .annotate(week=TruncWeek("made_at"))
        .values("week")
        .annotate(**_attempt_counts())
        .order_by("week")
    )
    for r in rows:
        counts: dict[str, Any] = dict(r)
        s = slot(_week(counts.pop("week")))
        for key, value in counts.items():
            s[key] += value
    for r in scope.conversations().annotate(week=TruncWeek("held_at")).values("week").annotate(n=Count("id")):
        slot(_week(r["week"]))["conversations"] += r["n"]
    for r in scope.referrals().annotate(week=TruncWeek("created_at")).values("week").annotate(n=Count("id")):
        slot(_week(r["week"]))["referrals"] += r["n"]
    if not by_week:
        return []
    week, last, out = min(by_week), max(by_week), []
    while week <= last:
        out.append(
            {
                "week": week,
                **_finish(dict(by_week.get(week) or {**_ZERO, "conversations": 0, "referrals": 0})),
            }
        )
        week += dt.timedelta(days=7)
    return out


def _merge(rows: dict, key: object, label: str, values: dict) -> None:
    row = rows.setdefault(key, {"key": key, "label": label, **_ZERO, "conversations": 0, "referrals": 0})
    row["label"] = row["label"] or label
    for name, value in values.items():
        row[name] += value


def _person(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or username or ""


def progress_by_worker(*, scope: ProgressScope) -> list[dict]:
    """One row per worker with any attempt, conversation or referral in the scope (three queries)."""
    rows: dict = {}
    names = ("first_name", "last_name", "username")
    for r in (
        scope.attempts().values("made_by", *(f"made_by__{n}" for n in names)).annotate(**_attempt_counts())
    ):
        label = _person(*(r.pop(f"made_by__{n}") for n in names))
        _merge(rows, r.pop("made_by"), label, r)
    for r in (
        scope.conversations().values("held_by", *(f"held_by__{n}" for n in names)).annotate(n=Count("id"))
    ):
        _merge(rows, r["held_by"], _person(*(r[f"held_by__{n}"] for n in names)), {"conversations": r["n"]})
    prefix = "need__conversation__held_by"
    for r in scope.referrals().values(prefix, *(f"{prefix}__{n}" for n in names)).annotate(n=Count("id")):
        _merge(rows, r[prefix], _person(*(r[f"{prefix}__{n}"] for n in names)), {"referrals": r["n"]})
    return sorted((_finish(r) for r in rows.values()), key=lambda r: (-r["attempts"], r["label"]))


def progress_by_team(*, scope: ProgressScope) -> list[dict]:
    """One row per team (the worker's team for attempts; the team recorded on the conversation otherwise)."""
    rows: dict = {}
    for a in scope.attempts().values("made_by__team", "made_by__team__name").annotate(**_attempt_counts()):
        counts: dict[str, Any] = dict(a)
        _merge(rows, counts.pop("made_by__team"), counts.pop("made_by__team__name") or "", counts)
    for r in scope.conversations().values("team", "team__name").annotate(n=Count("id")):
        _merge(rows, r["team"], r["team__name"] or "", {"conversations": r["n"]})
    prefix = "need__conversation__team"
    for r in scope.referrals().values(prefix, f"{prefix}__name").annotate(n=Count("id")):
        _merge(rows, r[prefix], r[f"{prefix}__name"] or "", {"referrals": r["n"]})
    for row in rows.values():
        row["label"] = row["label"] or _("No team")
    return sorted(
        (_finish(r) for r in rows.values()), key=lambda r: (r["key"] is None, -r["attempts"], r["label"])
    )


def progress_by_turf(*, scope: ProgressScope) -> list[dict]:
    """One row per turf of the campaign's door lists, with its doors targeted and coverage (four queries).

    Conversations here are those logged from an attempt at one of the turf's doors (plus attempts marked
    "conversation held" without one); conversations logged without an attempt have no turf.
    """
    turfs = Turf.objects.filter(target_list__campaign=scope.campaign)
    if scope.turf is not None:
        turfs = turfs.filter(pk=scope.turf.pk)
    if scope.team is not None:
        turfs = turfs.filter(assigned_team=scope.team)
    if scope.worker is not None:
        turfs = turfs.filter(assigned_to=scope.worker)
    rows: dict = {}
    for t in turfs.values("pk", "name", "number", "target_list__name").order_by(
        "target_list__name", "number"
    ):
        rows[t["pk"]] = {
            "key": t["pk"],
            "label": t["name"],
            "list": t["target_list__name"],
            **_ZERO,
            "conversations": 0,
            "referrals": 0,
            "doors_targeted": 0,
        }
    for r in (
        Target.objects.filter(turf__in=rows.keys(), resident__isnull=True)
        .values("turf")
        .annotate(n=Count("id"))
    ):
        rows[r["turf"]]["doors_targeted"] = r["n"]
    attempts = scope.attempts().filter(target__turf__in=rows.keys()).values("target__turf")
    for a in attempts.annotate(**_attempt_counts(), logged=Count("conversation", distinct=True)):
        counts: dict[str, Any] = dict(a)
        row = rows[counts.pop("target__turf")]
        row["conversations"] += counts.pop("logged")
        for key, value in counts.items():
            row[key] += value
    turf_key = "need__conversation__attempts__target__turf"
    referrals = scope.referrals().filter(**{f"{turf_key}__in": rows.keys()})
    for r in referrals.values(turf_key).annotate(n=Count("id", distinct=True)):
        rows[r[turf_key]]["referrals"] += r["n"]
    out = [_finish(r) for r in rows.values()]
    for turf_row in out:
        turf_row["door_coverage"] = rate(turf_row["doors_knocked"], turf_row["doors_targeted"])
        turf_row["door_coverage_pct"] = percent(turf_row["doors_knocked"], turf_row["doors_targeted"])
    return out


def coverage_points(*, scope: ProgressScope, cap: int = MAP_POINT_CAP) -> dict:
    """The doors targeted with a location, attempted or not, for the map (two queries).

    Up to `cap` doors: one point each, [lat, lon, attempted (0/1)]. Above: the doors' bounding box is cut into
    a grid and each cell becomes one point [lat, lon, doors, attempted doors] at the mean of its doors.
    """
    doors = scope.door_targets().filter(address__latitude__isnull=False, address__longitude__isnull=False)
    box = doors.aggregate(
        n=Count("id"),
        south=Min("address__latitude"),
        north=Max("address__latitude"),
        west=Min("address__longitude"),
        east=Max("address__longitude"),
    )
    attempted = Exists(Attempt.objects.filter(target=OuterRef("pk"), channel="door"))
    if box["n"] <= cap:
        points = [
            [round(lat, 6), round(lon, 6), int(bool(a))]
            for lat, lon, a in doors.annotate(attempted=attempted)
            .values_list("address__latitude", "address__longitude", "attempted")
            .order_by("id")
            if lat is not None and lon is not None  # always, as filtered above; said for the type checker
        ]
        return {"mode": "doors", "doors": box["n"], "points": points, "cell_degrees": None}
    span = max(box["north"] - box["south"], box["east"] - box["west"]) or 1e-6
    step = span / MAP_GRID_CELLS
    cells = (
        doors.annotate(
            attempted=attempted,
            row=Floor((F("address__latitude") - box["south"]) / step),
            col=Floor((F("address__longitude") - box["west"]) / step),
        )
        .values("row", "col")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(attempted=True)),
            lat=Avg("address__latitude"),
            lon=Avg("address__longitude"),
        )
        .order_by("row", "col")
    )
    points = [[round(c["lat"], 6), round(c["lon"], 6), c["n"], c["done"]] for c in cells]
    return {"mode": "grid", "doors": box["n"], "points": points, "cell_degrees": step}


def progress_weekly_chart(weeks: list[dict]) -> dict:
    """Vega-Lite: attempts, contacts, conversations and referrals per week, one line each (long format)."""
    measures = [
        ("attempts", _("Attempts")),
        ("contacts", _("Contacts")),
        ("conversations", _("Conversations")),
        ("referrals", _("Referrals")),
    ]
    values = [
        {"week": w["week"].isoformat(), "measure": label, "count": w[key]}
        for w in weeks
        for key, label in measures
    ]
    title = _("Week starting")
    return {
        "$schema": SCHEMA,
        "description": _("Attempts, contacts, conversations and referrals per week"),
        "data": {"values": values},
        "width": "container",
        "height": 220,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 12, "titleFontSize": 12},
            "legend": {"orient": "bottom", "labelFontSize": 12, "title": None},
            "view": {"stroke": None},
        },
        "mark": {"type": "line", "point": {"size": 30}, "strokeWidth": 2, "tooltip": True},
        "encoding": {
            "x": {
                "field": "week",
                "type": "temporal",
                "timeUnit": "yearmonthdate",
                "title": title,
                "axis": {"format": "%b %d", "labelAngle": 0, "tickCount": 6},
            },
            "y": {"field": "count", "type": "quantitative", "title": None},
            "color": {
                "field": "measure",
                "type": "nominal",
                "sort": [label for _k, label in measures],
                "scale": {"range": ["#005ea2", "#e66f0e", "#00a398", "#8168b3"]},
            },
            "tooltip": [
                {"field": "week", "type": "temporal", "timeUnit": "yearmonthdate", "title": title},
                {"field": "measure", "type": "nominal", "title": " "},
                {"field": "count", "type": "quantitative", "format": ",", "title": _("Count")},
            ],
        },
    }
