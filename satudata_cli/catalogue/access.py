"""Why a catalogue file cannot be opened or written, in both languages.

SQLite says only "unable to open database file" or "attempt to write a readonly
database", and the operating system raises ``PermissionError`` / ``OSError``; neither
tells a walidata what to do. A catalogue needs to write in two places: the file itself
and its folder (SQLite creates ``<catalogue>-wal`` and ``<catalogue>-shm`` beside it,
even to read a WAL catalogue, and the harvest lock creates ``<catalogue>.lock``). The
functions here find which of them cannot be written, by trying (root ignores file
modes, so asking ``os.access`` would answer wrongly), and build one
:class:`CatalogueAccessError` naming the place, the reason and the way out.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Final

from satudata_cli.catalogue.errors import CatalogueAccessError
from satudata_cli.core.i18n import Message, plain
from satudata_cli.core.messages import M

# errno -> the reason a walidata meets; others keep the OS text (the words: core/messages.py)
_REASONS: Final[dict[int, Message]] = {
    errno.EACCES: M.acc_eacces,
    errno.EPERM: M.acc_eperm,
    errno.EROFS: M.acc_erofs,
    errno.ENOTDIR: M.acc_notdir,
    errno.EEXIST: M.acc_notdir,
    errno.ENOENT: M.acc_enoent,
    errno.ENOSPC: M.acc_enospc,
    errno.EDQUOT: M.acc_edquot,
    errno.EISDIR: M.acc_eisdir,
}


def reason(exc: OSError) -> Message:
    """The OS error as a short reason in both languages."""
    known = _REASONS.get(exc.errno or 0)
    if known is not None:
        return known
    return plain(exc.strerror or type(exc).__name__)


def is_folder(path: Path) -> CatalogueAccessError:
    return CatalogueAccessError(M.acc_is_folder.format(path=path))


def folder_not_created(path: Path, folder: Path, exc: OSError) -> CatalogueAccessError:
    return CatalogueAccessError(
        M.acc_folder_not_created.format(
            folder=folder, path=path, reason=reason(exc), hint=M.acc_hint
        )
    )


def folder_not_writable(path: Path, folder: Path, exc: OSError) -> CatalogueAccessError:
    # an existing folder that takes no files (/proc)
    why = M.acc_no_new_files if exc.errno == errno.ENOENT else reason(exc)
    return CatalogueAccessError(
        M.acc_folder_not_writable.format(path=path, folder=folder, reason=why, hint=M.acc_hint)
    )


def file_not_writable(path: Path, exc: OSError | None) -> CatalogueAccessError:
    why = reason(exc) if exc is not None else M.acc_read_only
    return CatalogueAccessError(
        M.acc_file_not_writable.format(path=path, reason=why, hint=M.acc_hint)
    )


def file_not_readable(path: Path, exc: OSError) -> CatalogueAccessError:
    return CatalogueAccessError(
        M.acc_file_not_readable.format(path=path, reason=reason(exc), hint=M.acc_hint)
    )


def lock_not_writable(path: Path, lock: Path, exc: OSError) -> CatalogueAccessError:
    return CatalogueAccessError(
        M.acc_lock_not_writable.format(path=path, lock=lock, reason=reason(exc), hint=M.acc_hint)
    )


def probe(path: Path, *, write: bool) -> CatalogueAccessError | None:
    """Try what SQLite needs at ``path``; the first place that fails, as an error.

    Reads the file (if it exists), creates and removes a scratch file in its folder
    (SQLite's -wal and -shm files go there, even for a reader) and, when ``write``,
    opens the file for writing. ``None`` when all of that works (the problem, if any,
    is not one of access).
    """
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        return is_folder(path)
    exists = path.exists()
    if exists:
        try:
            with path.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            return file_not_readable(path, exc)
    if exists or write:
        try:
            fd, scratch = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=folder)
        except OSError as exc:
            return folder_not_writable(path, folder, exc)
        os.close(fd)
        Path(scratch).unlink(missing_ok=True)
    if exists and write:
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError as exc:
            return file_not_writable(path, exc)
        os.close(fd)
    return None


def make_folder(path: Path) -> None:
    """Create the catalogue's folder (and its parents) or raise why not."""
    folder = path.parent if str(path.parent) else Path()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise folder_not_created(path, folder, exc) from exc
