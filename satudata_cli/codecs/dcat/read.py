"""An RDF graph -> records: the datasets of a DCAT catalogue with the standard's fields.

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
``dcat:keyword``           ``tags`` (all languages, preferred first; "a, b" split)
``dcat:theme``             ``theme`` (URIs or labels; kept outside the standard)
``dct:publisher``          ``organization`` (``foaf:name``, ``vcard:fn``, ``skos:prefLabel``)
``dct:creator``            ``produsen_data``
``dcat:contactPoint``      ``kontak`` (``adms:contactPoint`` alike): vCard ``fn`` -> nama,
                           ``hasEmail`` (``mailto:`` or not) -> email, ``hasTelephone``
                           -> telepon; an e-mail alone is kept as text
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
                           size, ``dct:modified`` -> last_modified, ``dct:license`` ->
                           license_id, ``spdx:checksum`` -> hash; ``format`` of the
                           dataset lists the distributions' formats
other terms                ``extras`` (record and resource) by short name, see
                           ``DATASET_EXTRAS`` / ``RESOURCE_EXTRAS`` in :mod:`.vocab`
=========================  ===============================================================

Values in the satudata namespaces (written by satudata's own DCAT export for fields
without a DCAT term, see :mod:`.write`) come last and win:
``sdf:<field>`` sets a field (a plain literal: text; an ``rdf:JSON`` literal: any JSON
value), ``sd:field [sd:key; sd:value]`` sets a field whose name is no XML name,
``sd:unset "field"`` removes one, and ``sd:position`` orders distributions.

A typed node for a format, media type or frequency gives its label or ``rdf:value``, a
``time:`` duration the frequency it stands for (:meth:`DcatMapper._term`). A node listed
by ``dcat:dataset`` that says nothing itself is no dataset (:meth:`DcatMapper.references`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Final

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

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

__all__ = ["DcatMapper", "node_text"]

#: not in rdflib's (closed, DCAT 2) DCAT namespace
_DATASET_SERIES: Final = URIRef(str(DCAT) + "DatasetSeries")
_DC_FREQUENCY: Final = "http://purl.org/cld/freq/"
_DURATION_PARTS: Final = {"years": TIME.years, "months": TIME.months, "weeks": TIME.weeks,
                          "days": TIME.days}  # fmt: skip
_MEDIA_TYPE_TEXT = re.compile(r"^[a-z]+/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")


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
        nodes -= set(self.references(graph))
        return [n for n in _sorted_nodes(nodes) if not isinstance(n, Literal)]

    def references(self, graph: Graph) -> list[Node]:
        """Nodes listed by ``dcat:dataset`` that say nothing themselves (no type, no
        triple of their own): a link to a dataset described elsewhere, or nothing. They
        are no dataset records."""
        return [
            n
            for n in _sorted_nodes(graph.objects(None, DCAT.dataset))
            if not isinstance(n, Literal) and next(graph.predicate_objects(n), None) is None
        ]

    def split_keywords(self, graph: Graph, node: Node) -> list[str]:
        """The ``dcat:keyword`` literals that hold several comma-separated keywords
        (:meth:`map` splits them into separate tags)."""
        return sorted(
            str(o).strip()
            for o in graph.objects(node, DCAT.keyword)
            if isinstance(o, Literal) and len([w for w in str(o).split(",") if w.strip()]) > 1
        )

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

    def first(self, graph: Graph, node: Node, predicate: URIRef) -> Node | None:
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

    def _term(self, graph: Graph, node: Node | None, *, label_first: bool = False) -> str | None:
        """``dct:format``, ``dcat:mediaType``, ``dct:accrualPeriodicity``: a literal or a
        known IRI (EU authority, IANA, Dublin Core frequency) as it is; a typed node
        (``dct:IMT``, ``dct:MediaTypeOrExtent``, ``dct:Frequency``, blank or not) by its
        ``rdf:value`` or label (``label_first``: the label before the value); a ``time:``
        duration (``time:years 1``, ``time:hasXSDDuration "P1Y"``) as the frequency it
        stands for (``tahunan``)."""
        if node is None or isinstance(node, Literal):
            if isinstance(node, Literal) and node.datatype == XSD.duration:
                return iso_frequency(str(node).strip())
            return _text(node)
        if isinstance(node, URIRef):
            text = str(node)
            if (
                _eu_uri(text).startswith(EU_AUTHORITY)
                or text.startswith(_DC_FREQUENCY)
                or _media_text(text) != text
            ):
                return text
        duration = self._duration(graph, node)
        if duration is not None:
            return duration
        labels = (SKOS.prefLabel, RDFS.label, DCTERMS.title)
        predicates = (*labels, RDF.value) if label_first else (RDF.value, *labels)
        for predicate in predicates:
            for value in _sorted_nodes(graph.objects(node, predicate), graph):
                if isinstance(value, Literal):
                    found = self._term(graph, value)
                else:
                    found = self._duration(graph, value)
                    if found is None and isinstance(value, URIRef):
                        found = str(value)
                if found:
                    return found
        return _text(node)

    def _duration(self, graph: Graph, node: Node) -> str | None:
        for predicate in (TIME.hasXSDDuration, TIME.hasDuration):
            value = self.first(graph, node, predicate)
            if isinstance(value, Literal) and str(value).strip():
                return iso_frequency(str(value).strip())
            if value is not None and not isinstance(value, Literal):
                found = self._duration(graph, value)
                if found:
                    return found
        parts: dict[str, float] = {}
        for name, predicate in _DURATION_PARTS.items():
            value = self.first(graph, node, predicate)
            if isinstance(value, Literal):
                try:
                    parts[name] = float(str(value).strip())
                except ValueError:
                    return None
        return duration_frequency(parts) if parts else None

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
        organization = self._agent(graph, self.first(graph, node, DCTERMS.publisher))
        if organization:
            record["organization"] = organization
        creator = self._agent(graph, self.first(graph, node, DCTERMS.creator))
        if creator:
            record["produsen_data"] = creator
        tags = [
            word.strip()
            for o in self._ordered(graph.objects(node, DCAT.keyword))
            for word in str(o).split(",")
            if word.strip()
        ]
        if tags:
            record["tags"] = list(dict.fromkeys(tags))
        themes = sorted(
            {t for t in (self._label(graph, o) for o in graph.objects(node, DCAT.theme)) if t}
        )
        if themes:
            record["theme"] = themes
        self._single(graph, node, record)
        kontak = self._contact(
            graph,
            self.first(graph, node, DCAT.contactPoint)
            or self.first(graph, node, ADMS.contactPoint),
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
        extras = self._extras(graph, node, DATASET_EXTRAS)
        if extras:
            record["extras"] = extras
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
        frequency = self._term(graph, self.first(graph, node, DCTERMS.accrualPeriodicity))
        if frequency:
            record["jadwal_pemutakhiran"] = _eu_uri(frequency)
        access = self._label(graph, self.first(graph, node, DCTERMS.accessRights))
        if access:
            record["klasifikasi_akses"] = _eu_uri(access)
        for key, predicate in (
            ("tanggal_dibuat", DCTERMS.issued),
            ("tanggal_diperbarui", DCTERMS.modified),
            ("link_akses", DCAT.landingPage),
        ):
            value = _text(self.first(graph, node, predicate))
            if value:
                record[key] = value
        licence = self._label(graph, self.first(graph, node, DCTERMS.license))
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
            value = self._label(graph, self.first(graph, node, predicate))
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
            value = _text(self.first(graph, period, predicate))
            if value:
                return value
        moment = self.first(graph, period, instant)
        if moment is not None:
            for predicate in (
                TIME.inXSDDate, TIME.inXSDDateTime, TIME.inXSDDateTimeStamp, TIME.inXSDgYear
            ):  # fmt: skip
                value = _text(self.first(graph, moment, predicate))
                if value:
                    return value
        return None

    def _temporal(self, graph: Graph, node: Node, record: dict[str, Any]) -> None:
        period = self.first(graph, node, DCTERMS.temporal)
        if period is None:
            return
        if isinstance(period, Literal):
            text = str(period).strip()
            bounds = period_of_text(text)
            if bounds is None:
                record["temporal"] = text
                return
            start, end = bounds
        else:
            start = self._bound(graph, period, "start") or ".."
            end = self._bound(graph, period, "end") or ".."
        put_period(start, end, record)

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
            download = _text(self.first(graph, dist, DCAT.downloadURL))
            access = _text(self.first(graph, dist, DCAT.accessURL))
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
            media = self._term(graph, self.first(graph, dist, DCAT.mediaType))
            format_node = self.first(graph, dist, DCTERMS.format)
            declared = self._term(graph, format_node, label_first=True)
            if declared or media:
                resource["format"] = _media_text(declared or media or "")
            if (
                media is None
                and format_node is not None
                and self.first(graph, format_node, RDF.value) is not None
            ):
                # a typed dct:IMT node: its rdf:value is the media type
                value = self._term(graph, format_node)
                if value and _MEDIA_TYPE_TEXT.match(_media_text(value)):
                    media = value
            if media:
                resource["mimetype"] = _media_text(media)
            size = self.first(graph, dist, DCAT.byteSize)
            if isinstance(size, Literal):
                try:
                    number = float(str(size).strip())
                except ValueError:
                    number = -1.0
                if number >= 0 and number == int(number):
                    resource["size"] = int(number)
            modified = _text(self.first(graph, dist, DCTERMS.modified))
            if modified:
                resource["last_modified"] = modified
            licence = self._label(graph, self.first(graph, dist, DCTERMS.license))
            if licence:
                resource["license_id"] = _eu_uri(licence)
            checksum = self._checksum(graph, self.first(graph, dist, SPDX.checksum))
            if checksum:
                resource["hash"] = checksum
            extras = self._extras(graph, dist, RESOURCE_EXTRAS)
            if extras:
                resource["extras"] = extras
            self._overrides(graph, dist, resource)
            position = self.first(graph, dist, SD.position)
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

    def _checksum(self, graph: Graph, node: Node | None) -> str | None:
        """``spdx:checksum [spdx:algorithm spdx:checksumAlgorithm_sha256;
        spdx:checksumValue "..."]`` as ``sha256:...`` (CKAN's ``hash``)."""
        if node is None or isinstance(node, Literal):
            return _text(node)
        value = _text(self.first(graph, node, SPDX.checksumValue))
        if value is None:
            return None
        algorithm = _text(self.first(graph, node, SPDX.algorithm)) or ""
        name = re.sub(r"^.*checksumAlgorithm_", "", algorithm).lower()
        return f"{name}:{value}" if name and name != algorithm.lower() else value

    def _extras(self, graph: Graph, node: Node, terms: dict[str, URIRef]) -> dict[str, Any]:
        """The terms without a field in the standard, by their short names: one value
        as text, several as a sorted list (a blank node by its label)."""
        extras: dict[str, Any] = {}
        for name, predicate in terms.items():
            values = sorted(
                {t for t in (self._label(graph, o) for o in graph.objects(node, predicate)) if t}
            )
            if values:
                extras[name] = values[0] if len(values) == 1 else values
        return extras

    def _overrides(self, graph: Graph, node: Node, record: dict[str, Any]) -> None:
        """The satudata namespaces: exact values for what DCAT cannot carry."""
        for predicate, value in graph.predicate_objects(node):
            if isinstance(predicate, URIRef) and predicate.startswith(str(SDF)):
                key = str(predicate)[len(str(SDF)) :]
                if key and isinstance(value, Literal):
                    record[key] = _from_json(value)
        for field in graph.objects(node, SD.field):
            name = _text(self.first(graph, field, SD.key))
            exact = self.first(graph, field, SD.value)
            if name and isinstance(exact, Literal):
                record[name] = _from_json(exact)
        for unset in graph.objects(node, SD.unset):
            record.pop(str(unset), None)


#: A literal's stripped text or an IRI as text (None for a blank node or nothing).
node_text = _text
