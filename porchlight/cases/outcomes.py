"""Referral outcomes: the figures a city reports, per program, neighborhood, team or campaign.

Counts are one grouped query; medians are computed in Python from the resolved referrals' two dates, which
is exact and the same on SQLite and PostgreSQL (neither shares a median aggregate with the other).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from porchlight.accounts.models import Team
from porchlight.cases.lifecycle import OPEN_STATUSES
from porchlight.cases.models import Referral
from porchlight.cases.selectors import overdue_q
from porchlight.directory.models import Program
from porchlight.outreach.models import Campaign
from porchlight.places.models import Address, Area

S = Referral.Status
GROUP_CHOICES = [
    ("program", _("Program")),
    ("neighborhood", _("Neighborhood")),
    ("team", _("Team (of who referred)")),
    ("campaign", _("Campaign")),
]
ENROLLED_OUTCOMES = (Referral.Outcome.ENROLLED, Referral.Outcome.COMPLETED)


@dataclass
class OutcomeRow:
    """One line of the report: the referrals of one program, neighborhood, team or campaign."""

    key: int | None
    label: str
    made: int = 0
    accepted: int = 0
    declined: int = 0
    resolved: int = 0
    enrolled: int = 0
    completed: int = 0
    still_open: int = 0
    overdue: int = 0
    days_to_resolution: list[float] = field(default_factory=list, repr=False)

    @property
    def completion_rate(self) -> int | None:
        """Completed ÷ enrolled, in whole percent (None when nobody enrolled)."""
        return round(100 * self.completed / self.enrolled) if self.enrolled else None

    @property
    def median_days(self) -> float | None:
        """Median calendar time from referral to resolution, in days to one decimal (resolved ones only)."""
        if not self.days_to_resolution:
            return None
        return round(statistics.median(self.days_to_resolution), 1)


COUNTED = ("made", "accepted", "declined", "resolved", "enrolled", "completed", "still_open", "overdue")


def _group_key(group_by: str) -> F | Coalesce:
    if group_by == "program":
        return F("program_id")
    if group_by == "team":
        return F("created_by__team_id")
    if group_by == "campaign":
        return F("need__conversation__campaign_id")
    if group_by == "neighborhood":
        # The resident's home neighborhood; for residents without an address, where the conversation was.
        home = (
            Address.areas.through.objects.filter(
                address_id=OuterRef("resident__address_id"), area__kind=Area.Kind.NEIGHBORHOOD
            )
            .order_by("area_id")
            .values("area_id")[:1]
        )
        return Coalesce(Subquery(home), F("need__conversation__area_id"), output_field=IntegerField())
    raise ValueError(f"Unknown grouping: {group_by!r}")


def _counted(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in COUNTED}


def _labels(group_by: str, keys: set[int]) -> dict[int, str]:
    models: dict[str, type[Program] | type[Team] | type[Campaign] | type[Area]]
    models = {"program": Program, "team": Team, "campaign": Campaign, "neighborhood": Area}
    model = models[group_by]
    return {obj.pk: str(obj) for obj in model.objects.filter(pk__in=keys)}


def referrals_in_range(*, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[Referral]:
    """Referrals made between `start` and `end` (local dates, both included)."""
    qs = Referral.objects.order_by()
    if start:
        qs = qs.filter(created_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    if end:
        qs = qs.filter(
            created_at__lt=timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        )
    return qs


def outcomes_report(
    *,
    group_by: str = "program",
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> dict:
    """Rows (most referrals first) and a total line. Four queries whatever the data."""
    key = _group_key(group_by)
    qs = referrals_in_range(start=start, end=end).annotate(group=key)
    resolved = Q(status=S.RESOLVED)
    counts = qs.values("group").annotate(
        made=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        declined=Count("pk", filter=Q(status=S.DECLINED)),
        resolved=Count("pk", filter=resolved),
        enrolled=Count("pk", filter=resolved & Q(outcome__in=ENROLLED_OUTCOMES)),
        completed=Count("pk", filter=resolved & Q(outcome=Referral.Outcome.COMPLETED)),
        still_open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today=today)),
    )
    rows: dict[int | None, OutcomeRow] = {}
    for c in counts:
        rows[c["group"]] = OutcomeRow(key=c["group"], label="", **_counted(c))
    durations: dict[int | None, list[float]] = defaultdict(list)
    for group, created, closed in qs.filter(resolved, closed_at__isnull=False).values_list(
        "group", "created_at", "closed_at"
    ):
        if closed is not None and created is not None:  # always, as filtered; said for the type checker
            durations[group].append((closed - created).total_seconds() / 86400)
    labels = _labels(group_by, {k for k in rows if k is not None})
    total = OutcomeRow(key=None, label=str(_("All referrals")))
    for group, row in rows.items():
        row.label = labels.get(group, "") if group is not None else str(_("Not known"))
        row.days_to_resolution = durations.get(group, [])
        for name in COUNTED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.days_to_resolution += row.days_to_resolution
    ordered = sorted(rows.values(), key=lambda r: (r.key is None, -r.made, r.label))
    return {"rows": ordered, "total": total, "group_by": group_by}


CSV_HEADER = [
    _("Group"),
    _("Referrals made"),
    _("Accepted"),
    _("Declined"),
    _("Resolved"),
    _("Enrolled"),
    _("Completed"),
    _("Completion rate (%)"),
    _("Median days to resolution"),
    _("Still open"),
    _("Overdue"),
]


def outcome_csv_rows(report: dict) -> list[list]:
    """The report as CSV rows (header first, total last), empty cells where a figure does not apply."""
    lines: list[list] = [[str(h) for h in CSV_HEADER]]
    for row in [*report["rows"], report["total"]]:
        lines.append(
            [
                row.label,
                row.made,
                row.accepted,
                row.declined,
                row.resolved,
                row.enrolled,
                row.completed,
                "" if row.completion_rate is None else row.completion_rate,
                "" if row.median_days is None else row.median_days,
                row.still_open,
                row.overdue,
            ]
        )
    return lines
