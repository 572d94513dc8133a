"""Validate inputs end to end: files in, one :class:`RecordResult` per record out.

A lazy pipeline (paths -> readers -> validator), so 100,000 records cost the
memory of one. Files that cannot be read become results with an error finding,
and the run goes on with the next file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO, Protocol

from satudata_cli.sources.files import FileProblem, RawRecord, iter_records
from satudata_cli.standard.findings import RecordResult
from satudata_cli.standard.validator import Validator


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
