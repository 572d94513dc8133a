"""The four formats of the realisasi report (text, json, csv, html).

Its own renderers rather than lines in :data:`~satudata_cli.reports.formats.REPORT_FORMATS`
(whose specs hold one renderer per compliance and freshness report): the same four
names, so ``--format`` reads alike on every report.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Final, TextIO

from rich import box
from rich.table import Table
from rich.text import Text

from satudata_cli import __version__
from satudata_cli.core.cells import CsvWriter
from satudata_cli.core.i18n import Lang
from satudata_cli.reports.labels import label, percent
from satudata_cli.reports.narrative import SHOWN_AGENCIES, opening
from satudata_cli.reports.realisasi import AgencyRealisasi, EntryResult, RealisasiReport
from satudata_cli.reports.render import RenderOptions
from satudata_cli.reports.text import print_opening

_STATUS: Final = {
    "published": "plan_published",
    "to_confirm": "plan_to_confirm",
    "missing": "plan_missing",
}
_COUNTS: Final = ("plan_planned", "plan_published", "plan_compliant", "plan_to_confirm")


def _counts(a: AgencyRealisasi) -> list[str]:
    return [
        str(a.planned),
        str(a.published),
        str(a.compliant),
        str(a.to_confirm),
        str(a.missing),
        percent(a.published_share),
    ]


def _match_text(r: EntryResult) -> str:
    if r.dataset is None:
        return ""
    return f"{r.dataset.title or r.dataset.name or r.dataset.remote_id} [{r.dataset.id}]"


def _candidates_text(r: EntryResult) -> str:
    return "; ".join(f"{c.title or c.remote_id} [{c.id}] ({c.score:.0f})" for c in r.candidates)


def _reason(r: EntryResult, lang: Lang) -> str:
    return r.reason_id if lang == "id" else r.reason_en


def _thresholds(report: RealisasiReport, lang: Lang) -> str:
    t = report.thresholds
    return label(
        "plan_thresholds",
        lang,
        match=f"{t['match']:.0f}",
        margin=f"{t['margin']:.0f}",
        possible=f"{t['possible']:.0f}",
    )


def realisasi_text(report: RealisasiReport, out: TextIO, options: RenderOptions) -> None:
    """The table per agency; with ``--detail`` every entry, else those not published."""
    lang = options.lang
    console = options.console(out)
    print_opening(console, report.summary, lang, options.detail)
    table = Table(
        title=label("realisasi_title", lang),
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title_justify="left",
    )
    table.add_column(label("by_organization", lang), overflow="fold")
    for key in (*_COUNTS, "plan_missing", "plan_share"):
        table.add_column(label(key, lang), justify="right", no_wrap=True)
    for a in [*report.agencies, report.overall]:
        total = a is report.overall
        name = label("overall", lang) if total else a.name
        table.add_row(
            Text(name, style="bold" if total else ""),
            *_counts(a),
            end_section=not total and a is report.agencies[-1],
        )
    console.print(table)
    shown = [
        r for a in report.agencies for r in a.entries if options.detail or r.status != "published"
    ]
    if shown:
        entries = Table(
            title=label("plan_entries", lang),
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            title_justify="left",
        )
        entries.add_column(label("plan_line", lang), justify="right", no_wrap=True)
        entries.add_column(label("by_organization", lang), overflow="fold")
        entries.add_column(label("plan_entry", lang), overflow="fold", ratio=2)
        entries.add_column(label("plan_status", lang), no_wrap=True)
        entries.add_column(label("plan_match", lang), overflow="fold", ratio=2)
        for r in shown:
            extra = _match_text(r) or _candidates_text(r) or _reason(r, lang)
            if r.dataset is None and r.candidates:
                extra = f"{_reason(r, lang)} {extra}"
            entries.add_row(
                str(r.entry.line or ""),
                r.entry.agency,
                r.entry.title,
                label(_STATUS[r.status], lang),
                extra,
            )
        console.print(entries)
    console.print(_thresholds(report, lang))
    for row in report.skipped:
        console.print(f"{label('plan_skipped', lang)}: {row.line or '-'}: {_reason_row(row, lang)}")


def _reason_row(row: object, lang: Lang) -> str:
    return str(getattr(row, "reason_id" if lang == "id" else "reason_en"))


def realisasi_json(report: RealisasiReport, out: TextIO, options: RenderOptions) -> None:
    out.write(json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2) + "\n")


def realisasi_csv(report: RealisasiReport, out: TextIO, options: RenderOptions) -> None:
    """One row per agency; with ``--detail`` one row per planned entry (for a person to
    confirm the candidates in a spreadsheet)."""
    writer = CsvWriter(out)
    if not options.detail:
        writer.writerow(
            [
                "agency",
                "planned",
                "published",
                "published_compliant",
                "to_confirm",
                "missing",
                "published_share",
            ]
        )
        for a in report.agencies:
            writer.writerow(
                [
                    a.name,
                    a.planned,
                    a.published,
                    a.compliant,
                    a.to_confirm,
                    a.missing,
                    round(a.published_share, 4),
                ]
            )
        return
    writer.writerow(
        [
            "line",
            "agency",
            "title",
            "frequency",
            "year",
            "plan_dataset_id",
            "status",
            "method",
            "dataset_id",
            "source_id",
            "remote_id",
            "dataset_title",
            "score",
            "compliant",
            "candidates",
            "reason",
        ]
    )
    for a in report.agencies:
        for r in a.entries:
            d = r.dataset
            writer.writerow(
                [
                    r.entry.line,
                    r.entry.agency,
                    r.entry.title,
                    r.entry.frequency,
                    r.entry.year,
                    r.entry.dataset_id,
                    r.status,
                    r.method,
                    d.id if d else None,
                    d.source_id if d else None,
                    d.remote_id if d else None,
                    d.title if d else None,
                    d.score if d else None,
                    d.compliant if d else None,
                    _candidates_text(r),
                    _reason(r, options.lang),
                ]
            )


def realisasi_html(report: RealisasiReport, out: TextIO, options: RenderOptions) -> None:
    """One self-contained page (Jinja2, autoescaped; nothing loaded from elsewhere)."""
    from satudata_cli.reports.html import environment  # jinja2 only when asked for

    lang = options.lang
    template = environment().get_template("realisasi.html.j2")
    out.write(
        template.render(
            lang=lang,
            r=report,
            detail=options.detail,
            version=__version__,
            L=lambda key, **values: label(key, lang, **values),
            status=lambda s: label(_STATUS[s], lang),
            pct=percent,
            match=_match_text,
            candidates=_candidates_text,
            reason=lambda r: _reason(r, lang),
            reason_row=lambda row: _reason_row(row, lang),
            thresholds=_thresholds(report, lang),
            opening=(
                opening(report.summary, lang, None if options.detail else SHOWN_AGENCIES)
                if report.summary
                else []
            ),
        )
    )


REALISASI_RENDERERS: Final[dict[str, Callable[[RealisasiReport, TextIO, RenderOptions], None]]] = {
    "text": realisasi_text,
    "json": realisasi_json,
    "csv": realisasi_csv,
    "html": realisasi_html,
}
