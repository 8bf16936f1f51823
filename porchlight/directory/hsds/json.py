"""HSDS 3.0 JSON: a list of `service` objects, each with its organization, locations, phones, languages,
service areas, required documents and taxonomy attributes nested inside (as the HSDS API's /services/{id}).

Porchlight adds one field of its own to each service, `porchlight_rules` (the program's eligibility rules);
other readers ignore it. An error's "line" is the service's position in the list (1 = first).
"""

from __future__ import annotations

import json

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
from porchlight.places.imports.csvfile import max_bytes
from porchlight.ui import safejson

RULES_KEY = "porchlight_rules"


class _Reader:
    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.errors: list[HsdsError] = []
        self.d = Directory()
        self.orgs: dict[str, tuple[OrgRecord, tuple]] = {}
        self.locations: dict[str, tuple[LocationRecord, tuple]] = {}

    def error(self, src: Src, field: str, message: str) -> None:
        self.errors.append(HsdsError(self.file, src.line, src.prefix + field, message))

    def text(self, obj: dict, key: str, src: Src) -> str:
        value = obj.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(src, key, _("Must be text, not %s.") % type(value).__name__)
            return ""
        return str(value).strip()

    def objects(self, obj: dict, key: str, src: Src) -> list[tuple[Src, dict]]:
        """The objects of the list `key` of `obj`, each with its path for error messages."""
        items = obj.get(key) or []
        if not isinstance(items, list):
            self.error(src, key, _("Must be a list."))
            return []
        found = []
        for i, item in enumerate(items):
            child = Src(src.file, src.line, f"{src.prefix}{key}[{i}].")
            if isinstance(item, dict):
                found.append((child, item))
            else:
                self.error(src, f"{key}[{i}]", _("Must be an object."))
        return found

    def organization(self, obj: dict, src: Src) -> str:
        org = OrgRecord(
            id=self.text(obj, "id", src),
            name=self.text(obj, "name", src),
            src=src,
            description=self.text(obj, "description", src),
            email=self.text(obj, "email", src),
            website=self.text(obj, "website", src),
        )
        phones = self.objects(obj, "phones", src)
        if phones:
            org.phone = Ref(self.text(phones[0][1], "number", phones[0][0]), phones[0][0], "number")
        key = (org.name, org.description, org.email, org.website, org.phone.value if org.phone else "")
        if org.id in self.orgs:
            first, first_key = self.orgs[org.id]
            if key != first_key:
                self.error(
                    src,
                    "id",
                    _("Organization “%(id)s” is described differently in service %(n)d.")
                    % {"id": org.id, "n": first.src.line},
                )
        else:
            self.orgs[org.id] = (org, key)
            self.d.organizations.append(org)
        return org.id

    def location(self, obj: dict, src: Src, organization_id: str) -> str:
        loc = LocationRecord(
            id=self.text(obj, "id", src),
            src=src,
            organization_id=self.text(obj, "organization_id", src) or organization_id,
            name=self.text(obj, "name", src),
            transportation=self.text(obj, "transportation", src),
            latitude=self.text(obj, "latitude", src),
            longitude=self.text(obj, "longitude", src),
        )
        addresses = self.objects(obj, "addresses", src)
        physical = [a for a in addresses if self.text(a[1], "address_type", a[0]).lower() in ("", "physical")]
        if addresses:
            a_src, a = (physical or addresses)[0]
            loc.address_1, loc.city = self.text(a, "address_1", a_src), self.text(a, "city", a_src)
            loc.state_province = self.text(a, "state_province", a_src)
            loc.postal_code = self.text(a, "postal_code", a_src)
            loc.address_src = a_src
        key = (
            loc.organization_id,
            loc.name,
            loc.transportation,
            loc.latitude,
            loc.longitude,
            loc.address_1,
            loc.city,
            loc.state_province,
            loc.postal_code,
        )
        if loc.id in self.locations:
            first, first_key = self.locations[loc.id]
            if key != first_key:
                self.error(
                    src,
                    "id",
                    _("Location “%(id)s” is described differently in service %(n)d.")
                    % {"id": loc.id, "n": first.src.line},
                )
        else:
            self.locations[loc.id] = (loc, key)
            self.d.locations.append(loc)
        return loc.id

    def service(self, obj: dict, src: Src) -> None:
        org_obj = obj.get("organization")
        org_id = self.text(obj, "organization_id", src)
        if isinstance(org_obj, dict):
            org_id = self.organization(org_obj, Src(src.file, src.line, "organization.")) or org_id
        elif org_obj is not None:
            self.error(src, "organization", _("Must be an object."))
        svc = ServiceRecord(
            id=self.text(obj, "id", src),
            organization_id=org_id,
            name=self.text(obj, "name", src),
            src=src,
            description=self.text(obj, "description", src),
            url=self.text(obj, "url", src),
            email=self.text(obj, "email", src),
            status=self.text(obj, "status", src) or "active",
            eligibility_description=self.text(obj, "eligibility_description", src),
            application_process=self.text(obj, "application_process", src),
            fees_description=self.text(obj, "fees_description", src),
        )
        phones = self.objects(obj, "phones", src)
        if phones:
            svc.phone = Ref(self.text(phones[0][1], "number", phones[0][0]), phones[0][0], "number")
        for s, lang in self.objects(obj, "languages", src):
            code = self.text(lang, "code", s)
            svc.languages.append(Ref(code, s, "code" if code else "name", self.text(lang, "name", s)))
        for s, area in self.objects(obj, "service_areas", src):
            svc.areas.append(Ref(self.text(area, "name", s), s, "name", self.text(area, "uri", s)))
        for s, doc in self.objects(obj, "required_documents", src):
            if self.text(doc, "document", s):
                svc.required_documents.append(Ref(self.text(doc, "document", s), s, "document"))
        for s, sal in self.objects(obj, "service_at_locations", src):
            location = sal.get("location")
            if isinstance(location, dict):
                loc_id = self.location(location, Src(s.file, s.line, s.prefix + "location."), org_id)
            else:
                loc_id = self.text(sal, "location_id", s)
            svc.location_ids.append(Ref(loc_id, s, "location_id"))
        for s, attribute in self.objects(obj, "attributes", src):
            term = attribute.get("taxonomy_term")
            if not isinstance(term, dict):
                term = {}
            code, taxonomy = self.text(term, "code", s), self.text(term, "taxonomy", s)
            if taxonomy == SETTINGS_TAXONOMY and code == ACCEPT_WITHIN_DAYS:
                svc.accept_within_days = Ref(self.text(attribute, "value", s), s, "value")
            else:
                svc.category_terms.append(Ref(code, s, "taxonomy_term", self.text(term, "name", s)))
        if RULES_KEY in obj:
            svc.rules = obj[RULES_KEY]
        self.d.services.append(svc)


