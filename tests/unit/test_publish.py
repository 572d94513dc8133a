"""Publishing without a network: targets, the record -> package mapping, the diff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
import yaml

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.publish_state import PublishState
from satudata_cli.catalogue.schema import SCHEMA_VERSION
from satudata_cli.codecs.ckan.client import error_text
from satudata_cli.codecs.ckan.read import package_to_record
from satudata_cli.codecs.ckan.write import (
    diff_packages,
    identity_of,
    match_resources,
    slugify,
)
from satudata_cli.publish.config import (
    TargetConfig,
    find_target,
    load_target,
    target_json_schema,
)
from satudata_cli.publish.errors import TargetConfigError
from satudata_cli.publish.mapping import RecordMapper
from satudata_cli.sources.config import load_sources

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "harvest_configs" / "targets" / "medan-portal.yaml"


def target(**fields: Any) -> TargetConfig:
    data = {
        "id": "portal",
        "type": "ckan",
        "url": "https://data.example.go.id/api/3/action/",
        "token_env": "PORTAL_TOKEN",
        **fields,
    }
    return TargetConfig.model_validate(data)


# -- targets -------------------------------------------------------------------------


def test_the_example_target_loads_and_sources_ignore_the_targets_folder() -> None:
    config = load_target(EXAMPLE)
    assert config.id == "medan-portal"
    assert config.token_env == "SATUDATA_MEDAN_PORTAL_TOKEN"
    assert config.organizations["Dinas Kesehatan Kota Medan"] == "dinas-kesehatan"
    assert find_target(ROOT / "harvest_configs", "medan-portal") == config
    assert [s.id for s in load_sources(ROOT / "harvest_configs")] == ["medan-contoh"]


def test_url_is_reduced_to_the_site_root() -> None:
    assert target().url == "https://data.example.go.id"


def test_a_token_over_plain_http_is_noticed() -> None:
    assert target(url="http://data.pemkomedan.go.id").token_in_clear
    assert not target(url="https://data.pemkomedan.go.id").token_in_clear
    assert not target(url="http://127.0.0.1:5000").token_in_clear
    assert not target(url="http://localhost:5000").token_in_clear


def test_target_problems_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "id: t\ntype: ckan\nurl: https://x.go.id\ntoken_env: T\ncreate_organisations: true\n"
        "organizations: {Dinas A: 'Not A Name'}\n",
        encoding="utf-8",
    )
    with pytest.raises(TargetConfigError) as caught:
        load_target(path)
    text = str(caught.value)
    assert (
        f"{path}:5: create_organisations: unknown key (did you mean create_organizations?)" in text
    )
    assert f"{path}:6: organizations:" in text and "not a CKAN organization name" in text


def test_two_targets_with_one_id_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "targets"
    folder.mkdir()
    body = "id: portal\ntype: ckan\nurl: https://x.go.id\ntoken_env: T\n"
    for name in ("a.yaml", "b.yml", ".tersembunyi.yaml", "catatan.txt"):
        (folder / name).write_text(body, encoding="utf-8")
    with pytest.raises(TargetConfigError) as caught:
        find_target(tmp_path, "portal")
    text = str(caught.value)
    assert f"{folder / 'b.yml'}:1: id: 'portal' is already the id of the target in" in text
    assert str(folder / "a.yaml") in text
    assert "tersembunyi" not in text and "catatan" not in text


def test_a_token_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "id: t\ntype: ckan\nurl: https://x.go.id\ntoken_env: T\napi_key: abcd1234\n",
        encoding="utf-8",
    )
    with pytest.raises(TargetConfigError) as caught:
        load_target(path)
    assert "api_key" in str(caught.value) and "abcd1234" not in str(caught.value)


def test_token_comes_from_the_environment_only() -> None:
    config = target()
    assert config.resolve_token({"PORTAL_TOKEN": " secret-1 "}) == "secret-1"
    with pytest.raises(TargetConfigError, match="PORTAL_TOKEN is not set"):
        config.resolve_token({})
    assert "secret" not in repr(config)


def test_fields_may_not_aim_at_what_satudata_sets() -> None:
    with pytest.raises(ValueError, match="set by satudata itself"):
        target(fields={"walidata": "owner_org"})
    # CKAN refuses every dataset with an extra named like a core field (409)
    with pytest.raises(ValueError, match="extra named like its own field 'title'"):
        target(fields={"walidata": "extras:title"})
    with pytest.raises(ValueError, match="harvest identity"):
        target(fields={"walidata": "extras:satudata_source"})
    assert target(fields={"walidata": "extras:wali"}).fields == {"walidata": "extras:wali"}
    assert target(fields={"walidata": "author"}).fields == {"walidata": "author"}


def test_committed_json_schema_is_in_sync_and_accepts_the_example() -> None:
    committed = json.loads((ROOT / "schemas" / "publish-target.schema.json").read_text("utf-8"))
    assert committed == target_json_schema(), (
        "schemas/publish-target.schema.json is out of date; regenerate it (see the "
        "docstring of satudata_cli/publish/config.py)"
    )
    validator = jsonschema.Draft202012Validator(committed)
    validator.check_schema(committed)
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert list(validator.iter_errors(example)) == []
    assert list(validator.iter_errors({**example, "token": "x"}))


# -- mapping ---------------------------------------------------------------------------


def test_record_becomes_a_package(valid_record: dict[str, Any]) -> None:
    mapper = RecordMapper(target(organizations={"Pemerintah Kota Medan": "pemkot-medan"}))
    owner = mapper.organization(valid_record)
    assert owner == ("pemkot-medan", "Pemerintah Kota Medan")
    package = mapper.build(
        valid_record, source_id="src", remote_id="r1", name="penduduk", owner=owner[0]
    )
    assert package["name"] == "penduduk"
    assert package["owner_org"] == "pemkot-medan"
    assert package["title"] == valid_record["title"]
    assert package["url"] == valid_record["link_akses"]
    assert package["license_id"] == "cc-by"
    assert package["private"] is False
    assert package["maintainer"] == "Seksi Data Disdukcapil"
    assert package["tags"] == [{"name": "kependudukan"}, {"name": "penduduk"}]
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["satudata_source"] == "src" and extras["satudata_remote_id"] == "r1"
    assert extras["tahun"] == "2025"
    assert json.loads(extras["format"]) == ["csv", "xlsx"]
    assert json.loads(extras["kontak"]) == valid_record["kontak"]
    assert "link_akses" not in extras and "organization" not in extras
    assert package["resources"][0]["url"].endswith("penduduk-2025.csv")
    assert identity_of(package) == ("src", "r1")


def test_maintainer_email_is_only_an_address_ckan_takes(valid_record: dict[str, Any]) -> None:
    mapper = RecordMapper(target(default_organization="pemkot"))

    def email(kontak: Any) -> Any:
        record = dict(valid_record, kontak=kontak)
        package = mapper.build(record, source_id="s", remote_id="r", name="n", owner="pemkot")
        extras = {e["key"]: e["value"] for e in package["extras"]}
        assert "kontak" in extras  # the contact itself always rides along, as it is
        return package.get("maintainer_email")

    assert email({"nama": "Seksi", "email": "mailto:data@medan.go.id"}) == "data@medan.go.id"
    assert email("MAILTO: data@medan.go.id") == "data@medan.go.id"
    assert email({"nama": "Seksi", "email": "data di medan.go.id"}) is None
    assert email("Seksi Data <data@medan.go.id>") is None
    assert email({"email": " data@medan.go.id "}) == "data@medan.go.id"


def test_tags_and_resources_are_what_ckan_takes(valid_record: dict[str, Any]) -> None:
    mapper = RecordMapper(target(default_organization="pemkot"))
    record = dict(
        valid_record,
        tags=["Ibu & Anak", "ibu anak", "Ibu Anak", "a", "/", "数据 统计", "t" * 150],
        resources=[{"url": "u", "size": "12 MB", "last_modified": "kemarin"}, {"size": 7}],
    )
    package = mapper.build(record, source_id="s", remote_id="r", name="n", owner="pemkot")
    assert [t["name"] for t in package["tags"]] == ["Ibu Anak", "ibu anak", "数据 统计", "t" * 100]
    assert package["resources"] == [{"url": "u"}, {"size": 7, "url": ""}]
    portal = _portal(package)
    portal["resources"] = [
        dict(r, last_modified="2026-02-10T03:00:00") for r in portal["resources"]
    ]
    desired = dict(
        package,
        resources=[
            dict(r, last_modified="2026-02-10T10:00:00+07:00") for r in package["resources"]
        ],
    )
    assert diff_packages(desired, portal) == []


def test_package_maps_back_to_the_record(valid_record: dict[str, Any]) -> None:
    """The inverse of the CKAN source's mapping, as far as CKAN leaves values alone."""
    mapper = RecordMapper(target())
    package = mapper.build(valid_record, source_id="s", remote_id="r", name="x", owner="o")
    package["organization"] = {"name": "o", "title": valid_record["organization"]}
    back = package_to_record(package)
    for key in ("satudata_source", "satudata_remote_id"):
        back.pop(key)
    expected = dict(valid_record, name="x", tahun="2025")
    assert back == expected


