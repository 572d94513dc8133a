"""The ``dcat`` source: parsing, mapping, Hydra paging and safety, through the real engine.

Fixtures in tests/data/dcat/ were written for the project (a Kota Medan catalogue in
Turtle, a DCAT-AP 2 catalogue in RDF/XML without a dcat:Catalog node, JSON-LD with an
inline context, N-Triples, a billion-laughs document, malformed and truncated files).
HTTP goes to :class:`tests.dcat_fixture.RdfServer` on 127.0.0.1.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from satudata_cli.cli import app
from satudata_cli.codecs.dcat.light import LightMapper
from satudata_cli.codecs.dcat.rdf import detect_format, parse_rdf
from satudata_cli.codecs.dcat.read import DcatMapper
from satudata_cli.core.configfile import ConfigError
from satudata_cli.core.http import HttpClient
from satudata_cli.pipeline.harvest import Harvester, SourceOutcome, default_source_factory
from satudata_cli.sources.base import SourceError
from satudata_cli.sources.config import SourceConfig, load_source
from satudata_cli.sources.dcat_reader import DcatSource
from satudata_cli.standard.validator import Validator
from tests.helpers.dcat_fixture import PREFIXES, RdfServer, dataset_ttl, hydra_page
from tests.helpers.source_helpers import stored_findings as findings

DATA = Path(__file__).resolve().parents[1] / "data" / "dcat"
FAST_HTTP = {"retries": 0, "timeout": 10, "connect_timeout": 5}


def source(source_id: str = "dcat-test", **fields: Any) -> SourceConfig:
    fields.setdefault("http", FAST_HTTP)
    return SourceConfig.model_validate({"id": source_id, "type": "dcat", **fields})


def harvest(db: Path, config: SourceConfig, **options: Any) -> SourceOutcome:
    (outcome,) = Harvester(db).run([config], **options).outcomes
    return outcome


def records(db: Path, source_id: str = "dcat-test") -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            remote_id: json.loads(record)
            for remote_id, record in conn.execute(
                "SELECT remote_id, record FROM datasets WHERE source_id = ? AND status = 'active'",
                (source_id,),
            )
        }
    finally:
        conn.close()


def count_datasets(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM datasets").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def server() -> Any:
    with RdfServer() as running:
        yield running


# -- mapping ---------------------------------------------------------------------------


def test_turtle_catalogue_is_mapped_onto_the_standard(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(DATA / "catalog.ttl")))
    assert outcome.status == "finished", outcome.error
    assert (outcome.added, outcome.errored, outcome.complete) == (2, 0, True)
    stored = records(db)
    assert set(stored) == {"penduduk-kecamatan", "https://data.pemkomedan.go.id/dataset/puskesmas"}
    penduduk = stored["penduduk-kecamatan"]
    assert penduduk == {
        "title": "Jumlah Penduduk per Kecamatan di Kota Medan",
        "title_translations": {
            "id": "Jumlah Penduduk per Kecamatan di Kota Medan",
            "en": "Population by District in Medan City",
        },
        "notes": "Jumlah penduduk menurut kecamatan dan jenis kelamin.",
        "notes_translations": {
            "id": "Jumlah penduduk menurut kecamatan dan jenis kelamin.",
            "en": "Population by district and sex.",
        },
        "organization": "Dinas Kependudukan dan Pencatatan Sipil Kota Medan",
        "produsen_data": "Bidang Data Disdukcapil Kota Medan",
        "tags": ["kependudukan", "penduduk", "population"],
        "theme": ["http://publications.europa.eu/resource/authority/data-theme/SOCI"],
        "jadwal_pemutakhiran": "tahunan",  # the EU frequency URI, normalised
        "klasifikasi_akses": "terbuka",  # the EU access-right URI, normalised
        "tanggal_dibuat": "2021-03-15",
        "tanggal_diperbarui": "2025-06-01T08:30:00+07:00",
        "link_akses": "https://data.pemkomedan.go.id/dataset/penduduk-kecamatan",
        "license_id": "cc-by",
        "kontak": {
            "nama": "Seksi Data Disdukcapil",
            "email": "data.disdukcapil@pemkomedan.go.id",
            "telepon": "+62614512345",
        },
        "tahun": "2019-2023",
        "spatial": "http://sws.geonames.org/1214520/",
        "resources": [
            {
                "url": "https://data.pemkomedan.go.id/files/penduduk-kecamatan.csv",
                "access_url": "https://data.pemkomedan.go.id/dataset/penduduk-kecamatan",
                "name": "Penduduk per Kecamatan (CSV)",
                "format": "CSV",
                "mimetype": "text/csv",
                "size": 20480,
            }
        ],
        "format": ["csv"],
    }
    puskesmas = stored["https://data.pemkomedan.go.id/dataset/puskesmas"]
    assert puskesmas["kontak"] == "data.dinkes@pemkomedan.go.id"  # hasEmail without mailto:
    assert puskesmas["jadwal_pemutakhiran"] == "bulanan"  # Dublin Core frequency URI
    # non-ISO dates are tolerated, normalised and reported by the date rules
    assert puskesmas["tanggal_dibuat"] == "2021-03-15"
    assert puskesmas["tanggal_diperbarui"] == "2026-01-05"
    assert puskesmas["tahun"] == 2024
    assert puskesmas["temporal"] == "2024-01-01/2024-12-31"
    assert {"tanggal.non-iso $.tanggal_dibuat", "tanggal.non-iso $.tanggal_diperbarui"} <= findings(
        db, "https://data.pemkomedan.go.id/dataset/puskesmas"
    )
    assert "vocab.variant $.jadwal_pemutakhiran" in findings(db, "penduduk-kecamatan")


def test_rdfxml_without_catalog_node(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(DATA / "catalog.rdf")))
    assert outcome.status == "finished", outcome.error
    stored = records(db)
    padi = stored["luas-panen-padi"]
    # id-ID is the preferred language; English comes before the untagged title
    assert padi["title"] == "Luas Panen Padi Provinsi Sumatera Utara"
    assert padi["title_translations"] == {
        "id-ID": "Luas Panen Padi Provinsi Sumatera Utara",
        "en": "Harvested Area of Rice",
        "und": "Luas Panen Padi",
    }
    assert padi["notes"] == "Harvested area of rice by regency."  # the only one: English
    assert "notes_translations" not in padi
    assert padi["kontak"] == {"nama": "Petugas Data Distan", "email": "data.distan@sumutprov.go.id"}
    assert padi["jadwal_pemutakhiran"] == "triwulanan"
    assert padi["tahun"] == 2023
    assert padi["temporal"] == "2023-01-01/2023-12-31"  # schema:startDate / endDate
    assert padi["spatial"] == "Provinsi Sumatera Utara"
    assert padi["tanggal_diperbarui"] == "2025-11-28"  # 28/11/2025, normalised
    assert padi["license_id"] == "cc-by"  # the distribution's licence, http:// form
    assert padi["resources"] == [
        {
            "url": "https://data.sumutprov.go.id/api/luas-panen-padi",
            "name": "Luas panen (JSON API)",
            "format": "application/json",
            "mimetype": "application/json",
            "license_id": "http://creativecommons.org/licenses/by/4.0/",  # kept (issue 12)
        }
    ]
    assert padi["format"] == ["json"]
    jagung = stored["https://data.sumutprov.go.id/dataset/produksi-jagung"]
    # neither id nor en nor untagged: any language, the same way every time
    assert jagung["title"] == "Maisproduktion"
    assert jagung["kontak"] == "statistik@sumutprov.go.id"  # "mailto:" literal stripped
    assert jagung["jadwal_pemutakhiran"] == "tahunan"  # ISO 8601 R/P1Y


def test_jsonld_and_ntriples(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    assert harvest(db, source(path=str(DATA / "catalog.jsonld"))).status == "finished"
    rs = records(db)["rs-2024"]
    assert rs["title"] == "Daftar Rumah Sakit DKI Jakarta"
    assert rs["title_translations"] == {
        "id": "Daftar Rumah Sakit DKI Jakarta",
        "en": "Hospitals in Jakarta",
    }
    assert rs["format"] == ["csv", "xlsx"]
    assert [r["url"].rsplit("/", 1)[1] for r in rs["resources"]] == [
        "rumah-sakit.csv",
        "rumah-sakit.xlsx",
    ]
    assert rs["resources"][0]["size"] == 1024
    assert rs["temporal"] == "2024/.."  # an open period: no tahun
    assert "tahun" not in rs
    db2 = tmp_path / "k2.db"
    assert harvest(db2, source(path=str(DATA / "catalog.nt"))).status == "finished"
    (hujan,) = records(db2).values()
    assert hujan["organization"] == "Stasiun Klimatologi Deli Serdang"
    assert hujan["jadwal_pemutakhiran"] == "bulanan"


def test_language_preference_is_configurable(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    config = source(path=str(DATA / "catalog.ttl"), dcat={"languages": ["en"]})
    assert harvest(db, config).status == "finished"
    assert records(db)["penduduk-kecamatan"]["title"] == "Population by District in Medan City"


def test_blank_dataset_without_identifier_is_an_errored_record(tmp_path: Path) -> None:
    doc = tmp_path / "blank.ttl"
    doc.write_text(
        PREFIXES + dataset_ttl(1) + '[] a dcat:Dataset ; dct:title "Tanpa pengenal" .\n',
        encoding="utf-8",
    )
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(doc)))
    assert outcome.status == "finished"
    assert (outcome.added, outcome.errored) == (1, 1)
    assert not outcome.complete  # an unmatched dataset could be withdrawn by mistake
    assert set(records(db)) == {"ds-001"}


@pytest.mark.parametrize("reader", ["streaming", "rdflib"])
def test_a_record_whose_mapping_fails_is_errored_and_the_job_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    mapper: Any = LightMapper if reader == "streaming" else DcatMapper
    if reader == "rdflib":
        monkeypatch.setenv("SATUDATA_DCAT_READER", "rdflib")
    original = mapper.map

    def failing(self: Any, graph: Any, node: Any) -> dict[str, Any]:
        if str(node).endswith("/2"):
            raise ValueError("broken on purpose")
        return original(self, graph, node)

    monkeypatch.setattr(mapper, "map", failing)
    doc = tmp_path / "two.ttl"
    doc.write_text(PREFIXES + dataset_ttl(1) + dataset_ttl(2), encoding="utf-8")
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(doc)))
    assert outcome.status == "finished"
    assert (outcome.added, outcome.errored) == (1, 1)
    conn = sqlite3.connect(db)
    (message,) = conn.execute(
        "SELECT message FROM harvest_events WHERE kind = 'errored'"
    ).fetchone()
    conn.close()
    assert "broken on purpose" in message


def test_limit_stops_early_and_is_not_complete(tmp_path: Path) -> None:
    doc = tmp_path / "three.ttl"
    doc.write_text(PREFIXES + "".join(dataset_ttl(i) for i in (1, 2, 3)), encoding="utf-8")
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(doc)), limit=2)
    assert outcome.added == 2
    assert not outcome.complete


def test_no_dataset_at_all_is_not_a_complete_pass(tmp_path: Path) -> None:
    doc = tmp_path / "empty.ttl"
    doc.write_text(PREFIXES + '<https://x.example/c> a dcat:Catalog ; dct:title "Kosong" .\n')
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(doc)))
    assert outcome.status == "finished"
    assert not outcome.complete
    assert any("no dcat:Dataset" in note for note in outcome.notes)


# -- formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "name", "head", "expected"),
    [
        ("text/turtle; charset=utf-8", "x.rdf", b"@prefix", "turtle"),  # Content-Type first
        ("application/rdf+xml", "x.ttl", b"<rdf:RDF ", "xml"),
        ("application/ld+json", None, b"{", "json-ld"),
        ("application/n-triples", None, b"<a> <b> <c> .", "nt"),
        ("application/octet-stream", "catalog.jsonld", b"<x", "json-ld"),  # then extension
        (None, "https://x.example/catalog.ttl?page=2", b"", "turtle"),
        (None, "https://x.example/catalog", b'\xef\xbb\xbf  <?xml version="1.0"?>', "xml"),
        ("text/plain", "https://x.example/catalog", b"\n[{}]", "json-ld"),  # then content
        (None, None, b"<https://a> <https://b> <https://c> .", "turtle"),
        (None, None, b"@prefix dcat: <http://www.w3.org/ns/dcat#> .", "turtle"),
        (None, None, b"<!-- a comment -->\n<rdf:RDF>", "xml"),
        (None, None, b"unknown", "turtle"),
        # a Content-Type or extension the content plainly contradicts loses: servers
        # label every file application/xml or application/json
        ("application/xml", None, b"@prefix dcat: <http://www.w3.org/ns/dcat#> .", "turtle"),
        ("application/json", "x.rdf", b'<?xml version="1.0"?><rdf:RDF>', "xml"),
        ("text/xml", None, b'{"@context": {}}', "json-ld"),
        ("text/turtle", None, b"<rdf:RDF\n  xmlns:rdf=", "xml"),
        ("application/rdf+xml", None, b"<https://a> <https://b> <https://c> .", "turtle"),
        (None, "catalog.nt", b"<https://a> <https://b> <https://c> .", "nt"),
    ],
)
def test_format_detection(
    content_type: str | None, name: str | None, head: bytes, expected: str
) -> None:
    assert detect_format(head, content_type=content_type, name=name) == expected


@pytest.mark.parametrize(
    ("content_type", "body"),
    [("text/html", b"<p>maintenance</p>"), (None, b"<!DOCTYPE html><html></html>")],
)
def test_an_html_page_is_refused_by_name(content_type: str | None, body: bytes) -> None:
    with pytest.raises(ValueError, match="HTML page"):
        detect_format(body, content_type=content_type)


def test_content_negotiation_and_sniffing_over_http(tmp_path: Path, server: RdfServer) -> None:
    turtle = (DATA / "catalog.ttl").read_bytes()
    rdfxml = (DATA / "catalog.rdf").read_bytes()
    db = tmp_path / "k.db"
    url = server.serve("/katalog", turtle, "text/turtle; charset=utf-8")
    assert harvest(db, source("by-type", url=url)).added == 2
    assert "text/turtle" in server.requests[-1].headers["accept"]
    assert server.requests[-1].headers["user-agent"].startswith("satudata/")
    # no useful Content-Type and no extension: the content says RDF/XML
    url = server.serve("/export", rdfxml, "application/octet-stream")
    assert harvest(db, source("sniffed", url=url)).added == 2
    # a mislabelled answer (the server calls everything application/xml or text/turtle)
    # is read by what its content plainly is
    url = server.serve("/mislabelled", rdfxml, "text/turtle")
    assert harvest(db, source("mislabelled", url=url)).added == 2
    url = server.serve("/mislabelled.rdf", turtle, "application/xml")
    assert harvest(db, source("mislabelled-xml", url=url)).added == 2
    # dcat.format overrides everything: a wrong one fails the job with the parser's words
    url = server.serve("/forced", rdfxml, "application/rdf+xml")
    failed = harvest(db, source("forced", url=url, dcat={"format": "turtle"}))
    assert failed.status == "failed"
    assert "cannot be read as Turtle" in (failed.error or "")


# -- broken documents: the job fails, nothing is stored ----------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.ttl", "cannot be read as Turtle: at line 5"),
        ("truncated.rdf", "cannot be read as RDF/XML: not well-formed XML"),
        ("not-rdf.json", "holds no RDF statements (read as JSON-LD)"),
        ("billion-laughs.rdf", "declares entities"),
    ],
)
def test_a_document_that_does_not_parse_fails_the_job(
    tmp_path: Path, name: str, message: str
) -> None:
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(DATA / name)))
    assert outcome.status == "failed"
    assert message in (outcome.error or "")
    assert str(DATA / name) in (outcome.error or "")
    assert "Traceback" not in (outcome.error or "")
    assert count_datasets(db) == 0


def test_a_missing_file_fails_clearly(tmp_path: Path) -> None:
    outcome = harvest(tmp_path / "k.db", source(path=str(tmp_path / "nope.ttl")))
    assert outcome.status == "failed"
    assert "does not exist" in (outcome.error or "")


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "big.ttl"
    doc.write_bytes(PREFIXES.encode() + b"#" * 2_000_000)
    config = source(path=str(doc), http={"max_response_mb": 1})
    outcome = harvest(tmp_path / "k.db", config)
    assert outcome.status == "failed"
    assert "larger than 1 MiB" in (outcome.error or "")


# -- safety ----------------------------------------------------------------------------


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(ValueError, match="declares entities"):
        parse_rdf((DATA / "billion-laughs.rdf").read_bytes(), "xml", "file:///x")
    assert time.monotonic() - started < 2


def test_xxe_file_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_text("KATA-SANDI-RAHASIA-123", encoding="utf-8")
    doc = tmp_path / "xxe.rdf"
    doc.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "{secret.as_uri()}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="https://data.example.go.id/dataset/xxe">
    <dct:identifier>xxe</dct:identifier><dct:title>&xxe;</dct:title>
  </dcat:Dataset>
</rdf:RDF>
""",
        encoding="utf-8",
    )
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(doc)))
    assert outcome.status == "failed"
    assert "declares entities" in (outcome.error or "")
    assert "KATA-SANDI" not in (outcome.error or "")
    assert count_datasets(db) == 0
    assert b"KATA-SANDI" not in db.read_bytes()


