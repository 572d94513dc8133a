"""docs/cron.md as data: its crontab (variables and job lines), the environment cron
gives a job, and a home folder like the page's with an offline directory source; used by
tests/cli/test_cron_recipe.py and the real-CKAN publish line in tests/e2e."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

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


def crontab() -> tuple[dict[str, str], dict[str, str]]:
    """The page's crontab: its variable lines, and its job lines by subcommand."""
    (block,) = code_blocks(section(DOC, "## Cron"), "crontab")
    variables: dict[str, str] = {}
    jobs: dict[str, str] = {}
    for line in block.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        assignment = re.fullmatch(r"([A-Z_][A-Z0-9_]*)=(\S*)", line)
        if assignment:
            variables[assignment[1]] = assignment[2]
            continue
        argv = shlex.split(line.split(None, 5)[5])
        command = next(a for a in argv[1:] if a in ("harvest", "publish"))
        jobs[command] = line
    return variables, jobs


def crontab_line(command: str = "harvest") -> str:
    return crontab()[1][command]


def cron_env(home: Path, **extra: str) -> list[str]:
    """``env -i`` with what cron gives a job: HOME, LOGNAME, SHELL, PATH and the
    crontab's own variable lines."""
    variables = {**crontab()[0], **extra}
    return [
        "/usr/bin/env", "-i", f"HOME={home}", f"LOGNAME={home.name}", "SHELL=/bin/sh",
        "PATH=/usr/bin:/bin", *(f"{name}={value}" for name, value in variables.items()),
    ]  # fmt: skip


def make_home(tmp_path: Path) -> Path:
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


def run_job(home: Path, command: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """The page's crontab line of ``command`` (harvest, publish), paths substituted, run
    as cron runs it: ``/bin/sh -c`` in cron's environment, in the home folder;
    ``variables`` stand in for the crontab's variable lines (a real token)."""
    line = substitute(crontab_line(command).split(None, 5)[5], home)
    return subprocess.run(
        [*cron_env(home, **variables), "/bin/sh", "-c", line],
        cwd=home, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
