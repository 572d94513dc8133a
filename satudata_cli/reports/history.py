"""Monitoring over time: ``report trend`` and ``report changes`` as result objects.

:func:`trend_report` reads the compliance and freshness snapshots every ended harvest
job leaves (:mod:`satudata_cli.catalogue.history`): per agency and period (day, ISO
week from Monday, calendar month) the catalogue as it stood at the end of the period,
i.e. each source's newest snapshot taken before the period ended (a source not
harvested in a period keeps its last state). Sums add up, so any grouping
(organization, produsen data, source) is a sum of the snapshot rows.

:func:`changes_report` reads the ``harvest_events`` of a window: per agency the
datasets added, updated (with the fields that changed, stored on the event when it was
written), withdrawn and restored, and the errors and warnings their new verdicts added
(new) and removed (fixed). A dataset's agency is the one its stored record names now.

JSON of both: ``dataclasses.asdict`` of the objects below; schemas in
``schemas/trend-report.schema.json`` and ``schemas/changes-report.schema.json``.
Shares are fractions 0-1 (4 decimals), scores 0-100 (1 decimal), periods named by
their first day (``YYYY-MM-DD``), times ISO 8601 UTC with ``Z``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.history import ChangeEvent, HistoryRow
from satudata_cli.catalogue.timestamps import to_iso
from satudata_cli.core.messages import M
from satudata_cli.reports.build import _check_sources, _name_order, _reading, _share
from satudata_cli.reports.errors import NothingToReportError, ReportError
from satudata_cli.reports.models import GroupBy, Summary
from satudata_cli.reports.narrative import changes_summary, trend_summary


class Every(StrEnum):
    """The length of a period of ``report trend``."""

    day = "day"
    week = "week"
    month = "month"


ChangeKind = Literal["added", "updated", "withdrawn", "restored"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "updated", "withdrawn", "restored")


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """An agency at the end of one period. ``on_time``/``overdue``/``unknown_frequency``
    are ``None`` when the snapshots are older than the freshness snapshots."""

    period: str
    datasets: int
    score: float
    valid_share: float
    compliant_share: float
    on_time: int | None
    overdue: int | None
    unknown_frequency: int | None
    on_time_share: float | None


@dataclass(frozen=True, slots=True)
class AgencyTrend:
    """``points``: one per period of the report, ``None`` where the agency had no
    dataset; ``rank``: 1 for the best score in the last period (``None`` when the agency
    has no dataset then, e.g. after a rename); ``change_*``: last point minus first."""

    name: str | None
    rank: int | None
    present: bool
    first_period: str | None
    last_period: str | None
    score: float | None
    change_score: float | None
    change_compliant_share: float | None
    change_datasets: int | None
    change_overdue: int | None
    points: list[TrendPoint | None]


@dataclass(frozen=True, slots=True)
class TrendReport:
    report: Literal["trend"]
    generated_at: str
    catalogue: str
    by: str
    sources: list[str]
    every: str
    since: str
    until: str
    periods: list[str]
    overall: AgencyTrend
    agencies: list[AgencyTrend]
    #: the summary in words that opens the report (narrative.trend_summary)
    summary: Summary | None = None


@dataclass(frozen=True, slots=True)
class DatasetChange:
    """One dataset's changes of one kind in the window: ``times`` events, the last at
    ``at``; ``fields``: the top-level fields that changed (updated and restored;
    ``None`` for events written before the fields were stored)."""

    kind: ChangeKind
    id: int
    source_id: str
    remote_id: str
    name: str | None
    title: str | None
    agency: str | None
    at: str
    times: int
    fields: list[str] | None
    findings_new: int
    findings_fixed: int


@dataclass(frozen=True, slots=True)
class AgencyChanges:
    """Datasets (not events) per kind, and the findings new and fixed."""

    name: str | None
    added: int
    updated: int
    withdrawn: int
    restored: int
    findings_new: int
    findings_fixed: int
    changes: list[DatasetChange] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ChangesReport:
    report: Literal["changes"]
    generated_at: str
    catalogue: str
    by: str
    sources: list[str]
    since: str | None
    since_job: int | None
    until: str
    overall: AgencyChanges
    agencies: list[AgencyChanges]
    #: the summary in words that opens the report (narrative.changes_summary)
    summary: Summary | None = None


# ------------------------------------------------------------------ periods


def period_start(day: date, every: Every) -> date:
    """The first day of the period holding ``day``."""
    if every is Every.day:
        return day
    if every is Every.week:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_period(start: date, every: Every) -> date:
    if every is Every.day:
        return start + timedelta(days=1)
    if every is Every.week:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def periods(since: date, until: date, every: Every) -> list[tuple[date, date]]:
    """``(first day, first day of the next)`` of each period from ``since`` to ``until``."""
    out = []
    start = period_start(since, every)
    while start <= until:
        nxt = _next_period(start, every)
        out.append((start, nxt))
        start = nxt
    return out


def _end_of(day: date) -> datetime:
    """The first moment after ``day`` (UTC)."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


