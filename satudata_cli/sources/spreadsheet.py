"""The ``spreadsheet`` source: a CSV or XLSX metadata sheet at a URL or in a file.

The Daftar Data handed over by e-mail, or published as a download: one row per
dataset. Read with the same readers as ``satudata validate`` (delimiter detection,
UTF-8 checks, visible worksheets, dates and numbers as text), optionally from one
worksheet and with the header on a given row (``spreadsheet.sheet``,
``spreadsheet.header_row``). Headers map onto the standard's fields by name or by the
built-in Indonesian and English labels (``Judul``, ``Produsen Data``, ``Frekuensi``);
``spreadsheet.columns`` adds the office's own headers (``Nama OPD: organization``).
Headers that match nothing are kept under their own text; a cell of such a column that
holds a JSON list or object is parsed (an export of the catalogue writes them so).

The remote id of a row is its ``spreadsheet.id_field`` (default ``name``), else its
title; a row with neither, or an id given twice, is an errored record. A file that
cannot be read fails the job and stores nothing; a worksheet over the reader's limits
(:mod:`satudata_cli.readers.workbook`) in a workbook whose other sheets are read is one
errored record (``#<sheet>``), and the pass is then not complete.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from satudata_cli.core.configfile import KeyedValueError
from satudata_cli.core.http import HttpClient
from satudata_cli.readers.files import FileProblem, RawRecord, read_sheet
from satudata_cli.sources.base import PassInfo, RemoteRecord, SourceError, SourceSpec
from satudata_cli.sources.documents import Document, read_document

if TYPE_CHECKING:
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator

RowMapper = Callable[[Mapping[str, Any]], dict[str, Any]]


class SpreadsheetSettings(BaseModel):
    """How to read a metadata sheet (``type: spreadsheet``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Spreadsheet settings",
        json_schema_extra={
            "description": (
                "How to read a CSV or XLSX metadata sheet. / Cara membaca lembar metadata "
                "CSV atau XLSX."
            )
        },
    )

    sheet: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "XLSX worksheet to read (default: every visible worksheet). / Lembar kerja XLSX "
            "yang dibaca (bawaan: semua lembar yang tampak)."
        ),
    )
    header_row: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description=(
            "Row number (1-based) of the header row (default: the first non-empty row); "
            "rows above it (a title, a logo) are skipped. / Nomor baris judul kolom "
            "(bawaan: baris pertama yang tidak kosong)."
        ),
    )
    format: Literal["csv", "xlsx"] | None = Field(
        default=None,
        description=(
            "csv or xlsx; by default from the file name's extension (or the Content-Type "
            "of a URL). / csv atau xlsx; bawaan dari ekstensi nama berkas."
        ),
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Header -> Satu Data field, for headers that are not a field name or one of "
            "its built-in labels (satudata schema show FIELD), e.g. 'Nama OPD': "
            "organization. / Judul kolom -> kolom Satu Data, untuk judul yang tidak dikenal."
        ),
    )
    id_field: str = Field(
        default="name",
        min_length=1,
        description=(
            "Field whose value is the dataset's stable id in this sheet (default name; "
            "rows without it use their title). / Kolom yang nilainya menjadi pengenal "
            "dataset (bawaan name; tanpa itu dipakai judul)."
        ),
    )

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        for header, target in value.items():
            if not str(header).strip() or not str(target).strip():
                raise KeyedValueError(str(header), "header and field must not be empty")
        return {str(k).strip(): v.strip() for k, v in value.items()}


_XLSX_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
)
_ZIP_MAGIC = b"PK\x03\x04"


def _kind(document: Document, settings: SpreadsheetSettings) -> str:
    """csv, tsv or xlsx: the configuration, then the extension, then the content."""
    if settings.format is not None:
        return settings.format
    suffix = Path(document.name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".tsv":
        return "tsv"
    if suffix == ".csv":
        return "csv"
    if document.content_type in _XLSX_TYPES or document.body.startswith(_ZIP_MAGIC):
        return "xlsx"
    return "csv"


def _cut_off(body: bytes, header_row: int | None) -> bool:
    """Whether a CSV/TSV sheet looks cut off in the middle of a row (a download or a
    copy that stopped early): no line break at the end, and the end is inside a quoted
    cell or the last line has fewer separators than the header. A sheet cut exactly at
    a line break cannot be told from a whole one."""
    text = body.decode("utf-8-sig", errors="replace")
    if not text.strip() or text.endswith(("\n", "\r")):
        return False
    if text.count('"') % 2:
        return True
    first = [line for line in text.splitlines() if line.strip()][: header_row or 1]
    separator = next((s for s in ("\t", ";", ",", "|") if s in first[-1]), None)
    if separator is None:
        return False
    try:  # records, not lines: a quoted cell may hold line breaks
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=separator) if any(r)]
    except csv.Error:
        return False
    skip = (header_row or 1) - 1
    return len(rows) > skip + 1 and len(rows[-1]) < len(rows[skip])


