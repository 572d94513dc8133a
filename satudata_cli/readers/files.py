"""Readers of metadata files: JSON, JSON Lines, YAML, CSV/TSV and Excel workbooks.

:func:`iter_paths` turns the paths a user gave into the files to read (directories
are walked), :func:`read_records` turns one file into :class:`RawRecord` items, and
:func:`iter_records` does both. A file that cannot be read, or an item in it that is
not a record, comes out as a :class:`FileProblem` carrying a bilingual
:class:`~satudata_cli.standard.findings.Finding`; :func:`read_records` never raises
for bad input.

Formats, chosen by extension (case-insensitive):

``.json``
    One object (one record); a list of objects; or an *envelope*: an object with a
    top-level list under ``datasets``, ``data``, ``result`` or ``results`` (first key
    in that order whose value is a list), as catalogue APIs return. A CKAN
    ``package_search`` response (``{"result": {"results": [...]}}``) is unwrapped too.
    ``NaN``/``Infinity`` are refused: they are not JSON.
``.jsonl`` / ``.ndjson``
    One JSON value per line, read line by line. Blank lines are skipped. A bad line is
    a :class:`FileProblem` for that line (with its ``index``) and reading goes on.
``.yaml`` / ``.yml``
    One or more documents (``---``), each an object or a list of objects (envelopes as
    for JSON). Loaded with the one bounded loader (:mod:`satudata_cli.core.yamlload`):
    an alias bomb or nesting past 100 levels is a problem with its line, refused before
    anything is built; an unquoted date that does not exist (``2025-02-29``) stays
    text. Values are made JSON-like: YAML timestamps become ISO strings and non-string
    keys become strings.
``.csv`` / ``.tsv``
    Read row by row. The first row is the header; ``.csv`` delimiters (``,`` ``;`` or
    tab) are detected with :class:`csv.Sniffer` on the first 64 KiB, ``.tsv`` is tab.
    Records are ``tabular``: ``{header: cell}`` with the raw header text and ``str``
    cells; empty cells and wholly empty rows are left out. With a repeated header the
    first non-empty cell wins. A cell that starts with an apostrophe before ``=``, ``+``,
    ``-``, ``@``, tab or CR (a formula neutralised by a spreadsheet export, see
    :mod:`satudata_cli.core.cells`) loses the apostrophe (CSV and XLSX alike).
``.xlsx`` / ``.xlsm``
    Every visible, non-empty worksheet (hidden sheets usually hold drop-down lists and
    are skipped). The first non-empty row is the header. Cells become ``str``: whole
    numbers without ``.0``, dates as ``YYYY-MM-DD`` (date-times with a time as ISO
    date-times), booleans as ``true``/``false``. :func:`read_sheet` reads one sheet
    with a chosen worksheet and header row (the ``spreadsheet`` source). Before
    calamine reads anything, :mod:`satudata_cli.readers.workbook` checks the unpacked
    size and each sheet's span of cells: a workbook over them is a problem, a sheet over
    them a problem of its own (``path#Sheet``) while the other sheets are read.
``-`` and unknown extensions
    The bytes are sniffed: a JSON document, else JSON Lines, else YAML.

A JSON, JSON Lines or YAML record holding a value the catalogue cannot store (infinity
from ``1e400`` or ``.inf``, NaN, ``!!binary`` bytes, a lone surrogate ``"\\ud800"``;
:mod:`satudata_cli.core.values`) is a ``file.bad-value`` problem for that record, with
the value's path; the other records are read.

Every input may start with a UTF-8 byte order mark; anything that is not UTF-8 is a
problem. JSON and YAML files are loaded whole and refused when larger than
``max_bytes``; for JSON Lines and CSV the same cap applies to a single line.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import stat
import sys
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import yaml
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from satudata_cli.core.cells import restore
from satudata_cli.core.errors import InputError
from satudata_cli.core.values import unstorable
from satudata_cli.core.yamlload import MAX_DEPTH, YamlLimitError, load_all
from satudata_cli.readers.workbook import WorkbookLimitError, WorkbookParts, open_parts
from satudata_cli.standard.findings import Finding, Message, Severity, json_path

__all__ = [
    "SUPPORTED_SUFFIXES",
    "FileProblem",
    "RawRecord",
    "iter_paths",
    "iter_records",
    "read_records",
    "read_sheet",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".csv", ".tsv", ".xlsx", ".xlsm"}
)

RULE_UNREADABLE = "file.unreadable"
RULE_EMPTY = "file.empty"
RULE_NOT_A_RECORD = "file.not-a-record"
RULE_BAD_VALUE = "file.bad-value"

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
ENVELOPE_KEYS = ("datasets", "data", "result", "results")

_BOM = b"\xef\xbb\xbf"
_SNIFF_BYTES = 64 * 1024
_CHUNK = 64 * 1024
_DELIMITERS = ",;\t"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read from a file, before any mapping or validation.

    ``source`` is the path as given or found (``"-"`` for stdin; ``"path#Sheet"`` for a
    workbook with more than one sheet). ``index`` is the 1-based position in the source.
    ``line`` is where the record starts: the JSON Lines line, the CSV line (the header
    is line 1), the XLSX row; ``None`` for JSON and YAML. ``tabular`` records come from
    CSV/XLSX: ``data`` maps raw header text to ``str`` cell values.
    """

    source: str
    index: int
    line: int | None
    data: dict[str, Any]
    tabular: bool


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A file, line or item that could not be turned into a record.

    ``index`` is set when the problem is about one item (a JSON Lines line, a list
    element); ``None`` when it is about the whole file.
    """

    source: str
    finding: Finding
    index: int | None = None


# --------------------------------------------------------------------------- paths


def iter_paths(paths: Sequence[str]) -> Iterator[str]:
    """The files to read for ``paths``, in a deterministic order.

    A directory is walked recursively in name order; hidden entries (``.name``), Excel
    lock files (``~$name``) and files whose extension is not in
    :data:`SUPPORTED_SUFFIXES` are skipped. A path given explicitly is yielded as given
    whatever its extension; ``"-"`` (stdin) passes through.

    Raises :class:`~satudata_cli.core.errors.InputError` straight away (before anything is
    yielded) when a path does not exist, and during iteration when a directory cannot
    be listed.
    """
    given = list(paths)
    for path in given:
        if path != "-" and not Path(path).exists():
            raise InputError(f"{path}: no such file or directory")
    return _expand(given)


def _expand(paths: list[str]) -> Iterator[str]:
    for path in paths:
        if path != "-" and Path(path).is_dir():
            yield from _walk(path, set())
        else:
            yield path


def _walk(directory: str, seen: set[tuple[int, int]]) -> Iterator[str]:
    try:
        info = Path(directory).stat()
        key = (info.st_dev, info.st_ino)
        if key in seen:  # a symlink loop, or the same directory reached twice
            return
        seen.add(key)
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{directory}: cannot read the directory ({reason})") from exc
    for entry in entries:
        name = entry.name
        if name.startswith((".", "~$")):
            continue
        child = str(Path(directory, name))
        try:
            is_dir = entry.is_dir()
            wanted = entry.is_file() or entry.is_symlink()
        except OSError:
            is_dir, wanted = False, True
        if is_dir:
            yield from _walk(child, seen)
        elif wanted and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
            yield child


def iter_records(
    paths: Sequence[str], *, stdin: BinaryIO | None = None
) -> Iterator[RawRecord | FileProblem]:
    """:func:`iter_paths` then :func:`read_records` on each file, one file open at a time.

    A missing path raises :class:`~satudata_cli.core.errors.InputError` on the call itself.
    """
    files = iter_paths(paths)
    return _chain_records(files, stdin)


def _chain_records(
    files: Iterable[str], stdin: BinaryIO | None
) -> Iterator[RawRecord | FileProblem]:
    for path in files:
        yield from read_records(path, stdin=stdin)


# --------------------------------------------------------------------------- problems


def _problem(
    source: str,
    rule: str,
    id_: str,
    en: str,
    *,
    path: str = "$",
    line: int | None = None,
    column: int | None = None,
    index: int | None = None,
) -> FileProblem:
    finding = Finding(
        rule=rule,
        severity=Severity.ERROR,
        path=path,
        message=Message(id=id_, en=en),
        line=line,
        column=column,
    )
    return FileProblem(source=source, finding=finding, index=index)


def _unreadable(source: str, id_: str, en: str, **kw: Any) -> FileProblem:
    return _problem(source, RULE_UNREADABLE, id_, en, **kw)


def _empty(source: str, id_: str = "Berkas kosong.", en: str = "The file is empty.") -> FileProblem:
    return _problem(source, RULE_EMPTY, id_, en)


def _no_records(source: str) -> FileProblem:
    return _empty(source, "Berkas tidak berisi rekaman.", "The file contains no records.")


def _os_problem(source: str, exc: OSError) -> FileProblem:
    if isinstance(exc, IsADirectoryError):
        return _unreadable(
            source, "Ini direktori, bukan berkas.", "This is a directory, not a file."
        )
    if isinstance(exc, PermissionError):
        return _unreadable(
            source,
            "Berkas tidak dapat dibaca: akses ditolak.",
            "Cannot read the file: permission denied.",
        )
    if isinstance(exc, FileNotFoundError):
        return _unreadable(source, "Berkas tidak ditemukan.", "The file was not found.")
    reason = exc.strerror or str(exc)
    return _unreadable(
        source, f"Berkas tidak dapat dibaca: {reason}.", f"Cannot read the file: {reason}."
    )


def _too_large(source: str, size: int | None, max_bytes: int) -> FileProblem:
    limit = _megabytes(max_bytes)
    if size is None:
        return _unreadable(
            source,
            f"Berkas terlalu besar (lebih dari {limit} MB).",
            f"The file is too large (more than {limit} MB).",
        )
    got = _megabytes(size)
    return _unreadable(
        source,
        f"Berkas terlalu besar ({got} MB; batasnya {limit} MB).",
        f"The file is too large ({got} MB; the limit is {limit} MB).",
    )


def _line_too_long(source: str, line: int, index: int | None, max_bytes: int) -> FileProblem:
    limit = _megabytes(max_bytes)
    return _unreadable(
        source,
        f"Baris {line} terlalu panjang (lebih dari {limit} MB).",
        f"Line {line} is too long (more than {limit} MB).",
        line=line,
        index=index,
    )


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _not_utf8(
    source: str, exc: UnicodeDecodeError, offset: int, line: int, column: int, **kw: Any
) -> FileProblem:
    bad = exc.object[exc.start : exc.start + 1]
    byte = f"0x{bad[0]:02X}" if bad else "?"
    return _unreadable(
        source,
        f"Berkas bukan teks UTF-8: byte {byte} tidak sah pada offset {offset} "
        f"(baris {line}, kolom {column}). Simpan ulang berkas sebagai UTF-8.",
        f"The file is not UTF-8 text: invalid byte {byte} at offset {offset} "
        f"(line {line}, column {column}). Save the file again as UTF-8.",
        line=line,
        column=column,
        **kw,
    )


def _kind(value: object) -> tuple[str, str]:
    """Indonesian and English name of a JSON/YAML value's type."""
    if value is None:
        return "null", "null"
    if isinstance(value, bool):
        return "boolean", "boolean"
    if isinstance(value, int | float):
        return "angka", "number"
    if isinstance(value, str):
        return "teks", "string"
    if isinstance(value, list | tuple):
        return "daftar (array)", "array"
    if isinstance(value, dt.date | dt.datetime):
        return "tanggal", "date"
    return type(value).__name__, type(value).__name__


