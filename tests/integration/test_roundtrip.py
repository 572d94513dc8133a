"""Issue 12, exports and round trips: harvest -> export -> harvest the export gives the
identical canonical records.

The first tests are the classes of loss found by the fidelity corpus, each from small
files of its shape (tests/data/roundtrip/, tests/data/dcat/fidelity/). The suite at the
end crosses every source type that harvests from a file or a loopback server with every
export format a source type reads back (the real CKAN's publish -> harvest round trip is
tests/e2e/test_roundtrip_ckan.py). What a format cannot carry is listed in
docs/field-table.md (generated from :mod:`satudata_cli.exports.fields`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.codecs.ckan.read import package_to_record
from satudata_cli.codecs.ckan.write import PackageRules, PackageWriter
from satudata_cli.codecs.dcat.rdf import parse_rdf
from satudata_cli.codecs.dcat.vocab import SD, SDF, SPDX
from satudata_cli.exports import ExportContext, ExportError, ExportItem, get_exporter
from satudata_cli.exports.fields import LIMITS, OTHER_KEYS, RESOURCE_KEYS
from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.sources.config import SourceConfig, load_source
from satudata_cli.standard.schema import load_standard
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.jsonapi_fixture import JsonApiFixture
from tests.helpers.records import make_record

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "harvest_configs" / "examples"
ROUNDTRIP = DATA / "roundtrip"
DCAT_FIDELITY = DATA / "dcat" / "fidelity"
VERSION = URIRef(str(DCAT) + "version")  # DCAT 3: not in rdflib's DCAT 2 namespace
CONTEXT = ExportContext(
    base_uri="https://katalog.example.go.id/",
    generated_at="2026-12-06T07:00:00Z",
    catalogue="katalog.db",
)
#: export format -> (file name, source type that harvests it, how records are matched:
#: "id" = the remote ids come back (DCAT's dct:identifier), "uri" = data.json's
#: identifier is the dataset's URI, "rows" = a file of rows (ids from the row), compared
#: as a list of records)
FORMATS: dict[str, tuple[str, str, str]] = {
    "jsonl": ("export.jsonl", "directory", "rows"),
    "csv": ("export.csv", "spreadsheet", "rows"),
    "xlsx": ("export.xlsx", "spreadsheet", "rows"),
    "datajson": ("data.json", "datajson", "uri"),
    "dcat-ttl": ("catalog.ttl", "dcat", "id"),
    "dcat-jsonld": ("catalog.jsonld", "dcat", "id"),
    "dcat-rdfxml": ("catalog.rdf", "dcat", "id"),
    "dcat-nt": ("catalog.nt", "dcat", "id"),
}


def harvest(db: Path, config: dict[str, Any]) -> SourceOutcome:
    (outcome,) = Harvester(db).run([SourceConfig.model_validate(config)]).outcomes
    assert outcome.status == "finished", outcome.error
    assert outcome.errored == 0, outcome.notes
    return outcome


def stored(db: Path, source_id: str) -> dict[str, dict[str, Any]]:
    with Catalogue.open(db) as cat:
        return {summary.remote_id: record for summary, record in cat.iter_records([source_id])}


def export(db: Path, source_id: str, fmt: str, folder: Path) -> Path:
    """The source's datasets exported in ``fmt`` to a new folder in ``folder``; what a
    source of the type that reads the format harvests (the file, or for JSON Lines,
    which the ``directory`` source reads, the folder)."""
    with Catalogue.open(db) as cat:
        items = [ExportItem(s, r) for s, r in cat.iter_records([source_id])]
    name, kind, _match = FORMATS[fmt]
    where = folder / f"{source_id}-{fmt}"
    where.mkdir()
    with (where / name).open("wb") as out:
        get_exporter(fmt)(items, out, context=CONTEXT)
    return where if kind == "directory" else where / name


def exported_id(fmt: str, source_id: str, remote_id: str) -> str:
    """The remote id a dataset has when its export is harvested: data.json's
    ``identifier`` is the dataset's URI (unique across sources), DCAT's
    ``dct:identifier`` the remote id itself."""
    if fmt == "datajson":
        return f"{CONTEXT.base_uri}dataset/{quote(source_id, safe='')}/{quote(remote_id, safe='')}"
    return remote_id


def round_trip(
    tmp_path: Path, config: dict[str, Any], fmt: str
) -> tuple[dict[str, Any], dict[str, Any], Path]:
    """(records before, records after, the export): harvest, export, harvest the export.
    The records after are keyed by the remote ids before."""
    db = tmp_path / "k.db"
    harvest(db, config)
    before = stored(db, config["id"])
    assert before
    path = export(db, config["id"], fmt, tmp_path)
    harvest(db, {"id": "kembali", "type": FORMATS[fmt][1], "path": str(path)})
    back = stored(db, "kembali")
    ids = {exported_id(fmt, config["id"], remote_id): remote_id for remote_id in before}
    assert sorted(back) == sorted(ids)  # the remote ids come back too
    return before, {ids[remote_id]: record for remote_id, record in back.items()}, path


def assert_identical(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert sorted(after) == sorted(before)
    for remote_id, record in before.items():
        assert after[remote_id] == record, remote_id


# -- data.json: spatial and temporal in every form --------------------------------------


def test_datajson_export_keeps_spatial_and_temporal_exactly(tmp_path: Path) -> None:
    source = ROUNDTRIP / "places-periods.json"
    config = {"id": "tempat", "type": "datajson", "path": str(source)}
    before, after, path = round_trip(tmp_path, config, "datajson")
    assert_identical(before, after)
    # and the DCAT-US terms themselves carry them, as the source wrote them
    given = {d["identifier"]: d for d in json.loads(source.read_text("utf-8"))["dataset"]}
    exported = json.loads(path.read_text("utf-8"))["dataset"]
    for dataset in exported:
        remote_id = dataset["identifier"].rsplit("/", 1)[1]
        for term in ("spatial", "temporal"):
            assert dataset[term] == given[remote_id][term], (remote_id, term)
    assert before["nama-tempat"]["temporal"] == "1905-03-01/2013-01-05"
    assert before["uri"]["modified"] == "R/P1W"  # a repeating interval is no date


# -- RDF/XML: "\r\n" in texts ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["dcat-ttl", "dcat-jsonld", "dcat-rdfxml"])
def test_dcat_exports_keep_carriage_returns(tmp_path: Path, fmt: str) -> None:
    config = {"id": "crlf", "type": "dcat", "path": str(ROUNDTRIP / "crlf.ttl")}
    before, after, _path = round_trip(tmp_path, config, fmt)
    assert before["crlf"]["notes"] == (
        "Baris pertama.\r\nBaris kedua.\r\n\r\nBaris keempat, dengan \r sendiri."
    )
    # HTML in a description: rdflib's RDF/XML writer puts a text with < and > in a
    # CDATA section, where a carriage return cannot be escaped
    assert before["html"]["notes"] == (
        "<p>Baris pertama.</p>\r\n<p>Baris kedua &amp; <b>tebal</b>.</p>"
    )
    assert_identical(before, after)


# -- XLSX: "\r\n" and text that looks like OOXML's escapes ----------------------------------


def test_xlsx_export_keeps_carriage_returns_and_escape_like_text(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    record = make_record(
        1,
        notes="Baris pertama.\r\nBaris kedua.\r\n\r\nSendiri: \r akhir",
        definisi="Kode _x0041_ di teks, dan _x000D_ juga.",
    )
    (folder / "r.json").write_text(json.dumps(record), "utf-8")
    db = tmp_path / "k.db"
    harvest(db, {"id": "d", "type": "directory", "path": str(folder)})
    path = export(db, "d", "xlsx", tmp_path)
    harvest(db, {"id": "kembali", "type": "spreadsheet", "path": str(path)})
    (back,) = stored(db, "kembali").values()
    assert back["notes"] == record["notes"]
    assert back["definisi"] == record["definisi"]
    (original,) = stored(db, "d").values()
    assert back == original


# -- DCAT: a distribution's licence, checksum and other terms as DCAT terms -------------


def test_dcat_export_writes_distribution_terms_not_satudata_ones(tmp_path: Path) -> None:
    config = {"id": "terms", "type": "dcat", "path": str(DCAT_FIDELITY / "typed-nodes.ttl")}
    before, after, path = round_trip(tmp_path, config, "dcat-ttl")
    assert_identical(before, after)
    graph = parse_rdf(path.read_bytes(), "turtle", path.as_uri())
    (dataset,) = (s for s, o in graph.subject_objects(DCTERMS.identifier) if str(o) == "tahunan")
    (dist,) = graph.objects(dataset, DCAT.distribution)
    assert graph.value(dist, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    checksum = graph.value(dist, SPDX.checksum)
    assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert str(graph.value(checksum, SPDX.checksumValue)).startswith("9f86d081")
    assert graph.value(dist, DCTERMS.conformsTo) == URIRef(
        "https://standar.example.go.id/csv-profil"
    )
    assert graph.value(dist, DCTERMS.rights) == Literal("Hak cipta Pemkot Contoh")
    assert graph.value(dist, VERSION) == Literal("3")
    assert graph.value(dataset, VERSION) == Literal("2.1")
    language = URIRef("http://publications.europa.eu/resource/authority/language/IND")
    assert graph.value(dataset, DCTERMS.language) == language
    assert graph.value(dist, DCTERMS.language) == language
    # nothing of it rides in the satudata namespaces any more
    for node in (dist, dataset):
        for field in ("license_id", "hash", "extras", "size"):
            assert (node, SDF[field], None) not in graph, (node, field)
        assert (node, SD.unset, None) not in graph


def test_a_checksum_that_is_no_hexbinary_is_written_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An odd number of hex digits is no xsd:hexBinary: a plain literal, and rdflib
    logs no conversion failure (one traceback per dataset otherwise)."""
    folder = tmp_path / "d"
    folder.mkdir()
    record = make_record(1)
    record["resources"][0]["hash"] = "sha256:abc"
    (folder / "r.json").write_text(json.dumps(record), "utf-8")
    db = tmp_path / "k.db"
    harvest(db, {"id": "d", "type": "directory", "path": str(folder)})
    with caplog.at_level("WARNING"):
        path = export(db, "d", "dcat-ttl", tmp_path)
    assert not [r for r in caplog.records if "Failed to convert" in r.getMessage()]
    harvest(db, {"id": "kembali", "type": "dcat", "path": str(path)})
    assert stored(db, "kembali") == stored(db, "d")


