"""Defect 10: a catalogue that cannot be written (or read) is a clear error, never exit 70.

Tests run as root, and root ignores file modes, so the faults are made the way they
really happen to root: an immutable folder or file (``chattr +i``: even root gets
EPERM), a read-only bind mount (EROFS), a folder the kernel takes no files in
(``/proc``, ``/sys``), a file in place of a folder, a folder in place of the file.

Every command that opens the catalogue is found in the typer app and must be listed
in COMMANDS below (with arguments that succeed on a healthy catalogue), so a new
command cannot escape these cases.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import Result

from satudata_cli.cli import app
from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.records import make_record

ROOT = Path(__file__).resolve().parents[2]

WRITER = "writer"  # writes the catalogue (takes the lock)
READER = "reader"  # only reads it

#: where ``report site`` writes (outside the catalogue's folder; removed after the module)
SITE = Path(tempfile.gettempdir()) / f"satudata-faults-{os.getpid()}" / "situs"
#: the Daftar Data ``report realisasi`` reads (written by the module fixture)
PLAN = SITE.parent / "daftar-data.csv"

# command -> (kind, arguments that succeed on the harvested catalogue); None: it never
# opens the catalogue
COMMANDS: dict[tuple[str, ...], tuple[str, tuple[str, ...]] | None] = {
    ("validate",): (READER, ("--catalog",)),
    ("harvest",): (WRITER, ("--all",)),
    ("publish",): (WRITER, ("portal",)),
    ("sources", "list"): (READER, ()),
    ("sources", "check"): None,
    ("catalog", "list"): (READER, ()),
    ("catalog", "search"): (READER, ("puskesmas",)),
    ("catalog", "show"): (READER, ("1",)),
    ("catalog", "stats"): (READER, ()),
    ("catalog", "export"): (READER, ("--format", "jsonl")),
    ("jobs", "list"): (READER, ()),
    ("jobs", "show"): (READER, ("1",)),
    ("jobs", "prune"): (WRITER, ("--older-than", "1d")),
    ("schema", "show"): None,
    ("schema", "export"): None,
    ("report", "compliance"): (READER, ()),
    ("report", "freshness"): (READER, ()),
    ("report", "site"): (READER, (str(SITE),)),
    ("report", "trend"): (READER, ()),
    ("report", "changes"): (READER, ()),
    ("report", "links"): (READER, ()),
    ("report", "realisasi"): (READER, ("--plan", str(PLAN))),
    ("catalog", "datasette-metadata"): (READER, ()),
    ("links", "check"): (WRITER, ("--max-age", "0")),
    ("init",): None,
    ("info",): None,  # reports the catalogue's state and exits 0: test_info_names_the_problem
}
# a dry run reads the catalogue to compare: it must refuse a broken one as a whole
EXTRA: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = {
    ("harvest", "--dry-run"): (READER, ("--all", "--dry-run")),
    ("publish", "--dry-run"): (READER, ("portal", "--dry-run")),
    ("links", "check", "--dry-run"): (READER, ("--dry-run",)),
}


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield path
        return
    for name, sub in sorted(subcommands.items()):
        yield from _leaves(sub, (*path, name))


ALL = {**{p: v for p, v in COMMANDS.items() if v is not None}, **EXTRA}
WRITERS = [p for p, (kind, _) in ALL.items() if kind == WRITER]


@pytest.fixture(scope="module", autouse=True)
def _remove_site() -> Iterator[None]:
    PLAN.parent.mkdir(parents=True, exist_ok=True)
    PLAN.write_text(
        "Perangkat Daerah,Judul Data,Frekuensi,Tahun\n"
        "Dinas Kesehatan,Data Puskesmas,tahunan,2026\n",
        encoding="utf-8",
    )
    yield
    shutil.rmtree(SITE.parent, ignore_errors=True)


def _id(path: tuple[str, ...]) -> str:
    return " ".join(path)


def test_every_command_is_listed() -> None:
    found = set(_leaves(typer.main.get_command(app)))
    assert len(found) >= 15
    assert found == set(COMMANDS), (found ^ set(COMMANDS), "list them in COMMANDS")


# ------------------------------------------------------------------- the setting


class _Portal(BaseHTTPRequestHandler):
    """Enough of a logged-in CKAN for publish's preflight (it comes before the lock)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"success": True, "result": {"name": "tester"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def portal() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Immutable:
    """``chattr +i`` on paths, undone at the end (else tmp_path cannot be removed)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def __call__(self, *paths: Path) -> None:
        for path in paths:
            subprocess.run(["chattr", "+i", str(path)], check=True)
            self.paths.append(path)
            # the premise: even root cannot write there now
            probe = path / ".probe" if path.is_dir() else path
            with pytest.raises(PermissionError):
                probe.open("ab").close()

    def undo(self) -> None:
        for path in reversed(self.paths):
            subprocess.run(["chattr", "-i", str(path)], check=False)


@pytest.fixture
def immutable() -> Iterator[Immutable]:
    marks = Immutable()
    try:
        yield marks
    finally:
        marks.undo()


@pytest.fixture
def home(tmp_path: Path, portal: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A configuration and a harvested catalogue in tmp_path/db/satudata.db."""
    cfg = tmp_path / "cfg"
    data = cfg / "data"
    data.mkdir(parents=True)
    (data / "records.json").write_text(
        json.dumps([make_record(i) for i in range(3)]), encoding="utf-8"
    )
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data")
    (cfg / "targets").mkdir()
    target = {"id": "portal", "type": "ckan", "url": portal, "token_env": "TEST_PORTAL_TOKEN"}
    (cfg / "targets" / "portal.yaml").write_text(yaml.safe_dump(target), encoding="utf-8")
    monkeypatch.setenv("TEST_PORTAL_TOKEN", "secret-token")
    cli = Cli(tmp_path / "db" / "satudata.db", cfg)
    assert cli("harvest", "--all").exit_code == 0
    return cli


