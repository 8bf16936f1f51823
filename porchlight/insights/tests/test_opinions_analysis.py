"""Opinion-group math: planted groups are found; repness and consensus on a matrix small enough to check."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from porchlight.insights.opinions import analysis
from porchlight.insights.opinions.synthetic import latent_group_votes


@pytest.mark.parametrize("n_groups", [2, 3])
def test_it_finds_planted_groups(n_groups):
    matrix, truth = latent_group_votes(n_participants=300, n_statements=25, n_groups=n_groups, seed=n_groups)
    result = analysis.analyse(matrix)
    assert result.k == n_groups
    assert adjusted_rand_score(truth[result.clustered], result.labels[result.clustered]) > 0.95


def test_it_gives_the_same_groups_every_time():
    matrix, _truth = latent_group_votes(n_participants=250, n_statements=20, n_groups=3, seed=7, noise=0.3)
    first, second = analysis.analyse(matrix), analysis.analyse(matrix)
    assert (first.labels == second.labels).all()
    assert np.allclose(first.points, second.points)


def test_it_leaves_participants_with_too_few_votes_ungrouped():
    matrix, _truth = latent_group_votes(n_participants=60, n_statements=12, n_groups=2, seed=1, seen=1.0)
    matrix[0, 3:] = np.nan  # three votes only
    result = analysis.analyse(matrix)
    assert result.labels[0] == -1 and not result.clustered[0]
    assert (result.labels[1:] >= 0).all()
    assert np.isfinite(result.points[0]).all()  # still placed on the map


def test_it_scales_sparse_voters_out_from_the_centre():
    # Two people with the same opinion, one who voted on everything and one on a quarter: Pol.is's scaling
    # puts them at about the same distance from the centre instead of pulling the sparse voter inwards.
    matrix, _truth = latent_group_votes(n_participants=200, n_statements=40, n_groups=2, seed=3, seen=1.0,
                                        noise=0.0)
    matrix[1] = matrix[0]
    matrix[1, 10:] = np.nan
    points = analysis.project(matrix)
    full, sparse = np.linalg.norm(points[0]), np.linalg.norm(points[1])
    assert sparse == pytest.approx(full, rel=0.2)


def hand_matrix() -> tuple[np.ndarray, np.ndarray]:
    """Ten people in two groups of five. Statement 0: everyone agrees. Statement 1: group 0 agrees, group 1
    disagrees. Statement 2: everyone passes. Statement 3: everyone disagrees."""
    rows = [[1, 1, 0, -1]] * 5 + [[1, -1, 0, -1]] * 5
    return np.array(rows, dtype=float), np.array([0] * 5 + [1] * 5)


def test_it_computes_smoothed_probabilities_and_repness_by_hand():
    matrix, labels = hand_matrix()
    stats = analysis.group_stats(matrix, labels, 2)
    # Group 0 on statement 1: 5 of 5 agree -> (5 + 1) / (5 + 2); everyone else: 0 of 5 -> 1 / 7.
    assert stats["pa"][0][1] == pytest.approx(6 / 7)
    assert stats["ra"][0][1] == pytest.approx((6 / 7) / (1 / 7))
    assert stats["na"][0][1] == 5 and stats["ns"][0][1] == 5


def test_it_picks_the_dividing_statement_as_representative():
    matrix, labels = hand_matrix()
    stats = analysis.group_stats(matrix, labels, 2)
    active = np.ones(4, dtype=bool)
    group0 = analysis.representative(stats, 0, active)
    group1 = analysis.representative(stats, 1, active)
    assert [(r["column"], r["direction"]) for r in group0] == [(1, "agree")]
    assert [(r["column"], r["direction"]) for r in group1] == [(1, "disagree")]
    assert group0[0]["agree_pct"] == 100 and group0[0]["others_agree_pct"] == 0


def test_it_finds_consensus_across_every_group_and_not_the_divisive_statement():
    matrix, labels = hand_matrix()
    stats = analysis.group_stats(matrix, labels, 2)
    overall = analysis.group_stats(matrix, np.zeros(10, dtype=int), 1)
    result = analysis.consensus(stats, overall, np.ones(4, dtype=bool))
    assert [r["column"] for r in result["agree"]] == [0]
    assert [r["column"] for r in result["disagree"]] == [3]
    assert result["agree"][0]["group_pcts"] == [100, 100]


def test_it_skips_moderated_out_statements():
    matrix, labels = hand_matrix()
    stats = analysis.group_stats(matrix, labels, 2)
    overall = analysis.group_stats(matrix, np.zeros(10, dtype=int), 1)
    active = np.array([False, True, True, True])
    assert [r["column"] for r in analysis.consensus(stats, overall, active)["agree"]] == []
