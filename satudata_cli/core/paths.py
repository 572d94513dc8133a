"""Questions about a path given by a user that never raise.

``Path.exists``, ``is_dir`` and ``is_file`` answer False for a missing file but let
other errors of the system call through: a name longer than the file system allows
(ENAMETOOLONG), say, which would end a run as an internal error instead of "does not
exist". These answer False for any such path, so the caller's own message applies.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["is_dir", "path_exists"]


def path_exists(path: Path) -> bool:
    """``path.exists()``, False when the system cannot even look it up."""
    try:
        return path.exists()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """``path.is_dir()``, False when the system cannot even look it up."""
    try:
        return path.is_dir()
    except OSError:
        return False
