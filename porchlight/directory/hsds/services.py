"""Import and export of the program directory in the Open Referral HSDS 3.0 formats (CSV package and JSON).

The web page, the `hsds` management command and the demo all go through these functions. An import reads the
whole file, checks everything, and writes all or nothing in one transaction; rows are matched by their HSDS id
(else by name), so re-importing an export updates the directory instead of duplicating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.accounts.services import audit_record
from porchlight.directory.hsds import csv as hsds_csv
from porchlight.directory.hsds import json as hsds_json
from porchlight.directory.hsds.languages import language_name
from porchlight.directory.hsds.records import (
    ACCEPT_WITHIN_DAYS,
    AREA_URI_PREFIX,
    Directory,
    HsdsError,
    LocationRecord,
    OrgRecord,
    Ref,
    ServiceRecord,
    Src,
)
from porchlight.directory.hsds.validate import Plan, PlannedProgram, directory_check
from porchlight.directory.models import EligibilityRule, Location, Organization, Program
from porchlight.places.imports.csvfile import max_bytes

FORMATS = {"zip": "application/zip", "json": "application/json"}
# "services" is the app label (kept when the package became `directory`), so old and new audit rows match.
AUDIT_OBJECT_TYPE = "services.directory"
# Program fields copied from the HSDS service of the same name.
PROGRAM_TEXT_FIELDS = (
    "description",
    "url",
    "email",
    "eligibility_description",
    "application_process",
    "fees_description",
)


class HsdsImportError(ValidationError):
    """The file cannot be imported; `errors` lists every problem found. Nothing was written."""

    def __init__(self, errors: list[HsdsError]) -> None:
        super().__init__(_("The file has %(n)d problem(s); nothing was imported.") % {"n": len(errors)})
        self.errors = errors


@dataclass
class ImportSummary:
    created: dict[str, int] = field(
        default_factory=lambda: {"organizations": 0, "locations": 0, "programs": 0}
    )
    updated: dict[str, int] = field(
        default_factory=lambda: {"organizations": 0, "locations": 0, "programs": 0}
    )

    def __str__(self) -> str:
        return ", ".join(
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated" for kind in self.created
        )


def hsds_parse(*, data: bytes, file_name: str) -> tuple[Directory, list[HsdsError]]:
    """Read an HSDS CSV package (.zip) or JSON file into records; the format is told by its content."""
    if not data:
        return Directory(), [HsdsError(file_name, 0, "", _("The file is empty (0 bytes)."))]
    if len(data) > max_bytes():
        return Directory(), [
            HsdsError(
                file_name,
                0,
                "",
                _("The file is too big: the limit is %(mb)s MB.")
                % {"mb": round(max_bytes() / 1024 / 1024, 1)},
            )
        ]
    if data[:2] == b"PK":
        return hsds_csv.read_package(data)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return hsds_json.read_json(data, file_name=file_name)
    return Directory(), [
        HsdsError(
            file_name, 0, "", _("This is neither an HSDS CSV package (.zip) nor an HSDS JSON file (.json).")
        )
    ]


def hsds_import(
    *, data: bytes, file_name: str, actor: User | None, request: HttpRequest | None = None
) -> ImportSummary:
    """Check the whole file, then write it in one transaction; HsdsImportError lists every problem."""
    directory, errors = hsds_parse(data=data, file_name=file_name)
    # Check what could be read even when some of it could not, so that the user sees every problem at once.
    plan, problems = directory_check(directory)
    errors += problems
    if not errors:
        try:
            summary = directory_write(plan=plan)
        except IntegrityError as exc:  # a concurrent edit, or a rule the checks above do not know about
            errors = [HsdsError(file_name, 0, "", _("The database refused the import: %s") % exc)]
    if errors:
        audit_record(
            actor=actor,
            action="import",
            object_type=AUDIT_OBJECT_TYPE,
            request=request,
            detail=f"HSDS {file_name} failed with {len(errors)} error(s); nothing written",
        )
        raise HsdsImportError(errors)
    audit_record(
        actor=actor,
        action="import",
        object_type=AUDIT_OBJECT_TYPE,
        request=request,
        detail=f"HSDS {file_name}: {summary}",
    )
    return summary


@transaction.atomic
def directory_write(*, plan: Plan) -> ImportSummary:
    """Write a checked plan. Only `hsds_import` and the demo call this; both check first."""
    summary = ImportSummary()
    orgs = _organizations_write(plan, summary)
    missing = {p.record.organization_id for p in plan.programs} | {org_id for _, _, org_id in plan.locations}
    orgs.update(Organization.objects.in_bulk(missing - set(orgs), field_name="hsds_id"))
    _locations_write(plan, orgs, summary)
    locations = Location.objects.in_bulk(
        {r.value for p in plan.programs for r in p.record.location_ids}, field_name="hsds_id"
    )
    for planned in plan.programs:
        _program_write(planned, orgs, locations, summary)
    return summary


def _organizations_write(plan: Plan, summary: ImportSummary) -> dict[str, Organization]:
    """Create or update the file's organizations; returns them by HSDS id."""
    orgs: dict[str, Organization] = {}
    for rec, org in plan.organizations:
        kind = "updated" if org else "created"
        org = org or Organization()
        org.hsds_id = rec.id
        org.name, org.description, org.email, org.website = rec.name, rec.description, rec.email, rec.website
        org.phone = rec.phone.value if rec.phone else ""
        org.save()
        orgs[rec.id] = org
        getattr(summary, kind)["organizations"] += 1
    return orgs


