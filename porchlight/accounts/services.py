"""Writes for accounts: the audit log."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from porchlight.accounts.models import AuditEvent, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one entry to the audit log. Use for every view or export of a resident's record."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:500],
        ip_address=ip or None,
    )
