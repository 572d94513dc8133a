"""Bad input files and values (issue 16, defects 1, 2, 3 and 11, and the slow text
output of ``validate``): nothing one file or one value holds may stop a run.

Each test's docstring names the fault as the issue does, so docs/reliability.md can
cite it. Memory is asserted by running the real CLI in a subprocess under an address
space cap (``RLIMIT_AS``, 1 GiB), never by timing; the subprocess has a generous
timeout only so that a hang (the old behaviour of a workbook bomb) fails the test
instead of the suite.
"""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from satudata_cli.cli.common import Color
from satudata_cli.cli.text import TextFormatter
from satudata_cli.core.yamlload import MAX_DEPTH
from satudata_cli.pipeline.validate import build_validate_run
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.cli import Cli, write_source
from tests.helpers.jsonapi_fixture import StaticFixture

ROOT = Path(__file__).resolve().parents[2]
CAP = 1 << 30  # the address space a bomb would blow through; satudata needs < 400 MiB
TIMEOUT = 600  # a hang fails the test; a normal run takes seconds

_CAPPED = (
    "import resource, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({CAP}, {CAP}))\n"
    "from satudata_cli.cli import main\n"
    "sys.argv = ['satudata', *sys.argv[1:]]\n"
    "main()\n"
)


def capped(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess limited to 1 GiB of address space."""
    result = subprocess.run(
        [sys.executable, "-c", _CAPPED, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=TIMEOUT,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-3000:]
    assert "internal error" not in result.stderr, result.stderr[-3000:]
    return result


def query(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [tuple(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def jobs(db: Path) -> dict[str, tuple[Any, ...]]:
    """source -> (status, added, errored, error) of its last job."""
    rows = query(
        db, "SELECT source_id, status, added, errored, error FROM harvest_jobs ORDER BY id"
    )
    return {row[0]: row[1:] for row in rows}


def errored_events(db: Path) -> list[tuple[str, str]]:
    return [
        (str(rid), str(msg))
        for rid, msg in query(
            db, "SELECT remote_id, message FROM harvest_events WHERE kind = 'errored'"
        )
    ]


def stored_ids(db: Path, source_id: str) -> set[str]:
    return {
        r[0] for r in query(db, "SELECT remote_id FROM datasets WHERE source_id = ?", source_id)
    }


def findings(report: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(source, rule, path, message) of every finding in a JSON validation report."""
    return [
        (result["source"], f["rule"], f["path"], f["message"])
        for result in report["results"]
        for f in result["findings"]
    ]


def good_record(name: str) -> dict[str, Any]:
    return {"name": name, "title": f"Dataset {name}", "organization": "Pemerintah Kota Medan"}


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "satudata.db", tmp_path / "harvest_configs")


# ------------------------------------------------------------------ workbooks (defect 1)

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEADER_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>title</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>dataset-satu</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>Dataset satu</t></is></c></row>'
)


def _sheet(rows: str) -> str:
    return (
        f'<?xml version="1.0"?><worksheet xmlns="{_NS}"><sheetData>{rows}</sheetData></worksheet>'
    )


def write_workbook(path: Path, sheets: dict[str, str | Iterable[bytes]]) -> Path:
    """An XLSX written part by part (no library that would fix or refuse what a bomb
    does); a sheet given as byte pieces is streamed into the zip."""
    names = list(sheets)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            f'sheet.main+xml"/>{overrides}</Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>{entries}'
            "</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">{rels}</Relationships>',
        )
        for i, content in enumerate(sheets.values(), start=1):
            member = f"xl/worksheets/sheet{i}.xml"
            if isinstance(content, str):
                book.writestr(member, content)
            else:
                with book.open(member, "w", force_zip64=True) as out:
                    for piece in content:
                        out.write(piece)
    return path


