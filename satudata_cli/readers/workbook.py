"""The limits of an XLSX workbook, checked before calamine reads it.

An XLSX file is a zip of XML parts. calamine (Rust) unpacks the shared strings when
the workbook opens, and turns a worksheet into one rectangle of cells, which
:func:`~satudata_cli.readers.files.read_records` then lists from A1 to the farthest
cell. A 4.8 KB workbook with one cell at ``XFD1048576`` thus asks for 17 billion cells
and aborts the process; a 1 MB zip can hold a 1 GiB sheet. Before calamine sees a
workbook, :func:`open_parts` and :meth:`WorkbookParts.check_sheet` make sure that

- the sizes the zip declares for its parts add up to at most ``max_unpacked``
  (:data:`MAX_UNPACKED`, 256 MiB), and every part but the worksheets (the shared
  strings, which calamine unpacks on opening, above all) really unpacks to its declared
  size: each is streamed once through Python's :mod:`zipfile`, which never unpacks
  more of a part than it declares and fails its CRC check when the part holds more.
  The worksheets are streamed the same way by the scan below, so a zip that lies about
  a size is refused before calamine, whose unpacking trusts the data, sees it;
- the zip declares at most :data:`MAX_PARTS` (10,000) parts, read from its end record
  before :mod:`zipfile` builds an object per part;
- every worksheet that will be read spans at most ``max_cells`` cells
  (:data:`MAX_CELLS`, 4,000,000: 100,000 rows of 40 columns), rows x columns counted
  from A1 to its farthest cell. The sheet's XML is scanned in 1 MiB pieces, memory
  flat: a regular expression over the cell references when every ``<c>`` carries one
  (what Excel, LibreOffice and openpyxl write; about a third of calamine's own reading
  time), else an exact pass with expat that places the cells as calamine does. The
  declared ``<dimension>`` is not trusted: it is optional and can say anything.

Written here rather than taken from a library: no maintained package checks an OOXML
package's unpacked size and cell extent without loading it (openpyxl's read-only mode
trusts ``<dimension>``; defusedxml guards entities, not sizes).

A workbook over a limit raises :class:`WorkbookLimitError` with a bilingual message;
:mod:`satudata_cli.readers.files` makes it a finding (``validate``) or an errored sheet
(sources).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.parsers import expat

__all__ = [
    "MAX_CELLS",
    "MAX_PARTS",
    "MAX_UNPACKED",
    "WorkbookLimitError",
    "WorkbookParts",
    "open_parts",
]

MAX_UNPACKED = 256 * 1024 * 1024
MAX_CELLS = 4_000_000
MAX_PARTS = 10_000

_CHUNK = 1024 * 1024
_END_SEARCH = 22 + 65535 + 56 + 20  # end record, longest comment, zip64 record and locator
_SMALL_PART = 16 * 1024 * 1024  # workbook.xml and the relationship parts
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAX_ROW = 1_048_576
_MAX_COLUMN = 16_384

# a cell element (any namespace prefix), and one whose reference is plain A1 style
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\sr\s*=\s*([\"'])([A-Z]{1,3})([0-9]{1,7})\1"
)


# what reading a damaged or unusual part can raise (bad CRC, bad deflate data, an
# encrypted or unsupported member, broken XML)
_UNREADABLE = (
    expat.ExpatError,
    ValueError,
    KeyError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
)


class WorkbookLimitError(Exception):
    """The workbook, or one of its sheets, is over a limit (``id``/``en``: why)."""

    def __init__(self, id_: str, en: str) -> None:
        super().__init__(en)
        self.id = id_
        self.en = en


def _mb(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def column_name(number: int) -> str:
    """1 -> A, 16384 -> XFD."""
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _column_number(letters: bytes | str) -> int:
    number = 0
    for char in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + ord(char) - ord("A") + 1
    return number


class WorkbookParts:
    """The zip of a workbook whose unpacked size is within bounds; worksheet parts by
    sheet name (empty when the workbook's own index of them cannot be read)."""

    def __init__(self, archive: zipfile.ZipFile, max_cells: int) -> None:
        self.archive = archive
        self.max_cells = max_cells
        self.sheets = _sheet_parts(archive)

    def check_sheet(self, name: str) -> None:
        """Raise :class:`WorkbookLimitError` when sheet ``name`` spans too many cells
        (or its XML cannot be read); a sheet the index does not name is checked against
        every worksheet part."""
        part = self.sheets.get(name)
        parts = [part] if part is not None else _worksheet_parts(self.archive)
        for member in parts:
            try:
                rows, columns = sheet_extent(self.archive, member)
            except _UNREADABLE as exc:
                reason = " ".join(str(exc).split()) or type(exc).__name__
                raise WorkbookLimitError(
                    f"Lembar {name!r} tidak dapat dibaca: XML-nya rusak ({reason}).",
                    f"Sheet {name!r} cannot be read: its XML is broken ({reason}).",
                ) from None
            if rows * columns > self.max_cells:
                corner = f"{column_name(columns)}{rows}"
                raise WorkbookLimitError(
                    f"Lembar {name!r} terlalu luas: selnya menjangkau sampai {corner} "
                    f"({rows} baris x {columns} kolom dari A1; batasnya {self.max_cells} "
                    "sel). Hapus sel yang jauh di luar tabel, atau pisahkan lembarnya.",
                    f"Sheet {name!r} is too large: its cells reach {corner} ({rows} rows x "
                    f"{columns} columns from A1; the limit is {self.max_cells} cells). Delete "
                    "the cells far outside the table, or split the sheet.",
                )


def open_parts(
    handle: BinaryIO, *, max_unpacked: int = MAX_UNPACKED, max_cells: int = MAX_CELLS
) -> WorkbookParts:
    """The workbook's parts, after checking their declared unpacked size.

    Raises :class:`WorkbookLimitError` when they add up to more than ``max_unpacked``
    and :class:`zipfile.BadZipFile` when the file is not a zip at all."""
    parts_declared = _declared_parts(handle)
    if parts_declared > MAX_PARTS:
        raise WorkbookLimitError(
            f"Buku kerja ditolak: zip-nya menyatakan {parts_declared} bagian (batasnya "
            f"{MAX_PARTS}; buku kerja biasa punya puluhan).",
            f"The workbook is refused: its zip declares {parts_declared} parts (the limit "
            f"is {MAX_PARTS}; a workbook has a few dozen).",
        )
    archive = zipfile.ZipFile(handle)
    try:
        total = sum(info.file_size for info in archive.infolist())
        if total > max_unpacked:
            raise WorkbookLimitError(
                f"Buku kerja terlalu besar setelah dibuka: bagian-bagiannya berukuran "
                f"{_mb(total)} MB (batasnya {_mb(max_unpacked)} MB).",
                f"The workbook is too large unpacked: its parts hold {_mb(total)} MB (the "
                f"limit is {_mb(max_unpacked)} MB).",
            )
        parts = WorkbookParts(archive, max_cells)
        scanned = set(parts.sheets.values())  # streamed by check_sheet before calamine
        for info in archive.infolist():
            if not info.is_dir() and info.filename not in scanned:
                _verify(archive, info)
    except BaseException:
        archive.close()
        raise
    return parts


def _verify(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Unpack one part in 1 MiB pieces, keeping nothing: it must hold what it declares."""
    try:
        with archive.open(info) as stream:
            while stream.read(_CHUNK):
                pass
    except _UNREADABLE as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise WorkbookLimitError(
            f"Buku kerja rusak: bagian {info.filename!r} tidak berisi apa yang dinyatakan "
            f"zip-nya ({reason}).",
            f"The workbook is damaged: part {info.filename!r} does not hold what its zip "
            f"declares ({reason}).",
        ) from None


def _declared_parts(handle: BinaryIO) -> int:
    """How many parts the zip's end record declares (0 when there is none: zipfile will
    say what is wrong), read before :class:`zipfile.ZipFile` builds one object per part
    (a 200 MB zip of empty parts would be millions of them)."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(max(0, size - _END_SEARCH))
    tail = handle.read()
    handle.seek(0)
    end = tail.rfind(b"PK\x05\x06")
    if end == -1 or end + 22 > len(tail):
        return 0
    count = int.from_bytes(tail[end + 10 : end + 12], "little")
    end64 = tail.rfind(b"PK\x06\x06", 0, end)
    if end64 != -1 and end64 + 40 <= len(tail):  # zip64: the real count is here
        count = max(count, int.from_bytes(tail[end64 + 32 : end64 + 40], "little"))
    return count


# -- the extent of a sheet ------------------------------------------------------------


def _pieces(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """The part's bytes in pieces of about 1 MiB, each ending after a ``>`` (the rest
    is carried over), so no tag is split between two pieces."""
    carry = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            data = carry + chunk
            cut = data.rfind(b">") + 1
            if cut == 0:
                carry = data
                if len(carry) > 4 * _CHUNK:  # no tag end in 4 MiB: not a sheet we read
                    raise ValueError("no end of an XML tag in 4 MiB")
                continue
            carry = data[cut:]
            yield data[:cut]
    if carry:
        yield carry


def sheet_extent(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """(farthest row, farthest column), 1-based, of the cells of one worksheet part;
    (0, 0) for a sheet without cells."""
    max_row = max_column = 0
    cells = referenced = 0
    for piece in _pieces(archive, member):
        cells += len(_CELL.findall(piece))
        found = _CELL_REF.findall(piece)
        referenced += len(found)
        if found:
            rows = {row for _, _, row in found}
            columns = {column for _, column, _ in found}
            max_row = max(max_row, max(int(row) for row in rows))
            max_column = max(max_column, max(_column_number(c) for c in columns))
    if cells != referenced:  # a cell without a plain reference: place every cell exactly
        return _exact_extent(archive, member)
    return max_row, max_column


def _exact_extent(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """The extent by an expat pass placing cells as calamine does: a cell's ``r``, else
    the next column of the row; a row's ``r``, else the next row. No DTD is allowed."""
    state = {"row": 0, "column": 0, "max_row": 0, "max_column": 0}
    ref = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            given = attrs.get("r")
            state["row"] = int(given) if given is not None else state["row"] + 1
            state["column"] = 0
        elif local == "c":
            given = attrs.get("r")
            if given is None:
                state["column"] += 1
                row = state["row"]
            else:
                match = ref.match(given.strip())
                if match is None:
                    raise ValueError(f"cell reference {given[:20]!r} is not in A1 style")
                state["column"] = _column_number(match.group(1).upper())
                row = int(match.group(2))
            state["max_row"] = max(state["max_row"], row)
            state["max_column"] = max(state["max_column"], state["column"])

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = _no_dtd
    for piece in _pieces(archive, member):
        parser.Parse(piece, False)
    parser.Parse(b"", True)
    return state["max_row"], state["max_column"]


def _no_dtd(*_: object) -> None:
    raise ValueError("a DTD is not allowed in a worksheet")


# -- which part is which sheet --------------------------------------------------------


def _elements(archive: zipfile.ZipFile, member: str, wanted: str) -> list[dict[str, str]]:
    """Attributes of every ``wanted`` element (local name) of a small XML part."""
    info = archive.getinfo(member)
    if info.file_size > _SMALL_PART:
        raise ValueError(f"{member} is too large")
    found: list[dict[str, str]] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _no_dtd
    handler: Callable[[str, dict[str, str]], None] = lambda name, attrs: (  # noqa: E731
        found.append(attrs) if name.rpartition(" ")[2] == wanted else None
    )
    parser.StartElementHandler = handler
    parser.Parse(archive.read(member), True)
    return found


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part, from the package and workbook relationships; empty
    when they cannot be read (every worksheet part is then checked)."""
    try:
        book = next(
            _resolve("", rel["Target"])
            for rel in _elements(archive, "_rels/.rels", "Relationship")
            if rel.get("Type", "").endswith("/officeDocument") and rel.get("Target")
        )
        base, name = posixpath.split(book)
        book_rels = posixpath.join(base, "_rels", f"{name}.rels")
        targets = {
            rel.get("Id"): _resolve(base, rel["Target"])
            for rel in _elements(archive, book_rels, "Relationship")
            if rel.get("Target")
        }
        parts: dict[str, str] = {}
        for sheet in _elements(archive, book, "sheet"):
            target = targets.get(sheet.get(f"{_REL_NS} id"))
            if sheet.get("name") is not None and target is not None:
                parts[sheet["name"]] = target
    except (StopIteration, *_UNREADABLE):
        return {}
    return parts


def _worksheet_parts(archive: zipfile.ZipFile) -> list[str]:
    return [name for name in archive.namelist() if "worksheets/" in name and name.endswith(".xml")]