def _not_a_record(
    source: str, value: object, index: int, path: str, *, line: int | None = None, item: bool
) -> FileProblem:
    kind_id, kind_en = _kind(value)
    if line is not None:
        where_id, where_en = f"Baris {line}", f"Line {line}"
    elif item:
        where_id, where_en = f"Elemen ke-{index}", f"Item {index}"
    else:
        where_id, where_en = "Isi berkas", "The file's content"
    return _problem(
        source,
        RULE_NOT_A_RECORD,
        f"{where_id} bukan objek (rekaman), melainkan {kind_id}.",
        f"{where_en} is not an object (record) but {_article(kind_en)} {kind_en}.",
        path=path,
        line=line,
        index=index,
    )


def _record(
    source: str, index: int, line: int | None, data: dict[str, Any]
) -> RawRecord | FileProblem:
    """A JSON/YAML record, or the problem of a value in it that cannot be stored (the
    catalogue keeps records as JSON text in UTF-8): infinity (``1e400``, ``.inf``),
    NaN, bytes (``!!binary``), a lone surrogate (``"\\ud800"``)."""
    found = unstorable(data)
    if found is None:
        return RawRecord(source, index, line, data, tabular=False)
    path = json_path(found.path)
    if line is not None:
        where_id, where_en = f"Baris {line}", f"Line {line}"
    else:
        where_id, where_en = f"Rekaman ke-{index}", f"Record {index}"
    return _problem(
        source,
        RULE_BAD_VALUE,
        f"{where_id}: nilai di {path} tidak dapat disimpan: {found.id}.",
        f"{where_en}: the value at {path} cannot be stored: {found.en}.",
        path=path,
        line=line,
        index=index,
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


# --------------------------------------------------------------------------- dispatch


def read_records(
    path: str, *, stdin: BinaryIO | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawRecord | FileProblem]:
    """Records of one file (``"-"``: of ``stdin``, by default ``sys.stdin.buffer``).

    Never raises for bad input: every failure is a :class:`FileProblem`. The file is
    opened on the first ``next()`` and closed when the iterator ends or is closed.
    """
    if path == "-":
        if stdin is None and sys.stdin is None:  # no stdin at all (closed, or a service)
            yield _empty("-")
            return
        yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, max_bytes)
        return
    if "\0" in path:
        yield _unreadable(path, "Nama berkas tidak sah.", "The file name is not valid.")
        return
    suffix = Path(path).suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson"):
            with Path(path).open("rb") as handle:
                yield from _read_jsonl(path, handle, max_bytes)
        elif suffix in (".csv", ".tsv"):
            with Path(path).open("rb") as handle:
                yield from _read_csv(path, handle, max_bytes, tab=suffix == ".tsv")
        elif suffix in (".xlsx", ".xlsm"):
            yield from _read_xlsx(path, max_bytes)
        else:
            with Path(path).open("rb") as handle:
                data = _read_whole(path, handle, max_bytes)
            if isinstance(data, FileProblem):
                yield data
            elif suffix == ".json":
                yield from _parse_json(path, data)
            elif suffix in (".yaml", ".yml"):
                yield from _parse_yaml(path, data)
            else:
                yield from _sniff(path, data, max_bytes)
    except OSError as exc:
        yield _os_problem(path, exc)


