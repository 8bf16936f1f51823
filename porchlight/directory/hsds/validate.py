"""Checking a parsed HSDS directory as a whole before anything is written, and deciding what each row becomes.

Every problem is collected (not just the first), each with its file, line and column. The result is a
`Plan`: which existing row each record updates (matched by HSDS id, else by name) and the resolved category,
languages, areas and rules, so that writing needs no further checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.translation import gettext as _

from porchlight.directory.hsds.languages import language_code
from porchlight.directory.hsds.records import (
    AREA_URI_PREFIX,
    Directory,
    HsdsError,
    LocationRecord,
    OrgRecord,
    Ref,
    ServiceRecord,
    Src,
)
from porchlight.directory.models import EligibilityRule, Location, Organization, Program
from porchlight.directory.screening.rules import rule_value_parse
from porchlight.places.models import Area

C = Program.Category
# HSDS has no fixed list of categories. A taxonomy term whose code is one of ours wins; otherwise the first
# term whose code or name contains one of these words decides (Open Eligibility and 211 LA terms read like
# "Housing", "Legal Assistance", "Food Pantries", "Employment"); otherwise the program is "other".
CATEGORY_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (C.LEGAL, ("legal", "tenant", "eviction", "law", "attorney", "mediation")),
    (C.UTILITIES, ("utilit", "energy", "electric", "water bill", "heating")),
    (C.HOUSING, ("housing", "shelter", "homeless", "rent", "mortgage")),
    (C.EMPLOYMENT, ("employment", "job", "workforce", "career", "apprentice", "training")),
    (C.HEALTH, ("health", "insurance", "medicaid", "medical", "clinic", "dental")),
    (C.FOOD, ("food", "pantry", "meal", "nutrition", "snap")),
    (C.SAFETY, ("safety", "victim", "violence", "crime", "abuse")),
    (C.BUSINESS, ("business", "entrepreneur", "microloan")),
    (C.YOUTH, ("youth", "teen", "child", "young")),
]
ACTIVE_STATUSES = {"active": True, "inactive": False, "defunct": False, "temporarily closed": False}
_url = URLValidator(schemes=["http", "https"])


def category_for_terms(terms: list[Ref]) -> str | None:
    """Our category for a service's taxonomy terms, or None when none of them says."""
    for term in terms:
        if term.value.strip().lower() in C.values:
            return term.value.strip().lower()
    for term in terms:
        text = f"{term.value} {term.extra}".lower()
        for category, words in CATEGORY_WORDS:
            if any(w in text for w in words):
                return category
    return None


@dataclass
class PlannedProgram:
    record: ServiceRecord
    target: Program | None
    category: str | None  # None: keep the existing program's category
    accept_within_days: int | None
    languages: list[str]
    areas: list[Area]
    rules: list[EligibilityRule] | None


@dataclass
class Plan:
    organizations: list[tuple[OrgRecord, Organization | None]] = field(default_factory=list)
    locations: list[tuple[LocationRecord, Location | None, str]] = field(default_factory=list)
    programs: list[PlannedProgram] = field(default_factory=list)


