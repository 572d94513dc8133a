"""The formats of ``report trend`` and ``report changes``: ONE registry
(:data:`HISTORY_FORMATS`), from which the CLI's ``--format`` choices derive, with the
same names as the other reports' (text, json, csv, html).

Text shows each agency's trend as a sparkline (eight block characters, scaled from the
agency's own lowest to highest value, so a small change is visible; a blank where the
agency had no dataset). HTML draws the charts as inline SVG made here (polylines and
rectangles: a charting library would bring scripts or a dependency for two shapes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TextIO

from rich.text import Text

from satudata_cli.core.cells import CsvWriter
from satudata_cli.core.i18n import Lang, Message
from satudata_cli.core.messages import M
from satudata_cli.reports.history import AgencyTrend, ChangesReport, TrendReport
from satudata_cli.reports.labels import agency_name, group_label, label, percent
from satudata_cli.reports.narrative import SHOWN_AGENCIES, opening
from satudata_cli.reports.render import RenderOptions
from satudata_cli.reports.tabular import report_json
from satudata_cli.reports.text import _ids, _table, print_opening

TrendRenderer = Callable[[TrendReport, TextIO, RenderOptions], None]
ChangesRenderer = Callable[[ChangesReport, TextIO, RenderOptions], None]

SPARKS: Final = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None]) -> str:
    """One block character per value, from the lowest (▁) to the highest (█) of the
    values given; a blank for ``None``; all ▄ when every value is the same."""
    present = [v for v in values if v is not None]
    if not present:
        return " " * len(values)
    lo, hi = min(present), max(present)
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif hi == lo:
            out.append(SPARKS[3])
        else:
            out.append(SPARKS[round((v - lo) / (hi - lo) * (len(SPARKS) - 1))])
    return "".join(out)


def signed(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:+.{digits}f}" if value else f"{0:.{digits}f}"


def _every(report: TrendReport, lang: Lang) -> str:
    return label(f"every_{report.every}", lang)


# -------------------------------------------------------------------- text


#: The most characters a sparkline of the text format takes (a longer series is
#: resampled: the last point of each of this many equal stretches).
SPARK_WIDTH: Final = 20


def _resample(values: Sequence[float | None], width: int = SPARK_WIDTH) -> list[float | None]:
    n = len(values)
    if n <= width:
        return list(values)
    return [values[min(n - 1, ((i + 1) * n) // width - 1)] for i in range(width)]


def _overdue_cell(a: AgencyTrend) -> str:
    last = next((p for p in reversed(a.points) if p is not None), None)
    if last is None or last.overdue is None:
        return "–"
    if a.change_overdue:
        return f"{last.overdue} ({a.change_overdue:+d})"
    return str(last.overdue)


def trend_text(report: TrendReport, out: TextIO, options: RenderOptions) -> None:
    lang = options.lang
    console = options.console(out)
    print_opening(console, report.summary, lang, options.detail)
    table = _table(label("trend_title", lang))
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(
        group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by), min_width=16
    )
    for key in ("score", "change", "overdue"):
        table.add_column(label(key, lang), justify="right", no_wrap=True)
    table.add_column(label("trend_score", lang), no_wrap=True)
    table.add_column(label("trend_overdue", lang), no_wrap=True)
    rows = [*report.agencies, report.overall]
    for a in rows:
        is_total = a is report.overall
        name = label("overall", lang) if is_total else agency_name(a.name, lang, report.by)
        if not a.present and not is_total and a.last_period:
            name += f" ({label('absent', lang, period=a.last_period)})"
        table.add_row(
            str(a.rank) if a.rank else "–",
            Text(name, style="bold" if is_total else ""),
            f"{a.score:.1f}" if a.score is not None else "–",
            signed(a.change_score),
            _overdue_cell(a),
            sparkline(_resample([p.score if p else None for p in a.points])),
            sparkline(_resample([p.overdue if p else None for p in a.points])),
            end_section=not is_total and a is report.agencies[-1],
        )
    console.print(table)
    console.print(
        label(
            "trend_window", lang, since=report.since, until=report.until, every=_every(report, lang)
        )
    )
    console.print(label("trend_spark_note", lang))


def changes_text(report: ChangesReport, out: TextIO, options: RenderOptions) -> None:
    lang = options.lang
    console = options.console(out)
    print_opening(console, report.summary, lang, options.detail)
    console.print(Text(label("changes_title", lang), style="bold"))
    console.print(_window(report, lang))
    summary = _table()
    summary.add_column(group_label(report.by, lang), overflow="fold", no_wrap=_ids(report.by))
    for key in _COUNTS:
        summary.add_column(label(key, lang), justify="right", no_wrap=True)
    for a in [*report.agencies, report.overall]:
        is_total = a is report.overall
        summary.add_row(
            Text(
                label("overall", lang) if is_total else agency_name(a.name, lang, report.by),
                style="bold" if is_total else "",
            ),
            *(str(getattr(a, key)) for key in _COUNTS),
            end_section=not is_total and a is report.agencies[-1],
        )
    console.print(summary)
    if not report.agencies:
        console.print(label("no_changes", lang))
    for a in report.agencies:
        table = _table(agency_name(a.name, lang, report.by))
        table.add_column(label("kind", lang), no_wrap=True)
        table.add_column(label("dataset", lang), overflow="fold", ratio=2)
        table.add_column(label("fields_changed", lang), overflow="fold", ratio=2)
        table.add_column(label("when", lang), no_wrap=True)
        for c in a.changes:
            table.add_row(
                label(c.kind, lang),
                c.title or c.name or c.remote_id,
                ", ".join(c.fields or []),
                c.at[:16].replace("T", " "),
            )
        console.print(table)


_COUNTS: Final = ("added", "updated", "withdrawn", "restored", "findings_new", "findings_fixed")


def _window(report: ChangesReport, lang: Lang) -> str:
    if report.since_job is not None:
        return label("changes_since_job", lang, job=report.since_job, until=report.until)
    return label("changes_window", lang, since=report.since, until=report.until)


# --------------------------------------------------------------------- csv


def trend_csv(report: TrendReport, out: TextIO, options: RenderOptions) -> None:
    """One row per agency and period (long form, for a pivot table)."""
    writer = CsvWriter(out)
    columns = [
        "datasets",
        "score",
        "valid_share",
        "compliant_share",
        "on_time",
        "overdue",
        "unknown_frequency",
        "on_time_share",
    ]
    writer.writerow(["agency", "rank", "period", *columns])
    for a in report.agencies:
        for p in a.points:
            if p is None:
                continue
            row = dataclasses.asdict(p)
            writer.writerow([a.name, a.rank, p.period, *(row[c] for c in columns)])


def changes_csv(report: ChangesReport, out: TextIO, options: RenderOptions) -> None:
    """One row per dataset and kind of change."""
    writer = CsvWriter(out)
    columns = [
        "agency",
        "kind",
        "source_id",
        "remote_id",
        "name",
        "title",
        "at",
        "times",
        "fields",
        "findings_new",
        "findings_fixed",
    ]
    writer.writerow(columns)
    for a in report.agencies:
        for c in a.changes:
            row = dataclasses.asdict(c)
            writer.writerow(row[col] for col in columns)


# -------------------------------------------------------------------- html


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG line chart of one agency: the score polylines (split where the agency had
    no dataset) and the overdue bars, in a ``width`` x ``height`` box."""

    width: int
    height: int
    low: int  # the score at the bottom of the box (the top is 100)
    lines: list[str]
    bars: list[tuple[float, float, float, float, str]]  # x, y, w, h, tooltip
    dots: list[tuple[float, float, str]]  # x, y, tooltip


