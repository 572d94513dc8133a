"""One exit-code table for every command (satudata_cli.cli.exitcodes).

The commands are discovered from the typer app, never listed by hand: each one found
must be classified in CASES below (a new command fails
``test_every_command_is_classified`` until it is), and every classified command is run
(a) under a held catalogue lock, (b) with a broken configuration file of the kind it
reads. Commands that read neither may be exempt, with the reason written down.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from satudata_cli.catalogue.errors import CatalogueError, CatalogueLockedError
from satudata_cli.cli import app
from satudata_cli.cli.exitcodes import ExitCode, exit_code_for, exit_code_table
from satudata_cli.core.errors import (
    InputError,
    ProfileError,
    SatudataError,
    StandardError,
    UsageError,
)
from satudata_cli.core.signals import HangUp, Terminated
from satudata_cli.publish.errors import PortalError, TargetConfigError
from satudata_cli.reports.errors import NothingToReportError, UnknownSourceError
from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.records import make_record
from tests.helpers.stub_portal import stub_portal

ROOT = Path(__file__).resolve().parents[2]

# how a command meets the catalogue lock
WRITER = "writer"  # takes the catalogue lock: a held lock is exit 4
READER = "reader"  # reads without the lock (WAL): a held lock does not stop it; a
# catalogue that SQLite keeps busy past the timeout is exit 4

# which configuration file a command reads
SOURCES = "sources"  # the source files in --config-dir
TARGET = "target"  # a publish target in --config-dir/targets
PROFILE = "profile"  # a profile YAML given with --profile


@dataclass(frozen=True)
class Case:
    """``lock``/``config``: one of the kinds above, or the reason the command is exempt.
    ``args``: a run that succeeds (exit ``ok``) on the harvested catalogue;
    ``config_args``: the run that meets the broken file. ``{record}``, ``{dataset}``,
    ``{profile}``, ``{plan}`` and ``{tmp}`` (a folder of the test's own) are filled in by
    the fixture."""

    lock: str
    config: str
    args: tuple[str, ...] = ()
    config_args: tuple[str, ...] = ()
    ok: int = 0


NO_CATALOGUE = "never opens the catalogue"
NO_CONFIG = "reads no configuration file, only the catalogue (--db)"

CASES: dict[tuple[str, ...], Case] = {
    ("validate",): Case(READER, PROFILE, ("--catalog",), ("--profile", "{profile}", "{record}")),
    ("harvest",): Case(WRITER, SOURCES, ("--all",), ("--all",)),
    ("publish",): Case(WRITER, TARGET, ("portal",), ("portal",)),
    ("sources", "list"): Case(READER, SOURCES, (), ()),
    ("sources", "check"): Case(NO_CATALOGUE, SOURCES, (), ("dinkes",)),
    ("catalog", "list"): Case(READER, NO_CONFIG),
    ("catalog", "search"): Case(READER, NO_CONFIG, ("puskesmas",)),
    ("catalog", "show"): Case(READER, NO_CONFIG, ("{dataset}",)),
    ("catalog", "stats"): Case(READER, NO_CONFIG),
    ("catalog", "export"): Case(READER, NO_CONFIG, ("--format", "jsonl")),
    ("jobs", "list"): Case(READER, NO_CONFIG),
    ("jobs", "show"): Case(READER, NO_CONFIG, ("1",)),
    ("jobs", "prune"): Case(WRITER, NO_CONFIG, ("--older-than", "1d")),
    ("schema", "show"): Case(NO_CATALOGUE, PROFILE, (), ("--profile", "{profile}")),
    ("schema", "export"): Case(NO_CATALOGUE, PROFILE, (), ("--profile", "{profile}")),
    ("report", "compliance"): Case(READER, NO_CONFIG),
    ("report", "freshness"): Case(READER, NO_CONFIG),
    ("report", "realisasi"): Case(
        READER,
        "reads the Daftar Data given with --plan (its errors: test_realisasi.py)",
        ("--plan", "{plan}"),
    ),
    ("catalog", "datasette-metadata"): Case(READER, NO_CONFIG),
    ("report", "trend"): Case(READER, NO_CONFIG),
    ("report", "changes"): Case(READER, NO_CONFIG),
    ("report", "site"): Case(READER, NO_CONFIG, ("{tmp}/situs",)),
    ("report", "links"): Case(READER, NO_CONFIG),
    # the test katalog's links are on the agencies' servers, which a test cannot reach:
    # the run that gets past the lock ends with "no network" (exit 5)
    ("links", "check"): Case(WRITER, NO_CONFIG, (), ok=5),
    ("init",): Case(NO_CATALOGUE, "writes the starter files, reads no configuration file"),
    ("info",): Case(
        "reads only the katalog's schema version, read-only: a problem is shown, not an exit",
        "reads no configuration file, only counts the files in the folder",
    ),
}


def leaf_commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command that runs something (groups only dispatch)."""
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield path
        return
    for name, sub in sorted(subcommands.items()):
        yield from leaf_commands(sub, (*path, name))


COMMANDS = list(leaf_commands(typer.main.get_command(app)))
LOCKING = [p for p in COMMANDS if CASES.get(p, Case(WRITER, "")).lock in (WRITER, READER)]
CONFIGURED = [
    p for p in COMMANDS if CASES.get(p, Case("", SOURCES)).config in (SOURCES, TARGET, PROFILE)
]


def _id(path: tuple[str, ...]) -> str:
    return " ".join(path)


def test_every_command_is_classified() -> None:
    assert len(COMMANDS) >= 15, COMMANDS  # the walk found the sub-apps' commands too
    missing = [_id(p) for p in COMMANDS if p not in CASES]
    assert not missing, f"classify these commands in CASES: {missing}"
    stale = [_id(p) for p in CASES if p not in COMMANDS]
    assert not stale, f"CASES names commands that no longer exist: {stale}"


def test_exempt_commands_say_why() -> None:
    kinds = {WRITER, READER, SOURCES, TARGET, PROFILE}
    for path, case in CASES.items():
        for value in (case.lock, case.config):
            assert value in kinds or len(value.split()) >= 4, (path, value)


# ------------------------------------------------------------------ a stub portal


@pytest.fixture
def portal() -> Iterator[str]:
    with stub_portal() as url:
        yield url


# ---------------------------------------------------------------- the fixtures


@dataclass
class Setup:
    cli: Cli
    values: dict[str, str]

    def run(self, path: tuple[str, ...], args: tuple[str, ...], **kwargs: Any) -> Any:
        filled = [a.format(**self.values) for a in args]
        return self.cli(*path, *filled, **kwargs)


@pytest.fixture
def setup(tmp_path: Path, portal: str, monkeypatch: pytest.MonkeyPatch) -> Setup:
    """A harvested catalogue of one directory source, a publish target on a stub
    portal, a record file and a broken profile."""
    cfg = tmp_path / "harvest_configs"
    data = cfg / "data"
    data.mkdir(parents=True)
    record = data / "records.json"
    record.write_text(json.dumps([make_record(i) for i in range(3)]), encoding="utf-8")
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data")
    targets = cfg / "targets"
    targets.mkdir()
    target = {"id": "portal", "type": "ckan", "url": portal, "token_env": "TEST_PORTAL_TOKEN"}
    (targets / "portal.yaml").write_text(yaml.safe_dump(target), encoding="utf-8")
    monkeypatch.setenv("TEST_PORTAL_TOKEN", "secret-token")
    plan = tmp_path / "daftar-data.csv"
    plan.write_text("Perangkat Daerah,Judul Data\nDinas Kesehatan,Jumlah Puskesmas\n", "utf-8")
    broken_profile = tmp_path / "broken-profile.yaml"
    broken_profile.write_text("name: [unclosed\n", encoding="utf-8")
    cli = Cli(tmp_path / "satudata.db", cfg)
    harvested = cli("harvest", "--all")
    assert harvested.exit_code == 0, harvested.stderr
    [first, *_] = json.loads(cli("catalog", "list", "--format", "json").stdout)
    values = {
        "record": str(record),
        "dataset": str(first["id"]),
        "profile": str(broken_profile),
        "plan": str(plan),
        "tmp": str(tmp_path),
    }
    return Setup(cli, values)


# ------------------------------------------------------------------- (a) the lock


@pytest.mark.parametrize("path", LOCKING, ids=_id)
def test_held_catalogue_lock(setup: Setup, path: tuple[str, ...]) -> None:
    """Writers meet the lock another run holds: exit 4, naming the holder. Readers do
    not take it (WAL readers never block a harvest) and succeed."""
    from satudata_cli.catalogue.lock import CatalogueLock

    case = CASES[path]
    with CatalogueLock(setup.cli.db, command="satudata harvest --all"):
        result = setup.run(path, case.args)
    if case.lock == WRITER:
        assert result.exit_code == ExitCode.LOCKED, result.stdout + result.stderr
        assert str(os.getpid()) in squash(result.stderr)
        assert squash(result.stderr).startswith("satudata: error:")
    else:
        assert result.exit_code == case.ok, result.stdout + result.stderr


@pytest.mark.parametrize("path", LOCKING, ids=_id)
def test_busy_catalogue(
    setup: Setup, path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process keeps SQLite busy past the timeout: every command that opens the
    catalogue exits 4 (this was 2 for most of them)."""
    from satudata_cli.catalogue.db import Catalogue

    def busy(cls: type[Catalogue], path: Path, *args: Any, **kwargs: Any) -> Catalogue:
        raise CatalogueLockedError(f"catalogue {path} is busy: another process kept it locked")

    monkeypatch.setattr(Catalogue, "open", classmethod(busy))
    result = setup.run(path, CASES[path].args)
    assert result.exit_code == ExitCode.LOCKED, result.stdout + result.stderr
    assert "is busy" in squash(result.stderr)


def test_jobs_prune_under_a_running_harvest_exits_4(setup: Setup) -> None:
    """The reproduced bug: prune used to exit 2 (or prune under a running harvest)."""
    from satudata_cli.catalogue.lock import CatalogueLock

    with CatalogueLock(setup.cli.db, command="satudata harvest --all"):
        result = setup.cli("jobs", "prune", "--older-than", "1d")
    assert result.exit_code == 4
    assert "in use by" in squash(result.stderr)
    after = setup.cli("jobs", "prune", "--older-than", "1d")
    assert after.exit_code == 0, after.stderr


# ------------------------------------------------------------ (b) a config error


def _break(setup: Setup, kind: str) -> None:
    cfg = setup.cli.cfg
    if kind == SOURCES:
        (cfg / "zz-broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    elif kind == TARGET:
        (cfg / "targets" / "portal.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    # PROFILE: the broken profile file is passed with --profile by the case's arguments


@pytest.mark.parametrize("path", CONFIGURED, ids=_id)
def test_broken_configuration_exits_2(setup: Setup, path: tuple[str, ...]) -> None:
    case = CASES[path]
    _break(setup, case.config)
    result = setup.run(path, case.config_args)
    assert result.exit_code == ExitCode.USAGE, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("satudata: error:"), result.stderr


# ----------------------------------------------------------------- the table itself


class _NewLockError(CatalogueLockedError):
    """A subclass nobody listed: it inherits the code of its nearest listed base."""


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (SatudataError("x"), ExitCode.USAGE),
        (UsageError("x"), ExitCode.USAGE),
        (StandardError("x"), ExitCode.USAGE),
        (ProfileError("x"), ExitCode.USAGE),
        (InputError("x"), ExitCode.USAGE),
        (TargetConfigError("x"), ExitCode.USAGE),
        (UnknownSourceError("x"), ExitCode.USAGE),
        (CatalogueError("x"), ExitCode.USAGE),
        (CatalogueLockedError("x"), ExitCode.LOCKED),
        (_NewLockError("x"), ExitCode.LOCKED),
        (PortalError("x"), ExitCode.NOTHING_DONE),
        (NothingToReportError("x"), ExitCode.NOTHING_DONE),
        (KeyboardInterrupt(), ExitCode.INTERRUPTED),
        (Terminated(), ExitCode.TERMINATED),  # SIGTERM: 143
        (HangUp(), ExitCode.HANGUP),  # SIGHUP: 129
        (ValueError("x"), ExitCode.INTERNAL),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, BaseException) else str(int(v)),
)
def test_exit_code_for(error: BaseException, code: ExitCode) -> None:
    assert exit_code_for(error) is code


def test_the_table_uses_only_exit_codes() -> None:
    table = exit_code_table()
    assert all(isinstance(code, ExitCode) for code in table.values())
    assert table[SatudataError] is ExitCode.USAGE


def test_no_command_maps_errors_itself() -> None:
    """The lock and the portal errors get their codes from the table only."""
    for module in (ROOT / "satudata_cli" / "cli").glob("*.py"):
        if module.name == "exitcodes.py":
            continue
        text = module.read_text(encoding="utf-8")
        for name in ("CatalogueLockedError", "PortalError", "NothingToReportError"):
            assert name not in text, (module.name, name)
        assert "ExitCode.LOCKED" not in text, module.name
