"""Publishing to a real CKAN 2.12 that runs ckanext-scheming with the schema of
``satudata schema export --format ckan-scheming`` (CKAN_SCHEMING_URL and
CKAN_SCHEMING_API_TOKEN; scripts/ckan-scheming.sh starts it, .ci/run does in CI).

What it proves: the exported schema is the one the portal loaded; a target with
``scheming: true`` puts the SDI fields at the package's top level (none in extras);
harvesting the portal back with the CKAN source gives the records unchanged; a second
publish writes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from satudata_cli.cli import app
from tests.helpers.ckan_real import RUN, RealCkan, connect, purge_run
from tests.helpers.records import make_record

URL_VAR, TOKEN_VAR = "CKAN_SCHEMING_URL", "CKAN_SCHEMING_API_TOKEN"


@pytest.fixture(scope="module")
def ckan() -> Iterator[RealCkan]:
    real = connect(URL_VAR, TOKEN_VAR)
    yield real
    purge_run(real)


def cli(root: Path, ckan: RealCkan, *args: str) -> Result:
    argv = ["--db", str(root / "katalog.db"), "--config-dir", str(root / "cfg"), *args]
    result = CliRunner().invoke(app, argv, env={"TEST_SCHEMING_TOKEN": ckan.token})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def exported(root: Path, ckan: RealCkan, *args: str) -> dict[str, Any]:
    result = cli(root, ckan, "schema", "export", "--format", "ckan-scheming", *args)
    assert result.exit_code == 0, result.stderr
    loaded: dict[str, Any] = (
        json.loads(result.stdout) if "--json" in args else yaml.safe_load(result.stdout)
    )
    return loaded


def test_the_exported_schema_is_loaded(ckan: RealCkan, tmp_path: Path) -> None:
    shown = ckan.call("scheming_dataset_schema_show", {"type": "dataset", "expanded": False})
    schema = exported(tmp_path, ckan)
    assert exported(tmp_path, ckan, "--json") == schema  # YAML and JSON say the same
    assert shown["dataset_fields"] == schema["dataset_fields"]
    assert shown["resource_fields"] == schema["resource_fields"]
    by_name = {f["field_name"]: f for f in shown["dataset_fields"]}
    frequency = by_name["jadwal_pemutakhiran"]
    assert frequency["required"] is True and frequency["preset"] == "select"
    assert {"value": "tahunan", "label": {"id": "Tahunan", "en": "Annual"}} in frequency["choices"]
    assert by_name["produsen_data"]["label"] == {"id": "Produsen Data", "en": "Data Producer"}
    assert by_name["format"]["preset"] == "multiple_text"


def records(tag: str) -> list[dict[str, Any]]:
    org = f"Dinas Kesehatan {tag}"

    def one(i: int, **extra: Any) -> dict[str, Any]:
        return make_record(i, name=f"{tag}-puskesmas-{i}", organization=org, **extra)

    return [
        one(0),
        one(
            1,
            tags=["puskesmas", "kesehatan"],
            klasifikasi_akses="terbatas",
            format=["xlsx", "csv"],  # order kept (a scheming select would sort it)
            klasifikasi_penyajian=["kecamatan", "jenis kelamin"],
        ),
        one(
            2,
            kontak="data.dinkes@pemkomedan.go.id",
            sumber_data=["Dinas Kesehatan", "Puskesmas"],
            kolom=[{"nama": "kecamatan", "tipe": "teks"}],
            jadwal_pemutakhiran="bulanan",
            tahun="2020-2024",  # a text stays a text; the number 2025 of the others a number
            resources=[
                {
                    "name": "Data 2025",
                    "url": "https://data.pemkomedan.go.id/files/a.csv",
                    "format": "CSV",
                    "description": "Berkas utama",
                    "size": 1024,
                },
                {
                    "name": "Kamus data",
                    "url": "https://data.pemkomedan.go.id/files/b.pdf",
                    "format": "PDF",
                },
            ],
        ),
    ]


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """What CKAN itself normalizes (as in test_publish_ckan.py): tags are a set, known
    resource formats in capitals; the harvest identity is left out."""
    out = dict(record)
    out["resources"] = [
        {**r, "format": r["format"].upper()} if "format" in r else r
        for r in out.get("resources", [])
    ]
    if "tags" in out:
        out["tags"] = sorted(out["tags"])
    for key in ("satudata_source", "satudata_remote_id"):
        out.pop(key, None)
    return out


def test_publish_through_the_schema_and_harvest_back(ckan: RealCkan, tmp_path: Path) -> None:
    tag = f"{RUN}-sch"
    org = f"{tag}-dinkes"
    data, cfg = tmp_path / "data", tmp_path / "cfg"
    data.mkdir()
    (cfg / "targets").mkdir(parents=True)
    for record in records(tag):
        (data / f"{record['name']}.json").write_text(json.dumps(record), encoding="utf-8")
    source = {"id": "dinkes", "type": "directory", "path": str(data)}
    (cfg / "dinkes.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
    target = {
        "id": "portal",
        "type": "ckan",
        "url": ckan.url,
        "token_env": "TEST_SCHEMING_TOKEN",
        "create_organizations": True,
        "organizations": {f"Dinas Kesehatan {tag}": org},
        "scheming": True,
        "http": {"writes_per_second": 100, "retries": 2},
    }
    (cfg / "targets" / "portal.yaml").write_text(yaml.safe_dump(target), encoding="utf-8")
    assert cli(tmp_path, ckan, "harvest", "dinkes", "--full").exit_code == 0

    first = cli(tmp_path, ckan, "publish", "portal", "--json")
    assert first.exit_code == 0, first.stdout + first.stderr
    assert json.loads(first.stdout)["created"] == 3

    # the SDI fields are the package's own fields, not extras
    package = ckan.call("package_show", {"id": f"{tag}-puskesmas-1"})
    assert package["produsen_data"] == "Bidang Pelayanan Kesehatan, Dinas Kesehatan Kota Medan"
    assert package["jadwal_pemutakhiran"] == "tahunan"
    assert package["format"] == ["xlsx", "csv"]
    assert package["private"] is True
    assert package["maintainer_email"] == "data.dinkes@pemkomedan.go.id"  # from kontak
    assert {e["key"] for e in package["extras"]} == {"satudata_source", "satudata_remote_id"}

    # a second publish finds every package as it should be: no write call
    second = cli(tmp_path, ckan, "publish", "portal", "--json")
    assert second.exit_code == 0, second.stdout + second.stderr
    report = json.loads(second.stdout)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 3)
    assert report["write_calls"] == 0

    back = {
        "id": "kembali",
        "type": "ckan",
        "url": ckan.url,
        "token_env": "TEST_SCHEMING_TOKEN",
        "filters": {"organizations": [org]},
    }
    (cfg / "kembali.yaml").write_text(yaml.safe_dump(back), encoding="utf-8")
    harvested = cli(tmp_path, ckan, "harvest", "kembali", "--full")
    assert harvested.exit_code == 0, harvested.stdout + harvested.stderr
    with sqlite3.connect(tmp_path / "katalog.db") as conn:
        rows = conn.execute("SELECT source_id, record FROM datasets").fetchall()
    original = {json.loads(r)["name"]: json.loads(r) for s, r in rows if s == "dinkes"}
    again = {json.loads(r)["name"]: json.loads(r) for s, r in rows if s == "kembali"}
    assert set(again) == set(original) and len(original) == 3
    for name, record in original.items():
        assert _comparable(again[name]) == _comparable(record), name
