"""``satudata init``: a starter configuration the loaders accept, never written over an
existing file without --force, and next commands that work as printed."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner, Result

from satudata_cli.cli import app
from satudata_cli.publish.config import load_targets
from satudata_cli.sources.config import load_sources
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.schema import CONFIG_SCHEMAS, load_standard

ROOT = Path(__file__).resolve().parents[2]

#: every file init writes
STARTER = {
    "daftar-data.yaml",
    "portal-ckan.yaml",
    "data/daftar-data.csv",
    "profiles/walidata.yaml",
    "targets/portal.yaml",
    "schemas/source.schema.json",
    "schemas/target.schema.json",
    "schemas/profile.schema.json",
}


def run(*args: str | Path, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def written(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def next_commands(stdout: str) -> list[str]:
    """The satudata command lines init printed under "Next", comments dropped."""
    return [
        line.split("#", 1)[0].strip()
        for line in stdout.splitlines()
        if line.strip().startswith("satudata ")
    ]


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    folder = tmp_path / "konfigurasi"
    result = run("init", folder, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    return folder


# ------------------------------------------------------------------ what it writes


def test_init_writes_the_starter(starter: Path) -> None:
    assert written(starter) == STARTER


def test_init_prints_what_it_wrote_and_the_next_commands(tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    result = run("init", folder, "--lang", "en")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert f"Starter configuration written to {folder}:" in result.stdout
    for name in STARTER:
        assert name in result.stdout
    assert "Next:" in result.stdout
    flag = f"--config-dir {shlex.quote(str(folder))}"
    assert next_commands(result.stdout) == [
        f"satudata {flag} sources list",
        f"satudata {flag} sources check daftar-data",
        f"satudata {flag} harvest daftar-data",
        f"satudata {flag} catalog stats",
        f"satudata {flag} info",
        f"satudata {flag} sources check portal-ckan",
        f"satudata {flag} publish portal --dry-run",
    ]
    assert "export SATUDATA_PORTAL_TOKEN=..." in result.stdout


def test_init_speaks_indonesian(tmp_path: Path) -> None:
    result = run("init", tmp_path / "cfg", "--lang", "id")
    assert result.exit_code == 0
    assert "Konfigurasi awal ditulis ke" in result.stdout
    assert "Langkah berikutnya:" in result.stdout
    assert "Next:" not in result.stdout
    assert "written to" not in result.stdout


def test_every_starter_yaml_is_commented_in_both_languages(starter: Path) -> None:
    for path in sorted(starter.rglob("*.yaml")):
        comments = [line for line in path.read_text("utf-8").splitlines() if "#" in line]
        text = "\n".join(comments).lower()
        assert len(comments) >= 5, path
        # a word of each language that every file's comments use
        assert " / " in text, path
        assert any(w in text for w in ("tidak", "bukan", "dari", "dengan", "untuk", "ganti")), path
        assert any(w in text for w in ("the ", "never", "only", "from", "your")), path


# ------------------------------------------------------------------ the loaders accept it


def test_the_loaders_accept_every_file(starter: Path) -> None:
    sources = load_sources(starter)
    assert {(s.id, s.type) for s in sources} == {
        ("daftar-data", "spreadsheet"),
        ("portal-ckan", "ckan"),
    }
    (target,) = load_targets(starter)
    assert (target.id, target.token_env) == ("portal", "SATUDATA_PORTAL_TOKEN")
    profile = ProfileLoader(load_standard()).load(str(starter / "profiles" / "walidata.yaml"))
    assert profile.chain == ("sdi-dasar", "walidata")
    assert {"kode_wilayah", "kontak"} <= set(profile.required)
    # the sources name the profile, relative to their own file
    profile_file = (starter / "profiles" / "walidata.yaml").resolve()
    assert all(Path(str(s.profile)).resolve() == profile_file for s in sources)


def test_the_files_match_the_schemas_written_beside_them(starter: Path) -> None:
    """The editor's view (yaml-language-server, the first line of each file) agrees with
    the loaders: every file is valid against the schema it names."""
    kinds = {"source": ["daftar-data.yaml", "portal-ckan.yaml"], "target": ["targets/portal.yaml"]}
    kinds["profile"] = ["profiles/walidata.yaml"]
    assert set(kinds) == set(CONFIG_SCHEMAS)
    for kind, names in kinds.items():
        schema = json.loads((starter / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        for name in names:
            path = starter / name
            first = path.read_text("utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema=")
            named = (path.parent / first.split("=", 1)[1]).resolve()
            assert named == (starter / "schemas" / f"{kind}.schema.json").resolve()
            errors = list(validator.iter_errors(yaml.safe_load(path.read_text("utf-8"))))
            assert errors == [], (name, [e.message for e in errors])


def test_sources_list_and_check_and_publish_accept_the_files(starter: Path, tmp_path: Path) -> None:
    db = tmp_path / "katalog.db"
    base = ["--config-dir", str(starter), "--db", str(db)]
    listed = run(*base, "sources", "list", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert set(rows) == {"daftar-data", "portal-ckan"}
    assert rows["daftar-data"]["location"] == str(starter / "data" / "daftar-data.csv")

    checked = run(*base, "sources", "check", "daftar-data", "--format", "json")
    assert checked.exit_code == 0, checked.stderr
    preview = json.loads(checked.stdout)
    assert len(preview) == 2
    assert all(row["valid"] for row in preview), preview

    # the target file loads: what stops the dry run is the token the user has yet to give
    published = run(*base, "publish", "portal", "--dry-run")
    assert published.exit_code == 2
    assert "SATUDATA_PORTAL_TOKEN is not set" in published.stderr
    assert str(starter / "targets" / "portal.yaml") in published.stderr
    assert "unknown target" not in published.stderr


def test_the_printed_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first steps printed (everything that needs no portal), exactly as printed."""
    work = tmp_path / "kerja"
    work.mkdir()
    monkeypatch.chdir(work)
    result = run("init", "cfg")
    assert result.exit_code == 0
    commands = next_commands(result.stdout)
    assert commands[0] == "satudata --config-dir cfg sources list"
    for command in commands[:5]:
        step = run(*shlex.split(command)[1:])
        assert step.exit_code == 0, (command, step.stderr)
    # the harvest went into the user's katalog: no project folder here
    db = Path(os.environ["XDG_DATA_HOME"]) / "satudata" / "satudata.db"
    assert db.is_file()
    stats = run("catalog", "stats", "--format", "json")
    assert json.loads(stats.stdout)["active"] == 2


