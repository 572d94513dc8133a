"""Schedules through the CLI: ``harvest`` without ids retries a failed source after its
retry delay, ``harvest --failed`` retries just those, ``sources list`` shows last
success, last status and next due.

Time passing is simulated by moving the jobs' ``started_at`` back in the catalogue (the
CLI reads the real clock)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.records import make_record


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """'good' (a folder with a record) and 'broken' (a folder that is not there), both
    daily; 'manual' is never due."""
    cfg = tmp_path / "cfg"
    for folder in ("good", "later"):
        (cfg / "data" / folder).mkdir(parents=True)
        (cfg / "data" / folder / "r.json").write_text(json.dumps(make_record(1)), encoding="utf-8")
    write_source(cfg, "good", type="directory", path="data/good", schedule="daily")
    write_source(cfg, "broken", type="directory", path="data/broken", schedule="daily")
    write_source(cfg, "manual", type="directory", path="data/good")
    return Cli(tmp_path / "satudata.db", cfg)


def listing(cli: Cli) -> dict[str, dict[str, Any]]:
    result = cli("sources", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


def parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def move_back(cli: Cli, source_id: str, delta: dt.timedelta) -> None:
    """As if the source's jobs had started ``delta`` earlier."""
    with sqlite3.connect(cli.db) as conn:
        rows = conn.execute(
            "SELECT id, started_at FROM harvest_jobs WHERE source_id = ?", (source_id,)
        ).fetchall()
        for job_id, started in rows:
            earlier = parse(started) - delta
            conn.execute(
                "UPDATE harvest_jobs SET started_at = ? WHERE id = ?",
                (earlier.strftime("%Y-%m-%dT%H:%M:%S.000Z"), job_id),
            )


def harvested(result: Any) -> dict[str, str]:
    return {o["source"]: o["status"] for o in json.loads(result.stdout)}


def test_a_failed_source_is_retried_after_its_delay_and_failed_retries_it(cli: Cli) -> None:
    first = cli("harvest", "--json")  # nothing harvested yet: both daily sources are due
    assert first.exit_code == 3, first.stderr
    assert harvested(first) == {"good": "finished", "broken": "failed"}

    rows = listing(cli)
    good, broken, manual = rows["good"], rows["broken"], rows["manual"]
    assert good["last_status"] == "finished" and good["last_success"] == good["last_job"]
    assert good["due"] is False and good["failures"] == 0
    assert abs(parse(good["next_due"]) - parse(good["last_job"]) - dt.timedelta(days=1)) < (
        dt.timedelta(seconds=1)
    )
    assert broken["last_status"] == "failed" and broken["last_success"] is None
    assert broken["failures"] == 1 and broken["due"] is False
    assert broken["schedule_retry"] == "1h"
    delay = parse(broken["next_due"]) - parse(broken["last_job"])
    assert abs(delay - dt.timedelta(hours=1)) < dt.timedelta(seconds=1)
    assert manual["next_due"] is None and manual["due"] is False and manual["last_job"] is None

    # an hour later (the next hourly cron run): the broken source alone is due again
    assert "No source is due" in squash(cli("harvest").stderr)
    move_back(cli, "broken", dt.timedelta(minutes=61))
    second = cli("harvest", "--json")
    assert harvested(second) == {"broken": "failed"}
    broken = listing(cli)["broken"]
    assert broken["failures"] == 2
    delay = parse(broken["next_due"]) - parse(broken["last_job"])
    assert abs(delay - dt.timedelta(hours=2)) < dt.timedelta(seconds=1)  # doubled

    # --failed retries it now, whatever the delay, and only it
    (cli.cfg / "data" / "later").rename(cli.cfg / "data" / "broken")
    retried = cli("harvest", "--failed", "--json")
    assert retried.exit_code == 0, retried.stderr
    assert harvested(retried) == {"broken": "finished"}
    broken = listing(cli)["broken"]
    assert broken["last_status"] == "finished" and broken["failures"] == 0
    assert broken["last_success"] == broken["last_job"]
    nothing = cli("harvest", "--failed")
    assert nothing.exit_code == 0
    assert "No source's last harvest failed" in squash(nothing.stderr)


def test_failed_narrows_the_given_ids(cli: Cli) -> None:
    assert cli("harvest", "--all").exit_code == 3
    only_good = cli("harvest", "good", "--failed")
    assert only_good.exit_code == 0
    assert "No source's last harvest failed" in squash(only_good.stderr)
    both = cli("harvest", "good", "broken", "--failed", "--json")
    assert harvested(both) == {"broken": "failed"}


def test_sources_list_text_shows_the_schedule_columns(cli: Cli) -> None:
    assert cli("harvest", "good").exit_code == 0
    result = cli("sources", "list")
    assert result.exit_code == 0, result.stderr
    text = squash(result.stdout)
    for column in ("last_job", "last_status", "last_success", "next_due"):
        assert column in text
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.split()}
    assert "now" in lines["broken"]  # never harvested, daily: due at once
    assert "finished" in lines["good"]
    csv_rows = cli("sources", "list", "--format", "csv").stdout.splitlines()
    assert csv_rows[0].split(",")[-3:] == ["next_due", "failures", "due"]
