"""A document in chunks (satudata_cli/codecs/dcat/chunks.py) reads like one byte string
to the screens, is handed over and let go chunk by chunk, and is read again from its
origin when the streaming reader gives it back; the screens see across chunk edges."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

from satudata_cli.codecs.dcat.chunks import Chunks
from satudata_cli.codecs.dcat.light import LightGraph
from satudata_cli.codecs.dcat.rdf import read_rdf


def split(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 1000])
def test_matches_slices_and_reading_are_those_of_the_whole(size: int) -> None:
    data = b'x <!DOCTYPE a> "@context"  :  {"a": 1} <!DOCTYPE b> "@import": "z"'
    chunks = Chunks(split(data, size))
    for pattern in (rb"<!DOCTYPE", rb'"(@context|@import)"\s*:\s*', rb"\{[^}]*\}"):
        compiled = re.compile(pattern)
        whole = [(m.start(), m[0]) for m in compiled.finditer(data)]
        assert [(offset, m[0]) for offset, m in chunks.finditer(compiled)] == whole
    assert chunks.slice(3, 20) == data[3:20]
    assert chunks.head(9) == data[:9]
    assert chunks.join() == data
    reader = chunks.reader()
    assert b"".join(iter(lambda: reader.read(7), b"")) == data
    assert not chunks.consumed  # no origin to read it again from: the chunks stay


def test_a_consumable_document_is_let_go_and_read_again() -> None:
    data = b"<https://x.example/d> <http://purl.org/dc/terms/title> 'unterminated ."
    reads: list[int] = []

    def origin() -> bytes:
        reads.append(1)
        return data

    chunks = Chunks(split(data, 10), reload=origin)
    with pytest.raises(ValueError, match=r"\S"):  # rdflib's message, after a fresh read
        read_rdf(chunks, "turtle", "https://x.example/")
    assert chunks.consumed and reads == [1]
    with pytest.raises(RuntimeError):
        chunks.join()


def test_a_consumable_document_is_read_in_one_pass() -> None:
    data = (
        b"<https://x.example/d> a <http://www.w3.org/ns/dcat#Dataset> ;"
        b' <http://purl.org/dc/terms/title> "A"@id .'
    )
    chunks = Chunks(split(data, 7), reload=lambda: pytest.fail("read again"))
    graph = read_rdf(chunks, "turtle", "https://x.example/")
    assert isinstance(graph, LightGraph) and len(graph) == 2
    assert chunks.consumed


def test_screens_see_across_chunk_edges() -> None:
    remote = b'{"@context": "https://127.0.0.1:9/ctx.jsonld", "@id": "https://x.example/d"}'
    for size in (1, 4, 11):
        chunks = Chunks(split(remote, size), reload=lambda: remote)
        with pytest.raises(ValueError, match="remote @context"):
            read_rdf(chunks, "json-ld", "https://x.example/")
    laughs = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>'
    for size in (1, 3, 9):
        with pytest.raises(ValueError, match="entities"):
            read_rdf(Chunks(split(laughs, size), reload=lambda: laughs), "xml", "https://x/")
    upper = b'<https://x.example/d> <http://purl.org/dc/terms/title> "Judul"@ID .'
    graph = read_rdf(Chunks(split(upper, 2), reload=lambda: upper), "turtle", "https://x/")
    assert isinstance(graph, Graph)  # rdflib keeps the tag as written
