"""A CKAN Action API on 127.0.0.1 that accepts what ``satudata publish`` writes, slowly
when asked, for tests that stop a publish run mid-way.

    with FakePortal(slow_seconds=0.3) as portal:
        ...target url: portal.url...
        portal.created   # the names of the packages created, in order (answers sent)

It answers ``user_show`` (a logged-in user), ``organization_show`` (every organization
exists), ``package_search`` (nothing published before), ``package_show`` (CKAN's 404
"Not Found Error" unless the package was created here), ``package_create`` (after
``slow_seconds``; a name taken is CKAN's 409 "That URL is already in use."),
``package_update``, ``package_patch`` and ``package_delete``. A package counts as
created once its answer is about to be sent, so :attr:`created` is what a client that
read every answer knows about.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = ["FakePortal"]


class FakePortal:
    def __init__(self, slow_seconds: float = 0.0) -> None:
        self.slow_seconds = slow_seconds
        self.created: list[str] = []
        self.packages: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}") if length else {}
                action = self.path.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
                status, payload = portal.answer(action, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                from urllib.parse import parse_qsl, urlsplit

                parts = urlsplit(self.path)
                action = parts.path.rstrip("/").rsplit("/", 1)[-1]
                status, payload = portal.answer(action, dict(parse_qsl(parts.query)))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, action: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        def ok(result: Any) -> tuple[int, dict[str, Any]]:
            return 200, {"success": True, "result": result}

        def not_found() -> tuple[int, dict[str, Any]]:
            error = {"__type": "Not Found Error", "message": "Not found"}
            return 404, {"success": False, "error": error}

        if action == "user_show":
            return ok({"name": "tester"})
        if action == "organization_show":
            return ok({"name": body.get("id"), "title": body.get("id")})
        if action == "package_search":
            return ok({"count": 0, "results": []})
        if action == "package_show":
            with self.lock:
                package = self.packages.get(str(body.get("id")))
            return ok(package) if package is not None else not_found()
        if action == "package_create":
            time.sleep(self.slow_seconds)
            name = str(body.get("name"))
            with self.lock:
                if name in self.packages:
                    error = {"__type": "Validation Error", "name": ["That URL is already in use."]}
                    return 409, {"success": False, "error": error}
                package = {**body, "id": f"id-{name}", "state": "active"}
                self.packages[name] = package
                self.packages[package["id"]] = package
                self.created.append(name)
            return ok(package)
        if action in ("package_update", "package_patch", "package_delete"):
            return ok({"id": body.get("id")})
        return 400, {"success": False, "error": {"message": f"unknown action {action}"}}

    def __enter__(self) -> FakePortal:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
