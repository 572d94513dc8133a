"""The ``jsonapi`` source: the home-grown JSON API of a portal that is not CKAN.

Everything about the API lives in the source's ``jsonapi:`` block, so a new portal
needs a YAML file, not code:

- the request: ``url`` (the source's), ``method`` GET or POST, query ``params``, a
  JSON ``body`` (POST), extra ``headers``; a token from ``token_env`` goes into
  ``token_header`` (default ``Authorization: Bearer ...``), only for addresses on the
  source's own origin (a next link or detail URL elsewhere gets no token, nor does a
  redirect to another host; a list page read without the token that way makes the pass
  not complete, naming the address);
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
offset), after ``max_pages``, or when paging ends before the announced ``total`` was
read; an empty page while ``total`` promises more is asked for once more first. A
response that is not JSON, or in which ``records`` does not select a list, fails the
job with the URL in the message.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from urllib.parse import quote, urljoin

import httpx
import jmespath
from jmespath.exceptions import JMESPathError
from jmespath.parser import ParsedResult
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from satudata_cli.codecs.ckan.read import shape_for_field
from satudata_cli.core.configfile import (
    CREDENTIAL_HEADERS,
    ENV_VAR_HELP,
    SECRET_QUERY,
    KeyedValueError,
    secret_query_names,
)
from satudata_cli.core.http import HttpClient, HttpError, redact_url
from satudata_cli.sources.base import (
    PassInfo,
    RemoteRecord,
    SourceError,
    SourceSpec,
    lost_token,
    require_http,
)
from satudata_cli.standard.schema import load_standard

if TYPE_CHECKING:
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator

# -- the jsonapi: block ------------------------------------------------------------------


def _check_jmespath(value: str, what: str) -> str:
    """A JMESPath expression that compiles; the error names what it is for."""
    text = value.strip()
    if not text:
        raise ValueError(f"{what}: the JMESPath expression is empty")
    try:
        jmespath.compile(text)
    except JMESPathError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"{what}: not a valid JMESPath expression ({detail})") from None
    return text


JsonScalar = str | int | float | bool


#: Templates filled in any string of ``params`` and ``body`` on every request: the
#: paging position (``{start}``, ``{rows}``, ``{page}``, ``{cursor}``) and, in the body
#: only, the token from ``token_env`` (``{token}``).
_TEMPLATE = re.compile(r"\{(start|rows|page|cursor|token)\}")
_PAGING_TEMPLATES = frozenset({"start", "rows", "page", "cursor"})


def templates_in(value: Any) -> set[str]:
    """The template names used in the strings of ``value`` (nested lists and objects)."""
    if isinstance(value, str):
        return set(_TEMPLATE.findall(value))
    found: set[str] = set()
    if isinstance(value, Mapping):
        for item in value.values():
            found |= templates_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= templates_in(item)
    return found


def _fill(value: Any, values: Mapping[str, Any]) -> Any:
    """``value`` with its templates filled; a string that is one template alone takes
    the value as it is (``"{start}"`` -> ``0``, a number in a JSON body)."""
    if isinstance(value, str):
        whole = _TEMPLATE.fullmatch(value)
        if whole is not None:
            return values[whole.group(1)]
        return _TEMPLATE.sub(lambda m: str(values[m.group(1)]), value)
    if isinstance(value, Mapping):
        return {key: _fill(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    return value


class PaginationSettings(BaseModel):
    """How a JSON API is paged and when paging stops."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Pagination",
        json_schema_extra={
            "description": (
                "How the API is paged: none, offset (offset + limit), page (page number), "
                "next_link (a URL to the next page in the response), cursor (a cursor in "
                "the response sent back as a parameter). Paging stops at an empty page, a "
                "page shorter than limit, when total is reached, or when there is no next "
                "link or cursor. / Cara API membagi halaman dan kapan berhenti."
            )
        },
    )

    style: Literal["none", "offset", "page", "next_link", "cursor"] = Field(
        default="none", description="Paging style. / Gaya pembagian halaman."
    )
    limit: int | None = Field(
        default=None,
        ge=1,
        le=100000,
        description=(
            "Page size sent with limit_param; a page shorter than this is the last. / "
            "Ukuran halaman; halaman yang lebih pendek adalah yang terakhir."
        ),
    )
    limit_param: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Name of the page-size parameter (offset style: default limit). / Nama "
            "parameter ukuran halaman."
        ),
    )
    offset_param: str = Field(
        default="offset", min_length=1, description="offset style: the offset parameter."
    )
    page_param: str = Field(
        default="page", min_length=1, description="page style: the page-number parameter."
    )
    first_page: int = Field(default=1, ge=0, description="page style: number of the first page.")
    next: str | None = Field(
        default=None,
        description=(
            "next_link style: JMESPath to the next page's URL (absolute or relative), e.g. "
            "links.next. / JMESPath ke URL halaman berikutnya."
        ),
    )
    cursor: str | None = Field(
        default=None,
        description="cursor style: JMESPath to the next cursor, e.g. meta.next_cursor.",
    )
    cursor_param: str = Field(
        default="cursor", min_length=1, description="cursor style: parameter carrying it."
    )
    total: str | None = Field(
        default=None,
        description=(
            "JMESPath to the total number of records (e.g. meta.total); paging stops when "
            "that many were read. / JMESPath ke jumlah seluruh rekaman."
        ),
    )
    params_in: Literal["query", "body"] = Field(
        default="query",
        description=(
            "Where paging parameters go: the query string, or the JSON body (POST). / "
            "Letak parameter halaman: query string atau badan JSON (POST)."
        ),
    )
    max_pages: int = Field(
        default=10000,
        ge=1,
        le=1000000,
        description=(
            "Stop after this many pages (protection against an API that never ends); the "
            "pass is then not complete. / Berhenti setelah sekian halaman."
        ),
    )

    @field_validator("next", "cursor", "total")
    @classmethod
    def _expressions(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _check_jmespath(value, str(info.field_name))

    @model_validator(mode="after")
    def _style_needs(self) -> PaginationSettings:
        if self.style == "next_link" and self.next is None:
            raise KeyedValueError("next", "required for style next_link", anchor="style")
        if self.style == "cursor" and self.cursor is None:
            raise KeyedValueError("cursor", "required for style cursor", anchor="style")
        return self


class JsonApiSettings(BaseModel):
    """A JSON API of a portal that is not CKAN, described by configuration alone."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="JSON API",
        json_schema_extra={
            "description": (
                "Request, paging, where the records are and how their fields map onto the "
                "standard (JMESPath expressions). / Permintaan, halaman, letak rekaman dan "
                "pemetaan kolom (ekspresi JMESPath)."
            )
        },
    )

    method: Literal["GET", "POST"] = Field(default="GET", description="HTTP method.")
    params: dict[str, JsonScalar] = Field(
        default_factory=dict, description="Query parameters sent with every request."
    )
    body: dict[str, Any] | None = Field(
        default=None, description="JSON body for POST (paging parameters are added to it)."
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Extra request headers (never credentials: use token_env and token_header). / "
            "Header tambahan (bukan kredensial)."
        ),
    )
    token_header: str = Field(
        default="Authorization",
        min_length=1,
        description="Header carrying the token from token_env.",
    )
    token_prefix: str = Field(
        default="Bearer ", description="Text before the token in token_header."
    )
    records: str = Field(
        description=(
            "JMESPath to the list of records in a response, e.g. result, data, "
            "result.items. / JMESPath ke daftar rekaman dalam respons."
        ),
    )
    id: str = Field(
        description=(
            "JMESPath (within one record) to its stable remote id, e.g. id or slug. / "
            "JMESPath ke pengenal rekaman."
        ),
    )
    fields: dict[str, str] = Field(
        min_length=1,
        description=(
            "Satu Data field -> JMESPath within one record, e.g. title: judul, tags: "
            "tags[].name, kontak: {nama: pic, email: email_pic}. / Kolom Satu Data -> "
            "JMESPath."
        ),
    )
    modified: str | None = Field(
        default=None,
        description="JMESPath to the record's last-modified time (kept with the record).",
    )
    detail_url: str | None = Field(
        default=None,
        description=(
            "URL template of one record's detail, with {id} (absolute, or relative to "
            "url), for lists that do not describe records fully. / Templat URL detail "
            "rekaman dengan {id}."
        ),
    )
    detail_record: str = Field(
        default="@",
        description=(
            "JMESPath to the record in a detail response (e.g. result); it is merged over "
            "the list entry before the fields are mapped."
        ),
    )
    pagination: PaginationSettings = Field(default_factory=PaginationSettings)

    @field_validator("records", "id", "modified", "detail_record")
    @classmethod
    def _expression(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _check_jmespath(value, str(info.field_name))

    @field_validator("fields")
    @classmethod
    def _field_expressions(cls, value: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, expression in value.items():
            if not str(name).strip():
                raise KeyedValueError(str(name), "the field name is empty")
            try:
                out[str(name).strip()] = _check_jmespath(str(expression), str(name))
            except ValueError as exc:
                raise KeyedValueError(str(name), str(exc)) from None
        return out

    @field_validator("headers")
    @classmethod
    def _no_credentials(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            folded = name.lower().replace("-", "_")
            if folded in CREDENTIAL_HEADERS or SECRET_QUERY.search(folded):
                raise KeyedValueError(name, ENV_VAR_HELP + " (and token_header)")
        return value

    @field_validator("detail_url")
    @classmethod
    def _detail(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "{id}" not in value:
            raise ValueError("must contain {id}, where the record's id goes")
        if secret_query_names(value.replace("{id}", "x")):
            raise ValueError(f"must not carry a key or token in the query string; {ENV_VAR_HELP}")
        return value.strip()

    @field_validator("params")
    @classmethod
    def _no_secret_params(cls, value: dict[str, JsonScalar]) -> dict[str, JsonScalar]:
        for name in value:
            if SECRET_QUERY.search(name.lower().replace("-", "_")):
                raise KeyedValueError(name, ENV_VAR_HELP)
        return value

    @model_validator(mode="after")
    def _body_needs_post(self) -> JsonApiSettings:
        if self.body is not None and self.method != "POST":
            raise KeyedValueError("body", "a JSON body needs method: POST", anchor="body")
        in_params, in_body = templates_in(self.params), templates_in(self.body)
        if "token" in in_params:
            raise KeyedValueError(
                "params", f"{{token}} only goes in the body, never in the query; {ENV_VAR_HELP}"
            )
        used = in_params | in_body
        paging = self.pagination
        if "rows" in used and not paging.limit:
            raise KeyedValueError(
                "pagination", "{rows} needs pagination.limit", anchor="pagination"
            )
        if "cursor" in used and paging.style != "cursor":
            raise KeyedValueError(
                "pagination", "{cursor} needs pagination.style cursor", anchor="pagination"
            )
        if self.pagination.params_in == "body" and self.method != "POST":
            raise KeyedValueError(
                "pagination", "params_in: body needs method: POST", anchor="pagination"
            )
        return self


# -- the source ------------------------------------------------------------------------


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
        self._secrets: set[str] = set()  # the token, once read: kept out of every message
        self._token: str | None = None
        #: paging parameters written by templates in params/body: the pager adds none
        self._templated = bool(
            (templates_in(api.params) | templates_in(api.body)) & _PAGING_TEMPLATES
        )

    # -- requests --------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = dict(self.api.headers)
        token = self.config.resolve_token()
        self._token = token
        if token is not None:
            headers[self.api.token_header] = f"{self.api.token_prefix}{token}"
            self._secrets = {token, headers[self.api.token_header]}
        return headers

    def _same_origin(self, url: str) -> bool:
        here, there = httpx.URL(self.url), httpx.URL(url)
        return (here.scheme, here.host, here.port) == (there.scheme, there.host, there.port)

    def _shown(self, url: str) -> str:
        """``url`` for a message: secret-looking parameters and the token masked (an API
        may reflect the token into a next link)."""
        return redact_url(url, self._secrets)

    def _for(self, url: str, headers: Mapping[str, str]) -> Mapping[str, str]:
        """The headers for ``url``: the token only goes to the source's own origin (a
        next link or detail URL on another host gets none)."""
        if self.api.token_header not in headers or self._same_origin(url):
            return headers
        return {k: v for k, v in headers.items() if k != self.api.token_header}

    def _fetch(
        self,
        url: str,
        paging: Mapping[str, Any],
        headers: Mapping[str, str],
        position: Mapping[str, Any] | None = None,
    ) -> Any:
        api = self.api
        headers = self._for(url, headers)
        in_body = api.pagination.params_in == "body"
        values = {"start": 0, "rows": "", "page": 1, "cursor": "", **(position or {})}
        # the token only goes to the source's own origin, like the token header
        values["token"] = (self._token or "") if self._same_origin(url) else ""
        if self._templated:
            paging = {}  # the templates carry the paging position
        query: dict[str, Any] = _fill(api.params, values)
        if not in_body:
            query.update(paging)
        target = _with_params(url, query)
        try:
            if api.method == "POST":
                body = _fill(dict(api.body or {}), values)
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
                f"detail of {remote_id!r} from {self._shown(url)}: {self.api.detail_record!r} "
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

    def _pager(self) -> _Pager:
        paging = self.api.pagination
        if paging.style == "offset":
            return _OffsetPager(paging, self.url)
        if paging.style == "page":
            return _PagePager(paging, self.url)
        if paging.style == "next_link":
            assert self._next is not None  # the settings require next for this style
            return _NextLinkPager(paging, self.url, self._next)
        if paging.style == "cursor":
            assert self._cursor is not None  # the settings require cursor for this style
            return _CursorPager(paging, self.url, self._cursor)
        return _Pager(paging, self.url)

    def _items(self, body: Any, url: str, number: int) -> list[Any]:
        """The records of one page; [] for a later page without the list."""
        items = self._records.search(body)
        if items is None and number == 1:
            keys = ", ".join(map(str, body)) if isinstance(body, dict) else type(body).__name__
            raise SourceError(
                f"source {self.config.id}: the response from {self._shown(url)} has "
                f"nothing at jsonapi.records {self.api.records!r} (top level: {keys})"
            )
        if items is None:
            return []  # a later page without the list: the end
        if not isinstance(items, list):
            raise SourceError(
                f"source {self.config.id}: in the response from {self._shown(url)}, "
                f"jsonapi.records {self.api.records!r} selects "
                f"{type(items).__name__}, not a list"
            )
        return items

    def _total_of(self, body: Any) -> int | None:
        """The total number of records the response announces (``pagination.total``)."""
        total = self._total.search(body) if self._total is not None else None
        return total if isinstance(total, int) and not isinstance(total, bool) else None

    def _reached_total(self, body: Any, count: int) -> bool:
        total = self._total_of(body)
        return total is not None and count >= total

    def _short_of_total(self, body: Any, count: int, why: str) -> str | None:
        """Why the pass is not complete when paging ended (``why``) before the announced
        total was read; None when there is no total or it was reached."""
        total = self._total_of(body)
        if total is None or count >= total:
            return None
        return (
            f"{why} although jsonapi.pagination.total ({self.api.pagination.total}) says "
            f"{total}; {count} record(s) were read"
        )

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        self.pass_info = info = PassInfo(incremental=False)
        max_pages = self.api.pagination.max_pages
        pager = self._pager()
        headers = self._headers()
        walk = _Walk()
        complete = False
        dropped_before = len(self.http.credentials_dropped())
        elsewhere: str | None = None  # a page on another origin, where the token stays home
        for number in range(1, max_pages + 1):
            url, params = pager.url, pager.params(number)
            if elsewhere is None and self._for(url, headers) is not headers:
                elsewhere = self._shown(url)
            stop = walk.repeated_request(url, params, number, self._shown(url))
            if stop:
                info.gaps.append(stop)
                break
            position = pager.position(number)
            body = self._fetch(url, params, headers, position)
            items = self._items(body, url, number)
            if number == 1 and (total := self._total_of(body)) is not None and total >= 0:
                info.expected = total
            if not items and self._short_of_total(body, walk.count, ""):
                # the total promises more: a passing hiccup, or an API whose total lies;
                # ask once more before judging
                body = self._fetch(url, params, headers, position)
                items = self._items(body, url, number)
            if not items:
                gap = self._short_of_total(
                    body, walk.count, f"page {number} ({self._shown(url)}) was empty (asked twice)"
                )
                if gap:
                    info.gaps.append(gap)
                complete = gap is None
                break
            stop = walk.repeated_page(items, number)
            if stop:
                info.gaps.append(stop)
                break
            for index, item in enumerate(items, start=1):
                if limit is not None and walk.count >= limit:
                    info.notes.append(f"stopped after --limit {limit} records")
                    info.complete = False
                    return
                result = self._record(item, f"page {number} item {index}", headers, walk.seen)
                if result.record is None and result.remote_id.startswith("#"):
                    walk.errored += 1
                walk.count += 1
                yield result
            if self._reached_total(body, walk.count):
                complete = True
                break
            if not pager.advance(body, items):
                gap = self._short_of_total(body, walk.count, f"paging ended at page {number}")
                if gap:
                    info.gaps.append(gap)
                complete = gap is None
                break
        else:
            info.gaps.append(f"stopped after jsonapi.pagination.max_pages ({max_pages}) pages")
        info.notes.append(f"{walk.count} record(s) read")
        if elsewhere is not None:
            info.gaps.append(
                f"the next page is at {elsewhere}, another host, where the token is not "
                "sent: records only the token can see may be missing"
            )
        if self.api.token_header in headers and (gap := lost_token(self.http, dropped_before)):
            info.gaps.append(gap)
        if walk.errored:  # their datasets cannot be matched to what is stored
            info.gaps.append(f"{walk.errored} record(s) without a usable id")
        info.complete = complete and walk.errored == 0


# -- paging: one pager per style ---------------------------------------------------------


class _Pager:
    """Style ``none``: one request, one page. The other styles override
    :meth:`params` (the paging parameters of request ``number``) and :meth:`advance`
    (after a page: move to the next one, or False when that page was the last)."""

    def __init__(self, paging: PaginationSettings, url: str) -> None:
        self.paging = paging
        self.url = url

    def params(self, number: int) -> dict[str, Any]:
        return {}

    def position(self, number: int) -> dict[str, Any]:
        """The values of the paging templates for request ``number``: ``start`` (the
        offset of its first record), ``rows`` (the limit), ``page``, ``cursor``."""
        paging = self.paging
        rows = paging.limit or 0
        start = self._start(number, rows)
        page = paging.first_page + (start // rows if rows else number - 1)
        return {"start": start, "rows": paging.limit or "", "page": page, "cursor": ""}

    def _start(self, number: int, rows: int) -> int:
        return (number - 1) * rows

    def advance(self, body: Any, items: list[Any]) -> bool:
        return False

    def _size(self) -> dict[str, Any]:
        """The page-size parameter, when there is a limit (offset: ``limit`` by default)."""
        paging = self.paging
        name = paging.limit_param or ("limit" if paging.style == "offset" else None)
        return {name: paging.limit} if name and paging.limit else {}

    def _short(self, items: list[Any]) -> bool:
        """A page shorter than the limit is the last."""
        return bool(self.paging.limit) and len(items) < (self.paging.limit or 0)


class _OffsetPager(_Pager):
    """``offset``: the offset of the first record, then the size."""

    def __init__(self, paging: PaginationSettings, url: str) -> None:
        super().__init__(paging, url)
        self.offset = 0

    def params(self, number: int) -> dict[str, Any]:
        return {self.paging.offset_param: self.offset, **self._size()}

    def _start(self, number: int, rows: int) -> int:
        return self.offset

    def advance(self, body: Any, items: list[Any]) -> bool:
        if self._short(items):
            return False
        self.offset += len(items)
        return True


class _PagePager(_Pager):
    """``page``: page numbers from ``first_page``."""

    def __init__(self, paging: PaginationSettings, url: str) -> None:
        super().__init__(paging, url)
        self.page = paging.first_page

    def params(self, number: int) -> dict[str, Any]:
        return {self.paging.page_param: self.page, **self._size()}

    def _start(self, number: int, rows: int) -> int:
        return (self.page - self.paging.first_page) * rows

    def advance(self, body: Any, items: list[Any]) -> bool:
        if self._short(items):
            return False
        self.page += 1
        return True


class _NextLinkPager(_Pager):
    """``next_link``: each response names the next page's URL (no parameters)."""

    def __init__(self, paging: PaginationSettings, url: str, following: ParsedResult) -> None:
        super().__init__(paging, url)
        self.following = following

    def advance(self, body: Any, items: list[Any]) -> bool:
        found = self.following.search(body)
        if not isinstance(found, str) or not found.strip():
            return False
        self.url = urljoin(self.url, found.strip())
        return True


