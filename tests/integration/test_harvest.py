"""The harvest engine (satudata_cli.pipeline.harvest.Harvester), in process.

Real SQLite catalogues in tmp_path; sources are YAML files written to tmp_path and
read with load_sources, as the CLI does. The directory source runs over folders of
JSON files; the CKAN source runs against the local fixture server (tests/helpers/ckan_fixture.py).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.pipeline.harvest import Harvester, HarvestReport, SourceOutcome
from satudata_cli.sources.base import SourceNotSupported
from satudata_cli.sources.config import SourceConfig, load_sources
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.cli import write_source
from tests.helpers.records import make_record


class FakeClock:
    """The harvester's clock; starts at the real now so catalogue times stay coherent."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def write_record(folder: Path, i: int, **extra: Any) -> Path:
    path = folder / f"record-{i:03d}.json"
    path.write_text(json.dumps(make_record(i, **extra), ensure_ascii=False), encoding="utf-8")
    return path


def sources(cfg: Path) -> dict[str, SourceConfig]:
    return {c.id: c for c in load_sources(cfg)}


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def datasets(db: Path, source_id: str) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return {
            row["remote_id"]: dict(row)
            for row in conn.execute("SELECT * FROM datasets WHERE source_id = ?", (source_id,))
        }
    finally:
        conn.close()


def job(db: Path, job_id: int | None) -> dict[str, Any]:
    assert job_id is not None
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM harvest_jobs WHERE id = ?", (job_id,)).fetchone()
        assert row is not None
        return dict(row)
    finally:
        conn.close()


def only(report: HarvestReport) -> SourceOutcome:
    assert len(report.outcomes) == 1
    return report.outcomes[0]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """(config folder, data folder with 10 valid records, catalogue path)."""
    cfg = tmp_path / "harvest_configs"
    data = cfg / "data" / "dinkes"
    data.mkdir(parents=True)
    for i in range(10):
        write_record(data, i)
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    yield cfg, data, tmp_path / "katalog" / "satudata.db"


# ------------------------------------------------------------------ directory source


def test_first_run_adds_then_unchanged_costs_no_write(site: tuple[Path, Path, Path]) -> None:
    cfg, _data, db = site
    config = sources(cfg)["dinkes"]
    harvester = Harvester(db)

    first = only(harvester.run([config]))
    assert first.status == "finished"
    assert (first.added, first.updated, first.unchanged, first.errored) == (10, 0, 0, 0)
    assert first.complete and not first.incremental
    assert first.invalid == 0
    stored = datasets(db, "dinkes")
    assert len(stored) == 10
    assert {r["status"] for r in stored.values()} == {"active"}
    assert {r["valid"] for r in stored.values()} == {1}
    assert job(db, first.job_id)["status"] == "finished"
    assert job(db, first.job_id)["added"] == 10

    second = only(harvester.run([config]))
    assert second.status == "finished"
    assert (second.added, second.updated, second.unchanged, second.withdrawn) == (0, 0, 10, 0)
    again = datasets(db, "dinkes")
    for remote_id, row in stored.items():
        # no write for an unchanged dataset: the record and its change time stay as they were
        assert again[remote_id]["last_changed"] == row["last_changed"]
        assert again[remote_id]["content_hash"] == row["content_hash"]
        assert again[remote_id]["record"] == row["record"]
    # and no event rows for unchanged datasets, only the counter
    assert rows(db, "SELECT count(*) FROM harvest_events WHERE job_id = ?", (second.job_id,)) == [
        (0,)
    ]
    assert job(db, second.job_id)["unchanged"] == 10


def test_edited_file_is_one_update(site: tuple[Path, Path, Path]) -> None:
    cfg, data, db = site
    config = sources(cfg)["dinkes"]
    harvester = Harvester(db)
    harvester.run([config])
    before = datasets(db, "dinkes")

    write_record(data, 3, title="Jumlah Puskesmas Rawat Inap di Kota Medan")
    outcome = only(harvester.run([config]))
    assert (outcome.added, outcome.updated, outcome.unchanged) == (0, 1, 9)
    after = datasets(db, "dinkes")
    assert after["jumlah-puskesmas-3"]["title"] == "Jumlah Puskesmas Rawat Inap di Kota Medan"
    assert (
        after["jumlah-puskesmas-3"]["content_hash"] != before["jumlah-puskesmas-3"]["content_hash"]
    )
    assert after["jumlah-puskesmas-3"]["first_seen"] == before["jumlah-puskesmas-3"]["first_seen"]
    events = rows(
        db,
        "SELECT remote_id, kind, message FROM harvest_events WHERE job_id = ?",
        (outcome.job_id,),
    )
    assert len(events) == 1
    remote_id, kind, message = events[0]
    assert (remote_id, kind) == ("jumlah-puskesmas-3", "updated")
    assert "title" in message
    # the search index follows the update
    hits = rows(db, "SELECT rowid FROM datasets_fts WHERE datasets_fts MATCH 'Rawat'")
    assert [h[0] for h in hits] == [after["jumlah-puskesmas-3"]["id"]]


