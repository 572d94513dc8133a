"""Schedules that recover: when a source is due (pipeline/harvest.py: next_due, is_due).

The rules are checked on their own with hand-made histories, then as a month of hourly
cron runs under a fake clock: the harvester stamps its jobs with that clock, and each
tick selects the due sources exactly as ``satudata harvest`` without ids does.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.models import JobInfo, JobStatus, SourceRuns
from satudata_cli.core.configfile import ConfigError
from satudata_cli.pipeline.harvest import (
    SCHEDULE_PERIOD,
    Harvester,
    due_sources,
    failed_sources,
    is_due,
    next_due,
    read_runs,
    retry_delay,
)
from satudata_cli.sources.config import SourceConfig, load_source, load_sources
from tests.helpers.cli import write_source
from tests.helpers.records import make_record

T0 = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def iso(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def job(started: dt.datetime, status: JobStatus) -> JobInfo:
    return JobInfo(
        id=1,
        source_id="s",
        status=status,
        full=True,
        started_at=iso(started),
        finished_at=None,
        seconds=None,
        added=0,
        updated=0,
        unchanged=0,
        withdrawn=0,
        restored=0,
        errored=0,
        counters={},
        error=None,
        notes=None,
        pid=None,
        hostname=None,
    )


def succeeded(at: dt.datetime) -> SourceRuns:
    return SourceRuns("s", job(at, "finished"), "finished", iso(at), 0)


def failing(last: dt.datetime, failures: int, status: JobStatus = "failed") -> SourceRuns:
    return SourceRuns("s", job(last, status), status, iso(T0 - DAY), failures)


# ------------------------------------------------------------------ the rules


def test_retry_delay_doubles_up_to_the_period() -> None:
    delays = [retry_delay(DAY, HOUR, n) for n in range(1, 8)]
    assert delays == [HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR, DAY, DAY]
    # a retry longer than the period is cut to the period
    assert retry_delay(HOUR, DAY, 1) == HOUR
    # thousands of failures in a row neither loop long nor overflow
    assert retry_delay(SCHEDULE_PERIOD["monthly"], HOUR, 10_000) == dt.timedelta(days=30)


def test_a_source_never_harvested_is_due_at_once() -> None:
    for schedule in ("hourly", "daily", "weekly", "monthly"):
        assert is_due(schedule, None, T0)
        assert next_due(schedule, None, T0) == T0
        empty = SourceRuns("s", None, None, None, 0)
        assert is_due(schedule, empty, T0)


def test_manual_is_never_due() -> None:
    assert not is_due("manual", None, T0)
    assert next_due("manual", None, T0) is None
    assert not is_due("manual", failing(T0 - DAY, 3), T0)


def test_a_successful_source_is_due_a_period_after_its_last_success() -> None:
    runs = succeeded(T0 + dt.timedelta(seconds=3))  # yesterday's cron started at 02:00:03
    assert next_due("daily", runs, T0) == T0 + DAY + dt.timedelta(seconds=3)
    assert not is_due("daily", runs, T0 + DAY - dt.timedelta(minutes=6))
    assert is_due("daily", runs, T0 + DAY)  # on time: a few seconds early is not skipped
    assert not is_due("weekly", runs, T0 + 6 * DAY)
    assert is_due("weekly", runs, T0 + 7 * DAY)


def test_a_failed_source_is_due_after_its_retry_delay_not_its_period() -> None:
    for status in ("failed", "interrupted"):
        runs = failing(T0, 1, status)
        assert next_due("monthly", runs, T0) == T0 + HOUR
        assert not is_due("monthly", runs, T0 + 30 * dt.timedelta(minutes=1))
        assert is_due("monthly", runs, T0 + HOUR), status
    third = failing(T0, 3)
    assert next_due("daily", third, T0) == T0 + 4 * HOUR
    assert next_due("daily", third, T0, retry=dt.timedelta(minutes=10)) == T0 + 40 * (
        dt.timedelta(minutes=1)
    )
    # the slack is a tenth of a short delay, not five minutes of a ten-minute one
    short = failing(T0, 1)
    assert not is_due("hourly", short, T0 + dt.timedelta(minutes=5), dt.timedelta(minutes=10))
    assert is_due("hourly", short, T0 + dt.timedelta(minutes=9), dt.timedelta(minutes=10))


def test_a_job_still_running_makes_the_source_due_a_period_after_its_start() -> None:
    """A live run (a long harvest while the hourly cron comes by): not a failure, so
    the next cron run does not meet its lock every hour."""
    running = SourceRuns("s", job(T0, "running"), "running", iso(T0 - DAY), 0)
    assert not is_due("daily", running, T0 + 3 * HOUR)
    assert next_due("daily", running, T0) == T0 + DAY


def test_an_unreadable_time_means_due() -> None:
    broken = SourceRuns("s", job(T0, "finished"), "finished", "yesterday", 0)
    assert is_due("daily", broken, T0)


def test_schedule_retry_is_read_and_checked(tmp_path: Path) -> None:
    path = write_source(tmp_path, "a", type="directory", path=".", schedule="daily")
    assert load_source(path).retry_delay == HOUR  # the default
    for text, delay in (("30m", dt.timedelta(minutes=30)), ("2h", 2 * HOUR), ("1w", 7 * DAY)):
        path = write_source(tmp_path, "a", type="directory", path=".", schedule_retry=text)
        assert load_source(path).retry_delay == delay
    path = write_source(tmp_path, "a", type="directory", path=".", schedule_retry="1 hour")
    with pytest.raises(ConfigError) as caught:
        load_source(path)
    assert f"{path}:4: schedule_retry:" in str(caught.value)


# ------------------------------------------------------ a month of hourly cron runs


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def test_hourly_cron_retries_a_failing_source_and_recovers(tmp_path: Path) -> None:
    """``0 * * * * satudata harvest``: a daily source that breaks is retried after 1h,
    2h, 4h, ... at most a day; the first success brings it back to once a day. The
    other source keeps its daily run throughout."""
    cfg = tmp_path / "cfg"
    for source_id in ("dinkes", "bappeda"):
        folder = cfg / "data" / source_id
        folder.mkdir(parents=True)
        (folder / "r.json").write_text(json.dumps(make_record(1)), encoding="utf-8")
        write_source(cfg, source_id, type="directory", path=f"data/{source_id}", schedule="daily")
    configs: list[SourceConfig] = load_sources(cfg)
    db = tmp_path / "satudata.db"
    clock = Clock(T0)
    harvested: dict[str, list[tuple[dt.datetime, str]]] = {"dinkes": [], "bappeda": []}

    def cron_tick() -> None:
        selected = due_sources(configs, read_runs(db, configs), clock())
        if selected:
            report = Harvester(db, clock=clock).run(selected)
            for outcome in report.outcomes:
                harvested[outcome.source].append((clock(), outcome.status))

    cron_tick()  # day 0, 02:00: both for the first time
    broken = cfg / "data" / "dinkes-moved"
    (cfg / "data" / "dinkes").rename(broken)  # the agency's share goes away
    for hour in range(1, 24 * 3 + 1):  # three days of hourly ticks
        clock.now = T0 + hour * HOUR
        cron_tick()
    broken.rename(cfg / "data" / "dinkes")  # repaired on day 3 at 02:30
    for hour in range(24 * 3 + 1, 24 * 6 + 1):
        clock.now = T0 + hour * HOUR
        cron_tick()

    at = [(when - T0) / HOUR for when, _ in harvested["dinkes"]]
    statuses = [status for _, status in harvested["dinkes"]]
    # day 1 at 02:00 (a day after the success): fails; then +1, +2, +4, +8, +16, +24 h
    assert at == [0, 24, 25, 27, 31, 39, 55, 79, 103, 127], at
    assert statuses == ["finished", *["failed"] * 6, "finished", "finished", "finished"]
    bappeda = [(when - T0) / HOUR for when, _ in harvested["bappeda"]]
    assert bappeda == [0, 24, 48, 72, 96, 120, 144]
    assert {status for _, status in harvested["bappeda"]} == {"finished"}

    runs = read_runs(db, configs)
    assert runs["dinkes"].failures == 0
    assert runs["dinkes"].last_success == iso(T0 + 127 * HOUR)
    assert next_due("daily", runs["dinkes"], clock()) == T0 + 151 * HOUR


def test_failed_sources_are_those_whose_last_job_did_not_finish(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    (cfg / "data").mkdir(parents=True)
    (cfg / "data" / "r.json").write_text(json.dumps(make_record(1)), encoding="utf-8")
    write_source(cfg, "good", type="directory", path="data")
    write_source(cfg, "bad", type="directory", path="missing")
    write_source(cfg, "new", type="directory", path="data")
    configs = load_sources(cfg)
    db = tmp_path / "satudata.db"
    Harvester(db).run([c for c in configs if c.id != "new"])
    runs = read_runs(db, configs)
    assert runs["bad"].last_status == "failed" and runs["bad"].failures == 1
    assert runs["good"].last_status == "finished" and runs["good"].failures == 0
    assert runs["new"].last_job is None
    assert [c.id for c in failed_sources(configs, runs)] == ["bad"]


def test_a_job_left_running_by_a_gone_process_reads_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "satudata.db"
    with Catalogue.open(db) as cat:
        cat.upsert_source("s", None, "directory", None, None)
        cat.upsert_source("t", None, "directory", None, None)
        live = cat.start_job("s", full=True)
        dead = cat.start_job("t", full=True)
    with sqlite3.connect(db) as conn:  # a pid no process has (above Linux's pid_max)
        conn.execute("UPDATE harvest_jobs SET pid = 99999999 WHERE id = ?", (dead,))
    with Catalogue.open(db) as cat:
        runs = cat.source_runs(["s", "t"])
    assert runs["s"].last_job is not None and runs["s"].last_job.id == live
    assert runs["s"].last_status == "running"  # this very process: still working
    assert runs["t"].last_status == "interrupted"
    assert runs["t"].failures == 1
    configs = [SourceConfig(id=i, type="directory", path=Path()) for i in ("s", "t")]
    assert [c.id for c in failed_sources(configs, runs)] == ["t"]
