"""``satudata report compliance`` and ``satudata report freshness``: per agency
(perangkat daerah), from the catalogue, as text, JSON, CSV or one HTML page."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from satudata_cli.cli.common import (
    Color,
    ColorOption,
    LangOption,
    OutputTarget,
    cli_errors,
    fail,
    make_console,
    resolve_lang,
)
from satudata_cli.cli.context import options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.output import csv_safe
from satudata_cli.core.i18n import Lang
from satudata_cli.reports.labels import agency_name, change_text, group_label, label, percent
from satudata_cli.reports.models import GroupBy

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue
    from satudata_cli.reports.models import ComplianceReport, FreshnessReport

report_app = typer.Typer(
    help="Reports per agency (perangkat daerah): compliance and freshness.",
    no_args_is_help=True,
)

#: Rows of the dataset tables in text output without ``--detail``.
TEXT_ROWS = 20


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    html = "html"


ByOption = Annotated[
    GroupBy,
    typer.Option("--by", help="What an agency is: organization, produsen_data or source (sumber)."),
]
SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", help="Only these sources (repeatable).", show_default=False),
]
ReportFormatOption = Annotated[
    ReportFormat,
    typer.Option("--format", "-f", help="Output format: text, json, csv or html."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of stdout.",
        show_default=False,
    ),
]
DetailOption = Annotated[
    bool,
    typer.Option("--detail", help="One row per dataset (csv), every dataset (text, html)."),
]


@contextmanager
def _report_errors() -> Iterator[None]:
    from satudata_cli.catalogue.errors import CatalogueLockedError
    from satudata_cli.reports.errors import NothingToReportError

    with cli_errors():
        try:
            yield
        except NothingToReportError as exc:
            raise fail(str(exc), ExitCode.NOTHING_DONE) from None
        except CatalogueLockedError as exc:
            raise fail(str(exc), ExitCode.LOCKED) from None


def _open(ctx: typer.Context) -> Catalogue:
    from satudata_cli.reports.build import open_catalogue

    return open_catalogue(options(ctx).db)


def _parse_day(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date in YYYY-MM-DD form", param_hint="--as-of"
        ) from None


def _json(report: Any, out: TextIO) -> None:
    out.write(json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2) + "\n")


def _table(title: str | None = None) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")


def _console(out: TextIO, color: Color) -> Any:
    return make_console(out, color, width=None if out.isatty() else 100)


# ------------------------------------------------------------------ compliance


def _compliance_text(
    report: ComplianceReport, lang: Lang, detail: bool, out: TextIO, color: Color
) -> None:
    console = _console(out, color)
    table = _table(label("compliance_title", lang))
    table.add_column(group_label(report.by, lang), overflow="fold", ratio=3)
    for key in ("datasets", "compliant", "score", "change"):
        table.add_column(label(key, lang), justify="right", no_wrap=True)
    table.add_column(label("top_rules", lang), overflow="fold", ratio=2)
    for a in [*report.agencies, report.overall]:
        is_total = a is report.overall
        style = "bold red" if a.score < 70 else ("yellow" if a.score < 90 else "green")
        table.add_row(
            Text(
                label("overall", lang) if is_total else agency_name(a.name, lang),
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
            Text("" if share >= 1 else f"{agency_name(lowest.name, lang)} ({percent(share)})"),
        )
    console.print(fields)

    shown = report.datasets if detail else [d for d in report.datasets if d.score < 100]
    if shown:
        rows = _table(label("all_datasets" if detail else "lowest_datasets", lang))
        rows.add_column(label("score", lang), justify="right", no_wrap=True)
        rows.add_column(label("dataset", lang), overflow="fold", ratio=3)
        rows.add_column(group_label(report.by, lang), overflow="fold", ratio=2)
        rows.add_column(label("rules", lang), overflow="fold", ratio=2)
        limit = None if detail else TEXT_ROWS
        for d in shown[:limit]:
            rows.add_row(
                f"{d.score:.1f}",
                Text(d.title or d.name or d.remote_id),
                Text(agency_name(d.agency, lang)),
                Text(", ".join(d.rules)),
            )
        console.print(rows)
        if limit is not None and len(shown) > limit:
            console.print(Text(label("more", lang, n=len(shown) - limit)))
    _notes(console, report, lang)


def _notes(console: Any, report: ComplianceReport, lang: Lang) -> None:
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


def _compliance_csv(report: ComplianceReport, detail: bool, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    if detail:
        columns = [
            "source_id",
            "remote_id",
            "name",
            "title",
            "agency",
            "score",
            "valid",
            "compliant",
            "errors",
            "warnings",
            "missing_required",
            "missing_recommended",
            "rules",
        ]
        writer.writerow(columns)
        for d in report.datasets:
            row = dataclasses.asdict(d)
            writer.writerow([csv_safe(row[c]) for c in columns])
        return
    fields = [fc.field for fc in report.overall.completeness]
    writer.writerow(
        [
            "agency",
            "datasets",
            "valid",
            "valid_share",
            "compliant",
            "compliant_share",
            "score",
            "previous_score",
            "change",
            "top_rules",
            *(f"completeness_{f}" for f in fields),
        ]
    )
    for a in report.agencies:
        writer.writerow(
            [
                csv_safe(a.name),
                a.datasets,
                a.valid,
                a.valid_share,
                a.compliant,
                a.compliant_share,
                a.score,
                csv_safe(a.previous_score),
                csv_safe(a.change),
                csv_safe([f"{r.rule} x{r.datasets}" for r in a.top_rules]),
                *(fc.share for fc in a.completeness),
            ]
        )


@report_app.command("compliance")
def compliance(
    ctx: typer.Context,
    by: ByOption = GroupBy.organization,
    source: SourceOption = None,
    output_format: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0,
            max=100,
            help="Exit 1 when any agency scores below this (0-100): a gate for CI or cron.",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    detail: DetailOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Compliance with the standard per agency (perangkat daerah), scored 0-100.

    Per agency: datasets, fully compliant share, completeness per field, the most
    frequent failing rules, the score and its change since the previous harvest.
    Active datasets only.

    Exit codes: 0 ok; 1 an agency scores below --min-score; 2 usage error (unknown
    source); 5 no catalogue or no active dataset.

    Kepatuhan metadata per perangkat daerah.
    """
    from satudata_cli.reports.build import compliance_report, freshness_report
    from satudata_cli.reports.html import render_html

    chosen = resolve_lang(lang)
    now = datetime.now(UTC)
    with _report_errors():
        with _open(ctx) as cat:
            report = compliance_report(cat, by=by, source_ids=source, now=now)
            fresh = (
                freshness_report(cat, by=by, source_ids=source, as_of=now.date(), now=now)
                if output_format is ReportFormat.html
                else None
            )
        with OutputTarget(output) as out:
            if output_format is ReportFormat.json:
                _json(report, out)
            elif output_format is ReportFormat.csv:
                _compliance_csv(report, detail, out)
            elif output_format is ReportFormat.html:
                out.write(
                    render_html(lang=chosen, compliance=report, freshness=fresh, detail=detail)
                )
            else:
                _compliance_text(report, chosen, detail, out, color)
    if min_score is not None:
        below = [a for a in report.agencies if a.score < min_score]
        if below:
            names = ", ".join(f"{agency_name(a.name, chosen)} ({a.score:.1f})" for a in below)
            raise fail(
                label("below_min", chosen, n=len(below), min=f"{min_score:g}", names=names),
                ExitCode.NON_COMPLIANT,
            )
    raise typer.Exit(int(ExitCode.OK))