def test_external_entity_and_dtd_urls_are_never_fetched(tmp_path: Path, server: RdfServer) -> None:
    server.serve("/entity.txt", "DARI-SERVER", "text/plain")
    server.serve("/doc.dtd", '<!ENTITY title "DARI-DTD">', "application/xml-dtd")
    for i, doctype in enumerate(
        [
            f'<!DOCTYPE rdf:RDF [ <!ENTITY remote SYSTEM "{server.url}/entity.txt"> ]>',
            f'<!DOCTYPE rdf:RDF SYSTEM "{server.url}/doc.dtd">',
            f'<!DOCTYPE rdf:RDF [ <!ENTITY % p SYSTEM "{server.url}/doc.dtd"> %p; ]>',
        ]
    ):
        body = f"""<?xml version="1.0"?>
{doctype}
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
  <dcat:Dataset rdf:about="https://data.example.go.id/dataset/remote">
    <dct:identifier>remote</dct:identifier><dct:title>Judul</dct:title>
  </dcat:Dataset>
</rdf:RDF>
"""
        doc = tmp_path / f"remote-{i}.rdf"
        doc.write_text(body, encoding="utf-8")
        outcome = harvest(tmp_path / f"k{i}.db", source(path=str(doc)))
        assert outcome.status == "failed", doctype
        assert "declares entities" in (outcome.error or "") or (
            "refers to an external entity or DTD" in (outcome.error or "")
        )
        assert count_datasets(tmp_path / f"k{i}.db") == 0
    assert server.requests == []