def test_fields_map_and_prefix(valid_record: dict[str, Any]) -> None:
    mapper = RecordMapper(
        target(
            extras_prefix="sdi_",
            fields={"walidata": "author", "kode_wilayah": "extras:wilayah", "satuan": "unit"},
        )
    )
    package = mapper.build(valid_record, source_id="s", remote_id="r", name="x", owner="o")
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert package["author"] == valid_record["walidata"]
    assert extras["wilayah"] == "12.71"
    assert package["unit"] == "jiwa"  # a ckanext-scheming field at the top level
    assert "sdi_konsep" in extras and "konsep" not in extras
    assert "sdi_walidata" not in extras


def test_restricted_access_is_private(valid_record: dict[str, Any]) -> None:
    mapper = RecordMapper(target())
    record = dict(valid_record, klasifikasi_akses="terbatas")
    assert mapper.build(record, source_id="s", remote_id="r", name="x", owner="o")["private"]


def test_names_are_slugs_stable_and_unique() -> None:
    mapper = RecordMapper(target(dataset_name={"from": "title", "prefix": "mdn-"}))
    record = {"name": "ignored", "title": "Indeks Pembangunan Manusia (IPM) — Kota Medan 2025"}
    name = mapper.base_name(record, "s", "r")
    assert name == "mdn-indeks-pembangunan-manusia-ipm-kota-medan-2025"
    assert name == mapper.base_name(record, "s", "r")
    other = mapper.alternative_name(name, "s", "r")
    assert other.startswith(name + "-") and other == mapper.alternative_name(name, "s", "r")
    assert other != mapper.alternative_name(name, "s", "r2")
    assert len(mapper.alternative_name("a" * 100, "s", "r")) <= 100
    assert slugify("Données Ümlaut / test") == "donnees-umlaut-test"
    assert mapper.base_name({}, "s", "r").startswith("mdn-dataset-")


