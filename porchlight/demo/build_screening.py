"""The AMI table and a few dozen eligibility screenings, so that the screener's pages have something to show.

The AMI figures (data/ami.csv) are HUD's FY2024 median family income for the Charlotte-Concord-Gastonia,
NC-SC HUD Metro FMR Area ($103,800 for four people) with HUD's household-size adjustments (70% for one
person … 132% for eight); see docs/screening.md. Runs after the programs, their rules and the conversations.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

from porchlight.accounts.models import User
from porchlight.demo.context import BuildContext, timestamps_as_given
from porchlight.directory.models import AreaMedianIncome, Screening
from porchlight.directory.screening.rules import ami_for_size
from porchlight.directory.screening.screener import screening_evaluate
from porchlight.outreach.models import Conversation
from porchlight.places.models import Area

AMI_CSV = Path(__file__).parent / "data" / "ami.csv"
N_SCREENINGS = 30
FROM_AMBASSADOR = 8  # the demo's "ambassador" login sees screenings of their own
BY_CASE_MANAGER = 4  # and "casemanager" some of theirs (no conversation: screened at an office visit)
SIZES = ([1, 2, 3, 4, 5, 6], [28, 30, 17, 14, 7, 4])
EMPLOYMENT = (["full_time", "part_time", "unemployed", "student", "unable_to_work"], [46, 20, 16, 6, 12])
SKIP_SHARE = {"income": 0.15, "age": 0.08, "health_coverage": 0.08, "employment": 0.08, "rent_regulated": 0.2}


def ami_load() -> dict[int, int]:
    """Load data/ami.csv (idempotent: a year's rows are replaced). Returns {household size: income}."""
    with AMI_CSV.open(newline="") as f:
        rows = [(int(r["year"]), int(r["household_size"]), int(r["income"])) for r in csv.DictReader(f)]
    years = {year for year, _, _ in rows}
    AreaMedianIncome.objects.filter(year__in=years).delete()
    AreaMedianIncome.objects.bulk_create(
        [AreaMedianIncome(year=y, household_size=s, income=i) for y, s, i in rows]
    )
    latest = max(years)
    return {s: i for y, s, i in rows if y == latest}


def _answers(rng: random.Random, ami: dict[int, int], area_code: str | None) -> dict[str, object]:
    size = rng.choices(*SIZES)[0]
    # Incomes of households met at the door: mostly below the area median, a long tail above it.
    median = float(ami_for_size(ami, size) or 80_000)
    income = int(rng.lognormvariate(math.log(0.55 * median), 0.55)) // 500 * 500
    age = rng.randint(19, 86)
    tenure = "renter" if rng.random() < 0.62 else "owner"
    employment = "retired" if age >= 66 and rng.random() < 0.8 else rng.choices(*EMPLOYMENT)[0]
    answers: dict[str, object] = {
        "household_size": size,
        "income": income,
        "age": age,
        "tenure": tenure,
        "rent_regulated": tenure == "renter" and rng.random() < 0.18,
        "health_coverage": rng.random() < 0.84,
        "employment": employment,
        "area": area_code,
    }
    for question, share in SKIP_SHARE.items():
        if rng.random() < share:
            answers[question] = None  # "prefer not to say"
    return {q: a for q, a in answers.items() if a is not None}


def build_screening(ctx: BuildContext) -> None:
    # A generator of its own, so that adding screenings changes nothing else a seed decides.
    rng = random.Random(ctx.seed * 31 + 7)
    ami = ami_load()
    npa_code = dict(Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).values_list("pk", "code"))
    conversations = list(
        Conversation.objects.filter(
            resident__isnull=False, resident__erased_at__isnull=True, held_by__role="outreach_worker"
        )
        .select_related("resident", "held_by")
        .order_by("pk")
    )
    ambassador = [c for c in conversations if c.held_by.username == "ambassador"]
    others = [c for c in conversations if c.held_by.username != "ambassador"]
    picked = rng.sample(ambassador, min(FROM_AMBASSADOR, len(ambassador)))
    picked += rng.sample(others, min(N_SCREENINGS - len(picked), len(others)))
    visits: list[tuple[object, User, Conversation | None, object]] = [
        (c.resident, c.held_by, c, c.held_at) for c in picked
    ]
    case_manager = User.objects.filter(username="casemanager").first()
    if case_manager is not None and picked:
        for c in rng.sample(picked, min(BY_CASE_MANAGER, len(picked))):
            visits.append((c.resident, case_manager, None, c.held_at))
    screenings = []
    for resident, screener, conversation, at in visits:
        area = npa_code.get(ctx.address_npa.get(resident.address_id)) if resident.address_id else None
        answers = _answers(rng, ami, area)
        results = [m.as_result() for m in screening_evaluate(answers=answers)]
        screenings.append(
            Screening(
                resident=resident,
                conversation=conversation,
                screened_by=screener,
                answers=answers,
                results=results,
                created_at=at,
            )
        )
    with timestamps_as_given(Screening, "created_at"):
        Screening.objects.bulk_create(screenings)
    ctx.progress(f"AMI table ({len(ami)} household sizes), {len(screenings)} screenings")
