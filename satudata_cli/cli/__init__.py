"""The command line: the only layer that parses arguments, prints and exits."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from satudata_cli import __version__
from satudata_cli.cli import schema_cmd
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.validate import validate

app = typer.Typer(
    name="satudata",
    help=(
        "satudata: validate, harvest, publish and report Satu Data Indonesia metadata.\n\n"
        "Alat walidata untuk memeriksa, memanen, menerbitkan dan melaporkan metadata "
        "Satu Data Indonesia."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"satudata {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """satudata: Satu Data Indonesia metadata tooling."""


app.command("validate")(validate)
app.add_typer(schema_cmd.app, name="schema")


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
        sys.stderr.write(
            f"satudata: internal error: {type(exc).__name__}\n"
            "This is a bug in satudata; run again with SATUDATA_DEBUG=1 for details.\n"
        )
        sys.exit(int(ExitCode.INTERNAL))
