"""Issue 12: DCAT and data.json (DCAT-US) shapes read without losing a field.

Each test reads a small file of one shape written for the project
(tests/data/dcat/fidelity/, tests/data/datajson/fidelity/) through the real source and
engine, or through the codec when only the mapping is at stake.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from satudata_cli.codecs.dcat.rdf import parse_rdf
from satudata_cli.codecs.dcat.read import DcatMapper
from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.sources.config import SourceConfig
from tests.helpers.dcat_fixture import PREFIXES, RdfServer, dataset_ttl, hydra_page
from tests.helpers.source_helpers import stored_findings as findings

DATA = Path(__file__).resolve().parents[1] / "data"
DCAT = DATA / "dcat" / "fidelity"
DATAJSON = DATA / "datajson" / "fidelity"
WITHDRAW_NOW = {"grace_days": 0, "max_fraction": 1.0}


def source(kind: str, path: Path, **fields: Any) -> SourceConfig:
    return SourceConfig.model_validate(
        {"id": f"{kind}-test", "type": kind, "path": str(path), **fields}
    )


def harvest(db: Path, config: SourceConfig, **options: Any) -> SourceOutcome:
    (outcome,) = Harvester(db).run([config], **options).outcomes
    return outcome


def rows(db: Path, source_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """remote id -> (status, record) of every stored dataset of the source."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            remote_id: (status, json.loads(record))
            for remote_id, status, record in conn.execute(
                "SELECT remote_id, status, record FROM datasets WHERE source_id = ?",
                (source_id,),
            )
        }
    finally:
        conn.close()


def mapped_file(path: Path) -> dict[str, dict[str, Any]]:
    graph = parse_rdf(path.read_bytes(), "turtle", path.resolve().as_uri())
    mapper = DcatMapper()
    out = {}
    for node in mapper.datasets(graph):
        remote_id = mapper.remote_id(graph, node)
        assert remote_id is not None
        out[remote_id] = mapper.map(graph, node)
    return out


# -- DCAT ------------------------------------------------------------------------------


