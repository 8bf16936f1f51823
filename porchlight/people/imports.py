"""Importing residents from CSV: validate every row, then write them all (with households) or nothing.

Each row's address is matched to an existing Address (same street, unit, city and ZIP, ignoring case) or
created; residents join the address's first household, as `resident_create` does. A row for a resident who
already lives at that address under the same name is reported as "already exists, skipped".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import translation
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.people.contact import email_normalize, phone_normalize
from porchlight.people.matching.services import match_candidates_queue_imported
from porchlight.people.models import Email, Household, Language, Phone, Resident
from porchlight.places.imports.cells import (
    AddressKey,
    AddressRow,
    WriteResult,
    bool_error,
    clean,
    existing_addresses,
    parse_address,
    parse_bool,
)
from porchlight.places.imports.csvfile import CsvSource, ErrorList, Progress, RowError
from porchlight.places.models import Address

COLUMNS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "preferred_language",
    "consent_to_contact",
    "do_not_contact",
    "age_range",
    "gender",
    "race_ethnicity",
)
REQUIRED = ("first_name", "last_name")
ALIASES = {
    "first": "first_name",
    "given_name": "first_name",
    "last": "last_name",
    "surname": "last_name",
    "family_name": "last_name",
    "phone_number": "phone",
    "email_address": "email",
    "zip_code": "zip",
    "zipcode": "zip",
    "language": "preferred_language",
    "apt": "unit",
}
TEMPLATE_EXAMPLE = (
    "Ana",
    "Lopez",
    "704-555-0134",
    "ana@example.org",
    "600 E 4th St",
    "Apt 2",
    "Charlotte",
    "NC",
    "28202",
    "Spanish",
    "yes",
    "no",
    "25_34",
    "woman",
    "hispanic",
)
BATCH_SIZE = 2000
SEPARATORS = re.compile(r"[;|]")
# Names people write for languages, beyond the codes and the English and Spanish labels of Language.
NATIVE_NAMES = {
    "español": "es",
    "espanol": "es",
    "inglés": "en",
    "ingles": "en",
    "tiếng việt": "vi",
    "vietnamita": "vi",
    "中文": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "chino": "zh",
    "العربية": "ar",
    "árabe": "ar",
    "arabe": "ar",
    "français": "fr",
    "francés": "fr",
    "frances": "fr",
    "otro": "other",
}


def _choice_words(choices: type, *, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every way a value may be written (its code, its English and Spanish labels) → the code."""
    words: dict[str, str] = {}
    for value, label in choices.choices:
        words[value.casefold()] = value
        for lang in ("en", "es"):
            with translation.override(lang):
                words[str(label).casefold()] = value
                words[str(label).casefold().replace("–", "-")] = value
        words[value.casefold().replace("_", "-")] = value
    return words | (extra or {})


@dataclass(slots=True)
class ResidentRow:
    """One valid resident row, ready to write."""

    line: int
    first_name: str
    last_name: str
    phones: list[str]
    emails: list[str]
    address: AddressRow | None
    fields: dict[str, object]


@dataclass
class ResidentPlan:
    total: int
    rows: list[ResidentRow] = field(default_factory=list)
    notices: list[RowError] = field(default_factory=list)
    skipped: int = 0


