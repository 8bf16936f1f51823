"""The audit log's hash chain: each row stores the SHA-256 of its own content and of the previous row's hash.

A row removed, altered or inserted out of order by someone who got past the database's guards (a superuser
with triggers disabled, a copied SQLite file) breaks the chain at that point, and `manage.py audit_verify`
says where. Every column is hashed: audit details never hold free text about a resident (docs/security.md),
so erasing a resident never needs to touch the audit log and the chain stays verifiable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json

from django.db import connections

GENESIS = "0" * 64
# pg_advisory_xact_lock key: serializes appends to the chain (needs no table privilege, unlike LOCK TABLE).
LOCK_KEY = 0x504C_4155_4449_54  # "PLAUDIT"


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ip(value: object) -> str | None:
    return str(ipaddress.ip_address(str(value))) if value else None


def event_digest(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    detail: str,
    ip_address: object,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of one audit row's content and the hash of the row before it."""
    content = [seq, _when(at), actor_id, action, object_type, object_id, detail, _ip(ip_address), prev_hash]
    payload = json.dumps(content, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chain_lock(using: str) -> None:
    """Hold the chain until the current transaction ends, so two appends never link to the same row.

    PostgreSQL: a transaction-scoped advisory lock. SQLite has a single writer and Porchlight opens its
    transactions with BEGIN IMMEDIATE, so the write lock is already held. Either way the unique `seq`
    column refuses a fork rather than storing one.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
