"""Issue 12: CKAN and JSON API shapes read (and published back) without losing a field.

Each test serves small packages of one shape from the loopback CKAN fixture
(tests/helpers/ckan_fixture.py) or the JSON API fixture and harvests them through the
real source and engine, or checks the codec when only the mapping is at stake.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.core.configfile import ConfigError
from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.publish.config import TargetConfig
from satudata_cli.publish.mapping import RecordMapper
from satudata_cli.sources.config import SourceConfig, load_source
from tests.helpers.ckan_fixture import CkanFixture, package
from tests.helpers.jsonapi_fixture import JsonApiFixture
from tests.helpers.source_helpers import stored_findings as findings

HTTP = {"timeout": 5.0, "connect_timeout": 2.0, "requests_per_second": 1000}


def harvest(db: Path, config: dict[str, Any], **options: Any) -> SourceOutcome:
    source_config = SourceConfig.model_validate({"http": HTTP, **config})
    (outcome,) = Harvester(db).run([source_config], **options).outcomes
    return outcome


def stored(db: Path, source_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """remote id -> (status, record) of every stored dataset of the source."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            remote_id: (status, json.loads(record))
            for remote_id, status, record in conn.execute(
                "SELECT remote_id, status, record FROM datasets WHERE source_id = ?",
                (source_id,),
            )
        }
    finally:
        conn.close()


# -- CKAN: extras with empty values ----------------------------------------------------


def test_ckan_extras_with_empty_values_are_kept_and_published_back(tmp_path: Path) -> None:
    pkg = package(0, seed=5)
    pkg["extras"] = [
        *pkg["extras"],
        {"key": "catatan_walidata", "value": ""},
        {"key": "sumber_asli", "value": "   "},
    ]
    db = tmp_path / "k.db"
    with CkanFixture(datasets=[pkg]) as server:
        outcome = harvest(db, {"id": "ckan-kosong", "type": "ckan", "url": server.url})
    assert outcome.added == 1 and outcome.errored == 0
    ((_, record),) = stored(db, "ckan-kosong").values()
    assert record["catatan_walidata"] == ""
    assert record["sumber_asli"] == ""
    target = TargetConfig.model_validate(
        {"id": "portal", "type": "ckan", "url": "https://data.example.go.id", "token_env": "T"}
    )
    built = RecordMapper(target).build(
        record, source_id="ckan-kosong", remote_id="r1", name="n", owner="pemkot"
    )
    extras = {e["key"]: e["value"] for e in built["extras"]}
    assert extras["catatan_walidata"] == ""
    assert extras["sumber_asli"] == ""


# -- CKAN: a resource's mimetype -------------------------------------------------------


def test_ckan_mimetype_is_kept_and_a_disagreement_is_a_warning(tmp_path: Path) -> None:
    pkg = package(1, seed=5)
    base = "https://data.pemkomedan.go.id/files"
    pkg["resources"] = [
        # the portal's format says CSV, the file is a PNG chart
        {"name": "Grafik", "url": f"{base}/grafik.png", "format": "CSV", "mimetype": "image/png"},
        {"name": "Tabel", "url": f"{base}/tabel.csv", "format": "CSV", "mimetype": "text/csv"},
        # parameters of the media type do not count; an unknown media type is left alone
        {
            "name": "Tabel UTF-8",
            "url": f"{base}/tabel-utf8.csv",
            "format": "csv",
            "mimetype": "text/csv; charset=utf-8",
        },
        {"name": "Lain", "url": f"{base}/x.csv", "format": "CSV", "mimetype": "x-satudata/aneh"},
        # format and extension agree, the media type does not
        {
            "name": "Lembar",
            "url": f"{base}/lembar.xlsx",
            "format": "XLSX",
            "mimetype": "application/pdf",
        },
    ]
    db = tmp_path / "m.db"
    with CkanFixture(datasets=[pkg]) as server:
        outcome = harvest(db, {"id": "ckan-mime", "type": "ckan", "url": server.url})
    assert outcome.added == 1 and outcome.errored == 0
    ((remote_id, (_, record)),) = stored(db, "ckan-mime").items()
    assert [r.get("mimetype") for r in record["resources"]] == [
        "image/png",
        "text/csv",
        "text/csv; charset=utf-8",
        "x-satudata/aneh",
        "application/pdf",
    ]
    found = {f for f in findings(db, remote_id) if f.startswith("resource.media-mismatch")}
    assert found == {
        "resource.media-mismatch $.resources[0].mimetype",
        "resource.media-mismatch $.resources[4].mimetype",
    }


