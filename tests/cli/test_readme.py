"""The README's and docs/'s promises, checked against the code and the files they talk
about; every example command they show is run."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import typer
import yaml

from satudata_cli.cli import app
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.readers.files import SUPPORTED_SUFFIXES
from satudata_cli.standard.rules import RULES
from tests.helpers.doc_examples import (
    DOCS,
    ROOT,
    Example,
    code_blocks,
    doc_names,
    doc_text,
    examples,
    make_workspace,
    profile_example,
    run_cli,
    section,
    table_rows,
)

README = doc_text("README.md")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
ALL_DOCS = "\n".join(doc_text(name) for name in doc_names())

#: docs pages written on another branch of issue 10: linked already, checked once there.

#: example commands that are not run here, each with the reason.
NOT_RUN = {
    "bash scripts/demo.sh": "the script itself: it sets up a venv (its commands are "
    "checked by test_demo_script_validates_the_example_and_passes_arguments_on)",
    "bash scripts/test.sh": "the script itself: it runs this whole suite",
    "satudata publish medan-portal --dry-run": "needs the real CKAN portal of the target "
    "and its API token (publish is run against a real CKAN in tests/e2e/test_publish_ckan.py)",
    "satudata --db katalog.db publish medan-portal --dry-run": "needs the real CKAN portal "
    "of the target and its API token (see tests/e2e/test_publish_ckan.py)",
    "satudata publish medan-portal --source medan-contoh --format json": "needs the real "
    "CKAN portal of the target and its API token (see tests/e2e/test_publish_ckan.py)",
    # docs/links.md: the agencies' own servers, which a test may not reach (the loopback
    # link fixture runs the same command in tests/integration/test_links_check.py)
    "satudata links check": "fetches the agencies' servers (see test_links_check.py)",
    'satudata links check --source portal-medan --organization "Dinas Kesehatan"': "fetches "
    "the agencies' servers (see tests/integration/test_links_check.py)",
    "satudata links check --max-age 0": "fetches the agencies' servers (see "
    "tests/integration/test_links_check.py)",
    "satudata links check --json": "fetches the agencies' servers (see "
    "tests/integration/test_links_check.py)",
}


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return normalise(match.group(1))


# --------------------------------------------------------------------------- README, docs/


def test_readme_fits_one_screen_or_so() -> None:
    assert len(README.splitlines()) <= 150


def test_readme_says_what_it_is_in_indonesian_and_english() -> None:
    assert "**Ringkasan.**" in README
    assert "walidata" in README and "katalog" in README
    assert "in the coming releases" not in README
    assert "Rilis berikutnya" not in README


def test_readme_main_job_in_six_commands() -> None:
    (block,) = code_blocks(section(README, "## The main job in six commands"), "bash")
    commands = [line.split()[1] for line in block.splitlines() if line.strip()]
    # the link check between the harvest and the report (issue 13)
    assert commands == ["validate", "harvest", "catalog", "links", "report", "publish"]


def _links(name: str) -> list[str]:
    return re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc_text(name))


def test_readme_links_every_docs_page() -> None:
    linked = {link.removeprefix("docs/") for link in _links("README.md")}
    pages = {path.name for path in DOCS.glob("*.md")}
    assert pages, "docs/ is empty"
    assert pages - linked == set()


@pytest.mark.parametrize("name", doc_names())
def test_links_lead_to_files(name: str) -> None:
    base = ROOT if name == "README.md" else DOCS
    missing = [
        link
        for link in _links(name)
        if not link.startswith(("http://", "https://", "mailto:")) and not (base / link).exists()
    ]
    assert missing == []


# --------------------------------------------------------------------------- two commands, CI


def test_two_commands() -> None:
    text = section(README, "## Two commands")
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


def test_demo_script_checks_links_without_requests_between_harvest_and_report() -> None:
    commands = _commands(ROOT / "scripts" / "demo.sh")
    steps = [c.split()[1] for c in commands if c.startswith("satudata ")]
    assert steps.index("harvest") < steps.index("links") < steps.index("report")
    assert "satudata links check --dry-run" in commands
    assert "satudata report links" in commands


def test_demo_script_validates_the_example_and_passes_arguments_on() -> None:
    commands = _commands(ROOT / "scripts" / "demo.sh")
    validate = [c for c in commands if c.startswith("satudata validate harvest_configs/data/medan")]
    assert len(validate) == 1, commands
    assert validate[0].endswith('"$@"')  # `bash scripts/demo.sh --lang en --format json`
    assert (ROOT / "harvest_configs" / "data" / "medan").is_dir()


def test_paths_named_in_the_readme_exist() -> None:
    named = set(re.findall(r"`((?:\.ci|scripts|schemas|harvest_configs|benchmarks|tests|"
                           r"satudata_cli)/[^`\s]*)`", ALL_DOCS))  # fmt: skip
    assert "schemas/validation-report.schema.json" in named
    # a placeholder such as satudata_cli/sources/<name>.py names no file
    missing = [p for p in sorted(named) if "<" not in p and not (ROOT / p).exists()]
    assert missing == []


def test_dataset_schema_is_draft_2020_12() -> None:
    schema = json.loads((ROOT / "schemas" / "satudata-dataset.schema.json").read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# --------------------------------------------------------------------------- exit codes


def readme_exit_codes() -> dict[int, str]:
    """The exit-code table of docs/exit-codes.md (its first table)."""
    return {
        int(row[0]): row[1]
        for row in table_rows(section(doc_text("exit-codes.md"), "# Exit codes"))
    }


def test_exit_code_table_has_the_documented_codes() -> None:
    assert {0, 1, 2, 3, 4, 5, 129, 130, 143} <= set(readme_exit_codes())


@pytest.mark.parametrize("code", [0, 1, 2, 3, 4, 5, 129, 130, 143])
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
    for row in table_rows(section(doc_text("validate.md"), "## What is checked")):
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
    for row in table_rows(section(doc_text("architecture.md"), "## Dependencies")):
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
    assert "id: satudata-validate" in doc_text("validate.md")


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
    """validate reads these variables: its own options, or the global ones (SATUDATA_LANG
    is the root's --lang, which every command follows)."""
    assert envvar in doc_text("configuration.md")
    root = typer.main.get_command(app)
    validate = root.commands["validate"]  # type: ignore[attr-defined]
    envvars = set()
    for param in [*validate.params, *root.params]:
        value = getattr(param, "envvar", None)
        envvars.update([value] if isinstance(value, str) else (value or []))
    assert envvar in envvars


def test_validate_usage_in_the_readme_matches_the_options() -> None:
    """Every option in the README's usage block is an option of `satudata validate`."""
    (usage,) = [b for b in code_blocks(doc_text("validate.md")) if "PATH..." in b]
    validate = typer.main.get_command(app).commands["validate"]  # type: ignore[attr-defined]
    options = {opt for param in validate.params for opt in getattr(param, "opts", [])}
    documented = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", usage))
    assert documented
    assert documented - options == set()


def _cli_envvars() -> set[str]:
    """Every environment variable an option of any command (or a global option) reads."""
    found: set[str] = set()

    def walk(command: object) -> None:
        for param in getattr(command, "params", []):
            value = getattr(param, "envvar", None)
            found.update([value] if isinstance(value, str) else (value or []))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(app))
    return found


