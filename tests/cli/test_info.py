"""Where the configuration and the katalog live (flag > variable > project folder > user
default) and ``satudata info``, which says which is in use and why."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from satudata_cli import __version__
from satudata_cli.catalogue import SCHEMA_VERSION
from satudata_cli.cli import app
from tests.helpers.cli import write_source

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str | Path, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def info(*args: str | Path, env: dict[str, str | None] | None = None) -> dict[str, Any]:
    result = run(*args, "info", "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def user_config() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "satudata"


def user_db() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "satudata" / "satudata.db"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder that is no project folder."""
    folder = tmp_path / "di-luar"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder with harvest_configs/ (one offline source), like a clone."""
    folder = tmp_path / "proyek"
    data = folder / "harvest_configs" / "data"
    data.mkdir(parents=True)
    (data / "a.json").write_text(
        (ROOT / "harvest_configs/data/medan/dinas-kesehatan.json").read_text("utf-8"),
        encoding="utf-8",
    )
    write_source(folder / "harvest_configs", "lokal", title="Lokal", type="directory", path="data")
    monkeypatch.chdir(folder)
    return folder


# ------------------------------------------------------------------ precedence


def test_user_defaults_outside_a_project(elsewhere: Path) -> None:
    data = info()
    assert data["config_dir"] == {
        "path": str(user_config()),
        "from": "user",
        "exists": False,
        "source_files": None,
    }
    assert data["db"] == {
        "path": str(user_db()),
        "from": "user",
        "exists": False,
        "schema_version": None,
    }
    assert data["user_config_dir"] == {"path": str(user_config()), "exists": False}
    assert data["user_db"] == {"path": str(user_db()), "exists": False}


def test_the_xdg_defaults_when_the_variables_are_unset(
    elsewhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "rumah"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("XDG_DATA_HOME")
    data = info()
    assert data["config_dir"]["path"] == str(home / ".config" / "satudata")
    assert data["db"]["path"] == str(home / ".local" / "share" / "satudata" / "satudata.db")


def test_a_relative_xdg_variable_is_ignored(
    elsewhere: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XDG specification: a relative path in the variables is invalid."""
    monkeypatch.setenv("HOME", str(tmp_path / "rumah"))
    monkeypatch.setenv("XDG_CONFIG_HOME", "relatif")
    assert info()["config_dir"]["path"] == str(tmp_path / "rumah" / ".config" / "satudata")


def test_a_project_folder_keeps_both_defaults(project: Path) -> None:
    data = info()
    assert data["config_dir"]["from"] == "project"
    assert data["config_dir"]["path"] == str(project / "harvest_configs")
    assert data["config_dir"]["source_files"] == 1
    assert data["db"]["from"] == "project"
    assert data["db"]["path"] == str(project / "satudata.db")


def test_a_katalog_in_the_current_folder_is_still_used(elsewhere: Path) -> None:
    """Before the user folders, the katalog was ./satudata.db wherever satudata ran:
    a folder that holds one keeps it (its config comes from the user folder)."""
    project_free = elsewhere / "satudata.db"
    write_source(user_config(), "lokal", title="Lokal", type="directory", path=str(elsewhere))
    harvested = run("--db", project_free, "harvest", "--all")
    assert harvested.exit_code in (0, 5), harvested.stderr
    assert project_free.is_file()
    data = info()
    assert data["db"]["from"] == "project"
    assert data["db"]["path"] == str(project_free)
    assert data["config_dir"]["from"] == "user"


def test_the_variables_win_over_the_project_folder(project: Path, tmp_path: Path) -> None:
    env = {"SATUDATA_CONFIG_DIR": str(tmp_path / "etc"), "SATUDATA_DB": str(tmp_path / "k.db")}
    data = info(env=env)  # type: ignore[arg-type]
    assert data["config_dir"] == {
        "path": str(tmp_path / "etc"),
        "from": "env",
        "exists": False,
        "source_files": None,
        "variable": "SATUDATA_CONFIG_DIR",
    }
    assert data["db"]["from"] == "env"
    assert data["db"]["variable"] == "SATUDATA_DB"
    assert data["db"]["path"] == str(tmp_path / "k.db")


def test_the_options_win_over_the_variables(project: Path, tmp_path: Path) -> None:
    env = {"SATUDATA_CONFIG_DIR": str(tmp_path / "etc"), "SATUDATA_DB": str(tmp_path / "k.db")}
    data = info("--config-dir", "cfg", "--db", "x.db", env=env)  # type: ignore[arg-type]
    assert data["config_dir"]["from"] == "flag"
    assert data["config_dir"]["option"] == "--config-dir"
    assert data["config_dir"]["path"] == str(project / "cfg")  # shown absolute
    assert data["db"]["from"] == "flag"
    assert data["db"]["path"] == str(project / "x.db")


