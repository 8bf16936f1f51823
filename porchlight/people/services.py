"""Writes for people: registering residents and their contact points."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.people.contact import email_normalize, phone_normalize
from porchlight.people.models import Email, Household, Phone, Resident
from porchlight.places.models import Address


def _household_for(address: Address | None) -> Household | None:
    if address is None:
        return None
    household = address.households.order_by("id").first()
    return household or Household.objects.create(address=address)


@transaction.atomic
def resident_create(
    *,
    actor: User | None,
    first_name: str = "",
    last_name: str = "",
    address: Address | None = None,
    preferred_language: str = "en",
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
    consent_to_contact: bool = False,
    do_not_contact: bool = False,
    age_range: str = "",
    gender: str = "",
    race_ethnicity: str = "",
) -> Resident:
    """Register a resident. Phones and emails are validated before anything is written."""
    normalized_phones = _unique(phone_normalize(p) for p in phones if p and p.strip())
    normalized_emails = _unique(email_normalize(e) for e in emails if e and e.strip())
    if not (first_name.strip() or last_name.strip() or normalized_phones or normalized_emails):
        raise ValidationError(_("A resident needs a name, a phone number or an email address."))
    resident = Resident(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        address=address,
        household=_household_for(address),
        preferred_language=preferred_language,
        consent_to_contact=consent_to_contact,
        do_not_contact=do_not_contact,
        age_range=age_range,
        gender=gender,
        race_ethnicity=race_ethnicity,
        created_by=actor,
    )
    resident.full_clean(exclude=["household", "address", "created_by"])
    resident.save()
    Phone.objects.bulk_create(
        Phone(resident=resident, number=n, is_primary=i == 0) for i, n in enumerate(normalized_phones)
    )
    Email.objects.bulk_create(
        Email(resident=resident, address=a, is_primary=i == 0) for i, a in enumerate(normalized_emails)
    )
    return resident


@transaction.atomic
def resident_update(
    *,
    resident: Resident,
    phones: Iterable[str] | None = None,
    emails: Iterable[str] | None = None,
    **fields: object,
) -> Resident:
    """Change a resident's details; when phones/emails are given they replace the current ones."""
    allowed = {*Resident.EDITABLE_FIELDS, "address"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"resident_update() got unexpected fields: {sorted(unknown)}")
    normalized_phones = None if phones is None else _unique(phone_normalize(p) for p in phones if p.strip())
    normalized_emails = None if emails is None else _unique(email_normalize(e) for e in emails if e.strip())
    changed = []
    for name, value in fields.items():
        if getattr(resident, name) != value:
            setattr(resident, name, value)
            changed.append(name)
    if "address" in changed:
        resident.household = _household_for(resident.address)
        changed.append("household")
    if changed:
        resident.full_clean(exclude=["household", "address", "created_by"])
        resident.save(update_fields=[*changed, "updated_at"])
    if normalized_phones is not None:
        resident.phones.exclude(number__in=normalized_phones).delete()
        existing = set(resident.phones.values_list("number", flat=True))
        Phone.objects.bulk_create(
            Phone(resident=resident, number=n) for n in normalized_phones if n not in existing
        )
        for phone in resident.phones.all():
            _set_primary(phone, phone.number == normalized_phones[0] if normalized_phones else False)
    if normalized_emails is not None:
        resident.emails.exclude(address__in=normalized_emails).delete()
        existing = set(resident.emails.values_list("address", flat=True))
        Email.objects.bulk_create(
            Email(resident=resident, address=a) for a in normalized_emails if a not in existing
        )
        for email in resident.emails.all():
            _set_primary(email, email.address == normalized_emails[0] if normalized_emails else False)
    return resident


@transaction.atomic
def resident_set_do_not_contact(*, resident: Resident, do_not_contact: bool = True) -> Resident:
    resident.do_not_contact = do_not_contact
    resident.save(update_fields=["do_not_contact", "updated_at"])
    return resident


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _set_primary(contact: Phone | Email, primary: bool) -> None:
    if contact.is_primary != primary:
        contact.is_primary = primary
        contact.save(update_fields=["is_primary"])
