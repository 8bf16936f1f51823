"""Checking the cells of one row: addresses (street, unit, city, state, ZIP, coordinates, building) and the
yes/no words, shared by the address and resident imports. Each function records its errors and returns the
cleaned values."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from porchlight.places.imports.csvfile import ErrorList
from porchlight.places.models import Address, Building

ZIP_RE = re.compile(r"^\d{5}(-\d{4})?$")
STATE_RE = re.compile(r"^[A-Z]{2}$")
TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "si", "sí"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", ""})

AddressKey = tuple[str, str, str, str]


def clean(value: str | None) -> str:
    """Trim and collapse runs of whitespace, as people type them in spreadsheets."""
    return " ".join((value or "").split())


def address_key(street: str, unit: str, city: str, zip_code: str) -> AddressKey:
    return (street.casefold(), unit.casefold(), city.casefold(), zip_code)


def parse_bool(value: str) -> bool | None:
    """yes/no/true/false/1/0 (blank is no); None when the value is none of those."""
    word = clean(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def bool_error() -> str:
    return _("must be yes or no (also accepted: true/false, 1/0, or blank for no)")


@dataclass(slots=True)
class AddressRow:
    """One valid address row, ready to write."""

    line: int
    street: str
    unit: str
    city: str
    state: str
    zip_code: str
    latitude: float | None = None
    longitude: float | None = None
    building: dict[str, object] | None = None

    @property
    def key(self) -> AddressKey:
        return address_key(self.street, self.unit, self.city, self.zip_code)


def _city_state() -> str:
    return settings.PORCHLIGHT_CITY["state"]


def parse_address(
    line: int, rec: dict[str, str], errors: ErrorList, *, street_required: bool = True
) -> AddressRow | None:
    """Check the street, unit, city, state and ZIP of a row; record errors and return None if any."""
    before = errors.total
    street, unit, city = clean(rec.get("street")), clean(rec.get("unit")), clean(rec.get("city"))
    state = clean(rec.get("state")).upper() or _city_state()
    zip_code = clean(rec.get("zip"))
    if not street:
        if street_required:
            errors.add(line, "street", _("is required"))
    elif len(street) > 200:
        errors.add(line, "street", _("is longer than 200 characters"))
    if len(unit) > 30:
        errors.add(line, "unit", _("is longer than 30 characters"))
    if not city:
        errors.add(line, "city", _("is required"))
    elif len(city) > 100:
        errors.add(line, "city", _("is longer than 100 characters"))
    if not STATE_RE.match(state):
        errors.add(line, "state", _("“%s” is not a two-letter state code such as NC") % state)
    if not zip_code:
        errors.add(line, "zip", _("is required"))
    elif not ZIP_RE.match(zip_code):
        hint = (
            _(" (a spreadsheet may have dropped a leading zero)")
            if zip_code.isdigit() and len(zip_code) < 5
            else ""
        )
        errors.add(
            line, "zip", _("“%s” is not a ZIP code (5 digits, or ZIP+4 as 12345-6789)") % zip_code + hint
        )
    if errors.total > before:
        return None
    return AddressRow(line=line, street=street, unit=unit, city=city, state=state, zip_code=zip_code)


def parse_coordinates(line: int, rec: dict[str, str], errors: ErrorList) -> tuple[float | None, float | None]:
    raw = {"latitude": clean(rec.get("latitude")), "longitude": clean(rec.get("longitude"))}
    if not raw["latitude"] and not raw["longitude"]:
        return None, None
    try:  # the common case: two numbers in range
        lat, lon = float(raw["latitude"]), float(raw["longitude"])
        if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
            return lat, lon
    except ValueError:
        pass
    values: dict[str, float | None] = {}
    for name, limit in (("latitude", 90.0), ("longitude", 180.0)):
        text = raw[name]
        other = "longitude" if name == "latitude" else "latitude"
        if not text:
            errors.add(line, name, _("is required when %s is given") % other)
            values[name] = None
            continue
        try:
            number = float(text)
        except ValueError:
            errors.add(line, name, _("“%s” is not a number") % text)
            values[name] = None
            continue
        if not math.isfinite(number) or not -limit <= number <= limit:
            errors.add(
                line,
                name,
                _("%(value)s is out of range (−%(limit)d to %(limit)d)") % {"value": text, "limit": limit},
            )
            values[name] = None
            continue
        values[name] = number
    return values["latitude"], values["longitude"]


@lru_cache(maxsize=8)
def _words(language: str) -> dict[str, str]:
    return {c.value: c.value for c in Building.Type} | {
        str(c.label).casefold(): c.value for c in Building.Type
    }


def _building_words() -> dict[str, str]:
    return _words(get_language() or "")


def parse_building(line: int, rec: dict[str, str], errors: ErrorList) -> dict[str, object] | None:
    raw_type = clean(rec.get("building_type"))
    raw_units = clean(rec.get("unit_count"))
    raw_regulated = clean(rec.get("rent_regulated"))
    if not (raw_type or raw_units or raw_regulated):
        return None
    attrs: dict[str, object] = {}
    if raw_type:
        by_word = _building_words()
        value = by_word.get(raw_type.casefold().replace(" ", "_")) or by_word.get(raw_type.casefold())
        if value is None:
            errors.add(
                line,
                "building_type",
                _("“%(value)s” is not one of: %(choices)s")
                % {"value": raw_type, "choices": ", ".join(Building.Type.values)},
            )
        else:
            attrs["building_type"] = value
    if raw_units:
        if not raw_units.isdigit() or int(raw_units) < 1:
            errors.add(line, "unit_count", _("“%s” is not a whole number of units (1 or more)") % raw_units)
        else:
            attrs["unit_count"] = int(raw_units)
    if raw_regulated:
        regulated = parse_bool(raw_regulated)
        if regulated is None:
            errors.add(line, "rent_regulated", bool_error())
        else:
            attrs["rent_regulated"] = regulated
    return attrs


def existing_addresses(keys: Iterable[AddressKey]) -> dict[AddressKey, int]:
    """Ids of the addresses already in the database for these keys (matched ignoring case)."""
    wanted = set(keys)
    zips = sorted({k[3] for k in wanted})
    found: dict[AddressKey, int] = {}
    for start in range(0, len(zips), 500):
        rows = Address.objects.filter(zip_code__in=zips[start : start + 500]).values_list(
            "id", "street", "unit", "city", "zip_code"
        )
        for pk, street, unit, city, zip_code in rows.iterator(chunk_size=5000):
            key = address_key(street, unit, city, zip_code)
            if key in wanted:
                found.setdefault(key, pk)
    return found


@dataclass(frozen=True)
class WriteResult:
    created: int
    updated: int
    skipped: int
