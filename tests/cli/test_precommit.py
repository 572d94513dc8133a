"""The CI examples of docs/validate.md, run for real (issue 11, item 1).

- The pre-commit hook (``.pre-commit-hooks.yaml``): the docs' ``.pre-commit-config.yaml``
  example, run by the real ``pre-commit`` in a fresh git repository of an agency that
  also holds the config itself, a GitHub workflow, a data table and a README: it passes
  on the good metadata file, fails on the bad one and never looks at the rest.
- The GitHub Actions example: its ``run:`` steps, as written, in a fresh virtual
  environment.

Both install satudata from a git repository made of this working tree (uncommitted work
included), tagged with the release tag the docs pin; the docs' placeholder address is
replaced by that repository's path, nothing else. pre-commit keeps its environments in
one PRE_COMMIT_HOME per test session; the install needs PyPI (or the configured index).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml

from satudata_cli import __version__
from tests.helpers.doc_examples import code_blocks, doc_text, section
from tests.helpers.records import make_record

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(sysconfig.get_path("scripts"))
PLACEHOLDER = "https://example.invalid/satudata.git"
TAG = f"v{__version__}"
GIT = ["git", "-c", "user.name=satudata tests", "-c", "user.email=tests@satudata.invalid"]
GIT += ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SATUDATA_", "GIT_"))}
    env.update({"LANG": "C.UTF-8", "NO_COLOR": "1", **extra})
    return env


def _run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _git(cwd: Path, *args: str) -> None:
    done = _run([*GIT, *args], cwd)
    assert done.returncode == 0, done.stderr


def _commit_all(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


@pytest.fixture(scope="session")
def satudata_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of this working tree as it is now, tagged ``v<version>``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    repo = tmp_path_factory.mktemp("satudata-src")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is left out
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _commit_all(repo, "satudata working tree")
    _git(repo, "tag", TAG)
    return repo


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _yaml_block(doc: str, marker: str) -> str:
    (block,) = [b for b in code_blocks(doc, "yaml") if marker in b]
    assert PLACEHOLDER in block or "repos:" not in block
    return block


def _bad_record() -> dict[str, Any]:
    record = make_record(2, kontak={"nama": "Seksi Data", "email": "bukan-surel"})
    del record["title"]
    return record


WORKFLOW = """\
name: metadata
on: [push, pull_request]
jobs:
  metadata:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "not metadata"
