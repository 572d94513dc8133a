"""The one client of CKAN's Action API, on top of :class:`~satudata_cli.core.http.HttpClient`.

Used by the ``ckan`` source (reads) and by ``satudata publish`` (reads and writes).
What it adds to the shared HTTP client (timeouts, backoff with ``Retry-After``, rate
limit, cap on requests in flight, secrets scrubbed from messages):

- **the envelope**: ``call`` returns ``result``; CKAN's ``error`` object, an answer that
  is not JSON or not a CKAN reply, and every failed request become an
  :class:`ActionError` (see the tree below) whose message is ``<action>: <reason>``;
- **one retry policy**. Reads are GETs (or POSTs with ``post=True``, so that a redirect
  is reported rather than followed); writes (``write=True``) are POSTs, counted
  (:attr:`CkanClient.writes`) and spaced by their own rate limit
  (``writes_per_second``). Every call is tried again, with the HTTP client's backoff,
  after HTTP 429, 500, 502, 503 and 504, up to ``RetryPolicy.max_attempts`` attempts
  in all: the HTTP client itself retries 429/502/503/504 of a GET and 429/503 of a
  POST, this client retries the rest (500 of a GET; 500/502/504 of a POST). CKAN
  answers 500 for passing trouble (a busy search index), and the writes satudata sends
  are safe to repeat (an update sets the same state again; a repeated create meets
  "name already in use" and the publisher then finds its own dataset). What is *not*
  repeated for a write is a request that may have reached the portal without an answer
  (a read timeout, a connection broken mid-reply): the HTTP client retries those for
  GETs only;
- **one way to render CKAN's errors** for people: :func:`error_text`;
- the token goes in the ``Authorization`` header only; it never appears in a message
  or in :attr:`ActionError.fields` (CKAN may echo what was sent).

The exceptions::

    SatudataError
    └── CkanError                   the codec's base
        └── ActionError             a call failed: .action .url .status .kind .fields .reason
            ├── ActionRefused       the portal refused, or its answer is no usable CKAN
            │   │                   reply: HTTP 4xx (but 429), 500/501 after retries, not
            │   │                   JSON, too large, success false, no result. Another
            │   │                   action may still work.
            │   ├── ActionNotFound        HTTP 404 / "Not Found Error"
            │   └── ActionNotAuthorized   HTTP 401/403 / "Authorization Error"
            └── ActionUnanswered    no answer to use: a timeout, a connection error,
                                    429/502/503/504 after retries, a redirect. Asking
                                    another action would only add load.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from satudata_cli.core.errors import SatudataError
from satudata_cli.core.http import (
    HttpClient,
    HttpError,
    HttpStatusError,
    NotJsonError,
    RateLimiter,
    ResponseTooLarge,
    redact_secret,
)

__all__ = [
    "RETRIED_BY_CLIENT",
    "ActionError",
    "ActionNotAuthorized",
    "ActionNotFound",
    "ActionRefused",
    "ActionUnanswered",
    "CkanClient",
    "CkanError",
    "error_text",
    "json_kind",
]

logger = logging.getLogger("satudata.codecs.ckan")

#: Statuses this client retries itself, by method: those the HTTP client does not
#: retry for that method (it retries 429/502/503/504 of a GET and 429/503 of a POST).
RETRIED_BY_CLIENT: Final[dict[str, frozenset[int]]] = {
    "GET": frozenset({500}),
    "POST": frozenset({500, 502, 504}),
}
#: How long a rendered CKAN error may be (the field errors stay whole in ``fields``).
ERROR_TEXT_MAX: Final = 300


class CkanError(SatudataError):
    """Base of the CKAN codec's errors."""


