"""Backups as docs/deploy.md tells a city to take them: `pg_dump -Fc`, restored with `pg_restore` into a fresh
database, hold every row. Runs only on PostgreSQL (DATABASE_URL=postgres://...)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from porchlight.testing.factories import ConversationFactory, ReferralFactory, ResidentFactory

TABLES = ["people_resident", "outreach_conversation", "cases_referral", "accounts_auditevent"]

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="a PostgreSQL backup"
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed (postgresql-client)"),
]


def _libpq_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "localhost", "PGPORT": str(db["PORT"] or 5432)}
    env["PGUSER"] = db["USER"] or ""
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _counts(dbname: str) -> dict[str, int]:
    env = _libpq_env()
    with psycopg.connect(
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        password=env.get("PGPASSWORD"),
        dbname=dbname,
    ) as conn:
        return {
            t: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[0]
            for t in TABLES
        }


@pytest.mark.django_db(transaction=True)  # committed rows, so that pg_dump (another session) sees them
def test_it_restores_a_dump_into_a_fresh_database_with_every_row(tmp_path: Path) -> None:
    for _ in range(3):
        ReferralFactory()
    ConversationFactory.create_batch(4)
    ResidentFactory.create_batch(5)
    source = connection.settings_dict["NAME"]
    before = _counts(source)
    assert all(before[t] > 0 for t in TABLES[:3]), before

    env = _libpq_env()
    dump = tmp_path / "porchlight.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), source], env=env, check=True, timeout=300
    )
    target = f"pl_restore_{uuid.uuid4().hex[:12]}"
    subprocess.run(["createdb", target], env=env, check=True, timeout=120)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", target, str(dump)],
            env=env,
            check=True,
            timeout=300,
        )
        assert _counts(target) == before
    finally:
        subprocess.run(["dropdb", "--if-exists", target], env=env, check=True, timeout=120)
