"""The command line, end to end: typer's CliRunner, plus the real entry points.

Every test checks stdout, stderr and the exit code separately: reports go to stdout
(or ``--output``), people's messages to stderr, and the exit code is the contract
of the README's table.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import sysconfig
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import typer
from typer.testing import CliRunner, Result

from satudata_cli import __version__
from satudata_cli.cli import app
from satudata_cli.cli import main as cli_main
from satudata_cli.cli.text import TextFormatter
from satudata_cli.standard import formats
from satudata_cli.standard.schema import load_standard

ROOT = Path(__file__).resolve().parents[2]
MEDAN = ROOT / "harvest_configs" / "data" / "medan"
README = "\n".join(
    p.read_text("utf-8") for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
)
REPORT_SCHEMA = json.loads(
    (ROOT / "schemas" / "validation-report.schema.json").read_text(encoding="utf-8")
)
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.json").read_text("utf-8"))
AS_OF = "2026-11-28"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# A complete record under sdi-dasar: no finding at all as of AS_OF.
VALID_RECORD: dict[str, Any] = {
    "name": "jumlah-puskesmas-kota-medan",
    "title": "Jumlah Puskesmas menurut Kecamatan di Kota Medan",
    "notes": "Jumlah puskesmas rawat inap dan non rawat inap per kecamatan.",
    "organization": "Dinas Kesehatan Kota Medan",
    "produsen_data": "Bidang Pelayanan Kesehatan, Dinas Kesehatan Kota Medan",
    "konsep": "Puskesmas",
    "definisi": "Fasilitas pelayanan kesehatan tingkat pertama.",
    "satuan": "unit",
    "jadwal_pemutakhiran": "tahunan",
    "tanggal_dibuat": "2021-03-15",
    "tanggal_diperbarui": "2026-02-10",
    "format": ["csv"],
    "link_akses": "https://data.pemkomedan.go.id/dataset/jumlah-puskesmas-kota-medan",
    "klasifikasi_akses": "terbuka",
    "level_penyajian": "kecamatan",
    "kode_wilayah": "12.71",
    "kontak": "data.dinkes@pemkomedan.go.id",
    "tags": ["kesehatan"],
    "license_id": "cc-by",
}


# --------------------------------------------------------------------------- helpers


def invoke(
    *args: str | Path,
    input: str | bytes | None = None,
    env: dict[str, str | None] | None = None,
) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], input=input, env=env)


def assert_no_crash(result: Result) -> None:
    """No traceback, no escaped exception, and an exit code of the validate contract."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in {0, 1, 2}, (result.exit_code, result.stderr)


def assert_one_error_line(stderr: str, *fragments: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("satudata: error:"), stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, stderr)


def squash(text: str) -> str:
    """Text with box drawing and line wrapping removed, for finding a message in it."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def write_record(path: Path, record: dict[str, Any]) -> Path:
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


def without(record: dict[str, Any], *fields: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in fields}


def report(result: Result) -> dict[str, Any]:
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    return data


def sarif_errors(document: Any) -> list[str]:
    cls = jsonschema.validators.validator_for(SARIF_SCHEMA)
    cls.check_schema(SARIF_SCHEMA)
    validator = cls(SARIF_SCHEMA, format_checker=cls.FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(document)]


def walk_commands(
    command: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk_commands(sub, (*path, name))


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """One valid file and four broken ones, as agencies really hand them over."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_record(folder / "a-valid.json", VALID_RECORD)
    (folder / "b-broken.json").write_text('{"title": "Jumlah",\n  "name": }\n', encoding="utf-8")
    (folder / "c-latin1.json").write_bytes(b'{"title": "Kepadatan Penduduk per km\xb2"}')
    (folder / "d-empty.json").write_bytes(b"")
    openpyxl.Workbook().save(folder / "e-no-header.xlsx")
    return folder


# --------------------------------------------------------------------------- validate: example


def test_validate_example_folder() -> None:
    result = invoke("validate", MEDAN)
    assert result.exit_code == 0, result.stdout
    assert result.stderr == ""
    assert "Summary: 8 records in 4 files: 8 valid, 0 invalid" in result.stdout
    assert not ANSI.search(result.stdout)


def test_validate_example_folder_relative_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """What scripts/demo.sh runs, from the project root."""
    monkeypatch.chdir(ROOT)
    result = invoke("validate", "harvest_configs/data/medan", "--profile", "sdi-dasar")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "harvest_configs/data/medan/dinas-kesehatan.json" in result.stdout
    assert "8 records" in result.stdout