def _parse_json_cell(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class SpreadsheetSource:
    incremental: ClassVar[bool] = False

    def __init__(
        self,
        config: SourceConfig,
        from_row: RowMapper,
        http: HttpClient | None,
        known_fields: frozenset[str],
    ) -> None:
        self.config = config
        self.settings = config.spreadsheet or SpreadsheetSettings()
        self.from_row = from_row
        self.http = http
        self.known_fields = known_fields
        self.pass_info = PassInfo()

    def _map(self, data: Mapping[str, Any]) -> dict[str, Any]:
        columns = self.settings.columns
        renamed = {columns.get(header.strip(), header): cell for header, cell in data.items()}
        record = self.from_row(renamed)
        for key, value in record.items():
            if key not in self.known_fields:
                record[key] = _parse_json_cell(value)
        return record

    def _remote_id(self, record: Mapping[str, Any]) -> str | None:
        for key in (self.settings.id_field, "title"):
            value = record.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                text = str(value).strip()
                if text:
                    return text
        return None

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        self.pass_info = PassInfo(incremental=False)
        document = read_document(self.config, self.http)
        html = document.html_page()
        if html is not None:  # else its lines would be rows of junk "datasets"
            raise SourceError(f"source {self.config.id}: {html}")
        kind = _kind(document, self.settings)
        suffix = ".xlsx" if kind == "xlsx" else f".{kind}"
        with tempfile.TemporaryDirectory(prefix="satudata-sheet-") as folder:
            path = Path(folder) / f"sheet{suffix}"
            path.write_bytes(document.body)
            items: list[RawRecord | FileProblem] = list(
                read_sheet(
                    str(path),
                    kind=kind,
                    sheet=self.settings.sheet,
                    header_row=self.settings.header_row,
                    max_bytes=self.config.http.max_response_bytes,
                )
            )
        problems = [i for i in items if isinstance(i, FileProblem) and i.index is None]
        rows = [i for i in items if isinstance(i, RawRecord)]
        if problems and not rows:
            message = problems[0].finding.message.en.replace(str(path), document.where)
            raise SourceError(f"source {self.config.id}: {document.where}: {message}")
        seen: set[str] = set()
        errored = 0
        for count, row in enumerate(rows, start=1):
            if limit is not None and count > limit:
                self.pass_info.notes.append(f"stopped after --limit {limit} records")
                return
            sheet = row.source.partition("#")[2]
            where = f"{sheet} row {row.line}" if sheet else f"row {row.line}"
            record = self._map(row.data)
            remote_id = self._remote_id(record)
            if remote_id is None:
                errored += 1
                yield RemoteRecord(
                    f"#{where}",
                    None,
                    error=f"{where} has no {self.settings.id_field} and no title",
                )
                continue
            if remote_id in seen:
                yield RemoteRecord(
                    remote_id,
                    None,
                    error=f"{where}: id {remote_id!r} is given twice; the first row is kept",
                )
                continue
            seen.add(remote_id)
            yield RemoteRecord(remote_id, record)
        if kind != "xlsx" and rows and _cut_off(document.body, self.settings.header_row):
            errored += 1  # the missing rows must not be withdrawn
            self.pass_info.notes.append(
                f"{document.where} looks cut off: its last row ({rows[-1].line}) ends in the "
                "middle, without a line break; that row was read as it is"
            )
        for problem in problems:  # a sheet over the limits, or a cut-off tail: not stored
            errored += 1
            sheet = problem.source.partition("#")[2]
            yield RemoteRecord(
                f"#{sheet}" if sheet else f"#{document.where}",
                None,
                error=problem.finding.message.en.replace(str(path), document.where),
            )
        if errored:
            self.pass_info.gaps.append(f"{errored} row(s) could not be used")
        self.pass_info.complete = errored == 0 and (limit is None or len(rows) <= limit)


def _build(
    config: SourceConfig, validator: Validator, http: HttpClient | None
) -> SpreadsheetSource:
    fields = frozenset(validator.standard.fields)
    return SpreadsheetSource(config, validator.from_row, http, fields)


SPEC = SourceSpec(
    name="spreadsheet",
    summary="a CSV or XLSX metadata sheet, one row per dataset",
    location="url_or_path",
    path_means="a file",
    build=_build,
    incremental=SpreadsheetSource.incremental,
    settings=SpreadsheetSettings,
    settings_summary=(
        "type spreadsheet: sheet, header row and header map (optional). / Pengaturan "
        "lembar untuk type spreadsheet."
    ),
)
