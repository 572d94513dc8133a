"""``satudata validate``: check metadata files against the Satu Data Indonesia standard."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from satudata_cli import __version__
from satudata_cli.cli.common import (
    Color,
    ColorOption,
    LangOption,
    OutputTarget,
    cli_errors,
    fail,
    resolve_lang,
    stderr_console,
)
from satudata_cli.cli.context import options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.text import TextFormatter, summary_lines
from satudata_cli.pipeline.validate import (
    check_catalogue,
    check_paths,
    list_catalogue_sources,
)
from satudata_cli.standard.findings import Severity, ValidationSummary
from satudata_cli.standard.formats import FORMATTERS, Formatter
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.schema import load_standard
from satudata_cli.standard.validator import Validator


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    junit = "junit"
    sarif = "sarif"
    github = "github"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or folders (searched recursively) of JSON, JSON Lines, YAML, CSV or "
            "XLSX metadata; '-' reads standard input.",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            "-p",
            envvar="SATUDATA_PROFILE",
            help="Built-in profile name (sdi-dasar, sdi-statistik) or a profile YAML file.",
        ),
    ] = "sdi-dasar",
    output_format: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", envvar="SATUDATA_FORMAT", help="Output format."),
    ] = OutputFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the report to FILE (atomically) instead of stdout."
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            envvar="SATUDATA_FAIL_ON",
            help="Lowest severity that makes a record fail (exit 1).",
        ),
    ] = FailOn.error,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Judge dates and freshness as of this day (YYYY-MM-DD); default today.",
            show_default=False,
        ),
    ] = None,
    catalog: Annotated[
        bool,
        typer.Option(
            "--catalog", help="Validate the active records stored in the catalogue (--db)."
        ),
    ] = False,
    catalog_sources: Annotated[
        list[str] | None,
        typer.Option(
            "--source", "-s", help="With --catalog: only these sources.", show_default=False
        ),
    ] = None,
    lang: LangOption = None,
    color: ColorOption = Color.auto,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show only records that fail.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every record, also clean ones.")
    ] = False,
) -> None:
    """Validate dataset metadata against the Satu Data Indonesia standard.

    Exit codes: 0 every record valid; 1 at least one record fails; 2 usage error
    (unknown option or profile, a path that does not exist). A file that exists but
    cannot be read is an error finding for that file; the others are still checked.

    Periksa metadata dataset terhadap standar Satu Data Indonesia.
    """
    today = _parse_date(as_of)
    chosen_lang = resolve_lang(lang)
    db = options(ctx).db
    if catalog:
        if paths:
            raise fail("give either PATHs or --catalog, not both")
        if not db.exists():
            raise fail(f"the catalogue {db} does not exist yet; run 'satudata harvest' first")
        if catalog_sources:
            with cli_errors():
                known = {s.id for s in list_catalogue_sources(db)}
            unknown = [s for s in catalog_sources if s not in known]
            if unknown:
                raise fail(
                    f"unknown source(s) in the catalogue: {', '.join(unknown)} "
                    f"(known: {', '.join(sorted(known)) or 'none'})"
                )
    elif catalog_sources:
        raise fail("--source goes with --catalog")
    elif not paths:
        raise fail("give at least one PATH (a file, a folder, or '-' for standard input)")
    for path in paths or []:
        if path != "-" and not Path(path).exists():
            raise fail(f"path does not exist: {path}")
    with cli_errors():
        standard = load_standard()
        resolved = ProfileLoader(standard).load(profile)
        validator = Validator(
            resolved,
            standard=standard,
            today=today,
            fail_on=Severity.WARNING if fail_on is FailOn.warning else Severity.ERROR,
        )
        summary = ValidationSummary()
        with OutputTarget(output) as out:
            if output_format is OutputFormat.text:
                formatter: Formatter = TextFormatter(
                    out,
                    lang=chosen_lang,
                    tool_version=__version__,
                    color=color if output is None else Color.never,
                    verbosity=-1 if quiet else (1 if verbose else 0),
                )
            else:
                formatter = FORMATTERS[output_format.value](
                    out, lang=chosen_lang, tool_version=__version__
                )
            try:
                formatter.start()
                results = (
                    check_catalogue(db, validator, catalog_sources or None)
                    if catalog
                    else check_paths(paths or [], validator, stdin=sys.stdin.buffer)
                )
                for result in results:
                    summary.add(result)
                    formatter.result(result)
                formatter.finish(summary)
            finally:
                formatter.close()
        if output_format is not OutputFormat.text and not quiet:
            console = stderr_console(color)
            for line in summary_lines(summary, chosen_lang):
                console.print(line)
    if summary.records == 0:
        # nothing was checked (an empty folder, no supported files, an empty catalogue):
        # not a pass, since a CI gate must not go green on a wrong path
        where = "the catalogue" if catalog else "the given path(s)"
        stderr_console(color).print(
            f"satudata: no records found in {where}; nothing was checked "
            "(tidak ada rekaman yang diperiksa)"
        )
        raise typer.Exit(int(ExitCode.NOTHING_DONE))
    raise typer.Exit(int(ExitCode.OK if summary.ok else ExitCode.NON_COMPLIANT))