def test_validate_lang_id() -> None:
    result = invoke("validate", MEDAN, "--lang", "id", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Ringkasan: 8 rekaman dari 4 berkas" in result.stdout
    assert "PERINGATAN" in result.stdout
    assert "Summary" not in result.stdout
    assert "WARNING" not in result.stdout


def test_validate_lang_en() -> None:
    result = invoke("validate", MEDAN, "--lang", "en", "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Summary: 8 records in 4 files" in result.stdout
    assert "WARNING" in result.stdout
    assert "Ringkasan" not in result.stdout
    assert "rekaman" not in result.stdout


@pytest.mark.parametrize(
    ("env", "word", "absent"),
    [
        ({"LANG": "id_ID.UTF-8"}, "Ringkasan", "Summary"),
        ({"LANG": "en_US.UTF-8"}, "Summary", "Ringkasan"),
        ({"LANG": "en_US"}, "Summary", "Ringkasan"),
        ({"LANG": "C"}, "Summary", "Ringkasan"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "id_ID.UTF-8"}, "Ringkasan", "Summary"),
        ({"LANG": "id_ID.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "Summary", "Ringkasan"),
        ({"LANG": "en_US.UTF-8", "SATUDATA_LANG": "id"}, "Ringkasan", "Summary"),
    ],
    ids=["LANG=id", "LANG=en_US.UTF-8", "LANG=en_US", "LANG=C", "LC_ALL", "LC_MESSAGES", "env"],
)
def test_validate_language_from_environment(
    env: dict[str, str | None], word: str, absent: str
) -> None:
    result = invoke("validate", MEDAN, env=env)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert word in result.stdout
    assert absent not in result.stdout


def test_lang_option_beats_environment() -> None:
    result = invoke("validate", MEDAN, "--lang", "en", env={"LANG": "id_ID.UTF-8"})
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Summary" in result.stdout


# --------------------------------------------------------------------------- validate: exit codes


def test_exit_1_for_an_invalid_record(tmp_path: Path) -> None:
    path = write_record(tmp_path / "tanpa-judul.json", without(VALID_RECORD, "title"))
    result = invoke("validate", path, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "field.required" in result.stdout
    assert "$.title" in result.stdout
    assert "1 invalid" in result.stdout


def test_exit_0_for_a_valid_record(tmp_path: Path) -> None:
    path = write_record(tmp_path / "lengkap.json", VALID_RECORD)
    result = invoke("validate", path, "--as-of", AS_OF, "-v")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "1 records in 1 files: 1 valid, 0 invalid; 0 errors, 0 warnings, 0 infos" in (
        result.stdout
    )


def test_exit_0_for_warnings_only(tmp_path: Path) -> None:
    path = write_record(tmp_path / "tanpa-deskripsi.json", without(VALID_RECORD, "notes"))
    result = invoke("validate", path, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "field.recommended" in result.stdout
    assert "0 errors, 1 warnings" in result.stdout


def test_exit_1_for_warnings_with_fail_on_warning(tmp_path: Path) -> None:
    path = write_record(tmp_path / "tanpa-deskripsi.json", without(VALID_RECORD, "notes"))
    result = invoke("validate", path, "--as-of", AS_OF, "--fail-on", "warning")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "0 valid, 1 invalid; 0 errors, 1 warnings" in result.stdout


def test_fail_on_from_environment(tmp_path: Path) -> None:
    path = write_record(tmp_path / "tanpa-deskripsi.json", without(VALID_RECORD, "notes"))
    result = invoke("validate", path, "--as-of", AS_OF, env={"SATUDATA_FAIL_ON": "warning"})
    assert result.exit_code == 1
    assert result.stderr == ""


def test_fail_on_warning_on_the_example_folder() -> None:
    """The example has warnings (recommended fields, an undotted region code)."""
    result = invoke("validate", MEDAN, "--as-of", AS_OF, "--fail-on", "warning")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "3 invalid" in result.stdout


def test_as_of_judges_freshness(tmp_path: Path) -> None:
    """--as-of makes dates reproducible: the same record is fine in 2026, late in 2029."""
    path = write_record(tmp_path / "lengkap.json", VALID_RECORD)
    now = invoke("validate", path, "--as-of", AS_OF, "--format", "json", "-q")
    later = invoke("validate", path, "--as-of", "2029-01-01", "--format", "json", "-q")
    earlier = invoke("validate", path, "--as-of", "2020-01-01", "--format", "json", "-q")
    assert (now.exit_code, later.exit_code, earlier.exit_code) == (0, 0, 1)
    assert now.stderr == later.stderr == earlier.stderr == ""
    assert report(now)["results"][0]["findings"] == []
    assert "freshness.overdue" in {f["rule"] for f in report(later)["results"][0]["findings"]}
    assert "tanggal.future" in {f["rule"] for f in report(earlier)["results"][0]["findings"]}


# --------------------------------------------------------------------------- validate: usage errors


@pytest.fixture
def broken_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A relative path (the run is in tmp_path), so messages have a known length."""
    monkeypatch.chdir(tmp_path)
    path = Path("profil-rusak.yaml")
    path.write_text("name: medan\nrequired: [kode_wilayah, kontak\n", encoding="utf-8")
    return path


@pytest.fixture
def profile_with_unknown_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = Path("profil-salah.yaml")
    path.write_text("name: medan\nextends: sdi-dasar\nwajib: [kontak]\n", encoding="utf-8")
    return path


LONG_MISSING = "/tmp/" + "/".join(["dinas-kependudukan-dan-pencatatan-sipil"] * 4) + "/x.json"

# (id, arguments, a fragment the error names). "{broken}"/"{unknown_key}" are profile files.
USAGE_CASES: list[tuple[str, list[str], str]] = [
    ("missing-path", ["validate", "/nonexistent/daftar-data.json"], "/nonexistent/daftar-data"),
    ("missing-long-path", ["validate", LONG_MISSING], LONG_MISSING),
    ("unknown-profile", ["validate", str(MEDAN), "--profile", "nope"], "nope"),
    ("broken-profile-yaml", ["validate", str(MEDAN), "--profile", "{broken}"], "profil-rusak"),
    ("profile-unknown-key", ["validate", str(MEDAN), "--profile", "{unknown_key}"], "wajib"),
    ("unknown-format", ["validate", str(MEDAN), "--format", "xml"], "'xml'"),
    ("bad-as-of", ["validate", str(MEDAN), "--as-of", "2026-13-01"], "2026-13-01"),
    ("bad-as-of-word", ["validate", str(MEDAN), "--as-of", "kemarin"], "kemarin"),
    ("unknown-lang", ["validate", str(MEDAN), "--lang", "fr"], "'fr'"),
    ("no-path", ["validate"], "PATH"),
    ("no-path-with-options", ["validate", "--format", "json"], "PATH"),
]

# Option-parsing errors (caught by typer before satudata runs) keep typer's usual
# "Usage: ... / Try ... / Error ..." block, as every click program does; satudata's own
# errors are one line.
_TYPER_USAGE = {"unknown-format", "bad-as-of", "bad-as-of-word", "unknown-lang"}


def _usage_args(args: list[str], broken: Path, unknown_key: Path) -> list[str]:
    return [a.format(broken=broken, unknown_key=unknown_key) for a in args]


@pytest.mark.parametrize(
    ("args", "fragment"), [c[1:] for c in USAGE_CASES], ids=[c[0] for c in USAGE_CASES]
)
def test_usage_error_exit_2(
    args: list[str], fragment: str, broken_profile: Path, profile_with_unknown_key: Path
) -> None:
    result = invoke(*_usage_args(args, broken_profile, profile_with_unknown_key))
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)
    assert fragment.replace(" ", "") in squash(result.stderr).replace(" ", "")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [pytest.param(*case[1:], id=case[0]) for case in USAGE_CASES if case[0] not in _TYPER_USAGE],
)
def test_usage_error_is_one_line(
    args: list[str], fragment: str, broken_profile: Path, profile_with_unknown_key: Path
) -> None:
    result = invoke(*_usage_args(args, broken_profile, profile_with_unknown_key))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_error_line(result.stderr, fragment)


def test_profile_from_environment() -> None:
    result = invoke("validate", MEDAN, env={"SATUDATA_PROFILE": "nope"})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nope" in result.stderr


def test_profile_file_of_your_own(tmp_path: Path) -> None:
    """The README's profil-medan.yaml: kontak required, region within 12.71."""
    profile = tmp_path / "profil-medan.yaml"
    profile.write_text(
        "name: medan\nextends: sdi-dasar\nrequired: [kode_wilayah, kontak]\n"
        'kode_wilayah:\n  within: ["12.71"]\nrules:\n  field.unknown: "off"\n',
        encoding="utf-8",
    )
    ok = write_record(tmp_path / "ok.json", VALID_RECORD)
    no_contact = write_record(tmp_path / "no-contact.json", without(VALID_RECORD, "kontak"))
    elsewhere = write_record(tmp_path / "deli.json", {**VALID_RECORD, "kode_wilayah": "12.07"})
    result = invoke(
        "validate", ok, no_contact, elsewhere, "--profile", profile, "--as-of", AS_OF,
        "--format", "json", "-q",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == ""
    results = report(result)["results"]
    assert [r["valid"] for r in results] == [True, False, False]
    assert "field.required" in {f["rule"] for f in results[1]["findings"]}
    assert "kode-wilayah.outside" in {f["rule"] for f in results[2]["findings"]}


# --------------------------------------------------------------------------- the real entry point


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: Sequence[str]
) -> tuple[int, str, str]:
    """``satudata ARGS`` in this process through the console entry point ``main()``."""
    monkeypatch.setattr(sys, "argv", ["satudata", *args])
    with pytest.raises(SystemExit) as info:
        cli_main()
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


ENTRY_POINT_USAGE_ERRORS = {
    "missing-path": ["validate", "/nonexistent/x.json"],
    "unknown-profile": ["validate", str(MEDAN), "--profile", "nope"],
    "no-path": ["validate"],
    "unknown-field": ["schema", "show", "nope"],
    "unknown-format": ["validate", str(MEDAN), "--format", "xml"],
    "bad-as-of": ["validate", str(MEDAN), "--as-of", "2026-13-01"],
    "unknown-lang": ["validate", str(MEDAN), "--lang", "fr"],
    "unknown-option": ["validate", str(MEDAN), "--bogus"],
    "unknown-command": ["tidak-ada-perintah"],
    "option-without-value": ["schema", "show", "--profile"],
    "no-arguments": [],
}


@pytest.mark.parametrize(
    "args", list(ENTRY_POINT_USAGE_ERRORS.values()), ids=list(ENTRY_POINT_USAGE_ERRORS)
)
def test_entry_point_usage_error_exit_2(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(monkeypatch, capsys, args)
    assert "internal error" not in err
    assert "Traceback" not in out + err
    assert code == 2, err


def test_entry_point_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug: exit 70, a short message on stderr, no traceback (README, exit codes)."""

    def crash(self: object, result: object) -> None:
        raise RuntimeError("rusak")

    monkeypatch.setattr(formats.JsonFormatter, "result", crash)
    code, out, err = run_main(monkeypatch, capsys, ["validate", str(MEDAN), "--format", "json"])
    assert code == 70
    assert "internal error" in err
    assert "SATUDATA_DEBUG=1" in err
    assert "Traceback" not in out + err
    monkeypatch.setenv("SATUDATA_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["satudata", "validate", str(MEDAN), "--format", "json"])
    with pytest.raises(RuntimeError, match="rusak"):
        cli_main()
    capsys.readouterr()


def test_entry_point_version(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(monkeypatch, capsys, ["--version"])
    assert code == 0
    assert out == f"satudata {__version__}\n"
    assert err == ""


def test_entry_point_validate_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(monkeypatch, capsys, ["validate", str(MEDAN), "--format", "json"])
    assert code == 0
    assert json.loads(out)["summary"]["records"] == 8
    assert "Summary: 8 records" in err


# --------------------------------------------------------------------------- machine formats


def test_format_json_example() -> None:
    result = invoke("validate", MEDAN, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 0
    data = report(result)
    assert data["tool"] == {"name": "satudata", "version": __version__}
    assert data["lang"] == "en"
    assert data["summary"] == {
        "records": 8,
        "valid": 8,
        "invalid": 0,
        "errors": 0,
        "warnings": 3,
        "infos": 8,
        "files": 4,
        "unreadable_files": 0,
    }
    # the counts agree with the results they count
    results = data["results"]
    findings = [f for r in results for f in r["findings"]]
    assert len(results) == 8
    assert sum(r["valid"] for r in results) == 8
    for severity, key in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        assert sum(f["severity"] == severity for f in findings) == data["summary"][key]
    assert len({r["source"] for r in results}) == 4
    # the human summary is on stderr, and only there
    assert "Summary: 8 records in 4 files" in result.stderr
    assert "Summary" not in result.stdout
    assert not ANSI.search(result.stdout)


def test_format_json_lang_id() -> None:
    result = invoke("validate", MEDAN, "--format", "json", "--lang", "id", "--as-of", AS_OF)
    assert result.exit_code == 0
    data = report(result)
    assert data["lang"] == "id"
    messages = " ".join(f["message"] for r in data["results"] for f in r["findings"])
    assert "diterima" in messages
    assert "Ringkasan: 8 rekaman" in result.stderr


def test_format_json_quiet_has_no_summary_on_stderr() -> None:
    result = invoke("validate", MEDAN, "--format", "json", "-q")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert report(result)["summary"]["records"] == 8


def test_format_json_invalid_record(tmp_path: Path) -> None:
    path = write_record(tmp_path / "x.json", without(VALID_RECORD, "title", "format"))
    result = invoke("validate", path, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1
    data = report(result)
    assert data["summary"]["invalid"] == 1
    assert data["summary"]["errors"] == 2
    assert {f["path"] for f in data["results"][0]["findings"]} == {"$.title", "$.format"}
    assert "1 invalid" in result.stderr


def test_format_from_environment() -> None:
    result = invoke("validate", MEDAN, env={"SATUDATA_FORMAT": "json"})
    assert result.exit_code == 0
    assert report(result)["summary"]["records"] == 8
    assert "Summary" in result.stderr


def test_summary_counts_a_workbook_once(tmp_path: Path) -> None:
    """One workbook with two sheets is one input file (was counted as two)."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Kesehatan"
    second = book.create_sheet("Pendidikan")
    for sheet, title in ((first, "Jumlah Puskesmas"), (second, "Jumlah Sekolah")):
        sheet.append(["Judul", "Instansi"])
        sheet.append([title, "Pemerintah Kota Medan"])
    book.save(tmp_path / "daftar-data.xlsx")
    result = invoke("validate", tmp_path / "daftar-data.xlsx", "--format", "json")
    assert result.exit_code == 1
    summary = report(result)["summary"]
    assert summary["records"] == 2
    assert summary["files"] == 1


def test_format_junit() -> None:
    result = invoke("validate", MEDAN, "--format", "junit", "--as-of", AS_OF)
    assert result.exit_code == 0
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    assert root.get("tests") == "8"
    assert root.get("failures") == "0"
    assert len(root.findall("./testsuite")) == 4
    assert len(root.findall("./testsuite/testcase")) == 8
    assert "Summary: 8 records" in result.stderr


def test_format_junit_failures(mixed_folder: Path) -> None:
    result = invoke("validate", mixed_folder, "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    assert root.get("failures") == "4"
    assert len(root.findall(".//failure")) == 4
    assert "4 invalid" in result.stderr


def test_format_sarif() -> None:
    result = invoke("validate", MEDAN, "--format", "sarif", "--as-of", AS_OF)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert sarif_errors(document) == []
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    assert run["tool"]["driver"]["name"] == "satudata"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert {r["ruleId"] for r in run["results"]} == set(rule_ids)
    assert len(run["results"]) == 11  # 3 warnings + 8 infos
    assert "Summary" in result.stderr


def test_format_sarif_broken_files(mixed_folder: Path) -> None:
    result = invoke("validate", mixed_folder, "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert sarif_errors(document) == []
    regions = [
        r["locations"][0]["physicalLocation"].get("region") for r in document["runs"][0]["results"]
    ]
    assert {"startLine": 2, "startColumn": 11} in regions  # b-broken.json


def test_format_sarif_stdin() -> None:
    result = invoke("validate", "-", "--format", "sarif", input="[1, 2]")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert sarif_errors(document) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
    }
    assert uris == {"stdin"}


def test_format_github() -> None:
    result = invoke("validate", MEDAN, "--format", "github", "--as-of", AS_OF)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 11
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any(line.startswith("::warning ") for line in lines)
    assert "Summary" in result.stderr


def test_format_github_errors(mixed_folder: Path) -> None:
    result = invoke("validate", mixed_folder, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    broken = [line for line in lines if "b-broken.json" in line]
    assert broken == [broken[0]]
    assert ",line=2,col=11,title=file.unreadable::" in broken[0]


# --------------------------------------------------------------------------- --output


def test_output_json_file(tmp_path: Path) -> None:
    target = tmp_path / "laporan.json"
    result = invoke("validate", MEDAN, "--format", "json", "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Summary: 8 records" in result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    assert data["summary"]["records"] == 8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.json"]


def test_output_replaces_an_existing_report(tmp_path: Path) -> None:
    target = tmp_path / "satudata.sarif"
    target.write_text("old report\n", encoding="utf-8")
    result = invoke("validate", MEDAN, "--format", "sarif", "-o", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert sarif_errors(json.loads(target.read_text(encoding="utf-8"))) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["satudata.sarif"]


def test_output_text_file_has_no_colour(tmp_path: Path) -> None:
    target = tmp_path / "laporan.txt"
    result = invoke("validate", MEDAN, "--output", target, "--color", "always")
    assert result.exit_code == 0
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert "Summary: 8 records in 4 files" in text
    assert not ANSI.search(text)


def test_output_dash_is_stdout() -> None:
    result = invoke("validate", MEDAN, "--format", "json", "--output", "-")
    assert result.exit_code == 0
    assert report(result)["summary"]["records"] == 8


def test_output_into_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a short relative path in the messages
    target = Path("tidak-ada") / "laporan.json"
    result = invoke("validate", MEDAN, "--format", "json", "--output", target)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_error_line(result.stderr, "tidak-ada")
    assert not (tmp_path / "tidak-ada").exists()
    assert list(tmp_path.iterdir()) == []


def test_output_onto_a_folder(tmp_path: Path) -> None:
    """--output naming a folder: a usage error, and no temp file left (was exit 70 and a
    leftover '.NAME.xxxxxx' temp file holding the report)."""
    (tmp_path / "laporan").mkdir()
    result = invoke("validate", MEDAN, "--format", "json", "--output", tmp_path / "laporan")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan"]
    assert list((tmp_path / "laporan").iterdir()) == []
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("satudata: error:")


def test_output_file_mode_follows_umask(tmp_path: Path) -> None:
    """The report gets the mode a plain '> file' would (was mkstemp's 0600)."""
    old = os.umask(0o022)
    try:
        result = invoke("validate", MEDAN, "--format", "json", "--output", tmp_path / "r.json")
    finally:
        os.umask(old)
    assert result.exit_code == 0
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644


FORMATTER_CLASSES = {
    "json": formats.JsonFormatter,
    "junit": formats.JUnitFormatter,
    "sarif": formats.SarifFormatter,
    "github": formats.GithubFormatter,
    "text": TextFormatter,
}


@pytest.fixture
def junit_spools(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """The spool files of every JUnitFormatter made during the test, closed afterwards
    (an interrupted run never reaches finish(), which is what closes them)."""
    spools: list[Any] = []
    original_init = formats.JUnitFormatter.__init__

    def init(self: formats.JUnitFormatter, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        spools.append(self._spool)

    monkeypatch.setattr(formats.JUnitFormatter, "__init__", init)
    yield spools
    for spool in spools:
        spool.close()


def interrupt_third_result(monkeypatch: pytest.MonkeyPatch, cls: type) -> list[object]:
    """Make ``cls.result`` raise KeyboardInterrupt on the third record (two are written)."""
    calls: list[object] = []
    original = cls.result

    def interrupted(self: object, result: object) -> None:
        calls.append(result)
        if len(calls) == 3:
            raise KeyboardInterrupt
        original(self, result)

    monkeypatch.setattr(cls, "result", interrupted)
    return calls


@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "existing-file"])
@pytest.mark.parametrize("output_format", sorted(FORMATTER_CLASSES))
def test_interrupted_run_leaves_no_partial_file(
    output_format: str,
    existing: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    junit_spools: list[Any],
) -> None:
    calls = interrupt_third_result(monkeypatch, FORMATTER_CLASSES[output_format])

    target = tmp_path / "laporan.out"
    if existing:
        target.write_text("laporan kemarin\n", encoding="utf-8")
    result = invoke("validate", MEDAN, "--format", output_format, "--output", target, "-v")
    assert result.exit_code == 130
    assert result.stdout == ""
    assert "interrupted" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(calls) == 3
    if existing:
        assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.out"]
        assert target.read_text(encoding="utf-8") == "laporan kemarin\n"
    else:
        assert list(tmp_path.iterdir()) == []


def test_interrupted_junit_run_closes_its_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, junit_spools: list[Any]
) -> None:
    """An interrupted JUnit run still closes its spool file (was leaked: ResourceWarning)."""
    interrupt_third_result(monkeypatch, formats.JUnitFormatter)
    result = invoke("validate", MEDAN, "--format", "junit", "--output", tmp_path / "r.xml")
    assert result.exit_code == 130
    assert len(junit_spools) == 1
    assert junit_spools[0].closed


def test_crashed_run_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: object, result: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(formats.JsonFormatter, "result", crash)
    result = invoke("validate", MEDAN, "--format", "json", "--output", tmp_path / "r.json")
    assert isinstance(result.exception, RuntimeError)  # main() turns it into exit 70
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- stdin


def test_stdin_json_object() -> None:
    result = invoke(
        "validate", "-", "--format", "json", "--as-of", AS_OF, input=json.dumps(VALID_RECORD)
    )
    assert result.exit_code == 0
    data = report(result)
    assert [(r["source"], r["valid"]) for r in data["results"]] == [("-", True)]
    assert "1 records in 1 files" in result.stderr


def test_stdin_json_list() -> None:
    records = [VALID_RECORD, without(VALID_RECORD, "title")]
    result = invoke(
        "validate", "-", "--format", "json", "--as-of", AS_OF, input=json.dumps(records)
    )
    assert result.exit_code == 1
    data = report(result)
    assert [r["valid"] for r in data["results"]] == [True, False]


def test_stdin_json_lines() -> None:
    lines = (MEDAN / "bps-statistik.jsonl").read_bytes()
    result = invoke("validate", "-", "--format", "json", "--as-of", AS_OF, input=lines)
    assert result.exit_code == 0
    data = report(result)
    assert [(r["source"], r["line"]) for r in data["results"]] == [("-", 1), ("-", 2)]
    assert data["summary"]["records"] == 2


def test_stdin_json_lines_with_a_bad_line() -> None:
    good = json.dumps(VALID_RECORD)
    result = invoke(
        "validate", "-", "--format", "json", "--as-of", AS_OF, input=f"{good}\n{{oops\n{good}\n"
    )
    assert result.exit_code == 1
    results = report(result)["results"]
    assert [r["valid"] for r in results] == [True, False, True]
    assert results[1]["findings"][0]["rule"] == "file.unreadable"
    assert results[1]["findings"][0]["line"] == 2


def test_stdin_text_format() -> None:
    result = invoke("validate", "-", "--as-of", AS_OF, input=json.dumps(VALID_RECORD))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "1 records in 1 files: 1 valid" in result.stdout


def test_stdin_empty() -> None:
    result = invoke("validate", "-", "--format", "json", input=b"")
    assert result.exit_code == 1
    assert report(result)["results"][0]["findings"][0]["rule"] == "file.empty"


def test_folder_without_records_is_nothing_done(tmp_path: Path) -> None:
    (tmp_path / "catatan.txt").write_text("bukan metadata\n", encoding="utf-8")
    result = invoke("validate", str(tmp_path), "--format", "json")
    assert result.exit_code == 5
    assert report(result)["summary"]["records"] == 0
    assert "no records found" in result.stderr


def test_empty_catalogue_is_nothing_done(tmp_path: Path) -> None:
    from satudata_cli.catalogue import Catalogue

    db = tmp_path / "katalog.db"
    Catalogue.open(db).close()
    result = invoke("--db", str(db), "validate", "--catalog")
    assert result.exit_code == 5
    assert "no records found in the catalogue" in result.stderr


# --------------------------------------------------------------------------- broken files


def test_folder_with_broken_files(mixed_folder: Path) -> None:
    result = invoke("validate", mixed_folder, "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1
    data = report(result)
    by_name = {Path(r["source"]).name: r for r in data["results"]}
    assert sorted(by_name) == [
        "a-valid.json",
        "b-broken.json",
        "c-latin1.json",
        "d-empty.json",
        "e-no-header.xlsx",
    ]
    assert by_name["a-valid.json"]["valid"] is True
    assert by_name["a-valid.json"]["findings"] == []
    for name in ("b-broken.json", "c-latin1.json", "d-empty.json", "e-no-header.xlsx"):
        entry = by_name[name]
        assert entry["valid"] is False
        assert entry["record"] is None
        assert entry["index"] is None
        assert [f["rule"].split(".")[0] for f in entry["findings"]] == ["file"], entry
    broken = by_name["b-broken.json"]["findings"][0]
    assert broken["rule"] == "file.unreadable"
    assert (broken["line"], broken["column"]) == (2, 11)
    assert "line 2, column 11" in broken["message"]
    latin1 = by_name["c-latin1.json"]["findings"][0]
    assert latin1["rule"] == "file.unreadable"
    assert "0xB2" in latin1["message"]
    assert by_name["d-empty.json"]["findings"][0]["rule"] == "file.empty"
    assert by_name["e-no-header.xlsx"]["findings"][0]["rule"] == "file.empty"
    assert data["summary"] == {
        "records": 5,
        "valid": 1,
        "invalid": 4,
        "errors": 4,
        "warnings": 0,
        "infos": 0,
        "files": 5,
        "unreadable_files": 4,
    }
    assert "1 valid, 4 invalid" in result.stderr


def test_folder_with_broken_files_text(mixed_folder: Path) -> None:
    result = invoke("validate", mixed_folder, "--lang", "id")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "baris 2, kolom 11" in result.stdout
    assert "file.empty" in result.stdout
    assert "Ringkasan: 5 rekaman dari 5 berkas: 1 sah, 4 tidak sah" in result.stdout


def _deep_json(depth: int) -> str:
    return json.dumps({**VALID_RECORD, "tags": "x"})[:-1] + (
        ', "extra": ' + "[" * depth + "]" * depth + "}"
    )


BAD_INPUTS: dict[str, tuple[str, bytes]] = {
    "list-of-numbers": ("angka.json", b"[1, 2, 3]"),
    "number": ("angka.json", b"42"),
    "string": ("teks.json", b'"Jumlah Penduduk"'),
    "null": ("null.json", b"null"),
    "nan": ("nan.json", b'{"title": NaN}'),
    "list-of-lists-jsonl": ("baris.jsonl", b"[1]\n[[2]]\n\n"),
    "yaml-scalar": ("teks.yaml", b"just a sentence\n"),
    "ten-mb-description": (
        "besar.json",
        json.dumps({**VALID_RECORD, "notes": "Jumlah penduduk. " * 620_000}).encode(),
    ),
    "ten-mb-title": ("judul.json", json.dumps({**VALID_RECORD, "title": "J" * 10**7}).encode()),
    "ten-mb-csv-cell": (
        "daftar.csv",
        b"Judul;Deskripsi\nJumlah Penduduk;" + b"a" * 10**7 + b"\n",
    ),
    "invalid-utf8": ("latin1.json", b'{"title": "Jumlah Penduduk \xe9"}'),
    "invalid-utf8-csv": ("latin1.csv", b"Judul;Instansi\nPenduduk;Dinas Kependudukan \xe9\n"),
    "invalid-utf8-yaml": ("latin1.yaml", b"title: caf\xe9\n"),
    "empty": ("kosong.json", b""),
    "empty-csv": ("kosong.csv", b""),
    "empty-xlsx": ("kosong.xlsx", b""),
    "whitespace": ("spasi.yaml", b"  \n\n"),
    "not-a-workbook": ("palsu.xlsx", b"PK\x03\x04 not really a zip"),
    "deep-json-arrays": ("dalam.json", b"[" * 100_000 + b"]" * 100_000),
    "deep-json-objects": ("dalam2.json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
    "deep-json-under-limit": ("dalam3.json", _deep_json(900).encode()),
    "deep-yaml": ("dalam.yaml", b"[" * 2_000 + b"]" * 2_000),
    "deep-jsonl": ("dalam.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n"),
    "yaml-alias-bomb": (
        "bom.yaml",
        b'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + b"".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode()
            for i in range(8)
        ),
    ),
    "binary": ("acak.json", bytes(range(256)) * 4),
}


@pytest.mark.parametrize("output_format", ["text", "json"])
@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_never_crashes(case: str, output_format: str, tmp_path: Path) -> None:
    name, content = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("validate", path, "--format", output_format, "-q", "--as-of", AS_OF)
    assert_no_crash(result)
    assert result.exit_code == 1, (result.stdout[:2000], result.stderr)
    if output_format == "json":
        data = report(result)
        assert data["summary"]["invalid"] >= 1
        assert len(result.stdout) < 1_000_000  # a huge value is not echoed back in full
    else:
        assert "records in 1 files" in result.stdout


def test_bad_input_from_stdin_never_crashes() -> None:
    for content in (b"[1, 2, 3]", b"\xff\xfe\x00garbage", b"", b"[" * 100_000, b"---\n- 1\n"):
        result = invoke("validate", "-", "--format", "json", "-q", input=content)
        assert_no_crash(result)
        assert result.exit_code == 1
        assert report(result)["summary"]["invalid"] >= 1


@pytest.mark.slow
def test_ten_thousand_small_files(tmp_path: Path) -> None:
    folder = tmp_path / "banyak"
    folder.mkdir()
    small = json.dumps(VALID_RECORD).encode()
    for i in range(10_000):
        (folder / f"d{i:05d}.json").write_bytes(small)
    (folder / "d00042.json").write_bytes(b'{"title": ')  # one broken file among them
    started = time.monotonic()
    result = invoke("validate", folder, "--format", "json", "-q", "--as-of", AS_OF)
    elapsed = time.monotonic() - started
    assert_no_crash(result)
    assert result.exit_code == 1
    assert result.stderr == ""
    summary = report(result)["summary"]
    assert summary["records"] == 10_000
    assert summary["files"] == 10_000
    assert summary["valid"] == 9_999
    assert summary["unreadable_files"] == 1
    assert elapsed < 30, elapsed


# --------------------------------------------------------------------------- colour


def test_no_colour_when_not_a_terminal() -> None:
    result = invoke("validate", MEDAN)
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    assert result.stderr == ""


def colour_codes(text: str) -> list[str]:
    """The SGR parameters in ``text`` that set a colour (not bold, dim, reset)."""
    found = []
    for match in re.finditer(r"\x1b\[([0-9;]*)m", text):
        for param in match.group(1).split(";"):
            if param and (30 <= int(param) <= 49 or 90 <= int(param) <= 107):
                found.append(param)
    return found


def test_no_color_environment() -> None:
    result = invoke("validate", MEDAN, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert result.stderr == ""
    assert not ANSI.search(result.stdout)
    assert "Summary: 8 records" in result.stdout


def test_no_color_environment_on_a_terminal() -> None:
    """FORCE_COLOR makes rich treat the output as a terminal: NO_COLOR still removes every
    colour (bold and dim, which are not colours, may stay)."""
    result = invoke("validate", MEDAN, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert result.stderr == ""
    assert colour_codes(result.stdout) == []
    with_colour = invoke("validate", MEDAN, env={"FORCE_COLOR": "1"})
    assert colour_codes(with_colour.stdout) != []


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1"}], ids=["plain", "FORCE_COLOR"])
def test_color_never(env: dict[str, str | None]) -> None:
    result = invoke("validate", MEDAN, "--color", "never", env=env)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert not ANSI.search(result.stdout)
    json_result = invoke("validate", MEDAN, "--color", "never", "--format", "json", env=env)
    assert json_result.exit_code == 0
    assert not ANSI.search(json_result.stdout + json_result.stderr)


def test_color_always() -> None:
    result = invoke("validate", MEDAN, "--color", "always")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert ANSI.search(result.stdout)
    assert "Summary: 8 records" in ANSI.sub("", result.stdout)


def test_color_always_from_environment() -> None:
    result = invoke("validate", MEDAN, env={"SATUDATA_COLOR": "always"})
    assert result.exit_code == 0
    assert ANSI.search(result.stdout)


def test_color_always_keeps_machine_output_plain() -> None:
    result = invoke("validate", MEDAN, "--color", "always", "--format", "json")
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    assert report(result)["summary"]["records"] == 8
    assert ANSI.search(result.stderr)  # the human summary may be coloured


# --------------------------------------------------------------------------- schema show / export


def test_schema_show_lists_every_field() -> None:
    result = invoke("schema", "show")
    assert result.exit_code == 0
    assert result.stderr == ""
    for name in ("title", "produsen_data", "kode_wilayah", "jadwal_pemutakhiran"):
        assert name in result.stdout
    assert all(name in result.stdout for name in load_standard().fields)
    assert "sdi-dasar" in result.stdout


def test_schema_show_lang_id() -> None:
    result = invoke("schema", "show", "--lang", "id", "--profile", "sdi-statistik")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Kolom" in result.stdout
    assert "wajib" in result.stdout
    assert "sdi-statistik" in result.stdout


def test_schema_show_vocabulary_in_indonesian() -> None:
    result = invoke("schema", "show", "jadwal_pemutakhiran", "--lang", "id")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("jadwal_pemutakhiran: Jadwal Pemutakhiran")
    assert re.search(r"^\s+tahunan\s+Tahunan\b", result.stdout, re.MULTILINE)
    assert "Status: wajib" in result.stdout
    assert "Kosakata" in result.stdout


@pytest.mark.parametrize(
    ("label", "field"),
    [("Judul", "title"), ("judul", "title"), ("Produsen Data", "produsen_data")],
)
def test_schema_show_resolves_a_label(label: str, field: str) -> None:
    result = invoke("schema", "show", label)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith(f"{field}: ")


def test_schema_show_unknown_field() -> None:
    result = invoke("schema", "show", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_error_line(result.stderr, "nope")


def test_schema_show_unknown_format() -> None:
    result = invoke("schema", "show", "--format", "yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_one_error_line(result.stderr, "yaml")


def test_schema_show_json() -> None:
    result = invoke("schema", "show", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["profile"] == "sdi-dasar"
    assert [f["name"] for f in data["fields"]] == list(load_standard().fields)
    title = next(f for f in data["fields"] if f["name"] == "title")
    assert title["status"] == "required"


def test_schema_show_one_field_json() -> None:
    result = invoke("schema", "show", "Frekuensi", "--format", "json", "--lang", "id")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["name"] == "jadwal_pemutakhiran"
    assert {"value": "tahunan", "label": "Tahunan", "days": 366} in data["vocabulary"]["values"]


def test_schema_show_json_is_never_coloured() -> None:
    result = invoke("schema", "show", "--format", "json", "--color", "always")
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    json.loads(result.stdout)


@pytest.mark.parametrize("profile", ["sdi-dasar", "sdi-statistik"])
def test_schema_export(profile: str) -> None:
    result = invoke("schema", "export", "--profile", profile)
    assert result.exit_code == 0
    assert result.stderr == ""
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$ref" not in json.dumps(schema).replace('"$ref": "#', "")  # self-contained


def test_schema_export_agrees_with_validate() -> None:
    result = invoke("schema", "export")
    assert result.exit_code == 0
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    assert list(validator.iter_errors(VALID_RECORD)) == []
    assert list(validator.iter_errors(without(VALID_RECORD, "title")))


def test_schema_export_output(tmp_path: Path) -> None:
    target = tmp_path / "satudata.schema.json"
    result = invoke("schema", "export", "--profile", "sdi-statistik", "--output", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == ""
    jsonschema.Draft202012Validator.check_schema(json.loads(target.read_text(encoding="utf-8")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["satudata.schema.json"]


def test_schema_export_unknown_profile(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    result = invoke("schema", "export", "--profile", "nope", "--output", target)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "nope" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- version, help, docs


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"satudata {__version__}\n"
    assert result.stderr == ""
    assert __version__ == importlib.metadata.version("satudata")


COMMANDS = list(walk_commands(typer.main.get_command(app)))


def test_the_commands_are_known() -> None:
    paths = [path for path, _ in COMMANDS]
    assert {(), ("validate",), ("schema",), ("schema", "show"), ("schema", "export")} <= set(paths)


@pytest.mark.parametrize("flag", ["--help", "-h"])
@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "root")
def test_help(path: tuple[str, ...], flag: str) -> None:
    result = invoke(*path, flag)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "Usage:" in result.stdout
    assert len(result.stdout.strip()) > 100


def test_validate_help_lists_its_options() -> None:
    result = invoke("validate", "--help")
    assert result.exit_code == 0
    for option in ("--profile", "--format", "--output", "--fail-on", "--lang", "--as-of"):
        assert option in result.stdout
    assert "--color" in result.stdout
    assert "SATUDATA_FORMAT" in result.stdout


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "root")
def test_every_command_has_help_text(path: tuple[str, ...]) -> None:
    command = dict(COMMANDS)[path]
    assert (command.help or "").strip(), path
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "hidden", False):
            assert (param.help or "").strip(), (path, param.name)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS if p], ids=" ".join)
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    """Named as `satudata GROUP COMMAND`, or `satudata GROUP` and then `GROUP COMMAND`
    (as in `satudata jobs list | jobs show JOB`)."""
    assert f"satudata {path[0]}" in README
    assert f"satudata {' '.join(path)}" in README or " ".join(path) in README


# --------------------------------------------------------------------------- installed entry points


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env.update({"LANG": "C.UTF-8", "NO_COLOR": "1"})
    return subprocess.run(
        list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _console_script() -> Path:
    return Path(sysconfig.get_path("scripts")) / "satudata"


def test_python_m_version() -> None:
    proc = _run(sys.executable, "-m", "satudata_cli", "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"satudata {__version__}\n"
    assert proc.stderr == ""


def test_console_script_validates_the_example() -> None:
    script = _console_script()
    assert script.is_file()
    assert os.access(script, os.X_OK)
    proc = _run(str(script), "validate", "harvest_configs/data/medan", "--profile", "sdi-dasar")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "Summary: 8 records in 4 files" in proc.stdout
    assert "Traceback" not in proc.stdout


def test_console_script_usage_error_is_a_missing_path() -> None:
    proc = _run(str(_console_script()), "validate", "no/such/folder")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "satudata: error: path does not exist: no/such/folder\n"


def test_console_script_unknown_format_is_exit_2() -> None:
    """An option-parsing error of the installed script is exit 2 (was 'internal error', 70)."""
    proc = _run(str(_console_script()), "validate", "harvest_configs/data/medan", "-f", "xml")
    assert proc.stdout == ""
    assert "internal error" not in proc.stderr
    assert proc.returncode == 2


@pytest.mark.parametrize(
    "output_format",
    ["text", "json"],
)
def test_console_script_closed_pipe_is_not_a_failure(output_format: str, tmp_path: Path) -> None:
    lines = tmp_path / "banyak.jsonl"
    record = json.dumps(VALID_RECORD)
    lines.write_text("\n".join([record] * 5000) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env.update({"LANG": "C.UTF-8", "NO_COLOR": "1"})
    command = [str(_console_script()), "validate", str(lines), "-v", "--as-of", AS_OF]
    with subprocess.Popen(
        [*command, "--format", output_format],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        code = proc.wait(timeout=60)
    assert first.strip()
    assert "Traceback" not in err
    assert code == 0, err