def test_names_ckan_keeps_for_its_pages_are_not_used() -> None:
    mapper = RecordMapper(target())
    for text in ("New", "edit", "Search"):
        name = mapper.base_name({"name": text}, "s", "r")
        assert name.startswith(text.lower() + "-") and len(name) == len(text) + 9, name
    assert mapper.base_name({"name": "Newsletter"}, "s", "r") == "newsletter"


def test_organization_is_slugged_when_unmapped() -> None:
    mapper = RecordMapper(target(default_organization="pemkot"))
    assert mapper.organization({"produsen_data": "Dinas Kesehatan Kota Medan"}) == (
        "dinas-kesehatan-kota-medan",
        "Dinas Kesehatan Kota Medan",
    )
    assert mapper.organization({}) == ("pemkot", "pemkot")
    assert RecordMapper(target()).organization({}) is None


# -- diff ------------------------------------------------------------------------------


def _portal(package: dict[str, Any]) -> dict[str, Any]:
    """The package as CKAN gives it back: ids, capitals, times, an organization object."""
    out = json.loads(json.dumps(package))
    out["id"] = "pkg-1"
    out["organization"] = {"name": out.pop("owner_org"), "title": "Org"}
    out["author"] = None
    for position, resource in enumerate(out["resources"]):
        resource["id"] = f"res-{position}"
        resource["format"] = resource.get("format", "").upper()
        if "last_modified" in resource:
            resource["last_modified"] += "T00:00:00"
    return out


def test_no_diff_against_what_ckan_normalized(valid_record: dict[str, Any]) -> None:
    mapper = RecordMapper(target())
    package = mapper.build(valid_record, source_id="s", remote_id="r", name="x", owner="o")
    assert diff_packages(package, _portal(package)) == []


def test_diff_names_each_changed_field(valid_record: dict[str, Any]) -> None:
    mapper = RecordMapper(target())
    before = mapper.build(valid_record, source_id="s", remote_id="r", name="x", owner="o")
    record = dict(valid_record, title="Baru", tahun=2026)
    record["resources"] = [dict(valid_record["resources"][0], url="https://x.go.id/b.csv")]
    after = mapper.build(record, source_id="s", remote_id="r", name="x", owner="o")
    changes = {c.field: (c.old, c.new) for c in diff_packages(after, _portal(before))}
    assert changes == {
        "title": (valid_record["title"], "Baru"),
        "extras.tahun": ("2025", "2026"),
        "resources[0].url": (valid_record["resources"][0]["url"], "https://x.go.id/b.csv"),
    }
    created = diff_packages(after, None)
    assert {c.field for c in created} >= {"title", "name", "tags", "extras.tahun"}


