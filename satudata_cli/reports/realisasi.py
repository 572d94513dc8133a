"""Planned vs published: the realisasi of each agency's *Daftar Data*.

Each year the Satu Data forum agrees a Daftar Data per agency: the datasets it will
produce. :func:`read_plan` reads that list in the spreadsheet shape agencies already
use (CSV or XLSX, one row per planned dataset: agency, title, frequency, optionally the
year and a dataset id); :func:`realisasi_report` matches every planned entry to the
active datasets of the katalog and counts per agency: planned, published, published and
fully compliant, to confirm, missing.

Matching, in this order (documented in docs/reports.md, "Realisasi Daftar Data"):

1. An entry with a dataset id matches the active dataset whose ``name`` or remote id is
   that id (or ``SOURCE:REMOTE_ID``). Several such datasets: to confirm. None: missing
   (an id is a promise; a title match would be a guess).
2. Otherwise the entry's agency is matched to the katalog's agencies (organization and
   produsen data): equal after folding case and spaces, or a rapidfuzz ``token_set_ratio``
   of at least :data:`AGENCY_THRESHOLD` (so "Dinas Kesehatan" is "Dinas Kesehatan Kota
   Medan"); then its title to the titles of that agency's datasets with rapidfuzz's
   ``token_sort_ratio`` (word order and case do not matter):

   - best score >= :data:`MATCH_THRESHOLD` and no other dataset within
     :data:`MARGIN` points: published;
   - best score >= :data:`POSSIBLE_THRESHOLD` otherwise (a weaker match, or two close
     candidates): to confirm, with the candidates listed for a person: never guessed;
   - below: missing.

   A dataset taken by one entry is not matched again by another: entries with an id
   come first, then the plan's order; a later entry whose best match is taken is listed
   to confirm.

rapidfuzz rather than :mod:`difflib`: token-based ratios (word order, repeated words)
are what titles of the same table written by two people differ in, and it is fast for
thousands of entries against tens of thousands of titles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from rapidfuzz import fuzz, process, utils

from satudata_cli.catalogue import compliance
from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.timestamps import to_iso
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.readers.files import FileProblem, read_records
from satudata_cli.reports.build import _check_sources, _reading
from satudata_cli.reports.errors import ReportError
from satudata_cli.reports.models import Summary
from satudata_cli.reports.narrative import realisasi_summary

#: Scores (0-100) of rapidfuzz's ratios; see the module's docstring.
MATCH_THRESHOLD: Final = 90.0
POSSIBLE_THRESHOLD: Final = 75.0
MARGIN: Final = 5.0
AGENCY_THRESHOLD: Final = 90.0
#: Candidates listed for an entry to confirm.
CANDIDATES: Final = 3

#: Column headings of a Daftar Data (folded: lower case, one space), per meaning.
PLAN_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "agency": (
        "perangkat daerah",
        "opd",
        "produsen data",
        "instansi",
        "organisasi",
        "organization",
        "agency",
    ),
    "title": ("judul", "judul data", "nama data", "nama dataset", "data", "title", "dataset"),
    "frequency": (
        "frekuensi",
        "jadwal pemutakhiran",
        "periodisitas",
        "periode",
        "frequency",
    ),
    "year": ("tahun", "year"),
    "dataset_id": ("id", "id dataset", "dataset id", "kode", "kode data", "name"),
}

EntryStatus = Literal["published", "to_confirm", "missing"]
#: How an entry was matched: ``exact`` (by its id, or a title with the same words),
#: ``fuzzy`` (a close title), or not: ``to_confirm``, ``missing``.
MatchKind = Literal["exact", "fuzzy", "to_confirm", "missing"]


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """One row of the Daftar Data (``line``: its line or row in the file)."""

    line: int | None
    agency: str
    title: str
    frequency: str | None = None
    year: str | None = None
    dataset_id: str | None = None
    #: the Daftar Data file the row is in
    file: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A dataset of the katalog an entry may be."""

    id: int
    source_id: str
    remote_id: str
    name: str | None
    title: str | None
    score: float
    compliant: bool