@pytest.mark.parametrize(
    "context",
    [
        "{url}/context.jsonld",
        ["{url}/context.jsonld", {"dct": "http://purl.org/dc/terms/"}],
        {"@import": "{url}/context.jsonld"},
        "context.jsonld",  # relative: would be read next to the document
    ],
)
def test_jsonld_remote_context_is_refused_without_a_request(
    tmp_path: Path, server: RdfServer, context: Any
) -> None:
    server.serve(
        "/context.jsonld",
        json.dumps({"@context": {"title": "http://purl.org/dc/terms/title"}}),
        "application/ld+json",
    )
    context = json.loads(json.dumps(context).replace("{url}", server.url))
    doc = {
        "@context": context,
        "@id": "https://data.example.go.id/dataset/ctx",
        "@type": "http://www.w3.org/ns/dcat#Dataset",
        "title": "Judul",
    }
    (tmp_path / "context.jsonld").write_text("{}", encoding="utf-8")
    path = tmp_path / "remote-context.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    db = tmp_path / "k.db"
    outcome = harvest(db, source(path=str(path)))
    assert outcome.status == "failed"
    assert "remote @context" in (outcome.error or "")
    assert server.requests == []
    assert count_datasets(db) == 0
    # and over HTTP: the document is fetched, its context is not
    url = server.serve("/ctx-doc", json.dumps(doc), "application/ld+json")
    assert harvest(db, source(url=url)).status == "failed"
    assert [r.path for r in server.requests] == ["/ctx-doc"]


