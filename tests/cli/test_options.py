"""The shared options (satudata_cli.cli.options): one --format per command with its own
environment variable, choices derived from the registries, --json as an alias."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer

from satudata_cli.cli import app
from satudata_cli.cli.options import FORMAT_ENVVARS, LEGACY_FORMAT_ENVVAR
from satudata_cli.exports import EXPORT_FORMATS
from satudata_cli.reports.formats import REPORT_FORMATS
from satudata_cli.standard.formats import FORMATTERS
from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record

ROOT = Path(__file__).resolve().parents[2]

#: commands that print no result of their own to choose a format for
NO_FORMAT = {
    ("jobs", "prune"): "prints one sentence: how many jobs and events were deleted",
    ("schema", "export"): "writes one JSON Schema document, which has no other form",
    ("init",): "writes files; prints what it wrote and the next commands to run",
    ("catalog", "datasette-metadata"): "writes Datasette's metadata.json, which has no other form",
}


def leaves(command: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        return {path: command}
    found: dict[tuple[str, ...], Any] = {}
    for name, sub in subcommands.items():
        found.update(leaves(sub, (*path, name)))
    return found


COMMANDS = leaves(typer.main.get_command(app))


def option(path: tuple[str, ...], name: str) -> Any:
    for param in COMMANDS[path].params:
        if name in getattr(param, "opts", ()):
            return param
    return None


def envvars(param: Any) -> list[str]:
    value = param.envvar
    return [value] if isinstance(value, str) else list(value or [])


def choices(param: Any) -> list[str]:
    """The values an option accepts (its enum: typer keeps it on the parameter)."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        return [str(member.value) for member in descriptor.annotation]
    return [str(choice) for choice in param.type.choices]  # a click.Choice


# ------------------------------------------------------------------ which --format


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_that_prints_a_result_offers_format(path: tuple[str, ...]) -> None:
    param = option(path, "--format")
    if path in NO_FORMAT:
        assert param is None, path
        return
    assert param is not None, f"{' '.join(path)} has no --format"
    assert "-f" in param.opts
    [own, *rest] = envvars(param)
    assert own in FORMAT_ENVVARS.values()
    assert rest == ([LEGACY_FORMAT_ENVVAR] if path == ("validate",) else [])


def test_format_variables_follow_one_scheme() -> None:
    for family, name in FORMAT_ENVVARS.items():
        assert name == f"SATUDATA_{family.upper()}_FORMAT"


def test_the_old_shared_variable_is_read_by_validate_only() -> None:
    readers = [
        path
        for path in COMMANDS
        for p in COMMANDS[path].params
        if LEGACY_FORMAT_ENVVAR in envvars(p)
    ]
    assert readers == [("validate",)]


@pytest.mark.parametrize(
    ("path", "family"),
    [
        (("validate",), "validate"),
        (("harvest",), "harvest"),
        (("publish",), "publish"),
        (("sources", "list"), "sources"),
        (("sources", "check"), "sources"),
        (("catalog", "list"), "catalog"),
        (("catalog", "stats"), "catalog"),
        (("catalog", "export"), "export"),
        (("jobs", "list"), "jobs"),
        (("report", "compliance"), "report"),
        (("report", "freshness"), "report"),
        (("schema", "show"), "schema"),
    ],
)
def test_format_variable_of_a_command(path: tuple[str, ...], family: str) -> None:
    assert envvars(option(path, "--format"))[0] == FORMAT_ENVVARS[family]


def test_root_help_documents_the_scheme() -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "SATUDATA_<COMMAND>_FORMAT" in result.stdout


# ------------------------------------------------------- choices from the registries


def test_export_choices_are_the_export_registry() -> None:
    assert choices(option(("catalog", "export"), "--format")) == list(EXPORT_FORMATS)


@pytest.mark.parametrize("command", ["compliance", "freshness"])
def test_report_choices_are_the_report_registry(command: str) -> None:
    assert choices(option(("report", command), "--format")) == list(REPORT_FORMATS)


def test_validate_choices_are_text_and_the_finding_formats() -> None:
    assert choices(option(("validate",), "--format")) == ["text", *FORMATTERS]


@pytest.mark.parametrize("path", [("harvest",), ("publish",)], ids=" ".join)
def test_harvest_and_publish_print_text_or_json(path: tuple[str, ...]) -> None:
    assert choices(option(path, "--format")) == ["text", "json"]
    assert option(path, "--json") is not None  # the alias stays


@pytest.mark.parametrize("name", ["--output", "--source", "--lang"])
def test_shared_options_have_one_help_text(name: str) -> None:
    """Declared once: apart from the commands that give their own wording, the same."""
    helps = {p: option(p, name).help for p in COMMANDS if option(p, name) is not None}
    assert len(helps) >= 2, helps
    if name == "--lang":
        assert len(set(helps.values())) == 1


