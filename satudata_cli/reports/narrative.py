"""The summary in words that opens every report and the site, in Indonesian and English.

Deterministic templates filled from the report's own figures (no external service,
nothing guessed): one sentence for the whole catalogue, then one per agency, e.g.

    Dinas Kesehatan: skor 73,8 (turun 2,1 sejak panen sebelumnya); 5 dataset terlambat
    diperbarui; 3 tautan rusak.

The words are in the message table (``REPORT_LABELS``, keys ``narr_*``); numbers are
written the way each language writes them (Indonesian ``73,8`` and ``1.234``, English
``73.8`` and ``1,234``). The facts behind the sentences travel with them in the JSON
outputs (:class:`~satudata_cli.reports.models.Summary`), under stable keys, so that a
program reads the numbers rather than the prose.

Number formatting is written here rather than taken from Babel: the reports only ever
show whole counts and one-decimal scores, and two languages with fixed separators do not
justify a locale database as a dependency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from satudata_cli.core.i18n import Lang
from satudata_cli.reports.labels import agency_name, label
from satudata_cli.reports.models import (
    AgencyCompliance,
    AgencyFreshness,
    AgencySummary,
    ChangeSince,
    ComplianceReport,
    FreshnessReport,
    Summary,
)

if TYPE_CHECKING:  # history, links and realisasi build on reports.build, which builds on this
    from satudata_cli.reports.history import (
        AgencyChanges,
        AgencyTrend,
        ChangesReport,
        TrendReport,
    )
    from satudata_cli.reports.links import AgencyLinks, LinksReport
    from satudata_cli.reports.realisasi import AgencyRealisasi, RealisasiReport

#: The version of the summary's keys (``summary.version`` in the JSON outputs).
SUMMARY_VERSION: Final = 1
#: Agencies named in the opening of a text or HTML report (the JSON carries them all).
SHOWN_AGENCIES: Final = 5

_SWAP: Final = str.maketrans(",.", ".,")


def number(value: float, lang: Lang, decimals: int = 1) -> str:
    """``73,8`` / ``1.234,5`` in Indonesian, ``73.8`` / ``1,234.5`` in English."""
    text = f"{value:,.{decimals}f}"
    return text.translate(_SWAP) if lang == "id" else text


def count(n: int, lang: Lang) -> str:
    """A whole count with the language's thousands separator."""
    return number(n, lang, 0)


def _plural(stem: str, n: int, lang: Lang) -> str:
    kind = "none" if n == 0 else ("one" if n == 1 else "many")
    return label(f"{stem}_{kind}", lang, n=count(n, lang))


def _datasets(n: int, lang: Lang) -> str:
    return label("narr_datasets_one" if n == 1 else "narr_datasets_many", lang, n=count(n, lang))


def _facts(
    name: str | None,
    comp: AgencyCompliance | None,
    fresh: AgencyFreshness | None,
    broken_links: int | None,
    change: float | None,
    since: ChangeSince,
) -> AgencySummary:
    datasets = comp.datasets if comp is not None else (fresh.datasets if fresh else 0)
    new = comp is not None and comp.previous_datasets == 0
    return AgencySummary(
        name=name,
        datasets=datasets,
        score=comp.score if comp is not None else None,
        change=None if new else change,
        change_since=since if change is not None and not new else None,
        new=new,
        compliant=comp.compliant if comp is not None else None,
        overdue=fresh.overdue if fresh is not None else None,
        unknown_frequency=fresh.unknown_frequency if fresh is not None else None,
        broken_links=broken_links,
    )


def change_cell(a: AgencySummary, lang: Lang) -> str:
    """The change of a summary as a table shows it: ``+0,8`` / ``-2,1`` / ``0,0``,
    ``baru`` for an agency that is new, ``–`` when there is nothing to compare with."""
    if a.new:
        return label("narr_new", lang)
    if a.change is None:
        return "–"
    return ("+" if a.change > 0 else "") + number(a.change, lang)


def _parts(a: AgencySummary, lang: Lang) -> list[str]:
    parts: list[str] = []
    if a.links_checked is not None:
        parts.append(_plural("narr_checked", a.links_checked, lang))
    if a.score is not None:
        score = label("narr_score", lang, score=number(a.score, lang))
        if a.new:
            score += f" ({label('narr_new', lang)})"
        elif a.change is not None and a.change_since is not None:
            since = label(f"narr_since_{a.change_since}", lang)
            delta = number(abs(a.change), lang)
            key = "narr_up" if a.change > 0 else ("narr_down" if a.change < 0 else "narr_same")
            score += f" ({label(key, lang, delta=delta, since=since)})"
        parts.append(score)
    if a.overdue is not None:
        parts.append(_plural("narr_overdue", a.overdue, lang))
    if a.broken_links is not None:
        parts.append(_plural("narr_links", a.broken_links, lang))
    if a.added is not None:
        parts.append(
            label(
                "narr_changed",
                lang,
                added=count(a.added, lang),
                updated=count(a.updated or 0, lang),
                withdrawn=count(a.withdrawn or 0, lang),
                restored=count(a.restored or 0, lang),
            )
        )
        parts.append(
            label(
                "narr_findings",
                lang,
                fixed=count(a.findings_fixed or 0, lang),
                new=count(a.findings_new or 0, lang),
            )
        )
    parts += _link_parts(a, lang) + _plan_parts(a, lang)
    if not parts and a.datasets == 0:
        parts.append(label("narr_absent", lang))
    return parts