def score_floor(report: TrendReport) -> int:
    """The bottom of the score axis shared by every chart of a report: the lowest score
    rounded down to ten (scores near 100 would draw flat lines on a 0-100 axis)."""
    scores = [p.score for a in report.agencies for p in a.points if p is not None]
    return max(0, min(90, int(min(scores, default=0.0) // 10 * 10)))


def chart(a: AgencyTrend, width: int, height: int, *, low: int = 0, pad: int = 4) -> Chart:
    """Scores on a ``low``-100 axis; overdue bars scaled to the agency's largest count."""
    n = len(a.points)
    step = (width - 2 * pad) / max(1, n - 1)
    most = max((p.overdue or 0 for p in a.points if p is not None), default=0)
    lines: list[str] = []
    current: list[str] = []
    bars = []
    dots = []
    for i, p in enumerate(a.points):
        if p is None:
            if current:
                lines.append(" ".join(current))
                current = []
            continue
        x = pad + i * step
        y = pad + (height - 2 * pad) * (1 - (p.score - low) / (100 - low))
        current.append(f"{x:.1f},{y:.1f}")
        tip = f"{p.period}: {p.score:.1f}"
        dots.append((round(x, 1), round(y, 1), tip))
        if p.overdue and most:
            h = (height - 2 * pad) * 0.4 * p.overdue / most
            w = max(1.0, step * 0.6)
            bars.append(
                (
                    round(x - w / 2, 1),
                    round(height - pad - h, 1),
                    round(w, 1),
                    round(h, 1),
                    f"{p.period}: {p.overdue}",
                )
            )
    if current:
        lines.append(" ".join(current))
    return Chart(width, height, low, lines, bars, dots)


def _html(template: str, report: Any, lang: Lang, **extra: Any) -> str:
    from satudata_cli import __version__
    from satudata_cli.reports.html import _ENV

    return _ENV.get_template(template).render(
        lang=lang,
        r=report,
        version=__version__,
        L=lambda key, **values: label(key, lang, **values),
        agency=lambda name: agency_name(name, lang, report.by),
        pct=percent,
        signed=signed,
        group=group_label(report.by, lang),
        opening=opening(report.summary, lang, SHOWN_AGENCIES) if report.summary else [],
        **extra,
    )


def trend_html(report: TrendReport, out: TextIO, options: RenderOptions) -> None:
    lang = options.lang
    low = score_floor(report)
    out.write(
        _html(
            "trend.html.j2",
            report,
            lang,
            window=label(
                "trend_window",
                lang,
                since=report.since,
                until=report.until,
                every=_every(report, lang),
            ),
            small=lambda a: chart(a, 220, 70, low=low),
            large=lambda a: chart(a, 900, 180, low=low),
            last=lambda a: next((p for p in reversed(a.points) if p is not None), None),
        )
    )


def changes_html(report: ChangesReport, out: TextIO, options: RenderOptions) -> None:
    lang = options.lang
    out.write(_html("changes.html.j2", report, lang, window=_window(report, lang), counts=_COUNTS))


# ---------------------------------------------------------------- registry


@dataclass(frozen=True, slots=True)
class HistoryFormatSpec:
    name: str
    description: Message
    trend: TrendRenderer
    changes: ChangesRenderer
    extension: str


HISTORY_FORMATS: Final[dict[str, HistoryFormatSpec]] = {
    spec.name: spec
    for spec in (
        HistoryFormatSpec("text", M.report_format_text, trend_text, changes_text, "txt"),
        HistoryFormatSpec("json", M.report_format_json, report_json, report_json, "json"),
        HistoryFormatSpec("csv", M.report_format_csv, trend_csv, changes_csv, "csv"),
        HistoryFormatSpec("html", M.report_format_html, trend_html, changes_html, "html"),
    )
}
