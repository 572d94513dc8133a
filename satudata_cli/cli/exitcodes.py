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
| 70   | internal error: a bug in satudata (no traceback unless SATUDATA_DEBUG=1) |
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    NON_COMPLIANT = 1
    USAGE = 2
    PARTIAL = 3
    LOCKED = 4
    NOTHING_DONE = 5
    INTERRUPTED = 130
    INTERNAL = 70
