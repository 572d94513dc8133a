"""Read-only queries behind ``satudata catalog`` and ``satudata jobs``.

Functions of an open ``sqlite3.Connection`` returning the dataclasses of
:mod:`satudata_cli.catalogue.models`; :class:`~satudata_cli.catalogue.db.Catalogue`
exposes them as methods.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, cast

from satudata_cli.catalogue.errors import CatalogueError
from satudata_cli.catalogue.models import (
    JOB_COUNTERS,
    CatalogueStats,
    DatasetDetail,
    DatasetStatus,
    DatasetSummary,
    EventInfo,
    EventKind,
    JobDetail,
    JobInfo,
    JobStatus,
    ResourceInfo,
    SourceInfo,
    SourceStats,
    StoredFinding,
)
from satudata_cli.catalogue.rows import fields_from_row, from_row, named, scalar

DATASET_SUMMARY_COLUMNS = (
    "id, source_id, remote_id, name, title, organization, status, valid, errors, warnings, "
    "infos, first_seen, last_seen, last_changed, missing_since, withdrawn_at"
)
JOB_COLUMNS = (
    "id, source_id, status, full, started_at, finished_at, seconds, added, updated, "
    "unchanged, withdrawn, restored, errored, counters, error, notes, pid, hostname"
)
_EVENT_SELECT = (
    "SELECT e.id AS id, e.job_id AS job_id, e.kind AS kind, e.dataset_id AS dataset_id, "
    "e.remote_id AS remote_id, d.name AS name, e.message AS message, e.at AS at "
    "FROM harvest_events e LEFT JOIN datasets d ON d.id = e.dataset_id "
)


def dataset_summary(row: sqlite3.Row) -> DatasetSummary:
    """A row with the :data:`DATASET_SUMMARY_COLUMNS` (and maybe more) as a summary."""
    return fields_from_row(
        DatasetSummary,
        row,
        status=cast(DatasetStatus, row["status"]),
        valid=bool(row["valid"]),
    )


def job_info(row: sqlite3.Row) -> JobInfo:
    """A row with the :data:`JOB_COLUMNS` as a job."""
    extra: dict[str, int] = json.loads(row["counters"]) if row["counters"] else {}
    columns = {name: row[name] for name in JOB_COUNTERS}
    return fields_from_row(
        JobInfo,
        row,
        status=cast(JobStatus, row["status"]),
        full=bool(row["full"]),
        counters={**columns, **extra},
    )


def _event(row: sqlite3.Row) -> EventInfo:
    return EventInfo(
        id=row["id"],
        job_id=row["job_id"],
        kind=cast(EventKind, row["kind"]),
        dataset_id=row["dataset_id"],
        remote_id=row["remote_id"],
        name=row["name"],
        message=row["message"],
        at=row["at"],
    )


def _status_filter(status: str | None, clauses: list[str], params: list[Any]) -> None:
    if status is None:
        return
    if status not in ("active", "withdrawn"):
        raise ValueError(f"status must be 'active', 'withdrawn' or None, not {status!r}")
    clauses.append("status = ?")
    params.append(status)


def list_sources(conn: sqlite3.Connection) -> list[SourceInfo]:
    rows = named(
        conn,
        "SELECT id, title, type, url_or_path, config_hash, created_at, updated_at "
        "FROM sources ORDER BY id",
    )
    return [from_row(SourceInfo, row) for row in rows]


def list_datasets(
    conn: sqlite3.Connection,
    source_ids: Sequence[str] | None = None,
    status: str | None = "active",
    limit: int | None = 100,
    offset: int = 0,
) -> list[DatasetSummary]:
    clauses: list[str] = []
    params: list[Any] = []
    if source_ids is not None:
        clauses.append("source_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(source_ids)))
    _status_filter(status, clauses, params)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    params.extend((-1 if limit is None else limit, offset))
    rows = named(
        conn,
        f"SELECT {DATASET_SUMMARY_COLUMNS} FROM datasets {where}"  # noqa: S608 (fixed text)
        "ORDER BY source_id, name, id LIMIT ? OFFSET ?",
        params,
    )
    return [dataset_summary(row) for row in rows]


def iter_records(
    conn: sqlite3.Connection,
    source_ids: Sequence[str] | None = None,
    status: str | None = "active",
) -> Iterator[tuple[DatasetSummary, dict[str, Any]]]:
    clauses: list[str] = []
    params: list[Any] = []
    if source_ids is not None:
        clauses.append("source_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(source_ids)))
    _status_filter(status, clauses, params)
    where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
    cursor = named(
        conn,
        f"SELECT {DATASET_SUMMARY_COLUMNS}, record FROM datasets {where}"  # noqa: S608
        "ORDER BY source_id, id",
        params,
    )
    for row in cursor:
        yield dataset_summary(row), json.loads(row["record"])


_WORD = re.compile(r"\w+")


def fts_query(query: str) -> str:
    """A user's search text as a safe FTS5 query.

    Every whitespace-separated chunk becomes a quoted phrase of its words (so
    ``"``, ``-``, ``:``, ``(``, ``AND``/``OR``/``NOT`` lose any meaning and can never be
    a syntax error); a chunk ending in ``*`` is a prefix search (``puskes*``). The
    phrases are ANDed. Raises :class:`CatalogueError` when there is no word at all.
    """
    phrases: list[str] = []
    for chunk in query.split():
        words = _WORD.findall(chunk)
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        if chunk.endswith("*"):
            phrase += "*"
        phrases.append(phrase)
    if not phrases:
        raise CatalogueError(f"the search {query!r} has no word to look for")
    return " ".join(phrases)


def search(
    conn: sqlite3.Connection,
    query: str,
    limit: int | None = 20,
    status: str | None = "active",
    source_ids: Sequence[str] | None = None,
) -> list[DatasetSummary]:
    match = fts_query(query)
    clauses = ["datasets_fts MATCH ?"]
    params: list[Any] = [match]
    if source_ids is not None:
        clauses.append("source_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(source_ids)))
    _status_filter(status, clauses, params)
    params.append(-1 if limit is None else limit)
    columns = ", ".join(
        f"d.{c} AS {c}" for c in (c.strip() for c in DATASET_SUMMARY_COLUMNS.split(","))
    )
    sql = (
        f"SELECT {columns} FROM datasets_fts JOIN datasets d ON d.id = datasets_fts.rowid "  # noqa: S608
        f"WHERE {' AND '.join(clauses)} ORDER BY datasets_fts.rank, d.id LIMIT ?"
    )
    try:
        rows = named(conn, sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
            raise CatalogueError(f"the search {query!r} cannot be used: {exc}") from exc
        raise
    return [dataset_summary(row) for row in rows]


def _find_dataset_id(conn: sqlite3.Connection, id_or_name: int | str) -> int | None:
    by_id = "SELECT id FROM datasets WHERE id = ?"
    if isinstance(id_or_name, int):
        return cast(int | None, scalar(conn, by_id, (id_or_name,)))
    text = id_or_name.strip()
    if text.isdigit():
        found = scalar(conn, by_id, (int(text),))
        if found is not None:
            return cast(int, found)
    if ":" in text:
        source_id, _, remote_id = text.partition(":")
        found = scalar(
            conn,
            "SELECT id FROM datasets WHERE source_id = ? AND remote_id = ?",
            (source_id, remote_id),
        )
        if found is not None:
            return cast(int, found)
    for column in ("name", "remote_id"):
        rows = named(
            conn,
            f"SELECT id, source_id FROM datasets WHERE {column} = ? "  # noqa: S608
            "ORDER BY status = 'withdrawn', id",
            (text,),
        ).fetchall()
        if len(rows) == 1:
            return cast(int, rows[0]["id"])
        if rows:
            places = ", ".join(
                f"{row['source_id']}:{text}" if column == "remote_id" else str(row["id"])
                for row in rows
            )
            raise CatalogueError(
                f"{len(rows)} datasets have the {column.replace('_', ' ')} {text!r}; "
                f"name one by id or as source:remote_id ({places})"
            )
    return None


def get_dataset(
    conn: sqlite3.Connection, id_or_name: int | str, events_limit: int | None = 50
) -> DatasetDetail | None:
    dataset_id = _find_dataset_id(conn, id_or_name)
    if dataset_id is None:
        return None
    row = named(
        conn,
        f"SELECT {DATASET_SUMMARY_COLUMNS}, record, content_hash, remote_modified "  # noqa: S608
        "FROM datasets WHERE id = ?",
        (dataset_id,),
    ).fetchone()
    resources = [
        from_row(ResourceInfo, r)
        for r in named(
            conn,
            "SELECT position, name, url, format, description FROM resources "
            "WHERE dataset_id = ? ORDER BY position",
            (dataset_id,),
        )
    ]
    findings = [
        from_row(StoredFinding, r)
        for r in named(
            conn,
            "SELECT rule, severity, path, message_id, message_en, suggestion "
            "FROM validation_findings WHERE dataset_id = ? "
            "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
            "path, rule",
            (dataset_id,),
        )
    ]
    events = [
        _event(r)
        for r in named(
            conn,
            _EVENT_SELECT + "WHERE e.dataset_id = ? ORDER BY e.id DESC LIMIT ?",
            (dataset_id, -1 if events_limit is None else events_limit),
        )
    ]
    return DatasetDetail(
        dataset=dataset_summary(row),
        record=json.loads(row["record"]),
        content_hash=row["content_hash"],
        remote_modified=row["remote_modified"],
        resources=resources,
        findings=findings,
        events=events,
    )


def list_jobs(
    conn: sqlite3.Connection, limit: int | None = 20, source_id: str | None = None
) -> list[JobInfo]:
    where = "WHERE source_id = ? " if source_id is not None else ""
    params: list[Any] = [source_id] if source_id is not None else []
    params.append(-1 if limit is None else limit)
    rows = named(
        conn,
        f"SELECT {JOB_COLUMNS} FROM harvest_jobs {where}ORDER BY id DESC LIMIT ?",  # noqa: S608
        params,
    )
    return [job_info(row) for row in rows]


def source_runs(conn: sqlite3.Connection) -> dict[str, tuple[JobInfo, str | None, str | None, int]]:
    """Per source with jobs: its newest job, that job's ``pid_started``, when its newest
    finished job started, and how many failed or interrupted jobs came after that one
    (the consecutive failures; a job still marked running is not counted)."""
    summary = {
        row["source_id"]: row
        for row in named(
            conn,
            "WITH s AS (SELECT source_id, max(id) AS newest, "
            "max(CASE WHEN status = 'finished' THEN id END) AS last_ok "
            "FROM harvest_jobs GROUP BY source_id) "
            "SELECT s.source_id AS source_id, s.newest AS newest, "
            "ok.started_at AS last_success, "
            "(SELECT count(*) FROM harvest_jobs j WHERE j.source_id = s.source_id "
            "AND j.id > coalesce(s.last_ok, 0) AND j.status IN ('failed', 'interrupted')) "
            "AS failures "
            "FROM s LEFT JOIN harvest_jobs ok ON ok.id = s.last_ok",
        )
    }
    newest = {
        row["id"]: (job_info(row), row["pid_started"])
        for row in named(
            conn,
            f"SELECT {JOB_COLUMNS}, pid_started FROM harvest_jobs WHERE id IN "  # noqa: S608
            "(SELECT max(id) FROM harvest_jobs GROUP BY source_id)",
        )
    }
    result: dict[str, tuple[JobInfo, str | None, str | None, int]] = {}
    for source_id, row in summary.items():
        job, pid_started = newest[row["newest"]]
        result[source_id] = (job, pid_started, row["last_success"], int(row["failures"]))
    return result


def get_job(
    conn: sqlite3.Connection, job_id: int, events_limit: int | None = None
) -> JobDetail | None:
    row = named(
        conn,
        f"SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE id = ?",  # noqa: S608
        (job_id,),
    ).fetchone()
    if row is None:
        return None
    events = [
        _event(r)
        for r in named(
            conn,
            _EVENT_SELECT + "WHERE e.job_id = ? ORDER BY e.id LIMIT ?",
            (job_id, -1 if events_limit is None else events_limit),
        )
    ]
    return JobDetail(job=job_info(row), events=events)


def stats(conn: sqlite3.Connection) -> CatalogueStats:
    counts = {
        row["source_id"]: row
        for row in named(
            conn,
            "SELECT source_id, "
            "sum(status = 'active') AS active, sum(status = 'withdrawn') AS withdrawn, "
            "sum(status = 'active' AND valid = 1) AS valid, "
            "sum(status = 'active' AND valid = 0) AS invalid "
            "FROM datasets GROUP BY source_id",
        )
    }
    organizations: dict[str, int] = {
        row["source_id"]: row["organizations"]
        for row in named(
            conn,
            "SELECT source_id, count(DISTINCT organization) AS organizations FROM datasets "
            "WHERE status = 'active' GROUP BY source_id",
        )
    }
    last_jobs = {
        row["source_id"]: job_info(row)
        for row in named(
            conn,
            f"SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE id IN "  # noqa: S608
            "(SELECT max(id) FROM harvest_jobs GROUP BY source_id)",
        )
    }
    titles: dict[str, str | None] = {
        row["id"]: row["title"] for row in named(conn, "SELECT id, title FROM sources")
    }
    source_ids = sorted(titles.keys() | counts.keys())
    sources = [
        SourceStats(
            source_id=sid,
            title=titles.get(sid),
            active=_count(counts.get(sid), "active"),
            withdrawn=_count(counts.get(sid), "withdrawn"),
            valid=_count(counts.get(sid), "valid"),
            invalid=_count(counts.get(sid), "invalid"),
            organizations=organizations.get(sid, 0),
            last_job=last_jobs.get(sid),
        )
        for sid in source_ids
    ]
    last_job_row = named(
        conn,
        f"SELECT {JOB_COLUMNS} FROM harvest_jobs ORDER BY id DESC LIMIT 1",  # noqa: S608
    ).fetchone()
    return CatalogueStats(
        sources=sources,
        active=sum(s.active for s in sources),
        withdrawn=sum(s.withdrawn for s in sources),
        valid=sum(s.valid for s in sources),
        invalid=sum(s.invalid for s in sources),
        jobs=scalar(conn, "SELECT count(*) FROM harvest_jobs"),
        last_job=job_info(last_job_row) if last_job_row else None,
    )


def _count(row: sqlite3.Row | None, column: str) -> int:
    return int(row[column]) if row is not None else 0
