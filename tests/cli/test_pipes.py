"""A closed standard output ends any command quietly with exit 0 (issue 11, item 7).

Each case runs the installed console script in its own process with stdout a pipe whose
reader has already gone (its read end closed before the start), so the first write
meets EPIPE wherever it happens: a rich table, a CSV writer, a JSON dump, typer's help,
or the flush at interpreter exit. Every output format of every registry is covered; the
xlsx export needs --output FILE and never writes to stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from satudata_cli.cli.pipes import StdoutClosed, stdout_may_close
from satudata_cli.exports import EXPORT_FORMATS
from satudata_cli.reports.formats import REPORT_FORMATS
from satudata_cli.standard.formats import FORMATTERS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sysconfig.get_path("scripts")) / "satudata"
MEDAN = ROOT / "harvest_configs" / "data" / "medan"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env.update({"LANG": "C.UTF-8", "NO_COLOR": "1"})
    return env


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue of the bundled sumber (medan-contoh, 8 datasets)."""
    path = tmp_path_factory.mktemp("pipes") / "satudata.db"
    done = subprocess.run(
        [str(SCRIPT), "--db", str(path), "--config-dir", str(ROOT / "harvest_configs"), "harvest"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return path


def run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """``satudata ARGS`` with stdout a pipe nobody reads any more."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [str(SCRIPT), *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=_env(),
            cwd=ROOT,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


def assert_quiet_exit(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no traceback, no "Exception ignored", no error line


CATALOGUE_CASES = [
    ["catalog", "show", "1"],
    *(["catalog", "show", "1", "--format", f] for f in ("json", "csv")),
    ["catalog", "list"],
    *(["catalog", "list", "--format", f] for f in ("json", "csv")),
    ["catalog", "search", "kesehatan"],
    ["catalog", "stats"],
    *(
        ["catalog", "export", "--format", name]
        for name, spec in EXPORT_FORMATS.items()
        if not spec.needs_file
    ),
    ["jobs", "list"],
    ["jobs", "list", "--format", "json"],
    ["sources", "list"],
    *(["report", "compliance", "--format", name] for name in REPORT_FORMATS),
    *(["report", "freshness", "--format", name] for name in REPORT_FORMATS),
]


@pytest.mark.parametrize("args", CATALOGUE_CASES, ids=" ".join)
def test_catalogue_commands_end_quietly(db: Path, args: list[str]) -> None:
    assert_quiet_exit(
        run_into_closed_pipe("--db", str(db), "--config-dir", str(ROOT / "harvest_configs"), *args)
    )


@pytest.mark.parametrize("fmt", ["text", *FORMATTERS])
def test_validate_ends_quietly_in_every_format(fmt: str) -> None:
    assert_quiet_exit(run_into_closed_pipe("validate", str(MEDAN), "--format", fmt))


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["catalog", "--help"], ["validate", "--help"], ["schema", "show"]],
    ids=" ".join,
)
def test_help_version_and_schema_end_quietly(args: list[str]) -> None:
    assert_quiet_exit(run_into_closed_pipe(*args))


def test_a_reader_that_quits_after_one_line(tmp_path: Path) -> None:
    """The reader takes one line while satudata is still writing (far more than a pipe
    buffer holds), then closes: the write in the middle of the run fails, not the first."""
    big = tmp_path / "many.jsonl"
    record = (MEDAN / "dinas-kesehatan.json").read_text(encoding="utf-8")
    first = json.loads(record)[0]
    with big.open("w", encoding="utf-8") as out:
        for n in range(3000):
            out.write(json.dumps({**first, "name": f"dataset-{n:05d}"}) + "\n")
    proc = subprocess.Popen(
        [str(SCRIPT), "validate", str(big), "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith("{")
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""


def test_the_issue_example_in_a_shell_pipeline(db: Path) -> None:
    """`satudata catalog show 1 | head -1` (with pipefail: satudata's own status counts)."""
    done = subprocess.run(
        [
            "bash",
            "-c",
            'set -o pipefail; "$0" --db "$1" catalog show 1 | head -1; '
            'echo "status ${PIPESTATUS[0]}" >&2',
            str(SCRIPT),
            str(db),
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "status 0\n"
    assert len(done.stdout.splitlines()) == 1


def test_a_closed_pipe_is_only_ours_when_stdout_is_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EPIPE while stdout is a regular file came from elsewhere (a socket): not hidden."""
    with (tmp_path / "out.txt").open("w", encoding="utf-8") as file:
        monkeypatch.setattr(sys, "stdout", file)
        with pytest.raises(BrokenPipeError), stdout_may_close():
            raise BrokenPipeError
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "w") as pipe:
        monkeypatch.setattr(sys, "stdout", pipe)
        with pytest.raises(StdoutClosed), stdout_may_close():
            raise BrokenPipeError
    os.close(read_end)
