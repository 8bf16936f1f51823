"""Small-cell suppression for numbers shown to the public.

The rule (docs/dashboard.md, "Suppression"):

1. Primary suppression: a count below the threshold (settings.PUBLIC_SUPPRESSION_THRESHOLD, 5) is never
   shown; it reads "fewer than 5". Zero counts are below the threshold too.
2. Complementary suppression: when a breakdown's total is shown (or can be worked out), the suppressed cells
   of that breakdown together must not be recoverable by subtraction. So if any cell is suppressed, the
   suppressed cells must be at least two *and* add up to at least the threshold; otherwise the smallest shown
   cells are suppressed as well ("not shown") until both hold. Someone who subtracts the shown cells from the
   total then learns only the sum of several hidden cells, never one of them.
3. If the whole breakdown's total is below the threshold, every cell and the total are suppressed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

K = TypeVar("K", bound=Hashable)

SMALL = "small"
COMPLEMENTARY = "complementary"


def threshold_default() -> int:
    return int(settings.PUBLIC_SUPPRESSION_THRESHOLD)


@dataclass(frozen=True)
class Cell:
    """One number as the public may see it: its value, or why it is hidden."""

    value: int | None
    reason: str = ""  # "" when shown, SMALL or COMPLEMENTARY when suppressed
    threshold: int = 5

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        if self.reason == SMALL:
            return _("fewer than %(threshold)d") % {"threshold": self.threshold}
        if self.reason == COMPLEMENTARY:
            return _("not shown")
        return intcomma(self.value)

    def __str__(self) -> str:
        return self.display


def suppress_count(value: int, *, threshold: int | None = None) -> Cell:
    """A single number on its own (a total): shown unless it is below the threshold."""
    t = threshold_default() if threshold is None else threshold
    if value < t:
        return Cell(value=None, reason=SMALL, threshold=t)
    return Cell(value=value, threshold=t)


def suppress_breakdown(
    counts: Mapping[K, int], *, threshold: int | None = None, total_shown: bool = True
) -> dict[K, Cell]:
    """Suppress a breakdown's cells (primary, then complementary when its total is public).

    `counts` maps each category (e.g. a neighborhood) to its count; include every category that adds up to
    the shown total, "not recorded" included. With `total_shown=False` (a breakdown with no public total,
    such as topics, where one conversation raises several) only primary suppression applies.
    """
    t = threshold_default() if threshold is None else threshold
    cells: dict[K, Cell] = {}
    hidden: list[K] = []
    for key, value in counts.items():
        if value < t:
            cells[key] = Cell(value=None, reason=SMALL, threshold=t)
            hidden.append(key)
        else:
            cells[key] = Cell(value=value, threshold=t)
    if not total_shown or not hidden:
        return cells
    if sum(counts.values()) < t:
        return {key: Cell(value=None, reason=SMALL, threshold=t) for key in counts}
    # Smallest shown cells first, ties broken by the key's text so the choice is stable between requests.
    candidates = sorted((k for k in counts if k not in hidden), key=lambda k: (counts[k], str(k)))
    while candidates and (len(hidden) < 2 or sum(counts[k] for k in hidden) < t):
        key = candidates.pop(0)
        cells[key] = Cell(value=None, reason=COMPLEMENTARY, threshold=t)
        hidden.append(key)
    return cells