@dataclass(frozen=True, slots=True)
class EntryResult:
    entry: PlanEntry
    status: EntryStatus
    #: ``id`` or ``title``: how the dataset was found; None when missing
    method: str | None
    dataset: Candidate | None
    candidates: list[Candidate] = field(default_factory=list)
    reason_id: str = ""
    reason_en: str = ""
    #: filled by :func:`realisasi_report` (:func:`match_kind`)
    match: MatchKind = "missing"


@dataclass(frozen=True, slots=True)
class AgencyRealisasi:
    name: str
    planned: int
    published: int
    compliant: int
    to_confirm: int
    missing: int
    published_share: float
    entries: list[EntryResult]


@dataclass(frozen=True, slots=True)
class SkippedRow:
    line: int | None
    reason_id: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class RealisasiReport:
    """``plan``: the Daftar Data file(s) read, joined by ``, ``; ``plans``: each."""

    report: Literal["realisasi"]
    generated_at: str
    catalogue: str
    plan: str
    plans: list[str]
    year: str | None
    thresholds: dict[str, float]
    agencies: list[AgencyRealisasi]
    overall: AgencyRealisasi
    skipped: list[SkippedRow]
    #: the summary in words that opens the report (narrative.realisasi_summary)
    summary: Summary | None = None


# ----------------------------------------------------------------------- reading


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text).strip().casefold()


def _columns(headers: Iterable[str]) -> dict[str, str]:
    """Meaning -> the heading of the file that holds it."""
    found: dict[str, str] = {}
    folded = {_fold(h): h for h in headers}
    for meaning, names in PLAN_COLUMNS.items():
        for name in names:
            if name in folded:
                found[meaning] = folded[name]
                break
    return found


def _cell(data: dict[str, object], heading: str | None) -> str | None:
    if heading is None:
        return None
    value = data.get(heading)
    text = "" if value is None else str(value).strip()
    return text or None


def read_plan(path: Path, *, year: str | None = None) -> tuple[list[PlanEntry], list[SkippedRow]]:
    """The entries of a Daftar Data file (CSV, TSV or XLSX) for ``year`` (every entry when
    the file has no year column or no year is asked). A file that cannot be read or has
    no agency and title columns is a :class:`ReportError`; a row without agency or title
    is skipped and listed."""
    entries: list[PlanEntry] = []
    skipped: list[SkippedRow] = []
    columns: dict[str, str] | None = None
    for item in read_records(str(path)):
        if isinstance(item, FileProblem):
            if item.index is None:
                raise ReportError(
                    M.err_plan_unreadable.format(path=path, reason=item.finding.message)
                )
            skipped.append(SkippedRow(item.index, item.finding.message.id, item.finding.message.en))
            continue
        if not item.tabular:
            raise ReportError(M.err_plan_not_a_table.format(path=path))
        if columns is None:
            columns = _columns(item.data)
            if "agency" not in columns or "title" not in columns:
                raise ReportError(
                    M.err_plan_columns.format(path=path, headings=", ".join(item.data))
                )
        agency = _cell(item.data, columns.get("agency"))
        title = _cell(item.data, columns.get("title"))
        row_year = _cell(item.data, columns.get("year"))
        if year is not None and row_year is not None and row_year != year:
            continue
        if agency is None or title is None:
            skipped.append(
                SkippedRow(
                    item.line,
                    M.msg_plan_row_incomplete.id,
                    M.msg_plan_row_incomplete.en,
                )
            )
            continue
        entries.append(
            PlanEntry(
                line=item.line,
                agency=agency,
                title=title,
                frequency=_cell(item.data, columns.get("frequency")),
                year=row_year,
                dataset_id=_cell(item.data, columns.get("dataset_id")),
                file=str(path),
            )
        )
    if columns is None:
        raise ReportError(M.err_plan_empty.format(path=path))
    return entries, skipped


# ---------------------------------------------------------------------- matching


def _candidate(d: compliance.ReportDataset, score: float) -> Candidate:
    return Candidate(
        id=d.id,
        source_id=d.source_id,
        remote_id=d.remote_id,
        name=d.name,
        title=d.title,
        score=round(score, 1),
        compliant=d.errors == 0 and d.warnings == 0,
    )


