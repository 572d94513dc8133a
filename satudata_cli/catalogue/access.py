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

_HINT_EN: Final = "choose another place with --db (or SATUDATA_DB), or fix the permissions"
_HINT_ID: Final = "pilih tempat lain dengan --db (atau SATUDATA_DB), atau perbaiki izinnya"

# errno -> (English, Indonesian): the reasons a walidata meets; others keep the OS text
_REASONS: Final[dict[int, tuple[str, str]]] = {
    errno.EACCES: ("permission denied", "izin ditolak"),
    errno.EPERM: (
        "not permitted (an immutable or protected file or folder)",
        "tidak diizinkan (berkas atau folder yang dikunci/immutable)",
    ),
    errno.EROFS: ("the file system is read-only", "sistem berkasnya hanya-baca"),
    errno.ENOTDIR: (
        "a part of the path is a file, not a folder",
        "sebagian dari path adalah berkas, bukan folder",
    ),
    errno.EEXIST: (
        "a part of the path is a file, not a folder",
        "sebagian dari path adalah berkas, bukan folder",
    ),
    errno.ENOENT: (
        "a folder of the path does not exist and cannot be created there",
        "sebuah folder dari path tidak ada dan tidak dapat dibuat di sana",
    ),
    errno.ENOSPC: ("no space left on the disk", "ruang disk habis"),
    errno.EDQUOT: ("the disk quota is used up", "kuota disk habis"),
    errno.EISDIR: ("it is a folder, not a file", "itu folder, bukan berkas"),
}


def reason(exc: OSError) -> tuple[str, str]:
    """The OS error as a short reason in English and Indonesian."""
    known = _REASONS.get(exc.errno or 0)
    if known is not None:
        return known
    text = exc.strerror or type(exc).__name__
    return text, text


def is_folder(path: Path) -> CatalogueAccessError:
    return CatalogueAccessError(
        f"the catalogue {path} is a folder, not a file; choose a file with --db "
        "(or SATUDATA_DB), e.g. --db satudata.db",
        id_text=f"katalog {path} adalah folder, bukan berkas; pilih sebuah berkas dengan "
        "--db (atau SATUDATA_DB), mis. --db satudata.db",
    )


def folder_not_created(path: Path, folder: Path, exc: OSError) -> CatalogueAccessError:
    en, id_ = reason(exc)
    return CatalogueAccessError(
        f"cannot create the folder {folder} for the catalogue {path}: {en}; {_HINT_EN}",
        id_text=f"folder {folder} untuk katalog {path} tidak dapat dibuat: {id_}; {_HINT_ID}",
    )


def folder_not_writable(path: Path, folder: Path, exc: OSError) -> CatalogueAccessError:
    if exc.errno == errno.ENOENT:  # an existing folder that takes no files (/proc)
        en, id_ = "it takes no new files", "folder itu tidak menerima berkas baru"
    else:
        en, id_ = reason(exc)
    return CatalogueAccessError(
        f"cannot use the catalogue {path}: its folder {folder} cannot be written ({en}); "
        "satudata creates files beside the catalogue (its -wal and -shm files, even to "
        f"read it, and the .lock); {_HINT_EN}",
        id_text=f"katalog {path} tidak dapat dipakai: foldernya {folder} tidak dapat "
        f"ditulisi ({id_}); satudata membuat berkas di samping katalog (berkas -wal dan "
        f"-shm, bahkan untuk membacanya, dan .lock); {_HINT_ID}",
    )


def file_not_writable(path: Path, exc: OSError | None) -> CatalogueAccessError:
    en, id_ = reason(exc) if exc is not None else ("read-only", "hanya-baca")
    return CatalogueAccessError(
        f"cannot write the catalogue {path}: the file cannot be written ({en}); "
        f"commands that only read it still work; {_HINT_EN}",
        id_text=f"katalog {path} tidak dapat ditulis: berkasnya tidak dapat ditulisi "
        f"({id_}); perintah yang hanya membaca tetap bisa; {_HINT_ID}",
    )


def file_not_readable(path: Path, exc: OSError) -> CatalogueAccessError:
    en, id_ = reason(exc)
    return CatalogueAccessError(
        f"cannot read the catalogue {path} ({en}); {_HINT_EN}",
        id_text=f"katalog {path} tidak dapat dibaca ({id_}); {_HINT_ID}",
    )


def lock_not_writable(path: Path, lock: Path, exc: OSError) -> CatalogueAccessError:
    en, id_ = reason(exc)
    return CatalogueAccessError(
        f"cannot use the catalogue {path}: its lock file {lock} cannot be written ({en}); "
        f"{_HINT_EN}",
        id_text=f"katalog {path} tidak dapat dipakai: berkas kuncinya {lock} tidak dapat "
        f"ditulisi ({id_}); {_HINT_ID}",
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
