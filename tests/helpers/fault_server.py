"""A loopback HTTP server with switchable faults, for the reliability tier.

:class:`FaultServer` answers on 127.0.0.1 (or another loopback name) from an
*upstream*: another fixture server it forwards to (``upstream="http://127.0.0.1:N"``,
e.g. a :class:`tests.helpers.ckan_fixture.CkanFixture`), fixed routes
(``server.route(path, Reply.json(...))``) or a function of the request. Faults are armed
on top of that, each for every request or for the requests a predicate picks, any
number of times::

    with CkanFixture(datasets=make_packages(30, seed=1)) as ckan, FaultServer(ckan.url) as portal:
        portal.arm(Status(500), when=action("package_search"), times=2)
        portal.arm(Trickle(interval=0.5))                  # every other request
        ...harvest portal.url...
        assert portal.requests_for("package_search")[0].headers["authorization"] == token
        portal.disarm()                                     # back to a healthy portal

The first armed rule whose predicate matches answers the request; a rule armed with
``times`` is used up after that many requests. Every request is recorded
(:attr:`FaultServer.requests`: method, path, query, lower-cased headers, body).

Faults (what real portals and networks do wrong):

- :class:`Status` an HTTP error (with ``Retry-After`` when given), :class:`Html200` an
  HTML error page with status 200, :class:`Body` any other body;
- :class:`Rewrite` the upstream's JSON changed by a function (``success: false``, an
  empty page while ``count`` promises more, a lying count, a page loop);
- :class:`Redirect` to another address (a function of the request, so the path and
  query can be kept or a header reflected into the query);
- :class:`Hang` nothing at all until the client gives up (or the server stops),
  :class:`Delay` the answer after some seconds of silence,
  :class:`Trickle` the reply one byte at a time, :class:`Truncate` the full
  ``Content-Length`` but half the body, then the connection closes, :class:`Reset` the
  connection closed without an answer;
- :class:`InvalidUtf8` bytes that are not UTF-8 inside the upstream's JSON,
  :class:`Huge` a JSON body of many MB (streamed), :class:`GzipBomb` a small gzip body
  that inflates to many MB.

A refused connection needs no server: :func:`closed_port_url` is an address where
nothing listens.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import http.client
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = [
    "Body",
    "Delay",
    "FaultServer",
    "GzipBomb",
    "Hang",
    "Html200",
    "Huge",
    "InvalidUtf8",
    "Redirect",
    "Reply",
    "Request",
    "Reset",
    "Rewrite",
    "Status",
    "Trickle",
    "Truncate",
    "action",
    "closed_port_url",
]


# -- requests and replies ----------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One request as the server saw it (headers lower-cased, the first value of each
    query parameter)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""
    raw_query: str = ""

    @property
    def action(self) -> str | None:
        """The CKAN action of ``/api/3/action/<name>``, else None."""
        prefix = "/api/3/action/"
        return self.path[len(prefix) :] if self.path.startswith(prefix) else None

    @property
    def target(self) -> str:
        """Path and query, as sent."""
        return self.path + (f"?{self.raw_query}" if self.raw_query else "")

    def with_query(self, **changes: str) -> Request:
        """The same request with some query parameters changed."""
        query = {**self.query, **changes}
        return dataclasses.replace(self, query=query, raw_query=urlencode(query))


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, value: Any, status: int = 200) -> Reply:
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json"})

    @classmethod
    def text(cls, text: str, content_type: str = "text/plain", status: int = 200) -> Reply:
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type})

    def parsed(self) -> Any:
        return json.loads(self.body)


Upstream = Callable[[Request], Reply]
Predicate = Callable[[Request], bool]


def action(*names: str) -> Predicate:
    """A predicate: the request calls one of these CKAN actions."""
    return lambda request: request.action in names


def closed_port_url() -> str:
    """``http://127.0.0.1:<port>`` where nothing listens (a refused connection)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def proxy(base_url: str, *, timeout: float = 30.0) -> Upstream:
    """An upstream that forwards each request to another loopback server."""
    parts = urlsplit(base_url)

    def forward(request: Request) -> Reply:
        host = parts.hostname or "127.0.0.1"
        conn = http.client.HTTPConnection(host, parts.port, timeout=timeout)
        try:
            headers = {k: v for k, v in request.headers.items() if k not in ("host", "connection")}
            conn.request(request.method, request.target, body=request.body or None, headers=headers)
            response = conn.getresponse()
            body = response.read()
            kept = {
                k: v
                for k, v in response.getheaders()
                if k.lower() not in ("content-length", "connection", "transfer-encoding", "date")
            }
            return Reply(response.status, body, kept)
        finally:
            conn.close()

    return forward


