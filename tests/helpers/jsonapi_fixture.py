"""A fixture server for the ``jsonapi`` source: home-grown portal APIs that are not CKAN.

Serves the same generated datasets (Indonesian field names, as such portals use) in
several shapes, over real HTTP on 127.0.0.1 in a thread::

    with JsonApiFixture(count=23) as api:
        ...harvest f"{api.url}/result/datasets"...

Routes (GET unless said otherwise):

``/result/datasets?offset=&limit=``
    ``{"status": "200 OK", "message": "sukses", "result": [...]}``: offset paging.
``/data/datasets?page=&per_page=``
    ``{"data": [...], "message": "OK", "meta": {"total": N, "page": P}}``: page numbers
    from 1, with the total.
``/links/datasets?page=``
    ``{"items": [...], "links": {"next": "/links/datasets?page=2"}}``: relative next
    links; the last page has ``"next": null``.
``POST /cursor/search``
    body ``{"cursor": C, "size": N, ...}`` -> ``{"hasil": {"items": [...], "cursor": C2}}``;
    the last page has no cursor.
``POST /proxy``
    the shape of a national portal's proxy API: body ``{"endpoint":
    "package_search?rows=N&start=S", "token": T}`` ->
    ``{"status": true, "message": "OK", "data": {"count": C, "results": [...]}}``;
    with :attr:`proxy_token` set, another ``token`` answers 401.
``/summary/datasets`` and ``/summary/datasets/{id}``
    the list holds only ``id`` and ``judul``; the detail
    ``{"result": {...everything}}``; ids in :attr:`missing_details` answer 404.

Switches: ``ignore_paging`` (every page is the first one), ``next_loops`` (the next
link always points at page 2), ``truncate`` (the body is cut in half), ``html``
(an HTML page with status 200), ``records_not_list`` (``result`` is an object),
``redirect_to`` (every GET answers 302 to this origin, same path), ``echo_headers``
(every request answers 401 with the request's headers in the body, as some debug
pages do).
Requests are recorded in :attr:`requests` as (method, path with query, JSON body).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def make_items(count: int) -> list[dict[str, Any]]:
    """``count`` datasets as a non-CKAN portal of Kota Medan describes them."""
    return [
        {
            "id": f"ds-{i:04d}",
            "judul": f"Jumlah Sekolah Dasar Kecamatan {i}",
            "deskripsi": f"Jumlah sekolah dasar negeri dan swasta, kecamatan nomor {i}.",
            "instansi": {"nama": "Dinas Pendidikan Kota Medan", "kode": "1.01"},
            "kata_kunci": [{"nama": "pendidikan"}, {"nama": "sekolah"}],
            "frekuensi": "Tahunan",
            "diperbarui": "2026-05-01 08:00:00",
            "tautan": f"https://satudata.example.go.id/dataset/ds-{i:04d}",
            "pic": {"nama": "Seksi Data Disdik", "surel": "data.disdik@pemkomedan.go.id"},
            "berkas": [{"nama": f"SD {i} (CSV)", "link": f"https://f.example/sd-{i}.csv"}],
        }
        for i in range(1, count + 1)
    ]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fixture: JsonApiFixture


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._answer("GET", None)

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        self._answer("POST", json.loads(raw) if raw else None)

    def _answer(self, method: str, body: Any) -> None:
        fixture = self.server.fixture
        with fixture.lock:
            fixture.requests.append((method, self.path, body))
            fixture.headers.append({k.lower(): v for k, v in self.headers.items()})
        if fixture.echo_headers:
            self._send(401, json.dumps({"headers": dict(self.headers)}).encode(), "text/plain")
            return
        if method == "GET" and fixture.redirect_to:
            self.send_response(302)
            self.send_header("Location", fixture.redirect_to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        status, payload = fixture.route(method, parts.path, query, body)
        if fixture.html:
            data = b"<html><body>Sedang pemeliharaan</body></html>"
            self._send(200, data, "text/html")
            return
        data = json.dumps(payload).encode()
        if fixture.truncate:
            data = data[: len(data) // 2]
        self._send(status, data, "application/json")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class JsonApiFixture:
    def __init__(self, count: int = 23, items: list[dict[str, Any]] | None = None) -> None:
        self.items = items if items is not None else make_items(count)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.ignore_paging = False
        self.next_loops = False
        self.truncate = False
        self.html = False
        self.records_not_list = False
        self.redirect_to: str | None = None
        self.echo_headers = False
        self.missing_details: set[str] = set()
        self.proxy_token: str | None = None
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fixture = self
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> JsonApiFixture:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    # -- routes ---------------------------------------------------------------------

    def _slice(self, start: int, size: int) -> list[dict[str, Any]]:
        if self.ignore_paging:
            start = 0
        return self.items[start : start + size]

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        routes: dict[tuple[str, str], Callable[[dict[str, str], Any], tuple[int, Any]]] = {
            ("GET", "/result/datasets"): self._result,
            ("GET", "/data/datasets"): self._data,
            ("GET", "/links/datasets"): self._links,
            ("POST", "/cursor/search"): self._cursor,
            ("GET", "/summary/datasets"): self._summary,
            ("POST", "/proxy"): self._proxy,
        }
        handler = routes.get((method, path))
        if handler is not None:
            return handler(query, body)
        if method == "GET" and path.startswith("/summary/datasets/"):
            return self._detail(path.rsplit("/", 1)[1])
        return 404, {"status": "404 Not Found", "message": f"tidak ada {path}"}

    def _result(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 10))
        result: Any = self._slice(offset, limit)
        if self.records_not_list:
            result = {"items": result}
        return 200, {"status": "200 OK", "message": "sukses", "result": result}

    def _data(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        page, size = int(query.get("page", 1)), int(query.get("per_page", 10))
        return 200, {
            "data": self._slice((page - 1) * size, size),
            "message": "OK",
            "meta": {"total": len(self.items), "page": page},
        }

    def _links(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        page, size = int(query.get("page", 1)), 5
        items = self._slice((page - 1) * size, size)
        more = page * size < len(self.items)
        following = 2 if self.next_loops else page + 1
        return 200, {
            "items": items,
            "links": {"next": f"/links/datasets?page={following}" if more else None},
        }

    def _cursor(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        body = body or {}
        start = int(body.get("cursor") or 0)
        size = int(body.get("size", 10))
        items = self._slice(start, size)
        hasil: dict[str, Any] = {"items": items}
        if start + size < len(self.items):
            hasil["cursor"] = str(start + size)
        return 200, {"hasil": hasil, "filter": body.get("filter")}

    def _proxy(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        body = body if isinstance(body, dict) else {}
        if self.proxy_token is not None and body.get("token") != self.proxy_token:
            return 401, {"status": False, "message": "token tidak sah", "data": None}
        endpoint = urlsplit(str(body.get("endpoint", "")))
        if endpoint.path != "package_search":
            return 400, {"status": False, "message": f"endpoint {endpoint.path}?", "data": None}
        asked = {k: v[0] for k, v in parse_qs(endpoint.query).items()}
        start, rows = int(asked.get("start", 0)), int(asked.get("rows", 10))
        results = self._slice(start, rows)
        return 200, {
            "status": True,
            "message": "OK",
            "data": {"count": len(self.items), "results": results},
        }

    def _summary(self, query: dict[str, str], body: Any) -> tuple[int, Any]:
        return 200, {"result": [{"id": d["id"], "judul": d["judul"]} for d in self.items]}

    def _detail(self, item_id: str) -> tuple[int, Any]:
        for item in self.items:
            if item["id"] == item_id and item_id not in self.missing_details:
                return 200, {"status": "200 OK", "result": item}
        return 404, {"status": "404 Not Found", "message": "dataset tidak ditemukan"}


class _StaticHandler(BaseHTTPRequestHandler):
    server: _StaticServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        found = self.server.files.get(urlsplit(self.path).path)
        if found is None:
            body, content_type, status = b'{"error": "not found"}', "application/json", 404
        else:
            (body, content_type), status = found, 200
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _StaticServer(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, tuple[bytes, str]]


class StaticFixture:
    """Serves fixed documents (path -> (bytes, Content-Type)) on 127.0.0.1: a data.json,
    a metadata sheet."""

    def __init__(self, files: dict[str, tuple[bytes, str]]) -> None:
        self._server = _StaticServer(("127.0.0.1", 0), _StaticHandler)
        self._server.files = files
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> StaticFixture:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
