"""RDF triples -> text, one chunk at a time: Turtle, N-Triples, RDF/XML and JSON-LD.

The export (:mod:`satudata_cli.exports.dcat`) hands each serialiser the triples of one
dataset at a time (:class:`.write.DcatWriter`) and writes the text it gets back, so a
document of any size is written in flat memory: :meth:`Serialiser.head` (prefixes,
the XML root, the JSON-LD context), one :meth:`Serialiser.chunk` per dataset,
:meth:`Serialiser.tail`.

Why not a library. rdflib's serialisers are the reference (the export wrote with them
until issue 15) but cost 2-5 ms a dataset, most of it computing prefixed names;
pyoxigraph's (Rust) are fast but do not fit: its RDF/XML writes a carriage return as
itself (an XML parser reads ``\\r\\n`` back as ``\\n``), its JSON-LD is expanded (no
context, no prefixed names, no single catalogue object) and its IRI parser refuses
IRIs rdflib writes and reads (``%zz``, a second ``#``), so some katalogs could not be
exported at all. What is left is small and fixed: the shapes of the DCAT writer.

- **Turtle**: every prefix of :data:`.vocab.PREFIXES` declared once at the top; one
  block per subject, ``a`` for ``rdf:type``, prefixed names where the local part is a
  plain name, a blank node used once written in place (``[ ... ]``), strings in
  ``"..."`` with the escapes of the Turtle grammar (``\\r``, ``\\n``, ``\\"``, control
  characters as ``\\u00XX``).
- **N-Triples**: one triple a line, the same string escapes, IRIs with the characters
  ``IRIREF`` excludes written as ``\\u00XX``.
- **RDF/XML**: one ``rdf:RDF`` root declaring every prefix; a node element per subject
  (typed with its first ``rdf:type`` that has a prefixed name), a blank node used once
  written in place, text escaped with ``&#13;`` for a carriage return (never CDATA: a
  parser reads a raw ``\\r`` back as ``\\n``).
- **JSON-LD**: one document with the context inline and every node in ``@graph``; the
  catalogue node comes last, once, listing every dataset (consumers that read JSON-LD
  as plain JSON find one catalogue object), as :mod:`.write` documents.

Every serialiser writes the graph it is given: ``tests/integration/test_dcat_export_fast.py``
parses each format back and compares it with rdflib's serialisation of the same
records (``rdflib.compare.isomorphic``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any, Final

import orjson
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from satudata_cli.codecs.dcat.vocab import PREFIXES

__all__ = [
    "SERIALISERS",
    "JsonLdSerialiser",
    "NTriplesSerialiser",
    "RdfXmlSerialiser",
    "Serialiser",
    "TurtleSerialiser",
]

Triple = tuple[Node, URIRef, Node]

#: prefix -> namespace of every written document (the export's, plus ``rdf``)
NAMESPACES: Final[dict[str, str]] = {
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    "rdf": str(RDF),
}
_RDF_TYPE: Final = RDF.type
_XSD_STRING: Final = XSD.string
#: a local name every syntax takes as it is (Turtle's PN_LOCAL and XML's NCName both
#: allow more; these are the ones written as prefixed names)
_LOCAL: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_LABEL: Final = re.compile(r"^[A-Za-z0-9_]+$")

# -- Turtle and N-Triples: strings and IRIs ---------------------------------------------

_STRING_ESCAPES: Final = {
    **{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord("\b"): "\\b",
    ord("\f"): "\\f",
}
_NEEDS_ESCAPE: Final = re.compile(r'[\x00-\x1f\x7f"\\]')
#: what IRIREF excludes (the N-Triples and Turtle grammars), as UCHAR escapes
_IRI_ESCAPES: Final = {code: f"\\u{code:04X}" for code in (*range(0x21), *b'<>"{}|^`\\')}
_IRI_NEEDS_ESCAPE: Final = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _quoted(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + text.translate(_STRING_ESCAPES) + '"'


def _iriref(iri: str) -> str:
    if _IRI_NEEDS_ESCAPE.search(iri) is None:
        return f"<{iri}>"
    return "<" + iri.translate(_IRI_ESCAPES) + ">"


@lru_cache(maxsize=8192)
def _split(iri: str) -> tuple[str, str] | None:
    """(prefix, local name) when ``iri`` is in a declared namespace with a plain local
    name, else None."""
    best: tuple[str, str] | None = None
    for prefix, namespace in NAMESPACES.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (prefix, namespace)
    if best is None:
        return None
    local = iri[len(best[1]) :]
    return (best[0], local) if _LOCAL.match(local) else None


def _blank_label(node: BNode) -> str:
    text = str(node)
    return text if _LABEL.match(text) else "b" + text.encode("utf-8").hex()


class Serialiser:
    """Text of a document, written in chunks: :meth:`head`, a :meth:`chunk` per
    dataset, :meth:`tail`. ``catalog`` is the catalogue node's IRI. A serialiser
    raises :class:`ValueError` for a graph its syntax cannot hold."""

    #: the format's name as the export spells it (``catalog export --format``)
    name: str = ""

    def __init__(self, catalog: str) -> None:
        self.catalog = URIRef(catalog)

    def head(self) -> str:
        return ""

    def chunk(self, triples: Iterable[Triple]) -> str:
        raise NotImplementedError

    def tail(self) -> Iterator[str]:
        """The end of the document, in pieces (JSON-LD's catalogue object lists every
        dataset: written a thousand at a time, never as one text)."""
        yield from ()


class _Subjects:
    """One chunk's triples grouped by subject, in the order subjects first appear; a
    blank node that is the object of exactly one triple is written in place (Turtle
    ``[ ]``, a nested XML element or JSON object), every other subject on its own."""

    __slots__ = ("by_subject", "inline", "written")

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.by_subject: dict[Node, list[tuple[URIRef, Node]]] = {}
        used: dict[Node, int] = {}
        for s, p, o in triples:
            pairs = self.by_subject.get(s)
            if pairs is None:
                self.by_subject[s] = [(p, o)]
            else:
                pairs.append((p, o))
            if isinstance(o, BNode):
                used[o] = used.get(o, 0) + 1
        self.inline = {
            node for node, count in used.items() if count == 1 and node in self.by_subject
        }
        self.written: set[Node] = set()

    def roots(self) -> list[Node]:
        """Subjects to write at the top level: every one not written in place."""
        return [s for s in self.by_subject if s not in self.inline]

    def leftovers(self) -> list[Node]:
        """Subjects still unwritten once the roots are (blank nodes that only refer to
        each other, in a cycle): written at the top level too."""
        return [s for s in self.by_subject if s not in self.written]

    def top_level(self) -> Iterator[Node]:
        """The roots, then the leftovers: the latter are found only after the caller
        has written every root (a generator: it resumes after each one is written)."""
        yield from self.roots()
        yield from self.leftovers()

    def take_inline(self, node: Node) -> bool:
        """Whether ``node`` is written here, in place (then it is marked written)."""
        if node in self.inline and node not in self.written:
            self.written.add(node)
            return True
        return False


def _grouped(pairs: list[tuple[URIRef, Node]]) -> dict[URIRef, list[Node]]:
    grouped: dict[URIRef, list[Node]] = {}
    for p, o in pairs:
        objects = grouped.get(p)
        if objects is None:
            grouped[p] = [o]
        else:
            objects.append(o)
    return grouped


# -- N-Triples ---------------------------------------------------------------------------


def _nt_term(node: Node) -> str:
    if isinstance(node, URIRef):
        return _iriref(node)
    if isinstance(node, Literal):
        text = _quoted(str(node))
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and node.datatype != _XSD_STRING:
            return f"{text}^^{_iriref(node.datatype)}"
        return text
    if isinstance(node, BNode):
        return "_:" + _blank_label(node)
    raise ValueError(f"not an RDF term: {node!r}")


class NTriplesSerialiser(Serialiser):
    """One triple a line (the order given)."""

    name = "dcat-nt"

    def chunk(self, triples: Iterable[Triple]) -> str:
        term = _nt_term
        return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples)


# -- Turtle ------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _ttl_iri(iri: str) -> str:
    if iri == _RDF_TYPE:
        return "a"
    split = _split(iri)
    return f"{split[0]}:{split[1]}" if split else _iriref(iri)


class TurtleSerialiser(Serialiser):
    """A block per subject, blank nodes used once in place, prefixes at the top."""

    name = "dcat-ttl"

    def head(self) -> str:
        return "".join(f"@prefix {p}: <{n}> .\n" for p, n in NAMESPACES.items()) + "\n"

    def chunk(self, triples: Iterable[Triple]) -> str:
        subjects = _Subjects(triples)
        out: list[str] = []
        for subject in subjects.top_level():
            self._block(subjects, subject, out)
        return "".join(out)

    def _block(self, subjects: _Subjects, subject: Node, out: list[str]) -> None:
        if subject in subjects.written:
            return
        subjects.written.add(subject)
        if isinstance(subject, URIRef):
            out.append(_iriref(subject))
        elif isinstance(subject, BNode):
            out.append("_:" + _blank_label(subject))
        else:
            raise ValueError(f"not a subject: {subject!r}")
        out.append(" " + self._predicates(subjects, subject, "    ") + " .\n\n")

    def _predicates(self, subjects: _Subjects, subject: Node, indent: str) -> str:
        parts = []
        for predicate, objects in _grouped(subjects.by_subject[subject]).items():
            if predicate == _RDF_TYPE:  # a class: a prefixed name where there is one
                verb = "a"
                values = ", ".join(
                    _ttl_iri(o) if isinstance(o, URIRef) and o != _RDF_TYPE else
                    self._object(subjects, o, indent) for o in objects
                )  # fmt: skip
            else:
                verb = _ttl_iri(predicate)
                values = ", ".join(self._object(subjects, o, indent) for o in objects)
            parts.append(f"{verb} {values}")
        return (" ;\n" + indent).join(parts)

    def _object(self, subjects: _Subjects, node: Node, indent: str) -> str:
        if isinstance(node, URIRef):  # written whole: most are one-off (datasets, URLs)
            return _iriref(node)
        if isinstance(node, Literal):
            text = _quoted(str(node))
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype is not None and node.datatype != _XSD_STRING:
                return f"{text}^^{_ttl_iri(node.datatype)}"
            return text
        if isinstance(node, BNode):
            if subjects.take_inline(node):
                inner = indent + "    "
                return "[ " + self._predicates(subjects, node, inner) + " ]"
            return "_:" + _blank_label(node)
        raise ValueError(f"not an RDF term: {node!r}")


# -- RDF/XML -----------------------------------------------------------------------------

_XML_TEXT: Final = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_XML_ATTRIBUTE: Final = {
    **_XML_TEXT,
    ord('"'): "&quot;",
    ord("\n"): "&#10;",
    ord("\t"): "&#9;",
}
_XML_NEEDS_ESCAPE: Final = re.compile(r"[&<>\r]")
_XML_ATTRIBUTE_NEEDS_ESCAPE: Final = re.compile(r'[&<>\r"\n\t]')
#: characters XML 1.0 cannot hold, not even as a character reference
_NOT_IN_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    if _NOT_IN_XML.search(text):
        raise ValueError(f"XML 1.0 cannot hold a character of {text[:80]!r}")
    return text.translate(_XML_TEXT) if _XML_NEEDS_ESCAPE.search(text) else text


def _xml_attribute(text: str) -> str:
    if _NOT_IN_XML.search(text):
        raise ValueError(f"XML 1.0 cannot hold a character of {text[:80]!r}")
    return text.translate(_XML_ATTRIBUTE) if _XML_ATTRIBUTE_NEEDS_ESCAPE.search(text) else text


_NAMESPACE_END: Final = re.compile(r"^(.*[/#:])([A-Za-z_][A-Za-z0-9_.-]*)$")


@lru_cache(maxsize=8192)
def _xml_name(iri: str) -> tuple[str, str]:
    """An element name for ``iri`` and the namespace declaration it needs (``""`` when
    the root declares it): ``dct:title``, or ``ns0:x`` with ``xmlns:ns0="..."``."""
    split = _split(iri)
    if split is not None:
        return f"{split[0]}:{split[1]}", ""
    match = _NAMESPACE_END.match(iri)
    if match is None:
        raise ValueError(f"RDF/XML cannot name the property {iri}")
    return f"ns0:{match[2]}", f' xmlns:ns0="{_xml_attribute(match[1])}"'


class RdfXmlSerialiser(Serialiser):
    """Node elements under one ``rdf:RDF`` root that declares every prefix."""

    name = "dcat-rdfxml"

    def head(self) -> str:
        root = "\n".join(f'   xmlns:{p}="{n}"' for p, n in sorted(NAMESPACES.items()))
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n{root}\n>\n'

    def tail(self) -> Iterator[str]:
        yield "</rdf:RDF>\n"

    def chunk(self, triples: Iterable[Triple]) -> str:
        subjects = _Subjects(triples)
        out: list[str] = []
        for subject in subjects.top_level():
            self._node(subjects, subject, "  ", out, nested=False)
        return "".join(out)

    def _node(
        self, subjects: _Subjects, subject: Node, indent: str, out: list[str], *, nested: bool
    ) -> None:
        if not nested:
            if subject in subjects.written:
                return
            subjects.written.add(subject)
        pairs = subjects.by_subject.get(subject, [])
        element, declaration = "rdf:Description", ""
        for index, (p, o) in enumerate(pairs):
            if p == _RDF_TYPE and isinstance(o, URIRef) and _split(o) is not None:
                element, declaration = _xml_name(o)
                pairs = pairs[:index] + pairs[index + 1 :]
                break
        if isinstance(subject, URIRef):
            about = f' rdf:about="{_xml_attribute(subject)}"'
        elif isinstance(subject, BNode):
            about = "" if nested else f' rdf:nodeID="{_blank_label(subject)}"'
        else:
            raise ValueError(f"not a subject: {subject!r}")
        if not pairs:
            out.append(f"{indent}<{element}{declaration}{about}/>\n")
            return
        out.append(f"{indent}<{element}{declaration}{about}>\n")
        inner = indent + "  "
        for p, o in pairs:
            name, xmlns = _xml_name(p)
            if isinstance(o, URIRef):
                out.append(f'{inner}<{name}{xmlns} rdf:resource="{_xml_attribute(o)}"/>\n')
            elif isinstance(o, Literal):
                if o.language:
                    attribute = f' xml:lang="{_xml_attribute(o.language)}"'
                elif o.datatype is not None and o.datatype != _XSD_STRING:
                    attribute = f' rdf:datatype="{_xml_attribute(o.datatype)}"'
                else:
                    attribute = ""
                out.append(f"{inner}<{name}{xmlns}{attribute}>{_xml_text(str(o))}</{name}>\n")
            elif isinstance(o, BNode):
                if subjects.take_inline(o):
                    out.append(f"{inner}<{name}{xmlns}>\n")
                    self._node(subjects, o, inner + "  ", out, nested=True)
                    out.append(f"{inner}</{name}>\n")
                else:
                    out.append(f'{inner}<{name}{xmlns} rdf:nodeID="{_blank_label(o)}"/>\n')
            else:
                raise ValueError(f"not an RDF term: {o!r}")
        out.append(f"{indent}</{element}>\n")


# -- JSON-LD -----------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _compact(iri: str) -> str:
    split = _split(iri)
    return f"{split[0]}:{split[1]}" if split else str(iri)  # a plain str: orjson's keys


class JsonLdSerialiser(Serialiser):
    """Node objects in ``@graph``, the catalogue node last with every dataset."""

    name = "dcat-jsonld"

    def __init__(self, catalog: str) -> None:
        super().__init__(catalog)
        self.catalogue: list[tuple[URIRef, Node]] = []
        self.datasets: list[str] = []  # the IRIs (about 100 bytes a dataset)
        self.first = True

    def head(self) -> str:
        context = orjson.dumps(NAMESPACES, option=orjson.OPT_INDENT_2).decode("utf-8")
        return '{\n"@context": ' + context + ',\n"@graph": [\n'

    def chunk(self, triples: Iterable[Triple]) -> str:
        subjects = _Subjects(triples)
        out: list[str] = []
        for subject in subjects.top_level():
            self._root(subjects, subject, out)
        return "".join(out)

    def _root(self, subjects: _Subjects, subject: Node, out: list[str]) -> None:
        if subject in subjects.written:
            return
        subjects.written.add(subject)
        if subject == self.catalog:  # kept for the one catalogue object at the end
            for p, o in subjects.by_subject[subject]:
                if p == _DCAT_DATASET and not isinstance(o, Literal):
                    self.datasets.append(self._id(o))
                else:
                    self.catalogue.append((p, o))
            return
        out.append(self._dumps(self._node(subjects, subject, nested=False)))

    def tail(self) -> Iterator[str]:
        catalog = self._properties(_Subjects(()), self.catalog, self.catalogue, nested=False)
        text = self._dumps(catalog)
        if not self.datasets:
            yield text + "\n]\n}\n"
            return
        # the object without its closing brace, then "dcat:dataset" a thousand at a time
        yield text.removesuffix("\n}") + ',\n  "dcat:dataset": [\n'
        for start in range(0, len(self.datasets), 1000):
            ids = self.datasets[start : start + 1000]
            pieces = ('    {\n      "@id": ' + orjson.dumps(i).decode("utf-8") + "\n    }"
                      for i in ids)  # fmt: skip
            yield ("" if start == 0 else ",\n") + ",\n".join(pieces)
        yield "\n  ]\n}\n]\n}\n"

    def _dumps(self, node: Mapping[str, Any]) -> str:
        try:
            text = orjson.dumps(node, option=orjson.OPT_INDENT_2).decode("utf-8")
        except orjson.JSONEncodeError as exc:  # a lone surrogate: no UTF-8 for it
            raise ValueError(str(exc)) from None
        if self.first:
            self.first = False
            return text
        return ",\n" + text

    @staticmethod
    def _id(node: Node) -> str:
        return "_:" + _blank_label(node) if isinstance(node, BNode) else str(node)

    def _node(self, subjects: _Subjects, subject: Node, *, nested: bool) -> dict[str, Any]:
        return self._properties(subjects, subject, subjects.by_subject.get(subject, []),
                                nested=nested)  # fmt: skip

    def _properties(
        self,
        subjects: _Subjects,
        subject: Node,
        pairs: list[tuple[URIRef, Node]],
        *,
        nested: bool,
    ) -> dict[str, Any]:
        node: dict[str, Any] = {} if nested else {"@id": self._id(subject)}
        types: list[str] = []
        for predicate, objects in _grouped(pairs).items():
            if predicate == _RDF_TYPE and all(isinstance(o, URIRef) for o in objects):
                types.extend(_compact(o) for o in objects)
                continue
            values = [self._value(subjects, o) for o in objects]
            node[_compact(predicate)] = values[0] if len(values) == 1 else values
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        return node

    def _value(self, subjects: _Subjects, node: Node) -> Any:
        if isinstance(node, URIRef):
            return {"@id": str(node)}
        if isinstance(node, Literal):
            if node.language:
                return {"@value": str(node), "@language": node.language}
            if node.datatype is not None and node.datatype != _XSD_STRING:
                return {"@value": str(node), "@type": _compact(node.datatype)}
            return str(node)
        if isinstance(node, BNode):
            if subjects.take_inline(node):
                return self._node(subjects, node, nested=True)
            return {"@id": self._id(node)}
        raise ValueError(f"not an RDF term: {node!r}")


_DCAT_DATASET: Final = URIRef("http://www.w3.org/ns/dcat#dataset")

#: export format name -> its serialiser
SERIALISERS: Final[dict[str, type[Serialiser]]] = {
    cls.name: cls
    for cls in (TurtleSerialiser, NTriplesSerialiser, RdfXmlSerialiser, JsonLdSerialiser)
}