def huge_sheet(total: int) -> Iterator[bytes]:
    """``total`` bytes of worksheet XML: a header, then rows of one cell each."""
    yield f'<?xml version="1.0"?><worksheet xmlns="{_NS}"><sheetData>{_HEADER_ROWS}'.encode()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    block = row * (1024 * 1024 // len(row))
    for _ in range(total // len(block)):
        yield block
    yield b"</sheetData></worksheet>"


@pytest.fixture(scope="module")
def gib_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A zip of about 3 MB holding a 1 GiB worksheet (built once for the module)."""
    path = tmp_path_factory.mktemp("gib") / "gib.xlsx"
    return write_workbook(path, {"Daftar": huge_sheet(1 << 30)})


FAR_CELLS = {
    "XFD1048576": '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "Z1000000": '<row r="1000000"><c r="Z1000000"><v>1</v></c></row>',
}


@pytest.mark.parametrize("corner", list(FAR_CELLS))
def test_xlsx_one_far_cell_is_a_finding_in_bounded_memory(tmp_path: Path, corner: str) -> None:
    """defect 1: XLSX with one cell at XFD1048576 (and at Z1000000): a 4.8 KB workbook
    that made the reader allocate hundreds of GiB and abort."""
    bomb = write_workbook(
        tmp_path / "bom.xlsx", {"Daftar": _sheet(_HEADER_ROWS + FAR_CELLS[corner])}
    )
    good = tmp_path / "baik.json"
    good.write_text(json.dumps(good_record("dataset-baik")), encoding="utf-8")
    assert bomb.stat().st_size < 5000
    result = capped("validate", bomb, good, "--format", "json", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    bad = [f for f in findings(report) if f[0].endswith("bom.xlsx")]
    assert len(bad) == 1
    assert bad[0][1] == "file.unreadable"
    assert f"its cells reach {corner}" in bad[0][3] and "Sheet 'Daftar' is too large" in bad[0][3]
    # the other file was still checked
    assert [r["record"] for r in report["results"] if r["source"].endswith("baik.json")] == [
        "dataset-baik"
    ]


def test_xlsx_zip_holding_a_gib_sheet_is_a_finding(tmp_path: Path, gib_workbook: Path) -> None:
    """defect 1: a small zip holding a huge (1 GiB) sheet is refused by its unpacked size,
    in bounded memory (the finding names both sizes; the message is bilingual)."""
    assert gib_workbook.stat().st_size < 8 * 1024 * 1024
    for lang, words in (("en", "is too large unpacked"), ("id", "terlalu besar setelah dibuka")):
        result = capped("validate", gib_workbook, "--format", "json", "--lang", lang, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        (finding,) = findings(json.loads(result.stdout))
        assert finding[1] == "file.unreadable" and words in finding[3]


def test_xlsx_cells_without_references_are_placed_and_bounded(tmp_path: Path) -> None:
    """defect 1: cells without an r="A1" reference (placed by position, as some
    generators write them) are counted exactly: a far row and a wide row still make a
    sheet too large."""
    wide = "<row>" + "<c><v>1</v></c>" * 16384 + "</row>"
    rows = _HEADER_ROWS + '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>' + wide
    # the wide row follows row 1048576: it is row 1048577 to calamine, beyond Excel's last
    bomb = write_workbook(
        tmp_path / "tanpa-r.xlsx", {"Daftar": _sheet(rows.replace(wide, "") + wide)}
    )
    result = capped("validate", bomb, "--format", "json", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    (finding,) = findings(json.loads(result.stdout))
    assert finding[1] == "file.unreadable" and "is too large" in finding[3]


def test_xlsx_bomb_in_a_directory_source_is_one_errored_record(tmp_path: Path) -> None:
    """defect 1: a workbook bomb among a directory source's files is one errored record;
    the job goes on and stores the good files (a harvest --all of two sources)."""
    cfg = tmp_path / "harvest_configs"
    folder = cfg / "data" / "opd"
    folder.mkdir(parents=True)
    write_workbook(folder / "bom.xlsx", {"Daftar": _sheet(_HEADER_ROWS + FAR_CELLS["XFD1048576"])})
    (folder / "baik.json").write_text(json.dumps(good_record("dataset-baik")), encoding="utf-8")
    other = cfg / "data" / "lain"
    other.mkdir(parents=True)
    (other / "lain.json").write_text(json.dumps(good_record("dataset-lain")), encoding="utf-8")
    write_source(cfg, "opd", type="directory", path="data/opd")
    write_source(cfg, "lain", type="directory", path="data/lain")
    db = tmp_path / "satudata.db"
    result = capped("--db", db, "--config-dir", cfg, "harvest", "--all", cwd=tmp_path)
    assert result.returncode == 3, result.stderr  # a record failed, the rest was stored
    status = jobs(db)
    assert status["opd"][:3] == ("finished", 1, 1)
    assert status["lain"][:3] == ("finished", 1, 0)
    assert stored_ids(db, "opd") == {"dataset-baik"}
    ((where, message),) = errored_events(db)
    assert where == "bom.xlsx" and "XFD1048576" in message


def test_xlsx_bomb_sheet_in_a_spreadsheet_source(tmp_path: Path) -> None:
    """defect 1: in a spreadsheet source, a sheet over the limits is an errored record
    and the rows of the other sheets are stored; a workbook with nothing else fails
    that source's job with a clear message while the other sources are stored."""
    cfg = tmp_path / "harvest_configs"
    cfg.mkdir()
    two = write_workbook(
        tmp_path / "dua.xlsx",
        {"Daftar": _sheet(_HEADER_ROWS), "Lampiran": _sheet(_HEADER_ROWS + FAR_CELLS["Z1000000"])},
    )
    one = write_workbook(
        tmp_path / "satu.xlsx", {"Daftar": _sheet(_HEADER_ROWS + FAR_CELLS["XFD1048576"])}
    )
    write_source(cfg, "dua", type="spreadsheet", path=str(two))
    write_source(cfg, "satu", type="spreadsheet", path=str(one))
    db = tmp_path / "satudata.db"
    result = capped("--db", db, "--config-dir", cfg, "harvest", "--all", cwd=tmp_path)
    assert result.returncode == 3, result.stderr  # one source failed, one stored
    status = jobs(db)
    assert status["dua"][:3] == ("finished", 1, 1)
    assert stored_ids(db, "dua") == {"dataset-satu"}
    ((where, message),) = errored_events(db)
    assert where == "#Lampiran" and "Sheet 'Lampiran' is too large" in message
    assert status["satu"][0] == "failed"
    assert "Sheet 'Daftar' is too large: its cells reach XFD1048576" in status["satu"][3]


def test_xlsx_gib_sheet_in_a_spreadsheet_source_fails_its_job_only(
    tmp_path: Path, gib_workbook: Path
) -> None:
    """defect 1: a small zip holding a huge sheet, harvested as a spreadsheet source: a
    failed job with the sizes, no abort, and the other sources are stored."""
    cfg = tmp_path / "harvest_configs"
    (cfg / "data").mkdir(parents=True)
    (cfg / "data" / "a.json").write_text(json.dumps(good_record("dataset-a")), encoding="utf-8")
    write_source(cfg, "gib", type="spreadsheet", path=str(gib_workbook))
    write_source(cfg, "lain", type="directory", path="data")
    db = tmp_path / "satudata.db"
    result = capped("--db", db, "--config-dir", cfg, "harvest", "--all", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    status = jobs(db)
    assert status["gib"][0] == "failed" and "too large unpacked" in status["gib"][3]
    assert status["lain"][:3] == ("finished", 1, 0)


def _lie_about_size(path: Path, member: str, declared: int) -> None:
    """Rewrite the unpacked size the zip declares for ``member`` (local header and
    central directory), leaving its data as it is: a zip that lies."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as book:
        info = book.getinfo(member)
        start = book.start_dir  # type: ignore[attr-defined]
    data[info.header_offset + 22 : info.header_offset + 26] = declared.to_bytes(4, "little")
    position = start
    while data[position : position + 4] == b"PK\x01\x02":
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        extra = int.from_bytes(data[position + 30 : position + 32], "little")
        comment = int.from_bytes(data[position + 32 : position + 34], "little")
        if data[position + 46 : position + 46 + name_length].decode() == member:
            data[position + 24 : position + 28] = declared.to_bytes(4, "little")
        position += 46 + name_length + extra + comment
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("member", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_xlsx_zip_lying_about_a_size_is_refused(cli: Cli, tmp_path: Path, member: str) -> None:
    """defect 1: a zip that declares a small unpacked size for a part holding far more
    (the shared strings calamine unpacks on opening, or a sheet) is refused before
    calamine reads it: Python's zipfile stops at the declared size and the part fails
    its CRC check."""
    big = "".join(f"<si><t>nilai {i}</t></si>" for i in range(200_000))
    path = write_workbook(tmp_path / "bohong.xlsx", {"Daftar": _sheet(_HEADER_ROWS * 2000)})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{_NS}">{big}</sst>'
        )
    _lie_about_size(path, member, 1000)
    result = cli("validate", path, "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    (finding,) = findings(json.loads(result.stdout))
    assert finding[1] == "file.unreadable"
    if member == "xl/sharedStrings.xml":
        assert "part 'xl/sharedStrings.xml' does not hold what its zip declares" in finding[3]
    else:
        assert "Sheet 'Daftar' cannot be read" in finding[3]


def test_xlsx_zip_of_too_many_parts_is_refused_from_its_end_record(
    cli: Cli, tmp_path: Path
) -> None:
    """defect 1: a workbook zip declaring tens of thousands of parts (a 200 MB zip of
    empty parts would be millions, one Python object each) is refused from the count in
    its end record, before the zip's directory is read."""
    path = write_workbook(tmp_path / "banyak.xlsx", {"Daftar": _sheet(_HEADER_ROWS)})
    with zipfile.ZipFile(path, "a") as book:
        for i in range(10_001):
            book.writestr(f"x/{i}", b"")
    result = cli("validate", path, "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    (finding,) = findings(json.loads(result.stdout))
    assert finding[1] == "file.unreadable" and "its zip declares 10006 parts" in finding[3]


# ------------------------------------------------------------ impossible dates (defect 2)

IMPOSSIBLE_DATES = ["2025-02-29", "0000-01-01", "2025-01-01 24:00:00", "2025-13-01"]


@pytest.mark.parametrize("value", IMPOSSIBLE_DATES)
def test_impossible_yaml_date_in_validate_is_a_finding(
    cli: Cli, tmp_path: Path, value: str
) -> None:
    """defect 2: an impossible unquoted YAML date (2025-02-29, 0000-01-01, hour 24, month
    13) in a file given to validate: the value stays text and is judged (tanggal.invalid);
    the JSON report is whole and the other documents are checked."""
    path = tmp_path / "tanggal.yaml"
    path.write_text(
        f"name: dataset-a\ntitle: A\ntanggal_dibuat: {value}\n---\nname: dataset-b\ntitle: B\n",
        encoding="utf-8",
    )
    result = cli("validate", path, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [r["record"] for r in report["results"]] == ["dataset-a", "dataset-b"]
    assert ("tanggal.invalid", "$.tanggal_dibuat") in {(f[1], f[2]) for f in findings(report)}


def test_impossible_yaml_date_in_a_directory_source(cli: Cli, tmp_path: Path) -> None:
    """defect 2: an impossible unquoted YAML date in a directory source: the file's record
    is stored with its finding and the good files are stored too (no traceback)."""
    data = cli.cfg / "data"
    data.mkdir(parents=True)
    (data / "a.yaml").write_text("name: dataset-a\ntitle: A\ntanggal_dibuat: 2025-02-29\n")
    (data / "b.json").write_text(json.dumps(good_record("dataset-b")), encoding="utf-8")
    write_source(cli.cfg, "opd", type="directory", path="data")
    result = cli("harvest", "--all")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert jobs(cli.db)["opd"][:3] == ("finished", 2, 0)
    assert stored_ids(cli.db, "opd") == {"dataset-a", "dataset-b"}
    rules = query(
        cli.db,
        "SELECT f.rule, f.path FROM validation_findings f JOIN datasets d ON d.id = f.dataset_id "
        "WHERE d.remote_id = 'dataset-a' AND f.rule = 'tanggal.invalid'",
    )
    assert rules == [("tanggal.invalid", "$.tanggal_dibuat")]


@pytest.mark.parametrize("value", IMPOSSIBLE_DATES)
def test_impossible_yaml_date_in_source_defaults_is_a_config_error(cli: Cli, value: str) -> None:
    """defect 2: an impossible unquoted YAML date in a source config's defaults: a config
    error with FILE:LINE and exit 2, not exit 70."""
    cli.cfg.mkdir(parents=True)
    path = cli.cfg / "opd.yaml"
    path.write_text(
        f"id: opd\ntype: directory\npath: data\ndefaults:\n  tanggal_dibuat: {value}\n",
        encoding="utf-8",
    )
    result = cli("sources", "list")
    assert result.exit_code == 2
    assert f"{path}:5: defaults.tanggal_dibuat: not a date that exists" in " ".join(
        result.stderr.split()
    )


# ------------------------------------------------------ values that cannot be stored (defect 3)

BAD_JSON = {
    "1e400": '{"name": "dataset-inf", "title": "Inf", "tahun": 1e400}',
    "surrogate": '{"name": "dataset-sur", "title": "Judul \\ud83d"}',
}
BAD_YAML = {
    ".inf": "name: dataset-inf\ntitle: Inf\ntahun: .inf\n",
    ".nan": "name: dataset-nan\ntitle: NaN\nluas: .nan\n",
    "!!binary": "name: dataset-bin\ntitle: Bin\nlampiran: !!binary aGVsbG8=\n",
}
WHY = {
    "1e400": ("$.tahun", "a number out of range (infinite"),
    "surrogate": ("$.title", "lone surrogate"),
    ".inf": ("$.tahun", "a number out of range (infinite"),
    ".nan": ("$.luas", "not a number (NaN)"),
    "!!binary": ("$.lampiran", "binary data (!!binary)"),
}


def bad_files(folder: Path) -> dict[str, Path]:
    """One file per kind of unstorable value (JSON, JSON Lines, YAML), each with a good
    record beside the bad one, plus one file of good records only."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for kind, text in BAD_JSON.items():
        name = kind.strip("!.")
        good = json.dumps(good_record(f"ok-{name}-json"))
        files[f"{kind} json"] = folder / f"{name}.json"
        files[f"{kind} json"].write_text(f"[{good}, {text}]", encoding="utf-8")
        good_line = json.dumps(good_record(f"ok-{name}-jsonl"))
        files[f"{kind} jsonl"] = folder / f"{name}.jsonl"
        files[f"{kind} jsonl"].write_text(f"{good_line}\n{text}\n", encoding="utf-8")
    for kind, text in BAD_YAML.items():
        name = kind.strip("!.")
        good = yaml.safe_dump(good_record(f"ok-{name}-yaml"))
        files[f"{kind} yaml"] = folder / f"{name}.yaml"
        files[f"{kind} yaml"].write_text(f"{good}---\n{text}", encoding="utf-8")
    return files


def test_unstorable_values_in_validate_are_findings(cli: Cli, tmp_path: Path) -> None:
    """defect 3: a value that cannot be stored (1e400, YAML .inf/.nan, !!binary, a lone
    surrogate "\\ud800") in JSON, JSON Lines and YAML files given to validate: one
    file.bad-value finding naming the path, the good records beside it checked, every
    output format whole."""
    files = bad_files(tmp_path / "berkas")
    result = cli("validate", tmp_path / "berkas", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    bad = {(Path(f[0]).name, f[2]): f[3] for f in findings(report) if f[1] == "file.bad-value"}
    assert len(bad) == len(files)
    for label, path in files.items():
        where, why = WHY[label.split()[0]]
        assert why in bad[(path.name, where)], (label, bad)
    checked = {r["record"] for r in report["results"]}
    assert {f"ok-{label.split()[0].strip('!.')}-{label.split()[1]}" for label in files} <= checked
    for output in ("text", "junit", "sarif", "github"):
        result = cli("validate", tmp_path / "berkas", "--format", output, "--lang", "id")
        assert result.exit_code == 1, (output, result.stdout)
        assert "file.bad-value" in result.stdout


def test_unstorable_values_in_a_directory_source_are_errored_records(cli: Cli) -> None:
    """defect 3: values that cannot be stored in a directory source, on a fresh
    catalogue: each such record is one errored record with a clear message, the job
    goes on and every other record is stored."""
    files = bad_files(cli.cfg / "data")
    write_source(cli.cfg, "opd", type="directory", path="data")
    result = cli("harvest", "--all")
    assert result.exit_code == 3, result.stdout + result.stderr  # records failed, rest stored
    status, added, errored, error = jobs(cli.db)["opd"]
    assert (status, added, errored, error) == ("finished", len(files), len(files), None)
    assert len(stored_ids(cli.db, "opd")) == len(files)
    messages = " ".join(message for _, message in errored_events(cli.db))
    for why in ("infinite", "NaN", "binary data", "lone surrogate"):
        assert why in messages


def _datajson(datasets: str) -> bytes:
    return (
        '{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": ['
        + datasets
        + "]}"
    ).encode()


def _dcat_us(identifier: str, extra: str = "") -> str:
    return (
        f'{{"identifier": "{identifier}", "title": "Dataset {identifier}"{extra}, '
        '"description": "Uraian", "publisher": {"name": "Pemerintah Kota Medan"}, '
        '"modified": "2026-01-02", "accessLevel": "public", "keyword": ["a"]}'
    )


def test_unstorable_values_from_a_datajson_source_over_http(tmp_path: Path, cli: Cli) -> None:
    """defect 3: a data.json served on 127.0.0.1 with a number that overflows (1e400) and a
    lone surrogate ("\\ud800"): two errored records, the job goes on and the rest is
    stored, on a fresh catalogue."""
    body = _datajson(
        ", ".join(
            [
                _dcat_us("ds-1"),
                _dcat_us("ds-inf", ', "tahun": 1e400'),
                _dcat_us("ds-2"),
                _dcat_us("ds-sur").replace("Dataset ds-sur", "Judul \\ud800 terpotong"),
                _dcat_us("ds-3"),
            ]
        )
    )
    with StaticFixture({"/data.json": (body, "application/json")}) as server:
        write_source(cli.cfg, "dj", type="datajson", url=f"{server.url}/data.json")
        result = cli("harvest", "--all")
    assert result.exit_code == 3, result.stdout + result.stderr  # records failed, rest stored
    assert jobs(cli.db)["dj"][:3] == ("finished", 3, 2)
    assert stored_ids(cli.db, "dj") == {"ds-1", "ds-2", "ds-3"}
    errors = dict(errored_events(cli.db))
    assert "infinite" in errors["ds-inf"] and "lone surrogate" in errors["ds-sur"]


def test_unstorable_values_from_a_jsonapi_source_over_http(tmp_path: Path, cli: Cli) -> None:
    """defect 3: a home-grown JSON API on 127.0.0.1 returning 1e400 and "\\ud83d" (an
    emoji cut in half) in two of its records: two errored records, the rest stored."""
    items = [
        '{"id": "a", "judul": "A"}',
        '{"id": "b", "judul": "B", "luas": 1e400}',
        '{"id": "c", "judul": "C \\ud83d"}',
        '{"id": "d", "judul": "D"}',
    ]
    body = ('{"result": [' + ", ".join(items) + "]}").encode()
    with StaticFixture({"/api/datasets": (body, "application/json")}) as server:
        write_source(
            cli.cfg,
            "api",
            type="jsonapi",
            url=f"{server.url}/api/datasets",
            jsonapi={
                "records": "result",
                "id": "id",
                "fields": {"title": "judul", "tahun": "luas"},
            },
        )
        result = cli("harvest", "--all")
    assert result.exit_code == 3, result.stdout + result.stderr  # records failed, rest stored
    assert jobs(cli.db)["api"][:3] == ("finished", 2, 2)
    assert stored_ids(cli.db, "api") == {"a", "d"}


def test_lone_surrogate_from_a_ckan_source(cli: Cli) -> None:
    """defect 3: a CKAN portal whose title is cut inside an emoji ("\\ud83d", the case that
    ended with a traceback): one errored record, the other packages stored."""
    packages = make_packages(5, seed=16)
    packages[2]["title"] = "Jumlah Penduduk \ud83d"
    with CkanFixture(datasets=packages) as ckan:
        write_source(cli.cfg, "ckan", type="ckan", url=ckan.url)
        result = cli("harvest", "--all")
    assert result.exit_code == 3, result.stdout + result.stderr  # records failed, rest stored
    status = jobs(cli.db)["ckan"]
    assert status[:3] == ("finished", 4, 1)
    ((remote_id, message),) = errored_events(cli.db)
    assert remote_id == packages[2]["id"] and "$.title" in message and "lone surrogate" in message
    assert packages[2]["id"] not in stored_ids(cli.db, "ckan")


def test_lone_surrogate_in_a_remote_id_is_stored_as_its_escape(cli: Cli) -> None:
    """defect 3: a lone surrogate in the dataset's id itself: the errored event keeps the
    id as its escape (\\ud83d) so the event row can be written."""
    data = cli.cfg / "data"
    data.mkdir(parents=True)
    (data / "a.json").write_text(
        '[{"name": "ok-a", "title": "A"}, {"name": "id-\\ud83d", "title": "B"}]',
        encoding="utf-8",
    )
    write_source(cli.cfg, "opd", type="directory", path="data")
    result = cli("harvest", "--all")
    assert result.exit_code == 3, result.stdout + result.stderr  # records failed, rest stored
    assert jobs(cli.db)["opd"][:3] == ("finished", 1, 1)


def test_lone_surrogate_in_a_portal_error_is_stored_with_the_failed_job(cli: Cli) -> None:
    """defect 3: a lone surrogate in text a portal sends back (a CKAN error message) that
    ends in the job's error: the job is failed with that text kept as its escape, not
    an internal error."""
    body = b'{"success": false, "error": {"message": "Akses ditolak \\ud83d", "__type": "x"}}'
    actions = ("package_search", "package_list", "current_package_list_with_resources")
    files = {f"/api/3/action/{action}": (body, "application/json") for action in actions}
    with StaticFixture(files) as server:
        write_source(cli.cfg, "ckan", type="ckan", url=server.url, http={"retries": 0})
        result = cli("harvest", "--all")
    assert result.exit_code == 5, result.stdout + result.stderr  # the only source failed
    status, _, _, error = jobs(cli.db)["ckan"]
    assert status == "failed" and "Akses ditolak \\ud83d" in error


# --------------------------------------------------------------------- config bombs (defect 11)


def laughs(levels: int = 9) -> str:
    """A "billion laughs" alias bomb of about 400 bytes: 9 levels of 9 aliases."""
    lines = ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def nested(depth: int = 5000) -> str:
    return "[" * depth + "]" * depth


CONFIG_BOMBS = {
    "source": ("sources", "list"),
    "target": ("publish", "{file}", "--dry-run"),
    "profile": ("validate", "{record}", "--profile", "{file}"),
}


def _config_file(kind: str, folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    heads = {
        "source": "id: bom\ntype: directory\npath: data\ndefaults:\n",
        "target": "id: bom\nurl: https://ckan.example.go.id\ntoken_env: SATUDATA_X\nextras:\n",
        "profile": "name: bom\nextends: sdi-dasar\nvocabularies:\n",
    }
    path = folder / f"{kind}.yaml"
    path.write_text(heads[kind] + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", list(CONFIG_BOMBS))
@pytest.mark.parametrize("bomb", ["laughs", "brackets"])
def test_config_bombs_are_refused_with_file_and_line(tmp_path: Path, kind: str, bomb: str) -> None:
    """defect 11: config bombs: a 400-byte YAML alias bomb ("billion laughs") and 5,000
    nested brackets in a source, target or profile file are refused with FILE:LINE and
    exit 2, in bounded memory, before any object is built."""
    body = laughs() if bomb == "laughs" else f"  x: {nested()}\n"
    cfg = tmp_path / "harvest_configs"
    folder = cfg if kind == "source" else tmp_path / kind
    path = _config_file(kind, folder, body)
    if bomb == "laughs":
        assert len(body) < 500
    record = tmp_path / "r.json"
    record.write_text(json.dumps(good_record("dataset-a")), encoding="utf-8")
    args = [a.format(file=path, record=record) for a in CONFIG_BOMBS[kind]]
    result = capped("--db", tmp_path / "k.db", "--config-dir", cfg, *args, cwd=tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    message = " ".join(result.stderr.split())
    expected = (
        "aliases (*) expand to more than"
        if bomb == "laughs"
        else f"nested more than {MAX_DEPTH} levels"
    )
    assert f"{path}:" in message and expected in message, message


@pytest.mark.parametrize("bomb", ["laughs", "brackets"])
def test_yaml_bombs_in_metadata_files(cli: Cli, tmp_path: Path, bomb: str) -> None:
    """defect 11: the same bombs in a metadata file: a finding for validate, one errored
    record in a directory source whose good files are stored."""
    text = "name: bom\nx:\n" + laughs() if bomb == "laughs" else f"name: bom\nx: {nested()}\n"
    data = cli.cfg / "data"
    data.mkdir(parents=True)
    (data / "bom.yaml").write_text(text, encoding="utf-8")
    (data / "baik.json").write_text(json.dumps(good_record("dataset-baik")), encoding="utf-8")
    result = cli("validate", data, "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    (finding,) = [f for f in findings(json.loads(result.stdout)) if f[0].endswith("bom.yaml")]
    assert finding[1] == "file.unreadable" and finding[3].startswith("YAML refused:")
    write_source(cli.cfg, "opd", type="directory", path="data")
    result = cli("harvest", "--all")
    assert result.exit_code == 3, result.stdout + result.stderr  # records failed, rest stored
    assert jobs(cli.db)["opd"][:3] == ("finished", 1, 1)
    assert stored_ids(cli.db, "opd") == {"dataset-baik"}


def test_yaml_merge_keys_still_work_and_alias_cycles_are_refused(cli: Cli) -> None:
    """defect 11: bounding aliases keeps what configuration files use them for (a merge
    key, <<: *base) and refuses an alias inside the value it names (&a [*a])."""
    cli.cfg.mkdir(parents=True)
    (cli.cfg / "opd.yaml").write_text(
        "id: opd\ntype: directory\npath: data\n"
        "x-base: &base {walidata: Diskominfo Kota Medan}\n"
        "defaults:\n  <<: *base\n  produsen_data: Dinas Kesehatan\n",
        encoding="utf-8",
    )
    result = cli("sources", "list")
    assert result.exit_code == 2  # x-base is an unknown key, named with its line ...
    assert "opd.yaml:4: x-base: unknown key" in " ".join(result.stderr.split())
    (cli.cfg / "opd.yaml").write_text(
        "id: opd\ntype: directory\npath: data\n"
        "defaults: &base\n  walidata: Diskominfo Kota Medan\n"
        "mapping:\n  <<: {judul: title}\n",
        encoding="utf-8",
    )
    assert cli("sources", "list").exit_code == 0  # ... and merge keys themselves load
    (cli.cfg / "opd.yaml").write_text(
        "id: opd\ntype: directory\npath: data\ndefaults: &a {x: [*a]}\n", encoding="utf-8"
    )
    result = cli("sources", "list")
    assert result.exit_code == 2
    assert "opd.yaml:4: refused: an alias (*) refers to the value that contains it" in " ".join(
        result.stderr.split()
    )


def test_yaml_scalar_a_tag_cannot_build_is_a_config_error_without_its_value(cli: Cli) -> None:
    """defect 2 (the class): a scalar PyYAML's constructor raises on (!!int abc,
    !!bool maybe, !!timestamp soon in a config) is a config error with FILE:LINE that
    never echoes the value (it could be a misplaced secret)."""
    cli.cfg.mkdir(parents=True)
    for tagged in ("!!int s3cr3t-abc", "!!bool s3cr3t-abc", "!!float s3cr3t-abc"):
        (cli.cfg / "opd.yaml").write_text(
            f"id: opd\ntype: directory\npath: data\ndefaults:\n  tahun: {tagged}\n",
            encoding="utf-8",
        )
        result = cli("sources", "list")
        assert result.exit_code == 2
        message = " ".join(result.stderr.split())
        assert "opd.yaml:5: not valid YAML: cannot read this value as" in message
        assert "s3cr3t" not in result.stdout + result.stderr


# ----------------------------------------------------------------- validate --format text speed


class _Counting(io.StringIO):
    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def _text_output(tmp_path: Path, documents: int, color: Color) -> tuple[int, int, str]:
    """(writes, rich renders, output) of validate --format text on ``documents`` YAML
    documents of two fields each (17 findings per record)."""
    path = tmp_path / f"docs-{documents}.yaml"
    path.write_text(
        "".join(f"---\nname: ds-{i}\ntitle: Dataset {i}\n" for i in range(documents)),
        encoding="utf-8",
    )
    run = build_validate_run([str(path)])
    out = _Counting()
    formatter = TextFormatter(out, lang="en", tool_version="test", color=color)
    renders = 0
    original = formatter.console.render

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal renders
        renders += 1
        return original(*args, **kwargs)

    formatter.console.render = counted  # type: ignore[method-assign]
    run.execute(formatter.result)
    return out.writes, renders, out.getvalue()


@pytest.mark.parametrize("color", [Color.never, Color.always])
def test_validate_text_output_costs_a_constant_per_record(tmp_path: Path, color: Color) -> None:
    """validate --format text at about 150 records/s on a 20,000-document YAML file: each
    record was a rich Table whose every cell was measured and rendered (about 70 renders
    for a record of 17 findings). Now one block per record: exactly one write (and, with
    colours, one render) per record whatever its findings, so the cost of a run grows
    with its records only."""
    writes_200, renders_200, text_200 = _text_output(tmp_path, 200, color)
    writes_400, renders_400, text_400 = _text_output(tmp_path, 400, color)
    assert (writes_200, writes_400) == (200, 400)
    assert (renders_200, renders_400) == ((200, 400) if color is Color.always else (0, 0))
    assert text_400.count("field.required") == 2 * text_200.count("field.required") == 2 * 7 * 200
