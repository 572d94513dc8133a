"""``satudata report realisasi``: the Daftar Data matched to the katalog."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from satudata_cli.cli.common import Color, ColorOption, OutputTarget, cli_errors, resolve_lang
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext
from satudata_cli.cli.options import LangOption, OutputOption, SourcesOption
from satudata_cli.cli.report_cmd import (
    DEFAULT_FORMAT,
    DetailOption,
    ReportFormatOption,
    _console_factory,
    _open,
    report_app,
)
from satudata_cli.core.messages import M
from satudata_cli.reports.render import RenderOptions


@report_app.command("realisasi", help=helptext(M.help_report_realisasi))
def realisasi(
    ctx: typer.Context,
    plan: Annotated[
        Path,
        typer.Option("--plan", help=helptext(M.help_plan_file), show_default=False),
    ],
    year: Annotated[
        str | None,
        typer.Option("--year", help=helptext(M.help_plan_year), show_default=False),
    ] = None,
    source: SourcesOption = None,
    output_format: ReportFormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    lang: LangOption = None,
    detail: DetailOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Planned vs published per agency (help: ``M.help_report_realisasi``)."""
    from satudata_cli.reports.realisasi import realisasi_report
    from satudata_cli.reports.realisasi_render import REALISASI_RENDERERS

    chosen = resolve_lang(lang)
    with cli_errors(chosen):
        with _open(ctx) as cat:
            report = realisasi_report(
                cat, plan, year=year, source_ids=source, now=datetime.now(UTC)
            )
        render = RenderOptions(lang=chosen, detail=detail, console=_console_factory(color))
        with OutputTarget(output) as out:
            REALISASI_RENDERERS[str(output_format)](report, out, render)
    raise typer.Exit(int(ExitCode.OK))
