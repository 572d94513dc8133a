"""The ``ckan`` source: dataset metadata from a CKAN portal's Action API.

How the datasets are listed, in order of preference (each step is logged on the
``satudata.sources.ckan`` logger and written to ``pass_info.notes``):

1. ``package_search``, paged with ``rows`` up to 1000 and ``sort=id asc``; the filters
   of the source go into ``fq`` (``organization:``, ``tags:``), the free-text query into
   ``q``, and an incremental pass adds ``metadata_modified:[<since>Z TO *]``. With a
   token, ``include_private=true``. ``count`` is never trusted alone:

   - paging stops on an empty page, on a page whose ids were all seen before (a portal
     that ignores ``start``: noted, and the pass is not complete unless the distinct ids
     reached ``count``), or on a page shorter than a full page once ``start`` has
     reached ``count`` and an earlier full page has shown that the portal honours
     ``rows`` (so a one-page listing is confirmed by an empty second page, and a portal
     that caps ``rows`` lower *and* under-reports ``count`` is still read to the end);
   - an empty page while ``count`` still promises more is asked for once more (a busy
     search index may answer one empty page); empty again, paging stops and the pass
     is not complete (nothing is withdrawn), as it is whenever the pages end holding
     fewer datasets than ``count`` (a count that lies upwards); a smaller count does not
     stop paging while full pages keep coming (noted);
   - ids are de-duplicated across pages, so a dataset inserted while paging (which
     shifts the offsets by one) cannot yield a duplicate. It could make the pass miss
     the inserted dataset itself (it sorts before pages already read); therefore, when
     ``count`` changed between the first and the last page, the listing is read again
     from the start, once, picking up unseen ids only (stopping as soon as as many new
     ids as the count grew by were found). A dataset *deleted* while paging can shift
     one other dataset past the pages for this pass; that one is then missing from a
     single pass only, which never withdraws it (withdrawal needs ``grace_days`` of
     absence), and the next pass sees it again.

2. When ``package_search`` is refused or broken (HTTP 400/403/404/409/500 after
   retries, any other 4xx but 429, a body that is not JSON, ``success: false``, or a
   result without a list of results), ``current_package_list_with_resources`` paged
   with ``limit``/``offset`` until an empty (or repeated) page. CKAN lists it newest
   first, so a dataset changed while paging moves to the front and can shift another
   past the pages: a miss for that single pass only, as above.

3. When that fails too, ``package_list`` and one ``package_show`` per name, with at most
   ``http.concurrency`` requests in flight (a thread pool with a bounded window, so an
   early stop leaves no backlog). A package that vanished between the list and the show
   (404) is skipped and counted in a note; another failure of one ``package_show`` is an
   errored record and the pass goes on.

   In both fallbacks the filters (organizations, tags, query) and ``since`` are applied
   on the client side (noted); the query there is a plain word match (every word must
   occur in the name, title, notes, tags, organization or extras), not Solr's search.
   With a token, a pass through ``package_list`` is never complete: that action names
   public datasets only.

Records de-duplicated across steps: when a step breaks after some pages, the next
one skips ids already yielded. If every step fails, :class:`SourceError` names each
URL and reason. Every request goes through the CKAN codec's one Action API client
(:class:`~satudata_cli.codecs.ckan.client.CkanClient`, which also documents the retry
policy): HTTP 500 is retried with the client's backoff (CKAN answers 500 for passing
trouble such as a busy search index), then counts as refused. Timeouts, connection
errors and HTTP 429/502/503/504 that outlast the retries are not "refused"
(:class:`~satudata_cli.codecs.ckan.client.ActionUnanswered`): they end the pass with a
:class:`SourceError` at once (a fallback would only put more load on a portal that is
struggling).

The API token (``token_env``) goes in the ``Authorization`` header as CKAN expects and
never into a note, a log line or an error message. It is never sent to another host:
when a request of a token pass is redirected to one, that pass read only what the
public may see there, so it is not complete (nothing is withdrawn) and the warning
names the new address.

Mapping: :class:`~satudata_cli.codecs.ckan.read.PackageMapper` turns a CKAN package into
a record with the standard's field names (see :mod:`satudata_cli.codecs.ckan.read`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import orjson

from satudata_cli.codecs.ckan.client import ActionRefused, ActionUnanswered, CkanClient
from satudata_cli.codecs.ckan.client import json_kind as _kind
from satudata_cli.codecs.ckan.read import PackageMapper
from satudata_cli.codecs.ckan.read import item_names as _names
from satudata_cli.codecs.ckan.read import package_extras as _extras
from satudata_cli.codecs.text import clean_text as _text
from satudata_cli.core.configfile import ConfigError
from satudata_cli.core.http import HttpClient, redact_secret
from satudata_cli.core.logcontext import submit_in_context
from satudata_cli.sources.base import (
    PassInfo,
    RemoteRecord,
    SourceError,
    SourceSpec,
    UnchangedCheck,
    lost_token,
    require_http,
)

if TYPE_CHECKING:
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator

__all__ = ["MAX_ROWS", "CkanSource"]

logger = logging.getLogger("satudata.sources.ckan")


def _seen_before(page: list[Any], ids: list[str], idless: set[bytes]) -> bool:
    """Whether a page none of whose items has a package id repeats an earlier such page
    (its digest is then in ``idless``; a new one is added). Such a page cannot be told
    from the last by its ids, and a portal that ignores the offset would hand it out for
    ever, each time as the same errored records."""
    if ids or not page:
        return False
    digest = hashlib.sha256(repr(page).encode("utf-8", "backslashreplace")).digest()
    if digest in idless:
        return True
    idless.add(digest)
    return False


def package_key(package: Mapping[str, Any]) -> str | None:
    """SHA-256 of a package as the portal gave it (orjson, sorted keys), or None when
    orjson cannot write it (an integer past 64 bits). Only ever compared with a key made
    the same way, so it need not be the catalogue's canonical JSON; a package parsed from
    an HTTP reply holds no NaN or infinity (the client refuses them), which orjson would
    write as null."""
    try:
        data = orjson.dumps(package, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError
        return None
    return hashlib.sha256(data).hexdigest()


#: CKAN's ceiling for ``rows`` in package_search (larger values are silently capped).
MAX_ROWS = 1000

_SEARCH = "package_search"
_CURRENT = "current_package_list_with_resources"
_LIST = "package_list"
_SHOW = "package_show"
# -- the source ------------------------------------------------------------------------


def _site_root(url: str) -> str:
    """The portal's root from the configured address (an /api/3/action tail is dropped)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    for tail in ("/api/3/action", "/api/action", "/api/3", "/api"):
        if path.endswith(tail):
            path = path[: -len(tail)]
            break
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC; a naive datetime is taken as UTC (as CKAN stores times)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _parse_time(value: Any) -> dt.datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return _utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _solr_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _any_of(field_name: str, values: Iterable[str]) -> str:
    terms = [f"{field_name}:{_solr_quote(v)}" for v in values]
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _package_id(package: Any) -> str | None:
    if not isinstance(package, Mapping):
        return None
    return _text(package.get("id"))


