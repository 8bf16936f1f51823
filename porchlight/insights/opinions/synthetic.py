"""Synthetic votes from latent opinion groups: for the demo city and to test that groups are found."""

from __future__ import annotations

import random

import numpy as np


def latent_group_votes(
    *,
    n_participants: int,
    n_statements: int,
    n_groups: int,
    seed: int = 0,
    stances: np.ndarray | None = None,
    seen: float = 0.8,
    noise: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """A participants x statements matrix (NaN = not seen) and each participant's true group.

    Each group has a stance per statement (agree / disagree / pass); a participant sees each statement
    with probability `seen` and votes their group's stance, except with probability `noise` a random vote.
    """
    rng = random.Random(seed)
    if stances is None:
        stances = np.array(
            [[rng.choice((1, 1, -1, -1, 0)) for _ in range(n_statements)] for _ in range(n_groups)]
        )
    truth = np.array([i % n_groups for i in range(n_participants)])
    rng.shuffle(truth)  # type: ignore[arg-type]
    matrix = np.full((n_participants, n_statements), np.nan)
    for i, group in enumerate(truth):
        for j in range(n_statements):
            if rng.random() > seen:
                continue
            matrix[i, j] = rng.choice((1, -1, 0)) if rng.random() < noise else stances[group][j]
    return matrix, truth
