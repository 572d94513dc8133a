"""The ``spreadsheet`` source: CSV and XLSX metadata sheets from a path or a URL, with
the built-in header labels, a header map, a chosen worksheet and header row."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from satudata_cli.core.configfile import ConfigError
from satudata_cli.pipeline.harvest import SourceOutcome
from satudata_cli.sources.config import SourceConfig, load_source
from tests.helpers.jsonapi_fixture import StaticFixture
from tests.helpers.source_helpers import harvest_one, source_config, stored_records

EXAMPLES = Path(__file__).resolve().parents[2] / "harvest_configs" / "examples"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def config(tmp_path: Path, **fields: Any) -> SourceConfig:
    return source_config(tmp_path, "sheet", "spreadsheet", **fields)


def harvest(tmp_path: Path, source: SourceConfig) -> SourceOutcome:
    return harvest_one(tmp_path, source)


def stored(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return stored_records(tmp_path)


def workbook_bytes() -> bytes:
    """A Daftar Data workbook as offices make it: a title above the header, the office's
    own headers, a second sheet of lookup values."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Daftar Data"
    sheet.append(["DAFTAR DATA DINAS KESEHATAN KOTA MEDAN 2026"])
    sheet.append([])
    sheet.append(["Judul", "Nama OPD", "Frekuensi", "Tags", "Tahun", "Catatan Internal"])
    sheet.append(["Jumlah Puskesmas", "Dinas Kesehatan", "Tahunan", "kesehatan;puskesmas", 2025])
    sheet.append(["'=SUM(A1:A9)", "Dinas Kesehatan", "Bulanan", None, 2024, "cek ulang"])
    sheet.append([None, "Dinas Kesehatan", "Tahunan"])  # no title: an errored row
    sheet.append(["Jumlah Puskesmas", "Dinas Kesehatan", "Tahunan"])  # the same id again
    lookup = book.create_sheet("Pilihan")
    lookup.append(["Frekuensi"])
    lookup.append(["Tahunan"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_bundled_example_reads_the_medan_sheet(tmp_path: Path) -> None:
    example = load_source(EXAMPLES / "spreadsheet-daftar-data.yaml")
    outcome = harvest(tmp_path, example)
    assert outcome.status == "finished", outcome.error
    assert (outcome.added, outcome.errored) == (2, 0) and outcome.complete
    records = stored(tmp_path)
    jalan = records["Panjang Jalan Kota menurut Kondisi"]  # no name column: the title
    assert jalan["format"] == ["xlsx", "pdf"]
    assert jalan["jadwal_pemutakhiran"] == "tahunan"
    assert jalan["walidata"] == "Dinas Komunikasi dan Informatika Kota Medan"  # defaults


def test_xlsx_with_sheet_header_row_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(workbook_bytes())
    source = config(
        tmp_path,
        path=str(path),
        spreadsheet={
            "sheet": "Daftar Data",
            "header_row": 3,
            "columns": {"Nama OPD": "organization"},
        },
    )
    outcome = harvest(tmp_path, source)
    assert outcome.status == "finished", outcome.error
    assert (outcome.added, outcome.errored) == (2, 2)
    assert not outcome.complete
    records = stored(tmp_path)
    first = records["Jumlah Puskesmas"]
    assert first["organization"] == "Dinas Kesehatan"
    assert first["tags"] == ["kesehatan", "puskesmas"]
    assert first["tahun"] == 2025
    # the apostrophe that neutralised a formula is taken off again
    formula = records["=SUM(A1:A9)"]
    assert formula["title"] == "=SUM(A1:A9)"
    assert formula["Catatan Internal"] == "cek ulang"  # unknown headers are kept


def test_xlsx_over_http_without_extension(tmp_path: Path) -> None:
    with StaticFixture({"/unduh/daftar": (workbook_bytes(), XLSX_TYPE)}) as server:
        source = config(
            tmp_path,
            url=f"{server.url}/unduh/daftar",
            spreadsheet={"sheet": "Daftar Data", "header_row": 3},
        )
        outcome = harvest(tmp_path, source)
    assert outcome.status == "finished", outcome.error
    assert outcome.added == 2
    assert stored(tmp_path)["Jumlah Puskesmas"]["Nama OPD"] == "Dinas Kesehatan"


def test_csv_over_http(tmp_path: Path) -> None:
    body = b"name;Judul;Instansi\nd-1;Data Satu;Bappeda\nd-2;Data Dua;Bappeda\n"
    with StaticFixture({"/daftar.csv": (body, "text/csv")}) as server:
        outcome = harvest(tmp_path, config(tmp_path, url=f"{server.url}/daftar.csv"))
    assert outcome.added == 2 and outcome.complete
    assert stored(tmp_path)["d-1"] == {
        "name": "d-1",
        "title": "Data Satu",
        "organization": "Bappeda",
    }


LOGIN_PAGE = b"""<!DOCTYPE html>
<html lang="id">
<head><title>Masuk - Portal Satu Data</title></head>
<body>
<form action="/login" method="post"><input name="user"><input name="pass"></form>
</body>
</html>
"""


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/csv"])
def test_an_html_page_instead_of_the_sheet_fails_clearly(tmp_path: Path, content_type: str) -> None:
    # the download link answers 200 with the portal's login page: not rows of datasets
    with StaticFixture({"/daftar.csv": (LOGIN_PAGE, content_type)}) as server:
        outcome = harvest(tmp_path, config(tmp_path, url=f"{server.url}/daftar.csv"))
    assert outcome.status == "failed", outcome
    assert "daftar.csv is an HTML page" in (outcome.error or "")
    assert outcome.errored == 0 and stored(tmp_path) == {}


@pytest.mark.parametrize(
    "tail",
    [
        'd-3;"Data Tiga, dengan catatan',  # ends inside a quoted cell
        "d-3;Data Ti",  # ends in the middle of a row
    ],
)
def test_a_sheet_cut_off_in_a_row_withdraws_nothing(tmp_path: Path, tail: str) -> None:
    whole = (
        b"name;Judul;Instansi\nd-1;Data Satu;Bappeda\nd-2;Data Dua;Bappeda\nd-3;Data Tiga;Bappeda\n"
    )
    path = tmp_path / "daftar.csv"
    path.write_bytes(whole)
    source = config(tmp_path, path=str(path), withdraw={"grace_days": 0, "max_fraction": 1})
    assert harvest(tmp_path, source).complete
    cut = b"name;Judul;Instansi\nd-1;Data Satu;Bappeda\n" + tail.encode()
    path.write_bytes(cut)
    outcome = harvest(tmp_path, source)
    assert outcome.status == "finished" and not outcome.complete
    assert any("looks cut off" in note for note in outcome.notes), outcome.notes
    assert outcome.withdrawn == 0
    # a whole sheet without a final line break is not cut off, even when its last cell
    # holds line breaks
    path.write_bytes(whole.rstrip(b"\n"))
    assert harvest(tmp_path, source).complete
    path.write_bytes(whole + b'd-4;"Data Empat";"Bappeda\nBidang Data"')
    assert harvest(tmp_path, source).complete


def test_missing_sheet_and_broken_workbook_fail(tmp_path: Path) -> None:
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(workbook_bytes())
    outcome = harvest(tmp_path, config(tmp_path, path=str(path), spreadsheet={"sheet": "Lain"}))
    assert outcome.status == "failed"
    assert "no sheet 'Lain'" in (outcome.error or "") and "Daftar Data" in (outcome.error or "")
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(workbook_bytes()[:500])
    failed = harvest(tmp_path, config(tmp_path, path=str(broken)))
    assert failed.status == "failed" and "rusak.xlsx" in (failed.error or "")
    assert stored(tmp_path) == {}


def test_header_only_sheet_fails(tmp_path: Path) -> None:
    path = tmp_path / "kosong.csv"
    path.write_text("Judul,Instansi\n", encoding="utf-8")
    outcome = harvest(tmp_path, config(tmp_path, path=str(path)))
    assert outcome.status == "failed" and "no data rows" in (outcome.error or "")


def test_config_refuses_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "id: s\ntype: spreadsheet\npath: a.csv\nspreadsheet:\n  sheet: A\n  header: 2\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_source(path)
    message = str(caught.value)
    assert f"{path}:6: spreadsheet.header: unknown key (did you mean header_row?)" in message
