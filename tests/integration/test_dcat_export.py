"""The DCAT exporters (Turtle, JSON-LD, RDF/XML): shape of the catalogue and round trips.

Round trip: records are harvested into a katalog by the real engine (the bundled Kota
Medan files, generated records with every kind of field, a CKAN portal (the fixture
server), DCAT catalogues), exported,
and the export is harvested again with a ``dcat`` source into another source id; the
canonical records and remote ids must come back identical.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.codecs.dcat.rdf import parse_rdf
from satudata_cli.codecs.dcat.vocab import SD, SDF, VCARD
from satudata_cli.exports import ExportContext, ExportItem, get_exporter
from satudata_cli.pipeline.harvest import Harvester
from satudata_cli.sources.config import SourceConfig
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.records import make_record

ROOT = Path(__file__).resolve().parents[2]
MEDAN = ROOT / "harvest_configs" / "data" / "medan"
DATA = Path(__file__).resolve().parents[1] / "data" / "dcat"
FORMATS = {
    "dcat-ttl": ("ttl", "turtle"),
    "dcat-jsonld": ("jsonld", "json-ld"),
    "dcat-rdfxml": ("rdf", "xml"),
}
CONTEXT = ExportContext(
    base_uri="https://katalog.pemkomedan.go.id/",
    generated_at="2026-11-28T10:00:00Z",
    catalogue="katalog.db",
    title="Katalog Satu Data Kota Medan",
)


def tricky_records() -> list[dict[str, Any]]:
    """Records with every shape a katalog holds, written as JSON files."""
    one = make_record(
        1,
        title_translations={"id": "Jumlah Puskesmas Nomor 1", "en": "Number of Health Centres 1"},
        title="Jumlah Puskesmas Nomor 1",
        tags=["puskesmas", "kesehatan", "Fasilitas Umum"],  # not in sorted order
        theme=["http://publications.europa.eu/resource/authority/data-theme/HEAL", "Kesehatan"],
        kolom=[
            {"nama": "kecamatan", "tipe_data": "teks"},
            {"nama": "jumlah", "tipe_data": "bilangan bulat"},
        ],
        klasifikasi_penyajian=["Kecamatan"],
        sumber_data=["Profil Kesehatan"],
        kontak={"email": "data.dinkes@pemkomedan.go.id"},  # an object with only an e-mail
        tahun="2023",  # a year as text
        temporal="2023-01-01T00:00:00Z/2023-12-31",
        spatial=["Kota Medan", "POINT(98.67 3.59)"],
        license_id="odc-odbl",  # no URI in the vocabulary
        jadwal_pemutakhiran="lebih_dari_dua_tahunan",
        klasifikasi_akses="tertutup",
        tanggal_diperbarui="2026-06-01T08:00:00Z",
        resources=[
            {
                "name": "Puskesmas (XLSX)",
                "url": "https://data.pemkomedan.go.id/files/puskesmas-1.xlsx",
                "format": "xlsx",
                "access_url": "https://data.pemkomedan.go.id/dataset/puskesmas-1",
                "size": 2048,
                "last_modified": "2026-05-30",
                "id": "3f1c",  # CKAN's resource id: no DCAT term
                "hash": {"sha256": "abc"},
            },
            {
                "name": "Puskesmas (CSV)",
                "url": "https://data.pemkomedan.go.id/files/puskesmas-1.csv",
                "format": "csv",
            },
        ],
        format=["xlsx", "csv"],
    )
    one["Kode Lama"] = "PKM-01"  # an unknown field whose name is no XML name
    one["groups"] = ["kesehatan"]
    one["angka"] = 1.5
    one["catatan_kosong"] = None
    two = make_record(2, kontak="seksi.data@pemkomedan.go.id", tahun=2024)
    del two["resources"]  # a format but no resource
    three = make_record(3, notes="  spasi di tepi  ", kode_wilayah="12.71.01")
    three.pop("format")  # resources but no dataset format: the export says so
    return [one, two, three]


def harvest(db: Path, config: dict[str, Any]) -> None:
    (outcome,) = Harvester(db).run([SourceConfig.model_validate(config)]).outcomes
    assert outcome.status == "finished", outcome.error
    assert outcome.errored == 0


def stored(db: Path, source_id: str) -> dict[str, dict[str, Any]]:
    with Catalogue.open(db) as cat:
        return {summary.remote_id: record for summary, record in cat.iter_records([source_id])}


def export(db: Path, source_id: str, fmt: str) -> tuple[bytes, int]:
    with Catalogue.open(db) as cat:
        items = [ExportItem(s, r) for s, r in cat.iter_records([source_id])]
    out = io.BytesIO()
    count = get_exporter(fmt)(items, out, context=CONTEXT)
    return out.getvalue(), count


@pytest.fixture(scope="module")
def katalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A katalog with the Medan files, tricky records and a DCAT catalogue."""
    tmp = tmp_path_factory.mktemp("katalog")
    db = tmp / "katalog.db"
    harvest(db, {"id": "medan", "type": "directory", "path": str(MEDAN)})
    folder = tmp / "tricky"
    folder.mkdir()
    for i, record in enumerate(tricky_records()):
        (folder / f"r{i}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    harvest(db, {"id": "tricky", "type": "directory", "path": str(folder)})
    with CkanFixture(datasets=make_packages(40, seed=11)) as ckan:
        harvest(db, {"id": "ckan", "type": "ckan", "url": ckan.url, "http": {"retries": 0}})
    for name in ("catalog.ttl", "catalog.rdf", "catalog.jsonld"):
        source_id = "dcat-" + name.replace(".", "-")
        harvest(db, {"id": source_id, "type": "dcat", "path": str(DATA / name)})
    return db


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize(
    "source_id",
    ["medan", "tricky", "ckan", "dcat-catalog-ttl", "dcat-catalog-rdf", "dcat-catalog-jsonld"],
)
def test_round_trip_gives_identical_records(
    katalog: Path, tmp_path: Path, fmt: str, source_id: str
) -> None:
    before = stored(katalog, source_id)
    assert before
    body, count = export(katalog, source_id, fmt)
    assert count == len(before)
    suffix = FORMATS[fmt][0]
    path = tmp_path / f"export.{suffix}"
    path.write_bytes(body)
    db = tmp_path / "again.db"
    harvest(db, {"id": "again", "type": "dcat", "path": str(path)})
    after = stored(db, "again")
    assert set(after) == set(before)  # dct:identifier carries the remote ids
    for remote_id, record in before.items():
        assert after[remote_id] == record, remote_id
    # and once more: an export of the export is the same catalogue
    again, _count = export(db, "again", fmt)
    graph_a = parse_rdf(body, FORMATS[fmt][1], "file:///a")
    graph_b = parse_rdf(again, FORMATS[fmt][1], "file:///a")
    assert len(graph_a) == len(graph_b)


def graph_of(katalog: Path, source_id: str, fmt: str = "dcat-ttl") -> Graph:
    body, _count = export(katalog, source_id, fmt)
    return parse_rdf(body, FORMATS[fmt][1], "file:///x")


def test_the_catalogue_node_and_dcat_terms(katalog: Path) -> None:
    g = graph_of(katalog, "tricky")
    (catalog,) = g.subjects(RDF.type, DCAT.Catalog)
    assert catalog == URIRef("https://katalog.pemkomedan.go.id/catalog")
    assert g.value(catalog, DCTERMS.title) == Literal("Katalog Satu Data Kota Medan")
    generated = dt.datetime(2026, 11, 28, 10, tzinfo=dt.UTC)
    assert g.value(catalog, DCTERMS.issued).toPython() == generated
    assert g.value(catalog, DCTERMS.modified).toPython() == generated
    datasets = set(g.objects(catalog, DCAT.dataset))
    assert len(datasets) == 3
    node = URIRef("https://katalog.pemkomedan.go.id/dataset/tricky/jumlah-puskesmas-1")
    assert node in datasets
    assert (node, RDF.type, DCAT.Dataset) in g
    assert g.value(node, DCTERMS.identifier) == Literal("jumlah-puskesmas-1")
    assert set(g.objects(node, DCTERMS.title)) == {
        Literal("Jumlah Puskesmas Nomor 1", lang="id"),
        Literal("Number of Health Centres 1", lang="en"),
    }
    publisher = g.value(node, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in g
    assert g.value(publisher, FOAF.name) == Literal("Dinas Kesehatan Kota Medan")
    contact = g.value(node, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in g
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:data.dinkes@pemkomedan.go.id")
    assert g.value(node, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/TRIENNIAL"
    )
    assert g.value(node, DCTERMS.accessRights) == URIRef(
        "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC"
    )
    assert set(map(str, g.objects(node, DCAT.keyword))) == {
        "puskesmas",
        "kesehatan",
        "Fasilitas Umum",
    }
    distributions = list(g.objects(node, DCAT.distribution))
    assert len(distributions) == 2
    assert all((d, RDF.type, DCAT.Distribution) in g for d in distributions)
    first = URIRef(f"{node}/resource/0")
    assert g.value(first, DCAT.downloadURL) == URIRef(
        "https://data.pemkomedan.go.id/files/puskesmas-1.xlsx"
    )
    assert g.value(first, DCAT.accessURL) == URIRef(
        "https://data.pemkomedan.go.id/dataset/puskesmas-1"
    )
    assert g.value(first, DCAT.byteSize).toPython() == 2048
    assert g.value(catalog, DCTERMS.description) is not None  # mandatory in DCAT-AP
    # what DCAT cannot carry is in the satudata namespaces, exactly
    assert json.loads(str(g.value(node, SDF.kolom)))[1] == {
        "nama": "jumlah",
        "tipe_data": "bilangan bulat",
    }
    assert str(g.value(node, SDF.walidata)) == "Dinas Komunikasi dan Informatika Kota Medan"
    assert json.loads(str(g.value(node, SDF.tags))) == ["puskesmas", "kesehatan", "Fasilitas Umum"]
    assert str(g.value(first, SDF.id)) == "3f1c"
    (field,) = g.objects(node, SD.field)
    assert str(g.value(field, SD.key)) == "Kode Lama"
    # a licence the vocabulary has no URI for is a licence document with the id
    licence = g.value(node, DCTERMS.license)
    assert g.value(licence, DCTERMS.identifier) == Literal("odc-odbl")
    assert g.value(licence, DCTERMS.title) == Literal("odc-odbl")
    # a theme or place given as text is a skos:Concept / dct:Location, not a literal
    skos = "http://www.w3.org/2004/02/skos/core#"
    themes = set(g.objects(node, DCAT.theme))
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/HEAL") in themes
    (concept,) = (t for t in themes if not isinstance(t, URIRef))
    assert (concept, RDF.type, URIRef(skos + "Concept")) in g
    assert g.value(concept, URIRef(skos + "prefLabel")) == Literal("Kesehatan")
    places = {
        str(g.value(p, URIRef(skos + "prefLabel")))
        for p in g.objects(node, DCTERMS.spatial)
        if (p, RDF.type, DCTERMS.Location) in g
    }
    assert {"Kota Medan", "POINT(98.67 3.59)"} <= places
    assert not [o for o in g.objects(node, DCTERMS.spatial) if isinstance(o, Literal)]
    # the region as a typed notation
    notations = [
        str(n)
        for s in g.objects(node, DCTERMS.spatial)
        for n in g.objects(s, URIRef("http://www.w3.org/2004/02/skos/core#notation"))
    ]
    assert notations == ["12.71"]


def test_fields_dcat_carries_need_no_satudata_terms(katalog: Path) -> None:
    """A DCAT catalogue's own records come back from the DCAT terms alone."""
    g = graph_of(katalog, "dcat-catalog-ttl")
    node = URIRef("https://katalog.pemkomedan.go.id/dataset/dcat-catalog-ttl/penduduk-kecamatan")
    extra = {str(p) for p, _o in g.predicate_objects(node) if str(p).startswith(("urn:satudata",))}
    assert extra == set()


def test_a_record_without_a_dataset_format_is_marked(katalog: Path) -> None:
    g = graph_of(katalog, "tricky")
    node = URIRef("https://katalog.pemkomedan.go.id/dataset/tricky/jumlah-puskesmas-3")
    assert Literal("format") in set(g.objects(node, SD.unset))


def test_jsonld_has_an_inline_context_and_rdfxml_passes_the_screen(katalog: Path) -> None:
    body, _count = export(katalog, "tricky", "dcat-jsonld")
    document = json.loads(body)
    assert isinstance(document["@context"], dict)
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    # one catalogue object listing every dataset, not one per dataset
    (catalog,) = [n for n in document["@graph"] if n.get("@type") == "dcat:Catalog"]
    assert [n for n in document["@graph"] if n.get("@id") == catalog["@id"]] == [catalog]
    assert len(catalog["dcat:dataset"]) == 3
    assert catalog["dct:title"] == "Katalog Satu Data Kota Medan"
    xml, _count = export(katalog, "tricky", "dcat-rdfxml")
    assert xml.startswith(b"<?xml")
    assert b"<!ENTITY" not in xml
    parse_rdf(xml, "xml", "file:///x")  # the safe reader takes it


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_empty_export_is_a_valid_catalogue(fmt: str) -> None:
    out = io.BytesIO()
    assert get_exporter(fmt)([], out, context=CONTEXT) == 0
    g = parse_rdf(out.getvalue(), FORMATS[fmt][1], "file:///x")
    assert list(g.subjects(RDF.type, DCAT.Catalog)) == [
        URIRef("https://katalog.pemkomedan.go.id/catalog")
    ]
    assert list(g.subjects(RDF.type, DCAT.Dataset)) == []


def test_media_types_and_formats_are_iris_where_dcat_ap_wants_them(tmp_path: Path) -> None:
    """dcat:mediaType is an IANA IRI, dct:format the EU file-type IRI for a common
    format; the dcat source reads both back as the same text."""
    record = make_record(
        7,
        resources=[
            {"url": "https://x.go.id/a.csv", "format": "CSV", "mimetype": "text/csv"},
            {"url": "https://x.go.id/b", "format": "xlsx", "mimetype": "not a media type"},
            {"url": "https://x.go.id/c", "format": "application/json"},
        ],
    )
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.json").write_text(json.dumps(record), "utf-8")
    db = tmp_path / "k.db"
    harvest(db, {"id": "media", "type": "directory", "path": str(folder)})
    for fmt, (suffix, rdf_format) in FORMATS.items():
        body, _count = export(db, "media", fmt)
        g = parse_rdf(body, rdf_format, "file:///x")
        node = URIRef("https://katalog.pemkomedan.go.id/dataset/media/jumlah-puskesmas-7")
        first, second = (URIRef(f"{node}/resource/{i}") for i in (0, 1))
        assert g.value(first, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/text/csv"
        )
        assert g.value(first, DCTERMS.format) == URIRef(
            "http://publications.europa.eu/resource/authority/file-type/CSV"
        )
        assert g.value(second, DCAT.mediaType) == Literal("not a media type")
        assert g.value(second, DCTERMS.format) == Literal("xlsx")
        assert g.value(URIRef(f"{node}/resource/2"), DCTERMS.format) == URIRef(
            "https://www.iana.org/assignments/media-types/application/json"
        )
        assert not set(g.objects(node, SDF.resources))  # no exact copy was needed
        path = tmp_path / f"export.{suffix}"
        path.write_bytes(body)
        again = tmp_path / f"again-{suffix}.db"
        harvest(again, {"id": "again", "type": "dcat", "path": str(path)})
        assert stored(again, "again") == stored(db, "media")


@pytest.mark.parametrize("fmt", [*sorted(FORMATS), "dcat-nt"])
def test_the_export_streams_one_dataset_at_a_time(fmt: str) -> None:
    """Flat memory: the text of the datasets reaches the stream while later ones are
    still unread (the export never holds the document, nor a graph of it), so by the
    time the last dataset is read most of the document is written."""
    from satudata_cli.catalogue.models import DatasetSummary

    out = io.BytesIO()
    written_before: list[int] = []

    def items() -> Any:
        for i in range(400):
            written_before.append(out.getbuffer().nbytes)
            summary = DatasetSummary(
                i, "s", f"d-{i}", None, None, None, "active", True, 0, 0, 0, "", "", "", None, None
            )
            yield ExportItem(summary, make_record(i))

    assert get_exporter(fmt)(items(), out, context=CONTEXT) == 400
    total = out.getbuffer().nbytes
    assert written_before[0] == 0
    assert 0 < written_before[100] < written_before[200] < written_before[399]
    assert written_before[399] > 0.9 * total
