"""``satudata validate``: check metadata files against the Satu Data Indonesia standard."""

from __future__ import annotations

import logging
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from satudata_cli import __version__
from satudata_cli.cli.common import (
    Color,
    ColorOption,
    OutputTarget,
    cli_errors,
    resolve_lang,
    stderr_console,
)
from satudata_cli.cli.context import json_logging, log_event, options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext, say
from satudata_cli.cli.options import (
    LEGACY_FORMAT_ENVVAR,
    LangOption,
    choices,
    format_option,
    legacy_format_note,
    output_option,
    source_option,
)
from satudata_cli.cli.text import TextFormatter, summary_lines
from satudata_cli.core.i18n import Lang
from satudata_cli.core.messages import M
from satudata_cli.pipeline.validate import build_validate_run
from satudata_cli.standard.findings import Severity, ValidationSummary
from satudata_cli.standard.formats import FORMATTERS, Formatter

if TYPE_CHECKING:
    OutputFormat = StrEnum
else:
    #: text (for people) and every finding format of the standard's registry
    OutputFormat = choices("OutputFormat", ["text", *FORMATTERS])
DEFAULT_FORMAT = OutputFormat("text")


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(say(M.err_bad_date.format(value=repr(value)))) from None


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help=helptext(M.help_validate_paths),
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            "-p",
            envvar="SATUDATA_PROFILE",
            help=helptext(M.help_profile),
        ),
    ] = "sdi-dasar",
    output_format: Annotated[
        OutputFormat,
        format_option(
            "validate", helptext(M.help_validate_format.format(legacy=LEGACY_FORMAT_ENVVAR))
        ),
    ] = DEFAULT_FORMAT,
    output: Annotated[Path | None, output_option(helptext(M.help_validate_output))] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            envvar="SATUDATA_FAIL_ON",
            help=helptext(M.help_fail_on),
        ),
    ] = FailOn.error,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help=helptext(M.help_validate_as_of),
            show_default=False,
        ),
    ] = None,
    catalog: Annotated[
        bool,
        typer.Option("--catalog", help=helptext(M.help_validate_catalog)),
    ] = False,
    catalog_sources: Annotated[
        list[str] | None, source_option(helptext(M.help_validate_sources))
    ] = None,
    lang: LangOption = None,
    color: ColorOption = Color.auto,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help=helptext(M.help_validate_quiet))
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help=helptext(M.help_validate_verbose))
    ] = False,
) -> None:
    """Validate dataset metadata against the standard (help: ``M.help_validate``)."""
    chosen_lang = resolve_lang(lang)
    note = legacy_format_note(ctx, chosen_lang)
    if note is not None:
        if json_logging():
            log_event(logging.WARNING, "deprecated_setting", note)
        else:
            stderr_console(color).print(note, markup=False)
    with cli_errors(chosen_lang):
        run = build_validate_run(
            paths or [],
            profile=profile,
            as_of=_parse_date(as_of),
            fail_on=Severity.WARNING if fail_on is FailOn.warning else Severity.ERROR,
            catalogue=options(ctx).db if catalog else None,
            source_ids=catalog_sources or [],
            stdin=sys.stdin.buffer,
        )
        with OutputTarget(output) as out:
            formatter = _formatter(
                str(output_format),
                out,
                lang=chosen_lang,
                color=color if output is None else Color.never,
                verbosity=-1 if quiet else (1 if verbose else 0),
            )
            try:
                formatter.start()
                summary = run.execute(formatter.result)
                formatter.finish(summary)
            finally:
                formatter.close()
        if output_format != "text" and not quiet:
            if json_logging():
                log_event(
                    logging.INFO,
                    "validate_summary",
                    " ".join(line.plain for line in summary_lines(summary, chosen_lang)),
                    records=summary.records,
                    valid=summary.valid,
                    invalid=summary.invalid,
                    errors=summary.errors,
                    warnings=summary.warnings,
                )
            else:
                console = stderr_console(color)
                for line in summary_lines(summary, chosen_lang):
                    console.print(line)
    raise typer.Exit(int(_exit_code(summary, catalog, color)))


def _formatter(name: str, out: TextIO, *, lang: Lang, color: Color, verbosity: int) -> Formatter:
    if name == "text":
        return TextFormatter(
            out, lang=lang, tool_version=__version__, color=color, verbosity=verbosity
        )
    return FORMATTERS[name](out, lang=lang, tool_version=__version__)


def _exit_code(summary: ValidationSummary, catalog: bool, color: Color) -> ExitCode:
    if summary.records == 0:
        # nothing was checked (an empty folder, no supported files, an empty catalogue):
        # not a pass, since a CI gate must not go green on a wrong path
        where = M.msg_in_catalogue if catalog else M.msg_in_paths
        message = M.msg_nothing_checked.format(where=where)
        if json_logging():
            log_event(logging.ERROR, "no_records", message.en, exit_code=int(ExitCode.NOTHING_DONE))
        else:
            stderr_console(color).print(say(message), markup=False)
        return ExitCode.NOTHING_DONE
    return ExitCode.OK if summary.ok else ExitCode.NON_COMPLIANT
