"""Pieces every command shares: consoles, error handling, output files, colour.

The shared options (``--format``, ``--output``, ``--source``, ``--lang``, ``--json``)
are in :mod:`satudata_cli.cli.options`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.markup import escape

from satudata_cli.cli.context import event_name, json_logging, log_event, quiet
from satudata_cli.cli.exitcodes import ExitCode, exit_code_for
from satudata_cli.cli.i18n import current_lang, helptext, say, set_lang
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.i18n import Lang, Message
from satudata_cli.core.messages import M
from satudata_cli.core.signals import StopSignal


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class LangChoice(StrEnum):
    id = "id"
    en = "en"


ColorOption = Annotated[
    Color,
    typer.Option(
        "--color",
        envvar="SATUDATA_COLOR",
        help=helptext(M.help_color),
    ),
]


def resolve_lang(choice: LangChoice | None) -> Lang:
    """The language of the run: a command's own ``--lang`` when given (it becomes the
    language of every message of the run), else the one chosen for the whole run
    (global ``--lang``, ``SATUDATA_LANG``, the locale; see :mod:`satudata_cli.cli.i18n`)."""
    if choice is not None:
        set_lang("id" if choice is LangChoice.id else "en")
    return current_lang()


class _Console(Console):
    def print(self, *objects: Any, **kwargs: Any) -> None:
        # every table fits the width without cutting a number or an id (cli/tables.py);
        # no table exists before rich.table is imported, which start-up leaves until a
        # command builds one (docs/benchmarks.md, start-up)
        if "rich.table" in sys.modules:
            from satudata_cli.cli.tables import fitted

            width = kwargs.get("width") or self.width
            objects = tuple(fitted(o, width) for o in objects)
        super().print(*objects, **kwargs)

    def on_broken_pipe(self) -> None:
        # rich would exit 1 here; main() ends the run quietly with exit 0 (cli/pipes.py)
        raise BrokenPipeError


def _columns() -> int | None:
    """The width the user asked for with ``COLUMNS``, if any."""
    value = os.environ.get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def make_console(
    file: IO[str],
    color: Color = Color.auto,
    *,
    width: int | None = None,
    wrap: bool = True,
    pipe_width: int = 100,
) -> Console:
    """A console on ``file``. Its width: ``width``, else ``COLUMNS``, else the
    terminal's, else (a pipe or a file) ``pipe_width``."""
    if width is None:
        width = _columns() or (None if file.isatty() else pipe_width)
    force = {Color.always: True, Color.never: False}.get(color)
    no_color = color is Color.never or (color is Color.auto and "NO_COLOR" in os.environ)
    is_terminal = force if force is not None else None
    return _Console(
        file=file,
        force_terminal=is_terminal,
        no_color=no_color,
        highlight=False,
        soft_wrap=not wrap,
        width=width,
    )


def stderr_console(color: Color = Color.auto) -> Console:
    """Messages on stderr: never wrapped, so each stays one line for logs and grep."""
    return make_console(sys.stderr, color, wrap=False)


def fail(
    message: str | Message,
    code: ExitCode = ExitCode.USAGE,
    *,
    event: str = "error",
    **fields: Any,
) -> typer.Exit:
    """Print an error on stderr in the language of the run (a JSON line with
    ``--log-format json``, in English for machines: ``event``, ``error``, ``exit_code``
    and ``fields``) and return the Exit to raise."""
    said = message if isinstance(message, Message) else Message(message, message)
    if json_logging():
        log_event(logging.ERROR, event, said.en, error=said.en, exit_code=int(code), **fields)
    else:
        stderr_console().print(f"[bold red]{say(M.msg_error_prefix)}[/] {escape(say(said))}")
    return typer.Exit(int(code))


def notice(
    message: str | Message,
    *,
    event: str,
    level: int = logging.INFO,
    style: str | None = None,
    **fields: Any,
) -> None:
    """A message of the command itself on stderr: one JSON line with ``--log-format
    json`` (``event`` and ``fields``; English), else the text in the language of the run
    (in ``style`` on a terminal). ``-q`` hides all but errors."""
    said = message if isinstance(message, Message) else Message(message, message)
    if json_logging():
        log_event(level, event, said.en, **fields)
    elif not quiet() or level >= logging.ERROR:
        text = escape(say(said))
        stderr_console().print(f"[{style}]{text}[/]" if style else text)


@contextlib.contextmanager
def cli_errors(lang: Lang | None = None) -> Iterator[None]:
    """Turn the library's errors and Ctrl-C into a message and an exit code.

    The code comes from the one table in :mod:`satudata_cli.cli.exitcodes`; no
    command maps errors on its own. Every error carries both languages; it is said in
    the language of the run (:mod:`satudata_cli.cli.i18n`; a command's own ``lang`` is
    that language already, see :func:`resolve_lang`), in English in a JSON log line.
    """
    if lang is not None:
        set_lang(lang)
    try:
        yield
    except SatudataError as exc:
        raise fail(exc.message, exit_code_for(exc), event=event_name(exc)) from None
    except KeyboardInterrupt as exc:
        code = exit_code_for(exc)
        by = exc.signal_name if isinstance(exc, StopSignal) else "Ctrl-C"
        notice(
            M.msg_interrupted.format(signal=by),
            event="interrupted",
            level=logging.ERROR,
            style="yellow",
            signal=exc.signal_name if isinstance(exc, StopSignal) else "SIGINT",
            exit_code=int(code),
        )
        raise typer.Exit(int(code)) from None


class OutputTarget:
    """Stdout, or a file written atomically: a failed run leaves no half file behind."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._tmp: TextIO | None = None
        self._direct: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self.path is None or str(self.path) == "-":
            # file names that are not UTF-8 reach us as lone surrogates: never crash on them
            if isinstance(sys.stdout, io.TextIOWrapper):
                sys.stdout.reconfigure(errors="replace")
            return sys.stdout
        if self.path.is_dir():
            raise SatudataError(M.err_write_folder.format(path=self.path))
        if self.path.exists() and not self.path.is_file():
            # a device or a pipe (/dev/null, a FIFO): write to it directly, never replace it
            self._direct = self.path.open("w", encoding="utf-8", errors="replace", newline="")
            return self._direct
        directory = self.path.parent if str(self.path.parent) else Path()
        if not directory.is_dir():
            raise SatudataError(M.err_write_no_folder.format(path=self.path, folder=directory))
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # like a plain '> file', not mkstemp's 0600
        self._tmp = os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="")
        self._tmp_name = name
        return self._tmp

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._direct is not None:
            self._direct.close()
            return
        if self._tmp is None:
            sys.stdout.flush()
            return
        self._tmp.close()
        if exc_type is None or exc_type is typer.Exit:
            Path(self._tmp_name).replace(self.path)  # type: ignore[arg-type]
        else:
            Path(self._tmp_name).unlink(missing_ok=True)