"""


@pytest.fixture
def agency_repo(tmp_path: Path, satudata_repo: Path) -> Path:
    """An agency repository: the docs' pre-commit config, a workflow, a data table, a
    README, and under metadata/ one good and one bad dataset record."""
    repo = tmp_path / "dinas-kesehatan"
    (repo / "metadata").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "data").mkdir()
    config = _yaml_block(doc_text("validate.md"), "repos:")
    (repo / ".pre-commit-config.yaml").write_text(
        config.replace(PLACEHOLDER, str(satudata_repo)), encoding="utf-8"
    )
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    (repo / "data" / "puskesmas-2025.csv").write_text(
        "kecamatan,jumlah\nMedan Kota,3\nMedan Baru,2\n", encoding="utf-8"
    )
    (repo / "README.md").write_text("# Metadata Dinas Kesehatan\n", encoding="utf-8")
    good = repo / "metadata" / "puskesmas.json"
    good.write_text(json.dumps(make_record(1), ensure_ascii=False, indent=2), encoding="utf-8")
    bad = repo / "metadata" / "imunisasi.json"
    bad.write_text(json.dumps(_bad_record(), ensure_ascii=False, indent=2), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")  # pre-commit refuses an unstaged .pre-commit-config.yaml
    return repo


NOT_METADATA = [".pre-commit-config.yaml", ".github/workflows/ci.yml", "data/puskesmas-2025.csv"]


def _pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = _run(
        [str(SCRIPTS / "pre-commit"), "run", "--color", "never", *args],
        repo,
        _env(PRE_COMMIT_HOME=str(home)),
    )
    assert "An unexpected error has occurred" not in done.stdout + done.stderr, done.stdout
    return done


def test_the_files_the_hook_leaves_alone_would_fail_as_metadata(agency_repo: Path) -> None:
    """The control: were the hook to pass them on, satudata would refuse each of them."""
    for name in NOT_METADATA:
        done = _run([str(SCRIPTS / "satudata"), "validate", name], agency_repo)
        assert done.returncode in (1, 5), (name, done.stdout)


def test_pre_commit_passes_on_good_fails_on_bad_ignores_the_rest(
    agency_repo: Path, pre_commit_home: Path
) -> None:
    good = _pre_commit(
        agency_repo, pre_commit_home, "--files", "metadata/puskesmas.json", "README.md",
        *NOT_METADATA,
    )  # fmt: skip
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"satudata validate.*Passed", good.stdout), good.stdout

    only_others = _pre_commit(agency_repo, pre_commit_home, "--files", *NOT_METADATA)
    assert only_others.returncode == 0, only_others.stdout
    assert re.search(r"satudata validate.*\(no files to check\)Skipped", only_others.stdout)

    bad = _pre_commit(agency_repo, pre_commit_home, "--files", "metadata/imunisasi.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"satudata validate.*Failed", bad.stdout), bad.stdout
    assert "imunisasi.json" in bad.stdout
    assert "field.required" in bad.stdout
    assert "email.invalid" in bad.stdout

    everything = _pre_commit(agency_repo, pre_commit_home, "--all-files")
    assert everything.returncode == 1, everything.stdout
    assert "imunisasi.json" in everything.stdout
    for name in ("ci.yml", ".pre-commit-config", "puskesmas-2025.csv", "README"):
        assert name not in everything.stdout, name


def test_the_hook_pattern_of_the_docs_is_the_hook_s() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pattern = str(hook["files"])
    assert f"`{pattern}`" in doc_text("validate.md")
    assert hook["pass_filenames"] is True
    for name in [*NOT_METADATA, "README.md", "docker-compose.yml", "mkdocs.yaml"]:
        assert not re.search(pattern, name), name
    for name in ("metadata/a.json", "dinkes/katalog/daftar-data.XLSX", "Metadata/b.yml"):
        assert re.search(pattern, name), name


def test_the_github_actions_example_runs_as_written(tmp_path: Path, satudata_repo: Path) -> None:
    block = _yaml_block(section(doc_text("validate.md"), "## In CI and pre-commit"), "jobs:")
    steps = yaml.safe_load(block)["jobs"]["metadata"]["steps"]
    commands = [str(step["run"]) for step in steps if "run" in step]
    assert any(PLACEHOLDER in c for c in commands), commands
    assert any("pip install" in c for c in commands), commands
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    assert made.returncode == 0, made.stderr
    env = _env(VIRTUAL_ENV=str(venv), PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHONHOME", None)
    workspace = tmp_path / "checkout"
    (workspace / "metadata").mkdir(parents=True)
    (workspace / "metadata" / "puskesmas.json").write_text(
        json.dumps(make_record(1), ensure_ascii=False), encoding="utf-8"
    )
    for command in commands:
        command = command.replace(PLACEHOLDER, f"file://{satudata_repo}")
        done = _run(["bash", "-e", "-c", command], workspace, env)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    installed = _run(["bash", "-c", "command -v satudata"], workspace, env)
    assert installed.stdout.strip() == str(venv / "bin" / "satudata")
    sarif = json.loads((workspace / "satudata.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"] == []

    # the same steps on a pull request that breaks a record: annotations and exit 1
    (workspace / "metadata" / "imunisasi.json").write_text(
        json.dumps(_bad_record(), ensure_ascii=False), encoding="utf-8"
    )
    annotate = next(c for c in commands if "--format github" in c)
    done = _run(["bash", "-e", "-c", annotate], workspace, env)
    assert done.returncode == 1
    assert "::error file=metadata/imunisasi.json" in done.stdout
