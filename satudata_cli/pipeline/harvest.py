"""The harvest engine: sources -> catalogue, one job per source.

For each source: gather -> map (source mapping and defaults) -> validate ->
compare content hash -> store, with a job row and events in the catalogue.
Sources run in parallel (bounded); one lock per catalogue file keeps a second
run out. The engine returns a :class:`HarvestReport`; it never prints.

Failure rules, so nothing is lost and nothing is swallowed:

- a record that cannot be read or mapped is an ``errored`` event; the job goes on;
- a source that fails as a whole (unreachable, not JSON) ends its job ``failed``
  with the reason; what was stored before stays, nothing is withdrawn;
- only a complete pass (the source saw its whole catalogue; not incremental,
  not ``--limit``) may withdraw, and then only past ``grace_days`` and within
  ``max_fraction`` (the catalogue's safety valve);
- a pass that should have been complete but was not (the source names its gaps: a
  page loop, an empty page before ``count``, a redirect that lost the token) is
  *incomplete*: what it read is stored, nothing is withdrawn, the reason is in
  :attr:`SourceOutcome.incomplete` and the run is partial (exit 3), like a run whose
  safety valve held back withdrawals;
- a job that runs past the source's ``job_deadline`` (a request still waiting then
  fails too) stops as ``failed`` saying so; what it read is kept, nothing is withdrawn;
- Ctrl-C: the open batch is rolled back, the job is marked ``interrupted`` and
  :class:`KeyboardInterrupt` goes on to the caller (exit 130); SIGTERM and SIGHUP do
  the same when the caller runs inside :func:`satudata_cli.core.signals.stop_on_signals`
  (their exceptions are KeyboardInterrupts; the job's error names the signal);
- a job left ``running`` by a process that died is marked ``interrupted`` by the
  next run.

Schedules (``harvest`` without ids): a source is due a period after its last
successful job started; after a job that did not finish (failed, interrupted) it is
due again after ``schedule_retry``, doubled with each failure in a row, at most the
period (:func:`next_due`). ``harvest --failed`` takes the sources whose last job did
not finish (:func:`failed_sources`).

Every log record names its ``event`` (snake_case) and carries the ``source`` and,
once the job exists, the ``job_id`` (through :mod:`satudata_cli.core.logcontext`), so
``--log-format json`` lines can be read by a machine.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.errors import UnstorableRecordError
from satudata_cli.catalogue.hashing import content_hash
from satudata_cli.catalogue.lock import CatalogueLock
from satudata_cli.catalogue.models import DatasetState, PutKind, SourceRuns, WithdrawOutcome
from satudata_cli.catalogue.writer import JobWriter
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.http import HttpClient
from satudata_cli.core.i18n import Message, plain
from satudata_cli.core.logcontext import log_context, set_log_fields
from satudata_cli.core.messages import VALUES, M
from satudata_cli.core.signals import stop_reason
from satudata_cli.sources import registry
from satudata_cli.sources.base import ChecksBeforeMapping, PassInfo, RemoteRecord, Source
from satudata_cli.sources.config import SourceConfig
from satudata_cli.sources.mapping import apply_mapping, fill_pilar
from satudata_cli.standard.findings import Finding, RecordResult
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.ruleset import RULES
from satudata_cli.standard.schema import Standard, load_standard
from satudata_cli.standard.validator import Validator

log = logging.getLogger("satudata.harvest")

#: incremental passes ask for changes since the last successful job minus this margin
INCREMENTAL_MARGIN = timedelta(hours=1)

Status = Literal["finished", "failed", "interrupted"]
SCHEDULE_PERIOD = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(days=7),
    "monthly": timedelta(days=30),
}
#: the retry delay of a source that sets no ``schedule_retry``
DEFAULT_RETRY = timedelta(hours=1)
#: a scheduled run this much early is on time (a daily cron at 02:00 is not skipped for
#: being 02:00:03); a tenth of the interval when that is shorter
SCHEDULE_SLACK = timedelta(minutes=5)
#: errored records logged one by one per source and run; the rest are in the job's events
ERRORED_LOGGED = 50


class HarvestInterrupted(SatudataError):
    """Raised inside a worker when the run is being stopped (Ctrl-C in the main thread)."""


class HarvestDeadline(SatudataError):
    """A job ran past its source's ``job_deadline`` and was stopped."""


