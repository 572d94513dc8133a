"""Checking URLs: the verdict of each link, with no false "broken".

Concurrency model: asyncio with httpcore (httpx's transport layer). A run checks
thousands of URLs spread over a few dozen to a few thousand agency servers, almost
all of the time waiting on the network; one event loop holds a hundred requests in
flight for the price of a hundred small tasks (a thread each would cost a stack, and
per-host pacing and ``Retry-After`` pauses would need locks across threads), and
every request gets a hard deadline
(``asyncio.timeout``) that also covers a server trickling its answer. httpx is
already the tool's HTTP library; the checker uses its transport layer, httpcore, one
pool per host (:class:`~satudata_cli.links.net.HostPools`, which says why), with the
network step replaced by :class:`~satudata_cli.links.net.GuardedBackend` (no
private addresses).

Scheduling: ``concurrency`` workers take URLs host by host in turn, never more than
``per_host`` URLs of one host at a time; every request (redirect hops to another host
included) passes the host's gate: at most ``per_host`` requests in flight and at least
``min_interval`` seconds between two starts; a ``Retry-After`` pauses the whole host.

Method, per URL: ``HEAD``; anything but a success (4xx, 5xx, a dropped connection, a
timeout) is confirmed with ``GET`` and ``Range: bytes=0-0``, whose body is read raw
(never decompressed, so a gzip bomb stays the size it was sent) up to
``body_cap`` bytes and then dropped: bodies are never stored. Redirects are followed
by hand up to ``max_redirects``, each hop through the same guard; the final URL is
recorded. No cookie is kept or sent, no proxy or ``.netrc`` is read (httpcore reads
neither), user and password in a URL are not sent, and no token of the tool is ever
added: the only headers are Host, User-Agent, Accept, Accept-Encoding and Range.

Verdicts (issue 13): ``broken`` only for a name that does not exist, a connection
refused on every try (HEAD and GET), 404/410 to GET, or a TLS certificate that is
invalid for a reason other than the local trust store; ``unverifiable`` for 401/403, a
WAF challenge, 429 after retries, timeouts, persistent 5xx, dropped connections and
anything else unclear; ``redirected-permanently`` when a 301/308 led to a working URL;
``ok`` otherwise on success. ``skipped``: a non-HTTP scheme or a private address
(without ``allow_private``); ``invalid``: the text is not a URL.

No network: results are held back until some server has answered. If every host tried
fails at the network level before any answers (at least :data:`NO_NETWORK_HOSTS` hosts,
or all of them when fewer), the run stops: :attr:`CheckSummary.no_network`; the caller
marks nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
import urllib.parse
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import httpcore
import httpx

from satudata_cli import __version__
from satudata_cli.catalogue.links import Verdict
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.links.net import (
    DnsFailure,
    DnsNotFound,
    HostPools,
    PrivateAddress,
    find,
    is_public,
    make_pools,
    refused,
)

__all__ = [
    "NO_NETWORK_HOSTS",
    "USER_AGENT",
    "CheckSettings",
    "CheckSummary",
    "Checker",
    "LinkOutcome",
    "classify",
    "host_key",
]

#: The User-Agent of every request: names the tool honestly, without the words bot
#: filters match ("link", "checker", "bot", "crawler", "spider"); docs/links.md.
USER_AGENT: Final = f"satudata/{__version__} (Satu Data Indonesia metadata tool)"

#: Hosts that must all fail at the network level, with none answering, before a run
#: decides the checker itself has no network (all of them when there are fewer).
NO_NETWORK_HOSTS: Final = 5

_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_PERMANENT: Final = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """How a run checks: limits, timeouts and safety switches."""

    concurrency: int = 100
    per_host: int = 2
    min_interval: float = 0.05
    timeout: float = 20.0
    max_redirects: int = 10
    body_cap: int = 64 * 1024
    rate_limit_retries: int = 2
    max_retry_after: float = 60.0
    server_error_retry_delay: float = 1.0
    allow_private: bool = False
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """What checking one URL concluded (``reason`` in both languages).

    ``network_failure``: no server answered at all (name not found, no resolver,
    refused, unreachable, connect timeout); ``reached``: some server answered (any
    HTTP status, a TLS handshake, a connection that was then dropped).
    """

    url: str
    verdict: Verdict
    reason: Message
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    content_length: int | None = None
    elapsed_ms: int | None = None
    network_failure: bool = False
    reached: bool = False


@dataclass(slots=True)
class CheckSummary:
    """The end of :meth:`Checker.run`: whether it ran out of network, and counts."""

    no_network: bool = False
    checked: int = 0
    hosts: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def host_key(url: str) -> str:
    """The host a URL's requests are limited by: ``host:port`` (lower case)."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def classify(url: str, *, allow_private: bool = False) -> LinkOutcome | None:
    """The verdict of a URL that needs no request: not a URL (``invalid``), a scheme
    other than http/https or a private IP literal (``skipped``); None: fetch it."""
    text = url.strip()
    if not text:
        return _invalid(url, "empty")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return _invalid(url, "control characters")
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as exc:
        return _invalid(url, str(exc))
    scheme = parts.scheme.lower()
    if not scheme:
        return _invalid(url, "no scheme (http:// or https://)")
    if len(scheme) == 1:  # C:\data\file.csv
        return _invalid(url, "a file path, not a URL")
    if scheme not in ("http", "https"):
        return LinkOutcome(url, "skipped", M.link_scheme.format(scheme=f"{scheme}:"))
    host = parts.hostname
    if not host or not parts.netloc:
        return _invalid(url, "no host")
    if port == 0:
        return _invalid(url, "port 0")
    try:
        httpx.URL(text)
    except (httpx.InvalidURL, ValueError) as exc:
        return _invalid(url, str(exc))
    if not allow_private and _is_ip(host) and not is_public(host):
        return LinkOutcome(url, "skipped", M.link_private.format(address=host))
    return None


