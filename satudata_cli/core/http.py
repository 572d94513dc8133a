"""HTTP for harvesting and publishing: one client per source and run, polite and bounded.

:class:`HttpClient` wraps one ``httpx.Client`` and adds what portals of local
governments need (its knobs are :class:`HttpSettings`, the ``http:`` block of a source
or publish target file):

- explicit connect and read timeouts (``http.connect_timeout``, ``http.timeout``), and
  a deadline for each response as a whole (``http.response_deadline``, default 300 s):
  a server that sends one byte at a time never outlasts the read timeout, so every
  read and write on the socket is also bounded by the time left until the deadline
  (see :class:`_DeadlineBackend`). A caller may add a deadline of its own (a harvest
  job's, :meth:`HttpClient.set_deadline`); a request still running then fails too.
  A deadline that passes is an :class:`HttpDeadline`, never retried;
- retries with exponential backoff and jitter after connection errors, timeouts, a
  connection that breaks mid-body and HTTP 429/502/503/504; ``Retry-After`` (seconds or
  an HTTP date) is honoured exactly, and a server that asks for a longer wait than
  :attr:`RetryPolicy.max_retry_after` is given up on at once rather than hammered;
- POSTs are retried only when the server cannot have acted on them (no connection,
  HTTP 429 or 503) and never follow redirects (a redirected POST loses its body);
- a rate limit per host (``http.requests_per_second``) and a cap on requests in flight
  (``http.concurrency``); the client is thread-safe, sources may share nothing else;
- ``User-Agent: satudata/<version>``; TLS verification with certifi's CAs plus
  ``http.ca_bundle`` (for government certificates); ``verify: false`` logs a warning;
- a cap on the (decompressed) response size, checked while streaming;
- a body that is not JSON where JSON was expected (an HTML error page with status 200,
  a body cut off mid-way) is a :class:`NotJsonError` naming the URL and status, never a
  parse traceback.

Secrets stay out of every message and log line: query parameters named like a token
or key are shown as ``***``, and the values of ``Authorization`` (and similar) headers
are scrubbed, as sent and URL-encoded, from every URL shown (a portal may reflect the
token into a redirect's query) and from body excerpts. Every URL in a message goes
through :func:`redact_url` with the request's secrets, every other text through
:func:`redact_secret`. GET redirects are followed (at most 5), and credentials
headers are dropped when a redirect leaves the origin; each address they were dropped
for is kept (:meth:`HttpClient.credentials_dropped`), so a source that sends a token
can tell that a pass read only what the public may see.

Retries are logged on the ``satudata.http`` logger at INFO:
``retrying GET https://... in 2.0 s after HTTP 503 (attempt 2/5)``.

Exception tree::

    SatudataError
    └── HttpError             url (secrets redacted), status (None without a reply)
        ├── HttpTimeout       no connection or no answer within the timeout
        │   └── HttpDeadline  the response, or the caller's job, ran past its deadline
        ├── HttpConnectionError  refused, unknown host, TLS certificate not trusted
        ├── HttpStatusError   HTTP 4xx/5xx (and a redirected POST); excerpt, payload
        ├── NotJsonError      the body is not JSON
        └── ResponseTooLarge  the body is larger than the cap
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import random
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

import certifi
import httpcore
import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from satudata_cli import USER_AGENT
from satudata_cli.core.configfile import ConfigError, KeyedValueError, resolve_relative
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.i18n import Message, plain
from satudata_cli.core.messages import M

__all__ = [
    "HttpClient",
    "HttpConnectionError",
    "HttpDeadline",
    "HttpError",
    "HttpSettings",
    "HttpStatusError",
    "HttpTimeout",
    "NotJsonError",
    "RateLimiter",
    "ResponseTooLarge",
    "RetryPolicy",
    "parse_retry_after",
    "redact_url",
]

logger = logging.getLogger("satudata.http")

#: Header names whose values are secrets (compared lower-case).
SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-ckan-api-key",
        "x-api-key",
        "api-key",
        "apikey",
        "x-auth-token",
        "cookie",
    }
)
_SECRET_PARAM = re.compile(r"token|api_?key|^key$|_key$|secret|passw|auth|signature|credential")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 5
_EXCERPT_CHARS = 200
_MASK = "***"


# -- settings --------------------------------------------------------------------------


class HttpSettings(BaseModel):
    """How to talk to a remote source over HTTP."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="HTTP settings",
        json_schema_extra={
            "description": (
                "How satudata talks to the source over HTTP. / Pengaturan koneksi HTTP ke sumber."
            )
        },
    )

    timeout: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description=(
            "Read timeout in seconds: how long to wait for data from the server. / "
            "Batas waktu membaca respons, dalam detik."
        ),
    )
    connect_timeout: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description=("Connect timeout in seconds. / Batas waktu membuka koneksi, dalam detik."),
    )
    requests_per_second: float = Field(
        default=10.0,
        gt=0,
        le=1000,
        description=(
            "Most requests per second to one host of this source. / "
            "Jumlah permintaan per detik paling banyak ke satu host sumber ini."
        ),
    )
    concurrency: int = Field(
        default=4,
        ge=1,
        le=64,
        description=(
            "Most requests in flight at the same time for this source. / "
            "Jumlah permintaan bersamaan paling banyak untuk sumber ini."
        ),
    )
    retries: int = Field(
        default=4,
        ge=0,
        le=10,
        description=(
            "Retries after a connection error, a timeout or HTTP 429/502/503/504 "
            "(with exponential backoff; Retry-After is honoured). / "
            "Jumlah pengulangan setelah gangguan koneksi atau HTTP 429/502/503/504."
        ),
    )
    response_deadline: float = Field(
        default=300.0,
        gt=0,
        le=86400,
        description=(
            "Most seconds one response may take as a whole, from the request to its last "
            "byte, however steadily it trickles in (the read timeout only bounds the "
            "silence between two pieces). / Batas waktu satu respons secara keseluruhan, "
            "dalam detik."
        ),
    )
    max_response_mb: float = Field(
        default=200.0,
        gt=0,
        le=4096,
        description=(
            "Largest response body accepted, in MiB (after decompression). / "
            "Ukuran respons terbesar yang diterima, dalam MiB."
        ),
    )
    ca_bundle: Path | None = Field(
        default=None,
        description=(
            "PEM file of extra certificate authorities to trust (e.g. a government CA "
            "or a missing intermediate certificate); relative to this file's folder. / "
            "Berkas PEM berisi sertifikat CA tambahan (mis. CA pemerintah); relatif "
            "terhadap folder berkas ini."
        ),
    )
    verify: bool = Field(
        default=True,
        description=(
            "Verify TLS certificates. false is dangerous and makes satudata warn loudly "
            "on every run; prefer ca_bundle. / Verifikasi sertifikat TLS. false berbahaya; "
            "gunakan ca_bundle."
        ),
    )

    @field_validator("ca_bundle")
    @classmethod
    def _resolve_ca_bundle(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        path = resolve_relative(value, info)
        if not path.is_file():
            raise ValueError(f"the CA bundle {path} does not exist or is not a file")
        return path

    @model_validator(mode="after")
    def _verify_and_bundle(self) -> HttpSettings:
        if self.ca_bundle is not None and not self.verify:
            raise KeyedValueError(
                "verify", "verify: false and ca_bundle contradict each other; keep one"
            )
        return self

    @property
    def max_response_bytes(self) -> int:
        return int(self.max_response_mb * 1024 * 1024)


# -- exceptions ------------------------------------------------------------------------


class HttpError(SatudataError):
    """A request failed. ``url`` never carries secrets; ``status`` is None without a reply."""

    def __init__(self, message: str | Message, *, url: str, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status

    def add_note_to_message(self, text: str | Message) -> None:
        """Append ``text`` to the message (used before the error is raised)."""
        self.message = self.message + text
        self.args = (self.message.en,)


class HttpTimeout(HttpError):
    """No connection, or no answer, within the configured timeout."""


class HttpDeadline(HttpTimeout):
    """The response took longer than ``http.response_deadline``, or the deadline the
    caller set (a harvest job's) passed while it ran. Never retried."""


class HttpConnectionError(HttpError):
    """The connection could not be made (refused, unknown host, TLS not trusted)."""


class HttpStatusError(HttpError):
    """The server answered with an error status (or redirected a POST).

    ``excerpt`` is a short, secret-free piece of the body; ``payload`` the body parsed
    as JSON when it is JSON (CKAN puts its error object there), else None.
    """

    status: int

    def __init__(
        self,
        message: str | Message,
        *,
        url: str,
        status: int,
        excerpt: str = "",
        payload: Any = None,
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.excerpt = excerpt
        self.payload = payload


class NotJsonError(HttpError):
    """JSON was expected but the body is something else (HTML, cut off, empty)."""

    def __init__(
        self, message: str | Message, *, url: str, status: int, content_type: str | None
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.content_type = content_type


class ResponseTooLarge(HttpError):
    """The body is larger than the size cap (``http.max_response_mb``)."""

    def __init__(self, message: str | Message, *, url: str, status: int, limit: int) -> None:
        super().__init__(message, url=url, status=status)
        self.limit = limit


# -- helpers ---------------------------------------------------------------------------


def _secret_param(name: str) -> bool:
    return bool(_SECRET_PARAM.search(unquote_plus(name).lower().replace("-", "_")))


def _spellings(secret: str) -> set[str]:
    """How a secret may be written in a text: as it is, and URL-encoded (a portal may
    reflect a token into a query string, where ``+``, ``/`` and ``=`` are escaped)."""
    return {secret, quote(secret, safe=""), quote(secret), quote_plus(secret, safe="")}


def redact_secret(text: str, secret: str | None) -> str:
    """``text`` with every occurrence of ``secret`` (an API token), as it is or
    URL-encoded, as ``***``.

    Secrets shorter than 4 characters are left alone: replacing them would garble the
    message without protecting anything worth protecting.
    """
    return _scrub(text, {secret} if secret else set())


def redact_url(url: str, secrets: Iterable[str] = ()) -> str:
    """``url`` fit for messages: user info and secret-looking query values as ``***``,
    and each of ``secrets`` (as it is or URL-encoded) wherever it appears.

    Everything else is kept byte for byte (no re-encoding).
    """
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{_MASK}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pieces = []
        for piece in query.split("&"):
            name = piece.split("=", 1)[0]
            pieces.append(f"{name}={_MASK}" if _secret_param(name) else piece)
        query = "&".join(pieces)
    shown = urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    return _scrub(shown, set(secrets))


def _url_secrets(url: httpx.URL) -> set[str]:
    found = set()
    for name, value in url.params.multi_items():
        if value and _secret_param(name):
            found.add(value)
    if url.password:
        found.add(url.password)
    return found


def _header_secrets(
    headers: Mapping[str, str], sensitive: frozenset[str] = SENSITIVE_HEADERS
) -> set[str]:
    found = set()
    for name, value in headers.items():
        if name.lower() in sensitive and value:
            found.add(value)
            scheme, _, credentials = value.partition(" ")
            if credentials and scheme.lower() in ("bearer", "token", "basic"):
                found.add(credentials.strip())
    return found


def _scrub(text: str, secrets: set[str]) -> str:
    spelled = {form for secret in secrets if len(secret) >= 4 for form in _spellings(secret)}
    for form in sorted(spelled, key=len, reverse=True):
        text = text.replace(form, _MASK)
    return text


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date).

    None when absent or unreadable; a date in the past gives 0.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN check
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    current = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - current).total_seconds())


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again.

    The n-th retry waits ``min(max_delay, base_delay * 2**(n-1))`` reduced by a random
    fraction of up to ``jitter`` (so clients restarted together spread out), unless the
    server sent ``Retry-After``: that is waited exactly, and a wait longer than
    ``max_retry_after`` gives up at once.
    """

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    jitter: float = 0.25
    max_retry_after: float = 120.0
    statuses: frozenset[int] = field(default=frozenset({429, 502, 503, 504}))

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    @classmethod
    def from_settings(cls, settings: HttpSettings) -> RetryPolicy:
        return cls(max_attempts=settings.retries + 1)

    def backoff(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds before retry number ``retry`` (1 for the first retry)."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** max(0, retry - 1))
        return delay * (1 - self.jitter * rand())


class RateLimiter:
    """Spaces requests to each host ``1 / per_second`` apart (a bucket of one token).

    Thread-safe: each caller reserves the next free slot under a lock and sleeps
    outside it, so concurrent callers queue up in order.
    """

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Block until a request to ``key`` (a host) may go; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(key, now))
            self._next[key] = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return max(0.0, delay)


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: httpx.Headers
    body: bytes
    url: httpx.URL

    @property
    def content_type(self) -> str | None:
        value = self.headers.get("content-type")
        return value.split(";", 1)[0].strip().lower() or None if value else None


def _reason(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _excerpt(body: bytes, content_type: str | None, secrets: set[str]) -> str:
    text = body[:4096].decode("utf-8", errors="replace")
    if (content_type and "html" in content_type) or text.lstrip()[:1] == "<":
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    text = _scrub(text, secrets)
    if len(text) > _EXCERPT_CHARS:
        text = text[: _EXCERPT_CHARS - 3].rstrip() + "..."
    return text


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def _tls_problem(exc: BaseException) -> str | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current.verify_message or "certificate verify failed"
        if isinstance(current, ssl.SSLError):
            return current.reason or str(current)
        current = current.__cause__ or current.__context__
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "certificate verify failed"
    return None


def _ssl_context(settings: HttpSettings) -> ssl.SSLContext | bool:
    if not settings.verify:
        return False
    context = ssl.create_default_context(cafile=certifi.where())
    if settings.ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(settings.ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                M.err_http_ca_bundle.format(path=settings.ca_bundle, reason=exc)
            ) from None
    return context


# -- deadlines ---------------------------------------------------------------------------


class _Deadline(threading.local):
    """The deadline (``time.monotonic()``) of the request this thread is making, if any."""

    at: float | None = None

    def bound(self, timeout: float | None, error: type[Exception]) -> float | None:
        """``timeout`` shortened to the time left; ``error`` when none is left."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise error("the deadline passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits no longer than the time left."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, bounded), self._deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the deadline of the current request applied to
    every socket operation. httpx offers no total timeout: its read timeout bounds each
    read alone, so a trickle of one byte per second never ends. Written here because
    neither httpx nor httpcore has one; httpcore's backend interface is public, only the
    place where httpx keeps it is not (see :func:`_install_deadline`)."""

    def __init__(self, inner: httpcore.NetworkBackend, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, bounded, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_unix_socket(path, bounded, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _install_deadline(client: httpx.Client, deadline: _Deadline) -> bool:
    """Put :class:`_DeadlineBackend` under every connection pool of ``client`` (its
    transport and the proxy transports httpx mounts from the environment). False when
    httpx keeps its pools elsewhere than in 1.0's ``transport._pool._network_backend``
    (a test pins this); the per-chunk check in :meth:`HttpClient._exchange` then still
    ends a trickling body, only not a trickle of headers."""
    transports = [getattr(client, "_transport", None)]
    transports += list(getattr(client, "_mounts", {}).values())
    pools = [getattr(t, "_pool", None) for t in transports if t is not None]
    if not pools or not all(isinstance(p, httpcore.ConnectionPool) for p in pools):
        return False
    for pool in pools:
        backend = getattr(pool, "_network_backend", None)
        if not isinstance(backend, httpcore.NetworkBackend):
            return False
        if not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend, deadline)  # type: ignore[union-attr]
    return True


# -- the client ------------------------------------------------------------------------


class HttpClient:
    """One HTTP client per source and run; thread-safe. Use as a context manager."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        user_agent: str = USER_AGENT,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_response_bytes: int | None = None,
    ) -> None:
        self.settings = settings or HttpSettings()
        self.user_agent = user_agent
        self.retry = retry or RetryPolicy.from_settings(self.settings)
        self.max_response_bytes = max_response_bytes or self.settings.max_response_bytes
        self._sleep = sleep
        self._sensitive = SENSITIVE_HEADERS
        self._dropped: list[str] = []
        self._dropped_lock = threading.Lock()
        self._limiter = RateLimiter(self.settings.requests_per_second)
        self._slots = threading.BoundedSemaphore(self.settings.concurrency)
        verify = _ssl_context(self.settings)
        if verify is False:
            logger.warning(
                "TLS certificate verification is OFF (http.verify: false): anyone on the "
                "network path can read and change what is harvested; use http.ca_bundle "
                "instead",
                extra={"event": "tls_unverified"},
            )
        s = self.settings
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            timeout=httpx.Timeout(
                connect=s.connect_timeout, read=s.timeout, write=s.timeout, pool=s.timeout
            ),
            limits=httpx.Limits(
                max_connections=s.concurrency, max_keepalive_connections=s.concurrency
            ),
            verify=verify,
            follow_redirects=False,
        )
        self._deadline = _Deadline()
        self._job_deadline: tuple[float, Message] | None = None
        self.deadline_installed = _install_deadline(self._client, self._deadline)

    def protect_header(self, name: str) -> None:
        """Treat header ``name`` as a credential, like ``Authorization``: dropped when a
        redirect leaves the origin, scrubbed from messages (a source's own token header)."""
        self._sensitive = self._sensitive | {name.lower()}

    def set_deadline(self, at: float | None, what: str | Message = M.http_callers_deadline) -> None:
        """End every request at ``at`` (``time.monotonic()``) at the latest, besides its
        own ``http.response_deadline``; a request still running then fails with
        :class:`HttpDeadline` naming ``what`` (e.g. "the job deadline (job_deadline:
        3600 s)"). None removes it."""
        said = what if isinstance(what, Message) else plain(what)
        self._job_deadline = None if at is None else (at, said)

    def credentials_dropped(self) -> list[str]:
        """The addresses (secrets redacted) a GET was redirected to on another origin,
        where its credentials headers (a token) were therefore not sent; in the order
        met, each once. A source compares the list before and after a pass."""
        with self._dropped_lock:
            return list(self._dropped)

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"HttpClient(user_agent={self.user_agent!r}, timeout={s.timeout}, "
            f"connect_timeout={s.connect_timeout}, requests_per_second={s.requests_per_second}, "
            f"concurrency={s.concurrency}, verify={s.verify}, "
            f"max_attempts={self.retry.max_attempts})"
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get_json(
        self,
        url: str,
        params: Mapping[str, str | int | float | bool] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET ``url`` and return the body parsed as JSON (redirects followed)."""
        return self._request_json("GET", url, params=params, headers=headers, body=None)

    def get_bytes(
        self, url: str, headers: Mapping[str, str] | None = None
    ) -> tuple[bytes, str | None, str]:
        """GET ``url`` with the same timeouts, retries and size cap as :meth:`get_json`.

        For documents that are not JSON (a spreadsheet, an RDF file, data.json read as
        bytes). Returns the body, the media type of ``Content-Type`` (lower-case, without
        parameters; None when absent) and the final URL after redirects.
        """
        request_headers = {"Accept": "*/*", **dict(headers or {})}
        known = _header_secrets(request_headers, self._sensitive)
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError):
            shown = redact_url(url, known)
            raise HttpError(M.err_http_bad_url.format(url=shown), url=shown) from None
        secrets = _url_secrets(target) | known
        reply = self._with_retries("GET", target, request_headers, None, secrets)
        return reply.body, reply.content_type, str(reply.url)

    def post_json(
        self,
        url: str,
        json: Any,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """POST ``json`` to ``url`` and return the reply parsed as JSON (no redirects)."""
        return self._request_json("POST", url, params=None, headers=headers, body=json)

    # -- internals ---------------------------------------------------------------------

    def _request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int | float | bool] | None,
        headers: Mapping[str, str] | None,
        body: Any,
    ) -> Any:
        request_headers = dict(headers or {})
        known = _header_secrets(request_headers, self._sensitive)
        try:
            target = httpx.URL(url, params=dict(params)) if params else httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError):
            shown = redact_url(url, known)
            raise HttpError(M.err_http_bad_url.format(url=shown), url=shown) from None
        secrets = _url_secrets(target) | known
        reply = self._with_retries(method, target, request_headers, body, secrets)
        return self._parse_json(reply, secrets)

    def _with_retries(
        self,
        method: str,
        target: httpx.URL,
        headers: dict[str, str],
        body: Any,
        secrets: set[str],
    ) -> _Reply:
        policy = self.retry
        attempt = 0
        while True:
            attempt += 1
            shown = redact_url(str(target), secrets)
            wait: float | None = None
            at, what = self._deadline_of_attempt()
            try:
                try:
                    reply = self._follow(method, target, headers, body, secrets, at)
                except httpx.TimeoutException:
                    if time.monotonic() >= at:  # the deadline, not the timeout
                        raise HttpDeadline(what + f" ({shown})", url=shown) from None
                    raise
            except httpx.ConnectTimeout:
                error: HttpError = HttpTimeout(
                    M.err_http_connect_timeout.format(
                        url=shown, seconds=f"{self.settings.connect_timeout:g}"
                    ),
                    url=shown,
                )
                retryable, cause = True, "a connect timeout"
            except httpx.TimeoutException:
                error = HttpTimeout(
                    M.err_http_read_timeout.format(url=shown, seconds=f"{self.settings.timeout:g}"),
                    url=shown,
                )
                retryable, cause = method == "GET", "a read timeout"
            except httpx.ConnectError as exc:
                tls = _tls_problem(exc)
                if tls is not None:
                    raise HttpConnectionError(
                        M.err_http_tls.format(url=shown, reason=tls), url=shown
                    ) from None
                reason = _scrub(str(exc) or type(exc).__name__, secrets)
                error = HttpConnectionError(
                    M.err_http_connect.format(url=shown, reason=reason), url=shown
                )
                retryable, cause = True, "a connection error"
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                reason = _scrub(str(exc) or type(exc).__name__, secrets)
                error = HttpError(M.err_http_broken.format(url=shown, reason=reason), url=shown)
                retryable, cause = method == "GET", "a broken connection"
            except httpx.DecodingError:
                raise HttpError(M.err_http_decompress.format(url=shown), url=shown) from None
            except (httpx.TransportError, httpx.InvalidURL) as exc:
                reason = _scrub(str(exc) or type(exc).__name__, secrets)
                raise HttpError(
                    M.err_http_failed.format(url=shown, reason=reason), url=shown
                ) from None
            else:
                status = reply.status
                if status < 300:
                    return reply
                status_error = self._status_error(method, reply, secrets)
                error = status_error
                retryable = status in policy.statuses and (method == "GET" or status in (429, 503))
                cause = f"HTTP {status}"
                if retryable:
                    wait = parse_retry_after(reply.headers.get("retry-after"))
                    if wait is not None and wait > policy.max_retry_after:
                        status_error.add_note_to_message(
                            M.err_http_retry_after.format(
                                wait=f"{wait:.0f}", max=f"{policy.max_retry_after:g}"
                            )
                        )
                        raise status_error
            if not retryable or attempt >= policy.max_attempts:
                if attempt > 1:
                    error.add_note_to_message(M.err_http_gave_up.format(n=attempt))
                raise error
            delay = wait if wait is not None else policy.backoff(attempt)
            if self._job_deadline is not None and time.monotonic() + delay >= self._job_deadline[0]:
                raise HttpDeadline(
                    error.message + M.err_http_no_retry_before.format(what=self._job_deadline[1]),
                    url=shown,
                ) from None
            logger.info(
                "retrying %s %s in %.1f s after %s (attempt %d/%d)",
                method,
                shown,
                delay,
                cause,
                attempt + 1,
                policy.max_attempts,
                extra={"event": "http_retry", "attempt": attempt + 1},
            )
            self._sleep(delay)

    def _follow(
        self,
        method: str,
        target: httpx.URL,
        headers: dict[str, str],
        body: Any,
        secrets: set[str],
        at: float,
    ) -> _Reply:
        """One attempt; GET redirects are followed, dropping credentials off-origin."""
        current, current_headers = target, headers
        for _ in range(_MAX_REDIRECTS + 1):
            reply = self._exchange(method, current, current_headers, body, secrets, at)
            location = reply.headers.get("location")
            if method != "GET" or reply.status not in _REDIRECTS or not location:
                return reply
            try:
                following = current.join(location)
            except httpx.InvalidURL:
                return reply
            if not _same_origin(current, following):
                kept = {
                    k: v for k, v in current_headers.items() if k.lower() not in self._sensitive
                }
                if len(kept) < len(current_headers):
                    self._dropped_for(following, secrets)
                current_headers = kept
            current = following
        shown = redact_url(str(target), secrets)
        raise HttpError(M.err_http_redirects.format(url=shown, n=_MAX_REDIRECTS), url=shown)

    def _deadline_of_attempt(self) -> tuple[float, Message]:
        """When the attempt starting now must end, and what to call that moment."""
        response = self.settings.response_deadline
        at = time.monotonic() + response
        what = M.err_http_response_deadline.format(seconds=f"{response:g}")
        if self._job_deadline is not None and self._job_deadline[0] < at:
            at, job = self._job_deadline
            what = M.err_http_deadline_passed.format(what=job)
        return at, what

    def _dropped_for(self, url: httpx.URL, secrets: set[str]) -> None:
        shown = redact_url(str(url), secrets)
        logger.info(
            "redirected to %s, on another host: the credentials are not sent there",
            shown,
            extra={"event": "credentials_not_forwarded"},
        )
        with self._dropped_lock:
            if shown not in self._dropped:
                self._dropped.append(shown)

    def _exchange(
        self,
        method: str,
        url: httpx.URL,
        headers: dict[str, str],
        body: Any,
        secrets: set[str],
        at: float,
    ) -> _Reply:
        limit = self.max_response_bytes
        with self._slots:
            self._limiter.wait(url.netloc.decode("ascii", errors="replace"))
            self._deadline.at = at  # every socket operation of this request (this thread)
            try:
                with self._client.stream(method, url, headers=headers, json=body) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise self._too_large(url, response.status_code, secrets)
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise self._too_large(url, response.status_code, secrets)
                        if time.monotonic() >= at:  # also where the backend is not ours
                            raise httpx.ReadTimeout("the deadline passed")
                        chunks.append(chunk)
                    return _Reply(response.status_code, response.headers, b"".join(chunks), url)
            finally:
                self._deadline.at = None

    def _too_large(self, url: httpx.URL, status: int, secrets: set[str]) -> ResponseTooLarge:
        shown = redact_url(str(url), secrets)
        limit = self.max_response_bytes
        return ResponseTooLarge(
            M.err_http_too_large.format(url=shown, status=status, mib=f"{limit / 1048576:.3g}"),
            url=shown,
            status=status,
            limit=limit,
        )

    def _status_error(self, method: str, reply: _Reply, secrets: set[str]) -> HttpStatusError:
        shown = redact_url(str(reply.url), secrets)
        excerpt = _excerpt(reply.body, reply.content_type, secrets)
        payload: Any = None
        try:
            payload = json.loads(reply.body, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            payload = None
        if reply.status in _REDIRECTS or 300 <= reply.status < 400:
            location = redact_url(reply.headers.get("location", "") or "?", secrets)
            what = M.err_http_post_redirect if method == "POST" else M.err_http_no_redirect
            message = M.err_http_redirect.format(
                status=_reason(reply.status), url=shown, location=location, what=what
            )
        else:
            message = M.err_http_status.format(status=_reason(reply.status), url=shown)
            if excerpt:
                message += f": {excerpt}"
        return HttpStatusError(
            message, url=shown, status=reply.status, excerpt=excerpt, payload=payload
        )

    def _parse_json(self, reply: _Reply, secrets: set[str]) -> Any:
        shown = redact_url(str(reply.url), secrets)
        got = reply.content_type or M.err_http_no_content_type
        head = M.err_http_not_json.format(got=got, status=reply.status, url=shown)
        if not reply.body.strip():
            raise NotJsonError(
                head + M.err_http_empty_body,
                url=shown,
                status=reply.status,
                content_type=reply.content_type,
            )
        try:
            return json.loads(reply.body, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            looks_json = reply.body.lstrip()[:1] in (b"{", b"[")
            if isinstance(exc, RecursionError):
                detail = M.err_http_json_too_deep
            elif looks_json:
                detail = M.err_http_broken_json.format(reason=_scrub(str(exc), secrets))
            else:
                detail = plain(_excerpt(reply.body, reply.content_type, secrets))
            raise NotJsonError(
                head + ": " + detail,
                url=shown,
                status=reply.status,
                content_type=reply.content_type,
            ) from None
