"""The streaming DCAT reader: pyoxigraph parses, a light index maps (no rdflib terms).

rdflib builds a graph of Python term objects and answers every lookup through its store;
for a catalogue of 20,000 datasets that is most of a minute and a gigabyte. This reader
lets pyoxigraph (Rust) parse the document into a stream of statements and keeps them in
a plain index, ``subject -> predicate -> [objects]``, of three small term types:

- :class:`Iri` and :class:`Blank` (a ``str`` with ``_:`` before the label), so
  hashing and comparing them is ``str``'s own C code;
- :class:`Lit`, a tuple ``(text, language, datatype)``; ``xsd:string`` and language
  strings have no datatype (rdflib's plain literal), and the lexical form of an XSD
  datatype rdflib normalises (``01`` -> ``1``, ``...Z`` -> ``...+00:00``) is normalised
  by rdflib itself, once per distinct value.

:class:`LightMapper` is :class:`~satudata_cli.codecs.dcat.read.DcatMapper` over that
index, rule for rule: the records are the same (a test maps a varied corpus in every
format both ways and compares). :func:`parse_light` returns None for what it cannot
read exactly as rdflib would (a syntax error, an RDF 1.2 triple term, an upper-case
language tag, which pyoxigraph lower-cases, an ``rdf:parseType="Literal"`` XML literal),
and the caller reads that document with rdflib as before. The safety screens of
:mod:`.rdf` run before either parser.
"""

from __future__ import annotations

import gc
import json
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import IO, Any, Final, cast

import pyoxigraph
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import XSDToPython

from satudata_cli.codecs.dcat.chunks import Chunks
from satudata_cli.codecs.dcat.vocab import (
    ADMS,
    DATASET_EXTRAS,
    EU_AUTHORITY,
    LOCN,
    RESOURCE_EXTRAS,
    SCHEMA,
    SCHEMA_S,
    SD,
    SDF,
    SPDX,
    TIME,
    VCARD,
    duration_frequency,
    iso_frequency,
    period_of_text,
    put_period,
)
from satudata_cli.codecs.dcat.vocab import eu_iri as _eu_uri
from satudata_cli.codecs.dcat.vocab import media_name as _media_text

__all__ = [
    "Blank",
    "Iri",
    "LightGraph",
    "LightMapper",
    "Lit",
    "frozen_heap",
    "light_text",
    "parse_light",
    "paused_gc",
]

logger = logging.getLogger("satudata.codecs.dcat")


class Iri(str):
    """An IRI (its text)."""

    __slots__ = ()


class Blank(str):
    """A blank node: ``_:`` and its label (never equal to an IRI, which has a scheme)."""

    __slots__ = ()


#: A literal: a plain tuple ``(text, language or None, datatype IRI or None)`` (one
#: allocation; ``type(node) is tuple`` tells it from an IRI or a blank node).
Lit = tuple[str, str | None, str | None]


Node = Iri | Blank | Lit
_EMPTY: Final[dict[str, list[Node]]] = {}
_NONE: Final[tuple[Node, ...]] = ()


def _p(term: Any) -> str:
    """An rdflib term (``URIRef``) as a plain ``str`` key."""
    return str.__str__(term)