class _Checker:
    def __init__(self, directory: Directory) -> None:
        self.d = directory
        self.errors: list[HsdsError] = []
        self.org_ids = {o.id for o in directory.organizations}
        self.loc_ids = {loc.id for loc in directory.locations}

    def error(self, src: Src, column: str, message: str) -> None:
        self.errors.append(
            HsdsError(file=src.file, line=src.line, field=src.prefix + column, message=message)
        )

    def text(
        self,
        src: Src,
        column: str,
        value: str,
        model: type[models.Model],
        name: str,
        *,
        required: bool = False,
    ) -> None:
        if required and not value:
            self.error(src, column, _("This field is required."))
        max_length = getattr(model._meta.get_field(name), "max_length", None)
        if max_length and len(value) > max_length:
            self.error(
                src,
                column,
                _("Too long: at most %(n)d characters (this has %(len)d).")
                % {"n": max_length, "len": len(value)},
            )

    def email(self, src: Src, column: str, value: str) -> None:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(src, column, _("“%s” is not a valid email address.") % value)

    def url(self, src: Src, column: str, value: str) -> None:
        if value:
            try:
                _url(value)
            except ValidationError:
                self.error(
                    src,
                    column,
                    _("“%s” is not a valid web address (it must start with http:// or https://).") % value,
                )

    def phone(self, ref: Ref | None) -> None:
        if ref is not None:
            if not re.search(r"\d{3}", ref.value):
                self.error(ref.src, ref.field, _("“%s” is not a phone number.") % ref.value)
            elif len(ref.value) > 30:
                self.error(ref.src, ref.field, _("Too long: at most 30 characters."))

    def unique(self, records: list, key: str, label: str) -> None:
        seen: dict[str, Src] = {}
        for r in records:
            value = getattr(r, key)
            if not value:
                continue
            folded = value.lower() if key == "name" else value
            if folded in seen:
                self.error(
                    r.src,
                    key,
                    _("Duplicate %(label)s “%(value)s” (also on line %(line)d).")
                    % {"label": label, "value": value, "line": seen[folded].line},
                )
            else:
                seen[folded] = r.src

    def run(self) -> Plan:
        plan = Plan()
        d = self.d
        self.unique(d.organizations, "id", _("organization id"))
        self.unique(d.organizations, "name", _("organization name"))
        self.unique(d.locations, "id", _("location id"))
        self.unique(d.services, "id", _("service id"))
        existing_orgs = {
            o.hsds_id: o
            for o in Organization.objects.filter(
                hsds_id__in=self.org_ids | {s.organization_id for s in d.services}
            )
        }
        for org in d.organizations:
            plan.organizations.append((org, self.organization(org, existing_orgs)))
        existing_locs = {loc.hsds_id: loc for loc in Location.objects.filter(hsds_id__in=self.loc_ids)}
        for loc in d.locations:
            org_id = self.location(loc, existing_orgs)
            plan.locations.append((loc, existing_locs.get(loc.id), org_id))
        all_loc_ids = self.loc_ids | set(
            Location.objects.filter(
                hsds_id__in={r.value for s in d.services for r in s.location_ids}
            ).values_list("hsds_id", flat=True)
        )
        areas = _AreaLookup()
        names_in_org: dict[tuple[str, str], Src] = {}
        for svc in d.services:
            key = (svc.organization_id, svc.name.lower())
            if svc.name and key in names_in_org:
                self.error(
                    svc.src,
                    "name",
                    _("Duplicate service name “%(name)s” in one organization (also on line %(line)d).")
                    % {"name": svc.name, "line": names_in_org[key].line},
                )
            names_in_org.setdefault(key, svc.src)
            plan.programs.append(self.service(svc, existing_orgs, plan, all_loc_ids, areas))
        return plan

    def organization(self, org: OrgRecord, existing: dict[str, Organization]) -> Organization | None:
        self.text(org.src, "id", org.id, Organization, "hsds_id", required=True)
        self.text(org.src, "name", org.name, Organization, "name", required=True)
        self.email(org.src, "email", org.email)
        self.url(org.src, "website", org.website)
        self.text(org.src, "website", org.website, Organization, "website")
        self.phone(org.phone)
        target = existing.get(org.id)
        same_name = Organization.objects.filter(name__iexact=org.name).first() if org.name else None
        if target is None and same_name is not None and same_name.hsds_id not in self.org_ids:
            # An organization entered by hand before the import: adopt it (and the file's id) by name.
            target = same_name
        elif same_name is not None and same_name != target:
            self.error(
                org.src,
                "name",
                _("Another organization (id “%(id)s”) is already named “%(name)s”.")
                % {"id": same_name.hsds_id, "name": org.name},
            )
        if target is not None:
            existing[org.id] = target
        return target

    def location(self, loc: LocationRecord, existing_orgs: dict[str, Organization]) -> str:
        self.text(loc.src, "id", loc.id, Location, "hsds_id", required=True)
        org_id = loc.organization_id or next(
            (s.organization_id for s in self.d.services if any(r.value == loc.id for r in s.location_ids)), ""
        )
        if not org_id:
            self.error(loc.src, "organization_id", _("Say which organization runs this location."))
        elif org_id not in self.org_ids and org_id not in existing_orgs:
            self.error(loc.src, "organization_id", _("No organization has the id “%s”.") % org_id)
        if not (loc.name or loc.address_1):
            self.error(loc.src, "name", _("A location needs a name or a street address."))
        self.text(loc.src, "name", loc.name, Location, "name")
        self.text(loc.src, "transportation", loc.transportation, Location, "transportation")
        addr = loc.address_src or loc.src
        for column in ("address_1", "city", "state_province", "postal_code"):
            self.text(addr, column, getattr(loc, column), Location, column)
        for column, limit in (("latitude", 90), ("longitude", 180)):
            value = getattr(loc, column)
            try:
                if value and not -limit <= float(value) <= limit:
                    raise ValueError
            except ValueError:
                self.error(
                    loc.src,
                    column,
                    _("“%(value)s” is not a %(column)s in decimal degrees.")
                    % {"value": value, "column": column},
                )
        return org_id

    def service(
        self,
        svc: ServiceRecord,
        existing_orgs: dict[str, Organization],
        plan: Plan,
        all_loc_ids: set[str],
        areas: _AreaLookup,
    ) -> PlannedProgram:
        # Checked in the order of the file's columns, so that the errors read top to bottom.
        org = existing_orgs.get(svc.organization_id)
        self.service_fields(svc, org)
        target = self.service_target(svc, org)
        accept = self.accept_within_days(svc)
        languages = self.languages(svc)
        found_areas = self.areas(svc, areas)
        self.service_references(svc, all_loc_ids)
        return PlannedProgram(
            record=svc,
            target=target,
            category=category_for_terms(svc.category_terms) or (None if target else C.OTHER),
            accept_within_days=accept,
            languages=languages,
            areas=found_areas,
            rules=self.rules(svc),
        )

    def service_fields(self, svc: ServiceRecord, org: Organization | None) -> None:
        src = svc.src
        self.text(src, "id", svc.id, Program, "hsds_id", required=True)
        self.text(src, "name", svc.name, Program, "name", required=True)
        self.email(src, "email", svc.email)
        self.url(src, "url", svc.url)
        self.text(src, "url", svc.url, Program, "url")
        self.text(src, "fees_description", svc.fees_description, Program, "fees_description")
        self.phone(svc.phone)
        if not svc.organization_id:
            self.error(src, "organization_id", _("This field is required."))
        elif svc.organization_id not in self.org_ids and org is None:
            self.error(src, "organization_id", _("No organization has the id “%s”.") % svc.organization_id)
        if svc.status.lower() not in ACTIVE_STATUSES:
            self.error(
                src,
                "status",
                _("Unknown status “%(value)s”: use one of %(choices)s.")
                % {"value": svc.status, "choices": ", ".join(ACTIVE_STATUSES)},
            )

    def service_target(self, svc: ServiceRecord, org: Organization | None) -> Program | None:
        """The program this service updates: the one with its HSDS id, else one entered by hand by name."""
        target = Program.objects.filter(hsds_id=svc.id).first() if svc.id else None
        if org is None or not svc.name:
            return target
        same_name_qs = org.programs.filter(name__iexact=svc.name)
        same_name = (same_name_qs.exclude(pk=target.pk) if target else same_name_qs).first()
        if same_name is None:
            return target
        if target is None and same_name.hsds_id not in {s.id for s in self.d.services}:
            return same_name  # entered by hand before the import: adopt it by name
        self.error(
            svc.src,
            "name",
            _("%(org)s already has another program named “%(name)s”.") % {"org": org.name, "name": svc.name},
        )
        return target

    def accept_within_days(self, svc: ServiceRecord) -> int | None:
        ref = svc.accept_within_days
        if ref is None:
            return None
        if ref.value.isdigit() and 0 <= int(ref.value) <= 365:
            return int(ref.value)
        self.error(
            ref.src,
            ref.field,
            _("Days to accept a referral must be a whole number from 0 to 365, not “%s”.") % ref.value,
        )
        return None

    def languages(self, svc: ServiceRecord) -> list[str]:
        """The service's languages as ISO 639-1 codes, each once."""
        languages: list[str] = []
        for ref in svc.languages:
            code = language_code(code=ref.value, name=ref.extra)
            if code is None:
                self.error(
                    ref.src,
                    ref.field,
                    _("Unknown language “%s”: use an ISO 639-1 code such as en, es or vi.")
                    % (ref.value or ref.extra),
                )
            elif code not in languages:
                languages.append(code)
        return languages

    def areas(self, svc: ServiceRecord, areas: _AreaLookup) -> list[Area]:
        found: list[Area] = []
        for ref in svc.areas:
            area = areas.find(name=ref.value, uri=ref.extra)
            if isinstance(area, str):
                self.error(ref.src, ref.field, area)
            elif area not in found:
                found.append(area)
        return found

    def service_references(self, svc: ServiceRecord, all_loc_ids: set[str]) -> None:
        for ref in svc.location_ids:
            if ref.value not in all_loc_ids:
                self.error(ref.src, ref.field, _("No location has the id “%s”.") % ref.value)
        for ref in svc.required_documents:
            if len(ref.value) > 300:
                self.error(ref.src, ref.field, _("Too long: at most 300 characters."))

    def rules(self, svc: ServiceRecord) -> list[EligibilityRule] | None:
        if svc.rules is None:
            return None
        if not isinstance(svc.rules, list):
            self.error(svc.src, "porchlight_rules", _("Must be a list of rules."))
            return None
        rules = []
        for i, rule in enumerate(svc.rules):
            column = f"porchlight_rules[{i}]"
            if not isinstance(rule, dict):
                self.error(svc.src, column, _("Each rule must be an object."))
                continue
            values = {
                k: str(rule.get(k, "")).strip() for k in ("question", "operator", "value", "explanation")
            }
            # The same grammar the rules editor enforces, so an imported rule can always be evaluated.
            try:
                rule_value_parse(
                    question=values["question"], operator=values["operator"], value=values["value"]
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.error(svc.src, f"{column}.{field}", message)
            if len(values["explanation"]) > 300:
                self.error(svc.src, column + ".explanation", _("Too long: at most 300 characters."))
            rules.append(EligibilityRule(**values))
        return rules


class _AreaLookup:
    """Finds our Area for an HSDS service_area: by Porchlight's area URI, else by name (or a bare ZIP)."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[Area]] = {}
        self.by_key: dict[tuple[str, str], Area] = {}
        for area in Area.objects.only("id", "kind", "code", "name"):
            self.by_name.setdefault(area.name.lower(), []).append(area)
            self.by_key[(area.kind, area.code)] = area

    def find(self, *, name: str, uri: str) -> Area | str:
        if uri.startswith(AREA_URI_PREFIX):
            kind, _sep, code = uri.removeprefix(AREA_URI_PREFIX).partition(":")
            area = self.by_key.get((kind, code))
            return area if area is not None else _("No area matches “%s”.") % uri
        matches = self.by_name.get(name.strip().lower(), [])
        if not matches and name.strip().isdigit():
            zip_area = self.by_key.get((Area.Kind.ZIP, name.strip()))
            matches = [zip_area] if zip_area else []
        if len(matches) == 1:
            return matches[0]
        if matches:
            return _("More than one area is named “%s”.") % name
        if not name.strip():
            return _("A service area needs a name.")
        return (
            _(
                "Unknown area “%s”: use the name of one of the city's neighborhoods, council districts or "
                "ZIP codes, as listed under Places."
            )
            % name
        )


def directory_check(directory: Directory) -> tuple[Plan, list[HsdsError]]:
    checker = _Checker(directory)
    plan = checker.run()
    return plan, checker.errors
