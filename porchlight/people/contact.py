"""Normalizing phones and emails at the edge, with the phonenumbers library."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def phone_normalize(raw: str, *, region: str | None = None) -> str:
    """Return the number in E.164 form, or raise ValidationError with a message a worker can act on."""
    region = region or settings.PORCHLIGHT_CITY["phone_region"]
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(raw)s” is not a phone number."), code="invalid_phone", params={"raw": text}
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(raw)s” is not a valid phone number (check the area code and the number of digits)."),
            code="invalid_phone",
            params={"raw": text},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    region = settings.PORCHLIGHT_CITY["phone_region"]
    if phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_normalize(raw: str) -> str:
    text = (raw or "").strip().lower()
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(raw)s” is not a valid email address."), code="invalid_email", params={"raw": raw}
        ) from exc
    return text