# the terms, as plain strings
_TYPE: Final = _p(RDF.type)
_DATASET: Final = _p(DCAT.Dataset)
_SERIES: Final = str(DCAT) + "DatasetSeries"
_CATALOG: Final = _p(DCAT.Catalog)
_HAS_DATASET: Final = _p(DCAT.dataset)
_XSD_STRING: Final = _p(XSD.string)
_XSD_DURATION: Final = _p(XSD.duration)
_RDF_JSON: Final = _p(RDF.JSON)
_LANG_STRING: Final = _p(RDF.langString)
_KODE_WILAYAH: Final = _p(SD.kodeWilayah)
_SDF: Final = str(SDF)
_T: Final = {name: _p(term) for name, term in {
    "title": DCTERMS.title, "description": DCTERMS.description, "identifier": DCTERMS.identifier,
    "publisher": DCTERMS.publisher, "creator": DCTERMS.creator, "keyword": DCAT.keyword,
    "theme": DCAT.theme, "contactPoint": DCAT.contactPoint, "admsContact": ADMS.contactPoint,
    "distribution": DCAT.distribution, "license": DCTERMS.license,
    "accrualPeriodicity": DCTERMS.accrualPeriodicity, "accessRights": DCTERMS.accessRights,
    "issued": DCTERMS.issued, "modified": DCTERMS.modified, "landingPage": DCAT.landingPage,
    "fn": VCARD.fn, "orgName": VCARD["organization-name"], "foafName": FOAF.name,
    "hasEmail": VCARD.hasEmail, "hasTelephone": VCARD.hasTelephone,
    "temporal": DCTERMS.temporal, "spatial": DCTERMS.spatial, "notation": SKOS.notation,
    "prefLabel": SKOS.prefLabel, "label": RDFS.label, "value": RDF.value,
    "geographicName": LOCN.geographicName, "geometry": LOCN.geometry, "bbox": DCAT.bbox,
    "centroid": DCAT.centroid, "downloadURL": DCAT.downloadURL, "accessURL": DCAT.accessURL,
    "mediaType": DCAT.mediaType, "format": DCTERMS.format, "byteSize": DCAT.byteSize,
    "checksum": SPDX.checksum, "checksumValue": SPDX.checksumValue,
    "algorithm": SPDX.algorithm, "position": SD.position, "field": SD.field, "key": SD.key,
    "sdValue": SD.value, "unset": SD.unset, "hasXSDDuration": TIME.hasXSDDuration,
    "hasDuration": TIME.hasDuration, "hasBeginning": TIME.hasBeginning, "hasEnd": TIME.hasEnd,
}.items()}  # fmt: skip
_START: Final = tuple(_p(t) for t in (DCAT.startDate, SCHEMA.startDate, SCHEMA_S.startDate))
_END: Final = tuple(_p(t) for t in (DCAT.endDate, SCHEMA.endDate, SCHEMA_S.endDate))
_INSTANT: Final = tuple(
    _p(t) for t in (TIME.inXSDDate, TIME.inXSDDateTime, TIME.inXSDDateTimeStamp, TIME.inXSDgYear)
)
_DURATION_PARTS: Final = {
    "years": _p(TIME.years), "months": _p(TIME.months), "weeks": _p(TIME.weeks),
    "days": _p(TIME.days),
}  # fmt: skip
_DATASET_EXTRAS: Final = {name: _p(term) for name, term in DATASET_EXTRAS.items()}
_RESOURCE_EXTRAS: Final = {name: _p(term) for name, term in RESOURCE_EXTRAS.items()}
_DC_FREQUENCY: Final = "http://purl.org/cld/freq/"
_MEDIA_TYPE_TEXT = re.compile(r"^[a-z]+/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")
#: XSD datatypes whose lexical form rdflib normalises when it reads a literal
_NORMALISED: Final = frozenset(_p(dt) for dt in XSDToPython if dt is not None) - {_XSD_STRING}
_KINDS: Final = frozenset({_DATASET, _SERIES, _CATALOG})
_TYPE_NAMES: Final[dict[type, str]] = {Iri: "URIRef", Blank: "BNode", tuple: "Literal"}


@lru_cache(maxsize=1024)
def _rdflib_lexical(text: str, datatype: str) -> str:
    """The lexical form rdflib keeps for ``text^^datatype`` (it normalises XSD values)."""
    return str(Literal(text, datatype=URIRef(datatype)))


def _lex(node: Node) -> str:
    """``str()`` of the rdflib term: an IRI, a blank node's label, a literal's text."""
    if type(node) is tuple:
        return node[0]
    if type(node) is Blank:
        return node[2:]
    return str.__str__(node)


def light_text(node: Node | None) -> str | None:
    """A literal's stripped text or an IRI as text (None for a blank node or nothing)."""
    if type(node) is Iri:
        return str.__str__(node)
    if type(node) is tuple:
        return node[0].strip() or None
    return None


def _repr(node: Node) -> str:
    """rdflib's ``repr`` of the term (blank nodes are ordered by it, see read.py)."""
    if type(node) is tuple:
        args = [str.__repr__(node[0])]
        if node[1] is not None:
            args.append("lang=" + repr(node[1]))
        if node[2] is not None:
            args.append(f"datatype=rdflib.term.URIRef({node[2]!r})")
        return f"rdflib.term.Literal({', '.join(args)})"
    if type(node) is Blank:
        return f"rdflib.term.BNode({node[2:]!r})"
    return f"rdflib.term.URIRef({str.__str__(node)!r})"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block without Python's cyclic garbage collector.

    Reading a catalogue makes millions of small containers (the index, then the
    records) and no reference cycles; every collection of the oldest generation would
    walk all of them again, which made reading 20,000 datasets several times slower
    than reading 2,000 ten times. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Run the block with every object alive now out of the cyclic collector's sight
    (``gc.freeze``), and back in it afterwards (``gc.unfreeze``).

    While the engine stores the records of a catalogue read whole, each collection of
    the oldest generation would walk every record still waiting, again and again (about
    a fifth of a 20,000-dataset harvest). Reference counting still frees each record
    once it is stored; the objects are only left out of cycle detection meanwhile."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# =========================================================================== the index


