"""The harvest's write process (satudata_cli/catalogue/batches.py), with real processes.

A background writer hands each full batch to a process of its own that writes it while
the harvest goes on. These tests hold it to what the in-line writer promises: the same
rows, a failure that fails the job and keeps earlier batches, a handed-over batch kept
when the job stops, nothing of a batch whose harvest was killed, and writing in line
when no process can be started.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.catalogue import batches
from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.errors import CatalogueError
from satudata_cli.catalogue.writer import JobWriter
from satudata_cli.pipeline.harvest import make_validator
from satudata_cli.standard.schema import load_standard
from satudata_cli.standard.validator import Validator

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)
TABLES = ("datasets", "resources", "validation_findings", "harvest_events")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@functools.cache
def _validator() -> Validator:
    return make_validator(load_standard(), "sdi-dasar", T0.date())


def _record(i: int, variant: int = 0) -> dict[str, Any]:
    """A record with a bit of everything a column is made from (objects, lists, numbers,
    a date object, text beyond ASCII, resources of several shapes)."""
    record: dict[str, Any] = {
        "name": f"data-{i}",
        "title": f"Jumlah Penduduk Kecamatan {i} (versi {variant})" if i % 3 else None,
        "organization": {"title": "Dinas Kesehatan", "name": "dinkes"} if i % 2 else "Dinas Y",
        "produsen_data": "Dinas Komunikasi dan Informatika",
        "jadwal_pemutakhiran": "tahunan" if i % 4 else "bulanan",
        "tanggal_diperbarui": dt.date(2025, 1, 1 + i % 9) if i % 7 == 0 else "2025-02-01",
        "klasifikasi_akses": "terbuka",
        "kode_wilayah": "12.71",
        "tags": ["kependudukan", {"name": "statistik"}, i] if i % 5 else "tunggal",
        "notes": "catatan ünicode ✓" if i % 2 else 12.5,
        "pilar": "sektoral" if i % 3 else 7,
        "resources": [
            {"name": "CSV", "url": f"https://data.example.go.id/{i}.csv", "size": 1.5e-7},
            "lepas",
            {"description": None},
        ]
        if i % 6
        else None,
    }
    if variant:
        record["versi"] = variant
    return record


def _run_jobs(path: Path, *, background: bool, batch_size: int = 7) -> int:
    """Three jobs over 60 records: all added; some updated, some missing (withdrawn);
    the missing ones back (restored), some errored. Returns how many write processes ran."""
    started = 0
    real = batches.BatchProcess

    class Counting(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any) -> None:
            nonlocal started
            started += 1
            super().__init__(*args)

    clock = Clock()
    validator = _validator()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("satudata_cli.catalogue.writer.BatchProcess", Counting)
        with Catalogue.open(path, clock=clock) as cat:
            cat.upsert_source("medan", "Portal Data Medan", "ckan", "https://data.example", "h")
            for round_ in range(3):
                clock.now += dt.timedelta(days=1)
                job = cat.start_job("medan", full=True)
                with cat.writer(job, batch_size=batch_size, background=background) as writer:
                    for i in range(60):
                        if round_ == 1 and i % 10 == 3:
                            continue  # missing this time
                        if round_ == 2 and i % 17 == 5:
                            writer.error(f"r{i}", "could not be read")
                            continue
                        record = _record(i, variant=int(i % 4 == round_))
                        result = validator.validate(record, source="medan")
                        writer.put(
                            f"r{i}",
                            result.normalized or record,
                            result,
                            remote_modified="2025-01-01T00:00:00Z",
                            input_hash=f"in-{i}-{round_}",
                        )
                    writer.error(None, "page 3 could not be read")
                if round_ == 1:
                    cat.withdraw_missing(job, "medan", writer.seen, grace_days=0, max_fraction=1)
                cat.finish_job(job, "finished")
    return started


def _dump(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    dump: dict[str, Any] = {
        table: [dict(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
        for table in TABLES
    }
    dump["jobs"] = [
        {k: row[k] for k in ("added", "updated", "unchanged", "restored", "errored", "withdrawn")}
        for row in conn.execute("SELECT * FROM harvest_jobs ORDER BY id")
    ]
    dump["search"] = [dict(row) for row in conn.execute("SELECT rowid, * FROM datasets_fts")]
    conn.execute("INSERT INTO datasets_fts (datasets_fts, rank) VALUES ('integrity-check', 1)")
    assert [tuple(row) for row in conn.execute("PRAGMA integrity_check")] == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    return dump


def test_the_write_process_writes_what_the_writer_writes_in_line(tmp_path: Path) -> None:
    assert _run_jobs(tmp_path / "in-line.db", background=False) == 0
    assert _run_jobs(tmp_path / "process.db", background=True) == 3  # one per job
    in_line, process = _dump(tmp_path / "in-line.db"), _dump(tmp_path / "process.db")
    assert process == in_line
    kinds = {event["kind"] for event in in_line["harvest_events"]}
    assert kinds == {"added", "updated", "withdrawn", "restored", "errored"}
    # a date object of the record is its ISO text in the column, as in the stored record
    dated = next(row for row in in_line["datasets"] if row["remote_id"] == "r7")
    assert dated["tanggal_diperbarui"] == "2025-01-08"
    assert json.loads(dated["record"])["tanggal_diperbarui"] == "2025-01-08"


def test_a_small_job_needs_no_process(tmp_path: Path) -> None:
    assert _run_jobs(tmp_path / "small.db", background=True, batch_size=500) == 0


@pytest.fixture
def cat(tmp_path: Path) -> Iterator[Catalogue]:
    catalogue = Catalogue.open(tmp_path / "satudata.db", clock=Clock())
    catalogue.upsert_source("medan", "Portal Data Medan", "ckan", "https://data.example", "h")
    yield catalogue
    catalogue.close()


def _put(writer: JobWriter, i: int, **extra: Any) -> None:
    record = {**_record(i), **extra}
    result = _validator().validate(record, source="medan")
    writer.put(f"r{i}", result.normalized or record, result)


def _stored(cat: Catalogue) -> int:
    stats = cat.stats()
    return stats.active + stats.withdrawn


def test_a_failure_in_the_write_process_fails_the_job_and_keeps_earlier_batches(
    cat: Catalogue,
) -> None:
    cat.conn.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON resources WHEN NEW.url = 'https://boom' "
        "BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"
    )
    job = cat.start_job("medan", full=True)
    writer = cat.writer(job, batch_size=5, background=True)
    with pytest.raises(CatalogueError, match="the disk said no"), writer:
        for i in range(5):
            _put(writer, i)  # the first batch: written by the process
        for i in range(5, 10):
            _put(writer, i, resources=[{"url": "https://boom"}] if i == 7 else [])
        for i in range(10, 12):
            _put(writer, i)  # the failure of the second batch is raised here
    assert _stored(cat) == 5
    cat.finish_job(job, "failed", error="stopped")
    assert cat.integrity_check() == ["ok"]


def test_a_batch_handed_over_stays_when_the_job_stops(cat: Catalogue) -> None:
    job = cat.start_job("medan", full=True)
    writer = cat.writer(job, batch_size=5, background=True)
    with pytest.raises(KeyboardInterrupt), writer:
        for i in range(7):
            _put(writer, i)  # five handed over, two in the open batch
        raise KeyboardInterrupt
    assert _stored(cat) == 5  # the handed-over batch, as a flushed one; the open one is gone
    info = cat.finish_job(job, "interrupted", error="interrupted")
    assert info.added == 5


def test_writes_in_line_when_no_process_can_be_started(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batches.sys, "executable", "/nonexistent/python")
    job = cat.start_job("medan", full=True)
    with cat.writer(job, batch_size=5, background=True) as writer:
        for i in range(12):
            _put(writer, i)
        assert writer._process is None
    assert _stored(cat) == 12


_KILLED_HARVEST = """
import os, signal, sys, datetime as dt
sys.path.insert(0, {root!r})
from satudata_cli.catalogue.db import Catalogue
from satudata_cli.pipeline.harvest import make_validator
from satudata_cli.standard.schema import load_standard
from satudata_cli.standard.validator import Validator
validator = make_validator(load_standard(), "sdi-dasar", dt.date(2026, 5, 1))
cat = Catalogue.open({path!r})
cat.upsert_source("medan", "Portal Data Medan", "ckan", "https://data.example", "h")
job = cat.start_job("medan", full=True)
writer = cat.writer(job, batch_size=3000, background=True)
for i in range(3000):
    record = {{"name": f"data-{{i}}", "title": f"Data {{i}}", "notes": "x" * 2000}}
    result = validator.validate(record, source="medan")
    writer.put(f"r{{i}}", result.normalized or record, result)
print(writer._process._proc.pid, flush=True)  # handed over: the process writes it now
os.kill(os.getpid(), signal.SIGKILL)
"""


def _gone(pid: int, seconds: float) -> bool:
    """Whether the process ended (a zombie nobody reaps has ended too)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.02)
    return False


def test_a_killed_harvest_leaves_nothing_of_the_batch_it_handed_over(tmp_path: Path) -> None:
    path = tmp_path / "satudata.db"
    script = _KILLED_HARVEST.format(root=str(ROOT), path=str(path))
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    child = int(run.stdout.strip())
    assert _gone(child, 30), "the write process outlived its harvest"
    with Catalogue.open(path) as cat:
        assert cat.interrupt_stale_jobs() != []
        assert _stored(cat) == 0  # rolled back: its harvest was gone before COMMIT
        assert cat.integrity_check() == ["ok"]