# -- CKAN: the record's extras map and a resource's mimetype, licence, checksum ---------


def test_ckan_package_carries_the_extras_map_and_resource_terms(tmp_path: Path) -> None:
    """The package the CKAN writer sends, read as CKAN gives it back (extras as a list of
    key/value, resource keys at the top of each resource), is the record again (the
    real CKAN round trip: tests/e2e/test_roundtrip_ckan.py)."""
    db = tmp_path / "k.db"
    harvest(db, {"id": "terms", "type": "dcat", "path": str(DCAT_FIDELITY / "typed-nodes.ttl")})
    record = stored(db, "terms")["tahunan"]
    assert record["extras"]["dct:conformsTo"] and record["resources"][0]["extras"]
    package = PackageWriter(PackageRules()).build(
        record, source_id="terms", remote_id="tahunan", name="tahunan", owner="pemkot"
    )
    (resource,) = package["resources"]
    assert resource["mimetype"] == "text/csv"
    assert resource["hash"] == record["resources"][0]["hash"]
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["dct:conformsTo"] == "https://standar.example.go.id/sdi/penduduk"
    back = package_to_record(package)
    assert back["extras"] == record["extras"]
    assert back["resources"] == record["resources"]


# -- the suite: every source type x every export format a source type reads back --------

#: the suite's sources: one of every type, DCAT in each RDF format, sheets as CSV and XLSX
SOURCES = ("direktori", "lembar", "lembar-xlsx", "datajson", "dcat", "dcat-rdfxml",
           "dcat-jsonld", "dcat-nt", "ckan", "jsonapi")  # fmt: skip
