"""UTC timestamps as the catalogue stores them: ISO 8601 with milliseconds and ``Z``.

Every stored time has the same shape (``2026-05-01T02:00:13.482Z``), so text
comparison in SQL orders them correctly. A naive ``datetime`` is taken as UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def to_iso(value: dt.datetime) -> str:
    value = as_utc(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def from_iso(text: str) -> dt.datetime:
    return as_utc(dt.datetime.fromisoformat(text))
