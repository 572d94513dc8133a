"""The network fault matrix of issue 16: broken portals, networks and documents against
the real CLI.

Every case first harvests a good state from a healthy portal, then harvests again
while a fault is armed on the loopback fault server (tests/helpers/fault_server.py,
in front of the CKAN fixture or with its own routes), and asserts:

- no traceback and no "internal error" on stdout or stderr;
- the documented exit code (docs/exit-codes.md) and the job's status in the catalogue;
- that nothing stored before is lost or wrongly withdrawn (the faulty pass runs with
  ``grace_days: 0`` and ``max_fraction: 1``, so a pass wrongly taken as complete would
  withdraw at once).

Each test's docstring names the fault as issue 16 does ("held": it held before the
issue's fixes; "defect N": it broke and was fixed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.models import JobInfo
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.cli import Cli, write_source
from tests.helpers.dcat_fixture import hydra_page
from tests.helpers.fault_server import (
    Body,
    Delay,
    FaultServer,
    GzipBomb,
    Hang,
    Html200,
    Huge,
    InvalidUtf8,
    Redirect,
    Reply,
    Request,
    Rewrite,
    Status,
    Trickle,
    Truncate,
    action,
    closed_port_url,
)
from tests.helpers.jsonapi_fixture import JsonApiFixture

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "portal"
#: the HTTP settings of every source here: few, quick retries; no rate limit to speak of
FAST_HTTP: dict[str, Any] = {
    "retries": 1,
    "timeout": 5,
    "connect_timeout": 2,
    "requests_per_second": 1000,
}
#: a pass wrongly taken as complete withdraws at once
EAGER_WITHDRAW = {"grace_days": 0, "max_fraction": 1.0}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def outcome(self) -> dict[str, Any]:
        """The one source's entry of ``harvest --json``."""
        (entry,) = json.loads(self.stdout)
        assert isinstance(entry, dict)
        return entry


class Bench:
    """A catalogue and a configuration folder; harvests through the CLI, in process or
    as a real process, and reads what the catalogue holds."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "katalog.db"
        self.cfg = tmp_path / "sumber"
        self.tmp = tmp_path

    def source(self, **fields: Any) -> None:
        fields.setdefault("http", FAST_HTTP)
        fields.setdefault("withdraw", EAGER_WITHDRAW)
        write_source(self.cfg, SOURCE, **fields)

    def harvest(self, *args: str, verbose: bool = False, env: dict[str, str] | None = None) -> Run:
        """``satudata [-v] harvest portal --full --json ARGS`` in process."""
        command = ["-v"] if verbose else []
        command += ["harvest", SOURCE, "--full", "--json", *args]
        result = Cli(self.db, self.cfg)(*command, env=env)
        run = Run(result.exit_code, result.stdout, result.stderr)
        assert_clean(run)
        return run

    def harvest_process(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> Run:
        """The same as a real process (``python -m satudata_cli``)."""
        environ = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
        environ["PYTHONPATH"] = str(ROOT) + os.pathsep + environ.get("PYTHONPATH", "")
        environ["NO_COLOR"] = "1"
        environ.update(env or {})
        argv = [sys.executable, "-m", "satudata_cli", "--db", str(self.db)]
        argv += ["--config-dir", str(self.cfg), *args]
        done = subprocess.run(
            argv, capture_output=True, text=True, env=environ, cwd=self.tmp, timeout=timeout
        )
        run = Run(done.returncode, done.stdout, done.stderr)
        assert_clean(run)
        return run

    def state(self) -> dict[str, tuple[str, str]]:
        """remote id -> (status, content hash) of every dataset of the source."""
        with Catalogue.open(self.db, create=False) as cat:
            return {k: (v.status, v.content_hash) for k, v in cat.dataset_states(SOURCE).items()}

    def active(self) -> set[str]:
        return {k for k, (status, _hash) in self.state().items() if status == "active"}

    def last_job(self) -> JobInfo:
        with Catalogue.open(self.db, create=False) as cat:
            (job,) = cat.list_jobs(limit=1, source_id=SOURCE)
            return job

    def good_state(
        self, *args: str, env: dict[str, str] | None = None
    ) -> dict[str, tuple[str, str]]:
        """Harvest the healthy portal; what the catalogue then holds."""
        run = self.harvest(*args, env=env)
        assert run.code == 0, run.stderr
        assert run.outcome["complete"] is True
        state = self.state()
        assert state and all(status == "active" for status, _ in state.values())
        return state

    def assert_kept(self, before: dict[str, tuple[str, str]]) -> None:
        """Every dataset stored before is still there, active and unchanged."""
        after = self.state()
        assert {k: after.get(k) for k in before} == before


def assert_clean(run: Run) -> None:
    both = run.stdout + run.stderr
    assert "Traceback" not in both, both
    assert "internal error" not in both, both


@pytest.fixture
def bench(tmp_path: Path) -> Bench:
    return Bench(tmp_path)


@dataclass
class Portal:
    """A CKAN portal (the fixture) behind a fault server; ``url`` is the server's."""

    ckan: CkanFixture
    server: FaultServer

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def portal() -> Iterator[Portal]:
    with (
        CkanFixture(datasets=make_packages(30, seed=16)) as ckan,
        FaultServer(ckan.url) as server,
    ):
        yield Portal(ckan, server)


