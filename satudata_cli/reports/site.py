"""``satudata report site``: a static, self-contained website of the catalogue's
compliance and freshness per agency (perangkat daerah), ready to copy to any web server.

The site is built in two steps, like every report: :func:`build_site` reads the
catalogue into the compliance and freshness reports and :func:`render_site` turns them
into pages (a :class:`Site`, nothing written yet); :func:`write_site` then writes the
pages to a temporary folder beside the target and moves it into place, so that a cron
job never publishes a half-written site and a failed run leaves the previous one.

Layout (every link relative, so the folder works from any URL or from disk)::

    index.html                      the city's overview
    perangkat-daerah/<slug>.html    one page per agency
    summary.json                    the summary's facts (schemas/report-summary.schema.json)
    realisasi.json                  with a Daftar Data: its realisasi
                                    (schemas/realisasi-report.schema.json)
    .satudata-site                  marks the folder as a site this command may replace

Sections that need data the catalogue may not have are passed in as :class:`SiteExtras`
and appear only when given: the score over the last twelve months and the changes of
the last seven days (``report trend`` and ``report changes``, from the monitoring
history; the summary then measures the change since last month), and the link-check
numbers (after ``satudata links check``); the realisasi of a Daftar Data (planned vs
published per agency, each planned entry with its match on the agency's page) when
plans are given (:func:`build_site`'s ``plans``).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from slugify import slugify

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.core.i18n import Lang
from satudata_cli.core.messages import M
from satudata_cli.reports import labels
from satudata_cli.reports.build import compliance_report, freshness_report
from satudata_cli.reports.errors import NothingToReportError, ReportError
from satudata_cli.reports.history import (
    AgencyChanges,
    AgencyTrend,
    ChangesReport,
    Every,
    TrendReport,
    changes_report,
    trend_report,
)
from satudata_cli.reports.history_formats import Chart, chart, signed
from satudata_cli.reports.html import page_globals, template
from satudata_cli.reports.links import LinkItem, agency_links, links_summary
from satudata_cli.reports.models import (
    AgencyCompliance,
    AgencyFreshness,
    AgencySummary,
    ComplianceReport,
    DatasetCompliance,
    DatasetFreshness,
    FreshnessReport,
    GroupBy,
    Summary,
)
from satudata_cli.reports.narrative import (
    SHOWN_AGENCIES,
    change_cell,
    changes_summary,
    opening,
    summarize,
    trend_summary,
)
from satudata_cli.reports.realisasi import (
    AgencyRealisasi,
    EntryResult,
    RealisasiReport,
    agency_realisasi,
    assign_agencies,
    realisasi_report,
)
from satudata_cli.standard.ruleset import RULES
from satudata_cli.standard.schema import Standard, load_standard

#: The folder of the agencies' pages.
AGENCY_DIR: Final = "perangkat-daerah"
#: The file that marks a folder as a site of this command (and so replaceable).
MARKER: Final = ".satudata-site"
#: The slug of the datasets that name no agency.
NO_AGENCY_SLUG: Final = "tanpa-perangkat-daerah"
_SLUG_MAX: Final = 80


class SiteError(ReportError):
    """The site cannot be written where asked (exit 2)."""


@dataclass(frozen=True, slots=True)
class LinkFigures:
    """Link checks of one agency: links checked, broken."""

    checked: int
    broken: int


@dataclass(frozen=True, slots=True)
class SiteExtras:
    """Sections shown only when their data exist: ``links`` per agency (the ``None``
    key: datasets without one) and ``dataset_links`` per dataset id from the link
    checks; ``trend`` (monthly) and ``changes`` from the monitoring history."""

    links: Mapping[str | None, LinkFigures] | None = None
    dataset_links: Mapping[int, LinkFigures] | None = None
    trend: TrendReport | None = None
    changes: ChangesReport | None = None
    #: the Daftar Data matched to the katalog (``--plan``, the sources' ``plan:``)
    realisasi: RealisasiReport | None = None


@dataclass(frozen=True, slots=True)
class SitePage:
    """One file of the site: its path relative to the site's root, its text."""

    path: str
    text: str


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    lang: Lang
    generated_at: str
    as_of: str
    sources: list[str]
    summary: Summary
    #: agency -> the path of its page
    agency_pages: dict[str | None, str]
    pages: list[SitePage] = field(default_factory=list)


