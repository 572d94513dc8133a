"""The exceptions of the catalogue layer.

SatudataError
└── CatalogueError          the catalogue file cannot be opened, read or written as asked
    └── CatalogueLockedError another process holds the catalogue (the CLI maps it to exit 4)

Programming errors (a counter that is not an ``int``, a negative ``grace_days``) raise
:class:`ValueError`; they are not the user's doing.
"""

from __future__ import annotations

from satudata_cli.core.errors import SatudataError


class CatalogueError(SatudataError):
    """The catalogue cannot be opened, migrated, queried or written as asked."""


class CatalogueLockedError(CatalogueError):
    """Another process holds the catalogue (SQLite stayed busy past the timeout)."""