def _run(cli: Cli, path: tuple[str, ...], db: Path | None = None, **kw: Any) -> Result:
    _kind, args = ALL[path]
    command = tuple(p for p in path if not p.startswith("--"))
    runner = Cli(db or cli.db, cli.cfg)
    return runner(*command, *args, **kw)


def _refused(result: Result, *phrases: str) -> str:
    """Exit 2 with one clear ``satudata: error:`` message (``satudata: galat:`` in
    Indonesian) containing the phrases."""
    text = squash(result.stderr)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert text.startswith(("satudata: error:", "satudata: galat:")), result.stderr
    assert "internal error" not in text and "Traceback" not in text
    assert "Error" not in text  # no exception class names (PermissionError, OSError)
    for phrase in phrases:
        assert phrase in text, (phrase, text)
    return text


def _snapshot(db: Path) -> bytes:
    return db.read_bytes()


# ----------------------------------------------------------------------- cases


@pytest.mark.parametrize("path", list(ALL), ids=_id)
def test_catalogue_folder_cannot_be_written(
    home: Cli, immutable: Immutable, path: tuple[str, ...]
) -> None:
    """defect 10: the catalogue's folder cannot be written (chattr +i: EPERM even for
    root). SQLite must create -wal/-shm there even to read, so every command that opens
    the catalogue refuses with the folder named; the catalogue is left as it was."""
    before = _snapshot(home.db)
    immutable(home.db.parent)
    text = _refused(_run(home, path), f"its folder {home.db.parent} cannot be written")
    assert "--db" in text
    assert _snapshot(home.db) == before


@pytest.mark.parametrize("path", list(ALL), ids=_id)
def test_catalogue_file_is_read_only(
    home: Cli, immutable: Immutable, path: tuple[str, ...]
) -> None:
    """defect 10: the catalogue file itself is read-only (chattr +i): commands that only
    read it work as before; commands that write it exit 2 naming the file."""
    before = _snapshot(home.db)
    immutable(home.db)
    result = _run(home, path)
    if ALL[path][0] == READER:
        assert result.exit_code == 0, result.stderr
    else:
        _refused(result, f"cannot write the catalogue {home.db}: the file cannot be written")
    assert _snapshot(home.db) == before