def test_every_environment_variable_is_in_the_configuration_page() -> None:
    envvars = _cli_envvars()
    assert {"SATUDATA_DB", "SATUDATA_CONFIG_DIR", "SATUDATA_PROFILE"} <= envvars
    table = section(doc_text("configuration.md"), "## Environment variables")
    assert sorted(envvars - set(re.findall(r"`(SATUDATA_[A-Z_]+)`", table))) == []


def test_environment_variables_are_written_down_in_one_place() -> None:
    """Other pages link to configuration.md instead of listing variables again (token
    variables named by token_env in examples are not settings of satudata)."""
    for name in doc_names():
        if name == "configuration.md":
            continue
        named = set(re.findall(r"\bSATUDATA_[A-Z_]+", doc_text(name)))
        assert {n for n in named if not n.endswith("_TOKEN")} <= {"SATUDATA_DEBUG"}, name


# --------------------------------------------------------------------------- examples run


EXAMPLES = examples()


def test_examples_are_found() -> None:
    commands = [example.command for example in EXAMPLES]
    assert "bash scripts/test.sh" in commands
    assert "satudata validate harvest_configs/data/medan" in commands
    assert "cat record.json | satudata validate - --format json" in commands
    assert any(c.startswith("satudata report ") for c in commands)
    assert any(c.startswith("satudata catalog export ") for c in commands)


def test_every_command_not_run_is_still_in_the_docs() -> None:
    assert set(NOT_RUN) <= {example.command for example in EXAMPLES}


@pytest.fixture(scope="module")
def workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("docs-workspace"))


