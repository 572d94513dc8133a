"""Source configuration files: satudata_cli.sources.config."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
import yaml

from satudata_cli.core.configfile import ConfigError
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.http import HttpSettings
from satudata_cli.sources.config import (
    SourceConfig,
    config_json_schema,
    load_source,
    load_sources,
)

ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = ROOT / "harvest_configs"
SCHEMA_FILE = ROOT / "schemas" / "harvest-config.schema.json"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def _error(folder: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_sources(folder)
    assert isinstance(info.value, SatudataError)
    return str(info.value)


# -- the bundled examples ----------------------------------------------------------------


def test_bundled_offline_example_is_the_only_top_level_source() -> None:
    sources = load_sources(CONFIG_DIR)
    assert [s.id for s in sources] == ["medan-contoh"]
    medan = sources[0]
    assert medan.type == "directory"
    assert medan.path == CONFIG_DIR / "data" / "medan"
    assert medan.path.is_dir()
    assert medan.organization == "Pemerintah Kota Medan"
    assert medan.defaults == {
        "walidata": "Dinas Komunikasi dan Informatika Kota Medan",
        "kode_wilayah": "12.71",
    }
    assert medan.schedule == "daily"
    assert medan.withdraw.grace_days == 7
    assert medan.withdraw.max_fraction == 0.2
    assert medan.file == CONFIG_DIR / "medan-contoh.yaml"
    assert medan.resolve_token({}) is None


def test_ckan_example_loads() -> None:
    ckan = load_source(CONFIG_DIR / "examples" / "ckan-portal-medan.yaml")
    assert ckan.type == "ckan"
    assert ckan.url == "https://data.pemkomedan.go.id"
    assert ckan.token_env == "SATUDATA_MEDAN_TOKEN"
    assert ckan.mapping["frekuensi_penerbitan"] == "jadwal_pemutakhiran"
    assert ckan.http.requests_per_second == 5
    assert ckan.resolve_token({"SATUDATA_MEDAN_TOKEN": "abc123"}) == "abc123"


def test_defaults_of_a_minimal_source(tmp_path: Path) -> None:
    _write(tmp_path, "p.yaml", "id: p\ntype: ckan\nurl: https://portal.example/\n")
    (source,) = load_sources(tmp_path)
    assert source.url == "https://portal.example"  # trailing slash dropped
    assert source.schedule == "manual"
    assert source.withdraw.grace_days == 7
    assert source.withdraw.max_fraction == 0.2
    assert source.http == HttpSettings()
    assert source.http.verify is True
    assert source.label == "p"


def test_only_top_level_yaml_files_are_sources(tmp_path: Path) -> None:
    _write(tmp_path, "b.yml", "id: b\ntype: ckan\nurl: https://b.example\n")
    _write(tmp_path, "a.yaml", "id: a\ntype: ckan\nurl: https://a.example\n")
    _write(tmp_path, "targets/t.yaml", "not: a source\n")
    _write(tmp_path, "data/x.yaml", "name: a record\n")
    _write(tmp_path, "notes.txt", "ignored\n")
    assert [s.id for s in load_sources(tmp_path)] == ["a", "b"]


def test_other_source_types_are_valid_config(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "j.yaml",
        "id: j\ntype: jsonapi\nurl: https://api.example/v1/datasets\n"
        "jsonapi: {records: data, id: id, fields: {title: judul}}\n",
    )
    _write(tmp_path, "s.yaml", "id: s\ntype: spreadsheet\npath: daftar-data.xlsx\n")
    _write(tmp_path, "d.yaml", "id: d\ntype: datajson\npath: data.json\n")
    sources = {s.id: s for s in load_sources(tmp_path)}
    assert sources["j"].type == "jsonapi"
    assert sources["j"].jsonapi is not None and sources["j"].jsonapi.fields == {"title": "judul"}
    assert sources["s"].path == tmp_path / "daftar-data.xlsx"
    assert sources["d"].path == tmp_path / "data.json"


# -- errors name file, line and key --------------------------------------------------------


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "portal.yaml",
        """
        id: portal
        type: ckan
        url: https://portal.example
        http:
          timeout: 30
          timout: 5
        """,
    )
    message = _error(tmp_path)
    assert f"{path}:6: http.timout: unknown key" in message
    assert "did you mean timeout?" in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.yaml", "id: x\ntype: ckan\nurl: https://x.example\nwaktu: 3\n")
    assert f"{path}:4: waktu: unknown key" in _error(tmp_path)


def test_every_problem_of_every_file_is_reported(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", "id: A!\ntype: ckan\nurl: https://a.example\n")
    b = _write(tmp_path, "b.yaml", "id: b\ntype: ftp\nschedule: yearly\n")
    message = _error(tmp_path)
    assert f"{a}:1: id: String should match pattern" in message
    assert f"{b}:2: type:" in message
    assert f"{b}:3: schedule:" in message


@pytest.mark.parametrize("key", ["token", "api_key", "password", "secret", "API-Key"])
def test_a_secret_in_the_file_is_refused(tmp_path: Path, key: str) -> None:
    path = _write(
        tmp_path,
        "s.yaml",
        f"""
        id: s
        type: ckan
        url: https://s.example
        http:
          {key}: hunter2-very-secret
        """,
    )
    message = _error(tmp_path)
    assert f"{path}:5: http.{key}:" in message
    assert "environment variable" in message
    assert "token_env" in message
    assert "hunter2" not in message


def test_secrets_in_the_url_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "u.yaml", "id: u\ntype: jsonapi\nurl: https://x.example/api?api_key=s3cr3t\n")
    _write(tmp_path, "v.yaml", "id: v\ntype: ckan\nurl: https://me:s3cr3t@x.example\n")
    message = _error(tmp_path)
    assert "token_env" in message
    assert "s3cr3t" not in message


def test_token_env_must_be_a_variable_name(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.yaml", "id: t\ntype: ckan\nurl: https://t.example\ntoken_env: abc-123\n"
    )
    message = _error(tmp_path)
    assert f"{path}:4: token_env:" in message
    assert "abc-123" not in message


@pytest.mark.parametrize("kind", ["ckan", "jsonapi"])
def test_url_required_for_remote_types(tmp_path: Path, kind: str) -> None:
    path = _write(tmp_path, "r.yaml", f"title: Remote\nid: r\ntype: {kind}\n")
    assert f"{path}:3: url: required for type {kind}" in _error(tmp_path)


@pytest.mark.parametrize("kind", ["datajson", "spreadsheet"])
def test_url_or_path_for_document_types(tmp_path: Path, kind: str) -> None:
    path = _write(tmp_path, "r.yaml", f"id: r\ntype: {kind}\n")
    assert f"{path}:2: url: type {kind} needs url or path" in _error(tmp_path)
    _write(tmp_path, "r.yaml", f"id: r\ntype: {kind}\npath: a.json\nurl: https://x.example\n")
    assert "r.yaml:3: path: type" in _error(tmp_path)


def test_path_required_for_directory_and_url_refused(tmp_path: Path) -> None:
    _write(tmp_path, "d.yaml", "id: d\ntype: directory\n")
    assert "d.yaml:2: path: required for type directory" in _error(tmp_path)
    _write(tmp_path, "d.yaml", "id: d\ntype: directory\npath: x\nurl: https://x.example\n")
    assert "d.yaml:4: url: not used by type directory" in _error(tmp_path)


def test_missing_id_and_type(tmp_path: Path) -> None:
    path = _write(tmp_path, "m.yaml", "title: Tanpa id\n")
    message = _error(tmp_path)
    assert f"{path}:1: id: required key is missing" in message
    assert f"{path}:1: type: required key is missing" in message


def test_unquoted_kode_wilayah_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "k.yaml",
        """
        id: k
        type: directory
        path: data
        defaults:
          kode_wilayah: 12.10
        """,
    )
    assert f'{path}:5: defaults.kode_wilayah: must be quoted text, e.g. kode_wilayah: "12.71"' in (
        _error(tmp_path)
    )


def test_yaml_dates_in_defaults_become_iso_text(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "d.yaml",
        "id: d\ntype: directory\npath: x\ndefaults: {tanggal_dibuat: 2021-03-15}\n",
    )
    (source,) = load_sources(tmp_path)
    assert source.defaults == {"tanggal_dibuat": "2021-03-15"}


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "y.yaml", "id: y\ntype: ckan\nurl: [unclosed\nfoo: bar\n")
    assert f"{path}:" in _error(tmp_path)
    assert "not valid YAML" in _error(tmp_path)


@pytest.mark.parametrize(("text", "expected"), [("", "empty"), ("- a\n- b\n", "YAML mapping")])
def test_empty_or_non_mapping_files(tmp_path: Path, text: str, expected: str) -> None:
    _write(tmp_path, "e.yaml", text or "\n")
    assert expected in _error(tmp_path)


def test_verify_false_allowed_but_not_with_ca_bundle(tmp_path: Path) -> None:
    _write(tmp_path, "v.yaml", "id: v\ntype: ckan\nurl: https://v.example\nhttp: {verify: false}\n")
    (source,) = load_sources(tmp_path)
    assert source.http.verify is False
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    _write(
        tmp_path,
        "v.yaml",
        "id: v\ntype: ckan\nurl: https://v.example\nhttp:\n  verify: false\n  ca_bundle: ca.pem\n",
    )
    assert "v.yaml:5: http.verify: verify: false and ca_bundle contradict" in _error(tmp_path)


def test_ca_bundle_resolves_and_must_exist(tmp_path: Path) -> None:
    _write(tmp_path, "certs/ca.pem", "-----BEGIN CERTIFICATE-----\n")
    _write(
        tmp_path,
        "c.yaml",
        "id: c\ntype: ckan\nurl: https://c.example\nhttp: {ca_bundle: certs/ca.pem}\n",
    )
    (source,) = load_sources(tmp_path)
    assert source.http.ca_bundle == tmp_path / "certs" / "ca.pem"
    _write(
        tmp_path,
        "c.yaml",
        "id: c\ntype: ckan\nurl: https://c.example\nhttp: {ca_bundle: nope.pem}\n",
    )
    assert "c.yaml:4: http.ca_bundle: the CA bundle" in _error(tmp_path)


# -- duplicates, paths, folder -------------------------------------------------------------


def test_duplicate_ids_across_files_name_both_files(tmp_path: Path) -> None:
    first = _write(tmp_path, "a-portal.yaml", "id: dinkes\ntype: ckan\nurl: https://a.example\n")
    second = _write(tmp_path, "b-portal.yaml", "type: ckan\nid: dinkes\nurl: https://b.example\n")
    message = _error(tmp_path)
    assert f"{second}:2: id: 'dinkes'" in message
    assert str(first) in message


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    config_dir = tmp_path / "configs"
    _write(
        config_dir,
        "dir.yaml",
        "id: dir\ntype: directory\npath: ../metadata/dinkes\nprofile: profil-medan.yaml\n",
    )
    _write(
        config_dir, "abs.yaml", f"id: abs\ntype: directory\npath: {tmp_path}\nprofile: sdi-dasar\n"
    )
    sources = {s.id: s for s in load_sources(config_dir)}
    assert sources["dir"].path == config_dir / ".." / "metadata" / "dinkes"
    assert sources["dir"].profile == str(config_dir / "profil-medan.yaml")
    assert sources["abs"].path == tmp_path
    assert sources["abs"].profile == "sdi-dasar"


def test_missing_config_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"configuration folder .*nope does not exist"):
        load_sources(tmp_path / "nope")


def test_empty_config_folder_has_no_sources(tmp_path: Path) -> None:
    assert load_sources(tmp_path) == []


# -- tokens --------------------------------------------------------------------------------


def test_resolve_token(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.yaml", "id: t\ntype: ckan\nurl: https://t.example\ntoken_env: PORTAL_TOKEN\n"
    )
    (source,) = load_sources(tmp_path)
    assert source.resolve_token({"PORTAL_TOKEN": " tok-123 \n"}) == "tok-123"
    for environ in ({}, {"PORTAL_TOKEN": ""}, {"OTHER": "tok-123"}):
        with pytest.raises(ConfigError) as info:
            source.resolve_token(environ)
        message = str(info.value)
        assert "PORTAL_TOKEN" in message
        assert str(path) in message
        assert "tok-123" not in message


def test_resolve_token_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    source = SourceConfig(id="x", type="ckan", url="https://x.example", token_env="SATUDATA_X")
    monkeypatch.setenv("SATUDATA_X", "from-env")
    assert source.resolve_token() == "from-env"
    monkeypatch.delenv("SATUDATA_X")
    with pytest.raises(ConfigError, match="SATUDATA_X"):
        source.resolve_token()


# -- the JSON Schema -------------------------------------------------------------------------


def test_committed_json_schema_is_in_sync() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == config_json_schema(), (
        "schemas/harvest-config.schema.json is out of date; regenerate it (see the "
        "docstring of satudata_cli/sources/config.py)"
    )


def test_json_schema_accepts_the_examples_and_refuses_mistakes() -> None:
    schema = config_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in (
        CONFIG_DIR / "medan-contoh.yaml",
        CONFIG_DIR / "examples" / "ckan-portal-medan.yaml",
    ):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path
    assert not validator.is_valid({"id": "x", "type": "ckan"})  # url missing
    assert not validator.is_valid({"id": "x", "type": "directory", "path": "d", "extra": 1})
    assert "Satu sumber" in schema["description"]  # English and Indonesian


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "twice.yaml",
        "id: t\ntype: ckan\nurl: https://a.example\nurl: https://b.example\n",
    )
    assert f"{path}:4: url: given twice" in _error(tmp_path)