class HarvestObserver(Protocol):
    """Progress callbacks (called from worker threads); the CLI draws them on a terminal.

    ``source_total`` comes when the source says how many records its pass will yield
    (``PassInfo.expected``, at most ``--limit``), possibly again when that changes;
    never for a source that does not know.
    """

    def source_started(self, source_id: str) -> None: ...

    def source_total(self, source_id: str, total: int) -> None: ...

    def record_done(self, source_id: str, kind: str) -> None: ...

    def source_finished(self, outcome: SourceOutcome) -> None: ...


@dataclass(slots=True)
class SourceOutcome:
    source: str
    status: Status
    job_id: int | None = None
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    restored: int = 0
    errored: int = 0
    invalid: int = 0
    seconds: float = 0.0
    incremental: bool = False
    complete: bool = False
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    withdraw: WithdrawOutcome | None = None
    dry_run: bool = False
    #: ``error`` in both languages (for the log; ``error`` is what the katalog keeps)
    error_message: Message | None = None
    #: why a pass that should have been complete (not incremental, no --limit) was not
    incomplete: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "job_id": self.job_id,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "restored": self.restored,
            "errored": self.errored,
            "invalid": self.invalid,
            "seconds": round(self.seconds, 3),
            "incremental": self.incremental,
            "complete": self.complete,
            "incomplete_reason": self.incomplete,
            "dry_run": self.dry_run,
            "error": self.error,
            "notes": list(self.notes),
            "withdraw_blocked": (
                self.withdraw.reason
                if self.withdraw is not None and self.withdraw.blocked
                else None
            ),
        }


@dataclass(slots=True)
class HarvestReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)
    interrupted_jobs: list[int] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status != "finished"]

    @property
    def all_failed(self) -> bool:
        return bool(self.outcomes) and len(self.failed) == len(self.outcomes)

    @property
    def partial(self) -> bool:
        """Some source failed, some record errored, a pass was incomplete or the safety
        valve held back withdrawals: not an ordinary night (exit 3)."""
        return bool(self.failed) or any(
            o.errored or o.incomplete or (o.withdraw is not None and o.withdraw.blocked)
            for o in self.outcomes
        )


