"""The JSON Schemas of the configuration files: kept equal to the models, written by
``satudata schema export --config KIND``, shipped in the wheel and read from there when
installed (with the starter of ``satudata init``)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner, Result

from satudata_cli.cli import app
from satudata_cli.publish.config import target_json_schema
from satudata_cli.sources.config import config_json_schema
from satudata_cli.standard.profiles import profile_json_schema
from satudata_cli.standard.schema import CONFIG_SCHEMAS
from tests.helpers.doc_examples import profile_example

ROOT = Path(__file__).resolve().parents[2]

MODELS: dict[str, Callable[[], dict[str, Any]]] = {
    "source": config_json_schema,
    "target": target_json_schema,
    "profile": profile_json_schema,
}


def run(*args: str | Path, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def test_every_kind_has_a_model() -> None:
    assert set(MODELS) == set(CONFIG_SCHEMAS)


@pytest.mark.parametrize("kind", sorted(CONFIG_SCHEMAS))
def test_the_schema_file_is_the_model_written_out(kind: str) -> None:
    committed = json.loads((ROOT / "schemas" / CONFIG_SCHEMAS[kind]).read_text("utf-8"))
    assert committed == MODELS[kind](), (
        f"schemas/{CONFIG_SCHEMAS[kind]} is out of date; regenerate it (see the docstring "
        f"of {MODELS[kind].__module__}.{MODELS[kind].__name__})"
    )
    jsonschema.Draft202012Validator.check_schema(committed)


@pytest.mark.parametrize("kind", sorted(CONFIG_SCHEMAS))
def test_schema_export_config_writes_the_file(kind: str, tmp_path: Path) -> None:
    shipped = json.loads((ROOT / "schemas" / CONFIG_SCHEMAS[kind]).read_text("utf-8"))
    printed = run("schema", "export", "--config", kind)
    assert printed.exit_code == 0, printed.stderr
    assert json.loads(printed.stdout) == shipped
    target = tmp_path / f"{kind}.schema.json"
    written = run("schema", "export", "--config", kind, "--output", target)
    assert written.exit_code == 0
    assert written.stdout == ""
    assert json.loads(target.read_text("utf-8")) == shipped


def test_config_and_profile_do_not_go_together() -> None:
    result = run("schema", "export", "--config", "source", "--profile", "sdi-statistik")
    assert result.exit_code == 2
    assert "--profile and --config" in result.stderr
    # a profile chosen by the variable (meant for validate) does not get in the way
    from_env = run(
        "schema", "export", "--config", "target", env={"SATUDATA_PROFILE": "sdi-statistik"}
    )
    assert from_env.exit_code == 0
    assert json.loads(from_env.stdout) == target_json_schema()


def test_an_unknown_kind_is_a_usage_error() -> None:
    result = run("schema", "export", "--config", "katalog")
    assert result.exit_code == 2
    assert "source" in result.stderr and "profile" in result.stderr


def test_the_profiles_satudata_ships_and_documents_fit_the_profile_schema() -> None:
    validator = jsonschema.Draft202012Validator(profile_json_schema())
    documents = [
        yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((ROOT / "schemas" / "profiles").glob("*.yaml"))
    ]
    documents.append(yaml.safe_load(profile_example()))  # its `field.unknown: off` is false
    assert len(documents) == 3
    for document in documents:
        assert list(validator.iter_errors(document)) == []
    assert not validator.is_valid({"name": "x", "rules": {"field.unknown": "mati"}})
    assert not validator.is_valid({"name": "x", "wajib": ["kontak"]})


# ------------------------------------------------------------------ the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from this tree by pip with the declared backend (hatchling)."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--quiet", "-w", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    (built,) = out.glob("satudata-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked as an installer lays it out (site-packages)."""
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def from_wheel(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m satudata_cli ARGS`` importing satudata from the unpacked wheel."""
    return subprocess.run(
        [sys.executable, "-m", "satudata_cli", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(cwd),
             "LANG": "C.UTF-8"},
    )  # fmt: skip


@pytest.mark.slow
def test_the_wheel_ships_the_config_schemas_and_the_starter(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in CONFIG_SCHEMAS.values():
        assert f"satudata_cli/_schemas/{name}" in names
    starter = ROOT / "satudata_cli" / "cli" / "starter"
    for path in starter.rglob("*"):
        if path.is_file():
            assert f"satudata_cli/cli/starter/{path.relative_to(starter).as_posix()}" in names


@pytest.mark.slow
def test_installed_satudata_reads_its_own_schemas(installed: Path, tmp_path: Path) -> None:
    """Run from the unpacked wheel, in a folder without schemas/: the schemas come from
    the package (satudata_cli/_schemas), not from a source tree."""
    info = from_wheel(installed, tmp_path, "info", "--format", "json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["schemas_dir"] == str(installed / "satudata_cli" / "_schemas")
    for kind, name in CONFIG_SCHEMAS.items():
        exported = from_wheel(installed, tmp_path, "schema", "export", "--config", kind)
        assert exported.returncode == 0, exported.stderr
        shipped = json.loads((installed / "satudata_cli" / "_schemas" / name).read_text("utf-8"))
        assert json.loads(exported.stdout) == shipped == MODELS[kind]()


@pytest.mark.slow
def test_installed_satudata_writes_the_starter(installed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    done = from_wheel(installed, tmp_path, "init", str(folder), "--lang", "en")
    assert done.returncode == 0, done.stderr
    listed = from_wheel(
        installed, tmp_path, "--config-dir", str(folder), "sources", "list", "--format", "json"
    )
    assert listed.returncode == 0, listed.stderr
    assert {row["id"] for row in json.loads(listed.stdout)} == {"daftar-data", "portal-ckan"}
    checked = from_wheel(
        installed, tmp_path, "--config-dir", str(folder), "--db", str(tmp_path / "k.db"),
        "sources", "check", "daftar-data",
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
