"""The CKAN source against the CKAN fixture server: real HTTP on 127.0.0.1, no mocks."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from satudata_cli import USER_AGENT
from satudata_cli.codecs.ckan.read import PackageMapper, package_to_record
from satudata_cli.core.http import HttpClient, HttpSettings, RetryPolicy
from satudata_cli.sources.base import RemoteRecord, SourceError
from satudata_cli.sources.ckan import CkanSource
from satudata_cli.sources.config import SourceConfig
from tests.helpers.ckan_fixture import CkanFixture, RecordedRequest, make_packages

TOKEN = "rahasia-5f0c1e7a-token-medan"
Make = Callable[..., CkanSource]


class Harness:
    """Builds sources with fast, short-timeout HTTP clients and records every sleep."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.clients: list[HttpClient] = []

    def __call__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        attempts: int = 3,
        page_size: int = 10,
        environ: dict[str, str] | None = None,
        **config: Any,
    ) -> CkanSource:
        http = {"timeout": timeout, "connect_timeout": 2.0, "requests_per_second": 1000}
        http.update(config.pop("http", {}))
        source_config = SourceConfig.model_validate(
            {"id": "ckan-uji", "type": "ckan", "url": url, "http": http, **config}
        )
        client = HttpClient(
            HttpSettings.model_validate(http),
            retry=RetryPolicy(max_attempts=attempts, base_delay=0.001, max_delay=0.01),
            sleep=self.sleeps.append,
        )
        self.clients.append(client)
        return CkanSource(
            source_config, client, environ=environ, page_size=page_size, sleep=self.sleeps.append
        )

    def close(self) -> None:
        for client in self.clients:
            client.close()


@pytest.fixture
def make() -> Iterator[Harness]:
    harness = Harness()
    yield harness
    harness.close()


@pytest.fixture(scope="module")
def packages_30() -> list[dict[str, Any]]:
    return make_packages(30, seed=11)


@pytest.fixture
def ckan(packages_30: list[dict[str, Any]]) -> Iterator[CkanFixture]:
    with CkanFixture(datasets=packages_30) as server:
        yield server


def gather(
    source: CkanSource, *, since: dt.datetime | None = None, limit: int | None = None
) -> list[RemoteRecord]:
    return list(source.gather(since=since, limit=limit))


def ids(records: list[RemoteRecord]) -> list[str]:
    return [r.remote_id for r in records]


def searches(server: CkanFixture) -> list[RecordedRequest]:
    return server.requests_for("package_search")


# -- the normal pass -------------------------------------------------------------------------


def test_full_pass_of_2500_packages_in_three_pages(make: Harness) -> None:
    packages = make_packages(2500, seed=3)
    with CkanFixture(datasets=packages) as server:
        source = make(server.url, page_size=1000)
        records = gather(source)
    assert len(records) == 2500
    assert sorted(ids(records)) == sorted(p["id"] for p in packages)
    assert all(r.error is None and r.record is not None for r in records)
    assert source.pass_info.complete is True
    assert source.pass_info.incremental is False
    assert source.pass_info.notes == []
    assert CkanSource.incremental is True
    calls = searches(server)
    assert [c.query["start"] for c in calls] == ["0", "1000", "2000"]
    assert {(c.query["rows"], c.query["sort"], c.query["q"]) for c in calls} == {
        ("1000", "id asc", "*:*")
    }
    assert all("fq" not in c.query and "include_private" not in c.query for c in calls)
    assert all(c.headers["user-agent"] == USER_AGENT for c in server.requests)
    assert USER_AGENT.startswith("satudata/")
    assert all("authorization" not in c.headers for c in server.requests)
    assert len(server.requests) == 3


