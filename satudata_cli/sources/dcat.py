"""The ``dcat`` source: dataset metadata from a DCAT catalogue in RDF.

A catalogue at a ``url`` (fetched with the source's :class:`HttpClient`: its timeouts,
retries and response size cap) or a local ``path``, in RDF/XML, Turtle, JSON-LD or
N-Triples, parsed with rdflib. The serialisation comes from the ``dcat.format`` option,
else the ``Content-Type`` of the answer, else the file extension, else the content
itself (an XML declaration or element: XML; ``{``/``[``: JSON-LD; ``@prefix``, ``<iri>``:
Turtle, which also reads N-Triples). A Content-Type or extension that the content
plainly contradicts gives way to the content (servers label every file
``application/xml`` or ``application/json``). An HTML page is refused by name.

Safety (a catalogue is untrusted input):

- RDF/XML is screened with defusedxml before rdflib sees it: a document that declares
  entities (``<!ENTITY``: the way of XXE and of the "billion laughs") or refers to an
  external one is refused. Nothing in a document is ever fetched or read from disk.
- JSON-LD: a document whose ``@context`` (or ``@import``) names a remote or relative
  context is refused before rdflib, which would otherwise fetch it; contexts must be
  written inline.
- A local file is read only up to ``http.max_response_mb``, like an answer.

Hydra paging: when a page names a next page (``hydra:next`` of a
``hydra:PartialCollectionView``, or the older ``hydra:nextPage`` of a
``hydra:PagedCollection``), it is read too, up to ``dcat.max_pages``. Paging stops, with
a note, at a page already read (a loop), at a page that holds only datasets already
seen (a server ignoring the page parameter), at a next page on another host (never
followed), or at ``max_pages``. Such a pass is complete only when the page named as
``hydra:last``/``hydra:lastPage`` was read, or the datasets seen reach
``hydra:totalItems``; otherwise nothing is withdrawn. Next-page links in a local file
are not followed (noted; the pass is not complete).

**All or nothing.** Every page is fetched, parsed and mapped before the first record is
handed to the engine. A page that cannot be fetched or parsed (page 3 of 5 included)
fails the job with a :class:`SourceError` naming the file or URL and the parser's
message: nothing from any page is stored and nothing is withdrawn. (The engine itself
keeps what was flushed before a source fails; with this source nothing has been yielded
yet.) A document without any RDF statement (a JSON file that is not JSON-LD, say) is a
failure too; a catalogue without any ``dcat:Dataset`` is a pass that is not complete.

Mapping (:class:`DcatMapper`), DCAT 2/3 and DCAT-AP 2/3 onto the standard's fields; it
works with or without a ``dcat:Catalog`` node (every ``dcat:Dataset``, and every object
of ``dcat:dataset``, is a dataset):

=========================  ===============================================================
``dct:identifier``         the remote id (else the dataset's URI; a blank node without an
                           identifier is an errored record)
``dct:title``              ``title``: the first language of ``dcat.languages`` (``id``,
``dct:description``        ``en``), then untagged, then any; ``notes`` alike. With several
                           languages, all go to ``title_translations`` /
                           ``notes_translations`` (language -> text; ``und`` = untagged)
``dcat:keyword``           ``tags`` (all languages, preferred first)
``dcat:theme``             ``theme`` (URIs or labels; kept outside the standard)
``dct:publisher``          ``organization`` (``foaf:name``, ``vcard:fn``, ``skos:prefLabel``)
``dct:creator``            ``produsen_data``
``dcat:contactPoint``      ``kontak``: vCard ``fn`` -> nama, ``hasEmail`` (``mailto:`` or
                           not) -> email, ``hasTelephone`` -> telepon; an e-mail alone is
                           kept as text
``dct:accrualPeriodicity``  ``jadwal_pemutakhiran`` as given (EU frequency URIs, Dublin Core,
                           ISO 8601: the vocabulary maps them and reports the variant)
``dct:accessRights``       ``klasifikasi_akses`` (EU access-right URIs are variants)
``dct:temporal``           ``tahun`` (2023, or 2019-2023) from the period's years; a period
                           given in dates is also kept as ``temporal`` (``start/end``)
``dct:spatial``            ``kode_wilayah`` from a ``skos:notation`` typed
                           ``sd:kodeWilayah``; any other place as ``spatial``
``dct:issued``/``modified``  ``tanggal_dibuat`` / ``tanggal_diperbarui`` as written (the date
                           rules read and report non-ISO forms)
``dcat:landingPage``       ``link_akses``
``dct:license``            ``license_id`` (the dataset's, else a distribution's)
``dcat:distribution``      ``resources``: ``downloadURL`` else ``accessURL`` -> url (both,
                           when they differ: ``access_url``), ``dct:title`` -> name,
                           ``dct:description``, ``dct:format`` (else ``dcat:mediaType``) ->
                           format, ``dcat:mediaType`` -> mimetype, ``dcat:byteSize`` ->
                           size, ``dct:modified`` -> last_modified; ``format`` of the
                           dataset lists the distributions' formats
=========================  ===============================================================

Values in the satudata namespaces (written by satudata's own DCAT export for fields
without a DCAT term, see :mod:`satudata_cli.exports.dcat`) come last and win:
``sdf:<field>`` sets a field (a plain literal: text; an ``rdf:JSON`` literal: any JSON
value), ``sd:field [sd:key; sd:value]`` sets a field whose name is no XML name,
``sd:unset "field"`` removes one, and ``sd:position`` orders distributions.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final
from typing import Literal as TypingLiteral
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.sax import ContentHandler, SAXException

import defusedxml
import defusedxml.sax
from pydantic import BaseModel, ConfigDict, Field, field_validator
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD, Namespace
from rdflib.term import Node

from satudata_cli.core.http import HttpClient, HttpError
from satudata_cli.sources.base import PassInfo, RemoteRecord, SourceError, SourceSpec

if TYPE_CHECKING:
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator

__all__ = [
    "EU_FILE_TYPE",
    "FORMAT_LABELS",
    "HYDRA",
    "IANA_MEDIA_TYPES",
    "SD",
    "SDF",
    "VCARD",
    "DcatMapper",
    "DcatSource",
    "detect_format",
    "parse_rdf",
    "quiet_rdflib",
]

logger = logging.getLogger("satudata.sources.dcat")

#: satudata's own terms (control terms of the DCAT export): sd:position, sd:field,
#: sd:key, sd:value, sd:unset and the datatype sd:kodeWilayah.
SD: Final = Namespace("urn:satudata:ns#")
#: One property per record field that has no DCAT term: sdf:walidata, sdf:konsep, ...
SDF: Final = Namespace("urn:satudata:field#")
HYDRA: Final = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD: Final = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA: Final = Namespace("http://schema.org/")
SCHEMA_S: Final = Namespace("https://schema.org/")
TIME: Final = Namespace("http://www.w3.org/2006/time#")
LOCN: Final = Namespace("http://www.w3.org/ns/locn#")

#: rdflib's parser name -> what a person calls it.
FORMAT_LABELS: Final[dict[str, str]] = {
    "xml": "RDF/XML",
    "turtle": "Turtle",
    "json-ld": "JSON-LD",
    "nt": "N-Triples",
}
_OPTION_FORMATS: Final = {
    "rdfxml": "xml",
    "turtle": "turtle",
    "jsonld": "json-ld",
    "ntriples": "nt",
}
_BY_MEDIA_TYPE: Final = {
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
}
_BY_EXTENSION: Final = {
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".ttl": "turtle",
    ".n3": "turtle",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
}
ACCEPT: Final = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, "
    "application/n-triples;q=0.8, application/xml;q=0.5, */*;q=0.1"
)
_EU_FREQUENCY_HTTPS: Final = "https://publications.europa.eu/resource/authority/"
#: The EU file-type authority and IANA media types (the export writes these IRIs).
EU_FILE_TYPE: Final = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPES: Final = (
    "https://www.iana.org/assignments/media-types/",
    "http://www.iana.org/assignments/media-types/",
)
#: not in rdflib's (closed, DCAT 2) DCAT namespace
_DATASET_SERIES: Final = URIRef(str(DCAT) + "DatasetSeries")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-/]\s*(\d{4})$")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


# -- parsing ---------------------------------------------------------------------------


_XML_START = re.compile(rb"^<(\?xml|!--|!doctype|[a-z_][\w.-]*(:[a-z_][\w.-]*)?[\s>/])")
_TURTLE_START = re.compile(rb"^(@prefix|@base|prefix\s|base\s|#|_:|<[^\s<>]*>)")


def _sniff(head: bytes) -> str | None:
    """What the content itself says it is, when it says so clearly (``head`` lowered and
    stripped): ``xml``, ``json-ld``, ``turtle`` (which includes N-Triples) or None."""
    if head.startswith((b"{", b"[")):
        return "json-ld"
    xml, turtle = bool(_XML_START.match(head)), bool(_TURTLE_START.match(head))
    if xml != turtle:  # both (``<a> <b>`` is XML and Turtle alike): undecided
        return "xml" if xml else "turtle"
    return None


def detect_format(body: bytes, *, content_type: str | None = None, name: str | None = None) -> str:
    """rdflib's parser name for a document: the Content-Type, else the extension, unless
    the content plainly contradicts it (servers often label every file
    ``application/xml`` or ``application/json``); else the content; else Turtle.

    Raises :class:`ValueError` for an HTML page.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if media in ("text/html", "application/xhtml+xml") or head.startswith(
        (b"<!doctype html", b"<html")
    ):
        raise ValueError("it is an HTML page, not an RDF document")
    declared = _BY_MEDIA_TYPE.get(media)
    if declared is None and name:
        declared = _BY_EXTENSION.get(Path(urlsplit(name).path).suffix.lower())
    sniffed = _sniff(head)
    if sniffed is None:
        return declared or "turtle"
    if declared is None or (sniffed == "turtle" and declared == "nt"):
        return declared or sniffed
    return sniffed


