"""The model on the labeled pairs: nicknames, phone formats, Rd/Road, accents, hyphens, typos, a missing
address — and family members, Jr/Sr, neighbors and strangers that must stay apart."""

from __future__ import annotations

from porchlight.people.matching import model
from porchlight.people.matching.evaluate import evaluate, labeled_pairs


def test_it_has_hard_cases_of_both_kinds() -> None:
    rows = labeled_pairs()
    assert sum(r["match"] == "1" for r in rows) >= 20
    assert sum(r["match"] == "0" for r in rows) >= 12


def test_it_reaches_the_precision_and_recall_floors_at_the_threshold() -> None:
    ev = evaluate(threshold=model.REVIEW_THRESHOLD)
    assert ev.precision >= 0.95, ev.errors
    assert ev.recall >= 0.9, ev.errors


def test_it_loses_precision_with_a_careless_threshold() -> None:
    # The floors above can fail: far below the threshold, family members are proposed.
    assert evaluate(threshold=-5.0).precision < 0.95
