"""Audit entries for reads of many records at once (a list page, an API page, an export).

One entry per request, naming which records were shown by id (ranges kept short) or, when they do not fit,
how many, with the kind of list. Never the search terms: those may hold a name or a phone number.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from porchlight.accounts.models import AuditEvent, User
from porchlight.accounts.services import audit_record

DETAIL_MAX = 500


def ids_compact(ids: Iterable[int]) -> str:
    """1,2,3,7,9,10 → "1-3,7,9-10"."""
    ordered = sorted(set(ids))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def audit_record_list(
    *,
    actor: User,
    object_type: str,
    ids: Iterable[int],
    kind: str,
    request: HttpRequest | None = None,
    action: str = AuditEvent.Action.VIEW,
) -> AuditEvent:
    """Record that `actor` was shown the records `ids` of `object_type` in a list of `kind`."""
    ids = list(ids)
    detail = f"{kind}: {len(ids)} shown"
    listed = ids_compact(ids)
    if listed and len(detail) + len(listed) + 6 <= DETAIL_MAX:
        detail += f", ids {listed}"
    return audit_record(
        actor=actor, action=action, object_type=object_type, detail=detail, request=request
    )
