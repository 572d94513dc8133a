"""Start-up (issue 11, item 2): commands are imported when they run.

``satudata --version`` and ``satudata --help`` import no catalogue, report, RDF or HTTP
code; ``satudata validate FILE`` imports what validating needs and nothing of the
catalogue, HTTP, RDF or the HTML report. Each run is a fresh process through the console
entry point; what it imported is read from its ``sys.modules`` afterwards. The times
themselves are measured by ``benchmarks/bench_startup.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from satudata_cli.cli import COMMANDS, app
from tests.helpers.cli import squash
from tests.helpers.records import make_record

ROOT = Path(__file__).resolve().parents[2]

#: third-party packages of the heavy commands: RDF, the HTML report, the catalogue, HTTP;
#: and PyYAML, which the bundled standard needs no more (schemas/bundled-yaml.json)
HEAVY = ("rdflib", "jinja2", "sqlite_utils", "sqlite3", "httpx", "httpcore", "lokal", "yaml")
#: satudata's own packages that only the catalogue, harvest, publish and report need
HEAVY_OWN = tuple(
    f"satudata_cli.{name}"
    for name in ("catalogue", "reports", "sources", "publish", "exports", "codecs")
)


def imported_by(*args: str, tmp_path: Path) -> tuple[int, set[str]]:
    """Run ``satudata ARGS`` in a fresh interpreter; its exit code and ``sys.modules``."""
    report = tmp_path / "modules.json"
    code = (
        "import json, sys\n"
        "from satudata_cli.cli import run\n"
        f"argv, report = {list(args)!r}, {str(report)!r}\n"
        "sys.argv = ['satudata', *argv]\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as exc:\n"
        "    status = exc.code or 0\n"
        "with open(report, 'w') as out:\n"
        "    json.dump({'status': status, 'modules': sorted(sys.modules)}, out)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_COLOR": "1", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(report.read_text(encoding="utf-8"))
    return int(found["status"]), set(found["modules"])


def heavy(modules: set[str]) -> list[str]:
    return sorted(
        m
        for m in modules
        if any(m == name or m.startswith(name + ".") for name in (*HEAVY, *HEAVY_OWN))
    )


@pytest.mark.parametrize("args", [["--version"], ["--help"], []], ids=["version", "help", "bare"])
def test_version_and_help_import_no_command(args: list[str], tmp_path: Path) -> None:
    status, modules = imported_by(*args, tmp_path=tmp_path)
    assert status in (0, 2)  # bare `satudata` shows the help and exits 2 (typer's choice)
    assert heavy(modules) == []
    # not even the command modules of the CLI itself
    assert sorted(m for m in modules if m.startswith("satudata_cli.cli.") and "_cmd" in m) == []
    assert "satudata_cli.cli.validate" not in modules


def test_validate_one_file_imports_only_what_validating_needs(tmp_path: Path) -> None:
    one = tmp_path / "ONE.json"
    one.write_text(json.dumps(make_record(1), ensure_ascii=False), encoding="utf-8")
    status, modules = imported_by("validate", str(one), tmp_path=tmp_path)
    assert status == 0
    assert heavy(modules) == []
    # every rule ran: the validator, the rules and the region list are loaded
    assert {"satudata_cli.standard.rules", "satudata_cli.standard.regions"} <= modules


def test_a_command_still_loads_everything_it_needs(tmp_path: Path) -> None:
    """The boundary is per command: `catalog` brings the catalogue along when it runs."""
    status, modules = imported_by("--db", str(tmp_path / "none.db"), "catalog", "list",
                                  tmp_path=tmp_path)  # fmt: skip
    assert status == 2  # no catalogue yet
    assert "satudata_cli.cli.catalog_cmd" in modules


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_summary_in_the_list_is_the_command_s_own(name: str) -> None:
    """`satudata --help` shows each command's summary without loading it: it must be the
    first paragraph of the command's real help."""
    real = COMMANDS[name].load(name)
    first = (real.help or "").strip().split("\n\n")[0]
    assert " ".join(COMMANDS[name].summary.split()) == " ".join(first.split())


def test_the_root_group_lists_every_command_and_loads_them_on_demand() -> None:
    group = typer.main.get_command(app)
    assert list(group.commands) == list(COMMANDS)  # type: ignore[attr-defined]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.name == name
        assert command.params or getattr(command, "commands", None)


def test_help_lists_the_commands_and_a_typo_gets_a_suggestion(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    shown = squash(CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"}).stdout)
    for name, spec in COMMANDS.items():
        assert f"{name} {' '.join(spec.summary.split())}" in shown
    typo = CliRunner().invoke(app, ["valdate"])
    assert typo.exit_code == 2
    assert "validate" in typo.stderr


def test_the_command_runs_with_the_garbage_collector_on(tmp_path: Path) -> None:
    """run() pauses the collector for start-up only: the command's own work (a harvest
    of 100,000 datasets) has it on again, with start-up's objects frozen. main(), which
    callers run inside their own process, leaves the collector alone."""
    one = tmp_path / "ONE.json"
    one.write_text(json.dumps(make_record(1), ensure_ascii=False), encoding="utf-8")
    code = (
        "import gc, json, sys\n"
        "import satudata_cli.cli.validate as v\n"
        "from satudata_cli.cli import main, run\n"
        "seen = []\n"
        "real = v.build_validate_run\n"
        "def spy(*a, **k):\n"
        "    seen.append([gc.isenabled(), gc.get_freeze_count() > 0])\n"
        "    return real(*a, **k)\n"
        "v.build_validate_run = spy\n"
        f"sys.argv = ['satudata', 'validate', {str(one)!r}]\n"
        "for entry in (main, run):\n"
        "    try:\n"
        "        entry()\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        "print(json.dumps(seen))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    by_main, by_run = json.loads(done.stdout.splitlines()[-1])
    assert by_main == [True, False]
    assert by_run == [True, True]