def test_records_carry_the_package_id_and_metadata_modified(
    make: Harness, ckan: CkanFixture, packages_30: list[dict[str, Any]]
) -> None:
    records = gather(make(ckan.url))
    by_id = {p["id"]: p for p in packages_30}
    assert len(records) == 30
    for record in records:
        assert record.remote_modified == by_id[record.remote_id]["metadata_modified"]
        assert record.record is not None
        assert record.record["name"] == by_id[record.remote_id]["name"]
    # a small catalogue: the short first page is confirmed by an empty one
    assert [c.query["start"] for c in searches(ckan)] == ["0", "10", "20", "30"]


# -- mapping -------------------------------------------------------------------------------


def _package(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "5d6b0c7e-0000-4000-8000-000000000001",
        "name": "jumlah-puskesmas-kota-medan",
        "title": "Jumlah Puskesmas di Kota Medan",
        "notes": "Jumlah puskesmas per kecamatan.",
        "url": "",
        "maintainer": "Seksi Data Dinkes",
        "maintainer_email": "data.dinkes@pemkomedan.go.id",
        "license_id": "cc-by",
        "organization": {"name": "dinas-kesehatan", "title": "Dinas Kesehatan Kota Medan"},
        "owner_org": "org-1",
        "tags": [{"name": "kesehatan"}, {"name": "puskesmas"}],
        "groups": [{"name": "kesehatan-masyarakat", "title": "Kesehatan Masyarakat"}],
        "metadata_created": "2023-02-01T08:00:00.123456",
        "metadata_modified": "2026-05-04T09:10:11.654321",
        "resources": [
            {
                "id": "r1",
                "package_id": "5d6b0c7e-0000-4000-8000-000000000001",
                "name": "Puskesmas 2025",
                "url": "https://data.pemkomedan.go.id/files/puskesmas-2025.csv",
                "format": "CSV",
                "description": "Daftar puskesmas",
                "size": "20480",
                "last_modified": "2026-05-01T00:00:00",
                "datastore_active": False,
            }
        ],
        "extras": [
            {"key": "produsen_data", "value": "Dinas Kesehatan Kota Medan"},
            {"key": "frekuensi_penerbitan", "value": "Tahunan"},
            {"key": "format", "value": '["csv","xlsx"]'},
            {"key": "sumber_data", "value": "Laporan puskesmas; Survei fasilitas"},
            {"key": "klasifikasi_penyajian", "value": "Kecamatan, Jenis Kelamin"},
            {"key": "kontak", "value": '{"nama": "Seksi Data", "email": "data@dinkes.go.id"}'},
            {"key": "kategori", "value": "Kesehatan"},
            {"key": "daftar_kolom", "value": '["kecamatan", "jumlah"]'},
            {"key": "produsen", "value": "Bidang Pelayanan Kesehatan"},
            {"key": "kosong", "value": "   "},
        ],
    }
    base.update(changes)
    return base


def test_mapping_of_core_fields_and_extras_list() -> None:
    record = PackageMapper(
        mapping={"produsen": "walidata"}, site_url="https://data.pemkomedan.go.id"
    ).map(_package())
    assert record == {
        "name": "jumlah-puskesmas-kota-medan",
        "title": "Jumlah Puskesmas di Kota Medan",
        "notes": "Jumlah puskesmas per kecamatan.",
        "license_id": "cc-by",
        "organization": "Dinas Kesehatan Kota Medan",
        "tags": ["kesehatan", "puskesmas"],
        "groups": ["kesehatan-masyarakat"],
        "resources": [
            {
                "name": "Puskesmas 2025",
                "url": "https://data.pemkomedan.go.id/files/puskesmas-2025.csv",
                "format": "CSV",
                "description": "Daftar puskesmas",
                "size": 20480,
                "last_modified": "2026-05-01T00:00:00",
            }
        ],
        "produsen_data": "Dinas Kesehatan Kota Medan",
        "jadwal_pemutakhiran": "Tahunan",  # frekuensi_penerbitan is a label of the field
        "format": ["csv", "xlsx"],
        "sumber_data": ["Laporan puskesmas", "Survei fasilitas"],
        "klasifikasi_penyajian": ["Kecamatan", "Jenis Kelamin"],
        "kontak": {"nama": "Seksi Data", "email": "data@dinkes.go.id"},
        "kategori": "Kesehatan",  # unknown extras are kept under their own key
        "daftar_kolom": ["kecamatan", "jumlah"],
        "kosong": "",  # an empty extra keeps its key (issue 12)
        "produsen": "Bidang Pelayanan Kesehatan",  # named in mapping: left for the engine
        "tanggal_dibuat": "2023-02-01",
        "tanggal_diperbarui": "2026-05-04",
        "link_akses": "https://data.pemkomedan.go.id/dataset/jumlah-puskesmas-kota-medan",
    }


