"""The ``dcat`` source: dataset metadata from a DCAT catalogue in RDF.

A catalogue at a ``url`` (fetched with the source's :class:`HttpClient`: its timeouts,
retries and response size cap) or a local ``path``, in RDF/XML, Turtle, JSON-LD or
N-Triples, parsed with rdflib. The serialisation comes from the ``dcat.format`` option,
else the ``Content-Type`` of the answer, else the file extension, else the content
itself (an XML declaration or element: XML; ``{``/``[``: JSON-LD; ``@prefix``, ``<iri>``:
Turtle, which also reads N-Triples). A Content-Type or extension that the content
plainly contradicts gives way to the content (servers label every file
``application/xml`` or ``application/json``). An HTML page is refused by name.

Parsing (:mod:`satudata_cli.codecs.dcat.rdf`) treats a catalogue as untrusted input:
entities in RDF/XML and remote JSON-LD contexts are refused, nothing a document points
to is fetched. A local file is read only up to ``http.max_response_mb``, like an
answer.

Hydra paging: when a page names a next page (``hydra:next`` of a
``hydra:PartialCollectionView``, or the older ``hydra:nextPage`` of a
``hydra:PagedCollection``), it is read too, up to ``dcat.max_pages``. Paging stops, with
a note, at a page already read (a loop), at a page that holds only datasets already
seen (a server ignoring the page parameter), at a next page on another host (never
followed), or at ``max_pages``. Such a pass is complete only when the page named as
``hydra:last``/``hydra:lastPage`` was read, or the datasets seen reach
``hydra:totalItems``; otherwise nothing is withdrawn. A last page that holds no
dataset while ``hydra:totalItems`` promises more is asked for once more; paging that
ends short of ``hydra:totalItems`` is not complete either. Next-page links in a local file
are not followed (noted; the pass is not complete).

**All or nothing.** Every page is fetched, parsed and mapped before the first record is
handed to the engine. A page that cannot be fetched or parsed (page 3 of 5 included)
fails the job with a :class:`SourceError` naming the file or URL and the parser's
message: nothing from any page is stored and nothing is withdrawn. (The engine itself
keeps what was flushed before a source fails; with this source nothing has been yielded
yet.) A document without any RDF statement (a JSON file that is not JSON-LD, say) is a
failure too; a catalogue without any ``dcat:Dataset`` is a pass that is not complete.

Mapping: :class:`~satudata_cli.codecs.dcat.read.DcatMapper` (DCAT 2/3 and DCAT-AP 2/3
onto the standard's fields; the table is in :mod:`satudata_cli.codecs.dcat.read`).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final
from urllib.parse import urldefrag, urljoin, urlsplit

from rdflib import BNode, Graph
from rdflib.namespace import DCTERMS, Namespace

from satudata_cli.codecs.dcat.chunks import CHUNK_BYTES, Chunks
from satudata_cli.codecs.dcat.light import (
    Blank,
    Iri,
    LightGraph,
    LightMapper,
    frozen_heap,
    light_text,
    paused_gc,
)
from satudata_cli.codecs.dcat.rdf import FORMAT_LABELS, detect_format, read_rdf
from satudata_cli.codecs.dcat.read import DcatMapper
from satudata_cli.codecs.dcat.read import node_text as _rdflib_text
from satudata_cli.core.http import HttpClient, HttpError
from satudata_cli.core.messages import M
from satudata_cli.sources.base import PassInfo, RemoteRecord, SourceError
from satudata_cli.sources.dcat import DcatSettings
from satudata_cli.standard.findings import Finding
from satudata_cli.standard.ruleset import RULES

if TYPE_CHECKING:
    from satudata_cli.sources.config import SourceConfig

__all__ = ["ACCEPT", "HYDRA", "DcatSource"]

logger = logging.getLogger("satudata.sources.dcat")

HYDRA: Final = Namespace("http://www.w3.org/ns/hydra/core#")
_OPTION_FORMATS: Final = {
    "rdfxml": "xml",
    "turtle": "turtle",
    "jsonld": "json-ld",
    "ntriples": "nt",
}
ACCEPT: Final = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, "
    "application/n-triples;q=0.8, application/xml;q=0.5, */*;q=0.1"
)


_SPLIT_RULE: Final = RULES["source.keywords-split"]
_SPLIT: Final = (Finding(_SPLIT_RULE.id, _SPLIT_RULE.severity, "$.tags", _SPLIT_RULE.title),)


# -- the source ------------------------------------------------------------------------


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


class DcatSource:
    """A DCAT catalogue at a URL or in a file; see the module doc."""

    incremental: ClassVar[bool] = False

    def __init__(self, config: SourceConfig, http: HttpClient | None = None) -> None:
        if config.url is None and config.path is None:
            raise SourceError(f"source {config.id}: type dcat needs a url or a path")
        if config.url is not None and http is None:
            raise SourceError(f"source {config.id}: no HTTP client")
        self.config = config
        self.settings = config.dcat or DcatSettings()
        self.http = http
        self.rdflib_mapper = DcatMapper(self.settings.languages)
        self.light_mapper = LightMapper(self.settings.languages)
        self.pass_info = PassInfo()

    def _note(self, text: str, level: int = logging.INFO) -> None:
        logger.log(level, "source %s: %s", self.config.id, text, extra={"event": "source_note"})
        self.pass_info.notes.append(text)

    def _gap(self, text: str, state: _Pass) -> None:
        """Why this pass may have missed datasets: it is not complete (the engine warns)."""
        logger.info("source %s: %s", self.config.id, text, extra={"event": "pass_gap"})
        self.pass_info.gaps.append(text)
        state.complete = False

    def _fail(self, where: str, reason: str) -> SourceError:
        return SourceError(f"source {self.config.id}: {where}: {reason}")

    def _format(self, body: bytes | Chunks, content_type: str | None, name: str) -> str:
        if self.settings.format != "auto":
            return _OPTION_FORMATS[self.settings.format]
        head = body.head(1024) if isinstance(body, Chunks) else body
        return detect_format(head, content_type=content_type, name=name)

    def _mapper(self, graph: Graph | LightGraph) -> Any:
        """The mapper for the graph the reader gave (:mod:`.rdf` ``read_rdf``)."""
        return self.light_mapper if isinstance(graph, LightGraph) else self.rdflib_mapper

    def _parse(
        self, body: bytes | Chunks, content_type: str | None, where: str, base: str
    ) -> Graph | LightGraph:
        try:
            rdf_format = self._format(body, content_type, where)
        except ValueError as exc:
            raise self._fail(where, str(exc)) from None
        label = FORMAT_LABELS[rdf_format]
        try:
            graph = read_rdf(body, rdf_format, base)
        except ValueError as exc:
            raise self._fail(where, f"cannot be read as {label}: {exc}") from None
        if len(graph) == 0:
            raise self._fail(where, f"holds no RDF statements (read as {label})")
        return graph

    def _read_file(self, path: Path) -> Chunks:
        """The file in chunks (:mod:`~satudata_cli.codecs.dcat.chunks`): the streaming
        reader lets each go once read, and reads the file again should it need to."""
        limit = self.config.http.max_response_bytes
        chunks: list[bytes] = []
        size = 0
        try:
            with path.open("rb") as handle:
                while size <= limit:
                    chunk = handle.read(min(CHUNK_BYTES, limit + 1 - size))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    size += len(chunk)
        except FileNotFoundError:
            raise self._fail(str(path), "the file does not exist") from None
        except OSError as exc:
            raise self._fail(str(path), f"cannot be read: {exc.strerror or exc}") from None
        if size > limit:
            raise self._fail(
                str(path),
                f"is larger than {limit / 1048576:.3g} MiB (http.max_response_mb)",
            )
        return Chunks(chunks, reload=lambda: self._read_file(path).join())

    def _fetch(self, url: str) -> tuple[Graph | LightGraph, str]:
        assert self.http is not None
        try:
            body, content_type, final = self.http.get_bytes(url, headers={"Accept": ACCEPT})
        except HttpError as exc:
            raise SourceError(
                M.err_source_prefix.format(source=self.config.id) + exc.message
            ) from None
        return self._parse(body, content_type, final, final), final

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        self.pass_info = PassInfo(incremental=False)
        with paused_gc():  # millions of small objects, no cycles (see paused_gc)
            records = self._collect(limit)
        self.pass_info.expected = len(records)  # read whole before the first is yielded
        records.reverse()  # handed over from the end: each is freed once the engine is done
        with frozen_heap():
            while records:
                yield _unpacked(records.pop())

    def _collect(self, limit: int | None) -> list[RemoteRecord | _Packed]:
        """Every page read and mapped (all or nothing, see the module doc)."""
        state = _Pass(limit)
        if self.config.path is not None:
            path = self.config.path
            graph = self._parse(self._read_file(path), None, str(path), path.resolve().as_uri())
            self._map_page(graph, state)
            if _next_pages(graph) and not state.full:
                self._gap(
                    f"{path} names a next page (Hydra paging); links in a local file are "
                    "not followed",
                    state,
                )
        else:
            assert self.config.url is not None
            self._follow_pages(self.config.url, state)
        state.references -= state.described  # linked on one page, described on another
        if state.references:
            self._note(
                f"{len(state.references)} node(s) listed by dcat:dataset have no type and "
                "no statement of their own (a dataset described elsewhere, or nothing): "
                "skipped, not stored as datasets"
            )
        if state.split_keywords:
            self._note(
                f"{state.split_keywords} dataset(s) give several keywords in one "
                "comma-separated dcat:keyword; they were split into separate tags"
            )
        if state.duplicates:
            self._note(f"{state.duplicates} dataset(s) appeared more than once; the first was kept")
        if not state.records and not state.failed_ids:
            self._gap("no dcat:Dataset found in the catalogue", state)
        if state.failed_ids:  # they cannot be matched to what is stored
            self._gap(
                f"{len(state.failed_ids)} dataset(s) are blank nodes without dct:identifier",
                state,
            )
        if state.full:
            self._note(f"stopped after --limit {limit} records")
        self.pass_info.complete = state.complete and not state.full
        return state.records

    def _map_page(self, graph: Graph | LightGraph, state: _Pass) -> int:
        """Map the datasets of one page; the number of datasets not seen before."""
        fresh = 0
        mapper = self._mapper(graph)
        state.references.update(str(n) for n in mapper.references(graph))
        for node in mapper.datasets(graph):
            state.described.add(str(node))
            if state.full:
                break
            remote_id = mapper.remote_id(graph, node)
            if remote_id is None:
                label = mapper.pick(graph, node, DCTERMS.title) or "untitled"
                key = f"(no identifier) {label}"
                if key in state.failed_ids:
                    continue
                state.failed_ids.add(key)
                state.records.append(
                    RemoteRecord(
                        key,
                        None,
                        error="the dataset is a blank node without dct:identifier, so it "
                        "has no stable id",
                    )
                )
                state.complete = False  # it cannot be matched to what is stored
                continue
            if remote_id in state.seen:
                state.duplicates += 1
                continue
            state.seen.add(remote_id)
            fresh += 1
            modified = _text(mapper.first(graph, node, DCTERMS.modified))
            try:
                record = mapper.map(graph, node)
            except Exception as exc:  # one bad dataset must not stop the pass
                logger.debug(
                    "cannot map dataset %s",
                    remote_id,
                    exc_info=True,
                    extra={"event": "record_unmappable", "remote_id": remote_id},
                )
                state.records.append(
                    RemoteRecord(
                        remote_id, None, modified, error=f"cannot map the dataset: {exc!r}"
                    )
                )
                continue
            split = bool(mapper.split_keywords(graph, node))
            state.split_keywords += split
            # packed until it is handed over: a mapped record is several times larger as
            # Python objects than as its pickle, and a catalogue is read whole first
            packed = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
            state.records.append((remote_id, packed, modified, _SPLIT if split else ()))
        return fresh

    def _follow_pages(self, url: str, state: _Pass) -> None:
        start_origin: tuple[str, str, int | None] | None = None
        visited: set[str] = set()
        last_pages: set[str] = set()
        total: int | None = None
        current: str | None = url
        pages = 0
        asked_again = False  # an empty page while hydra:totalItems promised more
        while current is not None:
            if pages >= self.settings.max_pages:
                self._gap(f"stopped after dcat.max_pages={self.settings.max_pages} pages", state)
                return
            graph, final = self._fetch(current)
            pages += 1
            if start_origin is None:  # where the first page really is (after redirects)
                start_origin = _origin(final)
            visited.update({urldefrag(current)[0], urldefrag(final)[0]})
            total = _total_items(graph) if total is None else total
            last_pages.update(
                str(n) for p in (HYDRA.last, HYDRA.lastPage) for n in graph.objects(None, p)
            )
            fresh = self._map_page(graph, state)
            if state.full:
                return
            # a literal next page may be relative ("?page=2"): resolve it against this page
            following = [(subject, urljoin(final, text)) for subject, text in _next_pages(graph)]
            if not following:
                short = total is not None and len(state.seen) < total
                if short and not asked_again and not self._page_had_datasets(graph):
                    # totalItems promises more: ask for this empty page once more
                    asked_again = True
                    pages -= 1
                    continue
                if pages > 1:
                    self._note(f"read {pages} pages (Hydra paging)")
                if short:
                    self._gap(
                        f"paging ended at page {final} (an empty page is asked twice) "
                        f"although hydra:totalItems says {total}; {len(state.seen)} "
                        "datasets were read",
                        state,
                    )
                return
            chosen = _choose_next(following, {current, final})
            distinct = {text for _subject, text in following}
            if len(distinct) > 1:
                self._note(f"page {final} names {len(distinct)} next pages; followed {chosen}")
            reached = bool(visited & last_pages) or (total is not None and len(state.seen) >= total)
            why: str | None = None
            if urldefrag(chosen)[0] in visited:
                why = f"page {final} links to {chosen}, a page already read (a loop)"
            elif (
                pages > 1 and fresh == 0 and len(state.seen) > 0 and self._page_had_datasets(graph)
            ):
                why = f"page {final} holds only datasets already seen (the page repeats)"
            elif _origin(chosen) != start_origin:
                why = f"page {final} links to {chosen} on another host, which is never followed"
                reached = False
            if why is not None:
                text = f"{why}; paging stopped after {pages} pages and {len(state.seen)} datasets"
                if reached:
                    self._note(text, logging.WARNING)
                else:
                    self._gap(text, state)
                return
            current = chosen

    def _page_had_datasets(self, graph: Graph | LightGraph) -> bool:
        return bool(self._mapper(graph).datasets(graph))


#: a mapped dataset as the pass keeps it: (remote id, its record pickled, modified,
#: findings); an error item as it is
_Packed = tuple[str, bytes, str | None, tuple[Finding, ...]]


def _unpacked(item: RemoteRecord | _Packed) -> RemoteRecord:
    if isinstance(item, RemoteRecord):
        return item
    remote_id, packed, modified, findings = item
    record = pickle.loads(packed)  # noqa: S301 (pickled by this pass, a moment ago)
    return RemoteRecord(remote_id, record, modified, findings=findings)


class _Pass:
    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.records: list[RemoteRecord | _Packed] = []
        self.seen: set[str] = set()
        self.failed_ids: set[str] = set()
        self.duplicates = 0
        self.references: set[str] = set()
        self.described: set[str] = set()
        self.split_keywords = 0
        self.complete = True

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.records) >= self.limit


def _text(node: Any) -> str | None:
    """A literal's stripped text or an IRI as text, from either reader's graph."""
    if isinstance(node, Iri | Blank) or type(node) is tuple:
        return light_text(node)
    return _rdflib_text(node)


def _next_pages(graph: Graph | LightGraph) -> list[tuple[Any, str]]:
    found = []
    for predicate in (HYDRA.next, HYDRA.nextPage):
        for subject, target in graph.subject_objects(predicate):
            text = _text(target)
            if text and not isinstance(target, BNode | Blank):
                found.append((subject, text))
    return found


def _choose_next(following: list[tuple[Any, str]], current: set[str]) -> str:
    own = sorted(text for subject, text in following if str(subject) in current)
    return own[0] if own else sorted(text for _s, text in following)[0]


def _total_items(graph: Graph | LightGraph) -> int | None:
    for value in graph.objects(None, HYDRA.totalItems):
        try:
            return int((_text(value) or "").strip())
        except ValueError:
            continue
    return None
