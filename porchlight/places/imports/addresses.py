"""Importing addresses from CSV: validate every row, then write them all (with their areas) or nothing.

Rows for addresses that already exist (same street, unit, city and ZIP, ignoring case) are reported as
"already exists, skipped" and left unchanged: an import never overwrites what staff corrected by hand.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from porchlight.places.geo import area_index
from porchlight.places.imports.csvfile import CsvTable, ErrorList, Progress, RowError
from porchlight.places.models import Address, Area, Building

COLUMNS = (
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "latitude",
    "longitude",
    "building_type",
    "unit_count",
    "rent_regulated",
)
REQUIRED = ("street", "city", "zip")
ALIASES = {
    "zip_code": "zip",
    "zipcode": "zip",
    "postal_code": "zip",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "long": "longitude",
    "apt": "unit",
    "apartment": "unit",
}
TEMPLATE_EXAMPLE = ("600 E 4th St", "", "Charlotte", "NC", "28202", "35.2212", "-80.8375", "", "", "")
BATCH_SIZE = 2000
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


def parse_address(
    line: int, rec: dict[str, str], errors: ErrorList, *, street_required: bool = True
) -> AddressRow | None:
    """Check the street, unit, city, state and ZIP of a row; record errors and return None if any."""
    before = errors.total
    street, unit, city = clean(rec.get("street")), clean(rec.get("unit")), clean(rec.get("city"))
    state = clean(rec.get("state")).upper() or settings.PORCHLIGHT_CITY["state"]
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


def _parse_coordinates(
    line: int, rec: dict[str, str], errors: ErrorList
) -> tuple[float | None, float | None]:
    raw = {"latitude": clean(rec.get("latitude")), "longitude": clean(rec.get("longitude"))}
    if not raw["latitude"] and not raw["longitude"]:
        return None, None
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


def _parse_building(line: int, rec: dict[str, str], errors: ErrorList) -> dict[str, object] | None:
    raw_type = clean(rec.get("building_type"))
    raw_units = clean(rec.get("unit_count"))
    raw_regulated = clean(rec.get("rent_regulated"))
    if not (raw_type or raw_units or raw_regulated):
        return None
    attrs: dict[str, object] = {}
    if raw_type:
        by_word = {c.value: c.value for c in Building.Type} | {
            str(c.label).casefold(): c.value for c in Building.Type
        }
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


@dataclass
class AddressPlan:
    """What pass 1 found: the rows to create, their areas, and the rows skipped because they exist."""

    total: int
    rows: list[AddressRow] = field(default_factory=list)
    area_ids: list[list[int]] = field(default_factory=list)
    notices: list[RowError] = field(default_factory=list)
    skipped: int = 0


@dataclass(frozen=True)
class WriteResult:
    created: int
    updated: int
    skipped: int


def assign_areas(rows: list[AddressRow], errors: ErrorList) -> list[list[int]]:
    """The area ids of each row, in bulk; an error for a point outside every area when areas are loaded."""
    found: list[list[int]] = [[] for _ in rows]
    placed = [i for i, r in enumerate(rows) if r.latitude is not None and r.longitude is not None]
    index = area_index()
    if not placed or len(index.area_ids) == 0:
        return found
    lons = np.fromiter((rows[i].longitude for i in placed), dtype=float, count=len(placed))
    lats = np.fromiter((rows[i].latitude for i in placed), dtype=float, count=len(placed))
    neighborhoods = set(Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).values_list("id", flat=True))
    for i, ids in zip(placed, index.areas_containing(lons, lats), strict=True):
        found[i] = ids
        inside = any(a in neighborhoods for a in ids) if neighborhoods else bool(ids)
        if not inside:
            row = rows[i]
            errors.add(
                row.line,
                "latitude",
                _(
                    "the point (%(lat)s, %(lon)s) is outside every area of the city — check the coordinates "
                    "(latitude and longitude swapped? a minus sign missing?)"
                )
                % {"lat": row.latitude, "lon": row.longitude},
            )
    return found


def validate(*, table: CsvTable, progress: Progress) -> tuple[AddressPlan, ErrorList]:
    """Pass 1: check every row; nothing is written."""
    errors = ErrorList()
    plan = AddressPlan(total=len(table))
    parsed: list[AddressRow] = []
    first_line: dict[AddressKey, int] = {}
    buildings: dict[tuple[str, str, str], tuple[int, dict[str, object]]] = {}
    for n, (line, rec) in enumerate(table.records(), start=1):
        if line in table.overlong:
            errors.add(line, "", _("has more cells than the header has columns (a comma not in quotes?)"))
        row = parse_address(line, rec, errors)
        latitude, longitude = _parse_coordinates(line, rec, errors)
        building = _parse_building(line, rec, errors)
        if row is not None:
            row.latitude, row.longitude, row.building = latitude, longitude, building
            key = row.key
            if key in first_line:
                errors.add(
                    line,
                    "street",
                    _("duplicates line %d (same street, unit, city and ZIP)") % first_line[key],
                )
            else:
                first_line[key] = line
                parsed.append(row)
            if building:
                bkey = (row.street.casefold(), row.city.casefold(), row.zip_code)
                if bkey in buildings and buildings[bkey][1] != building:
                    errors.add(
                        line,
                        "building_type",
                        _("building details differ from line %d for the same building") % buildings[bkey][0],
                    )
                buildings.setdefault(bkey, (line, building))
        if n % 500 == 0:
            progress(n)
    area_ids = assign_areas(parsed, errors)
    progress(len(table))
    existing = existing_addresses(first_line)
    for row, ids in zip(parsed, area_ids, strict=True):
        if row.key in existing:
            plan.skipped += 1
            plan.notices.append(RowError(row.line, "street", _("already exists, skipped")))
        else:
            plan.rows.append(row)
            plan.area_ids.append(ids)
    return plan, errors


def _buildings_for(rows: list[AddressRow]) -> dict[tuple[str, str, str], int]:
    """Building ids for rows that carry building details: existing ones as they are, missing ones created."""
    wanted: dict[tuple[str, str, str], AddressRow] = {}
    for row in rows:
        if row.building:
            wanted.setdefault((row.street.casefold(), row.city.casefold(), row.zip_code), row)
    if not wanted:
        return {}
    found: dict[tuple[str, str, str], int] = {}
    zips = sorted({k[2] for k in wanted})
    for start in range(0, len(zips), 500):
        for pk, street, city, zip_code in Building.objects.filter(
            zip_code__in=zips[start : start + 500]
        ).values_list("id", "street", "city", "zip_code"):
            found.setdefault((street.casefold(), city.casefold(), zip_code), pk)
    new = [
        Building(street=r.street, city=r.city, state=r.state, zip_code=r.zip_code, **(r.building or {}))
        for k, r in wanted.items()
        if k not in found
    ]
    Building.objects.bulk_create(new, batch_size=BATCH_SIZE)
    for b in new:
        found[(b.street.casefold(), b.city.casefold(), b.zip_code)] = b.pk
    return found


@transaction.atomic
def write(*, plan: AddressPlan, actor: object, progress: Progress) -> WriteResult:
    """Pass 2: create every planned address and its area memberships, in one transaction."""
    buildings = _buildings_for(plan.rows)
    through = Address.areas.through
    done = 0
    for start in range(0, len(plan.rows), BATCH_SIZE):
        chunk = plan.rows[start : start + BATCH_SIZE]
        objs = [
            Address(
                street=r.street,
                unit=r.unit,
                city=r.city,
                state=r.state,
                zip_code=r.zip_code,
                latitude=r.latitude,
                longitude=r.longitude,
                building_id=buildings.get((r.street.casefold(), r.city.casefold(), r.zip_code))
                if r.building
                else None,
            )
            for r in chunk
        ]
        Address.objects.bulk_create(objs)
        links = [
            through(address_id=obj.pk, area_id=area_id)
            for obj, ids in zip(objs, plan.area_ids[start : start + BATCH_SIZE], strict=True)
            for area_id in ids
        ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
        done += len(chunk)
        progress(done)
    return WriteResult(created=len(plan.rows), updated=0, skipped=plan.skipped)