def _locations_write(plan: Plan, orgs: dict[str, Organization], summary: ImportSummary) -> None:
    for rec, loc, org_id in plan.locations:
        kind = "updated" if loc else "created"
        loc = loc or Location()
        loc.hsds_id, loc.organization = rec.id, orgs[org_id]
        loc.name = rec.name or rec.address_1
        for name in ("transportation", "address_1", "city", "state_province", "postal_code"):
            setattr(loc, name, getattr(rec, name))
        loc.latitude = float(rec.latitude) if rec.latitude else None
        loc.longitude = float(rec.longitude) if rec.longitude else None
        loc.save()
        getattr(summary, kind)["locations"] += 1


def _program_write(
    planned: PlannedProgram,
    orgs: dict[str, Organization],
    locations: dict[str, Location],
    summary: ImportSummary,
) -> None:
    rec = planned.record
    kind = "updated" if planned.target else "created"
    program = planned.target or Program()
    program.hsds_id, program.organization, program.name = rec.id, orgs[rec.organization_id], rec.name
    for name in PROGRAM_TEXT_FIELDS:
        setattr(program, name, getattr(rec, name))
    program.phone = rec.phone.value if rec.phone else ""
    program.required_documents = "\n".join(r.value for r in rec.required_documents)
    program.languages = planned.languages
    program.is_active = rec.status.lower() == "active"
    # Not given by the file (a plain HSDS file has no Porchlight terms): keep what the program has.
    if planned.category is not None:
        program.category = planned.category
    if planned.accept_within_days is not None:
        program.accept_within_days = planned.accept_within_days
    program.save()
    program.areas_served.set(planned.areas)
    program.locations.set([locations[r.value] for r in rec.location_ids])
    if planned.rules is not None:
        program.rules.all().delete()
        for rule in planned.rules:
            rule.program = program
        EligibilityRule.objects.bulk_create(planned.rules)
    getattr(summary, kind)["programs"] += 1


def directory_read() -> Directory:
    """The whole directory from the database as records, in a stable order (for byte-identical exports)."""
    here = Src("database", 0)
    directory = Directory()
    directory.organizations = [_org_record(org, here) for org in Organization.objects.order_by("hsds_id")]
    directory.locations = [
        _location_record(loc, here)
        for loc in Location.objects.select_related("organization").order_by("hsds_id")
    ]
    programs = (
        Program.objects.select_related("organization")
        .prefetch_related("areas_served", "locations", "rules")
        .order_by("hsds_id")
    )
    directory.services = [_service_record(p, here) for p in programs]
    return directory


def _org_record(org: Organization, here: Src) -> OrgRecord:
    return OrgRecord(
        id=org.hsds_id,
        name=org.name,
        src=here,
        description=org.description,
        email=org.email,
        website=org.website,
        phone=Ref(org.phone, here, "phone") if org.phone else None,
    )


def _location_record(loc: Location, here: Src) -> LocationRecord:
    return LocationRecord(
        id=loc.hsds_id,
        src=here,
        organization_id=loc.organization.hsds_id,
        name=loc.name,
        transportation=loc.transportation,
        latitude="" if loc.latitude is None else repr(loc.latitude),
        longitude="" if loc.longitude is None else repr(loc.longitude),
        address_1=loc.address_1,
        city=loc.city,
        state_province=loc.state_province,
        postal_code=loc.postal_code,
    )


def _service_record(p: Program, here: Src) -> ServiceRecord:
    return ServiceRecord(
        id=p.hsds_id,
        organization_id=p.organization.hsds_id,
        name=p.name,
        src=here,
        description=p.description,
        url=p.url,
        email=p.email,
        status="active" if p.is_active else "inactive",
        eligibility_description=p.eligibility_description,
        application_process=p.application_process,
        fees_description=p.fees_description,
        phone=Ref(p.phone, here, "phone") if p.phone else None,
        required_documents=[Ref(doc, here, "document") for doc in p.documents],
        category=p.category,
        category_terms=[Ref(p.category, here, "category", str(p.get_category_display()))],
        accept_within_days=Ref(str(p.accept_within_days), here, ACCEPT_WITHIN_DAYS),
        languages=[Ref(code, here, "code", language_name(code)) for code in p.languages],
        areas=[
            Ref(a.name, here, "name", f"{AREA_URI_PREFIX}{a.kind}:{a.code}")
            for a in sorted(p.areas_served.all(), key=lambda a: (a.kind, a.code))
        ],
        location_ids=[
            Ref(loc.hsds_id, here, "location_id")
            for loc in sorted(p.locations.all(), key=lambda loc: loc.hsds_id)
        ],
        rules=[
            {"question": r.question, "operator": r.operator, "value": r.value, "explanation": r.explanation}
            for r in p.rules.all()
        ],
    )


def hsds_export(
    *, fmt: str, actor: User | None, request: HttpRequest | None = None
) -> tuple[bytes, str, str]:
    """The directory as an HSDS file: (content, file name, content type). Audit-logged."""
    if fmt not in FORMATS:
        raise ValidationError(_("Unknown export format “%(fmt)s”: use zip or json.") % {"fmt": fmt})
    # English category names whatever the user's language, so that two exports of one directory are equal.
    with translation.override("en"):
        directory = directory_read()
    content = hsds_csv.write_package(directory) if fmt == "zip" else hsds_json.write_json(directory)
    name = f"porchlight-directory-hsds.{fmt}"
    audit_record(
        actor=actor,
        action="export",
        object_type=AUDIT_OBJECT_TYPE,
        request=request,
        detail=f"HSDS {fmt}: {len(directory.organizations)} organizations, "
        f"{len(directory.locations)} locations, {len(directory.services)} programs",
    )
    return content, name, FORMATS[fmt]
