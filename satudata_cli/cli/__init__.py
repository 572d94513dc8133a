"""The command line: the only layer that parses arguments, prints and exits."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from satudata_cli import __version__
from satudata_cli.cli import (
    catalog_cmd,
    harvest_cmd,
    info_cmd,
    init_cmd,
    publish_cmd,
    report_cmd,
    schema_cmd,
)
from satudata_cli.cli.context import (
    GlobalOptions,
    LogFormat,
    SatudataGroup,
    given_origin,
    json_logging,
    log_event,
    setup_logging,
)
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import LanguageGroup, helptext, say
from satudata_cli.cli.options import FORMAT_ENVVARS, GlobalLangOption
from satudata_cli.cli.validate import validate
from satudata_cli.core.messages import M


class RootGroup(LanguageGroup, SatudataGroup):
    """The root command: the language of the run first (cli/i18n.py), then -q/-v after
    the subcommand too and flags without <bool> in help (cli/context.py)."""


app = typer.Typer(
    name="satudata",
    cls=RootGroup,
    help=helptext(
        M.help_app.format(
            variables=", ".join(n for family, n in FORMAT_ENVVARS.items() if family != "export"),
            export=FORMAT_ENVVARS["export"],
        )
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"satudata {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    config_dir: Annotated[
        Path | None,
        typer.Option(
            "--config-dir",
            envvar="SATUDATA_CONFIG_DIR",
            help=helptext(M.help_config_dir),
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", envvar="SATUDATA_DB", help=helptext(M.help_db), show_default=False),
    ] = None,
    log_format: Annotated[
        LogFormat,
        typer.Option(
            "--log-format", envvar="SATUDATA_LOG_FORMAT", help=helptext(M.help_log_format)
        ),
    ] = LogFormat.text,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help=helptext(M.help_quiet)),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help=helptext(M.help_verbose),
            show_default=False,
        ),
    ] = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=helptext(M.help_version)),
    ] = False,
    lang: GlobalLangOption = None,
) -> None:
    """The options of every command (the help is the app's: ``M.help_app``)."""
    opts = GlobalOptions(
        config_dir_given=config_dir,
        db_given=db,
        config_dir_origin=given_origin(ctx, "config_dir"),
        db_origin=given_origin(ctx, "db"),
        log_format=log_format,
        verbosity=-1 if quiet else verbose,
    )
    ctx.obj = opts
    setup_logging(opts)


app.command("validate", help=helptext(M.help_validate))(validate)
app.command("harvest", help=helptext(M.help_harvest))(harvest_cmd.harvest)
app.command("publish", help=helptext(M.help_publish))(publish_cmd.publish)
app.add_typer(harvest_cmd.sources_app, name="sources")
app.add_typer(catalog_cmd.catalog_app, name="catalog")
app.add_typer(catalog_cmd.jobs_app, name="jobs")
app.add_typer(schema_cmd.app, name="schema")
app.add_typer(report_cmd.report_app, name="report")
app.command("init", help=helptext(M.help_init))(init_cmd.init)
app.command("info", help=helptext(M.help_info))(info_cmd.info)


def main() -> None:
    """Console entry point. Exit codes are documented in ``satudata_cli.cli.exitcodes``.

    typer in standalone mode turns usage errors into exit 2 and Ctrl-C into 130; the
    commands map the library's errors themselves (``cli_errors``). What is left here
    is a bug: say so briefly, never with a traceback.
    """
    try:
        app()
    except Exception as exc:
        if os.environ.get("SATUDATA_DEBUG"):
            raise
        internal = M.msg_internal_error.format(name=type(exc).__name__)
        if json_logging():
            log_event(
                logging.CRITICAL,
                "internal_error",
                internal.en.removeprefix("satudata: ").replace("\n", "; "),
                error=type(exc).__name__,
                exit_code=int(ExitCode.INTERNAL),
            )
            sys.exit(int(ExitCode.INTERNAL))
        sys.stderr.write(say(internal) + "\n")
        sys.exit(int(ExitCode.INTERNAL))
