"""Options at a terminal: ``-q``/``-v`` before and after the command, flags shown
without a ``<bool>`` type in every command's help, and shell completion."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from satudata_cli.cli import app
from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record


def _paths(group: typer.Typer, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    command = typer.main.get_command(group)
    for name, sub in getattr(command, "commands", {}).items():
        yield (*prefix, name)
        for subname in getattr(sub, "commands", {}):
            yield (*prefix, name, subname)


COMMANDS = sorted(set(_paths(app)))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """One directory source with TLS verification off: its harvest logs a warning."""
    cfg = tmp_path / "cfg"
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.json").write_text(json.dumps([make_record(i) for i in range(2)]), "utf-8")
    write_source(cfg, "dinkes", type="directory", path=str(data), http={"verify": False})
    return Cli(tmp_path / "k.db", cfg)


INFO = "INFO: source dinkes: harvest started"
WARNING = "TLS verification is OFF"


@pytest.mark.parametrize(
    "args",
    [("-v", "harvest", "--all"), ("harvest", "--all", "-v"), ("harvest", "-v", "--all")],
    ids=["before", "after", "between"],
)
def test_verbose_before_and_after_the_command(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert INFO in result.stderr and WARNING in result.stderr


def test_without_flags_warnings_only(cli: Cli) -> None:
    result = cli("harvest", "--all")
    assert INFO not in result.stderr and WARNING in result.stderr


@pytest.mark.parametrize(
    "args", [("-q", "harvest", "--all"), ("harvest", "--all", "-q")], ids=["before", "after"]
)
def test_quiet_before_and_after_the_command(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert WARNING not in result.stderr and INFO not in result.stderr
    assert "dinkes" in result.stdout  # the result itself is still printed


def test_quiet_wins_and_verbose_counts(cli: Cli) -> None:
    assert WARNING not in cli("-v", "harvest", "--all", "-q").stderr
    debug = cli("-v", "harvest", "--all", "-v")  # -v before and after: -vv
    assert INFO in debug.stderr
    assert logging.getLogger("satudata").level == logging.DEBUG
    cli("harvest", "--all", "-vv")
    assert logging.getLogger("satudata").level == logging.DEBUG
    cli("harvest", "--all")
    assert logging.getLogger("satudata").level == logging.WARNING
    assert cli("catalog", "list", "-v").exit_code == 0
    assert cli("jobs", "list", "--quiet").exit_code == 0


def test_validate_keeps_its_own_quiet_and_verbose(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(make_record(1)), encoding="utf-8")
    shown = CliRunner().invoke(app, ["validate", str(good), "-v", "--as-of", "2026-11-28"])
    hidden = CliRunner().invoke(app, ["validate", str(good), "--as-of", "2026-11-28"])
    assert shown.exit_code == hidden.exit_code == 0
    assert "good.json" in shown.stdout and "good.json" not in hidden.stdout


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "satudata")
def test_help_shows_flags_without_a_type(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout, result.stdout
    assert re.search(r"--help\s+-h\s+Show this message", result.stdout)
    if path and path[0] != "validate" and not _is_group(path):
        assert "--verbose" in result.stdout and "--quiet" in result.stdout


def _is_group(path: tuple[str, ...]) -> bool:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return hasattr(command, "commands")


def _entry_point() -> str:
    script = Path(sysconfig.get_path("scripts")) / "satudata"
    assert script.exists(), script
    return str(script)


def test_show_completion_prints_a_script() -> None:
    result = CliRunner().invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0, result.output
    assert "_SATUDATA_COMPLETE" in result.stdout and "complete " in result.stdout


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("satudata cat", "1", {"catalog"}),
        ("satudata catalog ", "2", {"list", "search", "show", "stats", "export"}),
        ("satudata harvest --al", "2", {"--all"}),
        ("satudata catalog export --delimiter ", "4", {",", ";", "tab"}),
    ],
)
def test_completion_answers(words: str, cword: str, expected: set[str]) -> None:
    """What bash asks the installed command when the user presses TAB."""
    env = {
        **os.environ,
        "_SATUDATA_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": cword,
    }
    result = subprocess.run(
        [_entry_point()], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert expected <= set(result.stdout.split()), result.stdout
    assert "Traceback" not in result.stderr


def test_install_completion_is_offered() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