def _link_parts(a: AgencySummary, lang: Lang) -> list[str]:
    """The links report's extra facts (the broken links themselves are said above)."""
    parts: list[str] = []
    if a.unverifiable_links:
        parts.append(label("narr_unverifiable", lang, n=count(a.unverifiable_links, lang)))
    if a.oldest_broken_days is not None:
        key = "narr_oldest_one" if a.oldest_broken_days == 1 else "narr_oldest_many"
        parts.append(label(key, lang, n=count(a.oldest_broken_days, lang)))
    return parts


def _plan_parts(a: AgencySummary, lang: Lang) -> list[str]:
    """Planned vs published: "8 dari 10 data yang direncanakan sudah terbit, 6 memenuhi
    standar; 1 perlu dikonfirmasi; 1 belum terbit"."""
    if a.planned is None:
        return []
    parts = [
        label(
            "narr_plan_one" if a.planned == 1 else "narr_plan_many",
            lang,
            published=count(a.published or 0, lang),
            planned=count(a.planned, lang),
            compliant=count(a.published_compliant or 0, lang),
        )
    ]
    if a.to_confirm:
        parts.append(label("narr_plan_to_confirm", lang, n=count(a.to_confirm, lang)))
    if a.missing:
        parts.append(label("narr_plan_missing", lang, n=count(a.missing, lang)))
    return parts


def sentence(
    a: AgencySummary,
    lang: Lang,
    *,
    agencies: int | None = None,
    overall: str = "narr_overall",
    by: str | None = None,
) -> str:
    """One agency's sentence; with ``agencies`` (their number), the whole catalogue's
    (``overall``: the key of its words, ``narr_overall_plan`` for a Daftar Data);
    ``by``: the report's grouping (how a name is said, :func:`agency_name`)."""
    parts = "; ".join(_parts(a, lang))
    if agencies is not None:
        return label(
            overall,
            lang,
            datasets=_datasets(a.datasets, lang),
            agencies=label(
                ("narr_pilar_groups" if by == "pilar" else "narr_agencies")
                + ("_one" if agencies == 1 else "_many"),
                lang,
                n=count(agencies, lang),
            ),
            parts=parts,
        )
    return label("narr_agency", lang, name=agency_name(a.name, lang, by), parts=parts)


def summarize(
    *,
    compliance: ComplianceReport | None = None,
    freshness: FreshnessReport | None = None,
    broken_links: Mapping[str | None, int] | None = None,
    changes: Mapping[str | None, float | None] | None = None,
    overall_change: float | None = None,
    since: ChangeSince = "previous_harvest",
    realisasi: Mapping[str | None, AgencyRealisasi] | None = None,
    realisasi_overall: AgencyRealisasi | None = None,
) -> Summary:
    """The summary of one report, or of a compliance and a freshness report of the same
    catalogue and grouping together (the site, the HTML compliance page).

    ``broken_links``: per agency (the ``None`` key: datasets without one), when links
    were checked; the catalogue's is their sum. ``changes`` and ``overall_change``: the
    score's change per agency and of the whole catalogue over a longer period ``since``
    (from the monitoring history) instead of the change since the previous harvest.
    ``realisasi`` and ``realisasi_overall``: the Daftar Data's figures per agency (an
    agency of the plan) and of the whole plan, when a plan was given (the site)."""
    if compliance is None and freshness is None:
        raise ValueError("summarize needs a compliance or a freshness report")
    comp = {a.name: a for a in compliance.agencies} if compliance else {}
    fresh = {a.name: a for a in freshness.agencies} if freshness else {}
    order = list(comp) + [name for name in fresh if name not in comp]

    def change_of(name: str | None, a: AgencyCompliance | None) -> float | None:
        if changes is not None:
            return changes.get(name)
        return a.change if a is not None else None

    basis: ChangeSince = since if changes is not None else "previous_harvest"
    all_comp = compliance.overall if compliance else None
    overall = _facts(
        None,
        all_comp,
        freshness.overall if freshness else None,
        None if broken_links is None else sum(broken_links.values()),
        overall_change if changes is not None else (all_comp.change if all_comp else None),
        basis,
    )
    agencies = [
        _facts(
            name,
            comp.get(name),
            fresh.get(name),
            None if broken_links is None else broken_links.get(name, 0),
            change_of(name, comp.get(name)),
            basis,
        )
        for name in order
    ]
    if realisasi is not None:
        agencies = [
            a if a.name not in realisasi else _with_plan(a, realisasi[a.name]) for a in agencies
        ]
    if realisasi_overall is not None:
        overall = _with_plan(overall, realisasi_overall)
    by = compliance.by if compliance is not None else freshness.by if freshness else None
    return _summary(overall, agencies, by=by)


