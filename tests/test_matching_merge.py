"""A merge carries every row that points at a resident, found from the model registry, not from a list."""

from __future__ import annotations

from porchlight.people.matching.services import resident_foreign_keys, resident_merge, resident_merge_undo
from porchlight.testing.factories import ResidentFactory


def _pointing_at(resident_pk: int) -> dict[str, int]:
    counts = {}
    for field in resident_foreign_keys():
        n = field.model._default_manager.filter(**{field.attname: resident_pk}).count()
        if n:
            counts[f"{field.model._meta.label_lower}.{field.name}"] = n
    return counts


def test_it_finds_every_foreign_key_to_a_resident() -> None:
    found = {f"{f.model._meta.label_lower}.{f.name}" for f in resident_foreign_keys()}
    assert {
        "people.phone.resident", "people.email.resident", "outreach.conversation.resident",
        "cases.referral.resident", "cases.case.resident", "outreach.target.resident",
    } <= found


def test_a_merge_leaves_nothing_behind_and_undo_puts_it_back(world) -> None:
    merged = world["resident"]
    before = _pointing_at(merged.pk)
    assert len(before) >= 5  # conversation, referral, case, screening, target...
    kept = ResidentFactory()
    log = resident_merge(kept=kept, merged=merged, actor=world["personas"]["administrator"])
    assert _pointing_at(merged.pk) == {}
    resident_merge_undo(merge=log, actor=world["personas"]["administrator"])
    assert _pointing_at(merged.pk) == before
    assert _pointing_at(kept.pk) == {}
