"""The formats of the links report (``satudata report links --format``): ONE registry,
:data:`LINKS_FORMATS`, from which the CLI's choices derive (the same names as the
compliance and freshness reports: text, json, csv, html)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TextIO

from rich.text import Text

from satudata_cli.core.cells import CsvWriter
from satudata_cli.core.i18n import Lang, Message
from satudata_cli.core.messages import M
from satudata_cli.reports.labels import agency_name, group_label, label, percent
from satudata_cli.reports.links import AgencyLinks, LinkItem, LinksReport
from satudata_cli.reports.render import RenderOptions
from satudata_cli.reports.tabular import report_json
from satudata_cli.reports.text import TEXT_ROWS, _ids, _table, print_opening

LinksRenderer = Callable[[LinksReport, TextIO, RenderOptions], None]


@dataclass(frozen=True, slots=True)
class LinksFormatSpec:
    name: str
    description: Message
    render: LinksRenderer


def status_label(status: str, lang: Lang) -> str:
    return label(f"link_{status}", lang)


def dataset_label(item: LinkItem) -> str:
    return item.dataset_title or item.dataset_name or item.remote_id


def listed(report: LinksReport, detail: bool) -> list[LinkItem]:
    """The links a page or table lists: every link with ``detail``, else the broken."""
    return report.links if detail else [i for i in report.links if i.status == "broken"]


def notes(report: LinksReport, lang: Lang) -> list[str]:
    """The two-checks rule, the last run, the scope."""
    hours = f"{report.broken_after_hours:g}"
    run = report.last_run
    last = (
        label(
            "last_link_run",
            lang,
            at=(run.finished_at or run.started_at)[:16].replace("T", " "),
            status=label(f"run_{run.status}", lang),
        )
        if run
        else label("no_link_run", lang)
    )
    return [label("two_checks", lang, hours=hours), last, label("scope", lang)]


def _oldest(a: AgencyLinks) -> str:
    o = a.oldest_broken
    return f"{o.url} ({o.days_broken})" if o else ""


def links_text(report: LinksReport, out: TextIO, options: RenderOptions) -> None:
    """Tables for people: agencies, then the broken (or, with detail, all) links."""
    lang, detail = options.lang, options.detail
    console = options.console(out)
    print_opening(console, report.summary, lang, detail)
    table = _table(label("links_title", lang))
    table.add_column(group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by))
    for key in ("links", "links_checked", "link_broken", "broken_share", "link_unverifiable"):
        table.add_column(label(key, lang), justify="right", no_wrap=True)
    table.add_column(
        f"{label('oldest_broken', lang)} ({label('days_broken', lang)})", overflow="fold", ratio=3
    )
    for a in [*report.agencies, report.overall]:
        is_total = a is report.overall
        table.add_row(
            Text(
                label("overall", lang) if is_total else agency_name(a.name, lang, report.by),
                style="bold" if is_total else "",
            ),
            str(a.links),
            str(a.checked),
            Text(str(a.broken), style="bold red" if a.broken else ""),
            percent(a.broken_share),
            str(a.unverifiable),
            Text(_oldest(a)),
            end_section=not is_total and a is report.agencies[-1],
        )
    console.print(table)
    shown = listed(report, detail)
    if shown:
        rows = _table(label("all_links" if detail else "broken_links", lang))
        rows.add_column(label("link_url", lang), overflow="fold", ratio=3)
        rows.add_column(label("dataset", lang), overflow="fold", ratio=2)
        rows.add_column(group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by))
        rows.add_column(label("status", lang), no_wrap=True)
        rows.add_column(label("http_status", lang), justify="right", no_wrap=True)
        rows.add_column(label("days_broken", lang), justify="right", no_wrap=True)
        limit = None if detail else TEXT_ROWS
        for i in shown[:limit]:
            rows.add_row(
                Text(i.url),
                Text(dataset_label(i)),
                Text(agency_name(i.agency, lang, report.by)),
                Text(
                    status_label(i.status, lang), style="bold red" if i.status == "broken" else ""
                ),
                "–" if i.http_status is None else str(i.http_status),
                "–" if i.days_broken is None else str(i.days_broken),
            )
        console.print(rows)
        if limit is not None and len(shown) > limit:
            console.print(Text(label("more", lang, n=len(shown) - limit)))
    for line in notes(report, lang):
        console.print(Text(line))


_LINK_COLUMNS: Final = (
    "source_id",
    "remote_id",
    "dataset_name",
    "dataset_title",
    "agency",
    "path",
    "url",
    "status",
    "http_status",
    "final_url",
    "content_type",
    "content_type_mismatch",
    "checked_at",
    "first_failed_at",
    "days_broken",
)


def links_csv(report: LinksReport, out: TextIO, options: RenderOptions) -> None:
    """One row per agency, or per link (with its status label and reason) with detail."""
    lang = options.lang
    writer = CsvWriter(out)
    if options.detail:
        writer.writerow([*_LINK_COLUMNS, "label", "reason"])
        for item in report.links:
            row = dataclasses.asdict(item)
            writer.writerow(
                [
                    *(row[c] for c in _LINK_COLUMNS),
                    status_label(item.status, lang),
                    item.reason_id if lang == "id" else item.reason_en,
                ]
            )
        return
    writer.writerow(
        [
            "agency",
            "datasets",
            "links",
            "checked",
            "broken",
            "broken_share",
            "pending",
            "unverifiable",
            "redirected",
            "content_type_mismatch",
            "not_checked",
            "oldest_broken_url",
            "oldest_broken_days",
        ]
    )
    for a in report.agencies:
        writer.writerow(
            [
                a.name,
                a.datasets,
                a.links,
                a.checked,
                a.broken,
                a.broken_share,
                a.pending,
                a.unverifiable,
                a.redirected,
                a.content_type_mismatch,
                a.not_checked,
                a.oldest_broken.url if a.oldest_broken else None,
                a.oldest_broken.days_broken if a.oldest_broken else None,
            ]
        )


def links_html(report: LinksReport, out: TextIO, options: RenderOptions) -> None:
    from satudata_cli.reports.html import render_links_html  # jinja2 only when asked for

    out.write(render_links_html(report, lang=options.lang, detail=options.detail))


LINKS_FORMATS: Final[dict[str, LinksFormatSpec]] = {
    spec.name: spec
    for spec in (
        LinksFormatSpec("text", M.report_format_text, links_text),
        LinksFormatSpec("json", M.report_format_json, report_json),
        LinksFormatSpec("csv", M.report_links_format_csv, links_csv),
        LinksFormatSpec("html", M.report_format_html, links_html),
    )
}
