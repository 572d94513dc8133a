"""Every CSV satudata writes goes through one writer (issue 16, defect 8).

Formula payloads (``=``, ``+``, ``-``, ``@``, tab, CR, LF, and a bare CR or LF in the
middle of a title followed by ``=``) are put in dataset titles, organisations and a
source's title, then every CSV output is read two ways:

- by a *row-naive* reader that honours quotes but ends a row at any unquoted CR or LF
  (as some spreadsheet imports do): no cell may start a formula;
- by :mod:`csv`: every payload comes back whole (after the apostrophe a spreadsheet
  hides), so neutralising lost nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from satudata_cli.core.cells import FORMULA_START, restore
from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record

PAYLOADS = [
    "=1+1",
    "+62 812",
    "-12",
    "@SUM(A1:A9)",
    "\t=1",
    '\r=HYPERLINK("http://evil.example","klik")',
    'Judul\r=HYPERLINK("http://evil.example","klik")',
    "Judul\r=1+1",  # no quote or comma that would make csv quote it anyway
    "Judul\r@A1",
    "Judul\n=1+1",
    "Judul\r\n@SUM(A1)",
    'koma, titik;koma\ttab "kutip"',
]
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def naive_cells(text: str, delimiter: str = ",") -> Iterator[str]:
    """Cells as a reader sees them that ends a row at every unquoted CR or LF."""
    cell: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif char == '"':
                quoted = False
            else:
                cell.append(char)
        elif char == '"' and not cell:
            quoted = True
        elif char == delimiter or char in "\r\n":
            yield "".join(cell)
            cell = []
        else:
            cell.append(char)
        i += 1
    yield "".join(cell)


def assert_no_live_formula(text: str, delimiter: str = ",") -> None:
    for cell in naive_cells(text.removeprefix("\ufeff"), delimiter):
        if NUMBER.match(cell):
            continue  # a number (-3.5) is a value
        assert not cell.startswith(FORMULA_START), repr(cell)


def raw(result: Result) -> str:
    """stdout as written (typer's ``Result.stdout`` turns CR LF into LF)."""
    return result.stdout_bytes.decode("utf-8")


def parsed_cells(text: str, delimiter: str = ",") -> set[str]:
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter)
    return {restore(cell) for row in rows for cell in row}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    base = tmp_path_factory.mktemp("csv")
    cfg = base / "cfg"
    data = base / "data"
    data.mkdir()
    records = [
        make_record(i, title=payload, organization=f"{payload} Dinas {i}")
        for i, payload in enumerate(PAYLOADS)
    ]
    (data / "records.json").write_text(json.dumps(records), encoding="utf-8")
    write_source(cfg, "muatan", title="=Sumber\r=1", type="directory", path=str(data))
    cli = Cli(base / "katalog.db", cfg)
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.output
    return cli


@pytest.fixture(scope="module")
def stored_titles(cli: Cli) -> list[str]:
    """The titles as the catalogue holds them (a reader may have cleaned them)."""
    result = cli("catalog", "list", "--format", "json")
    titles = [row["title"] for row in json.loads(result.stdout)]
    assert len(titles) == len(PAYLOADS)
    assert any("\r" in t for t in titles), titles  # the bare CR reached the catalogue
    return titles


FRESHNESS = ("report", "freshness", "--format", "csv", "--as-of", "2026-11-28")
COMMANDS = {
    "catalog list": ("catalog", "list", "--format", "csv"),
    "catalog search": ("catalog", "search", "Dinas", "--format", "csv"),
    "catalog stats": ("catalog", "stats", "--format", "csv"),
    "sources list": ("sources", "list", "--format", "csv"),
    "jobs list": ("jobs", "list", "--format", "csv"),
    "report compliance": ("report", "compliance", "--format", "csv", "--by", "organization"),
    "report compliance detail": ("report", "compliance", "--format", "csv", "--detail"),
    "report freshness": FRESHNESS,
    "report freshness detail": (*FRESHNESS, "--detail"),
    "catalog export": ("catalog", "export", "--format", "csv"),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_csv_writer_lets_a_formula_through(
    cli: Cli, stored_titles: list[str], name: str
) -> None:
    result = cli(*COMMANDS[name])
    assert result.exit_code == 0, result.output
    text = raw(result)
    assert_no_live_formula(text)
    cells = parsed_cells(text)
    if name.startswith(("catalog list", "catalog search", "catalog export")) or "detail" in name:
        assert set(stored_titles) <= cells  # every title whole, after the apostrophe
    if name in ("report compliance", "report freshness"):
        listed = json.loads(cli("catalog", "list", "--format", "json").stdout)
        assert {row["organization"] for row in listed} <= cells
    if name in ("catalog stats", "sources list"):
        assert "=Sumber\r=1" in cells


def test_catalog_show_csv(cli: Cli, stored_titles: list[str]) -> None:
    for dataset in ("1", "7"):
        result = cli("catalog", "show", dataset, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert_no_live_formula(raw(result))
        assert parsed_cells(raw(result)) & set(stored_titles)


@pytest.mark.parametrize(("option", "delimiter"), [(";", ";"), ("tab", "\t")])
def test_export_with_another_delimiter(cli: Cli, option: str, delimiter: str) -> None:
    result = cli("catalog", "export", "--format", "csv", "--delimiter", option)
    assert result.exit_code == 0, result.output
    assert_no_live_formula(raw(result), delimiter)
    titles = json.loads(cli("catalog", "list", "--format", "json").stdout)
    assert {row["title"] for row in titles} <= parsed_cells(raw(result), delimiter)


def test_the_row_naive_reader_catches_an_unquoted_cr() -> None:
    """The check itself: what the old list writer produced is caught."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["1", "Judul\r=1+1"])
    with pytest.raises(AssertionError):
        assert_no_live_formula(buffer.getvalue())


def test_every_csv_writer_is_the_one_writer() -> None:
    """No module but core/cells.py builds a csv.writer of its own."""
    root = Path(__file__).resolve().parents[2] / "satudata_cli"
    writers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "csv.writer(" in path.read_text(encoding="utf-8")
        or "csv.DictWriter(" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["core/cells.py"]