def test_an_empty_variable_counts_as_unset(elsewhere: Path) -> None:
    data = info(env={"SATUDATA_CONFIG_DIR": "", "SATUDATA_DB": ""})
    assert data["config_dir"]["from"] == "user"
    assert data["db"]["from"] == "user"


# ------------------------------------------------------------------ the commands use them


def test_harvest_without_a_project_uses_the_user_folders(elsewhere: Path) -> None:
    data = elsewhere / "data"
    data.mkdir()
    (data / "a.json").write_text(
        (ROOT / "harvest_configs/data/medan/dinas-kesehatan.json").read_text("utf-8"),
        encoding="utf-8",
    )
    write_source(user_config(), "lokal", title="Lokal", type="directory", path=str(data))
    result = run("harvest", "--all")
    assert result.exit_code == 0, result.stderr
    assert user_db().is_file()  # its folder was made
    assert not (elsewhere / "satudata.db").exists()
    stats = run("catalog", "stats", "--format", "json")
    assert json.loads(stats.stdout)["active"] >= 1
    assert info()["db"]["schema_version"] == SCHEMA_VERSION


def test_harvest_in_a_project_folder_uses_it(project: Path) -> None:
    result = run("harvest", "--all")
    assert result.exit_code == 0, result.stderr
    assert (project / "satudata.db").is_file()
    assert not user_db().exists()


def test_no_configuration_anywhere_says_how_to_start(elsewhere: Path) -> None:
    result = run("sources", "list")
    assert result.exit_code == 2
    assert str(user_config()) in result.stderr
    assert "satudata init" in result.stderr


# ------------------------------------------------------------------ info itself


def test_info_reads_the_katalog_without_changing_it(project: Path) -> None:
    assert run("harvest", "--all").exit_code == 0
    db = project / "satudata.db"
    before = (db.stat().st_mtime_ns, db.read_bytes())
    data = info()
    assert data["db"]["exists"] is True
    assert data["db"]["schema_version"] == SCHEMA_VERSION
    assert data["catalogue_schema_version"] == SCHEMA_VERSION
    assert (db.stat().st_mtime_ns, db.read_bytes()) == before


def test_info_creates_nothing(elsewhere: Path) -> None:
    info()
    assert not user_config().exists()
    assert not user_db().parent.exists()
    assert list(elsewhere.iterdir()) == []


def test_info_on_a_file_that_is_no_katalog(elsewhere: Path) -> None:
    (elsewhere / "satudata.db").write_text("bukan database", encoding="utf-8")
    data = info()
    assert data["db"]["from"] == "project"
    assert data["db"]["schema_version"] is None
    assert "not a satudata catalogue" in data["db"]["error"]


def test_info_names_the_version_the_schemas_and_the_command(elsewhere: Path) -> None:
    data = info()
    assert data["version"] == __version__
    assert Path(data["schemas_dir"], "harvest-config.schema.json").is_file()
    assert data["command"] is None or Path(data["command"]).is_absolute()


def test_info_json_alias(elsewhere: Path) -> None:
    result = run("info", "--json")
    assert json.loads(result.stdout)["config_dir"]["from"] == "user"
    from_env = run("info", env={"SATUDATA_INFO_FORMAT": "json"})
    assert json.loads(from_env.stdout)["db"]["from"] == "user"


def test_info_text_in_english(project: Path, tmp_path: Path) -> None:
    result = run("--db", tmp_path / "k.db", "info", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"satudata {__version__} (Python ")
    (config,) = [line for line in lines if line.startswith("config folder:")]
    assert str(project / "harvest_configs") in config
    assert "project folder" in config
    assert "1 source files" in config
    (db,) = [line for line in lines if line.startswith("katalog:")]
    assert str(tmp_path / "k.db") in db
    assert "option --db" in db
    assert "does not exist yet" in db
    assert any(line.startswith("katalog schema version:") for line in lines)


def test_info_text_in_indonesian(elsewhere: Path) -> None:
    result = run("info", "--lang", "id", env={"SATUDATA_DB": "/tmp/x/k.db"})
    assert result.exit_code == 0
    assert "folder konfigurasi:" in result.stdout
    assert "bawaan pengguna" in result.stdout
    assert "variabel SATUDATA_DB" in result.stdout
    assert "config folder" not in result.stdout
