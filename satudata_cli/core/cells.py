"""Spreadsheet cells that are safe to open in Excel or LibreOffice.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by spreadsheet programs (CSV/formula injection: ``=HYPERLINK(...)`` in a
dataset title harvested from a portal). Every CSV or XLSX satudata writes passes its
text cells through :func:`neutralise`, which puts an apostrophe in front, the
spreadsheet convention for "this is text" (a text that already is apostrophes before
such a character gets one more). The readers of metadata sheets
(:mod:`satudata_cli.readers.files`) take that apostrophe off again with
:func:`restore`, so a sheet exported by satudata validates and harvests back to the
same values. Numbers are values, never formulas, and are not touched.
"""

from __future__ import annotations

import json
from typing import Any, Final

FORMULA_START: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")


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
    """One value as a neutralised cell: lists joined with ``; ``, objects as JSON.

    Numbers are written as numbers: ``-2.5`` is a value, not a formula, and a
    spreadsheet must be able to sum it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralise(str(value))