LONG = "Teks yang sangat panjang. " * 1000  # 26 000 characters: an XLSX cell holds 32 767


def every_field_records() -> list[dict[str, Any]]:
    """Records with every field of the standard filled and the tricky values."""
    one = make_record(
        1,
        notes="Baris pertama.\r\nBaris kedua: ꦗꦮ, é, 人口, 👍.",
        title_translations={"id": "Jumlah Puskesmas Nomor 1", "en": "Health Centres 1"},
        notes_translations={"id": "Baris pertama.\r\nBaris kedua.", "en": "First line."},
        title="Jumlah Puskesmas Nomor 1",
        tags=["puskesmas", "kesehatan", "Fasilitas Umum"],
        kolom=[{"nama": "kecamatan", "tipe_data": "teks"}],
        klasifikasi_penyajian=["Kecamatan"],
        sumber_data=["Profil Kesehatan", "Puskesmas"],
        metadata_statistik={"metode": "sensus", "catatan": "baris\r\nbaru"},
        id_konsep="K-01",
        data_induk="Profil Kesehatan",
        rujukan="https://example.go.id/rujukan",
        kode_pilar="1",
        pilar="layanan_publik",
        kode_tujuan="3",
        kode_pn_rkp="PN-1",
        kode_pp_rkp="PP-1",
        theme=["http://publications.europa.eu/resource/authority/data-theme/HEAL"],
        groups=["kesehatan"],
        spatial="98.59,3.48,98.74,3.80",
        temporal="1905-03-01/2013-01-05",
        tahun="1905-2013",
        catatan="",  # an empty value is information
        angka=1.5,
        benar=True,
        kosong=None,
        daftar=[],
        objek={},
        extras={"dct:conformsTo": "https://standar.example.go.id/sdi", "dcat:version": "1"},
        resources=[
            {
                "name": "Puskesmas (CSV)",
                "url": "https://data.example.go.id/files/puskesmas-1.csv",
                "format": "CSV",
                "mimetype": "text/csv",
                "description": "Kolom:\r\n- a\r\n- b",
                "size": 2048,
                "last_modified": "2026-05-30",
                "license_id": "https://creativecommons.org/licenses/by/4.0/",
                "hash": "sha256:9f86d081884c7d659a2feaa0c55ad015",
                "extras": {"dct:rights": "Hak cipta Pemkot Contoh"},
            },
            {
                "name": "Puskesmas (XLSX)",
                "url": "https://data.example.go.id/files/puskesmas-1.xlsx",
                "format": "XLSX",
            },
        ],
        format=["CSV", "XLSX"],
    )
    two = make_record(
        2,
        notes=LONG.strip(),
        spatial="POLYGON((98.59 3.48, 98.74 3.48, 98.74 3.80, 98.59 3.80, 98.59 3.48))",
        kontak="seksi.data@pemkomedan.go.id",
        tahun=2024,
    )
    three = make_record(3, spatial="https://sws.geonames.org/1214520/", kode_wilayah="12.71.01")
    return [one, two, three]


