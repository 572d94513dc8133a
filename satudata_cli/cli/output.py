"""One way to print listings: every listing command offers text, json and csv.

In the spirit of sqlite-utils' ``output_options``: commands build rows (plain
dicts) and a column list; this module renders them. CSV goes through the one
:class:`~satudata_cli.core.cells.CsvWriter`: cells that a spreadsheet would run
as a formula (``=``, ``+``, ``-``, ``@``, tab, CR) get a leading apostrophe and
line breaks are always quoted, because statisticians open these files in Excel.
Tables fit the terminal without cutting a number or an id
(:mod:`satudata_cli.cli.tables`); nested values are shown as YAML.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from rich import box
from rich.table import Table
from rich.text import Text

from satudata_cli.cli.common import Color, make_console
from satudata_cli.cli.options import ListFormat
from satudata_cli.core.cells import CsvWriter, csv_safe

__all__ = ["ListFormat", "cell_text", "csv_safe", "render_object", "render_rows"]

_SHORT = 16
#: columns that hold an id: never wrapped, never cut, whatever their length
ID_COLUMNS: frozenset[str] = frozenset(
    {"id", "source", "source_id", "remote_id", "job_id", "target", "dataset_id"}
)
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$")


def cell_text(value: Any) -> str:
    """One value as a table cell shows it (times to the minute, nested values as YAML)."""
    if value is None:
        return ""
    if isinstance(value, str) and (match := _ISO_TIME.match(value)):
        return f"{match[1]} {match[2]}"  # people read minutes; json and csv keep it all
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:.2f}"
    if is_nested(value):
        return as_yaml(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _is_time(value: Any) -> bool:
    return isinstance(value, str) and _ISO_TIME.match(value) is not None


def is_nested(value: Any) -> bool:
    """An object, or a list holding objects or lists: shown as YAML, not as a repr."""
    if isinstance(value, Mapping):
        return True
    return isinstance(value, (list, tuple)) and any(
        isinstance(v, (Mapping, list, tuple)) for v in value
    )


def as_yaml(value: Any) -> str:
    """A nested value as block YAML, as people write metadata by hand."""
    import yaml  # only a show command with nested fields needs it

    try:
        text = yaml.safe_dump(
            value, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10**6
        )
    except yaml.YAMLError:
        text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    return text.removesuffix("...\n").rstrip("\n")


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: ListFormat,
    *,
    title: str | None = None,
    out: TextIO | None = None,
    color: Color = Color.auto,
    headers: Mapping[str, str] | None = None,
    min_widths: Mapping[str, int] | None = None,
) -> None:
    """Rows as json, csv or a table; ``min_widths``: columns never made narrower (the
    ids and numbers of a key/value table)."""
    stream = out or sys.stdout
    if fmt is ListFormat.json:
        stream.write(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is ListFormat.csv:
        writer = CsvWriter(stream)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row.get(c) for c in columns)
        return
    # a terminal gives its own width; a file or pipe has none, so do not squeeze the table
    console = make_console(stream, color, pipe_width=160)
    table = Table(title=title, expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    for column in columns:
        header = (headers or {}).get(column, column)
        values = [row.get(column) for row in rows]
        if all(v is None or isinstance(v, (int, float, bool)) for v in values):
            table.add_column(header, no_wrap=True, justify="right")
        elif column in ID_COLUMNS or (
            max((len(cell_text(v)) for v in values), default=0) <= _SHORT
            and not all(v is None or _is_time(v) for v in values)  # a time wraps at its space
        ):
            table.add_column(header, no_wrap=True)  # ids, statuses, times: never broken
        else:
            table.add_column(header, overflow="fold", min_width=(min_widths or {}).get(column))
    for row in rows:
        table.add_row(*(Text(cell_text(row.get(c))) for c in columns))
    console.print(table)


def render_object(
    obj: Mapping[str, Any],
    fmt: ListFormat,
    *,
    out: TextIO | None = None,
    title: str | None = None,
    color: Color = Color.auto,
) -> None:
    """One object (``show`` commands): json as is; text and csv as key/value rows.

    In text, ids and numbers are kept whole (the value column is never narrower than
    the longest of them) and nested values are YAML."""
    stream = out or sys.stdout
    if fmt is ListFormat.json:
        stream.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    rows = [{"field": k, "value": v} for k, v in obj.items()]
    whole = max(
        (
            len(cell_text(v))
            for k, v in obj.items()
            if k in ID_COLUMNS or isinstance(v, (int, float))
        ),
        default=0,
    )
    render_rows(
        rows,
        ["field", "value"],
        fmt,
        out=stream,
        title=title,
        color=color,
        min_widths={"value": whole} if whole else None,
    )
