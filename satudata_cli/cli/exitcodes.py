"""Exit codes: the same for every command, decided only in ``satudata_cli.cli``.

| code | meaning |
|------|---------|
| 0    | ok |
| 1    | non-compliant records found by a command that checks compliance |
| 2    | usage or configuration error (bad option, missing path, broken profile) |
| 3    | partial failure: some sources or records failed, the rest was stored |
| 4    | another run holds the catalogue |
| 5    | nothing could be done (every requested source failed; validate found no records) |
| 130  | interrupted (Ctrl-C) |
| 143  | stopped by SIGTERM (``timeout``, systemd, a container stop), handled like Ctrl-C |
| 129  | stopped by SIGHUP (the terminal closed, ``kill -HUP``), handled like Ctrl-C |
| 70   | internal error: a bug in satudata (no traceback unless SATUDATA_DEBUG=1) |

Two kinds of codes. Codes 1, 3 and 5 for "some records failed" or "nothing to do"
are read from a command's result object (a report, a summary) by the command itself.
Every *exception* that ends a command gets its code from :func:`exit_code_for`, which
looks the error's class up in the one table below (:func:`exit_code_table`), most
specific class first (by the class's MRO): a new error class gets the code of its
nearest listed base unless it is listed itself. No command maps errors on its own.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NON_COMPLIANT = 1
    USAGE = 2
    PARTIAL = 3
    LOCKED = 4
    NOTHING_DONE = 5
    INTERRUPTED = 130
    TERMINATED = 143
    HANGUP = 129
    INTERNAL = 70


@functools.cache
def exit_code_table() -> Mapping[type[BaseException], ExitCode]:
    """Error class -> exit code. Built on first use, so that loading the CLI does not
    load the publish and report layers just to name their error classes."""
    from satudata_cli.catalogue.errors import CatalogueError, CatalogueLockedError
    from satudata_cli.core.configfile import ConfigError
    from satudata_cli.core.errors import (
        InputError,
        SatudataError,
        StandardError,
        UsageError,
    )
    from satudata_cli.core.signals import HangUp, Terminated
    from satudata_cli.exports import ExportError
    from satudata_cli.links.errors import NoNetworkError
    from satudata_cli.pipeline.harvest import HarvestInterrupted
    from satudata_cli.publish.errors import PortalError, PublishError, TargetConfigError
    from satudata_cli.reports.errors import NothingToReportError, ReportError

    return {
        # anything satudata raises on purpose and is not listed below: the user's input
        SatudataError: ExitCode.USAGE,
        UsageError: ExitCode.USAGE,  # bad arguments, a path that does not exist
        ConfigError: ExitCode.USAGE,  # a source file in --config-dir
        TargetConfigError: ExitCode.USAGE,  # a publish target file
        StandardError: ExitCode.USAGE,  # the standard or a profile (ProfileError)
        InputError: ExitCode.USAGE,  # an input that cannot be opened at all
        ExportError: ExitCode.USAGE,  # an export format that cannot be written
        ReportError: ExitCode.USAGE,  # a report asked for an unknown source
        PublishError: ExitCode.USAGE,
        CatalogueError: ExitCode.USAGE,  # not a catalogue, damaged, read-only
        # another run holds the catalogue (the harvest lock, or SQLite stayed busy)
        CatalogueLockedError: ExitCode.LOCKED,
        # nothing could be done
        PortalError: ExitCode.NOTHING_DONE,  # the portal does not answer or refuses us
        NothingToReportError: ExitCode.NOTHING_DONE,  # no catalogue, no active dataset
        NoNetworkError: ExitCode.NOTHING_DONE,  # links check: the checker has no network
        # stopped
        HarvestInterrupted: ExitCode.INTERRUPTED,
        KeyboardInterrupt: ExitCode.INTERRUPTED,
        Terminated: ExitCode.TERMINATED,  # SIGTERM, handled like Ctrl-C
        HangUp: ExitCode.HANGUP,  # SIGHUP, handled like Ctrl-C
    }


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code of ``error``: its most specific class in the table; an error that
    is not in the table at all is a bug (:attr:`ExitCode.INTERNAL`)."""
    table = exit_code_table()
    for cls in type(error).__mro__:
        code = table.get(cls)
        if code is not None:
            return code
    return ExitCode.INTERNAL
