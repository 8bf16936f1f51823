"""PostgreSQL roles for Porchlight: an owner that runs migrations, and the role the application runs as.

The application role reads and writes every table but may only read and append to the audit log: no UPDATE,
DELETE or TRUNCATE there, and, not being the owner, it cannot ALTER the table or disable its triggers. So a
flaw in the application (or a stolen application password) cannot rewrite the audit trail. See
docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.db import connections
from django.db.backends.utils import CursorWrapper

AUDIT_TABLE = "accounts_auditevent"
MIGRATIONS_TABLE = "django_migrations"


@dataclass(frozen=True)
class RoleUrls:
    owner: str
    app: str


def _role(cursor: CursorWrapper, q: Callable[[str], str], name: str, password: str | None) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    options = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    cursor.execute(f"{verb} ROLE {q(name)} {options}")
    if password:
        cursor.execute(f"ALTER ROLE {q(name)} PASSWORD %s", [password])


def db_roles_apply(
    *, owner: str, app: str, owner_password: str | None, app_password: str | None, using: str = "default"
) -> RoleUrls:
    """Create or update both roles and their rights on this database (idempotent: run it after migrating)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ValueError("Database roles exist on PostgreSQL only.")
    if owner == app:
        raise ValueError("The owner and the application role must differ.")
    q = connection.ops.quote_name
    db = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        _role(cursor, q, owner, owner_password)
        _role(cursor, q, app, app_password)
        cursor.execute(
            "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = %s AND u.rolname = %s",
            [owner, app],
        )
        if cursor.fetchone():  # a member of the owner role could act as the owner
            cursor.execute(f"REVOKE {q(owner)} FROM {q(app)}")
        cursor.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {q(db)} TO {q(owner)}, {q(app)}")
        # The owner owns the schema and everything in it, so it can run migrations.
        cursor.execute(f"ALTER SCHEMA public OWNER TO {q(owner)}")
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {q(table)} OWNER TO {q(owner)}")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'S' "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))"
        )
        for (sequence,) in cursor.fetchall():  # sequences not owned by a table column
            cursor.execute(f"ALTER SEQUENCE {q(sequence)} OWNER TO {q(owner)}")
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public'"
        )
        for (function,) in cursor.fetchall():
            cursor.execute(f"ALTER FUNCTION {function} OWNER TO {q(owner)}")
        # The application: data in and out, nothing more.
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {q(app)}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {q(app)}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q(app)}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q(app)}")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {q(AUDIT_TABLE)} FROM {q(app)}")
        cursor.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {q(MIGRATIONS_TABLE)} FROM {q(app)}")
        # Tables that later migrations create (as the owner) are open to the application the same way.
        for grant in (
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q(app)}",
            f"GRANT USAGE, SELECT ON SEQUENCES TO {q(app)}",
        ):
            cursor.execute(f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA public {grant}")
    where = connection.settings_dict
    return RoleUrls(owner=_url(where, owner, owner_password), app=_url(where, app, app_password))


def _url(settings_dict: dict, user: str, password: str | None) -> str:
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    secret = f":{quote(password, safe='')}" if password else ""
    return f"postgres://{quote(user, safe='')}{secret}@{host}{port}/{quote(settings_dict['NAME'], safe='')}"
