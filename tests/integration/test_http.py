"""The HTTP client, against real HTTP servers on 127.0.0.1: satudata_cli.core.http."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from satudata_cli import USER_AGENT
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.http import (
    HttpClient,
    HttpConnectionError,
    HttpError,
    HttpSettings,
    HttpStatusError,
    HttpTimeout,
    NotJsonError,
    RateLimiter,
    ResponseTooLarge,
    RetryPolicy,
    parse_retry_after,
    redact_secret,
    redact_url,
)

Route = Callable[["_Handler", int], None]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.dispatch(self)

    def do_POST(self) -> None:
        self.server.dispatch(self)

    def reply(
        self,
        status: int,
        body: bytes | str | Any = b"",
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> None:
        if isinstance(body, str):
            data = body.encode("utf-8")
        elif isinstance(body, bytes):
            data = body
        else:
            data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length != -1:
            self.send_header("Content-Length", str(len(data) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(fn: Route) -> Route:
            self.routes[path] = fn
            return fn

        return register

    def dispatch(self, handler: _Handler) -> None:
        path = handler.path.split("?", 1)[0]
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self.lock:
            count = self.hits[path] = self.hits.get(path, 0) + 1
            self.seen.append((handler.command, handler.path, dict(handler.headers), body))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            route = self.routes.get(path)
            if route is None:
                handler.reply(404, {"success": False, "error": {"__type": "Not Found Error"}})
            else:
                route(handler, count)
        finally:
            with self.lock:
                self.in_flight -= 1

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout tests) is expected


def _start() -> _Server:
    server = _Server()
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def other_server() -> Iterator[_Server]:
    srv = _start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _client(
    sleeps: list[float] | None = None,
    *,
    attempts: int = 5,
    max_bytes: int | None = None,
    **settings: Any,
) -> HttpClient:
    settings.setdefault("requests_per_second", 1000)
    return HttpClient(
        HttpSettings(**settings),
        retry=RetryPolicy(max_attempts=attempts),
        sleep=(sleeps.append if sleeps is not None else lambda _s: None),
        max_response_bytes=max_bytes,
    )


# -- success -------------------------------------------------------------------------------


def test_get_json_and_user_agent(server: _Server) -> None:
    @server.route("/api/3/action/status_show")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, {"success": True, "result": {"ckan_version": "2.12.0"}})

    with _client() as client:
        data = client.get_json(server.url("/api/3/action/status_show"), params={"rows": 10})
    assert data == {"success": True, "result": {"ckan_version": "2.12.0"}}
    method, path, headers, _body = server.seen[0]
    assert (method, path) == ("GET", "/api/3/action/status_show?rows=10")
    assert headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("satudata/")


def test_json_with_a_loose_content_type_is_accepted(server: _Server) -> None:
    @server.route("/loose")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, '\ufeff{"ok": 1}', content_type="text/plain; charset=utf-8")

    with _client() as client:
        assert client.get_json(server.url("/loose")) == {"ok": 1}


def test_post_json(server: _Server) -> None:
    @server.route("/api/3/action/package_create")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, {"success": True, "result": {"id": "abc"}})

    with _client() as client:
        result = client.post_json(
            server.url("/api/3/action/package_create"),
            {"name": "jumlah-penduduk"},
            headers={"Authorization": "tok-secret-1"},
        )
    assert result["result"]["id"] == "abc"
    method, _path, headers, body = server.seen[0]
    assert method == "POST"
    assert json.loads(body) == {"name": "jumlah-penduduk"}
    assert headers["Authorization"] == "tok-secret-1"


# -- retries ---------------------------------------------------------------------------------


def test_503_twice_then_ok_is_retried_with_backoff(
    server: _Server, caplog: pytest.LogCaptureFixture
) -> None:
    @server.route("/flaky")
    def _(h: _Handler, n: int) -> None:
        if n <= 2:
            h.reply(503, "<h1>Service Unavailable</h1>", content_type="text/html")
        else:
            h.reply(200, [1, 2, 3])

    sleeps: list[float] = []
    caplog.set_level(logging.INFO, logger="satudata.http")
    with _client(sleeps) as client:
        assert client.get_json(server.url("/flaky")) == [1, 2, 3]
    assert server.hits["/flaky"] == 3
    assert len(sleeps) == 2
    assert 0.75 <= sleeps[0] <= 1.0  # base 1 s, up to 25 % jitter
    assert 1.5 <= sleeps[1] <= 2.0
    messages = [r.getMessage() for r in caplog.records if r.name == "satudata.http"]
    assert messages[0].startswith(f"retrying GET {server.url('/flaky')} in ")
    assert messages[0].endswith("after HTTP 503 (attempt 2/5)")
    assert messages[1].endswith("(attempt 3/5)")


def test_429_honours_retry_after_seconds(server: _Server) -> None:
    @server.route("/limited")
    def _(h: _Handler, n: int) -> None:
        if n == 1:
            h.reply(429, {"error": "slow down"}, headers={"Retry-After": "2"})
        else:
            h.reply(200, {"ok": True})

    sleeps: list[float] = []
    with _client(sleeps) as client:
        assert client.get_json(server.url("/limited")) == {"ok": True}
    assert sleeps == [2.0]


def test_retry_after_beyond_the_maximum_gives_up_at_once(server: _Server) -> None:
    @server.route("/later")
    def _(h: _Handler, n: int) -> None:
        h.reply(503, "maintenance", content_type="text/plain", headers={"Retry-After": "3600"})

    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(HttpStatusError) as info:
        client.get_json(server.url("/later"))
    assert sleeps == []
    assert server.hits["/later"] == 1
    assert info.value.status == 503
    assert "retry after 3600 s" in str(info.value)


def test_retries_exhausted(server: _Server) -> None:
    @server.route("/down")
    def _(h: _Handler, n: int) -> None:
        h.reply(502, "Bad Gateway", content_type="text/plain")

    sleeps: list[float] = []
    with _client(sleeps, attempts=3) as client, pytest.raises(HttpStatusError) as info:
        client.get_json(server.url("/down"))
    assert server.hits["/down"] == 3
    assert len(sleeps) == 2
    assert info.value.status == 502
    assert "HTTP 502 Bad Gateway from" in str(info.value)
    assert "gave up after 3 attempts" in str(info.value)


def test_404_is_not_retried(server: _Server) -> None:
    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(HttpStatusError) as info:
        client.get_json(server.url("/api/3/action/package_show"), params={"id": "nope"})
    assert server.hits["/api/3/action/package_show"] == 1
    assert sleeps == []
    assert info.value.status == 404
    assert info.value.payload == {"success": False, "error": {"__type": "Not Found Error"}}
    assert "HTTP 404 Not Found from http://127.0.0.1" in str(info.value)


def test_post_is_not_retried_after_502(server: _Server) -> None:
    @server.route("/create")
    def _(h: _Handler, n: int) -> None:
        h.reply(502, "Bad Gateway", content_type="text/plain")

    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(HttpStatusError):
        client.post_json(server.url("/create"), {"name": "x"})
    assert server.hits["/create"] == 1
    assert sleeps == []


def test_connection_refused_is_retried_then_fails() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps: list[float] = []
    with _client(sleeps, attempts=3) as client, pytest.raises(HttpConnectionError) as info:
        client.get_json(f"http://127.0.0.1:{port}/api/3/action/package_list")
    assert isinstance(info.value, HttpError)
    assert isinstance(info.value, SatudataError)
    assert len(sleeps) == 2
    assert info.value.status is None
    message = str(info.value)
    assert f"cannot connect to http://127.0.0.1:{port}/api/3/action/package_list" in message
    assert "gave up after 3 attempts" in message


def test_slow_reply_past_the_read_timeout(server: _Server) -> None:
    @server.route("/slow")
    def _(h: _Handler, n: int) -> None:
        time.sleep(3.0)
        h.reply(200, {"late": True})

    sleeps: list[float] = []
    started = time.monotonic()
    with _client(sleeps, attempts=2, timeout=0.3) as client, pytest.raises(HttpTimeout) as info:
        client.get_json(server.url("/slow"))
    assert time.monotonic() - started < 3.0  # the reply would take 3 s per attempt
    assert len(sleeps) == 1  # a GET that timed out is tried again
    assert "no answer from" in str(info.value)
    assert "within 0.3 s" in str(info.value)


# -- bodies that are not what was expected ---------------------------------------------------


def test_html_with_status_200_is_not_json(server: _Server) -> None:
    @server.route("/api/3/action/package_search")
    def _(h: _Handler, n: int) -> None:
        page = "<!DOCTYPE html><html><head><title>Portal</title></head><body>Login</body></html>"
        h.reply(200, page, content_type="text/html; charset=utf-8")

    sleeps: list[float] = []
    url = server.url("/api/3/action/package_search")
    with _client(sleeps) as client, pytest.raises(NotJsonError) as info:
        client.get_json(url)
    assert str(info.value).startswith(f"expected JSON, got text/html (HTTP 200) from {url}")
    assert info.value.status == 200
    assert info.value.url == url
    assert info.value.content_type == "text/html"
    assert "<" not in str(info.value)
    assert sleeps == []


def test_truncated_body_with_content_length_is_an_error(server: _Server) -> None:
    @server.route("/cut")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, '{"result": {"results": [', length=1000)

    sleeps: list[float] = []
    with _client(sleeps, attempts=2) as client, pytest.raises(HttpError) as info:
        client.get_json(server.url("/cut"))
    assert "broke before the whole response arrived" in str(info.value)
    assert server.hits["/cut"] == 2  # retried once
    assert "Traceback" not in str(info.value)


def test_truncated_body_without_content_length_is_not_json(server: _Server) -> None:
    @server.route("/cut")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, '{"result": {"results": [{"name": "a"', length=-1)

    with _client() as client, pytest.raises(NotJsonError) as info:
        client.get_json(server.url("/cut"))
    assert "JSON is broken or cut off" in str(info.value)
    assert "(HTTP 200)" in str(info.value)


def test_empty_body_is_not_json(server: _Server) -> None:
    @server.route("/empty")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, b"")

    with _client() as client, pytest.raises(NotJsonError, match="the body is empty"):
        client.get_json(server.url("/empty"))


@pytest.mark.parametrize("length", [None, -1], ids=["content-length", "streamed"])
def test_body_over_the_size_cap(server: _Server, length: int | None) -> None:
    @server.route("/big")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, {"data": "x" * 50_000}, length=length)

    with _client(max_bytes=10_000) as client, pytest.raises(ResponseTooLarge) as info:
        client.get_json(server.url("/big"))
    assert info.value.limit == 10_000
    assert "is larger than" in str(info.value)


# -- redirects -------------------------------------------------------------------------------


def test_post_does_not_follow_a_redirect(server: _Server) -> None:
    @server.route("/old")
    def _(h: _Handler, n: int) -> None:
        h.reply(302, b"", headers={"Location": server.url("/new")})

    @server.route("/new")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, {"ok": True})

    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(HttpStatusError) as info:
        client.post_json(server.url("/old"), {"name": "x"})
    assert info.value.status == 302
    assert "/new" not in server.hits
    assert "POSTs are not followed" in str(info.value)
    assert sleeps == []


def test_get_follows_redirects_and_drops_credentials_off_origin(
    server: _Server, other_server: _Server
) -> None:
    @server.route("/same")
    def _(h: _Handler, n: int) -> None:
        h.reply(301, b"", headers={"Location": "/moved"})

    @server.route("/moved")
    def _(h: _Handler, n: int) -> None:
        h.reply(302, b"", headers={"Location": other_server.url("/elsewhere")})

    @other_server.route("/elsewhere")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, {"ok": True})

    secret = {"Authorization": "tok-secret-1", "X-CKAN-API-Key": "tok-secret-2"}
    with _client() as client:
        assert client.get_json(server.url("/same"), headers=secret) == {"ok": True}
    same_origin = server.seen[1][2]
    assert same_origin["Authorization"] == "tok-secret-1"
    elsewhere = other_server.seen[0][2]
    assert "Authorization" not in elsewhere
    assert "X-CKAN-API-Key" not in elsewhere


# -- secrets ---------------------------------------------------------------------------------


def test_secrets_never_appear_in_errors(server: _Server) -> None:
    @server.route("/fail")
    def _(h: _Handler, n: int) -> None:
        echoed = f"bad request with key {h.headers.get('Authorization')} and {h.path}"
        h.reply(400, {"success": False, "error": echoed})

    token = "tok-ABCDEF-123456"
    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(HttpStatusError) as info:
        client.get_json(
            server.url("/fail"),
            params={"q": "penduduk", "api_key": "query-SECRET-987"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert token not in repr(client)
    error = info.value
    for text in (str(error), error.url, error.excerpt, repr(error)):
        assert token not in text
        assert "query-SECRET-987" not in text
    assert "api_key=***" in str(error)
    assert "q=penduduk" in str(error)


def test_redact_url() -> None:
    assert (
        redact_url("https://u:p@portal.example/api?q=a&token=xyz&apikey=1&X-Api-Key=2&rows=5")
        == "https://***@portal.example/api?q=a&token=***&apikey=***&X-Api-Key=***&rows=5"
    )
    assert redact_url("https://portal.example/api/3/action/package_search?fq=organization:a") == (
        "https://portal.example/api/3/action/package_search?fq=organization:a"
    )


def test_redact_url_masks_given_secrets_as_sent_and_url_encoded() -> None:
    """Defect 9: a portal may reflect the token into a redirect's query, URL-encoded."""
    token = "tok+rahasia/12=="
    for reflected in (token, "tok%2Brahasia%2F12%3D%3D", "tok%2Brahasia/12%3D%3D"):
        url = f"https://portal.example/login?next=%2Fapi&ref={reflected}&rows=5"
        assert redact_url(url, {token}) == "https://portal.example/login?next=%2Fapi&ref=***&rows=5"
    assert redact_secret("Bearer+tok%2Brahasia%2F12%3D%3D", "Bearer tok+rahasia/12==") == "***"