def read_sheet(
    path: str,
    *,
    kind: str,
    sheet: str | None = None,
    header_row: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[RawRecord | FileProblem]:
    """Rows of one metadata sheet, read like :func:`read_records` reads CSV and XLSX,
    with a chosen worksheet (XLSX) and header row (1-based; rows above it are skipped).

    ``kind`` is ``csv``, ``tsv`` or ``xlsx``, whatever the file is called.
    """
    try:
        if kind == "xlsx":
            yield from _read_xlsx(path, max_bytes, sheet=sheet, header_row=header_row)
        else:
            with Path(path).open("rb") as handle:
                yield from _read_csv(
                    path, handle, max_bytes, tab=kind == "tsv", header_row=header_row
                )
    except OSError as exc:
        yield _os_problem(path, exc)


def _read_whole(source: str, handle: BinaryIO, max_bytes: int) -> bytes | FileProblem:
    info = os.fstat(handle.fileno())
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(source)
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        return _too_large(source, info.st_size, max_bytes)
    # a regular file: read what it holds (a 200 MiB buffer per small file is slow);
    # a pipe or device: read up to the cap
    want = info.st_size + 1 if stat.S_ISREG(info.st_mode) else max_bytes + 1
    data = handle.read(min(want, max_bytes + 1))
    if len(data) >= want and stat.S_ISREG(info.st_mode) and len(data) <= max_bytes:
        data += handle.read(max_bytes + 1 - len(data))  # the file grew while we read it
    if len(data) > max_bytes:
        return _too_large(source, None, max_bytes)
    return data


def _decode(source: str, data: bytes) -> str | FileProblem:
    """Strict UTF-8 (a leading BOM is dropped); a problem names the bad byte's place."""
    skip = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        line_start = data.rfind(b"\n", 0, offset) + 1
        line = data.count(b"\n", 0, offset) + 1
        column = len(data[max(line_start, skip) : offset].decode("utf-8", "replace")) + 1
        return _not_utf8(source, exc, offset, line, column)


# --------------------------------------------------------------------------- JSON


class _NotJsonConstantError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _reject_constant(name: str) -> NoReturn:
    raise _NotJsonConstantError(name)


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant)