class _NoContent(ContentHandler):
    """A SAX handler that keeps nothing: the screen only needs the parse to finish."""


def _screen_xml(body: bytes) -> None:
    """Refuse XML that declares entities or refers to external ones (defusedxml)."""
    try:
        defusedxml.sax.parseString(
            body, _NoContent(), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.EntitiesForbidden:
        raise ValueError(
            "the XML declares entities (<!ENTITY ...>), which satudata refuses: they are "
            "how XXE and billion-laughs attacks work, and DCAT needs none"
        ) from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise ValueError(
            "the XML refers to an external entity or DTD, which satudata never fetches"
        ) from None
    except SAXException as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None


def _remote_contexts(value: Any, found: list[str], depth: int = 0) -> None:
    """Collect every remote (string) ``@context``/``@import`` of a JSON-LD document."""
    if depth > 200 or len(found) >= 3:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                for entry in item if isinstance(item, list) else [item]:
                    if isinstance(entry, str):
                        found.append(entry)
            elif key == "@import" and isinstance(item, str):
                found.append(item)
            _remote_contexts(item, found, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _remote_contexts(item, found, depth + 1)


def _screen_jsonld(body: bytes) -> None:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"not valid JSON ({exc})") from None
    remote: list[str] = []
    _remote_contexts(data, remote)
    if remote:
        raise ValueError(
            f"the JSON-LD document names a remote @context ({remote[0][:200]}); satudata "
            "never fetches anything a document points to: write the context inline"
        )


_RDFLIB = threading.Lock()


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's deprecation warnings about its own internals (its JSON-LD code
    uses its deprecated ConjunctiveGraph). ``warnings.catch_warnings`` changes global
    state, so parsing and writing RDF are serialised by one lock: parallel sources
    cannot undo each other's filters (parsing holds the GIL anyway)."""
    with _RDFLIB, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def parse_rdf(body: bytes, rdf_format: str, base: str) -> Graph:
    """Parse ``body`` safely (see the module doc); :class:`ValueError` with the reason."""
    if rdf_format == "xml":
        _screen_xml(body)
    elif rdf_format == "json-ld":
        _screen_jsonld(body)
    graph = Graph()
    try:
        with quiet_rdflib():
            graph.parse(data=body, format=rdf_format, publicID=base)
    except RecursionError:
        raise ValueError("the document is nested too deeply") from None
    except Exception as exc:  # rdflib raises many kinds; the message is what matters
        text = " ".join(str(exc).split()) or type(exc).__name__
        raise ValueError(text[:400]) from None
    return graph