def _split(value: str) -> list[str]:
    return [p.strip() for p in SEPARATORS.split(value or "") if p.strip()]


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _parse_row(
    line: int, rec: dict[str, str], errors: ErrorList, words: dict[str, dict[str, str]]
) -> ResidentRow | None:
    before = errors.total
    first, last = clean(rec.get("first_name")), clean(rec.get("last_name"))
    for name, value in (("first_name", first), ("last_name", last)):
        if len(value) > 100:
            errors.add(line, name, _("is longer than 100 characters"))
    phones: list[str] = []
    for raw in _split(rec.get("phone", "")):
        try:
            phones.append(phone_normalize(raw))
        except ValidationError as exc:
            errors.add(line, "phone", _message(exc))
    emails: list[str] = []
    for raw in _split(rec.get("email", "")):
        try:
            emails.append(email_normalize(raw))
        except ValidationError as exc:
            errors.add(line, "email", _message(exc))
    if not (first or last or phones or emails) and errors.total == before:
        errors.add(line, "first_name", _("a resident needs a name, a phone number or an email address"))
    address = None
    if any(clean(rec.get(k)) for k in ("street", "unit", "zip")):
        address = parse_address(line, rec, errors)
    fields: dict[str, object] = {}
    language = clean(rec.get("preferred_language"))
    if language:
        code = words["preferred_language"].get(language.casefold())
        if code is None:
            errors.add(
                line,
                "preferred_language",
                _("“%(value)s” is not a language we know; use one of: %(choices)s")
                % {"value": language, "choices": ", ".join(Language.values)},
            )
        fields["preferred_language"] = code
    for name in ("consent_to_contact", "do_not_contact"):
        value = parse_bool(rec.get(name, ""))
        if value is None:
            errors.add(line, name, bool_error())
        fields[name] = bool(value)
    for name in Resident.DEMOGRAPHIC_FIELDS:
        raw = clean(rec.get(name))
        if raw:
            code = words[name].get(raw.casefold())
            if code is None:
                choices = getattr(
                    Resident, {"age_range": "AgeRange", "gender": "Gender"}.get(name, "RaceEthnicity")
                )
                errors.add(
                    line,
                    name,
                    _("“%(value)s” is not one of: %(choices)s")
                    % {"value": raw, "choices": ", ".join(choices.values)},
                )
            fields[name] = code
    if errors.total > before:
        return None
    return ResidentRow(
        line=line,
        first_name=first,
        last_name=last,
        phones=list(dict.fromkeys(phones)),
        emails=list(dict.fromkeys(emails)),
        address=address,
        fields=fields,
    )


def _identity(row: ResidentRow) -> tuple:
    """Who a row is: the same name at the same address (or, with no address, the same name and phones)."""
    where: object = row.address.key if row.address else tuple(row.phones or row.emails)
    return (row.first_name.casefold(), row.last_name.casefold(), where)


def validate(*, source: CsvSource, progress: Progress, errors: ErrorList) -> ResidentPlan:
    """Pass 1: check every row as it streams from the file; nothing is written."""
    plan = ResidentPlan(total=source.total)
    words = {
        "preferred_language": _choice_words(Language, extra=NATIVE_NAMES),
        "age_range": _choice_words(Resident.AgeRange),
        "gender": _choice_words(Resident.Gender),
        "race_ethnicity": _choice_words(Resident.RaceEthnicity),
    }
    first_line: dict[tuple, int] = {}
    parsed: list[ResidentRow] = []
    for n, (line, rec, overlong) in enumerate(source.records(), start=1):
        if overlong:
            errors.add(line, "", _("has more cells than the header has columns (a comma not in quotes?)"))
        row = _parse_row(line, rec, errors, words)
        if row is not None:
            key = _identity(row)
            if key in first_line:
                errors.add(
                    line, "first_name", _("duplicates line %d (same name and address)") % first_line[key]
                )
            else:
                first_line[key] = line
                parsed.append(row)
        if n % 500 == 0:
            progress(n)
    progress(source.total)
    if errors:
        return plan
    existing = _existing_residents([r for r in parsed if r.address is not None])
    for row in parsed:
        if _identity(row) in existing:
            plan.skipped += 1
            plan.notices.append(
                RowError(row.line, "first_name", _("already exists at this address, skipped"))
            )
        else:
            plan.rows.append(row)
    return plan


def discard() -> None:
    """Nothing staged outside this process's memory (see docs/imports.md: residents are kept as rows)."""


