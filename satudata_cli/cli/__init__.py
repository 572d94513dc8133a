"""The command line: the only layer that parses arguments, prints and exits."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from satudata_cli import __version__
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
from satudata_cli.cli.lazy import LazyCommand, LazyGroup
from satudata_cli.cli.options import FORMAT_ENVVARS
from satudata_cli.cli.pipes import (
    StdoutClosed,
    StdoutWatch,
    end_quietly,
    flush_stdout,
    stdout_may_close,
)

if TYPE_CHECKING:
    from typer._click import Command, Context

#: Every command, by module and attribute: a command's module is imported only when
#: it runs (docs/benchmarks.md, start-up). The summary is what ``satudata --help``
#: shows; tests/cli/test_startup.py checks it is the command's own first paragraph.
COMMANDS: dict[str, LazyCommand] = {
    "validate": LazyCommand(
        "satudata_cli.cli.validate",
        "validate",
        "Validate dataset metadata against the Satu Data Indonesia standard.",
    ),
    "harvest": LazyCommand(
        "satudata_cli.cli.harvest_cmd",
        "harvest",
        "Harvest sources into the catalogue (incremental unless --full).",
    ),
    "publish": LazyCommand(
        "satudata_cli.cli.publish_cmd",
        "publish",
        "Publish the katalog to a CKAN portal: create, update, leave unchanged, withdraw.",
    ),
    "sources": LazyCommand(
        "satudata_cli.cli.harvest_cmd",
        "sources_app",
        "The configured sources (sumber): list them, check one.",
    ),
    "catalog": LazyCommand(
        "satudata_cli.cli.catalog_cmd", "catalog_app", "Browse the local catalogue (katalog)."
    ),
    "jobs": LazyCommand(
        "satudata_cli.cli.catalog_cmd", "jobs_app", "Harvest jobs: history and retention."
    ),
    "schema": LazyCommand(
        "satudata_cli.cli.schema_cmd",
        "app",
        "Show or export the fields of the Satu Data Indonesia standard (per profile).",
    ),
    "report": LazyCommand(
        "satudata_cli.cli.report_cmd",
        "report_app",
        "Reports per agency (perangkat daerah): compliance and freshness.",
    ),
    "init": LazyCommand(
        "satudata_cli.cli.init_cmd",
        "init",
        "Write a commented starter configuration: two sources, a profile, a publish target.",
    ),
    "info": LazyCommand(
        "satudata_cli.cli.info_cmd",
        "info",
        "Show where the config folder and the katalog are, and why; versions.",
    ),
}


class _Satudata(SatudataGroup, LazyGroup):
    """SatudataGroup (-q/-v after the subcommand too; flags without <bool> in help) whose
    commands load when they run (LazyGroup)."""

    lazy_commands = COMMANDS

    # a closed stdout reaches main() from parsing (--help, --version) and from the run,
    # rather than typer's own handler, which exits 1 (cli/pipes.py)
    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        with stdout_may_close():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        with stdout_may_close():
            return super().invoke(ctx)

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        found = super().resolve_command(ctx, args)
        _StartUpGC.resume()  # the command is loaded: from here on it is its run
        return found


# Start-up makes tens of thousands of objects that live as long as the process (modules,
# classes, functions, pydantic's schemas); the cyclic garbage collector walks them again
# and again while they are being made, for nothing: about a tenth of `satudata validate
# ONE.json` (docs/benchmarks.md, start-up). run() pauses it until the command is loaded;
# then what exists is frozen (gc.freeze: never walked again, also not by the collections
# of a long harvest) and collection resumes for the command's own work.
class _StartUpGC:
    paused = False

    @classmethod
    def pause(cls) -> None:
        if gc.isenabled():
            gc.disable()
            cls.paused = True

    @classmethod
    def resume(cls) -> None:
        if cls.paused:
            cls.paused = False
            gc.freeze()
            gc.enable()


app = typer.Typer(
    cls=_Satudata,
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


def main() -> None:
    """The whole command line; exit codes are documented in ``satudata_cli.cli.exitcodes``.

    typer in standalone mode turns usage errors into exit 2 and Ctrl-C into 130; the
    commands map the library's errors themselves (``cli_errors``). A closed standard
    output ends the run quietly with exit 0 (``cli/pipes.py``). What is left here is a
    bug: say so briefly, never with a traceback.
    """
    watch = StdoutWatch()
    try:
        try:
            app()
        except SystemExit as exc:
            if exc.code not in (0, None) and watch.was_closed():
                end_quietly()  # a rich console met the closed pipe and exited 1
            flush_stdout()
            raise
        flush_stdout()
    except StdoutClosed:
        end_quietly()
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


def run() -> None:
    """The process entry point (the ``satudata`` script, ``python -m satudata_cli``):
    :func:`main`, with the process set up for a short start. Not for a caller that runs
    the CLI inside its own process (use :func:`main`): it changes the whole process."""
    # satudata's pydantic models check its own configuration files: no pydantic plugin
    # (an entry point of some other installed package) has any business there, and
    # looking for them reads the metadata of every installed distribution on each
    # start (docs/benchmarks.md, start-up). A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _StartUpGC.pause()
    main()
