"""Link the audit log into a hash chain (accounts/chain.py) and hash the rows already there.

The append-only triggers are dropped here, so the existing rows can get their hashes, and created again,
stronger, by the next migration. Both migrations compute the digest with a frozen copy of the rule.
"""

import datetime as dt
import hashlib
import ipaddress
import json

from django.db import migrations, models

GENESIS = "0" * 64


def digest(row, prev_hash):
    ip = str(ipaddress.ip_address(str(row.ip_address))) if row.ip_address else None
    at = row.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = [row.seq, at, row.actor_id, row.action, row.object_type, row.object_id, row.detail, ip, prev_hash]
    payload = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS accounts_auditevent_no_update;")


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TRIGGER accounts_auditevent_append_only BEFORE UPDATE OR DELETE ON accounts_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION porchlight_audit_append_only();"
        )
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'accounts_auditevent is append-only'); END;"
        )


def hash_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    db = schema_editor.connection.alias
    prev = GENESIS
    # The historical model's queryset has none of the append-only guards: update row by row, in id order.
    for seq, row in enumerate(AuditEvent.objects.using(db).order_by("id").iterator(chunk_size=2000), start=1):
        row.seq, row.prev_hash = seq, prev
        row.hash = digest(row, prev)
        AuditEvent.objects.using(db).filter(pk=row.pk).update(seq=row.seq, prev_hash=prev, hash=row.hash)
        prev = row.hash


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_append_only_trigger")]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers),
        migrations.AddField("auditevent", "seq", models.BigIntegerField(null=True, editable=False)),
        migrations.AddField("auditevent", "prev_hash", models.CharField(max_length=64, default="", editable=False)),
        migrations.AddField("auditevent", "hash", models.CharField(max_length=64, default="", editable=False)),
        migrations.RunPython(hash_existing_rows, migrations.RunPython.noop),
    ]
