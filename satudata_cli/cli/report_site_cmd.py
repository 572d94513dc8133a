"""``satudata report site OUTPUT_DIR``: the static website of the reports
(:mod:`satudata_cli.reports.site`), registered on :data:`report_app`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from satudata_cli.cli.common import cli_errors, notice, resolve_lang
from satudata_cli.cli.context import options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext
from satudata_cli.cli.options import LangOption
from satudata_cli.cli.report_cmd import ByOption, _open, _parse_day, report_app
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.messages import M
from satudata_cli.reports.models import GroupBy


@report_app.command("site", help=helptext(M.help_report_site))
def site(
    ctx: typer.Context,
    output_dir: Annotated[
        Path,
        typer.Argument(help=helptext(M.help_site_output_dir), show_default=False),
    ],
    by: ByOption = GroupBy.organization,
    lang: LangOption = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help=helptext(M.help_site_title), show_default=False),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help=helptext(M.help_site_base_url), show_default=False),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help=helptext(M.help_site_as_of), show_default=False),
    ] = None,
    plan: Annotated[
        list[Path] | None,
        typer.Option("--plan", help=helptext(M.help_site_plan), show_default=False),
    ] = None,
) -> None:
    """The static website (help: ``M.help_report_site``)."""
    from satudata_cli.reports.site import build_site, write_site

    chosen = resolve_lang(lang)
    day = _parse_day(as_of)
    with cli_errors(chosen):
        plans = list(plan) if plan else _config_plans(options(ctx).config_dir)
        with _open(ctx) as cat:
            made = build_site(
                cat,
                lang=chosen,
                now=datetime.now(UTC),
                as_of=day,
                by=by,
                title=title,
                base_url=base_url,
                plans=plans,
            )
        write_site(made, output_dir)
    notice(
        M.msg_site_written.format(path=output_dir, pages=len(made.pages) - 1),
        event="site_written",
        path=str(output_dir),
        pages=len(made.pages) - 1,
    )
    raise typer.Exit(int(ExitCode.OK))


def _config_plans(config_dir: Path) -> list[Path]:
    """The Daftar Data files named by the ``plan:`` key of the source configs (every one,
    each once, in the order of the source files); none when there is no config folder.
    A named file that does not exist is an error naming the config file (exit 2)."""
    if not config_dir.is_dir():
        return []
    from satudata_cli.sources.config import load_sources

    plans: dict[Path, None] = {}
    for source in load_sources(config_dir):
        if source.plan is None:
            continue
        if not source.plan.is_file():
            raise SatudataError(
                M.err_site_plan.format(
                    path=source.plan, file=source.file, reason=M.err_plan_missing_file
                )
            )
        plans.setdefault(source.plan.resolve())
    return list(plans)