def agency_slugs(names: Iterable[str | None]) -> dict[str | None, str]:
    """A file name per agency: the slug of its name (ASCII, lower case, hyphens), the
    same on every run; two names with one slug get ``-2``, ``-3`` in the order of the
    names, so a name keeps its file as long as no colliding name sorts before it."""
    slugs: dict[str | None, str] = {}
    taken: set[str] = set()
    ordered = sorted(set(names), key=lambda n: (n is None, n or ""))
    for name in ordered:
        base = NO_AGENCY_SLUG if name is None else slugify(name, max_length=_SLUG_MAX)
        base = base or "perangkat-daerah"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[name] = slug
    return slugs


def check_base_url(base_url: str | None) -> str | None:
    """``--base-url`` as an absolute http(s) URL ending in ``/``."""
    if base_url is None:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteError(M.err_site_base_url.format(value=repr(base_url)))
    return base_url if base_url.endswith("/") else base_url + "/"


@dataclass(frozen=True, slots=True)
class _Row:
    name: str | None
    href: str
    fact: AgencySummary
    comp: AgencyCompliance
    fresh: AgencyFreshness | None
    links: LinkFigures | None
    trend: AgencyTrend | None
    changes: AgencyChanges | None


@dataclass(frozen=True, slots=True)
class _PlanRow:
    """One agency of the index's realisasi table: its page (``None``: an agency of the
    plan with no dataset in the katalog), its figures."""

    name: str
    href: str | None
    figures: AgencyRealisasi


@dataclass(frozen=True, slots=True)
class _Plan:
    """The realisasi of the site's agencies: ``agencies`` per agency of the site (the
    plan's agencies that are that agency, their entries together), ``rows`` the index's
    table, ``dataset_href`` where each dataset's row is, from the site's root."""

    report: RealisasiReport
    agencies: dict[str | None, AgencyRealisasi]
    rows: list[_PlanRow]
    dataset_href: dict[int, str]


def _plan(
    report: RealisasiReport | None,
    compliance: ComplianceReport,
    paths: Mapping[str | None, str],
    lang: Lang,
) -> _Plan | None:
    if report is None:
        return None
    dataset_agency = {d.id: d.agency for d in compliance.datasets}
    assigned = assign_agencies(report, [a.name for a in compliance.agencies], dataset_agency)
    grouped: dict[str | None, list[EntryResult]] = {}
    for a in report.agencies:
        if a.name in assigned:
            grouped.setdefault(assigned[a.name], []).extend(a.entries)
    agencies = {
        name: agency_realisasi(labels.agency_name(name, lang), entries)
        for name, entries in grouped.items()
    }
    rows = [
        _PlanRow(labels.agency_name(a.name, lang), paths[a.name], agencies[a.name])
        for a in compliance.agencies
        if a.name in agencies
    ]
    rows += [_PlanRow(a.name, None, a) for a in report.agencies if a.name not in assigned]
    hrefs = {d.id: f"{paths[d.agency]}#d-{d.id}" for d in compliance.datasets if d.agency in paths}
    return _Plan(report, agencies, rows, hrefs)


@dataclass(frozen=True, slots=True)
class _TrendCell:
    """One small multiple of the index: an agency's trend, its page (``None`` for an
    agency that has no dataset now, e.g. under its old name), its chart."""

    trend: AgencyTrend
    href: str | None
    chart: Chart
    last_score: float | None


@dataclass(frozen=True, slots=True)
class _Missing:
    field: str
    label: str


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class _DatasetRow:
    comp: DatasetCompliance
    fresh: DatasetFreshness | None
    missing: list[_Missing]
    rules: list[_Rule]
    links: LinkFigures | None


