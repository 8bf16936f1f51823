import pytest

from porchlight.ui.suppression import COMPLEMENTARY, SMALL, suppress_breakdown, suppress_count


def shown(cells):
    return {k: c.value for k, c in cells.items()}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, None), (1, None), (4, None), (5, 5), (6, 6), (1234, 1234)],
)
def test_it_hides_a_single_count_below_the_threshold(value, expected):
    assert suppress_count(value, threshold=5).value == expected


def test_it_says_fewer_than_the_threshold_for_a_small_count():
    cell = suppress_count(3, threshold=5)
    assert cell.suppressed and cell.reason == SMALL
    assert cell.display == "fewer than 5"
    assert str(suppress_count(1234, threshold=5)) == "1,234"


def test_it_uses_the_settings_threshold_by_default(settings):
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 10
    assert suppress_count(9).suppressed
    assert not suppress_count(10).suppressed


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # nothing small: everything shown
        ({"a": 10, "b": 7, "c": 5}, {"a": 10, "b": 7, "c": 5}),
        # one small cell: the smallest other cell is hidden too, so total - shown gives only a sum of two
        ({"a": 10, "b": 7, "c": 3}, {"a": 10, "b": None, "c": None}),
        # two small cells adding up to 5 or more: no complementary cell needed
        ({"a": 10, "b": 4, "c": 3}, {"a": 10, "b": None, "c": None}),
        # two small cells adding up to less than 5: hide the smallest shown cell as well
        ({"a": 10, "b": 8, "c": 1, "d": 2}, {"a": 10, "b": None, "c": None, "d": None}),
        # zeros are small too
        ({"a": 10, "b": 9, "c": 0}, {"a": 10, "b": None, "c": None}),
        # a whole breakdown below the threshold: everything hidden
        ({"a": 2, "b": 1}, {"a": None, "b": None}),
        # ties among candidates are broken by key, so the choice is stable
        ({"x": 6, "y": 6, "z": 1}, {"x": None, "y": 6, "z": None}),
    ],
)
def test_it_suppresses_a_breakdown_so_small_cells_cannot_be_recovered(counts, expected):
    cells = suppress_breakdown(counts, threshold=5)
    assert shown(cells) == expected
    hidden = [k for k, c in cells.items() if c.suppressed]
    if hidden:
        # whatever is hidden: at least two cells, adding up to at least the threshold (or the whole table)
        assert len(hidden) >= 2 or len(hidden) == len(counts)
        assert sum(counts[k] for k in hidden) >= 5 or len(hidden) == len(counts)


def test_it_marks_complementary_cells_as_not_shown_rather_than_small():
    cells = suppress_breakdown({"a": 10, "b": 7, "c": 3}, threshold=5)
    assert cells["c"].reason == SMALL and cells["c"].display == "fewer than 5"
    assert cells["b"].reason == COMPLEMENTARY and cells["b"].display == "not shown"


def test_it_applies_only_primary_suppression_when_no_total_is_shown():
    cells = suppress_breakdown({"a": 10, "b": 7, "c": 3}, threshold=5, total_shown=False)
    assert shown(cells) == {"a": 10, "b": 7, "c": None}
