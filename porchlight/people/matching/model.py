"""The matching model: splink (Fellegi–Sunter) settings with fixed m and u probabilities.

m = how often two records of the *same* person agree at a level, u = how often two *different* residents do.
They are set from documented priors (docs/matching.md) and checked against the labeled pairs in
tests/data/pairs.csv rather than estimated from each city's data, so a run is reproducible: the same
residents always give the same scores, with no training step and no randomness.

Household members share a door, a surname and often a phone, which the model's independence assumption
ignores; the priors account for it: a shared phone or door counts for less than it would between strangers,
and a different first name or a different generational suffix (Jr/Sr) counts strongly against.
"""

from __future__ import annotations

import math
from typing import Any

# A pair is proposed when its match weight (log2 of the Bayes factor, the prior included) reaches this.
# Chosen on the labeled pairs: see test_accuracy.py and bench/matching.py.
REVIEW_THRESHOLD = 3.0
# At or above this a registration form says "this may be X" and offers the existing record.
STRONG_THRESHOLD = 7.0
# 1 in 100,000 random pairs of residents is the same person (a city of a few hundred thousand records).
PRIOR = 1e-5

FIRST_NAME_JW_TYPO = 0.92
LAST_NAME_JW_TYPO = 0.92
NAME_JW_WEAK = 0.80


def _level(sql: str, label: str, m: float, u: float) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "missing", "is_null_level": True}


def _jw(col: str, threshold: float) -> str:
    return f"jaro_winkler_similarity({col}_l, {col}_r) >= {threshold}"


COMPARISONS: list[dict[str, Any]] = [
    {
        "output_column_name": "first_name",
        "comparison_description": "first name",
        "comparison_levels": [
            _null("first_name_l IS NULL OR first_name_r IS NULL"),
            _level("first_name_l = first_name_r", "same first name", 0.82, 0.004),
            _level(
                "list_contains(first_variants_l, first_name_r)"
                " OR list_contains(first_variants_r, first_name_l)",
                "nickname",
                0.08,
                0.0015,
            ),
            _level(_jw("first_name", FIRST_NAME_JW_TYPO), "first name with a typo", 0.08, 0.002),
            _level(
                "(length(first_name_l) = 1 OR length(first_name_r) = 1)"
                " AND left(first_name_l, 1) = left(first_name_r, 1)",
                "initial",
                0.02,
                0.03,
            ),
            _level(_jw("first_name", NAME_JW_WEAK), "similar first name", 0.017, 0.02),
            _level("ELSE", "different first name", 0.001, 0.939),
        ],
    },
    {
        "output_column_name": "last_name",
        "comparison_description": "last name",
        "comparison_levels": [
            _null("last_name_l IS NULL OR last_name_r IS NULL"),
            _level("last_name_l = last_name_r", "same last name", 0.85, 0.002),
            _level("list_has_any(last_parts_l, last_parts_r)", "one part of a compound surname", 0.08, 0.001),
            _level(_jw("last_name", LAST_NAME_JW_TYPO), "last name with a typo", 0.06, 0.002),
            _level(_jw("last_name", NAME_JW_WEAK), "similar last name", 0.015, 0.02),
            _level("ELSE", "different last name", 0.015, 0.975),
        ],
    },
    {
        "output_column_name": "suffix",
        "comparison_description": "generational suffix (Jr, Sr, III)",
        "comparison_levels": [
            _null("suffix_l IS NULL AND suffix_r IS NULL"),
            _level("suffix_l = suffix_r", "same suffix", 0.7, 0.3),
            _level("suffix_l IS NULL OR suffix_r IS NULL", "suffix on one record only", 0.3, 0.3),
            # Two records of one person never carry different suffixes: Jr and Sr are father and son.
            _level("ELSE", "different suffix", 0.00001, 0.4),
        ],
    },
    {
        "output_column_name": "door",
        "comparison_description": "address (street and unit, normalized)",
        "comparison_levels": [
            _null("street_l IS NULL OR street_r IS NULL"),
            _level("door_l = door_r", "same address", 0.70, 0.002),
            _level("street_l = street_r", "same building, another unit", 0.10, 0.001),
            _level("zip_code_l = zip_code_r", "same ZIP code", 0.08, 0.03),
            _level("ELSE", "different address", 0.12, 0.967),
        ],
    },
    {
        "output_column_name": "phones",
        "comparison_description": "phone numbers (E.164)",
        "comparison_levels": [
            _null("phones_l IS NULL OR phones_r IS NULL"),
            _level("list_has_any(phones_l, phones_r)", "same phone", 0.75, 0.001),
            _level("ELSE", "different phones", 0.25, 0.999),
        ],
    },
    {
        "output_column_name": "emails",
        "comparison_description": "email addresses",
        "comparison_levels": [
            _null("emails_l IS NULL OR emails_r IS NULL"),
            _level("list_has_any(emails_l, emails_r)", "same email", 0.8, 0.0002),
            _level("ELSE", "different emails", 0.2, 0.9998),
        ],
    },
    {
        "output_column_name": "age_range",
        "comparison_description": "age range (self-reported)",
        "comparison_levels": [
            _null("age_range_l IS NULL OR age_range_r IS NULL"),
            _level("age_range_l = age_range_r", "same age range", 0.9, 0.2),
            _level("ELSE", "different age range", 0.1, 0.8),
        ],
    },
]

# Pairs are only scored when they share one of these; each catches what the others miss (a mover keeps
# the phone, a new phone keeps the door, a re-import without the address keeps the name).
BLOCKING_RULES = [
    "l.phone1 = r.phone1",
    "l.email1 = r.email1",
    "l.door = r.door",
    "l.last1 = r.last1 AND left(l.first_name, 1) = left(r.first_name, 1)",
    "l.last2 = r.last2 AND left(l.first_name, 1) = left(r.first_name, 1)",
    "l.first_name = r.first_name AND l.street = r.street",
]


def settings(*, link_type: str = "dedupe_only", blocking_rules: list[str] | None = None) -> dict[str, Any]:
    """The splink settings dictionary (the DuckDB dialect: list_contains, list_has_any)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": PRIOR,
        "comparisons": COMPARISONS,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule, "sql_dialect": "duckdb"}
            for rule in (BLOCKING_RULES if blocking_rules is None else blocking_rules)
        ],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
    }


def level_weight(comparison: str, label: str) -> float:
    """The match weight one level adds (log2 m/u): what the review page shows as evidence."""
    for comp in COMPARISONS:
        if comp["output_column_name"] == comparison:
            for level in comp["comparison_levels"]:
                if level["label_for_charts"] == label and not level.get("is_null_level"):
                    return math.log2(level["m_probability"] / level["u_probability"])
    return 0.0
