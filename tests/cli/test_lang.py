"""Indonesian everywhere: every command answers in the language chosen for the run.

The language comes from ``--lang id|en`` anywhere on the command line, else
``SATUDATA_LANG``, else the locale (``LANG=id_ID.UTF-8``). With Indonesian chosen, help,
tables, messages and errors must not keep English words: each run below is checked
against a list of English marker words and for Indonesian words that must be there.
The commands are discovered from the typer app, so a new command is checked too.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from satudata_cli.cli import app
from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.records import make_record
from tests.helpers.stub_portal import stub_portal

#: English words that must not remain in an Indonesian run (whole words; option names,
#: values like ``text|json`` and file names are not in this list)
ENGLISH = re.compile(
    r"\b(Usage|Options|Arguments|Commands|Show this|default|env var|Exit codes|Error|"
    r"error|the|and|with|from|every|cannot|could|does|unknown|Harvest|Sources|Catalogue|"
    r"Jobs|Record|Findings|Events|Failed|Publish|Summary|records|added|updated|unchanged|"
    r"finished|interrupted|Field|Type|Vocabulary|Exported|Deleted|note)\b"
)


def english_words(text: str) -> list[str]:
    return sorted(set(ENGLISH.findall(squash(text))))


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The root, every group and every command of the app."""
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from command_paths(sub, (*path, name))


PATHS = list(command_paths(typer.main.get_command(app)))


def _id(path: tuple[str, ...]) -> str:
    return " ".join(path) or "satudata"


