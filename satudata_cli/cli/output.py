"""One way to print listings: every listing command offers text, json and csv.

In the spirit of sqlite-utils' ``output_options``: commands build rows (plain
dicts) and a column list; this module renders them. CSV cells that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR) are
neutralised with a leading apostrophe, because statisticians open these files
in Excel.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any, TextIO

import typer
from rich.table import Table
from rich.text import Text

from satudata_cli.cli.common import Color, make_console


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


FormatOption = Annotated[
    ListFormat,
    typer.Option("--format", "-f", envvar="SATUDATA_FORMAT", help="Output format."),
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: ListFormat,
    *,
    title: str | None = None,
    out: TextIO | None = None,
    color: Color = Color.auto,
    headers: Mapping[str, str] | None = None,
) -> None:
    stream = out or sys.stdout
    if fmt is ListFormat.json:
        stream.write(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is ListFormat.csv:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_safe(row.get(c)) for c in columns])
        return
    console = make_console(stream, color)
    table = Table(title=title, expand=False)
    for column in columns:
        table.add_column((headers or {}).get(column, column), overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(row.get(c))) for c in columns))
    console.print(table)


def render_object(obj: Mapping[str, Any], fmt: ListFormat, *, out: TextIO | None = None) -> None:
    """One object (``show`` commands): json as is; text and csv as key/value rows."""
    stream = out or sys.stdout
    if fmt is ListFormat.json:
        stream.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    rows = [{"field": k, "value": v} for k, v in obj.items()]
    render_rows(rows, ["field", "value"], fmt, out=stream)