class LightGraph:
    """The statements of a document, compactly: ``subject -> [p, o, p, o, ...]`` (one
    flat list per subject, no dict or list per predicate: a third less memory), turned
    into ``predicate -> [objects]`` (no repeats) when a subject is looked at
    (:meth:`preds`, a bounded cache). The ``rdf:type`` statements and the objects of
    ``dcat:dataset`` are also kept aside while parsing, to find the datasets."""

    _CACHE: Final = 4096

    def __init__(self) -> None:
        self.flat: dict[Node, list[Any]] = {}
        self.typed: list[tuple[Node, Node]] = []
        self.listed: list[Node] = []
        #: the predicates in satudata's field namespace (``sdf:``) the document uses
        self.sdf: list[str] = []
        #: every predicate the document uses: a look-up over all subjects
        #: (:meth:`objects` without a subject, :meth:`subject_objects`, :meth:`subjects`)
        #: of a predicate not among them is answered without walking the subjects
        #: (Hydra paging terms, asked of every document, are absent from most)
        self.used: frozenset[str] = frozenset()
        self.size = 0
        self._cache: dict[Node, dict[str, list[Node]]] = {}

    def __len__(self) -> int:
        return self.size

    def preds(self, subject: Node) -> dict[str, list[Node]]:
        """``predicate -> [objects]`` of a subject (empty for none, or a literal)."""
        cached = self._cache.get(subject)
        if cached is not None:
            return cached
        flat = self.flat.get(subject)
        if flat is None:
            return _EMPTY
        out: dict[str, list[Node]] = {}
        pairs = iter(flat)
        for predicate, obj in zip(pairs, pairs, strict=True):
            objects = out.get(predicate)
            if objects is None:
                out[predicate] = [obj]
            else:
                objects.append(obj)
        for predicate, objects in out.items():
            if len(objects) > 1:  # a statement given twice is one statement
                out[predicate] = list(dict.fromkeys(objects))
        if len(self._cache) >= self._CACHE:
            self._cache.clear()
        self._cache[subject] = out
        return out

    def objects(self, subject: Node | None, predicate: Any) -> list[Node]:
        key = _p(predicate)
        if subject is not None:
            return list(self.preds(subject).get(key, _NONE))
        if key not in self.used:
            return []
        found = [o for s in self.flat for o in self.preds(s).get(key, _NONE)]
        return list(dict.fromkeys(found))

    def subject_objects(self, predicate: Any) -> list[tuple[Node, Node]]:
        key = _p(predicate)
        if key not in self.used:
            return []
        return [(s, o) for s in self.flat for o in self.preds(s).get(key, _NONE)]

    def subjects(self, predicate: Any, obj: Node) -> list[Node]:
        key = _p(predicate)
        if key not in self.used:
            return []
        return [s for s in self.flat if obj in self.preds(s).get(key, _NONE)]

    def predicate_objects(self, subject: Node) -> Iterator[tuple[str, Node]]:
        for predicate, objects in self.preds(subject).items():
            for obj in objects:
                yield predicate, obj


_FORMATS: Final = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
    "json-ld": pyoxigraph.RdfFormat.JSON_LD,
}
#: what pyoxigraph would read differently from rdflib: a language tag with a capital
#: letter (pyoxigraph lower-cases it), an XML literal (serialised differently). Each
#: pattern begins with a literal, which the regular expression engine looks for with a
#: fast scan (one alternation of the same patterns scanned a 70 MB JSON-LD document in
#: 0.51 s, these two in 0.11 s). JSON-LD's ``"@language"`` as a value (an alias,
#: ``"@container": "@language"`` or in an array) is any not followed by a colon: a little
#: more than "after a colon", so a little more is left to rdflib.
_QUOTED_UPPER_TAG: Final = (
    re.compile(rb"\"@[A-Za-z0-9-]*[A-Z]"),
    re.compile(rb"'@[A-Za-z0-9-]*[A-Z]"),
)
_UPPER_LANGUAGE: Final[dict[str, tuple[re.Pattern[bytes], ...]]] = {
    "turtle": _QUOTED_UPPER_TAG,
    "nt": _QUOTED_UPPER_TAG,
    "xml": (
        re.compile(rb"xml:lang\s*=\s*[\"'][^\"']*[A-Z]"),
        re.compile(rb"parseType\s*=\s*[\"']Literal"),
    ),
    "json-ld": (
        re.compile(rb'"@language"(?:\s*:\s*"[^"]*[A-Z]|(?!\s*:))'),
        re.compile(rb'"@container"\s*:[^}]*@language'),
    ),
}