def test_resources_keep_their_ids_by_url_then_position() -> None:
    current = [
        {"id": "a", "url": "https://x/1.csv"},
        {"id": "b", "url": "https://x/2.csv"},
    ]
    desired = [{"url": "https://x/2.csv"}, {"url": "https://x/new.csv"}, {"url": "https://x/3"}]
    matched = match_resources(desired, current)
    assert [r.get("id") for r in matched] == ["b", "a", None]


def test_resources_keep_what_the_portal_added() -> None:
    current = [
        {
            "id": "a",
            "url": "https://x/1.csv",
            "description": "old",
            "datastore_active": True,
            "catatan_admin": "x",
            "mimetype": "text/csv",
            "url_type": None,
            "position": 0,
            "package_id": "p",
        },
        {"id": "b", "url": "https://x/2.csv", "url_type": "upload", "datastore_active": True},
    ]
    desired = [{"url": "https://x/1.csv", "name": "Satu"}, {"url": "https://x/baru.csv"}]
    same, moved = match_resources(desired, current)
    # satudata's keys come from the record (description: gone); the portal's are kept
    assert same == {
        "id": "a",
        "url": "https://x/1.csv",
        "name": "Satu",
        "datastore_active": True,
        "catatan_admin": "x",
        "mimetype": "text/csv",
        "url_type": None,
    }
    # a new URL: the old file's details go, the rest stays
    assert moved == {"id": "b", "url": "https://x/baru.csv", "datastore_active": True}


def test_ckan_errors_read_as_one_line() -> None:
    error = {"__type": "Validation Error", "tags": ["Tag 'a/b' must be alphanumeric"]}
    assert error_text(error) == "Validation Error: tags: Tag 'a/b' must be alphanumeric"
    nested = {"__type": "Validation Error", "extras": [{"key": ["There is a schema field"]}]}
    assert "extras: key: There is a schema field" in error_text(nested)


# -- state -----------------------------------------------------------------------------


def test_state_table_is_a_migration(tmp_path: Path) -> None:
    with Catalogue.open(tmp_path / "k.db") as cat:
        assert cat.schema_version == SCHEMA_VERSION
        cat.upsert_source("s", None, "directory", None, None)
        state = PublishState(cat, "portal")
        assert state.rows() == {}
        cat.conn.execute(
            "INSERT INTO datasets (source_id, remote_id, last_seen, valid, first_seen, "
            "last_changed, content_hash, findings_hash, record) "
            "VALUES ('s', 'r', 'now', 1, 'now', 'now', 'h', 'f', '{}')"
        )
        state.save(
            1, remote_id="ckan-1", remote_name="x", published_hash="h1", published=True,
            withdrawn=None, error=None,
        )  # fmt: skip
        state.save(
            1, remote_id=None, remote_name=None, published_hash=None, published=False,
            withdrawn=None, error="HTTP 409",
        )  # fmt: skip
        row = state.rows()[1]
        # a failed attempt keeps what was published and records the error
        assert (row.remote_id, row.remote_name, row.published_hash) == ("ckan-1", "x", "h1")
        assert row.last_error == "HTTP 409"


# -- planning (no network) -------------------------------------------------------------


