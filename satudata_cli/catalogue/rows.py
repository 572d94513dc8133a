"""Reading rows by column name.

The connection of a :class:`~satudata_cli.catalogue.db.Catalogue` returns plain
tuples (what sqlite-utils and a look with ``sqlite3`` expect). The code of this package
never reads a column by its position: a query whose columns are read goes through
:func:`named`, whose cursor returns :class:`sqlite3.Row` (indexed by column name), a
query of one value through :func:`scalar`, and :func:`from_row` fills a result object
whose fields are named as the query's columns.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")

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


def fields_from_row(cls: type[D], row: sqlite3.Row, **values: Any) -> D:
    """The dataclass ``cls`` from the columns of ``row`` named like its fields (other
    columns are left out); ``values`` give fields that need a conversion or that the
    row does not hold, and win over the columns."""
    columns = set(row.keys())
    data = {f.name: row[f.name] for f in dataclasses.fields(cls) if f.name in columns}
    data.update(values)
    return cls(**data)


def _first_column(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Any:
    if len(values) != 1:
        raise ValueError(f"expected a query of one column, got {len(values)}")
    return values[0]
