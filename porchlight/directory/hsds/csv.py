"""The HSDS 3.0 CSV package: a .zip of one CSV file per table, read into and written from directory records.

Reading accepts the plural file names Porchlight writes (organizations.csv), the singular table names of the
HSDS 3.0 tabular schema (organization.csv) and a few HSDS 2 names (physical_addresses.csv), in the zip's root
or in one folder. Columns Porchlight does not use are ignored; missing required ones are reported.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from porchlight.directory.hsds.records import (
    ACCEPT_WITHIN_DAYS,
    CATEGORY_TAXONOMY,
    SETTINGS_TAXONOMY,
    Directory,
    HsdsError,
    LocationRecord,
    OrgRecord,
    Ref,
    ServiceRecord,
    Src,
    child_id,
)
from porchlight.directory.hsds.tables import REQUIRED_TABLES, TABLES
from porchlight.places.imports.csvfile import ImportFileError, decode_text, max_bytes, normalize_header
from porchlight.ui.exports import cell_unquote, csv_dict_writer

Rows = list[tuple[int, dict[str, str]]]


def _rows(
    text: str, file_name: str, columns: list[str], required: list[str], errors: list[HsdsError]
) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [normalize_header(h) for h in next(reader)]
        missing = [c for c in required if c not in header]
        for column in missing:
            errors.append(HsdsError(file_name, 1, column, _("Missing required column “%s”.") % column))
        if missing:
            return []
        rows: Rows = []
        last = reader.line_num
        for values in reader:
            start, last = last + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                errors.append(
                    HsdsError(
                        file_name,
                        start,
                        "",
                        _("This row has more cells than the header has columns (an unquoted comma?)."),
                    )
                )
            cells = dict(zip(header, (cell_unquote(v.strip()) for v in values), strict=False))
            rows.append((start, {c: cells.get(c, "") for c in {*columns, *header} if c}))
        return rows
    except csv.Error as exc:
        errors.append(HsdsError(file_name, reader.line_num, "", _("Not valid CSV: %s.") % exc))
        return []
    except StopIteration:
        errors.append(HsdsError(file_name, 1, "", _("The file is empty: it needs a header row.")))
        return []


def _open_package(data: bytes, errors: list[HsdsError]) -> dict[str, tuple[str, Rows]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        errors.append(HsdsError("(zip)", 0, "", _("The file is not a valid .zip archive.")))
        return {}
    with zf:
        members = [
            i for i in zf.infolist() if not i.is_dir() and not posixpath.basename(i.filename).startswith(".")
        ]
        # A small zip can expand to gigabytes: check the sizes it declares before reading anything.
        if sum(i.file_size for i in members) > max_bytes():
            errors.append(HsdsError("(zip)", 0, "", _("The files in the .zip are too big once unpacked.")))
            return {}
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in members:
            base = posixpath.basename(info.filename).lower()
            if base in by_name:
                errors.append(HsdsError(base, 0, "", _("The .zip holds two files named %s.") % base))
            by_name[base] = info
        tables: dict[str, tuple[str, Rows]] = {}
        for table, (names, columns, required) in TABLES.items():
            found = [n for n in names if n in by_name]
            if not found:
                if table in REQUIRED_TABLES:
                    errors.append(HsdsError(names[0], 0, "", _("The package has no %s file.") % names[0]))
                continue
            name = found[0]
            try:
                text = decode_text(zf.read(by_name[name]))
            except ImportFileError as exc:
                errors.append(HsdsError(name, exc.line, "", exc.message))
                continue
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
                errors.append(HsdsError(name, 0, "", _("Cannot unpack this file: %s") % exc))
                continue
            tables[table] = (name, _rows(text, name, columns, required, errors))
    return tables


def read_package(data: bytes) -> tuple[Directory, list[HsdsError]]:
    errors: list[HsdsError] = []
    tables = _open_package(data, errors)
    if not tables:
        return Directory(), errors
    p = _Package(tables, errors)
    # Parents first: the child tables look their parents up by id.
    _read_organizations(p)
    _read_services(p)
    _read_locations(p)
    _read_addresses(p)
    _read_service_at_locations(p)
    _read_phones(p)
    _read_languages(p)
    _read_service_areas(p)
    _read_required_documents(p)
    _read_attributes(p)
    return p.d, errors


@dataclass
class _Package:
    """A package's tables being read into one Directory; its records by id, for the child tables."""

    tables: dict[str, tuple[str, Rows]]
    errors: list[HsdsError]
    d: Directory = field(default_factory=Directory)
    orgs: dict[str, OrgRecord] = field(default_factory=dict)
    services: dict[str, ServiceRecord] = field(default_factory=dict)
    locations: dict[str, LocationRecord] = field(default_factory=dict)

    def rows(self, table: str) -> Iterator[tuple[Src, dict[str, str]]]:
        name, found = self.tables.get(table, (TABLES[table][0][0], []))
        for line, row in found:
            yield Src(name, line), row

    def service_for(self, src: Src, r: dict[str, str], column: str = "service_id") -> ServiceRecord | None:
        svc = self.services.get(r.get(column, ""))
        if svc is None:
            self.errors.append(
                HsdsError(
                    src.file,
                    src.line,
                    column,
                    _("No service in services.csv has the id “%s”.") % r.get(column, ""),
                )
            )
        return svc


