"""Whether a dataset is on time: ONE judgement for the freshness report and for the
per-job freshness snapshot of the catalogue (``freshness_snapshots``).

The last update is ``tanggal_diperbarui``, else the source's modified time, else the
day the catalogue first saw the dataset; a date after today is a mistake
(``tanggal.future``), not an update, and the next one is taken. The due date is
computed as the ``freshness.overdue`` rule computes it (:func:`due_date`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from satudata_cli.standard.rules import due_date, parse_date
from satudata_cli.standard.schema import Standard

FreshnessStatus = Literal["on_time", "overdue", "unknown_frequency"]
LastUpdateFrom = Literal["tanggal_diperbarui", "remote_modified", "first_seen"]


@dataclass(frozen=True, slots=True)
class Freshness:
    last_update: date
    last_update_from: LastUpdateFrom
    period_days: int | None
    next_due: date | None
    days_overdue: int | None
    status: FreshnessStatus


def update_day(raw: str | None, today: date) -> date | None:
    """The day ``raw`` reads as, when it is one and not after ``today``; else None (a
    later date is a mistake, not an update)."""
    if not raw:
        return None
    parsed = parse_date(raw)
    return parsed.value if parsed is not None and parsed.value <= today else None


def last_update(
    tanggal_diperbarui: str | None,
    remote_modified: str | None,
    first_seen: str,
    today: date,
) -> tuple[date, LastUpdateFrom]:
    """The first readable date of tanggal_diperbarui, the source's modified time, first
    seen, that is not after ``today``."""
    for raw, origin in (
        (tanggal_diperbarui, "tanggal_diperbarui"),
        (remote_modified, "remote_modified"),
    ):
        day = update_day(raw, today)
        if day is not None:
            return day, origin  # type: ignore[return-value]
    first = parse_date(first_seen)
    assert first is not None  # written by the catalogue as an ISO time
    return first.value, "first_seen"


def judge(
    standard: Standard,
    jadwal_pemutakhiran: str | None,
    tanggal_diperbarui: str | None,
    remote_modified: str | None,
    first_seen: str,
    *,
    as_of: date,
    today: date,
    grace_days: int = 0,
) -> Freshness:
    """The freshness of one dataset on ``as_of``."""
    last, origin = last_update(tanggal_diperbarui, remote_modified, first_seen, today)
    term = (
        standard.vocabularies["frekuensi"].terms.get(jadwal_pemutakhiran)
        if jadwal_pemutakhiran
        else None
    )
    days = term.days if term is not None else None
    due: date | None = None
    overdue: int | None = None
    status: FreshnessStatus = "unknown_frequency"
    if days is not None:
        due = due_date(last, days, grace_days)
        overdue = max(0, (as_of - due).days)
        status = "overdue" if overdue > 0 else "on_time"
    return Freshness(last, origin, days, due, overdue, status)