def _invalid(url: str, detail: str) -> LinkOutcome:
    return LinkOutcome(url, "invalid", M.link_invalid.format(detail=detail))


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------ one request


@dataclass(frozen=True, slots=True)
class _Answer:
    """The last response of a request with its redirects, or why there was none."""

    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    content_length: int | None = None
    challenge: bool = False
    permanent: bool = False
    retry_after: float | None = None
    failure: str | None = None  # kind, see _failure()
    detail: str = ""
    host: str = ""
    network_failure: bool = False
    reached: bool = False
    tries: int = 1


class _Gate:
    """One host's limit: ``per_host`` requests in flight, ``min_interval`` between
    starts, and a pause until a ``Retry-After`` has passed."""

    def __init__(self, per_host: int, min_interval: float) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.min_interval = min_interval
        self.next_start = 0.0
        self.lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def enter(self) -> AsyncIterator[None]:
        async with self.slots:
            async with self.lock:
                now = time.monotonic()
                wait = self.next_start - now
                if wait > 0:
                    await asyncio.sleep(wait)
                self.next_start = max(now, self.next_start) + self.min_interval
            yield

    def pause(self, seconds: float) -> None:
        self.next_start = max(self.next_start, time.monotonic() + seconds)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        import email.utils

        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


Headers = dict[str, str]


