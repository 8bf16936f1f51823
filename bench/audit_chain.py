"""Benchmark: what the audit log's hash chain costs. Appends N audit events through `audit_record` (the lock,
the read of the last row, the hash and the insert), then walks the whole chain with `audit_chain_verify`.
Prints appends per second and rows verified per second.

    .venv/bin/python bench/audit_chain.py                      # 20,000 rows, scratch SQLite in /tmp
    .venv/bin/python bench/audit_chain.py --rows 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/porchlight_bench .venv/bin/python bench/audit_chain.py

Without DATABASE_URL it writes a fresh SQLite file under /tmp (migrated at start); with it, point at a scratch
database (it migrates; audit rows cannot be deleted afterwards, so drop the database when done).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porchlight.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='porchlight-bench-audit-')}/bench.sqlite3"

import django

django.setup()

from django.core.management import call_command
from django.db import connection

from porchlight.accounts.selectors import audit_chain_verify
from porchlight.accounts.services import audit_record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    for i in range(args.rows):
        audit_record(actor=None, action="view", object_type="people.resident", object_id=str(i))
    append = time.perf_counter() - started
    started = time.perf_counter()
    report = audit_chain_verify()
    verify = time.perf_counter() - started
    assert report.ok, report
    print(f"database: {connection.vendor}; rows in the chain: {report.checked:,}")
    print(f"append (audit_record, autocommit): {args.rows / append:,.0f} rows/s ({append:.1f} s)")
    print(f"verify (audit_chain_verify): {report.checked / verify:,.0f} rows/s ({verify:.2f} s)")


if __name__ == "__main__":
    main()
