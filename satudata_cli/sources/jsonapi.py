"""The ``jsonapi`` source: the home-grown JSON API of a portal that is not CKAN.

Everything about the API lives in the source's ``jsonapi:`` block, so a new portal
needs a YAML file, not code:

- the request: ``url`` (the source's), ``method`` GET or POST, query ``params``, a
  JSON ``body`` (POST), extra ``headers``; a token from ``token_env`` goes into
  ``token_header`` (default ``Authorization: Bearer ...``), only for addresses on the
  source's own origin (a next link or detail URL elsewhere gets no token);
- ``records``: a JMESPath expression selecting the list of records in a response
  (``result``, ``data``, ``result.items``), whatever the envelope around it
  (``{"status": "200 OK", "message": ..., "result": [...]}``,
  ``{"data": [...], "meta": {"total": N}}``);
- ``id``: a JMESPath within one record to its stable id; ``fields``: one JMESPath per
  Satu Data field (``title: judul``, ``tags: tags[].name``, ``kontak: {nama: pic,
  email: email_pic}``); values are shaped for their field as CKAN extras are (a
  ``"a; b"`` text becomes a list for ``tags``); ``modified``: the record's
  last-modified time;
- ``detail_url`` (with ``{id}``) and ``detail_record``: when the list gives only a
  summary, each record's detail is fetched and merged over the list entry before the
  fields are mapped; a detail that fails is an errored record;
- ``pagination``: ``style`` none, offset (``offset_param`` + ``limit_param``/``limit``),
  page (``page_param`` from ``first_page``), next_link (``next``: JMESPath to the next
  page's URL) or cursor (``cursor``: JMESPath to the next cursor, sent back as
  ``cursor_param``); paging parameters go in the query or, for POST, in the body
  (``params_in``).

Paging stops, and the pass is complete, at an empty page, a page shorter than
``limit``, when ``total`` (JMESPath) records were read, or when there is no next link
or cursor. It stops without being complete (so nothing is withdrawn) when a request is
about to be repeated, when a page repeats an earlier page (an API that ignores the
offset), or after ``max_pages``. A response that is not JSON, or in which ``records``
does not select a list, fails the job with the URL in the message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import quote, urljoin

import httpx
import jmespath
from jmespath.parser import ParsedResult

from satudata_cli.codecs.ckan.read import shape_for_field
from satudata_cli.core.http import HttpClient, HttpError, redact_url
from satudata_cli.sources.base import PassInfo, RemoteRecord, SourceError
from satudata_cli.sources.config import JsonApiSettings, SourceConfig
from satudata_cli.standard.schema import load_standard


def _with_params(url: str, params: Mapping[str, Any]) -> str:
    """``url`` with ``params`` added to (or replacing those in) its query string."""
    if not params:
        return url
    text = {k: (json.dumps(v) if isinstance(v, bool) else str(v)) for k, v in params.items()}
    return str(httpx.URL(url).copy_merge_params(text))


def _id_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class JsonApiSource:
    incremental: ClassVar[bool] = False

    def __init__(self, config: SourceConfig, http: HttpClient) -> None:
        if config.jsonapi is None or config.url is None:
            raise SourceError(f"source {config.id}: type jsonapi needs url and a jsonapi block")
        self.config = config
        self.api: JsonApiSettings = config.jsonapi
        self.http = http
        http.protect_header(config.jsonapi.token_header)  # whatever the portal calls it
        self.url: str = config.url
        self.pass_info = PassInfo()
        api = self.api
        self._records = jmespath.compile(api.records)
        self._id = jmespath.compile(api.id)
        self._fields: dict[str, ParsedResult] = {
            name: jmespath.compile(expression) for name, expression in api.fields.items()
        }
        self._modified = jmespath.compile(api.modified) if api.modified else None
        self._detail = jmespath.compile(api.detail_record)
        paging = api.pagination
        self._next = jmespath.compile(paging.next) if paging.next else None
        self._cursor = jmespath.compile(paging.cursor) if paging.cursor else None
        self._total = jmespath.compile(paging.total) if paging.total else None
        self._standard = load_standard()

    # -- requests --------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = dict(self.api.headers)
        token = self.config.resolve_token()
        if token is not None:
            headers[self.api.token_header] = f"{self.api.token_prefix}{token}"
        return headers

    def _for(self, url: str, headers: Mapping[str, str]) -> Mapping[str, str]:
        """The headers for ``url``: the token only goes to the source's own origin (a
        next link or detail URL on another host gets none)."""
        if self.api.token_header not in headers:
            return headers
        here, there = httpx.URL(self.url), httpx.URL(url)
        if (here.scheme, here.host, here.port) == (there.scheme, there.host, there.port):
            return headers
        return {k: v for k, v in headers.items() if k != self.api.token_header}

    def _fetch(self, url: str, paging: Mapping[str, Any], headers: Mapping[str, str]) -> Any:
        api = self.api
        headers = self._for(url, headers)
        in_body = api.pagination.params_in == "body"
        query: dict[str, Any] = dict(api.params)
        if not in_body:
            query.update(paging)
        target = _with_params(url, query)
        try:
            if api.method == "POST":
                body = dict(api.body or {})
                if in_body:
                    body.update(paging)
                return self.http.post_json(target, body, headers=headers)
            return self.http.get_json(target, headers=headers)
        except HttpError as exc:
            raise SourceError(f"source {self.config.id}: {exc}") from exc

    # -- records ---------------------------------------------------------------------

    def _map(self, item: Mapping[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        fields = self._standard.fields
        for name, expression in self._fields.items():
            value = expression.search(item)
            if _empty(value):
                continue
            value = shape_for_field(value, fields.get(name))
            if not _empty(value):
                record[name] = value
        return record

    def _detail_of(
        self, remote_id: str, item: Mapping[str, Any], headers: Mapping[str, str]
    ) -> Mapping[str, Any] | str:
        """The list entry merged with its detail, or the reason it could not be had."""
        template = self.api.detail_url
        if template is None:
            return item
        url = urljoin(self.url, template.replace("{id}", quote(remote_id, safe="")))
        try:
            body = self.http.get_json(url, headers=self._for(url, headers))
        except HttpError as exc:
            return f"detail of {remote_id!r}: {exc}"
        detail = self._detail.search(body)
        if not isinstance(detail, Mapping):
            return (
                f"detail of {remote_id!r} from {redact_url(url)}: {self.api.detail_record!r} "
                "does not select an object"
            )
        return {**item, **detail}

    def _record(
        self, item: Any, where: str, headers: Mapping[str, str], seen: set[str]
    ) -> RemoteRecord:
        if not isinstance(item, Mapping):
            return RemoteRecord(f"#{where}", None, error=f"{where} is not a JSON object")
        remote_id = _id_text(self._id.search(item))
        if remote_id is None:
            return RemoteRecord(
                f"#{where}",
                None,
                error=f"{where}: {self.api.id!r} gives no id (text or a whole number)",
            )
        if remote_id in seen:
            return RemoteRecord(
                remote_id, None, error=f"{where}: id {remote_id!r} came twice; the first is kept"
            )
        seen.add(remote_id)
        full = self._detail_of(remote_id, item, headers)
        if isinstance(full, str):
            return RemoteRecord(remote_id, None, error=full)
        modified = self._modified.search(full) if self._modified is not None else None
        return RemoteRecord(
            remote_id,
            self._map(full),
            remote_modified=str(modified) if not _empty(modified) else None,
        )

    # -- paging ----------------------------------------------------------------------

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        self.pass_info = info = PassInfo(incremental=False)
        paging = self.api.pagination
        headers = self._headers()
        url = self.url
        offset, page, cursor = 0, paging.first_page, None
        size_param = paging.limit_param or ("limit" if paging.style == "offset" else None)
        requests: set[str] = set()
        pages: dict[str, int] = {}
        seen: set[str] = set()
        count = 0
        errored = 0
        complete = False
        for number in range(1, paging.max_pages + 1):
            params: dict[str, Any] = {}
            if paging.style == "offset":
                params[paging.offset_param] = offset
            elif paging.style == "page":
                params[paging.page_param] = page
            elif paging.style == "cursor" and cursor is not None:
                params[paging.cursor_param] = cursor
            if size_param and paging.limit and paging.style in ("offset", "page", "cursor"):
                params[size_param] = paging.limit
            if paging.style == "next_link" and number > 1:
                params = {}
            key = json.dumps([url, params], sort_keys=True, default=str)
            if key in requests:
                info.notes.append(
                    f"page {number} would repeat an earlier request ({redact_url(url)}): "
                    "stopped; the pass is not complete"
                )
                break
            requests.add(key)
            body = self._fetch(url, params, headers)
            items = self._records.search(body)
            if items is None and number == 1:
                keys = ", ".join(map(str, body)) if isinstance(body, dict) else type(body).__name__
                raise SourceError(
                    f"source {self.config.id}: the response from {redact_url(url)} has "
                    f"nothing at jsonapi.records {self.api.records!r} (top level: {keys})"
                )
            if items is None:
                items = []  # a later page without the list: the end
            if not isinstance(items, list):
                raise SourceError(
                    f"source {self.config.id}: in the response from {redact_url(url)}, "
                    f"jsonapi.records {self.api.records!r} selects "
                    f"{type(items).__name__}, not a list"
                )
            if not items:
                complete = True
                break
            digest = hashlib.sha256(
                json.dumps(items, sort_keys=True, default=str).encode()
            ).hexdigest()
            if digest in pages:
                info.notes.append(
                    f"page {number} repeats page {pages[digest]} (the API ignores the paging "
                    "parameters?): stopped; the pass is not complete"
                )
                break
            pages[digest] = number
            for index, item in enumerate(items, start=1):
                if limit is not None and count >= limit:
                    info.notes.append(f"stopped after --limit {limit} records")
                    info.complete = False
                    return
                result = self._record(item, f"page {number} item {index}", headers, seen)
                if result.record is None and result.remote_id.startswith("#"):
                    errored += 1
                count += 1
                yield result
            total = self._total.search(body) if self._total is not None else None
            if isinstance(total, int) and not isinstance(total, bool) and count >= total:
                complete = True
                break
            if paging.style == "none":
                complete = True
                break
            if paging.style in ("offset", "page"):
                if paging.limit and len(items) < paging.limit:
                    complete = True
                    break
                offset += len(items)
                page += 1
            elif paging.style == "next_link":
                assert self._next is not None
                following = self._next.search(body)
                if not isinstance(following, str) or not following.strip():
                    complete = True
                    break
                url = urljoin(url, following.strip())
            else:
                assert self._cursor is not None
                found = self._cursor.search(body)
                if _empty(found) or found is False:
                    complete = True
                    break
                cursor = found
        else:
            info.notes.append(
                f"stopped after jsonapi.pagination.max_pages ({paging.max_pages}) pages; "
                "the pass is not complete"
            )
        info.notes.append(f"{count} record(s) read")
        if errored:
            info.notes.append(
                f"{errored} record(s) without a usable id (the pass is not complete: nothing "
                "is withdrawn)"
            )
        info.complete = complete and errored == 0
