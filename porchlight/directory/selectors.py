"""Reads for the program directory: the searchable list, one program, and the filter choices in use.

The directory describes services, not residents, so it is not scoped by team: everyone who refers, screens or
manages referrals sees all of it. Programs not taking referrals are listed only for program managers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.directory.hsds.languages import language_name
from porchlight.directory.models import Program
from porchlight.people.models import Language
from porchlight.places.models import Area

DIRECTORY_CAPABILITIES = (
    Capability.REFER,
    Capability.SCREEN,
    Capability.MANAGE_REFERRALS,
    Capability.MANAGE_PROGRAMS,
)


def programs_for_directory(
    *,
    user: User,
    q: str = "",
    category: str = "",
    language: str = "",
    area: Area | None = None,
    include_inactive: bool = False,
) -> QuerySet[Program]:
    programs = Program.objects.select_related("organization").order_by("name", "organization__name")
    if not (include_inactive and user.can(Capability.MANAGE_PROGRAMS)):
        programs = programs.filter(is_active=True)
    for word in q.split():
        programs = programs.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(organization__name__icontains=word)
            | Q(eligibility_description__icontains=word)
        )
    if category:
        programs = programs.filter(category=category)
    if language:
        # JSON "contains" is not available on SQLite; the directory is small, so match the codes in Python.
        ids = [pk for pk, codes in programs.values_list("pk", "languages") if language in (codes or [])]
        programs = programs.filter(pk__in=ids)
    if area is not None:
        # A program with no areas serves the whole city, so it serves every area too.
        programs = programs.filter(Q(areas_served=area) | Q(areas_served__isnull=True)).distinct()
    return programs


def program_get_for_directory(*, pk: int) -> Program:
    return get_object_or_404(
        Program.objects.select_related("organization").prefetch_related("areas_served", "locations"), pk=pk
    )


def directory_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages some program serves, for the language filter."""
    codes = {code for codes in Program.objects.values_list("languages", flat=True) for code in codes or []}
    return sorted(((code, language_label(code)) for code in codes), key=lambda c: str(c[1]))


def language_label(code: str) -> str:
    """The city's languages by their translated name; any other ISO 639-1 code by its English name."""
    return str(dict(Language.choices).get(code) or language_name(code))


def directory_areas() -> QuerySet[Area]:
    """The areas some program is limited to, for the area filter."""
    return Area.objects.filter(programs__isnull=False).distinct().order_by("kind", "name")