@pytest.fixture
def example_workspace(
    workspace_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh copy of the workspace the examples run in, as the current folder."""
    import shutil

    folder = tmp_path / "ws"
    shutil.copytree(workspace_template, folder)
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize(
    "example", [e for e in EXAMPLES if e.command not in NOT_RUN], ids=lambda e: e.id
)
def test_example_runs(example: Example, example_workspace: Path) -> None:
    command, stdin = example.command, None
    if command.startswith("cat "):
        feed, command = (part.strip() for part in command.split("|", 1))
        stdin = (example_workspace / feed.split()[1]).read_bytes()
    argv = shlex.split(command)
    env: dict[str, str] = {}
    while "=" in argv[0] and argv[0].startswith("SATUDATA_"):
        name, value = argv.pop(0).split("=", 1)
        env[name] = value
    redirect = None
    if ">" in argv:
        redirect = argv[argv.index(">") + 1]
        argv = argv[: argv.index(">")]
    assert argv[0] == "satudata"
    result = run_cli(argv[1:], stdin=stdin, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert not result.stderr.startswith("satudata: error"), result.stderr
    assert result.exit_code in {0, 1}, result.stderr
    assert result.exit_code in readme_exit_codes()
    if redirect is not None:
        (example_workspace / redirect).write_text(result.stdout, encoding="utf-8")
        assert result.stdout.strip()
    command_name = next(a for a in argv[1:] if not a.startswith("-") and a != "katalog.db")
    if "--output" in argv:
        written = example_workspace / argv[argv.index("--output") + 1]
        assert written.is_file() and written.stat().st_size > 0
        if command_name == "validate":
            assert result.stdout == ""
            if argv[argv.index("--format") + 1] == "sarif":
                assert json.loads(written.read_text(encoding="utf-8"))["version"] == "2.1.0"
    elif any(name.endswith("_FORMAT") and value == "json" for name, value in env.items()):
        json.loads(result.stdout)  # the family's variable chose the format
    elif "--format" in argv and argv[argv.index("--format") + 1] == "json":
        document = json.loads(result.stdout)
        if command_name == "validate":
            assert document["summary"]["records"] == (1 if stdin else 8)


def test_readme_profile_example(example_workspace: Path) -> None:
    """The profile as written: 'field.unknown: off' is unquoted, which YAML 1.1 reads as
    false; it must still switch the rule off (it used to be refused, exit 2)."""
    assert "field.unknown: off" in profile_example()
    result = run_cli(
        ["validate", "metadata", "--profile", "profil-medan.yaml", "--as-of", "2026-11-28"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "$.walidata" in result.stdout  # the profile's extra recommended field
    assert "field.unknown" not in result.stdout  # switched off


# --------------------------------------------------------------------------- lists kept by hand


def _types_named(text: str) -> set[str]:
    return set(re.findall(r"`([a-z][a-z0-9_-]*)`", text))


def test_docs_list_every_registered_kind() -> None:
    """Where prose lists the source types, export formats or report formats by hand,
    the list is the registry's: adding a kind fails here until the docs name it."""
    from satudata_cli.exports import EXPORT_FORMATS
    from satudata_cli.reports.formats import REPORT_FORMATS
    from satudata_cli.sources.registry import source_names

    types = set(source_names())
    (type_row,) = [r for r in doc_text("sources.md").splitlines() if r.startswith("| `type` |")]
    assert _types_named(type_row.split("|")[2]) == types
    (readme_row,) = [r for r in README.splitlines() if "docs/sources.md" in r and "|" in r]
    listed = re.search(r"every type \(([^)]*)\)", readme_row)
    assert listed is not None and set(listed[1].replace(" ", "").split(",")) == types

    (export_usage,) = [
        u
        for u in re.findall(r"satudata catalog export --format (\S+)", doc_text("catalogue.md"))
        if "|" in u
    ]
    assert export_usage.split("|") == list(EXPORT_FORMATS)

    usages = re.findall(
        r"satudata report (\w+) .*?\[--format ([a-z|]+)\]", doc_text("reports.md"), re.S
    )
    # compliance, freshness and links (its own registry with the same names); other
    # reports' usages may follow
    assert {"compliance", "freshness", "links"} <= {name for name, _ in usages}
    assert all(usage.split("|") == list(REPORT_FORMATS) for _, usage in usages)
    from satudata_cli.reports.links_render import LINKS_FORMATS

    assert list(LINKS_FORMATS) == list(REPORT_FORMATS)
