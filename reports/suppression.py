"""Small-cell suppression for aggregate tables (DOMAIN.md: aggregate reporting and privacy).

A table is a grid of counts with its row and column totals shown. Primary suppression hides
every cell with 0 < count < minimum. Secondary suppression then hides further cells until no
hidden cell can be worked out exactly from the shown cells and the totals: a hidden cell is
recoverable when the row and column equations over the hidden cells determine it uniquely,
which Gaussian elimination over the rationals tells exactly. Each round hides the smallest
shown non-zero cell in the row or column of a recoverable cell, so the loop ends (at worst
with every cell of the lines concerned hidden).

The step sits between the report figures and every output (pages, CSV, XLSX, PDF): outputs
only ever receive a SuppressedTable.
"""

from dataclasses import dataclass
from fractions import Fraction

SUPPRESSED = None  # how a hidden cell is represented in a SuppressedTable


@dataclass(frozen=True)
class SuppressedTable:
    """Cells (None where hidden) and the totals a reader sees: row totals when there are
    several columns, column totals when there are several rows, and the grand total (None
    when it would give a hidden cell away, as in a table of one cell)."""

    cells: tuple
    row_totals: tuple | None
    column_totals: tuple | None
    total: int | None
    minimum: int

    @property
    def hidden(self):
        return {(r, c) for r, row in enumerate(self.cells) for c, v in enumerate(row) if v is None}


def _equations(rows, cols, *, grand, hidden_rows=(), hidden_cols=()):
    """The sets of cells whose sums a reader knows (the totals she is shown)."""
    lines = []
    if cols > 1:
        lines += [[(r, c) for c in range(cols)] for r in range(rows) if r not in hidden_rows]
    if rows > 1:
        lines += [[(r, c) for r in range(rows)] for c in range(cols) if c not in hidden_cols]
    if grand:
        lines.append([(r, c) for r in range(rows) for c in range(cols)])
    return lines


def _determined(lines, hidden):
    """The hidden cells whose value follows exactly from the shown cells and the known sums:
    row-reduce the equations over the hidden cells; a cell is determined exactly when its
    unit vector lies in their row space (a reduced row with a single non-zero entry)."""
    if not hidden:
        return set()
    order = sorted(hidden)
    index = {cell: i for i, cell in enumerate(order)}
    matrix = []
    for line in lines:
        members = {index[cell] for cell in line if cell in index}
        if members:
            matrix.append([Fraction(1) if j in members else Fraction(0) for j in range(len(order))])
    pivot_row = 0
    for col in range(len(order)):
        pivot = next((i for i in range(pivot_row, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for i in range(len(matrix)):
            if i != pivot_row and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [
                    a - factor * b for a, b in zip(matrix[i], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    determined = set()
    for row in matrix[:pivot_row]:
        nonzero = [j for j, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            determined.add(order[nonzero[0]])
    return determined


def suppress(counts, minimum):
    """Primary and secondary suppression of a rectangular table of non-negative counts."""
    counts = [list(row) for row in counts]
    if minimum < 1:
        raise ValueError("The minimum cell size must be at least 1.")
    rows = len(counts)
    cols = len(counts[0]) if rows else 0
    if any(len(row) != cols for row in counts) or any(v < 0 for row in counts for v in row):
        raise ValueError("A table is a rectangle of non-negative counts.")
    hidden = {(r, c) for r in range(rows) for c in range(cols) if 0 < counts[r][c] < minimum}
    # A total is a count too: a small one is hidden like a small cell.
    row_sums = [sum(row) for row in counts]
    col_sums = [sum(counts[r][c] for r in range(rows)) for c in range(cols)]
    hidden_rows = {r for r, v in enumerate(row_sums) if 0 < v < minimum}
    hidden_cols = {c for c, v in enumerate(col_sums) if 0 < v < minimum}
    grand_total = sum(row_sums)
    grand = not (0 < grand_total < minimum)
    while True:
        exposed = _determined(
            _equations(rows, cols, grand=grand, hidden_rows=hidden_rows, hidden_cols=hidden_cols),
            hidden,
        )
        if not exposed:
            break
        r, c = min(exposed)
        line = [(r, j) for j in range(cols)] + [(i, c) for i in range(rows)]
        candidates = [cell for cell in line if cell not in hidden]
        if not candidates:
            others = [(i, j) for i in range(rows) for j in range(cols) if (i, j) not in hidden]
            if others:
                candidates = others
            else:
                grand = False  # every cell is hidden: the grand total alone gives one away
                continue
        # Hide the smallest shown count (a zero only when nothing else is left).
        hidden.add(
            min(
                candidates,
                key=lambda cell: (counts[cell[0]][cell[1]] == 0, counts[cell[0]][cell[1]], cell),
            )
        )
    cells = tuple(
        tuple(SUPPRESSED if (r, c) in hidden else counts[r][c] for c in range(cols))
        for r in range(rows)
    )
    return SuppressedTable(
        cells=cells,
        row_totals=(
            tuple(None if r in hidden_rows else v for r, v in enumerate(row_sums))
            if cols > 1
            else None
        ),
        column_totals=(
            tuple(None if c in hidden_cols else v for c, v in enumerate(col_sums))
            if rows > 1
            else None
        ),
        total=grand_total if grand else None,
        minimum=minimum,
    )


def recoverable(table):
    """The hidden cells a reader of `table` could compute exactly (for tests and audits)."""
    rows = len(table.cells)
    cols = len(table.cells[0]) if rows else 0
    hidden_rows = {r for r, v in enumerate(table.row_totals or ()) if v is None}
    hidden_cols = {c for c, v in enumerate(table.column_totals or ()) if v is None}
    lines = _equations(
        rows, cols, grand=table.total is not None, hidden_rows=hidden_rows, hidden_cols=hidden_cols
    )
    return _determined(lines, table.hidden)