# -- Hydra paging ----------------------------------------------------------------------


def serve_pages(
    server: RdfServer,
    pages: list[list[int]],
    *,
    loop_to: int | None = None,
    last: bool = False,
    total: int | None = None,
    legacy: bool = False,
) -> str:
    """Pages /catalog?page=1..n; the last links back to page ``loop_to`` when given."""
    urls = [f"{server.url}/catalog?page={n}" for n in range(1, len(pages) + 1)]
    for n, datasets in enumerate(pages):
        following = urls[n + 1] if n + 1 < len(pages) else None
        if following is None and loop_to is not None:
            following = urls[loop_to - 1]
        body = hydra_page(
            urls[n],
            datasets,
            next_url=following,
            last_url=urls[-1] if last else None,
            total=total,
            legacy=legacy,
        )
        server.serve(f"/catalog?page={n + 1}", body)
    return urls[0]


@pytest.mark.parametrize("legacy", [False, True])
def test_hydra_pages_are_followed(tmp_path: Path, server: RdfServer, legacy: bool) -> None:
    url = serve_pages(server, [[1, 2], [3, 4], [5]], legacy=legacy)
    db = tmp_path / "k.db"
    outcome = harvest(db, source(url=url))
    assert outcome.status == "finished", outcome.error
    assert outcome.added == 5
    assert outcome.complete
    assert [r.path for r in server.requests] == [f"/catalog?page={n}" for n in (1, 2, 3)]
    assert "read 3 pages (Hydra paging)" in outcome.notes


