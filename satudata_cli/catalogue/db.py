"""The catalogue file: :class:`Catalogue`.

One SQLite file (through sqlite-utils) holding every source's datasets, the harvest
jobs and their events; see :mod:`satudata_cli.catalogue.schema` for the tables.

Opening (:meth:`Catalogue.open`) creates the file (and its folder) when missing, sets
``journal_mode=WAL`` (readers such as Datasette never block the harvest),
``synchronous=NORMAL`` (with WAL: a crash or ``kill -9`` loses no committed
transaction and never corrupts the file; only a power cut may lose the last
commits), ``foreign_keys=ON`` and a busy timeout, then applies the pending migrations.
A file that is not SQLite, or is SQLite of another application, or was written by a
newer satudata, is refused with a :class:`CatalogueError` that says so.

The connection runs in autocommit mode (``isolation_level=None``): every write here is
an explicit ``BEGIN IMMEDIATE`` ... ``COMMIT`` that is rolled back on any exception,
KeyboardInterrupt included, so no transaction is ever left open by accident.

A :class:`Catalogue` (and its writers) is used from one thread; open one per thread.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

from satudata_cli.catalogue import access, compliance, history, queries, withdrawal
from satudata_cli.catalogue.compliance import FailingFinding, ReportDataset, SnapshotRow
from satudata_cli.catalogue.errors import (
    CatalogueAccessError,
    CatalogueError,
    CatalogueLockedError,
)
from satudata_cli.catalogue.history import ChangeEvent, HistoryRow, ThinResult
from satudata_cli.catalogue.links import LinkChecks, prune_link_runs
from satudata_cli.catalogue.models import (
    JOB_COUNTERS,
    CatalogueStats,
    DatasetDetail,
    DatasetState,
    DatasetSummary,
    JobDetail,
    JobInfo,
    JobStatus,
    PruneResult,
    SourceInfo,
    SourceRuns,
    WithdrawOutcome,
)
from satudata_cli.catalogue.publish_state import PublishState
from satudata_cli.catalogue.rows import named, scalar, scalars
from satudata_cli.catalogue.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from satudata_cli.catalogue.timestamps import Clock, as_utc, from_iso, to_iso, utc_now
from satudata_cli.catalogue.writer import JobWriter
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.core.values import printable

if TYPE_CHECKING:
    import sqlite_utils

DEFAULT_BUSY_TIMEOUT: Final = 10.0
_FINAL_STATUSES: Final = ("finished", "failed", "interrupted")


# ------------------------------------------------------------------ processes


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """``(state, start time in clock ticks)`` from ``/proc/<pid>/stat``, where there is one."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = text.rpartition(")")[2].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]


def _process_started(pid: int) -> str | None:
    stat = _proc_stat(pid)
    return stat[1] if stat else None


def process_alive(pid: int, started: str | None = None) -> bool:
    """Whether process ``pid`` on this host still runs (and is the same process).

    ``started`` is the start time recorded with the pid (Linux); a different start time
    means the pid was reused by another process. A zombie counts as gone. Where this
    cannot be told (Windows), the process is assumed alive.
    """
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by another user
    except OSError:
        return False
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, start = stat
    if state == "Z":
        return False
    return started is None or start == started


# ------------------------------------------------------------------ catalogue


