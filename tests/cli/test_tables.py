"""cli/tables.py: any table, any width from 40 to 160 columns: no line wider than the
console, no number or id cut, no ellipsis, every word of the text there."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from satudata_cli.cli.common import Color, make_console
from satudata_cli.cli.tables import fit_table, vertical

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14)
IDS = st.from_regex(r"[a-z]{3,12}(-[a-z0-9]{2,8}){0,3}", fullmatch=True)  # up to 39
NUMBERS = st.integers(min_value=0, max_value=999_999).map(str)


@st.composite
def tables(draw: st.DrawFn) -> tuple[Table, list[str], dict[int, list[str]]]:
    """A table, its atomic values, and the words of each text column (by index)."""
    kinds = draw(st.lists(st.sampled_from(["number", "id", "text"]), min_size=1, max_size=12))
    rows = draw(st.integers(min_value=1, max_value=4))
    table = Table(title="Katalog", box=box.SIMPLE_HEAD, pad_edge=False)
    cells: list[list[str]] = []
    for index, kind in enumerate(kinds):
        header = draw(st.sampled_from(["id", "source_id", "unchanged", "organizations", "x"]))
        if kind == "text":
            table.add_column(f"{header}{index}", overflow="fold")
            values = [" ".join(draw(st.lists(WORDS, min_size=1, max_size=20))) for _ in range(rows)]
        else:
            justify = "right" if kind == "number" else "left"
            table.add_column(f"{header}{index}", no_wrap=True, justify=justify)
            values = [draw(NUMBERS if kind == "number" else IDS) for _ in range(rows)]
        cells.append(values)
    for row in range(rows):
        table.add_row(*(Text(column[row]) for column in cells))
    atoms = [v for kind, col in zip(kinds, cells, strict=True) if kind != "text" for v in col]
    words = {
        i: [w for v in col for w in v.split()]
        for i, (kind, col) in enumerate(zip(kinds, cells, strict=True))
        if kind == "text"
    }
    return table, atoms, words


def render(table: Table, width: int) -> str:
    out = io.StringIO()
    make_console(out, Color.never, width=width).print(table)
    return out.getvalue()


def whole(token: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text) is not None


@settings(max_examples=80, deadline=None)
@given(tables(), st.integers(min_value=40, max_value=160))
def test_any_table_fits_without_cutting(
    case: tuple[Table, list[str], dict[int, list[str]]], width: int
) -> None:
    table, atoms, words = case
    laid_out = fit_table(table, width)  # what printing does; printing it again keeps it
    text = render(laid_out, width) if isinstance(laid_out, Table) else render_any(laid_out, width)
    assert "…" not in text
    assert all(cell_len(line) <= width for line in text.splitlines()), text
    assert all(whole(atom, text) for atom in atoms), text
    for index, column_words in words.items():
        room = table.columns[index].width if isinstance(laid_out, Table) else None
        for word in column_words:
            # a word is broken only when longer than its column; then its start is there
            piece = word if room is None or len(word) <= room else word[:room]
            assert piece in text, (word, room, text)


def render_any(renderable: object, width: int) -> str:
    out = io.StringIO()
    make_console(out, Color.never, width=width).print(renderable)
    return out.getvalue()


def test_a_table_that_fits_is_left_alone() -> None:
    table = Table("id", "title")
    table.add_row("1", "Jumlah Penduduk")
    assert fit_table(table, 80) is table
    assert [c.width for c in table.columns] == [None, None]


def test_numbers_keep_their_width_and_headings_fold() -> None:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name in ("source", "added", "updated", "unchanged", "withdrawn", "restored"):
        table.add_column(name, no_wrap=True, justify="right")
    table.add_row("dinkes-medan", "12345", "0", "12345", "0", "0")
    text = render(table, 46)
    assert whole("dinkes-medan", text) and text.count("12345") == 2
    assert max(cell_len(line) for line in text.splitlines()) <= 46


def test_too_narrow_goes_vertical() -> None:
    table = Table(title="Jobs")
    for name in ("id", "source_id", "added", "updated"):
        table.add_column(name, no_wrap=True)
    table.add_row("7", "dinas-kesehatan-kota-medan-puskesmas", "10001", "12")
    assert not isinstance(fit_table(table, 40), Table)
    text = render(table, 40)
    assert re.search(r"source_id\s+dinas-kesehatan-kota-medan-puskesmas", text)
    assert re.search(r"added\s+10001", text) and text.startswith("Jobs")


def test_vertical_stacks_what_does_not_fit_beside_the_headings() -> None:
    table = Table(title="Sumber")
    table.add_column("organizations_of_the_source", no_wrap=True)
    table.add_row("dinas-kesehatan-kota-medan-puskesmas")
    out = io.StringIO()
    make_console(out, Color.never, width=40).print(vertical(table, 40))
    lines = out.getvalue().splitlines()
    assert lines[1].strip() == "organizations_of_the_source"
    assert lines[2].strip() == "dinas-kesehatan-kota-medan-puskesmas"