def config_hash(config: SourceConfig) -> str:
    text = json.dumps(config.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def retry_delay(period: timedelta, retry: timedelta, failures: int) -> timedelta:
    """The wait after ``failures`` failed jobs in a row: ``retry``, doubled with each
    further failure, at most ``period``."""
    delay = retry
    for _ in range(max(0, failures - 1)):
        if delay >= period:
            break
        delay *= 2
    return min(delay, period)


def _due_at(
    schedule: str, runs: SourceRuns | None, retry: timedelta
) -> tuple[datetime | None, timedelta] | None:
    """``(when, interval)``: when the source is due (None: at once) and the interval
    that time was computed with; None for a source that is never due (``manual``)."""
    period = SCHEDULE_PERIOD.get(schedule)
    if period is None:
        return None
    if runs is None or runs.last_job is None:
        return None, period  # never harvested
    try:
        if runs.last_status == "running":
            # another run works on it now (or did, on another host): as after a start
            return _parse_time(runs.last_job.started_at) + period, period
        if runs.last_status == "finished" and runs.last_success is not None:
            return _parse_time(runs.last_success) + period, period
        delay = retry_delay(period, retry, max(1, runs.failures))
        return _parse_time(runs.last_job.started_at) + delay, delay
    except ValueError:
        return None, period  # an unreadable time: harvest rather than never


def next_due(
    schedule: str, runs: SourceRuns | None, now: datetime, retry: timedelta = DEFAULT_RETRY
) -> datetime | None:
    """When the source is due: a period after its last successful job started, or, when
    its last job failed or was interrupted, the retry delay after that job started (see
    :func:`retry_delay`); a period after the start of a job still running. ``now`` for
    a source never harvested; None for ``manual``."""
    due = _due_at(schedule, runs, retry)
    if due is None:
        return None
    return due[0] if due[0] is not None else now


def is_due(
    schedule: str, runs: SourceRuns | None, now: datetime, retry: timedelta = DEFAULT_RETRY
) -> bool:
    """Whether a source with this schedule and history should be harvested ``now``."""
    due = _due_at(schedule, runs, retry)
    if due is None:
        return False
    at, interval = due
    return at is None or now >= at - min(SCHEDULE_SLACK, interval / 10)


def read_runs(db_path: Path, configs: Sequence[SourceConfig]) -> dict[str, SourceRuns]:
    """The job history the schedules need, per configured source (empty without a
    catalogue file)."""
    if not db_path.exists():
        return {}
    with Catalogue.open(db_path, create=False) as cat:
        return cat.source_runs([c.id for c in configs])


def due_sources(
    configs: Sequence[SourceConfig], runs: Mapping[str, SourceRuns], now: datetime
) -> list[SourceConfig]:
    """The sources whose schedule says they are due ``now`` (``harvest`` without ids)."""
    return [c for c in configs if is_due(c.schedule, runs.get(c.id), now, c.retry_delay)]


def failed_sources(
    configs: Sequence[SourceConfig], runs: Mapping[str, SourceRuns]
) -> list[SourceConfig]:
    """The sources whose last job failed or was interrupted (``harvest --failed``),
    whatever their schedule."""
    return [
        c
        for c in configs
        if (r := runs.get(c.id)) is not None and r.last_status in ("failed", "interrupted")
    ]


_PILAR_RULE = RULES["source.pilar-from-config"]


@functools.lru_cache(maxsize=256)
def _pilar_note(value: str, key: str) -> Finding:
    """The finding of a pillar filled in from the config key ``key`` (made once)."""
    message = M.note_pilar_from_config.format(value=value, key=key)
    return Finding(_PILAR_RULE.id, _PILAR_RULE.severity, "$.pilar", message)


def prepare(config: SourceConfig, item: RemoteRecord) -> tuple[RemoteRecord, dict[str, Any] | None]:
    """The item's record prepared, with the item: the source's mapping, defaults and
    organization applied, then its pillar filled in when it names none
    (:func:`satudata_cli.sources.mapping.fill_pilar`). A pillar filled in is noted on
    the item returned as an info finding (``source.pilar-from-config``, naming the
    config key), so the dataset's findings show where its pillar came from; the same
    input gives the same record and finding, so an unchanged re-harvest stays
    unchanged. The record is None for an error item."""
    if item.record is None:
        return item, None
    record = apply_mapping(item.record, config.mapping, config.defaults, config.organization)
    filled = fill_pilar(record, config.pilar, config.pilar_organizations)
    if filled is None:
        return item, record
    origin, organization = filled
    note = _pilar_note(
        record["pilar"], origin if organization is None else f"{origin}: {organization}"
    )
    return replace(item, findings=(*item.findings, note)), record


class _KeyedInput:
    """Input hashes of the items a source keyed itself (:class:`ChecksBeforeMapping`):
    the source's hash of the item as the portal gave it, with what the mapping and the
    verdict depend on besides it: the source's configuration (mapping, defaults,
    organization, url) and the validator's fingerprint (version, standard, profile,
    day). A catalogue whose input hashes were made the other way (by an earlier version,
    from the mapped record) judges every record once more on the next harvest: it is
    stored as unchanged when its content and verdict are, with the new input hash."""

    def __init__(self, validator: Validator, config: SourceConfig) -> None:
        self._validator = validator
        self._config = config
        self._prefix: str | None = None

    def hash(self, key: str) -> str:
        if self._prefix is None:
            self._prefix = f"k1\x1f{self._validator.fingerprint}\x1f{config_hash(self._config)}\x1f"
        return hashlib.sha256((self._prefix + key).encode("utf-8")).hexdigest()


def judge(
    validator: Validator, config: SourceConfig, item: RemoteRecord, record: Any
) -> RecordResult:
    """The verdict on one prepared record: the validator's findings plus what the
    source noticed about the dataset's original shape (``item.findings``)."""
    result = validator.validate(record, source=config.id)
    if item.findings:
        validator.add_source_findings(result, item.findings)
    return result


def storable_error(record: Mapping[str, Any]) -> str | None:
    """Why the catalogue could not store ``record`` (a harvest makes it an errored
    record), None when it can; see :mod:`satudata_cli.core.values`."""
    try:
        content_hash(record)
    except UnstorableRecordError as exc:
        return str(exc)
    return None


def source_is_incremental(config: SourceConfig) -> bool:
    """Whether the source type can gather only what changed (the registry says; CKAN
    can)."""
    return registry.is_incremental(config)


def open_http(config: SourceConfig) -> HttpClient | None:
    """The HTTP client for the source when its type, so configured, needs one (the
    registry's rule: a type that reads a ``url``); None otherwise. The caller closes it."""
    return HttpClient(config.http) if registry.needs_http(config) else None


def make_validator(standard: Standard, profile: str, today: date | None = None) -> Validator:
    """The validator of a source's profile (a built-in name or a YAML file)."""
    return Validator(ProfileLoader(standard).load(profile), standard=standard, today=today)


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, SatudataError):
        return str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return stop_reason(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


def _interrupted(reason: str) -> Message:
    """``interrupted (SIGTERM)`` (:func:`stop_reason`) in both languages."""
    signal = reason[reason.find("(") + 1 : -1] if reason.endswith(")") else reason
    return M.log_interrupted.format(signal=signal)


def _incomplete_note(reason: str) -> str:
    """The note the job keeps (English); the log says it with ``M.note_pass_incomplete``."""
    return M.note_pass_incomplete.format(reason=reason).en


def _judge_pass(outcome: SourceOutcome, info: PassInfo, may_withdraw: bool) -> None:
    """``complete`` and ``incomplete`` of the outcome, from the source's pass info."""
    outcome.complete = info.whole and may_withdraw
    if may_withdraw and not outcome.complete:
        outcome.incomplete = (
            "; ".join(info.gaps) or "the source could not confirm that it listed every dataset"
        )


def _past_deadline(config: SourceConfig) -> Message:
    return M.err_past_deadline.format(seconds=f"{config.job_deadline:g}")


def _flushing_on_deadline(records: Iterator[RemoteRecord], writer: JobWriter) -> Any:
    """``records``; when the job's deadline stops them, what was read is written first
    (the failure then keeps it, as a flushed batch)."""
    try:
        yield from records
    except HarvestDeadline:
        writer.flush()
        raise


def _counts(outcome: SourceOutcome) -> dict[str, int]:
    return {
        "added": outcome.added,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "withdrawn": outcome.withdrawn,
        "restored": outcome.restored,
        "errored": outcome.errored,
        "invalid": outcome.invalid,
    }


def _log_outcome(outcome: SourceOutcome) -> None:
    """The end of one source's job as log records (``source_finished``, or
    ``source_failed`` / ``source_interrupted`` with the error), then its notes; the
    text in both languages (a :class:`Message`), the fields for ``--log-format json``."""
    counts = _counts(outcome)
    fields: dict[str, Any] = {
        "source": outcome.source,
        "job_id": outcome.job_id,
        "status": outcome.status,
        "seconds": round(outcome.seconds, 3),
        "dry_run": outcome.dry_run,
        **counts,
    }
    status = VALUES[outcome.status]
    if outcome.status == "finished":
        fields["complete"] = outcome.complete
        fields["incomplete_reason"] = outcome.incomplete
        text = Message.join(
            ", ", (plain(f"{n} ") + VALUES[k] for k, n in counts.items() if k != "invalid")
        )
        # errored records make the run partial (exit 3): say so at the default level
        log.log(
            logging.WARNING if outcome.errored else logging.INFO,
            M.log_source_finished.format(
                source=outcome.source,
                status=status,
                seconds=f"{outcome.seconds:.1f}",
                counts=text,
            ),
            extra={"event": "source_finished", **fields},
        )
    else:
        said = outcome.error_message or plain(outcome.error or "")
        error = said.strip_prefix(M.err_source_prefix.format(source=outcome.source))  # said once
        log.error(
            M.log_source_failed.format(source=outcome.source, status=status, error=error),
            extra={"event": f"source_{outcome.status}", "error": error.en, **fields},
        )
    base = {"source": outcome.source, "job_id": outcome.job_id}
    for note in outcome.notes:
        incomplete = outcome.incomplete is not None and note == _incomplete_note(outcome.incomplete)
        if incomplete:
            said = M.note_pass_incomplete.format(reason=outcome.incomplete)
            log.warning(
                M.log_source_note.format(source=outcome.source, note=said),
                extra={"event": "pass_incomplete", **base},
            )
        elif note == M.note_tls_off.en:
            log.warning(
                M.log_source_note.format(source=outcome.source, note=M.note_tls_off),
                extra={"event": "tls_unverified", **base},
            )
        else:
            log.info("source %s: %s", outcome.source, note, extra={"event": "source_note", **base})
    if outcome.withdraw is not None and outcome.withdraw.blocked and outcome.withdraw.reason:
        reason = outcome.withdraw.said or plain(outcome.withdraw.reason)
        log.warning(
            M.log_source_note.format(source=outcome.source, note=reason),
            extra={"event": "withdraw_blocked", **base},
        )


SourceFactory = Callable[[SourceConfig, Validator, HttpClient | None], Source]


def default_source_factory(
    config: SourceConfig, validator: Validator, http: HttpClient | None
) -> Source:
    """The source of the configured type, built as its registry spec says."""
    return registry.build_source(config, validator, http)


class Harvester:
    """Runs harvest jobs into one catalogue file."""

    def __init__(
        self,
        db_path: Path,
        *,
        observer: HarvestObserver | None = None,
        concurrency: int = 2,
        source_factory: SourceFactory = default_source_factory,
        default_profile: str = "sdi-dasar",
        clock: Callable[[], datetime] | None = None,
        command: str = "satudata harvest",
        lock_wait: float = 0.0,
    ) -> None:
        self.db_path = db_path
        self.observer = observer
        self.concurrency = max(1, concurrency)
        self.source_factory = source_factory
        self.default_profile = default_profile
        self.clock = clock or (lambda: datetime.now(UTC))
        self.command = command
        self.lock_wait = lock_wait
        self._stop = threading.Event()
        self._started: dict[str, float] = {}  # source id -> when its job began (monotonic)
        self._stop_reason = stop_reason(KeyboardInterrupt())
        self._standard = load_standard()
        self._validators: dict[str, Validator] = {}
        self._validators_lock = threading.Lock()

    # -------------------------------------------------------------- public

    def run(
        self,
        sources: Sequence[SourceConfig],
        *,
        full: bool = False,
        dry_run: bool = False,
        limit: int | None = None,
    ) -> HarvestReport:
        """Harvest the given sources; raises CatalogueLockedError when another run works."""
        report = HarvestReport()
        if dry_run:
            # a dry run writes nothing: no lock file, no catalogue file, no job rows
            if self.db_path.exists() or self.db_path.is_symlink():
                # a catalogue that cannot be opened fails the command, not each source
                Catalogue.open(self.db_path, create=False).close()
            self._stop.clear()
            for config in sources:
                report.outcomes.append(self._run_one(config, full, dry_run, limit))
            return report
        with CatalogueLock(self.db_path, command=self.command, wait=self.lock_wait):
            with Catalogue.open(self.db_path, clock=self.clock) as cat:
                report.interrupted_jobs = cat.interrupt_stale_jobs()
                if report.interrupted_jobs:
                    log.warning(
                        M.log_stale_jobs.format(
                            n=len(report.interrupted_jobs),
                            jobs=", ".join(map(str, report.interrupted_jobs)),
                        ),
                        extra={
                            "event": "stale_jobs_interrupted",
                            "job_ids": report.interrupted_jobs,
                        },
                    )
                for config in sources:
                    cat.upsert_source(
                        config.id,
                        config.title,
                        config.type,
                        config.url or (str(config.path) if config.path else None),
                        config_hash(config),
                    )
            self._stop.clear()
            if len(sources) <= 1 or self.concurrency == 1:
                for config in sources:
                    report.outcomes.append(self._run_one(config, full, dry_run, limit))
                return report
            pool = ThreadPoolExecutor(
                max_workers=min(self.concurrency, len(sources)), thread_name_prefix="harvest"
            )
            futures = [
                pool.submit(self._run_one, config, full, dry_run, limit) for config in sources
            ]
            try:
                for future in futures:
                    report.outcomes.append(future.result())
            except KeyboardInterrupt as exc:
                self._stop_reason = stop_reason(exc)  # what the workers' jobs will say
                self._stop.set()
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            finally:
                pool.shutdown(wait=True)
        return report

    # -------------------------------------------------------------- one source

    def _validator(self, config: SourceConfig) -> Validator:
        spec = config.profile or self.default_profile
        with self._validators_lock:
            validator = self._validators.get(spec)
            if validator is None:
                validator = make_validator(self._standard, spec, self.clock().date())
                self._validators[spec] = validator
            return validator

    def _run_one(
        self, config: SourceConfig, full: bool, dry_run: bool, limit: int | None
    ) -> SourceOutcome:
        with log_context(source=config.id, job_id=None):
            return self._run_one_logged(config, full, dry_run, limit)

    def _run_one_logged(
        self, config: SourceConfig, full: bool, dry_run: bool, limit: int | None
    ) -> SourceOutcome:
        started = time.monotonic()
        self._started[config.id] = started
        outcome = SourceOutcome(source=config.id, status="failed", dry_run=dry_run)
        if self.observer:
            self.observer.source_started(config.id)
        http: HttpClient | None = None
        try:
            with contextlib.ExitStack() as stack:
                cat: Catalogue | None = None
                if not (dry_run and not self.db_path.exists()):
                    # the harvester's clock stamps the jobs (a test's fake clock too)
                    cat = stack.enter_context(
                        Catalogue.open(self.db_path, create=not dry_run, clock=self.clock)
                    )
                if config.http.verify is False:
                    outcome.notes.append(M.note_tls_off.en)
                since = None
                if not full and source_is_incremental(config) and cat is not None:
                    since = self._since(cat, config, outcome)
                job: int | None = None
                if not dry_run and cat is not None:
                    # the job first, so a source that cannot even start is in the history
                    job = cat.start_job(config.id, full=since is None and limit is None)
                    outcome.job_id = job
                    set_log_fields(job_id=job)
                log.info(
                    "source %s: harvest started%s",
                    config.id,
                    f" (job {job})" if job is not None else " (dry run)",
                    extra={"event": "source_started", "dry_run": dry_run},
                )
                try:
                    validator = self._validator(config)
                    http = open_http(config)
                    if http is not None:
                        http.set_deadline(started + config.job_deadline, M.http_job_deadline)
                    source = self.source_factory(config, validator, http)
                except BaseException as exc:
                    if job is not None and cat is not None:
                        cat.finish_job(job, "failed", error=_error_text(exc))
                    raise
                if job is None or cat is None:
                    self._dry_run(cat, config, source, validator, since, limit, outcome)
                else:
                    self._harvest(cat, config, source, validator, since, limit, outcome, job)
        except KeyboardInterrupt as exc:
            outcome.status = "interrupted"
            outcome.error = stop_reason(exc)
            outcome.error_message = _interrupted(outcome.error)
            raise
        except HarvestInterrupted:
            outcome.status = "interrupted"
            outcome.error = self._stop_reason
            outcome.error_message = _interrupted(outcome.error)
        except SatudataError as exc:
            outcome.status = "failed"
            outcome.error = str(exc)
            outcome.error_message = exc.message
        except Exception as exc:  # a bug must not take the other sources down
            log.exception(
                "source %s failed unexpectedly",
                config.id,
                extra={"event": "source_internal_error", "error": _error_text(exc)},
            )
            outcome.status = "failed"
            outcome.error = f"internal error: {type(exc).__name__}: {exc}"
        finally:
            if http is not None:
                http.close()
            outcome.seconds = time.monotonic() - started
            _log_outcome(outcome)
            if self.observer:
                self.observer.source_finished(outcome)
        return outcome

    def _since(
        self, cat: Catalogue, config: SourceConfig, outcome: SourceOutcome
    ) -> datetime | None:
        """Where an incremental pass starts; None for a complete pass.

        Complete when there is no successful job yet, or when the last complete pass is
        older than ``withdraw.full_pass_days`` (so deletions on the portal are noticed
        without anyone remembering ``--full``).
        """
        last = cat.last_successful_job(config.id)
        if last is None:
            return None
        days = config.withdraw.full_pass_days
        if days:
            last_full = next(
                (
                    j
                    for j in cat.list_jobs(limit=None, source_id=config.id)
                    if j.status == "finished" and j.full
                ),
                None,
            )
            if last_full is None or _parse_time(last_full.started_at) < self.clock() - timedelta(
                days=days
            ):
                outcome.notes.append(
                    f"complete pass: the last one is older than {days} day(s) "
                    "(withdraw.full_pass_days)"
                )
                return None
        return _parse_time(last.started_at) - INCREMENTAL_MARGIN

    def _records(
        self,
        config: SourceConfig,
        source: Source,
        since: datetime | None,
        limit: int | None,
        deadline: float,
    ) -> Any:
        """The source's records, until the run is stopped or the job's deadline passes
        (:class:`HarvestDeadline`, also when the source failed because of it)."""
        told: int | None = None
        try:
            for item in source.gather(since=since, limit=limit):
                if self._stop.is_set():
                    raise HarvestInterrupted("stopped")
                if time.monotonic() >= deadline:
                    raise HarvestDeadline(_past_deadline(config))
                if self.observer is not None:
                    expected = source.pass_info.expected
                    if expected is not None and limit is not None:
                        expected = min(expected, limit)
                    if expected is not None and expected != told:
                        told = expected
                        self.observer.source_total(config.id, expected)
                yield item
        except SatudataError as exc:
            if isinstance(exc, HarvestDeadline | HarvestInterrupted):
                raise
            if time.monotonic() >= deadline:  # it failed because the deadline passed
                raise HarvestDeadline(_past_deadline(config) + " (" + exc.message + ")") from exc
            raise

    def _deadline(self, config: SourceConfig) -> float:
        """When the job of ``config`` that is starting must end (``time.monotonic()``)."""
        return self._started.get(config.id, time.monotonic()) + config.job_deadline

    @staticmethod
    def _input_hash(validator: Validator, record: Mapping[str, Any], item: RemoteRecord) -> str:
        """The record as mapped, the source's own findings about it, and the validator
        that judges it (a new day is a new validator: freshness and future dates depend
        on it)."""
        key: dict[str, Any] = {"v": validator.fingerprint, "r": record}
        if item.findings:  # absent otherwise, so that existing hashes stay valid
            key["s"] = [(f.rule, f.severity.value, f.path) for f in item.findings]
        return content_hash(key)

    @staticmethod
    def _judge_and_put(
        validator: Validator,
        config: SourceConfig,
        item: RemoteRecord,
        record: dict[str, Any],
        writer: JobWriter,
        input_hash: str,
        outcome: SourceOutcome,
    ) -> PutKind:
        """Validate a prepared record and queue it with its input hash."""
        result = judge(validator, config, item, record)
        kind = writer.put(
            item.remote_id,
            result.normalized or record,
            result,
            remote_modified=item.remote_modified,
            input_hash=input_hash,
        )
        if not result.valid:
            outcome.invalid += 1
        return kind

    def _harvest(
        self,
        cat: Catalogue,
        config: SourceConfig,
        source: Source,
        validator: Validator,
        since: datetime | None,
        limit: int | None,
        outcome: SourceOutcome,
        job: int,
    ) -> None:
        may_withdraw = since is None and limit is None
        status: Status = "failed"
        error: str | None = None
        deadline = self._deadline(config)
        errored = 0
        try:
            # a write process beside a source that streams (see JobWriter); in line for
            # one that holds its whole catalogue in memory (registry.reads_whole)
            background = not registry.reads_whole(config)
            with cat.writer(job, config.id, background=background) as writer:
                keyed = _KeyedInput(validator, config)
                if isinstance(source, ChecksBeforeMapping):
                    source.check_before_mapping(
                        lambda remote_id, key: writer.touch_input(remote_id, keyed.hash(key))
                    )
                records = self._records(config, source, since, limit, deadline)
                for item in _flushing_on_deadline(records, writer):
                    if item.unchanged:  # the source's check counted it: nothing to do
                        if self.observer:
                            self.observer.record_done(config.id, "unchanged")
                        continue
                    item, record = prepare(config, item)
                    try:
                        if record is None:
                            reason = item.error or "record could not be read"
                            writer.error(item.remote_id, reason)
                            errored += 1
                            self._log_errored(config, job, item.remote_id, reason, errored)
                            kind = "errored"
                        elif item.input_key is not None:
                            # the source's check found it changed (or new): judge it
                            input_hash = keyed.hash(item.input_key)
                            kind = self._judge_and_put(
                                validator, config, item, record, writer, input_hash, outcome
                            )
                        elif writer.touch_input(
                            item.remote_id, input_hash := self._input_hash(validator, record, item)
                        ):
                            kind = "unchanged"  # same input, same validator, same day
                        else:
                            kind = self._judge_and_put(
                                validator, config, item, record, writer, input_hash, outcome
                            )
                    except UnstorableRecordError as exc:
                        # infinity, NaN, bytes, a lone surrogate: this record is errored,
                        # the job goes on (the input hash is its first serialisation)
                        reason = storable_error(record or {}) or str(exc)
                        writer.error(item.remote_id, reason)
                        errored += 1
                        self._log_errored(config, job, item.remote_id, reason, errored)
                        kind = "errored"
                    if self.observer:
                        self.observer.record_done(config.id, kind)
                seen = set(writer.seen)
            info = source.pass_info
            outcome.incremental = info.incremental or since is not None
            _judge_pass(outcome, info, may_withdraw)
            outcome.notes.extend(info.notes)
            if outcome.complete:
                outcome.withdraw = cat.withdraw_missing(
                    job,
                    config.id,
                    seen,
                    grace_days=config.withdraw.grace_days,
                    max_fraction=config.withdraw.max_fraction,
                    now=self.clock(),
                )
                if outcome.withdraw.pending:
                    outcome.notes.append(
                        f"{len(outcome.withdraw.pending)} dataset(s) missing from the source, "
                        f"within the {config.withdraw.grace_days}-day grace period"
                    )
            elif outcome.incomplete is not None:
                outcome.notes.append(_incomplete_note(outcome.incomplete))
            elif not outcome.incremental:
                outcome.notes.append("the pass was not complete: nothing was withdrawn")
            status = "finished"
        except KeyboardInterrupt as exc:
            status, error = "interrupted", stop_reason(exc)
            raise
        except HarvestInterrupted:
            status, error = "interrupted", self._stop_reason
            raise
        except Exception as exc:
            status, error = "failed", _error_text(exc)
            raise
        finally:
            if isinstance(source, ChecksBeforeMapping):
                source.check_before_mapping(None)
            notes = "; ".join(outcome.notes) or None
            info_row = cat.finish_job(job, status, error=error, notes=notes)
            outcome.status = status
            outcome.added = info_row.added
            outcome.updated = info_row.updated
            outcome.unchanged = info_row.unchanged
            outcome.withdrawn = info_row.withdrawn
            outcome.restored = info_row.restored
            outcome.errored = info_row.errored

    @staticmethod
    def _log_errored(
        config: SourceConfig, job: int, remote_id: str, reason: str, count: int
    ) -> None:
        """One warning per errored record, up to :data:`ERRORED_LOGGED` per run."""
        if count <= ERRORED_LOGGED:
            log.warning(
                M.log_record_errored.format(source=config.id, record=remote_id, reason=reason),
                extra={"event": "record_errored", "remote_id": remote_id, "error": reason},
            )
        elif count == ERRORED_LOGGED + 1:
            log.warning(
                M.log_records_errored_more.format(source=config.id, job=job),
                extra={"event": "records_errored_more", "logged": ERRORED_LOGGED},
            )

    def _dry_run(
        self,
        cat: Catalogue | None,
        config: SourceConfig,
        source: Source,
        validator: Validator,
        since: datetime | None,
        limit: int | None,
        outcome: SourceOutcome,
    ) -> None:
        """Gather, map and validate, and say what a real run would do; write nothing."""
        stored: Mapping[str, DatasetState] = (
            cat.dataset_states(config.id) if cat is not None else {}
        )
        seen: set[str] = set()
        for item in self._records(config, source, since, limit, self._deadline(config)):
            item, record = prepare(config, item)
            reason = item.error if record is None else storable_error(record)
            if record is None or reason is not None:
                reason = reason or "record could not be read"
                outcome.errored += 1
                if outcome.errored <= ERRORED_LOGGED:
                    log.warning(
                        M.log_record_errored.format(
                            source=config.id, record=item.remote_id, reason=reason
                        ),
                        extra={
                            "event": "record_errored",
                            "remote_id": item.remote_id,
                            "error": reason,
                        },
                    )
                kind = "errored"
            else:
                result = judge(validator, config, item, record)
                if not result.valid:
                    outcome.invalid += 1
                chash = content_hash(result.normalized or record)
                previous = stored.get(item.remote_id)
                if previous is None:
                    outcome.added += 1
                    kind = "added"
                elif previous.status == "withdrawn":
                    outcome.restored += 1
                    kind = "restored"
                elif previous.content_hash == chash:
                    outcome.unchanged += 1
                    kind = "unchanged"
                else:
                    outcome.updated += 1
                    kind = "updated"
            seen.add(item.remote_id)
            if self.observer:
                self.observer.record_done(config.id, kind)
        info = source.pass_info
        outcome.incremental = info.incremental or since is not None
        _judge_pass(outcome, info, since is None and limit is None)
        outcome.notes.extend(info.notes)
        if outcome.incomplete is not None:
            outcome.notes.append(_incomplete_note(outcome.incomplete))
        if outcome.complete:
            missing = [
                rid for rid, state in stored.items() if state.status == "active" and rid not in seen
            ]
            if missing:
                outcome.notes.append(
                    f"{len(missing)} active dataset(s) no longer listed by the source "
                    f"(withdrawn after {config.withdraw.grace_days} days)"
                )
        outcome.status = "finished"
