"""docs/cron.md works as written: its crontab line run the way cron runs it (``/bin/sh
-c`` in ``env -i`` with cron's ``HOME`` and ``PATH=/usr/bin:/bin``, in the home folder)
and its systemd service's command line run the way systemd runs it, against a home
folder with an offline directory source; only the paths are substituted."""

from __future__ import annotations

import configparser
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import write_source
from tests.helpers.doc_examples import code_blocks, doc_text, section

ROOT = Path(__file__).resolve().parents[2]
DOC = doc_text("cron.md")

#: the paths the page uses, and what they stand for
DOC_HOME = "/home/walidata"
DOC_COMMAND = "/home/walidata/satudata/.venv/bin/satudata"
#: this venv's satudata: the one the test runs (absolute, as the page asks)
COMMAND = str(Path(sys.executable).parent / "satudata")
#: what systemd gives a user service (its default PATH)
SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def crontab_line() -> str:
    (block,) = code_blocks(section(DOC, "## Cron"), "crontab")
    (line,) = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    return line


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


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user's home folder: the starter's layout with one offline directory source
    (the bundled Kota Medan files), due daily, and the log folder the page makes."""
    folder = tmp_path / "walidata"
    config = folder / ".config" / "satudata"
    shutil.copytree(ROOT / "harvest_configs" / "data" / "medan", config / "data" / "medan")
    write_source(
        config,
        "medan-contoh",
        title="Contoh metadata Kota Medan",
        type="directory",
        path="data/medan",
        organization="Pemerintah Kota Medan",
        defaults={"kode_wilayah": "12.71"},
        schedule="daily",
    )
    mkdir = [
        line
        for block in code_blocks(DOC, "bash")
        for line in block.splitlines()
        if line.startswith("mkdir ")
    ]
    assert mkdir == [f"mkdir -p {DOC_HOME}/.local/state/satudata"]
    (folder / ".local" / "state" / "satudata").mkdir(parents=True)
    return folder


def substitute(text: str, home: Path) -> str:
    return text.replace(DOC_COMMAND, COMMAND).replace(DOC_HOME, str(home))


def katalog_count(db: Path) -> int:
    from satudata_cli.catalogue import Catalogue

    with Catalogue.open(db, create=False) as cat:
        return cat.stats().active


def test_the_crontab_line_is_what_the_page_promises() -> None:
    line = crontab_line()
    fields = line.split(None, 5)
    assert fields[:5] == ["0", "2", "*", "*", "*"]
    argv = shlex.split(fields[5])
    assert argv[0] == DOC_COMMAND  # absolute: cron's PATH does not have it
    assert "%" not in line  # cron would turn it into a newline
    assert argv[1:3] == ["--log-format", "json"]
    assert argv[argv.index("--config-dir") + 1] == f"{DOC_HOME}/.config/satudata"
    assert argv[argv.index("--db") + 1] == f"{DOC_HOME}/.local/share/satudata/satudata.db"
    assert "harvest" in argv


def test_the_crontab_line_runs_in_crons_environment(home: Path) -> None:
    command = substitute(crontab_line().split(None, 5)[5], home)
    done = subprocess.run(
        ["/usr/bin/env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", f"LOGNAME={home.name}",
         "SHELL=/bin/sh", "/bin/sh", "-c", command],
        cwd=home, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
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
    # the next night: nothing new, the log is appended to, the result replaced
    again = subprocess.run(
        ["/usr/bin/env", "-i", f"HOME={home}", "PATH=/usr/bin:/bin", "/bin/sh", "-c", command],
        cwd=home, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert katalog_count(db) == 8


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