# -------------------------------------------------------------------- trend


def _key(by: GroupBy, row: HistoryRow | ChangeEvent) -> str | None:
    if by is GroupBy.organization:
        return row.organization
    if by is GroupBy.produsen_data:
        return row.produsen_data
    if by is GroupBy.pilar:
        return row.pilar
    return row.source_id


class _Sum:
    __slots__ = (
        "compliant",
        "datasets",
        "fresh",
        "on_time",
        "overdue",
        "score",
        "unknown",
        "valid",
    )

    def __init__(self) -> None:
        self.datasets = self.valid = self.compliant = 0
        self.score = 0.0
        self.on_time = self.overdue = self.unknown = 0
        self.fresh = True  # every row added had its freshness

    def add(self, row: HistoryRow) -> None:
        self.datasets += row.datasets
        self.valid += row.valid
        self.compliant += row.compliant
        self.score += row.score_sum
        if row.on_time is None or row.overdue is None or row.unknown_frequency is None:
            self.fresh = False
        else:
            self.on_time += row.on_time
            self.overdue += row.overdue
            self.unknown += row.unknown_frequency

    def point(self, period: str) -> TrendPoint:
        known = self.on_time + self.overdue
        return TrendPoint(
            period=period,
            datasets=self.datasets,
            score=round(self.score / self.datasets, 1) if self.datasets else 0.0,
            valid_share=_share(self.valid, self.datasets),
            compliant_share=_share(self.compliant, self.datasets),
            on_time=self.on_time if self.fresh else None,
            overdue=self.overdue if self.fresh else None,
            unknown_frequency=self.unknown if self.fresh else None,
            on_time_share=_share(self.on_time, known) if self.fresh and known else None,
        )


def _diff(a: float | None, b: float | None, digits: int) -> float | None:
    return None if a is None or b is None else round(b - a, digits)


def _agency_trend(name: str | None, points: list[TrendPoint | None]) -> AgencyTrend:
    present = [p for p in points if p is not None]
    first = present[0] if present else None
    last = present[-1] if present else None
    overdue_change = (
        None
        if first is None or last is None or first.overdue is None or last.overdue is None
        else last.overdue - first.overdue
    )
    return AgencyTrend(
        name=name,
        rank=None,
        present=bool(points) and points[-1] is not None,
        first_period=first.period if first else None,
        last_period=last.period if last else None,
        score=last.score if last else None,
        change_score=_diff(first.score if first else None, last.score if last else None, 1),
        change_compliant_share=_diff(
            first.compliant_share if first else None, last.compliant_share if last else None, 4
        ),
        change_datasets=last.datasets - first.datasets if first and last else None,
        change_overdue=overdue_change,
        points=points,
    )


