"""``--log-format json``: one JSON object per stderr line, for every message.

Every line is parsed, for a succeeding and a failing run: each has ``ts``, ``level``,
``event`` (snake_case), ``source``, ``job_id`` and ``error``, and a line about a source
carries that source's job id. The CLI's own messages (no source due, unknown source,
a broken configuration, the lock held) are JSON lines too, and a record that cannot be
read is logged (it makes the run exit 3, which must never be silent).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.catalogue.lock import CatalogueLock
from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.records import make_record

EVENT = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
COUNTS = ("added", "updated", "unchanged", "withdrawn", "restored", "errored", "invalid")


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    """'good' (two records), 'broken' (its folder is missing) and 'mixed' (a good record
    and a file that is not JSON)."""
    cfg = tmp_path / "cfg"
    for folder, records in (("good", [make_record(1), make_record(2)]), ("mixed", [])):
        (cfg / "data" / folder).mkdir(parents=True)
        for i, record in enumerate(records):
            path = cfg / "data" / folder / f"r{i}.json"
            path.write_text(json.dumps(record), encoding="utf-8")
    (cfg / "data" / "mixed" / "baik.json").write_text(json.dumps(make_record(3)), encoding="utf-8")
    (cfg / "data" / "mixed" / "rusak.json").write_text("{not json", encoding="utf-8")
    write_source(cfg, "good", type="directory", path="data/good")
    return cfg


def lines_of(stderr: str) -> list[dict[str, Any]]:
    """Every stderr line as JSON (a line that is not fails the test)."""
    payloads = [json.loads(line) for line in stderr.splitlines()]
    for p in payloads:
        assert {"ts", "level", "event", "source", "job_id", "error", "message"} <= set(p), p
        assert dt.datetime.fromisoformat(p["ts"].replace("Z", "+00:00")).tzinfo is not None
        assert p["level"] in ("debug", "info", "warning", "error", "critical")
        assert EVENT.match(p["event"]), p["event"]
    return payloads


def jobs_by_source(stdout: str) -> dict[str, int]:
    return {o["source"]: o["job_id"] for o in json.loads(stdout)}


def test_every_line_of_a_succeeding_run(cfg: Path, tmp_path: Path) -> None:
    write_source(cfg, "also-good", type="directory", path="data/good")
    cli = Cli(tmp_path / "satudata.db", cfg)
    result = cli("--log-format", "json", "-v", "harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    jobs = jobs_by_source(result.stdout)
    payloads = lines_of(result.stderr)
    about_sources = [p for p in payloads if p["source"] is not None]
    assert {p["source"] for p in about_sources} == {"good", "also-good"}
    for p in about_sources:
        assert p["job_id"] == jobs[p["source"]], p
    for source, job_id in jobs.items():
        events = [p["event"] for p in about_sources if p["source"] == source]
        assert events[0] == "source_started" and events[-1] == "source_finished"
        [finished] = [
            p for p in about_sources if p["source"] == source and p["event"] == ("source_finished")
        ]
        assert {k: finished[k] for k in COUNTS} == {
            "added": 2,
            "updated": 0,
            "unchanged": 0,
            "withdrawn": 0,
            "restored": 0,
            "errored": 0,
            "invalid": 0,
        }
        assert finished["status"] == "finished" and finished["error"] is None
        assert finished["job_id"] == job_id


def test_every_line_of_a_failing_run(cfg: Path, tmp_path: Path) -> None:
    write_source(cfg, "broken", type="directory", path="data/broken")
    write_source(cfg, "mixed", type="directory", path="data/mixed")
    cli = Cli(tmp_path / "satudata.db", cfg)
    result = cli("--log-format", "json", "harvest", "--all", "--json")  # default level
    assert result.exit_code == 3, result.stderr
    jobs = jobs_by_source(result.stdout)
    payloads = lines_of(result.stderr)
    for p in payloads:
        assert p["source"] in jobs, p  # every line of this run is about a source
        assert p["job_id"] == jobs[p["source"]], p
    by_event = {(p["event"], p["source"]): p for p in payloads}
    errored = by_event["record_errored", "mixed"]
    assert errored["level"] == "warning"
    assert errored["remote_id"] == "rusak.json"
    assert "JSON" in errored["error"]
    failed = by_event["source_failed", "broken"]
    assert failed["level"] == "error" and "does not exist" in failed["error"]
    mixed = by_event["source_finished", "mixed"]
    assert mixed["level"] == "warning"  # shown without -v: the run is partial
    assert (mixed["added"], mixed["errored"]) == (1, 1)
    assert ("source_finished", "good") not in by_event  # info: only with -v


def test_an_unreadable_record_is_not_silent_in_text_logs(cfg: Path, tmp_path: Path) -> None:
    """The reproduced bug: exit 3 with nothing on stderr."""
    write_source(cfg, "mixed", type="directory", path="data/mixed")
    cli = Cli(tmp_path / "satudata.db", cfg)
    result = cli("harvest", "mixed", "--json")
    assert result.exit_code == 3
    text = squash(result.stderr)
    assert "source mixed: record rusak.json could not be read" in text
    assert "1 errored" in text


def test_more_errored_records_than_are_logged(cfg: Path, tmp_path: Path) -> None:
    from satudata_cli.pipeline.harvest import ERRORED_LOGGED

    folder = cfg / "data" / "many"
    folder.mkdir()
    for i in range(ERRORED_LOGGED + 5):
        (folder / f"rusak-{i:03d}.json").write_text("{", encoding="utf-8")
    write_source(cfg, "many", type="directory", path="data/many")
    cli = Cli(tmp_path / "satudata.db", cfg)
    result = cli("--log-format", "json", "harvest", "many", "--json")
    assert result.exit_code == 3  # the source finished, its records errored
    payloads = lines_of(result.stderr)
    events = [p["event"] for p in payloads]
    assert events.count("record_errored") == ERRORED_LOGGED
    [more] = [p for p in payloads if p["event"] == "records_errored_more"]
    assert f"satudata jobs show {more['job_id']}" in more["message"]
    [finished] = [p for p in payloads if p["event"] == "source_finished"]
    assert finished["errored"] == ERRORED_LOGGED + 5


def one_line(result: Any) -> dict[str, Any]:
    [payload] = lines_of(result.stderr)
    return payload


def test_no_source_due_is_a_json_line(cfg: Path, tmp_path: Path) -> None:
    cli = Cli(tmp_path / "satudata.db", cfg)  # 'good' is manual: never due
    result = cli("--log-format", "json", "harvest")
    assert result.exit_code == 0
    payload = one_line(result)
    assert (payload["event"], payload["level"]) == ("no_source_due", "info")
    assert cli("--log-format", "json", "-q", "harvest").stderr == ""  # -q: errors only
    assert "No source is due" in cli("harvest").stderr


def test_unknown_source_is_a_json_line(cfg: Path, tmp_path: Path) -> None:
    cli = Cli(tmp_path / "satudata.db", cfg)
    result = cli("--log-format", "json", "-q", "harvest", "tidak-ada")
    assert result.exit_code == 2
    payload = one_line(result)
    assert payload["event"] == "unknown_source" and payload["level"] == "error"
    assert payload["exit_code"] == 2 and payload["unknown"] == ["tidak-ada"]
    assert "tidak-ada" in payload["error"]


def test_a_broken_configuration_is_a_json_line(cfg: Path, tmp_path: Path) -> None:
    (cfg / "zz.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    cli = Cli(tmp_path / "satudata.db", cfg)
    result = cli("--log-format", "json", "harvest", "--all")
    assert result.exit_code == 2
    payload = one_line(result)
    assert payload["event"] == "config_error" and payload["exit_code"] == 2
    assert "zz.yaml" in payload["error"]


@pytest.mark.parametrize("command", [("harvest", "--all"), ("jobs", "prune")])
def test_the_lock_held_is_a_json_line(cfg: Path, tmp_path: Path, command: tuple[str]) -> None:
    cli = Cli(tmp_path / "satudata.db", cfg)
    assert cli("harvest", "--all").exit_code == 0
    with CatalogueLock(cli.db, command="satudata harvest"):
        result = cli("--log-format", "json", *command)
    assert result.exit_code == 4
    payload = one_line(result)
    assert payload["event"] == "catalogue_locked_error" and payload["exit_code"] == 4
    assert "satudata harvest" in payload["error"]


def test_export_and_validate_summaries_are_json_lines(cfg: Path, tmp_path: Path) -> None:
    cli = Cli(tmp_path / "satudata.db", cfg)
    assert cli("harvest", "good").exit_code == 0
    export = cli("--log-format", "json", "catalog", "export", "--format", "jsonl")
    assert export.exit_code == 0, export.stderr
    line = one_line(export)
    assert (line["event"], line["count"], line["format"]) == ("export_written", 2, "jsonl")
    check = cli("--log-format", "json", "validate", "--catalog", "--format", "json")
    assert check.exit_code == 0, check.stderr
    line = one_line(check)
    assert line["event"] == "validate_summary"
    assert (line["records"], line["valid"], line["invalid"]) == (2, 2, 0)


def test_validate_finding_nothing_is_a_json_line(tmp_path: Path, cfg: Path) -> None:
    empty = tmp_path / "kosong"
    empty.mkdir()
    result = Cli(tmp_path / "satudata.db", cfg)("--log-format", "json", "validate", empty)
    assert result.exit_code == 5
    line = one_line(result)
    assert (line["event"], line["exit_code"]) == ("no_records", 5)