def _headers(raw: list[tuple[bytes, bytes]]) -> Headers:
    """Response headers by lower-case name (the last of a repeated one)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}


def _content_length(headers: Headers) -> int | None:
    content_range = headers.get("content-range", "")
    if "/" in content_range:
        total = content_range.rsplit("/", 1)[1].strip()
        if total.isdigit():
            return int(total)
    length = headers.get("content-length", "").strip()
    return int(length) if length.isdigit() and len(length) < 19 else None


def _content_type(headers: Headers) -> str | None:
    value = headers.get("content-type")
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower()[:200] or None


def _target(url: str) -> httpcore.URL:
    """The URL as httpcore sends it: normalised and percent-encoded by httpx's parser
    (spaces and non-ASCII in metadata URLs), without user and password."""
    parsed = httpx.URL(url)
    return httpcore.URL(
        scheme=parsed.raw_scheme, host=parsed.raw_host, port=parsed.port, target=parsed.raw_path
    )


# the kinds of failure (no HTTP answer) and whether they mean "no server answered"
_NETWORK_KINDS: Final = frozenset({"nxdomain", "dns", "refused", "unreachable", "connect-timeout"})


def _failure(exc: BaseException, host: str) -> tuple[str, str]:
    """``(kind, detail)`` of a request that got no HTTP answer."""
    if (found := find(exc, PrivateAddress)) is not None:
        assert isinstance(found, PrivateAddress)
        return "private", found.address
    if (found := find(exc, DnsNotFound)) is not None:
        return "nxdomain", str(found)
    if (found := find(exc, DnsFailure)) is not None:
        return "dns", str(found)
    if (found := find(exc, ssl.SSLCertVerificationError)) is not None:
        assert isinstance(found, ssl.SSLCertVerificationError)
        detail = str(found.verify_message or found)
        local = "local issuer" in detail or "in certificate chain" in detail
        return ("tls-local" if local else "tls"), detail
    if find(exc, ssl.SSLError) is not None:
        return "tls-other", str(find(exc, ssl.SSLError))
    if isinstance(exc, httpcore.ConnectTimeout):
        return "connect-timeout", "connect"
    if isinstance(exc, (httpcore.TimeoutException, TimeoutError)):
        return "timeout", "read"
    if isinstance(exc, httpcore.ConnectError):
        if refused(exc):
            return "refused", str(exc)
        return "unreachable", str(exc) or type(exc).__name__
    if isinstance(
        exc,
        (httpcore.RemoteProtocolError, httpcore.ReadError, httpcore.WriteError, ConnectionError),
    ):
        return "dropped", str(exc) or type(exc).__name__
    if isinstance(exc, (httpx.InvalidURL, httpcore.UnsupportedProtocol, ValueError)):
        return "invalid", str(exc)
    return "network", f"{type(exc).__name__}: {exc}"


class Checker:
    """Checks URLs (one event loop; see the module for the method and the limits)."""

    def __init__(self, settings: CheckSettings | None = None) -> None:
        self.settings = settings or CheckSettings()
        self._gates: dict[str, _Gate] = {}
        self._transport: HostPools | None = None
        #: some server has answered during this run
        self.proven = False

    def _gate(self, url: str) -> _Gate:
        key = host_key(url)
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = _Gate(self.settings.per_host, self.settings.min_interval)
        return gate

    def _pools(self) -> HostPools:
        if self._transport is None:
            s = self.settings
            self._transport = make_pools(allow_private=s.allow_private, per_host=s.per_host)
        return self._transport

    # ------------------------------------------------------------ requests

    async def _request(self, method: str, url: str) -> _Answer:
        """One request, no redirect, through the host's gate, within the timeout."""
        s = self.settings
        headers = [
            (b"Host", b""),  # filled below
            (b"User-Agent", s.user_agent.encode("ascii")),
            (b"Accept", b"*/*"),
            (b"Accept-Encoding", b"identity"),
        ]
        if method == "GET":
            headers.append((b"Range", b"bytes=0-0"))
        host = urllib.parse.urlsplit(url).hostname or ""
        gate = self._gate(url)
        location: str | None = None
        async with gate.enter():
            try:
                target = _target(url)
                default_port = 443 if target.scheme == b"https" else 80
                host_header = target.host
                if target.port not in (None, default_port):
                    host_header += b":%d" % target.port
                if b":" in target.host:  # IPv6
                    host_header = b"[" + target.host + b"]" + host_header[len(target.host) :]
                headers[0] = (b"Host", host_header)
                timeouts = {"connect": s.timeout, "read": s.timeout, "write": s.timeout}
                async with asyncio.timeout(s.timeout):
                    async with (
                        self._pools()
                        .pool(target)
                        .stream(
                            method, target, headers=headers, extensions={"timeout": timeouts}
                        ) as response
                    ):
                        read = 0
                        # raw bytes, never decoded; HEAD has no body, and reading its
                        # end keeps the connection for reuse
                        async for chunk in response.aiter_stream():
                            read += len(chunk)
                            if read >= s.body_cap:
                                break
                        found = _headers(response.headers)
                        answer = _Answer(
                            status=response.status,
                            final_url=url,
                            content_type=_content_type(found),
                            content_length=_content_length(found),
                            challenge=found.get("cf-mitigated", "").lower() == "challenge",
                            retry_after=_retry_after(found.get("retry-after")),
                            host=host,
                            reached=True,
                        )
                        location = found.get("location")
            except Exception as exc:
                kind, detail = _failure(exc, host)
                return _Answer(
                    failure=kind,
                    detail=detail[:300],
                    final_url=url,
                    host=host,
                    network_failure=kind in _NETWORK_KINDS,
                    reached=kind in ("tls", "tls-local", "tls-other", "timeout", "dropped"),
                )
        if answer.status in _REDIRECTS and location:
            next_url = urllib.parse.urljoin(url, location.strip())
            return _Answer(
                status=answer.status,
                final_url=next_url,
                permanent=answer.status in _PERMANENT,
                failure="redirect",
                host=host,
                reached=True,
            )
        if answer.retry_after is not None and answer.status in (429, 503):
            gate.pause(min(answer.retry_after, s.max_retry_after))
        return answer

    async def _fetch(self, method: str, url: str) -> _Answer:
        """A request with its redirects, 429 and 5xx retries."""
        s = self.settings
        seen = {url}
        current = url
        permanent = False
        reached = False
        for _ in range(s.max_redirects + 1):
            answer = await self._request(method, current)
            if reached and not answer.reached:  # a server answered before this hop
                answer = _replace(answer, reached=True, network_failure=False)
            tries = 1
            while answer.status == 429 or (
                method == "GET" and answer.status is not None and answer.status >= 500
            ):
                wait = answer.retry_after
                if answer.status == 429:
                    if tries > s.rate_limit_retries:
                        break
                    if wait is not None and wait > s.max_retry_after:
                        break
                    wait = wait if wait is not None else float(tries)
                else:
                    if tries > 1:  # one retry: a 5xx that persists within the run
                        break
                    wait = min(wait or s.server_error_retry_delay, s.max_retry_after)
                await asyncio.sleep(wait)
                answer = await self._request(method, current)
                tries += 1
            if answer.failure != "redirect":
                return _replace(answer, permanent=permanent, tries=tries)
            permanent = permanent or answer.permanent
            reached = True
            assert answer.final_url is not None
            target = answer.final_url
            scheme = urllib.parse.urlsplit(target).scheme.lower()
            if scheme not in ("http", "https"):
                return _Answer(
                    failure="redirect-elsewhere",
                    detail=M.link_scheme.format(scheme=f"{scheme}:").en,
                    final_url=target,
                    status=answer.status,
                    reached=True,
                )
            if target in seen:
                return _Answer(
                    failure="redirect-loop", final_url=target, status=answer.status, reached=True
                )
            seen.add(target)
            current = target
        return _Answer(failure="too-many-redirects", final_url=current, reached=True)

    async def check(self, url: str) -> LinkOutcome:
        """The verdict of one URL (:func:`classify` first, then HEAD, then GET)."""
        static = classify(url, allow_private=self.settings.allow_private)
        if static is not None:
            return static
        return await self._check(url)

    async def _check(self, url: str) -> LinkOutcome:
        started = time.monotonic()
        answer = await self._fetch("HEAD", url.strip())
        if not _success(answer) and answer.failure not in (
            "nxdomain",
            "private",
            "redirect-elsewhere",
            "invalid",
        ):
            reached = answer.reached
            answer = await self._fetch("GET", url.strip())
            if reached and not answer.reached:
                answer = _replace(answer, reached=True, network_failure=False)
        elapsed = int((time.monotonic() - started) * 1000)
        return _outcome(url, answer, elapsed, self.settings)

    # ------------------------------------------------------------------ run

    async def run(
        self,
        urls: Iterable[str],
        on_outcome: Callable[[LinkOutcome], Awaitable[None] | None],
    ) -> CheckSummary:
        """Check every URL (each once); ``on_outcome`` gets each outcome in the order
        they end, held back until :attr:`proven` (see the module: no network)."""
        s = self.settings
        summary = CheckSummary()
        queues: dict[str, deque[str]] = {}
        held: deque[LinkOutcome] = deque()
        seen: set[str] = set()
        for url in urls:
            if url in seen:
                continue
            seen.add(url)
            static = classify(url, allow_private=s.allow_private)
            if static is not None:
                held.append(static)
                continue
            queues.setdefault(host_key(url.strip()), deque()).append(url)
        seen.clear()
        summary.hosts = len(queues)
        # hosts with a URL to take and a free slot; a worker waits on the queue, so
        # one ready host wakes one worker
        ready: asyncio.Queue[str | None] = asyncio.Queue()
        in_ready: set[str] = set()
        active: dict[str, int] = dict.fromkeys(queues, 0)
        started_hosts: set[str] = set()
        failed_hosts: set[str] = set()
        neutral_hosts: set[str] = set()
        stop = asyncio.Event()
        remaining = sum(len(q) for q in queues.values())
        threshold = min(len(queues), NO_NETWORK_HOSTS)
        workers_count = max(1, s.concurrency)

        def offer(key: str) -> None:
            if queues[key] and active[key] < s.per_host and key not in in_ready:
                ready.put_nowait(key)
                in_ready.add(key)

        for key in queues:
            offer(key)
        if remaining <= 0:
            for _ in range(workers_count):
                ready.put_nowait(None)

        async def deliver(outcome: LinkOutcome) -> None:
            summary.checked += 1
            summary.counts[outcome.verdict] = summary.counts.get(outcome.verdict, 0) + 1
            result = on_outcome(outcome)
            if result is not None:
                await result

        async def flush() -> None:
            while held:
                await deliver(held.popleft())

        async def worker() -> None:
            nonlocal remaining
            while True:
                key = await ready.get()
                if key is None:
                    return
                in_ready.discard(key)
                queue = queues[key]
                if not queue or active[key] >= s.per_host:
                    continue
                url = queue.popleft()
                active[key] += 1
                started_hosts.add(key)
                offer(key)
                try:
                    outcome = await self._check(url)
                finally:
                    active[key] -= 1
                    remaining -= 1
                    offer(key)
                    if remaining <= 0:
                        for _ in range(workers_count):
                            ready.put_nowait(None)
                if not queue and not active[key] and self._transport is not None:
                    host, _, port = key.rpartition(":")
                    await self._transport.release(host, int(port))
                if outcome.reached:
                    self.proven = True
                elif outcome.network_failure:
                    failed_hosts.add(key)
                else:
                    neutral_hosts.add(key)
                if self.proven:
                    await flush()
                    await deliver(outcome)
                    continue
                held.append(outcome)
                if (
                    threshold
                    and len(failed_hosts) >= threshold
                    and started_hosts <= failed_hosts | neutral_hosts
                ):
                    summary.no_network = True
                    stop.set()

        try:
            workers = [asyncio.create_task(worker()) for _ in range(workers_count)]
            gathered = asyncio.gather(*workers)
            stopper = asyncio.create_task(stop.wait())
            waiting: list[asyncio.Future[Any]] = [gathered, stopper]
            try:
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopper.cancel()
                if not gathered.done():
                    for task in workers:
                        task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await gathered
            if not summary.no_network:
                gathered.result()  # a worker's own error
                if not self.proven and failed_hosts:
                    summary.no_network = True
                else:
                    await flush()
        finally:
            if self._transport is not None:
                await self._transport.aclose()
                self._transport = None
        return summary


