"""Result objects of the reports: frozen dataclasses, rendered by the CLI as text, JSON
(``dataclasses.asdict``; schemas in ``schemas/compliance-report.schema.json`` and
``schemas/freshness-report.schema.json``), CSV and HTML.

Shares are fractions from 0 to 1 (4 decimals); scores are 0 to 100 (1 decimal); dates
are ``YYYY-MM-DD``, times ISO 8601 UTC with ``Z``. An agency ``name`` of ``None`` groups
the datasets that do not name one (with ``by`` ``pilar``: the datasets without a
pillar; the other names are the pillars' canonical values).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

# defined with the judgement itself (satudata_cli.standard.freshness)
from satudata_cli.standard.freshness import FreshnessStatus as FreshnessStatus
from satudata_cli.standard.freshness import LastUpdateFrom as LastUpdateFrom


class GroupBy(StrEnum):
    """What an "agency" of a report is."""

    organization = "organization"
    produsen_data = "produsen_data"
    source = "source"
    #: the Medan Satu Data pillar of the dataset (``None``: no pillar)
    pilar = "pilar"


#: What a change in a summary is measured against.
ChangeSince = Literal["previous_harvest", "last_month", "window_start"]


@dataclass(frozen=True, slots=True)
class AgencySummary:
    """The facts of one agency's sentence in a report's summary; ``None`` when the
    report does not know the figure (a freshness report has no score, links are only
    known when they were checked, the datasets added ... and findings new and fixed
    only in the summary of a changes report, the links checked ... only in the links
    report's, the planned entries ... only with a Daftar Data). Keys are only ever
    added (every key always present, ``null`` when unknown): ``Summary.version`` changes
    when a key is removed or changes meaning."""

    name: str | None
    datasets: int
    score: float | None = None
    change: float | None = None
    change_since: ChangeSince | None = None
    new: bool = False
    compliant: int | None = None
    overdue: int | None = None
    unknown_frequency: int | None = None
    broken_links: int | None = None
    added: int | None = None
    updated: int | None = None
    withdrawn: int | None = None
    restored: int | None = None
    findings_new: int | None = None
    findings_fixed: int | None = None
    # the links report (``report links``): links fetched, the ones the server would not
    # judge, and the link broken longest (days, URL)
    links_checked: int | None = None
    unverifiable_links: int | None = None
    oldest_broken_days: int | None = None
    oldest_broken_url: str | None = None
    # the realisasi of the Daftar Data (``report realisasi``, the site with a plan):
    # planned entries, published, published by a fully compliant dataset, to confirm by
    # a person, missing
    planned: int | None = None
    published: int | None = None
    published_compliant: int | None = None
    to_confirm: int | None = None
    missing: int | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """The opening of a report in words (:mod:`satudata_cli.reports.narrative`), with the
    facts it is made of under stable keys: the whole catalogue, then every agency in the
    report's order; ``text_id`` and ``text_en`` the same sentences in both languages."""

    version: int
    overall: AgencySummary
    agencies: list[AgencySummary]
    text_id: list[str]
    text_en: list[str]


@dataclass(frozen=True, slots=True)
class ScoreFormula:
    version: int
    text_en: str
    text_id: str
    missing_required: int
    missing_recommended: int
    other_error: int
    other_warning: int


@dataclass(frozen=True, slots=True)
class FieldCompleteness:
    field: str
    required: bool
    title_id: str
    title_en: str
    filled: int
    share: float


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    severity: str
    datasets: int
    findings: int
    title_id: str
    title_en: str


@dataclass(frozen=True, slots=True)
class AgencyCompliance:
    name: str | None
    datasets: int
    valid: int
    valid_share: float
    compliant: int
    compliant_share: float
    score: float
    previous_datasets: int | None
    previous_score: float | None
    change: float | None
    completeness: list[FieldCompleteness]
    top_rules: list[RuleCount]


@dataclass(frozen=True, slots=True)
class DatasetCompliance:
    id: int
    source_id: str
    remote_id: str
    name: str | None
    title: str | None
    agency: str | None
    score: float
    valid: bool
    compliant: bool
    errors: int
    warnings: int
    missing_required: list[str]
    missing_recommended: list[str]
    rules: list[str]


@dataclass(frozen=True, slots=True)
class PreviousHarvest:
    source_id: str
    job_id: int
    finished_at: str | None


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    report: Literal["compliance"]
    generated_at: str
    catalogue: str
    by: str
    sources: list[str]
    scope: Literal["active"]
    formula: ScoreFormula
    previous: list[PreviousHarvest]
    overall: AgencyCompliance
    agencies: list[AgencyCompliance]
    datasets: list[DatasetCompliance]
    summary: Summary | None = None


@dataclass(frozen=True, slots=True)
class DatasetFreshness:
    id: int
    source_id: str
    remote_id: str
    name: str | None
    title: str | None
    agency: str | None
    jadwal_pemutakhiran: str | None
    period_days: int | None
    last_update: str
    last_update_from: LastUpdateFrom
    next_due: str | None
    days_overdue: int | None
    status: FreshnessStatus


@dataclass(frozen=True, slots=True)
class AgencyFreshness:
    name: str | None
    datasets: int
    on_time: int
    overdue: int
    unknown_frequency: int
    on_time_share: float | None
    max_days_overdue: int | None
    worst: list[DatasetFreshness]


@dataclass(frozen=True, slots=True)
class FreshnessReport:
    report: Literal["freshness"]
    generated_at: str
    as_of: str
    catalogue: str
    by: str
    sources: list[str]
    scope: Literal["active"]
    grace_days: int
    overall: AgencyFreshness
    agencies: list[AgencyFreshness]
    datasets: list[DatasetFreshness]
    summary: Summary | None = None
