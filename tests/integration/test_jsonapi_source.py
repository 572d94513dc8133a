"""The ``jsonapi`` source against fixture servers (tests/helpers/jsonapi_fixture.py): every
example configuration in harvest_configs/examples/, each pagination style, both
envelope shapes, detail URLs, loops, and malformed or truncated responses."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.core.configfile import ConfigError
from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.sources.config import SourceConfig, load_source, load_sources
from tests.helpers.jsonapi_fixture import JsonApiFixture

EXAMPLES = Path(__file__).resolve().parents[2] / "harvest_configs" / "examples"
JSONAPI_EXAMPLES = sorted(EXAMPLES.glob("jsonapi-*.yaml"))


def example(name: str, fixture: JsonApiFixture, **jsonapi: Any) -> SourceConfig:
    """The example configuration, pointed at the fixture server (same path)."""
    config = load_source(EXAMPLES / name)
    assert config.url is not None and config.jsonapi is not None
    path = config.url.split("satudata.example.go.id", 1)[1]
    update: dict[str, Any] = {
        "url": fixture.url + path,
        "http": config.http.model_copy(update={"requests_per_second": 1000, "retries": 0}),
    }
    if jsonapi:
        update["jsonapi"] = config.jsonapi.model_copy(update=jsonapi)
    return config.model_copy(update=update)


def paging(config: SourceConfig, **changes: Any) -> dict[str, Any]:
    assert config.jsonapi is not None
    return {"pagination": config.jsonapi.pagination.model_copy(update=changes)}


def harvest(db: Path, config: SourceConfig) -> SourceOutcome:
    report = Harvester(db).run([config])
    return report.outcomes[0]


def records(db: Path, source_id: str) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT remote_id, record FROM datasets WHERE source_id = ?", (source_id,)
        ).fetchall()
    finally:
        conn.close()
    return {r[0]: json.loads(r[1]) for r in rows}


@pytest.fixture
def api() -> Any:
    with JsonApiFixture(count=23) as fixture:
        yield fixture


def test_every_example_loads() -> None:
    assert len(JSONAPI_EXAMPLES) >= 4
    for path in sorted(EXAMPLES.glob("*.yaml")):
        config = load_source(path)
        assert config.id == path.stem or config.id


@pytest.mark.parametrize("path", JSONAPI_EXAMPLES, ids=lambda p: p.stem)
def test_examples_harvest_the_fixture(
    path: Path, api: JsonApiFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATUDATA_OPD_TOKEN", "rahasia-123")
    config = example(path.name, api)
    outcome = harvest(tmp_path / "k.db", config)
    assert outcome.status == "finished", outcome.error
    assert (outcome.added, outcome.errored) == (23, 0)
    assert outcome.complete is True
    stored = records(tmp_path / "k.db", config.id)
    first = stored["ds-0001"]
    assert first["title"] == "Jumlah Sekolah Dasar Kecamatan 1"
    assert first["organization"] == "Dinas Pendidikan Kota Medan"
    assert first["tags"] == ["pendidikan", "sekolah"]
    assert first["jadwal_pemutakhiran"] == "tahunan"
    assert first["kontak"] == {"nama": "Seksi Data Disdik", "email": "data.disdik@pemkomedan.go.id"}
    assert first["resources"] == [{"name": "SD 1 (CSV)", "url": "https://f.example/sd-1.csv"}]
    if config.token_env:
        assert all(h.get("authorization") == "Bearer rahasia-123" for h in api.headers)
        assert "rahasia-123" not in (tmp_path / "k.db").read_bytes().decode("latin-1")


def test_offset_paging_requests_and_stop(api: JsonApiFixture, tmp_path: Path) -> None:
    harvest(tmp_path / "k.db", example("jsonapi-envelope-result.yaml", api))
    paths = [p for _, p, _ in api.requests]
    # 23 records, pages of 10: the third page is short, so it is the last
    assert paths == [
        "/result/datasets?offset=0&limit=10",
        "/result/datasets?offset=10&limit=10",
        "/result/datasets?offset=20&limit=10",
    ]


def test_page_numbers_stop_at_the_total(
    api: JsonApiFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATUDATA_OPD_TOKEN", "t0k3n")
    api.items = api.items[:20]  # two full pages: only meta.total says there is no third
    harvest(tmp_path / "k.db", example("jsonapi-data-meta.yaml", api))
    assert [p for _, p, _ in api.requests] == [
        "/data/datasets?page=1&per_page=10",
        "/data/datasets?page=2&per_page=10",
    ]


def test_empty_page_ends_a_pass_without_limit(api: JsonApiFixture, tmp_path: Path) -> None:
    config = example("jsonapi-envelope-result.yaml", api)
    config = example("jsonapi-envelope-result.yaml", api, **paging(config, limit=None))
    outcome = harvest(tmp_path / "k.db", config)
    assert outcome.added == 23 and outcome.complete
    # without a page size the server's default (10) is used: 3 pages, then an empty one
    assert len(api.requests) == 4


def test_cursor_post_sends_body_and_cursor(api: JsonApiFixture, tmp_path: Path) -> None:
    harvest(tmp_path / "k.db", example("jsonapi-cursor-post.yaml", api))
    bodies = [b for m, _, b in api.requests if m == "POST"]
    assert bodies[0] == {"filter": {"wilayah": "12.71"}, "size": 10}
    assert bodies[1] == {"filter": {"wilayah": "12.71"}, "size": 10, "cursor": "10"}
    assert len(bodies) == 3


def test_detail_that_fails_is_an_errored_record(api: JsonApiFixture, tmp_path: Path) -> None:
    api.missing_details = {"ds-0005"}
    outcome = harvest(tmp_path / "k.db", example("jsonapi-detail.yaml", api))
    assert outcome.status == "finished"
    assert (outcome.added, outcome.errored) == (22, 1)
    assert "/summary/datasets/ds-0001" in [p for _, p, _ in api.requests]


def test_api_ignoring_offsets_is_stopped(api: JsonApiFixture, tmp_path: Path) -> None:
    api.ignore_paging = True
    outcome = harvest(tmp_path / "k.db", example("jsonapi-envelope-result.yaml", api))
    assert outcome.status == "finished"
    assert outcome.added == 10 and not outcome.complete
    assert any("repeats page 1" in n for n in outcome.notes)
    assert len(api.requests) == 2


def test_next_link_loop_is_stopped(api: JsonApiFixture, tmp_path: Path) -> None:
    api.next_loops = True
    outcome = harvest(tmp_path / "k.db", example("jsonapi-next-link.yaml", api))
    assert outcome.status == "finished" and not outcome.complete
    assert any("repeat an earlier request" in n for n in outcome.notes)
    assert outcome.added == 10


def test_max_pages(api: JsonApiFixture, tmp_path: Path) -> None:
    config = example("jsonapi-next-link.yaml", api)
    config = example("jsonapi-next-link.yaml", api, **paging(config, max_pages=2))
    outcome = harvest(tmp_path / "k.db", config)
    assert outcome.added == 10 and not outcome.complete
    assert any("max_pages (2)" in n for n in outcome.notes)


@pytest.mark.parametrize(
    ("switch", "expected"),
    [
        ("truncate", "broken or cut off"),
        ("html", "expected JSON, got text/html"),
        ("records_not_list", "selects dict, not a list"),
    ],
)
def test_malformed_responses_fail_the_job(
    api: JsonApiFixture, tmp_path: Path, switch: str, expected: str
) -> None:
    setattr(api, switch, True)
    outcome = harvest(tmp_path / "k.db", example("jsonapi-envelope-result.yaml", api))
    assert outcome.status == "failed"
    assert outcome.error is not None and expected in outcome.error
    assert "source portal-opd-result" in outcome.error
    assert outcome.added == 0


def test_wrong_records_expression_names_the_keys(api: JsonApiFixture, tmp_path: Path) -> None:
    config = example("jsonapi-envelope-result.yaml", api, records="data")
    outcome = harvest(tmp_path / "k.db", config)
    assert outcome.status == "failed"
    assert outcome.error is not None and "status, message, result" in outcome.error


def test_records_without_id_are_errored(tmp_path: Path) -> None:
    items: list[Any] = [{"id": "a", "judul": "A"}, {"judul": "tanpa id"}, "bukan objek"]
    with JsonApiFixture(items=items) as fixture:
        config = example("jsonapi-envelope-result.yaml", fixture)
        outcome = harvest(tmp_path / "k.db", config)
    assert (outcome.added, outcome.errored) == (1, 2)
    assert not outcome.complete  # a record without id might be a stored one


def test_limit_stops_early(api: JsonApiFixture, tmp_path: Path) -> None:
    report = Harvester(tmp_path / "k.db").run(
        [example("jsonapi-envelope-result.yaml", api)], limit=12
    )
    assert report.outcomes[0].added == 12 and not report.outcomes[0].complete
    assert len(api.requests) == 2


# -- configuration ------------------------------------------------------------------------


def _error(tmp_path: Path, text: str) -> str:
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_sources(tmp_path)
    return str(caught.value)


def test_config_needs_the_jsonapi_block(tmp_path: Path) -> None:
    message = _error(tmp_path, "id: s\ntype: jsonapi\nurl: https://x.example/api\n")
    assert "s.yaml:2: jsonapi: required for type jsonapi" in message


def test_config_refuses_bad_jmespath_and_unknown_keys(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        "id: s\ntype: jsonapi\nurl: https://x.example/api\njsonapi:\n"
        "  records: data[\n  id: id\n  fields:\n    title: judul\n    notes: 'a..b'\n"
        "  pagination: {style: offset, limt: 10}\n",
    )
    assert "s.yaml:5: jsonapi.records: records: not a valid JMESPath expression" in message
    assert "s.yaml:9: jsonapi.fields.notes: notes: not a valid JMESPath" in message
    assert "jsonapi.pagination.limt: unknown key (did you mean limit?)" in message


def test_config_refuses_credentials(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        "id: s\ntype: jsonapi\nurl: https://x.example/api\njsonapi:\n  records: data\n"
        "  id: id\n  fields: {title: judul}\n  headers: {X-Api-Key: abc123}\n",
    )
    assert "s.yaml:8: jsonapi.headers.X-Api-Key:" in message and "token_env" in message
    assert "abc123" not in message


def test_config_style_needs_its_expression(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        "id: s\ntype: jsonapi\nurl: https://x.example/api\njsonapi:\n  records: data\n"
        "  id: id\n  fields: {title: judul}\n  pagination: {style: cursor}\n",
    )
    assert "jsonapi.pagination.cursor: required for style cursor" in message


def test_block_for_another_type_is_refused(tmp_path: Path) -> None:
    message = _error(
        tmp_path, "id: s\ntype: ckan\nurl: https://x.example\nspreadsheet: {sheet: A}\n"
    )
    assert "s.yaml:4: spreadsheet: only used by type spreadsheet, not ckan" in message


def test_token_is_not_sent_to_another_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATUDATA_OPD_TOKEN", "rahasia-123")
    with JsonApiFixture(count=3) as other, JsonApiFixture(count=3) as api:
        # the portal's detail pages live on another host (a CDN, a second server)
        config = example(
            "jsonapi-detail.yaml",
            api,
            detail_url=other.url + "/summary/datasets/{id}",
        ).model_copy(update={"token_env": "SATUDATA_OPD_TOKEN"})
        outcome = harvest(tmp_path / "k.db", config)
    assert outcome.added == 3, outcome.error
    assert api.headers[0]["authorization"] == "Bearer rahasia-123"
    assert len(other.headers) == 3
    assert all("authorization" not in h for h in other.headers)


@pytest.mark.parametrize("header", ["Authorization", "X-Portal-Token", "X-Kunci-API"])
def test_token_is_not_carried_by_a_redirect_to_another_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str
) -> None:
    monkeypatch.setenv("SATUDATA_OPD_TOKEN", "rahasia-123456")
    with JsonApiFixture(count=3) as other, JsonApiFixture(count=3) as api:
        api.redirect_to = other.url  # the portal moved its API to another host
        config = example(
            "jsonapi-envelope-result.yaml", api, token_header=header, token_prefix=""
        ).model_copy(update={"token_env": "SATUDATA_OPD_TOKEN"})
        outcome = harvest(tmp_path / "k.db", config)
    assert outcome.added == 3, outcome.error
    assert api.headers[0][header.lower()] == "rahasia-123456"
    assert other.headers and all(header.lower() not in h for h in other.headers)


def test_custom_token_header_is_scrubbed_from_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATUDATA_OPD_TOKEN", "rahasia-123456")
    with JsonApiFixture(count=3) as api:
        api.echo_headers = True  # a 401 page that shows the request's headers
        config = example(
            "jsonapi-envelope-result.yaml", api, token_header="X-Kunci-API", token_prefix=""
        ).model_copy(update={"token_env": "SATUDATA_OPD_TOKEN"})
        outcome = harvest(tmp_path / "k.db", config)
    assert outcome.status == "failed" and "401" in (outcome.error or "")
    assert "X-Kunci-API" in (outcome.error or "")  # the excerpt is there ...
    assert "rahasia-123456" not in (outcome.error or "")  # ... without the token


def test_json_schema_accepts_every_example_and_requires_the_block() -> None:
    import jsonschema
    import yaml

    from satudata_cli.sources.config import config_json_schema

    validator = jsonschema.Draft202012Validator(config_json_schema())
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path
    assert not validator.is_valid({"id": "x", "type": "jsonapi", "url": "https://a.example"})
    assert validator.is_valid({"id": "x", "type": "datajson", "path": "data.json"})
