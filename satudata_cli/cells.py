"""Spreadsheet cells that are safe to open in Excel or LibreOffice.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by spreadsheet programs (CSV/formula injection: ``=HYPERLINK(...)`` in a
dataset title harvested from a portal). Every CSV or XLSX satudata writes passes its
text cells through :func:`neutralise`, which puts an apostrophe in front, the
spreadsheet convention for "this is text". The readers of metadata sheets
(:mod:`satudata_cli.sources.files`) take that apostrophe off again with
:func:`restore`, so a sheet exported by satudata validates and harvests back to the
same values.
"""

from __future__ import annotations

import json
from typing import Any, Final

FORMULA_START: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise` (an apostrophe before a formula start)."""
    if text[:1] == "'" and text[1:2] and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def csv_safe(value: Any) -> str:
    """One value as a neutralised cell: lists joined with ``; ``, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralise(str(value))
