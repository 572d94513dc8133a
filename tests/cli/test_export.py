"""``satudata catalog export``: every format, exit codes, formula injection, and the
round trips export -> harvest with the matching source type -> identical records.

The catalogue is built through the real engine and CLI: the bundled Kota Medan
example files plus generated records (tests/helpers/records.py) with the awkward parts real
portals have (formula-like titles, non-standard keys, a contact that is only an
e-mail, a range of years, a date with a time).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from satudata_cli.cli import app
from tests.helpers.cli import write_source
from tests.helpers.records import make_record

ROOT = Path(__file__).resolve().parents[2]
MEDAN = ROOT / "harvest_configs" / "data" / "medan"
EVIL = '=HYPERLINK("http://evil.example","klik")'


def run(db: Path, cfg: Path, *args: str | Path) -> Result:
    argv = ["--db", str(db), "--config-dir", str(cfg), *map(str, args)]
    return CliRunner().invoke(app, argv)


def tricky_records() -> list[dict[str, Any]]:
    records = [make_record(i) for i in range(1, 5)]
    records[0]["title"] = EVIL
    records[0]["notes"] = "- daftar puskesmas\n- per kecamatan"
    records[1]["tags"] = ["+plus", "@mention", "kesehatan"]
    records[1]["kode_urusan"] = "2.07"  # a portal's own key, kept
    records[1]["groups"] = ["kesehatan", "sosial"]
    records[1]["=kunci_portal"] = "nilai"  # a portal's own key that looks like a formula
    records[2]["kontak"] = "data.dinkes@pemkomedan.go.id"
    records[2]["tahun"] = "2019-2023"
    records[2]["klasifikasi_akses"] = "terbatas"
    records[2]["jadwal_pemutakhiran"] = "bulanan"
    records[2]["definisi"] = "'=sudah dikutip di sumbernya"  # apostrophes, then a formula
    records[3]["kontak"] = {"email": "pusdatin@pemkomedan.go.id"}
    records[3]["tanggal_diperbarui"] = "2026-06-01T10:30:00+07:00"
    records[3]["resources"][0]["size"] = 2048
    records[3]["ukuran"] = "-12"
    return records


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(db, config dir) with two sources: medan (example files) and gen (generated)."""
    base = tmp_path_factory.mktemp("export")
    cfg = base / "cfg"
    gen = base / "gen"
    gen.mkdir()
    for index, record in enumerate(tricky_records()):
        (gen / f"r{index}.json").write_text(json.dumps(record), encoding="utf-8")
    write_source(cfg, "medan", type="directory", path=str(MEDAN))
    write_source(cfg, "gen", type="directory", path=str(gen))
    db = base / "katalog.db"
    result = run(db, cfg, "harvest", "--all")
    assert result.exit_code == 0, result.output
    return db, cfg


def records_of(db: Path, source_id: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT record FROM datasets WHERE source_id = ? AND status = 'active'",
            (source_id,),
        ).fetchall()
    finally:
        conn.close()
    return sorted((json.loads(r[0]) for r in rows), key=lambda r: json.dumps(r, sort_keys=True))


# -- round trips -------------------------------------------------------------------------

ROUND_TRIPS = {
    "jsonl": ("directory", "export.jsonl"),
    "csv": ("spreadsheet", "export.csv"),
    "xlsx": ("spreadsheet", "export.xlsx"),
    "datajson": ("datajson", "data.json"),
}


