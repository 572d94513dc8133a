"""Tables that fit the terminal without cutting a number or an id.

rich shrinks a table that is wider than the console by wrapping, folding and, as a
last resort, cutting cells with an ellipsis: on an 80-column terminal ``3000`` became
``30…`` and a source id lost its end. Every table the CLI prints goes through
:func:`fit_table` (the CLI's consoles call it from ``print``), which decides the
widths itself:

- an *atomic* column (``no_wrap=True``: numbers, ids, statuses, times) is never
  narrower than its widest value; only its heading may wrap (not narrower than
  :data:`HEADING_MIN`);
- a *text* column (titles, organisations, messages) wraps at spaces, down to
  :data:`TEXT_MIN` characters (or its ``min_width``) and never breaking a word of up
  to :data:`WORD_MAX` (a longer one, a URL, is folded);
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

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Column, Table
from rich.text import Text

__all__ = ["HEADING_MIN", "TEXT_MIN", "WORD_MAX", "fit_table", "fitted", "vertical"]

#: the narrowest a text column is made before the table goes vertical
TEXT_MIN: Final = 12
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


def _measure(columns: list[Column]) -> tuple[list[int], list[int]]:
    """Each column's natural width and the narrowest it may be made."""
    natural: list[int] = []
    floor: list[int] = []
    for column in columns:
        values = _cells(column)
        header = _plain(column.header)
        widest = max((_widest_line(v) for v in values), default=0)
        full = max(widest, _widest_line(header), 1)
        if column.width is not None:
            natural.append(column.width)
            floor.append(column.width)
        elif column.no_wrap:
            natural.append(full)
            floor.append(min(full, max(widest, min(_widest_word(header), HEADING_MIN), 1)))
        else:
            if column.max_width is not None:
                full = min(full, column.max_width)
            words = max(_widest_word(v) for v in [*values, header])
            least = min(full, max(TEXT_MIN, min(words, WORD_MAX)))
            natural.append(full)
            floor.append(max(least, column.min_width or 0))
    return natural, floor


def _shrink(
    columns: list[Column], natural: list[int], floor: list[int], available: int
) -> list[int] | None:
    """Widths within ``available``: text columns give way first, in proportion to their
    natural widths, then the headings of atomic ones; None when even the floors do not
    fit."""
    if sum(floor) > available:
        return None
    widths = list(natural)
    text = [i for i, c in enumerate(columns) if not c.no_wrap]
    excess = sum(widths) - available
    for group in (text, range(len(columns))):
        while excess > 0:
            shrinkable = [i for i in group if widths[i] > floor[i]]
            if not shrinkable:
                break
            # the column that kept the largest share of its natural width gives a
            # character: columns keep their proportions (a title stays the widest)
            widest = max(shrinkable, key=lambda i: (widths[i] / natural[i], widths[i]))
            widths[widest] -= 1
            excess -= 1
    return widths


def fit_table(table: Table, width: int) -> RenderableType:
    """``table`` with column widths that fit ``width``, or its vertical form.

    Tried in turn, the first that fits wins: the natural widths; text columns
    narrowed; the same without the table's edges and with one space between columns
    instead of padding; headings of atomic columns folded too; a key/value table's
    values folded; and last the vertical form. Columns with a fixed ``width`` keep it.
    """
    columns = table.columns
    if not columns:
        return table
    natural, floor = _measure(columns)
    texts_only = [n if c.no_wrap else f for n, f, c in zip(natural, floor, columns, strict=True)]
    widths = _shrink(columns, natural, texts_only, width - _overhead(table))
    if widths is None:
        table.padding = (0, 0)
        table.show_edge = False
        available = width - _overhead(table)
        widths = _shrink(columns, natural, texts_only, available)
        widths = widths or _shrink(columns, natural, floor, available)
        if widths is None and len(columns) <= 2:
            # a key/value table has no better form: its values fold after all
            floor = [
                f if c.no_wrap else min(f, TEXT_MIN) for f, c in zip(floor, columns, strict=True)
            ]
            widths = _shrink(columns, natural, floor, available)
        if widths is None:
            return vertical(table, width)
    if widths == natural:
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
