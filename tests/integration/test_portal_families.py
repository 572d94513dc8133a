"""The example configurations of the big Indonesian portal families
(harvest_configs/examples/portal-*.yaml), each harvested as shipped from a loopback
server of its family's API with datasets in the portal's own shape
(tests/helpers/portal_fixture.py, tests/data/portals/<family>/): the records, the
requests paging asked for, the counts, and an unchanged re-harvest (0 added, 0 updated).
Only the address is pointed at the server (its path kept) and the request rate lifted.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.sources.config import SourceConfig, load_source, load_sources
from tests.helpers.portal_fixture import PortalFixture, ckan_regional, portal_data
from tests.helpers.source_helpers import stored_records

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "harvest_configs" / "examples"
FAMILIES = sorted(EXAMPLES.glob("portal-*.yaml"))


def example(name: str, base: str) -> SourceConfig:
    """The shipped example, its address moved to ``base`` (same path)."""
    config = load_source(EXAMPLES / name)
    assert config.url is not None
    path = urlsplit(config.url).path
    http = config.http.model_copy(update={"requests_per_second": 1000, "retries": 0})
    return config.model_copy(update={"url": base + path, "http": http})


def twice(db: Path, config: SourceConfig) -> tuple[SourceOutcome, SourceOutcome]:
    first = Harvester(db).run([config], full=True).outcomes[0]
    second = Harvester(db).run([config], full=True).outcomes[0]
    return first, second


def assert_clean(first: SourceOutcome, second: SourceOutcome, count: int) -> None:
    assert first.status == "finished", first.error
    assert (first.added, first.errored, first.complete) == (count, 0, True)
    assert second.status == "finished", second.error
    assert (second.added, second.updated, second.unchanged) == (0, 0, count)
    assert (second.errored, second.withdrawn, second.complete) == (0, 0, True)


def test_examples_are_shipped_not_harvested() -> None:
    assert [p.stem for p in FAMILIES] == [
        "portal-ckan-kota",
        "portal-data-meta",
        "portal-nasional-proxy",
        "portal-status-message-data",
    ]
    for path in FAMILIES:
        config = load_source(path)
        assert config.id == path.stem
        text = path.read_text(encoding="utf-8")
        assert "tests/data/portals/" in text and "Keluarga portal" in text
    # examples/ is no source folder: `satudata sources list` and the demo do not see them
    listed = {s.id for s in load_sources(ROOT / "harvest_configs")}
    assert listed.isdisjoint(p.stem for p in FAMILIES)


def test_ckan_regional_portal_with_organizations_filter(tmp_path: Path) -> None:
    packages = portal_data("ckan-regional")
    wanted = [p for p in packages if p["organization"]["name"] in ("dinas-kesehatan", "bappeda")]
    assert 0 < len(wanted) < len(packages)
    with ckan_regional() as ckan:
        ckan.max_rows = 4  # a portal capping rows below what is asked: paging still complete
        config = example("portal-ckan-kota.yaml", ckan.url)
        first, second = twice(tmp_path / "k.db", config)
        searches = ckan.requests_for("package_search")
    assert_clean(first, second, len(wanted))
    records = stored_records(tmp_path)
    assert set(records) == {p["id"] for p in wanted}
    fq = {r.query.get("fq", "") for r in searches}
    assert all("dinas-kesehatan" in q and "bappeda" in q for q in fq), fq
    starts = sorted({int(r.query.get("start", 0)) for r in searches})
    assert starts[:3] == [0, 4, 8]  # pages of 4 rows, the portal's cap
    puskesmas = next(r for r in records.values() if r["name"].startswith("jumlah-puskesmas"))
    assert puskesmas["organization"] == "Dinas Kesehatan Kota Contoh"
    assert puskesmas["jadwal_pemutakhiran"] == "tahunan"  # Tahunan, through the mapping
    assert puskesmas["produsen_data"] == "Bidang Data Dinas Kesehatan Kota Contoh"
    assert puskesmas["satuan"] == "unit" and puskesmas["tahun"] == "2024"
    assert puskesmas["klasifikasi_akses"] == "terbuka"
    assert puskesmas["kode_wilayah"] == "33.74"  # from defaults
    assert puskesmas["resources"][0]["format"] == "CSV"


def test_national_proxy_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SATUDATA_NASIONAL_TOKEN", "tkn-nasional-4711")
    packages = portal_data("nasional-proxy")
    with PortalFixture("nasional-proxy", token="tkn-nasional-4711") as api:
        config = example("portal-nasional-proxy.yaml", api.url)
        first, second = twice(tmp_path / "k.db", config)
        bodies = [body for _, _, body in api.requests]
    assert_clean(first, second, len(packages))
    # paging inside the endpoint string; the token from the environment in the body
    assert bodies[:3] == [
        {"endpoint": f"package_search?rows=10&start={start}", "token": "tkn-nasional-4711"}
        for start in (0, 10, 20)
    ]
    assert len(bodies) == 6  # 23 packages: three calls a pass, stopped by data.count
    assert "tkn-nasional-4711" not in (tmp_path / "k.db").read_bytes().decode("latin-1")
    records = stored_records(tmp_path)
    one = records[packages[0]["id"]]
    assert one["organization"] == packages[0]["organization"]["title"]
    assert one["produsen_data"].startswith("Pusat Data dan Informasi")
    assert one["jadwal_pemutakhiran"] in ("tahunan", "semesteran", "triwulanan")
    assert one["tags"] == ["prioritas", "nasional"]
    assert one["resources"][0]["format"] == "XLSX"


def test_national_proxy_wrong_token_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATUDATA_NASIONAL_TOKEN", "salah")
    with PortalFixture("nasional-proxy", token="tkn-nasional-4711") as api:
        outcome = Harvester(tmp_path / "k.db").run([example("portal-nasional-proxy.yaml", api.url)])
    result = outcome.outcomes[0]
    assert result.status == "failed" and result.added == 0
    assert result.error is not None and "salah" not in result.error


def test_status_message_data_envelope(tmp_path: Path) -> None:
    items = portal_data("status-message-data")
    with PortalFixture("status-message-data") as api:
        config = example("portal-status-message-data.yaml", api.url)
        first, second = twice(tmp_path / "k.db", config)
        paths = [path for _, path, _ in api.requests]
    assert_clean(first, second, len(items))
    # 25 records, pages of 10: the third page completes data.total
    assert paths[:3] == [f"/api/dataset?page={p}&per_page=10" for p in (1, 2, 3)]
    assert len(paths) == 6
    record = stored_records(tmp_path)[items[0]["uuid"]]
    assert record["title"] == items[0]["judul"]
    assert record["organization"] == items[0]["opd"]["nama_opd"]
    assert record["jadwal_pemutakhiran"] == "bulanan"
    assert record["format"] == ["xlsx"]
    assert record["resources"] == [
        {"name": "dataset-1001.xlsx", "url": items[0]["file"]["url"], "format": "xlsx"}
    ]


def test_data_links_meta_envelope(tmp_path: Path) -> None:
    items = portal_data("data-meta")
    with PortalFixture("data-meta") as api:
        config = example("portal-data-meta.yaml", api.url)
        first, second = twice(tmp_path / "k.db", config)
        paths = [path for _, path, _ in api.requests]
    assert_clean(first, second, len(items))
    # 17 records, pages of 5 followed through links.next until it is null
    assert paths[:4] == ["/api/v1/datasets", *(f"/api/v1/datasets?page={p}" for p in (2, 3, 4))]
    assert len(paths) == 8
    record = stored_records(tmp_path)["ds-001"]
    assert record["tags"] == ["air minum", "sanitasi"]
    contact = {"nama": "Admin Satu Data", "email": "satudata@provinsi-contoh.go.id"}
    assert record["kontak"] == contact
    assert record["jadwal_pemutakhiran"] == "tahunan"
    assert record["resources"][0]["url"].endswith("/unduh/ds-001.csv")