def _first_format(rdf_format: str) -> pyoxigraph.RdfFormat:
    """The parser tried first: JSON-LD's streaming profile, else the format's own."""
    if rdf_format == "json-ld":
        return pyoxigraph.RdfFormat.STREAMING_JSON_LD
    return _FORMATS[rdf_format]


class _Unsupported(Exception):
    """The document holds something only rdflib reads as rdflib does."""


def parse_light(body: Chunks, rdf_format: str, base: str) -> LightGraph | None:
    """The document's statements in a :class:`LightGraph` (its default graph, as
    rdflib's ``Graph`` reads it), or None when rdflib should read it (see the module doc;
    a consumable document is then consumed, see :meth:`Chunks.reader`).
    Screening (entities, remote contexts) is the caller's (:mod:`.rdf`)."""
    if any(body.search(pattern) for pattern in _UPPER_LANGUAGE[rdf_format]):
        logger.debug("upper-case language tag or XML literal: read with rdflib")
        return None
    if body.consumable:  # one pass over the chunks, each let go once read
        try:
            quads = pyoxigraph.parse(
                cast(IO[bytes], body.reader()), format=_first_format(rdf_format), base_iri=base,
                without_named_graphs=True,
            )  # fmt: skip
            return _index(quads)
        except (SyntaxError, ValueError, _Unsupported) as exc:
            logger.debug("the streaming parser cannot read it: %s", exc)
            return None
    data = body.join()
    formats = [_FORMATS[rdf_format]]
    if rdf_format == "json-ld":
        # the streaming profile (``@context`` first, ``@type`` first or right after it)
        # keeps memory flat; a document in any other order is refused by that parser
        # and read again by the general one, which holds the whole JSON tree
        formats.insert(0, pyoxigraph.RdfFormat.STREAMING_JSON_LD)
    for rdf in formats:
        try:
            quads = pyoxigraph.parse(data, format=rdf, base_iri=base, without_named_graphs=True)
            return _index(quads)
        except (SyntaxError, ValueError, _Unsupported) as exc:
            logger.debug("the streaming parser (%s) cannot read it: %s", rdf, exc)
    return None  # rdflib reads it


def _index(quads: Iterable[pyoxigraph.Quad]) -> LightGraph:
    graph = LightGraph()
    flat, typed, listed = graph.flat, graph.typed, graph.listed
    iris: dict[str, Iri] = {}
    blanks: dict[str, Blank] = {}
    predicates: dict[str, str] = {}
    named, blank, literal = pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal
    normalised, lexical, xsd_string = _NORMALISED, _rdflib_lexical, _XSD_STRING
    rdf_type, has_dataset, kinds = _TYPE, _HAS_DATASET, _KINDS
    # a subject's statements mostly come one after another (in N-Triples and Turtle as
    # written, always): the last subject's node and list are kept at hand
    last_kind: Any = None
    last_text = ""
    subject: Node = Iri("")
    pairs: list[Any] = []
    for quad in quads:  # the default graph only (without_named_graphs)
        s: Any = quad.subject
        kind: Any = type(s)
        text = s.value
        if text != last_text or kind is not last_kind:
            if kind is named:
                subject = iris.get(text) or iris.setdefault(text, Iri(text))
            elif kind is blank:
                subject = blanks.get(text) or blanks.setdefault(text, Blank("_:" + text))
            else:
                raise _Unsupported("a triple term as subject")
            found = flat.get(subject)
            if found is None:
                found = flat[subject] = []
            pairs, last_text, last_kind = found, text, kind
        text = quad.predicate.value
        predicate = predicates.get(text) or predicates.setdefault(text, text)
        o: Any = quad.object
        kind = type(o)
        if kind is literal:
            language = o.language
            if language:
                obj: Node = (o.value, language, None)
            else:
                datatype = o.datatype.value
                if datatype == xsd_string:
                    obj = (o.value, None, None)
                elif datatype in normalised:
                    obj = (lexical(o.value, datatype), None, datatype)
                else:
                    obj = (o.value, None, datatype)
        elif kind is named:
            text = o.value
            obj = iris.get(text) or iris.setdefault(text, Iri(text))
        elif kind is blank:
            text = o.value
            obj = blanks.get(text) or blanks.setdefault(text, Blank("_:" + text))
        else:
            raise _Unsupported("a triple term as object")
        pairs.append(predicate)
        pairs.append(obj)
        if predicate == rdf_type:
            if obj in kinds:  # only what finding the datasets needs
                typed.append((subject, obj))
        elif predicate == has_dataset:
            listed.append(obj)
    graph.size = sum(map(len, flat.values())) // 2
    graph.used = frozenset(predicates)
    graph.sdf = [p for p in predicates if p.startswith(_SDF) and len(p) > len(_SDF)]
    return graph


