"""docs/cron.md works as written: its crontab line run the way cron runs it (``/bin/sh
-c`` in ``env -i`` with cron's ``HOME`` and ``PATH=/usr/bin:/bin``, in the home folder)
and its systemd service's command line run the way systemd runs it, against a home
folder with an offline directory source; only the paths are substituted."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.helpers.cron_recipe import (
    COMMAND,
    DOC,
    DOC_COMMAND,
    DOC_HOME,
    SYSTEMD_PATH,
    crontab,
    katalog_count,
    make_home,
    run_job,
)
from tests.helpers.doc_examples import code_blocks, section


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return make_home(tmp_path)


def units() -> dict[str, configparser.ConfigParser]:
    blocks = code_blocks(section(DOC, "## systemd timer"), "ini")
    parsed: dict[str, configparser.ConfigParser] = {}
    for block in blocks:
        unit = configparser.ConfigParser(interpolation=None, strict=True)
        unit.optionxform = str  # type: ignore[assignment,method-assign]
        unit.read_string(block)
        kind = "service" if unit.has_section("Service") else "timer"
        parsed[kind] = unit
    assert set(parsed) == {"service", "timer"}
    return parsed


def test_the_crontab_is_what_the_page_promises() -> None:
    variables, jobs = crontab()
    assert set(jobs) == {"harvest", "publish"}
    assert set(variables) == {"SATUDATA_PORTAL_TOKEN"}  # the target's token_env
    for line in jobs.values():
        fields = line.split(None, 5)
        assert fields[1:5] == ["2" if "harvest" in line else "4", "*", "*", "*"]
        assert fields[0] == "0"
        argv = shlex.split(fields[5])
        assert argv[0] == DOC_COMMAND  # absolute: cron's PATH does not have it
        assert "%" not in line  # cron would turn it into a newline
        assert argv[1:3] == ["--log-format", "json"]
        assert argv[argv.index("--config-dir") + 1] == f"{DOC_HOME}/.config/satudata"
        assert argv[argv.index("--db") + 1] == f"{DOC_HOME}/.local/share/satudata/satudata.db"
    publish = shlex.split(jobs["publish"].split(None, 5)[5])
    assert publish[publish.index("publish") + 1] == "portal"
    assert publish[publish.index("--lock-wait") + 1] == "3600"  # a harvest may still run


def test_the_crontab_line_runs_in_crons_environment(home: Path) -> None:
    done = run_job(home, "harvest")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == done.stderr == ""  # all of it went to the files: cron mails nothing
    db = home / ".local" / "share" / "satudata" / "satudata.db"
    assert katalog_count(db) == 8
    state = home / ".local" / "state" / "satudata"
    (outcome,) = json.loads((state / "harvest-last.json").read_text("utf-8"))
    assert outcome["source"] == "medan-contoh"
    assert (outcome["status"], outcome["added"]) == ("finished", 8)
    for line in (state / "harvest.log").read_text("utf-8").splitlines():
        assert isinstance(json.loads(line), dict), line
    # the same night again: no source is due; still a JSON result and JSON log lines
    again = run_job(home, "harvest")
    assert again.returncode == 0, again.stderr
    assert katalog_count(db) == 8
    assert json.loads((state / "harvest-last.json").read_text("utf-8")) == []
    log = [json.loads(line) for line in (state / "harvest.log").read_text("utf-8").splitlines()]
    assert log[-1]["event"] == "no_source_due"


def test_the_timer_is_what_the_page_promises() -> None:
    parsed = units()
    service, timer = parsed["service"], parsed["timer"]
    assert service["Service"]["Type"] == "oneshot"
    exec_start = shlex.split(service["Service"]["ExecStart"])
    assert exec_start[0] == "%h/satudata/.venv/bin/satudata"
    assert exec_start[1:3] == ["--log-format", "json"]
    assert exec_start[-1] == "harvest"
    assert "--config-dir" not in exec_start and "--db" not in exec_start  # the XDG defaults
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:00:00"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    names = re.findall(r"`(satudata-harvest\.(?:service|timer))`", DOC)
    assert set(names) == {"satudata-harvest.service", "satudata-harvest.timer"}


def test_the_service_runs_in_systemds_environment(home: Path) -> None:
    """systemd starts a user service in the home folder with HOME, a default PATH and
    no XDG variables: satudata finds ~/.config/satudata and fills ~/.local/share."""
    exec_start = units()["service"]["Service"]["ExecStart"]
    argv = shlex.split(exec_start.replace("%h/satudata/.venv/bin/satudata", COMMAND))
    done = subprocess.run(
        ["/usr/bin/env", "-i", f"HOME={home}", f"PATH={SYSTEMD_PATH}", f"USER={home.name}",
         *argv],
        cwd=home, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert katalog_count(home / ".local" / "share" / "satudata" / "satudata.db") == 8
    for line in done.stderr.splitlines():  # the journal gets JSON lines
        assert isinstance(json.loads(line), dict), line
