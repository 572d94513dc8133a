"""Records -> RDF triples: a DCAT-AP catalogue, the triples of one dataset at a time.

One ``dcat:Catalog`` (``dct:title``; ``dct:issued`` and ``dct:modified`` = the time of
the export) lists every dataset given. A dataset is named by
``{base_uri}dataset/{source_id}/{remote_id}`` and carries ``dct:identifier`` = its
remote id, so harvesting the export with a ``dcat`` source keeps the ids. The fields
are written with the DCAT terms :mod:`.read` reads (its table): the publisher as a
``foaf:Agent``, the contact point as a vCard, ``jadwal_pemutakhiran`` as the EU
frequency URI, ``klasifikasi_akses`` as the EU access-right URI, ``license_id`` as the
licence's URI when the vocabulary knows one (else a ``dct:LicenseDocument`` with the
id), ``tahun``/``temporal`` as a ``dct:PeriodOfTime``, ``kode_wilayah`` as a
``dct:Location`` with a ``skos:notation`` typed ``sd:kodeWilayah``, resources as
distributions (with ``sd:position``; a resource's own ``license_id`` as ``dct:license``,
its ``hash`` as an ``spdx:Checksum``), and the entries of the record's and each
resource's ``extras`` map (``dct:conformsTo``, ``dct:language``, ``dcat:version``, ...)
with their own terms (:data:`.vocab.DATASET_EXTRAS`, :data:`.vocab.RESOURCE_EXTRAS`).

**Nothing is lost.** After writing a dataset, the writer reads it back with
:class:`.read.DcatMapper` and the standard's normalisation, and for every field whose
value would come back different (a field without a DCAT term such as ``walidata`` or
``kolom``, a list in another order, an object shape DCAT cannot hold) it adds the exact
value in the satudata namespaces, on the dataset or, for a resource's key, on its
distribution:

- ``sdf:`` = ``urn:satudata:field#``: ``sdf:<field>`` holds a field's value (a plain
  literal for text, an ``rdf:JSON`` literal for anything else), on a dataset or a
  distribution;
- ``sd:`` = ``urn:satudata:ns#``: ``sd:field [sd:key "name"; sd:value ...]`` for a field
  whose name is no XML name, ``sd:unset "field"`` for a field the DCAT terms would add
  (the dataset has none), ``sd:position`` (the order of distributions) and the datatype
  ``sd:kodeWilayah``.

Both are URNs on purpose: stable, owned by no web domain, never fetched.

The IRIs of formats, media types, frequencies, access rights and licences come from
the one vocabulary table, :mod:`.vocab`. So harvesting a written catalogue with a
``dcat`` source gives the identical canonical records; other DCAT consumers read the
DCAT terms and may ignore the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Final, TypeAlias, cast
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespace
from rdflib.term import Node

from satudata_cli.codecs.dcat import vocab
from satudata_cli.codecs.dcat.read import DcatMapper
from satudata_cli.codecs.dcat.vocab import (
    DATASET_EXTRAS,
    EU_ACCESS_RIGHT,
    EU_FREQUENCY,
    PREFIXES,
    RESOURCE_EXTRAS,
    format_node,
    media_type_node,
    vocabulary_iri,
)
from satudata_cli.standard.schema import Standard, load_standard
from satudata_cli.standard.validator import Validator

__all__ = ["DcatWriter", "Triple", "Triples", "catalog_iri"]


class _Terms:
    """A namespace whose terms are made once: ``DCTERMS.title`` on an rdflib namespace
    builds a new ``URIRef`` on every use (about a hundred a dataset)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and friends ask for these: no terms
            raise AttributeError(name)
        term = URIRef(str(self._namespace) + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return URIRef(str(self._namespace) + name)


DCAT: Final = _Terms(rdflib_namespace.DCAT)
DCTERMS: Final = _Terms(rdflib_namespace.DCTERMS)
FOAF: Final = _Terms(rdflib_namespace.FOAF)
RDF: Final = _Terms(rdflib_namespace.RDF)
SKOS: Final = _Terms(rdflib_namespace.SKOS)
XSD: Final = _Terms(rdflib_namespace.XSD)
SD: Final = _Terms(vocab.SD)
SDF: Final = _Terms(vocab.SDF)
SPDX: Final = _Terms(vocab.SPDX)
VCARD: Final = _Terms(vocab.VCARD)


_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_YEAR = re.compile(r"^\d{4}$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")
#: resource keys written with DCAT terms (the rest goes to sdf: on the distribution)
_RESOURCE_TERMS: Final = frozenset(
    {
        "url",
        "access_url",
        "name",
        "description",
        "format",
        "mimetype",
        "size",
        "last_modified",
        "license_id",
        "hash",
        "extras",
    }
)
#: checksum algorithms of SPDX (``spdx:checksumAlgorithm_sha256``), as CKAN's ``hash``
#: names them (``sha256:...``)
_CHECKSUM_ALGORITHMS: Final = frozenset(
    {"md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_384",
     "sha3_512", "blake2b256", "blake2b384", "blake2b512", "blake3", "md2", "md4", "md6",
     "adler32"}
)  # fmt: skip
_HEX = re.compile(r"^(?:[0-9a-fA-F]{2})+$")  # xsd:hexBinary: whole bytes
#: characters XML 1.0 cannot hold, not even as a character reference
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _is_iri(text: str) -> bool:
    return bool(_IRI.match(text)) and text.split(":", 1)[0].lower() in (
        "http",
        "https",
        "ftp",
        "ftps",
        "urn",
        "mailto",
        "tel",
    )


def _ref(text: str) -> Node:
    return URIRef(text) if _is_iri(text) else _text(text)


@lru_cache(maxsize=8192)
def _short_text(text: str) -> Literal:
    return Literal(text)


def _text(text: str) -> Literal:
    """A plain literal; a short one (a name, a tag, a unit: a katalog repeats them) made
    once. Only short texts are kept, so the memory this takes stays small and flat."""
    return _short_text(text) if len(text) <= 80 else Literal(text)


def _typed(text: str, datatype: URIRef) -> Literal:
    """A typed literal, unless rdflib's parsers would rewrite its lexical form (they
    write ``Z`` as ``+00:00``, for one): then plain text, so a harvest reads it back
    exactly as stored."""
    literal = Literal(text, datatype=datatype)
    return literal if str(literal) == text else Literal(text)


@lru_cache(maxsize=4096)  # dates repeat across a katalog; bounded, so memory stays flat
def _date_literal(text: str) -> Literal:
    """``xsd:date`` or ``xsd:dateTime`` when the text is one in ISO form, else plain."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return _text(text)
        return _typed(text, XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})?", text):
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return _text(text)
        return _typed(text, XSD.dateTime)
    if _YEAR.match(text):
        return _typed(text, XSD.gYear)
    return _text(text)


def _json_literal(value: Any) -> Literal:
    if isinstance(value, str):
        return _text(value)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Literal(text, datatype=RDF.JSON)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (``1`` is not ``1.0`` nor ``True``); two texts are simply compared."""
    if type(a) is str and type(b) is str:
        return a == b
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@lru_cache(maxsize=4096)
def _vocabulary_iri(standard: Standard, vocabulary: str, value: str, prefix: str) -> str | None:
    """:func:`.vocab.vocabulary_iri`, remembered: a katalog repeats a few terms."""
    return vocabulary_iri(standard, vocabulary, value, prefix)


#: one triple; a dataset's triples are a list of them (see :class:`Triples`)
Triple: TypeAlias = tuple[Node, URIRef, Node]


_NOTHING: Final[dict[Node, list[Node]]] = {}


class Triples:
    """The triples of one dataset (or of the catalogue node) in the order they were
    added, without duplicates, plus the index :class:`.read.DcatMapper` reads them
    through: ``objects(subject, predicate)`` and ``predicate_objects(subject)``, the
    only two questions it asks of a graph.

    rdflib's ``Graph`` answers them too, but costs several times more to fill and to
    ask (its store keeps contexts and three indexes); a dataset is 30-100 triples that
    live only until they are serialised, so a list and one dict serve better.
    """

    __slots__ = ("_index", "triples")

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        self.triples: list[Triple] = []
        self._index: dict[Node, dict[Node, list[Node]]] = {}
        for triple in triples:
            self.add(triple)

    def add(self, triple: Triple) -> None:
        """Add ``triple`` unless it is there (terms compare as in an rdflib graph)."""
        subject, predicate, obj = triple
        by_predicate = self._index.get(subject)
        if by_predicate is None:
            self._index[subject] = {predicate: [obj]}
        else:
            objects = by_predicate.get(predicate)
            if objects is None:
                by_predicate[predicate] = [obj]
            elif obj in objects:
                return
            else:
                objects.append(obj)
        self.triples.append(triple)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is None or predicate is None:  # never asked by the mapper; kept whole
            return (
                o
                for s, p, o in self.triples
                if (subject is None or s == subject) and (predicate is None or p == predicate)
            )
        return iter(self._index.get(subject, _NOTHING).get(predicate, ()))

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        if subject is None:
            return ((p, o) for _s, p, o in self.triples)
        return (
            (predicate, obj)
            for predicate, objects in self._index.get(subject, _NOTHING).items()
            for obj in objects
        )

    def graph(self) -> Graph:
        """The triples as an rdflib graph with the export's prefixes (for tests and
        callers that want rdflib's API; the export never builds one)."""
        graph = Graph(bind_namespaces="core")
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in self.triples:
            graph.add(triple)
        return graph


def catalog_iri(base_uri: str) -> str:
    """The catalogue node's IRI: ``{base_uri}catalog``."""
    return (base_uri if base_uri.endswith("/") else base_uri + "/") + "catalog"


class DcatWriter:
    """Builds the triples of one dataset at a time (and of the catalogue node), so a
    document of any size holds one dataset in memory at a time; the serialisers of
    :mod:`.serialise` turn each dataset's triples into text.

    Datasets are named ``{base_uri}dataset/{source_id}/{remote_id}``; the catalogue
    ``{base_uri}catalog`` has ``title`` and, as issued and modified, ``generated_at``.

    ``xml_safe`` (for RDF/XML): a literal holding a character XML 1.0 cannot hold (a C0
    control character such as Excel's line break ``\x0b``) is written without it, and
    the field's exact value travels as an ``rdf:JSON`` literal (JSON escapes it).
    """

    def __init__(
        self,
        *,
        base_uri: str,
        title: str,
        generated_at: str,
        standard: Standard | None = None,
        xml_safe: bool = False,
    ) -> None:
        self.title = title
        self.xml_safe = xml_safe
        self.generated_at = generated_at
        self.standard = standard or load_standard()
        self.triples = Triples()
        self.mapper = DcatMapper()
        self.validator = Validator(standard=self.standard)
        self.base = base_uri if base_uri.endswith("/") else base_uri + "/"
        self.catalog = URIRef(catalog_iri(base_uri))

    def catalogue_triples(self) -> list[Triple]:
        """The catalogue node: its type, title, description, issued and modified."""
        generated = Literal(self.generated_at, datatype=XSD.dateTime)
        return [
            (self.catalog, RDF.type, DCAT.Catalog),
            (self.catalog, DCTERMS.title, Literal(self.title)),
            (  # mandatory in DCAT-AP
                self.catalog,
                DCTERMS.description,
                Literal(f"Dataset aktif {self.title}, diekspor oleh satudata.", lang="id"),
            ),
            (self.catalog, DCTERMS.issued, generated),
            (self.catalog, DCTERMS.modified, generated),
        ]

    def _vocab_uri(self, vocabulary: str, value: Any, prefix: str) -> str | None:
        if not isinstance(value, str):
            return None
        return _vocabulary_iri(self.standard, vocabulary, value, prefix)

    # -- one dataset -------------------------------------------------------------------

    def dataset_triples(
        self, source_id: str, remote_id: str, record: Mapping[str, Any]
    ) -> list[Triple]:
        """One dataset's triples, its link from the catalogue first."""
        self.triples = Triples()
        self.add(source_id, remote_id, record)
        return self.triples.triples

    def dataset_graph(self, source_id: str, remote_id: str, record: Mapping[str, Any]) -> Graph:
        """One dataset (with its link from the catalogue) as an rdflib graph."""
        self.dataset_triples(source_id, remote_id, record)
        return self.triples.graph()

    def add(self, source_id: str, remote_id: str, record: Mapping[str, Any]) -> None:
        node = URIRef(f"{self.base}dataset/{quote(source_id, safe='')}/{quote(remote_id, safe='')}")
        g = self.triples
        g.add((self.catalog, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, _text(remote_id)))
        self._texts(node, record, "title", DCTERMS.title)
        self._texts(node, record, "notes", DCTERMS.description)
        for key, predicate in (
            ("organization", DCTERMS.publisher),
            ("produsen_data", DCTERMS.creator),
        ):
            name = record.get(key)
            if isinstance(name, str) and name.strip():
                agent = BNode()
                g.add((node, predicate, agent))
                g.add((agent, RDF.type, FOAF.Agent))
                g.add((agent, FOAF.name, _text(name)))
        tags, themes = record.get("tags"), record.get("theme")
        for value in tags if isinstance(tags, list) else []:
            if isinstance(value, str) and value.strip():
                g.add((node, DCAT.keyword, _text(value)))
        for value in themes if isinstance(themes, list) else []:
            if isinstance(value, str) and value.strip():
                g.add((node, DCAT.theme, self._labelled(value, SKOS.Concept)))
        self._coded(node, record)
        for key, predicate in (
            ("tanggal_dibuat", DCTERMS.issued),
            ("tanggal_diperbarui", DCTERMS.modified),
        ):
            value = record.get(key)
            if isinstance(value, str) and value.strip():
                g.add((node, predicate, _date_literal(value)))
        link = record.get("link_akses")
        if isinstance(link, str) and link.strip():
            g.add((node, DCAT.landingPage, _ref(link)))
        self._contact(node, record.get("kontak"))
        self._temporal(node, record)
        self._spatial(node, record)
        self._distributions(node, record.get("resources"))
        self._extra_terms(node, record.get("extras"), DATASET_EXTRAS)
        if self.xml_safe:
            self._without_what_xml_cannot_hold()
        self._complete(node, record)

    def _without_what_xml_cannot_hold(self) -> None:
        if not any(isinstance(o, Literal) and _NOT_IN_XML.search(o) for _s, _p, o in self.triples):
            return
        cleaned = Triples()
        for s, p, o in self.triples:
            if isinstance(o, Literal) and _NOT_IN_XML.search(o):
                text = _NOT_IN_XML.sub("", str(o))
                o = Literal(text, lang=o.language, datatype=o.datatype)
            cleaned.add((s, p, o))
        self.triples = cleaned

    def _texts(self, node: Node, record: Mapping[str, Any], key: str, predicate: URIRef) -> None:
        translations = record.get(f"{key}_translations")
        written = False
        if isinstance(translations, Mapping):
            for lang, text in translations.items():
                if isinstance(text, str) and text.strip() and (lang == "und" or _LANG.match(lang)):
                    language = None if lang == "und" else lang
                    self.triples.add((node, predicate, Literal(text, lang=language)))
                    written = True
        value = record.get(key)
        if not written and isinstance(value, str) and value.strip():
            self.triples.add((node, predicate, _text(value)))

    def _coded(self, node: Node, record: Mapping[str, Any]) -> None:
        g = self.triples
        frequency = record.get("jadwal_pemutakhiran")
        if isinstance(frequency, str) and frequency.strip():
            uri = self._vocab_uri("frekuensi", frequency, EU_FREQUENCY)
            g.add((node, DCTERMS.accrualPeriodicity, URIRef(uri) if uri else _text(frequency)))
        access = record.get("klasifikasi_akses")
        if isinstance(access, str) and access.strip():
            uri = self._vocab_uri("akses", access, EU_ACCESS_RIGHT)
            g.add((node, DCTERMS.accessRights, URIRef(uri) if uri else _text(access)))
        licence = record.get("license_id")
        if isinstance(licence, str) and licence.strip():
            self._licence(node, licence, self._vocab_uri("lisensi", licence, "http"))

    def _licence(self, node: Node, licence: str, uri: str | None = None) -> None:
        """``dct:license``: the IRI (``uri``, or the licence itself when it is one),
        else a ``dct:LicenseDocument`` with the id as identifier and title."""
        g = self.triples
        if uri is None and _is_iri(licence):
            uri = licence
        if uri is not None:
            g.add((node, DCTERMS.license, URIRef(uri)))
            return
        document = BNode()
        g.add((node, DCTERMS.license, document))
        g.add((document, RDF.type, DCTERMS.LicenseDocument))
        g.add((document, DCTERMS.identifier, _text(licence)))
        g.add((document, DCTERMS.title, _text(licence)))  # what readers show

    def _checksum(self, dist: Node, text: str) -> None:
        """``spdx:checksum``: ``sha256:9f86...`` (CKAN's ``hash``) as a ``spdx:Checksum``
        with its algorithm; a value without a known algorithm as the value alone."""
        name, _, value = text.partition(":")
        if not value or name.lower() not in _CHECKSUM_ALGORITHMS:
            name, value = "", text
        g = self.triples
        checksum = BNode()
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        if name:
            g.add((checksum, SPDX.algorithm, SPDX[f"checksumAlgorithm_{name.lower()}"]))
        hexadecimal = _HEX.match(value) is not None
        g.add(
            (checksum, SPDX.checksumValue, _typed(value, XSD.hexBinary) if hexadecimal else
             _text(value))
        )  # fmt: skip

    def _extra_terms(self, node: Node, extras: Any, terms: Mapping[str, URIRef]) -> None:
        """The ``extras`` map (what the reader keeps of terms without a field) written
        back with its terms: ``{"dct:conformsTo": "https://..."}`` as ``dct:conformsTo``."""
        if not isinstance(extras, Mapping):
            return
        for name, predicate in terms.items():
            value = extras.get(name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.strip():
                    self.triples.add((node, predicate, _ref(item)))

    def _labelled(self, value: str, kind: URIRef) -> Node:
        """An IRI as it is; a text as a node of ``kind`` with that ``skos:prefLabel``
        (DCAT-AP wants a ``skos:Concept`` for a theme and a ``dct:Location`` for a
        place, not a literal)."""
        if _is_iri(value):
            return URIRef(value)
        concept = BNode()
        self.triples.add((concept, RDF.type, kind))
        self.triples.add((concept, SKOS.prefLabel, _text(value)))
        return concept

    def _contact(self, node: Node, kontak: Any) -> None:
        if isinstance(kontak, str) and kontak.strip():
            kontak = {"email": kontak}
        if not isinstance(kontak, Mapping):
            return
        g = self.triples
        card = BNode()
        g.add((node, DCAT.contactPoint, card))
        g.add((card, RDF.type, VCARD.Kind))
        name, email, phone = kontak.get("nama"), kontak.get("email"), kontak.get("telepon")
        if isinstance(name, str) and name.strip():
            g.add((card, VCARD.fn, _text(name)))
        if isinstance(email, str) and email.strip():
            address = email.strip()
            mailto = address if address.lower().startswith("mailto:") else f"mailto:{address}"
            g.add((card, VCARD.hasEmail, URIRef(mailto) if _is_iri(mailto) else _text(email)))
        if isinstance(phone, str) and phone.strip():
            tel = f"tel:{phone.strip()}"
            g.add((card, VCARD.hasTelephone, URIRef(tel) if _is_iri(tel) else _text(phone)))

    def _temporal(self, node: Node, record: Mapping[str, Any]) -> None:
        start = end = None
        temporal, tahun = record.get("temporal"), record.get("tahun")
        if isinstance(temporal, str) and "/" in temporal:
            start, end = (part.strip() for part in temporal.split("/", 1))
        elif isinstance(tahun, int) and not isinstance(tahun, bool):
            start = end = str(tahun)
        elif isinstance(tahun, str) and (_YEAR.match(tahun) or _YEARS.match(tahun)):
            start, end = (tahun, tahun) if _YEAR.match(tahun) else tahun.split("-")
        if start is None and end is None:
            return
        g = self.triples
        period = BNode()
        g.add((node, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        for bound, predicate in ((start, DCAT.startDate), (end, DCAT.endDate)):
            if bound and bound != "..":
                g.add((period, predicate, _date_literal(bound)))

    def _spatial(self, node: Node, record: Mapping[str, Any]) -> None:
        g = self.triples
        code = record.get("kode_wilayah")
        if isinstance(code, str) and code.strip():
            place = BNode()
            g.add((node, DCTERMS.spatial, place))
            g.add((place, RDF.type, DCTERMS.Location))
            g.add((place, SKOS.notation, Literal(code, datatype=SD.kodeWilayah)))
        spatial = record.get("spatial")
        for value in spatial if isinstance(spatial, list) else [spatial]:
            if isinstance(value, str) and value.strip():
                g.add((node, DCTERMS.spatial, self._labelled(value, DCTERMS.Location)))

    def _distributions(self, node: URIRef, resources: Any) -> None:
        if not isinstance(resources, list):
            return
        g = self.triples
        for position, resource in enumerate(resources):
            if not isinstance(resource, Mapping):
                continue
            dist = URIRef(f"{node}/resource/{position}")
            g.add((node, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, SD.position, Literal(position)))
            url, access = resource.get("url"), resource.get("access_url")
            if isinstance(access, str) and access.strip():
                g.add((dist, DCAT.accessURL, _ref(access)))
                if isinstance(url, str) and url.strip():
                    g.add((dist, DCAT.downloadURL, _ref(url)))
            elif isinstance(url, str) and url.strip():
                g.add((dist, DCAT.accessURL, _ref(url)))
            for key, predicate in (("name", DCTERMS.title), ("description", DCTERMS.description)):
                value = resource.get(key)
                if isinstance(value, str) and value.strip():
                    g.add((dist, predicate, _text(value)))
            fmt, mimetype = resource.get("format"), resource.get("mimetype")
            if isinstance(fmt, str) and fmt.strip():
                g.add((dist, DCTERMS.format, format_node(fmt)))
            if isinstance(mimetype, str) and mimetype.strip():
                g.add((dist, DCAT.mediaType, media_type_node(mimetype)))
            size = resource.get("size")
            if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
                g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
            modified = resource.get("last_modified")
            if isinstance(modified, str) and modified.strip():
                g.add((dist, DCTERMS.modified, _date_literal(modified)))
            licence = resource.get("license_id")
            if isinstance(licence, str) and licence.strip():
                self._licence(dist, licence)
            checksum = resource.get("hash")
            if isinstance(checksum, str) and checksum.strip():
                self._checksum(dist, checksum.strip())
            self._extra_terms(dist, resource.get("extras"), RESOURCE_EXTRAS)
            for key, value in resource.items():
                if key not in _RESOURCE_TERMS:
                    self._exact(dist, key, value)

    # -- what DCAT could not carry -------------------------------------------------------

    def _complete_resources(self, node: Node, resources: Any, back: Any) -> bool:
        """On each distribution, the exact value of every resource key its DCAT terms
        would not give back (and ``sd:unset`` for a key they would add); whether any
        was needed. When the distributions do not come back one for one, the dataset's
        ``resources`` as a whole is left to :meth:`_complete`."""
        if not isinstance(resources, list) or not isinstance(back, list):
            return False
        written = [(p, r) for p, r in enumerate(resources) if isinstance(r, Mapping)]
        if len(back) != len(written):
            return False
        added = False
        for (position, resource), again in zip(written, back, strict=True):
            if not isinstance(again, Mapping) or _same(again, resource):
                continue
            dist = URIRef(f"{node}/resource/{position}")
            for key in sorted(set(resource) | set(again), key=str):
                if key not in resource:
                    self.triples.add((dist, SD.unset, _text(key)))
                    added = True
                elif key not in again or not _same(again[key], resource[key]):
                    self._exact(dist, key, resource[key])
                    added = True
        return added

    def _exact(self, node: Node, key: str, value: Any) -> None:
        literal = _json_literal(value)
        if self.xml_safe and _NOT_IN_XML.search(str(literal)):  # JSON escapes them all
            text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
            literal = Literal(text, datatype=RDF.JSON)
        if _XML_NAME.match(key):
            self.triples.add((node, SDF[key], literal))
        else:
            field = BNode()
            self.triples.add((node, SD.field, field))
            self.triples.add((field, SD.key, _text(key)))
            self.triples.add((field, SD.value, literal))

    def _complete(self, node: Node, record: Mapping[str, Any]) -> None:
        """Add the exact value of every field the DCAT terms would not give back."""
        mapped = self.mapper.map(self._as_graph(), node)
        back = self.validator.validate(mapped).normalized or mapped
        if self._complete_resources(node, record.get("resources"), back.get("resources")):
            mapped = self.mapper.map(self._as_graph(), node)
            back = self.validator.validate(mapped).normalized or mapped
        for key in sorted(set(record) | set(back), key=str):
            if key not in record:
                self.triples.add((node, SD.unset, _text(key)))
            elif key not in back or not _same(back[key], record[key]):
                self._exact(node, key, record[key])

    def _as_graph(self) -> Graph:
        """The dataset's triples as the mapper reads them. :class:`Triples` answers the
        two questions :class:`.read.DcatMapper` asks of a graph (``objects``,
        ``predicate_objects``); an rdflib graph would cost more than the rest."""
        return cast(Graph, self.triples)