# =========================================================================== mapping


def _strip_scheme(text: str, scheme: str) -> str:
    return text[len(scheme) :].strip() if text.lower().startswith(scheme) else text


def _from_json(literal: Lit) -> Any:
    text, language, datatype = literal
    if datatype == _RDF_JSON:
        return json.loads(text)
    if datatype is None or datatype == _XSD_STRING or language:
        return text
    value = Literal(text, datatype=URIRef(datatype)).toPython()
    return value if isinstance(value, int | float | bool | str) else text


class LightMapper:
    """:class:`~satudata_cli.codecs.dcat.read.DcatMapper` over a :class:`LightGraph`:
    the same rules, the same records (see that class for what each one does)."""

    def __init__(self, languages: Iterable[str] = ("id", "en")) -> None:
        self.languages = tuple(lang.lower() for lang in languages)
        self._ranks: dict[str | None, int] = {}

    # -- the index -----------------------------------------------------------------------

    @staticmethod
    def _objects(graph: LightGraph, node: Node, predicate: str) -> list[Node] | tuple[Node, ...]:
        return graph.preds(node).get(predicate, _NONE)

    def _sorted_nodes(self, nodes: Iterable[Node], graph: LightGraph | None = None) -> list[Node]:
        unique = set(nodes)
        if len(unique) < 2:
            return list(unique)

        def key(node: Node) -> tuple[str, str]:
            if type(node) is Blank and graph is not None:
                said = sorted(
                    f"{p} {_repr(o)}"
                    for p, o in graph.predicate_objects(node)
                    if type(o) is not Blank
                )
                return ("BNode", "\n".join(said))
            return (_TYPE_NAMES[type(node)], _lex(node))

        return sorted(unique, key=key)

    def first(self, graph: LightGraph, node: Node, predicate: Any) -> Node | None:
        return self._one(graph, graph.preds(node).get(_p(predicate), _NONE))

    def _one(self, graph: LightGraph, objects: list[Node] | tuple[Node, ...]) -> Node | None:
        """The first of the objects of one subject and predicate, as :meth:`first`."""
        if not objects:
            return None
        if len(objects) == 1:
            return objects[0]
        return self._sorted_nodes(objects, graph)[0]

    # -- finding datasets ----------------------------------------------------------------

    def datasets(self, graph: LightGraph) -> list[Node]:
        nodes: set[Node] = set()
        catalogs: set[Node] = set()
        for subject, kind in graph.typed:
            if kind in (_DATASET, _SERIES):
                nodes.add(subject)
            elif kind == _CATALOG:
                catalogs.add(subject)
        nodes.update(graph.listed)
        nodes -= catalogs
        nodes -= set(self.references(graph))
        return [n for n in self._sorted_nodes(nodes) if type(n) is not tuple]

    def references(self, graph: LightGraph) -> list[Node]:
        flat = graph.flat
        return [
            n for n in self._sorted_nodes(graph.listed) if type(n) is not tuple and n not in flat
        ]

    def split_keywords(self, graph: LightGraph, node: Node) -> list[str]:
        return sorted(
            o[0].strip()
            for o in self._objects(graph, node, _T["keyword"])
            if type(o) is tuple and len([w for w in o[0].split(",") if w.strip()]) > 1
        )

    def remote_id(self, graph: LightGraph, node: Node) -> str | None:
        ids = sorted(t for t in map(light_text, self._objects(graph, node, _T["identifier"])) if t)
        if ids:
            return ids[0]
        return str.__str__(node) if type(node) is Iri else None

    # -- helpers -------------------------------------------------------------------------

    def _rank(self, language: str | None) -> int:
        rank = self._ranks.get(language)
        if rank is None:
            lang = (language or "").lower()
            rank = len(self.languages) + (1 if lang else 0)
            for i, preferred in enumerate(self.languages):
                if lang == preferred or lang.startswith(preferred + "-"):
                    rank = i
                    break
            self._ranks[language] = rank
        return rank

    def _ordered(self, literals: Iterable[Node]) -> list[Lit]:
        found = [o for o in literals if type(o) is tuple and o[0].strip()]
        if len(found) < 2:
            return found
        return sorted(
            found,
            key=lambda o: (self._rank(o[1]), o[1] or "", o[0].strip()),
        )

    def pick(self, graph: LightGraph, node: Node, *predicates: Any) -> str | None:
        preds = graph.preds(node)
        if not preds:
            return None
        for predicate in predicates:
            ordered = self._ordered(preds.get(_p(predicate), _NONE))
            if ordered:
                return ordered[0][0].strip()
        return None

    def _multilingual(
        self, graph: LightGraph, node: Node, predicate: str
    ) -> tuple[str | None, dict[str, str]]:
        ordered = self._ordered(self._objects(graph, node, predicate))
        if not ordered:
            return None, {}
        translations: dict[str, str] = {}
        for literal in ordered:
            translations.setdefault(literal[1] or "und", literal[0].strip())
        return ordered[0][0].strip(), translations if len(translations) > 1 else {}

    def _label(self, graph: LightGraph, node: Node | None) -> str | None:
        if node is None:
            return None
        if type(node) is Blank:
            return self.pick(
                graph, node, _T["value"], _T["prefLabel"], _T["label"], _T["title"],
                _T["identifier"], _T["notation"],
            )  # fmt: skip
        return light_text(node)

    def _term(
        self, graph: LightGraph, node: Node | None, *, label_first: bool = False
    ) -> str | None:
        if node is None or type(node) is tuple:
            if type(node) is tuple and node[2] == _XSD_DURATION:
                return iso_frequency(node[0].strip())
            return light_text(node)
        if type(node) is Iri:
            text = str.__str__(node)
            if (
                _eu_uri(text).startswith(EU_AUTHORITY)
                or text.startswith(_DC_FREQUENCY)
                or _media_text(text) != text
            ):
                return text
        duration = self._duration(graph, node)
        if duration is not None:
            return duration
        labels = (_T["prefLabel"], _T["label"], _T["title"])
        predicates = (*labels, _T["value"]) if label_first else (_T["value"], *labels)
        for predicate in predicates:
            for value in self._sorted_nodes(self._objects(graph, node, predicate), graph):
                if type(value) is tuple:
                    found = self._term(graph, value)
                else:
                    found = self._duration(graph, value)
                    if found is None and type(value) is Iri:
                        found = str.__str__(value)
                if found:
                    return found
        return light_text(node)

    def _duration(self, graph: LightGraph, node: Node) -> str | None:
        preds = graph.preds(node)
        if not preds:
            return None
        get, one = preds.get, self._one
        for predicate in (_T["hasXSDDuration"], _T["hasDuration"]):
            value = one(graph, get(predicate, _NONE))
            if type(value) is tuple and value[0].strip():
                return iso_frequency(value[0].strip())
            if value is not None and type(value) is not tuple:
                found = self._duration(graph, value)
                if found:
                    return found
        parts: dict[str, float] = {}
        for name, predicate in _DURATION_PARTS.items():
            value = one(graph, get(predicate, _NONE))
            if type(value) is tuple:
                try:
                    parts[name] = float(value[0].strip())
                except ValueError:
                    return None
        return duration_frequency(parts) if parts else None

    def _agent(self, graph: LightGraph, node: Node | None) -> str | None:
        if node is None or type(node) is tuple:
            return light_text(node)
        return self.pick(
            graph, node, _T["foafName"], _T["fn"], _T["orgName"], _T["prefLabel"], _T["label"],
            _T["title"],
        )  # fmt: skip

    # -- one dataset ---------------------------------------------------------------------

    def map(self, graph: LightGraph, node: Node) -> dict[str, Any]:
        get, one = graph.preds(node).get, self._one
        record: dict[str, Any] = {}
        for key, predicate in (("title", _T["title"]), ("notes", _T["description"])):
            text, translations = self._multilingual(graph, node, predicate)
            if text is not None:
                record[key] = text
            if translations:
                record[f"{key}_translations"] = translations
        organization = self._agent(graph, one(graph, get(_T["publisher"], _NONE)))
        if organization:
            record["organization"] = organization
        creator = self._agent(graph, one(graph, get(_T["creator"], _NONE)))
        if creator:
            record["produsen_data"] = creator
        tags = [
            word.strip()
            for o in self._ordered(self._objects(graph, node, _T["keyword"]))
            for word in o[0].split(",")
            if word.strip()
        ]
        if tags:
            record["tags"] = list(dict.fromkeys(tags))
        themes = sorted(
            {
                t
                for t in (self._label(graph, o) for o in self._objects(graph, node, _T["theme"]))
                if t
            }
        )
        if themes:
            record["theme"] = themes
        self._single(graph, node, record)
        kontak = self._contact(
            graph,
            one(graph, get(_T["contactPoint"], _NONE)) or one(graph, get(_T["admsContact"], _NONE)),
        )
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
        extras = self._extras(graph, node, _DATASET_EXTRAS)
        if extras:
            record["extras"] = extras
        if "license_id" not in record:
            licences = sorted(
                {
                    _eu_uri(t)
                    for d in self._objects(graph, node, _T["distribution"])
                    for t in (self._label(graph, o) for o in self._objects(graph, d, _T["license"]))
                    if t
                }
            )
            if licences:
                record["license_id"] = licences[0]
        self._overrides(graph, node, record)
        return record

    def _single(self, graph: LightGraph, node: Node, record: dict[str, Any]) -> None:
        get, one = graph.preds(node).get, self._one
        frequency = self._term(graph, one(graph, get(_T["accrualPeriodicity"], _NONE)))
        if frequency:
            record["jadwal_pemutakhiran"] = _eu_uri(frequency)
        access = self._label(graph, one(graph, get(_T["accessRights"], _NONE)))
        if access:
            record["klasifikasi_akses"] = _eu_uri(access)
        for key, predicate in (
            ("tanggal_dibuat", _T["issued"]),
            ("tanggal_diperbarui", _T["modified"]),
            ("link_akses", _T["landingPage"]),
        ):
            value = light_text(one(graph, get(predicate, _NONE)))
            if value:
                record[key] = value
        licence = self._label(graph, one(graph, get(_T["license"], _NONE)))
        if licence:
            record["license_id"] = _eu_uri(licence)

    def _contact(self, graph: LightGraph, node: Node | None) -> str | dict[str, str] | None:
        if node is None:
            return None
        if type(node) is tuple:
            return light_text(node)
        if type(node) is Iri and node.lower().startswith("mailto:"):
            return _strip_scheme(str.__str__(node), "mailto:") or None
        get, one = graph.preds(node).get, self._one
        out: dict[str, str] = {}
        name = self.pick(graph, node, _T["fn"], _T["orgName"], _T["foafName"])
        if name:
            out["nama"] = name
        for key, predicate, scheme in (
            ("email", _T["hasEmail"], "mailto:"),
            ("telepon", _T["hasTelephone"], "tel:"),
        ):
            value = self._label(graph, one(graph, get(predicate, _NONE)))
            if value:
                out[key] = _strip_scheme(value, scheme)
        if set(out) == {"email"}:
            return out["email"]
        return out or None

    def _bound(self, graph: LightGraph, period: Node, which: str) -> str | None:
        get, one = graph.preds(period).get, self._one
        direct, instant = (_START, _T["hasBeginning"]) if which == "start" else (_END, _T["hasEnd"])
        for predicate in direct:
            value = light_text(one(graph, get(predicate, _NONE)))
            if value:
                return value
        moment = one(graph, get(instant, _NONE))
        if moment is not None:
            for predicate in _INSTANT:
                value = light_text(self.first(graph, moment, predicate))
                if value:
                    return value
        return None

    def _temporal(self, graph: LightGraph, node: Node, record: dict[str, Any]) -> None:
        get, one = graph.preds(node).get, self._one
        period = one(graph, get(_T["temporal"], _NONE))
        if period is None:
            return
        if type(period) is tuple:
            text = period[0].strip()
            bounds = period_of_text(text)
            if bounds is None:
                record["temporal"] = text
                return
            start, end = bounds
        else:
            start = self._bound(graph, period, "start") or ".."
            end = self._bound(graph, period, "end") or ".."
        put_period(start, end, record)

    def _spatial(self, graph: LightGraph, node: Node, record: dict[str, Any]) -> None:
        places: list[str] = []
        for place in self._sorted_nodes(self._objects(graph, node, _T["spatial"]), graph):
            if type(place) is Blank:
                codes = [
                    n[0].strip()
                    for n in self._objects(graph, place, _T["notation"])
                    if type(n) is tuple and n[2] == _KODE_WILAYAH
                ]
                if codes and "kode_wilayah" not in record:
                    record["kode_wilayah"] = sorted(codes)[0]
                    continue
                text = self.pick(
                    graph, place, _T["prefLabel"], _T["label"], _T["title"],
                    _T["geographicName"], _T["geometry"], _T["bbox"], _T["centroid"],
                )  # fmt: skip
            elif type(place) is tuple and place[2] == _KODE_WILAYAH:
                record.setdefault("kode_wilayah", place[0].strip())
                continue
            else:
                text = light_text(place)
            if text and text not in places:
                places.append(text)
        if places:
            record["spatial"] = places[0] if len(places) == 1 else places

    def _distributions(self, graph: LightGraph, node: Node) -> list[dict[str, Any]]:
        found: list[tuple[int | None, Node, dict[str, Any]]] = []
        for dist in set(self._objects(graph, node, _T["distribution"])):
            if type(dist) is tuple:
                continue
            get, one = graph.preds(dist).get, self._one
            resource: dict[str, Any] = {}
            download = light_text(one(graph, get(_T["downloadURL"], _NONE)))
            access = light_text(one(graph, get(_T["accessURL"], _NONE)))
            url = download or access
            if url:
                resource["url"] = url
            if download and access and access != download:
                resource["access_url"] = access
            name = self.pick(graph, dist, _T["title"])
            if name:
                resource["name"] = name
            description = self.pick(graph, dist, _T["description"])
            if description:
                resource["description"] = description
            media = self._term(graph, one(graph, get(_T["mediaType"], _NONE)))
            format_node = one(graph, get(_T["format"], _NONE))
            declared = self._term(graph, format_node, label_first=True)
            if declared or media:
                resource["format"] = _media_text(declared or media or "")
            if (
                media is None
                and format_node is not None
                and self.first(graph, format_node, _T["value"]) is not None
            ):
                value = self._term(graph, format_node)
                if value and _MEDIA_TYPE_TEXT.match(_media_text(value)):
                    media = value
            if media:
                resource["mimetype"] = _media_text(media)
            size = one(graph, get(_T["byteSize"], _NONE))
            if type(size) is tuple:
                try:
                    number = float(size[0].strip())
                except ValueError:
                    number = -1.0
                if number >= 0 and number == int(number):
                    resource["size"] = int(number)
            modified = light_text(one(graph, get(_T["modified"], _NONE)))
            if modified:
                resource["last_modified"] = modified
            licence = self._label(graph, one(graph, get(_T["license"], _NONE)))
            if licence:
                resource["license_id"] = _eu_uri(licence)
            checksum = self._checksum(graph, one(graph, get(_T["checksum"], _NONE)))
            if checksum:
                resource["hash"] = checksum
            extras = self._extras(graph, dist, _RESOURCE_EXTRAS)
            if extras:
                resource["extras"] = extras
            self._overrides(graph, dist, resource)
            position = one(graph, get(_T["position"], _NONE))
            try:
                order = int(position[0]) if type(position) is tuple else None
            except ValueError:
                order = None
            found.append((order, dist, resource))
        if len(found) < 2:
            return [resource for _order, _dist, resource in found]
        keyed: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
            (
                (
                    order is None,
                    order or 0,
                    str(resource.get("url", "")),
                    str(resource.get("name", "")),
                    str.__str__(dist) if type(dist) is Iri else "",
                ),
                resource,
            )
            for order, dist, resource in found
        ]
        if len({key for key, _resource in keyed}) < len(keyed):  # a tie: the JSON decides
            keyed = [
                ((*key, json.dumps(resource, sort_keys=True, default=str)), resource)
                for key, resource in keyed
            ]
        keyed.sort(key=lambda pair: pair[0])
        return [resource for _key, resource in keyed]

    def _checksum(self, graph: LightGraph, node: Node | None) -> str | None:
        if node is None or type(node) is tuple:
            return light_text(node)
        get, one = graph.preds(node).get, self._one
        value = light_text(one(graph, get(_T["checksumValue"], _NONE)))
        if value is None:
            return None
        algorithm = light_text(one(graph, get(_T["algorithm"], _NONE))) or ""
        name = re.sub(r"^.*checksumAlgorithm_", "", algorithm).lower()
        return f"{name}:{value}" if name and name != algorithm.lower() else value

    def _extras(self, graph: LightGraph, node: Node, terms: dict[str, str]) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        preds = graph.preds(node)
        if not preds or preds.keys().isdisjoint(terms.values()):
            return extras
        for name, predicate in terms.items():
            objects = preds.get(predicate)
            if not objects:
                continue
            values = sorted({t for t in (self._label(graph, o) for o in objects) if t})
            if values:
                extras[name] = values[0] if len(values) == 1 else values
        return extras

    def _overrides(self, graph: LightGraph, node: Node, record: dict[str, Any]) -> None:
        preds = graph.preds(node)
        if not preds:
            return
        for predicate in graph.sdf:  # in the order the subject gives them
            objects = preds.get(predicate)
            if objects:
                for value in objects:
                    if type(value) is tuple:
                        record[predicate[len(_SDF) :]] = _from_json(value)
        for field in preds.get(_T["field"], _NONE):
            name = light_text(self.first(graph, field, _T["key"]))
            exact = self.first(graph, field, _T["sdValue"])
            if name and type(exact) is tuple:
                record[name] = _from_json(exact)
        for unset in preds.get(_T["unset"], _NONE):
            record.pop(_lex(unset), None)
