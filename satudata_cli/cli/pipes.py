"""A closed standard output (``satudata catalog show 1 | head -1``) ends the run quietly
with exit 0, like ``head`` or ``less`` quitting early: handled once, here, for every
command and output format (docs/exit-codes.md).

Python ignores SIGPIPE, so writing to a pipe whose reader has gone raises
``BrokenPipeError``, wherever the write happens: a ``print``, a CSV writer, a rich
console, or the flush of ``sys.stdout`` when the interpreter exits. Three places see it:

- :func:`stdout_may_close` wraps the root command's parsing and its run
  (``cli/__init__.py``), so the error reaches :func:`satudata_cli.cli.main` instead of
  typer's own handler (which exits 1);
- rich's consoles (typer's help is printed by one) answer a broken pipe by pointing
  stdout at ``/dev/null`` and exiting 1: :class:`StdoutWatch` sees that stdout became
  ``/dev/null`` during the run;
- :func:`satudata_cli.cli.main` flushes stdout itself before it returns.

Then stdout is pointed at ``/dev/null``, so that the flush at interpreter exit finds
nothing to complain about (as the Python documentation on SIGPIPE advises).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn


class StdoutClosed(Exception):
    """The reader of standard output went away; raised past typer to ``main``."""


def _stdout_fd() -> int | None:
    """The descriptor under ``sys.stdout`` (None when it has none, as under a test's capture)."""
    try:
        return sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def stdout_is_pipe() -> bool:
    """Only a pipe or a socket can lose its reader; EPIPE on a terminal or a file is
    someone else's broken pipe (a socket deep in a library), not ours to hide."""
    fd = _stdout_fd()
    if fd is None:
        return False
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


@contextlib.contextmanager
def stdout_may_close() -> Iterator[None]:
    """Turn a broken standard output into :class:`StdoutClosed`."""
    try:
        yield
    except BrokenPipeError as exc:
        if not stdout_is_pipe():
            raise
        raise StdoutClosed from exc


def _identity(fd: int | None) -> tuple[int, int] | None:
    """(device, inode) of what ``fd`` is open on."""
    if fd is None:
        return None
    try:
        found = os.fstat(fd)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _identity_of_devnull() -> tuple[int, int] | None:
    try:
        found = Path(os.devnull).stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


class StdoutWatch:
    """What standard output was when the run began, to tell afterwards whether a rich
    console replaced it with ``/dev/null`` because its reader had gone."""

    def __init__(self) -> None:
        self._start = _identity(_stdout_fd())
        self._devnull = _identity_of_devnull()

    def was_closed(self) -> bool:
        now = _identity(_stdout_fd())
        return now is not None and now == self._devnull and self._start != self._devnull


def flush_stdout() -> None:
    """Flush stdout now, while a broken pipe can still be told apart and handled."""
    with stdout_may_close():
        sys.stdout.flush()


def end_quietly() -> NoReturn:
    """Point stdout at ``/dev/null`` (what is still buffered goes nowhere) and exit 0."""
    fd = _stdout_fd()
    if fd is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    sys.exit(0)