def _run(args: list[str], env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(app, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


# ------------------------------------------------------------------------- help


HOW = {
    "--lang id first": (lambda p: ["--lang", "id", *p, "--help"], None),
    "--lang id last": (lambda p: [*p, "--help", "--lang", "id"], None),
    "SATUDATA_LANG=id": (lambda p: [*p, "--help"], {"SATUDATA_LANG": "id"}),
    "LANG=id_ID.UTF-8": (lambda p: [*p, "--help"], {"LANG": "id_ID.UTF-8"}),
}


@pytest.mark.parametrize("how", list(HOW))
@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_help_in_indonesian(path: tuple[str, ...], how: str) -> None:
    make_args, env = HOW[how]
    result = _run(make_args(list(path)), env)
    assert result.exit_code == 0, result.output
    text = squash(result.stdout)
    assert "Penggunaan:" in text and "Opsi" in text and "Tampilkan bantuan ini" in text
    # option values (<text|json>, [bawaan: error]) are values, not words
    words = re.sub(r"<[^>]*>|\[bawaan: [^\]]*\]", "", text)
    assert english_words(words) == [], text


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_help_in_english_after_an_indonesian_run(path: tuple[str, ...]) -> None:
    """English is the default, also in the same process after an Indonesian run
    (typer's panel titles are put back)."""
    assert _run(["--lang", "id", *path, "--help"]).exit_code == 0
    result = _run([*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout and "Options" in result.stdout
    assert "Penggunaan" not in result.stdout and "Opsi" not in result.stdout


def test_no_mixed_headings_in_the_root_help() -> None:
    english = _run(["--help"]).stdout
    assert "Alat walidata" not in english and "memanen" not in english


# --------------------------------------------------------------- runs and errors


@dataclass
class Setup:
    cli: Cli
    tmp: Path
    record: Path
    dataset: str


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Setup]:
    """A harvested catalogue of one directory source, a record file and a publish target
    on a stub portal."""
    with stub_portal() as url:
        yield _setup(tmp_path, url, monkeypatch)


def _setup(tmp_path: Path, portal: str, monkeypatch: pytest.MonkeyPatch) -> Setup:
    cfg = tmp_path / "harvest_configs"
    data = cfg / "data"
    data.mkdir(parents=True)
    record = data / "records.json"
    record.write_text(json.dumps([make_record(i) for i in range(3)]), encoding="utf-8")
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data")
    (tmp_path / "daftar-data.csv").write_text(
        "Perangkat Daerah,Judul Data\nDinas Kesehatan Kota Medan,Jumlah Puskesmas Kecamatan\n",
        encoding="utf-8",
    )
    (cfg / "targets").mkdir()
    target = {"id": "portal", "type": "ckan", "url": portal, "token_env": "TEST_PORTAL_TOKEN"}
    (cfg / "targets" / "portal.yaml").write_text(json.dumps(target), encoding="utf-8")
    monkeypatch.setenv("TEST_PORTAL_TOKEN", "secret-token")
    cli = Cli(tmp_path / "satudata.db", cfg)
    harvested = cli("harvest", "--all")
    assert harvested.exit_code == 0, harvested.stderr
    [first, *_] = json.loads(cli("catalog", "list", "--format", "json").stdout)
    return Setup(cli, tmp_path, record, str(first["id"]))


#: (arguments, an Indonesian word the output must have); every run with --lang id
SUCCESS: list[tuple[tuple[str, ...], str]] = [
    (("harvest", "--all"), "ditambah"),
    (("harvest", "--all", "--dry-run"), "uji coba"),
    (("sources", "list"), "Sumber"),
    (("sources", "check", "dinkes"), "dipratinjau"),
    (("catalog", "list"), "Katalog"),
    (("catalog", "search", "puskesmas"), "organisasi"),
    (("catalog", "show", "{dataset}"), "Rekaman"),
    (("catalog", "stats"), "(semua)"),
    (("catalog", "datasette-metadata", "--output", "{tmp}/metadata.json"), ""),
    (("catalog", "export", "--format", "jsonl", "--output", "{tmp}/out.jsonl"), "diekspor"),
    (("jobs", "list"), "Tugas panen"),
    (("jobs", "show", "1"), "ditambah"),
    (("jobs", "prune", "--older-than", "1d"), "dihapus"),
    (("report", "compliance"), "Kepatuhan"),
    (("report", "freshness"), "Kemutakhiran"),
    (("report", "realisasi", "--plan", "{tmp}/daftar-data.csv"), "Realisasi"),
    (("schema", "show"), "Kosakata"),
    (("schema", "show", "judul"), "Tipe"),
    (("validate", "{record}"), "Ringkasan"),
    (("validate", "--catalog", "--format", "json"), "Ringkasan"),
    (("schema", "export"), ""),
    (("schema", "export", "--config", "source"), ""),
    (("info",), "folder konfigurasi"),
    (("init", "{tmp}/mulai"), "Konfigurasi awal ditulis"),
    (("publish", "portal", "--dry-run"), "Terbit"),
]


def _fill(args: tuple[str, ...], setup: Setup) -> list[str]:
    values = {"dataset": setup.dataset, "record": str(setup.record), "tmp": str(setup.tmp)}
    return [a.format(**values) for a in args]


@pytest.mark.parametrize(("args", "word"), SUCCESS, ids=lambda v: " ".join(v) if v else "")
def test_runs_in_indonesian(setup: Setup, args: tuple[str, ...], word: str) -> None:
    result = setup.cli("--lang", "id", *_fill(args, setup))
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    # json and a JSON Schema are for machines: their keys stay; what people read is checked
    machine = "json" in args or args[:2] == ("schema", "export")
    output = result.stderr if machine else result.stdout + result.stderr
    assert word in squash(output), output
    assert english_words(output) == [], output


def test_every_command_has_a_run_in_indonesian() -> None:
    runs = [args for args, _ in SUCCESS]
    leaves = [p for p in PATHS if not getattr(_command(p), "commands", None)]
    missing = [p for p in leaves if not any(run[: len(p)] == p for run in runs)]
    assert missing == [], f"add a run with --lang id to SUCCESS for: {missing}"


def _command(path: tuple[str, ...]) -> Any:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _indonesian_error(result: Any, code: int, *words: str) -> str:
    text = squash(result.stderr)
    assert result.exit_code == code, result.stdout + result.stderr
    assert text.startswith("satudata: galat:") or "Galat" in text, text
    for word in words:
        assert word in text, text
    assert english_words(result.stdout + result.stderr) == [], text
    return text


def test_unknown_source(setup: Setup) -> None:
    result = setup.cli("--lang", "id", "harvest", "tidak-ada")
    _indonesian_error(result, 2, "sumber tidak dikenal: tidak-ada", "dinkes")


def test_no_catalogue(setup: Setup) -> None:
    missing = setup.tmp / "lain.db"
    result = CliRunner().invoke(app, ["--db", str(missing), "catalog", "list", "--lang", "id"])
    _indonesian_error(result, 2, "belum ada", "jalankan 'satudata harvest'")
    report = CliRunner().invoke(app, ["--db", str(missing), "--lang", "id", "report", "freshness"])
    _indonesian_error(report, 5, "belum ada")


def test_config_error_with_file_and_line(setup: Setup) -> None:
    write_source(setup.cli.cfg, "zz", type="directory", path="data", titel="Salah ketik")
    result = setup.cli("sources", "list", "--lang", "id")
    text = _indonesian_error(result, 2, "zz.yaml:", "titel: kunci tidak dikenal")
    assert "(maksud Anda title?)" in text and "yang diizinkan:" in text
    (setup.cli.cfg / "zz.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    broken = setup.cli("--lang", "id", "harvest", "--all")
    _indonesian_error(broken, 2, "zz.yaml:2: bukan YAML yang sah")


def test_lock_held(setup: Setup) -> None:
    from satudata_cli.catalogue.lock import CatalogueLock

    with CatalogueLock(setup.cli.db, command="satudata harvest --all"):
        result = setup.cli("--lang", "id", "harvest", "--all")
    _indonesian_error(result, 4, "sedang dipakai oleh proses", "coba lagi setelah selesai")


def test_http_failure(setup: Setup) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/data.json"
    write_source(setup.cli.cfg, "web", type="datajson", url=url, http={"retries": 0})
    check = setup.cli("--lang", "id", "sources", "check", "web")
    _indonesian_error(check, 5, "sumber web tidak dapat dibaca: tidak dapat tersambung ke")
    harvest = setup.cli("--lang", "id", "harvest", "web")
    assert harvest.exit_code == 5, harvest.stderr
    assert "satudata: GALAT: sumber web: gagal: tidak dapat tersambung ke" in harvest.stderr
    assert english_words(harvest.stderr) == [], harvest.stderr


def test_usage_errors_of_typer(setup: Setup) -> None:
    limit = setup.cli("--lang", "id", "catalog", "list", "--limit", "0")
    text = _indonesian_error(limit, 2, "Penggunaan:", "Nilai tidak sah untuk '--limit'")
    assert "harus lebih besar dari atau sama dengan 1" in text
    option = setup.cli("jobs", "list", "--bogus", "--lang", "id")
    _indonesian_error(option, 2, "Opsi tidak dikenal: --bogus")
    missing = setup.cli("--lang", "id", "sources", "check")
    _indonesian_error(missing, 2, "Argumen 'source_id' belum diberikan.")
    choice = setup.cli("--lang", "id", "report", "compliance", "--by", "kota")
    _indonesian_error(choice, 2, "'kota' bukan salah satu dari")


def test_a_wrong_language_is_a_usage_error(setup: Setup) -> None:
    result = setup.cli("catalog", "list", "--lang", "fr")
    assert result.exit_code == 2
    assert "Invalid value for '--lang': 'fr' is not one of 'id', 'en'." in squash(result.stderr)


# ------------------------------------------------------------------ precedence


def test_the_command_line_wins_over_the_environment(setup: Setup) -> None:
    english = setup.cli("--lang", "en", "harvest", "tidak-ada", env={"SATUDATA_LANG": "id"})
    assert "unknown source(s): tidak-ada" in english.stderr
    indonesian = setup.cli("harvest", "tidak-ada", "--lang", "id", env={"SATUDATA_LANG": "en"})
    assert "sumber tidak dikenal" in indonesian.stderr


def test_satudata_lang_wins_over_the_locale(setup: Setup) -> None:
    english = setup.cli("jobs", "list", env={"SATUDATA_LANG": "en", "LANG": "id_ID.UTF-8"})
    assert "Jobs" in english.stdout
    indonesian = setup.cli("jobs", "list", env={"LANG": "id_ID.UTF-8"})
    assert "Tugas panen" in indonesian.stdout


def test_a_commands_own_lang_is_the_last_word(setup: Setup) -> None:
    """validate, report and schema had --lang before: it still works, after a global one."""
    result = setup.cli("--lang", "id", "validate", str(setup.record), "--lang", "en")
    assert "Summary:" in result.stdout


def test_machine_output_keeps_its_keys(setup: Setup) -> None:
    english = json.loads(setup.cli("catalog", "list", "--format", "json").stdout)
    indonesian = json.loads(setup.cli("--lang", "id", "catalog", "list", "--format", "json").stdout)
    assert indonesian == english
    csv_header = setup.cli("--lang", "id", "jobs", "list", "--format", "csv").stdout
    assert csv_header.splitlines()[0].startswith("id,source_id,status")


# --------------------------------------------------------------- the installed entry


def _process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "SATUDATA_"))}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "satudata_cli", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        check=False,
    )


def test_a_real_process_reads_the_language_from_argv_and_the_locale() -> None:
    """The entry point as cron and a terminal run it: help and a usage error."""
    help_text = _process("harvest", "--help", "--lang", "id", LANG="C.UTF-8")
    assert help_text.returncode == 0, help_text.stderr
    assert "Penggunaan: python -m satudata_cli harvest" in help_text.stdout
    assert english_words(re.sub(r"<[^>]*>|\[bawaan: [^\]]*\]", "", squash(help_text.stdout))) == []
    bogus = _process("--bogus", LANG="id_ID.UTF-8")
    assert bogus.returncode == 2
    assert "Opsi tidak dikenal: --bogus" in bogus.stderr
    assert "Traceback" not in bogus.stderr