def test_the_deadline_backend_is_installed() -> None:
    """Defect 7: every socket operation is bounded by the response's deadline through a
    network backend put where httpx 0.2x keeps its connection pools; should an httpx
    upgrade move them, this fails (and only trickled bodies, not headers, would stop)."""
    with HttpClient() as client:
        assert client.deadline_installed


def test_verify_false_warns(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="satudata.http")
    with HttpClient(HttpSettings(verify=False)):
        pass
    assert any("verification is OFF" in r.getMessage() for r in caplog.records)


# -- pacing ----------------------------------------------------------------------------------


def test_rate_limit_spaces_requests(server: _Server) -> None:
    @server.route("/r")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, {"n": n})

    with _client(requests_per_second=20) as client:
        started = time.monotonic()
        for _i in range(5):
            client.get_json(server.url("/r"))
        elapsed = time.monotonic() - started
    assert elapsed >= 0.15  # 4 gaps of 0.05 s


def test_rate_limiter_with_a_fake_clock() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)

    limiter = RateLimiter(4, clock=lambda: now[0], sleep=sleep)
    assert [limiter.wait("a.example") for _ in range(3)] == [0.0, 0.25, 0.5]
    assert limiter.wait("b.example") == 0.0  # per host
    now[0] += 10
    assert limiter.wait("a.example") == 0.0
    assert waits == [0.25, 0.5]


