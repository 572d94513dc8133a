"""Reading rows by column name.

The connection of a :class:`~satudata_cli.catalogue.db.Catalogue` returns plain
tuples (what sqlite-utils and a look with ``sqlite3`` expect). The code of this package
never reads a column by its position: a query whose columns are read goes through
:func:`named`, whose cursor returns :class:`sqlite3.Row` (indexed by column name), a
query of one value through :func:`scalar`, and :func:`from_row` fills a result object
whose fields are named as the query's columns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

Params = Sequence[Any] | Mapping[str, Any]


def named(conn: sqlite3.Connection, sql: str, params: Params = ()) -> sqlite3.Cursor:
    """Run ``sql``; the cursor's rows are :class:`sqlite3.Row`, read by column name."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params)


def scalar(conn: sqlite3.Connection, sql: str, params: Params = ()) -> Any:
    """The one value a query of one column returns; ``None`` when it returns no row."""
    cursor = conn.cursor()
    cursor.row_factory = _first_column
    return cursor.execute(sql, params).fetchone()


def scalars(conn: sqlite3.Connection, sql: str, params: Params = ()) -> list[Any]:
    """The values of a query of one column, one per row."""
    cursor = conn.cursor()
    cursor.row_factory = _first_column
    return cursor.execute(sql, params).fetchall()


def from_row(cls: Callable[..., T], row: sqlite3.Row) -> T:
    """``cls`` built from ``row``: each column goes to the field of its name."""
    return cls(**dict(zip(row.keys(), row, strict=True)))


def _first_column(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Any:
    if len(values) != 1:
        raise ValueError(f"expected a query of one column, got {len(values)}")
    return values[0]