def _replace(answer: _Answer, **changes: object) -> _Answer:
    import dataclasses

    return dataclasses.replace(answer, **changes)  # type: ignore[arg-type]


def _success(answer: _Answer) -> bool:
    return answer.failure is None and answer.status is not None and 200 <= answer.status < 300


def _outcome(url: str, a: _Answer, elapsed: int, s: CheckSettings) -> LinkOutcome:
    """The verdict of the last answer (HEAD's when it succeeded, else GET's)."""
    verdict: Verdict
    common = {
        "status": a.status,
        "final_url": a.final_url,
        "content_type": a.content_type,
        "content_length": a.content_length,
        "elapsed_ms": elapsed,
        "network_failure": a.network_failure,
        "reached": a.reached,
    }
    status = a.status
    if a.failure is None and status is not None:
        if 200 <= status < 300 or status == 416:
            if a.permanent and a.final_url and a.final_url != url.strip():
                verdict = "redirected-permanently"
                reason = M.link_redirected.format(status=status, url=a.final_url)
            else:
                verdict, reason = "ok", M.link_ok.format(status=status)
        elif status in (404, 410):
            verdict = "broken"
            reason = (M.link_gone if status == 410 else M.link_not_found).format(status=status)
        elif status in (401, 403) or a.challenge:
            verdict = "unverifiable"
            reason = (M.link_waf if a.challenge else M.link_auth).format(status=status)
        elif status == 429:
            verdict = "unverifiable"
            if a.retry_after is not None and a.retry_after > s.max_retry_after:
                reason = M.link_wait_too_long.format(seconds=f"{a.retry_after:g}", status=status)
            else:
                reason = M.link_rate_limited.format(status=status, tries=a.tries)
        elif status >= 500:
            verdict, reason = "unverifiable", M.link_server_error.format(status=status)
        else:
            verdict, reason = "unverifiable", M.link_other_status.format(status=status)
        return LinkOutcome(url, verdict, reason, **common)  # type: ignore[arg-type]
    kind, detail = a.failure or "network", a.detail
    outcome: tuple[Verdict, Message]
    match kind:
        case "nxdomain":
            outcome = "broken", M.link_nxdomain.format(host=a.host)
        case "refused":
            outcome = "broken", M.link_refused
        case "tls":
            outcome = "broken", M.link_tls.format(detail=detail)
        case "tls-local":
            outcome = "unverifiable", M.link_tls_local.format(detail=detail)
        case "private":
            outcome = "skipped", M.link_private.format(address=detail)
        case "dns":
            outcome = "unverifiable", M.link_dns_failed.format(host=a.host, detail=detail)
        case "timeout" | "connect-timeout":
            outcome = "unverifiable", M.link_timeout.format(seconds=f"{s.timeout:g}")
        case "dropped":
            outcome = "unverifiable", M.link_dropped.format(detail=detail)
        case "redirect-loop":
            outcome = "unverifiable", M.link_redirect_loop.format(url=a.final_url)
        case "too-many-redirects":
            outcome = "unverifiable", M.link_too_many_redirects.format(limit=s.max_redirects)
        case "redirect-elsewhere":
            outcome = (
                "unverifiable",
                M.link_redirect_elsewhere.format(url=a.final_url, detail=detail),
            )
        case "invalid":
            outcome = "invalid", M.link_invalid.format(detail=detail)
        case _:
            outcome = "unverifiable", M.link_network.format(detail=detail)
    verdict, reason = outcome
    if verdict == "skipped" and a.final_url and a.final_url != url.strip():
        # a redirect to a private address: the link itself is public
        verdict = "unverifiable"
        reason = M.link_redirect_elsewhere.format(url=a.final_url, detail=reason.en)
    return LinkOutcome(url, verdict, reason, **common)  # type: ignore[arg-type]
