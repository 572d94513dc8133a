"""The publish state in the catalogue (table ``publish_state``, see schema.py).

One row per target and catalogue dataset: the portal's id and name of the dataset, the
hash of the package last published (equal hash: nothing to send), when, whether it was
hidden or deleted as withdrawn, and the last error (CKAN's field errors of a 409). Each
outcome is committed at once, so a run that stops half-way is continued by the next.

Obtain it with :meth:`Catalogue.publish_state
<satudata_cli.catalogue.db.Catalogue.publish_state>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from satudata_cli.catalogue.errors import CatalogueError
from satudata_cli.catalogue.rows import from_row, named, scalar
from satudata_cli.catalogue.timestamps import to_iso, utc_now
from satudata_cli.core.messages import M

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue

__all__ = ["PublishState", "StateRow"]


@dataclass(frozen=True, slots=True)
class StateRow:
    dataset_id: int
    remote_id: str | None
    remote_name: str | None
    published_hash: str | None
    published_at: str | None
    withdrawn: str | None
    last_error: str | None


_UPSERT = (
    "INSERT INTO publish_state (target_id, dataset_id, remote_id, remote_name, "
    "published_hash, published_at, withdrawn, last_attempt_at, last_error) "
    "VALUES (:target, :dataset, :remote_id, :remote_name, :hash, :at, :withdrawn, "
    ":now, :error) "
    "ON CONFLICT (target_id, dataset_id) DO UPDATE SET "
    "remote_id = coalesce(excluded.remote_id, remote_id), "
    "remote_name = coalesce(excluded.remote_name, remote_name), "
    "published_hash = CASE WHEN excluded.published_at IS NULL THEN published_hash "
    "ELSE excluded.published_hash END, "
    "published_at = coalesce(excluded.published_at, published_at), "
    "withdrawn = excluded.withdrawn, last_attempt_at = excluded.last_attempt_at, "
    "last_error = excluded.last_error"
)


class PublishState:
    """Reads and writes ``publish_state`` rows of one target (main thread only)."""

    def __init__(self, catalogue: Catalogue, target_id: str) -> None:
        self.catalogue = catalogue
        self.target_id = target_id
        if not self._has_table():
            raise CatalogueError(
                f"catalogue {catalogue.path} has no publish state table; open it with this "
                "satudata once to migrate it"
            )

    def _has_table(self) -> bool:
        with self.catalogue._guard(M.act_read_publish_state):
            found = scalar(
                self.catalogue.conn,
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'publish_state'",
            )
        return found is not None

    def rows(self) -> dict[int, StateRow]:
        """The target's rows by catalogue dataset id."""
        with self.catalogue._guard(M.act_read_publish_state):
            cursor = named(
                self.catalogue.conn,
                "SELECT dataset_id, remote_id, remote_name, published_hash, published_at, "
                "withdrawn, last_error FROM publish_state WHERE target_id = ?",
                (self.target_id,),
            )
            return {row["dataset_id"]: from_row(StateRow, row) for row in cursor}

    def save(
        self,
        dataset_id: int,
        *,
        remote_id: str | None,
        remote_name: str | None,
        published_hash: str | None,
        published: bool,
        withdrawn: str | None,
        error: str | None,
    ) -> None:
        """Upsert the row of ``dataset_id``; ``published`` stamps ``published_at``."""
        now = to_iso(utc_now())
        params: dict[str, Any] = {
            "target": self.target_id,
            "dataset": dataset_id,
            "remote_id": remote_id,
            "remote_name": remote_name,
            "hash": published_hash,
            "at": now if published else None,
            "withdrawn": withdrawn,
            "error": error,
            "now": now,
        }
        try:
            self.catalogue.conn.execute(_UPSERT, params)
        except Exception as exc:
            raise CatalogueError(f"cannot record the publish state: {exc}") from exc

    def forget(self, dataset_ids: Sequence[int]) -> None:
        """Drop rows (a dataset purged from the portal is created afresh next time)."""
        with self.catalogue._guard(M.act_forget_publish_state):
            self.catalogue.conn.executemany(
                "DELETE FROM publish_state WHERE target_id = ? AND dataset_id = ?",
                [(self.target_id, i) for i in dataset_ids],
            )
