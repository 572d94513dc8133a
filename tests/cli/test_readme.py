"""The README's promises, checked against the code and the files they talk about."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import tomllib
from pathlib import Path

import openpyxl
import pytest
import typer
import yaml
from typer.testing import CliRunner

from satudata_cli.cli import app
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.readers.files import SUPPORTED_SUFFIXES
from satudata_cli.standard.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def section(heading: str) -> str:
    """The README text under ``heading`` (a full heading line), up to the next heading
    of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    lines = README.splitlines()
    assert heading in lines, heading
    start = lines.index(heading) + 1
    end = len(lines)
    fenced = False
    for number in range(start, len(lines)):
        if lines[number].startswith("```"):
            fenced = not fenced
        match = re.match(r"^(#+) ", lines[number])
        if match and not fenced and len(match.group(1)) <= level:
            end = number
            break
    return "\n".join(lines[start:end])


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def table_rows(text: str) -> list[list[str]]:
    """Cells of a Markdown table's body rows (header and rule row dropped)."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.lstrip().startswith("|")
    ]
    assert len(rows) >= 3, text
    assert set(rows[1][0]) <= set("-: "), rows[1]
    return rows[2:]


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return normalise(match.group(1))


# --------------------------------------------------------------------------- two commands, CI


def test_two_commands() -> None:
    text = section("## Two commands")
    blocks = code_blocks(text)
    assert len(blocks) == 1, blocks
    commands = [
        line.split("#", 1)[0].strip() for line in blocks[0].splitlines() if line.split("#", 1)[0]
    ]
    assert commands == ["bash scripts/demo.sh", "bash scripts/test.sh"]


@pytest.mark.parametrize("script", ["scripts/demo.sh", "scripts/test.sh", "scripts/bootstrap.sh"])
def test_scripts_exist(script: str) -> None:
    path = ROOT / script
    assert path.is_file()
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")


def _commands(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a shell script."""
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_ci_runs_the_test_script() -> None:
    run = ROOT / ".ci" / "run"
    assert run.is_file()
    last = _commands(run)[-1]
    assert re.fullmatch(r'(exec\s+)?bash\s+scripts/test\.sh(\s+"\$@")?', last), last
    # around it: the real CKAN of the publish tier is started first and stopped on exit
    text = run.read_text(encoding="utf-8")
    assert "ckan-up.sh" in text
    assert re.search(r"trap .*ckan-down\.sh.* EXIT", text)
    assert "export CKAN_URL CKAN_API_TOKEN" in text


def test_test_script_runs_ruff_mypy_and_pytest() -> None:
    commands = _commands(ROOT / "scripts" / "test.sh")
    assert any(c.startswith("ruff check") for c in commands)
    assert any(c.startswith("ruff format --check") for c in commands)
    assert any(c.startswith("mypy --strict") for c in commands)
    assert commands[-1].startswith("pytest")


def test_demo_script_validates_the_example_and_passes_arguments_on() -> None:
    commands = _commands(ROOT / "scripts" / "demo.sh")
    validate = [c for c in commands if c.startswith("satudata validate harvest_configs/data/medan")]
    assert len(validate) == 1, commands
    assert validate[0].endswith('"$@"')  # `bash scripts/demo.sh --lang en --format json`
    assert (ROOT / "harvest_configs" / "data" / "medan").is_dir()


def test_paths_named_in_the_readme_exist() -> None:
    named = set(re.findall(r"`((?:\.ci|scripts|schemas|harvest_configs|benchmarks|tests|"
                           r"satudata_cli)/[^`\s]*)`", README))  # fmt: skip
    assert "schemas/validation-report.schema.json" in named
    missing = [path for path in sorted(named) if not (ROOT / path).exists()]
    assert missing == []


