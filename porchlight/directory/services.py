"""Writes for the program directory: organizations, locations and programs edited by program managers.

Each save is one transaction and leaves a line in the audit log, so that a city can tell who changed what a
worker tells residents. HSDS imports go through porchlight.directory.hsds.services instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from porchlight.accounts.models import User
from porchlight.accounts.services import audit_record
from porchlight.directory.hsds.languages import language_code
from porchlight.directory.models import Location, Organization, Program
from porchlight.places.models import Area

DEFAULT_ACCEPT_WITHIN_DAYS = 3


def _save(obj: Program | Organization | Location, *, fields: dict[str, Any], actor: User) -> None:
    action = "update" if obj.pk else "create"
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, detail=str(obj))


@transaction.atomic
def organization_save(
    *, organization: Organization | None, fields: dict[str, Any], actor: User
) -> Organization:
    organization = organization or Organization()
    _save(organization, fields=fields, actor=actor)
    return organization


@transaction.atomic
def location_save(*, location: Location | None, fields: dict[str, Any], actor: User) -> Location:
    location = location or Location()
    _save(location, fields=fields, actor=actor)
    return location


@transaction.atomic
def program_save(
    *,
    program: Program | None,
    fields: dict[str, Any],
    areas: Iterable[Area],
    locations: Iterable[Location],
    actor: User,
) -> Program:
    """Create or update a program with its areas served and locations (which must be its organization's)."""
    program = program or Program()
    fields = dict(fields)
    codes = []
    for code in fields.get("languages") or []:
        known = language_code(code=code)
        if known is None:
            raise ValidationError(_("Unknown language code “%(code)s”.") % {"code": code})
        codes.append(known)
    fields["languages"] = list(dict.fromkeys(codes))
    if fields.get("accept_within_days") is None:
        fields["accept_within_days"] = (
            program.accept_within_days if program.pk else DEFAULT_ACCEPT_WITHIN_DAYS
        )
    locations = list(locations)
    organization = fields.get("organization", getattr(program, "organization", None))
    foreign = [loc.name for loc in locations if loc.organization_id != getattr(organization, "pk", None)]
    if foreign:
        raise ValidationError(
            _("These locations belong to another organization: %(names)s.") % {"names": ", ".join(foreign)}
        )
    _save(program, fields=fields, actor=actor)
    program.areas_served.set(areas)
    program.locations.set(locations)
    return program