@pytest.mark.parametrize("path", list(ALL), ids=_id)
def test_catalogue_path_is_a_folder(home: Cli, path: tuple[str, ...]) -> None:
    """defect 10: --db names a folder: every command says so, exit 2."""
    _refused(_run(home, path, db=home.db.parent), "is a folder, not a file")


@pytest.mark.parametrize("path", WRITERS, ids=_id)
def test_lock_file_cannot_be_written(
    home: Cli, immutable: Immutable, path: tuple[str, ...]
) -> None:
    """defect 10: the lock file beside the catalogue is read-only: writers name it
    (filelock used to take this for a lock held by another run: exit 4)."""
    lock = Path(f"{home.db}.lock")
    lock.touch()
    immutable(lock)
    _refused(_run(home, path), f"its lock file {lock} cannot be written")


def _new_catalogue_places(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    return {
        # the kernel takes no new files in /proc (ENOENT) or /sys (EACCES)
        "proc": (Path(f"/proc/satudata-{secrets.token_hex(4)}.db"), "its folder /proc"),
        "sys": (Path("/sys/satudata.db"), "its folder /sys cannot be written"),
        "proc-subfolder": (
            Path(f"/proc/satudata-{secrets.token_hex(4)}/satu.db"),
            "cannot create the folder",
        ),
        "file-as-folder": (a_file / "satu.db", "a part of the path is a file, not a folder"),
        "immutable-folder": (tmp_path / "frozen" / "satu.db", "cannot be written"),
    }


@pytest.mark.parametrize(
    "place", ["proc", "sys", "proc-subfolder", "file-as-folder", "immutable-folder"]
)
def test_new_catalogue_cannot_be_created(
    home: Cli, immutable: Immutable, tmp_path: Path, place: str
) -> None:
    """defect 10: the harvest's new catalogue cannot be created there: exit 2 with the
    reason (was exit 70 "internal error: PermissionError" / FileNotFoundError /
    FileExistsError, or exit 4 "in use by another run" for /proc)."""
    db, phrase = _new_catalogue_places(tmp_path)[place]
    if place == "immutable-folder":
        db.parent.mkdir()
        immutable(db.parent)
    result = home("--db", str(db), "harvest", "--all")
    _refused(result, phrase)
    assert not db.exists()


def test_read_only_mount(home: Cli, tmp_path: Path) -> None:
    """defect 10: the catalogue on a read-only bind mount (EROFS): readers and writers
    both exit 2 naming the read-only file system, in English and in Indonesian."""
    mount = tmp_path / "ro"
    mount.mkdir()
    subprocess.run(["mount", "--bind", "-o", "ro", str(home.db.parent), str(mount)], check=True)
    try:
        db = mount / home.db.name
        for path in (("harvest",), ("catalog", "list")):
            _refused(_run(home, path, db=db), "the file system is read-only")
        result = Cli(db, home.cfg)("catalog", "list", env={"LANG": "id_ID.UTF-8"})
        _refused(result, "sistem berkasnya hanya-baca", "tidak dapat ditulisi")
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("path", [("harvest",), ("catalog", "list"), ("report", "compliance")])
def test_message_in_indonesian(home: Cli, immutable: Immutable, path: tuple[str, ...]) -> None:
    """defect 10: the message follows the language (LANG=id_ID, or --lang id where the
    command has it)."""
    immutable(home.db.parent)
    env = {"LANG": "id_ID.UTF-8"}
    text = _refused(_run(home, path, env=env), f"katalog {home.db}", "tidak dapat ditulisi")
    assert "cannot" not in text


def test_info_names_the_problem(home: Cli, immutable: Immutable) -> None:
    """defect 10 in ``satudata info``, which shows the katalog's state and exits 0: the
    folder that cannot be written is named there, not a bare SQLite error."""
    immutable(home.db.parent)
    result = home("info", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "cannot be written" in result.stdout and "unable to open" not in result.stdout


def test_subprocess_exits_2_without_traceback(home: Cli, immutable: Immutable) -> None:
    """defect 10 through the installed entry point (the in-process runner bypasses
    ``main()``'s last-resort handler): exit 2, one line, no traceback."""
    immutable(home.db.parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    for args in (["harvest", "--all"], ["catalog", "stats"]):
        argv = ["--db", str(home.db), "--config-dir", str(home.cfg), *args]
        proc = subprocess.run(
            [sys.executable, "-m", "satudata_cli", *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("satudata: error:"), proc.stderr
        assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


# ================================================== what held in issue 16, kept held


def _datasets(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT remote_id, content_hash, status FROM datasets ORDER BY 1")
        return [tuple(row) for row in rows]
    finally:
        conn.close()


def test_disk_full_keeps_the_old_data(home: Cli, tmp_path: Path) -> None:
    """The disk fills up during a harvest (a 3 MB tmpfs): the source fails with a clear
    message, nothing stored before is lost or withdrawn, the file stays sound."""
    disk = tmp_path / "small-disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], check=True)
    try:
        db = disk / "katalog.db"
        shutil.copy(home.db, db)
        before = _datasets(db)
        big = home.cfg / "data" / "big.json"
        records = [make_record(i, notes="Catatan panjang. " * 400) for i in range(10, 810)]
        big.write_text(json.dumps(records), encoding="utf-8")
        result = Cli(db, home.cfg)("harvest", "--all")
        text = squash(result.stderr)
        assert result.exit_code == 5, (result.exit_code, text)
        assert "full" in text.lower(), text
        assert "internal error" not in text
        assert _datasets(db) == before
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_truncated_catalogue_is_a_clear_error(home: Cli) -> None:
    """A catalogue cut in half (a copy that stopped): every reader says so, exit 2."""
    data = home.db.read_bytes()
    home.db.write_bytes(data[: len(data) // 2])
    for path in (("catalog", "list"), ("report", "compliance"), ("harvest",)):
        result = _run(home, path)
        text = squash(result.stderr)
        assert result.exit_code == 2, (path, text)
        assert "damaged" in text or "not a satudata catalogue" in text, text
        assert "internal error" not in text


def test_readers_during_a_harvest_never_meet_a_lock(tmp_path: Path) -> None:
    """Readers (catalog list, search, stats, jobs list, report) run over and over
    while a harvest writes: each exits 0, none says "database is locked"."""
    from tests.helpers.ckan_fixture import CkanFixture, make_packages

    with CkanFixture(make_packages(2500, seed=5)) as portal:
        portal.max_rows = 250
        portal.slow_seconds = 0.6
        cfg = tmp_path / "cfg"
        write_source(cfg, "portal", type="ckan", url=portal.url, organization="Kota Medan")
        db = tmp_path / "katalog.db"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
        env["PYTHONPATH"] = str(ROOT)
        base = [sys.executable, "-m", "satudata_cli", "--db", str(db), "--config-dir", str(cfg)]
        harvest = subprocess.Popen([*base, "harvest", "--all"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        readers = [
            ["catalog", "list", "--limit", "5"],
            ["catalog", "search", "jumlah", "--limit", "5"],
            ["catalog", "stats"],
            ["jobs", "list"],
            ["report", "compliance", "--format", "json"],
        ]
        runs = 0
        try:
            while not db.exists() and harvest.poll() is None:
                time.sleep(0.01)
            while harvest.poll() is None and runs < 40:
                args = readers[runs % len(readers)]
                done = subprocess.run([*base, *args], env=env, capture_output=True, text=True,
                                      timeout=120, check=False)  # fmt: skip
                runs += 1
                assert "locked" not in done.stderr.lower(), (args, done.stderr)
                assert "Traceback" not in done.stderr
                # a report before the first batch is stored finds nothing yet (5)
                assert done.returncode in (0, 5), (args, done.returncode, done.stderr)
        finally:
            _, err = harvest.communicate(timeout=300)
        assert harvest.returncode == 0, err
        assert runs >= len(readers), "the harvest ended before the readers ran"
