"""Build the compliance and freshness reports from the catalogue.

Only active datasets count (withdrawn ones are history, not an agency's current
duty). The agency of a dataset is its ``organization``, its ``produsen_data``, its
source or its Medan Satu Data pillar (``pilar``), as asked (:class:`GroupBy`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Final

from satudata_cli.catalogue import compliance
from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.errors import CatalogueError, CatalogueLockedError
from satudata_cli.catalogue.link_findings import findings_by_dataset
from satudata_cli.catalogue.timestamps import to_iso
from satudata_cli.core.messages import M
from satudata_cli.reports.errors import NothingToReportError, ReportError, UnknownSourceError
from satudata_cli.reports.models import (
    AgencyCompliance,
    AgencyFreshness,
    ComplianceReport,
    DatasetCompliance,
    DatasetFreshness,
    FieldCompleteness,
    FreshnessReport,
    GroupBy,
    PreviousHarvest,
    RuleCount,
    ScoreFormula,
)
from satudata_cli.reports.narrative import summarize
from satudata_cli.standard import freshness, scoring
from satudata_cli.standard.freshness import Freshness as Freshness  # the one judgement
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.rules import is_blank
from satudata_cli.standard.ruleset import RULES
from satudata_cli.standard.schema import Standard, load_standard

#: The profile whose required and recommended fields the completeness columns list.
COMPLETENESS_PROFILE: Final = "sdi-dasar"
TOP_RULES: Final = 5
WORST_CASES: Final = 3


def open_catalogue(path: Path) -> Catalogue:
    """Open an existing catalogue for a report; a missing one is nothing to report on."""
    if not path.exists():  # a folder in its place is refused by Catalogue.open
        raise NothingToReportError(M.err_no_catalogue.format(db=path))
    return Catalogue.open(path, create=False)


@contextmanager
def _reading(cat: Catalogue) -> Iterator[None]:
    try:
        yield
    except CatalogueLockedError:
        raise
    except CatalogueError as exc:
        raise ReportError(exc.message) from exc


def _check_sources(cat: Catalogue, source_ids: Sequence[str] | None) -> list[str]:
    known = cat.source_ids()
    if not source_ids:
        return known
    unknown = [s for s in source_ids if s not in known]
    if unknown:
        raise UnknownSourceError(
            M.err_unknown_catalogue_sources.format(
                ids=", ".join(unknown), known=", ".join(known) or M.msg_none
            )
        )
    return list(dict.fromkeys(source_ids))


def _empty(cat: Catalogue, sources: Sequence[str]) -> NothingToReportError:
    scope = M.err_of_sources.format(sources=", ".join(sources)) if sources else ""
    return NothingToReportError(M.err_nothing_to_report.format(path=cat.path, scope=scope))


def _key(by: GroupBy) -> Callable[[compliance.ReportDataset], str | None]:
    if by is GroupBy.organization:
        return lambda d: d.organization
    if by is GroupBy.produsen_data:
        return lambda d: d.produsen_data
    if by is GroupBy.pilar:
        return lambda d: d.pilar
    return lambda d: d.source_id


def _snapshot_key(by: GroupBy, row: compliance.SnapshotRow) -> str | None:
    if by is GroupBy.organization:
        return row.organization
    if by is GroupBy.produsen_data:
        return row.produsen_data
    if by is GroupBy.pilar:
        return row.pilar
    return row.source_id


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _name_order(name: str | None) -> tuple[bool, str]:
    return (name is None, (name or "").casefold())


# ------------------------------------------------------------------ compliance


def _fields(standard: Standard) -> list[tuple[str, bool]]:
    profile = ProfileLoader(standard).load(COMPLETENESS_PROFILE)
    fields = [(f, True) for f in profile.required if "." not in f]
    fields += [(f, False) for f in profile.recommended if "." not in f]
    return fields


def _formula() -> ScoreFormula:
    return ScoreFormula(
        version=scoring.FORMULA_VERSION,
        text_en=scoring.FORMULA_TEXT,
        text_id=scoring.FORMULA_TEXT_ID,
        missing_required=scoring.MISSING_REQUIRED,
        missing_recommended=scoring.MISSING_RECOMMENDED,
        other_error=scoring.OTHER_ERROR,
        other_warning=scoring.OTHER_WARNING,
    )


class _Tally:
    """Running sums of one agency (or of the whole scope)."""

    def __init__(self, n_fields: int) -> None:
        self.datasets = 0
        self.valid = 0
        self.compliant = 0
        self.score_sum = 0.0
        self.filled = [0] * n_fields
        self.rule_datasets: Counter[tuple[str, str]] = Counter()
        self.rule_findings: Counter[tuple[str, str]] = Counter()
        self.sources: set[str] = set()

    def merge(self, other: _Tally) -> None:
        self.datasets += other.datasets
        self.valid += other.valid
        self.compliant += other.compliant
        self.score_sum += other.score_sum
        self.filled = [a + b for a, b in zip(self.filled, other.filled, strict=True)]
        self.rule_datasets.update(other.rule_datasets)
        self.rule_findings.update(other.rule_findings)
        self.sources |= other.sources

    def add(
        self,
        d: compliance.ReportDataset,
        filled: list[bool],
        rules: Counter[tuple[str, str]],
    ) -> None:
        self.datasets += 1
        self.sources.add(d.source_id)
        self.valid += d.valid
        self.compliant += d.errors == 0 and d.warnings == 0
        self.score_sum += d.score
        for i, present in enumerate(filled):
            self.filled[i] += present
        for key, count in rules.items():
            self.rule_datasets[key] += 1
            self.rule_findings[key] += count

    def result(
        self,
        name: str | None,
        standard: Standard,
        fields: list[tuple[str, bool]],
        previous: tuple[int, float] | None,
    ) -> AgencyCompliance:
        score = self.score_sum / self.datasets if self.datasets else 0.0
        prev_n = prev_score = change = None
        if previous is not None and previous[0] > 0:
            prev_n = previous[0]
            prev_mean = previous[1] / previous[0]
            prev_score = round(prev_mean, 1)
            change = round(score - prev_mean, 1)
        elif previous is not None:
            prev_n = 0
        completeness = []
        for (field, required), filled in zip(fields, self.filled, strict=True):
            info = standard.fields.get(field)
            completeness.append(
                FieldCompleteness(
                    field=field,
                    required=required,
                    title_id=info.title.id if info else field,
                    title_en=info.title.en if info else field,
                    filled=filled,
                    share=_share(filled, self.datasets),
                )
            )
        top = sorted(
            self.rule_datasets.items(),
            key=lambda item: (-item[1], -self.rule_findings[item[0]], item[0]),
        )[:TOP_RULES]
        top_rules = []
        for (rule, severity), datasets in top:
            info_rule = RULES.get(rule)
            top_rules.append(
                RuleCount(
                    rule=rule,
                    severity=severity,
                    datasets=datasets,
                    findings=self.rule_findings[(rule, severity)],
                    title_id=info_rule.title.id if info_rule else rule,
                    title_en=info_rule.title.en if info_rule else rule,
                )
            )
        return AgencyCompliance(
            name=name,
            datasets=self.datasets,
            valid=self.valid,
            valid_share=_share(self.valid, self.datasets),
            compliant=self.compliant,
            compliant_share=_share(self.compliant, self.datasets),
            score=round(score, 1),
            previous_datasets=prev_n,
            previous_score=prev_score,
            change=change,
            completeness=completeness,
            top_rules=top_rules,
        )


def compliance_report(
    cat: Catalogue,
    *,
    by: GroupBy = GroupBy.organization,
    source_ids: Sequence[str] | None = None,
    now: datetime,
    standard: Standard | None = None,
) -> ComplianceReport:
    """Per agency: datasets, valid and fully compliant shares, completeness per field of
    the standard, the most frequent failing rules, the score and its change since the
    previous harvest; per dataset: score and what fails."""
    standard = standard or load_standard()
    fields = _fields(standard)
    with _reading(cat):
        sources = _check_sources(cat, source_ids)
        scope = sources if source_ids else None
        findings: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
        for finding in cat.failing_findings(scope):
            findings[finding.dataset_id][(finding.rule, finding.severity)] += 1
        for dataset_id, found in findings_by_dataset(cat, source_ids=scope).items():
            for link in found:  # the stored link checks' findings (they cost points too)
                findings[dataset_id][(link.rule, link.severity.value)] += 1
        key = _key(by)
        tallies: dict[str | None, _Tally] = {}
        no_findings: Counter[tuple[str, str]] = Counter()
        datasets: list[DatasetCompliance] = []
        for d in cat.report_datasets(scope, with_record=True):
            record = d.record or {}
            filled = [not is_blank(record.get(field)) for field, _ in fields]
            rules = findings.get(d.id, no_findings)
            agency = key(d)
            tallies.setdefault(agency, _Tally(len(fields))).add(d, filled, rules)
            datasets.append(
                DatasetCompliance(
                    id=d.id,
                    source_id=d.source_id,
                    remote_id=d.remote_id,
                    name=d.name,
                    title=d.title,
                    agency=agency,
                    score=round(d.score, 1),
                    valid=d.valid,
                    compliant=d.errors == 0 and d.warnings == 0,
                    errors=d.errors,
                    warnings=d.warnings,
                    missing_required=[
                        f for (f, req), ok in zip(fields, filled, strict=True) if req and not ok
                    ],
                    missing_recommended=[
                        f for (f, req), ok in zip(fields, filled, strict=True) if not req and not ok
                    ],
                    rules=sorted({rule for rule, _ in rules}),
                )
            )
        if not datasets:
            raise _empty(cat, source_ids or [])
        snapshots = cat.previous_snapshots(scope)
    # sources whose previous state is known; an agency with datasets of any other source
    # (harvested once, or last before snapshots existed) has nothing to compare with:
    # comparing all its datasets now with some of them before would invent a change
    known = {row.source_id for row in snapshots}
    overall = _Tally(len(fields))
    for tally in tallies.values():
        overall.merge(tally)
    previous_by: dict[str | None, list[float]] = defaultdict(lambda: [0, 0.0])
    overall_previous: list[float] = [0, 0.0]
    for row in snapshots:
        for target in (previous_by[_snapshot_key(by, row)], overall_previous):
            target[0] += row.datasets
            target[1] += row.score_sum
    has_previous = bool(snapshots)

    def previous_of(tally: _Tally, totals: list[float] | None) -> tuple[int, float] | None:
        if not has_previous or not tally.sources <= known:
            return None
        if totals is None:
            return (0, 0.0)
        return (int(totals[0]), totals[1])

    agencies = [
        tally.result(name, standard, fields, previous_of(tally, previous_by.get(name)))
        for name, tally in tallies.items()
    ]
    agencies.sort(key=lambda a: (a.score, *_name_order(a.name)))
    datasets.sort(key=lambda d: (d.score, d.source_id, d.name or "", d.id))
    previous_jobs = {row.source_id: (row.job_id, row.finished_at) for row in snapshots}
    report = ComplianceReport(
        report="compliance",
        generated_at=to_iso(now),
        catalogue=str(cat.path),
        by=by.value,
        sources=sources,
        scope="active",
        formula=_formula(),
        previous=[
            PreviousHarvest(source_id=s, job_id=job, finished_at=at)
            for s, (job, at) in sorted(previous_jobs.items())
        ],
        overall=overall.result(None, standard, fields, previous_of(overall, overall_previous)),
        agencies=agencies,
        datasets=datasets,
    )
    return replace(report, summary=summarize(compliance=report))


# ------------------------------------------------------------------- freshness


def freshness_of(
    *,
    tanggal_diperbarui: str | None,
    remote_modified: str | None,
    first_seen: str,
    jadwal_pemutakhiran: str | None,
    standard: Standard,
    as_of: date,
    today: date,
    grace: int = 0,
) -> Freshness:
    """The freshness of one dataset from the catalogue's columns: the one judgement of the
    freshness report, the site, the Datasette canned queries and the catalogue's
    freshness snapshots (:func:`satudata_cli.standard.freshness.judge`)."""
    return freshness.judge(
        standard,
        jadwal_pemutakhiran,
        tanggal_diperbarui,
        remote_modified,
        first_seen,
        as_of=as_of,
        today=today,
        grace_days=grace,
    )


def _dataset_freshness(
    d: compliance.ReportDataset,
    agency: str | None,
    standard: Standard,
    as_of: date,
    grace: int,
    today: date,
) -> DatasetFreshness:
    f = freshness_of(
        tanggal_diperbarui=d.tanggal_diperbarui,
        remote_modified=d.remote_modified,
        first_seen=d.first_seen,
        jadwal_pemutakhiran=d.jadwal_pemutakhiran,
        standard=standard,
        as_of=as_of,
        today=today,
        grace=grace,
    )
    return DatasetFreshness(
        id=d.id,
        source_id=d.source_id,
        remote_id=d.remote_id,
        name=d.name,
        title=d.title,
        agency=agency,
        jadwal_pemutakhiran=d.jadwal_pemutakhiran,
        period_days=f.period_days,
        last_update=f.last_update.isoformat(),
        last_update_from=f.last_update_from,
        next_due=f.next_due.isoformat() if f.next_due else None,
        days_overdue=f.days_overdue,
        status=f.status,
    )


def _agency_freshness(name: str | None, items: list[DatasetFreshness]) -> AgencyFreshness:
    counts = Counter(item.status for item in items)
    known = counts["on_time"] + counts["overdue"]
    late = sorted(
        (i for i in items if i.status == "overdue"),
        key=lambda i: (-(i.days_overdue or 0), i.title or "", i.id),
    )
    return AgencyFreshness(
        name=name,
        datasets=len(items),
        on_time=counts["on_time"],
        overdue=counts["overdue"],
        unknown_frequency=counts["unknown_frequency"],
        on_time_share=_share(counts["on_time"], known) if known else None,
        max_days_overdue=late[0].days_overdue if late else None,
        worst=late[:WORST_CASES],
    )


_STATUS_ORDER: Final = {"overdue": 0, "on_time": 1, "unknown_frequency": 2}


def freshness_report(
    cat: Catalogue,
    *,
    by: GroupBy = GroupBy.organization,
    source_ids: Sequence[str] | None = None,
    as_of: date,
    now: datetime,
    grace_days: int = 0,
    standard: Standard | None = None,
) -> FreshnessReport:
    """Per dataset: declared jadwal pemutakhiran, last update, next due date, days overdue;
    per agency: on time / overdue / unknown frequency and the worst cases.

    The last update is ``tanggal_diperbarui``, else the source's modified time, else the
    day the catalogue first saw the dataset; the due date is computed as the
    ``freshness.overdue`` rule computes it (:func:`due_date`)."""
    standard = standard or load_standard()
    with _reading(cat):
        sources = _check_sources(cat, source_ids)
        scope = sources if source_ids else None
        key = _key(by)
        items = [
            _dataset_freshness(d, key(d), standard, as_of, grace_days, now.date())
            for d in cat.report_datasets(scope, with_record=False)
        ]
    if not items:
        raise _empty(cat, source_ids or [])
    groups: dict[str | None, list[DatasetFreshness]] = defaultdict(list)
    for item in items:
        groups[item.agency].append(item)
    agencies = [_agency_freshness(name, group) for name, group in groups.items()]
    agencies.sort(key=lambda a: (-a.overdue, -(a.max_days_overdue or 0), *_name_order(a.name)))
    items.sort(
        key=lambda i: (_STATUS_ORDER[i.status], -(i.days_overdue or 0), i.next_due or "", i.id)
    )
    report = FreshnessReport(
        report="freshness",
        generated_at=to_iso(now),
        as_of=as_of.isoformat(),
        catalogue=str(cat.path),
        by=by.value,
        sources=sources,
        scope="active",
        grace_days=grace_days,
        overall=_agency_freshness(None, items),
        agencies=agencies,
        datasets=items,
    )
    return replace(report, summary=summarize(freshness=report))
