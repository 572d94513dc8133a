"""Spreadsheet cells that are safe to open in Excel or LibreOffice.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line
feed is run as a formula by spreadsheet programs (CSV/formula injection:
``=HYPERLINK(...)`` in a dataset title harvested from a portal; the line breaks by
the programs that trim them, or end a row there, before they look). Every CSV or
XLSX satudata writes passes its text cells through :func:`neutralise`, which puts an
apostrophe in front, the spreadsheet convention for "this is text" (a text that
already is apostrophes before such a character gets one more). The readers of
metadata sheets (:mod:`satudata_cli.readers.files`) take that apostrophe off again
with :func:`restore`, so a sheet exported by satudata validates and harvests back to the
same values. Numbers are values, never formulas, and are not touched.

Every CSV satudata writes (``catalog list/search/show/stats``, ``sources list``,
``jobs``, the CSV reports and ``catalog export --format csv``) goes through the one
:class:`CsvWriter`: each cell through :func:`csv_safe`, rows ended by CR LF (RFC 4180),
and so every cell holding a CR or an LF quoted. Python's :mod:`csv` quotes a line
break only when it is part of the line terminator: with ``\n`` alone a bare CR went
out unquoted, and a reader that ends a row there read the rest of the cell (``=...``)
as a new row's first cell: a live formula.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, Final, TextIO

FORMULA_START: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r", "\n")


def _formula_after_apostrophes(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula,
    or when it is apostrophes and then such a text (``'=x``), which :func:`restore`
    would otherwise shorten."""
    return "'" + text if _formula_after_apostrophes(text) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise`: one apostrophe off a text that is apostrophes
    and then a formula start."""
    if text[:1] == "'" and _formula_after_apostrophes(text):
        return text[1:]
    return text


def csv_safe(value: Any) -> str:
    """One value as a neutralised cell: lists of texts joined with ``; ``, objects (and
    lists holding objects) as JSON.

    Numbers are written as numbers: ``-2.5`` is a value, not a formula, and a
    spreadsheet must be able to sum it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, (list, tuple)) and not any(
        isinstance(v, (dict, list, tuple)) for v in value
    ):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, (dict, list, tuple)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralise(str(value))


#: the ``--delimiter`` choices: the name a user types -> the character
CSV_DELIMITERS: Final[dict[str, str]] = {",": ",", ";": ";", "tab": "\t"}


class CsvWriter:
    """The one CSV writer: neutralised cells (:func:`csv_safe`), CR LF row ends, any
    cell with a CR, an LF, a quote or the delimiter quoted; ``delimiter`` is ``,``,
    ``;`` (Excel in Indonesian locales) or a tab."""

    def __init__(self, out: TextIO, *, delimiter: str = ",") -> None:
        if delimiter not in CSV_DELIMITERS.values():
            raise ValueError(f"unsupported CSV delimiter {delimiter!r}")
        # "\r\n" makes csv quote every cell that holds either character
        self._writer = csv.writer(
            out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
        )

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow([csv_safe(value) for value in values])