def test_dataset_schema_is_draft_2020_12() -> None:
    schema = json.loads((ROOT / "schemas" / "satudata-dataset.schema.json").read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --------------------------------------------------------------------------- exit codes


def readme_exit_codes() -> dict[int, str]:
    return {int(row[0]): row[1] for row in table_rows(section("## Exit codes"))}


def test_exit_code_table_has_the_documented_codes() -> None:
    assert {0, 1, 2, 3, 4, 5, 130} <= set(readme_exit_codes())


@pytest.mark.parametrize("code", [0, 1, 2, 3, 4, 5, 130])
def test_documented_exit_code_is_an_exit_code(code: int) -> None:
    assert code in readme_exit_codes()
    assert code in {member.value for member in ExitCode}


def test_every_exit_code_is_documented() -> None:
    assert {member.value for member in ExitCode} <= set(readme_exit_codes())


def test_every_code_in_the_readme_table_is_an_exit_code() -> None:
    assert set(readme_exit_codes()) <= {member.value for member in ExitCode}


# --------------------------------------------------------------------------- rules


def readme_rules() -> dict[str, str]:
    """Rule id (or ``prefix.*``) -> severity, from the "What is checked" table."""
    rules: dict[str, str] = {}
    for row in table_rows(section("### What is checked")):
        ids = re.findall(r"`([^`]+)`", row[0])
        assert ids, row
        for rule_id in ids:
            rules[rule_id] = row[1]
    return rules


def test_readme_rules_table_parses() -> None:
    rules = readme_rules()
    assert "field.required" in rules
    assert "schema.*" in rules
    assert {"email.invalid", "url.invalid", "file.empty"} <= set(rules)


def test_every_readme_rule_exists() -> None:
    unknown = [
        rule_id
        for rule_id in readme_rules()
        if rule_id not in RULES and not re.fullmatch(r"[a-z-]+\.\*", rule_id)
    ]
    assert unknown == []


def test_readme_prefixes_are_not_rule_ids() -> None:
    """A documented prefix (schema.*) names a family the schema produces, not a rule."""
    for rule_id in readme_rules():
        if rule_id.endswith(".*"):
            assert not any(r.startswith(rule_id[:-1]) for r in RULES), rule_id


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_in_the_readme(rule_id: str) -> None:
    assert rule_id in readme_rules()


def test_every_rule_is_in_the_readme() -> None:
    assert sorted(set(RULES) - set(readme_rules())) == []


@pytest.mark.parametrize("rule_id", sorted(set(RULES) & set(readme_rules())))
def test_readme_severity_is_the_default_severity(rule_id: str) -> None:
    assert readme_rules()[rule_id] == RULES[rule_id].severity.value


# --------------------------------------------------------------------------- dependencies


def readme_packages() -> set[str]:
    names: set[str] = set()
    for row in table_rows(section("## Dependencies")):
        for name in row[0].replace("(dev)", "").split(","):
            if name.strip():
                names.add(normalise(name.strip()))
    return names


@pytest.mark.parametrize("requirement", PYPROJECT["project"]["dependencies"], ids=requirement_name)
def test_dependency_is_in_the_readme(requirement: str) -> None:
    assert requirement_name(requirement) in readme_packages()


@pytest.mark.parametrize(
    "requirement", PYPROJECT["project"]["optional-dependencies"]["dev"], ids=requirement_name
)
def test_dev_dependency_is_in_the_readme(requirement: str) -> None:
    assert requirement_name(requirement) in readme_packages()


def test_readme_lists_no_undeclared_package() -> None:
    declared = {
        requirement_name(r)
        for r in (
            *PYPROJECT["project"]["dependencies"],
            *PYPROJECT["project"]["optional-dependencies"]["dev"],
        )
    }
    assert readme_packages() - declared == set()


# --------------------------------------------------------------------------- pre-commit, options


def pre_commit_hooks() -> list[dict[str, object]]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    assert hooks
    return hooks


def test_pre_commit_hook() -> None:
    hooks = pre_commit_hooks()
    for hook in hooks:
        assert isinstance(hook, dict)
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert str(hook["entry"]).startswith("satudata validate")
        assert hook["language"] == "python"
    # the id the README's .pre-commit-config.yaml example uses
    assert "satudata-validate" in {hook["id"] for hook in hooks}
    assert "id: satudata-validate" in README


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_pre_commit_hook_sees_every_supported_file(suffix: str) -> None:
    (hook,) = [h for h in pre_commit_hooks() if h["id"] == "satudata-validate"]
    assert re.search(str(hook["files"]), f"metadata/daftar-data{suffix}")


def test_pre_commit_hook_ignores_other_files() -> None:
    (hook,) = [h for h in pre_commit_hooks() if h["id"] == "satudata-validate"]
    for name in ("README.md", "setup.py", "data.json.bak", "notes.txt"):
        assert not re.search(str(hook["files"]), name), name


@pytest.mark.parametrize(
    "envvar",
    ["SATUDATA_PROFILE", "SATUDATA_FORMAT", "SATUDATA_FAIL_ON", "SATUDATA_LANG", "SATUDATA_COLOR"],
)
def test_environment_variable_of_validate(envvar: str) -> None:
    assert envvar in README
    validate = typer.main.get_command(app).commands["validate"]  # type: ignore[attr-defined]
    envvars = set()
    for param in validate.params:
        value = getattr(param, "envvar", None)
        envvars.update([value] if isinstance(value, str) else (value or []))
    assert envvar in envvars


def test_validate_usage_in_the_readme_matches_the_options() -> None:
    """Every option in the README's usage block is an option of `satudata validate`."""
    (usage,) = [b for b in code_blocks(section("## `satudata validate`")) if "PATH..." in b]
    validate = typer.main.get_command(app).commands["validate"]  # type: ignore[attr-defined]
    options = {opt for param in validate.params for opt in getattr(param, "opts", [])}
    documented = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", usage))
    assert documented
    assert documented - options == set()


# --------------------------------------------------------------------------- examples run


def readme_profile_example() -> str:
    (block,) = [b for b in code_blocks(section("### Profiles of your own")) if "extends:" in b]
    return block


@pytest.fixture
def example_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The files the README's examples name, made from the bundled Medan data."""
    medan = ROOT / "harvest_configs" / "data" / "medan"
    (tmp_path / "metadata").mkdir()
    for path in medan.iterdir():
        (tmp_path / "metadata" / path.name).write_bytes(path.read_bytes())
    rows = list(csv.reader(io.StringIO((medan / "bappeda-daftar-data.csv").read_text("utf-8")),
                           delimiter=";"))  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "daftar-data.xlsx")
    records = json.loads((medan / "dinas-kesehatan.json").read_text(encoding="utf-8"))
    (tmp_path / "record.json").write_text(json.dumps(records[0]), encoding="utf-8")
    (tmp_path / "profil-medan.yaml").write_text(readme_profile_example(), encoding="utf-8")
    (tmp_path / "harvest_configs" / "data").mkdir(parents=True)
    (tmp_path / "harvest_configs" / "data" / "medan").symlink_to(medan)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def readme_examples() -> list[str]:
    (block,) = [
        b
        for b in code_blocks(section("## `satudata validate`"))
        if "satudata validate harvest_configs/data/medan" in b
    ]
    return [line.strip() for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize("example", readme_examples())
def test_readme_example_runs(example: str, example_workspace: Path) -> None:
    stdin = None
    if example.startswith("cat "):
        feed, example = (part.strip() for part in example.split("|", 1))
        stdin = (example_workspace / feed.split()[1]).read_bytes()
    argv = shlex.split(example)
    assert argv[0] == "satudata"
    result = CliRunner().invoke(app, argv[1:], input=stdin, env={"LANG": "C.UTF-8"})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    assert not result.stderr.startswith("satudata: error"), result.stderr
    assert result.exit_code in {0, 1}, result.stderr
    if "--output" in argv:
        assert result.stdout == ""
        written = example_workspace / argv[argv.index("--output") + 1]
        assert json.loads(written.read_text(encoding="utf-8"))["version"] == "2.1.0"
    if "--format" in argv and argv[argv.index("--format") + 1] == "json":
        assert json.loads(result.stdout)["summary"]["records"] == 1


def test_readme_profile_example(example_workspace: Path) -> None:
    """The README's profile as written: 'field.unknown: off' is unquoted, which YAML 1.1
    reads as false; it must still switch the rule off (it used to be refused, exit 2)."""
    assert "field.unknown: off" in readme_profile_example()
    result = CliRunner().invoke(
        app, ["validate", "metadata", "--profile", "profil-medan.yaml", "--as-of", "2026-11-28"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "$.walidata" in result.stdout  # the profile's extra recommended field
    assert "field.unknown" not in result.stdout  # switched off