# -- the wire ------------------------------------------------------------------------------


class Wire:
    """What a fault may do with the connection of one request."""

    def __init__(self, handler: _Handler, stopping: threading.Event) -> None:
        self._handler = handler
        self.stopping = stopping

    def send(self, reply: Reply) -> None:
        """A well-formed answer."""
        self.head(reply.status, reply.headers, len(reply.body))
        self.write(reply.body)

    def head(self, status: int, headers: Mapping[str, str], length: int | None) -> None:
        h = self._handler
        h.send_response(status)
        for name, value in headers.items():
            h.send_header(name, value)
        if length is not None:
            h.send_header("Content-Length", str(length))
        h.end_headers()

    def write(self, data: bytes) -> None:
        self._handler.wfile.write(data)
        self._handler.wfile.flush()

    def write_raw(self, data: bytes) -> None:
        """Bytes on the socket as they are (a status line sent byte by byte)."""
        self.write(data)

    def close(self) -> None:
        """Close the connection now (nothing more is sent)."""
        h = self._handler
        h.close_connection = True
        with contextlib.suppress(OSError):
            h.wfile.flush()
        with contextlib.suppress(OSError):
            h.connection.shutdown(socket.SHUT_RDWR)

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the server stops first; False when it stopped."""
        return not self.stopping.wait(seconds)


# -- faults --------------------------------------------------------------------------------


class Fault:
    """How one request is answered instead of (or on top of) the upstream's reply."""

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        wire.send(upstream(request))

    def __repr__(self) -> str:
        return type(self).__name__


@dataclass(repr=False)
class Status(Fault):
    """An HTTP error status with a small body; ``retry_after`` adds the header."""

    status: int = 500
    body: bytes = b'{"success": false, "error": {"message": "Internal Server Error"}}'
    retry_after: str | None = None
    content_type: str = "application/json"

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        headers = {"Content-Type": self.content_type}
        if self.retry_after is not None:
            headers["Retry-After"] = self.retry_after
        wire.send(Reply(self.status, self.body, headers))


class Html200(Fault):
    """A maintenance page as HTML with status 200."""

    PAGE = (
        b"<!DOCTYPE html><html><head><title>Sedang dalam pemeliharaan</title></head>"
        b"<body><h1>Portal sedang dalam pemeliharaan</h1></body></html>"
    )

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        wire.send(Reply(200, self.PAGE, {"Content-Type": "text/html; charset=utf-8"}))


@dataclass(repr=False)
class Body(Fault):
    """Any body with any status."""

    body: bytes
    content_type: str = "application/json"
    status: int = 200

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        wire.send(Reply(self.status, self.body, {"Content-Type": self.content_type}))


@dataclass(repr=False)
class Rewrite(Fault):
    """The upstream's JSON passed through ``change(request, value) -> value``; with
    ``ask``, the upstream is asked another request (``ask(request) -> request``: a
    portal that ignores ``start`` answers every page with the first)."""

    change: Callable[[Request, Any], Any] | None = None
    ask: Callable[[Request], Request] | None = None

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        reply = upstream(self.ask(request) if self.ask is not None else request)
        if self.change is None:
            wire.send(reply)
            return
        value = self.change(request, json.loads(reply.body))
        wire.send(Reply.json(value, reply.status))


