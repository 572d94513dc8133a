"""The ``datajson`` source: DCAT-US data.json files (valid, with non-standard keys and
bare e-mails, and broken) read from a path and over HTTP, mapped and harvested."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.codecs.datajson.read import dataset_to_record
from satudata_cli.pipeline.harvest import SourceOutcome
from satudata_cli.sources.base import SourceError
from satudata_cli.sources.config import SourceConfig, load_source
from satudata_cli.sources.datajson import DataJsonSource
from tests.helpers.jsonapi_fixture import StaticFixture
from tests.helpers.source_helpers import harvest_one, source_config, stored_records

DATA = Path(__file__).resolve().parents[1] / "data" / "datajson"
EXAMPLE = Path(__file__).resolve().parents[2] / "harvest_configs" / "examples"


def config(tmp_path: Path, **fields: Any) -> SourceConfig:
    return source_config(tmp_path, "dj", "datajson", **fields)


def harvest(tmp_path: Path, source: SourceConfig) -> SourceOutcome:
    return harvest_one(tmp_path, source)


def stored(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return stored_records(tmp_path)


def test_example_config_loads() -> None:
    example = load_source(EXAMPLE / "datajson-portal.yaml")
    assert example.type == "datajson" and example.url is not None


def test_mapping_of_a_full_dataset() -> None:
    document = json.loads((DATA / "pemko-data.json").read_text(encoding="utf-8"))
    record, bare = dataset_to_record(document["dataset"][0])
    assert not bare
    assert record["title"] == "Jumlah Penduduk menurut Kecamatan"
    assert record["notes"].startswith("Jumlah penduduk Kota Medan")
    assert record["tags"] == ["kependudukan", "penduduk"]
    assert record["tanggal_dibuat"] == "2021-03-15"
    assert record["tanggal_diperbarui"] == "2026-06-01"  # the date part of a date-time
    assert record["organization"] == "Dinas Kependudukan dan Pencatatan Sipil Kota Medan"
    assert record["kontak"] == {
        "nama": "Seksi Data Disdukcapil",
        "email": "data.disdukcapil@pemkomedan.go.id",
    }
    assert record["jadwal_pemutakhiran"] == "R/P6M"  # the validator makes it semesteran
    assert record["klasifikasi_akses"] == "terbuka"
    assert record["link_akses"] == "https://satudata.example.go.id/dataset/jumlah-penduduk"
    assert record["license_id"] == "cc-by"
    assert record["kode_wilayah"] == "12.71"
    assert record["tahun"] == 2025
    # non-standard keys are kept as the portal publishes them
    assert record["bureauCode"] == ["010:00"]
    assert record["kode_urusan"] == "2.12"
    assert record["produsen_data"].startswith("Bidang Pengelolaan")
    assert record["resources"] == [
        {
            "name": "Penduduk 2025 (CSV)",
            "url": "https://satudata.example.go.id/files/penduduk-2025.csv",
            "format": "CSV",
            "mimetype": "text/csv",  # mediaType kept next to format (issue 12)
            "ukuran_berkas": 20480,
        },
        {
            "name": "API penduduk",
            "url": "https://satudata.example.go.id/api/penduduk",
            "format": "application/json",
        },
    ]


def test_mapping_of_dcat_us_variants() -> None:
    document = json.loads((DATA / "pemko-data.json").read_text(encoding="utf-8"))
    record, bare = dataset_to_record(document["dataset"][1])
    assert bare  # hasEmail without mailto:
    assert record["kontak"] == {"nama": "Bidang Bina Marga", "email": "binamarga@pemkomedan.go.id"}
    assert record["tags"] == ["infrastruktur", "jalan"]  # keyword as one text
    assert record["klasifikasi_akses"] == "terbatas"
    assert record["jadwal_pemutakhiran"] == "irregular"
    assert record["spatial"] == "Kota Medan"  # not a Kemendagri code: kept as spatial
    assert "kode_wilayah" not in record
    assert record["tahun"] == "2019-2023"
    assert "resources" not in record
    third, _ = dataset_to_record(document["dataset"][2])
    assert third["klasifikasi_akses"] == "tertutup"
    assert third["temporal"] == "2026"  # not a span of whole years: kept


def test_harvest_from_a_file(tmp_path: Path) -> None:
    outcome = harvest(tmp_path, config(tmp_path, path=str(DATA / "pemko-data.json")))
    assert outcome.status == "finished", outcome.error
    # four datasets (a repeated identifier is kept as "#2"); a string and an entry
    # without identifier errored
    assert (outcome.added, outcome.errored) == (4, 2)
    assert not outcome.complete  # entries without identifier: nothing may be withdrawn
    assert any("without 'mailto:'" in note for note in outcome.notes)
    records = stored(tmp_path)
    assert set(records) == {
        "https://satudata.example.go.id/dataset/jumlah-penduduk",
        "panjang-jalan",
        "panjang-jalan#2",
        "anggaran-opd",
    }
    penduduk = records["https://satudata.example.go.id/dataset/jumlah-penduduk"]
    assert penduduk["jadwal_pemutakhiran"] == "semesteran"  # normalised by the validator
    assert records["panjang-jalan"]["title"] == "Panjang Jalan Kota menurut Kondisi"


def test_harvest_over_http(tmp_path: Path) -> None:
    body = (DATA / "pemko-data.json").read_bytes()
    with StaticFixture({"/data.json": (body, "application/json")}) as server:
        outcome = harvest(tmp_path, config(tmp_path, url=f"{server.url}/data.json"))
    assert outcome.status == "finished" and outcome.added == 4


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("truncated-data.json", "not valid JSON"),
        ("not-json.json", "is an HTML page, not the document"),
        ("no-dataset-list.json", "not a data.json catalogue"),
    ],
)
def test_broken_file_fails_and_stores_nothing(tmp_path: Path, name: str, expected: str) -> None:
    outcome = harvest(tmp_path, config(tmp_path, path=str(DATA / name)))
    assert outcome.status == "failed"
    assert outcome.error is not None and expected in outcome.error and name in outcome.error
    assert stored(tmp_path) == {}


def test_truncated_file_says_where(tmp_path: Path) -> None:
    source = DataJsonSource(config(tmp_path, path=str(DATA / "truncated-data.json")), None)
    with pytest.raises(SourceError, match=r"line 5, column \d+.*cut off"):
        list(source.gather(since=None, limit=None))


def test_html_over_http_fails_clearly(tmp_path: Path) -> None:
    page = b"<html><body>Maintenance</body></html>"
    with StaticFixture({"/data.json": (page, "text/html")}) as server:
        outcome = harvest(tmp_path, config(tmp_path, url=f"{server.url}/data.json"))
        missing = harvest(tmp_path, config(tmp_path, url=f"{server.url}/tidak-ada.json"))
    assert outcome.status == "failed" and "is an HTML page (text/html)" in (outcome.error or "")
    assert missing.status == "failed" and "HTTP 404" in (missing.error or "")
    assert stored(tmp_path) == {}


def test_missing_file(tmp_path: Path) -> None:
    outcome = harvest(tmp_path, config(tmp_path, path=str(tmp_path / "tidak-ada.json")))
    assert outcome.status == "failed" and "does not exist" in (outcome.error or "")


def test_withdrawal_after_a_complete_pass(tmp_path: Path) -> None:
    catalog = {"dataset": [{"identifier": f"d{i}", "title": f"Data {i}"} for i in range(10)]}
    path = tmp_path / "data.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    source = config(tmp_path, path=str(path), withdraw={"grace_days": 0, "max_fraction": 0.5})
    first = harvest(tmp_path, source)
    assert first.added == 10 and first.complete
    catalog["dataset"] = catalog["dataset"][1:]
    path.write_text(json.dumps(catalog), encoding="utf-8")
    second = harvest(tmp_path, source)
    assert (second.unchanged, second.withdrawn) == (9, 1)


def _source_findings(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT d.remote_id, f.severity, f.path FROM validation_findings f "
            "JOIN datasets d ON d.id = f.dataset_id "
            "WHERE f.rule = 'source.email-without-mailto' ORDER BY d.remote_id"
        ).fetchall()
    finally:
        conn.close()


def test_bare_email_is_a_finding_on_its_dataset(tmp_path: Path) -> None:
    outcome = harvest(tmp_path, config(tmp_path, path=str(DATA / "pemko-data.json")))
    assert outcome.status == "finished", outcome.error
    # only the datasets whose hasEmail lacks mailto: carry it; the address is kept
    bare = [("anggaran-opd", "info", "$.kontak"), ("panjang-jalan", "info", "$.kontak")]
    assert _source_findings(tmp_path / "k.db") == bare
    assert stored(tmp_path)["panjang-jalan"]["kontak"]["email"] == "binamarga@pemkomedan.go.id"
    # an unchanged re-harvest skips validation but keeps the finding
    again = harvest(tmp_path, config(tmp_path, path=str(DATA / "pemko-data.json")))
    assert again.unchanged == 4
    assert _source_findings(tmp_path / "k.db") == bare


@pytest.mark.parametrize(("setting", "expected"), [("warning", "warning"), ("off", None)])
def test_profile_decides_the_bare_email_severity(
    tmp_path: Path, setting: str, expected: str | None
) -> None:
    profile = tmp_path / "profil.yaml"
    profile.write_text(
        f"name: profil-walidata\nextends: sdi-dasar\nrules:\n"
        f"  source.email-without-mailto: {setting}\n",
        encoding="utf-8",
    )
    source = config(tmp_path, path=str(DATA / "pemko-data.json"), profile=str(profile))
    assert harvest(tmp_path, source).status == "finished"
    found = _source_findings(tmp_path / "k.db")
    names = [] if expected is None else ["anggaran-opd", "panjang-jalan"]
    assert found == [(name, expected, "$.kontak") for name in names]
