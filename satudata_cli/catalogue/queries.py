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

DATASET_SUMMARY_COLUMNS = (
    "id, source_id, remote_id, name, title, organization, status, valid, errors, warnings, "
    "infos, first_seen, last_seen, last_changed, missing_since, withdrawn_at"
)
JOB_COLUMNS = (
    "id, source_id, status, full, started_at, finished_at, seconds, added, updated, "
    "unchanged, withdrawn, restored, errored, counters, error, notes, pid, hostname"
)
_EVENT_SELECT = (
    "SELECT e.id, e.job_id, e.kind, e.dataset_id, e.remote_id, d.name, e.message, e.at "
    "FROM harvest_events e LEFT JOIN datasets d ON d.id = e.dataset_id "
)


def dataset_summary(row: Sequence[Any]) -> DatasetSummary:
    return DatasetSummary(
        id=row[0],
        source_id=row[1],
        remote_id=row[2],
        name=row[3],
        title=row[4],
        organization=row[5],
        status=cast(DatasetStatus, row[6]),
        valid=bool(row[7]),
        errors=row[8],
        warnings=row[9],
        infos=row[10],
        first_seen=row[11],
        last_seen=row[12],
        last_changed=row[13],
        missing_since=row[14],
        withdrawn_at=row[15],
    )


def job_info(row: Sequence[Any]) -> JobInfo:
    extra: dict[str, int] = json.loads(row[13]) if row[13] else {}
    return JobInfo(
        id=row[0],
        source_id=row[1],
        status=cast(JobStatus, row[2]),
        full=bool(row[3]),
        started_at=row[4],
        finished_at=row[5],
        seconds=row[6],
        added=row[7],
        updated=row[8],
        unchanged=row[9],
        withdrawn=row[10],
        restored=row[11],
        errored=row[12],
        counters={**dict(zip(JOB_COUNTERS, row[7:13], strict=True)), **extra},
        error=row[14],
        notes=row[15],
        pid=row[16],
        hostname=row[17],
    )


def _event(row: Sequence[Any]) -> EventInfo:
    return EventInfo(
        id=row[0],
        job_id=row[1],
        kind=cast(EventKind, row[2]),
        dataset_id=row[3],
        remote_id=row[4],
        name=row[5],
        message=row[6],
        at=row[7],
    )


def _status_filter(status: str | None, clauses: list[str], params: list[Any]) -> None:
    if status is None:
        return
    if status not in ("active", "withdrawn"):
        raise ValueError(f"status must be 'active', 'withdrawn' or None, not {status!r}")
    clauses.append("status = ?")
    params.append(status)


