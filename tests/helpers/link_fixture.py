"""Loopback HTTP servers with every behaviour a link check meets (issue 13).

One asyncio event loop (in a thread, or in its own process with ``python
tests/helpers/link_fixture.py``) serves plain HTTP/1.1 with keep-alive on one or more
ports of 127.0.0.1. It is written on asyncio streams rather than http.server because
it must misbehave on purpose (drop a HEAD connection, announce 5 GB, send a gzip bomb,
answer slower than the timeout) and serve 50 ports with 100 ms latency each without
becoming the bottleneck of the benchmark (one event loop, no thread per request).

Paths on every port (``/case/...``):

=====================  ==========================================================
``/ok``                200 text/csv
``/head405``           HEAD 405, GET 200
``/head404``           HEAD 404, GET 200
``/headdrop``          HEAD: connection closed without an answer; GET 200
``/uafilter``          403 to a User-Agent containing "link", "checker" or "bot"
``/waf``               403 with ``cf-mitigated: challenge`` (HTML challenge page)
``/ratelimit/KEY``     the first request of KEY: 429 ``Retry-After: 1``; then 200
``/slow``              answers after ``slow_seconds`` (past the checker's timeout)
``/chain301``          301 -> ``/chain301b`` -> 301 -> ``/ok``
``/moved308``          308 to ``/ok`` on the ``other`` port (another host)
``/loop``              302 -> ``/loop2`` -> 302 -> ``/loop``
``/notfound``          404
``/gone``              410
``/login.csv``         200 text/html: a login page where a CSV should be
``/huge``              HEAD 405; GET ignores Range: 200, Content-Length 5 GB, then
                       zeros until the client stops reading
``/gzipbomb``          HEAD 405; GET 200 ``Content-Encoding: gzip``, 64 MiB of zeros
                       compressed (about 64 KiB on the wire)
``/error500``          500 every time
``/bench/N``           200 after the port's latency (the benchmark)
=====================  ==========================================================

Every request is counted per path (:attr:`LinkFixture.hits`) and the User-Agent of
the last one is kept (:attr:`LinkFixture.user_agents`).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import gzip
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

_BOMB_SIZE = 64 * 1024 * 1024
HUGE = 5 * 1024 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A port of 127.0.0.1 nobody listens on (connection refused)."""
    return _free_port()


