"""The harvest as a real process: the lock, kill -9 mid-harvest, Ctrl-C, SIGTERM, SIGHUP.

Each test runs ``python -m satudata_cli --db DB --config-dir CFG harvest ...`` as a
subprocess against a source slow enough to interrupt: the CKAN fixture server (in this
process, 3,000 packages) answering each request after ``slow_seconds``. Waiting is done
by polling with deadlines (the lock's ``.lock.json``, ``SELECT count(*) FROM datasets``
on a read-only connection), never by a fixed sleep.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.process import finish, integrity, query, start_satudata, wait_for

Rows = list[tuple[str, str, str, str]]


# ------------------------------------------------------------------------ the slow source


@dataclass
class SlowSource:
    """Configuration folders over the CKAN fixture, and a way to make it slow or fast.

    ``cfg`` holds one source; ``cfg_two`` two sources over the same portal (``a``, ``b``).
    Slow: every request takes a second (3,000 packages are three pages of 1,000).
    """

    cfg: Path
    cfg_two: Path
    total: int
    slow: Callable[[], None]
    fast: Callable[[], None]


def _write(cfg: Path, source_id: str, fields: dict[str, Any]) -> None:
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / f"{source_id}.yaml").write_text(
        yaml.safe_dump({"id": source_id, **fields}), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def slow_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlowSource]:
    base = tmp_path_factory.mktemp("process")
    cfg, cfg_two = base / "one", base / "two"
    total = 3_000
    with CkanFixture(datasets=make_packages(total, seed=11), record_requests=False) as ckan:
        fields = {
            "type": "ckan",
            "url": ckan.url,
            "mapping": {"frekuensi_penerbitan": "jadwal_pemutakhiran"},
            "http": {"timeout": 30, "requests_per_second": 1000},
        }
        _write(cfg, "ckan-medan", fields)
        _write(cfg_two, "a", fields)
        _write(cfg_two, "b", fields)

        def slow() -> None:
            ckan.slow_seconds = 1.0

        def fast() -> None:
            ckan.slow_seconds = 0.0

        yield SlowSource(cfg, cfg_two, total, slow, fast)


# ------------------------------------------------------------------------ helpers


def start(db: Path, cfg: Path, *args: str, before: tuple[str, ...] = ()) -> subprocess.Popen[str]:
    """``satudata [BEFORE...] harvest ARGS...`` on this catalogue and config folder."""
    return start_satudata(db, cfg, *before, "harvest", *args)


def run(db: Path, cfg: Path, *args: str) -> tuple[int, str, str]:
    return finish(start(db, cfg, *args))


def stored_count(db: Path) -> int:
    result = query(db, "SELECT count(*) FROM datasets")
    return int(result[0][0]) if result else 0


def final_rows(db: Path) -> Rows:
    result = query(
        db,
        "SELECT source_id, remote_id, content_hash, status FROM datasets "
        "ORDER BY source_id, remote_id",
    )
    assert result is not None
    return [tuple(r) for r in result]  # type: ignore[misc]


def holder(lock_info: Path) -> int | None:
    """The pid in the lock's note, None while there is none."""
    try:
        data = json.loads(lock_info.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("pid") if isinstance(data, dict) else None


def jobs(db: Path) -> list[tuple[int, str]]:
    result = query(db, "SELECT id, status FROM harvest_jobs ORDER BY id")
    assert result is not None
    return [(int(r[0]), str(r[1])) for r in result]


@pytest.fixture(scope="module")
def reference(slow_source: SlowSource, tmp_path_factory: pytest.TempPathFactory) -> Rows:
    """The datasets table after one uninterrupted harvest into a fresh catalogue."""
    slow_source.fast()
    db = tmp_path_factory.mktemp("reference") / "satudata.db"
    code, out, err = run(db, slow_source.cfg, "--all", "--json")
    assert code == 0, err
    [outcome] = json.loads(out)
    assert outcome["added"] == slow_source.total
    rows = final_rows(db)
    assert len(rows) == slow_source.total
    assert integrity(db) == "ok"
    return rows


@pytest.fixture
def db(tmp_path: Path, slow_source: SlowSource) -> Iterator[Path]:
    slow_source.slow()
    yield tmp_path / "satudata.db"
    slow_source.fast()


# ------------------------------------------------------------------------ the tests


def test_second_run_exits_4_while_the_first_holds_the_lock(
    db: Path, slow_source: SlowSource
) -> None:
    lock_info = Path(f"{db}.lock.json")
    first = start(db, slow_source.cfg, "--all")
    try:
        wait_for(
            "the lock note naming the first run", lambda: holder(lock_info) == first.pid, first
        )
        code, out, err = run(db, slow_source.cfg, "--all")
        # refused while the first still works (exit 4, not a wait for the lock)
        assert code == 4, err
        flat = " ".join(err.split())
        assert "in use" in flat
        assert f"process {first.pid}" in flat
        assert "satudata harvest" in flat  # the holder's command
        assert out == ""
    finally:
        first.send_signal(signal.SIGINT)
        first_code, _out, first_err = finish(first)
    assert first_code in (0, 130), first_err
    # the refused run changed nothing: only the first run's job exists
    assert [status for _, status in jobs(db)] in (["interrupted"], ["finished"])


def test_kill_9_mid_harvest_then_rerun_matches_an_uninterrupted_run(
    db: Path, slow_source: SlowSource, reference: Rows
) -> None:
    victim = start(db, slow_source.cfg, "--all", "--json")
    try:
        wait_for("the first committed rows", lambda: stored_count(db) > 0, victim)
    finally:
        victim.kill()
        victim.communicate()
    assert victim.returncode == -signal.SIGKILL
    killed_at = stored_count(db)
    assert 0 < killed_at < slow_source.total, "the harvest was not interrupted midway"
    [(killed_job, status)] = jobs(db)
    assert status == "running"
    assert integrity(db) == "ok"

    slow_source.fast()
    code, out, err = run(db, slow_source.cfg, "--all", "--json")
    assert code == 0, err
    [outcome] = json.loads(out)
    assert outcome["status"] == "finished"
    assert outcome["added"] + outcome["unchanged"] + outcome["updated"] == slow_source.total
    assert outcome["added"] == slow_source.total - killed_at
    assert "interrupted" in err and str(killed_job) in err
    assert dict(jobs(db))[killed_job] == "interrupted"
    assert integrity(db) == "ok"
    assert final_rows(db) == reference
    assert query(db, "SELECT count(*) FROM harvest_jobs WHERE status = 'running'") == [(0,)]


STOPS = [
    pytest.param(signal.SIGINT, 130, "Ctrl-C", id="SIGINT"),
    pytest.param(signal.SIGTERM, 143, "SIGTERM", id="SIGTERM"),
    pytest.param(signal.SIGHUP, 129, "SIGHUP", id="SIGHUP"),
]


@pytest.mark.parametrize(("stop", "exit_code", "named"), STOPS)
def test_a_stop_mid_harvest_rolls_back_and_marks_the_job(
    db: Path,
    slow_source: SlowSource,
    reference: Rows,
    stop: signal.Signals,
    exit_code: int,
    named: str,
) -> None:
    """Ctrl-C, SIGTERM (timeout, systemd, docker stop) and SIGHUP alike: the open batch
    rolled back, the job marked interrupted with the signal's name, the lock released,
    exit 130 / 143 / 129; the next run completes the catalogue."""
    proc = start(db, slow_source.cfg, "--all", "--json")
    try:
        wait_for("the first committed rows", lambda: stored_count(db) > 0, proc)
    finally:
        proc.send_signal(stop)
    code, out, err = finish(proc)
    assert code == exit_code, err
    assert f"interrupted ({named})" in err
    stored = stored_count(db)
    assert 0 < stored < slow_source.total
    [(job_id, status)] = jobs(db)
    assert status == "interrupted"
    [(error, added)] = query(db, f"SELECT error, added FROM harvest_jobs WHERE id = {job_id}") or [
        (None, None)
    ]
    assert error == f"interrupted ({named})"
    assert added == stored  # the counters show what was stored before the stop
    assert integrity(db) == "ok"
    assert not Path(f"{db}.lock.json").exists()  # released on the way out

    slow_source.fast()
    code, out, err = run(db, slow_source.cfg, "--all", "--json")
    assert code == 0, err
    [outcome] = json.loads(out)
    assert outcome["status"] == "finished"
    assert outcome["added"] == slow_source.total - stored
    assert integrity(db) == "ok"
    assert final_rows(db) == reference
    assert [status for _, status in jobs(db)] == ["interrupted", "finished"]


@pytest.mark.parametrize(("stop", "exit_code", "named"), STOPS)
def test_a_stop_with_two_sources_in_parallel(
    db: Path,
    slow_source: SlowSource,
    reference: Rows,
    stop: signal.Signals,
    exit_code: int,
    named: str,
) -> None:
    """The signal reaches the main thread while the workers harvest: both jobs end
    interrupted, naming the signal; with --log-format json every stderr line is one
    JSON object, the interrupted jobs' lines with their source and job id."""
    proc = start(
        db,
        slow_source.cfg_two,
        "--all",
        "--json",
        "--concurrency",
        "2",
        before=("--log-format", "json"),
    )
    try:
        wait_for("the first committed rows", lambda: stored_count(db) > 0, proc)
    finally:
        proc.send_signal(stop)
    code, _out, err = finish(proc)
    assert code == exit_code, err
    assert integrity(db) == "ok"
    statuses = [status for _, status in jobs(db)]
    assert "interrupted" in statuses
    assert "running" not in statuses
    errors = query(db, "SELECT error FROM harvest_jobs WHERE status = 'interrupted'") or []
    assert {e for (e,) in errors} == {f"interrupted ({named})"}
    lines = [json.loads(line) for line in err.splitlines()]
    [last] = [p for p in lines if p["event"] == "interrupted"]
    assert last["exit_code"] == exit_code and last["level"] == "error"
    stopped = [p for p in lines if p["event"] == "source_interrupted"]
    assert stopped and all(p["source"] in ("a", "b") and p["job_id"] for p in stopped)
    assert {p["job_id"] for p in stopped} == {
        job_id for job_id, status in jobs(db) if status == "interrupted"
    }

    slow_source.fast()
    code, out, err = run(db, slow_source.cfg_two, "--all", "--json", "--concurrency", "2")
    assert code == 0, err
    assert {o["status"] for o in json.loads(out)} == {"finished"}
    assert integrity(db) == "ok"
    rows = final_rows(db)
    expected = [row[1:] for row in reference]
    for source_id in ("a", "b"):
        assert [row[1:] for row in rows if row[0] == source_id] == expected


def test_kill_9_at_many_moments_never_corrupts(
    db: Path, slow_source: SlowSource, reference: Rows
) -> None:
    """Kills at moments spread over start-up, migration, paging and writing batches:
    fractions of how long one whole run takes on this machine (measured first, on a
    scratch catalogue), so the moments stay inside the run however fast it gets."""
    slow_source.fast()
    started = time.monotonic()
    code, _, err = run(db.with_name("timing.db"), slow_source.cfg, "--all", "--json")
    assert code == 0, err
    whole = time.monotonic() - started
    killed = 0
    for delay in (whole * f for f in (0.05, 0.2, 0.35, 0.5, 0.65, 0.8)):
        proc = start(db, slow_source.cfg, "--all", "--json")
        # any moment is a valid moment to die; this wait only spreads the moments out
        time.sleep(delay)
        proc.kill()
        proc.communicate()
        killed += proc.returncode == -signal.SIGKILL
        if db.exists():
            assert integrity(db) == "ok", f"after a kill at {delay:.2f} s of {whole:.2f} s"
    assert killed >= 3, "most runs should have been killed before they finished"
    code, out, err = run(db, slow_source.cfg, "--all", "--json")
    assert code == 0, err
    assert json.loads(out)[0]["status"] == "finished"
    assert integrity(db) == "ok"
    assert final_rows(db) == reference
    statuses = [status for _, status in jobs(db)]
    assert statuses[-1] == "finished"
    assert "running" not in statuses
