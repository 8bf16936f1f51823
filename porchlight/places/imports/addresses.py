"""Importing addresses from CSV: validate every row, then write them all (with their areas) or nothing.

Rows for addresses that already exist (same street, unit, city and ZIP, ignoring case) are reported as
"already exists, skipped" and left unchanged: an import never overwrites what staff corrected by hand.
"""

# ruff: noqa: S608 - SQL here names only this module's own staging tables and the models' tables; values
# always go in as parameters.

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils.translation import gettext as _

from porchlight.places.geo import area_index
from porchlight.places.imports.cells import (
    WriteResult,
    address_key,
    parse_address,
    parse_building,
    parse_coordinates,
)
from porchlight.places.imports.csvfile import CsvSource, ErrorList, Progress, RowError
from porchlight.places.imports.staging import StagingTable, batch_size, execute, fetch, insert_select, scalar
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


@dataclass
class AddressPlan:
    """What pass 1 found. The rows themselves wait in the staging table (ROWS), not here."""

    total: int
    create: int = 0
    skipped: int = 0
    notices: list[RowError] = field(default_factory=list)


# Staging tables (temporary, per connection): the valid rows, their areas, and existing doors and buildings.
ROWS = StagingTable(
    "pl_import_address_rows",
    [
        ("line", "INTEGER NOT NULL"),
        ("dkey", "TEXT NOT NULL"),
        ("street", "TEXT NOT NULL"),
        ("unit", "TEXT NOT NULL"),
        ("city", "TEXT NOT NULL"),
        ("state", "TEXT NOT NULL"),
        ("zip_code", "TEXT NOT NULL"),
        ("latitude", "DOUBLE PRECISION"),
        ("longitude", "DOUBLE PRECISION"),
        ("bkey", "TEXT"),
        ("battrs", "TEXT"),
        ("btype", "TEXT"),
        ("bunits", "INTEGER"),
        ("breg", "BOOLEAN"),
        ("skip", "INTEGER NOT NULL DEFAULT 0"),
        ("id", "BIGINT"),  # the new address's id (see _Ids)
    ],
)
AREAS = StagingTable(
    "pl_import_address_areas", [("line", "INTEGER NOT NULL"), ("area_id", "BIGINT NOT NULL")]
)
EXISTING = StagingTable("pl_import_address_existing", [("dkey", "TEXT NOT NULL"), ("id", "BIGINT NOT NULL")])
BUILDINGS = StagingTable(
    "pl_import_address_buildings", [("bkey", "TEXT NOT NULL"), ("id", "BIGINT NOT NULL")]
)
STAGES = (ROWS, AREAS, EXISTING, BUILDINGS)
SEP = "\x1f"  # joins the parts of a normalized key; never typed in a spreadsheet cell


def door_key(street: str, unit: str, city: str, zip_code: str) -> str:
    return SEP.join(address_key(street, unit, city, zip_code))


def building_key(street: str, city: str, zip_code: str) -> str:
    return SEP.join((street.casefold(), city.casefold(), zip_code))


class _Placer:
    """Puts rows in their areas a batch at a time (one vectorized STRtree query per batch)."""

    def __init__(self, errors: ErrorList) -> None:
        self.errors = errors
        self.index = area_index()
        self.active = len(self.index.area_ids) > 0
        self.neighborhoods = set(
            Area.objects.filter(kind=Area.Kind.NEIGHBORHOOD).values_list("id", flat=True)
        )
        self.pending: list[tuple[int, float, float]] = []
        self.size = batch_size()

    def add(self, line: int, latitude: float, longitude: float) -> None:
        if self.active:
            self.pending.append((line, latitude, longitude))
            if len(self.pending) >= self.size:
                self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        lats = np.fromiter((p[1] for p in pending), dtype=float, count=len(pending))
        lons = np.fromiter((p[2] for p in pending), dtype=float, count=len(pending))
        for (line, lat, lon), ids in zip(pending, self.index.areas_containing(lons, lats), strict=True):
            AREAS.extend((line, area_id) for area_id in ids)
            inside = any(a in self.neighborhoods for a in ids) if self.neighborhoods else bool(ids)
            if not inside:
                self.errors.add(
                    line,
                    "latitude",
                    _(
                        "the point (%(lat)s, %(lon)s) is outside every area of the city — check the "
                        "coordinates (latitude and longitude swapped? a minus sign missing?)"
                    )
                    % {"lat": lat, "lon": lon},
                )


