"""``satudata`` as a real process, for tests that signal it, lock against it or read
its stderr line by line.

Waiting is done by polling with deadlines (:func:`wait_for`), never by a fixed sleep;
the catalogue is read on a read-only connection (:func:`query`).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60.0  # generous: the machine may be loaded; tests normally take a few seconds


def satudata_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The test's environment without SATUDATA_ settings, with this checkout importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


def start_satudata(
    db: Path, cfg: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.Popen[str]:
    """``python -m satudata_cli --db DB --config-dir CFG ARGS...`` in its own session."""
    return subprocess.Popen(
        [sys.executable, "-m", "satudata_cli", "--db", str(db), "--config-dir", str(cfg), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=satudata_env(env),
        cwd=db.parent,
        start_new_session=True,
    )


def finish(proc: subprocess.Popen[str], timeout: float = DEADLINE) -> tuple[int, str, str]:
    """Exit code, stdout and stderr; fails the test if it does not end in time or
    printed a traceback."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"satudata did not finish within {timeout} s; stderr: {err}")
    assert "Traceback" not in out + err, err
    return proc.returncode, out, err


def wait_for(
    what: str, predicate: Callable[[], bool], proc: subprocess.Popen[str] | None = None
) -> None:
    deadline = time.monotonic() + DEADLINE
    while not predicate():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"satudata ended (exit {proc.returncode}) before {what}: {err}{out}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]] | None:
    """Rows of ``sql`` on a read-only connection; None while the file or table is not there."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()