class _CursorPager(_Pager):
    """``cursor``: each response carries the cursor sent back for the next page."""

    def __init__(self, paging: PaginationSettings, url: str, cursor: ParsedResult) -> None:
        super().__init__(paging, url)
        self.cursor_at = cursor
        self.cursor: Any = None

    def params(self, number: int) -> dict[str, Any]:
        first = {} if self.cursor is None else {self.paging.cursor_param: self.cursor}
        return {**first, **self._size()}

    def position(self, number: int) -> dict[str, Any]:
        return {**super().position(number), "cursor": "" if self.cursor is None else self.cursor}

    def advance(self, body: Any, items: list[Any]) -> bool:
        found = self.cursor_at.search(body)
        if _empty(found) or found is False:
            return False
        self.cursor = found
        return True


class _Walk:
    """What one pass has seen: requests and pages (to notice an API going round in
    circles), record ids, and counts."""

    def __init__(self) -> None:
        self.requests: set[str] = set()
        self.pages: dict[str, int] = {}
        self.seen: set[str] = set()
        self.count = 0
        self.errored = 0

    def repeated_request(
        self, url: str, params: Mapping[str, Any], number: int, shown: str
    ) -> str | None:
        key = json.dumps([url, params], sort_keys=True, default=str)
        if key in self.requests:
            return f"page {number} would repeat an earlier request ({shown}): stopped"
        self.requests.add(key)
        return None

    def repeated_page(self, items: list[Any], number: int) -> str | None:
        digest = hashlib.sha256(json.dumps(items, sort_keys=True, default=str).encode()).hexdigest()
        if digest in self.pages:
            return (
                f"page {number} repeats page {self.pages[digest]} (the API ignores the paging "
                "parameters?): stopped"
            )
        self.pages[digest] = number
        return None


# -- registration (see satudata_cli.sources.registry) ---------------------------------


def _build(config: SourceConfig, validator: Validator, http: HttpClient | None) -> JsonApiSource:
    return JsonApiSource(config, require_http(config, http))


SPEC = SourceSpec(
    name="jsonapi",
    summary="the JSON API of a portal that is not CKAN, described in its jsonapi: block",
    location="url",
    build=_build,
    incremental=JsonApiSource.incremental,
    settings=JsonApiSettings,
    settings_required=True,
    settings_hint="records, id, fields",
    settings_summary=(
        "type jsonapi (required): request, paging, record list and field mapping. / "
        "Wajib untuk type jsonapi."
    ),
)