def _json_error(
    source: str,
    exc: ValueError | RecursionError,
    *,
    line_no: int | None = None,
    index: int | None = None,
) -> FileProblem:
    """Problem for a failed ``json.loads``; ``line_no`` set when parsing one JSONL line."""
    if line_no is None:
        lead_id, lead_en = "Berkas bukan JSON yang sah", "Not valid JSON"
    else:
        lead_id, lead_en = (
            f"Baris {line_no} bukan JSON yang sah",
            f"Line {line_no} is not valid JSON",
        )
    line: int | None = line_no
    column: int | None = None
    if isinstance(exc, json.JSONDecodeError):
        if line_no is None:
            line = exc.lineno
            where_id, where_en = (
                f"baris {exc.lineno}, kolom {exc.colno}",
                (f"line {exc.lineno}, column {exc.colno}"),
            )
        else:
            where_id, where_en = f"kolom {exc.colno}", f"column {exc.colno}"
        column = exc.colno
        id_ = f"{lead_id}: {exc.msg} ({where_id})."
        en = f"{lead_en}: {exc.msg} ({where_en})."
    elif isinstance(exc, _NotJsonConstantError):
        id_ = f"{lead_id}: nilai {exc.name} tidak diizinkan dalam JSON."
        en = f"{lead_en}: {exc.name} is not allowed in JSON."
    elif isinstance(exc, RecursionError):
        id_ = f"{lead_id}: struktur bersarang terlalu dalam."
        en = f"{lead_en}: the values are nested too deeply."
    else:
        id_ = f"{lead_id}: {exc}."
        en = f"{lead_en}: {exc}."
    return _unreadable(source, id_, en, line=line, column=column, index=index)