def trend_report(
    cat: Catalogue,
    *,
    by: GroupBy = GroupBy.organization,
    since: date | None = None,
    until: date | None = None,
    every: Every = Every.week,
    source_ids: Sequence[str] | None = None,
    now: datetime,
) -> TrendReport:
    """Per agency and period: score, shares valid and compliant, datasets, on time and
    overdue; the change over the window and the rank in its last period.

    ``until`` defaults to the day of ``now``; ``since`` to a year before ``until`` (not
    before the oldest snapshot kept)."""
    until = until or now.date()
    with _reading(cat):
        sources = _check_sources(cat, source_ids)
        scope = sources if source_ids else None
        first = cat.first_snapshot(scope)
        if first is None:
            raise NothingToReportError(M.err_no_history.format(path=cat.path))
        if since is None:
            # a year back, not before the oldest snapshot (nor after --until: a window
            # before the history began has periods without points)
            since = min(until, max(first.date(), until - timedelta(days=365) + timedelta(days=1)))
        if since > until:
            raise ReportError(
                M.err_history_window.format(since=since.isoformat(), until=until.isoformat())
            )
        rows = cat.history_rows(scope, until=_end_of(until))
    # each source's jobs in time order, and each job's rows
    jobs: dict[str, list[tuple[str, int]]] = defaultdict(list)
    job_rows: dict[int, list[HistoryRow]] = defaultdict(list)
    for row in rows:
        if not job_rows[row.job_id]:
            jobs[row.source_id].append((row.taken_at, row.job_id))
        job_rows[row.job_id].append(row)
    stamps = {s: [taken for taken, _ in js] for s, js in jobs.items()}
    spans = periods(since, until, every)
    names: dict[str | None, None] = {}
    table: list[tuple[dict[str | None, _Sum], _Sum | None]] = []
    for _, nxt in spans:
        cutoff = to_iso(min(_end_of(nxt - timedelta(days=1)), _end_of(until)))
        sums: dict[str | None, _Sum] = {}
        overall: _Sum | None = None
        for source, taken in stamps.items():
            i = bisect.bisect_left(taken, cutoff)
            if i == 0:
                continue  # not harvested yet at the end of this period
            overall = overall or _Sum()
            for row in job_rows[jobs[source][i - 1][1]]:
                if row.datasets == 0:
                    continue  # the row of a source without active datasets
                agency = _key(by, row)
                names.setdefault(agency)
                sums.setdefault(agency, _Sum()).add(row)
                overall.add(row)
        table.append((sums, overall))
    labels = [start.isoformat() for start, _ in spans]
    agencies = []
    for name in names:
        points = [
            sums[name].point(label) if name in sums else None
            for (sums, _), label in zip(table, labels, strict=True)
        ]
        agencies.append(_agency_trend(name, points))
    ranked = sorted(
        (a for a in agencies if a.present),
        key=lambda a: (-(a.score or 0.0), *_name_order(a.name)),
    )
    ranks = {id(a): i for i, a in enumerate(ranked, start=1)}
    agencies = [replace(a, rank=ranks.get(id(a))) for a in agencies]
    agencies.sort(key=lambda a: (a.rank is None, a.rank or 0, *_name_order(a.name)))
    overall_points = [
        total.point(label) if total is not None and total.datasets else None
        for (_, total), label in zip(table, labels, strict=True)
    ]
    report = TrendReport(
        report="trend",
        generated_at=to_iso(now),
        catalogue=str(cat.path),
        by=by.value,
        sources=sources,
        every=every.value,
        since=since.isoformat(),
        until=until.isoformat(),
        periods=labels,
        overall=_agency_trend(None, overall_points),
        agencies=agencies,
    )
    return replace(report, summary=trend_summary(report))


# ------------------------------------------------------------------ changes


