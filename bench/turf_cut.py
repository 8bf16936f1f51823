"""Benchmark: cutting 1,000,000 doors into turfs of 50 (the pure algorithm, no database), against KMeans.

    .venv/bin/python bench/turf_cut.py                  # 1,000,000 doors, size 50
    .venv/bin/python bench/turf_cut.py --doors 200000 --no-route --no-kmeans
    .venv/bin/python bench/turf_cut.py --doors 100000 --no-route --kmeans full --kmeans-iter 10

Doors are clustered around 8 centres within ~50 km (Gaussian neighbourhoods of 1–6 km), a fifth of them in
multi-unit buildings of 2–120 units. Prints time, peak memory (tracemalloc: numpy's allocations are traced),
turfs made, door-count spread, share of turfs within ±10% of the mean, and mean turf radius (mean distance
of a turf's doors from its centroid). Then scikit-learn's MiniBatchKMeans (full KMeans with 20,000 clusters
on a million points takes far too long) with the same number of clusters, which ignores buildings and does
not balance counts, for comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")

import django

django.setup()

from porchlight.outreach.field.turfs import project, turfs_plan


def synthetic_city(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lon, lat and building id per door, sorted so that a building's units are adjacent."""
    rng = np.random.default_rng(seed)
    centres_lon = -80.84 + rng.uniform(-0.25, 0.25, 8)  # ±~23 km around Charlotte
    centres_lat = 35.23 + rng.uniform(-0.22, 0.22, 8)
    spread_km = rng.uniform(1, 6, 8)
    weights = rng.dirichlet(np.ones(8))
    # Buildings: 80% of doors in houses, 20% in multi-unit buildings.
    n_multi_doors = n // 5
    sizes = rng.integers(2, 121, size=n_multi_doors // 20)
    sizes = sizes[np.cumsum(sizes) <= n_multi_doors]
    unit_counts = np.concatenate([sizes, np.ones(n - int(sizes.sum()), dtype=np.int64)])
    n_buildings = len(unit_counts)
    which = rng.choice(8, size=n_buildings, p=weights)
    km_lat = 1 / 111.0
    km_lon = km_lat / np.cos(np.radians(35.23))
    b_lon = centres_lon[which] + rng.normal(0, 1, n_buildings) * spread_km[which] * km_lon
    b_lat = centres_lat[which] + rng.normal(0, 1, n_buildings) * spread_km[which] * km_lat
    building = np.repeat(np.arange(n_buildings), unit_counts)
    return b_lon[building], b_lat[building], building


def spread(counts: np.ndarray) -> str:
    mean = counts.mean()
    within = np.mean(np.abs(counts - mean) <= 0.1 * mean)
    return (
        f"min {counts.min()}, median {np.median(counts):.0f}, max {counts.max()}, "
        f"within ±10% of the mean ({mean:.1f}): {within:.1%}"
    )


def mean_radius(x: np.ndarray, y: np.ndarray, labels: np.ndarray) -> float:
    k = labels.max() + 1
    counts = np.bincount(labels, minlength=k)
    cx = np.bincount(labels, weights=x, minlength=k) / np.maximum(counts, 1)
    cy = np.bincount(labels, weights=y, minlength=k) / np.maximum(counts, 1)
    d = np.hypot(x - cx[labels], y - cy[labels])
    per_turf = np.bincount(labels, weights=d, minlength=k) / np.maximum(counts, 1)
    return float(per_turf[counts > 0].mean())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--doors", type=int, default=1_000_000)
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--no-route", action="store_true", help="cut only, no walking routes")
    parser.add_argument("--no-kmeans", action="store_true")
    parser.add_argument(
        "--kmeans",
        choices=["minibatch", "full"],
        default="minibatch",
        help="MiniBatchKMeans (default), or full Lloyd KMeans (slow: every door against every centre)",
    )
    parser.add_argument("--kmeans-iter", type=int, default=3, help="KMeans iterations / epochs (max_iter)")
    args = parser.parse_args()

    lon, lat, building = synthetic_city(args.doors)
    x, y, _lon0, _lat0 = project(lon, lat)
    print(
        f"{args.doors:,} doors in {building.max() + 1:,} buildings; extent "
        f"{(x.max() - x.min()) / 1000:.0f} × {(y.max() - y.min()) / 1000:.0f} km; turf size {args.size}; "
        f"{os.cpu_count()} CPUs"
    )

    tracemalloc.start()
    t0 = time.perf_counter()
    cut = turfs_plan(lon=lon, lat=lat, groups=building, size=args.size, route=False)
    t_cut = time.perf_counter() - t0
    _cur, peak_cut = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    counts = np.bincount(cut.labels)
    # Buildings of at most `size` doors must be whole (bigger ones are cut into pieces by design).
    units = np.bincount(building)
    small = np.flatnonzero(units <= args.size)
    kept = all(len(np.unique(cut.labels[building == b])) == 1 for b in small[units[small] > 1][:2000])
    print(f"\nbisection: {t_cut:.1f} s, peak {peak_cut / 2**20:.0f} MiB, {cut.n_turfs:,} turfs")
    print(f"  doors per turf: {spread(counts)}")
    print(
        f"  mean turf radius: {mean_radius(x, y, cut.labels):.0f} m; "
        f"2,000 multi-unit buildings (≤ size) kept whole: {kept}"
    )

    if not args.no_route:
        t0 = time.perf_counter()
        turfs_plan(lon=lon, lat=lat, groups=building, size=args.size, route=True)
        t_all = time.perf_counter() - t0
        print(f"bisection + walking routes (nearest neighbour + 2-opt): {t_all:.1f} s")

    if not args.no_kmeans:
        from sklearn.cluster import KMeans, MiniBatchKMeans

        pts = np.column_stack([x, y])
        t0 = time.perf_counter()
        if args.kmeans == "full":
            name = f"KMeans (k={cut.n_turfs:,}, Lloyd, random init, {args.kmeans_iter} iterations)"
            km = KMeans(
                n_clusters=cut.n_turfs, n_init=1, max_iter=args.kmeans_iter, init="random", random_state=0
            ).fit(pts)
        else:
            name = f"MiniBatchKMeans (k={cut.n_turfs:,}, batch 8192, random init, {args.kmeans_iter} epochs)"
            km = MiniBatchKMeans(
                n_clusters=cut.n_turfs,
                batch_size=8192,
                n_init=1,
                max_iter=args.kmeans_iter,
                init="random",
                random_state=0,
            ).fit(pts)
        t_km = time.perf_counter() - t0
        km_counts = np.bincount(km.labels_, minlength=cut.n_turfs)
        print(f"\n{name}: {t_km:.1f} s")
        print(f"  doors per cluster: {spread(km_counts)}; empty clusters: {int((km_counts == 0).sum())}")
        print(f"  mean cluster radius: {mean_radius(x, y, km.labels_):.0f} m")
        print(f"  time ratio {name.split(' ')[0]} / bisection: {t_km / t_cut:.1f}×")


if __name__ == "__main__":
    main()
