"""The streaming DCAT reader (pyoxigraph + light index) gives the records the rdflib
reader gives: on a varied generated catalogue in all four formats, on every DCAT test
document, and on documents made of the corner cases (normalised literals, duplicate
statements, blank nodes ordered by what they say, satudata's own terms). What only rdflib
reads as rdflib does is read by rdflib (the fallback is checked too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from satudata_cli.codecs.dcat.light import LightGraph
from satudata_cli.codecs.dcat.rdf import read_rdf
from satudata_cli.sources.base import SourceError
from satudata_cli.sources.config import SourceConfig
from satudata_cli.sources.dcat_reader import DcatSource
from tests.helpers import dcat_corpus

DATA = Path(__file__).resolve().parents[1] / "data"
DOCUMENTS = sorted(
    [
        *(DATA / "dcat").glob("*.*"),
        *(DATA / "dcat" / "fidelity").glob("*.*"),
        *(DATA / "roundtrip").glob("*.ttl"),
    ]
)


def gather(path: Path, reader: str, monkeypatch: pytest.MonkeyPatch, **dcat: Any) -> Any:
    """Everything the source hands the engine (or its error), read by ``reader``."""
    if reader == "rdflib":
        monkeypatch.setenv("SATUDATA_DCAT_READER", "rdflib")
    else:
        monkeypatch.delenv("SATUDATA_DCAT_READER", raising=False)
    config = SourceConfig.model_validate(
        {"id": "readers", "type": "dcat", "path": str(path), **({"dcat": dcat} if dcat else {})}
    )
    source = DcatSource(config)
    try:
        records = list(source.gather(since=None, limit=None))
    except SourceError as exc:
        return ("error", str(exc))
    rows = [(r.remote_id, r.record, r.remote_modified, r.error, r.findings) for r in records]
    info = source.pass_info
    return rows, info.complete, info.notes, info.gaps, info.expected


def assert_same(path: Path, monkeypatch: pytest.MonkeyPatch, **dcat: Any) -> Any:
    reference = gather(path, "rdflib", monkeypatch, **dcat)
    streamed = gather(path, "streaming", monkeypatch, **dcat)
    assert streamed == reference
    return streamed


@pytest.mark.parametrize("rdf_format", sorted(dcat_corpus.FORMATS))
def test_a_generated_catalogue_gives_the_same_records(
    rdf_format: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = dcat_corpus.write(400, rdf_format, tmp_path / "catalogue")
    body = document.read_bytes()
    assert isinstance(read_rdf(body, rdf_format, document.as_uri()), LightGraph)  # streamed
    rows, complete, notes, _gaps, expected = assert_same(document, monkeypatch)
    assert expected == 400 and complete
    assert any("several keywords" in note for note in notes)
    records = {remote_id: record for remote_id, record, *_ in rows}
    # the corpus's variety reached the records: every kind of value is there
    assert any("title_translations" in r for r in records.values())
    assert any(r.get("kode_wilayah") == "12.71" for r in records.values())
    assert any(r.get("dimensi") == {"baris": 5, "kolom": 7} for r in records.values())
    assert any(r.get("ukuran") == "Jumlah" for r in records.values())
    assert any(r.get("jadwal_pemutakhiran") == "triwulanan" for r in records.values())
    assert any(len(r.get("resources", [])) == 3 for r in records.values())
    assert any(k.startswith("https://") for k in records)  # no dct:identifier: the URI


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_test_document_gives_the_same_outcome(
    document: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = assert_same(document, monkeypatch)
    assert outcome  # records, or the same error


CORNERS = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix sd: <urn:satudata:ns#> .
@prefix sdf: <urn:satudata:field#> .

<https://x.example/ds/1> a dcat:Dataset ;
    dct:identifier "one" , "one" ;
    dct:title "Satu"@id , "One"@en , "Un"@fr , "Eins"@de , "Uno" ;
    dct:modified "2025-06-01T08:30:00Z"^^xsd:dateTime ;
    dct:issued "2024-1-5"^^xsd:date ;
    dct:publisher [ foaf:name "B" ] , [ foaf:name "A" ] , <https://x.example/org> ;
    dcat:keyword "a, b" , "c"@id , "a, b" ;
    sdf:aktif true ; sdf:jumlah 0012 ; sdf:rasio 1.50 ; sdf:skala 1e3 ;
    sdf:catatan "teks"^^xsd:string ;
    sd:field [ sd:key "nama-tak-xml" ; sd:value "{\\"a\\": [1, 2]}"^^rdf:JSON ] ;
    sd:unset "organization" ;
    dcat:distribution [ dcat:accessURL <https://x.example/a> ; dcat:byteSize "0100"^^xsd:integer ;
        sd:position 2 ] ,
      [ dcat:downloadURL <https://x.example/b> ; dcat:byteSize "1.0E3"^^xsd:double ;
        sd:position "1"^^xsd:integer ; spdx:checksum "abc" ] ;
    dct:temporal [ dcat:startDate "2019-01-01"^^xsd:date ] .

<https://x.example/org> foaf:name "Org" .
<https://x.example/ds/1> dct:title "Satu"@id .
_:b a dcat:Dataset ; dct:title "no identifier" .
<https://x.example/catalog> a dcat:Catalog ; dcat:dataset <https://x.example/ds/1> ,
    <https://x.example/nothing> , "a literal" .
"""