def _dataset_rows(
    datasets: Sequence[DatasetCompliance],
    fresh: Mapping[int, DatasetFreshness],
    links: Mapping[int, LinkFigures] | None,
    standard: Standard,
    lang: Lang,
) -> list[_DatasetRow]:
    rows = []
    for d in datasets:
        missing = []
        for name in (*d.missing_required, *d.missing_recommended):
            info = standard.fields.get(name)
            title = info.title.get(lang) if info else name
            missing.append(_Missing(field=name, label=title))
        rules = []
        for rule in d.rules:
            info_rule = RULES.get(rule)
            title = (
                (info_rule.title.id if lang == "id" else info_rule.title.en) if info_rule else ""
            )
            rules.append(_Rule(id=rule, title=title))
        rows.append(
            _DatasetRow(
                comp=d,
                fresh=fresh.get(d.id),
                missing=missing,
                rules=rules,
                links=None if links is None else links.get(d.id),
            )
        )
    return rows


def _sentence_of(summary: Summary | None, name: str | None, lang: Lang) -> str | None:
    """The sentence of agency ``name`` in ``summary``; ``None`` when it is not there."""
    if summary is None:
        return None
    texts = summary.text_id if lang == "id" else summary.text_en
    for position, fact in enumerate(summary.agencies, start=1):
        if fact.name == name:
            return texts[position]
    return None


def _last_point_score(a: AgencyTrend) -> float | None:
    return next((p.score for p in reversed(a.points) if p is not None), None)


def _since_last_month(
    compliance: ComplianceReport, trend: TrendReport | None
) -> tuple[dict[str | None, float | None], float | None] | None:
    """The score now minus the score at the end of last month, per agency and for the
    whole catalogue; ``None`` when the history has no month before this one."""
    if trend is None or len(trend.periods) < 2:
        return None

    def change(now: float, a: AgencyTrend | None) -> float | None:
        before = a.points[-2] if a is not None else None
        return None if before is None else round(now - before.score, 1)

    by_name = {a.name: a for a in trend.agencies}
    per_agency = {a.name: change(a.score, by_name.get(a.name)) for a in compliance.agencies}
    return per_agency, change(compliance.overall.score, trend.overall)


_COUNTS: Final = ("added", "updated", "withdrawn", "restored", "findings_new", "findings_fixed")


def _trend_window(trend: TrendReport | None, lang: Lang) -> str:
    if trend is None:
        return ""
    every = labels.label(f"every_{trend.every}", lang)
    return labels.label("trend_window", lang, since=trend.since, until=trend.until, every=every)


def _changes_window(changes: ChangesReport | None, lang: Lang) -> str:
    if changes is None:
        return ""
    return labels.label("changes_window", lang, since=changes.since, until=changes.until)


