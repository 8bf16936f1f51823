"""Properties of public suppression, checked on random breakdowns (hypothesis).

The attacker here knows the public total, every shown cell, each hidden cell's label and the rule in
docs/dashboard.md, and works out every value each hidden cell could take by exhaustive search over the sums
(not by the interval arithmetic suppression.py uses), so the two are independent.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from porchlight.ui.suppression import SMALL, suppress_breakdown

breakdowns = st.dictionaries(
    st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=30), min_size=1, max_size=8
)
thresholds = st.integers(min_value=2, max_value=10)


def _possible_values(counts: dict, cells: dict, t: int) -> dict[str, set[int]]:
    """For each hidden cell, every value consistent with what the public sees."""
    hidden = [k for k, c in cells.items() if c.suppressed]
    shown = [cells[k].value for k in cells if not cells[k].suppressed]
    rest = sum(counts.values()) - sum(shown)  # the public total minus the shown cells
    any_small = any(cells[k].reason == SMALL for k in hidden)
    ceiling = min(shown, default=rest)
    bounds = {}
    for k in hidden:
        if not any_small:
            bounds[k] = (0, rest)  # every cell reads "not shown": only that it is a count
        elif cells[k].reason == SMALL:
            bounds[k] = (0, t - 1)
        else:
            bounds[k] = (t, ceiling)
        lo, hi = bounds[k]
        assert lo <= counts[k] <= hi, "the attacker's model must hold for the true counts"
    possible = {}
    for k in hidden:
        sums = {0}
        for other in hidden:
            if other != k:
                lo, hi = bounds[other]
                sums = {s + v for s in sums for v in range(lo, min(hi, rest) + 1) if s + v <= rest}
        lo, hi = bounds[k]
        possible[k] = {v for v in range(lo, hi + 1) if rest - v in sums}
    return possible


@given(breakdowns, thresholds, st.booleans())
def test_no_shown_cell_is_under_the_threshold(counts, t, total_shown):
    cells = suppress_breakdown(counts, threshold=t, total_shown=total_shown)
    assert set(cells) == set(counts)
    for key, cell in cells.items():
        assert cell.suppressed or (cell.value == counts[key] and cell.value >= t)


@settings(max_examples=300)
@given(breakdowns, thresholds)
def test_no_hidden_cell_can_be_worked_out_from_the_total(counts, t):
    if sum(counts.values()) < t:
        return  # the total itself is suppressed, and every cell with it
    cells = suppress_breakdown(counts, threshold=t)
    for key, values in _possible_values(counts, cells, t).items():
        assert counts[key] in values
        assert len(values) >= 2, (key, counts, {k: c.display for k, c in cells.items()})


@given(breakdowns, thresholds, st.booleans())
def test_it_is_idempotent(counts, t, total_shown):
    """Suppressing again, with what was hidden forced hidden, hides nothing more."""
    first = suppress_breakdown(counts, threshold=t, total_shown=total_shown)
    hidden = {k for k, c in first.items() if c.suppressed}
    again = suppress_breakdown(counts, threshold=t, total_shown=total_shown, small=hidden)
    assert {k for k, c in again.items() if c.suppressed} == hidden
    assert suppress_breakdown(counts, threshold=t, total_shown=total_shown) == first


def test_the_checker_catches_a_cell_given_away_by_its_label():
    """The old rule (two hidden cells adding up to the threshold) gave this one away; the checker sees it."""
    from porchlight.ui.suppression import COMPLEMENTARY, Cell

    counts = {"a": 3, "b": 5, "c": 5}
    old = {
        "a": Cell(None, SMALL, 5),
        "b": Cell(None, COMPLEMENTARY, 5),
        "c": Cell(5, "", 5),
    }
    assert _possible_values(counts, old, 5)["a"] == {3}
    new = suppress_breakdown(counts, threshold=5)
    assert all(len(v) >= 2 for v in _possible_values(counts, new, 5).values())