# ------------------------------------------------------------------- freshness


def _freshness_text(
    report: FreshnessReport, lang: Lang, detail: bool, out: TextIO, color: Color
) -> None:
    console = _console(out, color)
    table = _table(f"{label('freshness_title', lang)} — {label('as_of', lang)} {report.as_of}")
    table.add_column(group_label(report.by, lang), overflow="fold", ratio=3)
    for key in ("datasets", "on_time", "overdue", "unknown_frequency"):
        table.add_column(label(key, lang), justify="right", no_wrap=False)
    table.add_column(label("worst", lang), overflow="fold", ratio=3)
    for a in [*report.agencies, report.overall]:
        is_total = a is report.overall
        table.add_row(
            Text(
                label("overall", lang) if is_total else agency_name(a.name, lang),
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
        rows.add_column(group_label(report.by, lang), overflow="fold", ratio=2)
        rows.add_column(label("jadwal", lang), no_wrap=True)
        rows.add_column(label("last_update", lang), no_wrap=True)
        rows.add_column(label("next_due", lang), no_wrap=True)
        rows.add_column(label("days_overdue", lang), justify="right", no_wrap=True)
        rows.add_column(label("status", lang), no_wrap=True)
        limit = None if detail else TEXT_ROWS
        for d in shown[:limit]:
            rows.add_row(
                Text(d.title or d.name or d.remote_id),
                Text(agency_name(d.agency, lang)),
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


def _freshness_csv(report: FreshnessReport, lang: Lang, detail: bool, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    if detail:
        columns = [
            "source_id",
            "remote_id",
            "name",
            "title",
            "agency",
            "jadwal_pemutakhiran",
            "period_days",
            "last_update",
            "last_update_from",
            "next_due",
            "days_overdue",
            "status",
        ]
        writer.writerow([*columns, "label"])
        for d in report.datasets:
            row = dataclasses.asdict(d)
            writer.writerow([*(csv_safe(row[c]) for c in columns), label(d.status, lang)])
        return
    writer.writerow(
        [
            "agency",
            "datasets",
            "on_time",
            "overdue",
            "unknown_frequency",
            "on_time_share",
            "max_days_overdue",
            "worst",
        ]
    )
    for a in report.agencies:
        writer.writerow(
            [
                csv_safe(a.name),
                a.datasets,
                a.on_time,
                a.overdue,
                a.unknown_frequency,
                csv_safe(a.on_time_share),
                csv_safe(a.max_days_overdue),
                csv_safe(
                    [f"{w.title or w.name or w.remote_id} ({w.days_overdue})" for w in a.worst]
                ),
            ]
        )


@report_app.command("freshness")
def freshness(
    ctx: typer.Context,
    by: ByOption = GroupBy.organization,
    source: SourceOption = None,
    output_format: ReportFormatOption = ReportFormat.text,
    output: OutputOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Judge freshness as of this day (YYYY-MM-DD); default today (UTC).",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    detail: DetailOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Freshness per dataset and agency: which updates are overdue (Terlambat).

    Per dataset: declared jadwal pemutakhiran, last update, due date, days overdue; per
    agency: on time / overdue / unknown frequency and the worst cases. Active datasets
    only.

    Exit codes: 0 ok; 2 usage error; 5 no catalogue or no active dataset.

    Kemutakhiran data per perangkat daerah.
    """
    from satudata_cli.reports.build import freshness_report
    from satudata_cli.reports.html import render_html

    chosen = resolve_lang(lang)
    day = _parse_day(as_of)
    with _report_errors():
        with _open(ctx) as cat:
            report = freshness_report(
                cat, by=by, source_ids=source, as_of=day, now=datetime.now(UTC)
            )
        with OutputTarget(output) as out:
            if output_format is ReportFormat.json:
                _json(report, out)
            elif output_format is ReportFormat.csv:
                _freshness_csv(report, chosen, detail, out)
            elif output_format is ReportFormat.html:
                out.write(render_html(lang=chosen, freshness=report, detail=detail))
            else:
                _freshness_text(report, chosen, detail, out, color)
    raise typer.Exit(int(ExitCode.OK))