def _katalog(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    from satudata_cli.pipeline.harvest import Harvester

    data = tmp_path / "data"
    data.mkdir()
    for i, record in enumerate(records):
        (data / f"r{i}.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "src.yaml").write_text(
        yaml.safe_dump({"id": "src", "type": "directory", "path": str(data)}), encoding="utf-8"
    )
    db = tmp_path / "k.db"
    Harvester(db).run(load_sources(tmp_path), full=True)
    return db


def test_plan_creates_valid_records_and_skips_the_unchanged(
    tmp_path: Path, valid_record: dict[str, Any]
) -> None:
    from satudata_cli.publish.engine import Publisher, PublishReport

    records = [
        dict(valid_record, name="penduduk"),
        # no name: the slug of the title, the same as the first's name, gets a suffix
        {k: v for k, v in valid_record.items() if k != "name"} | {"title": "Penduduk"},
        dict(valid_record, name="rusak", jadwal_pemutakhiran="kadang-kadang"),
    ]
    db = _katalog(tmp_path, records)
    publisher = Publisher(target(), db)
    with Catalogue.open(db) as cat:
        state = PublishState(cat, "portal")
        report = PublishReport("portal", "u", dry_run=True)
        items, unchanged = publisher._plan(cat, state.rows(), report, None, False, "keep")
        assert report.skipped_invalid == 1 and unchanged == []
        assert [i.kind for i in items] == ["create", "create"]
        names = sorted(i.name for i in items)
        assert names[0] == "penduduk" and names[1].startswith("penduduk-")
        first = items[0]
        state.save(
            first.dataset_id, remote_id="ckan-1", remote_name=first.name,
            published_hash=first.hash, published=True, withdrawn=None, error=None,
        )  # fmt: skip
        report = PublishReport("portal", "u", dry_run=True)
        items, unchanged = publisher._plan(cat, state.rows(), report, None, False, "keep")
        assert [o.dataset_id for o in unchanged] == [first.dataset_id]
        assert [i.kind for i in items] == ["create"]
        assert items[0].name == next(n for n in names if n != first.name)  # stable
        items, unchanged = publisher._plan(cat, state.rows(), report, None, True, "keep")
        assert len(items) == 2 and len(unchanged) == 1  # --include-invalid


def test_safety_valve_holds_back_too_many_withdrawals(tmp_path: Path) -> None:
    from satudata_cli.catalogue.publish_state import StateRow
    from satudata_cli.publish.engine import Publisher, PublishReport, _Item

    rows = {i: StateRow(i, f"id{i}", f"n{i}", "h", "t", None, None) for i in range(10)}

    def withdrawals(count: int) -> list[_Item]:
        return [
            _Item(i, "s", f"r{i}", None, "withdraw", {}, f"n{i}", None, None, None, rows[i])
            for i in range(count)
        ]

    publisher = Publisher(target(withdraw={"max_fraction": 0.2}), tmp_path / "k.db")
    report = PublishReport("portal", "u", dry_run=False)
    items = withdrawals(2)
    publisher._safety_valve(items, rows, report, "delete")
    assert len(items) == 2 and report.notes == []
    items = withdrawals(3)
    publisher._safety_valve(items, rows, report, "delete")
    assert items == [] and "max_fraction=0.2" in report.notes[0].en


# -- the Action API client (a stand-in for the HTTP client) ------------------------------


class _FakeHttp:
    """Answers POSTs from a script: exceptions are raised, anything else returned."""

    def __init__(self, *answers: Any) -> None:
        from satudata_cli.core.http import RetryPolicy

        self.retry = RetryPolicy(max_attempts=3, base_delay=0.0, jitter=0.0)
        self.answers = list(answers)
        self.calls: list[tuple[str, Any, dict[str, str] | None]] = []

    def post_json(self, url: str, json: Any, headers: dict[str, str] | None = None) -> Any:
        self.calls.append((url, json, headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _status(status: int, payload: Any) -> Exception:
    from satudata_cli.core.http import HttpStatusError

    return HttpStatusError(f"HTTP {status}", url="u", status=status, payload=payload)


def test_writes_are_retried_after_5xx_and_counted() -> None:
    from satudata_cli.codecs.ckan.client import CkanClient as CkanApi

    http = _FakeHttp(_status(502, None), _status(500, None), {"success": True, "result": 7})
    api = CkanApi(http, "https://x.go.id", "tok-1234", writes_per_second=1000)  # type: ignore[arg-type]
    assert api.call("package_update", {"id": "a"}, write=True) == 7
    assert api.writes == 3 and len(http.calls) == 3
    assert http.calls[0][2] == {"Authorization": "tok-1234"}


def test_validation_errors_carry_the_fields_and_no_token() -> None:
    from satudata_cli.codecs.ckan.client import ActionError, ActionNotAuthorized
    from satudata_cli.codecs.ckan.client import CkanClient as CkanApi

    error = {"__type": "Validation Error", "name": ["tok-1234 is in use"]}
    http = _FakeHttp(
        _status(409, {"success": False, "error": error}),
        _status(403, {"success": False, "error": {"__type": "Authorization Error"}}),
    )
    api = CkanApi(http, "https://x.go.id", "tok-1234", writes_per_second=1000)  # type: ignore[arg-type]
    with pytest.raises(ActionError) as caught:
        api.call("package_create", {"name": "a"}, write=True)
    assert caught.value.status == 409 and caught.value.fields == {"name": ["*** is in use"]}
    assert "tok-1234" not in str(caught.value) and "Validation Error" in str(caught.value)
    assert api.writes == 1  # a 409 is not retried
    with pytest.raises(ActionNotAuthorized):
        api.call("package_create", {"name": "a"}, write=True)
    assert "tok-1234" not in repr(api)
