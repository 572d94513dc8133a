"""Today's DCAT export, frozen: the reference the fast writer is compared with.

This is the export as it was before issue 15 (target 3) made it fast: one rdflib graph
per dataset, read back with :class:`satudata_cli.codecs.dcat.read.DcatMapper` to add the
exact values DCAT cannot carry, then serialised by rdflib (Turtle, JSON-LD, pretty
RDF/XML, N-Triples) one dataset at a time. ``tests/integration/test_dcat_export_fast.py``
checks that the fast writer's output is the same graph (``rdflib.compare.isomorphic``),
and ``benchmarks/bench_dcat_export.py`` times it as the baseline. Do not change it to
follow the codec: it is the yardstick, the copy of commit 0683524's
``satudata_cli/codecs/dcat/write.py`` and ``satudata_cli/exports/dcat.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, BinaryIO, Final
from urllib.parse import quote
from xml.sax.saxutils import escape

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD
from rdflib.term import Node

from satudata_cli.codecs.dcat.rdf import quiet_rdflib
from satudata_cli.codecs.dcat.read import DcatMapper
from satudata_cli.codecs.dcat.vocab import (
    DATASET_EXTRAS,
    EU_ACCESS_RIGHT,
    EU_FREQUENCY,
    PREFIXES,
    RESOURCE_EXTRAS,
    SD,
    SDF,
    SPDX,
    VCARD,
    format_node,
    media_type_node,
    vocabulary_iri,
)
from satudata_cli.exports import ExportContext, ExportError, ExportItem
from satudata_cli.standard.schema import Standard, load_standard
from satudata_cli.standard.validator import Validator

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
    return URIRef(text) if _is_iri(text) else Literal(text)


def _typed(text: str, datatype: URIRef) -> Literal:
    """A typed literal, unless rdflib's parsers would rewrite its lexical form (they
    write ``Z`` as ``+00:00``, for one): then plain text, so a harvest reads it back
    exactly as stored."""
    literal = Literal(text, datatype=datatype)
    return literal if str(literal) == text else Literal(text)


def _date_literal(text: str) -> Literal:
    """``xsd:date`` or ``xsd:dateTime`` when the text is one in ISO form, else plain."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return Literal(text)
        return _typed(text, XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[0-9:.]+(Z|[+-]\d{2}:\d{2})?", text):
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return Literal(text)
        return _typed(text, XSD.dateTime)
    if _YEAR.match(text):
        return _typed(text, XSD.gYear)
    return Literal(text)


def _json_literal(value: Any) -> Literal:
    if isinstance(value, str):
        return Literal(value)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Literal(text, datatype=RDF.JSON)


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def new_graph(namespaces: Graph | None = None) -> Graph:
    """An empty graph with the export's prefixes; with ``namespaces``, sharing that
    graph's namespace manager (and so its cache of prefixed names: rdflib's serialisers
    spend most of their time computing them)."""
    graph = Graph(bind_namespaces="core")
    if namespaces is not None:
        graph.namespace_manager = namespaces.namespace_manager
        return graph
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


#: datasets written with one namespace manager (see _Writer.dataset_graph)
_FRESH_NAMESPACES_EVERY: Final = 100


def catalog_iri(base_uri: str) -> str:
    """The catalogue node's IRI: ``{base_uri}catalog``."""
    return (base_uri if base_uri.endswith("/") else base_uri + "/") + "catalog"


class DcatWriter:
    """Builds one small graph per dataset (and one for the catalogue node), so a
    document of any size holds one dataset in memory at a time and rdflib's
    serialisers, which slow down sharply on large graphs, only ever see small ones.

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
        self.namespaces = new_graph()
        self.graph = new_graph(self.namespaces)
        self.written = 0
        self.mapper = DcatMapper()
        self.validator = Validator(standard=self.standard)
        self.base = base_uri if base_uri.endswith("/") else base_uri + "/"
        self.catalog = URIRef(catalog_iri(base_uri))

    def catalogue_graph(self) -> Graph:
        g = self.graph = new_graph(self.namespaces)
        g.add((self.catalog, RDF.type, DCAT.Catalog))
        g.add((self.catalog, DCTERMS.title, Literal(self.title)))
        g.add(  # mandatory in DCAT-AP
            (
                self.catalog,
                DCTERMS.description,
                Literal(f"Dataset aktif {self.title}, diekspor oleh satudata.", lang="id"),
            )
        )
        generated = Literal(self.generated_at, datatype=XSD.dateTime)
        g.add((self.catalog, DCTERMS.issued, generated))
        g.add((self.catalog, DCTERMS.modified, generated))
        return g

    def _vocab_uri(self, vocabulary: str, value: Any, prefix: str) -> str | None:
        if not isinstance(value, str):
            return None
        return vocabulary_iri(self.standard, vocabulary, value, prefix)

    # -- one dataset -------------------------------------------------------------------

    def dataset_graph(self, source_id: str, remote_id: str, record: Mapping[str, Any]) -> Graph:
        """One dataset (with its link from the catalogue) as a graph of its own."""
        self.written += 1
        if self.written % _FRESH_NAMESPACES_EVERY == 0:
            # rdflib's namespace manager remembers every namespace it has split an IRI
            # into (each dataset's and distribution's IRI adds one) and scans them all
            # for every IRI: shared for ever, an export slows down quadratically.
            self.namespaces = new_graph()
        self.graph = new_graph(self.namespaces)
        self.add(source_id, remote_id, record)
        return self.graph

    def add(self, source_id: str, remote_id: str, record: Mapping[str, Any]) -> None:
        node = URIRef(f"{self.base}dataset/{quote(source_id, safe='')}/{quote(remote_id, safe='')}")
        g = self.graph
        g.add((self.catalog, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, Literal(remote_id)))
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
                g.add((agent, FOAF.name, Literal(name)))
        tags, themes = record.get("tags"), record.get("theme")
        for value in tags if isinstance(tags, list) else []:
            if isinstance(value, str) and value.strip():
                g.add((node, DCAT.keyword, Literal(value)))
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
        g = self.graph
        for s, p, o in list(g):
            if isinstance(o, Literal) and _NOT_IN_XML.search(str(o)):
                g.remove((s, p, o))
                text = _NOT_IN_XML.sub("", str(o))
                g.add((s, p, Literal(text, lang=o.language, datatype=o.datatype)))

    def _texts(self, node: Node, record: Mapping[str, Any], key: str, predicate: URIRef) -> None:
        translations = record.get(f"{key}_translations")
        written = False
        if isinstance(translations, Mapping):
            for lang, text in translations.items():
                if isinstance(text, str) and text.strip() and (lang == "und" or _LANG.match(lang)):
                    language = None if lang == "und" else lang
                    self.graph.add((node, predicate, Literal(text, lang=language)))
                    written = True
        value = record.get(key)
        if not written and isinstance(value, str) and value.strip():
            self.graph.add((node, predicate, Literal(value)))

    def _coded(self, node: Node, record: Mapping[str, Any]) -> None:
        g = self.graph
        frequency = record.get("jadwal_pemutakhiran")
        if isinstance(frequency, str) and frequency.strip():
            uri = self._vocab_uri("frekuensi", frequency, EU_FREQUENCY)
            g.add((node, DCTERMS.accrualPeriodicity, URIRef(uri) if uri else Literal(frequency)))
        access = record.get("klasifikasi_akses")
        if isinstance(access, str) and access.strip():
            uri = self._vocab_uri("akses", access, EU_ACCESS_RIGHT)
            g.add((node, DCTERMS.accessRights, URIRef(uri) if uri else Literal(access)))
        licence = record.get("license_id")
        if isinstance(licence, str) and licence.strip():
            self._licence(node, licence, self._vocab_uri("lisensi", licence, "http"))

    def _licence(self, node: Node, licence: str, uri: str | None = None) -> None:
        """``dct:license``: the IRI (``uri``, or the licence itself when it is one),
        else a ``dct:LicenseDocument`` with the id as identifier and title."""
        g = self.graph
        if uri is None and _is_iri(licence):
            uri = licence
        if uri is not None:
            g.add((node, DCTERMS.license, URIRef(uri)))
            return
        document = BNode()
        g.add((node, DCTERMS.license, document))
        g.add((document, RDF.type, DCTERMS.LicenseDocument))
        g.add((document, DCTERMS.identifier, Literal(licence)))
        g.add((document, DCTERMS.title, Literal(licence)))  # what readers show

    def _checksum(self, dist: Node, text: str) -> None:
        """``spdx:checksum``: ``sha256:9f86...`` (CKAN's ``hash``) as a ``spdx:Checksum``
        with its algorithm; a value without a known algorithm as the value alone."""
        name, _, value = text.partition(":")
        if not value or name.lower() not in _CHECKSUM_ALGORITHMS:
            name, value = "", text
        g = self.graph
        checksum = BNode()
        g.add((dist, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        if name:
            g.add((checksum, SPDX.algorithm, SPDX[f"checksumAlgorithm_{name.lower()}"]))
        hexadecimal = _HEX.match(value) is not None
        g.add(
            (checksum, SPDX.checksumValue, _typed(value, XSD.hexBinary) if hexadecimal else
             Literal(value))
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
                    self.graph.add((node, predicate, _ref(item)))

    def _labelled(self, value: str, kind: URIRef) -> Node:
        """An IRI as it is; a text as a node of ``kind`` with that ``skos:prefLabel``
        (DCAT-AP wants a ``skos:Concept`` for a theme and a ``dct:Location`` for a
        place, not a literal)."""
        if _is_iri(value):
            return URIRef(value)
        concept = BNode()
        self.graph.add((concept, RDF.type, kind))
        self.graph.add((concept, SKOS.prefLabel, Literal(value)))
        return concept

    def _contact(self, node: Node, kontak: Any) -> None:
        if isinstance(kontak, str) and kontak.strip():
            kontak = {"email": kontak}
        if not isinstance(kontak, Mapping):
            return
        g = self.graph
        card = BNode()
        g.add((node, DCAT.contactPoint, card))
        g.add((card, RDF.type, VCARD.Kind))
        name, email, phone = kontak.get("nama"), kontak.get("email"), kontak.get("telepon")
        if isinstance(name, str) and name.strip():
            g.add((card, VCARD.fn, Literal(name)))
        if isinstance(email, str) and email.strip():
            address = email.strip()
            mailto = address if address.lower().startswith("mailto:") else f"mailto:{address}"
            g.add((card, VCARD.hasEmail, URIRef(mailto) if _is_iri(mailto) else Literal(email)))
        if isinstance(phone, str) and phone.strip():
            tel = f"tel:{phone.strip()}"
            g.add((card, VCARD.hasTelephone, URIRef(tel) if _is_iri(tel) else Literal(phone)))

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
        g = self.graph
        period = BNode()
        g.add((node, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        for bound, predicate in ((start, DCAT.startDate), (end, DCAT.endDate)):
            if bound and bound != "..":
                g.add((period, predicate, _date_literal(bound)))

    def _spatial(self, node: Node, record: Mapping[str, Any]) -> None:
        g = self.graph
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
        g = self.graph
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
                    g.add((dist, predicate, Literal(value)))
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
                    self.graph.add((dist, SD.unset, Literal(key)))
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
            self.graph.add((node, SDF[key], literal))
        else:
            field = BNode()
            self.graph.add((node, SD.field, field))
            self.graph.add((field, SD.key, Literal(key)))
            self.graph.add((field, SD.value, literal))

    def _complete(self, node: Node, record: Mapping[str, Any]) -> None:
        """Add the exact value of every field the DCAT terms would not give back."""
        mapped = self.mapper.map(self.graph, node)
        back = self.validator.validate(mapped).normalized or mapped
        if self._complete_resources(node, record.get("resources"), back.get("resources")):
            mapped = self.mapper.map(self.graph, node)
            back = self.validator.validate(mapped).normalized or mapped
        for key in sorted(set(record) | set(back), key=str):
            if key not in record:
                self.graph.add((node, SD.unset, Literal(key)))
            elif key not in back or not _same(back[key], record[key]):
                self._exact(node, key, record[key])


# -- the serialisation (satudata_cli/exports/dcat.py) --------------------------


def _graphs(
    items: Iterable[ExportItem], context: ExportContext, *, xml_safe: bool = False
) -> Iterator[Graph]:
    """The catalogue node's graph, then one graph per dataset (``xml_safe``: see
    :class:`DcatWriter`)."""
    writer = DcatWriter(
        base_uri=context.base_uri,
        title=context.title,
        generated_at=context.generated_at,
        standard=load_standard(),
        xml_safe=xml_safe,
    )
    yield writer.catalogue_graph()
    for item in items:
        yield writer.dataset_graph(item.summary.source_id, item.summary.remote_id, item.record)


def build_graph(items: Iterable[ExportItem], *, context: ExportContext) -> tuple[Graph, int]:
    """The whole catalogue as one rdflib graph, and how many datasets it holds."""
    graph = new_graph()
    count = -1
    for part in _graphs(items, context):
        graph += part
        count += 1
    return graph, count


def _serialise(graph: Graph, rdf_format: str, **options: Any) -> str:
    try:
        with quiet_rdflib():
            text: str = graph.serialize(format=rdf_format, **options)
            return text
    except Exception as exc:  # rdflib's serialisers raise plain exceptions
        raise ExportError(f"the DCAT catalogue could not be written: {exc}") from exc


def _text_writer(out: BinaryIO) -> Callable[[str], None]:
    def write(text: str) -> None:
        out.write(text.encode("utf-8"))

    return write


def write_turtle(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in Turtle, written one dataset at a time
    (``@prefix`` lines come where a prefix is first needed, as Turtle allows)."""
    write = _text_writer(out)
    declared: set[str] = set()
    count = -1
    for graph in _graphs(items, context):
        lines = _serialise(graph, "turtle").splitlines(keepends=True)
        start = 0
        fresh = []
        while start < len(lines) and (
            lines[start].startswith("@prefix") or not lines[start].strip()
        ):
            if lines[start].startswith("@prefix") and lines[start] not in declared:
                declared.add(lines[start])
                fresh.append(lines[start])
            start += 1
        if fresh:
            write("".join(fresh) + "\n")
        write("".join(lines[start:]).rstrip("\n") + "\n\n")
        count += 1
    return count


def write_jsonld(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in JSON-LD: one document with the context inline
    and every node in ``@graph``; the catalogue node comes last, once, listing every
    dataset (consumers that read JSON-LD as plain JSON find one catalogue object)."""
    write = _text_writer(out)
    context_doc = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    context_doc["rdf"] = str(RDF)
    write('{\n"@context": ' + json.dumps(context_doc, indent=2) + ',\n"@graph": [\n')
    catalog_id = catalog_iri(context.base_uri)
    catalog: dict[str, Any] = {}
    listed: list[Any] = []
    count = -1
    first = True
    for graph in _graphs(items, context):
        document = json.loads(_serialise(graph, "json-ld", context=context_doc, auto_compact=True))
        nodes = document.get("@graph") if isinstance(document, dict) else None
        if nodes is None:
            nodes = [{k: v for k, v in document.items() if k != "@context"}]
        for node in nodes:
            if node.get("@id") == catalog_id:
                datasets = node.pop("dcat:dataset", [])
                listed.extend(datasets if isinstance(datasets, list) else [datasets])
                catalog.update(node)
                continue
            write(("" if first else ",\n") + json.dumps(node, ensure_ascii=False, indent=2))
            first = False
        count += 1
    if listed:
        catalog["dcat:dataset"] = listed
    write(("" if first else ",\n") + json.dumps(catalog, ensure_ascii=False, indent=2))
    write("\n]\n}\n")
    return count


#: a CDATA section (its text cannot hold "]]>", so the first one ends it)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)


def _escaped(section: re.Match[str]) -> str:
    """A CDATA section as escaped text. rdflib writes a literal holding ``<`` and ``>``
    (HTML in a description) as CDATA, where a carriage return cannot be escaped: an XML
    parser reads it as a line feed, so ``\r\n`` would come back ``\n``. Escaped text
    keeps it as ``&#13;``, as rdflib does for other literals."""
    return escape(section[1], {"\r": "&#13;"})


def write_rdfxml(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in RDF/XML: one ``rdf:RDF`` root declaring every
    namespace, then each dataset's elements (no CDATA sections: see :func:`_escaped`)."""
    write = _text_writer(out)
    namespaces = {
        prefix: str(namespace)
        for prefix, namespace in new_graph().namespaces()
        if prefix != "xml"  # bound by definition; never declared
    }
    root = "\n".join(
        f'   xmlns:{prefix}="{namespace}"' for prefix, namespace in sorted(namespaces.items())
    )
    write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n{root}\n>\n')
    count = -1
    for graph in _graphs(items, context, xml_safe=True):
        text = _serialise(graph, "pretty-xml")
        head_start = text.index("<rdf:RDF")
        head_end = text.index(">", head_start)
        used = dict(re.findall(r'xmlns:([A-Za-z0-9_.-]+)="([^"]*)"', text[head_start:head_end]))
        if any(namespaces.get(p) != n for p, n in used.items() if p != "xml"):
            raise ExportError(f"an unexpected XML namespace in the DCAT export: {used}")
        body = _CDATA.sub(_escaped, text[head_end + 1 : text.rindex("</rdf:RDF>")])
        write(body.strip("\n") + "\n" if body.strip() else "")
        count += 1
    write("</rdf:RDF>\n")
    return count


def write_ntriples(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in N-Triples: one triple a line, each dataset's
    graph after the other (rdflib names each blank node uniquely, so the graphs'
    blank nodes stay apart), for tools that load or diff triples line by line."""
    write = _text_writer(out)
    count = -1
    for graph in _graphs(items, context):
        write(_serialise(graph, "nt"))
        count += 1
    return count


#: export format name (``satudata catalog export --format``) -> today's writer
REFERENCE_WRITERS: Final = {
    "dcat-ttl": write_turtle,
    "dcat-jsonld": write_jsonld,
    "dcat-rdfxml": write_rdfxml,
    "dcat-nt": write_ntriples,
}