# -- mapping ---------------------------------------------------------------------------


def _text(node: Node | None) -> str | None:
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, Literal):
        return str(node).strip() or None
    return None


def _sorted_nodes(nodes: Iterable[Node], graph: Graph | None = None) -> list[Node]:
    """Nodes in an order that is the same on every harvest of the same document. Blank
    node labels change from parse to parse, so with ``graph`` a blank node is ordered
    by what it says (its predicates and plain objects)."""

    def key(node: Node) -> tuple[str, str]:
        if isinstance(node, BNode) and graph is not None:
            said = sorted(
                f"{p} {o!r}" for p, o in graph.predicate_objects(node) if not isinstance(o, BNode)
            )
            return ("BNode", "\n".join(said))
        return (type(node).__name__, str(node))

    return sorted(set(nodes), key=key)


def _strip_scheme(text: str, scheme: str) -> str:
    return text[len(scheme) :].strip() if text.lower().startswith(scheme) else text


def _media_text(text: str) -> str:
    """EU file-type and IANA media-type URIs as the name they stand for."""
    if text.startswith(EU_FILE_TYPE):
        return text[len(EU_FILE_TYPE) :]
    for prefix in IANA_MEDIA_TYPES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _eu_uri(text: str) -> str:
    """``https://publications.europa.eu/...`` in the ``http`` form the vocabularies use."""
    if text.startswith(_EU_FREQUENCY_HTTPS):
        return "http://" + text[len("https://") :]
    return text


