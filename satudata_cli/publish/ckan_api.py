"""A small client of CKAN's Action API for publishing, on top of :class:`HttpClient`.

What it adds to the shared HTTP client (timeouts, backoff on 429/503 with Retry-After,
rate limit, cap on requests in flight, secrets scrubbed from messages):

- the envelope: ``result`` on success; CKAN's ``error`` object turned into
  :class:`ActionError` with ``kind`` (``__type``) and ``fields`` (the field errors of a
  409), or :class:`ActionNotFound` / :class:`ActionNotAuthorized`;
- reads are GETs (retried by the client after 502/504 and read timeouts too); write
  calls (``write=True``) are POSTs, counted (:attr:`CkanApi.writes`) and spaced by a
  second rate limit (``http.writes_per_second``);
- a write answered with HTTP 500/502/504 is tried again with backoff: CKAN writes of
  satudata are safe to repeat (an update sets the same state again; a repeated create
  meets "name already in use" and the publisher then finds its own dataset);
- the token goes in the ``Authorization`` header only; it never appears in a message.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from satudata_cli.core.http import (
    HttpClient,
    HttpError,
    HttpStatusError,
    RateLimiter,
    redact_secret,
)
from satudata_cli.publish.errors import PublishError

__all__ = ["ActionError", "ActionNotAuthorized", "ActionNotFound", "CkanApi", "error_text"]

_RETRY_WRITE = frozenset({500, 502, 504})


class ActionError(PublishError):
    """CKAN refused an action. ``fields``: the field errors of a validation error."""

    def __init__(
        self,
        message: str,
        *,
        action: str,
        status: int | None,
        kind: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.action = action
        self.status = status
        self.kind = kind
        self.fields: dict[str, Any] = dict(fields or {})


class ActionNotFound(ActionError):
    """HTTP 404 / "Not Found Error"."""


class ActionNotAuthorized(ActionError):
    """HTTP 403 / "Authorization Error" (CKAN's answer to a missing or wrong token)."""


def error_text(error: Any) -> str:
    """CKAN's error object as one line: ``Validation Error: name: That URL is already in use.``"""
    if isinstance(error, str):
        return error.strip()
    if not isinstance(error, Mapping):
        return str(error)
    kind = error.get("__type")
    message = error.get("message")
    details = []
    for key, value in error.items():
        if key in ("__type", "message") or value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            value = "; ".join(
                error_text(v) if isinstance(v, Mapping) else str(v) for v in value if v
            )
        elif isinstance(value, Mapping):
            value = error_text(value)
        details.append(f"{key}: {value}")
    head = ": ".join(str(p) for p in (kind, message) if p)
    body = "; ".join(details)
    return f"{head}: {body}" if head and body else head or body or "unknown error"


class CkanApi:
    """``api.call("package_show", {"id": ...})`` -> the result; thread-safe."""

    def __init__(
        self,
        http: HttpClient,
        site_url: str,
        token: str,
        *,
        writes_per_second: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = http
        self.site_url = site_url.rstrip("/")
        self._headers = {"Authorization": token}
        self._secret = token
        self._writes = RateLimiter(writes_per_second)
        self._sleep = sleep
        self._lock = threading.Lock()
        self.writes = 0
        self.reads = 0

    def __repr__(self) -> str:
        return f"CkanApi(site_url={self.site_url!r}, writes={self.writes}, reads={self.reads})"

    def _scrub(self, text: str) -> str:
        return redact_secret(text, self._secret)

    def call(
        self, action: str, data: Mapping[str, Any], *, write: bool = False, post: bool = False
    ) -> Any:
        """Call ``action``; ``write`` marks a write call (a POST, counted and rate-capped),
        ``post`` sends a read as a POST too, so a redirect is reported, not followed."""
        url = f"{self.site_url}/api/3/action/{action}"
        attempt = 0
        policy = self.http.retry
        while True:
            attempt += 1
            if write:
                self._writes.wait("write")
            with self._lock:
                if write:
                    self.writes += 1
                else:
                    self.reads += 1
            try:
                if write or post:
                    body = self.http.post_json(url, dict(data), headers=self._headers)
                else:  # a GET: the client also retries it after 502/504 and read timeouts
                    params = {k: v for k, v in data.items() if v is not None}
                    body = self.http.get_json(url, params=params or None, headers=self._headers)
            except HttpStatusError as exc:
                if write and exc.status in _RETRY_WRITE and attempt < policy.max_attempts:
                    self._sleep(policy.backoff(attempt))
                    continue
                raise self._action_error(action, exc) from None
            except HttpError as exc:
                raise ActionError(self._scrub(str(exc)), action=action, status=exc.status) from None
            if not isinstance(body, Mapping) or body.get("success") is not True:
                error = body.get("error") if isinstance(body, Mapping) else body
                raise ActionError(
                    self._scrub(f"{action}: {error_text(error)}"), action=action, status=200
                )
            return body.get("result")

    def _action_error(self, action: str, exc: HttpStatusError) -> ActionError:
        payload = exc.payload
        error = payload.get("error") if isinstance(payload, Mapping) else payload
        kind = error.get("__type") if isinstance(error, Mapping) else None
        if 300 <= exc.status < 400:  # the client's message names where it redirects to
            message = self._scrub(f"{action}: {exc}")
        else:
            text = error_text(error) if error not in (None, "") else exc.excerpt
            message = self._scrub(f"{action}: HTTP {exc.status}: {text}")
        fields = (
            {k: v for k, v in error.items() if k not in ("__type", "message")}
            if isinstance(error, Mapping)
            else {}
        )
        if fields:  # CKAN may echo what was sent: keep the token out of these too
            fields = json.loads(self._scrub(json.dumps(fields, ensure_ascii=False)))
        cls: type[ActionError] = ActionError
        if exc.status == 404 or kind == "Not Found Error":
            cls = ActionNotFound
        elif exc.status in (401, 403) or kind == "Authorization Error":
            cls = ActionNotAuthorized
        return cls(message, action=action, status=exc.status, kind=kind, fields=fields)