def _parse_json(source: str, data: bytes) -> Iterator[RawRecord | FileProblem]:
    text = _decode(source, data)
    if isinstance(text, FileProblem):
        yield text
        return
    if not text.strip():
        yield _empty(source)
        return
    try:
        value = _loads(text)
    except (ValueError, RecursionError) as exc:
        yield _json_error(source, exc)
        return
    yield from _items(source, [value])


def _envelope(value: dict[str, Any]) -> tuple[str, list[Any]] | None:
    for key in ENVELOPE_KEYS:
        items = value.get(key)
        if isinstance(items, list):
            return key, items
    result = value.get("result")
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        return "result.results", result["results"]
    return None


def _items(
    source: str, documents: Iterable[Any], *, skip_none: bool = False
) -> Iterator[RawRecord | FileProblem]:
    """Records of parsed JSON/YAML documents: objects, lists of objects, envelopes.

    ``skip_none`` drops empty YAML documents (a stray ``---``)."""
    index = 0
    for document in documents:
        if document is None and skip_none:
            continue
        prefix: list[str | int] = []
        items: list[Any]
        if isinstance(document, dict):
            found = _envelope(document)
            if found is None:
                index += 1
                yield _record(source, index, None, document)
                continue
            key, items = found
            prefix = list(key.split("."))
        elif isinstance(document, list):
            items = document
        else:
            index += 1
            yield _not_a_record(source, document, index, "$", item=False)
            continue
        for position, item in enumerate(items):
            index += 1
            if isinstance(item, dict):
                yield _record(source, index, None, item)
            else:
                path = json_path([*prefix, position])
                yield _not_a_record(source, item, index, path, item=True)
    if index == 0:
        yield _no_records(source)


# --------------------------------------------------------------------------- JSON Lines


