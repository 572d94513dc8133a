"""The command line: the only layer that parses arguments, prints and exits."""

from __future__ import annotations

import errno
import gc
import io
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

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
from satudata_cli.cli.i18n import LanguageGroup, helptext, say
from satudata_cli.cli.lazy import LazyCommand, LazyGroup
from satudata_cli.cli.options import FORMAT_ENVVARS, GlobalLangOption
from satudata_cli.cli.pipes import (
    StdoutClosed,
    StdoutWatch,
    end_quietly,
    flush_stdout,
    stdout_may_close,
)
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.core.values import printable

if TYPE_CHECKING:
    from typer._click import Command, Context


def _lazy(module: str, attribute: str, help: Message, *, group: bool = False) -> LazyCommand:
    """A command by name, its help from the message table: the summary in the list is
    the first paragraph of that help (cli/i18n.py says both in the run's language)."""
    summary = help.en.split("\n\n")[0]
    return LazyCommand(module, attribute, summary, None if group else helptext(help))


#: Every command, by module and attribute: a command's module is imported only when
#: it runs (docs/benchmarks.md, start-up). The summary is what ``satudata --help``
#: shows; tests/cli/test_startup.py checks it is the command's own first paragraph.
COMMANDS: dict[str, LazyCommand] = {
    "validate": _lazy("satudata_cli.cli.validate", "validate", M.help_validate),
    "harvest": _lazy("satudata_cli.cli.harvest_cmd", "harvest", M.help_harvest),
    "publish": _lazy("satudata_cli.cli.publish_cmd", "publish", M.help_publish),
    "sources": _lazy("satudata_cli.cli.harvest_cmd", "sources_app", M.help_sources_app, group=True),
    "catalog": _lazy("satudata_cli.cli.catalog_cmd", "catalog_app", M.help_catalog_app, group=True),
    "jobs": _lazy("satudata_cli.cli.catalog_cmd", "jobs_app", M.help_jobs_app, group=True),
    "schema": _lazy("satudata_cli.cli.schema_cmd", "app", M.help_schema_app, group=True),
    "report": _lazy("satudata_cli.cli.report_cmd", "report_app", M.help_report_app, group=True),
    "init": _lazy("satudata_cli.cli.init_cmd", "init", M.help_init),
    "info": _lazy("satudata_cli.cli.info_cmd", "info", M.help_info),
    "links": _lazy("satudata_cli.cli.links_cmd", "links_app", M.help_links_app, group=True),
}


class _Satudata(LanguageGroup, SatudataGroup, LazyGroup):
    """The root command: the language of the run first (LanguageGroup: chosen before
    anything is parsed), -q/-v after the subcommand too and flags without <bool> in
    help (SatudataGroup), commands loaded when they run (LazyGroup)."""

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
        typer.Option(
            "--db",
            envvar="SATUDATA_DB",
            help=helptext(M.help_db),
            show_default=False,
        ),
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


def main() -> None:
    """The whole command line; exit codes are documented in ``satudata_cli.cli.exitcodes``.

    typer in standalone mode turns usage errors into exit 2 and Ctrl-C into 130; the
    commands map the library's errors themselves (``cli_errors``). A closed standard
    output ends the run quietly with exit 0 (``cli/pipes.py``). What is left here is a
    bug: say so briefly, never with a traceback.
    """
    watch = StdoutWatch()
    _escape_lone_surrogates()
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
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG or os.environ.get("SATUDATA_DEBUG"):
            _internal_error(exc)
        # a path given on the command line or in a configuration file that the file
        # system refuses outright: the user's to shorten, not a bug
        shown = printable(os.fsdecode(exc.filename or ""))
        if len(shown) > 120:
            shown = shown[:60] + "..." + shown[-40:]
        from satudata_cli.cli.common import fail  # rich: only on this rare path

        sys.exit(fail(M.err_name_too_long.format(path=shown), event="name_too_long").exit_code)
    except Exception as exc:
        _internal_error(exc)


def _internal_error(exc: BaseException) -> NoReturn:
    """Say briefly that this is a bug (never a traceback) and exit 70; with
    ``SATUDATA_DEBUG`` set, raise it as it is."""
    if os.environ.get("SATUDATA_DEBUG"):
        raise exc
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


def _escape_lone_surrogates() -> None:
    """Standard output writes a lone surrogate (a portal's string cut inside an emoji,
    ``"\\udfff"`` in JSON; it has no UTF-8 form) as its escape, as Python's standard
    error does, instead of failing the whole report on it. Python's own choice for
    standard output, ``strict`` (or ``surrogateescape`` under a C or POSIX locale, which
    covers only the surrogates of undecodable bytes), fails on it."""
    stdout = sys.stdout
    if isinstance(stdout, io.TextIOWrapper) and stdout.errors in ("strict", "surrogateescape"):
        stdout.reconfigure(errors="backslashreplace")


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
