"""The local catalogue: satudata_cli.catalogue (real SQLite files in tmp_path)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.catalogue import (
    SCHEMA_VERSION,
    Catalogue,
    CatalogueError,
    DatasetState,
    JobWriter,
    PublishState,
    StateRow,
    canonical_json,
    content_hash,
)
from satudata_cli.catalogue.batches import DatasetRow
from satudata_cli.catalogue.rows import named, scalar, scalars
from satudata_cli.catalogue.schema import APPLICATION_ID
from satudata_cli.core.errors import SatudataError
from satudata_cli.standard.findings import Finding, Message, RecordResult, Severity

T0 = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)


class FakeClock:
    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def _record(i: int, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": f"dataset-{i}",
        "title": f"Jumlah Puskesmas Kecamatan {i}",
        "notes": "Jumlah pusat kesehatan masyarakat per kecamatan di Kota Medan.",
        "organization": f"Dinas Kesehatan {i % 3}",
        "tags": ["kesehatan", "puskesmas"],
        "jadwal_pemutakhiran": "tahunan",
        "kode_wilayah": "12.71",
        "resources": [
            {"name": "CSV", "url": f"https://data.example.go.id/{i}.csv", "format": "CSV"},
        ],
    }
    record.update(extra)
    return record


WARNING = Finding(
    "field.recommended",
    Severity.WARNING,
    "$.walidata",
    Message("Kolom walidata sebaiknya diisi", "The walidata field should be filled"),
)
ERROR = Finding(
    "field.required",
    Severity.ERROR,
    "$.produsen_data",
    Message("Kolom produsen_data wajib diisi", "The produsen_data field is required"),
)


def _result(record: dict[str, Any], *findings: Finding) -> RecordResult:
    return RecordResult(
        source="test", record=record["name"], index=1, findings=list(findings), normalized=record
    )


def _put(writer: JobWriter, i: int, *findings: Finding, **extra: Any) -> str:
    record = _record(i, **extra)
    return writer.put(f"remote-{i}", record, _result(record, *findings))


def _sound(cat: Catalogue) -> None:
    assert cat.integrity_check() == ["ok"]
    # the search index holds exactly the text of the rows
    cat.conn.execute("INSERT INTO datasets_fts (datasets_fts, rank) VALUES ('integrity-check', 1)")
    assert cat.conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cat(tmp_path: Path, clock: FakeClock) -> Iterator[Catalogue]:
    catalogue = Catalogue.open(tmp_path / "katalog" / "satudata.db", clock=clock)
    catalogue.upsert_source("medan", "Portal Data Medan", "ckan", "https://data.example", "h1")
    yield catalogue
    _sound(catalogue)
    catalogue.close()


def _harvest(cat: Catalogue, ids: range, *, full: bool = True, **extra: Any) -> int:
    job = cat.start_job("medan", full=full)
    with cat.writer(job) as writer:
        for i in ids:
            _put(writer, i, **extra)
    cat.finish_job(job, "finished")
    return job


# --------------------------------------------------------------------- opening


def test_open_creates_file_and_folder_wal_and_records_migrations(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "satudata.db"
    with Catalogue.open(path) as cat:
        assert cat.schema_version == SCHEMA_VERSION
    with Catalogue.open(path) as cat:  # idempotent: nothing applied twice
        rows = cat.conn.execute("SELECT version, name, applied_at FROM migrations").fetchall()
        assert [r[0] for r in rows] == list(range(1, SCHEMA_VERSION + 1))
        assert rows[0][1] == "initial"
        assert rows[0][2].endswith("Z")
        assert cat.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cat.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        tables = set(cat.db.table_names())
        assert {
            "sources",
            "datasets",
            "resources",
            "organizations",
            "harvest_jobs",
            "harvest_events",
            "validation_findings",
            "migrations",
            "datasets_fts",
        } <= tables
        assert cat.db.table("datasets").detect_fts() == "datasets_fts"
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        other.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "satudata.db"
    with Catalogue.open(path) as cat:
        cat.conn.execute(
            "INSERT INTO migrations (version, name, applied_at) VALUES (99, 'future', 'x')"
        )
    with pytest.raises(CatalogueError, match="newer satudata"):
        Catalogue.open(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is a text file, not SQLite\n" * 100, encoding="utf-8")
    with pytest.raises(CatalogueError, match="not a satudata catalogue") as info:
        Catalogue.open(path)
    assert isinstance(info.value, SatudataError)
    assert path.read_text(encoding="utf-8").startswith("this is a text file")


def test_sqlite_file_of_another_application_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (id INTEGER, migration TEXT, batch INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(CatalogueError, match="another application"):
        Catalogue.open(path)


def test_missing_file_without_create_and_folder_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="no catalogue at"):
        Catalogue.open(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()
    with pytest.raises(CatalogueError, match="is a folder"):
        Catalogue.open(tmp_path)


# --------------------------------------------------------------------- hashing


def test_content_hash_is_canonical() -> None:
    a = {"title": "Penduduk", "tags": ["a"], "notes": "Ü"}
    b = {"notes": "Ü", "tags": ["a"], "title": "Penduduk"}
    assert content_hash(a) == content_hash(b)
    assert canonical_json(a) == '{"notes":"Ü","tags":["a"],"title":"Penduduk"}'
    assert content_hash(a) != content_hash({**a, "tags": ["b"]})
    assert len(content_hash(a)) == 64
    with pytest.raises(CatalogueError, match="cannot be stored as JSON"):
        canonical_json({"x": float("nan")})


# --------------------------------------------------------------------- storing


def test_put_added_unchanged_updated_restored(cat: Catalogue, clock: FakeClock) -> None:
    job = cat.start_job("medan", full=True)
    with cat.writer(job, "medan") as writer:
        assert _put(writer, 1, WARNING) == "added"
        assert _put(writer, 2) == "added"
        assert writer.counters["added"] == 2
    cat.finish_job(job, "finished")

    row = cat.conn.execute(
        "SELECT content_hash, record, status, valid, errors, warnings, title, tags "
        "FROM datasets WHERE remote_id = 'remote-1'"
    ).fetchone()
    assert row[0] == content_hash(_record(1))
    assert row[1] == canonical_json(_record(1))
    assert row[2:] == (
        "active",
        1,
        0,
        1,
        "Jumlah Puskesmas Kecamatan 1",
        '["kesehatan", "puskesmas"]',
    )

    clock.advance(days=1)
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        # same content in another key order: unchanged
        reordered = dict(reversed(list(_record(1).items())))
        assert writer.put("remote-1", reordered, _result(reordered, WARNING)) == "unchanged"
        assert _put(writer, 2, notes="Catatan baru") == "updated"
    cat.finish_job(job, "finished")
    events = cat.get_job(job)
    assert events is not None
    assert [(e.kind, e.remote_id, e.message) for e in events.events] == [
        ("updated", "remote-2", "changed: notes")
    ]
    assert (events.job.unchanged, events.job.updated) == (1, 1)

    # the same content with another verdict (a new profile) is an update
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        assert _put(writer, 1, WARNING, ERROR) == "updated"
    detail = cat.get_dataset("medan:remote-1")
    assert detail is not None
    assert detail.dataset.valid is False
    assert [f.rule for f in detail.findings] == ["field.required", "field.recommended"]
    assert detail.events[0].message == "validation result changed (record unchanged)"

    # withdrawn, then seen again: restored
    cat.conn.execute("UPDATE datasets SET status = 'withdrawn', withdrawn_at = 'x' WHERE id = 2")
    with cat.writer(job) as writer:
        assert _put(writer, 2, notes="Catatan baru") == "restored"
    cat.finish_job(job, "finished")
    restored = cat.get_dataset(2)
    assert restored is not None
    assert (restored.dataset.status, restored.dataset.withdrawn_at) == ("active", None)
    assert restored.events[0].kind == "restored"
    assert cat.get_job(job) is not None


def test_unchanged_costs_no_write(cat: Catalogue, clock: FakeClock) -> None:
    _harvest(cat, range(300), extra_field="x")
    snapshot = cat.conn.execute(
        "SELECT * FROM datasets ORDER BY id"  # every column but last_seen must stay
    ).fetchall()
    counts = {
        table: cat.conn.execute(f"SELECT count(*), max(id) FROM {table}").fetchone()
        for table in ("resources", "validation_findings", "harvest_events")
    }
    clock.advance(days=1)
    statements: list[str] = []
    job = cat.start_job("medan", full=True)
    before = cat.conn.total_changes
    cat.conn.set_trace_callback(statements.append)
    try:
        with cat.writer(job, batch_size=100) as writer:
            for i in range(300):
                assert _put(writer, i, extra_field="x") == "unchanged"
    finally:
        cat.conn.set_trace_callback(None)
    # 300 last_seen updates + 3 job counter updates; nothing else was written
    assert cat.conn.total_changes - before == 300 + 3
    writes = [s for s in statements if not s.startswith(("SELECT", "BEGIN", "COMMIT"))]
    assert {w.split(" SET ")[0] for w in writes} == {"UPDATE datasets", "UPDATE harvest_jobs"}
    assert sum(w.startswith("UPDATE datasets SET last_seen") for w in writes) == 3
    after = cat.conn.execute("SELECT * FROM datasets ORDER BY id").fetchall()
    last_seen = [d[0] for d in cat.conn.execute("SELECT * FROM datasets").description].index(
        "last_seen"
    )
    assert [r[:last_seen] + r[last_seen + 1 :] for r in after] == [
        r[:last_seen] + r[last_seen + 1 :] for r in snapshot
    ]
    assert {r[last_seen] for r in after} == {"2026-05-02T02:00:00.000Z"}
    for table, count in counts.items():
        assert cat.conn.execute(f"SELECT count(*), max(id) FROM {table}").fetchone() == count
    cat.finish_job(job, "finished")


def test_last_seen_advances_first_seen_and_last_changed_stay(
    cat: Catalogue, clock: FakeClock
) -> None:
    _harvest(cat, range(3))
    clock.advance(hours=6)
    _harvest(cat, range(3))
    clock.advance(hours=6)
    _harvest(cat, range(3), notes="baru")
    rows = cat.conn.execute(
        "SELECT first_seen, last_seen, last_changed FROM datasets ORDER BY id"
    ).fetchall()
    assert (
        rows
        == [("2026-05-01T02:00:00.000Z", "2026-05-01T14:00:00.000Z", "2026-05-01T14:00:00.000Z")]
        * 3
    )
    clock.advance(hours=1)
    _harvest(cat, range(3), notes="baru")
    summary = cat.list_datasets()[0]
    assert (summary.last_seen, summary.last_changed) == (
        "2026-05-01T15:00:00.000Z",
        "2026-05-01T14:00:00.000Z",
    )


def test_touch_skips_validation_of_unchanged_records(cat: Catalogue) -> None:
    _harvest(cat, range(2))
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        assert writer.stored_hash("remote-0") == content_hash(_record(0))
        assert writer.touch("remote-0", content_hash(_record(0))) is True
        assert writer.touch("remote-1", content_hash(_record(1, title="x"))) is False
        assert writer.touch("remote-9", "0" * 64) is False
        assert writer.stored_hash("remote-9") is None
        assert writer.seen == {"remote-0"}
        assert writer.counters["unchanged"] == 1


def test_errored_events(cat: Catalogue) -> None:
    _harvest(cat, range(2))
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        _put(writer, 0)
        writer.error("remote-1", "HTTP 500 from package_show")
        writer.error(None, "page 3 of package_search is not JSON (text/html, status 200)")
        assert writer.seen == {"remote-0", "remote-1"}
    finished = cat.finish_job(job, "finished", {"fetched": 3}, notes="2 records errored")
    assert (finished.errored, finished.unchanged, finished.counters["fetched"]) == (2, 1, 3)
    assert finished.notes == "2 records errored"
    detail = cat.get_job(job)
    assert detail is not None
    assert [(e.kind, e.dataset_id, e.remote_id, e.name) for e in detail.events] == [
        ("errored", 2, "remote-1", "dataset-1"),
        ("errored", None, None, None),
    ]
    assert detail.events[1].message is not None
    assert "not JSON" in detail.events[1].message


def test_bad_record_raises_before_anything_is_queued(cat: Catalogue) -> None:
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        record = _record(1, value=float("inf"))
        with pytest.raises(CatalogueError, match="JSON"):
            writer.put("remote-1", record, _result(record))
        assert _put(writer, 2) == "added"
    assert [d.remote_id for d in cat.list_datasets()] == ["remote-2"]


def test_same_remote_id_twice_in_one_batch(cat: Catalogue) -> None:
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        assert _put(writer, 1) == "added"
        assert _put(writer, 1) == "unchanged"
        assert _put(writer, 1, title="Judul lain") == "updated"
    assert cat.conn.execute("SELECT count(*) FROM datasets").fetchone()[0] == 1
    assert cat.search("lain")[0].remote_id == "remote-1"


def test_exception_in_writer_rolls_back_only_the_open_batch(cat: Catalogue) -> None:
    job = cat.start_job("medan", full=True)
    with pytest.raises(KeyboardInterrupt), cat.writer(job, batch_size=10) as writer:
        for i in range(25):
            _put(writer, i)
        raise KeyboardInterrupt
    assert cat.conn.execute("SELECT count(*) FROM datasets").fetchone()[0] == 20
    assert cat.conn.execute("SELECT count(*) FROM datasets_fts").fetchone()[0] == 20
    assert not cat.conn.in_transaction
    with pytest.raises(CatalogueError, match="closed"):
        _put(writer, 30)
    info = cat.finish_job(job, "interrupted", error="interrupted by the user")
    assert (info.status, info.added) == ("interrupted", 20)
    # the next job stores the lost five as new
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        kinds = [_put(writer, i) for i in range(25)]
    assert kinds.count("unchanged") == 20
    assert kinds.count("added") == 5


def test_writer_needs_a_running_job(cat: Catalogue) -> None:
    job = _harvest(cat, range(1))
    with pytest.raises(CatalogueError, match="not running"):
        cat.writer(job)
    with pytest.raises(CatalogueError, match="no job"):
        cat.writer(999)
    with pytest.raises(CatalogueError, match="unknown source"):
        cat.start_job("nowhere", full=True)


# ------------------------------------------------------------------ withdrawal


def test_withdrawal_after_grace_days(cat: Catalogue, clock: FakeClock) -> None:
    _harvest(cat, range(10))

    def complete_pass(seen: range) -> Any:
        job = cat.start_job("medan", full=True)
        with cat.writer(job) as writer:
            for i in seen:
                _put(writer, i)
        outcome = cat.withdraw_missing(
            job, "medan", writer.seen, grace_days=7, max_fraction=0.2, now=clock.now
        )
        cat.finish_job(job, "finished", notes=outcome.reason)
        return outcome

    outcome = complete_pass(range(9))  # remote-9 is missing
    assert (outcome.withdrawn, outcome.pending, outcome.blocked) == ([], ["remote-9"], False)
    missing = cat.get_dataset("medan:remote-9")
    assert missing is not None
    assert missing.dataset.missing_since == "2026-05-01T02:00:00.000Z"
    assert missing.dataset.status == "active"

    clock.advance(days=3)
    assert complete_pass(range(9)).pending == ["remote-9"]
    clock.advance(days=4)  # seven days missing
    outcome = complete_pass(range(9))
    assert (outcome.withdrawn, outcome.pending) == (["remote-9"], [])
    gone = cat.get_dataset("medan:remote-9")
    assert gone is not None
    assert (gone.dataset.status, gone.dataset.withdrawn_at) == (
        "withdrawn",
        "2026-05-08T02:00:00.000Z",
    )
    assert gone.events[0].kind == "withdrawn"
    assert "since 2026-05-01" in (gone.events[0].message or "")
    assert cat.list_jobs(1)[0].withdrawn == 1
    assert [d.remote_id for d in cat.list_datasets(status="withdrawn")] == ["remote-9"]
    assert len(cat.list_datasets()) == 9
    assert cat.search("Kecamatan 9") == []
    assert cat.search("Kecamatan 9", status=None)[0].remote_id == "remote-9"

    # missing once, back the next day: missing_since cleared
    complete_pass(range(8))
    clock.advance(days=1)
    assert complete_pass(range(9)).pending == []
    back = cat.get_dataset("medan:remote-8")
    assert back is not None
    assert back.dataset.missing_since is None

    # the withdrawn one comes back: restored
    outcome = complete_pass(range(10))
    again = cat.get_dataset("medan:remote-9")
    assert again is not None
    assert (again.dataset.status, again.events[0].kind) == ("active", "restored")
    orgs = cat.conn.execute(
        "SELECT sum(active), sum(withdrawn) FROM organizations WHERE source_id = 'medan'"
    ).fetchone()
    assert orgs == (10, 0)


def test_outage_with_empty_list_withdraws_nothing(cat: Catalogue, clock: FakeClock) -> None:
    _harvest(cat, range(100))
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        pass  # the source returned an empty list
    outcome = cat.withdraw_missing(
        job, "medan", writer.seen, grace_days=0, max_fraction=0.2, now=clock.now
    )
    assert outcome.blocked
    assert outcome.withdrawn == []
    assert len(outcome.held) == 100
    assert outcome.reason is not None
    assert "100 of 100" in outcome.reason
    assert "20%" in outcome.reason
    info = cat.finish_job(job, "finished")
    assert info.notes == outcome.reason
    assert cat.stats().active == 100
    # within the grace period the same outage is only pending
    job = cat.start_job("medan", full=True)
    outcome = cat.withdraw_missing(job, "medan", set(), grace_days=7, max_fraction=0.2)
    assert (outcome.blocked, len(outcome.pending), outcome.withdrawn) == (False, 100, [])
    cat.finish_job(job, "finished")
    # a smaller loss within the limit goes through
    job = cat.start_job("medan", full=True)
    seen = {f"remote-{i}" for i in range(80)}
    outcome = cat.withdraw_missing(job, "medan", seen, grace_days=0, max_fraction=0.2)
    assert (outcome.blocked, len(outcome.withdrawn)) == (False, 20)
    cat.finish_job(job, "finished")


def test_only_a_complete_pass_withdraws(cat: Catalogue) -> None:
    _harvest(cat, range(3))
    job = cat.start_job("medan", full=False)
    with pytest.raises(CatalogueError, match="complete pass"):
        cat.withdraw_missing(job, "medan", set(), grace_days=0, max_fraction=1.0)
    cat.finish_job(job, "failed", error="x")


# ------------------------------------------------------------------------ jobs


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_interrupt_stale_jobs(cat: Catalogue, clock: FakeClock) -> None:
    dead = cat.start_job("medan", full=True)
    cat.conn.execute("UPDATE harvest_jobs SET pid = ? WHERE id = ?", (_dead_pid(), dead))
    alive = cat.start_job("medan", full=True)  # this process
    foreign = cat.start_job("medan", full=True)
    cat.conn.execute(
        "UPDATE harvest_jobs SET hostname = 'another-host', pid = 1 WHERE id = ?", (foreign,)
    )
    clock.advance(minutes=5)
    assert cat.interrupt_stale_jobs() == [dead]
    assert cat.interrupt_stale_jobs() == []
    jobs = {j.id: j for j in cat.list_jobs()}
    assert jobs[dead].status == "interrupted"
    assert jobs[dead].seconds == 300.0
    assert "ended before finishing" in (jobs[dead].error or "")
    assert socket.gethostname() in (jobs[dead].error or "")
    assert jobs[alive].status == "running"
    assert jobs[foreign].status == "running"
    assert cat.last_successful_job("medan") is None
    cat.finish_job(alive, "finished")
    last = cat.last_successful_job("medan")
    assert last is not None
    assert last.id == alive


def test_finish_job_validates(cat: Catalogue) -> None:
    job = cat.start_job("medan", full=True)
    with pytest.raises(ValueError, match="ends as one of"):
        cat.finish_job(job, "running")
    with pytest.raises(ValueError, match="must be an int"):
        cat.finish_job(job, "finished", {"added": "3"})  # type: ignore[dict-item]
    info = cat.finish_job(job, "failed", {"added": 0, "pages": 2}, error="source unreachable")
    assert (info.status, info.error, info.counters["pages"]) == (
        "failed",
        "source unreachable",
        2,
    )
    assert info.finished_at is not None
    assert info.finished_at.endswith("Z")


def test_prune_removes_old_jobs_and_events_but_no_dataset(cat: Catalogue, clock: FakeClock) -> None:
    _harvest(cat, range(5))
    old_running = cat.start_job("medan", full=True)
    clock.advance(days=100)
    recent = _harvest(cat, range(3, 8))
    result = cat.prune(dt.timedelta(days=90), vacuum=True)
    assert (result.jobs, result.events, result.vacuumed) == (1, 5, True)
    assert result.cutoff == "2026-05-11T02:00:00.000Z"
    assert {j.id for j in cat.list_jobs()} == {old_running, recent}
    assert cat.conn.execute("SELECT count(*) FROM harvest_events").fetchone()[0] == 3
    assert cat.conn.execute("SELECT count(*) FROM datasets").fetchone()[0] == 8
    assert cat.prune(dt.timedelta(days=90)).jobs == 0


# --------------------------------------------------------------------- queries


def test_search(cat: Catalogue) -> None:
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        for i, (title, org) in enumerate(
            [
                ("Jumlah Penduduk menurut Kecamatan", "Dinas Kependudukan"),
                ("Angka Partisipasi Sekolah", "Dinas Pendidikan"),
                ("Panjang Jalan Kota", "Dinas Pekerjaan Umum"),
            ]
        ):
            record = _record(i, title=title, organization=org, notes="", tags=[f"tag{i}"])
            writer.put(f"r{i}", record, _result(record))
    cat.finish_job(job, "finished")
    assert [d.title for d in cat.search("penduduk")] == ["Jumlah Penduduk menurut Kecamatan"]
    assert [d.remote_id for d in cat.search("sekolah pendidikan")] == ["r1"]
    assert {d.remote_id for d in cat.search("pend*")} == {"r0", "r1"}
    assert [d.remote_id for d in cat.search("tag2")] == ["r2"]
    assert [d.remote_id for d in cat.search("jalan", source_ids=["medan"])] == ["r2"]
    for awkward in ['"unbalanced', "a* -b", "NOT", "(jalan", "jalan OR", "kota:", "-", "'"]:
        try:
            hits = cat.search(awkward)
        except CatalogueError as exc:
            assert "no word" in str(exc)
        else:
            assert isinstance(hits, list)
    assert [d.remote_id for d in cat.search('"jalan')] == ["r2"]
    assert [d.remote_id for d in cat.search("panjang-jalan")] == ["r2"]
    with pytest.raises(CatalogueError, match="no word"):
        cat.search('  "" * -  ')
    # after a hand edit of an indexed column, a rebuild makes the index match again
    cat.conn.execute("UPDATE datasets SET title = 'Luas Taman Kota' WHERE remote_id = 'r2'")
    cat.rebuild_search_index()
    assert [d.remote_id for d in cat.search("taman")] == ["r2"]


def test_get_dataset_by_id_name_and_remote_id(cat: Catalogue) -> None:
    cat.upsert_source("deli", "Deli Serdang", "ckan", "https://deli.example", "h2")
    _harvest(cat, range(2))
    job = cat.start_job("deli", full=True)
    with cat.writer(job) as writer:
        _put(writer, 1)  # same name and remote id as in medan
    cat.finish_job(job, "finished")
    first = cat.get_dataset("dataset-0")
    assert first is not None
    assert first.record == _record(0)
    assert first.resources[0].url == "https://data.example.go.id/0.csv"
    assert first.content_hash == content_hash(_record(0))
    by_id = cat.get_dataset(first.dataset.id)
    assert by_id is not None
    assert by_id.dataset == first.dataset
    assert cat.get_dataset(str(first.dataset.id)) is not None
    deli = cat.get_dataset("deli:remote-1")
    assert deli is not None
    assert deli.dataset.source_id == "deli"
    with pytest.raises(CatalogueError, match="2 datasets have the name 'dataset-1'"):
        cat.get_dataset("dataset-1")
    assert cat.get_dataset("remote-0") is not None
    assert cat.get_dataset("nothing") is None
    assert cat.get_dataset(12345) is None


def test_listing_stats_jobs_and_sources(cat: Catalogue) -> None:
    cat.upsert_source("kosong", "Sumber kosong", "directory", "/data", None)
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        for i in range(5):
            _put(writer, i, *([ERROR] if i < 2 else []))
    cat.finish_job(job, "finished")
    page = cat.list_datasets(["medan"], limit=2, offset=2)
    assert [d.name for d in page] == ["dataset-2", "dataset-3"]
    assert cat.list_datasets(["kosong"]) == []
    stats = cat.stats()
    assert (stats.active, stats.withdrawn, stats.valid, stats.invalid, stats.jobs) == (
        5,
        0,
        3,
        2,
        1,
    )
    by_source = {s.source_id: s for s in stats.sources}
    assert by_source["medan"].organizations == 3
    assert by_source["medan"].last_job is not None
    assert by_source["medan"].last_job.added == 5
    assert by_source["kosong"].active == 0
    assert by_source["kosong"].last_job is None
    assert [s.id for s in cat.list_sources()] == ["kosong", "medan"]
    assert [j.source_id for j in cat.list_jobs(source_id="medan")] == ["medan"]
    assert cat.list_jobs(source_id="kosong") == []
    detail = cat.get_job(job, events_limit=3)
    assert detail is not None
    assert [e.kind for e in detail.events] == ["added"] * 3
    assert cat.get_job(999) is None
    records = list(cat.iter_records(["medan"]))
    assert len(records) == 5
    assert records[0][1] == _record(0)
    orgs = cat.conn.execute(
        "SELECT name, active, valid, invalid FROM organizations ORDER BY name"
    ).fetchall()
    assert orgs == [
        ("Dinas Kesehatan 0", 2, 1, 1),
        ("Dinas Kesehatan 1", 2, 1, 1),
        ("Dinas Kesehatan 2", 1, 1, 0),
    ]


def test_upsert_source_updates_description(cat: Catalogue, clock: FakeClock) -> None:
    before = cat.list_sources()[0]
    clock.advance(days=1)
    cat.upsert_source("medan", "Portal Data Medan", "ckan", "https://data.example", "h1")
    assert cat.list_sources()[0] == before
    cat.upsert_source("medan", "Portal Satu Data Medan", "ckan", "https://data.example", "h2")
    after = cat.list_sources()[0]
    assert (after.title, after.created_at, after.updated_at) == (
        "Portal Satu Data Medan",
        before.created_at,
        "2026-05-02T02:00:00.000Z",
    )


# ---------------------------------------------------------------- kill -9


_CHILD = textwrap.dedent(
    """
    import sys
    from satudata_cli.catalogue import Catalogue
    from satudata_cli.standard.findings import RecordResult

    cat = Catalogue.open(sys.argv[1])
    cat.upsert_source("medan", "Medan", "ckan", "https://x", None)
    job = cat.start_job("medan", full=True)
    with cat.writer(job, batch_size=100) as writer:
        i = 0
        while True:
            record = {"name": f"d{i}", "title": f"Judul {i}", "notes": "x" * 500}
            writer.put(f"r{i}", record, RecordResult("t", f"d{i}", i, normalized=record))
            i += 1
    """
)


# ---------------------------------------------------- methods for other packages


def test_dataset_states_for_the_dry_run(cat: Catalogue) -> None:
    _harvest(cat, range(3))
    cat.conn.execute("UPDATE datasets SET status = 'withdrawn', withdrawn_at = 'x' WHERE id = 3")
    states = cat.dataset_states("medan")
    assert sorted(states) == ["remote-0", "remote-1", "remote-2"]
    assert states["remote-0"] == DatasetState(content_hash(_record(0)), "active")
    assert states["remote-2"].status == "withdrawn"
    assert cat.dataset_states("elsewhere") == {}


def test_report_queries(cat: Catalogue) -> None:
    first_job = _harvest(cat, range(2))
    job = cat.start_job("medan", full=True)
    with cat.writer(job) as writer:
        _put(writer, 0, ERROR)
        _put(writer, 1, WARNING)
        _put(writer, 2)
    cat.finish_job(job, "finished")
    assert cat.source_ids() == ["medan"]
    datasets = list(cat.report_datasets(with_record=True))
    assert [d.remote_id for d in datasets] == ["remote-0", "remote-1", "remote-2"]
    first = datasets[0]
    assert (first.source_id, first.name, first.organization) == (
        "medan",
        "dataset-0",
        "Dinas Kesehatan 0",
    )
    assert (first.valid, first.errors, first.warnings) == (False, 1, 0)
    assert first.record == _record(0)
    assert isinstance(first.score, float)
    assert datasets[2].valid and datasets[2].score > first.score
    assert [d.record for d in cat.report_datasets(["medan"], with_record=False)] == [None] * 3
    assert list(cat.report_datasets(["elsewhere"], with_record=False)) == []
    ids = {d.remote_id: d.id for d in datasets}
    findings = sorted(cat.failing_findings())
    assert findings == [
        (ids["remote-0"], "field.required", "error"),
        (ids["remote-1"], "field.recommended", "warning"),
    ]
    assert findings[0].rule == "field.required"
    snapshots = cat.previous_snapshots()
    assert {s.job_id for s in snapshots} == {first_job}
    assert sum(s.datasets for s in snapshots) == 2
    assert cat.previous_snapshots(["elsewhere"]) == []


def test_publish_state_is_handed_out_by_the_catalogue(cat: Catalogue) -> None:
    _harvest(cat, range(1))
    state = cat.publish_state("portal")
    assert isinstance(state, PublishState)
    assert state.rows() == {}
    state.save(
        1, remote_id="ckan-1", remote_name="a", published_hash="h", published=True,
        withdrawn=None, error=None,
    )  # fmt: skip
    row = cat.publish_state("portal").rows()[1]
    assert row == StateRow(1, "ckan-1", "a", "h", row.published_at, None, None)
    assert row.published_at is not None and row.published_at.endswith("Z")
    assert cat.publish_state("other").rows() == {}
    state.forget([1])
    assert state.rows() == {}


def test_rows_are_read_by_name(cat: Catalogue) -> None:
    row = named(cat.conn, "SELECT 1 AS one, 'x' AS ex").fetchone()
    assert (row["one"], row["ex"]) == (1, "x")
    assert scalar(cat.conn, "SELECT count(*) FROM sources") == 1
    assert scalar(cat.conn, "SELECT id FROM sources WHERE id = 'none'") is None
    assert scalars(cat.conn, "SELECT id FROM sources") == ["medan"]
    with pytest.raises(ValueError, match="one column"):
        scalar(cat.conn, "SELECT id, title FROM sources")
    # the connection itself still returns tuples (for sqlite-utils and a look by hand)
    assert cat.conn.execute("SELECT id, title FROM sources").fetchone() == (
        "medan",
        "Portal Data Medan",
    )


def test_the_writer_stores_every_column_of_datasets(cat: Catalogue) -> None:
    columns = {row["name"] for row in named(cat.conn, "PRAGMA table_info(datasets)")}
    assert columns == set(DatasetRow._fields)


def test_kill_9_mid_harvest_leaves_a_sound_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "satudata.db"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)])
    try:
        deadline = time.monotonic() + 15
        stored = 0
        while time.monotonic() < deadline and stored < 1000:
            time.sleep(0.05)
            if path.exists():
                probe = sqlite3.connect(path, timeout=5)
                try:
                    stored = probe.execute(
                        "SELECT coalesce(sum(added), 0) FROM harvest_jobs"
                    ).fetchone()[0]
                except sqlite3.OperationalError:
                    stored = 0  # tables not created yet
                finally:
                    probe.close()
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert stored >= 1000
    with Catalogue.open(path) as cat:
        _sound(cat)
        count = cat.conn.execute("SELECT count(*) FROM datasets").fetchone()[0]
        assert count % 100 == 0  # whole batches only
        assert count == cat.list_jobs()[0].added
        assert cat.interrupt_stale_jobs() == [cat.list_jobs()[0].id]


# ------------------------------------------------------------ measurement


def test_store_rate_measurement(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not a timed assertion: prints the store rates (see them with ``pytest -s``)."""
    n = 20_000
    records = [_record(i, notes=f"Catatan dataset nomor {i} " * 8) for i in range(n)]
    results = [_result(r, WARNING) if i % 3 == 0 else _result(r) for i, r in enumerate(records)]
    with Catalogue.open(tmp_path / "rate.db") as cat:
        cat.upsert_source("medan", "Medan", "ckan", "https://x", None)
        rates = []
        for _ in range(2):
            job = cat.start_job("medan", full=True)
            started = time.perf_counter()
            with cat.writer(job) as writer:
                for i in range(n):
                    writer.put(f"remote-{i}", records[i], results[i])
            rates.append(n / (time.perf_counter() - started))
            cat.finish_job(job, "finished")
        jobs = cat.list_jobs(2)
        assert (jobs[1].added, jobs[0].unchanged) == (n, n)
        _sound(cat)
    with capsys.disabled():
        print(
            f"\ncatalogue store rate: {rates[0]:,.0f} new records/s, "
            f"{rates[1]:,.0f} unchanged records/s ({n:,} records)"
        )
