"""Opinion groups from a vote matrix, following Pol.is's published math (polismath, reproduced by red-dwarf).

1. Vote matrix: participants x statements, 1 agree / -1 disagree / 0 pass, NaN where a participant never saw
   the statement. Moderated-out statements are zeroed, as Pol.is does.
2. Participants "in the conversation" have voted on at least `min(7, statements)` statements; only they are
   grouped (everyone else is still placed on the map).
3. PCA to 2 components on the column-mean-imputed matrix, then Pol.is's sparsity-aware scaling: each
   participant's projection is multiplied by sqrt(statements / their votes), so people who voted on few
   statements are not bunched in the middle.
4. Like Pol.is, participants are first gathered into up to 100 base clusters; the base clusters' centres
   (weighted by size) are grouped with k-means for k = 2..max_k, keeping the k with the best silhouette.
5. Representative statements per group ("repness"): Laplace-smoothed agree/disagree probability in the group
   and its ratio to everyone else, each with a z-test; a statement is representative when both are
   significant at 90% (one-sided). Consensus: statements every group agrees (or disagrees) with, ranked by
   the product of the groups' probabilities (Pol.is's group-aware consensus).

Everything is seeded, so the same votes give the same groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.stats import norm
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

MIN_VOTES = 7
BASE_CLUSTERS = 100
MAX_GROUPS = 5
CONFIDENCE = 0.90
PICK_MAX = 5
SEED = 0
Z_90 = float(norm.ppf(CONFIDENCE))


@dataclass
class GroupResult:
    labels: np.ndarray  # group of each participant row; -1 when not grouped
    points: np.ndarray  # (n, 2) projections
    k: int
    silhouette: float
    clustered: np.ndarray  # boolean mask of rows that were grouped
    repness: dict[int, list[dict]] = field(default_factory=dict)
    consensus: dict[str, list[dict]] = field(default_factory=dict)
    stats: dict[str, np.ndarray] = field(default_factory=dict)


def min_votes_for(n_statements: int) -> int:
    return min(MIN_VOTES, n_statements)


def project(matrix: np.ndarray) -> np.ndarray:
    """PCA to two components with Pol.is's sparsity-aware scaling; NaN means "not voted"."""
    n, m = matrix.shape
    voted = ~np.isnan(matrix)
    counts = voted.sum(axis=0)
    sums = np.where(voted, matrix, 0.0).sum(axis=0)
    col_mean = np.divide(sums, counts, out=np.zeros(m), where=counts > 0)
    filled = np.where(voted, matrix, col_mean)
    centered = filled - col_mean
    # SVD directly: deterministic (no randomized solver), and fine for thousands x hundreds.
    _u, _s, vt = np.linalg.svd(centered, full_matrices=False)
    components = vt[:2]
    # Fix each component's sign so reruns and small changes do not mirror the map.
    for i in range(components.shape[0]):
        if components[i][np.argmax(np.abs(components[i]))] < 0:
            components[i] = -components[i]
    points = centered @ components.T
    if points.shape[1] < 2:
        points = np.hstack([points, np.zeros((n, 2 - points.shape[1]))])
    scale = np.sqrt(m / np.maximum(1, voted.sum(axis=1)))
    return points * scale[:, None]


def _kmeans(x: np.ndarray, k: int, weights: np.ndarray | None = None) -> KMeans:
    return KMeans(n_clusters=k, n_init=10, random_state=SEED).fit(x, sample_weight=weights)


