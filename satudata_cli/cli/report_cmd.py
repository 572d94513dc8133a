"""``satudata report compliance`` and ``satudata report freshness``: per agency
(perangkat daerah), from the catalogue, in every format of the report-format registry
(:data:`satudata_cli.reports.formats.REPORT_FORMATS`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console

from satudata_cli.cli.common import (
    Color,
    ColorOption,
    OutputTarget,
    cli_errors,
    fail,
    make_console,
    resolve_lang,
)
from satudata_cli.cli.context import options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext, say
from satudata_cli.cli.options import (
    LangOption,
    OutputOption,
    SourcesOption,
    choices,
    format_option,
)
from satudata_cli.core.i18n import Message, plain
from satudata_cli.core.messages import M
from satudata_cli.reports.formats import REPORT_FORMATS, get_report_format
from satudata_cli.reports.labels import agency_name, label
from satudata_cli.reports.models import GroupBy
from satudata_cli.reports.render import RenderOptions

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue

    ReportFormat = StrEnum
else:
    #: the choices of ``report ... --format``: the report registry's names
    ReportFormat = choices("ReportFormat", REPORT_FORMATS)

report_app = typer.Typer(help=helptext(M.help_report_app), no_args_is_help=True)

ByOption = Annotated[
    GroupBy,
    typer.Option("--by", help=helptext(M.help_report_by)),
]
ReportFormatOption = Annotated[
    ReportFormat,
    format_option(
        "report",
        helptext(
            M.help_report_format.format(
                formats=Message.join(
                    "; ", [plain(f"{n} (") + s.description + ")" for n, s in REPORT_FORMATS.items()]
                )
            )
        ),
    ),
]
DEFAULT_FORMAT = ReportFormat("text")
DetailOption = Annotated[
    bool,
    typer.Option("--detail", help=helptext(M.help_report_detail)),
]


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
            say(M.err_bad_date.format(value=repr(value))), param_hint="--as-of"
        ) from None


def _console_factory(color: Color) -> Callable[[TextIO], Console]:
    def console(out: TextIO) -> Console:
        return make_console(out, color)

    return console


@report_app.command("compliance", help=helptext(M.help_report_compliance))
def compliance(
    ctx: typer.Context,
    by: ByOption = GroupBy.organization,
    source: SourcesOption = None,
    output_format: ReportFormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0,
            max=100,
            help=helptext(M.help_report_min_score),
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    detail: DetailOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Compliance per agency, scored 0-100 (help: ``M.help_report_compliance``)."""
    from satudata_cli.reports.build import compliance_report, freshness_report
    from satudata_cli.reports.links import links_summary

    chosen = resolve_lang(lang)
    now = datetime.now(UTC)
    with cli_errors(chosen):
        spec = get_report_format(str(output_format))
        with _open(ctx) as cat:
            report = compliance_report(cat, by=by, source_ids=source, now=now)
            fresh = (
                freshness_report(cat, by=by, source_ids=source, as_of=now.date(), now=now)
                if spec.with_freshness
                else None
            )
            links = (
                links_summary(cat, by=by, source_ids=source, now=now)
                if spec.with_freshness
                else None
            )
        render = RenderOptions(
            lang=chosen,
            detail=detail,
            console=_console_factory(color),
            freshness=fresh,
            links=links,
        )
        with OutputTarget(output) as out:
            spec.compliance(report, out, render)
    if min_score is not None:
        below = [a for a in report.agencies if a.score < min_score]
        if below:
            names = ", ".join(
                f"{agency_name(a.name, chosen, report.by)} ({a.score:.1f})" for a in below
            )
            raise fail(
                label("below_min", chosen, n=len(below), min=f"{min_score:g}", names=names),
                ExitCode.NON_COMPLIANT,
            )
    raise typer.Exit(int(ExitCode.OK))


@report_app.command("freshness", help=helptext(M.help_report_freshness))
def freshness(
    ctx: typer.Context,
    by: ByOption = GroupBy.organization,
    source: SourcesOption = None,
    output_format: ReportFormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help=helptext(M.help_report_as_of),
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    detail: DetailOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Freshness per dataset and agency (help: ``M.help_report_freshness``)."""
    from satudata_cli.reports.build import freshness_report

    chosen = resolve_lang(lang)
    day = _parse_day(as_of)
    with cli_errors(chosen):
        spec = get_report_format(str(output_format))
        with _open(ctx) as cat:
            report = freshness_report(
                cat, by=by, source_ids=source, as_of=day, now=datetime.now(UTC)
            )
        render = RenderOptions(lang=chosen, detail=detail, console=_console_factory(color))
        with OutputTarget(output) as out:
            spec.freshness(report, out, render)
    raise typer.Exit(int(ExitCode.OK))


# Report commands of other modules register themselves on report_app here, one import
# per module (each module holds its own commands); keep one line per workstream.
from satudata_cli.cli import report_links_cmd  # noqa: E402, F401, I001  (links-report, issue 13)
import satudata_cli.cli.report_site_cmd  # noqa: E402  (site, issue 14)
import satudata_cli.cli.report_trend_cmd  # noqa: E402, F401  (history, issue 14)
from satudata_cli.cli import report_realisasi_cmd  # noqa: E402, F401  (plan, issue 14)