def test_mapping_of_flattened_extras_and_fallbacks() -> None:
    package = _package(
        extras={
            "jadwal_pemutakhiran": "bulanan",
            "format": "CSV; XLSX",
            "tanggal_dibuat": "2020-01-05",
            "Tanggal Diperbarui": "2026-01-31",  # a label of tanggal_diperbarui
            "link_akses": "https://data.pemkomedan.go.id/d/puskesmas",
        },
        organization={"name": "dinas-kesehatan", "title": ""},
        groups=[],
        tags=["kesehatan", "kesehatan", ""],
        kode_wilayah="12.71",  # a ckanext-scheming field at the top level
        prioritas_tahun="2026",
    )
    record = package_to_record(package, site_url="https://portal.invalid")
    assert record["organization"] == "dinas-kesehatan"
    assert record["tags"] == ["kesehatan"]
    assert "groups" not in record
    assert record["jadwal_pemutakhiran"] == "bulanan"
    assert record["format"] == ["CSV", "XLSX"]
    assert record["tanggal_dibuat"] == "2020-01-05"  # extras win over metadata_created
    assert record["tanggal_diperbarui"] == "2026-01-31"
    assert record["link_akses"] == "https://data.pemkomedan.go.id/d/puskesmas"
    assert record["kode_wilayah"] == "12.71"
    assert record["prioritas_tahun"] == "2026"
    assert record["kontak"] == {
        "nama": "Seksi Data Dinkes",
        "email": "data.dinkes@pemkomedan.go.id",
    }


def test_mapping_defaults_for_the_owner_and_a_core_field_winning_over_a_label() -> None:
    package = _package(organization=None, extras=[{"key": "Judul", "value": "Lain"}])
    record = package_to_record(package, organization="Pemerintah Kota Medan")
    assert record["organization"] == "Pemerintah Kota Medan"
    assert record["title"] == "Jumlah Puskesmas di Kota Medan"
    assert record["Judul"] == "Lain"  # kept; the engine reports it as an unknown field
    assert "link_akses" not in record  # no site given, no package url


def test_mapping_through_the_server(make: Harness) -> None:
    flattened = _package(
        id="5d6b0c7e-0000-4000-8000-000000000002",
        name="flattened",
        extras={"format": '["json"]', "satuan": "unit"},
    )
    with CkanFixture(datasets=[_package(), flattened]) as server:
        records = {r.remote_id: r for r in gather(make(server.url))}
    first = records["5d6b0c7e-0000-4000-8000-000000000001"].record
    second = records["5d6b0c7e-0000-4000-8000-000000000002"].record
    assert first is not None and second is not None
    assert first["format"] == ["csv", "xlsx"]
    assert first["link_akses"] == f"{server.url}/dataset/jumlah-puskesmas-kota-medan"
    assert second["format"] == ["json"]
    assert second["satuan"] == "unit"
    assert records["5d6b0c7e-0000-4000-8000-000000000002"].remote_modified == (
        "2026-05-04T09:10:11.654321"
    )