def cluster(points: np.ndarray, *, max_groups: int = MAX_GROUPS) -> tuple[np.ndarray, int, float]:
    """Group points: base clusters first (as Pol.is), then k-means on their centres (k by silhouette)."""
    n = len(points)
    n_base = min(BASE_CLUSTERS, n)
    base = _kmeans(points, n_base) if n > BASE_CLUSTERS else None
    if base is not None:
        centers = base.cluster_centers_
        weights = np.bincount(base.labels_, minlength=n_base).astype(float)
    else:
        centers, weights = points, np.ones(n)
    distinct = len(np.unique(np.round(centers, 9), axis=0))
    # Pol.is lets small conversations have fewer groups: at most 2 + (participants / 12).
    upper = min(max_groups, 2 + n // 12, distinct - 1 if distinct > 2 else 2)
    best: tuple[float, int, np.ndarray] | None = None
    for k in range(2, max(2, upper) + 1):
        if k > len(centers) or distinct < 2:
            break
        km = _kmeans(centers, k, weights)
        if len(set(km.labels_)) < 2:
            continue
        score = float(silhouette_score(centers, km.labels_))
        if best is None or score > best[0] + 1e-9:
            best = (score, k, km.labels_)
    if best is None:
        return np.zeros(n, dtype=int), 1, 0.0
    score, k, center_labels = best
    labels = center_labels[base.labels_] if base is not None else center_labels
    # Number groups by size, largest first, so "Group A" is the biggest.
    order = np.argsort(-np.bincount(labels, minlength=k), kind="stable")
    relabel = np.empty(k, dtype=int)
    relabel[order] = np.arange(k)
    return relabel[labels], k, score


def _one_prop(succ: np.ndarray, n: np.ndarray) -> np.ndarray:
    succ, n = succ + 1.0, n + 1.0
    return 2 * np.sqrt(n) * (succ / n - 0.5)


def _two_prop(s_in: np.ndarray, s_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray) -> np.ndarray:
    s_in, s_out, n_in, n_out = s_in + 1.0, s_out + 1.0, n_in + 1.0, n_out + 1.0
    p1, p2 = s_in / n_in, s_out / n_out
    p = (s_in + s_out) / (n_in + n_out)
    denom = np.sqrt(p * (1 - p) * (1 / n_in + 1 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / denom
    return np.where((p >= 1) | (denom == 0), 0.0, z)


def group_stats(matrix: np.ndarray, labels: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Per group (rows) and statement (columns): counts, smoothed probabilities, repness and their z-tests."""
    agree = matrix == 1
    disagree = matrix == -1
    seen = ~np.isnan(matrix)
    out: dict[str, list] = {key: [] for key in ("na", "nd", "ns", "pa", "pd", "pat", "pdt", "ra", "rd", "rat",
                                                 "rdt")}
    for g in range(k):
        inside = labels == g
        na, nd, ns = agree[inside].sum(0), disagree[inside].sum(0), seen[inside].sum(0)
        oa, od, os_ = agree[~inside].sum(0), disagree[~inside].sum(0), seen[~inside].sum(0)
        pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
        out["na"].append(na)
        out["nd"].append(nd)
        out["ns"].append(ns)
        out["pa"].append(pa)
        out["pd"].append(pd)
        out["pat"].append(_one_prop(na, ns))
        out["pdt"].append(_one_prop(nd, ns))
        out["ra"].append(pa / ((oa + 1) / (os_ + 2)))
        out["rd"].append(pd / ((od + 1) / (os_ + 2)))
        out["rat"].append(_two_prop(na, oa, ns, os_))
        out["rdt"].append(_two_prop(nd, od, ns, os_))
    return {key: np.array(value, dtype=float) for key, value in out.items()}


def representative(stats: dict[str, np.ndarray], group: int, active: np.ndarray,
                   pick_max: int = PICK_MAX) -> list[dict]:
    """The statements that set a group apart: significant in the group and against everyone else."""
    s = {key: value[group] for key, value in stats.items()}
    candidates = []
    for j in np.flatnonzero(active):
        if s["ns"][j] == 0:
            continue
        agree_sig = s["pat"][j] > Z_90 and s["rat"][j] > Z_90
        disagree_sig = s["pdt"][j] > Z_90 and s["rdt"][j] > Z_90
        if not (agree_sig or disagree_sig):
            continue
        use_agree = s["rat"][j] > s["rdt"][j] if agree_sig and disagree_sig else agree_sig
        d = "a" if use_agree else "d"
        metric = s[f"r{d}"][j] * s[f"r{d}t"][j] * s[f"p{d}"][j] * s[f"p{d}t"][j]
        candidates.append((metric, int(j), "agree" if use_agree else "disagree"))
    if not candidates:
        # Like Pol.is, still show the group's single most distinctive statement.
        pool = [j for j in np.flatnonzero(active) if s["ns"][j] > 0]
        if not pool:
            return []
        j = max(pool, key=lambda i: max(s["rat"][i], s["rdt"][i]))
        candidates = [(0.0, int(j), "agree" if s["rat"][j] >= s["rdt"][j] else "disagree")]
    candidates.sort(key=lambda c: (-c[0], c[1]))
    picked = candidates[:pick_max]
    # Agreements first, then disagreements, each by strength (the order Pol.is shows them in).
    picked.sort(key=lambda c: (c[2] != "agree", -c[0], c[1]))
    rows = []
    for metric, col, direction in picked:
        row = _describe(s, col, direction, repness=metric)
        # How everyone outside the group voted, to show the contrast.
        others = int(stats["ns"][:, col].sum() - s["ns"][col])
        o_agree = int(stats["na"][:, col].sum() - s["na"][col])
        o_disagree = int(stats["nd"][:, col].sum() - s["nd"][col])
        row["others_agree_pct"] = round(100 * o_agree / others) if others else 0
        row["others_disagree_pct"] = round(100 * o_disagree / others) if others else 0
        rows.append(row)
    return rows


def _describe(s: dict[str, np.ndarray], j: int, direction: str, *, repness: float | None = None) -> dict:
    ns = int(s["ns"][j])
    na, nd = int(s["na"][j]), int(s["nd"][j])
    row = {
        "column": j,
        "direction": direction,
        "n_votes": ns,
        "agree_pct": round(100 * na / ns) if ns else 0,
        "disagree_pct": round(100 * nd / ns) if ns else 0,
        "pass_pct": round(100 * (ns - na - nd) / ns) if ns else 0,
    }
    if repness is not None:
        row["repness"] = round(float(repness), 3)
    return row


def consensus(stats: dict[str, np.ndarray], overall: dict[str, np.ndarray], active: np.ndarray,
              pick_max: int = PICK_MAX) -> dict[str, list[dict]]:
    """Statements every group leans the same way on, ranked by the product of the groups' probabilities."""
    result: dict[str, list[dict]] = {"agree": [], "disagree": []}
    for d, direction in (("a", "agree"), ("d", "disagree")):
        p_groups = stats[f"p{d}"]
        rows = []
        for j in np.flatnonzero(active):
            if overall["ns"][0][j] == 0 or (stats["ns"][:, j] == 0).any():
                continue
            if (p_groups[:, j] > 0.5).all() and overall[f"p{d}t"][0][j] > Z_90:
                rows.append((float(np.prod(p_groups[:, j])), int(j)))
        rows.sort(key=lambda r: (-r[0], r[1]))
        flat = {key: value[0] for key, value in overall.items()}
        for score, col in rows[:pick_max]:
            row = _describe(flat, col, direction)
            row["group_pcts"] = [
                round(100 * float(stats[f"n{d}"][g][col]) / float(stats["ns"][g][col]))
                for g in range(len(p_groups))
            ]
            row["consensus"] = round(score, 3)
            result[direction].append(row)
    return result


def analyse(matrix: np.ndarray, *, moderated_out: np.ndarray | None = None,
            max_groups: int = MAX_GROUPS) -> GroupResult:
    """Run the whole pipeline on a participants x statements matrix (NaN = not voted)."""
    n, m = matrix.shape
    active = np.ones(m, dtype=bool) if moderated_out is None else ~moderated_out
    for_pca = matrix.copy()
    if moderated_out is not None and moderated_out.any():
        for_pca[:, moderated_out] = 0.0
    points = project(for_pca)
    clustered = (~np.isnan(matrix)).sum(axis=1) >= min_votes_for(m)
    labels = np.full(n, -1, dtype=int)
    sub_labels, k, score = cluster(points[clustered], max_groups=max_groups)
    labels[clustered] = sub_labels
    sub = matrix[clustered]
    stats = group_stats(sub, sub_labels, k)
    overall = group_stats(sub, np.zeros(len(sub), dtype=int), 1)
    result = GroupResult(
        labels=labels, points=points, k=k, silhouette=score, clustered=clustered, stats=stats
    )
    if k >= 2:
        result.repness = {g: representative(stats, g, active) for g in range(k)}
    result.consensus = consensus(stats, overall, active)
    return result