def test_corner_cases_give_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "corners.ttl"
    document.write_text(
        CORNERS.replace("spdx:checksum", "<http://spdx.org/rdf/terms#checksum>"), "utf-8"
    )
    assert isinstance(read_rdf(document.read_bytes(), "turtle", document.as_uri()), LightGraph)
    rows, complete, _notes, gaps, _expected = assert_same(document, monkeypatch)
    records = {remote_id: record for remote_id, record, *_ in rows if record}
    one = records["one"]
    assert one["tanggal_diperbarui"] == "2025-06-01T08:30:00+00:00"  # as rdflib normalises
    assert (one["aktif"], one["jumlah"], one["skala"]) == (True, 12, 1000.0)
    assert one["nama-tak-xml"] == {"a": [1, 2]} and "organization" not in one
    assert [r.get("size") for r in one["resources"]] == [1000, 100]
    assert not complete and gaps  # the blank dataset without identifier


@pytest.mark.parametrize(
    ("rdf_format", "body"),
    [
        ("turtle", b'<https://x.example/d> a <http://www.w3.org/ns/dcat#Dataset> ;'
                   b' <http://purl.org/dc/terms/title> "Judul"@ID .'),
        ("xml", b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
                b'syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about='
                b'"https://x.example/d"><dct:title rdf:parseType="Literal"><b>x</b></dct:title>'
                b"</rdf:Description></rdf:RDF>"),
        ("turtle", b"<https://x.example/d> <http://purl.org/dc/terms/title> 'unterminated ."),
        ("turtle", b"<https://x.example/d> <http://purl.org/dc/terms/title> 'Judul'@id-ID ."),
        ("nt", b'<https://x.example/d> <http://purl.org/dc/terms/title> "Title"@en-GB .\n'),
        ("xml", b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
                b'syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"><rdf:Description rdf:about='
                b'"https://x.example/d"><dct:title xml:lang="ID">Judul</dct:title>'
                b"</rdf:Description></rdf:RDF>"),
        ("json-ld", b'{"@id": "https://x.example/d", "http://purl.org/dc/terms/title":'
                    b' {"@value": "Judul", "@language" : "ID"}}'),
        ("json-ld", b'{"@context": {"title": {"@id": "http://purl.org/dc/terms/title",'
                    b' "@container": "@language"}}, "@id": "https://x.example/d",'
                    b' "title": {"id": "Judul"}}'),
        ("json-ld", b'{"@context": {"lang": "@language", "v": "@value"}, "@id":'
                    b' "https://x.example/d", "http://purl.org/dc/terms/title":'
                    b' {"v": "Judul", "lang": "id"}}'),
    ],
)  # fmt: skip
def test_what_only_rdflib_reads_alike_is_read_by_rdflib(rdf_format: str, body: bytes) -> None:
    """An upper-case language tag (pyoxigraph lower-cases it), an XML literal, a JSON-LD
    language container or ``@language`` alias (where a tag's case is not visible in the
    bytes), and a syntax error (so the message is rdflib's, as before) go to rdflib."""
    try:
        graph = read_rdf(body, rdf_format, "https://x.example/")
    except ValueError as exc:
        assert "unterminated" in body.decode()
        assert str(exc)
        return
    assert isinstance(graph, Graph)
    assert len(graph) >= 1


def test_a_json_ld_named_graph_is_left_out_as_rdflib_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "named.jsonld"
    document.write_text(
        '{"@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},'
        ' "@graph": [{"@id": "https://x.example/d1", "@type": "dcat:Dataset", "dct:title": "A"},'
        ' {"@id": "https://x.example/g", "@graph": [{"@id": "https://x.example/d2",'
        ' "@type": "dcat:Dataset", "dct:title": "B"}]}]}',
        "utf-8",
    )
    rows, *_ = assert_same(document, monkeypatch)
    assert [remote_id for remote_id, *_ in rows] == ["https://x.example/d1"]


def test_whole_graph_lookups_answer_as_rdflib_does_for_used_and_absent_predicates() -> None:
    """The light index answers a look-up over all subjects of a predicate the document
    does not use without walking the subjects; the answers stay rdflib's, for every
    predicate the document uses and for absent ones (Hydra's, asked of every page)."""
    body = (
        b"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        b"@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
        b"<https://x.example/c> a dcat:Catalog ; dcat:dataset <https://x.example/d1>, "
        b"<https://x.example/d2> .\n"
        b"<https://x.example/d1> a dcat:Dataset ; dct:title 'Satu', 'Uno'@it .\n"
        b"<https://x.example/d2> a dcat:Dataset ; dct:title 'Dua' ; dct:identifier 'd2' .\n"
        b"<https://x.example/p1> hydra:next <https://x.example/p2> .\n"
    )
    light = read_rdf(body, "turtle", "https://x.example/")
    reference = Graph().parse(data=body, format="turtle", publicID="https://x.example/")
    assert isinstance(light, LightGraph)
    hydra = "http://www.w3.org/ns/hydra/core#"
    predicates = {str(p) for p in reference.predicates()}
    assert f"{hydra}next" in predicates and light.used == predicates
    for predicate in sorted(predicates | {f"{hydra}nextPage", f"{hydra}totalItems"}):
        ref = URIRef(predicate)
        expected_pairs = sorted((str(s), str(o)) for s, o in reference.subject_objects(ref))
        got_pairs = sorted((str(s), _lexical(o)) for s, o in light.subject_objects(predicate))
        assert got_pairs == expected_pairs, predicate
        expected_objects = sorted({str(o) for o in reference.objects(None, ref)})
        assert sorted(map(_lexical, light.objects(None, predicate))) == expected_objects
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    dataset = next(o for o in light.objects(None, rdf_type) if str(o).endswith("#Dataset"))
    assert sorted(map(str, light.subjects(rdf_type, dataset))) == [
        "https://x.example/d1",
        "https://x.example/d2",
    ]
    assert light.subjects(f"{hydra}totalItems", dataset) == []


def _lexical(node: Any) -> str:
    """A light index node as rdflib's ``str``: a literal's text, an IRI itself."""
    return str(node[0]) if type(node) is tuple else str(node)