class Catalogue:
    """An open catalogue file. Use :meth:`open`; close it (or use ``with``)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        clock: Clock | None = None,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> None:
        # the connection is this package's own: other packages call the methods below
        # (tests/unit/test_layers.py checks that no module outside catalogue/ uses it)
        self.conn = conn
        self.path = path
        self.busy_timeout = busy_timeout
        self._clock: Clock = clock or utc_now

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The connection as sqlite-utils sees it (the migrations use it); imported on
        first use, since most commands find the catalogue migrated and never need it
        (about 35 ms of every command's start-up)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    # ------------------------------------------------------------ open/close

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        clock: Clock | None = None,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> Catalogue:
        """Open (and create or migrate) the catalogue at ``path``.

        ``create=False`` refuses a missing file (for commands that only read).
        ``clock`` returns the current time (tests pass their own).
        """
        path = Path(path)
        if path.is_dir():
            raise access.is_folder(path)
        if not path.exists():
            if not create:
                raise CatalogueError(M.err_cat_missing.format(path=path))
            access.make_folder(path)
        try:
            conn = sqlite3.connect(
                str(path), isolation_level=None, timeout=busy_timeout, check_same_thread=True
            )
        except sqlite3.Error as exc:
            problem = _access_problem(path, exc)
            if problem is not None:
                raise problem from exc
            raise CatalogueError(M.err_cat_open.format(path=path, reason=exc)) from exc
        try:
            try:
                catalogue = cls(conn, path, clock=clock, busy_timeout=busy_timeout)
            except sqlite3.Error as exc:
                raise CatalogueError(M.err_cat_open.format(path=path, reason=exc)) from exc
            catalogue._setup()
        except BaseException:
            conn.close()
            raise
        return catalogue

    def _setup(self) -> None:
        conn = self.conn
        with self._guard(M.act_open):
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            # the first read of the file: a file that is no SQLite fails here
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if self._current_version(check=True) != SCHEMA_VERSION:
                self._migrate()

    def _current_version(self, *, check: bool) -> int:
        """The applied schema version; 0 for an empty file. Refuses foreign files."""
        conn = self.conn
        app_id = scalar(conn, "PRAGMA application_id")
        if app_id != APPLICATION_ID:
            has_tables = scalar(
                conn, "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view')"
            )
            if app_id != 0 or has_tables:
                raise CatalogueError(M.err_cat_foreign.format(path=self.path))
            return 0
        version: int = scalar(conn, "SELECT coalesce(max(version), 0) FROM migrations")
        if check and version > SCHEMA_VERSION:
            raise CatalogueError(
                M.err_cat_newer.format(path=self.path, version=version, known=SCHEMA_VERSION)
            )
        return version

    def _migrate(self) -> None:
        with self._transaction():
            current = self._current_version(check=True)  # again, under the write lock
            if current == 0:
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            for version in range(current + 1, SCHEMA_VERSION + 1):
                name, migration = MIGRATIONS[version - 1]
                migration(self.db)
                self.conn.execute(
                    "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, self._now_iso()),
                )
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @classmethod
    def file_schema_version(cls, path: Path | str, *, busy_timeout: float = 2.0) -> int:
        """The schema version of the catalogue file at ``path``, read without writing
        anything (no migration, no WAL switch; for ``satudata info``); 0 for an empty
        file. :class:`CatalogueError` when it is missing or not a satudata catalogue."""
        path = Path(path)
        if not path.is_file():
            raise CatalogueError(M.err_cat_missing.format(path=path))
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout
            )
        except sqlite3.Error as exc:
            raise CatalogueError(M.err_cat_open.format(path=path, reason=exc)) from exc
        try:
            catalogue = cls(conn, path, busy_timeout=busy_timeout)
            with catalogue._guard(M.act_read_schema_version):
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return catalogue._current_version(check=False)
        finally:
            conn.close()

    @property
    def schema_version(self) -> int:
        with self._guard(M.act_read_schema_version):
            return self._current_version(check=False)

    def table_names(self) -> list[str]:
        """The katalog's tables, sorted (for Datasette's metadata)."""
        return sorted(self.db.table_names())

    def close(self) -> None:
        """Close the file (an open transaction, if any, is rolled back)."""
        self.conn.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ---------------------------------------------------------------- plumbing

    def now(self) -> dt.datetime:
        return as_utc(self._clock())

    def _now_iso(self) -> str:
        return to_iso(self.now())

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back on any exception."""
        conn = self.conn
        if conn.in_transaction:
            raise CatalogueError("internal error: a catalogue transaction is already open")
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _guard(self, action: Message) -> Iterator[None]:
        """Turn SQLite errors into :class:`CatalogueError` with the file and the action."""
        try:
            yield
        except sqlite3.Error as exc:
            problem = _access_problem(self.path, exc)
            if problem is not None:
                raise problem from exc
            text = str(exc)
            lower = text.lower()
            if "locked" in lower or "busy" in lower:
                raise CatalogueLockedError(
                    M.err_cat_busy.format(
                        path=self.path, seconds=f"{self.busy_timeout:g}", action=action
                    )
                ) from exc
            if "file is not a database" in lower or "file is encrypted" in lower:
                raise CatalogueError(M.err_cat_not_sqlite.format(path=self.path)) from exc
            if "malformed" in lower or "corrupt" in lower:
                raise CatalogueError(M.err_cat_damaged.format(path=self.path, reason=text)) from exc
            if "disk is full" in lower or "readonly" in lower or "read-only" in lower:
                raise CatalogueError(M.err_cat_write.format(path=self.path, reason=text)) from exc
            raise CatalogueError(
                M.err_cat_failed.format(path=self.path, action=action, reason=text)
            ) from exc

    # ----------------------------------------------------------------- sources

    def upsert_source(
        self,
        id: str,
        title: str | None,
        type: str | None,
        url_or_path: str | None,
        config_hash: str | None,
    ) -> None:
        """Add a source or update its description (``updated_at`` moves on a change)."""
        now = self._now_iso()
        with self._guard(M.act_save_source.format(source=repr(id))), self._transaction() as conn:
            conn.execute(
                "INSERT INTO sources (id, title, type, url_or_path, config_hash, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, type = excluded.type, "
                "url_or_path = excluded.url_or_path, config_hash = excluded.config_hash, "
                "updated_at = CASE WHEN (title, type, url_or_path, config_hash) IS NOT "
                "(excluded.title, excluded.type, excluded.url_or_path, excluded.config_hash) "
                "THEN excluded.updated_at ELSE updated_at END",
                (id, title, type, url_or_path, config_hash, now, now),
            )

    def list_sources(self) -> list[SourceInfo]:
        with self._guard(M.act_list_sources):
            return queries.list_sources(self.conn)

    # -------------------------------------------------------------------- jobs

    def start_job(self, source_id: str, *, full: bool) -> int:
        """Record a new ``running`` job of this process; returns its id."""
        pid = os.getpid()
        with (
            self._guard(M.act_start_job.format(source=repr(source_id))),
            self._transaction() as conn,
        ):
            if scalar(conn, "SELECT 1 FROM sources WHERE id = ?", (source_id,)) is None:
                raise CatalogueError(
                    f"unknown source {source_id!r}: save it with upsert_source first"
                )
            cursor = conn.execute(
                "INSERT INTO harvest_jobs (source_id, status, full, started_at, pid, "
                "pid_started, hostname) VALUES (?, 'running', ?, ?, ?, ?, ?)",
                (
                    source_id,
                    1 if full else 0,
                    self._now_iso(),
                    pid,
                    _process_started(pid),
                    socket.gethostname(),
                ),
            )
            job_id = cursor.lastrowid
        assert job_id is not None
        return job_id

    def writer(
        self,
        job_id: int,
        source_id: str | None = None,
        *,
        batch_size: int | None = None,
        background: bool = False,
    ) -> JobWriter:
        """A :class:`JobWriter` for a running job (``source_id`` defaults to the job's).

        ``background``: from the first full batch on, each batch is written by a write
        process while the caller goes on (see :mod:`~satudata_cli.catalogue.batches`).
        ``batch_size`` defaults to 2,000 records, 500 for a background writer."""
        with self._guard(M.act_read_job.format(job=job_id)):
            row = named(
                self.conn, "SELECT source_id, status FROM harvest_jobs WHERE id = ?", (job_id,)
            ).fetchone()
        if row is None:
            raise CatalogueError(M.err_no_job.format(id=job_id))
        job_source = row["source_id"]
        if source_id is not None and source_id != job_source:
            raise ValueError(f"job {job_id} belongs to source {job_source!r}, not {source_id!r}")
        if row["status"] != "running":
            raise CatalogueError(f"job {job_id} is {row['status']}, not running")
        return JobWriter(self, job_id, job_source, batch_size=batch_size, background=background)

    def finish_job(
        self,
        job_id: int,
        status: JobStatus,
        counters: Mapping[str, int] | None = None,
        error: str | None = None,
        notes: str | None = None,
    ) -> JobInfo:
        """End a job: status, finish time, duration, error text and notes.

        ``counters`` replace the stored value of each key given (``added`` ...
        ``errored`` have columns; any other key is kept in ``counters`` as JSON). The
        writer and :meth:`withdraw_missing` store their counts as they go, so these
        need not be passed again. ``notes`` are appended to notes already on the job
        (such as why a withdrawal was blocked). The source's ``organizations`` rows
        are recomputed, the source's compliance and freshness snapshots written and its
        snapshots thinned by the history's retention (:mod:`.history`).
        """
        if status not in _FINAL_STATUSES:
            raise ValueError(f"a job ends as one of {', '.join(_FINAL_STATUSES)}, not {status!r}")
        counters = dict(counters or {})
        for key, value in counters.items():
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"counter {key!r} must be an int, not {value!r}")
        now = self.now()
        with self._guard(M.act_finish_job.format(job=job_id)), self._transaction() as conn:
            row = named(
                conn,
                "SELECT source_id, started_at, counters, notes FROM harvest_jobs WHERE id = ?",
                (job_id,),
            ).fetchone()
            if row is None:
                raise CatalogueError(M.err_no_job.format(id=job_id))
            source_id = row["source_id"]
            seconds = max(0.0, (now - from_iso(row["started_at"])).total_seconds())
            extra: dict[str, int] = json.loads(row["counters"]) if row["counters"] else {}
            columns = {k: v for k, v in counters.items() if k in JOB_COUNTERS}
            extra.update({k: v for k, v in counters.items() if k not in JOB_COUNTERS})
            sets = "".join(f", {k} = ?" for k in columns)
            conn.execute(
                "UPDATE harvest_jobs SET status = ?, finished_at = ?, seconds = ?, error = ?, "  # noqa: S608
                f"notes = ?, counters = ?{sets} WHERE id = ?",
                (
                    status,
                    to_iso(now),
                    round(seconds, 3),
                    # a lone surrogate from a portal's or a file's name kept as its escape
                    printable(error) if error is not None else None,
                    _append_note(row["notes"], printable(notes) if notes is not None else None),
                    json.dumps(extra, sort_keys=True) if extra else None,
                    *columns.values(),
                    job_id,
                ),
            )
            self._recompute_organizations(source_id, to_iso(now))
            compliance.write_snapshot(conn, job_id, source_id, to_iso(now))
            history.write_freshness_snapshot(conn, job_id, source_id, now)
            history.thin(conn, now, source_id)
        job = self.get_job(job_id, events_limit=0)
        assert job is not None
        return job.job

    def interrupt_stale_jobs(self) -> list[int]:
        """Mark as ``interrupted`` every job left ``running`` by a process that is gone.

        A job started on this host whose process no longer runs (or whose pid now
        belongs to another process) is stale. A job of a live process stays
        ``running``, and so does a job started on another host (its process cannot be
        checked from here). Returns the ids marked.
        """
        host = socket.gethostname()
        with self._guard(M.act_check_interrupted):
            rows = named(
                self.conn,
                "SELECT id, pid, pid_started, hostname FROM harvest_jobs WHERE status = 'running'",
            ).fetchall()
        stale = [
            (row["id"], row["pid"], row["hostname"])
            for row in rows
            if row["hostname"] == host and not process_alive(row["pid"] or 0, row["pid_started"])
        ]
        if not stale:
            return []
        now = self.now()
        marked: list[int] = []
        with self._guard(M.act_mark_interrupted), self._transaction() as conn:
            for job_id, pid, hostname in stale:
                started_at = scalar(
                    conn,
                    "SELECT started_at FROM harvest_jobs WHERE id = ? AND status = 'running'",
                    (job_id,),
                )
                if started_at is None:
                    continue  # finished meanwhile
                seconds = max(0.0, (now - from_iso(started_at)).total_seconds())
                conn.execute(
                    "UPDATE harvest_jobs SET status = 'interrupted', finished_at = ?, "
                    "seconds = ?, error = ? WHERE id = ?",
                    (
                        to_iso(now),
                        round(seconds, 3),
                        f"the process that ran this job (pid {pid} on {hostname}) ended "
                        "before finishing it; found by a later run",
                        job_id,
                    ),
                )
                marked.append(job_id)
        return marked

    def last_successful_job(self, source_id: str) -> JobInfo | None:
        """The newest ``finished`` job of the source (incremental harvests start from
        its ``started_at``)."""
        with self._guard(M.act_read_jobs):
            row = named(
                self.conn,
                f"SELECT {queries.JOB_COLUMNS} FROM harvest_jobs "  # noqa: S608
                "WHERE source_id = ? AND status = 'finished' ORDER BY started_at DESC, id DESC "
                "LIMIT 1",
                (source_id,),
            ).fetchone()
        return queries.job_info(row) if row else None

    def source_runs(self, source_ids: Sequence[str]) -> dict[str, SourceRuns]:
        """What the schedule of each of ``source_ids`` needs (:class:`SourceRuns`); a
        source without any job gets ``last_job=None`` and no failures."""
        with self._guard(M.act_read_jobs):
            known = queries.source_runs(self.conn)
        host = socket.gethostname()
        runs: dict[str, SourceRuns] = {}
        for source_id in source_ids:
            if source_id not in known:
                runs[source_id] = SourceRuns(source_id, None, None, None, 0)
                continue
            job, pid_started, last_success, failures = known[source_id]
            status: JobStatus = job.status
            if (
                status == "running"
                and job.hostname == host
                and not process_alive(job.pid or 0, pid_started)
            ):
                status = "interrupted"  # stopped without a trace; the next run marks it
                failures += 1
            runs[source_id] = SourceRuns(source_id, job, status, last_success, failures)
        return runs

    # -------------------------------------------------------------- withdrawal

    def withdraw_missing(
        self,
        job_id: int,
        source_id: str,
        seen_remote_ids: set[str],
        *,
        grace_days: int,
        max_fraction: float,
        now: dt.datetime | None = None,
    ) -> WithdrawOutcome:
        """After a complete pass, withdraw the datasets the source no longer lists.

        Active datasets of ``source_id`` not in ``seen_remote_ids`` are *missing*; the
        first time, ``missing_since`` is set to ``now``. A missing dataset is withdrawn
        once ``missing_since`` is ``grace_days`` old (0: at once): its status becomes
        ``withdrawn`` with ``withdrawn_at``, a ``withdrawn`` event is written and the
        row is kept. Seen datasets get ``missing_since`` cleared.

        Safety valve: when more than ``max_fraction`` of the source's active datasets
        would be withdrawn in this run, none is; the outcome is ``blocked`` and its
        ``reason`` is also added to the job's notes. Only call this after a complete,
        successful pass (a job started with ``full=True``); pass every remote id the
        source listed, errored ones included (:attr:`JobWriter.seen`).
        """
        if grace_days < 0:
            raise ValueError("grace_days must not be negative")
        if not 0.0 <= max_fraction <= 1.0:
            raise ValueError("max_fraction must be between 0 and 1")
        now_iso = to_iso(now if now is not None else self.now())
        due_cutoff = to_iso(from_iso(now_iso) - dt.timedelta(days=grace_days))
        with (
            self._guard(M.act_withdraw.format(source=repr(source_id))),
            self._transaction() as conn,
        ):
            withdrawal.check_complete_pass(conn, job_id, source_id)
            active = withdrawal.active_datasets(conn, source_id)
            missing = withdrawal.mark_missing(conn, active, seen_remote_ids, now_iso)
            due, pending = withdrawal.split_due(missing, now_iso, due_cutoff)
            if not due:
                return WithdrawOutcome(pending=sorted(pending))
            reason = withdrawal.too_many(source_id, len(due), len(active), max_fraction)
            if reason is not None:
                self._add_job_note(job_id, reason.en)
                return WithdrawOutcome(
                    pending=sorted(pending),
                    blocked=True,
                    reason=reason.en,
                    held=sorted(d.remote_id for d in due),
                    said=reason,
                )
            withdrawal.withdraw(conn, job_id, due, grace_days, now_iso)
        return WithdrawOutcome(withdrawn=sorted(d.remote_id for d in due), pending=sorted(pending))

    def _add_job_note(self, job_id: int, note: str) -> None:
        """Append ``note`` to the job's notes (inside the caller's transaction)."""
        notes = scalar(self.conn, "SELECT notes FROM harvest_jobs WHERE id = ?", (job_id,))
        self.conn.execute(
            "UPDATE harvest_jobs SET notes = ? WHERE id = ?",
            (_append_note(notes, note), job_id),
        )

    # ----------------------------------------------------------- organizations

    def _recompute_organizations(self, source_id: str, now_iso: str) -> None:
        conn = self.conn
        conn.execute("DELETE FROM organizations WHERE source_id = ?", (source_id,))
        conn.execute(
            "INSERT INTO organizations (source_id, name, active, withdrawn, valid, invalid, "
            "updated_at) SELECT source_id, organization, sum(status = 'active'), "
            "sum(status = 'withdrawn'), sum(status = 'active' AND valid = 1), "
            "sum(status = 'active' AND valid = 0), ? FROM datasets WHERE source_id = ? "
            "GROUP BY organization",
            (now_iso, source_id),
        )

    def recompute_organizations(self, source_id: str) -> None:
        """Recount the source's ``organizations`` rows (done by :meth:`finish_job`)."""
        with self._guard(M.act_count_orgs), self._transaction():
            self._recompute_organizations(source_id, self._now_iso())

    # --------------------------------------------------------------- retention

    def prune(
        self,
        older_than: dt.timedelta,
        now: dt.datetime | None = None,
        *,
        vacuum: bool = False,
    ) -> PruneResult:
        """Delete jobs started before ``now - older_than`` and their events, and the
        link-check runs started before it with their checks.

        Running jobs and runs are kept, and datasets (and the current state of each
        link) are never deleted. ``vacuum=True`` then
        compacts the file (``VACUUM``, outside any transaction; it needs free disk
        space about the size of the file).
        """
        if older_than < dt.timedelta(0):
            raise ValueError("older_than must not be negative")
        cutoff = to_iso(as_utc(now if now is not None else self.now()) - older_than)
        with self._guard(M.act_prune), self._transaction() as conn:
            old_jobs = "SELECT id FROM harvest_jobs WHERE started_at < ? AND status != 'running'"
            events = conn.execute(
                f"DELETE FROM harvest_events WHERE job_id IN ({old_jobs})",  # noqa: S608
                (cutoff,),
            ).rowcount
            jobs = conn.execute(
                "DELETE FROM harvest_jobs WHERE started_at < ? AND status != 'running'",
                (cutoff,),
            ).rowcount
            link_runs, link_checks = prune_link_runs(conn, cutoff)
        if vacuum:
            with self._guard(M.act_vacuum):
                self.conn.execute("VACUUM")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return PruneResult(
            cutoff=cutoff,
            jobs=jobs,
            events=events,
            vacuumed=vacuum,
            link_runs=link_runs,
            link_checks=link_checks,
        )

    # ----------------------------------------------------------------- queries

    def list_datasets(
        self,
        source_ids: Sequence[str] | None = None,
        status: str | None = "active",
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[DatasetSummary]:
        """Datasets ordered by source and name; ``status=None`` lists both kinds."""
        with self._guard(M.act_list_datasets):
            return queries.list_datasets(self.conn, source_ids, status, limit, offset)

    def iter_records(
        self, source_ids: Sequence[str] | None = None, status: str | None = "active"
    ) -> Iterator[tuple[DatasetSummary, dict[str, Any]]]:
        """Every stored record with its summary, streamed (for ``validate --catalog``)."""
        with self._guard(M.act_read_records):
            yield from queries.iter_records(self.conn, source_ids, status)

    def search(
        self,
        query: str,
        limit: int | None = 20,
        *,
        status: str | None = "active",
        source_ids: Sequence[str] | None = None,
    ) -> list[DatasetSummary]:
        """Full-text search over title, notes, tags and organization, best match first.

        Words are ANDed, ``word*`` is a prefix; quotes, ``-`` and FTS operators in
        the text are taken as plain text (see :func:`queries.fts_query`).
        """
        with self._guard(M.act_search):
            return queries.search(self.conn, query, limit, status, source_ids)

    def get_dataset(
        self, id_or_name: int | str, *, events_limit: int | None = 50
    ) -> DatasetDetail | None:
        """A dataset by id (int or digits), ``source_id:remote_id``, name or remote id.

        ``None`` when there is none; :class:`CatalogueError` when a name or remote id
        matches datasets of several sources (the message lists how to name each).
        """
        with self._guard(M.act_read_dataset):
            return queries.get_dataset(self.conn, id_or_name, events_limit)

    def stats(self) -> CatalogueStats:
        with self._guard(M.act_count_datasets):
            return queries.stats(self.conn)

    def list_jobs(self, limit: int | None = 20, source_id: str | None = None) -> list[JobInfo]:
        """Jobs, newest first."""
        with self._guard(M.act_list_jobs):
            return queries.list_jobs(self.conn, limit, source_id)

    def get_job(self, job_id: int, *, events_limit: int | None = None) -> JobDetail | None:
        """A job with its events in the order they were written."""
        with self._guard(M.act_read_job.format(job=job_id)):
            return queries.get_job(self.conn, job_id, events_limit)

    def dataset_states(self, source_id: str) -> dict[str, DatasetState]:
        """Content hash and status of every dataset of the source, by remote id (what a
        harvest dry run compares the source with)."""
        with self._guard(M.act_read_source_datasets.format(source=repr(source_id))):
            rows = named(
                self.conn,
                "SELECT remote_id, content_hash, status FROM datasets WHERE source_id = ?",
                (source_id,),
            )
            return {
                row["remote_id"]: DatasetState(row["content_hash"], row["status"]) for row in rows
            }

    # ----------------------------------------------------------------- reports

    def source_ids(self) -> list[str]:
        """Every source the catalogue knows, sorted."""
        with self._guard(M.act_report):
            return compliance.source_ids(self.conn)

    def report_datasets(
        self, source_ids: Sequence[str] | None = None, *, with_record: bool
    ) -> Iterator[ReportDataset]:
        """Active datasets with their score, ordered by source and name, streamed."""
        with self._guard(M.act_report):
            yield from compliance.iter_report_datasets(
                self.conn, source_ids, with_record=with_record
            )

    def failing_findings(self, source_ids: Sequence[str] | None = None) -> Iterator[FailingFinding]:
        """Every error and warning of the active datasets, streamed."""
        with self._guard(M.act_report):
            yield from compliance.failing_findings(self.conn, source_ids)

    def previous_snapshots(self, source_ids: Sequence[str] | None = None) -> list[SnapshotRow]:
        """Each source's compliance state after its previous harvest."""
        with self._guard(M.act_report):
            return compliance.previous_snapshots(self.conn, source_ids)

    # ----------------------------------------------------------------- history

    def thin_history(self, now: dt.datetime | None = None) -> ThinResult:
        """Apply the retention of the monitoring history to every source's snapshots
        (done per source by :meth:`finish_job`; see :mod:`.history`)."""
        moment = as_utc(now) if now is not None else self.now()
        with self._guard(M.act_thin_history), self._transaction() as conn:
            return history.thin(conn, moment)

    def history_rows(
        self, source_ids: Sequence[str] | None = None, *, until: dt.datetime
    ) -> list[HistoryRow]:
        """Every compliance snapshot up to ``until`` with its freshness, oldest first."""
        with self._guard(M.act_report):
            return history.history_rows(self.conn, source_ids, to_iso(until))

    def first_snapshot(self, source_ids: Sequence[str] | None = None) -> dt.datetime | None:
        """When the oldest snapshot kept was taken."""
        with self._guard(M.act_report):
            first = history.first_snapshot(self.conn, source_ids)
        return from_iso(first) if first else None

    def change_events(
        self,
        source_ids: Sequence[str] | None = None,
        *,
        since: dt.datetime | None,
        until: dt.datetime,
        after_job: int | None = None,
    ) -> list[ChangeEvent]:
        """Added, updated, withdrawn and restored events in a window, oldest first."""
        with self._guard(M.act_report):
            return history.change_events(
                self.conn,
                source_ids,
                since=to_iso(since) if since is not None else None,
                until=to_iso(until),
                after_job=after_job,
            )

    def job_started(self, job_id: int) -> dt.datetime | None:
        """When a job started; ``None`` for a job the catalogue does not hold."""
        with self._guard(M.act_report):
            started = history.job_started(self.conn, job_id)
        return from_iso(started) if started else None

    # ----------------------------------------------------------------- publish

    def publish_state(self, target_id: str) -> PublishState:
        """The publish state of one publish target (its ``publish_state`` rows)."""
        return PublishState(self, target_id)

    # ------------------------------------------------------------------- links

    def link_checks(self) -> LinkChecks:
        """The link checks: runs, history and current state per URL (issue 13)."""
        return LinkChecks(self)

    # ------------------------------------------------------------- maintenance

    def rebuild_search_index(self) -> None:
        """Rebuild ``datasets_fts`` from ``datasets`` (after editing the rows by hand)."""
        with self._guard(M.act_reindex), self._transaction() as conn:
            conn.execute("INSERT INTO datasets_fts (datasets_fts) VALUES ('rebuild')")

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check``: ``["ok"]`` for a sound file."""
        with self._guard(M.act_integrity):
            return scalars(self.conn, "PRAGMA integrity_check")


def _access_problem(path: Path, exc: sqlite3.Error) -> CatalogueAccessError | None:
    """What stops SQLite from opening or writing ``path``, when that is a matter of
    access (a folder or file that cannot be written or read); ``None`` otherwise."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    lower = str(exc).lower()
    if name.startswith("SQLITE_READONLY") or "readonly database" in lower:
        return access.probe(path, write=True) or access.file_not_writable(path, None)
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) or (
        "unable to open database file" in lower
    ):
        return access.probe(path, write=False)
    return None


def _append_note(existing: str | None, note: str | None) -> str | None:
    if not note:
        return existing
    if not existing:
        return note
    if note in existing:
        return existing
    return f"{existing}\n{note}"
