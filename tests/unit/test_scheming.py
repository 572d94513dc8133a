"""The ckanext-scheming side of CKAN: the schema ``schema export --format ckan-scheming``
writes, the package a ``scheming: true`` target builds, and the CKAN reader taking the
fields back from the package's top level. The real CKAN with the schema loaded is
tests/e2e/test_publish_scheming.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from satudata_cli.cli import app
from satudata_cli.codecs.ckan.read import package_to_record
from satudata_cli.publish.config import TargetConfig
from satudata_cli.publish.mapping import RecordMapper
from satudata_cli.publish.scheming import scheming_schema
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.schema import load_standard
from tests.helpers.records import make_record


def schema_of(profile: str) -> dict[str, Any]:
    standard = load_standard()
    return scheming_schema(standard, ProfileLoader(standard).load(profile))


def fields_of(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["field_name"]: f for f in schema["dataset_fields"]}


def test_schema_fields_labels_required_and_choices() -> None:
    standard = load_standard()
    profile = ProfileLoader(standard).load("sdi-dasar")
    schema = schema_of("sdi-dasar")
    assert (schema["scheming_version"], schema["dataset_type"]) == (2, "dataset")
    fields = fields_of(schema)
    # CKAN's own fields where ckanext-scheming's default schema has them
    assert fields["owner_org"]["preset"] == "dataset_organization"
    assert fields["tag_string"]["preset"] == "tag_string_autocomplete"
    assert fields["url"]["label"] == {"id": "Tautan Akses", "en": "Access Link"}
    assert "resources" not in fields and "organization" not in fields
    # every other SDI field under its own name, bilingual label and help
    for name in ("produsen_data", "walidata", "kode_wilayah", "kontak", "kolom", "tahun"):
        assert set(fields[name]["label"]) == {"id", "en"}
        assert fields[name]["help_text"]["id"] and fields[name]["help_text"]["en"]
    required = {n for n, f in fields.items() if f.get("required")}
    core = {"organization": "owner_org", "link_akses": "url"}
    assert required == {core.get(n, n) for n in profile.required}
    # a closed vocabulary is a select of its canonical values with bilingual labels
    access = fields["klasifikasi_akses"]
    assert access["preset"] == "select"
    assert [c["value"] for c in access["choices"]] == ["terbuka", "terbatas", "tertutup"]
    assert access["choices"][0]["label"] == {"id": "Terbuka", "en": "Open"}
    # lists of texts keep their order (multiple_text); JSON fields come back parsed
    assert fields["format"]["preset"] == "multiple_text"
    assert "csv" in fields["format"]["help_text"]["en"]
    assert fields["kontak"]["output_validators"] == "scheming_load_json"
    assert fields["tahun"]["output_validators"] == "scheming_load_json"
    resource = [f["field_name"] for f in schema["resource_fields"]]
    assert resource == ["url", "name", "description", "format"]


def test_the_profile_decides_required_markers() -> None:
    standard = load_standard()
    dasar = fields_of(schema_of("sdi-dasar"))
    statistik_profile = ProfileLoader(standard).load("sdi-statistik")
    statistik = fields_of(schema_of("sdi-statistik"))
    assert set(dasar) == set(statistik)
    for name in statistik_profile.required:
        if "." not in name and name in statistik:
            assert statistik[name].get("required") is True, name
    assert {n for n, f in statistik.items() if f.get("required")} > {
        n for n, f in dasar.items() if f.get("required")
    }


def test_cli_writes_yaml_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "schema.yaml"
    result = runner.invoke(
        app, ["schema", "export", "--format", "ckan-scheming", "-p", "sdi-dasar", "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    as_yaml = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert as_yaml == schema_of("sdi-dasar")
    result = runner.invoke(app, ["schema", "export", "--format", "ckan-scheming", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == as_yaml
    # the JSON Schema export is unchanged by default
    result = runner.invoke(app, ["schema", "export"])
    assert json.loads(result.stdout)["$id"].startswith("urn:satudata:schema:")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--yaml"], "--yaml"),
        (["--format", "ckan-scheming", "--config", "source"], "--config"),
        (["--format", "ckan"], "ckan"),
    ],
)
def test_cli_refuses_what_does_not_go_together(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(app, ["schema", "export", *args])
    assert result.exit_code == 2
    assert expected in result.stderr


def target(**changes: Any) -> TargetConfig:
    return TargetConfig.model_validate(
        {"id": "kota", "type": "ckan", "url": "https://satudata.kota.go.id", "token_env": "T"}
        | changes
    )


def build(config: TargetConfig, record: dict[str, Any]) -> dict[str, Any]:
    return RecordMapper(config).build(
        record, source_id="dinkes", remote_id="r1", name=record["name"], owner="dinkes"
    )


def test_scheming_target_sends_sdi_fields_to_the_top_level() -> None:
    record = make_record(
        1,
        format=["xlsx", "csv"],
        kolom=[{"nama": "kecamatan"}],
        kategori="kesehatan",  # not an SDI field: stays an extra
    )
    package = build(target(scheming=True), record)
    assert package["produsen_data"] == record["produsen_data"]
    assert package["jadwal_pemutakhiran"] == "tahunan"
    assert package["format"] == ["xlsx", "csv"]  # a list for multiple_text, not JSON text
    assert json.loads(package["kontak"]) == record["kontak"]
    assert json.loads(package["kolom"]) == [{"nama": "kecamatan"}]
    assert package["tahun"] == "2025"
    assert package["url"] == record["link_akses"]
    assert (package["maintainer"], package["maintainer_email"]) == (
        record["kontak"]["nama"],
        record["kontak"]["email"],
    )
    extras = {e["key"]: e["value"] for e in package["extras"]}
    identity = {"satudata_source": "dinkes", "satudata_remote_id": "r1"}
    assert extras == {"kategori": "kesehatan", **identity}
    # without scheming: the same fields are extras
    plain = build(target(), record)
    assert "produsen_data" not in plain
    assert {e["key"]: e["value"] for e in plain["extras"]}["format"] == '["xlsx", "csv"]'


def test_a_fields_entry_still_wins_over_scheming() -> None:
    config = target(scheming=True, fields={"walidata": "extras:walidata_kota", "format": "fmt"})
    package = build(config, make_record(1, format=["csv"]))
    assert "walidata" not in package
    assert {e["key"]: e["value"] for e in package["extras"]}["walidata_kota"]
    assert package["fmt"] == '["csv"]'  # another field: not known to take a list


def test_reader_takes_scheming_fields_back() -> None:
    record = make_record(1, format=["xlsx", "csv"], tahun=2025)
    package = build(target(scheming=True), record)
    # what a scheming CKAN gives back: lists and parsed JSON, [] for an unset list field
    shown = {
        **package,
        "format": ["xlsx", "csv"],
        "kontak": record["kontak"],
        "tahun": 2025,
        "sumber_data": [],
        "klasifikasi_penyajian": [],
        "organization": {"name": "dinkes", "title": record["organization"]},
        "tags": [{"name": t} for t in record["tags"]],
    }
    back = package_to_record(shown)
    for key in ("satudata_source", "satudata_remote_id"):
        back.pop(key)
    assert back == record
    assert "sumber_data" not in back
