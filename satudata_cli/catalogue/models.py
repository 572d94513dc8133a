"""Result objects of the catalogue: plain frozen dataclasses, ready for
:func:`dataclasses.asdict` and any renderer. Times are ISO 8601 UTC strings with ``Z``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from satudata_cli.core.i18n import Message

DatasetStatus = Literal["active", "withdrawn"]
JobStatus = Literal["running", "finished", "failed", "interrupted"]
EventKind = Literal["added", "updated", "unchanged", "withdrawn", "restored", "errored"]
PutKind = Literal["added", "updated", "unchanged", "restored"]

#: The counters with a column of their own on ``harvest_jobs``.
JOB_COUNTERS: tuple[str, ...] = (
    "added",
    "updated",
    "unchanged",
    "withdrawn",
    "restored",
    "errored",
)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    id: str
    title: str | None
    type: str | None
    url_or_path: str | None
    config_hash: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class DatasetSummary:
    """One row of ``datasets`` without the record itself."""

    id: int
    source_id: str
    remote_id: str
    name: str | None
    title: str | None
    organization: str | None
    status: DatasetStatus
    valid: bool
    errors: int
    warnings: int
    infos: int
    first_seen: str
    last_seen: str
    last_changed: str
    missing_since: str | None
    withdrawn_at: str | None


class DatasetState(NamedTuple):
    """What the catalogue holds of a dataset of a source, as a harvest compares it."""

    content_hash: str
    status: DatasetStatus


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    position: int
    name: str | None
    url: str | None
    format: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class StoredFinding:
    rule: str
    severity: str
    path: str
    message_id: str
    message_en: str
    suggestion: str | None


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: int
    job_id: int
    kind: EventKind
    dataset_id: int | None
    remote_id: str | None
    name: str | None
    message: str | None
    at: str


@dataclass(frozen=True, slots=True)
class DatasetDetail:
    """A dataset with its record, resources, current findings and event history."""

    dataset: DatasetSummary
    record: dict[str, Any]
    content_hash: str
    remote_modified: str | None
    resources: list[ResourceInfo]
    findings: list[StoredFinding]
    events: list[EventInfo]


@dataclass(frozen=True, slots=True)
class JobInfo:
    id: int
    source_id: str
    status: JobStatus
    full: bool
    started_at: str
    finished_at: str | None
    seconds: float | None
    added: int
    updated: int
    unchanged: int
    withdrawn: int
    restored: int
    errored: int
    counters: dict[str, int]
    error: str | None
    notes: str | None
    pid: int | None
    hostname: str | None


@dataclass(frozen=True, slots=True)
class SourceRuns:
    """What a source's schedule needs of its job history (``harvest`` without ids,
    ``harvest --failed``, ``sources list``).

    ``last_status`` is the newest job's status, except that a job left ``running`` by
    a process of this host that is gone reads ``interrupted`` (the next harvest marks
    it so). ``last_success`` is when the newest ``finished`` job started; ``failures``
    counts the failed and interrupted jobs after it (that one included), the
    consecutive failures the retry delay doubles with.
    """

    source_id: str
    last_job: JobInfo | None
    last_status: JobStatus | None
    last_success: str | None
    failures: int


@dataclass(frozen=True, slots=True)
class JobDetail:
    job: JobInfo
    events: list[EventInfo]


@dataclass(frozen=True, slots=True)
class SourceStats:
    source_id: str
    title: str | None
    active: int
    withdrawn: int
    valid: int
    invalid: int
    organizations: int
    last_job: JobInfo | None


@dataclass(frozen=True, slots=True)
class CatalogueStats:
    """Per source and overall. ``valid``/``invalid`` count active datasets only."""

    sources: list[SourceStats]
    active: int
    withdrawn: int
    valid: int
    invalid: int
    jobs: int
    last_job: JobInfo | None


@dataclass(frozen=True, slots=True)
class WithdrawOutcome:
    """What :meth:`Catalogue.withdraw_missing` did, by remote id.

    ``withdrawn``: withdrawn now. ``pending``: missing, but within the grace period.
    ``held``: due for withdrawal but kept because the safety valve tripped
    (``blocked``; ``reason`` says why, in English, and is added to the job's notes;
    ``said`` is the reason in both languages, for people).
    """

    withdrawn: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    blocked: bool = False
    reason: str | None = None
    held: list[str] = field(default_factory=list)
    said: Message | None = None


@dataclass(frozen=True, slots=True)
class PruneResult:
    cutoff: str
    jobs: int
    events: int
    vacuumed: bool
    #: link-check runs and their checks deleted with the same cutoff
    link_runs: int = 0
    link_checks: int = 0
