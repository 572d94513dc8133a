"""What every kind of sumber (source) gives the harvest engine.

A source *gathers* :class:`RemoteRecord` items: one per remote dataset, mapped
from the portal's shape onto the standard's field names (the source-specific
part: CKAN extras, DCAT terms, spreadsheet headers). The engine then applies
the source's ``mapping`` and ``defaults`` from its configuration, validates,
compares content hashes and stores.

A record that cannot be parsed or mapped is a ``RemoteRecord`` with ``error``
set: the engine records an ``errored`` event and goes on. A failure that stops
the gather itself (the portal is down, a page is not JSON) is raised as a
:class:`SourceError`; the job fails with that message and nothing is withdrawn.

A source may attach findings about a dataset's original shape to its record
(``RemoteRecord.findings``, rule ids in :mod:`satudata_cli.standard.ruleset`).

After the iterator is exhausted, ``pass_info`` tells whether the pass saw the
whole catalogue of the source (``complete``), which only a complete pass may
use to withdraw datasets, and carries notes for the job log (e.g. "package_search
refused; fell back to package_list").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from satudata_cli.core.errors import SatudataError
from satudata_cli.standard.findings import Finding


class SourceError(SatudataError):
    """The gather of one source failed as a whole (unreachable, refused, broken)."""


class SourceNotSupported(SourceError):
    """The configured source type has no implementation in this version."""


@dataclass(frozen=True, slots=True)
class RemoteRecord:
    """One remote dataset as the source gave it.

    ``findings`` are what the source itself noticed about the dataset's original shape
    (e.g. a data.json e-mail without ``mailto:``), which the mapped record no longer
    shows; the engine adds them to the validator's verdict under the profile's
    severities (:meth:`Validator.add_source_findings`).
    """

    remote_id: str
    record: dict[str, Any] | None
    remote_modified: str | None = None
    error: str | None = None
    findings: tuple[Finding, ...] = ()


@dataclass(slots=True)
class PassInfo:
    complete: bool = False
    incremental: bool = False
    notes: list[str] = field(default_factory=list)


class Source(Protocol):
    """A configured source, ready to gather.

    ``incremental`` says whether the source can gather only what changed since a
    moment (CKAN can, by ``metadata_modified``); a source that cannot always makes
    complete passes.
    """

    pass_info: PassInfo
    incremental: ClassVar[bool]

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        """Yield records; ``since`` asks for an incremental pass where the source can."""
        ...
