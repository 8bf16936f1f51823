"""Benchmark: opinion groups against Pol.is's own groups, beside red-dwarf, on real Pol.is conversations.

    .venv/bin/pip install -e '.[bench]'   # red-dwarf, for the comparison (optional)
    .venv/bin/python bench/opinion_groups.py [--data ../shared/data/feedback/polis]

For every conversation folder (comments.csv, participants-votes.csv, votes.csv where present): read it with
the importer's parser, run our analysis (porchlight.insights.opinions.analysis) and red-dwarf's Pol.is
pipeline (reddwarf.implementations.polis.run_pipeline, random_state=0) on the same votes, and print the
adjusted Rand index of each against the group-id Pol.is assigned. ARI is over the participants that Pol.is
grouped and the method grouped too; "coverage" is the share of Pol.is-grouped participants it grouped at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")

import django

django.setup()

from sklearn.metrics import adjusted_rand_score

from porchlight.insights.opinions.analysis import analyse
from porchlight.insights.opinions.parsing import ParsedVotes, files_from_folder, parse_polis

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "feedback" / "polis"


def matrix_of(parsed: ParsedVotes) -> tuple[np.ndarray, list[str], np.ndarray]:
    pids = sorted(parsed.participants, key=int)
    sids = sorted(parsed.statements, key=int)
    row = {p: i for i, p in enumerate(pids)}
    col = {s: j for j, s in enumerate(sids)}
    matrix = np.full((len(pids), len(sids)), np.nan)
    for (p, s), vote in parsed.votes.items():
        matrix[row[p], col[s]] = vote
    moderated = np.array([parsed.statements[s][1] for s in sids], dtype=bool)
    return matrix, pids, moderated


def score(truth: dict[str, str], labels: dict[str, int]) -> tuple[float, float, int]:
    """ARI over participants both grouped, coverage of Pol.is's grouped participants, and group count."""
    both = [p for p in truth if p in labels]
    ari = adjusted_rand_score([truth[p] for p in both], [labels[p] for p in both]) if both else float("nan")
    return ari, len(both) / max(1, len(truth)), len(set(labels.values()))


def run_ours(parsed: ParsedVotes) -> tuple[dict[str, int], float]:
    matrix, pids, moderated = matrix_of(parsed)
    started = time.perf_counter()
    result = analyse(matrix, moderated_out=moderated)
    seconds = time.perf_counter() - started
    return {p: int(g) for p, g in zip(pids, result.labels, strict=True) if g >= 0}, seconds


def run_red_dwarf(parsed: ParsedVotes) -> tuple[dict[str, int], float] | str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pydantic's notes about red-dwarf's own models
            from reddwarf.implementations.polis import run_pipeline
    except ImportError:
        return "red-dwarf not installed (pip install -e '.[bench]')"
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": v, "modified": 0}
        for (p, s), v in parsed.votes.items()
    ]
    moderated = [int(s) for s, (_text, out) in parsed.statements.items() if out]
    started = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = run_pipeline(votes=votes, mod_out_statement_ids=moderated, random_state=0)
    except Exception as exc:  # noqa: BLE001 - report any failure of the other tool and go on
        return f"red-dwarf failed: {exc.__class__.__name__}: {exc}"
    seconds = time.perf_counter() - started
    frame = result.participants_df
    labels = {
        str(pid): int(group)
        for pid, group, clustered in zip(frame.index, frame["cluster_id"], frame["to_cluster"], strict=True)
        if clustered and group is not None and group == group
    }
    return labels, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    folders = sorted(p for p in args.data.iterdir() if (p / "comments.csv").exists())
    header = f"{'conversation':36} {'people':>6} {'stmts':>5} {'polis k':>7}  {'method':10} {'k':>2} " \
             f"{'ARI':>6} {'coverage':>8} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    summary: dict[str, list[float]] = {"ours": [], "red-dwarf": []}
    for folder in folders:
        parsed = parse_polis(files_from_folder(folder))
        if parsed.errors:
            print(f"{folder.name}: cannot read: {parsed.errors[:3]}")
            continue
        truth = {p: g for p, g in parsed.participants.items() if g != ""}
        polis_k = len(set(truth.values()))
        lead = f"{folder.name:36} {len(parsed.participants):>6} {len(parsed.statements):>5} {polis_k:>7}"
        for name, outcome in (("ours", run_ours(parsed)), ("red-dwarf", run_red_dwarf(parsed))):
            if isinstance(outcome, str):
                print(f"{lead}  {name:10} {outcome}")
                continue
            labels, seconds = outcome
            ari, coverage, k = score(truth, labels)
            summary[name].append(ari)
            print(f"{lead}  {name:10} {k:>2} {ari:>6.3f} {coverage:>8.0%} {seconds:>8.2f}")
            lead = " " * len(lead)
    print()
    for name, values in summary.items():
        if values:
            print(f"mean ARI, {name}: {np.mean(values):.3f} over {len(values)} conversations")


if __name__ == "__main__":
    main()
