"""The chain's columns become required and unique, and the audit log becomes append-only in both databases.

PostgreSQL refuses UPDATE and DELETE with a row trigger; TRUNCATE and disabling the trigger are kept from the
application by running it as a role that is not the table's owner and has only SELECT and INSERT on this
table (`manage.py db_roles`, docs/security.md). SQLite refuses UPDATE and DELETE with two triggers. (Django's
test flush, which empties tables with DELETE on SQLite, lifts the DELETE trigger for the flush only: see
conftest.py.) SQLite rebuilds a table, and drops its triggers, on most schema changes: a later migration that
alters this table must create them again (the audit tests fail if it does not).
"""

from django.db import migrations, models

PG_CREATE = """
CREATE OR REPLACE FUNCTION porchlight_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditevent_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION porchlight_audit_append_only();
"""
PG_DROP = "DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;"
SQLITE_CREATE = [
    "CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only'); END;",
    "CREATE TRIGGER accounts_auditevent_no_delete BEFORE DELETE ON accounts_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_delete;",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_audit_hash_chain")]

    operations = [
        migrations.AlterField("auditevent", "seq", models.BigIntegerField(unique=True, editable=False)),
        migrations.AlterField("auditevent", "prev_hash", models.CharField(max_length=64, editable=False)),
        migrations.AlterField("auditevent", "hash", models.CharField(max_length=64, unique=True, editable=False)),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