def test_csv_sheet_with_json_files(site: tuple[Path, Path, Path]) -> None:
    cfg, data, db = site
    header = "Judul;Instansi;Produsen Data;Deskripsi;Frekuensi;Tanggal Dibuat;Klasifikasi Akses"
    rows_ = [
        "Jumlah Penduduk Kota Medan;Disdukcapil Kota Medan;Bidang PIAK;Jumlah penduduk.;"
        "Semesteran;2021-01-01;terbuka",
        "Panjang Jalan Kota;Dinas SDABMBK Kota Medan;Bidang Bina Marga;Panjang jalan.;"
        "Tahunan;2019-05-02;Terbuka",
    ]
    sheet = data / "daftar-data.csv"
    sheet.write_text("\n".join([header, *rows_]) + "\n", encoding="utf-8")
    config = sources(cfg)["dinkes"]
    harvester = Harvester(db)
    first = only(harvester.run([config]))
    assert (first.added, first.errored) == (12, 0)
    stored = datasets(db, "dinkes")
    row = stored["daftar-data.csv#1"]
    assert row["title"] == "Jumlah Penduduk Kota Medan"
    assert row["jadwal_pemutakhiran"] == "semesteran"  # the canonical value is stored
    assert stored["daftar-data.csv#2"]["title"] == "Panjang Jalan Kota"

    assert only(harvester.run([config])).unchanged == 12
    sheet.write_text(
        "\n".join([header, rows_[0].replace("Semesteran", "Tahunan"), rows_[1]]) + "\n",
        encoding="utf-8",
    )
    edited = only(harvester.run([config]))
    assert (edited.updated, edited.unchanged) == (1, 11)
    assert datasets(db, "dinkes")["daftar-data.csv#1"]["jadwal_pemutakhiran"] == "tahunan"


def test_missing_record_pending_then_withdrawn_then_restored(
    site: tuple[Path, Path, Path],
) -> None:
    cfg, data, db = site
    config = sources(cfg)["dinkes"]
    assert config.withdraw.grace_days == 7
    clock = FakeClock()
    harvester = Harvester(db, clock=clock)
    harvester.run([config])

    (data / "record-004.json").unlink()
    pending = only(harvester.run([config]))
    assert pending.status == "finished" and pending.complete
    assert pending.withdrawn == 0
    assert pending.withdraw is not None and pending.withdraw.pending == ["jumlah-puskesmas-4"]
    assert any("grace" in note for note in pending.notes)
    row = datasets(db, "dinkes")["jumlah-puskesmas-4"]
    assert row["status"] == "active"
    assert row["missing_since"] is not None

    clock.advance(days=3)
    still = only(harvester.run([config]))
    assert still.withdrawn == 0
    assert datasets(db, "dinkes")["jumlah-puskesmas-4"]["status"] == "active"

    clock.advance(days=5)  # 8 days after it went missing
    gone = only(harvester.run([config]))
    assert gone.status == "finished"
    assert gone.withdrawn == 1
    assert gone.withdraw is not None and gone.withdraw.withdrawn == ["jumlah-puskesmas-4"]
    row = datasets(db, "dinkes")["jumlah-puskesmas-4"]
    assert row["status"] == "withdrawn"
    assert row["withdrawn_at"] is not None
    assert len(datasets(db, "dinkes")) == 10  # marked, never deleted
    assert rows(
        db,
        "SELECT remote_id FROM harvest_events WHERE job_id = ? AND kind = 'withdrawn'",
        (gone.job_id,),
    ) == [("jumlah-puskesmas-4",)]
    assert job(db, gone.job_id)["withdrawn"] == 1

    write_record(data, 4)
    back = only(harvester.run([config]))
    assert (back.restored, back.added, back.unchanged, back.withdrawn) == (1, 0, 9, 0)
    row = datasets(db, "dinkes")["jumlah-puskesmas-4"]
    assert row["status"] == "active"
    assert row["missing_since"] is None
    assert len(datasets(db, "dinkes")) == 10  # restored, not duplicated