class _Ids:
    """Ids for new addresses, so that their area links need no join back on the address's text.

    PostgreSQL: drawn from the table's sequence a batch at a time while rows are staged (safe beside other
    writers; a skipped row or a failed import leaves a gap, nothing worse). SQLite has one writer — the
    import's transaction — so there the id is the largest ever used plus the row's line, computed in pass 2.
    """

    def __init__(self) -> None:
        self.pool: list[int] = []
        self.sequence = None
        if connection.vendor == "postgresql":
            self.sequence = scalar("SELECT pg_get_serial_sequence(%s, 'id')", [Address._meta.db_table])
        self.size = batch_size()

    def next(self) -> int | None:
        if self.sequence is None:
            return None
        if not self.pool:
            self.pool = [
                i
                for (i,) in fetch(
                    "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [self.sequence, self.size]
                )
            ]
            self.pool.reverse()
        return self.pool.pop()


def _id_expression(alias: str) -> str:
    """SQL for the new address's id in pass 2 (inside the write transaction)."""
    if connection.vendor == "postgresql":
        return f"{alias}.id"
    table = Address._meta.db_table
    top = max(
        scalar(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"'),
        scalar("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table]) or 0,
    )
    return f"{int(top)} + {alias}.line"


def validate(*, source: CsvSource, progress: Progress, errors: ErrorList) -> AddressPlan:
    """Pass 1: check every row as it streams from the file; valid rows go to the staging table.

    Nothing is written to the city's tables. The caller drops the staging tables (`discard`) in the end.
    """
    for stage in STAGES:
        stage.create()
    plan = AddressPlan(total=source.total)
    placer = _Placer(errors)
    ids = _Ids()
    with_buildings = bool({"building_type", "unit_count", "rent_regulated"} & set(source.columns))
    for n, (line, rec, overlong) in enumerate(source.records(), start=1):
        if overlong:
            errors.add(line, "", _("has more cells than the header has columns (a comma not in quotes?)"))
        row = parse_address(line, rec, errors)
        latitude, longitude = parse_coordinates(line, rec, errors)
        building = parse_building(line, rec, errors) if with_buildings else None
        if row is not None:
            bkey = battrs = None
            if building:
                bkey = building_key(row.street, row.city, row.zip_code)
                battrs = repr(sorted(building.items()))
            else:
                building = {}
            ROWS.add(
                (
                    line,
                    door_key(row.street, row.unit, row.city, row.zip_code),
                    row.street,
                    row.unit,
                    row.city,
                    row.state,
                    row.zip_code,
                    latitude,
                    longitude,
                    bkey,
                    battrs,
                    building.get("building_type"),
                    building.get("unit_count"),
                    building.get("rent_regulated"),
                    ids.next(),
                )
            )
            if latitude is not None and longitude is not None:
                placer.add(line, latitude, longitude)
        if n % 500 == 0:
            progress(n)
    placer.flush()
    ROWS.flush()
    AREAS.flush()
    # Windows of lines need an index everywhere; the key joins need one only on SQLite (PostgreSQL hashes
    # them, and indexing a million long text keys costs more than it saves).
    ROWS.index("line", *(("dkey", "bkey") if connection.vendor == "sqlite" else ()))
    AREAS.index("line")
    _whole_file_errors(errors)
    progress(source.total)
    if not errors:
        _mark_existing(plan)
    return plan


def _whole_file_errors(errors: ErrorList) -> None:
    """Duplicate rows, and rows that disagree about their building: each against the first line."""
    rows = ROWS.name
    for line, first in fetch(
        f"SELECT s.line, f.first FROM {rows} s JOIN (SELECT dkey, MIN(line) AS first FROM {rows} "
        "GROUP BY dkey HAVING COUNT(*) > 1) f ON f.dkey = s.dkey WHERE s.line > f.first ORDER BY s.line"
    ):
        errors.add(line, "street", _("duplicates line %d (same street, unit, city and ZIP)") % first)
    for line, first in fetch(
        f"SELECT s.line, f.line FROM {rows} s "
        f"JOIN (SELECT bkey, MIN(line) AS first FROM {rows} WHERE bkey IS NOT NULL GROUP BY bkey) m "
        f"ON m.bkey = s.bkey JOIN {rows} f ON f.line = m.first "
        "WHERE s.line > f.line AND s.battrs <> f.battrs ORDER BY s.line"
    ):
        errors.add(
            line, "building_type", _("building details differ from line %d for the same building") % first
        )


def _stage_existing(stage: StagingTable, model: type, zips_sql: str, key: Any) -> None:
    """Load the normalized keys of the rows already in `model` for the file's ZIP codes (matched in Python,
    ignoring case as casefold does; SQLite's lower() knows only ASCII)."""
    zips = [z for (z,) in fetch(zips_sql)]
    fields = (
        ("id", "street", "unit", "city", "zip_code")
        if model is Address
        else ("id", "street", "city", "zip_code")
    )
    for start in range(0, len(zips), 500):
        rows = model.objects.filter(zip_code__in=zips[start : start + 500]).order_by().values_list(*fields)
        for pk, *parts in rows.iterator(chunk_size=5000):
            stage.add((key(*parts), pk))
    stage.flush()
    stage.index(stage.names[0])


def _mark_existing(plan: AddressPlan) -> None:
    """Rows for doors already in the database are skipped (and said so), never updated."""
    rows = ROWS.name
    _stage_existing(EXISTING, Address, f"SELECT DISTINCT zip_code FROM {rows}", door_key)
    plan.skipped = execute(f"UPDATE {rows} SET skip = 1 WHERE dkey IN (SELECT dkey FROM {EXISTING.name})")
    plan.notices = [
        RowError(line, "street", _("already exists, skipped"))
        for (line,) in fetch(f"SELECT line FROM {rows} WHERE skip = 1 ORDER BY line LIMIT 200")
    ]
    plan.create = scalar(f"SELECT COUNT(*) FROM {rows} WHERE skip = 0")


def discard() -> None:
    for stage in STAGES:
        stage.drop()


def _write_buildings() -> None:
    """Buildings for the rows that name one: an existing one (matched ignoring case) is linked as it is; a
    missing one is created from the first row that names it. BUILDINGS then maps every key to its id."""
    rows, bmap = ROWS.name, BUILDINGS.name
    _stage_existing(
        BUILDINGS,
        Building,
        f"SELECT DISTINCT zip_code FROM {rows} WHERE bkey IS NOT NULL AND skip = 0",
        building_key,
    )
    building_table = Building._meta.db_table
    firsts = (
        f"FROM {rows} f JOIN (SELECT bkey, MIN(line) AS first FROM {rows} "
        "WHERE bkey IS NOT NULL AND skip = 0 GROUP BY bkey) m ON f.line = m.first"
    )
    missing = f"m.bkey NOT IN (SELECT bkey FROM {bmap})"
    defaults = {f.name: f.get_default() for f in Building._meta.concrete_fields}
    created = insert_select(
        Building,
        {
            "street": "f.street",
            "city": "f.city",
            "state": "f.state",
            "zip_code": "f.zip_code",
            "building_type": f"COALESCE(f.btype, '{Building.Type(defaults['building_type']).value}')",
            "unit_count": f"COALESCE(f.bunits, {int(defaults['unit_count'])})",
            "rent_regulated": f"COALESCE(f.breg, {'TRUE' if defaults['rent_regulated'] else 'FALSE'})",
        },
        f"{firsts} WHERE {missing}",
    )
    if created:  # the new buildings' ids, found by their exact street, city and ZIP (a unique constraint)
        execute(
            f"INSERT INTO {bmap} (bkey, id) SELECT f.bkey, b.id {firsts} "
            f"JOIN {building_table} b ON b.street = f.street AND b.city = f.city AND b.zip_code = f.zip_code "
            f"WHERE {missing}"
        )


@transaction.atomic
def write(*, plan: AddressPlan, actor: object, progress: Progress) -> WriteResult:
    """Pass 2: create every staged address that is not skipped, with its building and areas, by
    INSERT ... SELECT from the staging tables. The caller holds the one all-or-nothing transaction."""
    rows = ROWS.name
    _write_buildings()
    through = Address.areas.through
    low, high = (
        scalar(f"SELECT MIN(line) FROM {rows} WHERE skip = 0"),
        scalar(f"SELECT MAX(line) FROM {rows} WHERE skip = 0"),
    )
    new_id = _id_expression("s")
    done = 0
    step = batch_size() * 10
    for start in range(low or 0, (high or -1) + 1, step):
        window = (start, start + step)
        done += insert_select(
            Address,
            {
                "id": new_id,
                "street": "s.street",
                "unit": "s.unit",
                "city": "s.city",
                "state": "s.state",
                "zip_code": "s.zip_code",
                "latitude": "s.latitude",
                "longitude": "s.longitude",
                "building_id": "b.id",
            },
            f"FROM {rows} s LEFT JOIN (SELECT bkey, MIN(id) AS id FROM {BUILDINGS.name} GROUP BY bkey) b "
            "ON b.bkey = s.bkey "
            "WHERE s.skip = 0 AND s.line >= %s AND s.line < %s ORDER BY s.line",
            window,
        )
        insert_select(
            through,
            {"address_id": new_id, "area_id": "sa.area_id"},
            f"FROM {AREAS.name} sa JOIN {rows} s ON s.line = sa.line "
            "WHERE s.skip = 0 AND sa.line >= %s AND sa.line < %s",
            window,
        )
        progress(done)
    return WriteResult(created=done, updated=0, skipped=plan.skipped)