def test_a_looping_next_page_stops_and_is_not_complete(tmp_path: Path, server: RdfServer) -> None:
    url = serve_pages(server, [[1, 2], [3, 4], [5]], loop_to=2)
    db = tmp_path / "k.db"
    outcome = harvest(db, source(url=url))
    assert outcome.status == "finished"
    assert outcome.added == 5
    assert not outcome.complete  # page 4 could exist behind the loop
    assert any("a page already read (a loop)" in note for note in outcome.notes)
    assert len(server.requests) == 3


def test_a_loop_after_the_declared_last_page_is_complete(tmp_path: Path, server: RdfServer) -> None:
    url = serve_pages(server, [[1, 2], [3]], loop_to=1, last=True)
    assert harvest(tmp_path / "k.db", source(url=url)).complete
    server.routes.clear()
    server.requests.clear()
    url = serve_pages(server, [[1, 2], [3]], loop_to=1, total=3)
    assert harvest(tmp_path / "k2.db", source(url=url)).complete


def test_a_repeating_page_stops(tmp_path: Path, server: RdfServer) -> None:
    """A server that ignores ?page= serves the first page again and again."""
    urls = [f"{server.url}/catalog?page={n}" for n in range(1, 100)]
    for n in range(len(urls)):
        server.serve(
            f"/catalog?page={n + 1}", hydra_page(urls[0], [1, 2], next_url=urls[min(n + 1, 98)])
        )
    outcome = harvest(tmp_path / "k.db", source(url=urls[0]))
    assert outcome.added == 2
    assert not outcome.complete
    assert any("only datasets already seen" in note for note in outcome.notes)
    assert len(server.requests) == 2