# ------------------------------------------------------------------ where, and never over


def test_init_defaults_to_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no project folder here
    result = run("init")
    assert result.exit_code == 0, result.stderr
    home = Path(os.environ["XDG_CONFIG_HOME"]) / "satudata"
    assert written(home) == STARTER
    # the commands find it by themselves: no --config-dir in them
    assert next_commands(result.stdout)[0] == "satudata sources list"
    listed = run("sources", "list", "--format", "json")
    assert {row["id"] for row in json.loads(listed.stdout)} == {"daftar-data", "portal-ckan"}


def test_init_in_a_project_folder_names_the_folder_in_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """./harvest_configs wins over the user folder, so the commands must say which."""
    (tmp_path / "harvest_configs").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0
    home = Path(os.environ["XDG_CONFIG_HOME"]) / "satudata"
    assert written(home) == STARTER
    assert list((tmp_path / "harvest_configs").iterdir()) == []
    assert next_commands(result.stdout)[0] == (
        f"satudata --config-dir {shlex.quote(str(home))} sources list"
    )


def test_init_writes_into_config_dir_when_given(tmp_path: Path) -> None:
    folder = tmp_path / "etc-satudata"
    result = run("--config-dir", folder, "init")
    assert result.exit_code == 0
    assert written(folder) == STARTER
    from_env = run("init", env={"SATUDATA_CONFIG_DIR": str(tmp_path / "dari-env")})
    assert from_env.exit_code == 0
    assert written(tmp_path / "dari-env") == STARTER
    # the variable will be set when the commands run, so they need no --config-dir
    assert next_commands(from_env.stdout)[0] == "satudata sources list"


def test_init_never_overwrites_without_force(starter: Path) -> None:
    edited = starter / "daftar-data.yaml"
    edited.write_text("# my own\n", encoding="utf-8")
    (starter / "targets" / "portal.yaml").unlink()
    again = run("init", starter, "--lang", "en")
    assert again.exit_code == 2
    assert again.stdout == ""
    assert "daftar-data.yaml" in again.stderr
    assert "nothing written" in again.stderr
    assert "--force" in again.stderr
    assert edited.read_text(encoding="utf-8") == "# my own\n"
    assert not (starter / "targets" / "portal.yaml").exists()  # nothing at all was written

    forced = run("init", starter, "--force")
    assert forced.exit_code == 0
    assert edited.read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert written(starter) == STARTER


def test_init_keeps_other_files(starter: Path) -> None:
    own = starter / "dinas-kesehatan.yaml"
    own.write_text("id: dinas-kesehatan\n", encoding="utf-8")
    forced = run("init", starter, "--force")
    assert forced.exit_code == 0
    assert own.read_text(encoding="utf-8") == "id: dinas-kesehatan\n"


def test_init_into_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "berkas"
    path.write_text("x", encoding="utf-8")
    result = run("init", path, "--lang", "en")
    assert result.exit_code == 2
    assert "is not a folder" in result.stderr
    assert path.read_text(encoding="utf-8") == "x"


def test_init_into_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    locked = tmp_path / "terkunci"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores the mode: use a path under a file
            target = tmp_path / "berkas"
            target.write_text("x", encoding="utf-8")
            folder = target / "sub"
        else:
            folder = locked / "sub"
        result = run("init", folder, "--lang", "en")
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert result.stderr.count("\n") == 1