# -- CKAN: filters.organizations on the client side ------------------------------------

DINKES = {"id": "0c5e0d7e-dinkes", "name": "dinkes-medan", "title": "Dinas Kesehatan"}
DISDIK = {"id": "7a1b2c3d-disdik", "name": "disdik-medan", "title": "Dinas Pendidikan"}


def _owned(index: int, org: dict[str, str], *, embedded: bool) -> dict[str, Any]:
    pkg = package(index, seed=9)
    pkg["owner_org"] = org["id"]
    if embedded:
        pkg["organization"] = dict(org)
    else:
        del pkg["organization"]  # only owner_org, as some portals' listings give
    return pkg


def _owned_packages() -> list[dict[str, Any]]:
    return [
        _owned(0, DINKES, embedded=False),
        _owned(1, DINKES, embedded=True),
        _owned(2, DISDIK, embedded=False),
        _owned(3, DISDIK, embedded=True),
    ]


def test_ckan_client_side_organization_filter_matches_owner_org(tmp_path: Path) -> None:
    packages = _owned_packages()
    db = tmp_path / "o.db"
    with CkanFixture(datasets=packages) as server:
        server.add_organization(DINKES)
        server.disable_package_search = True  # the portal refuses fq: filtered here
        outcome = harvest(
            db,
            {
                "id": "ckan-org",
                "type": "ckan",
                "url": server.url,
                "filters": {"organizations": ["dinkes-medan"]},
            },
        )
    assert outcome.complete and outcome.incomplete is None
    assert outcome.added == 2 and outcome.errored == 0
    assert set(stored(db, "ckan-org")) == {packages[0]["id"], packages[1]["id"]}


def test_ckan_organization_filter_that_cannot_be_resolved_is_not_a_clean_pass(
    tmp_path: Path,
) -> None:
    packages = _owned_packages()
    db = tmp_path / "o.db"
    config = {
        "id": "ckan-org",
        "type": "ckan",
        "url": "",
        "filters": {"organizations": ["dinkes-medan"]},
        "withdraw": {"grace_days": 0, "max_fraction": 1.0},
    }
    with CkanFixture(datasets=packages) as server:
        server.disable_package_search = True
        config["url"] = server.url
        first = harvest(db, config)  # organization_show answers: a complete pass
        assert first.complete and first.added == 2
        server.disable_organization_show = True
        second = harvest(db, config, full=True)
        # a filter given by an organization's name cannot match owner_org ids now
        server.disable_organization_show = False
        server.organizations.clear()
        unknown = {"organizations": ["dinkes-medan", "dinas-tak-ada"]}
        third = harvest(db, {**config, "filters": unknown}, full=True)
    for outcome in (second, third):
        assert not outcome.complete
        assert outcome.incomplete is not None and "organization" in outcome.incomplete
        assert outcome.withdrawn == 0
    assert {status for status, _ in stored(db, "ckan-org").values()} == {"active"}


# -- JSON API: a body token from token_env, paging templates in strings ----------------

PROXY_YAML = """\
id: portal-nasional
type: jsonapi
url: {url}/proxy
token_env: SATUDATA_PROXY_TOKEN
http: {{timeout: 5, connect_timeout: 2, requests_per_second: 1000}}
jsonapi:
  method: POST
  body:
    endpoint: "package_search?rows={{rows}}&start={{start}}"
    token: "{{token}}"
  records: data.results
  id: id
  fields:
    title: judul
    notes: deskripsi
  pagination:
    style: offset
    limit: 10
    total: data.count
"""


