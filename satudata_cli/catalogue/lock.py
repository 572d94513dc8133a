"""One lock per catalogue file, so two runs never harvest into it at once.

An OS-level lock (``filelock``: ``flock`` on POSIX) on ``<catalogue>.lock``: the
kernel releases it when the holding process dies, even by ``kill -9``, so a
crashed run never leaves the catalogue locked. Beside it, ``<catalogue>.lock.json``
names the holder (pid, host, command, since) so the second run can say who is
working; that note is only informative and may be stale, the lock is the truth.

``wait`` (``--lock-wait SECONDS``): when another run holds the lock, wait up to that
long for it (polling, so Ctrl-C and SIGTERM still stop the wait), then give up with
:class:`CatalogueLockedError` as without a wait. A cron run that starts while the
previous one still works thus follows it instead of failing at once.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from satudata_cli.catalogue import access
from satudata_cli.catalogue.errors import CatalogueLockedError
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M

logger = logging.getLogger("satudata.catalogue")


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int | None
    host: str | None
    command: str | None
    since: str | None

    def describe(self) -> Message:
        if self.pid is None:
            return M.lock_another_run
        text = M.lock_process.format(pid=self.pid)
        if self.host:
            text += M.lock_on_host.format(host=self.host)
        if self.command:
            text += f" ({self.command})"
        if self.since:
            text += M.lock_since.format(since=self.since)
        return text


class CatalogueLock:
    """``with CatalogueLock(db_path, command="satudata harvest"):`` or CatalogueLockedError."""

    def __init__(self, catalogue: Path, *, command: str | None = None, wait: float = 0.0) -> None:
        self.catalogue = Path(catalogue)
        self.path = Path(f"{catalogue}.lock")
        self.info_path = Path(f"{catalogue}.lock.json")
        self.command = command or " ".join(Path(sys.argv[0]).name.split()[:1] + sys.argv[1:2])
        self.wait = max(0.0, wait)
        self._lock = FileLock(str(self.path), timeout=0)

    def holder(self) -> Holder:
        try:
            data = json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Holder(None, None, None, None)
        if not isinstance(data, dict):
            return Holder(None, None, None, None)
        pid = data.get("pid")
        return Holder(
            pid if isinstance(pid, int) else None,
            str(data.get("host") or "") or None,
            str(data.get("command") or "") or None,
            str(data.get("since") or "") or None,
        )

    def acquire(self) -> None:
        self._check_access()
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            if self.wait <= 0:
                raise CatalogueLockedError(
                    M.err_lock_held.format(
                        path=self.path.with_suffix(""), holder=self.holder().describe()
                    )
                ) from None
            self._wait_for_it()
        except OSError as exc:
            raise access.lock_not_writable(self.catalogue, self.path, exc) from exc
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        tmp = self.info_path.with_name(self.info_path.name + f".{os.getpid()}")
        try:
            tmp.write_text(json.dumps(info), encoding="utf-8")
            tmp.replace(self.info_path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self._lock.release()
            folder = self.info_path.parent if str(self.info_path.parent) else Path()
            raise access.folder_not_writable(self.catalogue, folder, exc) from exc

    def _check_access(self) -> None:
        """Refuse, with the reason, a lock that cannot be created or written, and a
        catalogue file that cannot be written.

        filelock reads some of these failures as "held by another process" (a lock file
        that cannot be created in an existing folder) and raises the others as a bare
        ``OSError``; open the lock file ourselves first so each gets its own message.
        """
        if self.catalogue.is_dir():
            raise access.is_folder(self.catalogue)
        access.make_folder(self.catalogue)
        existed = self.path.exists()
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if existed:
                raise access.lock_not_writable(self.catalogue, self.path, exc) from exc
            folder = self.path.parent if str(self.path.parent) else Path()
            raise access.folder_not_writable(self.catalogue, folder, exc) from exc
        os.close(fd)
        # whoever takes the lock writes the catalogue: refuse a read-only one now, before
        # a harvest fetches or a publish changes the portal for nothing
        if self.catalogue.exists():
            try:
                fd = os.open(self.catalogue, os.O_RDWR)
            except OSError as exc:
                raise access.file_not_writable(self.catalogue, exc) from exc
            os.close(fd)

    def _wait_for_it(self) -> None:
        holder = self.holder().describe()
        logger.info(
            M.log_lock_waiting.format(
                path=self.path.with_suffix(""), holder=holder, seconds=f"{self.wait:g}"
            ),
            extra={"event": "lock_waiting", "holder": holder.en, "lock_wait": self.wait},
        )
        try:
            self._lock.acquire(timeout=self.wait, poll_interval=0.1)
        except Timeout:
            raise CatalogueLockedError(
                M.err_lock_still_held.format(
                    path=self.path.with_suffix(""),
                    holder=self.holder().describe(),
                    seconds=f"{self.wait:g}",
                )
            ) from None

    def release(self) -> None:
        if self._lock.is_locked:
            self.info_path.unlink(missing_ok=True)
            self._lock.release()

    def __enter__(self) -> CatalogueLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