def read_json(data: bytes, *, file_name: str) -> tuple[Directory, list[HsdsError]]:
    try:
        doc = safejson.loads(data, max_bytes=max_bytes())
    except safejson.UnsafeJSONError as exc:
        return Directory(), [HsdsError(file_name, 0, "", str(exc))]
    except UnicodeDecodeError:
        return Directory(), [HsdsError(file_name, 0, "", _("The file is not UTF-8 text."))]
    except json.JSONDecodeError as exc:
        return Directory(), [
            HsdsError(
                file_name,
                exc.lineno,
                "",
                _("Not valid JSON: %(msg)s (line %(line)d, column %(col)d).")
                % {"msg": exc.msg, "line": exc.lineno, "col": exc.colno},
            )
        ]
    # A list of services, or a page of the HSDS API ({"contents": [...]}).
    items = doc.get("contents", doc.get("services")) if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        return Directory(), [
            HsdsError(
                file_name,
                0,
                "",
                _("Expected a non-empty list of HSDS service objects (or an object with a “contents” list)."),
            )
        ]
    reader = _Reader(file_name)
    for i, item in enumerate(items, start=1):
        if isinstance(item, dict):
            reader.service(item, Src(file_name, i))
        else:
            reader.errors.append(HsdsError(file_name, i, "", _("Each service must be a JSON object.")))
    return reader.d, reader.errors