def render_site(
    compliance: ComplianceReport,
    freshness: FreshnessReport,
    *,
    lang: Lang,
    title: str | None = None,
    base_url: str | None = None,
    extras: SiteExtras | None = None,
    standard: Standard | None = None,
) -> Site:
    """The pages of the site from a compliance and a freshness report of the same
    catalogue, grouping and time (nothing is written)."""
    extras = extras or SiteExtras()
    standard = standard or load_standard()
    base = check_base_url(base_url)
    links = extras.links
    monthly = _since_last_month(compliance, extras.trend)
    monthly_or_harvest = "previous_harvest" if monthly is None else "last_month"
    slugs = agency_slugs(a.name for a in compliance.agencies)
    paths = {name: f"{AGENCY_DIR}/{slug}.html" for name, slug in slugs.items()}
    plan = _plan(extras.realisasi, compliance, paths, lang)
    summary = summarize(
        compliance=compliance,
        freshness=freshness,
        broken_links=None if links is None else {k: v.broken for k, v in links.items()},
        changes=None if monthly is None else monthly[0],
        overall_change=None if monthly is None else monthly[1],
        since="last_month",
        realisasi=None if plan is None else plan.agencies,
        realisasi_overall=None if plan is None else plan.report.overall,
    )
    site_title = title or labels.label("compliance_title", lang)
    fresh_by = {a.name: a for a in freshness.agencies}
    trend_by = {a.name: a for a in extras.trend.agencies} if extras.trend else {}
    changes_by = {a.name: a for a in extras.changes.agencies} if extras.changes else {}
    rows = [
        _Row(
            name=a.name,
            href=paths[a.name],
            fact=fact,
            comp=a,
            fresh=fresh_by.get(a.name),
            links=None if links is None else links.get(a.name),
            trend=trend_by.get(a.name),
            changes=changes_by.get(a.name),
        )
        for a, fact in zip(compliance.agencies, summary.agencies, strict=True)
    ]
    trend_cells = [
        _TrendCell(
            trend=t,
            href=paths.get(t.name),
            chart=chart(t, 220, 70),
            last_score=_last_point_score(t),
        )
        for t in (extras.trend.agencies if extras.trend else [])
    ]
    links_total = (
        None
        if links is None
        else LinkFigures(
            checked=sum(v.checked for v in links.values()),
            broken=sum(v.broken for v in links.values()),
        )
    )
    site = Site(
        title=site_title,
        lang=lang,
        generated_at=compliance.generated_at,
        as_of=freshness.as_of,
        sources=compliance.sources,
        summary=summary,
        agency_pages=paths,
    )
    trend_words = trend_summary(extras.trend) if extras.trend else None
    changes_words = changes_summary(extras.changes) if extras.changes else None
    common = {
        **page_globals(lang, compliance.by),
        "site": site,
        "site_title": site_title,
        "group": labels.group_label(compliance.by, lang),
        "links": links is not None,
        "links_total": links_total,
        "trend": extras.trend,
        "changes": extras.changes,
        "signed": signed,
        "delta": lambda fact: change_cell(fact, lang),
        "monthly": monthly is not None,
        "overall_fact": summary.overall,
        "change_heading": labels.label("change", lang)
        + " "
        + labels.label(f"narr_since_{monthly_or_harvest}", lang),
        "large_chart": lambda a: chart(a, 900, 180),
        "counts": _COUNTS,
        "trend_window": _trend_window(extras.trend, lang),
        "changes_window": _changes_window(extras.changes, lang),
        "plan": plan,
        "match_label": lambda kind: labels.label(f"match_{kind}", lang),
        "plan_files": (
            ", ".join(Path(p).name for p in plan.report.plans) if plan is not None else ""
        ),
    }
    index = template("site_index.html.j2").render(
        page_title=site_title,
        canonical=f"{base}index.html" if base else None,
        root="",
        crumb=None,
        opening=opening(summary, lang, SHOWN_AGENCIES),
        c=compliance,
        f=freshness,
        rows=rows,
        trend_cells=trend_cells,
        trend_lead=(trend_words.text_id if lang == "id" else trend_words.text_en)[0]
        if trend_words
        else None,
        changes_lead=(changes_words.text_id if lang == "id" else changes_words.text_en)[0]
        if changes_words
        else None,
        trend_overall_score=_last_point_score(extras.trend.overall) if extras.trend else None,
        **common,
    )
    pages = [SitePage("index.html", index)]
    fresh_datasets = {d.id: d for d in freshness.datasets}
    by_agency: dict[str | None, list[DatasetCompliance]] = {}
    for d in compliance.datasets:
        by_agency.setdefault(d.agency, []).append(d)
    sentences = summary.text_id if lang == "id" else summary.text_en
    for position, row in enumerate(rows, start=1):
        name = labels.agency_name(row.name, lang, compliance.by)
        page = template("site_agency.html.j2").render(
            page_title=labels.label("site_agency_title", lang, name=name),
            canonical=f"{base}{row.href}" if base else None,
            root="../",
            crumb=name,
            opening=[sentences[position]],
            r=row,
            trend_lead=_sentence_of(trend_words, row.name, lang),
            changes_lead=_sentence_of(changes_words, row.name, lang),
            planned=None if plan is None else plan.agencies.get(row.name),
            datasets=_dataset_rows(
                by_agency.get(row.name, []), fresh_datasets, extras.dataset_links, standard, lang
            ),
            **common,
        )
        pages.append(SitePage(row.href, page))
    pages.append(
        SitePage(
            "summary.json",
            json.dumps(dataclasses.asdict(summary), ensure_ascii=False, indent=2) + "\n",
        )
    )
    if plan is not None:
        pages.append(
            SitePage(
                "realisasi.json",
                json.dumps(dataclasses.asdict(plan.report), ensure_ascii=False, indent=2) + "\n",
            )
        )
    return dataclasses.replace(site, pages=pages)