def _read_organizations(p: _Package) -> None:
    for src, r in p.rows("organizations"):
        org = OrgRecord(
            id=r["id"],
            name=r["name"],
            src=src,
            description=r["description"],
            email=r["email"],
            website=r["website"],
        )
        p.d.organizations.append(org)
        p.orgs.setdefault(org.id, org)


def _read_services(p: _Package) -> None:
    for src, r in p.rows("services"):
        svc = ServiceRecord(
            id=r["id"],
            organization_id=r["organization_id"],
            name=r["name"],
            src=src,
            description=r["description"],
            url=r["url"],
            email=r["email"],
            status=r["status"] or "active",
            eligibility_description=r["eligibility_description"],
            application_process=r["application_process"],
            fees_description=r["fees_description"],
        )
        p.d.services.append(svc)
        p.services.setdefault(svc.id, svc)


def _read_locations(p: _Package) -> None:
    for src, r in p.rows("locations"):
        loc = LocationRecord(
            id=r["id"],
            src=src,
            organization_id=r["organization_id"],
            name=r["name"],
            transportation=r["transportation"],
            latitude=r["latitude"],
            longitude=r["longitude"],
        )
        p.d.locations.append(loc)
        p.locations.setdefault(loc.id, loc)


def _read_addresses(p: _Package) -> None:
    # The first physical address describes the location; a postal one only when there is no other.
    chosen: dict[str, tuple[Src, dict[str, str]]] = {}
    for src, r in p.rows("addresses"):
        loc_id, physical = r["location_id"], r["address_type"].lower() in ("", "physical")
        if loc_id not in p.locations:
            p.errors.append(
                HsdsError(
                    src.file,
                    src.line,
                    "location_id",
                    _("No location in locations.csv has the id “%s”.") % loc_id,
                )
            )
        elif loc_id not in chosen or (physical and chosen[loc_id][1]["address_type"].lower() == "postal"):
            chosen[loc_id] = (src, r)
    for loc_id, (src, r) in chosen.items():
        loc = p.locations[loc_id]
        loc.address_1, loc.city = r["address_1"], r["city"]
        loc.state_province, loc.postal_code = r["state_province"], r["postal_code"]
        loc.address_src = src


def _read_service_at_locations(p: _Package) -> None:
    for src, r in p.rows("service_at_locations"):
        svc = p.service_for(src, r)
        if svc is not None:
            svc.location_ids.append(Ref(r["location_id"], src, "location_id"))