def test_empty_folder_trips_the_safety_valve(site: tuple[Path, Path, Path]) -> None:
    cfg, data, db = site
    config = sources(cfg)["dinkes"]
    clock = FakeClock()
    harvester = Harvester(db, clock=clock)
    harvester.run([config])

    for path in data.iterdir():
        path.unlink()
    first = only(harvester.run([config]))
    assert first.status == "finished"
    assert first.withdrawn == 0  # within grace_days

    clock.advance(days=8)
    outcome = only(harvester.run([config]))
    assert outcome.status == "finished"
    assert outcome.withdrawn == 0
    assert outcome.withdraw is not None
    assert outcome.withdraw.blocked
    assert outcome.withdraw.reason is not None and "max_fraction" in outcome.withdraw.reason
    assert len(outcome.withdraw.held) == 10
    notes = job(db, outcome.job_id)["notes"]
    assert notes is not None and "withdrew none" in notes and "20%" in notes
    assert {r["status"] for r in datasets(db, "dinkes").values()} == {"active"}


def test_safety_valve_with_no_grace(site: tuple[Path, Path, Path]) -> None:
    """grace_days 0: the valve is the only thing between an outage and an empty catalogue."""
    cfg, data, db = site
    write_source(
        cfg,
        "dinkes",
        type="directory",
        path="data/dinkes",
        withdraw={"grace_days": 0, "max_fraction": 0.2},
    )
    config = sources(cfg)["dinkes"]
    harvester = Harvester(db)
    harvester.run([config])
    for path in sorted(data.iterdir())[:5]:
        path.unlink()
    outcome = only(harvester.run([config]))
    assert outcome.withdrawn == 0
    assert outcome.withdraw is not None and outcome.withdraw.blocked
    assert "5 of 10" in (job(db, outcome.job_id)["notes"] or "")
    assert {r["status"] for r in datasets(db, "dinkes").values()} == {"active"}

    # within the limit (1 of 10 <= 20%), grace 0 withdraws at once
    for i in range(5):
        write_record(data, i)
    (data / "record-009.json").unlink()
    outcome = only(harvester.run([config]))
    assert outcome.withdrawn == 1
    assert datasets(db, "dinkes")["jumlah-puskesmas-9"]["status"] == "withdrawn"


def test_unreadable_file_is_an_errored_event_and_blocks_withdrawal(
    site: tuple[Path, Path, Path],
) -> None:
    cfg, data, db = site
    write_source(cfg, "dinkes", type="directory", path="data/dinkes", withdraw={"grace_days": 0})
    config = sources(cfg)["dinkes"]
    harvester = Harvester(db)
    harvester.run([config])

    (data / "record-002.json").unlink()
    (data / "rusak.json").write_text('{"name": "rusak", "title": ', encoding="utf-8")
    outcome = only(harvester.run([config]))
    assert outcome.status == "finished"
    assert outcome.errored == 1
    assert outcome.unchanged == 9
    assert not outcome.complete
    assert outcome.withdrawn == 0
    assert any("not complete" in note for note in outcome.notes)
    info = job(db, outcome.job_id)
    assert info["status"] == "finished"
    assert info["errored"] == 1
    events = rows(
        db,
        "SELECT remote_id, kind, message FROM harvest_events WHERE job_id = ?",
        (outcome.job_id,),
    )
    assert len(events) == 1
    assert events[0][0] == "rusak.json" and events[0][1] == "errored"
    assert "JSON" in events[0][2]
    assert datasets(db, "dinkes")["jumlah-puskesmas-2"]["status"] == "active"
    assert HarvestReport([outcome]).partial  # errored records make the run partial


def test_limit_withdraws_nothing(site: tuple[Path, Path, Path]) -> None:
    cfg, data, db = site
    write_source(cfg, "dinkes", type="directory", path="data/dinkes", withdraw={"grace_days": 0})
    config = sources(cfg)["dinkes"]
    harvester = Harvester(db)
    harvester.run([config])
    (data / "record-009.json").unlink()

    outcome = only(harvester.run([config], limit=3))
    assert outcome.status == "finished"
    assert outcome.unchanged + outcome.updated + outcome.added == 3
    assert not outcome.complete
    assert outcome.withdrawn == 0
    assert outcome.withdraw is None
    assert job(db, outcome.job_id)["full"] == 0
    assert {r["status"] for r in datasets(db, "dinkes").values()} == {"active"}
    assert all(r["missing_since"] is None for r in datasets(db, "dinkes").values())


