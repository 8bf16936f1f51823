"""Reads for matching: candidates for incoming records, the review queue, one pair for review."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.people.matching import model
from porchlight.people.matching.engine import ScoredPair, pairs_between
from porchlight.people.matching.labels import level_label
from porchlight.people.matching.models import MatchCandidate
from porchlight.people.matching.normalize import MatchRecord, match_record
from porchlight.people.models import Email, Phone, Resident

# At most this many stored residents are scored for one incoming record (the best-blocked first).
MAX_CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored resident an incoming record may be, with the evidence."""

    resident: Resident
    score: float
    reasons: dict[str, dict]

    @property
    def is_strong(self) -> bool:
        return self.score >= model.STRONG_THRESHOLD

    @property
    def agreed(self) -> list[str]:
        """The fields that agreed (added weight), for "this may be X (same phone)"."""
        return [level_label(r["level"]) for r in self.reasons.values() if r["weight"] > 0]


def resident_records(residents: Iterable[Resident]) -> list[MatchRecord]:
    """Normalized records of stored residents (address, phones and emails prefetched by the caller)."""
    out = []
    for r in residents:
        address = r.address
        out.append(
            match_record(
                unique_id=r.pk,
                first_name=r.first_name,
                last_name=r.last_name,
                street=address.street if address else "",
                unit=address.unit if address else "",
                zip_code=address.zip_code if address else "",
                phones=[p.number for p in r.phones.all()],
                emails=[e.address for e in r.emails.all()],
                age_range=r.age_range,
            )
        )
    return out


def _stored_candidates(records: Sequence[MatchRecord], exclude_ids: set[int]) -> QuerySet[Resident]:
    """Django-side blocking: stored residents sharing a phone, an email, a surname part or a house number;
    those sharing a phone or an email first (they are the likeliest, and the list is capped)."""
    phones = {p for r in records for p in r.phones}
    emails = {e for r in records for e in r.emails}
    surnames = {part for r in records for part in r.last_parts if len(part) > 1}
    streets = {r.street.split(" ", 1)[0] for r in records if r.street}  # the house number
    shares_contact = Exists(Phone.objects.filter(resident=OuterRef("pk"), number__in=phones)) | Exists(
        Email.objects.filter(resident=OuterRef("pk"), address__in=emails)
    )
    q = Q(shares_contact)
    for part in surnames:
        q |= Q(last_name__icontains=part)
    if streets:
        q |= Q(address__street__regex=r"^({})\s".format("|".join(sorted(streets))))
    return (
        Resident.objects.filter(q, erased_at__isnull=True)
        .exclude(pk__in=exclude_ids)
        .annotate(shares_contact=shares_contact)
        .order_by("-shares_contact", "-pk")
        .select_related("address")
        .prefetch_related("phones", "emails")
    )


def resident_match_candidates(
    *,
    first_name: str = "",
    last_name: str = "",
    street: str = "",
    unit: str = "",
    zip_code: str = "",
    phones: Sequence[str] = (),
    emails: Sequence[str] = (),
    age_range: str = "",
    exclude_ids: Iterable[int] = (),
    threshold: float = model.REVIEW_THRESHOLD,
) -> list[Candidate]:
    """Stored residents an incoming record may be (phones E.164, emails normalized), best first.

    The one entry point for the registration form, the conversation form's new-resident path and the
    resident CSV import.
    """
    incoming = match_record(
        unique_id=0,
        first_name=first_name,
        last_name=last_name,
        street=street,
        unit=unit,
        zip_code=zip_code,
        phones=tuple(phones),
        emails=tuple(emails),
        age_range=age_range,
    )
    stored = list(_stored_candidates([incoming], set(exclude_ids))[:MAX_CANDIDATES])
    if not stored:
        return []
    by_id = {r.pk: r for r in stored}
    pairs: list[ScoredPair] = pairs_between([incoming], resident_records(stored), threshold=threshold)
    found = [Candidate(by_id[p.id_b], p.weight, p.reasons) for p in pairs if p.id_b in by_id]
    return sorted(found, key=lambda c: (-c.score, c.resident.pk))


def match_queue(*, user: User, status: str = MatchCandidate.Status.OPEN) -> QuerySet[MatchCandidate]:
    """The review queue the user may work: both records visible to them; partners never see it."""
    if not user.is_authenticated or not user.can(Capability.EDIT_RESIDENTS) or user.is_partner:
        return MatchCandidate.objects.none()
    return MatchCandidate.objects.filter(status=status).select_related(
        "resident_a__address", "resident_b__address", "decided_by"
    )


def match_candidate_get_for_user(*, user: User, pk: int) -> MatchCandidate:
    """Fetch and authorize one pair: outside the user's scope is a 404."""
    qs = MatchCandidate.objects.none()
    if user.is_authenticated and user.can(Capability.EDIT_RESIDENTS) and not user.is_partner:
        qs = MatchCandidate.objects.select_related("resident_a__address", "resident_b__address")
    return get_object_or_404(qs, pk=pk)
