"""``satudata report links``: broken links per agency (perangkat daerah), from the stored
link checks, in every format of :data:`satudata_cli.reports.links_render.LINKS_FORMATS`.
Registered on :data:`satudata_cli.cli.report_cmd.report_app` by its import there."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from satudata_cli.cli.common import Color, ColorOption, OutputTarget, cli_errors, resolve_lang
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext
from satudata_cli.cli.options import LangOption, OutputOption, SourcesOption, choices, format_option
from satudata_cli.cli.report_cmd import ByOption, _console_factory, _open, report_app
from satudata_cli.core.i18n import Message, plain
from satudata_cli.core.messages import M
from satudata_cli.reports.links_render import LINKS_FORMATS
from satudata_cli.reports.models import GroupBy
from satudata_cli.reports.render import RenderOptions

if TYPE_CHECKING:
    LinksFormat = StrEnum
else:
    #: the choices of ``report links --format``: the links registry's names
    LinksFormat = choices("LinksFormat", LINKS_FORMATS)

LinksFormatOption = Annotated[
    LinksFormat,
    format_option(
        "report",
        helptext(
            M.help_report_format.format(
                formats=Message.join(
                    "; ", [plain(f"{n} (") + s.description + ")" for n, s in LINKS_FORMATS.items()]
                )
            )
        ),
    ),
]
DEFAULT_LINKS_FORMAT = LinksFormat("text")


@report_app.command("links", help=helptext(M.help_report_links))
def links(
    ctx: typer.Context,
    by: ByOption = GroupBy.organization,
    source: SourcesOption = None,
    output_format: LinksFormatOption = DEFAULT_LINKS_FORMAT,
    output: OutputOption = None,
    lang: LangOption = None,
    detail: Annotated[
        bool, typer.Option("--detail", help=helptext(M.help_report_links_detail))
    ] = False,
    color: ColorOption = Color.auto,
) -> None:
    """Broken links per agency (help: ``M.help_report_links``)."""
    from satudata_cli.reports.links import links_report

    chosen = resolve_lang(lang)
    with cli_errors(chosen):
        spec = LINKS_FORMATS[str(output_format)]
        with _open(ctx) as cat:
            report = links_report(cat, by=by, source_ids=source, now=datetime.now(UTC))
        render = RenderOptions(lang=chosen, detail=detail, console=_console_factory(color))
        with OutputTarget(output) as out:
            spec.render(report, out, render)
    raise typer.Exit(int(ExitCode.OK))
