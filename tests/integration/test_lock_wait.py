"""``--lock-wait SECONDS``: a run that meets the catalogue lock waits for it.

Another process holds the lock (``CatalogueLock``, as a running harvest does): a
harvest with ``--lock-wait`` logs that it waits, does nothing meanwhile, and runs as
soon as the holder releases the lock; with a wait too short it exits 4 naming the
holder, as without one. ``publish`` takes the same option.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.fake_portal import FakePortal
from tests.helpers.process import (
    finish,
    query,
    satudata_env,
    start_satudata,
)
from tests.helpers.records import make_record

HOLD = """
import sys
from pathlib import Path
from satudata_cli.catalogue.lock import CatalogueLock

lock = CatalogueLock(Path(sys.argv[1]), command="satudata harvest --all")
lock.acquire()
print("held", flush=True)
sys.stdin.readline()  # until the test says so
lock.release()
print("released", flush=True)
"""


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cfg = tmp_path / "cfg"
    (cfg / "data").mkdir(parents=True)
    (cfg / "data" / "r.json").write_text(json.dumps(make_record(1)), encoding="utf-8")
    write_source(cfg, "dinkes", type="directory", path="data")
    return Cli(tmp_path / "satudata.db", cfg)


@pytest.fixture
def holder(cli: Cli) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the catalogue lock until a line on its stdin."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(cli.db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=satudata_env(),
    )
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


def release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()
    assert proc.stdout.readline() == "released\n"


def test_harvest_waits_for_the_lock_then_runs(cli: Cli, holder: subprocess.Popen[str]) -> None:
    proc = start_satudata(
        cli.db,
        cli.cfg,
        "--log-format",
        "json",
        "-v",
        "harvest",
        "--all",
        "--json",
        "--lock-wait",
        "120",
    )
    assert proc.stderr is not None
    # it says that it waits, and for whom (read line by line as it writes them)
    waiting = json.loads(proc.stderr.readline())
    assert waiting["event"] == "lock_waiting", waiting
    assert waiting["lock_wait"] == 120
    assert f"process {holder.pid}" in waiting["holder"]
    assert query(cli.db, "SELECT count(*) FROM harvest_jobs") in (None, [(0,)])  # no job yet
    assert proc.poll() is None  # still waiting

    release(holder)
    code, out, err = finish(proc)
    assert code == 0, err
    [outcome] = json.loads(out)
    assert (outcome["status"], outcome["added"]) == ("finished", 1)
    assert query(cli.db, "SELECT status FROM harvest_jobs") == [("finished",)]


def test_harvest_gives_up_after_the_wait(cli: Cli, holder: subprocess.Popen[str]) -> None:
    code, out, err = finish(
        start_satudata(cli.db, cli.cfg, "harvest", "--all", "--lock-wait", "0.3")
    )
    assert code == 4, err
    text = squash(err)
    assert f"still in use by process {holder.pid}" in text
    assert "after waiting 0.3 s (--lock-wait)" in text
    assert out == ""
    # the same without waiting: refused at once, with the old message
    code, _out, err = finish(start_satudata(cli.db, cli.cfg, "harvest", "--all"))
    assert code == 4 and "is in use by" in squash(err)


def test_publish_waits_too(cli: Cli, tmp_path: Path) -> None:
    assert cli("harvest", "--all").exit_code == 0
    with FakePortal() as portal:
        (cli.cfg / "targets").mkdir()
        target = {"id": "portal", "type": "ckan", "url": portal.url, "token_env": "TEST_TOKEN"}
        (cli.cfg / "targets" / "portal.yaml").write_text(yaml.safe_dump(target), "utf-8")
        env = {"TEST_TOKEN": "secret"}
        hold = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(cli.db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=satudata_env(),
        )
        try:
            assert hold.stdout is not None and hold.stdout.readline() == "held\n"
            code, _out, err = finish(
                start_satudata(
                    cli.db,
                    cli.cfg,
                    "--log-format",
                    "json",
                    "publish",
                    "portal",
                    "--lock-wait",
                    "0.2",
                    env=env,
                )
            )
            assert code == 4, err
            [line] = [json.loads(x) for x in err.splitlines()]
            assert line["event"] == "catalogue_locked_error"
            assert "after waiting 0.2 s" in line["error"]

            waiting = start_satudata(
                cli.db,
                cli.cfg,
                "--log-format",
                "json",
                "-v",
                "publish",
                "portal",
                "--json",
                "--lock-wait",
                "120",
                env=env,
            )
            assert waiting.stderr is not None
            events = []
            while not events or events[-1] != "lock_waiting":
                line = waiting.stderr.readline()
                assert line, "publish ended without waiting for the lock"
                events.append(json.loads(line)["event"])
            release(hold)
            code, out, err = finish(waiting)
            assert code == 0, err
            assert json.loads(out)["created"] == 1
            [finished] = [json.loads(x) for x in err.splitlines()]
            assert finished["event"] == "publish_finished" and finished["target"] == "portal"
            assert (finished["created"], finished["failed"]) == (1, 0)
            assert portal.created == [make_record(1)["name"]]
        finally:
            if hold.poll() is None:
                hold.kill()
            hold.communicate()
