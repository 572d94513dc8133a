"""Tables that fit the terminal without cutting a number or an id.

rich shrinks a table that is wider than the console by wrapping, folding and, as a
last resort, cutting cells with an ellipsis: on an 80-column terminal ``3000`` became
``30…`` and a source id lost its end. Every table the CLI prints goes through
:func:`fit_table` (the CLI's consoles call it from ``print``), which decides the
widths itself:

- an *atomic* column (``no_wrap=True``: numbers, ids, statuses, times) is never
  narrower than its widest value; only its heading may wrap (not narrower than
  :data:`HEADING_MIN`);
- a *text* column (titles, organisations, messages) wraps at spaces, first without
  breaking a word of up to :data:`WORD_MAX` characters, at last down to
  :data:`TEXT_MIN` (or its ``min_width``), folding longer words;
- when even that does not fit, the table is printed *vertically*, one block of
  ``heading  value`` lines per row (as ``psql``'s ``\\x auto`` does), so nothing is
  dropped and nothing is cut.

rich has no such mode (its ``Column.min_width`` is undone by its last-resort even
reduction), hence this module. It reads two private helpers of :class:`rich.table.Table`
(``_extra_width``, ``_get_padding_width``) for the space borders and padding take;
``tests/cli/test_tables.py`` renders tables at 40 to 160 columns and checks every
line against the width, so a change in rich shows up there.
"""

from __future__ import annotations

from typing import Final

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

__all__ = ["HEADING_MIN", "TEXT_MIN", "WORD_MAX", "fit_table", "fitted", "vertical"]

#: the narrowest a text column is made before the table goes vertical
TEXT_MIN: Final = 10
#: words up to this long are not broken in a text column (dates, most words)
WORD_MAX: Final = 20
#: a heading over narrow values is folded, but not narrower than this
HEADING_MIN: Final = 5


def _plain(cell: RenderableType) -> str:
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        return cell  # markup, if any, only makes the measure a little wider
    return ""


def _widest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _widest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def _cells(column: Column) -> list[str]:
    return [_plain(cell) for cell in column.cells]


def _overhead(table: Table) -> int:
    """The width borders and padding take (rich's own arithmetic)."""
    return table._extra_width + sum(table._get_padding_width(i) for i in range(len(table.columns)))


class _Measures:
    """Per column: the natural width and the narrowest it may be made at each step."""

    def __init__(self, columns: list[Column]) -> None:
        self.natural: list[int] = []
        #: text at its longest word (up to WORD_MAX), atomic columns as they are
        self.words: list[int] = []
        #: the same, with the headings of atomic columns folded
        self.headings: list[int] = []
        #: the same, with text columns down to TEXT_MIN (a longer word folds)
        self.least: list[int] = []
        for column in columns:
            values = _cells(column)
            header = _plain(column.header)
            widest = max((_widest_line(v) for v in values), default=0)
            full = max(widest, _widest_line(header), 1)
            if column.width is not None:
                steps = [column.width] * 4
            elif column.no_wrap:
                folded = min(full, max(widest, min(_widest_word(header), HEADING_MIN), 1))
                steps = [full, full, folded, folded]
            else:
                if column.max_width is not None:
                    full = min(full, column.max_width)
                words = max(_widest_word(v) for v in [*values, header])
                whole = min(full, max(TEXT_MIN, min(words, WORD_MAX)))
                least = min(full, TEXT_MIN)
                keep = column.min_width or 0
                steps = [full, max(whole, keep), max(whole, keep), max(least, keep)]
            for target, value in zip(
                (self.natural, self.words, self.headings, self.least), steps, strict=True
            ):
                target.append(value)