class _Matcher:
    def __init__(self, datasets: Sequence[compliance.ReportDataset]) -> None:
        self.datasets = datasets
        self.by_id: dict[str, list[compliance.ReportDataset]] = defaultdict(list)
        self.by_agency: dict[str, list[compliance.ReportDataset]] = defaultdict(list)
        for d in datasets:
            for key in {d.name, d.remote_id, f"{d.source_id}:{d.remote_id}"}:
                if key:
                    self.by_id[key].append(d)
            for agency in {d.organization, d.produsen_data}:
                if agency:
                    self.by_agency[_fold(agency)].append(d)
        self.agencies = list(self.by_agency)
        self.taken: dict[int, float] = {}

    def agency_datasets(self, agency: str) -> list[compliance.ReportDataset]:
        folded = _fold(agency)
        if folded in self.by_agency:
            return self.by_agency[folded]
        found: dict[int, compliance.ReportDataset] = {}
        for name, score, _ in process.extract(
            folded, self.agencies, scorer=fuzz.token_set_ratio, limit=None
        ):
            if score >= AGENCY_THRESHOLD:
                for d in self.by_agency[name]:
                    found[d.id] = d
        return list(found.values())

    def match(self, entry: PlanEntry) -> EntryResult:
        if entry.dataset_id is not None:
            return self._by_id(entry, entry.dataset_id)
        pool = self.agency_datasets(entry.agency)
        if not pool:
            return EntryResult(entry, "missing", None, None, [], *_words(M.msg_plan_agency_unknown))
        titles = [d.title or "" for d in pool]
        scored = process.extract(
            entry.title,
            titles,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            limit=CANDIDATES + 1,
        )
        ranked = [(pool[index], score) for _, score, index in scored]
        candidates = [_candidate(d, s) for d, s in ranked[:CANDIDATES] if s >= POSSIBLE_THRESHOLD]
        if not candidates:
            return EntryResult(entry, "missing", None, None, [], *_words(M.msg_plan_no_title))
        best, best_score = ranked[0]
        close = len(ranked) > 1 and ranked[1][1] >= best_score - MARGIN
        if best_score >= MATCH_THRESHOLD and not close:
            if best.id in self.taken:
                return EntryResult(
                    entry, "to_confirm", "title", None, candidates, *_words(M.msg_plan_taken)
                )
            self.taken[best.id] = best_score
            return EntryResult(entry, "published", "title", _candidate(best, best_score))
        reason = M.msg_plan_close if close else M.msg_plan_weak
        return EntryResult(entry, "to_confirm", "title", None, candidates, *_words(reason))

    def _by_id(self, entry: PlanEntry, dataset_id: str) -> EntryResult:
        found = self.by_id.get(dataset_id, [])
        if len(found) == 1:
            self.taken[found[0].id] = 100.0
            return EntryResult(entry, "published", "id", _candidate(found[0], 100.0))
        if not found:
            return EntryResult(entry, "missing", "id", None, [], *_words(M.msg_plan_id_unknown))
        candidates = [_candidate(d, 100.0) for d in found[:CANDIDATES]]
        return EntryResult(
            entry, "to_confirm", "id", None, candidates, *_words(M.msg_plan_id_several)
        )


def _words(message: Message) -> tuple[str, str]:
    return message.id, message.en


def match_kind(r: EntryResult) -> MatchKind:
    """``exact``: published by its id, or by the same title (case, spaces and punctuation
    aside); ``fuzzy``: published by a close title (other words, other order); else the
    entry's status."""
    if r.status != "published":
        return r.status
    if r.method == "id" or (
        r.dataset is not None and _words_of(r.entry.title) == _words_of(r.dataset.title or "")
    ):
        return "exact"
    return "fuzzy"


def _words_of(title: str) -> list[str]:
    """A title's words as rapidfuzz compares them (lower case, punctuation as space)."""
    return str(utils.default_process(title)).split()


def agency_realisasi(name: str, results: list[EntryResult]) -> AgencyRealisasi:
    """The counts of ``results`` (one agency's entries, or any set of them)."""
    return _agency(name, results)


