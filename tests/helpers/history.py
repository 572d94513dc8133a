"""A generated history of daily harvest jobs with known answers, for the tests and the
benchmark of ``report trend`` and ``report changes``.

:func:`make_year` writes a catalogue through the real catalogue code paths: one job a
day (``start_job``, the :class:`JobWriter`, ``withdraw_missing``, ``finish_job`` and so
the real compliance and freshness snapshots and retention), with the verdicts of the
real validator (pinned to the last day, so that no date of the year is "in the future"
and a record's verdict changes only when the generator changes the record). Its
agencies, each with :data:`PER_AGENCY` datasets of one source:

- :data:`IMPROVES`: every dataset lacks ``kontak`` (a warning) at first; one more is
  fixed every ``step`` days, so its share fully compliant goes 0 -> 1;
- :data:`WORSENS`: complete at first; one more loses ``kontak`` every ``step`` days
  (1 -> 0), and it adds a dataset on day ``add_day``;
- :data:`STOPS`: ``bulanan`` (31 days); updated (``tanggal_diperbarui`` moved on) every
  30 days until ``stop_day``, never after: on time until 31 days after its last
  update, then every dataset overdue;
- :data:`RENAMED_OLD` becomes :data:`RENAMED_NEW` on ``rename_day`` (every record's
  ``organization`` changes);
- ``extra`` steady agencies ("Dinas 05 Kota Medan", ...), complete and on time;
- one more dataset of :data:`IMPROVES` (complete) disappears from the source on
  ``withdraw_day`` (withdrawn at once) and comes back on ``restore_day``.

:func:`make_bulk` is the benchmark's catalogue (60 agencies, 20,000 datasets, 365
days): the datasets are stored once through the real writer, the daily jobs, their
compliance and freshness snapshots and 1 % of the datasets updated a day as events
are inserted directly (the real path costs ~1 s a job at that size; the rows have the
shapes the real code writes).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from satudata_cli.catalogue import Catalogue
from satudata_cli.catalogue.hashing import canonical_json
from satudata_cli.catalogue.timestamps import to_iso
from satudata_cli.standard.findings import RecordResult
from satudata_cli.standard.scoring import FORMULA_VERSION
from satudata_cli.standard.validator import Validator
from tests.helpers.records import make_record

SOURCE = "medan"
START = date(2025, 12, 1)
JOB_HOUR = time(19, 0)  # 02:00 WIB
PER_AGENCY = 5

IMPROVES = "Dinas Kesehatan Kota Medan"
WORSENS = "Bappeda Kota Medan"
STOPS = "Dinas Pendidikan Kota Medan"
RENAMED_OLD = "Dinas Komunikasi dan Informatika Kota Medan"
RENAMED_NEW = "Dinas Kominfo Kota Medan"
WITHDRAWN_ID = "dinkes-extra"
ADDED_ID = "bappeda-baru"


class Clock:
    """The catalogue's clock, moved by the generator."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Year:
    """What :func:`make_year` made, and when each scripted change happened (day numbers
    from 0, the first job's day)."""

    path: Path
    days: int
    extra: int
    step: int
    stop_day: int
    rename_day: int
    withdraw_day: int
    restore_day: int
    add_day: int
    jobs: list[int] = field(default_factory=list)  # the job id of each day

    def day(self, i: int) -> date:
        return START + timedelta(days=i)

    def job_time(self, i: int) -> datetime:
        return datetime.combine(self.day(i), JOB_HOUR, tzinfo=UTC)

    @property
    def last_day(self) -> date:
        return self.day(self.days - 1)

    @property
    def extra_names(self) -> list[str]:
        return [f"Dinas {n:02d} Kota Medan" for n in range(5, 5 + self.extra)]

    def last_update_of_stops(self) -> int:
        """The day of the last update of :data:`STOPS`."""
        return 30 * ((self.stop_day - 1) // 30)


def medan_record(remote: str, organization: str, **extra: Any) -> dict[str, Any]:
    """A record of a Kota Medan agency named by its remote id (title, links from it)."""
    record = make_record(0, organization=organization, produsen_data=organization, **extra)
    record["name"] = remote
    record["title"] = f"Data {remote.replace('-', ' ').title()} Kota Medan"
    record["link_akses"] = f"https://data.pemkomedan.go.id/dataset/{remote}"
    record["resources"][0]["url"] = f"https://data.pemkomedan.go.id/files/{remote}.csv"
    return record


def _records_of_day(year: Year, i: int) -> Iterator[tuple[str, dict[str, Any]]]:
    start = year.day(0).isoformat()
    annual = {"jadwal_pemutakhiran": "tahunan", "tanggal_diperbarui": start}
    for k in range(PER_AGENCY):
        record = medan_record(f"dinkes-{k}", IMPROVES, **annual)
        if i < year.step * (k + 1):
            del record["kontak"]
        yield f"dinkes-{k}", record
        record = medan_record(f"bappeda-{k}", WORSENS, **annual)
        if i >= year.step * (k + 1):
            del record["kontak"]
        yield f"bappeda-{k}", record
        updated = year.day(30 * (min(i, year.stop_day - 1) // 30)).isoformat()
        yield (
            f"disdik-{k}",
            medan_record(
                f"disdik-{k}", STOPS, jadwal_pemutakhiran="bulanan", tanggal_diperbarui=updated
            ),
        )
        name = RENAMED_OLD if i < year.rename_day else RENAMED_NEW
        yield f"kominfo-{k}", medan_record(f"kominfo-{k}", name, **annual)
        for n, agency in enumerate(year.extra_names):
            yield f"dinas{n + 5:02d}-{k}", medan_record(f"dinas{n + 5:02d}-{k}", agency, **annual)
    if not year.withdraw_day <= i < year.restore_day:
        yield WITHDRAWN_ID, medan_record(WITHDRAWN_ID, IMPROVES, **annual)
    if i >= year.add_day:
        yield ADDED_ID, medan_record(ADDED_ID, WORSENS, **annual)


def make_year(path: Path, *, days: int = 365, extra: int = 0) -> Year:
    """A catalogue at ``path`` with ``days`` daily jobs (see the module docstring)."""
    step = days // 6
    year = Year(
        path=path,
        days=days,
        extra=extra,
        step=step,
        stop_day=days // 2,
        rename_day=2 * days // 3,
        withdraw_day=days - 20,
        restore_day=days - 10,
        add_day=days - 5,
    )
    validator = Validator(today=year.last_day)
    verdicts: dict[str, RecordResult] = {}
    clock = Clock(year.job_time(0))
    with Catalogue.open(path, clock=clock) as cat:
        cat.upsert_source(SOURCE, "Kota Medan", "directory", "data", None)
        for i in range(days):
            clock.now = year.job_time(i)
            job = cat.start_job(SOURCE, full=True)
            with cat.writer(job) as writer:
                for remote, record in _records_of_day(year, i):
                    text = canonical_json(record)
                    result = verdicts.get(text)
                    if result is None:
                        result = verdicts[text] = validator.validate(record)
                    writer.put(remote, result.normalized, result)
                seen = writer.seen
            cat.withdraw_missing(job, SOURCE, seen, grace_days=0, max_fraction=0.5)
            clock.now += timedelta(seconds=30)
            cat.finish_job(job, "finished")
            year.jobs.append(job)
    return year


# ------------------------------------------------------------------- bulk


@dataclass
class Bulk:
    path: Path
    agencies: int
    datasets: int
    days: int
    size_after_datasets: int  # bytes once the datasets are stored
    size_after_history: int  # bytes with the history of every day


def _bulk_record(n: int, agency: str, complete: bool) -> dict[str, Any]:
    record = medan_record(f"dataset-{n}", agency, jadwal_pemutakhiran="tahunan")
    if not complete:
        del record["kontak"]
    return record


def make_bulk(path: Path, *, agencies: int = 60, datasets: int = 20_000, days: int = 365) -> Bulk:
    """The benchmark's catalogue: see the module docstring. Agency ``a`` improves (its
    share compliant rises over the year) when ``a`` is even and worsens when odd."""
    rng = random.Random(14)
    names = [f"Perangkat Daerah {a:02d} Kota Medan" for a in range(agencies)]
    first = datetime.combine(START, JOB_HOUR, tzinfo=UTC)
    clock = Clock(first - timedelta(days=1))
    validator = Validator(today=START + timedelta(days=days))
    templates = {
        (a, ok): validator.validate(_bulk_record(0, names[a], ok))
        for a in range(agencies)
        for ok in (True, False)
    }
    with Catalogue.open(path, clock=clock) as cat:
        cat.upsert_source(SOURCE, "Kota Medan", "directory", "data", None)
        job = cat.start_job(SOURCE, full=True)
        with cat.writer(job) as writer:
            for n in range(datasets):
                a = n % agencies
                ok = rng.random() < 0.5
                record = _bulk_record(n, names[a], ok)
                verdict = templates[(a, ok)]
                record = {**verdict.normalized, **{k: record[k] for k in ("name", "title")}}
                writer.put(f"dataset-{n}", record, verdict)
        cat.finish_job(job, "finished")
        cat.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_before = path.stat().st_size
        base = {
            row[0]: row[1:]
            for row in cat.conn.execute(
                "SELECT organization, datasets, valid, compliant, score_sum "
                "FROM compliance_snapshots WHERE job_id = ?",
                (job,),
            )
        }
        conn = cat.conn
        conn.execute("BEGIN")
        next_job = job + 1
        for day in range(days):
            started = first + timedelta(days=day)
            finished = started + timedelta(seconds=40)
            at = to_iso(finished)
            conn.execute(
                "INSERT INTO harvest_jobs (id, source_id, status, full, started_at, finished_at, "
                "seconds, updated, unchanged) VALUES (?, ?, 'finished', 1, ?, ?, 40.0, ?, ?)",
                (
                    next_job,
                    SOURCE,
                    to_iso(started),
                    at,
                    datasets // 100,
                    datasets - datasets // 100,
                ),
            )
            drift = day / max(1, days - 1)
            for a, agency in enumerate(names):
                n, valid, compliant, score_sum = base[agency]
                moved = round((n - compliant if a % 2 == 0 else -compliant) * drift)
                overdue = round(n * drift * 0.5) if a % 3 == 0 else 0
                conn.execute(
                    "INSERT INTO compliance_snapshots (job_id, taken_at, source_id, organization, "
                    "produsen_data, pilar_known, datasets, valid, compliant, score_sum, formula) "
                    "SELECT ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, formula FROM compliance_snapshots "
                    "WHERE job_id = ? LIMIT 1",
                    (
                        next_job,
                        at,
                        SOURCE,
                        agency,
                        agency,
                        n,
                        valid,
                        compliant + moved,
                        score_sum + moved * 5.0,
                        job,
                    ),
                )
                conn.execute(
                    "INSERT INTO freshness_snapshots (job_id, taken_at, source_id, organization, "
                    "produsen_data, pilar_known, datasets, on_time, overdue, unknown_frequency) "
                    "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, 0)",
                    (next_job, at, SOURCE, agency, agency, n, n - overdue, overdue),
                )
            conn.executemany(
                "INSERT INTO harvest_events (job_id, dataset_id, remote_id, kind, message, at, "
                "fields, findings_new, findings_fixed) VALUES (?, ?, ?, 'updated', ?, ?, ?, 0, 0)",
                [
                    (
                        next_job,
                        d + 1,
                        f"dataset-{d}",
                        "changed: notes, tanggal_diperbarui",
                        at,
                        json.dumps(["notes", "tanggal_diperbarui"]),
                    )
                    for d in rng.sample(range(datasets), datasets // 100)
                ],
            )
            next_job += 1
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_after = path.stat().st_size
    return Bulk(path, agencies, datasets, days, size_before, size_after)


# ------------------------------------------------------------------ decade


def insert_snapshots(
    cat: Catalogue, times: list[datetime], agencies: list[str], *, first_job: int = 1
) -> None:
    """One compliance and one freshness snapshot row per time and agency (job ids from
    ``first_job``; no pillar, as the real code writes it since schema version 8),
    inserted directly: ten years of jobs through the real writer take
    minutes, and the retention reads only these two tables."""
    conn = cat.conn
    conn.execute("BEGIN")
    for j, moment in enumerate(times, start=first_job):
        at = to_iso(moment)
        conn.executemany(
            "INSERT INTO compliance_snapshots (job_id, taken_at, source_id, organization, "
            "produsen_data, pilar_known, datasets, valid, compliant, score_sum, formula) "
            "VALUES (?, ?, ?, ?, ?, 1, 3, 3, 2, 290.0, ?)",
            [(j, at, SOURCE, agency, agency, FORMULA_VERSION) for agency in agencies],
        )
        conn.executemany(
            "INSERT INTO freshness_snapshots (job_id, taken_at, source_id, organization, "
            "produsen_data, pilar_known, datasets, on_time, overdue, unknown_frequency) "
            "VALUES (?, ?, ?, ?, ?, 1, 3, 2, 1, 0)",
            [(j, at, SOURCE, agency, agency) for agency in agencies],
        )
    conn.execute("COMMIT")


def twice_daily(first: date, days: int) -> list[datetime]:
    """07:00 and 19:00 UTC of each of ``days`` days from ``first``."""
    return [
        datetime.combine(first + timedelta(days=d), time(hour), tzinfo=UTC)
        for d in range(days)
        for hour in (7, 19)
    ]
