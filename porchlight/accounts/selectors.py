"""Reads for accounts: checking the audit log's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from porchlight.accounts.chain import GENESIS, event_digest
from porchlight.accounts.models import AuditEvent

FIELDS = ("id", "seq", "at", "actor_id", "action", "object_type", "object_id", "detail", "ip_address")


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the audit log from its first row to its last."""

    checked: int
    head_seq: int | None = None
    head_hash: str | None = None
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_chain_verify(*, batch: int = 5000) -> ChainReport:
    """Recompute every row's hash in chain order; report the first row whose link is broken or missing.

    A removed row shows as a gap in `seq` and as a `prev_hash` that names no row; an altered row as a hash
    that no longer matches its content. Removing the newest rows leaves no gap: compare the head (the last
    row's seq and hash, printed by `manage.py audit_verify`) with one recorded earlier.
    """
    prev_seq, prev_hash, checked = 0, GENESIS, 0
    rows = AuditEvent.objects.order_by("seq").values_list(*FIELDS, "prev_hash", "hash")
    for row in rows.iterator(chunk_size=batch):
        pk, seq, at, actor_id, action, object_type, object_id, detail, ip, stored_prev, stored_hash = row
        problem = _link_problem(prev_seq, prev_hash, seq, stored_prev)
        if not problem:
            fresh = event_digest(
                seq=seq, at=at, actor_id=actor_id, action=action, object_type=object_type,
                object_id=object_id, detail=detail, ip_address=ip, prev_hash=stored_prev,
            )
            if fresh != stored_hash:
                problem = _("its content was changed after it was written")
        if problem:
            return ChainReport(checked, prev_seq or None, prev_hash, seq, pk, problem)
        prev_seq, prev_hash, checked = seq, stored_hash, checked + 1
    return ChainReport(checked, prev_seq or None, prev_hash if prev_seq else None)


def _link_problem(prev_seq: int, prev_hash: str, seq: int, stored_prev: str) -> str:
    if seq != prev_seq + 1:
        missing = {"first": prev_seq + 1, "last": seq - 1}
        return _("rows %(first)d to %(last)d before it are missing") % missing
    if stored_prev != prev_hash:
        return _("its link to row %(seq)d does not match that row's hash") % {"seq": prev_seq}
    return ""
