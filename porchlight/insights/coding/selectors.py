"""Reads for theme coding: the codes that count, and the progress of coding runs."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from porchlight.insights.coding.coder import THRESHOLD
from porchlight.insights.models import CodingRun, TextItem, ThemeCode
from porchlight.outreach.models import Campaign


def effective_codes(items: QuerySet[TextItem]) -> QuerySet[ThemeCode]:
    """The codes that count for breakdowns: analyst codes, accepted automatic codes, and undecided automatic
    codes at or above the coder's threshold. Rejected codes never count."""
    return ThemeCode.objects.filter(item__in=items).filter(
        Q(source=ThemeCode.Source.ANALYST)
        | Q(source=ThemeCode.Source.AUTO, decision=ThemeCode.Decision.ACCEPTED)
        | Q(source=ThemeCode.Source.AUTO, decision="", confidence__gte=THRESHOLD)
    )


def uncoded_items(campaign: Campaign) -> QuerySet[TextItem]:
    """Text items with no code that counts: the material for emergent themes."""
    items = TextItem.objects.filter(campaign=campaign, coded_at__isnull=False).exclude(text="")
    return items.exclude(pk__in=effective_codes(items).values("item_id"))


# A note whose best automatic code is below this fits its theme only loosely: it may belong to a theme the
# codebook does not have yet, so the search for new themes looks at it too.
EMERGENT_FIT = 0.75


def loosely_fitting_items(campaign: Campaign) -> QuerySet[TextItem]:
    """Text items no theme fits well: no analyst or accepted code and no automatic code at EMERGENT_FIT or
    above. The material for emergent themes (uncoded notes, plus notes coded only weakly)."""
    items = TextItem.objects.filter(campaign=campaign, coded_at__isnull=False).exclude(text="")
    confident = ThemeCode.objects.filter(item__in=items).filter(
        Q(source=ThemeCode.Source.ANALYST)
        | Q(decision=ThemeCode.Decision.ACCEPTED)
        | Q(source=ThemeCode.Source.AUTO, decision="", confidence__gte=EMERGENT_FIT)
    )
    return items.exclude(pk__in=confident.values("item_id"))


# A run in one of these states holds the campaign: no second run starts until it ends.
RUN_UNDER_WAY = (CodingRun.Status.QUEUED, CodingRun.Status.RUNNING)


def coding_progress(campaign: Campaign) -> dict[str, int | CodingRun | None]:
    """How far coding has got: items coded of all items, and the latest run (with its done/total)."""
    items = TextItem.objects.filter(campaign=campaign)
    return {
        "items": items.count(),
        "coded": items.filter(coded_at__isnull=False).count(),
        "run": CodingRun.objects.filter(campaign=campaign).first(),
    }