def _agency(name: str, results: list[EntryResult]) -> AgencyRealisasi:
    planned = len(results)
    published = sum(r.status == "published" for r in results)
    return AgencyRealisasi(
        name=name,
        planned=planned,
        published=published,
        compliant=sum(r.dataset is not None and r.dataset.compliant for r in results),
        to_confirm=sum(r.status == "to_confirm" for r in results),
        missing=sum(r.status == "missing" for r in results),
        published_share=round(published / planned, 4) if planned else 0.0,
        entries=results,
    )


def realisasi_report(
    cat: Catalogue,
    plan: Path | Sequence[Path],
    *,
    year: str | None = None,
    source_ids: Sequence[str] | None = None,
    now: datetime,
) -> RealisasiReport:
    """Every entry of the Daftar Data at ``plan`` (one file, or several read one after
    the other as one plan) matched to the active datasets of the katalog (of
    ``source_ids``), per agency of the plan, agencies in the plan's order."""
    files = [plan] if isinstance(plan, Path) else list(plan)
    entries: list[PlanEntry] = []
    skipped: list[SkippedRow] = []
    for path in files:
        found, left_out = read_plan(path, year=year)
        entries += found
        skipped += left_out
    if not entries:
        names = ", ".join(str(p) for p in files)
        raise ReportError(M.err_plan_no_entries.format(path=names, year=year or "-"))
    with _reading(cat):
        sources = _check_sources(cat, source_ids)
        datasets = list(cat.report_datasets(sources if source_ids else None, with_record=False))
    matcher = _Matcher(datasets)
    # entries with an id first, then the rest: an id is certain, a title is a judgement
    order = sorted(range(len(entries)), key=lambda i: entries[i].dataset_id is None)
    results: dict[int, EntryResult] = {}
    for i in order:
        result = matcher.match(entries[i])
        results[i] = replace(result, match=match_kind(result))
    per_agency: dict[str, list[EntryResult]] = {}
    for i, entry in enumerate(entries):
        per_agency.setdefault(entry.agency, []).append(results[i])
    agencies = [_agency(name, items) for name, items in per_agency.items()]
    everything = [results[i] for i in range(len(entries))]
    report = RealisasiReport(
        report="realisasi",
        generated_at=to_iso(now),
        catalogue=str(cat.path),
        plan=", ".join(str(p) for p in files),
        plans=[str(p) for p in files],
        year=year,
        thresholds={
            "match": MATCH_THRESHOLD,
            "possible": POSSIBLE_THRESHOLD,
            "margin": MARGIN,
            "agency": AGENCY_THRESHOLD,
        },
        agencies=agencies,
        overall=_agency("", everything),
        skipped=skipped,
    )
    return replace(report, summary=realisasi_summary(report))


def assign_agencies(
    report: RealisasiReport,
    agencies: Sequence[str | None],
    dataset_agency: Mapping[int, str | None],
) -> dict[str, str | None]:
    """The agency of another report (``agencies``: the site's, grouped by organization,
    produsen data or source) that each agency of the plan is, for the site's pages:

    1. the same name (case and spaces aside);
    2. else the one agency every published entry's dataset belongs to
       (``dataset_agency``: dataset id -> its agency in that report);
    3. else the one name a rapidfuzz ``token_set_ratio`` of at least
       :data:`AGENCY_THRESHOLD` puts first ("Dinas Kesehatan" is "Dinas Kesehatan Kota
       Medan"), when no other name scores as high.

    A plan agency none of these finds is left out of the result (it has no page)."""
    named = [a for a in agencies if a is not None]
    folded = {_fold(a): a for a in named}
    found: dict[str, str | None] = {}
    for plan_agency in report.agencies:
        name = plan_agency.name
        if _fold(name) in folded:
            found[name] = folded[_fold(name)]
            continue
        owners = {
            dataset_agency[r.dataset.id]
            for r in plan_agency.entries
            if r.dataset is not None and r.dataset.id in dataset_agency
        }
        if len(owners) == 1:
            found[name] = owners.pop()
            continue
        scored = process.extract(_fold(name), list(folded), scorer=fuzz.token_set_ratio, limit=2)
        best = scored[0][1] if scored else 0.0
        if best >= AGENCY_THRESHOLD and (len(scored) == 1 or scored[1][1] < best):
            found[name] = folded[scored[0][0]]
    return found