def _existing_residents(rows: list[ResidentRow]) -> set[tuple]:
    addresses = existing_addresses(r.address.key for r in rows if r.address)
    by_id = {pk: key for key, pk in addresses.items()}
    found: set[tuple] = set()
    ids = sorted(by_id)
    for start in range(0, len(ids), 500):
        for first, last, address_id in Resident.objects.filter(
            address_id__in=ids[start : start + 500]
        ).values_list("first_name", "last_name", "address_id"):
            found.add((first.casefold(), last.casefold(), by_id[address_id]))
    return found


def _addresses_for(rows: list[ResidentRow]) -> dict[AddressKey, int]:
    """Address ids for every row's address: the existing one, or a new one (without coordinates)."""
    wanted: dict[AddressKey, AddressRow] = {}
    for row in rows:
        if row.address is not None:
            wanted.setdefault(row.address.key, row.address)
    found = existing_addresses(wanted)
    new = [
        Address(street=a.street, unit=a.unit, city=a.city, state=a.state, zip_code=a.zip_code)
        for key, a in wanted.items()
        if key not in found
    ]
    Address.objects.bulk_create(new, batch_size=BATCH_SIZE)
    for obj, key in zip(new, [k for k in wanted if k not in found], strict=True):
        found[key] = obj.pk
    return found


def _households_for(address_ids: set[int]) -> dict[int, int]:
    """The first household of each address (as resident_create picks it), created where there is none."""
    ids = sorted(address_ids)
    found: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        for row in (
            Household.objects.filter(address_id__in=ids[start : start + 500])
            .values("address_id")
            .annotate(first=Min("id"))
        ):
            found[row["address_id"]] = row["first"]
    new = [Household(address_id=a) for a in ids if a not in found]
    Household.objects.bulk_create(new, batch_size=BATCH_SIZE)
    found.update({h.address_id: h.pk for h in new})
    return found


@transaction.atomic
def write(*, plan: ResidentPlan, actor: User | None, progress: Progress) -> WriteResult:
    """Pass 2: create every planned resident, their addresses, households, phones and emails."""
    addresses = _addresses_for(plan.rows)
    households = _households_for(set(addresses.values()))
    done = 0
    created_ids: list[int] = []
    for start in range(0, len(plan.rows), BATCH_SIZE):
        chunk = plan.rows[start : start + BATCH_SIZE]
        residents = []
        for r in chunk:
            address_id = addresses[r.address.key] if r.address else None
            residents.append(
                Resident(
                    first_name=r.first_name,
                    last_name=r.last_name,
                    address_id=address_id,
                    household_id=households.get(address_id) if address_id else None,
                    created_by=actor,
                    preferred_language=r.fields.get("preferred_language") or settings.LANGUAGE_CODE,
                    consent_to_contact=r.fields["consent_to_contact"],
                    do_not_contact=r.fields["do_not_contact"],
                    age_range=r.fields.get("age_range") or "",
                    gender=r.fields.get("gender") or "",
                    race_ethnicity=r.fields.get("race_ethnicity") or "",
                )
            )
        Resident.objects.bulk_create(residents)
        created_ids += [r.pk for r in residents]
        Phone.objects.bulk_create(
            [
                Phone(resident_id=obj.pk, number=n, is_primary=i == 0)
                for obj, r in zip(residents, chunk, strict=True)
                for i, n in enumerate(r.phones)
            ],
            batch_size=BATCH_SIZE,
        )
        Email.objects.bulk_create(
            [
                Email(resident_id=obj.pk, address=a, is_primary=i == 0)
                for obj, r in zip(residents, chunk, strict=True)
                for i, a in enumerate(r.emails)
            ],
            batch_size=BATCH_SIZE,
        )
        done += len(chunk)
        progress(done)
    # Exact duplicates were skipped above; near ones (Bob/Robert, Rd/Road, no address) go to review.
    match_candidates_queue_imported(resident_ids=created_ids)
    return WriteResult(created=len(plan.rows), updated=0, skipped=plan.skipped)
