"""The katalog as a DCAT-AP catalogue: Turtle, JSON-LD, RDF/XML and N-Triples.

The triples of each dataset are built by the DCAT codec
(:class:`satudata_cli.codecs.dcat.write.DcatWriter`: the DCAT terms the ``dcat``
source reads, plus the exact values in the satudata namespaces for what DCAT cannot
carry, so a harvest of the export gives the identical canonical records) and turned
into text by its serialisers (:mod:`satudata_cli.codecs.dcat.serialise`).

The document is written one dataset at a time (the prefixes or root first, then a
chunk of text per dataset, then the end: the JSON-LD catalogue node listing every
dataset), so memory stays flat for any size of katalog. The round trip tests check all
four serialisations; ``tests/integration/test_dcat_export_fast.py`` checks that each is
the same graph as rdflib's serialisation of the same records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from satudata_cli.codecs.dcat.serialise import SERIALISERS
from satudata_cli.codecs.dcat.write import DcatWriter, catalog_iri
from satudata_cli.exports import ExportContext, ExportError, ExportItem
from satudata_cli.standard.schema import load_standard

__all__ = ["write_dcat", "write_jsonld", "write_ntriples", "write_rdfxml", "write_turtle"]

#: bytes gathered before one write to the stream
_FLUSH_AT = 1 << 16


def write_dcat(
    items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext, fmt: str
) -> int:
    """The datasets as a DCAT catalogue in export format ``fmt`` (``dcat-ttl``,
    ``dcat-nt``, ``dcat-rdfxml``, ``dcat-jsonld``); how many datasets it wrote."""
    serialiser = SERIALISERS[fmt](catalog_iri(context.base_uri))
    writer = DcatWriter(
        base_uri=context.base_uri,
        title=context.title,
        generated_at=context.generated_at,
        standard=load_standard(),
        xml_safe=fmt == "dcat-rdfxml",
    )
    pending: list[str] = []
    size = 0

    def write(text: str, *, flush: bool = False) -> None:
        nonlocal size
        pending.append(text)
        size += len(text)
        if flush or size >= _FLUSH_AT:
            out.write("".join(pending).encode("utf-8"))
            pending.clear()
            size = 0

    count = 0
    try:
        write(serialiser.head())
        write(serialiser.chunk(writer.catalogue_triples()))
        for item in items:
            triples = writer.dataset_triples(
                item.summary.source_id, item.summary.remote_id, item.record
            )
            write(serialiser.chunk(triples))
            count += 1
        for text in serialiser.tail():
            write(text)
        write("", flush=True)
    except (ValueError, UnicodeError) as exc:  # a text no RDF syntax can hold
        raise ExportError(f"the DCAT catalogue could not be written: {exc}") from exc
    return count


def write_turtle(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in Turtle (every prefix declared at the top)."""
    return write_dcat(items, out, context=context, fmt="dcat-ttl")


def write_jsonld(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in JSON-LD: one document with the context inline
    and every node in ``@graph``; the catalogue node comes last, once, listing every
    dataset (consumers that read JSON-LD as plain JSON find one catalogue object)."""
    return write_dcat(items, out, context=context, fmt="dcat-jsonld")


def write_rdfxml(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in RDF/XML: one ``rdf:RDF`` root declaring every
    namespace, then each dataset's elements (a carriage return as ``&#13;``, never in
    CDATA, where an XML parser would read it back as a line feed)."""
    return write_dcat(items, out, context=context, fmt="dcat-rdfxml")


def write_ntriples(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    """The datasets as a DCAT catalogue in N-Triples: one triple a line, each dataset's
    triples after the other (every blank node has a label of its own), for tools that
    load or diff triples line by line."""
    return write_dcat(items, out, context=context, fmt="dcat-nt")
