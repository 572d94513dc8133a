"""The katalog as a DCAT-AP catalogue: Turtle, JSON-LD, RDF/XML and N-Triples.

The graph of each dataset is built by the DCAT codec
(:class:`satudata_cli.codecs.dcat.write.DcatWriter`: the DCAT terms the ``dcat``
source reads, plus the exact values in the satudata namespaces for what DCAT cannot
carry, so a harvest of the export gives the identical canonical records).

The document is written one dataset at a time (a small graph each, serialised and
appended: Turtle with ``@prefix`` lines where first needed, JSON-LD as one ``@graph``,
RDF/XML under one root, N-Triples line after line), so memory stays flat for any size
of katalog. The round trip tests check all four serialisations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from rdflib import Graph
from rdflib.namespace import RDF

from satudata_cli.codecs.dcat.rdf import quiet_rdflib
from satudata_cli.codecs.dcat.vocab import PREFIXES
from satudata_cli.codecs.dcat.write import DcatWriter, catalog_iri, new_graph
from satudata_cli.exports import ExportContext, ExportError, ExportItem
from satudata_cli.standard.schema import load_standard

__all__ = ["build_graph", "write_jsonld", "write_ntriples", "write_rdfxml", "write_turtle"]


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