@dataclass
class _Pass:
    """What one gather knows while it runs."""

    since: dt.datetime | None
    limit: int | None
    seen: set[str] = field(default_factory=set)
    yielded: int = 0
    outside_filters: int = 0

    @property
    def full(self) -> bool:
        return self.limit is not None and self.yielded >= self.limit


class CkanSource:
    """A CKAN portal as a source (see the module documentation for the strategy).

    ``page_size`` is the ``rows``/``limit`` asked for per page (at most 1000, CKAN's
    cap); ``sleep`` waits between the CKAN client's retries of an HTTP 500 (tests inject
    their own).
    """

    #: CKAN can list only what changed since a moment (``metadata_modified``).
    incremental: ClassVar[bool] = True

    def __init__(
        self,
        config: SourceConfig,
        http: HttpClient,
        *,
        environ: Mapping[str, str] | None = None,
        page_size: int = MAX_ROWS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if config.url is None:
            raise SourceError(f"source {config.id}: type ckan needs a url")
        self.config = config
        self.http = http
        self.environ = environ
        self.page_size = max(1, min(int(page_size), MAX_ROWS))
        self.site_url = _site_root(config.url)
        self.pass_info = PassInfo()
        self.mapper = PackageMapper(
            mapping=config.mapping, organization=config.organization, site_url=self.site_url
        )
        self._sleep = sleep
        self._token: str | None = None
        self._client = CkanClient(http, self.site_url, sleep=sleep)
        filters = config.filters
        self._organizations = frozenset(filters.organizations)
        #: ids and names of the filter's organizations (organization_show), once a pass
        #: needs them; None until then
        self._organization_keys: frozenset[str] | None = None
        self._tags = frozenset(filters.tags)
        self._query_words = tuple((filters.query or "").lower().split())
        self._unchanged_check: UnchangedCheck | None = None

    def check_before_mapping(self, check: UnchangedCheck | None) -> None:
        """Ask ``check`` with each package's hash before mapping it (see
        :mod:`satudata_cli.sources.base`)."""
        self._unchanged_check = check

    def __repr__(self) -> str:
        return f"CkanSource(id={self.config.id!r}, url={self.site_url!r})"

    def api_url(self, action: str) -> str:
        return self._client.action_url(action)

    # -- the pass ----------------------------------------------------------------------

    def gather(self, *, since: dt.datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        """Yield one record per dataset of the portal (within the source's filters)."""
        info = PassInfo(incremental=since is not None)
        self.pass_info = info
        try:
            self._token = self.config.resolve_token(self.environ)
        except ConfigError as exc:
            raise SourceError(exc.message) from None
        self._client = CkanClient(self.http, self.site_url, token=self._token, sleep=self._sleep)
        dropped_before = len(self.http.credentials_dropped())
        # whole seconds: the fq range is written in seconds, the client-side check agrees
        start = _utc(since).replace(microsecond=0) if since is not None else None
        state = _Pass(since=start, limit=limit)
        self._organization_keys = None
        if limit is not None and limit <= 0:
            return
        steps: list[tuple[str, Callable[[_Pass], Generator[RemoteRecord, None, bool]]]] = [
            (_SEARCH, self._by_search),
            (_CURRENT, self._by_current_list),
            (f"{_LIST} + {_SHOW}", self._by_list_and_show),
        ]
        failures: list[str] = []
        complete = False
        for number, (label, step) in enumerate(steps):
            try:
                complete = yield from step(state)
            except ActionRefused as exc:
                reason = self._scrub(exc.reason)
                failures.append(f"{label} at {exc.url}: {reason}")
                if number + 1 == len(steps):
                    raise SourceError(
                        f"cannot list the datasets of the CKAN portal {self.site_url}: "
                        + "; ".join(failures)
                    ) from None
                after = f" after {state.yielded} records" if state.yielded else ""
                next_label = steps[number + 1][0]
                self._note(
                    f"{label} refused/broken at {exc.url} ({reason}){after}; falling back "
                    f"to {next_label}",
                    logging.WARNING,
                )
                continue
            except ActionUnanswered as exc:
                raise SourceError(exc.reason_message.map(self._scrub)) from None
            break
        if self._token and (gap := lost_token(self.http, dropped_before)):
            self._gap(gap)
        if state.outside_filters:
            self._note(
                f"{state.outside_filters} datasets outside the source's filters came back "
                "from the portal and were left out"
            )
        info.complete = complete and since is None and limit is None

    def _note(self, text: str, level: int = logging.INFO) -> None:
        text = self._scrub(text)
        self.pass_info.notes.append(text)
        logger.log(level, "source %s: %s", self.config.id, text, extra={"event": "source_note"})

    def _gap(self, text: str) -> None:
        """Why this pass may have missed datasets (so it is not complete): the engine
        reports it as the reason, with a warning, once the pass ends."""
        text = self._scrub(text)
        self.pass_info.gaps.append(text)
        logger.info("source %s: %s", self.config.id, text, extra={"event": "pass_gap"})

    def _scrub(self, text: str) -> str:
        return redact_secret(text, self._token)

    # -- one request -------------------------------------------------------------------

    def _call(self, action: str, params: Mapping[str, str | int]) -> Any:
        """The ``result`` of one action; :class:`ActionRefused` when refused or broken,
        :class:`ActionUnanswered` when the portal does not answer."""
        return self._client.call(action, params)

    # -- records -----------------------------------------------------------------------

    def _wanted(self, package: Mapping[str, Any], state: _Pass, *, query: bool) -> bool:
        """Whether a package passes the filters and ``since`` (checked on the client)."""
        if self._organizations:
            org = package.get("organization")
            names = {_text(package.get("owner_org"))}
            if isinstance(org, Mapping):
                names |= {_text(org.get("name")), _text(org.get("id"))}
            elif isinstance(org, str):
                names.add(_text(org))
            if not names & self._organizations and not names & self._resolved_organizations():
                return False
        if self._tags and not set(_names(package.get("tags"), "name")) & self._tags:
            return False
        if state.since is not None:
            modified = _parse_time(package.get("metadata_modified"))
            if modified is not None and modified < state.since:
                return False
        if query and self._query_words:
            text = _search_text(package)
            if not all(word in text for word in self._query_words):
                return False
        return True

    def _resolved_organizations(self) -> frozenset[str]:
        """The ids and names of the filter's organizations, asked of ``organization_show``
        once per pass (a package may carry only ``owner_org``, an id, while the filter
        names the organization). One that cannot be resolved is a gap of the pass: a
        package carrying only its id may have been left out wrongly."""
        if self._organization_keys is not None:
            return self._organization_keys
        keys: set[str] = set(self._organizations)
        unresolved: list[str] = []
        for value in sorted(self._organizations):
            try:
                result = self._call("organization_show", {"id": value})
            except (ActionRefused, ActionUnanswered) as exc:
                unresolved.append(f"{value} ({self._scrub(exc.reason)})")
                continue
            found = (
                {_text(result.get("id")), _text(result.get("name"))}
                if isinstance(result, Mapping)
                else set()
            )
            found.discard(None)
            if not found:
                unresolved.append(f"{value} (organization_show gave {_kind(result)})")
            keys |= {key for key in found if key}
        self._organization_keys = frozenset(keys)
        if unresolved:
            self._gap(
                "filters.organizations applied on the client side, but these "
                "organizations could not be resolved to ids with organization_show: "
                + "; ".join(unresolved)
                + " (datasets carrying only owner_org may have been left out)"
            )
        return self._organization_keys

    def _records(
        self,
        packages: Iterable[Any],
        state: _Pass,
        where: str,
        *,
        query: bool,
    ) -> Iterator[RemoteRecord]:
        """Records of packages new to this pass, filtered, until the limit is reached."""
        for position, package in enumerate(packages):
            if state.full:
                return
            if not isinstance(package, Mapping):
                state.yielded += 1
                yield RemoteRecord(
                    "?",
                    None,
                    error=f"item {position} of {where} is {_kind(package)}, not a package",
                )
                continue
            remote_id = _package_id(package)
            if remote_id is None:
                state.yielded += 1
                name = _text(package.get("name"))
                yield RemoteRecord(
                    name or "?",
                    None,
                    error=f"item {position} of {where} has no id (name: {name or 'none'})",
                )
                continue
            if remote_id in state.seen:
                continue
            state.seen.add(remote_id)
            if not self._wanted(package, state, query=query):
                if not query:  # package_search filters on the server: it ignored fq
                    state.outside_filters += 1
                continue
            modified = _text(package.get("metadata_modified"))
            key: str | None = None
            check = self._unchanged_check
            if check is not None:
                key = package_key(package)
                if key is not None and check(remote_id, key):
                    state.yielded += 1
                    yield RemoteRecord(remote_id, None, modified, unchanged=True)
                    continue
            try:
                record = self.mapper.map(package)
            except Exception as exc:  # one bad package must not stop the pass
                logger.debug(
                    "cannot map package %s",
                    remote_id,
                    exc_info=True,
                    extra={"event": "record_unmappable", "remote_id": remote_id},
                )
                state.yielded += 1
                yield RemoteRecord(
                    remote_id, None, modified, error=f"cannot map the package: {exc!r}"
                )
                continue
            state.yielded += 1
            yield RemoteRecord(remote_id, record, modified, input_key=key)

    # -- 1. package_search -------------------------------------------------------------

    def _search_params(self, state: _Pass) -> dict[str, str | int]:
        params: dict[str, str | int] = {"q": self.config.filters.query or "*:*", "sort": "id asc"}
        clauses = []
        if self._organizations:
            clauses.append(_any_of("organization", sorted(self._organizations)))
        if self._tags:
            clauses.append(_any_of("tags", sorted(self._tags)))
        if state.since is not None:
            clauses.append(f"metadata_modified:[{state.since:%Y-%m-%dT%H:%M:%S}Z TO *]")
        if clauses:
            params["fq"] = " AND ".join(clauses)
        if self._token:
            params["include_private"] = "true"
        return params

    def _search_page(
        self, params: Mapping[str, str | int], start: int, rows: int, state: _Pass
    ) -> tuple[int | None, list[Any]]:
        result = self._call(_SEARCH, {**params, "rows": rows, "start": start})
        url = self.api_url(_SEARCH)
        if not isinstance(result, Mapping):
            raise ActionRefused(
                f"the result is {_kind(result)}, not an object with results",
                action=_SEARCH,
                url=url,
            )
        results = result.get("results")
        if not isinstance(results, list):
            raise ActionRefused(
                f"result.results is {_kind(results)}, not a list", action=_SEARCH, url=url
            )
        count = result.get("count")
        if isinstance(count, str) and count.strip().isdigit():
            count = int(count)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            count = None
        return count, results

    def _by_search(self, state: _Pass) -> Generator[RemoteRecord, None, bool]:
        params = self._search_params(state)
        url = self.api_url(_SEARCH)
        rows = self.page_size if state.limit is None else min(self.page_size, state.limit)
        listed: set[str] = set()
        start = 0
        first_count: int | None = None
        count: int | None = None
        page_rows = rows  # rows per full page, as the portal actually gives them
        full_page_seen = False  # proof that a short page means the end of the list
        pages = 0
        without_id = 0  # items that are not packages with an id (errored records)
        idless: set[bytes] = set()  # digests of the pages without any package id
        empty_at: int | None = None  # an empty page (asked twice) before count was reached
        # The next page is asked for while this one's packages are mapped and stored
        # (one request ahead, never more), only when the list certainly goes on and no
        # --limit can end the pass first: a prefetch never asks for a page that the
        # sequential loop would not have asked for.
        prefetch = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ckan-page")
        ahead: Future[tuple[int | None, list[Any]]] | None = None
        try:
            while True:
                if ahead is not None:
                    count, results = ahead.result()
                    ahead = None
                else:
                    count, results = self._search_page(params, start, rows, state)
                pages += 1
                if first_count is None:
                    first_count = count
                    self.pass_info.expected = count  # for the progress display only
                if not results and count is not None and len(listed) + without_id < count:
                    # count promises more: a passing hiccup of the search index, or the
                    # end of a portal whose count lies; ask once more before judging
                    logger.info(
                        "package_search at %s: an empty page at start=%d although the count "
                        "is %d; asking for it again",
                        self._scrub(url),
                        start,
                        count,
                        extra={"event": "empty_page_retried"},
                    )
                    count, results = self._search_page(params, start, rows, state)
                    if not results:
                        empty_at = start
                if not results:
                    break
                ids = [i for i in map(_package_id, results) if i is not None]
                fresh = [i for i in ids if i not in listed]
                if (pages > 1 and ids and not fresh) or _seen_before(results, ids, idless):
                    complete = count is not None and len(listed) + without_id >= count
                    text = (
                        f"package_search at {url} returned the same page again at "
                        f"start={start} (the portal ignores start?); stopped after "
                        f"{len(listed)} datasets"
                    )
                    if complete:
                        self._note(text, logging.WARNING)
                    else:
                        self._gap(text)
                    return complete
                listed.update(fresh)
                without_id += len(results) - len(ids)
                if pages == 1 and count is not None and len(results) < min(rows, count):
                    page_rows = len(results)  # the portal caps rows lower than asked
                    logger.info(
                        "package_search at %s gives %d rows per page",
                        self._scrub(url),
                        page_rows,
                        extra={"event": "page_size_capped"},
                    )
                full_page_seen = full_page_seen or len(results) >= page_rows
                following = start + len(results)
                # A short page ends the list only when count agrees and an earlier full
                # page showed that the portal honours rows; otherwise ask once more
                # (never trust count alone: a portal may cap rows and report a wrong count).
                last = (
                    len(results) < page_rows
                    and full_page_seen
                    and count is not None
                    and following >= count
                )
                if not last and state.limit is None:
                    ahead = submit_in_context(  # its log lines name this source too
                        prefetch, self._search_page, params, following, rows, state
                    )
                yield from self._records(
                    results, state, f"package_search (start={start})", query=False
                )
                if state.full:
                    return False
                start = following
                if last:
                    break
        finally:
            if ahead is not None:
                ahead.cancel()
            prefetch.shutdown(wait=False, cancel_futures=True)
        if first_count is not None and count is not None and count != first_count:
            yield from self._search_again(
                params, state, listed, (first_count, count), rows, page_rows
            )
            if state.full:
                return False
        held = len(listed) + without_id
        if count is not None and held < count:
            if empty_at is not None:
                self._gap(
                    f"package_search at {url} gave an empty page at start={empty_at} (asked "
                    f"twice) although its count is {count}; stopped after {held} datasets"
                )
            else:
                self._gap(
                    f"package_search at {url} reported {count} datasets but its pages held {held}"
                )
            return False
        if first_count is not None and held > first_count and count == first_count:
            self._note(
                f"package_search at {url} reported {first_count} datasets but its pages held "
                f"{held}; paging went on until an empty page"
            )
        return True

    def _search_again(
        self,
        params: Mapping[str, str | int],
        state: _Pass,
        listed: set[str],
        counts: tuple[int, int],
        rows: int,
        page_rows: int,
    ) -> Iterator[RemoteRecord]:
        """Read the listing again after ``count`` changed while paging (see module doc)."""
        first_count, count = counts
        url = self.api_url(_SEARCH)
        self._note(
            f"the number of datasets at {url} changed from {first_count} to {count} while "
            "paging; reading the list again from the start for datasets the offsets skipped"
        )
        wanted = count - first_count if count > first_count else None
        found = 0
        start = 0
        for _ in range(count // page_rows + 2):
            _count, results = self._search_page(params, start, rows, state)
            if not results:
                break
            fresh = {i for i in map(_package_id, results) if i is not None} - listed
            listed.update(fresh)
            found += len(fresh)
            yield from self._records(results, state, f"package_search (start={start})", query=False)
            if state.full or (wanted is not None and found >= wanted):
                break
            start += len(results)
        self._note(f"the second reading found {found} datasets not seen before")

    # -- 2. current_package_list_with_resources ----------------------------------------

    def _fallback_filters_note(self, state: _Pass) -> None:
        what = []
        if self._organizations:
            what.append("organizations " + ", ".join(sorted(self._organizations)))
        if self._tags:
            what.append("tags " + ", ".join(sorted(self._tags)))
        if self._query_words:
            what.append(f"query {self.config.filters.query!r} (as a word match)")
        if state.since is not None:
            what.append(f"modified since {state.since:%Y-%m-%dT%H:%M:%S}Z")
        if what:
            self._note("filters applied on the client side: " + "; ".join(what))

    def _by_current_list(self, state: _Pass) -> Generator[RemoteRecord, None, bool]:
        url = self.api_url(_CURRENT)
        limit = self.page_size
        listed: set[str] = set()
        idless: set[bytes] = set()  # digests of the pages without any package id
        offset = 0
        noted = False
        while True:
            result = self._call(_CURRENT, {"limit": limit, "offset": offset})
            if not isinstance(result, list):
                raise ActionRefused(
                    f"the result is {_kind(result)}, not a list of packages",
                    action=_CURRENT,
                    url=url,
                )
            if not noted:
                self._fallback_filters_note(state)
                noted = True
            if not result:
                return True
            ids = [i for i in map(_package_id, result) if i is not None]
            fresh = [i for i in ids if i not in listed]
            if (offset > 0 and ids and not fresh) or _seen_before(result, ids, idless):
                self._gap(
                    f"{_CURRENT} at {url} returned the same page again at offset={offset}; "
                    f"stopped after {len(listed)} datasets"
                )
                return False
            listed.update(fresh)
            yield from self._records(result, state, f"{_CURRENT} (offset={offset})", query=True)
            if state.full:
                return False
            offset += len(result)

    # -- 3. package_list + package_show ------------------------------------------------

    def _show(self, name: str) -> Any:
        return self._call(_SHOW, {"id": name})

    def _by_list_and_show(self, state: _Pass) -> Generator[RemoteRecord, None, bool]:
        url = self.api_url(_LIST)
        result = self._call(_LIST, {})
        if not isinstance(result, list):
            raise ActionRefused(
                f"the result is {_kind(result)}, not a list of names", action=_LIST, url=url
            )
        names = list(dict.fromkeys(n for n in map(_text, result) if n is not None))
        self.pass_info.expected = len(names)
        workers = self.config.http.concurrency
        self._note(
            f"{len(names)} datasets listed by {_LIST}; reading each with {_SHOW}, "
            f"{workers} at a time"
        )
        self._fallback_filters_note(state)
        vanished = 0
        pending: deque[tuple[str, Future[Any]]] = deque()
        queue = iter(names)
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ckan-show")

        def fill() -> None:
            while len(pending) < workers * 2:
                name = next(queue, None)
                if name is None:
                    return
                pending.append((name, submit_in_context(executor, self._show, name)))

        try:
            fill()
            while pending:
                name, future = pending.popleft()
                try:
                    package = future.result()
                except ActionRefused as exc:
                    if exc.status == 404:
                        vanished += 1
                    else:
                        state.yielded += 1
                        yield RemoteRecord(
                            name, None, error=f"{_SHOW} of {name} failed: {self._scrub(exc.reason)}"
                        )
                else:
                    yield from self._records([package], state, f"{_SHOW} of {name}", query=True)
                if state.full:
                    return False
                fill()
        finally:
            for _name, future in pending:
                future.cancel()
            executor.shutdown(wait=True, cancel_futures=True)
            if vanished:
                self._note(f"{vanished} datasets vanished between {_LIST} and {_SHOW}")
        if self._token:
            # package_list names public datasets only: the private ones the token can
            # see are missing, and must not be withdrawn for it
            self._gap(f"{_LIST} does not name the private datasets the token can see")
            return False
        return True


def _search_text(package: Mapping[str, Any]) -> str:
    """Lower-case text of a package for the client-side word match."""
    parts: list[str] = []
    for key in ("name", "title", "notes"):
        text = _text(package.get(key))
        if text:
            parts.append(text)
    parts.extend(_names(package.get("tags"), "name"))
    org = package.get("organization")
    if isinstance(org, Mapping):
        parts.extend(t for t in (_text(org.get("name")), _text(org.get("title"))) if t)
    for _key, value in _extras(package):
        if isinstance(value, str):
            parts.append(value)
    return " ".join(parts).lower()


# -- registration (see satudata_cli.sources.registry) ---------------------------------


def _build(config: SourceConfig, validator: Validator, http: HttpClient | None) -> CkanSource:
    return CkanSource(config, require_http(config, http))


SPEC = SourceSpec(
    name="ckan",
    summary=(
        "a CKAN portal's Action API; url is the site root, e.g. https://data.pemkomedan.go.id"
    ),
    location="url",
    build=_build,
    incremental=CkanSource.incremental,
)