class ActionError(CkanError):
    """A call of ``action`` failed; ``reason`` says why (the message is ``action: reason``).

    ``status`` is the HTTP status (200 for an error inside a successful reply, None
    without a reply), ``kind`` CKAN's ``__type``, ``fields`` the field errors of a
    validation error.
    """

    def __init__(
        self,
        reason: str,
        *,
        action: str,
        url: str,
        status: int | None = None,
        kind: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{action}: {reason}")
        self.reason = reason
        self.action = action
        self.url = url
        self.status = status
        self.kind = kind
        self.fields: dict[str, Any] = dict(fields or {})


class ActionRefused(ActionError):
    """The portal refused the action, or its answer is no usable CKAN reply."""


class ActionNotFound(ActionRefused):
    """HTTP 404 / "Not Found Error"."""


class ActionNotAuthorized(ActionRefused):
    """HTTP 401/403 / "Authorization Error" (CKAN's answer to a missing or wrong token)."""


class ActionUnanswered(ActionError):
    """No answer to use: a timeout, a connection error, 429/502/503/504 after retries,
    a redirect."""


def _render(value: Any) -> str | None:
    if value is None or (isinstance(value, bool) and not value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        kind = _render(value.get("__type"))
        message = _render(value.get("message"))
        details = []
        for key, item in value.items():
            if key in ("__type", "message"):
                continue
            text = _render(item)
            if text:
                details.append(f"{key}: {text}")
        head = ": ".join(p for p in (kind, message) if p)
        body = "; ".join(details)
        return (f"{head}: {body}" if head and body else head or body) or None
    if isinstance(value, list | tuple):
        return "; ".join(t for t in map(_render, value) if t) or None
    return str(value)


def error_text(error: Any) -> str | None:
    """CKAN's error object as one line for people, or None when it says nothing.

    ``{"__type": "Validation Error", "name": ["That URL is already in use."]}`` ->
    ``Validation Error: name: That URL is already in use.``: the kind, the message,
    then each field's errors (lists joined with ``; ``, nested objects alike); a plain
    text as it is. Cut at :data:`ERROR_TEXT_MAX` characters.
    """
    text = _render(error)
    if text is None:
        return None
    return text if len(text) <= ERROR_TEXT_MAX else text[: ERROR_TEXT_MAX - 3] + "..."


def json_kind(value: Any) -> str:
    """What a JSON value is, for messages: ``a list``, ``an object``, ``null``, ..."""
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _refused_class(status: int | None, kind: str | None) -> type[ActionRefused]:
    if status == 404 or kind == "Not Found Error":
        return ActionNotFound
    if status in (401, 403) or kind == "Authorization Error":
        return ActionNotAuthorized
    return ActionRefused


class CkanClient:
    """``client.call("package_show", {"id": ...})`` -> the result; thread-safe.

    ``token`` (optional for reads) goes in the ``Authorization`` header;
    ``writes_per_second`` caps write calls (None: no cap of its own); ``sleep`` waits
    between this client's retries (tests inject their own).
    """

    def __init__(
        self,
        http: HttpClient,
        site_url: str,
        token: str | None = None,
        *,
        writes_per_second: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = http
        self.site_url = site_url.rstrip("/")
        self._headers = {"Authorization": token} if token else {}
        self._secret = token
        self._writes = RateLimiter(writes_per_second) if writes_per_second else None
        self._sleep = sleep
        self._lock = threading.Lock()
        self.writes = 0
        self.reads = 0

    def __repr__(self) -> str:
        return f"CkanClient(site_url={self.site_url!r}, writes={self.writes}, reads={self.reads})"

    def action_url(self, action: str) -> str:
        return f"{self.site_url}/api/3/action/{action}"

    def scrub(self, text: str) -> str:
        """``text`` without the token."""
        return redact_secret(text, self._secret)

    def call(
        self,
        action: str,
        data: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        post: bool = False,
    ) -> Any:
        """Call ``action``; ``write`` marks a write call (a POST, counted and rate-capped),
        ``post`` sends a read as a POST too, so a redirect is reported, not followed.

        Returns CKAN's ``result``; raises :class:`ActionError` (see the module doc)."""
        url = self.action_url(action)
        data = data or {}
        method = "POST" if write or post else "GET"
        retried = RETRIED_BY_CLIENT[method]
        policy = self.http.retry
        attempt = 0
        while True:
            attempt += 1
            if write and self._writes is not None:
                self._writes.wait("write")
            with self._lock:
                if write:
                    self.writes += 1
                else:
                    self.reads += 1
            try:
                if method == "POST":
                    body = self.http.post_json(url, dict(data), headers=self._headers)
                else:
                    params = {k: v for k, v in data.items() if v is not None}
                    body = self.http.get_json(url, params=params or None, headers=self._headers)
            except HttpStatusError as exc:
                if exc.status in retried and attempt < policy.max_attempts:
                    delay = policy.backoff(attempt)
                    logger.info(
                        "retrying %s %s in %.1f s after HTTP %d (attempt %d/%d)",
                        method,
                        self.scrub(url),
                        delay,
                        exc.status,
                        attempt + 1,
                        policy.max_attempts,
                        extra={"event": "http_retry", "attempt": attempt + 1},
                    )
                    self._sleep(delay)
                    continue
                raise self._status_error(action, url, exc) from None
            except NotJsonError as exc:
                got = exc.content_type or "a body without Content-Type"
                raise ActionRefused(
                    f"not JSON: {got} with HTTP {exc.status}",
                    action=action,
                    url=url,
                    status=exc.status,
                ) from None
            except ResponseTooLarge as exc:
                raise ActionRefused(
                    self.scrub(str(exc)), action=action, url=url, status=exc.status
                ) from None
            except HttpError as exc:
                raise ActionUnanswered(
                    self.scrub(str(exc)), action=action, url=url, status=exc.status
                ) from None
            return self._unwrap(action, url, body)

    def _fields(self, error: Any) -> dict[str, Any]:
        if not isinstance(error, Mapping):
            return {}
        fields = {str(k): v for k, v in error.items() if k not in ("__type", "message")}
        if fields:  # CKAN may echo what was sent: keep the token out of these too
            fields = json.loads(self.scrub(json.dumps(fields, ensure_ascii=False, default=str)))
        return fields

    def _status_error(self, action: str, url: str, exc: HttpStatusError) -> ActionError:
        status = exc.status
        if not (status in (500, 501) or (400 <= status < 500 and status != 429)):
            return ActionUnanswered(self.scrub(str(exc)), action=action, url=url, status=status)
        payload = exc.payload
        error: Any = None
        message: str | None = None
        if isinstance(payload, str):
            message = payload.strip() or None
        elif isinstance(payload, Mapping):
            if "error" in payload:
                error = payload["error"]
                message = error_text(error)
            elif "message" in payload:
                message = error_text(payload["message"])
        detail = message or exc.excerpt
        reason = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
        kind = error_text(error.get("__type")) if isinstance(error, Mapping) else None
        cls = _refused_class(status, kind)
        return cls(
            self.scrub(reason),
            action=action,
            url=url,
            status=status,
            kind=kind,
            fields=self._fields(error),
        )

    def _unwrap(self, action: str, url: str, body: Any) -> Any:
        """CKAN's ``result``, or :class:`ActionRefused` saying what is wrong with ``body``.

        Besides CKAN's ``success``, a ``status`` that reads as success (``ok``, ``true``,
        ``2xx``) is accepted, as some portals imitating the Action API send."""
        if not isinstance(body, Mapping):
            raise ActionRefused(
                f"the reply is {json_kind(body)}, not a CKAN response object",
                action=action,
                url=url,
                status=200,
            )
        if "success" in body:
            if body["success"] is not True:
                error = body.get("error")
                kind = error_text(error.get("__type")) if isinstance(error, Mapping) else None
                message = error_text(error) or "no error message"
                raise _refused_class(None, kind)(
                    self.scrub(f"CKAN error: {message}"),
                    action=action,
                    url=url,
                    status=200,
                    kind=kind,
                    fields=self._fields(error),
                )
        elif "status" in body:
            status = body["status"]
            ok = status is True or (
                isinstance(status, int | str)
                and str(status).strip().lower().split(" ")[0] in ("ok", "success", "true")
            )
            if not ok and isinstance(status, int | str):
                ok = str(status).strip()[:1] == "2"
            if not ok:
                message = error_text(body.get("message")) or str(status)
                raise ActionRefused(
                    self.scrub(f"portal error: {message}"), action=action, url=url, status=200
                )
        if "result" not in body:
            raise ActionRefused("the reply has no result", action=action, url=url, status=200)
        return body["result"]
