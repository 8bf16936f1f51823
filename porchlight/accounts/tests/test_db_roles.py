"""`manage.py db_roles` on PostgreSQL: the application role cannot rewrite the audit log."""

import secrets
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from porchlight.accounts.services import audit_record

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")


@pytest.fixture
def roles(transactional_db):
    """Two fresh roles (cluster-wide, so their names are unique), removed again after the test."""
    suffix = secrets.token_hex(4)
    owner, app = f"pl_test_owner_{suffix}", f"pl_test_app_{suffix}"
    yield owner, app
    with connection.cursor() as cursor:
        for role in (owner, app):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
                cursor.execute(f'DROP OWNED BY "{role}"')
                cursor.execute(f'DROP ROLE "{role}"')


def _connect(role: str) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "localhost", port=s["PORT"] or 5432, dbname=s["NAME"], user=role,
        password="pw-" + role, autocommit=True,
    )


def test_it_gives_the_app_role_no_way_to_rewrite_the_audit_log(roles, personas):
    owner, app = roles
    audit_record(actor=personas["analyst"], action="export", object_type="report", object_id="1")
    out = StringIO()
    call_command("db_roles", owner=owner, app=app, owner_password="pw-" + owner, app_password="pw-" + app,
                 stdout=out)
    assert f"postgres://{app}:pw-{app}@" in out.getvalue() and f"postgres://{owner}:" in out.getvalue()
    with _connect(app) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_auditevent")
        assert cursor.fetchone() == (1,)
        for statement in (
            "DELETE FROM accounts_auditevent",
            "TRUNCATE accounts_auditevent",
            "UPDATE accounts_auditevent SET detail = 'x'",
            "ALTER TABLE accounts_auditevent DISABLE TRIGGER USER",
            "DROP TABLE accounts_auditevent",
            "DELETE FROM django_migrations",
            "CREATE TABLE sneaky (id int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cursor.execute(statement)
        # ... while the rest of the application works: appending to the chain and everyday writes.
        cursor.execute("BEGIN")
        cursor.execute("SELECT pg_advisory_xact_lock(1)")
        cursor.execute("UPDATE accounts_user SET first_name = 'A' WHERE id = %s", [personas["analyst"].pk])
        cursor.execute("DELETE FROM django_session")
        cursor.execute("COMMIT")
    with _connect(owner) as conn, conn.cursor() as cursor:  # the owner runs migrations
        cursor.execute("ALTER TABLE accounts_auditevent ADD COLUMN probe int")
        cursor.execute("ALTER TABLE accounts_auditevent DROP COLUMN probe")


def test_it_can_run_again_without_changing_passwords(roles):
    owner, app = roles
    call_command("db_roles", owner=owner, app=app, stdout=StringIO())
    out = StringIO()
    call_command("db_roles", owner=owner, app=app, keep_passwords=True, stdout=out)
    assert f"postgres://{app}@" in out.getvalue()