def test_items_that_are_not_packages_are_errored_records(make: Harness, ckan: CkanFixture) -> None:
    ckan.junk_items = ["not a package", {"name": "tanpa-id", "title": "Tanpa id"}]
    source = make(ckan.url)
    records = gather(source)
    errored = [r for r in records if r.error]
    assert [(r.remote_id, r.record) for r in errored] == [("?", None), ("tanpa-id", None)]
    assert "is a string, not a package" in (errored[0].error or "")
    assert "has no id" in (errored[1].error or "")
    assert len([r for r in records if r.record is not None]) == 30
    assert source.pass_info.notes == []
    assert source.pass_info.complete is True


# -- filters, incremental, limit ---------------------------------------------------------------


def test_filters_go_into_fq_and_q(make: Harness) -> None:
    packages = make_packages(200, seed=5)
    with CkanFixture(datasets=packages) as server:
        source = make(
            server.url,
            filters={"organizations": ["dinas-kesehatan", "bappeda"], "tags": ["medan"]},
        )
        records = gather(source)
        call = searches(server)[0]
    assert call.query["fq"] == (
        '(organization:"bappeda" OR organization:"dinas-kesehatan") AND tags:"medan"'
    )
    expected = {
        p["id"] for p in packages if p["organization"]["name"] in ("bappeda", "dinas-kesehatan")
    }
    assert expected and set(ids(records)) == expected
    assert source.pass_info.complete is True
    assert source.pass_info.notes == []


def test_query_goes_into_q(make: Harness, ckan: CkanFixture) -> None:
    gather(make(ckan.url, filters={"query": "puskesmas"}))
    assert searches(ckan)[0].query["q"] == "puskesmas"