def list_sources(conn: sqlite3.Connection) -> list[SourceInfo]:
    rows = conn.execute(
        "SELECT id, title, type, url_or_path, config_hash, created_at, updated_at "
        "FROM sources ORDER BY id"
    )
    return [SourceInfo(*row) for row in rows]


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
    rows = conn.execute(
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
    cursor = conn.execute(
        f"SELECT {DATASET_SUMMARY_COLUMNS}, record FROM datasets {where}"  # noqa: S608
        "ORDER BY source_id, id",
        params,
    )
    for row in cursor:
        yield dataset_summary(row), json.loads(row[16])


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
    columns = ", ".join(f"d.{c.strip()}" for c in DATASET_SUMMARY_COLUMNS.split(","))
    sql = (
        f"SELECT {columns} FROM datasets_fts JOIN datasets d ON d.id = datasets_fts.rowid "  # noqa: S608
        f"WHERE {' AND '.join(clauses)} ORDER BY datasets_fts.rank, d.id LIMIT ?"
    )
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
            raise CatalogueError(f"the search {query!r} cannot be used: {exc}") from exc
        raise
    return [dataset_summary(row) for row in rows]


def _find_dataset_id(conn: sqlite3.Connection, id_or_name: int | str) -> int | None:
    if isinstance(id_or_name, int):
        row = conn.execute("SELECT id FROM datasets WHERE id = ?", (id_or_name,)).fetchone()
        return row[0] if row else None
    text = id_or_name.strip()
    if text.isdigit():
        row = conn.execute("SELECT id FROM datasets WHERE id = ?", (int(text),)).fetchone()
        if row:
            return cast(int, row[0])
    if ":" in text:
        source_id, _, remote_id = text.partition(":")
        row = conn.execute(
            "SELECT id FROM datasets WHERE source_id = ? AND remote_id = ?",
            (source_id, remote_id),
        ).fetchone()
        if row:
            return cast(int, row[0])
    for column in ("name", "remote_id"):
        rows = conn.execute(
            f"SELECT id, source_id FROM datasets WHERE {column} = ? "  # noqa: S608
            "ORDER BY status = 'withdrawn', id",
            (text,),
        ).fetchall()
        if len(rows) == 1:
            return cast(int, rows[0][0])
        if rows:
            places = ", ".join(
                f"{source}:{text}" if column == "remote_id" else str(i) for i, source in rows
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
    row = conn.execute(
        f"SELECT {DATASET_SUMMARY_COLUMNS}, record, content_hash, remote_modified "  # noqa: S608
        "FROM datasets WHERE id = ?",
        (dataset_id,),
    ).fetchone()
    resources = [
        ResourceInfo(*r)
        for r in conn.execute(
            "SELECT position, name, url, format, description FROM resources "
            "WHERE dataset_id = ? ORDER BY position",
            (dataset_id,),
        )
    ]
    findings = [
        StoredFinding(*r)
        for r in conn.execute(
            "SELECT rule, severity, path, message_id, message_en, suggestion "
            "FROM validation_findings WHERE dataset_id = ? "
            "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
            "path, rule",
            (dataset_id,),
        )
    ]
    events = [
        _event(r)
        for r in conn.execute(
            _EVENT_SELECT + "WHERE e.dataset_id = ? ORDER BY e.id DESC LIMIT ?",
            (dataset_id, -1 if events_limit is None else events_limit),
        )
    ]
    return DatasetDetail(
        dataset=dataset_summary(row),
        record=json.loads(row[16]),
        content_hash=row[17],
        remote_modified=row[18],
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
    rows = conn.execute(
        f"SELECT {JOB_COLUMNS} FROM harvest_jobs {where}ORDER BY id DESC LIMIT ?",  # noqa: S608
        params,
    )
    return [job_info(row) for row in rows]


def get_job(
    conn: sqlite3.Connection, job_id: int, events_limit: int | None = None
) -> JobDetail | None:
    row = conn.execute(
        f"SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE id = ?",  # noqa: S608
        (job_id,),
    ).fetchone()
    if row is None:
        return None
    events = [
        _event(r)
        for r in conn.execute(
            _EVENT_SELECT + "WHERE e.job_id = ? ORDER BY e.id LIMIT ?",
            (job_id, -1 if events_limit is None else events_limit),
        )
    ]
    return JobDetail(job=job_info(row), events=events)


def stats(conn: sqlite3.Connection) -> CatalogueStats:
    counts: dict[str, tuple[int, int, int, int]] = {
        row[0]: (row[1], row[2], row[3], row[4])
        for row in conn.execute(
            "SELECT source_id, "
            "sum(status = 'active'), sum(status = 'withdrawn'), "
            "sum(status = 'active' AND valid = 1), sum(status = 'active' AND valid = 0) "
            "FROM datasets GROUP BY source_id"
        )
    }
    organizations: dict[str, int] = dict(
        conn.execute(
            "SELECT source_id, count(DISTINCT organization) FROM datasets "
            "WHERE status = 'active' GROUP BY source_id"
        ).fetchall()
    )
    last_jobs = {
        row[1]: job_info(row)
        for row in conn.execute(
            f"SELECT {JOB_COLUMNS} FROM harvest_jobs WHERE id IN "  # noqa: S608
            "(SELECT max(id) FROM harvest_jobs GROUP BY source_id)"
        )
    }
    titles: dict[str, str | None] = dict(conn.execute("SELECT id, title FROM sources").fetchall())
    source_ids = sorted(titles.keys() | counts.keys())
    sources = [
        SourceStats(
            source_id=sid,
            title=titles.get(sid),
            active=counts.get(sid, (0, 0, 0, 0))[0],
            withdrawn=counts.get(sid, (0, 0, 0, 0))[1],
            valid=counts.get(sid, (0, 0, 0, 0))[2],
            invalid=counts.get(sid, (0, 0, 0, 0))[3],
            organizations=organizations.get(sid, 0),
            last_job=last_jobs.get(sid),
        )
        for sid in source_ids
    ]
    last_job_row = conn.execute(
        f"SELECT {JOB_COLUMNS} FROM harvest_jobs ORDER BY id DESC LIMIT 1"  # noqa: S608
    ).fetchone()
    return CatalogueStats(
        sources=sources,
        active=sum(s.active for s in sources),
        withdrawn=sum(s.withdrawn for s in sources),
        valid=sum(s.valid for s in sources),
        invalid=sum(s.invalid for s in sources),
        jobs=conn.execute("SELECT count(*) FROM harvest_jobs").fetchone()[0],
        last_job=job_info(last_job_row) if last_job_row else None,
    )