@dataclass(repr=False)
class Redirect(Fault):
    """A redirect to ``location(request)`` (or a fixed address)."""

    location: str | Callable[[Request], str]
    status: int = 302

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        where = self.location(request) if callable(self.location) else self.location
        wire.send(Reply(self.status, b"", {"Location": where}))


@dataclass(repr=False)
class Hang(Fault):
    """Accept the request, then send nothing for ``seconds`` (or until the server stops)."""

    seconds: float = 3600.0

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        wire.wait(self.seconds)
        wire.close()


@dataclass(repr=False)
class Delay(Fault):
    """The upstream's reply, after ``seconds`` of silence (a slow portal)."""

    seconds: float = 1.0

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        if wire.wait(self.seconds):
            wire.send(upstream(request))
        else:
            wire.close()


class Reset(Fault):
    """Close the connection without any answer."""

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        wire.close()


@dataclass(repr=False)
class Trickle(Fault):
    """The upstream's reply ``chunk`` bytes every ``interval`` seconds; with
    ``headers_too`` the status line and headers trickle as well."""

    interval: float = 1.0
    chunk: int = 1
    headers_too: bool = False

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        reply = upstream(request)
        if self.headers_too:
            head = f"HTTP/1.1 {reply.status} OK\r\nContent-Length: {len(reply.body)}\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items()) + "\r\n"
            data = head.encode("latin-1") + reply.body
        else:
            wire.head(reply.status, reply.headers, len(reply.body))
            data = reply.body
        for start in range(0, len(data), self.chunk):
            wire.write_raw(data[start : start + self.chunk])
            if not wire.wait(self.interval):
                break
        wire.close()


