"""Building target lists: the doors to knock or the residents to call, and who was left out and why.

Do-not-contact and consent are checked here, in the one service that builds walk and call lists
(ARCHITECTURE.md, data rules). Everything is decided in the database with EXISTS subqueries; Python only
reads one row of flags per candidate and writes the targets with bulk_create.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from porchlight.accounts.models import User
from porchlight.accounts.roles import Capability
from porchlight.outreach.models import Attempt, Campaign, Conversation, Outcome, Target, TargetList
from porchlight.people.models import Language, Phone, Resident
from porchlight.places.models import Address, Area, Building

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

# Exclusion reasons, in the order they are checked: a candidate is counted once, under the first that applies.
EXCLUSION_REASONS: dict[str, StrOrPromise] = {
    "do_not_contact": gettext_lazy("do-not-contact"),
    "no_consent": gettext_lazy("no consent to be contacted"),
    "no_phone": gettext_lazy("no phone number"),
    "recently_contacted": gettext_lazy("contacted in the last %(days)d days"),
    "reached_in_campaign": gettext_lazy("already reached in this campaign"),
    "contacted_since": gettext_lazy("contacted in the last %(days)d days (your filter)"),
}


def exclusion_labels(target_list: TargetList) -> list[tuple[str, int, str]]:
    """(reason, count, label) for the reasons that held anyone out, in checking order."""
    days = {
        "recently_contacted": target_list.filters.get("cooldown_days", settings.CONTACT_COOLDOWN_DAYS),
        "contacted_since": target_list.filters.get("last_contact_older_than_days") or 0,
    }
    out = []
    for reason, label in EXCLUSION_REASONS.items():
        count = int(target_list.excluded.get(reason, 0))
        if count:
            out.append((reason, count, str(label) % {"days": days.get(reason, 0)}))
    return out


def _ids(objects: Iterable) -> list[int]:
    return sorted({getattr(o, "pk", o) for o in objects})


def _contacts_since(since: dt.datetime, *, residents: bool) -> Q:
    """Conversation or attempt since `since`, by any campaign and any department, with the resident (phone
    lists) or at the door or with anyone living there (door lists)."""
    return _touched(
        Conversation.objects.filter(held_at__gte=since), Attempt.objects.filter(made_at__gte=since), residents
    )


def _reached_in(campaign: Campaign, *, residents: bool) -> Q:
    """A conversation was held, in this campaign, with the resident or at the door."""
    return _touched(
        Conversation.objects.filter(campaign=campaign),
        Attempt.objects.filter(campaign=campaign, outcome=Outcome.CONVERSATION),
        residents,
    )


def _touched(conversations: QuerySet, attempts: QuerySet, residents: bool) -> Q:
    # Uncorrelated IN (subquery): the database builds each set once (a hash or temporary index) instead of
    # probing a correlated EXISTS per candidate (SQLite scans the recent conversations for every row).
    if residents:
        return Q(pk__in=conversations.filter(resident__isnull=False).values("resident_id")) | Q(
            pk__in=attempts.filter(resident__isnull=False).values("resident_id")
        )
    return (
        Q(pk__in=conversations.filter(address__isnull=False).values("address_id"))
        | Q(pk__in=conversations.filter(resident__address__isnull=False).values("resident__address_id"))
        | Q(pk__in=attempts.filter(address__isnull=False).values("address_id"))
        | Q(pk__in=attempts.filter(resident__address__isnull=False).values("resident__address_id"))
    )


def _address_filters(
    *,
    prefix: str,
    areas: list[int],
    building_types: list[str],
    rent_regulated: bool | None,
    min_units: int | None,
) -> Q | Combinable:
    q: Q | Combinable = Q()
    if areas:
        # EXISTS rather than a join, so that an address in two chosen areas appears once.
        through = Address.areas.through
        q &= Exists(through.objects.filter(address_id=OuterRef(f"{prefix}pk"), area_id__in=areas))
    if building_types:
        q &= Q(**{f"{prefix}building__building_type__in": building_types})
    if rent_regulated is not None:
        q &= Q(**{f"{prefix}building__rent_regulated": rent_regulated})
    if min_units is not None:
        q &= Q(**{f"{prefix}building__unit_count__gte": min_units})
    return q


def _flag(q: Q | Combinable) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def _door_candidates(
    *, campaign: Campaign, base: Q | Combinable, languages: list[str], since_cooldown: dt.datetime,
    since_filter: dt.datetime | None, not_reached: bool,
) -> tuple[QuerySet, list[str]]:
    qs = Address.objects.filter(base)
    residents_here = Resident.objects.filter(address=OuterRef("pk"))
    if languages:
        qs = qs.filter(Exists(residents_here.filter(preferred_language__in=languages)))
    flags: dict[str, Q | Combinable] = {
        # A door is do-not-contact if the address is, or if everyone living there is.
        "do_not_contact": Q(do_not_contact=True)
        | (Exists(residents_here) & ~Exists(residents_here.filter(do_not_contact=False))),
        "recently_contacted": _contacts_since(since_cooldown, residents=False),
    }
    if not_reached:
        flags["reached_in_campaign"] = _reached_in(campaign, residents=False)
    if since_filter is not None:
        flags["contacted_since"] = _contacts_since(since_filter, residents=False)
    return qs.annotate(**{f"f_{k}": _flag(v) for k, v in flags.items()}).values_list(
        "pk", *[f"f_{k}" for k in flags]
    ), list(flags)


def _phone_candidates(
    *, campaign: Campaign, base: Q | Combinable, languages: list[str], since_cooldown: dt.datetime,
    since_filter: dt.datetime | None, not_reached: bool,
) -> tuple[QuerySet, list[str]]:
    qs = Resident.objects.filter(base)
    if languages:
        qs = qs.filter(preferred_language__in=languages)
    flags: dict[str, Q | Combinable] = {
        "do_not_contact": Q(do_not_contact=True) | Q(address__do_not_contact=True),
        "no_consent": Q(consent_to_contact=False),
        "no_phone": ~Exists(Phone.objects.filter(resident=OuterRef("pk"))),
        "recently_contacted": _contacts_since(since_cooldown, residents=True),
    }
    if not_reached:
        flags["reached_in_campaign"] = _reached_in(campaign, residents=True)
    if since_filter is not None:
        flags["contacted_since"] = _contacts_since(since_filter, residents=True)
    return qs.annotate(**{f"f_{k}": _flag(v) for k, v in flags.items()}).values_list(
        "pk", *[f"f_{k}" for k in flags]
    ), list(flags)


@transaction.atomic
def target_list_build(
    *,
    campaign: Campaign,
    name: str,
    kind: str,
    actor: User,
    areas: Iterable[Area | int] = (),
    building_types: Iterable[str] = (),
    rent_regulated: bool | None = None,
    min_units: int | None = None,
    languages: Iterable[str] = (),
    not_reached_in_campaign: bool = False,
    last_contact_older_than_days: int | None = None,
) -> TargetList:
    """Build a door list (one target per address) or a phone list (one target per resident with a phone).

    Filters choose the candidates (areas, building attributes, residents' languages). Then, always: do-not-
    contact (resident or address; a door whose residents all asked), for phone lists no consent or no phone,
    and anyone contacted by any campaign or department in the last settings.CONTACT_COOLDOWN_DAYS days. On
    request: already reached in this campaign, or contacted more recently than `last_contact_older_than_days`.
    Each held-out candidate is counted once, under the first reason, in TargetList.excluded.
    """
    actor.require(Capability.MANAGE_CAMPAIGNS)
    name = (name or "").strip()
    building_types = sorted(set(building_types))
    languages = sorted(set(languages))
    _check_request(
        campaign=campaign,
        name=name,
        kind=kind,
        building_types=building_types,
        languages=languages,
        min_units=min_units,
        last_contact_older_than_days=last_contact_older_than_days,
    )
    area_ids = _ids(areas)
    now = timezone.now()
    door = kind == TargetList.Kind.DOOR
    filters = {
        "areas": area_ids,
        "building_types": building_types,
        "rent_regulated": rent_regulated,
        "min_units": min_units,
        "languages": languages,
        "not_reached_in_campaign": bool(not_reached_in_campaign),
        "last_contact_older_than_days": last_contact_older_than_days,
        "cooldown_days": settings.CONTACT_COOLDOWN_DAYS,
        "built_at": now.isoformat(),
    }
    included, excluded = _sort_out(*_candidates(campaign=campaign, door=door, filters=filters, now=now))
    target_list = TargetList.objects.create(
        campaign=campaign, name=name, kind=kind, filters=filters, excluded=excluded, created_by=actor
    )
    field = "address_id" if door else "resident_id"
    Target.objects.bulk_create(
        (Target(target_list=target_list, sequence=i, **{field: pk}) for i, pk in enumerate(included)),
        batch_size=5_000,
    )
    return target_list


def _check_request(
    *,
    campaign: Campaign,
    name: str,
    kind: str,
    building_types: list[str],
    languages: list[str],
    min_units: int | None,
    last_contact_older_than_days: int | None,
) -> None:
    """Every bad filter at once, by field (ValidationError)."""
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the list a name.")
    elif TargetList.objects.filter(campaign=campaign, name=name).exists():
        errors["name"] = _("This campaign already has a list with that name.")
    if kind not in TargetList.Kind.values:
        errors["kind"] = _("Choose doors or phones.")
    if any(t not in Building.Type.values for t in building_types):
        errors["building_types"] = _("Unknown building type.")
    if any(code not in Language.values for code in languages):
        errors["languages"] = _("Unknown language.")
    if min_units is not None and min_units < 1:
        errors["min_units"] = _("A building has at least one unit.")
    if last_contact_older_than_days is not None and not 1 <= last_contact_older_than_days <= 3650:
        errors["last_contact_older_than_days"] = _("Enter a number of days between 1 and 3650.")
    if errors:
        raise ValidationError(errors)


def _candidates(
    *, campaign: Campaign, door: bool, filters: dict, now: dt.datetime
) -> tuple[QuerySet, list[str]]:
    """The candidates the filters choose, each with one flag per reason it might be held out."""
    base = _address_filters(
        prefix="" if door else "address__",
        areas=filters["areas"],
        building_types=filters["building_types"],
        rent_regulated=filters["rent_regulated"],
        min_units=filters["min_units"],
    )
    by_place = filters["areas"] or filters["building_types"] or filters["rent_regulated"] is not None
    if not door and (by_place or filters["min_units"] is not None):
        base &= Q(address__isnull=False)
    older_than = filters["last_contact_older_than_days"]
    return (_door_candidates if door else _phone_candidates)(
        campaign=campaign,
        base=base,
        languages=filters["languages"],
        since_cooldown=now - dt.timedelta(days=filters["cooldown_days"]),
        since_filter=now - dt.timedelta(days=older_than) if older_than else None,
        not_reached=filters["not_reached_in_campaign"],
    )


def _sort_out(candidates: QuerySet, reasons: list[str]) -> tuple[list[int], dict[str, int]]:
    """The candidates kept, and how many were held out under each reason (the first that applies)."""
    excluded = dict.fromkeys(reasons, 0)
    included: list[int] = []
    for pk, *flags in candidates.order_by("pk").iterator(chunk_size=10_000):
        for reason, flag in zip(reasons, flags, strict=True):
            if flag:
                excluded[reason] += 1
                break
        else:
            included.append(pk)
    return included, excluded
