"""The steps of :meth:`Catalogue.withdraw_missing
<satudata_cli.catalogue.db.Catalogue.withdraw_missing>`, each inside its transaction.

1. :func:`check_complete_pass`: only a complete pass of the right source may withdraw.
2. :func:`mark_missing`: datasets seen again lose ``missing_since``; datasets missing
   for the first time get it.
3. :func:`split_due`: which missing datasets are past their grace period.
4. :func:`too_many`: the safety valve, a reason when too many would go at once.
5. :func:`withdraw`: status ``withdrawn``, one event each, the job's counter.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Set
from typing import NamedTuple

from satudata_cli.catalogue.errors import CatalogueError
from satudata_cli.catalogue.rows import named
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M


class ActiveDataset(NamedTuple):
    id: int
    remote_id: str
    missing_since: str | None


class DueDataset(NamedTuple):
    """A missing dataset past its grace period; ``since``: missing since then."""

    id: int
    remote_id: str
    since: str


def check_complete_pass(conn: sqlite3.Connection, job_id: int, source_id: str) -> None:
    """Refuse a job that does not exist, belongs to another source or is not complete."""
    job = named(conn, "SELECT source_id, full FROM harvest_jobs WHERE id = ?", (job_id,)).fetchone()
    if job is None:
        raise CatalogueError(f"there is no job {job_id}")
    if job["source_id"] != source_id:
        raise ValueError(f"job {job_id} belongs to source {job['source_id']!r}, not {source_id!r}")
    if not job["full"]:
        raise CatalogueError(
            f"job {job_id} is not a complete pass (started without full=True); "
            "only a complete pass may withdraw datasets"
        )


def active_datasets(conn: sqlite3.Connection, source_id: str) -> list[ActiveDataset]:
    rows = named(
        conn,
        "SELECT id, remote_id, missing_since FROM datasets "
        "WHERE source_id = ? AND status = 'active'",
        (source_id,),
    )
    return [ActiveDataset(row["id"], row["remote_id"], row["missing_since"]) for row in rows]


def mark_missing(
    conn: sqlite3.Connection, active: list[ActiveDataset], seen: Set[str], now_iso: str
) -> list[ActiveDataset]:
    """Clear ``missing_since`` of the datasets seen again, set it on the newly missing
    ones (to ``now_iso``); returns the missing datasets as they were before."""
    missing = [d for d in active if d.remote_id not in seen]
    returned = [d.id for d in active if d.missing_since is not None and d.remote_id in seen]
    if returned:
        conn.execute(
            "UPDATE datasets SET missing_since = NULL WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(returned),),
        )
    newly_missing = [d.id for d in missing if d.missing_since is None]
    if newly_missing:
        conn.execute(
            "UPDATE datasets SET missing_since = ? WHERE id IN (SELECT value FROM json_each(?))",
            (now_iso, json.dumps(newly_missing)),
        )
    return missing


def split_due(
    missing: list[ActiveDataset], now_iso: str, due_cutoff: str
) -> tuple[list[DueDataset], list[str]]:
    """The missing datasets past the grace period, and the remote ids of the others."""
    due: list[DueDataset] = []
    pending: list[str] = []
    for dataset in missing:
        since = dataset.missing_since or now_iso
        if since <= due_cutoff:
            due.append(DueDataset(dataset.id, dataset.remote_id, since))
        else:
            pending.append(dataset.remote_id)
    return due, pending


def too_many(source_id: str, due: int, active: int, max_fraction: float) -> Message | None:
    """Why none may go, when ``due`` of ``active`` datasets is more than ``max_fraction``."""
    if due <= max_fraction * active:
        return None
    limit = int(max_fraction * active)
    return M.note_withdraw_blocked.format(
        due=due,
        source=repr(source_id),
        active=active,
        share=f"{due / active:.0%}",
        max=f"{max_fraction:.0%}",
        limit=limit,
    )


def withdraw(
    conn: sqlite3.Connection, job_id: int, due: list[DueDataset], grace_days: int, now_iso: str
) -> None:
    """Withdraw ``due``: status and time, one ``withdrawn`` event each, the job's count."""
    conn.execute(
        "UPDATE datasets SET status = 'withdrawn', withdrawn_at = ? "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (now_iso, json.dumps([d.id for d in due])),
    )
    conn.executemany(
        "INSERT INTO harvest_events (job_id, dataset_id, remote_id, kind, message, at) "
        "VALUES (?, ?, ?, 'withdrawn', ?, ?)",
        [
            (
                job_id,
                d.id,
                d.remote_id,
                f"missing from complete passes since {d.since} (grace period {grace_days} days)",
                now_iso,
            )
            for d in due
        ],
    )
    conn.execute(
        "UPDATE harvest_jobs SET withdrawn = withdrawn + ? WHERE id = ?", (len(due), job_id)
    )