def test_a_dataset_only_referenced_is_skipped_with_a_note(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    first = harvest(db, source("dcat", DCAT / "reference-v1.ttl", withdraw=WITHDRAW_NOW))
    assert (first.added, first.errored) == (2, 0)
    second = harvest(db, source("dcat", DCAT / "reference-v2.ttl", withdraw=WITHDRAW_NOW))
    stored = rows(db, "dcat-test")
    # no empty dataset for the bare links, and the title of "penduduk" is not wiped
    assert set(stored) == {"penduduk", "sekolah"}
    assert stored["penduduk"][1]["title"] == "Jumlah Penduduk"
    assert (second.added, second.updated, second.errored) == (0, 0, 0)
    assert any("2 node(s) listed by dcat:dataset" in note for note in second.notes)
    # the pass is otherwise complete: a dataset now only linked counts as absent
    assert second.complete and second.withdrawn == 1
    assert stored["penduduk"][0] == "withdrawn"


def test_a_link_on_one_page_to_a_dataset_described_on_another_is_no_reference(
    tmp_path: Path,
) -> None:
    with RdfServer() as server:
        first, second = (f"{server.url}/catalog?page={n}" for n in (1, 2))
        server.serve(
            "/catalog?page=1",
            hydra_page(first, [1], next_url=second)
            + f"\n<{first}#catalog> dcat:dataset <https://data.example.go.id/dataset/2> .",
        )
        server.serve("/catalog?page=2", PREFIXES + dataset_ttl(2))
        outcome = harvest(
            tmp_path / "k.db",
            SourceConfig.model_validate({"id": "dcat-test", "type": "dcat", "url": first}),
        )
    assert (outcome.added, outcome.complete) == (2, True)
    assert not any("listed by dcat:dataset" in note for note in outcome.notes)


def test_a_referenced_dataset_is_kept_when_the_pass_is_not_complete(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    harvest(db, source("dcat", DCAT / "reference-v1.ttl", withdraw=WITHDRAW_NOW))
    outcome = harvest(db, source("dcat", DCAT / "reference-v2.ttl", withdraw=WITHDRAW_NOW), limit=1)
    assert not outcome.complete and outcome.withdrawn == 0
    stored = rows(db, "dcat-test")
    assert stored["penduduk"] == ("active", stored["penduduk"][1])
    assert stored["penduduk"][1]["title"] == "Jumlah Penduduk"


def test_adms_contact_point_is_read_like_dcat_contact_point() -> None:
    record = mapped_file(DCAT / "typed-nodes.ttl")["tahunan"]
    assert record["kontak"] == {"nama": "Bidang Statistik", "email": "statistik@example.go.id"}


def test_typed_nodes_give_their_value_or_label() -> None:
    records = mapped_file(DCAT / "typed-nodes.ttl")
    (csv,) = records["tahunan"]["resources"]
    assert (csv["format"], csv["mimetype"]) == ("CSV", "text/csv")
    (api,) = records["bulanan"]["resources"]
    assert (api["format"], api["mimetype"]) == ("JSON", "application/json")
    assert records["tahunan"]["jadwal_pemutakhiran"] == "tahunan"
    assert records["bulanan"]["jadwal_pemutakhiran"] == "Bulanan"
    assert records["mingguan"]["jadwal_pemutakhiran"] == "mingguan"
    assert records["triwulan"]["jadwal_pemutakhiran"] == "triwulanan"


def test_distribution_licence_and_other_terms_are_kept() -> None:
    record = mapped_file(DCAT / "typed-nodes.ttl")["tahunan"]
    (csv,) = record["resources"]
    assert csv["license_id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert csv["size"] == 2048
    assert csv["hash"] == (
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    )
    assert csv["extras"] == {
        "dct:conformsTo": "https://standar.example.go.id/csv-profil",
        "dct:language": "http://publications.europa.eu/resource/authority/language/IND",
        "dcat:version": "3",
        "dct:rights": "Hak cipta Pemkot Contoh",
    }
    assert record["extras"] == {
        "dct:conformsTo": "https://standar.example.go.id/sdi/penduduk",
        "dct:language": "http://publications.europa.eu/resource/authority/language/IND",
        "dcat:version": "2.1",
    }


def test_a_keyword_literal_with_commas_is_split_with_a_note(tmp_path: Path) -> None:
    record = mapped_file(DCAT / "typed-nodes.ttl")["tahunan"]
    assert record["tags"] == ["statistik", "kependudukan", "demografi", "sensus"]
    db = tmp_path / "k.db"
    outcome = harvest(db, source("dcat", DCAT / "typed-nodes.ttl"))
    assert any("comma" in note and "1 dataset" in note for note in outcome.notes)
    assert "source.keywords-split $.tags" in findings(db, "tahunan")


# -- data.json (DCAT-US) ---------------------------------------------------------------


def test_dcat_us_3_identifiers_are_read(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    outcome = harvest(db, source("datajson", DATAJSON / "dcat-us-3.json"))
    stored = rows(db, "datajson-test")
    assert set(stored) == {
        "https://data.example.go.id/id/penduduk",  # {"@id": ...}
        "https://data.example.go.id/id/sekolah",  # a URI
        "https://data.example.go.id/dataset/puskesmas",  # no identifier: the dataset's @id
    }
    assert stored["https://data.example.go.id/id/penduduk"][1]["title"] == "Jumlah Penduduk"
    assert "identifier" not in stored["https://data.example.go.id/id/penduduk"][1]
    # one entry whose identifier is empty: errored, the others harvested
    assert (outcome.added, outcome.errored, outcome.complete) == (3, 1, False)


def test_mediatype_is_kept_next_to_format(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    harvest(db, source("datajson", DATAJSON / "dcat-us-3.json"))
    record = rows(db, "datajson-test")["https://data.example.go.id/id/penduduk"][1]
    assert record["resources"] == [
        {
            "url": "https://data.example.go.id/f/penduduk.csv",
            "format": "CSV",
            "mimetype": "text/csv",
        }
    ]


def test_two_datasets_sharing_an_identifier_are_both_kept(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    outcome = harvest(db, source("datajson", DATAJSON / "duplicate-ids.json"))
    stored = rows(db, "datajson-test")
    assert {k: v[1]["title"] for k, v in stored.items()} == {
        "jalan": "Panjang Jalan Kota",
        "jembatan": "Jumlah Jembatan",
        "jalan#3": "Panjang Jalan Provinsi",  # "jalan#2" is another dataset's own id
        "jalan#2": "Jalan (id asli)",
    }
    assert (outcome.added, outcome.errored, outcome.complete) == (4, 0, True)
    assert "source.duplicate-identifier $.identifier" in findings(db, "jalan")
    assert "source.duplicate-identifier $.identifier" in findings(db, "jalan#3")
    assert "source.duplicate-identifier $.identifier" not in findings(db, "jembatan")
    assert any("'jalan'" in note and "2 datasets" in note for note in outcome.notes)
    # the same document again: the same ids, nothing added or updated
    again = harvest(db, source("datajson", DATAJSON / "duplicate-ids.json"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_catalogue_level_problems_are_noted_on_the_job(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    outcome = harvest(db, source("datajson", DATAJSON / "catalogue-problems.json"))
    assert outcome.added == 1
    notes = "\n".join(outcome.notes)
    assert "conformsTo" in notes
    assert '"Catalog"' in notes and "dcat:Catalog" in notes
    assert "describedBy" in notes and '"katalog.json"' in notes
    clean = harvest(tmp_path / "k2.db", source("datajson", DATAJSON / "duplicate-ids.json"))
    assert not any(
        word in note for note in clean.notes for word in ("conformsTo", "@type", "describedBy")
    )


def test_dcat_us_modified_forms_are_not_invalid_dates(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    outcome = harvest(db, source("datajson", DATAJSON / "modified-forms.json"))
    assert (outcome.added, outcome.errored) == (4, 0)
    stored = {k: v[1] for k, v in rows(db, "datajson-test").items()}
    # a repeating interval is how often, not when: it informs a missing frequency
    assert stored["mingguan"]["jadwal_pemutakhiran"] == "mingguan"
    assert "tanggal_diperbarui" not in stored["mingguan"]
    assert stored["mingguan"]["modified"] == "R/P1W"  # kept as the portal wrote it
    assert stored["bulanan"]["jadwal_pemutakhiran"] == "triwulanan"  # the declared one wins
    # ISO 8601 basic format
    assert stored["dasar"]["tanggal_diperbarui"] == "2020-11-17"
    assert stored["dasar"]["tanggal_dibuat"] == "2019-01-02"
    assert stored["dasar-waktu"]["tanggal_diperbarui"] == "2020-11-17"
    for remote_id in stored:
        assert not {f for f in findings(db, remote_id) if f.startswith("tanggal.")}, remote_id