# -------------------------------------------------------------- the reproduced bugs


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cfg = tmp_path / "harvest_configs"
    data = cfg / "data"
    data.mkdir(parents=True)
    (data / "records.json").write_text(
        json.dumps([make_record(i) for i in range(2)]), encoding="utf-8"
    )
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data")
    return Cli(tmp_path / "satudata.db", cfg)


@pytest.mark.parametrize("value", ["sarif", "csv", "junit", "html", "yaml"])
def test_the_old_variable_does_not_break_other_commands(cli: Cli, value: str) -> None:
    env = {LEGACY_FORMAT_ENVVAR: value}
    harvest = cli("harvest", "--all", env=env)
    assert harvest.exit_code == 0, harvest.stderr
    assert "dinkes" in harvest.stdout
    listing = cli("sources", "list", env=env)
    assert listing.exit_code == 0, listing.stderr
    assert "dinkes" in listing.stdout
    for args in (("catalog", "list"), ("jobs", "list"), ("report", "compliance")):
        result = cli(*args, env=env)
        assert result.exit_code == 0, (args, result.stderr)
    assert "deprecated" not in listing.stderr


def test_sarif_in_the_old_variable_and_sources_list(cli: Cli) -> None:
    """Reproduced: SATUDATA_FORMAT=sarif satudata sources list exited 2."""
    result = cli("sources", "list", env={"SATUDATA_FORMAT": "sarif"})
    assert result.exit_code == 0, result.stderr
    assert "Sources" in result.stdout


def test_a_wrong_value_for_validate_is_a_usage_error(cli: Cli) -> None:
    record = cli.cfg / "data" / "records.json"
    result = cli("validate", record, env={"SATUDATA_FORMAT": "csv"})
    assert result.exit_code == 2
    result = cli("validate", record, env={"SATUDATA_VALIDATE_FORMAT": "csv"})
    assert result.exit_code == 2


def test_the_old_variable_still_works_for_validate_with_a_note(cli: Cli) -> None:
    record = cli.cfg / "data" / "records.json"
    result = cli("validate", record, env={"SATUDATA_FORMAT": "json"})
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["records"] == 2
    assert "SATUDATA_FORMAT is deprecated" in result.stderr
    assert "SATUDATA_VALIDATE_FORMAT" in result.stderr
    in_indonesian = cli("validate", record, "--lang", "id", env={"SATUDATA_FORMAT": "json"})
    assert in_indonesian.exit_code == 0, in_indonesian.stderr
    assert "SATUDATA_FORMAT sudah usang; gunakan SATUDATA_VALIDATE_FORMAT" in in_indonesian.stderr


def test_the_new_variable_of_validate_wins_without_a_note(cli: Cli) -> None:
    record = cli.cfg / "data" / "records.json"
    env = {"SATUDATA_VALIDATE_FORMAT": "json", "SATUDATA_FORMAT": "sarif"}
    result = cli("validate", record, env=env)
    assert result.exit_code == 0, result.stderr
    assert "summary" in json.loads(result.stdout)
    assert "deprecated" not in result.stderr
    flag = cli("validate", record, "--format", "json", env={"SATUDATA_FORMAT": "sarif"})
    assert "deprecated" not in flag.stderr


def test_one_family_variable_does_not_reach_another(cli: Cli) -> None:
    cli("harvest", "--all")
    listing = cli("sources", "list", env={"SATUDATA_CATALOG_FORMAT": "json"})
    assert listing.exit_code == 0
    assert "Sources" in listing.stdout
    sources = cli("sources", "list", env={"SATUDATA_SOURCES_FORMAT": "json"})
    assert [s["id"] for s in json.loads(sources.stdout)] == ["dinkes"]
    catalog = cli("catalog", "list", env={"SATUDATA_CATALOG_FORMAT": "csv"})
    assert catalog.stdout.startswith("id,source_id,")


def test_harvest_format_json_is_the_json_flag(cli: Cli) -> None:
    first = cli("harvest", "--all", "--format", "json")
    assert first.exit_code == 0, first.stderr
    [item] = json.loads(first.stdout)
    assert item["source"] == "dinkes"
    flag = cli("harvest", "--all", "--json")
    env = cli("harvest", "--all", env={"SATUDATA_HARVEST_FORMAT": "json"})
    for result in (flag, env):
        assert result.exit_code == 0, result.stderr
        [again] = json.loads(result.stdout)
        assert set(again) == set(item)
    text = cli("harvest", "--all", "--format", "text")
    assert "Harvest" in text.stdout
