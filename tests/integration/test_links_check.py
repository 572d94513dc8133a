"""``satudata links check`` against the loopback link fixture (tests/helpers/link_fixture.py).

Every server behaviour of issue 13 gets its verdict asserted; the requirement is zero
false "broken". Then the run through a real catalogue: places recorded, a shared URL
fetched once, --max-age, --dry-run, the two-checks rule with a fake clock, the private
address guard, and the no-network stop (exit 5, nothing marked).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.catalogue import Catalogue
from satudata_cli.catalogue.lock import CatalogueLock
from satudata_cli.links import USER_AGENT, Checker, CheckSettings, LinkOutcome
from satudata_cli.links.run import LinkRunRequest, run_link_check
from satudata_cli.standard.findings import RecordResult
from tests.helpers.cli import Cli
from tests.helpers.link_fixture import HUGE, LinkFixture, closed_port, running

pytestmark = pytest.mark.integration

TIMEOUT = 1.5

# path (on the fixture) or full URL -> expected verdict
CASES: dict[str, str] = {
    "/ok": "ok",
    "/head405": "ok",
    "/head404": "ok",
    "/headdrop": "ok",
    "/uafilter": "ok",
    "/waf": "unverifiable",
    "/ratelimit/matrix": "ok",
    "/slow": "unverifiable",
    "/chain301": "redirected-permanently",
    "/moved308": "redirected-permanently",
    "/loop": "unverifiable",
    "/notfound": "broken",
    "/gone": "broken",
    "/login.csv": "ok",
    "/huge": "ok",
    "/gzipbomb": "ok",
    "/error500": "unverifiable",
    "dns": "broken",
    "refused": "broken",
    "ftp://ftp.example.go.id/data.csv": "skipped",
    "mailto:data@pemkomedan.go.id": "skipped",
    "file:///etc/passwd": "skipped",
    "javascript:alert(1)": "skipped",
    "data kependudukan 2024": "invalid",
    "http://": "invalid",
    "https://example.go.id:99999/x": "invalid",
}
TRULY_BROKEN = {"/notfound", "/gone", "dns", "refused"}


def _url(case: str, fx: LinkFixture, refused_port: int) -> str:
    if case == "dns":
        return "http://data-tidak-ada.invalid/dataset.csv"
    if case == "refused":
        return f"http://127.0.0.1:{refused_port}/data.csv"
    if case.startswith("/"):
        return fx.url(case)
    return case


@pytest.fixture(scope="module")
def fixture() -> Iterator[LinkFixture]:
    with running(2, slow_seconds=TIMEOUT * 3) as fx:
        yield fx


def _check(urls: list[str], **settings: Any) -> dict[str, LinkOutcome]:
    outcomes: list[LinkOutcome] = []
    checker = Checker(CheckSettings(**{"timeout": TIMEOUT, **settings}))
    summary = asyncio.run(checker.run(urls, outcomes.append))
    assert not summary.no_network
    return {o.url: o for o in outcomes}


@pytest.fixture(scope="module")
def matrix(fixture: LinkFixture) -> dict[str, LinkOutcome]:
    refused_port = closed_port()
    urls = {case: _url(case, fixture, refused_port) for case in CASES}
    by_url = _check(list(urls.values()), allow_private=True)
    return {case: by_url[url] for case, url in urls.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_behaviour_matrix_verdict(case: str, matrix: dict[str, LinkOutcome]) -> None:
    outcome = matrix[case]
    assert outcome.verdict == CASES[case], (case, outcome)
    assert outcome.reason.id and outcome.reason.en and outcome.reason.id != outcome.reason.en


def test_zero_false_broken(matrix: dict[str, LinkOutcome]) -> None:
    assert {case for case, o in matrix.items() if o.verdict == "broken"} == TRULY_BROKEN


def test_details_recorded(matrix: dict[str, LinkOutcome], fixture: LinkFixture) -> None:
    assert matrix["/chain301"].final_url == fixture.url("/ok")
    assert matrix["/moved308"].final_url == fixture.url("/ok", 1)  # another host
    assert matrix["/login.csv"].content_type == "text/html"  # a login page, not a CSV
    assert matrix["/huge"].content_length == HUGE
    assert matrix["/notfound"].status == 404 and matrix["/gone"].status == 410
    assert matrix["/waf"].status == 403 and "firewall" in matrix["/waf"].reason.en
    assert matrix["/ok"].elapsed_ms is not None and matrix["/ok"].content_type == "text/csv"
    assert "does not exist" in matrix["dns"].reason.en
    assert "refused" in matrix["refused"].reason.en
    assert "timed out" in matrix["/slow"].reason.en
    assert "loop" in matrix["/loop"].reason.en


def test_requests_are_capped_honest_and_confirmed(
    matrix: dict[str, LinkOutcome], fixture: LinkFixture
) -> None:
    # the 5 GB body: the check stopped reading after the cap (the fixture writes ahead
    # into socket buffers, so "sent" is more than read, yet far below 5 GB)
    assert fixture.hits["huge bytes sent"] < 64 * 1024 * 1024
    # HEAD refused, then confirmed with GET before a verdict
    assert fixture.hits["HEAD /head404"] >= 1 and fixture.hits["GET /head404"] >= 1
    assert fixture.hits["GET /notfound"] >= 1  # 404 to HEAD is not enough
    # 429 then Retry-After honoured, then 200
    assert fixture.hits["HEAD /ratelimit/matrix"] == 2
    assert fixture.hits["GET /ok"] == 0  # a working HEAD needs no GET
    agents = set(fixture.user_agents)
    assert agents == {USER_AGENT}
    assert not any(w in USER_AGENT.lower() for w in ("link", "checker", "bot", "crawl", "spider"))


def test_gzip_bomb_is_not_inflated(fixture: LinkFixture) -> None:
    outcome = _check([fixture.url("/gzipbomb")], allow_private=True)[fixture.url("/gzipbomb")]
    assert outcome.verdict == "ok"
    # the length recorded is what was on the wire, not the 64 MiB it inflates to
    assert outcome.content_length is not None and outcome.content_length < 1024 * 1024


def test_private_addresses_are_not_fetched_without_the_flag(fixture: LinkFixture) -> None:
    port = fixture.ports[0]
    before = fixture.hits["HEAD /ok"] + fixture.hits["GET /ok"]
    urls = [
        f"http://127.0.0.1:{port}/ok",  # a loopback literal
        f"http://localhost:{port}/ok",  # a name that resolves to loopback
        "http://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
        "http://10.1.2.3/admin",
        "http://[::1]:1/x",
    ]
    outcomes = _check(urls, allow_private=False)
    assert {u: o.verdict for u, o in outcomes.items()} == dict.fromkeys(urls, "skipped")
    assert "--allow-private" in outcomes[urls[1]].reason.en
    assert fixture.hits["HEAD /ok"] + fixture.hits["GET /ok"] == before


# ----------------------------------------------------------------- catalogue runs


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def _catalogue(path: Path, urls: dict[int, list[str]], clock: FakeClock | None = None) -> Catalogue:
    """A catalogue with one dataset per key: link_akses the first URL, resources the
    others."""
    cat = Catalogue.open(path, clock=clock)
    cat.upsert_source("medan", "Portal Data Medan", "ckan", "https://data.example", "h")
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        for i, (landing, *resources) in urls.items():
            record = {
                "name": f"dataset-{i}",
                "title": f"Dataset {i}",
                "organization": "Dinas Kesehatan" if i % 2 else "Dinas Pendidikan",
                "link_akses": landing,
                "resources": [
                    {"name": f"r{n}", "url": u, "format": "CSV"} for n, u in enumerate(resources)
                ],
            }
            result = RecordResult(
                source="medan", record=record["name"], index=i, findings=[], normalized=record
            )
            writer.put(f"remote-{i}", record, result)
    cat.finish_job(job, "finished")
    return cat


def _request(**kw: Any) -> LinkRunRequest:
    return LinkRunRequest(settings=CheckSettings(timeout=TIMEOUT, allow_private=True), **kw)


def test_run_records_places_once_per_url(tmp_path: Path, fixture: LinkFixture) -> None:
    shared = fixture.url("/ok?shared")
    urls = {
        1: [fixture.url("/ok?one"), shared, fixture.url("/login.csv")],
        2: [fixture.url("/notfound?two"), shared],
        3: [shared],
    }
    before = fixture.hits["HEAD /ok"]
    with _catalogue(tmp_path / "k.db", urls) as cat:
        report = run_link_check(cat, _request(max_age_days=0))
        assert report.status == "finished" and report.urls == 4 and report.links == 6
        assert report.counts == {"ok": 3, "broken": 1}
        assert fixture.hits["HEAD /ok"] - before == 2  # shared fetched once, plus ?one
        links = cat.link_checks()
        rows = list(links.links())
        assert len(rows) == 6
        login = next(r for r in rows if r.url.endswith("/login.csv"))
        assert (login.resource_format, login.content_type, login.verdict) == (
            "CSV",
            "text/html",
            "ok",
        )
        assert len(links.history(shared)) == 3  # one row per dataset giving it
        broken = next(r for r in rows if "notfound" in r.url)
        assert broken.verdict == "broken" and not broken.broken  # one check is not enough
        # --max-age: nothing is due again
        again = run_link_check(cat, _request())
        assert again.urls == 0 and fixture.hits["HEAD /ok"] - before == 2
        # --dry-run: counts, no request, nothing written
        checks = links.count_checks()
        dry = run_link_check(cat, _request(max_age_days=0, dry_run=True))
        assert dry.status == "dry-run" and dry.counts == {"to-check": 4}
        assert links.count_checks() == checks and fixture.hits["HEAD /ok"] - before == 2


def test_two_checks_rule_with_fake_clock(tmp_path: Path, fixture: LinkFixture) -> None:
    clock = FakeClock()
    dead = fixture.url("/gone?two-checks")
    with _catalogue(tmp_path / "k.db", {1: [dead]}, clock) as cat:
        run_link_check(cat, _request(max_age_days=0))
        clock.advance(hours=3)
        run_link_check(cat, _request(max_age_days=0))
        state = cat.link_checks().state(dead)
        assert state is not None and state.failures == 2 and not state.broken
        clock.advance(hours=18)  # 21 h after the first failure
        run_link_check(cat, _request(max_age_days=0))
        state = cat.link_checks().state(dead)
        assert state is not None and state.failures == 3 and state.broken
        [row] = cat.link_checks().links()
        assert row.broken and row.broken_days == 0


def test_cli_check_json_and_text(tmp_path: Path, fixture: LinkFixture) -> None:
    db = tmp_path / "k.db"
    _catalogue(db, {1: [fixture.url("/ok?cli"), fixture.url("/notfound?cli")]}).close()
    cli = Cli(db, tmp_path / "cfg")
    result = cli("links", "check", "--allow-private", "--timeout", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {"ok": 1, "broken": 1} and data["status"] == "finished"
    verdicts = {r["url"]: r["verdict"] for r in data["results"]}
    assert verdicts[fixture.url("/notfound?cli")] == "broken"
    # the second run: all checked less than 7 days ago
    result = cli("links", "check", "--allow-private", "--lang", "en")
    assert result.exit_code == 0 and "No link to check" in result.stderr
    result = cli("links", "check", "--allow-private", "--max-age", "0", "--lang", "id")
    assert result.exit_code == 0
    assert "rusak" in result.stdout and "tidak ditemukan (HTTP 404)" in result.stdout
    assert "dua pemeriksaan" in result.stderr
    result = cli("links", "check", "--source", "nope")
    assert result.exit_code == 2 and "nope" in result.stderr


def test_cli_without_the_flag_marks_loopback_skipped(tmp_path: Path, fixture: LinkFixture) -> None:
    db = tmp_path / "k.db"
    _catalogue(db, {1: [fixture.url("/ok?noflag")]}).close()
    before = fixture.hits["HEAD /ok"]
    result = Cli(db, tmp_path / "cfg")("links", "check", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == {"skipped": 1}
    assert fixture.hits["HEAD /ok"] == before


def test_no_network_stops_with_exit_5_and_marks_nothing(tmp_path: Path) -> None:
    # the checker's own outage, simulated: every host fails the same way (names that
    # do not resolve) and none answers
    db = tmp_path / "k.db"
    urls = {i: [f"http://data{i}.dinas-{i}.invalid/dataset.csv"] for i in range(8)}
    _catalogue(db, urls).close()
    result = Cli(db, tmp_path / "cfg")("links", "check", "--lang", "en")
    assert result.exit_code == 5, result.output
    assert "no network" in result.stderr and "No link was marked" in result.stderr
    with Catalogue.open(db) as cat:
        links = cat.link_checks()
        assert links.count_checks() == 0
        assert all(r.verdict is None for r in links.links())
        assert [r.status for r in links.runs()] == ["no-network"]


def test_lock_held_exits_4(tmp_path: Path, fixture: LinkFixture) -> None:
    db = tmp_path / "k.db"
    _catalogue(db, {1: [fixture.url("/ok?lock")]}).close()
    with CatalogueLock(db, command="satudata harvest"):
        result = Cli(db, tmp_path / "cfg")("links", "check", "--allow-private")
    assert result.exit_code == 4


def test_ctrl_c_keeps_what_was_checked(tmp_path: Path) -> None:
    """SIGINT mid-run: exit 130, the run recorded as interrupted, its checks kept."""
    import signal
    import subprocess
    import sys
    import time

    db = tmp_path / "k.db"
    with running(4, latency=0.5) as slow:
        urls = {i: [slow.url(f"/bench/{i}", i % 4)] for i in range(40)}
        _catalogue(db, urls).close()
        proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "satudata_cli", "--db", str(db)),
                *("links", "check", "--allow-private", "--lang", "en"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while slow.requests < 12 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # past the first batch of answers
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    with Catalogue.open(db) as cat:
        links = cat.link_checks()
        [run] = links.runs()
        assert run.status == "interrupted" and 0 < run.urls < 40
        assert links.count_checks() == run.urls


def _openssl(*args: str) -> None:
    import subprocess

    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def tls_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Two HTTPS servers on 127.0.0.1 whose handshake the checker cannot verify: a
    self-signed certificate (the site's own fault: broken) and a leaf signed by a CA
    outside the trust store (as when a server omits its chain: the local store's
    problem as far as the checker can tell: unverifiable). Made with the openssl CLI."""
    import socket
    import ssl
    import threading

    d = tmp_path_factory.mktemp("tls")
    subj = ["-subj", "/CN=127.0.0.1", "-days", "2", "-nodes"]
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-keyout", f"{d}/self.key",
             "-out", f"{d}/self.pem", *subj)  # fmt: skip
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-keyout", f"{d}/ca.key",
             "-out", f"{d}/ca.pem", "-subj", "/CN=Test CA", "-days", "2", "-nodes")  # fmt: skip
    _openssl("req", "-newkey", "rsa:2048", "-keyout", f"{d}/leaf.key", "-out",
             f"{d}/leaf.csr", "-subj", "/CN=127.0.0.1", "-nodes")  # fmt: skip
    _openssl("x509", "-req", "-in", f"{d}/leaf.csr", "-CA", f"{d}/ca.pem", "-CAkey",
             f"{d}/ca.key", "-CAcreateserial", "-out", f"{d}/leaf.pem", "-days", "2")  # fmt: skip
    urls: dict[str, str] = {}
    sockets = []
    for name, (cert, key) in {
        "self": ("self.pem", "self.key"),
        "unknown-ca": ("leaf.pem", "leaf.key"),
    }.items():
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(d / cert, d / key)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sockets.append(sock)
        urls[name] = f"https://127.0.0.1:{sock.getsockname()[1]}/data.csv"

        def serve(sock: socket.socket = sock, context: ssl.SSLContext = context) -> None:
            while True:
                try:
                    conn, _ = sock.accept()
                except OSError:
                    return
                try:
                    with context.wrap_socket(conn, server_side=True):
                        pass
                except (OSError, ssl.SSLError):
                    conn.close()

        threading.Thread(target=serve, daemon=True).start()
    yield urls
    for sock in sockets:
        sock.close()


def test_tls_failures(tls_servers: dict[str, str], fixture: LinkFixture) -> None:
    # a loopback host that answers, so the run knows it has network
    urls = [*tls_servers.values(), fixture.url("/ok?tls")]
    outcomes = _check(urls, allow_private=True)
    self_signed = outcomes[tls_servers["self"]]
    assert self_signed.verdict == "broken", self_signed
    assert "certificate" in self_signed.reason.en
    unknown = outcomes[tls_servers["unknown-ca"]]
    assert unknown.verdict == "unverifiable", unknown
    assert "trust store" in unknown.reason.en
