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
from satudata_cli.cli.options import FORMAT_ENVVARS
from satudata_cli.cli.validate import validate

app = typer.Typer(
    name="satudata",
    help=(
        "satudata: validate, harvest, publish and report Satu Data Indonesia metadata.\n\n"
        "Alat walidata untuk memeriksa, memanen, menerbitkan dan melaporkan metadata "
        "Satu Data Indonesia.\n\n"
        "Output: every command that prints a result takes --format; its default can come "
        "from SATUDATA_<COMMAND>_FORMAT, one variable per command family ("
        + ", ".join(name for family, name in FORMAT_ENVVARS.items() if family != "export")
        + "; catalog export: "
        + FORMAT_ENVVARS["export"]
        + "). SATUDATA_FORMAT is read by validate only (deprecated)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=SatudataGroup,  # -q/-v after the subcommand too; flags without <bool> in help
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
            help="Folder of source configurations (one YAML file per sumber). Default: "
            "./harvest_configs if present, else the user's ($XDG_CONFIG_HOME/satudata); "
            "`satudata info` shows which.",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="SATUDATA_DB",
            help="The catalogue (SQLite file). Default: ./satudata.db in a project folder, "
            "else the user's ($XDG_DATA_HOME/satudata/satudata.db).",
            show_default=False,
        ),
    ] = None,
    log_format: Annotated[
        LogFormat,
        typer.Option(
            "--log-format", envvar="SATUDATA_LOG_FORMAT", help="Log lines on stderr: text or json."
        ),
    ] = LogFormat.text,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Only errors on stderr (also after the command)."),
    ] = False,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="More log lines, -vv: debug (also after the command; validate's own "
            "-v shows every record).",
            show_default=False,
        ),
    ] = 0,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """satudata: Satu Data Indonesia metadata tooling."""
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


app.command("validate")(validate)
app.command("harvest")(harvest_cmd.harvest)
app.command("publish")(publish_cmd.publish)
app.add_typer(harvest_cmd.sources_app, name="sources")
app.add_typer(catalog_cmd.catalog_app, name="catalog")
app.add_typer(catalog_cmd.jobs_app, name="jobs")
app.add_typer(schema_cmd.app, name="schema")
app.add_typer(report_cmd.report_app, name="report")
app.command("init")(init_cmd.init)
app.command("info")(info_cmd.info)


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
        if json_logging():
            log_event(
                logging.CRITICAL,
                "internal_error",
                f"internal error: {type(exc).__name__}; this is a bug in satudata; run "
                "again with SATUDATA_DEBUG=1 for details",
                error=type(exc).__name__,
                exit_code=int(ExitCode.INTERNAL),
            )
            sys.exit(int(ExitCode.INTERNAL))
        sys.stderr.write(
            f"satudata: internal error: {type(exc).__name__}\n"
            "This is a bug in satudata; run again with SATUDATA_DEBUG=1 for details.\n"
        )
        sys.exit(int(ExitCode.INTERNAL))
