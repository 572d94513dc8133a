"""The monitoring history in the catalogue: freshness snapshots, the retention of both
snapshot tables, the changed fields and findings stored on events, migration 7, and the
trend and changes builders on a generated year with known answers."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from satudata_cli.catalogue import SCHEMA_VERSION, Catalogue
from satudata_cli.catalogue.history import KEEP_ALL_DAYS, KEEP_DAILY_DAYS
from satudata_cli.catalogue.schema import APPLICATION_ID, MIGRATIONS
from satudata_cli.reports.build import freshness_report
from satudata_cli.reports.errors import NothingToReportError, ReportError
from satudata_cli.reports.history import (
    Every,
    changes_report,
    periods,
    trend_report,
)
from satudata_cli.reports.models import GroupBy
from tests.helpers.history import (
    IMPROVES,
    RENAMED_NEW,
    RENAMED_OLD,
    SOURCE,
    STOPS,
    WORSENS,
    Clock,
    Year,
    insert_snapshots,
    make_year,
    twice_daily,
)

#: docs/monitoring.md: ten years of a harvest twice a day, per agency
DECADE_ROWS_PER_AGENCY = 916


def _count(cat: Catalogue, sql: str, *params: object) -> int:
    value = cat.conn.execute(sql, params).fetchone()[0]
    assert isinstance(value, int)
    return value


def test_ten_years_reduce_to_the_documented_rows(tmp_path: Path) -> None:
    # 2016-12-01 ... 2026-11-30, at 07:00 and 19:00 UTC; the retention runs on
    # 2026-12-01 00:00 UTC: the last 90 days keep both jobs of a day (180 rows), the two
    # years before one a day (730 - 90 = 640), the eight years before one a month (96)
    times = twice_daily(dt.date(2016, 12, 1), 3652)
    agencies = ["Dinas Kesehatan Kota Medan", "Bappeda Kota Medan", "Dinas Pendidikan"]
    with Catalogue.open(tmp_path / "satudata.db") as cat:
        cat.upsert_source(SOURCE, "Kota Medan", "directory", "data", None)
        insert_snapshots(cat, times, agencies)
        assert _count(cat, "SELECT count(*) FROM compliance_snapshots") == 7304 * 3
        now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        result = cat.thin_history(now)
        kept = DECADE_ROWS_PER_AGENCY * len(agencies)
        assert result.compliance == result.freshness == 7304 * 3 - kept
        for table in ("compliance_snapshots", "freshness_snapshots"):
            assert _count(cat, f"SELECT count(*) FROM {table}") == kept
        # the same jobs in both tables, and the newest of each day and month kept
        jobs = {
            table: set(cat.conn.execute(f"SELECT job_id, organization FROM {table}").fetchall())
            for table in ("compliance_snapshots", "freshness_snapshots")
        }
        assert jobs["compliance_snapshots"] == jobs["freshness_snapshots"]
        taken = [
            row[0]
            for row in cat.conn.execute(
                "SELECT taken_at FROM compliance_snapshots WHERE organization = ? "
                "ORDER BY taken_at",
                (agencies[0],),
            )
        ]
        cut_all = now - dt.timedelta(days=KEEP_ALL_DAYS)
        cut_daily = now - dt.timedelta(days=KEEP_DAILY_DAYS)
        recent = [t for t in taken if t >= cut_all.isoformat()[:10]]
        daily = [t for t in taken if cut_daily.isoformat()[:10] <= t < cut_all.isoformat()[:10]]
        monthly = [t for t in taken if t < cut_daily.isoformat()[:10]]
        assert (len(recent), len(daily), len(monthly)) == (180, 640, 96)
        assert all(t[11:16] == "19:00" for t in daily + monthly)  # the newest of its day
        assert {t[8:10] for t in monthly} <= {"28", "29", "30", "31"}  # the last of its month
        assert Counter(t[:7] for t in monthly).most_common(1)[0][1] == 1
        # running it again changes nothing
        again = cat.thin_history(now)
        assert (again.compliance, again.freshness) == (0, 0)


def test_finish_job_thins_and_snapshots_outlive_jobs(tmp_path: Path) -> None:
    # the real path: jobs twice a day for 100 days; what is older than 90 days keeps one
    # job a day, in both tables, and pruning the jobs keeps the history
    from satudata_cli.standard.validator import Validator
    from tests.helpers.records import make_record

    start = dt.datetime(2026, 1, 1, 7, tzinfo=dt.UTC)
    clock = Clock(start)
    validator = Validator(today=dt.date(2026, 1, 1))
    result = validator.validate(make_record(1, tanggal_diperbarui="2025-12-01"))
    with Catalogue.open(tmp_path / "satudata.db", clock=clock) as cat:
        cat.upsert_source(SOURCE, "Kota Medan", "directory", "data", None)
        for day in range(100):
            for hour in (7, 19):
                clock.now = start.replace(hour=hour) + dt.timedelta(days=day)
                job = cat.start_job(SOURCE, full=True)
                with cat.writer(job) as writer:
                    writer.put("puskesmas-1", result.normalized, result)
                cat.finish_job(job, "finished")
        old = (clock.now - dt.timedelta(days=KEEP_ALL_DAYS)).isoformat()[:19]
        for table in ("compliance_snapshots", "freshness_snapshots"):
            per_day = cat.conn.execute(
                f"SELECT substr(taken_at, 1, 10), count(*) FROM {table} "
                "WHERE taken_at < ? GROUP BY 1",
                (old,),
            ).fetchall()
            assert len(per_day) == 10 and {n for _, n in per_day} == {1}
            # days 0-8: one row each; day 9: its 07:00 job is older than 90 days, its
            # 19:00 job (the cutoff itself) is not; days 10-99: both jobs
            assert _count(cat, f"SELECT count(*) FROM {table}") == 9 + 2 + 180
        # a tahunan dataset last updated 2025-12-01: on time all along
        fresh = cat.conn.execute(
            "SELECT sum(on_time), sum(overdue), sum(unknown_frequency) FROM freshness_snapshots"
        ).fetchone()
        assert tuple(fresh) == (191, 0, 0)
        cat.prune(dt.timedelta(0), now=clock.now + dt.timedelta(days=1))
        assert _count(cat, "SELECT count(*) FROM harvest_jobs") == 0
        assert _count(cat, "SELECT count(*) FROM freshness_snapshots") == 191


def test_migration_7_keeps_old_snapshots_with_their_job_time(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    for version, (name, migration) in enumerate(MIGRATIONS[:6], start=1):
        migration(db)
        conn.execute(
            "INSERT INTO migrations VALUES (?, ?, '2026-01-01T00:00:00.000Z')", (version, name)
        )
    conn.execute("INSERT INTO sources (id, created_at, updated_at) VALUES ('medan', 'x', 'x')")
    conn.execute(
        "INSERT INTO harvest_jobs (id, source_id, status, full, started_at, finished_at) "
        "VALUES (7, 'medan', 'finished', 1, '2026-03-01T19:00:00.000Z', "
        "'2026-03-01T19:05:00.000Z')"
    )
    conn.execute(
        "INSERT INTO compliance_snapshots (job_id, source_id, organization, produsen_data, "
        "datasets, valid, compliant, score_sum, formula) "
        "VALUES (7, 'medan', 'Bappeda', NULL, 2, 2, 1, 190.0, 1)"
    )
    conn.close()
    with Catalogue.open(path) as cat:
        assert cat.schema_version == SCHEMA_VERSION
        row = cat.conn.execute(
            "SELECT job_id, taken_at, organization, score_sum FROM compliance_snapshots"
        ).fetchone()
        assert tuple(row) == (7, "2026-03-01T19:05:00.000Z", "Bappeda", 190.0)
        columns = {r[1] for r in cat.conn.execute("PRAGMA table_info(harvest_events)")}
        assert {"fields", "findings_new", "findings_fixed"} <= columns
        # an old snapshot has no freshness: its trend point says so (None), not 0
        report = trend_report(
            cat,
            since=dt.date(2026, 3, 1),
            until=dt.date(2026, 3, 2),
            every=Every.day,
            now=dt.datetime(2026, 3, 3, tzinfo=dt.UTC),
        )
        point = report.agencies[0].points[0]
        assert point is not None and point.overdue is None and point.score == 95.0


# --------------------------------------------------------- the known year


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Year:
    return make_year(tmp_path_factory.mktemp("year") / "satudata.db", days=365, extra=2)


def _now(year: Year) -> dt.datetime:
    return dt.datetime.combine(year.last_day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def test_trend_known_answers(year: Year) -> None:
    with Catalogue.open(year.path, create=False) as cat:
        report = trend_report(cat, every=Every.month, until=year.last_day, now=_now(year))
    assert report.since == year.day(0).isoformat()  # a year back, not before the first job
    assert report.periods[0] == "2025-12-01" and report.periods[-1] == "2026-11-01"
    by = {a.name: a for a in report.agencies}
    assert set(by) == {
        IMPROVES,
        WORSENS,
        STOPS,
        RENAMED_OLD,
        RENAMED_NEW,
        *year.extra_names,
    }
    improves, worsens = by[IMPROVES], by[WORSENS]
    first, last = improves.points[0], improves.points[-1]
    assert first is not None and last is not None
    assert (first.compliant_share, last.compliant_share) == (round(1 / 6, 4), 1.0)
    assert improves.change_score is not None and improves.change_score > 0
    assert improves.score == 100.0
    scores = [p.score for p in improves.points if p]
    assert scores == sorted(scores)  # never falls
    first, last = worsens.points[0], worsens.points[-1]
    assert first is not None and last is not None
    assert first.compliant_share == 1.0 and last.compliant_share == round(1 / 6, 4)
    assert last.datasets == 6  # it added one
    assert worsens.change_score is not None and worsens.change_score < 0
    # stops updating: on time while it updates, every dataset overdue at the end
    stops = by[STOPS]
    assert stops.points[0] is not None and stops.points[0].overdue == 0
    assert stops.points[-1] is not None and stops.points[-1].overdue == 5
    assert stops.change_overdue == 5
    # renamed: the old name ends, the new one starts, the datasets go with it
    old, new = by[RENAMED_OLD], by[RENAMED_NEW]
    renamed_on = year.day(year.rename_day)
    assert not old.present and old.rank is None
    assert new.present and new.first_period == renamed_on.replace(day=1).isoformat()
    assert old.last_period == report.periods[report.periods.index(new.first_period) - 1]
    assert new.points[-1] is not None and new.points[-1].datasets == 5
    # rank: 1 = best score in the last period, the worsening agency last
    ranked = [a for a in report.agencies if a.rank is not None]
    assert [a.rank for a in ranked] == list(range(1, len(ranked) + 1))
    assert ranked[-1].name == WORSENS
    assert report.agencies[-1].name == RENAMED_OLD  # not ranked: after the ranked ones
    total = report.overall.points[-1]
    assert total is not None and total.datasets == 6 + 6 + 5 + 5 + 5 * year.extra


def test_trend_periods_and_window(year: Year) -> None:
    assert [
        s.isoformat() for s, _ in periods(dt.date(2026, 3, 4), dt.date(2026, 3, 17), Every.week)
    ] == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
    ]
    with Catalogue.open(year.path, create=False) as cat:
        daily = trend_report(
            cat,
            since=year.day(year.rename_day - 1),
            until=year.day(year.rename_day),
            every=Every.day,
            by=GroupBy.source,
            now=_now(year),
        )
        assert [a.name for a in daily.agencies] == [SOURCE]
        with pytest.raises(ReportError):
            trend_report(cat, since=year.day(5), until=year.day(4), now=_now(year))
        before = trend_report(cat, until=year.day(0) - dt.timedelta(days=1), now=_now(year))
        assert before.agencies == [] and before.overall.points == [None]


def test_changes_known_answers(year: Year) -> None:
    with Catalogue.open(year.path, create=False) as cat:
        whole = changes_report(cat, since=year.day(1), until=year.last_day, now=_now(year))
        last_weeks = changes_report(
            cat, since=year.day(year.withdraw_day), until=year.last_day, now=_now(year)
        )
        after_job = changes_report(cat, since_job=year.jobs[year.rename_day - 1], now=_now(year))
        with pytest.raises(ReportError):
            changes_report(cat, since_job=10**6, now=_now(year))
    by = {a.name: a for a in whole.agencies}
    # five datasets fixed (kontak added): updated, one warning fixed each
    improves = by[IMPROVES]
    fixed = [c for c in improves.changes if c.kind == "updated"]
    assert len(fixed) == 5 and all(c.fields == ["kontak"] for c in fixed)
    assert improves.findings_fixed == 5 and improves.findings_new == 0
    assert (improves.withdrawn, improves.restored) == (1, 1)
    worsens = by[WORSENS]
    assert (worsens.added, worsens.updated, worsens.findings_new) == (1, 5, 5)
    # the stopping agency updated every 30 days until it stopped
    stops = by[STOPS]
    updates = [c for c in stops.changes if c.kind == "updated"]
    assert len(updates) == 5 and {tuple(c.fields or []) for c in updates} == {
        ("tanggal_diperbarui",)
    }
    assert {c.times for c in updates} == {year.last_update_of_stops() // 30}
    # renamed: the events count under the agency's name now
    renamed = by[RENAMED_NEW]
    assert renamed.updated == 5
    assert all(c.fields == ["organization", "produsen_data"] for c in renamed.changes)
    assert RENAMED_OLD not in by
    # the last weeks: only the withdrawal, the return and the new dataset
    recent = {a.name: (a.added, a.updated, a.withdrawn, a.restored) for a in last_weeks.agencies}
    assert recent == {IMPROVES: (0, 0, 1, 1), WORSENS: (1, 0, 0, 0)}
    assert (last_weeks.overall.added, last_weeks.overall.withdrawn) == (1, 1)
    # after the job before the rename: the rename and what followed
    assert {a.name for a in after_job.agencies} == {RENAMED_NEW, IMPROVES, WORSENS}
    assert after_job.since is None and after_job.since_job == year.jobs[year.rename_day - 1]


def test_freshness_snapshot_agrees_with_the_freshness_report(year: Year) -> None:
    with Catalogue.open(year.path, create=False) as cat:
        report = freshness_report(cat, as_of=year.last_day, now=year.job_time(year.days - 1))
        stored = {
            row[0]: tuple(row[1:])
            for row in cat.conn.execute(
                "SELECT organization, on_time, overdue, unknown_frequency "
                "FROM freshness_snapshots WHERE job_id = ?",
                (year.jobs[-1],),
            )
        }
    assert stored == {a.name: (a.on_time, a.overdue, a.unknown_frequency) for a in report.agencies}


def test_empty_history(tmp_path: Path) -> None:
    with Catalogue.open(tmp_path / "satudata.db") as cat:
        cat.upsert_source(SOURCE, "Kota Medan", "directory", "data", None)
        with pytest.raises(NothingToReportError):
            trend_report(cat, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        empty = changes_report(cat, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        assert empty.agencies == [] and empty.overall.added == 0


def test_the_freshness_snapshot_judges_each_dataset_as_the_report_does() -> None:
    """The snapshot judges datasets with a decisive tanggal_diperbarui once per schedule
    and tanggal; the counts must equal judging every dataset on its own."""
    import random

    from satudata_cli.catalogue.history import write_freshness_snapshot
    from satudata_cli.standard.freshness import judge
    from satudata_cli.standard.schema import load_standard

    rng = random.Random(15)
    tanggal = [None, "", "2026-01-05", "2026-12-31", "2027-01-01", "bukan tanggal"]
    tanggal += ["2025-06-30T10:00:00Z", "05/06/2025", "2026-05-01", "2026-12-06"]
    modified = [None, "2026-04-01T00:00:00Z", "2027-02-02T00:00:00Z", "rusak"]
    modified += ["2025-12-01T23:59:59+07:00"]
    rows = [
        (
            rng.choice(["Dinas A", "Dinas B", None]),
            rng.choice(["tahunan", "bulanan", "harian", None, "tidak dikenal"]),
            rng.choice(tanggal),
            rng.choice(modified),
            rng.choice(["2026-03-01T10:00:00Z", "2025-01-01T00:00:00Z"]),
        )
        for _ in range(2000)
    ]
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE datasets (source_id, status, organization, produsen_data, pilar, "
        "jadwal_pemutakhiran, tanggal_diperbarui, remote_modified, first_seen)"
    )
    conn.execute(
        "CREATE TABLE freshness_snapshots (id INTEGER PRIMARY KEY, job_id, taken_at, "
        "source_id, organization, produsen_data, pilar, pilar_known, datasets, on_time, "
        "overdue, unknown_frequency)"
    )
    conn.executemany(
        "INSERT INTO datasets VALUES ('medan', 'active', ?, NULL, NULL, ?, ?, ?, ?)", rows
    )
    standard = load_standard()
    for moment in (dt.datetime(2026, 12, 6, tzinfo=dt.UTC), dt.datetime(2026, 5, 2, tzinfo=dt.UTC)):
        day = moment.date()
        expected: dict[str | None, Counter[str]] = {}
        for organization, schedule, updated, remote, first in rows:
            status = judge(
                standard, schedule, updated, remote, first[:10], as_of=day, today=day
            ).status
            expected.setdefault(organization, Counter())[status] += 1
        conn.execute("DELETE FROM freshness_snapshots")
        write_freshness_snapshot(conn, 1, "medan", moment)
        got = {
            organization: Counter(
                {"on_time": on_time, "overdue": overdue, "unknown_frequency": unknown}
            )
            for organization, on_time, overdue, unknown in conn.execute(
                "SELECT organization, on_time, overdue, unknown_frequency FROM freshness_snapshots"
            )
        }
        assert {k: +v for k, v in got.items()} == expected