class Truncate(Fault):
    """The full ``Content-Length``, half the body, then the connection closes."""

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        reply = upstream(request)
        wire.head(reply.status, reply.headers, len(reply.body))
        wire.write(reply.body[: len(reply.body) // 2])
        wire.close()


class InvalidUtf8(Fault):
    """The upstream's JSON with bytes that are not UTF-8 inside its first string value."""

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        reply = upstream(request)
        body = reply.body
        at = body.find(b'": "')
        if at >= 0:
            at += 4
            body = body[:at] + b"\xff\xfe\xc3(" + body[at:]
        else:
            body = b'{"result": "\xff\xfe"}'
        wire.send(Reply(reply.status, body, {"Content-Type": "application/json"}))


@dataclass(repr=False)
class Huge(Fault):
    """A JSON body of ``megabytes`` MiB, streamed (``{"result": "xxxx...."}``)."""

    megabytes: float = 50.0

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        size = int(self.megabytes * 1024 * 1024)
        head, tail = b'{"success": true, "result": "', b'"}'
        filler = size - len(head) - len(tail)
        wire.head(200, {"Content-Type": "application/json"}, size)
        try:
            wire.write(head)
            block = b"x" * 65536
            while filler > 0:
                wire.write(block[: min(filler, len(block))])
                filler -= len(block)
            wire.write(tail)
        except OSError:
            pass  # the client stopped reading at its cap
        wire.close()


@dataclass(repr=False)
class GzipBomb(Fault):
    """``Content-Encoding: gzip``: a small body that inflates to ``megabytes`` MiB."""

    megabytes: float = 256.0
    _cache: dict[float, bytes] = field(default_factory=dict)

    def _bomb(self) -> bytes:
        if self.megabytes not in self._cache:
            out = io.BytesIO()
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as zipped:
                zipped.write(b'{"success": true, "result": "')
                block = b"0" * (1024 * 1024)
                for _ in range(int(self.megabytes)):
                    zipped.write(block)
                zipped.write(b'"}')
            self._cache[self.megabytes] = out.getvalue()
        return self._cache[self.megabytes]

    def serve(self, request: Request, upstream: Upstream, wire: Wire) -> None:
        body = self._bomb()
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        with contextlib.suppress(OSError):
            wire.send(Reply(200, body, headers))
        wire.close()


# -- the server ------------------------------------------------------------------------


@dataclass
class _Rule:
    fault: Fault
    when: Predicate | None
    times: int | None
    used: int = 0


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        self.server.fault_server._handle(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fault_server: FaultServer, host: str, port: int) -> None:
        self.fault_server = fault_server
        super().__init__((host, port), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that give up (timeouts, caps) are part of the tests


class FaultServer:
    """A loopback HTTP server: answers from ``upstream`` unless an armed fault applies.

    ``upstream`` is a base URL to forward to, a function of the request, or None for
    routes only (:meth:`route`; an unknown path is 404). ``host`` may be another
    loopback name (``localhost``) to play a second host.
    """

    def __init__(
        self,
        upstream: str | Upstream | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.host = host
        self.port = port
        self._routes: dict[str, Reply | Upstream] = {}
        if isinstance(upstream, str):
            self._upstream: Upstream | None = proxy(upstream)
        else:
            self._upstream = upstream
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[Request] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> FaultServer:
        if self._server is None:
            self._stopping.clear()
            self._server = _Server(self, "127.0.0.1" if self.host == "localhost" else self.host, 0)
            self.port = self._server.server_address[1]
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="fault-server",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://<host>:<port>``, without a trailing slash."""
        if not self.port:
            raise RuntimeError("the fault server has not been started")
        return f"http://{self.host}:{self.port}"

    # -- what to answer ----------------------------------------------------------------

    def route(self, path: str, reply: Reply | Upstream) -> str:
        """Answer ``path`` with a fixed reply (or a function of the request); its URL."""
        with self._lock:
            self._routes[path] = reply
        return self.url + path

    def arm(
        self, fault: Fault, *, when: Predicate | None = None, times: int | None = None
    ) -> FaultServer:
        """Answer the requests ``when`` picks (all by default) with ``fault``, ``times``
        times (for ever by default). Rules are tried in the order they were armed."""
        with self._lock:
            self._rules.append(_Rule(fault, when, times))
        return self

    def disarm(self) -> None:
        """No more faults: the healthy upstream answers again."""
        with self._lock:
            self._rules.clear()

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def requests_for(self, name: str) -> list[Request]:
        """The recorded requests of one CKAN action."""
        with self._lock:
            return [r for r in self.requests if r.action == name]

    @contextlib.contextmanager
    def faults(self, *faults: Fault) -> Iterator[FaultServer]:
        """Every request answered by the first fault while the block runs."""
        for fault in faults:
            self.arm(fault)
        try:
            yield self
        finally:
            self.disarm()

    # -- serving -----------------------------------------------------------------------

    def _healthy(self, request: Request) -> Reply:
        with self._lock:
            route = self._routes.get(request.path)
        if route is not None:
            return route(request) if callable(route) else route
        if self._upstream is not None:
            return self._upstream(request)
        return Reply.text("not found", status=404)

    def _rule_for(self, request: Request) -> Fault | None:
        with self._lock:
            for rule in self._rules:
                if rule.times is not None and rule.used >= rule.times:
                    continue
                if rule.when is None or rule.when(request):
                    rule.used += 1
                    return rule.fault
        return None

    def _handle(self, handler: _Handler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        request = Request(
            method=handler.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=body,
            raw_query=parts.query,
        )
        with self._lock:
            self.requests.append(request)
        wire = Wire(handler, self._stopping)
        fault = self._rule_for(request)
        try:
            if fault is None:
                wire.send(self._healthy(request))
            else:
                fault.serve(request, self._healthy, wire)
        except (BrokenPipeError, ConnectionResetError):
            wire.close()


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Poll ``check`` until it is true or ``timeout`` passes (no fixed sleeps in tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()
