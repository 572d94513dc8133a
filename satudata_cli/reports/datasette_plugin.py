"""satudata's Datasette plugin: the SQL functions of the katalog's canned queries.

Registered as the ``datasette`` entry point ``satudata`` (pyproject.toml), so Datasette
loads it by itself when it runs in the same environment as satudata
(``pip install datasette`` beside satudata). Only Datasette imports this module.

``satudata_days_overdue(tanggal_diperbarui, remote_modified, first_seen,
jadwal_pemutakhiran)`` gives the days a dataset is overdue today (0 when on time, NULL
when its jadwal pemutakhiran has no period), judged by
:func:`~satudata_cli.reports.build.freshness_of` like ``satudata report freshness``.
``satudata_freshness(...)`` with the same arguments gives the status word
(``on_time``, ``overdue``, ``unknown_frequency``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

import pluggy

from satudata_cli.reports.build import Freshness, freshness_of
from satudata_cli.standard.schema import load_standard

hookimpl = pluggy.HookimplMarker("datasette")


class Connection(Protocol):
    """What the plugin needs of a SQLite connection (Datasette gives a sqlite3 one)."""

    def create_function(
        self, name: str, narg: int, func: Callable[..., object] | None, *, deterministic: bool
    ) -> None: ...


def _freshness(
    tanggal_diperbarui: object, remote_modified: object, first_seen: object, jadwal: object
) -> Freshness | None:
    if not isinstance(first_seen, str):
        return None  # not a row of the katalog's datasets table
    today = datetime.now(UTC).date()
    try:
        return freshness_of(
            tanggal_diperbarui=tanggal_diperbarui if isinstance(tanggal_diperbarui, str) else None,
            remote_modified=remote_modified if isinstance(remote_modified, str) else None,
            first_seen=first_seen,
            jadwal_pemutakhiran=jadwal if isinstance(jadwal, str) else None,
            standard=load_standard(),
            as_of=today,
            today=today,
        )
    except (AssertionError, ValueError):  # a first_seen the katalog did not write
        return None


def days_overdue(
    tanggal_diperbarui: object, remote_modified: object, first_seen: object, jadwal: object
) -> int | None:
    found = _freshness(tanggal_diperbarui, remote_modified, first_seen, jadwal)
    return None if found is None else found.days_overdue


def freshness_status(
    tanggal_diperbarui: object, remote_modified: object, first_seen: object, jadwal: object
) -> str | None:
    found = _freshness(tanggal_diperbarui, remote_modified, first_seen, jadwal)
    return None if found is None else found.status


def register(conn: Connection) -> None:
    """Adds the functions to one SQLite connection (also usable without Datasette)."""
    conn.create_function("satudata_days_overdue", 4, days_overdue, deterministic=False)
    conn.create_function("satudata_freshness", 4, freshness_status, deterministic=False)


@hookimpl
def prepare_connection(conn: Connection, database: str, datasette: Any) -> None:
    register(conn)