def _read_phones(p: _Package) -> None:
    # A service's or an organization's first phone; phones of locations and contacts are not kept.
    for src, r in p.rows("phones"):
        if r["service_id"]:
            svc = p.service_for(src, r)
            if svc is not None and svc.phone is None:
                svc.phone = Ref(r["number"], src, "number")
        elif r["organization_id"]:
            org = p.orgs.get(r["organization_id"])
            if org is None:
                p.errors.append(
                    HsdsError(
                        src.file,
                        src.line,
                        "organization_id",
                        _("No organization in organizations.csv has the id “%s”.") % r["organization_id"],
                    )
                )
            elif org.phone is None:
                org.phone = Ref(r["number"], src, "number")


def _read_languages(p: _Package) -> None:
    for src, r in p.rows("languages"):
        if r["service_id"]:
            svc = p.service_for(src, r)
            if svc is not None:
                svc.languages.append(Ref(r["code"], src, "code" if r["code"] else "name", r["name"]))


def _read_service_areas(p: _Package) -> None:
    for src, r in p.rows("service_areas"):
        svc = p.service_for(src, r)
        if svc is not None:
            svc.areas.append(Ref(r["name"], src, "name", r["uri"]))


def _read_required_documents(p: _Package) -> None:
    for src, r in p.rows("required_documents"):
        svc = p.service_for(src, r)
        if svc is not None and r["document"]:
            svc.required_documents.append(Ref(r["document"], src, "document"))


def _read_attributes(p: _Package) -> None:
    # A service's taxonomy terms: its category, and Porchlight's days to accept a referral.
    terms = {r["id"]: r for _src, r in p.rows("taxonomy_terms")}
    for src, r in p.rows("attributes"):
        link = "link_id" if r.get("link_id") else "service_id"
        if r.get("link_entity", "service") not in ("service", ""):
            continue
        svc = p.service_for(src, r, link)
        term = terms.get(r["taxonomy_term_id"])
        if term is None:
            p.errors.append(
                HsdsError(
                    src.file,
                    src.line,
                    "taxonomy_term_id",
                    _("No taxonomy term in taxonomy_terms.csv has the id “%s”.") % r["taxonomy_term_id"],
                )
            )
        elif svc is not None:
            if term.get("taxonomy") == SETTINGS_TAXONOMY and term.get("code") == ACCEPT_WITHIN_DAYS:
                svc.accept_within_days = Ref(r.get("value", ""), src, "value")
            else:
                svc.category_terms.append(Ref(term.get("code", ""), src, "taxonomy_term_id", term["name"]))