def _read_jsonl(
    source: str, handle: BinaryIO, max_bytes: int, *, first_line: bytes | None = None
) -> Iterator[RawRecord | FileProblem]:
    """JSON Lines from a binary stream, one line in memory at a time."""
    index = 0
    line_no = 0
    offset = 0
    for raw in _lines(handle, max_bytes, first_line):
        line_no += 1
        start = offset
        if isinstance(raw, int):
            offset += raw
            index += 1
            yield _line_too_long(source, line_no, index, max_bytes)
            continue
        offset += len(raw)
        skip = len(_BOM) if line_no == 1 and raw.startswith(_BOM) else 0
        try:
            text = raw[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            index += 1
            column = len(raw[skip : skip + exc.start].decode("utf-8")) + 1
            yield _not_utf8(source, exc, start + skip + exc.start, line_no, column, index=index)
            continue
        if not text.strip():
            continue
        index += 1
        try:
            value = _loads(text.rstrip("\r\n"))
        except (ValueError, RecursionError) as exc:
            yield _json_error(source, exc, line_no=line_no, index=index)
            continue
        if isinstance(value, dict):
            yield _record(source, index, line_no, value)
        else:
            yield _not_a_record(source, value, index, "$", line=line_no, item=True)
    if index == 0:  # nothing, or only blank lines
        yield _empty(source)


def _lines(handle: BinaryIO, max_bytes: int, first: bytes | None) -> Iterator[bytes | int]:
    """Lines (with their ``\\n``) of a binary stream; the length of a line over the cap."""
    if first is not None:
        yield first
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            length = len(raw)
            while True:  # drop the rest of the overlong line
                rest = handle.readline(_CHUNK)
                length += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield length
            continue
        yield raw


# --------------------------------------------------------------------------- YAML


def _parse_yaml(source: str, data: bytes) -> Iterator[RawRecord | FileProblem]:
    text = _decode(source, data)
    if isinstance(text, FileProblem):
        yield text
        return
    if not text.strip():
        yield _empty(source)
        return
    try:
        yield from _items(source, (_jsonable(doc) for doc in load_all(text)), skip_none=True)
    except YamlLimitError as exc:
        yield _yaml_limit(source, exc)
    except yaml.YAMLError as exc:
        yield _yaml_error(source, exc)
    except RecursionError:  # pragma: no cover - the loader's depth bound comes first
        yield _unreadable(
            source,
            "Berkas bukan YAML yang sah: struktur bersarang terlalu dalam.",
            "Not valid YAML: the values are nested too deeply.",
        )


def _yaml_error(source: str, exc: yaml.YAMLError) -> FileProblem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        line, column = mark.line + 1, mark.column + 1
        problem = exc.problem or exc.context or "?"
        return _unreadable(
            source,
            f"Berkas bukan YAML yang sah: {problem} (baris {line}, kolom {column}).",
            f"Not valid YAML: {problem} (line {line}, column {column}).",
            line=line,
            column=column,
        )
    reason = " ".join(str(exc).split())
    return _unreadable(
        source, f"Berkas bukan YAML yang sah: {reason}.", f"Not valid YAML: {reason}."
    )


_YAML_LIMITS = {
    "depth": (
        f"struktur bersarang lebih dari {MAX_DEPTH} tingkat",
        f"the values are nested more than {MAX_DEPTH} levels deep",
    ),
    "aliases": (
        "alias (*) mengembang menjadi data yang terlalu besar",
        "its aliases (*) expand to far too much data",
    ),
    "cycle": (
        "sebuah alias (*) merujuk ke nilai yang memuatnya sendiri",
        "an alias (*) refers to the value that contains it",
    ),
}


def _yaml_limit(source: str, exc: YamlLimitError) -> FileProblem:
    """A document refused before it was built: too deep, or an alias bomb."""
    why_id, why_en = _YAML_LIMITS.get(exc.kind, _YAML_LIMITS["aliases"])
    mark = exc.problem_mark
    line = mark.line + 1 if mark is not None else None
    where_id = f" (baris {line})" if line is not None else ""
    where_en = f" (line {line})" if line is not None else ""
    return _unreadable(
        source,
        f"Berkas YAML ditolak: {why_id}{where_id}.",
        f"YAML refused: {why_en}{where_en}.",
        line=line,
    )


def _jsonable(value: Any) -> Any:
    """YAML-loaded value made JSON-like: ISO date strings, string keys, lists.

    The loader has bounded the depth and the alias expansion, so this walk is too."""
    if isinstance(value, dict):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, dt.date | dt.datetime):
        return key.isoformat()
    return str(key)


# --------------------------------------------------------------------------- stdin / sniffing


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[RawRecord | FileProblem]:
    source = "-"
    try:
        head = stream.read(_SNIFF_BYTES)
        newline = head.find(b"\n")
        if newline != -1 and head[newline + 1 :].strip():
            first = head[: newline + 1]
            if _is_json_object_line(first):
                # JSON Lines: stream the rest instead of loading it whole.
                with io.BufferedReader(_PrefixedRaw(head[newline + 1 :], stream)) as reader:
                    yield from _read_jsonl(source, reader, max_bytes, first_line=first)
                return
        rest = stream.read(max_bytes + 1 - len(head)) if head else b""
    except OSError as exc:
        yield _os_problem(source, exc)
        return
    data = head + rest
    if len(data) > max_bytes:
        yield _too_large(source, None, max_bytes)
        return
    yield from _sniff(source, data, max_bytes)


def _is_json_object_line(raw: bytes) -> bool:
    try:
        return isinstance(_loads(raw.removeprefix(_BOM).decode("utf-8")), dict)
    except (ValueError, RecursionError):
        return False


def _sniff(source: str, data: bytes, max_bytes: int) -> Iterator[RawRecord | FileProblem]:
    """A JSON document, else JSON Lines, else YAML."""
    text = _decode(source, data)
    if isinstance(text, FileProblem):
        yield text
        return
    stripped = text.lstrip()
    if not stripped:
        yield _empty(source)
        return
    if stripped[0] in "{[":
        try:
            value = _loads(text)
        except (ValueError, RecursionError) as exc:
            first = data.split(b"\n", 1)[0]
            extra = isinstance(exc, json.JSONDecodeError) and exc.msg == "Extra data"
            if extra or _is_json_object_line(first):
                yield from _read_jsonl(source, io.BytesIO(data), max_bytes)
            else:
                yield _json_error(source, exc)
            return
        yield from _items(source, [value])
        return
    yield from _parse_yaml(source, data)