def _shrink(natural: list[int], tiers: list[list[int]], available: int) -> list[int] | None:
    """Widths within ``available``, narrowed tier by tier (each tier's floors reached
    before the next tier's are used); None when the last tier does not fit.

    Text gives way in proportion to the natural widths (a title stays the widest
    column); the headings of atomic columns give way where the most room is to be
    had, so that as few headings as possible are folded.
    """
    if sum(tiers[-1]) > available:
        return None
    widths = list(natural)
    excess = sum(widths) - available
    for tier, floor in enumerate(tiers):
        while excess > 0:
            shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
            if not shrinkable:
                break
            if tier == _HEADINGS:
                chosen = max(shrinkable, key=lambda i: (natural[i] - floor[i], -i))
            else:
                chosen = max(shrinkable, key=lambda i: (widths[i] / natural[i], widths[i]))
            widths[chosen] -= 1
            excess -= 1
    return widths


#: the index of the tier that folds headings (see :func:`fit_table`)
_HEADINGS: Final = 1


def fit_table(table: Table, width: int) -> RenderableType:
    """``table`` with column widths that fit ``width``, or its vertical form.

    Tried in turn, the first that fits wins: the natural widths; text columns narrowed
    (wrapping between words); the same without the table's edges and with one space
    between columns instead of padding; headings of atomic columns folded too; text
    columns down to :data:`TEXT_MIN` (a longer word folds); for a key/value table, its
    values folded; and last the vertical form. Columns with a fixed ``width`` keep it.
    """
    columns = table.columns
    if not columns:
        return table
    m = _Measures(columns)
    widths = _shrink(m.natural, [m.words], width - _overhead(table))
    if widths is None:
        # compact: one space between columns (a boxed table takes the plain box)
        table.padding = (0, 0)
        table.show_edge = False
        if table.box is not None:
            table.box = box.SIMPLE_HEAD
        available = width - _overhead(table)
        tiers = [m.words, m.headings, m.least]
        for last in range(1, len(tiers) + 1):
            widths = _shrink(m.natural, tiers[:last], available)
            if widths is not None:
                break
        if widths is None and len(columns) <= 2:
            # a key/value table has no better form: its values fold after all
            folded = [
                w if c.no_wrap else min(w, TEXT_MIN)
                for w, c in zip(m.natural, columns, strict=True)
            ]
            widths = _shrink(m.natural, [*tiers, folded], available)
        if widths is None:
            return vertical(table, width)
    if widths == m.natural:
        return table
    for column, fitted in zip(columns, widths, strict=True):
        if column.width is None:
            column.width = fitted
            if column.no_wrap:
                # the values fit on one line; the heading may wrap under them
                column.no_wrap = False
                column.overflow = "fold"
    return table


def vertical(table: Table, width: int | None = None) -> RenderableType:
    """One block per row: each column's heading and the row's value, side by side, or,
    when a value of an atomic column would not fit beside the headings in ``width``,
    each heading on a line of its own with the value indented below it."""
    columns = table.columns
    headers = [_plain(c.header) for c in columns]
    key_width = max((cell_len(h) for h in headers), default=1)
    cells = [list(c.cells) for c in columns]
    widest_atom = max(
        (_widest_line(_plain(v)) for c, col in zip(columns, cells, strict=True) if c.no_wrap
         for v in col),
        default=0,
    )  # fmt: skip
    stacked = width is not None and key_width + 2 + widest_atom > width
    parts: list[RenderableType] = []
    if table.title is not None:
        title = table.title if isinstance(table.title, Text) else Text(str(table.title))
        parts.append(title)
    for row in range(table.row_count):
        if row:
            parts.append(Text(""))
        if stacked:
            for header, column in zip(headers, cells, strict=True):
                parts.append(Text(header, style="bold"))
                parts.append(Padding(column[row] if row < len(column) else "", (0, 0, 0, 2)))
            continue
        block = Table.grid(padding=(0, 2))
        block.add_column(no_wrap=True, width=key_width, style="bold")
        block.add_column(overflow="fold")
        for header, column in zip(headers, cells, strict=True):
            block.add_row(Text(header), column[row] if row < len(column) else "")
        parts.append(block)
    return Group(*parts)


def fitted(renderable: RenderableType, width: int) -> RenderableType:
    """``renderable`` as it should be printed ``width`` columns wide: a table fitted."""
    if isinstance(renderable, Table):
        return fit_table(renderable, width)
    return renderable
