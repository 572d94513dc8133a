"""A small HTTP server on 127.0.0.1 that serves RDF documents for the DCAT tests.

``RdfServer`` answers ``GET path`` from :attr:`RdfServer.routes` (path with query ->
(status, content type or None, body; for a 3xx status the body is the Location)) and
records every request (path and lower-cased headers) in :attr:`RdfServer.requests`, so
a test can prove that nothing was fetched.
Unknown paths answer 404. :func:`hydra_page` writes one page of a Hydra-paged DCAT
catalogue in Turtle.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


class RdfServer:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str | None, bytes]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(
                        Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                    route = server.routes.get(self.path)
                if route is None:
                    status, content_type, body = 404, "text/plain", b"not found"
                else:
                    status, content_type, body = route
                self.send_response(status)
                if 300 <= status < 400:  # the body is where the redirect points
                    self.send_header("Location", body.decode("utf-8"))
                    body = b""
                if content_type is not None:
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> RdfServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def serve(self, path: str, body: bytes | str, content_type: str | None = "text/turtle") -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (200, content_type, data)
        return self.url + path


PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def dataset_ttl(i: int) -> str:
    return f"""
<https://data.example.go.id/dataset/{i}> a dcat:Dataset ;
    dct:identifier "ds-{i:03d}" ;
    dct:title "Dataset nomor {i}"@id ;
    dct:publisher [ foaf:name "Dinas Contoh" ] ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/ANNUAL> ;
    dct:issued "2024-01-{1 + i % 28:02d}"^^xsd:date .
"""


def hydra_page(
    page_url: str,
    datasets: list[int],
    *,
    next_url: str | None = None,
    last_url: str | None = None,
    total: int | None = None,
    legacy: bool = False,
) -> str:
    """One page: a catalogue with ``datasets`` and a Hydra view linking to the next."""
    lines = [PREFIXES, f'<{page_url}#catalog> a dcat:Catalog ; dct:title "Katalog" .']
    if legacy:  # ckanext-dcat's older hydra:PagedCollection
        view = [f"<{page_url}> a hydra:PagedCollection"]
        if next_url:
            view.append(f"hydra:nextPage <{next_url}>")
        if last_url:
            view.append(f"hydra:lastPage <{last_url}>")
    else:
        view = [f"<{page_url}> a hydra:PartialCollectionView"]
        if next_url:
            view.append(f"hydra:next <{next_url}>")
        if last_url:
            view.append(f"hydra:last <{last_url}>")
    if total is not None:
        view.append(f"hydra:totalItems {total}")
    lines.append(" ;\n    ".join(view) + " .")
    for i in datasets:
        lines.append(
            f"<{page_url}#catalog> dcat:dataset <https://data.example.go.id/dataset/{i}> ."
        )
        lines.append(dataset_ttl(i))
    return "\n".join(lines)