def write_json(d: Directory) -> bytes:
    """The directory as an HSDS JSON list of services (organizations without programs are not included)."""
    orgs = {o.id: o for o in d.organizations}
    locations = {loc.id: loc for loc in d.locations}
    services = [_service(s, orgs[s.organization_id], locations) for s in d.services]
    return (json.dumps(services, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _service(s: ServiceRecord, org: OrgRecord, locations: dict[str, LocationRecord]) -> dict:
    # Keys in a fixed order, so that the same directory gives the same bytes.
    service = {
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
        "organization": _organization(org),
        "phones": [{"id": child_id(s.id, "phone"), "number": s.phone.value, "type": "voice"}]
        if s.phone
        else [],
        "languages": [
            {"id": child_id(s.id, "language", r.value), "name": r.extra, "code": r.value} for r in s.languages
        ],
        "service_areas": [
            {"id": child_id(s.id, "area", r.extra), "name": r.value, "uri": r.extra} for r in s.areas
        ],
        "required_documents": [
            {"id": child_id(s.id, "document", str(i)), "document": r.value}
            for i, r in enumerate(s.required_documents)
        ],
        "service_at_locations": [
            {
                "id": child_id(s.id, "location", r.value),
                "service_id": s.id,
                "location_id": r.value,
                "location": _location(locations[r.value]),
            }
            for r in s.location_ids
        ],
        "attributes": _attributes(s),
    }
    if s.rules is not None:
        service[RULES_KEY] = s.rules
    return service


def _organization(org: OrgRecord) -> dict:
    return {
        "id": org.id,
        "name": org.name,
        "description": org.description,
        "email": org.email,
        "website": org.website,
        "phones": [{"id": child_id(org.id, "phone"), "number": org.phone.value, "type": "voice"}]
        if org.phone
        else [],
    }


def _attributes(s: ServiceRecord) -> list[dict]:
    """The service's category terms, then Porchlight's days-to-accept setting, each with its taxonomy term."""
    attributes = [
        {
            "id": child_id(s.id, "category"),
            "link_id": s.id,
            "link_entity": "service",
            "taxonomy_term_id": child_id("category", r.value),
            "label": r.extra,
            "taxonomy_term": {
                "id": child_id("category", r.value),
                "code": r.value,
                "name": r.extra,
                "taxonomy": CATEGORY_TAXONOMY,
            },
        }
        for r in s.category_terms
    ]
    if s.accept_within_days:
        attributes.append(
            {
                "id": child_id(s.id, ACCEPT_WITHIN_DAYS),
                "link_id": s.id,
                "link_entity": "service",
                "taxonomy_term_id": child_id(ACCEPT_WITHIN_DAYS),
                "value": s.accept_within_days.value,
                "label": "Days to accept a referral",
                "taxonomy_term": {
                    "id": child_id(ACCEPT_WITHIN_DAYS),
                    "code": ACCEPT_WITHIN_DAYS,
                    "name": "Days to accept a referral",
                    "taxonomy": SETTINGS_TAXONOMY,
                },
            }
        )
    return attributes


def _location(loc: LocationRecord) -> dict:
    location: dict = {
        "id": loc.id,
        "location_type": "physical",
        "organization_id": loc.organization_id,
        "name": loc.name,
        "transportation": loc.transportation,
        "latitude": float(loc.latitude) if loc.latitude else None,
        "longitude": float(loc.longitude) if loc.longitude else None,
        "addresses": [],
    }
    if loc.address_1 or loc.city or loc.postal_code:
        location["addresses"].append(
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
    return location
