"""Storing one job's records: :class:`JobWriter`.

A writer belongs to one running job of one source. At start it loads, in one query,
the map ``remote_id -> (dataset id, content hash, findings hash, withdrawn?)`` of the
source. :meth:`JobWriter.put` then decides in memory:

``added``
    a remote id the catalogue has never seen;
``restored``
    a withdrawn dataset that reappeared (status back to ``active``);
``unchanged``
    same content hash and same verdict (findings hash) as stored: **no row is written
    for it**; only its id is remembered so that ``last_seen`` advances;
``updated``
    anything else (content changed, or only the verdict changed: a new profile or
    region list). The event message names the changed top-level fields.

Nothing touches SQLite until :meth:`JobWriter.flush` (called every ``batch_size``
puts, default 2,000, and on a clean exit), which writes the whole batch in **one**
``BEGIN IMMEDIATE`` transaction with ``executemany``
(:func:`~satudata_cli.catalogue.batches.write_batch`): new and changed ``datasets``
rows, their ``resources`` and ``validation_findings`` (deleted and rewritten only for
changed datasets), their text in the search index ``datasets_fts`` (set-based, see
:mod:`~satudata_cli.catalogue.schema`), one ``harvest_events`` row per added,
updated, restored and errored dataset, the job's counters (incremented, so an
interrupted job shows what was stored), and one ``UPDATE`` for the batch's unchanged
datasets that sets ``last_seen`` (and clears ``missing_since``) in a single statement
over a JSON array of ids. That is the only write an unchanged dataset costs (no record, resource,
finding, event or index row); ``last_seen`` sits near the start of the row so a large
record's overflow pages stay untouched.

Skipping validation: :meth:`JobWriter.touch` takes a content hash instead of a record
and verdict. When it equals the stored hash the dataset counts as unchanged at once, so
an engine can skip validating records whose content did not change (when the profile
and satudata are the same as in the last job; otherwise put them, so that a changed
verdict is stored).

**Unchanged datasets get no event row**: a nightly harvest of 100,000 unchanged
datasets would otherwise add 100,000 rows of history a night. They are counted on the
job (``harvest_jobs.unchanged``) instead.

**Background** (``Catalogue.writer(..., background=True)``, what the harvest engine
asks for): from the first full batch on, :meth:`flush` hands each batch to the job's
write process (:class:`~satudata_cli.catalogue.batches.BatchProcess`) and returns, so
the next batch is fetched, mapped and validated while the last one is written (a
source of fewer than ``batch_size`` records is written in line and starts no process;
where no process can be started, every batch is written in line). One batch is handed
over at a time: the next flush, :meth:`close` and a dataset of that batch seen again
wait for it, and a failure of it is raised there. Measured: a first harvest of 20,000
CKAN datasets in 4.0 instead of 5.7 s on 2 cores.

Leaving the ``with`` block with an exception (Ctrl-C included) discards the batch
that was not flushed yet; earlier batches (one handed to the write process included:
it is finished first) are committed and stay. Because a batch is held in memory and
the write lock is taken only when it is written, a kill at any moment loses at most
the open batch and never leaves a half-written one: SQLite's WAL rolls back an
uncommitted transaction on the next open, and the write process rolls its batch back
when its harvest is gone before ``COMMIT``. After a failed flush the writer is closed;
the job should be finished as ``failed``.

Times: every row of a batch gets the batch's flush time (``last_seen``,
``first_seen``, ``last_changed``, event ``at``).

Speed (measured on the shared 2-core development machine, 20,000 new CKAN datasets with
~6.7 findings each, whole writer): batches of 2,000 rather than 500 (fewer commits and
WAL checkpoints: ~10-15 %); the findings' and events' CHECK constraints rewritten
without ``IN`` lists (schema v3; ~0.6 s); foreign-key checks off for the child rows of a
batch with changes, the references the writer does not create itself verified
set-based instead (see :mod:`~satudata_cli.catalogue.batches`); findings rows and the severity
counts built in one pass without the enum's ``value`` descriptor; one SHA-256 update per
verdict in :func:`~satudata_cli.catalogue.hashing.findings_hash` (same digest).

A writer is used from one thread, like its :class:`~satudata_cli.catalogue.db.Catalogue`
(and the catalogue is not used for anything else while its writer is open).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from satudata_cli.catalogue.batches import (
    Batch,
    BatchFailed,
    BatchProcess,
    Change,
    Statements,
    run_batch,
)
from satudata_cli.catalogue.errors import CatalogueError, UnstorableRecordError
from satudata_cli.catalogue.hashing import canonical_json_and_hash, findings_hash
from satudata_cli.catalogue.models import PutKind
from satudata_cli.catalogue.rows import named, scalar
from satudata_cli.catalogue.schema import FTS_COLUMNS
from satudata_cli.catalogue.timestamps import to_iso
from satudata_cli.core.messages import M
from satudata_cli.core.values import printable
from satudata_cli.standard.findings import RecordResult, Severity

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue

DEFAULT_BATCH_SIZE = 2000
#: the batch of a background writer: smaller, so the write process holds less (about
#: 24 instead of 43 MB), and faster too: the last batch, written after the records end,
#: is a quarter of the size (measured: first harvest of 20,000 CKAN datasets 3.3-3.8 s
#: against 3.75-3.9 s with 2,000)
PROCESS_BATCH_SIZE = 500


class _Known(NamedTuple):
    """What the writer knows of a dataset of its source, by remote id."""

    dataset_id: int | None  # None while its insert is in the open batch
    content_hash: str
    findings_hash: str
    withdrawn: bool


_WRITER_COUNTERS = ("added", "updated", "unchanged", "restored", "errored")

_FTS_COLUMNS = ", ".join(FTS_COLUMNS)
# the search index is maintained per batch and set-based (see schema.py)
STATEMENTS = Statements(
    fts_delete=(
        f"INSERT INTO datasets_fts (datasets_fts, rowid, {_FTS_COLUMNS}) "  # noqa: S608
        f"SELECT 'delete', id, {_FTS_COLUMNS} FROM datasets "
        "WHERE id IN (SELECT value FROM json_each(?))"
    ),
    fts_insert=(
        f"INSERT INTO datasets_fts (rowid, {_FTS_COLUMNS}) "  # noqa: S608
        f"SELECT id, {_FTS_COLUMNS} FROM datasets WHERE id IN (SELECT value FROM json_each(?))"
    ),
)

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING
_INFO = Severity.INFO


def _finding_cells(result: RecordResult) -> list[tuple[str, str, str, str, str, str | None]]:
    """A verdict's findings as the ``validation_findings`` cells after the dataset id."""
    cells = []
    for f in result.findings:
        severity = f.severity
        if severity is _ERROR:
            level = "error"
        elif severity is _WARNING:
            level = "warning"
        else:
            level = "info" if severity is _INFO else severity.value
        msg = f.message
        cells.append((f.rule, level, f.path, msg.id, msg.en, f.suggestion))
    return cells


