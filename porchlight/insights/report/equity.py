"""Reach and equity: who the campaign reached, against who lives in the city.

- By neighborhood: residents reached against population ("1 in N", selectors.reach_by_area). A neighborhood is
  under-reached when its reach rate is below UNDER_REACHED_FRACTION of the median rate of the neighborhoods
  the campaign worked in (those with at least one conversation), so a campaign that went only to some parts of
  the city is judged against itself, and its unvisited neighborhoods are listed separately.
- By language: residents reached per conversation language.
- By demographic group: identified residents who told us their race/ethnicity or age, against the make-up of
  the neighborhoods' population (porchlight/insights/data/npa_demographics.csv, Charlotte's Quality of Life
  Explorer). Representation = share among residents reached / share of the population; below 1 the group is
  under-represented. Self-reported answers are few and optional, so the report says how many answered.
- Needs found and referrals made per neighborhood.
"""

from __future__ import annotations

import csv
import functools
import statistics
from collections.abc import Sequence
from pathlib import Path

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from porchlight.cases.models import Referral
from porchlight.insights.selectors import DashboardFilters, conversations_for, one_in, reach_by_area
from porchlight.outreach.models import Need
from porchlight.people.models import Language, Resident
from porchlight.places.models import Area

UNDER_REACHED_FRACTION = 0.5
DEMOGRAPHICS_FILE = Path(__file__).parent.parent / "data" / "npa_demographics.csv"

# How the city's census groups map onto the self-reported answers.
RACE_GROUPS = [
    ("black", gettext_lazy("Black or African American"), ["black"]),
    ("white", gettext_lazy("White"), ["white"]),
    ("hispanic", gettext_lazy("Hispanic or Latino"), ["hispanic"]),
    ("asian", gettext_lazy("Asian"), ["asian"]),
    ("other_race", gettext_lazy("All other races"), ["native", "pacific", "multiracial", "other"]),
]
AGE_GROUPS = [
    ("under_18", gettext_lazy("Under 18"), [Resident.AgeRange.UNDER_18]),
    (
        "age_18_64",
        gettext_lazy("18 to 64"),
        [
            Resident.AgeRange.AGE_18_24,
            Resident.AgeRange.AGE_25_34,
            Resident.AgeRange.AGE_35_44,
            Resident.AgeRange.AGE_45_54,
            Resident.AgeRange.AGE_55_64,
        ],
    ),
    ("age_65_plus", gettext_lazy("65 or older"), [Resident.AgeRange.AGE_65_PLUS]),
]


@functools.cache
def area_makeup() -> dict[str, dict[str, int]]:
    """Population by group per area code, from the bundled CSV (empty cells left out)."""
    if not DEMOGRAPHICS_FILE.exists():
        return {}
    with DEMOGRAPHICS_FILE.open(newline="") as fh:
        return {
            row["id"]: {k: int(v) for k, v in row.items() if k != "id" and v not in ("", None)}
            for row in csv.DictReader(fh)
        }


def reach_by_neighborhood(*, filters: DashboardFilters) -> dict:
    """Every neighborhood's reach, with under-reached ones flagged, plus needs and referrals per area."""
    filters = DashboardFilters(
        campaign=filters.campaign,
        date_from=filters.date_from,
        date_to=filters.date_to,
        area_kind=Area.Kind.NEIGHBORHOOD,
    )
    data = reach_by_area(filters=filters)
    needs: dict[int | None, int] = dict(
        Need.objects.filter(filters.conversation_q("conversation__"))
        .values("conversation__area_id")
        .annotate(n=Count("id"))
        .values_list("conversation__area_id", "n")
    )
    referrals: dict[int | None, int] = dict(
        Referral.objects.filter(filters.conversation_q("need__conversation__"))
        .values("need__conversation__area_id")
        .annotate(n=Count("id"))
        .values_list("need__conversation__area_id", "n")
    )
    worked = [r["share"] for r in data["rows"] if r["conversations"] and r["share"]]
    median = statistics.median(worked) if worked else None
    cutoff = median * UNDER_REACHED_FRACTION if median else None
    rows = []
    for r in data["rows"]:
        under = bool(
            r["conversations"] and cutoff is not None and r["share"] is not None and r["share"] < cutoff
        )
        rows.append(
            {
                **r,
                "needs": needs.get(r["id"], 0),
                "referrals": referrals.get(r["id"], 0),
                "under_reached": under,
            }
        )
    return {
        "rows": rows,
        "median_share": median,
        "median_one_in": one_in(1, median) if median else None,
        "cutoff_share": cutoff,
        "under_reached": sorted((r for r in rows if r["under_reached"]), key=lambda r: r["share"] or 0),
        "not_visited": [r for r in rows if not r["conversations"]],
        "not_recorded": {
            **data["not_recorded"],
            "needs": needs.get(None, 0),
            "referrals": referrals.get(None, 0),
        },
        "population": data["population"],
    }