def build_site(
    cat: Catalogue,
    *,
    lang: Lang,
    now: datetime,
    as_of: date | None = None,
    by: GroupBy = GroupBy.organization,
    title: str | None = None,
    base_url: str | None = None,
    extras: SiteExtras | None = None,
    plans: Sequence[Path] = (),
) -> Site:
    """Read the catalogue (active datasets; freshness judged, trend and changes up to
    ``as_of``, default the day of ``now``) and render the site; with ``plans`` (Daftar
    Data files, read as one plan) the realisasi of each agency too."""
    check_base_url(base_url)  # before the catalogue is read
    day = as_of or now.date()
    standard = load_standard()
    realisasi = realisasi_report(cat, plans, now=now) if plans else None
    compliance = compliance_report(cat, by=by, now=now, standard=standard)
    freshness = freshness_report(cat, by=by, as_of=day, now=now, standard=standard)
    if extras is None:
        extras = read_extras(cat, by=by, now=now, as_of=day)
    if realisasi is not None:
        extras = dataclasses.replace(extras, realisasi=realisasi)
    return render_site(
        compliance,
        freshness,
        lang=lang,
        title=title,
        base_url=base_url,
        extras=extras,
        standard=standard,
    )


def read_extras(cat: Catalogue, *, by: GroupBy, now: datetime, as_of: date) -> SiteExtras:
    """What the catalogue holds beyond the current state: the monthly trend of the
    twelve months and the changes of the seven days up to ``as_of`` (when harvests left
    snapshots), the link-check numbers (when links were checked)."""
    try:
        trend: TrendReport | None = trend_report(
            cat, by=by, every=Every.month, until=as_of, now=now
        )
    except NothingToReportError:  # no snapshot yet
        trend = None
    changes = changes_report(cat, by=by, until=as_of, now=now) if trend is not None else None
    links, dataset_links = _link_figures(cat, by, now)
    return SiteExtras(links=links, dataset_links=dataset_links, trend=trend, changes=changes)


def _link_figures(
    cat: Catalogue, by: GroupBy, now: datetime
) -> tuple[dict[str | None, LinkFigures] | None, dict[int, LinkFigures] | None]:
    """Links checked and confirmed broken per agency and per dataset, from the links
    report (:func:`satudata_cli.reports.links.links_summary`: the links of the active
    datasets, the two-checks rule); ``None`` when no link was ever checked."""
    report = links_summary(cat, by=by, now=now)
    if report is None:
        return None, None
    per_dataset: dict[int, list[LinkItem]] = defaultdict(list)
    for item in report.links:
        per_dataset[item.dataset_id].append(item)
    figures = {k: agency_links(None, items) for k, items in per_dataset.items()}
    return (
        {a.name: LinkFigures(a.checked, a.broken) for a in report.agencies},
        {k: LinkFigures(f.checked, f.broken) for k, f in figures.items()},
    )


def _replaceable(folder: Path) -> bool:
    """An empty folder, or one this command wrote (it holds the marker file)."""
    return folder.is_dir() and (not any(folder.iterdir()) or (folder / MARKER).is_file())


def write_site(site: Site, output: Path) -> None:
    """Write the site to ``output`` as a whole: the pages go to a temporary folder beside
    it, which then takes the place of ``output`` (two renames on one file system; the
    previous site stays until the new one is complete). A folder that is neither empty
    nor a previous site is never touched."""
    output = output.absolute()  # not resolve(): a symlinked folder name stays the name
    if output.exists() and not _replaceable(output):
        raise SiteError(M.err_site_not_ours.format(path=output))
    parent = output.parent
    tmp: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=parent))
        tmp.chmod(0o755)  # mkdtemp's 0700 would hide the site from the web server
        for page in site.pages:
            path = tmp / page.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page.text, encoding="utf-8")
        (tmp / MARKER).write_text(
            "satudata report site: this folder is replaced as a whole on the next run\n",
            encoding="utf-8",
        )
        if output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".old", dir=parent))
            old.rmdir()
            output.rename(old)
            try:
                tmp.rename(output)
            except OSError:
                old.rename(output)  # put the previous site back
                raise
            tmp = None
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(output)
            tmp = None
    except OSError as exc:
        raise SiteError(
            M.err_site_write.format(path=output, error=exc.strerror or str(exc))
        ) from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
