"""``satudata publish`` as a real process, stopped mid-run by Ctrl-C, SIGTERM and SIGHUP.

The portal is :class:`~tests.helpers.fake_portal.FakePortal` on 127.0.0.1, slow enough
(each package_create takes a while) to stop the run half-way. After the stop: the exit
code is 130 / 143 / 129, the catalogue passes ``integrity_check``, the lock is
released, and the publish state records exactly the packages the portal created (the
calls under way when the signal came were let finish and recorded), so the next run
creates the rest and nothing twice.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.helpers.cli import Cli, write_source
from tests.helpers.fake_portal import FakePortal
from tests.helpers.process import finish, integrity, query, start_satudata, wait_for
from tests.helpers.records import make_record

TOTAL = 24
TOKEN = {"TEST_PORTAL_TOKEN": "secret-token-for-tests"}


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    with FakePortal() as fake:
        yield fake


@pytest.fixture
def cli(tmp_path: Path, portal: FakePortal) -> Cli:
    """A harvested catalogue of TOTAL valid records and a target on the fake portal."""
    cfg = tmp_path / "cfg"
    data = cfg / "data"
    data.mkdir(parents=True)
    records = [make_record(i) for i in range(TOTAL)]
    (data / "records.json").write_text(json.dumps(records), encoding="utf-8")
    write_source(cfg, "dinkes", type="directory", path="data")
    (cfg / "targets").mkdir()
    target = {
        "id": "portal",
        "type": "ckan",
        "url": portal.url,
        "token_env": "TEST_PORTAL_TOKEN",
        "http": {"concurrency": 2, "retries": 0},
    }
    (cfg / "targets" / "portal.yaml").write_text(yaml.safe_dump(target), encoding="utf-8")
    cli = Cli(tmp_path / "satudata.db", cfg)
    harvested = cli("harvest", "--all")
    assert harvested.exit_code == 0, harvested.stderr
    return cli


def published(db: Path) -> set[str]:
    rows = query(db, "SELECT remote_name FROM publish_state WHERE published_at IS NOT NULL")
    return {name for (name,) in rows or []}


@pytest.mark.parametrize(
    ("stop", "exit_code", "named"),
    [
        pytest.param(signal.SIGINT, 130, "Ctrl-C", id="SIGINT"),
        pytest.param(signal.SIGTERM, 143, "SIGTERM", id="SIGTERM"),
        pytest.param(signal.SIGHUP, 129, "SIGHUP", id="SIGHUP"),
    ],
)
def test_a_stop_mid_publish_keeps_the_state_true_to_the_portal(
    cli: Cli, portal: FakePortal, stop: signal.Signals, exit_code: int, named: str
) -> None:
    portal.slow_seconds = 0.4
    proc = start_satudata(
        cli.db, cli.cfg, "--log-format", "json", "publish", "portal", "--json", env=TOKEN
    )
    try:
        wait_for("the first published dataset", lambda: len(published(cli.db)) > 0, proc)
    finally:
        proc.send_signal(stop)
    code, out, err = finish(proc)
    assert code == exit_code, err
    assert out == ""  # no report of a run that did not end
    lines = [json.loads(line) for line in err.splitlines()]
    [stopped] = [p for p in lines if p["event"] == "interrupted"]
    assert stopped["message"] == f"satudata: interrupted ({named})"
    assert stopped["exit_code"] == exit_code
    assert integrity(cli.db) == "ok"
    assert not Path(f"{cli.db}.lock.json").exists()  # the lock was released

    done = published(cli.db)
    assert 0 < len(done) < TOTAL, "the run was not stopped half-way"
    # every package the portal created is in the publish state, and nothing else is
    assert done == set(portal.created)

    portal.slow_seconds = 0.0
    code, out, err = finish(
        start_satudata(cli.db, cli.cfg, "publish", "portal", "--json", env=TOKEN)
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["created"] == TOTAL - len(done)
    assert report["unchanged"] == len(done)
    assert len(portal.created) == len(set(portal.created)) == TOTAL  # nothing twice
    assert published(cli.db) == set(portal.created)
