"""Validate inputs end to end: files in, one :class:`RecordResult` per record out.

A lazy pipeline (paths -> readers -> validator), so 100,000 records cost the
memory of one. Files that cannot be read become results with an error finding,
and the run goes on with the next file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from satudata_cli.readers.files import FileProblem, RawRecord, iter_records
from satudata_cli.standard.findings import RecordResult
from satudata_cli.standard.validator import Validator

if TYPE_CHECKING:
    from satudata_cli.catalogue.models import SourceInfo


class CheckObserver(Protocol):
    """Progress callbacks; the CLI shows them on a terminal, cron sees nothing."""

    def on_result(self, result: RecordResult) -> None: ...


def result_for_problem(problem: FileProblem, validator: Validator) -> RecordResult:
    label = f"#{problem.index}" if problem.index is not None else None
    return RecordResult(
        source=problem.source,
        record=label,
        index=problem.index,
        findings=[problem.finding],
        line=problem.finding.line,
        fail_on=validator.fail_on,
    )


def result_for_raw(raw: RawRecord, validator: Validator) -> RecordResult:
    data = validator.from_row(raw.data) if raw.tabular else raw.data
    return validator.validate(data, source=raw.source, index=raw.index, line=raw.line)


def check_paths(
    paths: Sequence[str],
    validator: Validator,
    *,
    stdin: BinaryIO | None = None,
    observer: CheckObserver | None = None,
) -> Iterator[RecordResult]:
    for item in iter_records(paths, stdin=stdin):
        if isinstance(item, FileProblem):
            result = result_for_problem(item, validator)
        else:
            result = result_for_raw(item, validator)
        if observer is not None:
            observer.on_result(result)
        yield result


def check_catalogue(
    db: Path, validator: Validator, source_ids: Sequence[str] | None = None
) -> Iterator[RecordResult]:
    """Validate the active records of the catalogue (as stored, canonical form)."""
    from satudata_cli.catalogue.db import Catalogue

    with Catalogue.open(db, create=False) as cat:
        for summary, record in cat.iter_records(list(source_ids) if source_ids else None):
            result = validator.validate(
                record, source=f"katalog:{summary.source_id}", index=summary.id
            )
            yield result


def list_catalogue_sources(db: Path) -> list[SourceInfo]:
    from satudata_cli.catalogue.db import Catalogue

    with Catalogue.open(db, create=False) as cat:
        return cat.list_sources()
