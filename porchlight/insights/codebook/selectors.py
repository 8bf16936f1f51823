"""Reads for the codebook pages: themes with their counts, examples, the notes to review, emergent themes.

Notes are read for their scrubbed text only (TextItem.text_scrubbed); searching or showing the raw text would
tell who said what.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from porchlight.insights.coding.selectors import (
    RUN_UNDER_WAY,
    coding_progress,
    effective_codes,
    uncoded_items,
)
from porchlight.insights.models import CodingRun, EmergentTheme, TextItem, Theme, ThemeCode
from porchlight.outreach.models import Campaign
from porchlight.people.models import Language

# An example of a theme: an analyst's code, or an automatic code an analyst accepted. The coder learns from
# these (coding/coder.py), and the codebook page counts them.
EXAMPLE_Q = ~Q(source=ThemeCode.Source.AUTO, decision="") & ~Q(decision=ThemeCode.Decision.REJECTED)


def active_themes(campaign: Campaign) -> QuerySet[Theme]:
    """The themes analysts may code notes to."""
    return Theme.objects.filter(campaign=campaign, is_active=True).select_related("parent")


def codebook_rows(*, campaign: Campaign) -> list[dict[str, Any]]:
    """Main themes, each followed by its sub-themes, with the notes coded to each and analysts' examples."""
    items = TextItem.objects.filter(campaign=campaign)
    coded = dict(
        effective_codes(items).values("theme_id").annotate(n=Count("item_id", distinct=True))
        .values_list("theme_id", "n")
    )
    examples = dict(
        ThemeCode.objects.filter(EXAMPLE_Q, theme__campaign=campaign)
        .values("theme_id").annotate(n=Count("id")).values_list("theme_id", "n")
    )
    themes = list(Theme.objects.filter(campaign=campaign).order_by("name"))
    children: dict[int, list[Theme]] = {}
    for theme in themes:
        if theme.parent_id:
            children.setdefault(theme.parent_id, []).append(theme)
    rows = []
    for theme in themes:
        if theme.parent_id:
            continue
        for t in [theme, *children.get(theme.pk, [])]:
            rows.append({"theme": t, "coded": coded.get(t.pk, 0), "examples": examples.get(t.pk, 0)})
    return rows


def coding_status(*, campaign: Campaign) -> dict[str, Any]:
    """The progress bar's data: notes coded of all notes, the latest run, whether it is still under way."""
    progress = coding_progress(campaign)
    run: CodingRun | None = progress["run"]  # type: ignore[assignment]
    running = run is not None and run.status in RUN_UNDER_WAY
    return {"campaign": campaign, "progress": progress, "run": run, "running": running}


def theme_examples(*, theme: Theme, limit: int) -> QuerySet[ThemeCode]:
    """A theme's examples, the latest decisions first."""
    return (
        ThemeCode.objects.filter(EXAMPLE_Q, theme=theme)
        .select_related("item")
        .order_by("-decided_at", "-id")[:limit]
    )


def example_candidates(*, theme: Theme, query: str, limit: int) -> list[TextItem]:
    """Notes of the theme's campaign containing `query` (scrubbed text only) that are not yet its examples."""
    return list(
        TextItem.objects.filter(campaign_id=theme.campaign_id, text_scrubbed__icontains=query)
        .exclude(codes__theme=theme, codes__source=ThemeCode.Source.ANALYST)
        .order_by("-id")[:limit]
    )


def _codes_prefetch() -> Prefetch[str]:
    return Prefetch(
        "codes",
        queryset=ThemeCode.objects.select_related("theme", "theme__parent").order_by("-confidence", "id"),
    )


def notes_with_codes(*, campaign: Campaign) -> QuerySet[TextItem]:
    """A campaign's notes with their area and codes (the best code first), ready for the review page."""
    return (
        TextItem.objects.filter(campaign=campaign)
        .select_related("conversation__area")
        .prefetch_related(_codes_prefetch())
    )


def notes_for_review(*, campaign: Campaign, filters: dict[str, Any]) -> QuerySet[TextItem]:
    """The notes behind a figure: the review page's filters (ReviewFilterForm), latest conversation first."""
    items = notes_with_codes(campaign=campaign)
    if filters.get("language"):
        items = items.filter(language=filters["language"])
    if filters.get("area"):
        items = items.filter(conversation__area=filters["area"])
    if filters.get("channel"):
        items = items.filter(conversation__channel=filters["channel"])
    base = TextItem.objects.filter(campaign=campaign)
    if filters.get("theme"):
        # The same codes the report's figures count, so the notes behind a figure add up to it.
        items = items.filter(pk__in=effective_codes(base).filter(theme=filters["theme"]).values("item_id"))
    if filters.get("uncoded"):
        items = items.exclude(pk__in=effective_codes(base).values("item_id"))
    return items.order_by("-conversation__held_at", "-id")


def with_language_labels(items: list[TextItem]) -> list[TextItem]:
    """Give each note a `language_label` (the language's name) for the templates."""
    labels = dict(Language.choices)
    for item in items:
        item.language_label = str(labels.get(item.language, item.language))
    return items


def emergent_candidates(*, campaign: Campaign) -> list[EmergentTheme]:
    """Candidate themes, open ones first, the largest first."""
    return list(
        EmergentTheme.objects.filter(campaign=campaign).select_related("promoted_to")
        .order_by("promoted_to", "-size", "id")
    )


def uncoded_count(*, campaign: Campaign) -> int:
    """Coded notes that fit no theme (the material emergent themes are found in)."""
    return uncoded_items(campaign).count()
