"""Small-cell suppression: every number shown to the public goes through here (HTML, PDF, CSV, JSON, maps).

The rule (docs/dashboard.md, "Suppression"):

1. Primary suppression: a count below the threshold (settings.PUBLIC_SUPPRESSION_THRESHOLD, 5) is never
   shown; it reads "fewer than 5". Zero counts are below the threshold too.
2. Complementary suppression: when a breakdown's total is shown (or can be worked out), the suppressed cells
   of that breakdown together must not be recoverable by subtraction. So if any cell is suppressed, the
   smallest shown cells are suppressed as well ("not shown") until the suppressed cells are at least two,
   add up to at least the threshold, and none of them can be worked out from the total, the shown cells
   and the labels ("fewer than 5" is 0–4; "not shown" is at least 5 and at most the smallest shown cell).
   If even hiding every cell leaves one to be worked out, every cell reads "not shown".
3. If the whole breakdown's total is below the threshold, every cell and the total are suppressed.

A table whose rows and columns both add up to shown totals needs both directions checked; Porchlight's
public tables add up in one direction only (a theme's count over neighborhoods or over periods: one
conversation raises several themes), and each such series goes through `suppress_breakdown`.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
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
    counts: Mapping[K, int],
    *,
    threshold: int | None = None,
    total_shown: bool = True,
    small: Collection[K] = (),
) -> dict[K, Cell]:
    """Suppress a breakdown's cells (primary, then complementary when its total is public).

    `counts` maps each category (e.g. a neighborhood) to the count the public would see; include every
    category that adds up to the shown total, "not recorded" included. `small` names cells to hide as
    small whatever their count (the residents behind a count of conversations are under the threshold).
    With `total_shown=False` (a breakdown with no public total, such as topics, where one conversation
    raises several) only primary suppression applies.
    """
    t = threshold_default() if threshold is None else threshold
    cells: dict[K, Cell] = {}
    hidden: list[K] = []
    for key, value in counts.items():
        if value < t or key in small:
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
    while candidates and (
        len(hidden) < 2 or sum(counts[k] for k in hidden) < t or _pinned(counts, hidden, candidates, small, t)
    ):
        key = candidates.pop(0)
        cells[key] = Cell(value=None, reason=COMPLEMENTARY, threshold=t)
        hidden.append(key)
    if _pinned(counts, hidden, candidates, small, t):
        # Everything is hidden and the labels alone would still give a cell away (cells 0 and 5 of a total
        # of 5: "not shown" means at least 5, so it is 5 and the other 0): every cell reads "not shown".
        return {key: Cell(value=None, reason=COMPLEMENTARY, threshold=t) for key in counts}
    return cells


def _pinned(counts: Mapping[K, int], hidden: list[K], shown: list[K], small: Collection[K], t: int) -> bool:
    """Whether someone who knows the total, the shown cells and this rule can work out a hidden cell.

    What a hidden cell's label tells: "fewer than t" → 0..t-1; "not shown" → at least t (it was not small)
    and at most the smallest shown cell (the smallest are hidden first). Subtracting the shown cells from
    the total gives the hidden cells' sum; a cell is given away when that sum leaves it a single value.
    """
    total = sum(counts[k] for k in hidden)
    ceiling = min((counts[k] for k in shown), default=total)
    bounds = []
    for k in hidden:
        if counts[k] < t or k in small:
            bounds.append((0, t - 1 if counts[k] < t else total))
        else:
            bounds.append((t, ceiling))
    low_sum = sum(lo for lo, _hi in bounds)
    high_sum = sum(hi for _lo, hi in bounds)
    for lo, hi in bounds:
        least = max(lo, total - (high_sum - hi))
        most = min(hi, total - (low_sum - lo))
        if least >= most:
            return True
    return False