def reach_by_language(*, filters: DashboardFilters) -> list[dict]:
    """Residents reached per conversation language (identified distinct + anonymous conversations)."""
    rows = (
        conversations_for(filters)
        .values("language")
        .annotate(
            conversations=Count("id"),
            identified=Count("resident", distinct=True),
            anonymous=Count("id", filter=Q(resident__isnull=True)),
        )
        .order_by("-conversations", "language")
    )
    labels = dict(Language.choices)
    return [
        {
            "language": r["language"],
            "label": str(labels.get(r["language"], r["language"] or _("Not recorded"))),
            "conversations": r["conversations"],
            "residents_reached": r["identified"] + r["anonymous"],
        }
        for r in rows
    ]


def _representation(
    answers: dict[str, int], population: dict[str, int], groups: Sequence[tuple[str, object, Sequence[str]]]
) -> dict:
    answered = sum(answers.get(v, 0) for _k, _l, values in groups for v in values)
    pop_total = sum(population.get(k, 0) for k, _l, _v in groups)
    rows = []
    for key, label, values in groups:
        reached = sum(answers.get(v, 0) for v in values)
        share_reached = reached / answered if answered else None
        share_pop = population.get(key, 0) / pop_total if pop_total else None
        ratio = share_reached / share_pop if share_reached is not None and share_pop else None
        rows.append(
            {
                "key": key,
                "label": str(label),
                "residents": reached,
                "share_reached": share_reached,
                "population": population.get(key, 0),
                "share_population": share_pop,
                "representation": ratio,
                "under_represented": ratio is not None and ratio < 0.8,
            }
        )
    return {"answered": answered, "population": pop_total, "rows": rows}


def reach_by_demographics(*, filters: DashboardFilters) -> dict:
    """Self-reported race/ethnicity and age of identified residents reached, against the population make-up
    of the neighborhoods the campaign worked in (every neighborhood with a conversation)."""
    residents = Resident.objects.filter(
        pk__in=conversations_for(filters).filter(resident__isnull=False).values("resident_id")
    ).order_by()
    race = dict(
        residents.exclude(race_ethnicity="")
        .values("race_ethnicity")
        .annotate(n=Count("id"))
        .values_list("race_ethnicity", "n")
    )
    age = dict(
        residents.exclude(age_range="")
        .values("age_range")
        .annotate(n=Count("id"))
        .values_list("age_range", "n")
    )
    codes = set(
        Area.objects.filter(
            kind=Area.Kind.NEIGHBORHOOD, pk__in=conversations_for(filters).values("area_id")
        ).values_list("code", flat=True)
    )
    makeup = area_makeup()
    population: dict[str, int] = {}
    total_population = 0
    for code in codes:
        groups = makeup.get(code)
        if not groups:
            continue
        for key, value in groups.items():
            population[key] = population.get(key, 0) + value
        total_population += sum(groups.get(k, 0) for k, _l, _v in RACE_GROUPS)
    # Age: the file has under-18 and 65+; 18-64 is the rest of the (race-total) population.
    if total_population and "under_18" in population and "age_65_plus" in population:
        population["age_18_64"] = max(
            0, total_population - population["under_18"] - population["age_65_plus"]
        )
    return {
        "residents": residents.count(),
        "areas_with_data": sum(1 for c in codes if c in makeup),
        "race": _representation(race, population, RACE_GROUPS),
        "age": _representation(age, population, AGE_GROUPS),
    }