def _write_records(folder: Path) -> Path:
    folder.mkdir()
    for i, record in enumerate(every_field_records()):
        (folder / f"r{i}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    return folder


def _ckan_packages() -> list[dict[str, Any]]:
    packages = make_packages(3, seed=12)
    packages[0]["extras"] = [
        *packages[0]["extras"],
        {"key": "catatan_walidata", "value": ""},
        {"key": "dct:conformsTo", "value": "https://standar.example.go.id/sdi"},
    ]
    packages[0]["resources"][0].update(
        {"mimetype": "text/csv", "hash": "sha256:abc", "dct:rights": "Hak cipta"}
    )
    return packages


@pytest.fixture(scope="module")
def katalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One katalog with a source of every type, each harvested from small files or a
    loopback server."""
    tmp = tmp_path_factory.mktemp("katalog")
    db = tmp / "k.db"
    harvest(db, {"id": "direktori", "type": "directory", "path": str(_write_records(tmp / "d"))})
    sheet = export(db, "direktori", "csv", tmp)
    harvest(db, {"id": "lembar", "type": "spreadsheet", "path": str(sheet)})
    workbook = export(db, "direktori", "xlsx", tmp)
    harvest(db, {"id": "lembar-xlsx", "type": "spreadsheet", "path": str(workbook)})
    places = ROUNDTRIP / "places-periods.json"
    harvest(db, {"id": "datajson", "type": "datajson", "path": str(places)})
    harvest(db, {"id": "dcat", "type": "dcat", "path": str(ROUNDTRIP / "full.ttl")})
    harvest(db, {"id": "dcat-rdfxml", "type": "dcat", "path": str(DATA / "dcat" / "catalog.rdf")})
    harvest(
        db, {"id": "dcat-jsonld", "type": "dcat", "path": str(DATA / "dcat" / "catalog.jsonld")}
    )
    harvest(db, {"id": "dcat-nt", "type": "dcat", "path": str(DATA / "dcat" / "catalog.nt")})
    with CkanFixture(datasets=_ckan_packages()) as ckan:
        harvest(db, {"id": "ckan", "type": "ckan", "url": ckan.url, "http": {"retries": 0}})
    with JsonApiFixture(count=4) as api:
        config = load_source(EXAMPLES / "jsonapi-envelope-result.yaml")
        assert config.url is not None
        url = api.url + config.url.split("satudata.example.go.id", 1)[1]
        http = {"requests_per_second": 1000, "retries": 0}
        data = config.model_dump(mode="json", exclude_none=True)
        harvest(db, {**data, "id": "jsonapi", "url": url, "http": http})
    return db


#: export format -> its column in the field table (satudata_cli/exports/fields.py)
TABLE_FORMAT = {"jsonl": "jsonl", "csv": "sheet", "xlsx": "sheet", "datajson": "datajson",
                "dcat-ttl": "dcat", "dcat-jsonld": "dcat", "dcat-rdfxml": "dcat",
                "dcat-nt": "dcat"}  # fmt: skip


def _without_empty_texts(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if v != ""}


def _numbers_of_numeric_fields(record: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    for name, info in load_standard().fields.items():
        value = out.get(name)
        if "integer" in info.types and isinstance(value, str) and value.isdigit():
            out[name] = int(value)
    return out


def _cells_without_types(record: dict[str, Any]) -> dict[str, Any]:
    fields = load_standard().fields
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or value == [] or value == {}:
            continue
        if key not in fields and isinstance(value, bool):
            value = "true" if value else "false"
        elif key not in fields and isinstance(value, int | float):
            value = str(value)
        out[key] = value
    return out


def _labels_as_fields(record: dict[str, Any]) -> dict[str, Any]:
    standard = load_standard()
    out: dict[str, Any] = {}
    for key, value in record.items():
        field = standard.field_for_label(key)
        out[field if field and field != key and field not in record else key] = value
    return out


def _refused_by_the_export(record: dict[str, Any]) -> dict[str, Any]:
    return record  # the export refuses: test_xlsx_refuses_a_text_longer_than_a_cell


#: the normalisation of each limit the field table lists (LIMITS): what the record
#: becomes in a format that cannot keep it (the CKAN ones: tests/e2e/test_roundtrip_ckan.py)
NORMALISE = {
    "empty-text": _without_empty_texts,
    "number-text": _numbers_of_numeric_fields,
    "sheet-types": _cells_without_types,
    "label-key": _labels_as_fields,
    "long-text": _refused_by_the_export,
}


def representable(fmt: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record minus what the field table says format ``fmt`` cannot keep."""
    for limit in LIMITS:
        if TABLE_FORMAT[fmt] in limit.formats:
            record = NORMALISE[limit.id](record)
    return record


def _matched(fmt: str, source_id: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    before = {remote_id: representable(fmt, r) for remote_id, r in before.items()}
    match = FORMATS[fmt][2]
    if match == "rows":

        def key(record: dict[str, Any]) -> str:
            return json.dumps(record, sort_keys=True, ensure_ascii=False)

        assert sorted(after.values(), key=key) == sorted(before.values(), key=key)
        return
    ids = {(exported_id(fmt, source_id, r) if match == "uri" else r): r for r in before}
    assert sorted(after) == sorted(ids)
    assert_identical(before, {ids[remote_id]: record for remote_id, record in after.items()})


def test_xlsx_refuses_a_text_longer_than_a_cell(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    record = make_record(1, notes="x" * 32768)
    (folder / "r.json").write_text(json.dumps(record), "utf-8")
    db = tmp_path / "k.db"
    harvest(db, {"id": "d", "type": "directory", "path": str(folder)})
    with pytest.raises(ExportError, match="more than an Excel cell holds"):
        export(db, "d", "xlsx", tmp_path)
    assert export(db, "d", "csv", tmp_path).stat().st_size > 32768


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("source_id", SOURCES)
def test_harvest_export_harvest_gives_identical_records(
    katalog: Path, tmp_path: Path, source_id: str, fmt: str
) -> None:
    before = stored(katalog, source_id)
    assert before
    path = export(katalog, source_id, fmt, tmp_path)
    db = tmp_path / "again.db"
    harvest(db, {"id": "again", "type": FORMATS[fmt][1], "path": str(path)})
    _matched(fmt, source_id, before, stored(db, "again"))


def test_the_suite_fills_every_field_the_table_lists(katalog: Path) -> None:
    """Every field of the standard and every key outside it in the field table is in
    some record of the suite's katalog, so each "carried" cell of the table is
    checked by test_harvest_export_harvest_gives_identical_records."""
    with Catalogue.open(katalog) as cat:
        keys = {key for _summary, record in cat.iter_records(list(SOURCES)) for key in record}
        resource_keys = {
            key
            for _summary, record in cat.iter_records(list(SOURCES))
            for resource in record.get("resources", [])
            for key in resource
        }
    wanted = set(load_standard().fields) | {k for k in OTHER_KEYS if not k.startswith("(")}
    assert wanted <= keys, sorted(wanted - keys)
    wanted_resource = {k for k in RESOURCE_KEYS if not k.startswith("(")}
    assert wanted_resource <= resource_keys, sorted(wanted_resource - resource_keys)


# -- control characters (Excel's line break in a cell is \x0b) --------------------------

CONTROL = "Kolom A\x0bKolom B \x01 \x0c akhir"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_control_characters_round_trip(tmp_path: Path, fmt: str) -> None:
    """XML 1.0 cannot hold most C0 control characters, not even as character
    references: the RDF/XML export stays well-formed and the exact text travels as a
    JSON literal; XLSX writes them as OOXML's ``_x000B_``."""
    folder = tmp_path / "d"
    folder.mkdir()
    record = make_record(1, notes=CONTROL, **{"catatan portal": CONTROL})
    record["resources"][0]["description"] = CONTROL
    (folder / "r.json").write_text(json.dumps(record), "utf-8")
    db = tmp_path / "k.db"
    harvest(db, {"id": "d", "type": "directory", "path": str(folder)})
    path = export(db, "d", fmt, tmp_path)
    if fmt == "dcat-rdfxml":
        ElementTree.parse(path)  # well-formed
    harvest(db, {"id": "kembali", "type": FORMATS[fmt][1], "path": str(path)})
    (back,) = stored(db, "kembali").values()
    (original,) = stored(db, "d").values()
    assert back["notes"] == CONTROL
    assert back == original
