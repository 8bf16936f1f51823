"""Writes for matching: filling the review queue, merging two records, undoing a merge, "different people"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.accounts.services import audit_record
from porchlight.people.matching.engine import ScoredPair
from porchlight.people.matching.models import MatchCandidate, ResidentMerge
from porchlight.people.models import Resident

UNDO_DAYS = 7
# Relations a merge must not move: the matching bookkeeping itself and the merged-into pointer.
NOT_MOVED = {"people.matchcandidate", "people.residentmerge"}
# On the kept record, blanks are filled from the merged one (a phone-only record gains a name).
FILLED_FIELDS = ("first_name", "last_name", "address", "household", "age_range", "gender", "race_ethnicity")


def resident_foreign_keys() -> list[models.ForeignKey]:
    """Every foreign key to Resident in the project, found from the model registry (M2M tables included),
    so that a new model with a resident field is carried along by a merge without anyone listing it."""
    found = []
    for model_cls in apps.get_models(include_auto_created=True):
        if model_cls._meta.label_lower in NOT_MOVED:
            continue
        for field in model_cls._meta.local_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Resident:
                if model_cls is Resident:
                    continue  # merged_into: the record's own pointer
                found.append(field)
    return found


def _key(field: models.ForeignKey) -> str:
    return f"{field.model._meta.label_lower}.{field.name}"


def _unique_sets(field: models.ForeignKey) -> list[list[str]]:
    """The unique field sets of the field's model that include the field (a move must not break them)."""
    meta = field.model._meta
    sets = [list(u) for u in meta.unique_together]
    sets += [list(c.fields) for c in meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    if field.unique:
        sets.append([field.name])
    return [s for s in sets if field.name in s]


def _movable_pks(field: models.ForeignKey, *, source: Resident, target: Resident) -> list:
    """Rows pointing at `source` that can point at `target` without breaking a unique constraint; a row
    that would collide (the same phone on both records) stays with the merged-away record."""
    model_cls = field.model
    rows = model_cls._default_manager.filter(**{field.attname: source.pk})
    sets = _unique_sets(field)
    if not sets:
        return list(rows.values_list("pk", flat=True))
    pks = []
    for obj in rows:
        clash = False
        for fields in sets:
            others = {
                f: getattr(obj, model_cls._meta.get_field(f).attname) for f in fields if f != field.name
            }
            lookup = {
                field.attname: target.pk,
                **{model_cls._meta.get_field(f).attname: v for f, v in others.items()},
            }
            if model_cls._default_manager.filter(**lookup).exists():
                clash = True
        if not clash:
            pks.append(obj.pk)
    return pks


@transaction.atomic
def match_candidates_record(*, pairs: Iterable[ScoredPair], found_by: str = "batch") -> int:
    """Queue scored pairs for review. A pair already queued (in any status) is left as it is: a "different
    people" decision is never proposed again and a re-run never duplicates a pair. Returns the new count."""
    pairs = list(pairs)
    if not pairs:
        return 0
    live = set(
        Resident.objects.filter(
            pk__in={p.id_a for p in pairs} | {p.id_b for p in pairs},
            merged_into__isnull=True,
            erased_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    created = MatchCandidate.objects.bulk_create(
        [
            MatchCandidate(
                resident_a_id=p.id_a,
                resident_b_id=p.id_b,
                score=round(p.weight, 3),
                reasons=p.reasons,
                found_by=found_by,
            )
            for p in pairs
            if p.id_a in live and p.id_b in live and p.id_a != p.id_b
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    return len(created)


@transaction.atomic
def match_candidate_mark_different(*, candidate: MatchCandidate, actor: User) -> MatchCandidate:
    """Two people after all: the pair is closed and never proposed again."""
    if candidate.status != MatchCandidate.Status.OPEN:
        raise ValidationError(_("This pair was already decided."))
    candidate.status = MatchCandidate.Status.DIFFERENT
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=candidate.resident_b,
        detail=f"not the same person as resident #{candidate.resident_a_id}",
    )
    return candidate


@transaction.atomic
def resident_merge(
    *, kept: Resident, merged: Resident, actor: User, candidate: MatchCandidate | None = None
) -> ResidentMerge:
    """Merge `merged` into `kept`: every row pointing at `merged` moves to `kept`, the most protective
    contact choice wins, blanks on `kept` are filled, and `merged` is hidden (not deleted) so the merge can
    be undone for UNDO_DAYS."""
    kept = Resident.objects.select_for_update().get(pk=kept.pk)
    merged = Resident.all_objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk or kept.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("These records can no longer be merged."))
    if candidate is not None and candidate.status != MatchCandidate.Status.OPEN:
        raise ValidationError(_("This pair was already decided."))
    moved: dict[str, list] = {}
    for field in resident_foreign_keys():
        pks = _movable_pks(field, source=merged, target=kept)
        if pks:
            field.model._default_manager.filter(pk__in=pks).update(**{field.attname: kept.pk})
            moved[_key(field)] = pks
    before = {
        "do_not_contact": kept.do_not_contact,
        "consent_to_contact": kept.consent_to_contact,
        **{f: getattr(kept, Resident._meta.get_field(f).attname) for f in FILLED_FIELDS},
    }
    changed = []
    # Do-not-contact on either record wins; consent holds only if both records have it.
    if merged.do_not_contact and not kept.do_not_contact:
        kept.do_not_contact = True
        changed.append("do_not_contact")
    if kept.consent_to_contact and not merged.consent_to_contact:
        kept.consent_to_contact = False
        changed.append("consent_to_contact")
    for name in FILLED_FIELDS:
        attname = Resident._meta.get_field(name).attname
        if not getattr(kept, attname) and getattr(merged, attname):
            setattr(kept, attname, getattr(merged, attname))
            changed.append(name)
    if changed:
        kept.save(update_fields=[*changed, "updated_at"])
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    log = ResidentMerge.objects.create(
        candidate=candidate, kept=kept, merged=merged, moved=moved, kept_before=before, merged_by=actor
    )
    if candidate is not None:
        candidate.status = MatchCandidate.Status.MERGED
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=kept,
        detail=f"merged resident #{merged.pk} into #{kept.pk} ({sum(map(len, moved.values()))} rows moved)",
    )
    return log


@transaction.atomic
def resident_merge_undo(*, merge: ResidentMerge, actor: User) -> ResidentMerge:
    """Put a merge back within UNDO_DAYS: the moved rows return, the kept record's fields are restored and
    the merged record reappears. The pair goes back to the queue."""
    merge = ResidentMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    if timezone.now() - merge.merged_at > timedelta(days=UNDO_DAYS):
        raise ValidationError(_("A merge can be undone only within %(days)d days.") % {"days": UNDO_DAYS})
    fields = {_key(f): f for f in resident_foreign_keys()}
    for key, pks in merge.moved.items():
        field = fields.get(key)
        if field is None:  # a model removed since the merge
            continue
        field.model._default_manager.filter(pk__in=pks, **{field.attname: merge.kept_id}).update(
            **{field.attname: merge.merged_id}
        )
    kept = Resident.objects.select_for_update().get(pk=merge.kept_id)
    restore = []
    for name, value in merge.kept_before.items():
        attname = Resident._meta.get_field(name).attname
        if getattr(kept, attname) != value:
            setattr(kept, attname, value)
            restore.append(name)
    if restore:
        kept.save(update_fields=[*restore, "updated_at"])
    Resident.all_objects.filter(pk=merge.merged_id).update(merged_into=None, updated_at=timezone.now())
    merge.undone_by = actor
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    if merge.candidate_id:
        MatchCandidate.objects.filter(pk=merge.candidate_id).update(
            status=MatchCandidate.Status.OPEN, decided_by=None, decided_at=None
        )
    audit_record(
        actor=actor, action="update", obj=kept, detail=f"undid the merge of resident #{merge.merged_id}"
    )
    return merge


def match_residents_batch(*, threshold: float | None = None, batch_size: int = 5000) -> dict[str, int]:
    """Score every live resident against every other (DuckDB, blocked) and queue the pairs found."""
    from porchlight.people.matching import model
    from porchlight.people.matching.engine import pairs_within
    from porchlight.people.matching.selectors import resident_records

    qs = (
        Resident.objects.filter(merged_into__isnull=True, erased_at__isnull=True)
        .select_related("address")
        .prefetch_related("phones", "emails")
        .order_by("pk")
    )
    records = []
    for start in range(0, qs.count(), batch_size):
        records += resident_records(qs[start : start + batch_size])
    pairs = pairs_within(records, threshold=model.REVIEW_THRESHOLD if threshold is None else threshold)
    return {"residents": len(records), "pairs": len(pairs), "queued": match_candidates_record(pairs=pairs)}


def match_candidates_queue_for(*, resident: Resident, found_by: str) -> int:
    """Check a just-registered resident against the stored ones and queue the possible duplicates."""
    from porchlight.people.matching.engine import ScoredPair
    from porchlight.people.matching.selectors import resident_match_candidates

    address = resident.address
    found = resident_match_candidates(
        first_name=resident.first_name,
        last_name=resident.last_name,
        street=address.street if address else "",
        unit=address.unit if address else "",
        zip_code=address.zip_code if address else "",
        phones=list(resident.phones.values_list("number", flat=True)),
        emails=list(resident.emails.values_list("address", flat=True)),
        age_range=resident.age_range,
        exclude_ids={resident.pk},
    )
    pairs = [ScoredPair(*sorted((c.resident.pk, resident.pk)), c.score, {}) for c in found]
    reasons = {c.resident.pk: c.reasons for c in found}
    return _record_with_reasons(pairs, reasons, resident.pk, found_by)


def _record_with_reasons(pairs: list, reasons: dict, new_pk: int, found_by: str) -> int:
    live = [p for p in pairs if p.id_a != p.id_b]
    created = MatchCandidate.objects.bulk_create(
        [
            MatchCandidate(
                resident_a_id=p.id_a,
                resident_b_id=p.id_b,
                score=round(p.weight, 3),
                reasons=reasons[p.id_a if p.id_a != new_pk else p.id_b],
                found_by=found_by,
            )
            for p in live
        ],
        ignore_conflicts=True,
    )
    return len(created)


def match_candidates_queue_imported(*, resident_ids: list[int]) -> int:
    """After a CSV import: score the imported residents against the stored ones (and each other) in one
    DuckDB run, and queue what reaches the review threshold."""
    from porchlight.people.matching.engine import pairs_between, pairs_within
    from porchlight.people.matching.selectors import _stored_candidates, resident_records

    if not resident_ids:
        return 0
    new = resident_records(
        Resident.objects.filter(pk__in=resident_ids)
        .select_related("address")
        .prefetch_related("phones", "emails")
    )
    stored = resident_records(_stored_candidates(new, set(resident_ids)))
    pairs = pairs_between(new, stored, blocking_rule=None) + pairs_within(new)
    return match_candidates_record(pairs=pairs, found_by="import")
