"""Scoring pairs of residents with splink on DuckDB (in memory): the batch and the one-record path.

Both paths use the same settings (model.py) on the same normalized records (normalize.py). A city that
outgrows one machine runs the same settings with splink's Spark backend (docs/matching.md).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from porchlight.people.matching import model
from porchlight.people.matching.normalize import MatchRecord

# Column → type of the table handed to DuckDB (lists are DuckDB lists; None is NULL).
COLUMNS = {
    "unique_id": "int64",
    "first_name": "string",
    "first_variants": "list",
    "last_name": "string",
    "last_parts": "list",
    "suffix": "string",
    "street": "string",
    "door": "string",
    "zip_code": "string",
    "phones": "list",
    "emails": "list",
    "age_range": "string",
    "phone1": "string",
    "email1": "string",
    "last1": "string",
    "last2": "string",
}
COMPARISON_NAMES = [c["output_column_name"] for c in model.COMPARISONS]


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two residents the model compared: ids in ascending order, the match weight, and the level per field."""

    id_a: int
    id_b: int
    weight: float
    levels: dict[str, str]

    @property
    def reasons(self) -> dict[str, dict]:
        """Per field: the level label and the weight it added (positive = agreed), for the review page."""
        return {
            name: {"level": label, "weight": round(model.level_weight(name, label), 2)}
            for name, label in self.levels.items()
            if label != "missing"
        }


@lru_cache(maxsize=1)
def _schema() -> Any:
    import pyarrow as pa

    kinds = {"int64": pa.int64(), "string": pa.string(), "list": pa.list_(pa.string())}
    return pa.schema([(name, kinds[kind]) for name, kind in COLUMNS.items()])


def _table(records: Sequence[MatchRecord]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist([r.as_row() for r in records], schema=_schema())


def _labels() -> dict[str, dict[int, str]]:
    """gamma value → level label per comparison (splink counts up from ELSE = 0; NULL = -1)."""
    out: dict[str, dict[int, str]] = {}
    for comp in model.COMPARISONS:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        out[comp["output_column_name"]] = {-1: "missing"} | {
            len(levels) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(levels)
        }
    return out


def _run(tables: list, settings: dict, threshold: float) -> list[ScoredPair]:
    # Imported here: splink and DuckDB take most of a second to import, and most requests never match.
    import duckdb
    from splink import DuckDBAPI, Linker

    con = duckdb.connect()
    try:
        db_api = DuckDBAPI(connection=con)
        inputs = [db_api.register(t) for t in tables]
        linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings, log_level=logging.WARNING)
        result = linker.inference.predict(threshold_match_weight=threshold, warning_mode="never")
        labels = _labels()
        pairs = []
        for row in result.as_record_list():
            a, b = sorted((int(row["unique_id_l"]), int(row["unique_id_r"])))
            levels = {n: labels[n].get(int(row[f"gamma_{n}"]), "missing") for n in COMPARISON_NAMES}
            pairs.append(ScoredPair(a, b, float(row["match_weight"]), levels))
        return pairs
    finally:
        con.close()


def pairs_within(
    records: Sequence[MatchRecord], *, threshold: float = model.REVIEW_THRESHOLD
) -> list[ScoredPair]:
    """Every pair among `records` that the blocking rules bring together and that scores ≥ threshold."""
    if len(records) < 2:
        return []
    return _run([_table(records)], model.settings(), threshold)


def pairs_between(
    new: Sequence[MatchRecord],
    stored: Sequence[MatchRecord],
    *,
    threshold: float = model.REVIEW_THRESHOLD,
    blocking_rule: str | None = "1 = 1",
) -> list[ScoredPair]:
    """Score new records against stored ones: every pair (the default: the candidates are already blocked),
    or those `blocking_rule` brings together, or (None) those the model's blocking rules do."""
    if not new or not stored:
        return []
    rules = None if blocking_rule is None else [blocking_rule]
    settings = model.settings(link_type="link_only", blocking_rules=rules)
    return _run([_table(new), _table(stored)], settings, threshold)