def _dataset_changes(events: list[ChangeEvent], by: GroupBy) -> list[DatasetChange]:
    """One entry per dataset and kind, in the order of the first event."""
    merged: dict[tuple[int, str], DatasetChange] = {}
    for e in events:
        kind: ChangeKind = e.kind  # type: ignore[assignment]  # filtered by the query
        key = (e.dataset_id, kind)
        seen = merged.get(key)
        fields = e.fields
        if seen is None:
            merged[key] = DatasetChange(
                kind=kind,
                id=e.dataset_id,
                source_id=e.source_id,
                remote_id=e.remote_id,
                name=e.name,
                title=e.title,
                agency=_key(by, e),
                at=e.at,
                times=1,
                fields=sorted(fields) if fields is not None else None,
                findings_new=e.findings_new or 0,
                findings_fixed=e.findings_fixed or 0,
            )
            continue
        if seen.fields is not None or fields is not None:
            fields = sorted(set(seen.fields or []) | set(fields or []))
        merged[key] = replace(
            seen,
            at=e.at,
            times=seen.times + 1,
            fields=fields,
            findings_new=seen.findings_new + (e.findings_new or 0),
            findings_fixed=seen.findings_fixed + (e.findings_fixed or 0),
        )
    return list(merged.values())


def _agency_changes(name: str | None, changes: list[DatasetChange]) -> AgencyChanges:
    count = {kind: sum(1 for c in changes if c.kind == kind) for kind in CHANGE_KINDS}
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    return AgencyChanges(
        name=name,
        added=count["added"],
        updated=count["updated"],
        withdrawn=count["withdrawn"],
        restored=count["restored"],
        findings_new=sum(c.findings_new for c in changes),
        findings_fixed=sum(c.findings_fixed for c in changes),
        changes=sorted(
            changes, key=lambda c: (order[c.kind], (c.title or c.name or "").casefold(), c.id)
        ),
    )


def changes_report(
    cat: Catalogue,
    *,
    by: GroupBy = GroupBy.organization,
    since: date | None = None,
    since_job: int | None = None,
    until: date | None = None,
    source_ids: Sequence[str] | None = None,
    now: datetime,
) -> ChangesReport:
    """Per agency: datasets added, updated (which fields), withdrawn and restored in the
    window, findings new and fixed.

    The window starts on ``since`` (00:00 UTC; default a week before ``until``) or, with
    ``since_job``, after that job (the events of later jobs); it ends with ``until``
    (default: the day of ``now``)."""
    until = until or now.date()
    if since_job is None and since is None:
        since = until - timedelta(days=6)
    with _reading(cat):
        sources = _check_sources(cat, source_ids)
        scope = sources if source_ids else None
        if since_job is not None and cat.job_started(since_job) is None:
            raise ReportError(M.err_history_no_job.format(id=since_job))
        if since is not None and since > until:
            raise ReportError(
                M.err_history_window.format(since=since.isoformat(), until=until.isoformat())
            )
        start = datetime.combine(since, time(), tzinfo=UTC) if since is not None else None
        events = cat.change_events(
            scope,
            since=start if since_job is None else None,
            until=_end_of(until) - timedelta(milliseconds=1),
            after_job=since_job,
        )
    changes = _dataset_changes(events, by)
    groups: dict[str | None, list[DatasetChange]] = defaultdict(list)
    for change in changes:
        groups[change.agency].append(change)
    agencies = [_agency_changes(name, group) for name, group in groups.items()]
    agencies.sort(key=lambda a: _name_order(a.name))
    overall = replace(_agency_changes(None, changes), changes=[])
    report = ChangesReport(
        report="changes",
        generated_at=to_iso(now),
        catalogue=str(cat.path),
        by=by.value,
        sources=sources,
        since=since.isoformat() if since is not None and since_job is None else None,
        since_job=since_job,
        until=until.isoformat(),
        overall=overall,
        agencies=agencies,
    )
    return replace(report, summary=changes_summary(report))


def for_agency(report: ChangesReport, agency: AgencyChanges) -> ChangesReport:
    """The report of one agency (``--output DIR/`` writes one file per agency), with
    the summary of that agency alone."""
    one = replace(report, overall=replace(agency, changes=[]), agencies=[agency])
    return replace(one, summary=changes_summary(one))