def test_dry_run_writes_nothing_but_reports(site: tuple[Path, Path, Path]) -> None:
    cfg, data, db = site
    config = sources(cfg)["dinkes"]
    harvester = Harvester(db)
    harvester.run([config])
    before_rows = datasets(db, "dinkes")
    before_jobs = rows(db, "SELECT * FROM harvest_jobs")
    before_events = rows(db, "SELECT count(*) FROM harvest_events")

    write_record(data, 1, title="Judul Baru Puskesmas Kota Medan")
    write_record(data, 10)
    write_record(data, 11)
    outcome = only(harvester.run([config], dry_run=True))
    assert outcome.dry_run
    assert outcome.status == "finished"
    assert (outcome.added, outcome.updated, outcome.unchanged) == (2, 1, 9)
    assert outcome.job_id is None
    assert datasets(db, "dinkes") == before_rows
    assert rows(db, "SELECT * FROM harvest_jobs") == before_jobs
    assert rows(db, "SELECT count(*) FROM harvest_events") == before_events


def test_dry_run_on_a_fresh_catalogue_reports_added(site: tuple[Path, Path, Path]) -> None:
    cfg, _data, db = site
    outcome = only(Harvester(db).run([sources(cfg)["dinkes"]], dry_run=True))
    assert outcome.status == "finished"
    assert outcome.added == 10
    if db.exists():
        assert rows(db, "SELECT count(*) FROM datasets") == [(0,)]
        assert rows(db, "SELECT count(*) FROM harvest_jobs") == [(0,)]


def test_dry_run_does_not_create_the_catalogue(site: tuple[Path, Path, Path]) -> None:
    cfg, _data, db = site
    Harvester(db).run([sources(cfg)["dinkes"]], dry_run=True)
    assert not db.exists()