def test_incremental_pass_asks_for_metadata_modified_since(
    make: Harness, ckan: CkanFixture, packages_30: list[dict[str, Any]]
) -> None:
    since = dt.datetime(2024, 1, 1, 7, 0, 0, 500, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    source = make(ckan.url)
    records = gather(source, since=since)
    assert searches(ckan)[0].query["fq"] == "metadata_modified:[2024-01-01T00:00:00Z TO *]"
    expected = {p["id"] for p in packages_30 if p["metadata_modified"] >= "2024-01-01T00:00:00"}
    assert 0 < len(expected) < 30
    assert set(ids(records)) == expected
    assert source.pass_info.incremental is True
    assert source.pass_info.complete is False


def test_limit_stops_early_and_is_not_complete(make: Harness, ckan: CkanFixture) -> None:
    source = make(ckan.url)
    records = gather(source, limit=4)
    assert len(records) == 4
    assert source.pass_info.complete is False
    assert [c.query["rows"] for c in searches(ckan)] == ["4"]


def test_updates_between_passes_show_up_incrementally(
    make: Harness, ckan: CkanFixture, packages_30: list[dict[str, Any]]
) -> None:
    changed = packages_30[3]["id"]
    ckan.update_package(changed, title="Judul baru")
    ckan.delete_package(packages_30[4]["id"])
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    records = gather(make(ckan.url), since=since)
    assert [(r.remote_id, (r.record or {}).get("title")) for r in records] == [
        (changed, "Judul baru")
    ]
    assert len(gather(make(ckan.url))) == 29


# -- HTTP trouble ----------------------------------------------------------------------------


def test_http_500_twice_then_ok_is_retried(make: Harness, ckan: CkanFixture) -> None:
    ckan.fail_500_times = 2
    source = make(ckan.url)
    records = gather(source)
    assert len(records) == 30
    assert source.pass_info.complete is True
    assert source.pass_info.notes == []
    assert len(make.sleeps) == 2
    assert [c.query["start"] for c in searches(ckan)][:3] == ["0", "0", "0"]


def test_429_retry_after_is_honoured(make: Harness, ckan: CkanFixture) -> None:
    ckan.rate_limit_429_times = 1
    ckan.retry_after = 7
    records = gather(make(ckan.url))
    assert len(records) == 30
    assert make.sleeps == [7.0]


def test_a_reply_slower_than_the_timeout_fails_with_a_clear_message(
    make: Harness, ckan: CkanFixture
) -> None:
    ckan.slow_seconds = 1.0
    source = make(ckan.url, timeout=0.2, attempts=2)
    with pytest.raises(SourceError) as caught:
        gather(source)
    message = str(caught.value)
    assert "no answer from" in message and "read timeout" in message
    assert f"{ckan.url}/api/3/action/package_search" in message
    assert "gave up after 2 attempts" in message
    assert source.pass_info.complete is False


def test_truncated_json_is_retried(make: Harness, ckan: CkanFixture) -> None:
    ckan.truncate_next = 1
    records = gather(make(ckan.url))
    assert len(records) == 30
    assert len(make.sleeps) == 1


def test_truncated_json_every_time_is_a_source_error(make: Harness, ckan: CkanFixture) -> None:
    ckan.truncate_next = 100
    with pytest.raises(SourceError) as caught:
        gather(make(ckan.url, attempts=2))
    assert "broke before the whole response arrived" in str(caught.value)
    assert "package_search" in str(caught.value)


def test_html_with_status_200_falls_back_and_names_the_url(
    make: Harness, ckan: CkanFixture, caplog: pytest.LogCaptureFixture
) -> None:
    ckan.html_200_next = 1
    source = make(ckan.url)
    with caplog.at_level(logging.INFO, logger="satudata.sources.ckan"):
        records = gather(source)
    assert len(records) == 30
    note = source.pass_info.notes[0]
    assert note.startswith(
        f"package_search refused/broken at {ckan.url}/api/3/action/package_search"
    )
    assert "not JSON: text/html with HTTP 200" in note
    assert note.endswith("falling back to current_package_list_with_resources")
    assert note in caplog.text
    assert source.pass_info.complete is True


def test_html_everywhere_is_a_source_error_naming_each_url(
    make: Harness, ckan: CkanFixture
) -> None:
    ckan.html_200_next = 100
    with pytest.raises(SourceError) as caught:
        gather(make(ckan.url))
    message = str(caught.value)
    for action in ("package_search", "current_package_list_with_resources", "package_list"):
        assert f"{ckan.url}/api/3/action/{action}: not JSON: text/html" in message
    assert message.startswith(f"cannot list the datasets of the CKAN portal {ckan.url}")


# -- paging that cannot be trusted ------------------------------------------------------------


def test_a_repeated_page_stops_without_duplicates(make: Harness, ckan: CkanFixture) -> None:
    ckan.repeat_page = True
    source = make(ckan.url)
    records = gather(source)
    assert len(records) == 10 == len(set(ids(records)))
    assert len(searches(ckan)) == 2
    assert any("returned the same page again at start=10" in n for n in source.pass_info.gaps)
    assert source.pass_info.complete is False


@pytest.mark.parametrize("wrong", [100, 5, 0])
def test_a_wrong_count_does_not_change_what_is_gathered(
    make: Harness, ckan: CkanFixture, wrong: int
) -> None:
    ckan.wrong_count = wrong
    source = make(ckan.url)
    records = gather(source)
    assert len(records) == 30 == len(set(ids(records)))
    if wrong > 30:  # the empty page after the last is asked twice, then not trusted
        assert source.pass_info.whole is False
        (gap,) = source.pass_info.gaps
        assert "an empty page at start=30 (asked twice) although its count is 100" in gap
        assert [c.query["start"] for c in searches(ckan)][-2:] == ["30", "30"]
    else:
        assert source.pass_info.whole is True
        (note,) = source.pass_info.notes
        assert f"reported {wrong} datasets but its pages held 30; paging went on" in note


def test_a_portal_capping_rows_and_lying_about_count(make: Harness, ckan: CkanFixture) -> None:
    ckan.max_rows = 7
    ckan.wrong_count = 5
    records = gather(make(ckan.url))
    assert len(records) == 30 == len(set(ids(records)))
    assert [c.query["start"] for c in searches(ckan)] == ["0", "7", "14", "21", "28", "30"]


def test_a_dataset_inserted_while_paging_is_neither_missed_nor_duplicated(
    make: Harness, ckan: CkanFixture
) -> None:
    newcomer = make_packages(1, seed=99)[0] | {"id": "00000000-0000-4000-8000-000000000000"}
    ckan.insert_while_paging = newcomer
    source = make(ckan.url)
    records = gather(source)
    assert len(records) == 31 == len(set(ids(records)))
    assert newcomer["id"] in ids(records)
    assert source.pass_info.complete is True
    notes = " | ".join(source.pass_info.notes)
    assert "changed from 30 to 31 while paging" in notes
    assert "found 1 datasets not seen before" in notes


def test_an_empty_catalogue_is_a_complete_pass_of_nothing(make: Harness, ckan: CkanFixture) -> None:
    ckan.empty = True
    source = make(ckan.url)
    assert gather(source) == []
    assert source.pass_info.complete is True
    assert len(ckan.requests) == 1


# -- fallbacks ---------------------------------------------------------------------------------


def test_package_search_disabled_falls_back_to_current_package_list(
    make: Harness, ckan: CkanFixture, caplog: pytest.LogCaptureFixture
) -> None:
    ckan.disable_package_search = True
    source = make(ckan.url)
    with caplog.at_level(logging.WARNING, logger="satudata.sources.ckan"):
        records = gather(source)
    assert len(records) == 30 == len(set(ids(records)))
    assert source.pass_info.notes == [
        f"package_search refused/broken at {ckan.url}/api/3/action/package_search (HTTP 400: "
        "Bad request - Action name not known: package_search); falling back to "
        "current_package_list_with_resources"
    ]
    assert "falling back to current_package_list_with_resources" in caplog.text
    assert source.pass_info.complete is True
    listing = ckan.requests_for("current_package_list_with_resources")
    assert [c.query["offset"] for c in listing] == ["0", "10", "20", "30"]


def test_broken_package_search_falls_back(make: Harness, ckan: CkanFixture) -> None:
    ckan.broken_package_search = True
    source = make(ckan.url)
    assert len(gather(source)) == 30
    assert "result.results is an object, not a list" in source.pass_info.notes[0]


def test_fallback_applies_filters_and_since_on_the_client(
    make: Harness, packages_30: list[dict[str, Any]]
) -> None:
    organization = packages_30[0]["organization"]["name"]
    since = dt.datetime(2023, 1, 1)
    expected = {
        p["id"]
        for p in packages_30
        if p["organization"]["name"] == organization and p["metadata_modified"] >= "2023-01-01"
    }
    with CkanFixture(datasets=packages_30) as server:
        server.disable_package_search = True
        source = make(server.url, filters={"organizations": [organization]})
        records = gather(source, since=since)
    assert expected and set(ids(records)) == expected
    assert any(
        n.startswith("filters applied on the client side: organizations " + organization)
        and "modified since 2023-01-01T00:00:00Z" in n
        for n in source.pass_info.notes
    )
    assert source.pass_info.complete is False


def test_both_listings_disabled_fall_back_to_package_list_and_show(
    make: Harness, ckan: CkanFixture, packages_30: list[dict[str, Any]]
) -> None:
    ckan.disable_package_search = True
    ckan.disable_current_package_list = True
    source = make(ckan.url, http={"concurrency": 3}, filters={"query": "medan"})
    records = gather(source)
    assert sorted(ids(records)) == sorted(p["id"] for p in packages_30)
    notes = source.pass_info.notes
    assert "falling back to current_package_list_with_resources" in notes[0]
    assert "current_package_list_with_resources refused/broken" in notes[1]
    assert notes[1].endswith("falling back to package_list + package_show")
    assert (
        "30 datasets listed by package_list; reading each with package_show, 3 at a time"
        in (notes[2])
    )
    assert "query 'medan' (as a word match)" in notes[3]
    assert len(ckan.requests_for("package_show")) == 30
    assert source.pass_info.complete is True


class _ShowTroubleFixture(CkanFixture):
    """package_list names a dataset that is gone and one whose package_show fails."""

    def _action_package_list(self, action: str, query: dict[str, str]) -> Any:
        reply = super()._action_package_list(action, query)
        reply.body = reply.body.replace(b'"result":[', b'"result":["hilang","rusak",')
        return reply

    def _action_package_show(self, action: str, query: dict[str, str]) -> Any:
        if query.get("id") == "rusak":
            return self._error(action, 409, "Validation Error", "extras tidak valid")
        return super()._action_package_show(action, query)


def test_package_show_trouble_with_single_datasets(
    make: Harness, packages_30: list[dict[str, Any]]
) -> None:
    with _ShowTroubleFixture(datasets=packages_30) as server:
        server.disable_package_search = True
        server.disable_current_package_list = True
        server.slow_seconds = 0.02
        source = make(server.url, http={"concurrency": 3})
        records = gather(source)
    assert 2 <= server.max_in_flight <= 3
    good = [r for r in records if r.error is None]
    assert len(good) == 30
    (bad,) = [r for r in records if r.error is not None]
    assert bad.remote_id == "rusak"
    assert bad.error == (
        "package_show of rusak failed: HTTP 409: Validation Error: extras tidak valid"
    )
    assert "1 datasets vanished between package_list and package_show" in source.pass_info.notes
    assert source.pass_info.complete is True


def test_package_list_and_show_with_a_limit_stops_early(make: Harness, ckan: CkanFixture) -> None:
    ckan.disable_package_search = True
    ckan.disable_current_package_list = True
    records = gather(make(ckan.url, http={"concurrency": 2}), limit=3)
    assert len(records) == 3
    assert len(ckan.requests_for("package_show")) <= 3 + 2 * 2


def test_everything_refused_is_a_source_error_with_the_last_reason(
    make: Harness, ckan: CkanFixture
) -> None:
    ckan.disable_package_search = True
    ckan.disable_current_package_list = True
    ckan.disable_package_list = True
    with pytest.raises(SourceError) as caught:
        gather(make(ckan.url))
    assert str(caught.value).endswith(
        f"package_list + package_show at {ckan.url}/api/3/action/package_list: HTTP 400: "
        "Bad request - Action name not known: package_list"
    )


class _RefusingFixture(CkanFixture):
    """A portal that answers every action with ``success: false`` and status 200."""

    def _reply(self, action: str | None, query: dict[str, str]) -> Any:
        reply = super()._reply(action, query)
        reply.body = (
            b'{"help": "", "success": false, "error": '
            b'{"__type": "Authorization Error", "message": "Access denied"}}'
        )
        return reply


def test_success_false_gives_ckans_error_message(make: Harness) -> None:
    with _RefusingFixture() as server, pytest.raises(SourceError) as caught:
        gather(make(server.url))
    assert str(caught.value).count("CKAN error: Authorization Error: Access denied") == 3


def test_status_message_envelope(make: Harness, ckan: CkanFixture) -> None:
    ckan.envelope = "status_message"
    source = make(ckan.url)
    assert len(gather(source)) == 30
    assert source.pass_info.notes == []
    assert source.pass_info.complete is True


class _FqIgnoringFixture(CkanFixture):
    """A portal whose package_search ignores fq."""

    def _search(self, q: str, fq: str, sort: str) -> Any:
        return super()._search(q, "", sort)


def test_a_portal_ignoring_fq_is_filtered_on_the_client(
    make: Harness, packages_30: list[dict[str, Any]]
) -> None:
    with _FqIgnoringFixture(datasets=packages_30) as server:
        tagged = {p["id"] for p in packages_30 if {"kesehatan"} & {t["name"] for t in p["tags"]}}
        source = make(server.url, filters={"tags": ["kesehatan"]})
        records = gather(source)
    assert tagged and set(ids(records)) == tagged
    assert (
        f"{30 - len(tagged)} datasets outside the source's filters" in (source.pass_info.notes[0])
    )


# -- the token ---------------------------------------------------------------------------------


def test_token_is_sent_as_authorization_and_never_shown(
    make: Harness, ckan: CkanFixture, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {"SATUDATA_UJI_TOKEN": TOKEN}
    source = make(ckan.url, token_env="SATUDATA_UJI_TOKEN", environ=environ)
    with caplog.at_level(logging.DEBUG):
        assert len(gather(source)) == 30
        assert {c.headers.get("authorization") for c in ckan.requests} == {TOKEN}
        assert searches(ckan)[0].query["include_private"] == "true"
        ckan.html_200_next = 1
        ckan.disable_current_package_list = True
        ckan.fail_500_times = 100
        with pytest.raises(SourceError) as caught:
            gather(source)
    assert "package_list" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    assert source.pass_info.notes and all(TOKEN not in n for n in source.pass_info.notes)
    assert TOKEN not in caplog.text


def test_a_missing_token_variable_is_a_source_error(make: Harness, ckan: CkanFixture) -> None:
    source = make(ckan.url, token_env="SATUDATA_UJI_TOKEN", environ={})
    with pytest.raises(SourceError, match="SATUDATA_UJI_TOKEN is not set"):
        gather(source)
    assert ckan.requests == []


def test_the_api_address_may_be_given_with_its_path(make: Harness, ckan: CkanFixture) -> None:
    source = make(f"{ckan.url}/api/3/action/")
    assert source.site_url == ckan.url
    assert len(gather(source, limit=2)) == 2


def test_package_list_with_a_token_is_never_complete(make: Harness, ckan: CkanFixture) -> None:
    ckan.disable_package_search = True
    ckan.disable_current_package_list = True
    source = make(ckan.url, token_env="SATUDATA_UJI_TOKEN", environ={"SATUDATA_UJI_TOKEN": TOKEN})
    assert len(gather(source)) == 30
    assert source.pass_info.complete is False
    assert source.pass_info.gaps == [
        "package_list does not name the private datasets the token can see"
    ]


def test_prebuilt_pages_are_the_pages_built_per_request() -> None:
    """The benchmark's fixture mode (--prebuilt-pages) serves the very bytes a page built
    on request has, and a change to the catalogue is served at once."""
    import httpx

    query = {"q": "*:*", "sort": "id asc", "rows": 100}
    with CkanFixture(datasets=make_packages(250, seed=5)) as built, httpx.Client() as client:
        expected = [
            client.get(
                f"{built.url}/api/3/action/package_search", params={**query, "start": start}
            ).content.replace(built.url.encode(), b"URL")
            for start in (0, 100, 200, 300)
        ]
    with CkanFixture(datasets=make_packages(250, seed=5)) as ckan:
        assert ckan.prebuild_pages(rows=100) == 4  # 0, 100, 200 (short) and the empty 300
        assert len(ckan._pages) == 4
        with httpx.Client() as client:

            def page(start: int) -> bytes:
                reply = client.get(
                    f"{ckan.url}/api/3/action/package_search", params={**query, "start": start}
                )
                return reply.content.replace(ckan.url.encode(), b"URL")

            assert [page(s) for s in (0, 100, 200, 300)] == expected
            first_id = ckan.ids()[0]
            ckan.update_package(first_id, title="Judul Baru")
            assert ckan._pages == {}
            assert b"Judul Baru" in b"".join(page(s) for s in (0, 100, 200))