def _csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    # Neutralized like every export (a directory file is opened in spreadsheets too); the reader strips
    # exactly the added apostrophe, so a round trip stays lossless (docs/directory.md).
    writer = csv_dict_writer(out, fieldnames=columns, lineterminator="\r\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


Table = list[dict[str, str]]


def write_package(d: Directory) -> bytes:
    """The directory as an HSDS CSV package. Deterministic: the same directory gives the same bytes."""
    t: dict[str, Table] = {table: [] for table in TABLES}
    _write_organizations(t, d.organizations)
    _write_locations(t, d.locations)
    _write_services(t, d.services)
    _write_attributes(t, d.services)
    _write_taxonomy_terms(t, d.services)
    return _zip(t)


def _write_organizations(t: dict[str, Table], organizations: list[OrgRecord]) -> None:
    for org in organizations:
        t["organizations"].append(
            {
                "id": org.id,
                "name": org.name,
                "description": org.description,
                "email": org.email,
                "website": org.website,
            }
        )
        if org.phone:
            t["phones"].append(
                {
                    "id": child_id(org.id, "phone"),
                    "organization_id": org.id,
                    "number": org.phone.value,
                    "type": "voice",
                }
            )


def _write_locations(t: dict[str, Table], locations: list[LocationRecord]) -> None:
    for loc in locations:
        t["locations"].append(
            {
                "id": loc.id,
                "location_type": "physical",
                "organization_id": loc.organization_id,
                "name": loc.name,
                "transportation": loc.transportation,
                "latitude": loc.latitude,
                "longitude": loc.longitude,
            }
        )
        if loc.address_1 or loc.city or loc.postal_code:
            t["addresses"].append(
                {
                    "id": child_id(loc.id, "address"),
                    "location_id": loc.id,
                    "address_1": loc.address_1,
                    "city": loc.city,
                    "state_province": loc.state_province,
                    "postal_code": loc.postal_code,
                    "country": "US",
                    "address_type": "physical",
                }
            )


def _write_services(t: dict[str, Table], services: list[ServiceRecord]) -> None:
    for s in services:
        t["services"].append(
            {
                "id": s.id,
                "organization_id": s.organization_id,
                "name": s.name,
                "description": s.description,
                "url": s.url,
                "email": s.email,
                "status": s.status,
                "application_process": s.application_process,
                "fees_description": s.fees_description,
                "eligibility_description": s.eligibility_description,
            }
        )
        if s.phone:
            t["phones"].append(
                {"id": child_id(s.id, "phone"), "service_id": s.id, "number": s.phone.value, "type": "voice"}
            )
        for ref in s.location_ids:
            t["service_at_locations"].append(
                {"id": child_id(s.id, "location", ref.value), "service_id": s.id, "location_id": ref.value}
            )
        for ref in s.languages:
            t["languages"].append(
                {
                    "id": child_id(s.id, "language", ref.value),
                    "service_id": s.id,
                    "name": ref.extra,
                    "code": ref.value,
                }
            )
        for ref in s.areas:
            t["service_areas"].append(
                {
                    "id": child_id(s.id, "area", ref.extra),
                    "service_id": s.id,
                    "name": ref.value,
                    "uri": ref.extra,
                }
            )
        for i, ref in enumerate(s.required_documents):
            t["required_documents"].append(
                {"id": child_id(s.id, "document", str(i)), "service_id": s.id, "document": ref.value}
            )


def _write_attributes(t: dict[str, Table], services: list[ServiceRecord]) -> None:
    """Each service's category and days to accept a referral, as attributes linking taxonomy terms."""
    for s in services:
        for ref in s.category_terms:
            t["attributes"].append(
                {
                    "id": child_id(s.id, "category"),
                    "link_id": s.id,
                    "link_entity": "service",
                    "taxonomy_term_id": child_id("category", ref.value),
                    "label": ref.extra,
                }
            )
        if s.accept_within_days:
            t["attributes"].append(
                {
                    "id": child_id(s.id, ACCEPT_WITHIN_DAYS),
                    "link_id": s.id,
                    "link_entity": "service",
                    "taxonomy_term_id": child_id(ACCEPT_WITHIN_DAYS),
                    "value": s.accept_within_days.value,
                    "label": "Days to accept a referral",
                }
            )


def _write_taxonomy_terms(t: dict[str, Table], services: list[ServiceRecord]) -> None:
    """One term per category in use (by code; the last name seen wins), then the days-to-accept setting."""
    used_categories = {ref.value: ref.extra for s in services for ref in s.category_terms}
    for code, name in sorted(used_categories.items()):
        t["taxonomy_terms"].append(
            {
                "id": child_id("category", code),
                "code": code,
                "name": name,
                "taxonomy": CATEGORY_TAXONOMY,
                "language": "en",
            }
        )
    if any(s.accept_within_days for s in services):
        t["taxonomy_terms"].append(
            {
                "id": child_id(ACCEPT_WITHIN_DAYS),
                "code": ACCEPT_WITHIN_DAYS,
                "name": "Days to accept a referral",
                "taxonomy": SETTINGS_TAXONOMY,
                "description": "A referral not accepted within this many days is overdue.",
                "language": "en",
            }
        )


def _zip(t: dict[str, Table]) -> bytes:
    # Fixed timestamps and order, so that the same directory gives the same bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for table, (names, columns, _required) in TABLES.items():
            info = zipfile.ZipInfo(names[0], date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, _csv(columns, t[table]))
    return out.getvalue()
