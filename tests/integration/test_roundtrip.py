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

import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.codecs.ckan.read import package_to_record
from satudata_cli.codecs.ckan.write import PackageRules, PackageWriter
from satudata_cli.codecs.dcat.rdf import parse_rdf
from satudata_cli.codecs.dcat.vocab import SD, SDF, SPDX
from satudata_cli.exports import ExportContext, ExportItem, get_exporter
from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.sources.config import SourceConfig

DATA = Path(__file__).resolve().parents[1] / "data"
ROUNDTRIP = DATA / "roundtrip"
DCAT_FIDELITY = DATA / "dcat" / "fidelity"
VERSION = URIRef(str(DCAT) + "version")  # DCAT 3: not in rdflib's DCAT 2 namespace
CONTEXT = ExportContext(
    base_uri="https://katalog.example.go.id/",
    generated_at="2026-12-06T07:00:00Z",
    catalogue="katalog.db",
)
#: export format -> (file suffix, source type that reads it, rdflib format or None)
READ_BACK: dict[str, tuple[str, str, str | None]] = {
    "datajson": ("json", "datajson", None),
    "dcat-ttl": ("ttl", "dcat", "turtle"),
    "dcat-jsonld": ("jsonld", "dcat", "json-ld"),
    "dcat-rdfxml": ("rdf", "dcat", "xml"),
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
    """The source's datasets exported in ``fmt`` to a file in ``folder``."""
    with Catalogue.open(db) as cat:
        items = [ExportItem(s, r) for s, r in cat.iter_records([source_id])]
    out = io.BytesIO()
    get_exporter(fmt)(items, out, context=CONTEXT)
    path = folder / f"{source_id}-export.{READ_BACK[fmt][0]}"
    path.write_bytes(out.getvalue())
    return path


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
    harvest(db, {"id": "kembali", "type": READ_BACK[fmt][1], "path": str(path)})
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
    assert_identical(before, after)


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
