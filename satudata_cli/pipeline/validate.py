"""Validate inputs end to end: files in, one :class:`RecordResult` per record out.

A lazy pipeline (paths -> readers -> validator), so 100,000 records cost the
memory of one. Files that cannot be read become results with an error finding,
and the run goes on with the next file.

As in check-jsonschema, a run is first *built* from plain arguments
(:func:`build_validate_run`: the arguments are checked, the standard and the profile
loaded) and then *executed* (:meth:`ValidateRun.execute`: every result goes to a
callback, a :class:`ValidationSummary` comes back). The CLI only parses options,
renders the results and picks the exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from satudata_cli.core.errors import UsageError
from satudata_cli.core.messages import M
from satudata_cli.core.paths import path_exists
from satudata_cli.readers.files import FileProblem, RawRecord, iter_records
from satudata_cli.standard.findings import RecordResult, Severity, ValidationSummary
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.schema import load_standard
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
    """Validate the active records of the catalogue (as stored, canonical form), with
    the findings of their stored link checks at the profile's severities."""
    from satudata_cli.catalogue.db import Catalogue
    from satudata_cli.catalogue.link_findings import findings_by_dataset

    with Catalogue.open(db, create=False) as cat:
        links = findings_by_dataset(cat, source_ids=source_ids)
        for summary, record in cat.iter_records(list(source_ids) if source_ids else None):
            result = validator.validate(
                record, source=f"katalog:{summary.source_id}", index=summary.id
            )
            found = links.get(summary.id)
            if found:
                validator.add_source_findings(result, found)
            yield result


def list_catalogue_sources(db: Path) -> list[SourceInfo]:
    from satudata_cli.catalogue.db import Catalogue

    with Catalogue.open(db, create=False) as cat:
        return cat.list_sources()


@dataclass(frozen=True, slots=True)
class ValidateRun:
    """What to validate and with which validator: the records of ``paths`` (``-`` is
    ``stdin``), or the active records of ``catalogue`` (only ``source_ids`` when given)."""

    validator: Validator
    paths: tuple[str, ...] = ()
    catalogue: Path | None = None
    source_ids: tuple[str, ...] = ()
    stdin: BinaryIO | None = None

    def results(self) -> Iterator[RecordResult]:
        """One result per record, lazily."""
        if self.catalogue is not None:
            return check_catalogue(self.catalogue, self.validator, self.source_ids or None)
        return check_paths(self.paths, self.validator, stdin=self.stdin)

    def execute(self, on_result: Callable[[RecordResult], None] | None = None) -> ValidationSummary:
        """Validate every record, hand each result to ``on_result``, return the counts."""
        summary = ValidationSummary()
        for result in self.results():
            summary.add(result)
            if on_result is not None:
                on_result(result)
        return summary


def build_validate_run(
    paths: Sequence[str] = (),
    *,
    profile: str = "sdi-dasar",
    as_of: date | None = None,
    fail_on: Severity = Severity.ERROR,
    catalogue: Path | None = None,
    source_ids: Sequence[str] = (),
    stdin: BinaryIO | None = None,
) -> ValidateRun:
    """Check the arguments and load the standard and the profile.

    ``catalogue``: validate that catalogue's records instead of ``paths``. Raises
    :class:`UsageError` for arguments that do not fit together or name what does not
    exist, :class:`~satudata_cli.core.errors.StandardError` for a broken profile.
    """
    _check_arguments(paths, catalogue, source_ids)
    standard = load_standard()
    validator = Validator(
        ProfileLoader(standard).load(profile), standard=standard, today=as_of, fail_on=fail_on
    )
    return ValidateRun(
        validator=validator,
        paths=tuple(paths),
        catalogue=catalogue,
        source_ids=tuple(source_ids),
        stdin=stdin,
    )


def _check_arguments(
    paths: Sequence[str], catalogue: Path | None, source_ids: Sequence[str]
) -> None:
    if catalogue is not None:
        if paths:
            raise UsageError(M.err_paths_and_catalog)
        if not catalogue.exists():
            raise UsageError(M.err_no_catalogue.format(db=catalogue))
        if source_ids:
            known = {s.id for s in list_catalogue_sources(catalogue)}
            unknown = [s for s in source_ids if s not in known]
            if unknown:
                raise UsageError(
                    M.err_unknown_catalogue_sources.format(
                        ids=", ".join(unknown), known=", ".join(sorted(known)) or M.msg_none
                    )
                )
    elif source_ids:
        raise UsageError(M.err_source_needs_catalog)
    elif not paths:
        raise UsageError(M.err_no_paths)
    for path in paths:
        if path != "-" and not path_exists(Path(path)):
            raise UsageError(M.err_no_path.format(path=path))
