"""The ``text`` report format: rich tables for people (a terminal, a pipe, a file)."""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from satudata_cli.core.i18n import Lang
from satudata_cli.reports.labels import agency_name, change_text, group_label, label, percent
from satudata_cli.reports.models import ComplianceReport, FreshnessReport, GroupBy, Summary
from satudata_cli.reports.narrative import SHOWN_AGENCIES, opening
from satudata_cli.reports.render import RenderOptions

#: Rows of the dataset tables in text output without ``--detail``.
TEXT_ROWS = 20


def _ids(by: str) -> bool:
    """Whether the agency column holds ids (``--by source``): never wrapped or cut."""
    return by == GroupBy.source


def _table(title: str | None = None) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")


def print_opening(console: Console, summary: Summary | None, lang: Lang, detail: bool) -> None:
    """The summary in words that opens a report (every agency's sentence with detail)."""
    if summary is None:
        return
    for line in opening(summary, lang, None if detail else SHOWN_AGENCIES):
        console.print(Text(line))
    console.print()


def compliance_text(report: ComplianceReport, out: TextIO, options: RenderOptions) -> None:
    """Opening sentences, then tables for people: agencies, field completeness, the lowest
    datasets, notes."""
    lang, detail = options.lang, options.detail
    console = options.console(out)
    print_opening(console, report.summary, lang, detail)
    table = _table(label("compliance_title", lang))
    table.add_column(group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by))
    for key in ("datasets", "compliant", "score", "change"):
        table.add_column(label(key, lang), justify="right", no_wrap=True)
    table.add_column(label("top_rules", lang), overflow="fold", ratio=2)
    for a in [*report.agencies, report.overall]:
        is_total = a is report.overall
        style = "bold red" if a.score < 70 else ("yellow" if a.score < 90 else "green")
        table.add_row(
            Text(
                label("overall", lang) if is_total else agency_name(a.name, lang, report.by),
                style="bold" if is_total else "",
            ),
            str(a.datasets),
            percent(a.compliant_share),
            Text(f"{a.score:.1f}", style=style),
            change_text(a.change, a.previous_datasets, lang),
            Text(", ".join(f"{r.rule} ×{r.datasets}" for r in a.top_rules)),
            end_section=not is_total and a is report.agencies[-1],
        )
    console.print(table)

    fields = _table(label("completeness", lang))
    fields.add_column(label("field", lang), no_wrap=True)
    fields.add_column(label("kind", lang), no_wrap=True)
    fields.add_column(label("overall", lang), justify="right", no_wrap=True)
    fields.add_column(label("lowest", lang), overflow="fold")
    for i, fc in enumerate(report.overall.completeness):
        lowest = min(report.agencies, key=lambda a: (a.completeness[i].share, a.name or ""))
        share = lowest.completeness[i].share
        fields.add_row(
            fc.field,
            label("required" if fc.required else "recommended", lang),
            percent(fc.share),
            Text(
                ""
                if share >= 1
                else f"{agency_name(lowest.name, lang, report.by)} ({percent(share)})"
            ),
        )
    console.print(fields)

    shown = report.datasets if detail else [d for d in report.datasets if d.score < 100]
    if shown:
        rows = _table(label("all_datasets" if detail else "lowest_datasets", lang))
        rows.add_column(label("score", lang), justify="right", no_wrap=True)
        rows.add_column(label("dataset", lang), overflow="fold", ratio=3)
        rows.add_column(group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by))
        rows.add_column(label("rules", lang), overflow="fold", ratio=2)
        limit = None if detail else TEXT_ROWS
        for d in shown[:limit]:
            rows.add_row(
                f"{d.score:.1f}",
                Text(d.title or d.name or d.remote_id),
                Text(agency_name(d.agency, lang, report.by)),
                Text(", ".join(d.rules)),
            )
        console.print(rows)
        if limit is not None and len(shown) > limit:
            console.print(Text(label("more", lang, n=len(shown) - limit)))
    _notes(console, report, lang)


def _notes(console: Console, report: ComplianceReport, lang: Lang) -> None:
    formula = report.formula.text_id if lang == "id" else report.formula.text_en
    console.print(Text(f"{label('formula', lang)}: {formula}."))
    if report.previous:
        jobs = ", ".join(
            f"{p.source_id} (job {p.job_id}, {(p.finished_at or '')[:16].replace('T', ' ')})"
            for p in report.previous
        )
        console.print(Text(label("previous_some", lang, jobs=jobs)))
    else:
        console.print(Text(label("previous_none", lang)))
    console.print(Text(label("scope", lang)))


def freshness_text(report: FreshnessReport, out: TextIO, options: RenderOptions) -> None:
    """Opening sentences, then tables for people: agencies, then the overdue (or, with
    detail, all) datasets."""
    lang, detail = options.lang, options.detail
    console = options.console(out)
    print_opening(console, report.summary, lang, detail)
    table = _table(f"{label('freshness_title', lang)} — {label('as_of', lang)} {report.as_of}")
    table.add_column(group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by))
    for key in ("datasets", "on_time", "overdue", "unknown_frequency"):
        table.add_column(label(key, lang), justify="right", no_wrap=True)
    table.add_column(label("worst", lang), overflow="fold", ratio=3)
    for a in [*report.agencies, report.overall]:
        is_total = a is report.overall
        table.add_row(
            Text(
                label("overall", lang) if is_total else agency_name(a.name, lang, report.by),
                style="bold" if is_total else "",
            ),
            str(a.datasets),
            str(a.on_time),
            Text(str(a.overdue), style="bold red" if a.overdue else ""),
            str(a.unknown_frequency),
            Text(
                "; ".join(
                    f"{w.title or w.name or w.remote_id} ({w.days_overdue})" for w in a.worst[:1]
                )
            ),
            end_section=not is_total and a is report.agencies[-1],
        )
    console.print(table)
    shown = report.datasets if detail else [d for d in report.datasets if d.status == "overdue"]
    if shown:
        rows = _table(label("all_datasets" if detail else "overdue_datasets", lang))
        rows.add_column(label("dataset", lang), overflow="fold", ratio=3)
        rows.add_column(group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by))
        rows.add_column(label("jadwal", lang), no_wrap=True)
        rows.add_column(label("last_update", lang), no_wrap=True)
        rows.add_column(label("next_due", lang), no_wrap=True)
        rows.add_column(label("days_overdue", lang), justify="right", no_wrap=True)
        rows.add_column(label("status", lang), no_wrap=True)
        limit = None if detail else TEXT_ROWS
        for d in shown[:limit]:
            rows.add_row(
                Text(d.title or d.name or d.remote_id),
                Text(agency_name(d.agency, lang, report.by)),
                d.jadwal_pemutakhiran or "–",
                d.last_update,
                d.next_due or "–",
                "–" if d.days_overdue is None else str(d.days_overdue),
                Text(label(d.status, lang), style="bold red" if d.status == "overdue" else ""),
            )
        console.print(rows)
        if limit is not None and len(shown) > limit:
            console.print(Text(label("more", lang, n=len(shown) - limit)))
    console.print(Text(label("scope", lang)))
