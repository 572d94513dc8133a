"""The DCAT codec's serialisers on shapes the writer seldom or never makes: each output
parses back (rdflib) to the very triples given."""

from __future__ import annotations

import warnings

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from satudata_cli.codecs.dcat.serialise import SERIALISERS, Triple

PARSERS = {"dcat-ttl": "turtle", "dcat-nt": "nt", "dcat-rdfxml": "xml", "dcat-jsonld": "json-ld"}
CATALOG = URIRef("https://k.go.id/catalog")
D = URIRef("https://k.go.id/dataset/s/a%20b")
EX = "https://vocab.example.org/terms/"


def _write(fmt: str, chunks: list[list[Triple]]) -> str:
    serialiser = SERIALISERS[fmt](str(CATALOG))
    body = "".join(serialiser.chunk(c) for c in chunks)
    return serialiser.head() + body + "".join(serialiser.tail())


def _parsed(text: str, fmt: str) -> Graph:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=text, format=PARSERS[fmt], publicID="file:///x")


def _graph(*chunks: list[Triple]) -> Graph:
    graph = Graph()
    for chunk in chunks:
        for triple in chunk:
            graph.add(triple)
    return graph


def _odd_chunk(*, xml: bool = False) -> list[Triple]:
    one, two, cycle_a, cycle_b, shared = BNode(), BNode(), BNode(), BNode(), BNode()
    controls = [] if xml else [(D, DCTERMS.alternative, Literal("\b\f\x01\x0b"))]
    return [
        *controls,
        (CATALOG, DCAT.dataset, D),
        (D, RDF.type, DCAT.Dataset),
        (D, RDF.type, URIRef(EX + "Kind")),  # a second type, outside the prefixes
        (D, DCTERMS.title, Literal('kutip " \\ \r\n\t \x7f akhir', lang="id")),
        (D, DCTERMS.description, Literal("<p>a & b ]]> c</p>\r\n")),
        (D, DCTERMS.identifier, Literal("😀 中文 é")),
        (D, URIRef(EX + "count"), Literal(3)),  # a predicate outside the prefixes
        (D, URIRef(EX + "when"), Literal("2024-01-01", datatype=XSD.date)),
        (D, URIRef(EX + "json"), Literal('{"a":[1]}', datatype=RDF.JSON)),
        (D, URIRef(EX + "odd"), Literal("x", datatype=URIRef(EX + "type"))),
        (D, DCAT.landingPage, URIRef("https://k.go.id/a?x=1&y=%zz#b#c")),
        (D, DCTERMS.publisher, one),
        (one, RDF.type, FOAF.Agent),
        (one, FOAF.name, Literal("Dinas")),
        (one, FOAF.member, two),  # nested in place, two levels
        (two, FOAF.name, Literal("Bidang")),
        (D, DCTERMS.relation, shared),  # used twice: written with its label
        (D, DCTERMS.source, shared),
        (shared, FOAF.name, Literal("bersama")),
        (cycle_a, FOAF.knows, cycle_b),  # blank nodes that only refer to each other
        (cycle_b, FOAF.knows, cycle_a),
        (D, RDF.type, RDF.type),  # rdf:type as an object
    ]


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_every_serialiser_writes_the_graph_given(fmt: str) -> None:
    catalogue = [(CATALOG, RDF.type, DCAT.Catalog), (CATALOG, DCTERMS.title, Literal("K"))]
    chunk = _odd_chunk(xml=fmt == "dcat-rdfxml")
    text = _write(fmt, [catalogue, chunk, [(CATALOG, DCAT.dataset, URIRef(EX + "d2"))]])
    parsed = _parsed(text, fmt)
    assert isomorphic(
        parsed, _graph(catalogue, chunk, [(CATALOG, DCAT.dataset, URIRef(EX + "d2"))])
    )


def test_turtle_uses_prefixes_and_writes_single_blank_nodes_in_place() -> None:
    text = _write("dcat-ttl", [_odd_chunk()])
    assert text.startswith("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    assert "a dcat:Dataset" in text
    assert "dct:publisher [ a foaf:Agent" in text
    assert "\\r\\n" in text and "\r" not in text


def test_rdfxml_keeps_carriage_returns_as_references_and_never_cdata() -> None:
    text = _write("dcat-rdfxml", [_odd_chunk(xml=True)])
    assert "&#13;" in text and "\r" not in text and "CDATA" not in text
    assert 'xmlns:ns0="https://vocab.example.org/terms/"' in text


def test_jsonld_lists_the_datasets_on_one_catalogue_object_at_the_end() -> None:
    import json

    catalogue = [(CATALOG, RDF.type, DCAT.Catalog)]
    text = _write("dcat-jsonld", [catalogue, _odd_chunk(), [(CATALOG, DCAT.dataset, URIRef(EX))]])
    document = json.loads(text)
    catalog = document["@graph"][-1]
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["dcat:dataset"] == [{"@id": str(D)}, {"@id": EX}]
    assert [n for n in document["@graph"] if n.get("@id") == str(CATALOG)] == [catalog]


@pytest.mark.parametrize("text", ["a\x0bb", "\ufffe"])
def test_rdfxml_refuses_what_xml_cannot_hold(text: str) -> None:
    with pytest.raises(ValueError, match=r"XML 1\.0"):
        _write("dcat-rdfxml", [[(D, DCTERMS.title, Literal(text))]])


def test_ntriples_escape_what_an_iri_reference_cannot_hold() -> None:
    iri = URIRef('https://k.go.id/a b"c')
    line = _write("dcat-nt", [[(D, DCAT.landingPage, iri)]])
    assert "<https://k.go.id/a\\u0020b\\u0022c>" in line
    assert list(_parsed(line, "dcat-nt").objects(D, DCAT.landingPage)) == [iri]
