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
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from rich import box
from rich.table import Table
from rich.text import Text

from satudata_cli.cli.common import Color, make_console
from satudata_cli.cli.i18n import say
from satudata_cli.cli.options import ListFormat
from satudata_cli.core.cells import csv_safe
from satudata_cli.core.messages import COLUMNS, VALUES

__all__ = ["ListFormat", "csv_safe", "heading", "render_object", "render_rows", "value_label"]

#: columns whose values are words of the tool (statuses, actions), said in the run's language
_WORD_COLUMNS = frozenset({"status", "last_status", "action", "severity", "kind", "next_due"})


def heading(column: str) -> str:
    """The heading of ``column`` in a text table, in the language of the run (json and csv
    keep the key)."""
    message = COLUMNS.get(column)
    return say(message) if message is not None else column


def value_label(value: str) -> str:
    """A status or action word (``finished``, ``withdrawn``, ``create``) in the language of
    the run; other values unchanged."""
    message = VALUES.get(value)
    return say(message) if message is not None else value


_SHORT = 16
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and (match := _ISO_TIME.match(value)):
        return f"{match[1]} {match[2]}"  # people read minutes; json and csv keep it all
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _text_cell(column: str, value: Any) -> str:
    if column in _WORD_COLUMNS and isinstance(value, str):
        return value_label(value)
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        # counters and other flat mappings: their keys are column names too
        return ", ".join(f"{heading(k)}: {_cell(v)}" for k, v in value.items())
    return _cell(value)


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
    # a terminal gives its own width; a file or pipe has none, so do not squeeze the table
    console = make_console(stream, color, width=None if stream.isatty() else 160)
    table = Table(title=title, expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        header = (headers or {}).get(column) or heading(column)
        values = [row.get(column) for row in rows]
        if all(v is None or isinstance(v, (int, float, bool)) for v in values):
            table.add_column(header, no_wrap=True, justify="right")
        elif max((len(_cell(v)) for v in values), default=0) <= _SHORT:
            table.add_column(header, no_wrap=True)  # ids, statuses, times: never broken
        else:
            table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(Text(_text_cell(c, row.get(c))) for c in columns))
    console.print(table)


def render_object(obj: Mapping[str, Any], fmt: ListFormat, *, out: TextIO | None = None) -> None:
    """One object (``show`` commands): json as is; text and csv as key/value rows."""
    stream = out or sys.stdout
    if fmt is ListFormat.json:
        stream.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is ListFormat.text:  # keys and words of the tool in the run's language
        rows = [{"field": heading(k), "value": _text_cell(k, v)} for k, v in obj.items()]
    else:
        rows = [{"field": k, "value": v} for k, v in obj.items()]
    render_rows(rows, ["field", "value"], fmt, out=stream)