def _from_json(literal: Literal) -> Any:
    if literal.datatype == RDF.JSON:
        return json.loads(str(literal))
    if literal.datatype in (None, XSD.string) or literal.language:
        return str(literal)
    value = literal.toPython()
    return value if isinstance(value, int | float | bool | str) else str(literal)


class DcatMapper:
    """Maps the datasets of an RDF graph onto records with the standard's field names."""

    def __init__(self, languages: Iterable[str] = ("id", "en")) -> None:
        self.languages = tuple(lang.lower() for lang in languages)

    # -- finding datasets ----------------------------------------------------------------

    def datasets(self, graph: Graph) -> list[Node]:
        """Every dataset node: typed ``dcat:Dataset`` or ``dcat:DatasetSeries`` (a kind
        of dataset in DCAT 3) or listed by ``dcat:dataset``."""
        nodes = set(graph.subjects(RDF.type, DCAT.Dataset))
        nodes.update(graph.subjects(RDF.type, _DATASET_SERIES))
        nodes.update(graph.objects(None, DCAT.dataset))
        nodes -= set(graph.subjects(RDF.type, DCAT.Catalog))
        return [n for n in _sorted_nodes(nodes) if not isinstance(n, Literal)]

    def remote_id(self, graph: Graph, node: Node) -> str | None:
        ids = sorted(t for t in map(_text, graph.objects(node, DCTERMS.identifier)) if t)
        if ids:
            return ids[0]
        return str(node) if isinstance(node, URIRef) else None

    # -- helpers -------------------------------------------------------------------------

    def _rank(self, literal: Literal) -> int:
        lang = (literal.language or "").lower()
        for i, preferred in enumerate(self.languages):
            if lang == preferred or lang.startswith(preferred + "-"):
                return i
        return len(self.languages) + (1 if lang else 0)

    def _ordered(self, literals: Iterable[Node]) -> list[Literal]:
        found = [o for o in literals if isinstance(o, Literal) and str(o).strip()]
        return sorted(found, key=lambda o: (self._rank(o), o.language or "", str(o).strip()))

    def pick(self, graph: Graph, node: Node, *predicates: URIRef) -> str | None:
        for predicate in predicates:
            ordered = self._ordered(graph.objects(node, predicate))
            if ordered:
                return str(ordered[0]).strip()
        return None

    def _multilingual(
        self, graph: Graph, node: Node, predicate: URIRef
    ) -> tuple[str | None, dict[str, str]]:
        ordered = self._ordered(graph.objects(node, predicate))
        if not ordered:
            return None, {}
        translations: dict[str, str] = {}
        for literal in ordered:
            translations.setdefault(literal.language or "und", str(literal).strip())
        return str(ordered[0]).strip(), translations if len(translations) > 1 else {}

    def _first(self, graph: Graph, node: Node, predicate: URIRef) -> Node | None:
        nodes = _sorted_nodes(graph.objects(node, predicate), graph)
        return nodes[0] if nodes else None

    def _label(self, graph: Graph, node: Node | None) -> str | None:
        """A text for a node: a literal or URI as it is; a blank node by its labels."""
        if node is None:
            return None
        if isinstance(node, BNode):
            return self.pick(
                graph, node, RDF.value, SKOS.prefLabel, RDFS.label, DCTERMS.title,
                DCTERMS.identifier, SKOS.notation,
            )  # fmt: skip
        return _text(node)

    def _agent(self, graph: Graph, node: Node | None) -> str | None:
        if node is None or isinstance(node, Literal):
            return _text(node)
        return self.pick(
            graph, node, FOAF.name, VCARD.fn, VCARD["organization-name"], SKOS.prefLabel,
            RDFS.label, DCTERMS.title,
        )  # fmt: skip

    # -- one dataset ---------------------------------------------------------------------

    def map(self, graph: Graph, node: Node) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for key, predicate in (("title", DCTERMS.title), ("notes", DCTERMS.description)):
            text, translations = self._multilingual(graph, node, predicate)
            if text is not None:
                record[key] = text
            if translations:
                record[f"{key}_translations"] = translations
        organization = self._agent(graph, self._first(graph, node, DCTERMS.publisher))
        if organization:
            record["organization"] = organization
        creator = self._agent(graph, self._first(graph, node, DCTERMS.creator))
        if creator:
            record["produsen_data"] = creator
        tags = [str(o).strip() for o in self._ordered(graph.objects(node, DCAT.keyword))]
        if tags:
            record["tags"] = list(dict.fromkeys(tags))
        themes = sorted(
            {t for t in (self._label(graph, o) for o in graph.objects(node, DCAT.theme)) if t}
        )
        if themes:
            record["theme"] = themes
        self._single(graph, node, record)
        kontak = self._contact(graph, self._first(graph, node, DCAT.contactPoint))
        if kontak is not None:
            record["kontak"] = kontak
        self._temporal(graph, node, record)
        self._spatial(graph, node, record)
        resources = self._distributions(graph, node)
        if resources:
            record["resources"] = resources
            formats = [r["format"] for r in resources if isinstance(r.get("format"), str)]
            if formats:
                record["format"] = list(dict.fromkeys(formats))
        if "license_id" not in record:
            licences = sorted(
                {
                    _eu_uri(t)
                    for d in graph.objects(node, DCAT.distribution)
                    for t in (self._label(graph, o) for o in graph.objects(d, DCTERMS.license))
                    if t
                }
            )
            if licences:
                record["license_id"] = licences[0]
        self._overrides(graph, node, record)
        return record

    def _single(self, graph: Graph, node: Node, record: dict[str, Any]) -> None:
        frequency = self._label(graph, self._first(graph, node, DCTERMS.accrualPeriodicity))
        if frequency:
            record["jadwal_pemutakhiran"] = _eu_uri(frequency)
        access = self._label(graph, self._first(graph, node, DCTERMS.accessRights))
        if access:
            record["klasifikasi_akses"] = _eu_uri(access)
        for key, predicate in (
            ("tanggal_dibuat", DCTERMS.issued),
            ("tanggal_diperbarui", DCTERMS.modified),
            ("link_akses", DCAT.landingPage),
        ):
            value = _text(self._first(graph, node, predicate))
            if value:
                record[key] = value
        licence = self._label(graph, self._first(graph, node, DCTERMS.license))
        if licence:
            record["license_id"] = _eu_uri(licence)

    def _contact(self, graph: Graph, node: Node | None) -> str | dict[str, str] | None:
        if node is None:
            return None
        if isinstance(node, Literal):
            return _text(node)
        if isinstance(node, URIRef) and str(node).lower().startswith("mailto:"):
            return _strip_scheme(str(node), "mailto:") or None  # the e-mail as the contact
        out: dict[str, str] = {}
        name = self.pick(graph, node, VCARD.fn, VCARD["organization-name"], FOAF.name)
        if name:
            out["nama"] = name
        for key, predicate, scheme in (
            ("email", VCARD.hasEmail, "mailto:"),
            ("telepon", VCARD.hasTelephone, "tel:"),
        ):
            value = self._label(graph, self._first(graph, node, predicate))
            if value:
                out[key] = _strip_scheme(value, scheme)
        if set(out) == {"email"}:
            return out["email"]
        return out or None

    def _bound(self, graph: Graph, period: Node, which: str) -> str | None:
        if which == "start":
            direct = (DCAT.startDate, SCHEMA.startDate, SCHEMA_S.startDate)
            instant = TIME.hasBeginning
        else:
            direct = (DCAT.endDate, SCHEMA.endDate, SCHEMA_S.endDate)
            instant = TIME.hasEnd
        for predicate in direct:
            value = _text(self._first(graph, period, predicate))
            if value:
                return value
        moment = self._first(graph, period, instant)
        if moment is not None:
            for predicate in (
                TIME.inXSDDate, TIME.inXSDDateTime, TIME.inXSDDateTimeStamp, TIME.inXSDgYear
            ):  # fmt: skip
                value = _text(self._first(graph, moment, predicate))
                if value:
                    return value
        return None

    def _temporal(self, graph: Graph, node: Node, record: dict[str, Any]) -> None:
        period = self._first(graph, node, DCTERMS.temporal)
        if period is None:
            return
        if isinstance(period, Literal):
            text = str(period).strip()
            years = _YEAR_RANGE.match(text)
            if _YEAR.match(text):
                start = end = text
            elif years:
                start, end = years.group(1), years.group(2)
            elif "/" in text:
                start, end = (part.strip() for part in text.split("/", 1))
            else:
                record["temporal"] = text
                return
        else:
            start = self._bound(graph, period, "start") or ".."
            end = self._bound(graph, period, "end") or ".."
        if start == ".." and end == "..":
            return
        if _YEAR.match(start[:4]) and _YEAR.match(end[:4]):
            first, last = int(start[:4]), int(end[:4])
            record["tahun"] = first if first == last else f"{first}-{last}"
        if not (_YEAR.match(start) and _YEAR.match(end)):
            record["temporal"] = f"{start}/{end}"

    def _spatial(self, graph: Graph, node: Node, record: dict[str, Any]) -> None:
        places: list[str] = []
        for place in _sorted_nodes(graph.objects(node, DCTERMS.spatial), graph):
            if isinstance(place, BNode):
                codes = [
                    str(n).strip()
                    for n in graph.objects(place, SKOS.notation)
                    if isinstance(n, Literal) and n.datatype == SD.kodeWilayah
                ]
                if codes and "kode_wilayah" not in record:
                    record["kode_wilayah"] = sorted(codes)[0]
                    continue
                text = self.pick(
                    graph, place, SKOS.prefLabel, RDFS.label, DCTERMS.title,
                    LOCN.geographicName, LOCN.geometry, DCAT.bbox, DCAT.centroid,
                )  # fmt: skip
            elif isinstance(place, Literal) and place.datatype == SD.kodeWilayah:
                record.setdefault("kode_wilayah", str(place).strip())
                continue
            else:
                text = _text(place)
            if text and text not in places:
                places.append(text)
        if places:
            record["spatial"] = places[0] if len(places) == 1 else places

    def _distributions(self, graph: Graph, node: Node) -> list[dict[str, Any]]:
        keyed: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        for dist in set(graph.objects(node, DCAT.distribution)):
            if isinstance(dist, Literal):
                continue
            resource: dict[str, Any] = {}
            download = _text(self._first(graph, dist, DCAT.downloadURL))
            access = _text(self._first(graph, dist, DCAT.accessURL))
            url = download or access
            if url:
                resource["url"] = url
            if download and access and access != download:
                resource["access_url"] = access
            name = self.pick(graph, dist, DCTERMS.title)
            if name:
                resource["name"] = name
            description = self.pick(graph, dist, DCTERMS.description)
            if description:
                resource["description"] = description
            media = self._label(graph, self._first(graph, dist, DCAT.mediaType))
            declared = self._label(graph, self._first(graph, dist, DCTERMS.format))
            if declared or media:
                resource["format"] = _media_text(declared or media or "")
            if media:
                resource["mimetype"] = _media_text(media)
            size = self._first(graph, dist, DCAT.byteSize)
            if isinstance(size, Literal):
                try:
                    number = float(str(size).strip())
                except ValueError:
                    number = -1.0
                if number >= 0 and number == int(number):
                    resource["size"] = int(number)
            modified = _text(self._first(graph, dist, DCTERMS.modified))
            if modified:
                resource["last_modified"] = modified
            self._overrides(graph, dist, resource)
            position = self._first(graph, dist, SD.position)
            try:
                order = int(str(position)) if isinstance(position, Literal) else None
            except ValueError:
                order = None
            keyed.append(
                (
                    (
                        order is None,
                        order or 0,
                        str(resource.get("url", "")),
                        str(resource.get("name", "")),
                        str(dist) if isinstance(dist, URIRef) else "",
                        json.dumps(resource, sort_keys=True, default=str),
                    ),
                    resource,
                )
            )
        keyed.sort(key=lambda pair: pair[0])
        return [resource for _key, resource in keyed]

    def _overrides(self, graph: Graph, node: Node, record: dict[str, Any]) -> None:
        """The satudata namespaces: exact values for what DCAT cannot carry."""
        for predicate, value in graph.predicate_objects(node):
            if isinstance(predicate, URIRef) and predicate.startswith(str(SDF)):
                key = str(predicate)[len(str(SDF)) :]
                if key and isinstance(value, Literal):
                    record[key] = _from_json(value)
        for field in graph.objects(node, SD.field):
            name = _text(self._first(graph, field, SD.key))
            exact = self._first(graph, field, SD.value)
            if name and isinstance(exact, Literal):
                record[name] = _from_json(exact)
        for unset in graph.objects(node, SD.unset):
            record.pop(str(unset), None)


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
        self.mapper = DcatMapper(self.settings.languages)
        self.pass_info = PassInfo()

    def _note(self, text: str, level: int = logging.INFO) -> None:
        logger.log(level, "source %s: %s", self.config.id, text)
        self.pass_info.notes.append(text)

    def _fail(self, where: str, reason: str) -> SourceError:
        return SourceError(f"source {self.config.id}: {where}: {reason}")

    def _format(self, body: bytes, content_type: str | None, name: str) -> str:
        if self.settings.format != "auto":
            return _OPTION_FORMATS[self.settings.format]
        return detect_format(body, content_type=content_type, name=name)

    def _parse(self, body: bytes, content_type: str | None, where: str, base: str) -> Graph:
        try:
            rdf_format = self._format(body, content_type, where)
        except ValueError as exc:
            raise self._fail(where, str(exc)) from None
        label = FORMAT_LABELS[rdf_format]
        try:
            graph = parse_rdf(body, rdf_format, base)
        except ValueError as exc:
            raise self._fail(where, f"cannot be read as {label}: {exc}") from None
        if len(graph) == 0:
            raise self._fail(where, f"holds no RDF statements (read as {label})")
        return graph

    def _read_file(self, path: Path) -> bytes:
        limit = self.config.http.max_response_bytes
        try:
            with path.open("rb") as handle:
                body = handle.read(limit + 1)
        except FileNotFoundError:
            raise self._fail(str(path), "the file does not exist") from None
        except OSError as exc:
            raise self._fail(str(path), f"cannot be read: {exc.strerror or exc}") from None
        if len(body) > limit:
            raise self._fail(
                str(path),
                f"is larger than {limit / 1048576:.3g} MiB (http.max_response_mb)",
            )
        return body

    def _fetch(self, url: str) -> tuple[Graph, str]:
        assert self.http is not None
        try:
            body, content_type, final = self.http.get_bytes(url, headers={"Accept": ACCEPT})
        except HttpError as exc:
            raise SourceError(f"source {self.config.id}: {exc}") from None
        return self._parse(body, content_type, final, final), final

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        self.pass_info = PassInfo(incremental=False)
        records = self._collect(limit)
        yield from records

    def _collect(self, limit: int | None) -> list[RemoteRecord]:
        """Every page read and mapped (all or nothing, see the module doc)."""
        state = _Pass(limit)
        if self.config.path is not None:
            path = self.config.path
            graph = self._parse(self._read_file(path), None, str(path), path.resolve().as_uri())
            self._map_page(graph, state)
            if _next_pages(graph) and not state.full:
                self._note(
                    f"{path} names a next page (Hydra paging); links in a local file are "
                    "not followed, so this pass is not complete: nothing is withdrawn",
                    logging.WARNING,
                )
                state.complete = False
        else:
            assert self.config.url is not None
            self._follow_pages(self.config.url, state)
        if state.duplicates:
            self._note(f"{state.duplicates} dataset(s) appeared more than once; the first was kept")
        if not state.records and not state.failed_ids:
            self._note(
                "no dcat:Dataset found in the catalogue, so this pass is not complete: "
                "nothing is withdrawn",
                logging.WARNING,
            )
            state.complete = False
        if state.full:
            self._note(f"stopped after --limit {limit} records")
        self.pass_info.complete = state.complete and not state.full
        return state.records

    def _map_page(self, graph: Graph, state: _Pass) -> int:
        """Map the datasets of one page; the number of datasets not seen before."""
        fresh = 0
        for node in self.mapper.datasets(graph):
            if state.full:
                break
            remote_id = self.mapper.remote_id(graph, node)
            if remote_id is None:
                label = self.mapper.pick(graph, node, DCTERMS.title) or "untitled"
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
            modified = _text(self.mapper._first(graph, node, DCTERMS.modified))
            try:
                record = self.mapper.map(graph, node)
            except Exception as exc:  # one bad dataset must not stop the pass
                logger.debug("cannot map dataset %s", remote_id, exc_info=True)
                state.records.append(
                    RemoteRecord(
                        remote_id, None, modified, error=f"cannot map the dataset: {exc!r}"
                    )
                )
                continue
            state.records.append(RemoteRecord(remote_id, record, modified))
        return fresh

    def _follow_pages(self, url: str, state: _Pass) -> None:
        start_origin: tuple[str, str, int | None] | None = None
        visited: set[str] = set()
        last_pages: set[str] = set()
        total: int | None = None
        current: str | None = url
        pages = 0
        while current is not None:
            if pages >= self.settings.max_pages:
                self._note(
                    f"stopped after dcat.max_pages={self.settings.max_pages} pages, so this "
                    "pass is not complete: nothing is withdrawn",
                    logging.WARNING,
                )
                state.complete = False
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
                if pages > 1:
                    self._note(f"read {pages} pages (Hydra paging)")
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
                complete = reached
                self._note(
                    f"{why}; paging stopped after {pages} pages and {len(state.seen)} datasets"
                    + ("" if complete else ", so this pass is not complete: nothing is withdrawn"),
                    logging.WARNING,
                )
                state.complete = state.complete and complete
                return
            current = chosen

    def _page_had_datasets(self, graph: Graph) -> bool:
        return bool(self.mapper.datasets(graph))


