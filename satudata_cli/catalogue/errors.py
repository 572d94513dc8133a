"""The exceptions of the catalogue layer.

SatudataError
└── CatalogueError          the catalogue file cannot be opened, read or written as asked
    ├── CatalogueLockedError another process holds the catalogue (the CLI maps it to exit 4)
    ├── CatalogueAccessError the file or its folder cannot be created, read or written
    │                        (read-only, no permission, a folder in place of the file);
    │                        exit 2, with the message in both languages
    └── UnstorableRecordError one record holds a value JSON cannot hold (the engine makes
                              it an errored record and goes on)

Programming errors (a counter that is not an ``int``, a negative ``grace_days``) raise
:class:`ValueError`; they are not the user's doing.
"""

from __future__ import annotations

from satudata_cli.core.errors import SatudataError


class CatalogueError(SatudataError):
    """The catalogue cannot be opened, migrated, queried or written as asked."""


class CatalogueLockedError(CatalogueError):
    """Another process holds the catalogue (SQLite stayed busy past the timeout)."""


class CatalogueAccessError(CatalogueError):
    """The catalogue file, its folder or its lock cannot be created, read or written."""


class UnstorableRecordError(CatalogueError):
    """A record (or its remote id) holds a value the catalogue cannot store as JSON text:
    infinity or NaN, bytes, a lone surrogate (see :mod:`satudata_cli.core.values`).

    Raised before anything of the record is queued; the harvest engine turns it into an
    ``errored`` record and goes on with the next one. ``path`` is the value's JSON path.
    """

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(message)
        self.path = path