def test_concurrency_cap(server: _Server) -> None:
    # Counted inside the handler, before the reply is sent: the server's own counter is
    # lowered only after the reply, when the client may already have sent its next request.
    busy = {"now": 0, "max": 0}
    lock = threading.Lock()

    @server.route("/busy")
    def _(h: _Handler, n: int) -> None:
        with lock:
            busy["now"] += 1
            busy["max"] = max(busy["max"], busy["now"])
        time.sleep(0.1)
        with lock:
            busy["now"] -= 1
        h.reply(200, {"n": n})

    with _client(concurrency=2) as client:
        threads = [
            threading.Thread(target=client.get_json, args=(server.url("/busy"),)) for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert server.hits["/busy"] == 6
    assert 1 <= busy["max"] <= 2


# -- retry policy ----------------------------------------------------------------------------


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=5, jitter=0.5)
    assert [policy.backoff(n, rand=lambda: 0.0) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]
    assert policy.backoff(2, rand=lambda: 1.0) == 1.0
    assert RetryPolicy.from_settings(HttpSettings(retries=2)).max_attempts == 3


def test_parse_retry_after() -> None:
    now = dt.datetime(2026, 11, 28, 2, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("Sat, 28 Nov 2026 02:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Sat, 28 Nov 2026 01:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


# -- TLS -------------------------------------------------------------------------------------


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[_Server, Path]]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
    command += " -addext subjectAltName=IP:127.0.0.1"
    subprocess.run(
        [openssl, *command.split(), "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    srv = _Server()
    srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @srv.route("/ok")
    def _(h: _Handler, n: int) -> None:
        h.reply(200, {"tls": True})

    yield srv, cert
    srv.shutdown()
    srv.server_close()


def test_untrusted_certificate_is_not_retried_and_hints_at_ca_bundle(
    tls_server: tuple[_Server, Path],
) -> None:
    srv, _cert = tls_server
    url = srv.url("/ok").replace("http://", "https://")
    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(HttpConnectionError) as info:
        client.get_json(url)
    assert sleeps == []
    assert "is not trusted" in str(info.value), str(info.value)
    assert "http.ca_bundle" in str(info.value)


def test_ca_bundle_and_verify_false(
    tls_server: tuple[_Server, Path], caplog: pytest.LogCaptureFixture
) -> None:
    srv, cert = tls_server
    url = srv.url("/ok").replace("http://", "https://")
    with _client(ca_bundle=cert) as client:
        assert client.get_json(url) == {"tls": True}
    caplog.set_level(logging.WARNING, logger="satudata.http")
    with _client(verify=False) as client:
        assert client.get_json(url) == {"tls": True}
    assert any("verification is OFF" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("secret", "expected"),
    [
        ("tok-rahasia-123", "refused: *** (again ***)"),
        (None, "refused: tok-rahasia-123 (again tok-rahasia-123)"),
        ("tok", "refused: tok-rahasia-123 (again tok-rahasia-123)"),  # too short to mean much
    ],
)
def test_redact_secret(secret: str | None, expected: str) -> None:
    text = "refused: tok-rahasia-123 (again tok-rahasia-123)"
    assert redact_secret(text, secret) == expected