class _Pass:
    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.records: list[RemoteRecord] = []
        self.seen: set[str] = set()
        self.failed_ids: set[str] = set()
        self.duplicates = 0
        self.complete = True

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.records) >= self.limit


def _next_pages(graph: Graph) -> list[tuple[Node, str]]:
    found = []
    for predicate in (HYDRA.next, HYDRA.nextPage):
        for subject, target in graph.subject_objects(predicate):
            text = _text(target)
            if text and not isinstance(target, BNode):
                found.append((subject, text))
    return found


def _choose_next(following: list[tuple[Node, str]], current: set[str]) -> str:
    own = sorted(text for subject, text in following if str(subject) in current)
    return own[0] if own else sorted(text for _s, text in following)[0]


def _total_items(graph: Graph) -> int | None:
    for value in graph.objects(None, HYDRA.totalItems):
        try:
            return int(str(value).strip())
        except ValueError:
            continue
    return None


# -- settings and registration (see satudata_cli.sources.registry) ---------------------


RdfFormat = TypingLiteral["auto", "rdfxml", "turtle", "jsonld", "ntriples"]


class DcatSettings(BaseModel):
    """Options of a ``dcat`` source (the ``dcat:`` block)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="DCAT settings",
        json_schema_extra={
            "description": (
                "Options of a dcat source. / Pengaturan sumber dcat (katalog RDF DCAT)."
            )
        },
    )

    format: RdfFormat = Field(
        default="auto",
        description=(
            "RDF serialisation of the document: auto (Content-Type, then file extension, "
            "then the content), rdfxml, turtle, jsonld or ntriples. / Serialisasi RDF "
            "dokumen: auto (Content-Type, ekstensi berkas, lalu isi), rdfxml, turtle, "
            "jsonld atau ntriples."
        ),
    )
    languages: list[str] = Field(
        default_factory=lambda: ["id", "en"],
        description=(
            "Preferred languages for titles and descriptions, in order; then text without "
            "a language tag, then any. / Bahasa yang diutamakan untuk judul dan deskripsi, "
            "berurutan; lalu teks tanpa tag bahasa, lalu bahasa lain."
        ),
    )
    max_pages: int = Field(
        default=10_000,
        ge=1,
        le=1_000_000,
        description=(
            "Most Hydra pages read in one pass; a catalogue with more pages is read "
            "partly and nothing is withdrawn. / Jumlah halaman Hydra paling banyak per "
            "panen; bila lebih, panen tidak lengkap dan tidak ada yang ditarik."
        ),
    )

    @field_validator("languages")
    @classmethod
    def _language_tags(cls, values: list[str]) -> list[str]:
        out = []
        for value in values:
            tag = value.strip().lower()
            if not re.fullmatch(r"[a-z]{1,8}(-[a-z0-9]{1,8})*", tag):
                raise ValueError(f"{value!r} is not a language tag such as id or en")
            out.append(tag)
        return out


def _build(config: SourceConfig, validator: Validator, http: HttpClient | None) -> DcatSource:
    return DcatSource(config, http)


SPEC = SourceSpec(
    name="dcat",
    summary="a DCAT catalogue in RDF: RDF/XML, Turtle, JSON-LD or N-Triples; Hydra pages followed",
    location="url_or_path",
    path_means="a file",
    build=_build,
    incremental=DcatSource.incremental,
    settings=DcatSettings,
    settings_summary="type dcat: options (optional). / Pengaturan khusus jenis dcat.",
)