def test_defaults_and_mapping_are_applied(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    data = cfg / "data"
    data.mkdir(parents=True)
    without_code = make_record(1)
    del without_code["kode_wilayah"]
    del without_code["jadwal_pemutakhiran"]
    without_code["frekuensi_penerbitan"] = "bulanan"
    own_code = make_record(2, kode_wilayah="12.72")
    no_org = make_record(3)
    del no_org["organization"]
    (data / "records.json").write_text(json.dumps([without_code, own_code, no_org]), "utf-8")
    write_source(
        cfg,
        "mapped",
        type="directory",
        path="data",
        organization="Pemerintah Kota Medan",
        defaults={"kode_wilayah": "12.71", "walidata": "Diskominfo Medan"},
        mapping={"frekuensi_penerbitan": "jadwal_pemutakhiran"},
    )
    db = tmp_path / "cat.db"
    outcome = only(Harvester(db).run([sources(cfg)["mapped"]]))
    assert outcome.added == 3
    stored = datasets(db, "mapped")
    first = json.loads(stored["jumlah-puskesmas-1"]["record"])
    assert first["kode_wilayah"] == "12.71"  # from defaults
    assert first["jadwal_pemutakhiran"] == "bulanan"  # renamed by mapping
    assert "frekuensi_penerbitan" not in first
    assert stored["jumlah-puskesmas-1"]["kode_wilayah"] == "12.71"
    assert stored["jumlah-puskesmas-1"]["jadwal_pemutakhiran"] == "bulanan"
    # the record's own value wins over the default
    assert stored["jumlah-puskesmas-2"]["kode_wilayah"] == "12.72"
    assert json.loads(stored["jumlah-puskesmas-2"]["record"])["kode_wilayah"] == "12.72"
    # a default for a field the record has keeps the record's value
    assert json.loads(stored["jumlah-puskesmas-2"]["record"])["walidata"] == (
        "Dinas Komunikasi dan Informatika Kota Medan"
    )
    # organization: the source's owner when the record names none
    assert stored["jumlah-puskesmas-3"]["organization"] == "Pemerintah Kota Medan"
    assert stored["jumlah-puskesmas-1"]["organization"] == "Dinas Kesehatan Kota Medan"


def test_invalid_records_are_stored_with_findings(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    data = cfg / "data"
    data.mkdir(parents=True)
    write_record(data, 1)
    write_record(data, 2, jadwal_pemutakhiran="kadang-kadang", kode_wilayah="1275")
    (data / "minimal.json").write_text(json.dumps({"name": "hampir-kosong"}), "utf-8")
    write_source(cfg, "mixed", type="directory", path="data")
    db = tmp_path / "cat.db"
    outcome = only(Harvester(db).run([sources(cfg)["mixed"]]))
    assert outcome.status == "finished"
    assert outcome.added == 3
    assert outcome.invalid == 2
    assert outcome.errored == 0
    stored = datasets(db, "mixed")
    assert stored["jumlah-puskesmas-1"]["valid"] == 1
    for remote_id in ("jumlah-puskesmas-2", "hampir-kosong"):
        row = stored[remote_id]
        assert row["valid"] == 0
        assert row["errors"] > 0
        findings = rows(
            db,
            "SELECT rule, severity FROM validation_findings WHERE dataset_id = ?",
            (row["id"],),
        )
        assert len([f for f in findings if f[1] == "error"]) == row["errors"]
    rules_2 = {
        r[0]
        for r in rows(
            db,
            "SELECT rule FROM validation_findings WHERE dataset_id = ?",
            (stored["jumlah-puskesmas-2"]["id"],),
        )
    }
    assert "vocab.unknown" in rules_2
    assert "kode-wilayah.format" in rules_2
    rules_min = {
        r[0]
        for r in rows(
            db,
            "SELECT rule FROM validation_findings WHERE dataset_id = ?",
            (stored["hampir-kosong"]["id"],),
        )
    }
    assert "field.required" in rules_min


def test_missing_folder_fails_that_source_only(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    good = cfg / "data" / "good"
    good.mkdir(parents=True)
    for i in range(3):
        write_record(good, i)
    write_source(cfg, "good", type="directory", path="data/good")
    write_source(cfg, "hilang", type="directory", path="data/tidak-ada")
    db = tmp_path / "cat.db"
    configs = sources(cfg)
    report = Harvester(db).run([configs["hilang"], configs["good"]])
    by_id = {o.source: o for o in report.outcomes}
    assert by_id["good"].status == "finished" and by_id["good"].added == 3
    bad = by_id["hilang"]
    assert bad.status == "failed"
    assert bad.error is not None
    assert "does not exist" in bad.error and "tidak-ada" in bad.error
    assert report.partial
    assert not report.all_failed
    assert report.failed == [bad]
    if bad.job_id is not None:
        info = job(db, bad.job_id)
        assert info["status"] == "failed"
        assert "does not exist" in info["error"]
    assert len(datasets(db, "good")) == 3
    assert rows(db, "SELECT count(*) FROM harvest_jobs WHERE status = 'running'") == [(0,)]


def test_every_source_failing_is_all_failed(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    write_source(cfg, "satu", type="directory", path="nope-1")
    write_source(cfg, "dua", type="directory", path="nope-2")
    report = Harvester(tmp_path / "cat.db", concurrency=2).run(list(sources(cfg).values()))
    assert len(report.outcomes) == 2
    assert all(o.status == "failed" for o in report.outcomes)
    assert report.all_failed
    assert report.partial


def _not_supported(config: SourceConfig, *_args: object) -> Any:
    raise SourceNotSupported(f"source {config.id}: type {config.type!r} is not supported")


def test_unsupported_type_fails_with_a_clear_message(tmp_path: Path) -> None:
    """Every configurable type has a source now; a factory that refuses one (an older
    satudata reading a newer configuration) fails that job with its reason."""
    cfg = tmp_path / "cfg"
    write_source(cfg, "datajson-medan", type="datajson", url="http://127.0.0.1:9/data.json")
    harvester = Harvester(tmp_path / "cat.db", source_factory=_not_supported)
    outcome = only(harvester.run(list(sources(cfg).values())))
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert "not supported" in outcome.error and "datajson" in outcome.error


def test_every_configurable_type_has_a_source(tmp_path: Path) -> None:
    from satudata_cli.sources.config import SOURCE_TYPES
    from satudata_cli.sources.registry import SOURCE_SPECS

    assert set(SOURCE_TYPES) == {spec.name for spec in SOURCE_SPECS}
    assert all(callable(spec.build) for spec in SOURCE_SPECS)


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "datajson", "url": "http://127.0.0.1:9/data.json"},
        {"type": "directory", "path": "data", "profile": "profil-yang-tidak-ada"},
    ],
    ids=["unreachable-source", "unknown-profile"],
)
def test_a_failed_source_leaves_a_failed_job(tmp_path: Path, fields: dict[str, Any]) -> None:
    """Even a source that cannot start (unsupported type, unknown profile) is in the
    job history as a failed job with its reason."""
    cfg = tmp_path / "cfg"
    (cfg / "data").mkdir(parents=True)
    write_record(cfg / "data", 1)
    write_source(cfg, "gagal", **fields)
    db = tmp_path / "cat.db"
    outcome = only(Harvester(db).run(list(sources(cfg).values())))
    assert outcome.status == "failed"
    assert outcome.job_id is not None
    info = job(db, outcome.job_id)
    assert info["status"] == "failed"
    assert info["error"] == outcome.error


def test_two_sources_in_parallel(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    for name, count in (("satu", 40), ("dua", 25)):
        folder = cfg / "data" / name
        folder.mkdir(parents=True)
        for i in range(count):
            write_record(folder, i)
        write_source(cfg, name, type="directory", path=f"data/{name}")
    db = tmp_path / "cat.db"
    report = Harvester(db, concurrency=2).run(list(sources(cfg).values()))
    assert sorted((o.source, o.status, o.added) for o in report.outcomes) == [
        ("dua", "finished", 25),
        ("satu", "finished", 40),
    ]
    assert not report.partial
    # the same remote ids in two sources are two datasets each
    assert rows(db, "SELECT source_id, count(*) FROM datasets GROUP BY source_id") == [
        ("dua", 25),
        ("satu", 40),
    ]
    again = Harvester(db, concurrency=2).run(list(sources(cfg).values()))
    assert sorted((o.source, o.unchanged) for o in again.outcomes) == [("dua", 25), ("satu", 40)]


def test_stale_running_job_is_marked_interrupted(site: tuple[Path, Path, Path]) -> None:
    cfg, _data, db = site
    config = sources(cfg)["dinkes"]
    Harvester(db).run([config])
    dead = subprocess.Popen(["true"])
    dead.wait()
    conn = sqlite3.connect(db)
    try:
        with conn:
            cursor = conn.execute(
                "INSERT INTO harvest_jobs (source_id, status, full, started_at, pid, hostname) "
                "VALUES ('dinkes', 'running', 1, '2026-01-01T02:00:00Z', ?, ?)",
                (dead.pid, socket.gethostname()),
            )
        stale = cursor.lastrowid
    finally:
        conn.close()

    report = Harvester(db).run([config])
    assert report.interrupted_jobs == [stale]
    info = job(db, stale)
    assert info["status"] == "interrupted"
    assert info["finished_at"] is not None
    assert str(dead.pid) in info["error"]
    assert only(report).status == "finished"
    # a second run finds nothing more to mark
    assert Harvester(db).run([config]).interrupted_jobs == []


# ------------------------------------------------------------------------- CKAN


@pytest.fixture
def ckan() -> Iterator[CkanFixture]:
    with CkanFixture(datasets=make_packages(2_000, seed=3)) as fixture:
        yield fixture


def _ckan_source(cfg: Path, url: str, **fields: Any) -> SourceConfig:
    write_source(
        cfg,
        "ckan-medan",
        title="Portal Satu Data Kota Medan (fixture)",
        type="ckan",
        url=url,
        organization="Pemerintah Kota Medan",
        mapping={"frekuensi_penerbitan": "jadwal_pemutakhiran"},
        http={"timeout": 10, "requests_per_second": 1000, "retries": 1},
        **fields,
    )
    return sources(cfg)["ckan-medan"]


def test_ckan_full_then_incremental(tmp_path: Path, ckan: CkanFixture) -> None:
    config = _ckan_source(tmp_path / "cfg", ckan.url)
    db = tmp_path / "cat.db"
    harvester = Harvester(db)

    first = only(harvester.run([config]))
    assert first.status == "finished", first.error
    assert first.added == 2_000
    assert first.errored == 0
    assert first.complete
    assert rows(db, "SELECT count(*), count(DISTINCT remote_id) FROM datasets") == [(2_000, 2_000)]

    changed_id = ckan.ids()[17]
    ckan.update_package(changed_id, title="Judul yang Diperbarui untuk Uji Panen Inkremental")
    ckan.clear_requests()
    second = only(harvester.run([config]))
    assert second.status == "finished", second.error
    assert second.incremental
    assert not second.complete
    # only the dataset modified since the last job (minus the margin) was fetched
    assert (second.added, second.updated, second.unchanged, second.withdrawn) == (0, 1, 0, 0)
    searches = ckan.requests_for("package_search")
    assert searches
    assert all("metadata_modified:[" in r.query.get("fq", "") for r in searches)
    assert rows(
        db,
        "SELECT remote_id, kind FROM harvest_events WHERE job_id = ?",
        (second.job_id,),
    ) == [(changed_id, "updated")]
    assert rows(db, "SELECT title FROM datasets WHERE remote_id = ?", (changed_id,)) == [
        ("Judul yang Diperbarui untuk Uji Panen Inkremental",)
    ]
    assert rows(db, "SELECT count(*) FROM datasets WHERE status = 'active'") == [(2_000,)]

    # --full: a complete pass again, nothing changed
    third = only(harvester.run([config], full=True))
    assert third.complete and not third.incremental
    assert (third.unchanged, third.updated, third.added) == (2_000, 0, 0)


def test_ckan_empty_full_pass_withdraws_nothing(tmp_path: Path, ckan: CkanFixture) -> None:
    config = _ckan_source(tmp_path / "cfg", ckan.url, withdraw={"grace_days": 0})
    db = tmp_path / "cat.db"
    harvester = Harvester(db)
    assert only(harvester.run([config])).added == 2_000

    ckan.empty = True
    outcome = only(harvester.run([config], full=True))
    assert outcome.status == "finished", outcome.error
    assert outcome.withdrawn == 0
    assert outcome.withdraw is not None and outcome.withdraw.blocked
    assert len(outcome.withdraw.held) == 2_000
    notes = job(db, outcome.job_id)["notes"] or ""
    assert "withdrew none of the 2000 datasets" in notes
    assert rows(db, "SELECT status, count(*) FROM datasets GROUP BY status") == [("active", 2_000)]


def test_ckan_500_forever_fails_and_keeps_data(tmp_path: Path, ckan: CkanFixture) -> None:
    config = _ckan_source(tmp_path / "cfg", ckan.url, withdraw={"grace_days": 0})
    db = tmp_path / "cat.db"
    harvester = Harvester(db)
    assert only(harvester.run([config])).added == 2_000
    before = rows(db, "SELECT remote_id, content_hash, status FROM datasets ORDER BY remote_id")

    ckan.fail_500_times = 10**9
    outcome = only(harvester.run([config], full=True))
    assert outcome.status == "failed"
    assert outcome.error and "500" in outcome.error and ckan.url in outcome.error
    assert outcome.withdrawn == 0
    assert job(db, outcome.job_id)["status"] == "failed"
    assert (
        rows(db, "SELECT remote_id, content_hash, status FROM datasets ORDER BY remote_id")
        == before
    )


def test_an_unchanged_record_is_not_validated_again_the_same_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same input, same validator, same day: the stored verdict stands, no re-validation."""
    from satudata_cli.standard.validator import Validator

    folder = tmp_path / "data"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.json").write_text(
            json.dumps({"name": f"data-{i}", "title": f"Data {i}"}), encoding="utf-8"
        )
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "d.yaml").write_text(f"id: d\ntype: directory\npath: {folder}\n", encoding="utf-8")
    sources = load_sources(cfg)
    db = tmp_path / "k.db"
    first = Harvester(db).run(sources)
    assert first.outcomes[0].added == 3

    calls: list[object] = []
    original = Validator.validate

    def counting(self: Validator, record: object, **kw: object) -> object:
        calls.append(record)
        return original(self, record, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Validator, "validate", counting)
    second = Harvester(db).run(sources)
    assert second.outcomes[0].unchanged == 3
    assert calls == []
    # a changed record is validated (and only that one)
    (folder / "r1.json").write_text(
        json.dumps({"name": "data-1", "title": "Data satu"}), encoding="utf-8"
    )
    third = Harvester(db).run(sources)
    assert (third.outcomes[0].updated, third.outcomes[0].unchanged) == (1, 2)
    assert len(calls) == 1
    # the next day every record is judged again (freshness depends on the day)
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    calls.clear()
    fourth = Harvester(db, clock=lambda: tomorrow).run(sources)
    assert fourth.outcomes[0].unchanged == 3
    assert len(calls) == 3


class _Counting:
    """Counts the calls of PackageMapper.map and Validator.validate (the real ones run)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from satudata_cli.codecs.ckan.read import PackageMapper
        from satudata_cli.standard.validator import Validator

        self.mapped: list[str] = []
        self.validated: list[str] = []
        map_package, validate = PackageMapper.map, Validator.validate

        def counting_map(mapper: PackageMapper, package: Any) -> dict[str, Any]:
            self.mapped.append(str(package.get("id")))
            return map_package(mapper, package)

        def counting_validate(validator: Validator, record: Any, **kw: Any) -> Any:
            self.validated.append(str(record.get("name")))
            return validate(validator, record, **kw)

        monkeypatch.setattr(PackageMapper, "map", counting_map)
        monkeypatch.setattr(Validator, "validate", counting_validate)

    def clear(self) -> None:
        self.mapped.clear()
        self.validated.clear()


def test_an_unchanged_ckan_package_is_neither_mapped_nor_validated(
    tmp_path: Path, ckan: CkanFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: an unchanged package costs a hash of the package as the portal gave it."""
    config = _ckan_source(tmp_path / "cfg", ckan.url)
    db = tmp_path / "cat.db"
    counting = _Counting(monkeypatch)
    assert only(Harvester(db).run([config], full=True)).added == 2_000
    assert len(counting.mapped) == len(counting.validated) == 2_000
    stored = rows(db, "SELECT remote_id, content_hash, findings_hash FROM datasets ORDER BY 1")

    counting.clear()
    again = only(Harvester(db).run([config], full=True))
    assert (again.added, again.updated, again.unchanged, again.errored) == (0, 0, 2_000, 0)
    assert counting.mapped == [] and counting.validated == []
    started = job(db, again.job_id)["started_at"]
    assert rows(db, "SELECT count(*) FROM datasets WHERE last_seen >= ?", (started,)) == [(2_000,)]

    # one package changes at the portal: it alone is mapped, validated and written
    changed = ckan.ids()[5]
    ckan.update_package(changed, notes="Catatan baru dari walidata")
    counting.clear()
    third = only(Harvester(db).run([config], full=True))
    assert (third.updated, third.unchanged) == (1, 1_999)
    assert counting.mapped == [changed]
    assert len(counting.validated) == 1
    after = rows(db, "SELECT remote_id, content_hash, findings_hash FROM datasets ORDER BY 1")
    assert [r for r in after if r not in stored] == [r for r in after if r[0] == changed]

    # a change to the source's configuration is a change of every input: judged again,
    # stored unchanged (same content, same verdict)
    config2 = _ckan_source(tmp_path / "cfg", ckan.url, withdraw={"grace_days": 3})
    counting.clear()
    fourth = only(Harvester(db).run([config2], full=True))
    assert (fourth.updated, fourth.unchanged) == (0, 2_000)
    assert len(counting.validated) == 2_000


def test_input_hashes_of_an_earlier_version_mark_nothing_updated(
    tmp_path: Path, ckan: CkanFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalogue written by a version whose input hashes were made another way (from
    the mapped record): the first harvest after the upgrade judges every record once
    more and stores it as unchanged with the new input hash; the next one skips them."""
    config = _ckan_source(tmp_path / "cfg", ckan.url)
    db = tmp_path / "cat.db"
    assert only(Harvester(db).run([config], full=True)).added == 2_000
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE datasets SET input_hash = 'made by an earlier version'")
    conn.close()
    before = rows(db, "SELECT remote_id, content_hash, findings_hash, record FROM datasets")
    counting = _Counting(monkeypatch)

    upgraded = only(Harvester(db).run([config], full=True))
    assert (upgraded.added, upgraded.updated, upgraded.unchanged) == (0, 0, 2_000)
    assert len(counting.validated) == 2_000
    assert rows(db, "SELECT count(*) FROM harvest_events WHERE job_id = ?", (upgraded.job_id,)) == [
        (0,)
    ]
    assert rows(db, "SELECT remote_id, content_hash, findings_hash, record FROM datasets") == (
        before
    )
    assert rows(
        db, "SELECT count(*) FROM datasets WHERE input_hash = 'made by an earlier version'"
    ) == [(0,)]

    counting.clear()
    next_run = only(Harvester(db).run([config], full=True))
    assert next_run.unchanged == 2_000
    assert counting.mapped == [] and counting.validated == []


def test_a_failed_source_is_named_once_in_its_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = tmp_path / "cfg"
    write_source(
        cfg, "dj", type="datajson", url="http://127.0.0.1:9/data.json", http={"retries": 0}
    )
    with caplog.at_level("ERROR", logger="satudata.harvest"):
        outcome = only(Harvester(tmp_path / "cat.db").run(list(sources(cfg).values())))
    assert outcome.status == "failed"
    line = next(r.getMessage() for r in caplog.records if "failed" in r.getMessage())
    assert line.startswith("source dj: failed: ")
    assert line.count("dj") == 1, line