def test_max_pages(tmp_path: Path, server: RdfServer) -> None:
    url = serve_pages(server, [[1], [2], [3]])
    outcome = harvest(tmp_path / "k.db", source(url=url, dcat={"max_pages": 2}))
    assert outcome.added == 2
    assert not outcome.complete
    assert any("dcat.max_pages=2" in note for note in outcome.notes)


def test_a_next_page_on_another_host_is_not_followed(tmp_path: Path, server: RdfServer) -> None:
    first = f"{server.url}/catalog?page=1"
    other = first.replace("127.0.0.1", "localhost")
    server.serve("/catalog?page=1", hydra_page(first, [1], next_url=other))
    outcome = harvest(tmp_path / "k.db", source(url=first))
    assert outcome.added == 1
    assert not outcome.complete
    assert any("another host" in note for note in outcome.notes)
    assert len(server.requests) == 1


def test_a_broken_third_page_fails_the_job_and_stores_nothing(
    tmp_path: Path, server: RdfServer
) -> None:
    db = tmp_path / "k.db"
    url = serve_pages(server, [[1, 2], [3, 4], [5]])
    config = source(url=url, withdraw={"grace_days": 0, "max_fraction": 1.0})
    assert harvest(db, config).added == 5
    before = records(db)
    # the catalogue changes: dataset 1 is gone, 6 is new, and page 3 is cut off mid-way
    server.routes.clear()
    url = serve_pages(server, [[2, 6], [3, 4], [5]])
    route = server.routes["/catalog?page=3"]
    server.routes["/catalog?page=3"] = (200, "text/turtle", route[2][: len(route[2]) // 2])
    outcome = harvest(db, config)
    assert outcome.status == "failed"
    assert "/catalog?page=3" in (outcome.error or "")
    assert "cannot be read as Turtle" in (outcome.error or "")
    assert (outcome.added, outcome.withdrawn) == (0, 0)
    assert records(db) == before  # nothing from pages 1 and 2, nothing withdrawn
    # an HTTP error on a page is the same
    server.routes["/catalog?page=3"] = (500, "text/plain", b"boom")
    outcome = harvest(db, config)
    assert outcome.status == "failed"
    assert "HTTP 500" in (outcome.error or "")
    assert records(db) == before


def test_a_local_file_with_a_next_page_is_not_complete(tmp_path: Path) -> None:
    doc = tmp_path / "page.ttl"
    doc.write_text(
        hydra_page("https://x.example/catalog?page=1", [1], next_url="https://x.example/p2"),
        encoding="utf-8",
    )
    outcome = harvest(tmp_path / "k.db", source(path=str(doc)))
    assert outcome.added == 1
    assert not outcome.complete
    assert any("not followed" in note for note in outcome.notes)


def test_an_incomplete_pass_withdraws_nothing(tmp_path: Path, server: RdfServer) -> None:
    db = tmp_path / "k.db"
    config = source(
        url=serve_pages(server, [[1, 2], [3]]), withdraw={"grace_days": 0, "max_fraction": 1.0}
    )
    assert harvest(db, config).added == 3
    server.routes.clear()
    config = source(
        url=serve_pages(server, [[1], [2]], loop_to=1),
        withdraw={"grace_days": 0, "max_fraction": 1.0},
    )
    outcome = harvest(db, config)
    assert (outcome.withdrawn, outcome.complete) == (0, False)
    assert set(records(db)) == {"ds-001", "ds-002", "ds-003"}
    # a complete pass does withdraw (grace_days 0)
    server.routes.clear()
    config = source(
        url=serve_pages(server, [[1], [2]]), withdraw={"grace_days": 0, "max_fraction": 1.0}
    )
    outcome = harvest(db, config)
    assert outcome.complete
    assert outcome.withdrawn == 1
    assert set(records(db)) == {"ds-001", "ds-002"}


# -- configuration ---------------------------------------------------------------------


def write_config(folder: Path, **fields: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{fields['id']}.yaml"
    path.write_text(yaml.safe_dump(fields, sort_keys=False), encoding="utf-8")
    return path


def test_configuration_rules(tmp_path: Path) -> None:
    ok = load_source(write_config(tmp_path, id="a", type="dcat", path="catalog.ttl"))
    assert ok.path == tmp_path / "catalog.ttl"  # relative to the file's folder
    assert load_source(write_config(tmp_path, id="b", type="dcat", url="https://x.example/c"))
    bad = [
        ({"id": "c", "type": "dcat"}, "c.yaml:2: url: type dcat needs url or path"),
        (
            {"id": "d", "type": "dcat", "url": "https://x.example", "path": "x.ttl"},
            "path: type dcat takes url or path, not both",
        ),
        (
            {"id": "e", "type": "dcat", "path": "x.ttl", "dcat": {"pages": 3}},
            "dcat.pages: unknown key (did you mean max_pages?)",
        ),
        (
            {"id": "f", "type": "directory", "path": ".", "dcat": {"max_pages": 3}},
            "dcat: only used by type dcat, not directory",
        ),
        (
            {"id": "g", "type": "dcat", "path": "x.ttl", "dcat": {"format": "rdfa"}},
            "dcat.format:",
        ),
        (
            {"id": "h", "type": "dcat", "path": "x.ttl", "dcat": {"languages": ["bahasa id"]}},
            "is not a language tag",
        ),
    ]
    for fields, message in bad:
        with pytest.raises(ConfigError) as info:
            load_source(write_config(tmp_path, **fields))
        assert message in str(info.value), (fields, str(info.value))


def test_the_example_config_loads() -> None:
    examples = sorted(
        (Path(__file__).resolve().parents[2] / "harvest_configs" / "examples").glob("dcat-*.yaml")
    )
    assert examples
    for path in examples:
        config = load_source(path)
        assert config.type == "dcat"
        with HttpClient(config.http) as http:
            assert isinstance(default_source_factory(config, Validator(), http), DcatSource)


def test_source_needs_a_location() -> None:
    config = source(path="x.ttl")
    with pytest.raises(SourceError, match="no HTTP client"):
        DcatSource(config.model_copy(update={"url": "https://x.example", "path": None}), None)


# -- end to end through the command line ----------------------------------------------


def test_cli_harvest_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "harvest_configs"
    write_config(cfg, id="medan-dcat", type="dcat", path=str(DATA / "catalog.ttl"))
    db = tmp_path / "katalog.db"
    runner = CliRunner()
    result = runner.invoke(
        app, ["--db", str(db), "--config-dir", str(cfg), "harvest", "--all", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    (line,) = json.loads(result.stdout)
    assert (line["source"], line["status"], line["added"]) == ("medan-dcat", "finished", 2)
    broken = tmp_path / "rusak"
    write_config(broken, id="rusak", type="dcat", path=str(DATA / "truncated.rdf"))
    db2 = tmp_path / "rusak.db"
    result = runner.invoke(app, ["--db", str(db2), "--config-dir", str(broken), "harvest", "--all"])
    assert result.exit_code == 5
    assert "truncated.rdf" in result.stderr
    assert "not well-formed XML" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert count_datasets(db2) == 0
    # both together: one fails, one works -> partial (3)
    write_config(broken, id="medan-dcat", type="dcat", path=str(DATA / "catalog.ttl"))
    result = runner.invoke(app, ["--db", str(db2), "--config-dir", str(broken), "harvest", "--all"])
    assert result.exit_code == 3
    assert count_datasets(db2) == 2


def test_sources_in_parallel(tmp_path: Path) -> None:
    """rdflib's warning filters are changed under one lock: parallel jobs both parse."""
    configs = [
        source(f"par-{i}", path=str(DATA / name))
        for i, name in enumerate(["catalog.jsonld", "catalog.jsonld", "catalog.ttl", "catalog.rdf"])
    ]
    report = Harvester(tmp_path / "k.db", concurrency=4).run(configs)
    assert [o.status for o in report.outcomes] == ["finished"] * 4
    assert [o.added for o in report.outcomes] == [1, 1, 2, 2]


def test_pages_after_a_redirect_to_another_host_name(tmp_path: Path, server: RdfServer) -> None:
    """The configured address redirects (to localhost here); the pages that follow are
    on the host the first page really came from."""
    url = serve_pages(server, [[1], [2]])
    moved = url.replace("127.0.0.1", "localhost")
    for path in ("/catalog?page=1", "/catalog?page=2"):
        status, kind, body = server.routes[path]
        server.routes[path] = (status, kind, body.replace(b"127.0.0.1", b"localhost"))
    server.routes["/start"] = (302, None, moved.encode())
    outcome = harvest(tmp_path / "k.db", source(url=f"{server.url}/start"))
    assert outcome.status == "finished", outcome.error
    assert (outcome.added, outcome.complete) == (2, True)
    assert [r.path for r in server.requests] == ["/start", "/catalog?page=1", "/catalog?page=2"]


def test_blank_nodes_are_chosen_the_same_way_every_time(tmp_path: Path) -> None:
    """Two contact points as blank nodes: the same one is kept whatever their order in
    the document (blank node labels differ from run to run), so an unchanged catalogue
    stays unchanged."""
    zaenal = '[ vcard:fn "Zaenal" ; vcard:hasEmail <mailto:z@x.go.id> ]'
    ani = '[ vcard:fn "Ani" ; vcard:hasEmail <mailto:a@x.go.id> ]'
    mapper = DcatMapper()
    seen = set()
    for first, second in ((zaenal, ani), (ani, zaenal)):
        text = (
            PREFIXES
            + "@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .\n"
            + '<https://x.example/d> a dcat:Dataset ; dct:identifier "d" ; dct:title "D" ;\n'
            + f"  dcat:contactPoint {first} , {second} .\n"
        )
        graph = parse_rdf(text.encode(), "turtle", "file:///x")
        (node,) = mapper.datasets(graph)
        seen.add(json.dumps(mapper.map(graph, node)["kontak"]))
    assert seen == {json.dumps({"nama": "Ani", "email": "a@x.go.id"})}


def mapped(turtle: str) -> dict[str, Any]:
    """The one dataset of a small Turtle document, mapped."""
    graph = parse_rdf((PREFIXES + turtle).encode(), "turtle", "https://x.example/")
    mapper = DcatMapper()
    (node,) = mapper.datasets(graph)
    return mapper.map(graph, node)


def test_a_contact_point_that_is_a_mailto_iri_is_the_email() -> None:
    record = mapped("<https://x.example/d> a dcat:Dataset ; dcat:contactPoint <mailto:a@b.go.id> .")
    assert record["kontak"] == "a@b.go.id"


def test_eu_authority_iris_in_https_form_are_read_like_the_http_form() -> None:
    eu = "https://publications.europa.eu/resource/authority"
    record = mapped(
        f"<https://x.example/d> a dcat:Dataset ; dct:license <{eu}/licence/CC_BY_4_0> ;\n"
        f"  dct:accrualPeriodicity <{eu}/frequency/MONTHLY> ;\n"
        f"  dcat:distribution [ dcat:accessURL <https://x.example/f> ;\n"
        f"      dct:license <{eu}/licence/CC0> ] .\n"
    )
    assert (
        record["license_id"] == "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    )
    assert record["jadwal_pemutakhiran"].startswith("http://publications.europa.eu/")
    only_distribution = mapped(
        "<https://x.example/d> a dcat:Dataset ;\n"
        "  dcat:distribution [ dcat:accessURL <https://x.example/f> ;\n"
        f"      dct:license <{eu}/licence/CC0> ] .\n"
    )
    assert (
        only_distribution["license_id"]
        == "http://publications.europa.eu/resource/authority/licence/CC0"
    )
    normalized = Validator().validate(record).normalized
    assert normalized is not None and normalized["license_id"] == "cc-by"


def test_a_dataset_series_is_a_dataset_and_a_data_service_is_not() -> None:
    graph = parse_rdf(
        (
            PREFIXES
            + "<https://x.example/c> a dcat:Catalog ; dcat:service <https://x.example/api> .\n"
            + '<https://x.example/api> a dcat:DataService ; dct:title "API" .\n'
            + '<https://x.example/sensus> a dcat:DatasetSeries ; dct:title "Sensus" .\n'
            + "<https://x.example/sp2020> a dcat:Dataset ;\n"
            + "  dcat:inSeries <https://x.example/sensus> .\n"
        ).encode(),
        "turtle",
        "https://x.example/",
    )
    assert [str(n) for n in DcatMapper().datasets(graph)] == [
        "https://x.example/sensus",
        "https://x.example/sp2020",
    ]


def test_a_relative_next_page_literal_is_followed(tmp_path: Path, server: RdfServer) -> None:
    """Some portals write hydra:nextPage as a relative literal ("?page=2")."""
    first = f"{server.url}/catalog?page=1"
    page1 = hydra_page(first, [1, 2]) + f'\n<{first}> hydra:nextPage "?page=2" .\n'
    server.serve("/catalog?page=1", page1)
    server.serve("/catalog?page=2", hydra_page(f"{server.url}/catalog?page=2", [3]))
    outcome = harvest(tmp_path / "k.db", source(url=first))
    assert (outcome.status, outcome.added, outcome.complete) == ("finished", 3, True)
