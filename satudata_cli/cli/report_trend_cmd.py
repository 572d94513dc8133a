"""``satudata report trend`` and ``satudata report changes``: the monitoring history per
agency (perangkat daerah), in every format of :data:`HISTORY_FORMATS`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from satudata_cli.cli.common import Color, ColorOption, OutputTarget, cli_errors, notice
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext, say
from satudata_cli.cli.options import (
    LangOption,
    OutputOption,
    SourcesOption,
    choices,
    format_option,
)
from satudata_cli.cli.report_cmd import ByOption, _console_factory, _open, report_app
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.i18n import Message, plain
from satudata_cli.core.messages import M
from satudata_cli.reports.history_formats import HISTORY_FORMATS
from satudata_cli.reports.models import GroupBy
from satudata_cli.reports.render import RenderOptions

if TYPE_CHECKING:
    from satudata_cli.reports.history import ChangesReport

    HistoryFormat = StrEnum
    EveryChoice = StrEnum
else:
    #: the choices of ``report trend|changes --format``: the history registry's names
    HistoryFormat = choices("HistoryFormat", HISTORY_FORMATS)
    EveryChoice = choices("EveryChoice", ("day", "week", "month"))

HistoryFormatOption = Annotated[
    HistoryFormat,
    format_option(
        "report",
        helptext(
            M.help_history_format.format(
                formats=Message.join(
                    "; ",
                    [plain(f"{n} (") + s.description + ")" for n, s in HISTORY_FORMATS.items()],
                )
            )
        ),
    ),
]
DEFAULT_FORMAT = HistoryFormat("text")
DEFAULT_EVERY = EveryChoice("week")
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help=helptext(M.help_history_since), show_default=False),
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", help=helptext(M.help_history_until), show_default=False),
]


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            say(M.err_bad_date.format(value=repr(value))), param_hint=option
        ) from None


@report_app.command("trend", help=helptext(M.help_report_trend))
def trend(
    ctx: typer.Context,
    by: ByOption = GroupBy.organization,
    since: SinceOption = None,
    until: UntilOption = None,
    every: Annotated[
        EveryChoice,
        typer.Option("--every", help=helptext(M.help_history_every)),
    ] = DEFAULT_EVERY,
    source: SourcesOption = None,
    output_format: HistoryFormatOption = DEFAULT_FORMAT,
    output: OutputOption = None,
    lang: LangOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """Per agency over time (help: ``M.help_report_trend``)."""
    from satudata_cli.cli.common import resolve_lang
    from satudata_cli.reports.history import Every, trend_report

    chosen = resolve_lang(lang)
    first, last = _day(since, "--since"), _day(until, "--until")
    with cli_errors(chosen):
        spec = HISTORY_FORMATS[str(output_format)]
        with _open(ctx) as cat:
            report = trend_report(
                cat,
                by=by,
                since=first,
                until=last,
                every=Every(str(every)),
                source_ids=source,
                now=datetime.now(UTC),
            )
        render = RenderOptions(lang=chosen, console=_console_factory(color))
        with OutputTarget(output) as out:
            spec.trend(report, out, render)
    raise typer.Exit(int(ExitCode.OK))


def _is_folder(output: str) -> bool:
    return output.endswith(("/", "\\")) or Path(output).is_dir()


def slug(name: str) -> str:
    """The file name (without extension) of an agency: lower case ASCII words joined by
    ``-`` (python-slugify, which spells accented letters in ASCII: a name of any
    script gives a name every file system and mail client takes)."""
    from slugify import slugify

    return slugify(name, max_length=80, word_boundary=True) or "perangkat-daerah"


def _write_folder(
    report: ChangesReport,
    folder: Path,
    extension: str,
    write: Callable[[ChangesReport, TextIO], None],
) -> int:
    from satudata_cli.reports.history import for_agency
    from satudata_cli.reports.labels import agency_name

    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for agency in report.agencies:
        base = slug(agency_name(agency.name, "id", report.by))
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        with OutputTarget(folder / f"{name}.{extension}") as out:
            write(for_agency(report, agency), out)
    return len(report.agencies)


@report_app.command("changes", help=helptext(M.help_report_changes))
def changes(
    ctx: typer.Context,
    by: ByOption = GroupBy.organization,
    since: SinceOption = None,
    since_job: Annotated[
        int | None,
        typer.Option("--since-job", min=0, help=helptext(M.help_history_since_job)),
    ] = None,
    until: UntilOption = None,
    source: SourcesOption = None,
    output_format: HistoryFormatOption = DEFAULT_FORMAT,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help=helptext(M.help_history_output), show_default=False),
    ] = None,
    lang: LangOption = None,
    color: ColorOption = Color.auto,
) -> None:
    """What changed per agency (help: ``M.help_report_changes``)."""
    from satudata_cli.cli.common import resolve_lang
    from satudata_cli.reports.history import changes_report

    chosen = resolve_lang(lang)
    first, last = _day(since, "--since"), _day(until, "--until")
    if first is not None and since_job is not None:
        raise typer.BadParameter(say(M.err_history_both_since), param_hint="--since-job")
    with cli_errors(chosen):
        spec = HISTORY_FORMATS[str(output_format)]
        with _open(ctx) as cat:
            report = changes_report(
                cat,
                by=by,
                since=first,
                since_job=since_job,
                until=last,
                source_ids=source,
                now=datetime.now(UTC),
            )
        render = RenderOptions(lang=chosen, console=_console_factory(color))
        if output is not None and output != "-" and _is_folder(output):
            folder = Path(output)
            try:
                n = _write_folder(
                    report, folder, spec.extension, lambda r, out: spec.changes(r, out, render)
                )
            except OSError as exc:
                raise SatudataError(
                    M.err_history_folder.format(path=folder, reason=exc.strerror or exc)
                ) from exc
            notice(M.msg_history_files.format(n=n, path=folder), event="report_files", files=n)
        else:
            with OutputTarget(Path(output) if output else None) as out:
                spec.changes(report, out, render)
    raise typer.Exit(int(ExitCode.OK))
