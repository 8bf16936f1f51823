"""Benchmark: import a generated CSV of N addresses (default 100,000) and print rows/s and peak memory.

    .venv/bin/python bench/import_addresses.py [--rows 100000] [--areas 100]

Uses a throwaway SQLite database in a temporary folder unless DATABASE_URL is set (then that database is
used as it is: point it at an empty scratch database). Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--areas", type=int, default=100, help="neighborhoods in a square grid")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="porchlight-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from porchlight.places.geo import area_index_reset
    from porchlight.places.imports import import_job_create, import_job_run
    from porchlight.places.models import Address, Area, ImportJob
    from porchlight.testing.factories import square

    settings.MEDIA_ROOT = tmp / "media"
    call_command("migrate", verbosity=0)
    side = max(1, int(args.areas**0.5))
    cell = 0.2 / side
    for i in range(side * side):
        lon, lat = -80.95 + (i % side) * cell, 35.1 + (i // side) * cell
        Area.objects.update_or_create(
            kind=Area.Kind.NEIGHBORHOOD,
            code=f"B{i}",
            defaults={
                "name": f"Bench {i}",
                "geometry": square(lon, lat, cell),
                "min_lon": lon,
                "min_lat": lat,
                "max_lon": lon + cell,
                "max_lat": lat + cell,
            },
        )
    area_index_reset()

    rng = random.Random(42)
    lines = ["street,unit,city,state,zip,latitude,longitude"]
    for n in range(args.rows):
        lines.append(
            f"{n + 1} {rng.choice(['Tryon', 'Trade', 'Beatties Ford', 'Central', 'Freedom'])} St,"
            f"{'Apt ' + str(n % 7) if n % 3 == 0 else ''},Charlotte,NC,282{n % 100:02d},"
            f"{35.1 + rng.random() * 0.2:.6f},{-80.95 + rng.random() * 0.2:.6f}"
        )
    data = ("\n".join(lines) + "\n").encode()
    before = Address.objects.count()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    phases: dict[str, float] = {}
    start = time.perf_counter()

    def watch(job: ImportJob) -> None:
        phases.setdefault(job.status, time.perf_counter())

    job = import_job_create(kind="addresses", file_name="bench.csv", data=data, actor=None)
    job = import_job_run(job=job, on_progress=watch)
    elapsed = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert job.status == ImportJob.Status.DONE, job.errors[:5]
    created = Address.objects.count() - before
    links = Address.areas.through.objects.count()
    writing = time.perf_counter() - phases.get("importing", start)
    print(f"database:        {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"file:            {len(data) / 1024 / 1024:.1f} MB, {args.rows:,} rows, {side * side} areas")
    print(f"created:         {created:,} addresses, {links:,} area links")
    print(f"total:           {elapsed:.1f} s  ({args.rows / elapsed:,.0f} rows/s)")
    print(f"  validate:      {phases.get('importing', start) - start:.1f} s")
    print(f"  write:         {writing:.1f} s")
    print(f"peak RSS:        {rss_after / 1024:.0f} MB (was {rss_before / 1024:.0f} MB before the import)")


if __name__ == "__main__":
    main()
