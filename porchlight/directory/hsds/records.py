"""The program directory as plain records, the shape both HSDS formats are read into and written from.

A file is parsed into a `Directory` (hsds.csv / hsds.json), checked as a whole (hsds.validate), then written
in one transaction; an export reads the database into the same records and serializes them. Every record
keeps where it came from, so that an error names the file, the row (or JSON item) and the column.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

# Child rows (phones, languages, ...) are not stored as rows of their own: their ids are derived from the
# parent's id, so that exporting the same directory twice gives byte-identical files.
ID_NAMESPACE = uuid.UUID("0b9d3a52-3c0e-4b8e-9a55-6c1d2f7e4a10")
CATEGORY_TAXONOMY = "Porchlight category"
SETTINGS_TAXONOMY = "Porchlight"
ACCEPT_WITHIN_DAYS = "accept_within_days"
AREA_URI_PREFIX = "urn:porchlight:area:"


def child_id(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Src:
    """Where a record came from: the file and its CSV line (or, for JSON, the service's 1-based position)."""

    file: str
    line: int
    prefix: str = ""  # JSON path of the object, e.g. "organization." (empty for CSV)


@dataclass(frozen=True)
class HsdsError:
    """One problem in an uploaded file, shown to the user as a table row."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}, {self.field or '—'}: {self.message}"


@dataclass(frozen=True)
class Ref:
    """A value from a child row (a phone, a language, an area ...) with its origin."""

    value: str
    src: Src
    field: str
    extra: str = ""  # a language's name, an area's uri, a taxonomy term's name


@dataclass
class OrgRecord:
    id: str
    name: str
    src: Src
    description: str = ""
    email: str = ""
    website: str = ""
    phone: Ref | None = None


@dataclass
class LocationRecord:
    id: str
    src: Src
    organization_id: str = ""
    name: str = ""
    transportation: str = ""
    latitude: str = ""
    longitude: str = ""
    address_1: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    address_src: Src | None = None


@dataclass
class ServiceRecord:
    id: str
    organization_id: str
    name: str
    src: Src
    description: str = ""
    url: str = ""
    email: str = ""
    status: str = "active"
    eligibility_description: str = ""
    application_process: str = ""
    fees_description: str = ""
    phone: Ref | None = None
    required_documents: list[Ref] = field(default_factory=list)
    # Taxonomy terms attached to the service: value is the term's code, extra its name.
    category_terms: list[Ref] = field(default_factory=list)
    accept_within_days: Ref | None = None
    languages: list[Ref] = field(default_factory=list)
    areas: list[Ref] = field(default_factory=list)
    location_ids: list[Ref] = field(default_factory=list)
    # Porchlight's extension (JSON only): the program's eligibility rules; None leaves them unchanged.
    rules: list[dict] | None = None
    # Set on export (and after validation): the Program.Category code.
    category: str = ""


@dataclass
class Directory:
    organizations: list[OrgRecord] = field(default_factory=list)
    locations: list[LocationRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
