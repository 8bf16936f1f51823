"""Precision and recall of the model on the labeled pairs (tests/data/pairs.csv): used by the test and
bench/matching.py."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from porchlight.people.contact import email_normalize, phone_normalize
from porchlight.people.matching import model
from porchlight.people.matching.engine import pairs_between
from porchlight.people.matching.normalize import MatchRecord, match_record

LABELED_PAIRS = Path(__file__).parent / "tests" / "data" / "pairs.csv"


@dataclass
class Evaluation:
    threshold: float
    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int
    errors: list[tuple[str, int, float]]

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_pos + self.false_neg
        return self.true_pos / actual if actual else 1.0


def _record(pair_id: int, row: dict, side: str) -> MatchRecord:
    def get(name: str) -> str:
        return (row.get(f"{name}_{side}") or "").strip()

    phones, emails = [], []
    try:
        phones = [phone_normalize(get("phone"))] if get("phone") else []
        emails = [email_normalize(get("email"))] if get("email") else []
    except ValidationError:
        pass
    return match_record(
        unique_id=pair_id,
        first_name=get("first"),
        last_name=get("last"),
        street=get("street"),
        unit=get("unit"),
        zip_code=get("zip"),
        phones=phones,
        emails=emails,
    )


def labeled_pairs(path: Path = LABELED_PAIRS) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def evaluate(*, threshold: float = model.REVIEW_THRESHOLD, path: Path = LABELED_PAIRS) -> Evaluation:
    """Score each labeled pair (one DuckDB run: pair i's two sides share id i) and count the outcomes."""
    rows = labeled_pairs(path)
    left = [_record(i, r, "a") for i, r in enumerate(rows, start=1)]
    right = [_record(i, r, "b") for i, r in enumerate(rows, start=1)]
    scored = pairs_between(left, right, threshold=-1e9, blocking_rule="l.unique_id = r.unique_id")
    weights = {p.id_a: p.weight for p in scored}
    ev = Evaluation(threshold, 0, 0, 0, 0, [])
    for i, row in enumerate(rows, start=1):
        weight = weights[i]
        is_match, predicted = row["match"] == "1", weights[i] >= threshold
        if is_match and predicted:
            ev.true_pos += 1
        elif predicted:
            ev.false_pos += 1
            ev.errors.append((row["case"], 0, weight))
        elif is_match:
            ev.false_neg += 1
            ev.errors.append((row["case"], 1, weight))
        else:
            ev.true_neg += 1
    return ev
