"""Small-cell suppression: property-based tests on random tables, and worked examples."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import recoverable, suppress


def test_a_small_cell_and_its_complement_in_the_row_and_column_are_hidden():
    table = suppress([[12, 3, 20], [15, 9, 30], [40, 22, 18]], minimum=5)
    assert table.cells[0][1] is None
    hidden = table.hidden
    assert len([c for c in hidden if c[0] == 0]) >= 2  # not derivable from the row total
    assert len([c for c in hidden if c[1] == 1]) >= 2  # nor from the column total
    assert table.row_totals == (35, 54, 80) and table.total == 169


def test_small_totals_are_hidden_too():
    table = suppress([[1, 1], [20, 30]], minimum=5)
    assert table.row_totals[0] is None
    assert table.cells[0] == (None, None)
    assert recoverable(table) == set()
    assert recoverable(table) == set()


def test_zeros_are_shown_and_large_cells_untouched_when_nothing_is_small():
    table = suppress([[0, 7], [9, 12]], minimum=5)
    assert table.hidden == set()


def test_the_publication_threshold_hides_more():
    counts = [[6, 12, 30], [8, 25, 14]]
    assert len(suppress(counts, minimum=11).hidden) > len(suppress(counts, minimum=5).hidden)


def test_a_single_row_hides_at_least_two_cells():
    table = suppress([[2, 50, 60, 70]], minimum=5)
    assert table.cells[0][0] is None and len(table.hidden) == 2
    assert table.column_totals is None  # they would be the cells themselves
    assert recoverable(table) == set()


def test_a_table_of_one_small_cell_hides_its_total_too():
    table = suppress([[3]], minimum=5)
    assert table.cells == ((None,),) and table.total is None


@pytest.mark.parametrize("bad", [[[1, -1]], [[1, 2], [3]]])
def test_bad_tables_are_refused(bad):
    with pytest.raises(ValueError):
        suppress(bad, minimum=5)


tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda cols: st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=cols, max_size=cols),
        min_size=1,
        max_size=6,
    )
)


@settings(max_examples=300, deadline=None)
@given(counts=tables, minimum=st.sampled_from([5, 11]))
def test_no_small_cell_is_shown_and_no_hidden_cell_can_be_recovered(counts, minimum):
    table = suppress(counts, minimum)
    for r, row in enumerate(table.cells):
        for c, value in enumerate(row):
            if value is not None:
                assert value == counts[r][c]
                assert value == 0 or value >= minimum
    assert recoverable(table) == set()
    shown_totals = [*(table.row_totals or ()), *(table.column_totals or ()), table.total]
    assert all(t is None or t == 0 or t >= minimum for t in shown_totals)
    if table.row_totals is not None:
        for total, row in zip(table.row_totals, counts, strict=True):
            assert total is None or total == sum(row)
