"""Benchmark: import a generated CSV of N addresses (default 100,000) and print rows/s, wall time and peak
memory — and, in the same run, the time of a raw bulk load of the same file into a bare table (COPY on
PostgreSQL; one executemany transaction on SQLite), with the ratio.

    .venv/bin/python bench/import_addresses.py [--rows 100000] [--areas 100]          # scratch SQLite
    .venv/bin/python bench/import_addresses.py --postgres postgres://postgres@127.0.0.1:5432/pl_imports
    .venv/bin/python bench/import_addresses.py --both --rows 1000000                  # one after the other

With --postgres the named database is dropped and created again (point it at a scratch name). Each database
runs in a process of its own, so peak RSS is the import's. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/pl_imports"


def generate(path: Path, rows: int) -> None:
    """Written line by line: the generator itself holds no rows."""
    rng = random.Random(42)
    streets = ["Tryon", "Trade", "Beatties Ford", "Central", "Freedom"]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("street,unit,city,state,zip,latitude,longitude\n")
        for n in range(rows):
            f.write(
                f"{n + 1} {rng.choice(streets)} St,{'Apt ' + str(n % 7) if n % 3 == 0 else ''},Charlotte,NC,"
                f"282{n % 100:02d},{35.1 + rng.random() * 0.2:.6f},{-80.95 + rng.random() * 0.2:.6f}\n"
            )


def recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def raw_load(path: Path) -> float:
    """The floor: the same file into a bare table with no checks, no indexes, no areas."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute(
            "CREATE TABLE bench_raw (street TEXT, unit TEXT, city TEXT, state TEXT, zip TEXT, "
            "latitude DOUBLE PRECISION, longitude DOUBLE PRECISION)"
        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                cursor.cursor.copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
                path.open("rb") as f,
            ):
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        else:
            import csv

            with path.open(encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                next(reader)
                cursor.executemany("INSERT INTO bench_raw VALUES (%s, %s, %s, %s, %s, %s, %s)", reader)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw")
    return elapsed


def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="porchlight-bench-"))
    if args.postgres:
        recreate_postgres(args.postgres)
        os.environ["DATABASE_URL"] = args.postgres
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    sys.path.insert(0, str(ROOT))
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
    settings.PORCHLIGHT_IMPORT_MAX_ROWS = max(settings.PORCHLIGHT_IMPORT_MAX_ROWS, args.rows)
    settings.PORCHLIGHT_IMPORT_MAX_BYTES = max(settings.PORCHLIGHT_IMPORT_MAX_BYTES, 200 * 1024 * 1024)
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

    settings.DEBUG = False  # as in production: no query log
    path = tmp / "addresses.csv"
    generate(path, args.rows)
    size = path.stat().st_size
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    phases: dict[str, float] = {}
    start = time.perf_counter()

    def watch(job: ImportJob) -> None:
        phases.setdefault(job.status, time.perf_counter())

    with path.open("rb") as f:
        job = import_job_create(kind="addresses", file_name="bench.csv", data=f, actor=None)
    job = import_job_run(job=job, on_progress=watch)
    elapsed = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    raw = raw_load(path)  # after the import, so that its memory does not count as the import's
    assert job.status == ImportJob.Status.DONE, job.errors[:5]
    created = Address.objects.count()
    links = Address.areas.through.objects.count()
    writing = start + elapsed - phases.get("importing", start)
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    raw_kind = "COPY" if engine == "postgresql" else "executemany"
    print(f"database:        {engine}")
    print(f"file:            {size / 1024 / 1024:.1f} MB, {args.rows:,} rows, {side * side} areas")
    print(f"created:         {created:,} addresses, {links:,} area links")
    print(f"import:          {elapsed:.1f} s  ({args.rows / elapsed:,.0f} rows/s)")
    print(f"  validate:      {phases.get('importing', start) - start:.1f} s")
    print(f"  write:         {writing:.1f} s")
    print(f"raw {raw_kind + ':':<12}{raw:.1f} s  ({args.rows / raw:,.0f} rows/s) into a bare table")
    print(f"ratio:           import takes {elapsed / raw:.1f}× the raw load")
    print(f"peak RSS:        {rss_after / 1024:.0f} MB (was {rss_before / 1024:.0f} MB before the import)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--areas", type=int, default=100, help="neighborhoods in a square grid")
    parser.add_argument(
        "--postgres", metavar="URL", help="run on this PostgreSQL database (dropped, recreated)"
    )
    parser.add_argument(
        "--both", action="store_true", help=f"SQLite, then PostgreSQL ({DEFAULT_PG} unless --postgres)"
    )
    args = parser.parse_args()
    if not args.both:
        run(args)
        return
    me = [sys.executable, __file__, "--rows", str(args.rows), "--areas", str(args.areas)]
    for extra in ([], ["--postgres", args.postgres or DEFAULT_PG]):
        subprocess.run([*me, *extra], check=True)  # noqa: S603 - this script, with our own arguments
        print()


if __name__ == "__main__":
    main()