def test_jsonapi_proxy_with_body_token_and_paging_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATUDATA_PROXY_TOKEN", "rahasia-proxy-77")
    db = tmp_path / "p.db"
    with JsonApiFixture(count=23) as api:
        api.proxy_token = "rahasia-proxy-77"
        path = tmp_path / "portal-nasional.yaml"
        path.write_text(PROXY_YAML.format(url=api.url), encoding="utf-8")
        config = load_source(path)
        (outcome,) = Harvester(db).run([config]).outcomes
        bodies = [body for _, _, body in api.requests]
    assert outcome.status == "finished", outcome.error
    assert (outcome.added, outcome.errored, outcome.complete) == (23, 0, True)
    # the templates filled in, and no paging parameter added next to them
    assert bodies == [
        {"endpoint": f"package_search?rows=10&start={start}", "token": "rahasia-proxy-77"}
        for start in (0, 10, 20)
    ]
    assert "rahasia-proxy-77" not in db.read_bytes().decode("latin-1")


@pytest.mark.parametrize("value", ['"rahasia-literal"', "abc123"])
def test_jsonapi_literal_body_token_is_still_refused(tmp_path: Path, value: str) -> None:
    path = tmp_path / "portal-nasional.yaml"
    text = PROXY_YAML.format(url="http://127.0.0.1:9").replace('"{token}"', value)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_source(path)
    assert "jsonapi.body.token" in str(caught.value)
    assert "rahasia-literal" not in str(caught.value)


def test_jsonapi_body_token_template_needs_token_env(tmp_path: Path) -> None:
    path = tmp_path / "portal-nasional.yaml"
    text = PROXY_YAML.format(url="http://127.0.0.1:9").replace(
        "token_env: SATUDATA_PROXY_TOKEN\n", ""
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_source(path)
    assert "token_env" in str(caught.value)


def _jsonapi(url: str, **api: Any) -> dict[str, Any]:
    return {
        "id": "jsonapi-templat",
        "type": "jsonapi",
        "url": url,
        "jsonapi": {"id": "id", "fields": {"title": "judul"}, **api},
    }


def test_jsonapi_page_and_cursor_templates(tmp_path: Path) -> None:
    with JsonApiFixture(count=23) as api:
        by_page = harvest(
            tmp_path / "a.db",
            _jsonapi(
                f"{api.url}/data/datasets",
                params={"page": "{page}", "per_page": "{rows}"},
                records="data",
                pagination={"style": "page", "limit": 10, "total": "meta.total"},
            ),
        )
        paths = [path for _, path, _ in api.requests]
        api.requests.clear()
        by_cursor = harvest(
            tmp_path / "b.db",
            _jsonapi(
                f"{api.url}/cursor/search",
                method="POST",
                body={"cursor": "{cursor}", "size": "{rows}", "filter": "sd-{page}"},
                records="hasil.items",
                pagination={"style": "cursor", "cursor": "hasil.cursor", "limit": 10},
            ),
        )
        bodies = [body for _, _, body in api.requests]
    assert (by_page.added, by_page.complete) == (23, True)
    assert paths == [f"/data/datasets?page={n}&per_page=10" for n in (1, 2, 3)]
    assert (by_cursor.added, by_cursor.complete) == (23, True)
    assert bodies == [
        {"cursor": "", "size": 10, "filter": "sd-1"},
        {"cursor": "10", "size": 10, "filter": "sd-2"},
        {"cursor": "20", "size": 10, "filter": "sd-3"},
    ]


def test_jsonapi_templates_that_cannot_be_filled_are_refused() -> None:
    bad = [
        _jsonapi("http://127.0.0.1:9/x", records="data", params={"n": "{rows}"}),
        _jsonapi("http://127.0.0.1:9/x", records="data", params={"c": "{cursor}"}),
        _jsonapi("http://127.0.0.1:9/x", records="data", params={"t": "{token}"}),
    ]
    for config in bad:
        with pytest.raises(ValueError, match=r"\{(rows|cursor|token)\}"):
            SourceConfig.model_validate(config)