def _with_plan(a: AgencySummary, plan: AgencyRealisasi) -> AgencySummary:
    return replace(
        a,
        planned=plan.planned,
        published=plan.published,
        published_compliant=plan.compliant,
        to_confirm=plan.to_confirm,
        missing=plan.missing,
    )


def _summary(
    overall: AgencySummary,
    agencies: list[AgencySummary],
    counted: int | None = None,
    overall_key: str = "narr_overall",
    *,
    by: str | None = None,
) -> Summary:
    n = len(agencies) if counted is None else counted
    texts = {
        lang: [sentence(overall, lang, agencies=n, overall=overall_key, by=by)]
        + [sentence(a, lang, by=by) for a in agencies]
        for lang in ("id", "en")
    }
    return Summary(
        version=SUMMARY_VERSION,
        overall=overall,
        agencies=agencies,
        text_id=texts["id"],
        text_en=texts["en"],
    )


def _trend_facts(a: AgencyTrend) -> AgencySummary:
    last = a.points[-1] if a.points else None
    if last is None:  # no dataset in the last period (e.g. renamed)
        return AgencySummary(a.name, 0)
    return AgencySummary(
        name=a.name,
        datasets=last.datasets,
        score=last.score,
        change=a.change_score,
        change_since="window_start" if a.change_score is not None else None,
        new=False,
        compliant=None,
        overdue=last.overdue,
        unknown_frequency=last.unknown_frequency,
        broken_links=None,
    )


def trend_summary(report: TrendReport) -> Summary:
    """The summary of ``report trend``: per agency (in rank order) the score and the
    overdue datasets of the last period and the score's change since the agency's first
    period in the window; an agency without datasets at the end says so."""
    agencies = [_trend_facts(a) for a in report.agencies]
    present = sum(1 for a in agencies if a.datasets)
    return _summary(_trend_facts(report.overall), agencies, present, by=report.by)


def _changes_facts(a: AgencyChanges) -> AgencySummary:
    return AgencySummary(
        name=a.name,
        datasets=a.added + a.updated + a.withdrawn + a.restored,
        added=a.added,
        updated=a.updated,
        withdrawn=a.withdrawn,
        restored=a.restored,
        findings_new=a.findings_new,
        findings_fixed=a.findings_fixed,
    )


def changes_summary(report: ChangesReport) -> Summary:
    """The summary of ``report changes``: per agency the datasets added, updated,
    withdrawn and restored in the window and the findings fixed and new."""
    return _summary(
        _changes_facts(report.overall),
        [_changes_facts(a) for a in report.agencies],
        by=report.by,
    )


def _links_facts(a: AgencyLinks) -> AgencySummary:
    oldest = a.oldest_broken
    return AgencySummary(
        name=a.name,
        datasets=a.datasets,
        broken_links=a.broken,
        links_checked=a.checked,
        unverifiable_links=a.unverifiable,
        oldest_broken_days=oldest.days_broken if oldest is not None else None,
        oldest_broken_url=oldest.url if oldest is not None else None,
    )


def links_report_summary(report: LinksReport) -> Summary:
    """The summary of ``report links``: per agency (most broken first) the links checked,
    broken (two-checks rule) and unverifiable, and how long the oldest has been broken;
    ``datasets``: the datasets that give a link."""
    return _summary(
        _links_facts(report.overall), [_links_facts(a) for a in report.agencies], by=report.by
    )


def _plan_facts(a: AgencyRealisasi, name: str | None) -> AgencySummary:
    return AgencySummary(
        name=name,
        datasets=a.published,
        planned=a.planned,
        published=a.published,
        published_compliant=a.compliant,
        to_confirm=a.to_confirm,
        missing=a.missing,
    )


def realisasi_summary(report: RealisasiReport) -> Summary:
    """The summary of ``report realisasi``: per agency of the Daftar Data (the plan's
    order) the entries planned, published, published by a fully compliant dataset, to
    confirm and missing; ``datasets``: the datasets that realise the plan."""
    return _summary(
        _plan_facts(report.overall, None),
        [_plan_facts(a, a.name) for a in report.agencies],
        overall_key="narr_overall_plan",
    )


def changes_sentence(a: AgencyChanges, lang: Lang, by: str | None = None) -> str:
    """One agency's sentence of its changes (the site's changes sections)."""
    return sentence(_changes_facts(a), lang, by=by)


def opening(summary: Summary, lang: Lang, limit: int | None = SHOWN_AGENCIES) -> list[str]:
    """The sentences that open a text or HTML report: the whole catalogue's, then the
    first ``limit`` agencies' (in the report's order, the ones to watch first) and how
    many more there are."""
    texts = summary.text_id if lang == "id" else summary.text_en
    head, rest = texts[:1], texts[1:]
    if limit is None or len(rest) <= limit:
        return head + rest
    return [*head, *rest[:limit], label("narr_more", lang, n=count(len(rest) - limit, lang))]