# -- documents that point elsewhere ------------------------------------------------------------


def _jsonld_catalogue(context: Any, *extra: dict[str, Any]) -> dict[str, Any]:
    """A JSON-LD catalogue of two datasets with ``context`` as its @context."""
    datasets = [
        {
            "@id": f"https://data.example.go.id/dataset/{n}",
            "@type": "dcat:Dataset",
            "dct:identifier": f"ds-{n}",
            "dct:title": f"Data {n}",
        }
        for n in (1, 2)
    ]
    return {
        "@context": context,
        "@id": "https://data.example.go.id/catalog",
        "@type": "dcat:Catalog",
        "dcat:dataset": datasets + list(extra),
    }


_INLINE = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"}


def _nest_in_lists(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


def _nest_in_nodes(node: dict[str, Any], depth: int) -> dict[str, Any]:
    for level in range(depth):
        node = {"@id": f"https://data.example.go.id/n/{level}", "dct:hasPart": node}
    return node


def _attacks(remote: str, local: str) -> dict[str, Any]:
    """@context shapes that name ``remote`` or ``local`` deep inside a document."""
    return {
        "remote in a list": _jsonld_catalogue([_INLINE, [remote]]),
        "remote 250 lists deep": _jsonld_catalogue([_INLINE, _nest_in_lists(remote, 250)]),
        "remote in a node 250 levels deep": _jsonld_catalogue(
            _INLINE, _nest_in_nodes({"@context": remote, "@id": "https://x.example/deep"}, 250)
        ),
        "remote @import in a scoped context": _jsonld_catalogue(
            {**_INLINE, "judul": {"@id": "dct:title", "@context": {"@import": remote}}}
        ),
        "remote in a scoped context list": _jsonld_catalogue(
            {**_INLINE, "judul": {"@id": "dct:title", "@context": [[{}], [[remote]]]}}
        ),
        "file 250 lists deep": _jsonld_catalogue([_INLINE, _nest_in_lists(local, 250)]),
        "file in a node 250 levels deep": _jsonld_catalogue(
            _INLINE, _nest_in_nodes({"@context": [[local]], "@id": "https://x.example/f"}, 250)
        ),
    }


CANARY = "KANARI-RAHASIA-7f3a9c"
_OPENED: list[str] = []
_WATCHING: list[str] = []


def _record_opens(event: str, args: tuple[Any, ...]) -> None:
    """An audit hook of this test process: every attempt to open a watched file."""
    if event == "open" and _WATCHING and args and isinstance(args[0], str | bytes | Path):
        name = os.fsdecode(args[0])
        if any(name.endswith(watched) for watched in _WATCHING):
            _OPENED.append(name)


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """The files named ``rahasia*`` that anything in this process tried to open."""
    if not getattr(sys, "_satudata_test_open_hook", False):
        sys.addaudithook(_record_opens)  # hooks cannot be removed: installed once
        sys._satudata_test_open_hook = True  # type: ignore[attr-defined]
    _OPENED.clear()
    _WATCHING[:] = ["rahasia.jsonld"]
    try:
        yield _OPENED
    finally:
        _WATCHING.clear()


def test_jsonld_contexts_nested_at_any_depth_are_never_fetched_nor_read(
    bench: Bench, opened_files: list[str]
) -> None:
    """Defect 4: the JSON-LD remote-context screen can be bypassed (a @context nested
    ~200+ levels deep is fetched; a file:// context is read from disk)."""
    secret = bench.tmp / "rahasia.jsonld"
    secret.write_text(json.dumps({"@context": {"kanari": f"http://{CANARY}/"}}), encoding="utf-8")
    opened_files.clear()  # writing it was this test
    document = bench.tmp / "katalog.jsonld"
    document.write_text(json.dumps(_jsonld_catalogue(_INLINE)), encoding="utf-8")
    bench.source(type="dcat", path=str(document))
    before = bench.good_state()
    with FaultServer() as server:
        server.route("/ctx.jsonld", Reply.json({"@context": {"x": "http://x.example/"}}))
        for name, attack in _attacks(server.url + "/ctx.jsonld", secret.as_uri()).items():
            document.write_text(json.dumps(attack), encoding="utf-8")
            run = bench.harvest()
            assert run.code == 5, (name, run.stderr)  # the one source failed
            assert run.outcome["status"] == "failed", name
            assert "@context" in run.outcome["error"], (name, run.outcome["error"])
            assert bench.last_job().status == "failed"
            assert server.requests == [], name
            assert opened_files == [], name
            assert CANARY not in run.stdout + run.stderr, name
            bench.assert_kept(before)
    assert CANARY.encode() not in bench.db.read_bytes()


def test_the_rdf_parser_cannot_reach_outside_the_document_even_past_the_screen(
    tmp_path: Path,
) -> None:
    """Defect 4, second line: should rdflib be led to a context the screen missed, the
    parse is sealed (no connection, no file opened) and refused with a clear reason."""
    from rdflib import Graph

    from satudata_cli.codecs.dcat import rdf

    secret = tmp_path / "rahasia.jsonld"
    secret.write_text(json.dumps({"@context": {"k": f"http://{CANARY}/"}}), encoding="utf-8")
    with FaultServer() as server:
        server.route("/ctx.jsonld", Reply.json({"@context": {"x": "http://x.example/"}}))
        for context in (secret.as_uri(), server.url + "/ctx.jsonld"):
            document = {"@context": context, "@id": "https://x.example/a", "k": "v"}
            with pytest.raises(PermissionError), rdf.quiet_rdflib(), rdf._sealed():
                Graph().parse(data=document, format="json-ld", publicID="https://x.example/")
        assert server.requests == []
    # the seal is for the parsing thread, during the parse only
    assert json.loads(secret.read_text(encoding="utf-8"))["@context"]["k"].startswith("http")


# -- CKAN portals that break -------------------------------------------------------------------

#: CKAN packages carry jadwal_pemutakhiran under another name
CKAN_MAPPING = {"frekuensi_penerbitan": "jadwal_pemutakhiran"}


def ckan_source(bench: Bench, url: str, **fields: Any) -> None:
    bench.source(type="ckan", url=url, mapping=CKAN_MAPPING, **fields)


def search_page(start: str) -> Any:
    """A predicate: package_search asked for the page at ``start``."""
    return lambda r: r.action == "package_search" and r.query.get("start") == start


@pytest.fixture
def paged(portal: Portal, bench: Bench) -> dict[str, tuple[str, str]]:
    """The portal pages by 10 (30 datasets: pages at 0, 10, 20, then an empty one);
    the good state is harvested."""
    portal.ckan.max_rows = 10
    ckan_source(bench, portal.url)
    state = bench.good_state()
    portal.server.clear_requests()
    return state


def assert_failed(bench: Bench, run: Run, before: dict[str, tuple[str, str]], *words: str) -> None:
    """The one source failed as a whole: exit 5, job failed, nothing lost."""
    assert run.code == 5, run.stderr
    assert run.outcome["status"] == "failed"
    assert bench.last_job().status == "failed"
    for word in words:
        assert word in run.outcome["error"], run.outcome["error"]
    bench.assert_kept(before)


def assert_whole(bench: Bench, run: Run, before: dict[str, tuple[str, str]]) -> None:
    """The fault was overcome: exit 0, a complete pass, every dataset still there."""
    assert run.code == 0, run.stderr
    assert run.outcome["status"] == "finished"
    assert run.outcome["complete"] is True
    assert run.outcome["incomplete_reason"] is None
    assert bench.last_job().status == "finished"
    assert run.outcome["withdrawn"] == 0
    bench.assert_kept(before)


def assert_incomplete(
    bench: Bench, run: Run, before: dict[str, tuple[str, str]], *words: str
) -> None:
    """What was read is stored, the pass is not complete: exit 3, nothing withdrawn."""
    assert run.code == 3, run.stderr
    assert run.outcome["status"] == "finished"
    assert run.outcome["complete"] is False
    reason = run.outcome["incomplete_reason"]
    assert reason, run.outcome
    for word in words:
        assert word in reason, reason
    assert run.outcome["withdrawn"] == 0
    assert bench.last_job().status == "finished"
    assert "not complete" in (bench.last_job().notes or "")
    bench.assert_kept(before)


def test_refused(bench: Bench, portal: Portal) -> None:
    """Held: refused (nothing listens at the portal's address)."""
    ckan_source(bench, portal.url)
    before = bench.good_state()
    ckan_source(bench, closed_port_url())
    assert_failed(bench, bench.harvest(), before, "cannot connect")


def test_hang(bench: Bench, portal: Portal) -> None:
    """Held: hang (the portal accepts the connection and never answers)."""
    ckan_source(bench, portal.url, http={**FAST_HTTP, "timeout": 1, "retries": 0})
    before = bench.good_state()
    portal.server.arm(Hang())
    assert_failed(bench, bench.harvest(), before, "read timeout")


def test_500_on_a_page_falls_back(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held: 500 on a page with fallback (package_search breaks on page 2; the listing
    is read again with current_package_list_with_resources)."""
    portal.server.arm(Status(500), when=search_page("10"))
    run = bench.harvest()
    assert_whole(bench, run, paged)
    assert any("falling back" in note for note in run.outcome["notes"])
    assert portal.server.requests_for("current_package_list_with_resources")


def test_429_with_retry_after(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held: 429 with Retry-After (waited exactly, then the page is asked again)."""
    portal.server.arm(Status(429, retry_after="1"), when=search_page("10"), times=1)
    run = bench.harvest(verbose=True)
    assert_whole(bench, run, paged)
    assert "in 1.0 s after HTTP 429" in run.stderr
    assert len([r for r in portal.server.requests if search_page("10")(r)]) == 2


@pytest.mark.parametrize("times", [1, None], ids=["once", "always"])
def test_truncation(bench: Bench, portal: Portal, paged: Any, times: int | None) -> None:
    """Held: truncation (the full Content-Length, half the body, the connection closed):
    retried; a portal that always cuts its answers fails the job."""
    portal.server.arm(Truncate(), when=search_page("10"), times=times)
    run = bench.harvest()
    if times == 1:
        assert_whole(bench, run, paged)
    else:
        assert_failed(bench, run, paged, "broke before the whole response arrived")


def test_html_200(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held: HTML 200 (a maintenance page with status 200 for every action)."""
    portal.server.arm(Html200())
    assert_failed(bench, bench.harvest(), paged, "not JSON: text/html")


def test_success_false(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held: success: false (CKAN's own error envelope with HTTP 200, every action)."""
    portal.server.arm(
        Body(b'{"success": false, "error": {"__type": "Search Error", "message": "Solr down"}}')
    )
    assert_failed(bench, bench.harvest(), paged, "Solr down")


def test_invalid_utf8(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held: invalid UTF-8 (bytes that are not UTF-8 inside the JSON of every answer)."""
    portal.server.arm(InvalidUtf8())
    assert_failed(bench, bench.harvest(), paged, "cannot list the datasets")


def test_50_mb(bench: Bench, portal: Portal) -> None:
    """Held: 50 MB (an answer larger than http.max_response_mb is refused while it
    streams in, for every action)."""
    ckan_source(bench, portal.url, http={**FAST_HTTP, "max_response_mb": 5})
    before = bench.good_state()
    portal.server.arm(Huge(50))
    assert_failed(bench, bench.harvest(), before, "larger than 5 MiB")


def test_gzip_bomb(bench: Bench, portal: Portal) -> None:
    """Held: gzip bomb (a small gzip body that inflates to 256 MiB: the cap applies to
    the inflated size)."""
    ckan_source(bench, portal.url, http={**FAST_HTTP, "max_response_mb": 5})
    before = bench.good_state()
    portal.server.arm(GzipBomb(256))
    assert_failed(bench, bench.harvest(), before, "larger than 5 MiB")


def _first_page(request: Request) -> Request:
    return request.with_query(start="0")


def test_page_loop(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held, and defect 12: page loop (a portal that ignores start answers every page
    with the first): stopped, stored, not complete, exit 3, nothing withdrawn."""
    portal.server.arm(Rewrite(ask=_first_page), when=action("package_search"))
    run = bench.harvest()
    assert_incomplete(bench, run, paged, "returned the same page again at start=10")
    dry = bench.harvest("--dry-run")  # says what a real run would: incomplete, exit 3
    assert dry.code == 3
    assert "returned the same page again" in dry.outcome["incomplete_reason"]


def _count(value: int) -> Any:
    def change(request: Request, body: Any) -> Any:
        body["result"]["count"] = value
        return body

    return change


def test_lying_count_lower(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held: lying count (lower than the datasets: paging goes on while full pages come)."""
    portal.server.arm(Rewrite(_count(5)), when=action("package_search"))
    run = bench.harvest()
    assert_whole(bench, run, paged)
    assert any("reported 5 datasets but its pages held 30" in n for n in run.outcome["notes"])


def test_valve_holds_when_the_portal_looks_empty(bench: Bench, portal: Portal) -> None:
    """Held, and defect 12: valve cases (the portal answers an empty catalogue: the
    safety valve withdraws none, and the run says so with exit 3)."""
    ckan_source(bench, portal.url, withdraw={"grace_days": 0, "max_fraction": 0.2})
    before = bench.good_state()
    portal.ckan.empty = True
    run = bench.harvest()
    assert run.code == 3, run.stderr
    assert run.outcome["status"] == "finished"
    assert run.outcome["complete"] is True  # the portal said so; the valve did not believe it
    assert "withdrew none of the 30 datasets" in run.outcome["withdraw_blocked"]
    assert run.outcome["withdrawn"] == 0
    assert bench.last_job().status == "finished"
    bench.assert_kept(before)


def test_valve_lets_a_few_go(bench: Bench, portal: Portal) -> None:
    """Held: valve cases (3 of 30 gone, under max_fraction 0.2: withdrawn at once with
    grace_days 0; an ordinary night, exit 0)."""
    ckan_source(bench, portal.url, withdraw={"grace_days": 0, "max_fraction": 0.2})
    before = bench.good_state()
    gone = portal.ckan.ids()[:3]
    for remote_id in gone:
        portal.ckan.delete_package(remote_id)
    run = bench.harvest()
    assert run.code == 0, run.stderr
    assert run.outcome["withdrawn"] == 3
    assert run.outcome["withdraw_blocked"] is None
    assert bench.last_job().status == "finished"
    after = bench.state()
    assert {k for k, (status, _h) in after.items() if status == "withdrawn"} == set(gone)
    assert {k: after[k] for k in before if k not in gone} == {
        k: v for k, v in before.items() if k not in gone
    }


# -- defect 12: a distinct outcome for an incomplete pass ---------------------------------------


def test_an_incomplete_pass_and_a_held_valve_exit_3_as_a_process(
    bench: Bench, portal: Portal
) -> None:
    """Defect 12: incomplete passes and a valve that blocked withdrawals ended with exit
    0 and only a stderr warning; now exit 3 with complete: false and the reason in
    --json, and the warning names the reason (a real process, as cron runs it)."""
    portal.ckan.max_rows = 10
    ckan_source(bench, portal.url, withdraw={"grace_days": 0, "max_fraction": 0.2})
    before = bench.good_state()
    harvest = ("harvest", SOURCE, "--full", "--json")
    portal.server.arm(Rewrite(ask=_first_page), when=action("package_search"))
    run = bench.harvest_process(*harvest)
    assert run.code == 3, run.stderr
    (entry,) = json.loads(run.stdout)
    assert entry["complete"] is False
    assert "returned the same page again" in entry["incomplete_reason"]
    assert "the pass was not complete" in run.stderr
    assert "WARNING" in run.stderr
    bench.assert_kept(before)
    run = bench.harvest_process("--log-format", "json", *harvest)  # for machines
    assert run.code == 3
    lines = [json.loads(line) for line in run.stderr.splitlines()]
    (warning,) = [line for line in lines if line["event"] == "pass_incomplete"]
    assert (warning["level"], warning["source"]) == ("warning", SOURCE)
    assert "returned the same page again" in warning["message"]
    portal.server.disarm()
    portal.ckan.empty = True
    run = bench.harvest_process(*harvest)
    assert run.code == 3, run.stderr
    (entry,) = json.loads(run.stdout)
    assert entry["withdraw_blocked"].startswith("withdrew none of the 30 datasets")
    assert "withdrew none of the 30 datasets" in run.stderr
    bench.assert_kept(before)
    # an incremental pass is not complete by design: an ordinary night, exit 0
    portal.ckan.empty = False
    run = bench.harvest_process("harvest", SOURCE, "--json")
    assert run.code == 0, run.stderr
    (entry,) = json.loads(run.stdout)
    assert entry["incremental"] is True and entry["complete"] is False
    assert entry["incomplete_reason"] is None


# -- defect 6: an empty page while the count promises more --------------------------------------


def _no_results(request: Request, body: Any) -> Any:
    body["result"]["results"] = []
    return body


def test_an_empty_page_once_is_asked_again(bench: Bench, portal: Portal, paged: Any) -> None:
    """Defect 6: an empty page while count still promises more (a passing hiccup: the
    page is asked once more and the pass goes on, complete)."""
    portal.server.arm(Rewrite(_no_results), when=search_page("10"), times=1)
    run = bench.harvest()
    assert_whole(bench, run, paged)
    assert len([r for r in portal.server.requests if search_page("10")(r)]) == 2


def test_an_empty_page_while_count_promises_more(bench: Bench, portal: Portal, paged: Any) -> None:
    """Defect 6: an empty page while count still promises more was trusted as the end,
    and the datasets after it withdrawn; now the page is asked again once, then the
    pass is incomplete: exit 3, nothing withdrawn."""
    portal.server.arm(Rewrite(_no_results), when=search_page("10"))
    run = bench.harvest()
    assert_incomplete(bench, run, paged, "empty page at start=10", "count is 30")
    assert len([r for r in portal.server.requests if search_page("10")(r)]) == 2


def test_lying_count_higher(bench: Bench, portal: Portal, paged: Any) -> None:
    """Held/defect 6: lying count (higher than the pages hold: the empty page after the
    last one is asked again, then the pass is incomplete, nothing withdrawn)."""
    portal.server.arm(Rewrite(_count(100)), when=action("package_search"))
    run = bench.harvest()
    assert_incomplete(bench, run, paged, "empty page at start=30", "count is 100")


JSONAPI_EXAMPLE = ROOT / "harvest_configs" / "examples" / "jsonapi-data-meta.yaml"


def jsonapi_source(bench: Bench, url: str, **fields: Any) -> None:
    """The data/meta example (pages of 10 with meta.total) at ``url``/data/datasets."""
    config = yaml.safe_load(JSONAPI_EXAMPLE.read_text(encoding="utf-8"))
    for key in ("id", "title", "url", "schedule", "token_env"):
        config.pop(key, None)
    bench.source(**{**config, "url": url + "/data/datasets", **fields})


def _no_data(request: Request, body: Any) -> Any:
    body["data"] = []
    return body


@pytest.mark.parametrize("times", [1, None], ids=["once", "always"])
def test_jsonapi_empty_page_before_total(bench: Bench, times: int | None) -> None:
    """Defect 6: an empty page while total still promises more (a jsonapi source with
    pagination.total): asked again once; empty again, the pass is incomplete."""
    second = lambda r: r.path == "/data/datasets" and r.query.get("page") == "2"  # noqa: E731
    with JsonApiFixture(count=23) as api, FaultServer(api.url) as server:
        jsonapi_source(bench, server.url)
        before = bench.good_state()
        server.clear_requests()
        server.arm(Rewrite(_no_data), when=second, times=times)
        run = bench.harvest()
        assert len([r for r in server.requests if second(r)]) == 2
    if times == 1:
        assert_whole(bench, run, before)
    else:
        assert_incomplete(bench, run, before, "page 2", "empty", "(meta.total) says 23")


def _hydra(server: FaultServer, pages: list[list[int]], total: int) -> str:
    urls = [f"{server.url}/katalog/{n}" for n in range(1, len(pages) + 1)]
    for n, datasets in enumerate(pages):
        following = urls[n + 1] if n + 1 < len(pages) else None
        body = hydra_page(urls[n], datasets, next_url=following, total=total)
        server.route(f"/katalog/{n + 1}", Reply.text(body, "text/turtle"))
    return urls[0]


@pytest.mark.parametrize("times", [1, None], ids=["once", "always"])
def test_dcat_empty_last_page_before_total_items(bench: Bench, times: int | None) -> None:
    """Defect 6: an empty page while hydra:totalItems still promises more (a DCAT
    catalogue paged with Hydra): asked again once; empty again, the pass is incomplete."""
    with FaultServer() as server:
        url = _hydra(server, [[1, 2], [3, 4], [5, 6]], total=6)
        bench.source(type="dcat", url=url)
        before = bench.good_state()
        empty = hydra_page(f"{server.url}/katalog/3", [], total=6)
        server.clear_requests()
        server.arm(
            Body(empty.encode(), "text/turtle"),
            when=lambda r: r.path == "/katalog/3",
            times=times,
        )
        run = bench.harvest()
        assert len([r for r in server.requests if r.path == "/katalog/3"]) == 2
    if times == 1:
        assert_whole(bench, run, before)
    else:
        assert_incomplete(bench, run, before, "hydra:totalItems", "6")


# -- defect 5: a redirect to another host during a token pass ----------------------------------

TOKEN = "tok+KANARI/5b1e=0c2d9a"  # base64-like: URL-encoded when reflected
TOKEN_ENV = {"SATUDATA_PORTAL_TOKEN": TOKEN}


def _to(other: FaultServer) -> Any:
    """Where the portal now redirects: the same path and query on ``other``."""
    return lambda request: other.url + request.target


def test_ckan_redirect_to_another_host_during_a_token_pass(bench: Bench, portal: Portal) -> None:
    """Defect 5: a redirect to another host turns a token pass into a public-only pass
    (the token is rightly not sent there, but the pass counted as complete and the
    private datasets were withdrawn); now the pass is incomplete, a warning names the new
    address, nothing is withdrawn."""
    public_packages = [portal.ckan.get_package(i) for i in portal.ckan.ids()[:20]]
    with (
        CkanFixture(datasets=public_packages) as public,
        FaultServer(public.url, host="localhost") as moved,
    ):
        ckan_source(bench, portal.url, token_env="SATUDATA_PORTAL_TOKEN")
        before = bench.good_state(env=TOKEN_ENV)
        assert len(before) == 30
        assert portal.server.requests[0].headers["authorization"] == TOKEN
        portal.server.arm(Redirect(_to(moved)))
        run = bench.harvest(env=TOKEN_ENV)
        assert moved.requests and all("authorization" not in r.headers for r in moved.requests)
    assert_incomplete(bench, run, before, "another host", moved.url, "token")
    assert "WARNING: source portal: the pass was not complete" in run.stderr
    assert moved.url in run.stderr
    assert "KANARI" not in run.stdout + run.stderr


def test_ckan_redirect_on_the_same_host_keeps_the_token(bench: Bench, portal: Portal) -> None:
    """Defect 5, the other side: a redirect within the portal's origin keeps the token
    and the pass stays complete."""
    ckan_source(bench, portal.url, token_env="SATUDATA_PORTAL_TOKEN")
    before = bench.good_state(env=TOKEN_ENV)
    portal.server.arm(
        Redirect(lambda r: portal.url + r.target + "&pindah=1"),
        when=lambda r: "pindah" not in r.query,
    )
    run = bench.harvest(env=TOKEN_ENV)
    assert_whole(bench, run, before)


def test_jsonapi_redirect_to_another_host_during_a_token_pass(bench: Bench) -> None:
    """Defect 5 for the jsonapi source: its list moved to another host (the token stays
    home): incomplete, the new address named, nothing withdrawn."""
    with (
        JsonApiFixture(count=23) as api,
        FaultServer(api.url) as server,
        JsonApiFixture(count=13) as public,
        FaultServer(public.url, host="localhost") as moved,
    ):
        jsonapi_source(bench, server.url, token_env="SATUDATA_PORTAL_TOKEN")
        before = bench.good_state(env=TOKEN_ENV)
        assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
        server.arm(Redirect(_to(moved)))
        run = bench.harvest(env=TOKEN_ENV)
        assert moved.requests and all("authorization" not in r.headers for r in moved.requests)
    assert_incomplete(bench, run, before, "another host", moved.url)
    assert "KANARI" not in run.stdout + run.stderr


# -- defect 9: the token in log lines -----------------------------------------------------------


def _reflect_token(request: Request) -> str:
    """The same address with the request's token copied into the query, as some portals'
    login or error redirects do (``?ref=<token>``, URL-encoded)."""
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    return request.target + ("&" if request.raw_query else "?") + urlencode({"ref": token})


def _reflected(request: Request) -> bool:
    return "ref" in request.query


def _assert_no_canary(bench: Bench, run: Run) -> None:
    """Not the token in any spelling (as sent, URL-encoded): its middle, KANARI, is in
    none of the outputs nor any file written (catalogue, WAL, lock)."""
    assert "KANARI" not in run.stdout + run.stderr
    for path in bench.tmp.rglob("*"):
        if path.is_file():
            assert b"KANARI" not in path.read_bytes(), path


@pytest.mark.parametrize(
    "fault",
    [Status(503), Status(500), Status(404), Truncate()],
    ids=["503", "500", "404", "truncated"],
)
def test_ckan_token_reflected_into_a_redirect_never_reaches_a_log_line(
    bench: Bench, portal: Portal, fault: Any
) -> None:
    """Defect 9: the token in a -v log line (the "retrying URL" message printed the URL
    unscrubbed, and a portal reflecting the token into a redirect's query leaked it);
    a canary token is grepped in stdout, stderr with -v and every file written."""
    ckan_source(bench, portal.url, token_env="SATUDATA_PORTAL_TOKEN")
    before = bench.good_state(env=TOKEN_ENV)
    portal.server.arm(Redirect(lambda r: portal.url + _reflect_token(r)), when=_not_reflected)
    portal.server.arm(fault, when=_reflected)
    run = bench.harvest_process("-v", "harvest", SOURCE, "--full", "--json", env=TOKEN_ENV)
    assert any(TOKEN in r.query.get("ref", "") for r in portal.server.requests)  # reflected
    assert "retrying GET" in run.stderr or "falling back" in run.stderr, run.stderr
    _assert_no_canary(bench, run)
    assert_failed(bench, run, before)


def test_jsonapi_token_reflected_into_a_redirect_never_reaches_a_log_line(bench: Bench) -> None:
    """Defect 9 for the jsonapi source (its token is a Bearer header): the error message
    with the redirected URL, the job's error in the catalogue and -v stay clean."""
    with JsonApiFixture(count=23) as api, FaultServer(api.url) as server:
        jsonapi_source(bench, server.url, token_env="SATUDATA_PORTAL_TOKEN", http=FAST_HTTP)
        before = bench.good_state(env=TOKEN_ENV)
        server.arm(Redirect(lambda r: server.url + _reflect_token(r)), when=_not_reflected)
        server.arm(Status(503), when=_reflected)
        run = bench.harvest_process("-v", "harvest", SOURCE, "--full", "--json", env=TOKEN_ENV)
        assert any(TOKEN in r.query.get("ref", "") for r in server.requests)
    assert "retrying GET" in run.stderr
    _assert_no_canary(bench, run)
    assert_failed(bench, run, before)


def _not_reflected(request: Request) -> bool:
    return not _reflected(request)


# -- defect 7: overall deadlines ----------------------------------------------------------------


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_trickling_server_meets_the_response_deadline(
    bench: Bench, portal: Portal, headers_too: bool
) -> None:
    """Defect 7: no overall deadline (a server sending one byte at a time stays inside
    the read timeout for days); http.response_deadline cuts each response off."""
    http = {**FAST_HTTP, "timeout": 10, "response_deadline": 1}
    ckan_source(bench, portal.url, http=http)
    before = bench.good_state()
    # headers trickling at 2 bytes/s would take minutes before any body check could run
    portal.server.arm(Trickle(interval=0.5 if headers_too else 0.2, headers_too=headers_too))
    run = bench.harvest_process("harvest", SOURCE, "--full", "--json", timeout=60)
    assert_failed(bench, run, before, "http.response_deadline")
    assert "1 s" in run.outcome["error"]


def test_a_slow_portal_meets_the_job_deadline(bench: Bench, portal: Portal, paged: Any) -> None:
    """Defect 7: no overall deadline per job; job_deadline stops the job as failed, with
    a clear message, keeping what it read and withdrawing nothing."""
    ckan_source(bench, portal.url, job_deadline=1.5)
    portal.server.arm(Delay(0.6), when=action("package_search"))
    run = bench.harvest_process("harvest", SOURCE, "--full", "--json", timeout=60)
    assert_failed(bench, run, paged, "job_deadline", "1.5 s")
    assert "nothing was withdrawn" in run.outcome["error"]


# -- documents at a URL (data.json, DCAT) that break ---------------------------------------------

_DATAJSON = {
    "@type": "dcat:Catalog",
    "dataset": [
        {
            "identifier": f"https://satudata.example.go.id/dataset/{n}",
            "title": f"Jumlah Penduduk Kecamatan {n}",
            "description": "Jumlah penduduk per kecamatan, hasil registrasi.",
            "keyword": ["kependudukan"],
            "modified": "2026-06-01",
            "publisher": {"name": "Dinas Kependudukan Kota Medan"},
        }
        for n in range(1, 4)
    ],
}
DOCUMENTS = {
    "datajson": ("/data.json", json.dumps(_DATAJSON).encode(), "application/json"),
    "dcat": (
        "/katalog.ttl",
        (ROOT / "tests" / "data" / "dcat" / "catalog.ttl").read_bytes(),
        "text/turtle",
    ),
}
DOCUMENT_FAULTS = {
    "refused": None,
    "hang": Hang(),
    "500": Status(500),
    "truncation": Truncate(),
    "HTML 200": Html200(),
    "invalid UTF-8": InvalidUtf8(),
    "50 MB": Huge(50),
    "gzip bomb": GzipBomb(256),
}


@pytest.mark.parametrize("fault", list(DOCUMENT_FAULTS))
@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_document_sources_under_every_fault(bench: Bench, kind: str, fault: str) -> None:
    """Held: refused, hang, 500, truncation, HTML 200, invalid UTF-8, 50 MB and gzip
    bomb, for the sources that read one document at a URL (data.json, DCAT): the job
    fails with the reason, what was stored stays, nothing is withdrawn."""
    path, body, content_type = DOCUMENTS[kind]
    http = {**FAST_HTTP, "timeout": 1, "retries": 0, "max_response_mb": 5}
    with FaultServer() as server:
        server.route(path, Reply(200, body, {"Content-Type": content_type}))
        bench.source(type=kind, url=server.url + path, http=http)
        before = bench.good_state()
        armed = DOCUMENT_FAULTS[fault]
        if armed is None:
            bench.source(type=kind, url=closed_port_url() + path, http=http)
        else:
            server.arm(armed)
        run = bench.harvest()
    assert_failed(bench, run, before)
    assert run.outcome["error"].startswith(f"source {SOURCE}: ")