@dataclass
class LinkFixture:
    """The servers: ``ports[0]`` is the main host, ``other`` another host."""

    ports: list[int]
    latency: float = 0.0
    slow_seconds: float = 5.0
    hits: collections.Counter[str] = field(default_factory=collections.Counter)
    user_agents: list[str] = field(default_factory=list)
    requests: int = 0
    _rate_seen: set[str] = field(default_factory=set)
    _bomb: bytes = b""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.ports[0]}"

    @property
    def other(self) -> str:
        return f"http://127.0.0.1:{self.ports[1] if len(self.ports) > 1 else self.ports[0]}"

    def url(self, path: str, port_index: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[port_index]}{path}"

    # ------------------------------------------------------------------ serving

    async def serve(self, ready: threading.Event | None = None) -> None:
        self._bomb = gzip.compress(b"\0" * _BOMB_SIZE, compresslevel=9)
        servers = []
        for port in self.ports:
            servers.append(
                await asyncio.start_server(self._client, "127.0.0.1", port, backlog=1024)
            )
        if ready is not None:
            ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = writer.get_extra_info("sockname")[1]
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = [*lines[0].split(" ", 2), "", ""][:3]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                keep = await self._answer(method, target, headers, port, writer)
                if not keep:
                    return
        except (ConnectionError, OSError, asyncio.CancelledError):
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        method: str,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> bool:
        reason = {200: "OK", 206: "Partial Content"}.get(status, "Status")
        all_headers = {"Content-Type": "text/plain", **(headers or {})}
        all_headers["Content-Length"] = str(len(body) if length is None else length)
        text = f"HTTP/1.1 {status} {reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in all_headers.items()
        )
        writer.write(text.encode("latin-1") + b"\r\n")
        if method != "HEAD":
            writer.write(body)
        await writer.drain()
        return True

    async def _answer(
        self, method: str, target: str, headers: dict[str, str], port: int, w: asyncio.StreamWriter
    ) -> bool:
        self.requests += 1
        path = target.split("?", 1)[0]
        self.hits[f"{method} {path}"] += 1
        self.user_agents.append(headers.get("user-agent", ""))
        if len(self.user_agents) > 1000:
            del self.user_agents[:500]
        if self.latency:
            await asyncio.sleep(self.latency)
        csv = {"Content-Type": "text/csv"}
        if path.startswith("/bench/") or path == "/ok":
            return await self._send(w, method, 200, b"kode,nama\n1,Medan\n", csv)
        if path == "/head405":
            if method == "HEAD":
                return await self._send(w, method, 405, b"method not allowed")
            return await self._send(w, method, 200, b"a,b\n", csv)
        if path == "/head404":
            if method == "HEAD":
                return await self._send(w, method, 404, b"not found")
            return await self._send(w, method, 200, b"a,b\n", csv)
        if path == "/headdrop":
            if method == "HEAD":
                return False  # closed without an answer
            return await self._send(w, method, 200, b"a,b\n", csv)
        if path == "/uafilter":
            agent = headers.get("user-agent", "").lower()
            if any(word in agent for word in ("link", "checker", "bot")):
                return await self._send(w, method, 403, b"forbidden")
            return await self._send(w, method, 200, b"a,b\n", csv)
        if path == "/waf":
            return await self._send(
                w,
                method,
                403,
                b"<html>Just a moment...</html>",
                {"Content-Type": "text/html", "cf-mitigated": "challenge"},
            )
        if path.startswith("/ratelimit/"):
            if path not in self._rate_seen:
                self._rate_seen.add(path)
                return await self._send(w, method, 429, b"slow down", {"Retry-After": "1"})
            return await self._send(w, method, 200, b"a,b\n", csv)
        if path == "/slow":
            await asyncio.sleep(self.slow_seconds)
            return await self._send(w, method, 200, b"a,b\n", csv)
        if path == "/chain301":
            return await self._send(w, method, 301, b"", {"Location": "/chain301b"})
        if path == "/chain301b":
            return await self._send(w, method, 301, b"", {"Location": f"{self.base}/ok"})
        if path == "/moved308":
            return await self._send(w, method, 308, b"", {"Location": f"{self.other}/ok"})
        if path == "/loop":
            return await self._send(w, method, 302, b"", {"Location": "/loop2"})
        if path == "/loop2":
            return await self._send(w, method, 302, b"", {"Location": "/loop"})
        if path == "/notfound":
            return await self._send(w, method, 404, b"not found")
        if path == "/gone":
            return await self._send(w, method, 410, b"gone")
        if path == "/login.csv":
            return await self._send(
                w,
                method,
                200,
                b"<html><form action=/login>password</form></html>",
                {"Content-Type": "text/html; charset=utf-8"},
            )
        if path == "/huge":
            if method == "HEAD":
                return await self._send(w, method, 405, b"")
            return await self._endless(w)
        if path == "/gzipbomb":
            if method == "HEAD":
                return await self._send(w, method, 405, b"")
            return await self._send(
                w,
                method,
                200,
                self._bomb,
                {"Content-Type": "text/csv", "Content-Encoding": "gzip"},
            )
        if path == "/error500":
            return await self._send(w, method, 500, b"internal error")
        return await self._send(w, method, 404, b"no such case")

    async def _endless(self, w: asyncio.StreamWriter) -> bool:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Length: {HUGE}\r\n\r\n"
        )
        w.write(head.encode("latin-1"))
        chunk = b"\0" * 65536
        sent = 0
        try:
            while sent < HUGE:
                w.write(chunk)
                await w.drain()
                sent += len(chunk)
                self.hits["huge bytes sent"] = sent
        except (ConnectionError, OSError):
            pass
        return False


@contextlib.contextmanager
def running(
    ports: int = 2, *, latency: float = 0.0, slow_seconds: float = 5.0
) -> Iterator[LinkFixture]:
    """The fixture serving in a background thread for the duration of the block."""
    fixture = LinkFixture([_free_port() for _ in range(ports)], latency, slow_seconds)
    ready = threading.Event()
    loop = asyncio.new_event_loop()

    def main() -> None:
        asyncio.set_event_loop(loop)
        try:
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(fixture.serve(ready))
            # the connection handlers cancelled with the servers: let them end
            rest = asyncio.all_tasks(loop)
            for task in rest:
                task.cancel()
            if rest:
                loop.run_until_complete(asyncio.gather(*rest, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    thread = threading.Thread(target=main, daemon=True, name="link-fixture")
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("the link fixture did not start")
    try:
        yield fixture
    finally:

        def stop() -> None:
            for task in asyncio.all_tasks(loop):
                task.cancel()

        loop.call_soon_threadsafe(stop)
        thread.join(10)


def main(argv: list[str] | None = None) -> int:
    """``link_fixture.py --ports N --latency S``: serve, print the ports (one line,
    comma-separated) when ready, run until killed; on SIGTERM print the time the
    server spent handling requests (to show it was not the bottleneck)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args(argv)
    fixture = LinkFixture([_free_port() for _ in range(args.ports)], args.latency)
    ready = threading.Event()

    def announce() -> None:
        ready.wait()
        print(",".join(str(p) for p in fixture.ports), flush=True)

    threading.Thread(target=announce, daemon=True).start()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(fixture.serve(ready))
    print(f"requests={fixture.requests}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