@pytest.mark.parametrize("fmt", list(ROUND_TRIPS))
def test_round_trip_gives_identical_records(
    catalogue: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    db, cfg = catalogue
    kind, name = ROUND_TRIPS[fmt]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    exported = out_dir / name
    result = run(db, cfg, "catalog", "export", "--format", fmt, "--output", exported)
    assert result.exit_code == 0, result.output
    assert "Exported 12 dataset(s)" in result.stderr

    back_db = tmp_path / "back.db"
    back_cfg = tmp_path / "back-cfg"
    path = out_dir if kind == "directory" else exported
    write_source(back_cfg, "back", type=kind, path=str(path))
    harvested = run(back_db, back_cfg, "harvest", "back", "--json")
    assert harvested.exit_code == 0, harvested.output
    outcome = json.loads(harvested.stdout)[0]
    assert outcome["added"] == 12 and outcome["errored"] == 0
    assert outcome["complete"] is True

    original = records_of(db, "medan") + records_of(db, "gen")
    original.sort(key=lambda r: json.dumps(r, sort_keys=True))
    assert records_of(back_db, "back") == original


# -- the formats themselves --------------------------------------------------------------


def test_csv_neutralises_formulas_and_keeps_the_standard_columns(
    catalogue: tuple[Path, Path],
) -> None:
    db, cfg = catalogue
    result = run(db, cfg, "catalog", "export", "--format", "csv", "--source", "gen")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 right
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert len(rows) == 4
    header = list(rows[0])
    assert header[:3] == ["name", "title", "notes"]
    # other keys after the standard's, then the stored verdict
    assert header[-6:] == ["groups", "kode_urusan", "valid", "errors", "warnings", "score"]
    by_name = {r["name"]: r for r in rows}
    assert by_name["jumlah-puskesmas-1"]["title"] == "'" + EVIL
    assert by_name["jumlah-puskesmas-1"]["notes"].startswith("'- daftar")
    assert by_name["jumlah-puskesmas-2"]["tags"] == "'+plus; @mention; kesehatan"
    assert by_name["jumlah-puskesmas-4"]["ukuran"] == "'-12"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    resources = json.loads(by_name["jumlah-puskesmas-4"]["resources"])
    assert resources[0]["size"] == 2048


def _stored_verdicts(db: Path, source_id: str) -> dict[str, tuple[str, int, int, float]]:
    """title -> (valid, errors, warnings, score) as the catalogue and the report hold it."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT title, valid, errors, warnings FROM datasets "
            "WHERE source_id = ? AND status = 'active'",
            (source_id,),
        ).fetchall()
    finally:
        conn.close()
    report = run(db, db.parent / "cfg", "report", "compliance", "--format", "json",
                 "--detail", "--source", source_id)  # fmt: skip
    scores = {d["title"]: d["score"] for d in json.loads(report.stdout)["datasets"]}
    return {
        title: ("true" if valid else "false", errors, warnings, scores[title])
        for title, valid, errors, warnings in rows
    }


@pytest.mark.parametrize(("option", "delimiter"), [([], ","), (["--delimiter", ";"], ";"),
                                                   (["--delimiter", "tab"], "\t")])  # fmt: skip
def test_csv_has_the_stored_verdict_and_takes_a_delimiter(
    catalogue: tuple[Path, Path], option: list[str], delimiter: str
) -> None:
    db, cfg = catalogue
    result = run(db, cfg, "catalog", "export", "-f", "csv", "-s", "medan", *option)
    assert result.exit_code == 0, result.output
    text = result.stdout_bytes.decode("utf-8-sig")
    assert text.splitlines()[0].split(delimiter)[:2] == ["name", "title"]
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    stored = _stored_verdicts(db, "medan")
    assert len(rows) == len(stored) == 8
    assert len({r["score"] for r in rows}) > 1 and any(r["warnings"] != "0" for r in rows)
    for row in rows:
        valid, errors, warnings, score = stored[row["title"]]
        assert (row["valid"], int(row["errors"]), int(row["warnings"])) == (
            valid,
            errors,
            warnings,
        )
        assert float(row["score"]) == score


def test_xlsx_has_the_stored_verdict(catalogue: tuple[Path, Path], tmp_path: Path) -> None:
    db, cfg = catalogue
    out = tmp_path / "katalog.xlsx"
    assert run(db, cfg, "catalog", "export", "-f", "xlsx", "-o", out, "-s", "medan").exit_code == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-4:] == ["valid", "errors", "warnings", "score"]
    stored = _stored_verdicts(db, "medan")
    for values in rows[1:]:
        row = dict(zip(header, values, strict=True))
        valid, errors, warnings, score = stored[str(row["title"])]
        assert row["valid"] is (valid == "true")
        assert (row["errors"], row["warnings"], row["score"]) == (errors, warnings, score)


@pytest.mark.parametrize("delimiter", [";", "tab"])
def test_csv_with_another_delimiter_harvests_back(
    catalogue: tuple[Path, Path], tmp_path: Path, delimiter: str
) -> None:
    db, cfg = catalogue
    exported = tmp_path / "export.csv"
    result = run(db, cfg, "catalog", "export", "-f", "csv", "--delimiter", delimiter,
                 "-o", exported)  # fmt: skip
    assert result.exit_code == 0, result.output
    back_db, back_cfg = tmp_path / "back.db", tmp_path / "back-cfg"
    write_source(back_cfg, "back", type="spreadsheet", path=str(exported))
    harvested = run(back_db, back_cfg, "harvest", "back", "--json")
    assert harvested.exit_code == 0, harvested.output
    original = records_of(db, "medan") + records_of(db, "gen")
    original.sort(key=lambda r: json.dumps(r, sort_keys=True))
    assert records_of(back_db, "back") == original


def test_delimiter_is_for_csv_only(catalogue: tuple[Path, Path]) -> None:
    db, cfg = catalogue
    result = run(db, cfg, "catalog", "export", "-f", "jsonl", "--delimiter", ";")
    assert result.exit_code == 2 and "--delimiter" in result.stderr
    assert result.stdout == ""
    bad = run(db, cfg, "catalog", "export", "-f", "csv", "--delimiter", "|")
    assert bad.exit_code == 2


def test_csv_export_validates(catalogue: tuple[Path, Path], tmp_path: Path) -> None:
    db, cfg = catalogue
    out = tmp_path / "katalog.csv"
    assert run(db, cfg, "catalog", "export", "-f", "csv", "-o", out, "-s", "medan").exit_code == 0
    report = run(db, cfg, "validate", out, "--format", "json", "--as-of", "2026-11-28")
    results = json.loads(report.stdout)["results"]
    assert len(results) == 8
    # the sheet reads back as the catalogue holds it: same validity per record
    stored = run(db, cfg, "validate", "--catalog", "--source", "medan", "--format", "json",
                 "--as-of", "2026-11-28")  # fmt: skip
    assert sorted(r["valid"] for r in results) == sorted(
        r["valid"] for r in json.loads(stored.stdout)["results"]
    )
    assert not any(f["rule"].startswith("file.") for r in results for f in r["findings"])


def test_xlsx_cells_are_text_not_formulas(catalogue: tuple[Path, Path], tmp_path: Path) -> None:
    db, cfg = catalogue
    out = tmp_path / "katalog.xlsx"
    result = run(db, cfg, "catalog", "export", "-f", "xlsx", "-o", out, "-s", "gen")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None and sheet.title == "Katalog"
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    data = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    by_name = {r["name"]: r for r in data}
    assert by_name["jumlah-puskesmas-1"]["title"] == "'" + EVIL
    assert by_name["jumlah-puskesmas-1"]["tahun"] == 2025  # numbers stay numbers
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_jsonl_is_the_canonical_records(catalogue: tuple[Path, Path]) -> None:
    db, cfg = catalogue
    result = run(db, cfg, "catalog", "export", "-f", "jsonl", "-s", "gen")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(lines, key=lambda r: json.dumps(r, sort_keys=True)) == records_of(db, "gen")


def test_datajson_is_dcat_us(catalogue: tuple[Path, Path]) -> None:
    db, cfg = catalogue
    result = run(
        db, cfg, "catalog", "export", "-f", "datajson", "-s", "gen",
        "--base-uri", "https://data.pemkomedan.go.id/",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    catalog = json.loads(result.stdout)
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert catalog["@type"] == "dcat:Catalog"
    by_name = {d["name"]: d for d in catalog["dataset"]}
    first = by_name["jumlah-puskesmas-1"]
    assert first["identifier"] == ("https://data.pemkomedan.go.id/dataset/gen/jumlah-puskesmas-1")
    assert first["accessLevel"] == "public"
    assert first["accrualPeriodicity"] == "R/P1Y"
    assert first["contactPoint"]["hasEmail"] == "mailto:data.dinkes@pemkomedan.go.id"
    assert first["publisher"] == {"@type": "org:Organization", "name": "Dinas Kesehatan Kota Medan"}
    assert first["distribution"][0]["mediaType"] == "text/csv"
    assert first["temporal"] == "2025-01-01/2025-12-31"
    assert first["spatial"] == "12.71"
    assert first["produsen_data"].startswith("Bidang")  # no DCAT-US term: its own key
    third = by_name["jumlah-puskesmas-3"]
    assert third["accessLevel"] == "restricted public"
    assert third["accrualPeriodicity"] == "R/P1M"
    assert third["temporal"] == "2019-01-01/2023-12-31"
    fourth = by_name["jumlah-puskesmas-4"]
    # a date-time and an e-mail-only contact cannot travel exactly in DCAT-US terms
    assert fourth["modified"] == "2026-06-01T10:30:00+07:00"
    assert fourth["kontak"] == {"email": "pusdatin@pemkomedan.go.id"}


# -- options and exit codes --------------------------------------------------------------


def test_exit_codes(catalogue: tuple[Path, Path], tmp_path: Path) -> None:
    db, cfg = catalogue
    xlsx = run(db, cfg, "catalog", "export", "-f", "xlsx")
    assert xlsx.exit_code == 2 and "--output" in xlsx.stderr
    unknown = run(db, cfg, "catalog", "export", "-f", "csv", "-s", "nope")
    assert unknown.exit_code == 2 and "no source 'nope'" in unknown.stderr
    bad_format = run(db, cfg, "catalog", "export", "-f", "parquet")
    assert bad_format.exit_code == 2
    bad_uri = run(db, cfg, "catalog", "export", "-f", "csv", "--base-uri", "katalog")
    assert bad_uri.exit_code == 2
    missing = run(tmp_path / "none.db", cfg, "catalog", "export", "-f", "csv")
    assert missing.exit_code == 5 and "does not exist" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_nothing_active_exits_5(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "a.json").write_text(json.dumps(make_record(1)), encoding="utf-8")
    write_source(cfg, "e", type="directory", path=str(empty))
    db = tmp_path / "k.db"
    assert run(db, cfg, "harvest", "e").exit_code == 0
    (empty / "a.json").unlink()
    write_source(
        cfg, "e", type="directory", path=str(empty), withdraw={"grace_days": 0, "max_fraction": 1}
    )
    run(db, cfg, "harvest", "e")
    out = tmp_path / "x.csv"
    result = run(db, cfg, "catalog", "export", "-f", "csv", "-o", out)
    assert result.exit_code == 5 and "nothing to export" in result.stderr
    assert not out.exists()


def test_dcat_formats_without_their_writer_are_a_clear_usage_error(
    catalogue: tuple[Path, Path], tmp_path: Path
) -> None:
    db, cfg = catalogue
    import importlib.util

    if importlib.util.find_spec("satudata_cli.exports.dcat") is not None:
        result = run(db, cfg, "catalog", "export", "-f", "dcat-ttl", "-o", tmp_path / "k.ttl")
        assert result.exit_code == 0, result.output
        return
    result = run(db, cfg, "catalog", "export", "-f", "dcat-ttl")
    assert result.exit_code == 2
    assert "not available" in result.stderr and "Traceback" not in result.output


def test_failed_export_leaves_no_file(
    catalogue: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, cfg = catalogue
    from satudata_cli.exports import tabular

    monkeypatch.setattr(tabular, "XLSX_CELL_MAX", 10)
    out = tmp_path / "k.xlsx"
    result = run(db, cfg, "catalog", "export", "-f", "xlsx", "-o", out)
    assert result.exit_code == 2
    assert "more than an Excel cell holds" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+62 812",
        "-",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "Judul biasa",
        "",
        "'kutip",
        "2019-2023",
        "'",
        "'=sudah dikutip",
        "''-dua kutip",
    ],
)
def test_neutralise_and_restore_are_inverse(text: str) -> None:
    from satudata_cli.core.cells import FORMULA_START, csv_safe, neutralise, restore

    cell = neutralise(text)
    assert not cell.startswith(FORMULA_START)
    assert restore(cell) == text
    assert csv_safe(text) == cell


def test_unwritable_output_is_a_usage_error(catalogue: tuple[Path, Path], tmp_path: Path) -> None:
    db, cfg = catalogue
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run(db, cfg, "catalog", "export", "-f", "csv", "-o", folder)
    assert result.exit_code == 2 and "it is a folder" in result.stderr
    full = run(db, cfg, "catalog", "export", "-f", "jsonl", "-o", "/dev/full")
    assert full.exit_code == 2 and "cannot write /dev/full" in full.stderr
    assert "Traceback" not in full.output


@given(st.text(alphabet="'=+-@\t\rab ", max_size=8))
def test_restore_undoes_neutralise_for_any_text(text: str) -> None:
    from satudata_cli.core.cells import FORMULA_START, neutralise, restore

    cell = neutralise(text)
    assert not cell.startswith(FORMULA_START)
    assert restore(cell) == text


def _summary(valid: bool = True, errors: int = 0, warnings: int = 0) -> Any:
    from satudata_cli.catalogue.models import DatasetSummary

    times = ("", "", "", None, None)
    return DatasetSummary(
        1, "s", "d-1", None, None, None, "active", valid, errors, warnings, 0, *times
    )


def test_numbers_are_not_neutralised() -> None:
    from satudata_cli.core.cells import csv_safe
    from satudata_cli.exports import ExportContext, ExportItem
    from satudata_cli.exports.tabular import write_csv

    assert csv_safe(-2.5) == "-2.5" and csv_safe(-3) == "-3" and csv_safe("-3") == "'-3"
    out = io.BytesIO()
    items = [ExportItem(summary=_summary(False, 2, 1), record={"title": "-x", "selisih": -5})]
    write_csv(items, out, context=ExportContext("urn:x:", "2026-11-28T00:00:00Z", "k.db"))
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert rows[0]["title"] == "'-x" and rows[0]["selisih"] == "-5"
    # no score read: the column is there, empty
    assert [rows[0][c] for c in ("valid", "errors", "warnings", "score")] == ["false", "2", "1", ""]


def test_no_formula_survives_in_xlsx_or_csv(tmp_path: Path) -> None:
    from satudata_cli.exports import ExportContext, ExportItem
    from satudata_cli.exports.tabular import write_csv, write_xlsx

    record = {
        "title": '\x01=HYPERLINK("http://evil.example","klik")',  # a control char first
        "notes": "\x00\x02+62 812",
        "=SUM(A1:A9)": "kunci",  # a key of the portal's own, as a column header
    }
    items = [ExportItem(summary=_summary(), record=record, score=72.0)]
    context = ExportContext("urn:x:", "2026-11-28T00:00:00Z", "k.db")
    out = io.BytesIO()
    write_xlsx(items, out, context=context)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells), [c.value for c in cells]
    assert all(not str(c.value).startswith(("=", "+", "-", "@")) for c in cells)
    text = io.BytesIO()
    write_csv(items, text, context=context)
    header = next(csv.reader(io.StringIO(text.getvalue().decode("utf-8-sig"))))
    assert "'=SUM(A1:A9)" in header
