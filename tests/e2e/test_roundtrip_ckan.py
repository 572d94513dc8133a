"""The CKAN round trip of the suite (tests/integration/test_roundtrip.py): records of a
``directory`` source (every field filled, the tricky values) and of a ``dcat`` source
(a distribution's licence, checksum, media type and the terms of the ``extras`` maps)
published to the real CKAN (tests/helpers/ckan_real.py), harvested back with a
``ckan`` source: identical canonical records, minus the limits the field table lists for
CKAN (satudata_cli/exports/fields.py, docs/field-table.md).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from satudata_cli.cli import app
from satudata_cli.codecs.ckan.write import slugify
from satudata_cli.exports.fields import LIMITS
from satudata_cli.standard.schema import load_standard
from tests.helpers.ckan_real import RUN, RealCkan, connect, purge_run
from tests.helpers.records import make_record

DATA = Path(__file__).resolve().parents[1] / "data" / "roundtrip"
TAG = f"{RUN}-rt"


@pytest.fixture(scope="module")
def ckan() -> Iterator[RealCkan]:
    real = connect()
    yield real
    purge_run(real)


def records() -> list[dict[str, Any]]:
    """Every field of the standard filled, and the values that are hard to keep."""
    one = make_record(
        1,
        name=f"{TAG}-lengkap",
        notes="Baris pertama.\r\nBaris kedua: ꦗꦮ, é, 人口, 👍.",
        title_translations={"id": "Jumlah Puskesmas Nomor 1", "en": "Health Centres 1"},
        notes_translations={"id": "Baris pertama.\r\nBaris kedua.", "en": "First line."},
        title="Jumlah Puskesmas Nomor 1",
        tags=["puskesmas", "kesehatan", "Fasilitas Umum"],
        kolom=[{"nama": "kecamatan", "tipe_data": "teks"}],
        klasifikasi_penyajian=["Kecamatan"],
        sumber_data=["Profil Kesehatan", "Puskesmas"],
        metadata_statistik={"metode": "sensus", "catatan": "baris\r\nbaru"},
        id_konsep="K-01",
        data_induk="Profil Kesehatan",
        rujukan="https://example.go.id/rujukan",
        kode_pilar="1",
        pilar="layanan_publik",
        kode_tujuan="3",
        kode_pn_rkp="PN-1",
        kode_pp_rkp="PP-1",
        spatial="98.59,3.48,98.74,3.80",
        temporal="1905-03-01/2013-01-05",
        tahun="1905-2013",
        catatan="",  # an empty value is information
        angka=1.5,
        benar=True,
        kosong=None,
        daftar=[],
        extras={"dct:conformsTo": "https://standar.example.go.id/sdi", "dcat:version": "1"},
        resources=[
            {
                "name": "Puskesmas (CSV)",
                "url": "https://data.example.go.id/files/puskesmas-1.csv",
                "format": "CSV",
                "mimetype": "text/csv",
                "description": "Kolom:\r\n- a\r\n- b",
                "size": 2048,
                "last_modified": "2026-05-30T00:00:00",
                "license_id": "https://creativecommons.org/licenses/by/4.0/",
                "hash": "sha256:9f86d081884c7d659a2feaa0c55ad015",
                "extras": {"dct:rights": "Hak cipta Pemkot Contoh", "dcat:version": "3"},
            },
            {
                "name": "Grafik",
                "url": "https://data.example.go.id/files/grafik.png",
                "format": "PNG",
                "mimetype": "image/png",
            },
        ],
        format=["CSV", "PNG"],
    )
    two = make_record(
        2,
        name=f"{TAG}-panjang",
        notes="Teks yang sangat panjang. " * 1000,
        spatial="POLYGON((98.59 3.48, 98.74 3.48, 98.74 3.80, 98.59 3.80, 98.59 3.48))",
        kontak="seksi.data@pemkomedan.go.id",
        tahun=2024,
    )
    return [one, two]


class World:
    def __init__(self, root: Path, ckan: RealCkan) -> None:
        self.ckan = ckan
        self.cfg = root / "cfg"
        self.db = root / "katalog.db"
        (self.cfg / "targets").mkdir(parents=True)
        data = root / "data"
        data.mkdir()
        for record in records():
            (data / f"{record['name']}.json").write_text(json.dumps(record), encoding="utf-8")
        self.source("direktori", {"type": "directory", "path": str(data)})
        self.source("dcat", {"type": "dcat", "path": str(DATA / "full.ttl")})
        orgs = {
            text: f"{TAG}-{slugify(text)}"[:100]
            for text in (
                "Dinas Kesehatan Kota Medan",
                "Dinas Kependudukan dan Pencatatan Sipil Kota Medan",
                "Diskominfo",
            )
        }
        self.orgs = sorted(orgs.values())
        target = {
            "id": "portal",
            "type": "ckan",
            "url": ckan.url,
            "token_env": "TEST_CKAN_TOKEN",
            "create_organizations": True,
            "organizations": orgs,
            "http": {"concurrency": 2, "writes_per_second": 100, "retries": 2},
        }
        (self.cfg / "targets" / "portal.yaml").write_text(
            yaml.safe_dump(target, allow_unicode=True), encoding="utf-8"
        )

    def source(self, source_id: str, config: dict[str, Any]) -> None:
        path = self.cfg / f"{source_id}.yaml"
        path.write_text(yaml.safe_dump({"id": source_id, **config}), encoding="utf-8")

    def cli(self, *args: str) -> Result:
        argv = ["--db", str(self.db), "--config-dir", str(self.cfg), *args]
        result = CliRunner().invoke(app, argv, env={"TEST_CKAN_TOKEN": self.ckan.token})
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def stored(self, source_id: str) -> dict[str, dict[str, Any]]:
        with sqlite3.connect(self.db) as conn:
            rows = conn.execute(
                "SELECT remote_id, record FROM datasets WHERE source_id = ?", (source_id,)
            ).fetchall()
        return {remote_id: json.loads(record) for remote_id, record in rows}


# -- the limits of CKAN (docs/field-table.md) -------------------------------------------


def _extras_are_text(record: dict[str, Any]) -> dict[str, Any]:
    """A number or true/false in an extra comes back as text (tahun: 2024 -> "2024")."""
    fields = load_standard().fields
    out = dict(record)
    for key, value in record.items():
        placed = key in ("name", "title", "notes", "license_id", "resources", "tags")
        if not placed and isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif not placed and isinstance(value, int | float):
            info = fields.get(key)
            if info is None or "integer" not in info.types or key == "tahun":
                out[key] = str(value)
    return out


def _as_ckan_keeps_them(record: dict[str, Any]) -> dict[str, Any]:
    """Tags in CKAN's order, resource formats in capitals, a resource's date as a time,
    no null, empty lists or empty objects."""
    out = {k: v for k, v in record.items() if v is not None and v != [] and v != {}}
    if "tags" in out:
        out["tags"] = sorted(out["tags"])
    resources = []
    for resource in out.get("resources", []):
        resource = dict(resource)
        if "format" in resource:
            resource["format"] = resource["format"].upper()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(resource.get("last_modified", ""))):
            resource["last_modified"] += "T00:00:00"
        resources.append(resource)
    out["resources"] = resources
    return out


def _trimmed(record: dict[str, Any]) -> dict[str, Any]:
    """Texts without the spaces around them (also in resources)."""
    out = {k: v.strip() if isinstance(v, str) else v for k, v in record.items()}
    if isinstance(out.get("resources"), list):
        out["resources"] = [
            {k: v.strip() if isinstance(v, str) else v for k, v in r.items()}
            for r in out["resources"]
        ]
    return out


def _without_what_ckan_fills(record: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    filled = ("name", "organization", "tanggal_dibuat", "tanggal_diperbarui", "link_akses")
    return {k: v for k, v in record.items() if k in original or k not in filled}


def _resource_keys_ckan_takes(record: dict[str, Any]) -> dict[str, Any]:
    return record  # the records here hold only resource keys CKAN takes


NORMALISE = {
    "number-text": _extras_are_text,
    "ckan-normalises": _as_ckan_keeps_them,
    "ckan-trims": _trimmed,
    "ckan-fills": _without_what_ckan_fills,
    "ckan-resource-keys": _resource_keys_ckan_takes,
}


def comparable(record: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    for limit in LIMITS:
        if "ckan" not in limit.formats:
            continue
        if limit.id == "ckan-fills":
            record = _without_what_ckan_fills(record, original)
        else:
            record = NORMALISE[limit.id](record)
    record.pop("satudata_source", None)
    record.pop("satudata_remote_id", None)
    return record


def test_publish_then_harvest_gives_identical_records(tmp_path: Path, ckan: RealCkan) -> None:
    world = World(tmp_path, ckan)
    harvested = world.cli("harvest", "--all", "--full")
    assert harvested.exit_code in (0, 1), harvested.stdout + harvested.stderr
    published = world.cli("publish", "portal", "--json", "--include-invalid")
    assert published.exit_code in (0, 1), published.stdout + published.stderr
    report = json.loads(published.stdout)
    assert report["failed"] == 0, report
    names = {(d["source"], d["remote_id"]): d["portal_name"] for d in report["datasets"]}
    original = {
        names[(source_id, remote_id)]: record
        for source_id in ("direktori", "dcat")
        for remote_id, record in world.stored(source_id).items()
    }
    assert len(original) == 4
    world.source(
        "kembali",
        {
            "type": "ckan",
            "url": ckan.url,
            "token_env": "TEST_CKAN_TOKEN",
            "filters": {"organizations": world.orgs},
        },
    )
    again = world.cli("harvest", "kembali", "--full")
    assert again.exit_code in (0, 1), again.stdout + again.stderr
    back = {record["name"]: record for record in world.stored("kembali").values()}
    assert sorted(back) == sorted(original)
    for name, record in original.items():
        assert comparable(dict(back[name]), record) == comparable(dict(record), record), name
    # the exact values CKAN holds for them
    package = ckan.show(names[("dcat", "lengkap")])
    assert package is not None
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["dct:conformsTo"] == "https://standar.example.go.id/sdi/penduduk"
    csv = package["resources"][0]
    assert (csv["mimetype"], csv["hash"]) == ("text/csv", original[package["name"]][
        "resources"][0]["hash"])  # fmt: skip
    assert csv["license_id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert re.match(r"^https://standar", csv["dct:conformsTo"])
    # a new katalog finds the datasets by their identity and compares them field by
    # field with what the portal holds: nothing differs, nothing is written
    world.db = tmp_path / "baru.db"
    assert world.cli("harvest", "direktori", "dcat", "--full").exit_code in (0, 1)
    again_report = json.loads(world.cli("publish", "portal", "--json", "--include-invalid").stdout)
    assert (again_report["unchanged"], again_report["updated"]) == (4, 0), [
        (d["portal_name"], d["changes"]) for d in again_report["datasets"] if d["changes"]
    ]