@dataclass(slots=True)
class _Open:
    """The writer's open batch."""

    changes: list[Change] = field(default_factory=list)
    unchanged_ids: list[int] = field(default_factory=list)
    rehashed: list[tuple[str, int]] = field(default_factory=list)
    #: (dataset id when the catalogue already holds it, remote id, message)
    errors: list[tuple[int | None, str | None, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_WRITER_COUNTERS, 0))

    @property
    def empty(self) -> bool:
        return not (self.changes or self.unchanged_ids or self.errors)


class JobWriter:
    """Stores the records of one job in batches; see the module docstring.

    Obtain it from :meth:`Catalogue.writer` and use it as a context manager.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        job_id: int,
        source_id: str,
        *,
        batch_size: int | None = None,
        background: bool = False,
    ) -> None:
        if batch_size is None:
            batch_size = PROCESS_BATCH_SIZE if background else DEFAULT_BATCH_SIZE
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._cat = catalogue
        self.job_id = job_id
        self.source_id = source_id
        self.batch_size = batch_size
        self._known: dict[str, _Known] = {}
        self._batch = _Open()
        self._batch_ids: set[str] = set()
        self._input_hashes: dict[str, str] = {}
        self._puts = 0
        self._flushed_counts = dict.fromkeys(_WRITER_COUNTERS, 0)
        self._seen: set[str] = set()
        self._closed = False
        # the write process (started on the first full batch) and the batch it holds
        self._background = background
        self._process: BatchProcess | None = None
        self._pending: _Open | None = None
        self._references_off: bool | None = None  # read with the first batch of changes
        self._load()

    def _load(self) -> None:
        with self._cat._guard(M.act_load_datasets.format(source=repr(self.source_id))):
            cursor = named(
                self._cat.conn,
                "SELECT remote_id, id, content_hash, findings_hash, "
                "status = 'withdrawn' AS withdrawn, input_hash FROM datasets WHERE source_id = ?",
                (self.source_id,),
            )
            self._known = {}
            self._input_hashes = {}
            for row in cursor:
                remote_id = row["remote_id"]
                self._known[remote_id] = _Known(
                    row["id"], row["content_hash"], row["findings_hash"], bool(row["withdrawn"])
                )
                if row["input_hash"] is not None:
                    self._input_hashes[remote_id] = row["input_hash"]

    # ----------------------------------------------------------------- public

    @property
    def counters(self) -> dict[str, int]:
        """Datasets put so far by kind, plus ``errored`` (unflushed ones included)."""
        pending = self._pending.counts if self._pending is not None else None
        return {
            k: self._flushed_counts[k] + self._batch.counts[k] + (pending[k] if pending else 0)
            for k in _WRITER_COUNTERS
        }

    @property
    def seen(self) -> set[str]:
        """Every remote id put or reported as errored in this job.

        Pass it to :meth:`Catalogue.withdraw_missing` after a complete pass: a dataset
        that exists remotely but failed to map must not count as missing.
        """
        return self._seen

    @property
    def known_count(self) -> int:
        """How many datasets of the source the catalogue holds (any status)."""
        return len(self._known)

    def put(
        self,
        remote_id: str,
        record: Mapping[str, Any],
        result: RecordResult,
        *,
        remote_modified: str | None = None,
        input_hash: str | None = None,
    ) -> PutKind:
        """Queue one record; returns what it is to the catalogue.

        ``record`` is the canonical record (``result.normalized``), ``result`` its
        verdict. Raises :class:`UnstorableRecordError` (and queues nothing) when the
        record, its remote id or its modification time holds a value with no JSON
        form in UTF-8 (infinity, NaN, bytes, a lone surrogate): the engine makes it an
        errored record (:meth:`error`) and goes on.
        """
        self._check_open()
        for label, text in (("remote id", remote_id), ("modification time", remote_modified)):
            if text is not None and printable(text) != text:
                raise UnstorableRecordError(
                    f"the record cannot be stored as JSON: its {label} {printable(text)!r} holds a "
                    "lone surrogate (such as \\ud800, an emoji cut in half) that has no "
                    "UTF-8 form"
                )
        if remote_id in self._batch_ids:
            # the same dataset twice in one batch (a repeated page): store the first
            # before judging the second against it
            self.flush()
        text, chash = canonical_json_and_hash(record)
        valid = result.valid
        fhash = findings_hash(result, valid)
        self._seen.add(remote_id)
        prev = self._known_settled(remote_id)
        kind: PutKind
        dataset_id: int | None = None
        if prev is None:
            kind = "added"
        else:
            dataset_id = prev.dataset_id
            withdrawn = prev.withdrawn
            if not withdrawn and prev.content_hash == chash and prev.findings_hash == fhash:
                assert dataset_id is not None
                if input_hash is not None and self._input_hashes.get(remote_id) != input_hash:
                    # same content and verdict, new input hash (e.g. a new day): keep it so
                    # the next run can skip validation; last_seen moves in the same update
                    self._batch.rehashed.append((input_hash, dataset_id))
                    self._input_hashes[remote_id] = input_hash
                self._batch.unchanged_ids.append(dataset_id)
                self._count("unchanged")
                return "unchanged"
            kind = "restored" if withdrawn else "updated"
        self._batch.changes.append(
            (
                kind,
                dataset_id,
                remote_id,
                text,
                chash,
                fhash,
                valid,
                remote_modified,
                input_hash,
                _finding_cells(result),
            )
        )
        if input_hash is not None:
            self._input_hashes[remote_id] = input_hash
        self._batch_ids.add(remote_id)
        self._known[remote_id] = _Known(dataset_id, chash, fhash, False)
        self._count(kind)
        return kind

    def stored_hash(self, remote_id: str) -> str | None:
        """The content hash the catalogue holds for an active dataset, else ``None``."""
        known = self._known.get(remote_id)
        if known is None or known.withdrawn:
            return None
        return known.content_hash

    def touch_input(self, remote_id: str, input_hash: str) -> bool:
        """Count an active dataset as ``unchanged`` when its input is what it was.

        ``input_hash`` is the engine's hash of the record as the source gave it and of
        the validator that judged it (version, profile, day). When it equals the stored
        one, the stored record and verdict are still right and validation is skipped.
        """
        self._check_open()
        if self._input_hashes.get(remote_id) != input_hash or remote_id in self._batch_ids:
            return False
        known = self._known_settled(remote_id)
        if known is None or known.withdrawn or known.dataset_id is None:
            return False
        self._seen.add(remote_id)
        self._batch.unchanged_ids.append(known.dataset_id)
        self._count("unchanged")
        return True

    def touch(self, remote_id: str, content_hash: str) -> bool:
        """Count an active dataset as ``unchanged`` if ``content_hash`` is its stored hash.

        Returns ``False`` (and does nothing) when the dataset is new, withdrawn or
        changed: then validate it and :meth:`put` it. The stored verdict is kept as it is.
        """
        self._check_open()
        known = self._known_settled(remote_id)
        if (
            known is None
            or known.withdrawn
            or known.dataset_id is None
            or known.content_hash != content_hash
        ):
            return False
        self._seen.add(remote_id)
        self._batch.unchanged_ids.append(known.dataset_id)
        self._count("unchanged")
        return True

    def error(self, remote_id: str | None, message: str) -> None:
        """Record an ``errored`` event: a record that could not be fetched, parsed or
        mapped. The job goes on; the dataset's stored row (if any) is left as it is.

        A lone surrogate in the id or the message (text from a portal) is stored as its
        escape (``\\ud800``): an event row must always be writable."""
        self._check_open()
        message = printable(message)
        known_id: int | None = None
        if remote_id is not None:
            remote_id = printable(remote_id)
            self._seen.add(remote_id)
            known = self._known_settled(remote_id)
            known_id = known.dataset_id if known is not None else None
        self._batch.errors.append((known_id, remote_id, message))
        self._count("errored")

    def flush(self) -> None:
        """Write the open batch in one transaction (nothing to do when it is empty).

        A background writer hands a full batch to its write process and returns at
        once; the next flush, a dataset of that batch seen again, :meth:`close` and
        :meth:`discard` wait for it, and its failure is raised there."""
        self._check_open()
        self._settle()
        batch = self._batch
        if batch.empty:
            return
        self._batch = _Open()
        self._batch_ids = set()
        self._puts = 0
        try:
            message = self._message(batch)
            process = self._write_process(batch)
            if process is not None:
                try:
                    process.submit(message)
                except BatchFailed as exc:
                    raise self._process_failed(exc) from None
                # only its counts are kept: the records are the process's now
                self._pending = _Open(counts=batch.counts)
                return
            with self._cat._guard(M.act_store_batch):
                added = run_batch(self._cat.conn, STATEMENTS, message)
        except BaseException:
            self._closed = True
            self._end_process()
            raise
        self._apply(batch, added)

    def close(self) -> None:
        """Flush the open batch, wait for its write and close the writer."""
        if not self._closed:
            try:
                self.flush()
                self._settle()
            finally:
                self._closed = True
                self._end_process()

    def discard(self) -> None:
        """Drop the open batch without writing it and close the writer (a batch already
        handed to the write process is finished first: a flushed batch stays)."""
        self._batch = _Open()
        self._batch_ids = set()
        self._pending = None
        self._closed = True
        self._end_process()

    def __enter__(self) -> JobWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    # ---------------------------------------------------------------- internal

    def _check_open(self) -> None:
        if self._closed:
            raise CatalogueError(f"the writer of job {self.job_id} is closed")

    def _count(self, kind: str) -> None:
        self._batch.counts[kind] += 1
        self._puts += 1
        if self._puts >= self.batch_size:
            self.flush()

    def _message(self, batch: _Open) -> Batch:
        """The open batch as the plain values :func:`run_batch` writes."""
        counts = batch.counts
        return Batch(
            self.job_id,
            self.source_id,
            to_iso(self._cat.now()),
            batch.changes,
            batch.errors,
            batch.unchanged_ids,
            batch.rehashed,
            tuple(counts[k] for k in _WRITER_COUNTERS),  # the order of batches' counters
            bool(batch.changes) and self._checks_references(),
        )

    def _checks_references(self) -> bool:
        """Whether the catalogue enforces foreign keys (a batch with changes then turns
        them off and verifies its references itself, see :mod:`.batches`)."""
        if self._references_off is None:
            with self._cat._guard(M.act_store_batch):
                self._references_off = bool(scalar(self._cat.conn, "PRAGMA foreign_keys"))
        return self._references_off

    def _write_process(self, batch: _Open) -> BatchProcess | None:
        """The write process for ``batch``: a background writer starts it on its first
        full batch (a small source never needs one); None to write in line."""
        if self._process is not None or not self._background:
            return self._process
        if sum(batch.counts.values()) < self.batch_size:
            return None
        try:
            self._process = BatchProcess(str(self._cat.path), self._cat.busy_timeout, STATEMENTS)
        except (OSError, BatchFailed):
            self._background = False  # no process to be had: write in line, as before
        return self._process

    def _end_process(self) -> None:
        if self._process is not None:
            process, self._process = self._process, None
            process.close()

    def _known_settled(self, remote_id: str) -> _Known | None:
        """What the writer knows of ``remote_id``, with its dataset id when the batch
        the write process holds adds it (waiting for that batch)."""
        known = self._known.get(remote_id)
        if (
            known is not None
            and known.dataset_id is None
            and self._pending is not None
            and remote_id not in self._batch_ids
        ):
            self._settle()
            known = self._known.get(remote_id)
        return known

    def _settle(self) -> None:
        """Wait for the batch the write process holds; raise its failure (the writer is
        then closed, like after a failed flush)."""
        if self._pending is None:
            return
        batch, self._pending = self._pending, None
        assert self._process is not None
        try:
            with self._cat._guard(M.act_store_batch):
                try:
                    added = self._process.wait()
                except BatchFailed as exc:
                    if isinstance(exc.error, sqlite3.Error):
                        raise exc.error from None
                    raise self._process_failed(exc) from None
        except BaseException:
            self._closed = True
            self._batch = _Open()
            self._batch_ids = set()
            self._end_process()
            raise
        self._apply(batch, added)

    def _process_failed(self, exc: BatchFailed) -> CatalogueError:
        return CatalogueError(
            M.err_cat_failed.format(path=self._cat.path, action=M.act_store_batch, reason=exc.error)
        )

    def _apply(self, batch: _Open, added: list[tuple[str, int]]) -> None:
        """A written batch: its new datasets get their ids, its counts are flushed."""
        for remote_id, dataset_id in added:
            queued = self._known[remote_id]
            self._known[remote_id] = _Known(
                dataset_id, queued.content_hash, queued.findings_hash, queued.withdrawn
            )
        for key, value in batch.counts.items():
            self._flushed_counts[key] += value
