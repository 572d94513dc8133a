"""Tabular exports of the katalog: JSON Lines, CSV and XLSX.

``jsonl``
    One canonical record per line (UTF-8), as the catalogue holds it; ``satudata
    validate`` and a ``directory`` source read it back unchanged.
``csv`` / ``xlsx``
    One row per dataset. The columns are the standard's fields in the schema's order
    (canonical names, which every reader of metadata sheets recognises), then the other
    keys the records carry, sorted. Lists of texts are joined with ``; `` (the sheet
    readers split them again), objects and lists of objects are JSON; whole numbers
    stay numbers in XLSX. A text cell that a spreadsheet would run as a formula
    (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading apostrophe
    (:mod:`satudata_cli.core.cells`); the sheet readers of ``validate`` and of the
    ``spreadsheet`` source take it off again. Numbers (``-5``) are values, not
    formulas, and are written as they are. After the record's columns come the verdict
    columns ``valid``, ``errors``, ``warnings`` and ``score`` (the stored validation and
    the compliance score, :data:`~satudata_cli.standard.findings.VERDICT_COLUMNS`),
    which the sheet readers leave out again, so an export harvests back to the same
    records. CSV is UTF-8 with a byte order mark, so Excel shows the Indonesian text
    right, written by the one CSV writer (:class:`~satudata_cli.core.cells.CsvWriter`:
    CR LF row ends, line breaks in a cell quoted); its delimiter is ``,`` or, with
    ``--delimiter``, ``;`` (Excel in Indonesian locales) or a tab. XLSX text keeps a
    carriage return (``\r\n`` in a description) as OOXML's ``_x000D_``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import Any, BinaryIO

from satudata_cli.core.cells import CsvWriter, neutralise
from satudata_cli.exports import ExportContext, ExportError, ExportItem
from satudata_cli.standard.findings import VERDICT_COLUMNS
from satudata_cli.standard.schema import load_standard

__all__ = ["columns_for", "write_csv", "write_jsonl", "write_xlsx"]

#: Excel's limit of characters in one cell
XLSX_CELL_MAX = 32767


def write_jsonl(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    count = 0
    for item in items:
        out.write(json.dumps(item.record, ensure_ascii=False, sort_keys=False).encode("utf-8"))
        out.write(b"\n")
        count += 1
    return count


def columns_for(records: Iterable[dict[str, Any]]) -> list[str]:
    """The standard's fields in schema order, then the other keys found, sorted."""
    fields = list(load_standard().fields)
    known = set(fields)
    others: set[str] = set()
    for record in records:
        others.update(k for k in record if k not in known)
    return [*fields, *sorted(others)]


def _text(value: Any, standard_field: bool) -> str | None:
    """A value as the text of a cell (not yet neutralised); None for an empty cell.

    Lists of texts of the standard's fields are joined with ``; ``; lists and objects of
    other keys are JSON (the ``spreadsheet`` source parses them back)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, list):
        if not value:
            return None
        if standard_field and all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return str(value)


_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
#: what XML cannot keep: a carriage return (read as a line feed) and the C0 control
#: characters XML 1.0 cannot hold at all (Excel's line break in a cell is \x0b)
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]")


def _ooxml_text(text: str) -> str:
    """A cell's text as OOXML writes what XML cannot keep: a carriage return as
    ``_x000D_`` (an XML parser reads a raw CR as a line feed, so ``\r\n`` would come
    back ``\n``), a control character as ``_x000B_`` (XML 1.0 cannot hold it), and a
    literal ``_x0041_`` in the text with its ``_`` escaped (``_x005F_x0041_``), so
    Excel and calamine do not read it as an ``A``. openpyxl writes text as it is (and
    refuses control characters); this is ECMA-376's escape of ``ST_Xstring``."""
    text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    return _NOT_IN_XML.sub(lambda found: f"_x{ord(found[0]):04X}_", text)


def _verdict(item: ExportItem) -> list[Any]:
    """The values of :data:`VERDICT_COLUMNS` for one dataset (an unknown score: empty)."""
    summary, score = item.summary, item.score
    if score is not None and float(score).is_integer():
        score = int(score)
    return [summary.valid, summary.errors, summary.warnings, score]


def _standard_fields() -> frozenset[str]:
    return frozenset(load_standard().fields)


def write_csv(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    items = list(items)
    records = [item.record for item in items]
    columns = columns_for(records)
    known = _standard_fields()
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = CsvWriter(text, delimiter=context.delimiter)
        writer.writerow([*columns, *VERDICT_COLUMNS])  # a portal's own keys are neutralised
        for item, record in zip(items, records, strict=True):
            row: list[Any] = []
            for column in columns:
                value = record.get(column)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    row.append(value)  # a number (-5) is a value, not a formula
                    continue
                row.append(_text(value, column in known))
            row.extend(_verdict(item))
            writer.writerow(row)
        text.flush()
    finally:
        text.detach()  # the caller owns (and closes) the binary stream
    return len(records)


def write_xlsx(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    items = list(items)
    records = [item.record for item in items]
    columns = columns_for(records)
    known = _standard_fields()
    rows: list[list[Any]] = []
    for item, record in zip(items, records, strict=True):
        row: list[Any] = []
        for column in columns:
            value = record.get(column)
            if isinstance(value, int | float) and not isinstance(value, bool):
                row.append(value)
                continue
            cell = _text(value, column in known)
            if cell is None:
                row.append(None)
                continue
            cell = neutralise(cell)
            if len(cell) > XLSX_CELL_MAX:
                raise ExportError(
                    f"dataset {item.summary.source_id}:{item.summary.remote_id}: {column} has "
                    f"{len(cell)} characters, more than an Excel cell holds ({XLSX_CELL_MAX}); "
                    "export it as csv or jsonl"
                )
            row.append(_ooxml_text(cell))
        row.extend(_verdict(item))
        rows.append(row)
    # the workbook only once every cell is known to fit: a failure leaves nothing open
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Katalog")
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    bold = Font(bold=True)
    header = []
    for name in [*columns, *VERDICT_COLUMNS]:
        cell = WriteOnlyCell(sheet, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", name)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(out)
    return len(records)