class _PrefixedRaw(io.RawIOBase):
    """A raw stream that reads ``prefix`` and then ``rest`` (not closed with us)."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        if self._prefix:
            count = min(len(target), len(self._prefix))
            target[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        chunk = self._rest.read(len(target))
        target[: len(chunk)] = chunk
        return len(chunk)


# --------------------------------------------------------------------------- CSV


def _read_csv(
    source: str, handle: BinaryIO, max_bytes: int, *, tab: bool, header_row: int | None = None
) -> Iterator[RawRecord | FileProblem]:
    head = handle.read(_SNIFF_BYTES)
    handle.seek(0)
    delimiter = "\t" if tab else _detect_delimiter(head)
    _raise_field_limit(max_bytes)
    failure: list[FileProblem] = []
    lines = _csv_lines(source, handle, max_bytes, failure)
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    index = 0
    row_count = 0
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            row_count += 1
            if header is None:
                if header_row is not None:
                    if row_count == header_row:  # the configured header row, rows above skipped
                        header = row
                    continue
                if any(cell.strip() for cell in row):
                    header = row
                continue
            data = _row_dict(header, row)
            if data:
                index += 1
                yield RawRecord(source, index, start, data, tabular=True)
    except csv.Error as exc:
        yield _unreadable(
            source,
            f"Berkas CSV tidak dapat dibaca: {exc} (baris {reader.line_num}).",
            f"Cannot read the CSV file: {exc} (line {reader.line_num}).",
            line=reader.line_num,
        )
        return
    if failure:
        yield failure[0]
    elif header is None:
        yield _empty(source)
    elif index == 0:
        yield _empty(
            source,
            "Berkas hanya berisi baris judul kolom, tanpa baris data.",
            "The file has a header row but no data rows.",
        )


def _row_dict(header: Sequence[str], row: Sequence[str]) -> dict[str, str]:
    data: dict[str, str] = {}
    for name, cell in zip(header, row, strict=False):
        key = restore(name)  # a header an export neutralised ('=kunci)
        if key.strip() and cell.strip() and key not in data:
            data[key] = restore(cell)
    return data


def _csv_lines(
    source: str, handle: BinaryIO, max_bytes: int, failure: list[FileProblem]
) -> Iterator[str]:
    """Decoded physical lines (``\\r\\n``, ``\\n`` or ``\\r`` endings, kept, as with
    ``newline=""``). Stops at the first undecodable or overlong line, leaving a problem
    in ``failure``."""
    offset = 0
    line_no = 0
    for raw in _lines(handle, max_bytes, None):
        if isinstance(raw, int):
            failure.append(_line_too_long(source, line_no + 1, None, max_bytes))
            return
        pieces = _split_cr(raw)
        for piece in pieces:
            line_no += 1
            skip = len(_BOM) if offset == 0 and piece.startswith(_BOM) else 0
            try:
                text = piece[skip:].decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(piece[skip : skip + exc.start].decode("utf-8")) + 1
                failure.append(_not_utf8(source, exc, offset + skip + exc.start, line_no, column))
                return
            offset += len(piece)
            yield text


def _split_cr(raw: bytes) -> list[bytes]:
    """Split a ``\\n``-terminated line after each lone ``\\r`` (old Mac line endings)."""
    if b"\r" not in raw[:-2]:
        return [raw]
    pieces: list[bytes] = []
    start = 0
    position = raw.find(b"\r")
    while position != -1:
        if raw[position + 1 : position + 2] != b"\n":
            pieces.append(raw[start : position + 1])
            start = position + 1
        position = raw.find(b"\r", position + 1)
    if start < len(raw):
        pieces.append(raw[start:])
    return pieces


def _detect_delimiter(head: bytes) -> str:
    """``,`` ``;`` or tab: :class:`csv.Sniffer` checked against the header line, then
    the most frequent candidate in the header line, then ``,``."""
    sample = head.removeprefix(_BOM).decode("utf-8", "replace")
    if len(head) == _SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]  # no half line at the end
    header = ""
    for line in sample.splitlines():
        if line.strip():
            header = line
            break
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter and delimiter in header:
        return delimiter
    counts = {candidate: header.count(candidate) for candidate in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _raise_field_limit(max_bytes: int) -> None:
    """The csv module refuses fields over 128 KiB by default; a long description is fine."""
    wanted = min(max_bytes, 2**31 - 1)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


# --------------------------------------------------------------------------- XLSX


def _read_xlsx(
    path: str, max_bytes: int, *, sheet: str | None = None, header_row: int | None = None
) -> Iterator[RawRecord | FileProblem]:
    with Path(path).open("rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if info.st_size > max_bytes:
            yield _too_large(path, info.st_size, max_bytes)
            return
        if info.st_size == 0:
            yield _empty(path)
            return
        try:  # the unpacked size first: calamine unpacks the shared strings on opening
            parts = open_parts(handle)
        except WorkbookLimitError as exc:
            yield _unreadable(path, exc.id, exc.en)
            return
        except (zipfile.BadZipFile, ValueError, EOFError) as exc:
            yield _bad_workbook(path, exc)
            return
        with contextlib.closing(parts.archive):
            handle.seek(0)
            try:
                workbook = CalamineWorkbook.from_filelike(handle)
            except Exception as exc:  # calamine raises CalamineError and others on bad files
                yield _bad_workbook(path, exc)
                return
            with contextlib.closing(workbook):
                try:
                    many = len(workbook.sheet_names) > 1 and sheet is None
                    if sheet is not None and sheet not in workbook.sheet_names:
                        names = ", ".join(workbook.sheet_names)
                        yield _unreadable(
                            path,
                            f"Buku kerja tidak memiliki lembar {sheet!r} (ada: {names}).",
                            f"The workbook has no sheet {sheet!r} (it has: {names}).",
                        )
                        return
                    chosen = _sheet_names(workbook, sheet)
                except Exception as exc:
                    yield _bad_workbook(path, exc)
                    return
                yield from _xlsx_records(path, workbook, parts, chosen, many, header_row)


def _xlsx_records(
    path: str,
    workbook: CalamineWorkbook,
    parts: WorkbookParts,
    names: list[str],
    many: bool,
    header_row: int | None,
) -> Iterator[RawRecord | FileProblem]:
    """The records of the workbook's sheets, one sheet in memory at a time; a sheet
    over the limits (:mod:`satudata_cli.readers.workbook`) is a problem of its own and
    the other sheets are read."""
    saw_header = False
    refused = 0
    index_total = 0
    for name in names:
        source = f"{path}#{name}" if many else path
        try:
            parts.check_sheet(name)
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except WorkbookLimitError as exc:
            refused += 1
            yield _unreadable(source, exc.id, exc.en)
            continue
        except Exception as exc:  # calamine's errors on a damaged sheet
            refused += 1
            yield _bad_workbook(source, exc)
            continue
        header: list[str] | None = None
        index = 0
        for row_no, row in enumerate(rows, start=1):
            cells = [_cell(value) for value in row]
            if header is None:
                if header_row is not None:
                    if row_no == header_row:  # the configured header row, rows above skipped
                        header = cells
                        saw_header = True
                    continue
                if any(cell.strip() for cell in cells):
                    header = cells
                    saw_header = True
                continue
            data = _row_dict(header, cells)
            if data:
                index += 1
                yield RawRecord(source, index, row_no, data, tabular=True)
        del rows
        index_total += index
    if refused and not saw_header:
        return
    if not saw_header:
        yield _empty(
            path,
            "Buku kerja tidak memiliki baris judul kolom: semua lembarnya kosong.",
            "The workbook has no header row: all its sheets are empty.",
        )
    elif index_total == 0:
        yield _empty(
            path,
            "Buku kerja hanya berisi baris judul kolom, tanpa baris data.",
            "The workbook has a header row but no data rows.",
        )


def _sheet_names(workbook: CalamineWorkbook, only: str | None = None) -> list[str]:
    """Every visible worksheet (or the sheet named ``only``, visible or not)."""
    names: list[str] = []
    for meta in workbook.sheets_metadata:
        if only is not None:
            if meta.name == only:
                names.append(meta.name)
        elif meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible:
            names.append(meta.name)
    return names


def _bad_workbook(path: str, exc: Exception) -> FileProblem:
    reason = str(exc) or type(exc).__name__
    return _unreadable(
        path,
        f"Berkas bukan buku kerja Excel yang sah, atau rusak: {reason}.",
        f"Not a valid Excel workbook, or the file is damaged: {reason}.",
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
