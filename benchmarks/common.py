"""Pieces the benchmarks share: finding the tools, a clean environment, the load average,
measuring one process (:func:`measure_child`), and the figures every benchmark reports (one
JSON line each with ``--jsonl``)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parent.parent


class BenchmarkError(Exception):
    """The benchmark cannot go on (a tool is missing or crashed)."""


def tool(name: str) -> str:
    """The executable ``name`` from the project venv, else next to this Python, else PATH."""
    for folder in (ROOT / ".venv" / "bin", Path(sys.executable).parent):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BenchmarkError(
            f"{name} not found (looked in {ROOT / '.venv' / 'bin'}, next to "
            f"{sys.executable} and on PATH); run scripts/test.sh once to set up .venv"
        )
    return found


def clean_env() -> dict[str, str]:
    """The environment for the tools: no SATUDATA_* settings, no colour, C locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env.update({"NO_COLOR": "1", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    return env


def load_average() -> str:
    """The 1-minute load average against the CPU count: other work skews the timings."""
    try:
        one = os.getloadavg()[0]
    except OSError:
        return "unknown"
    cpus = os.cpu_count() or 1
    busy = " (busy machine: other processes compete, timings are noisy)" if one > cpus / 2 else ""
    return f"{one:.2f} on {cpus} CPUs{busy}"


def verdict(met: bool) -> str:
    return "TARGET MET" if met else "TARGET MISSED"


# =========================================================================== figures
#
# The contract of every bench_*.py (benchmarks/README.md, "One JSON line per figure"):
# with --jsonl, stdout carries only JSON lines, one per figure, each with the keys of
# FIGURE_KEYS; the human report goes to stderr. benchmarks/run.py relies on it.

FIGURE_KEYS = ("benchmark", "metric", "value", "unit", "baseline", "ratio", "target", "met")
_TARGET = re.compile(r"^(ratio\s+)?(>=|<=|==|<|>)\s*(-?\d+(?:\.\d+)?)$")


def target_met(target: str, value: float, ratio: float | None) -> bool:
    """Whether ``value`` (or ``ratio``, for a target written ``ratio OP N``) meets
    ``target``, an operator and a number: ``">= 5000"``, ``"ratio <= 0.6"``, ``"== 0"``."""
    match = _TARGET.match(target.strip())
    if match is None:
        raise ValueError(f"a target is 'OP NUMBER' or 'ratio OP NUMBER', not {target!r}")
    on_ratio, op, number = bool(match[1]), match[2], float(match[3])
    subject = ratio if on_ratio else value
    if subject is None or subject != subject:  # no ratio, or NaN
        return False
    return {
        ">=": subject >= number,
        "<=": subject <= number,
        "==": subject == number,
        "<": subject < number,
        ">": subject > number,
    }[op]


class Figures:
    """The figures of one benchmark run: ``figures.add("datasets_per_s", 1734.0,
    "datasets/s", baseline=7585.0, target="ratio >= 0.1")``.

    ``figures.report()`` wraps the measuring code: with ``--jsonl`` its human output
    (``print``) goes to stderr and each figure is printed as one JSON line on stdout
    as soon as it is added; without, figures are only collected.
    """

    def __init__(self, benchmark: str) -> None:
        self.benchmark = benchmark
        self.jsonl = False
        self.lines: list[dict[str, Any]] = []
        self._out: TextIO = sys.stdout

    @contextlib.contextmanager
    def report(self, jsonl: bool) -> Iterator[None]:
        self.jsonl = jsonl
        self._out = sys.stdout
        if not jsonl:
            yield
            return
        with contextlib.redirect_stdout(sys.stderr):
            yield

    def run_in_workdir(
        self,
        args: Any,
        prefix: str,
        measure: Callable[[Any, Path], None],
        *,
        kept: str,
    ) -> int:
        """Run ``measure(args, work)`` in a new folder ``work`` (inside ``args.workdir``
        when given) under :meth:`report`; the folder is removed afterwards unless
        ``args.keep`` (then ``kept`` and its path are said on stderr). The exit status of
        a benchmark: 0 when it ran, 2 when it could not (:class:`BenchmarkError`)."""
        if args.workdir is not None:
            args.workdir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=prefix, dir=args.workdir))
        try:
            with self.report(args.jsonl):
                measure(args, work)
        except BenchmarkError as exc:
            print(f"\nbenchmark could not run: {exc}", file=sys.stderr)
            return 2
        finally:
            if args.keep:
                print(f"\n{kept} {work}", file=sys.stderr)
            else:
                shutil.rmtree(work, ignore_errors=True)
        return 0

    def add(
        self,
        metric: str,
        value: float,
        unit: str,
        *,
        baseline: float | None = None,
        target: str | None = None,
    ) -> dict[str, Any]:
        ratio = None
        if baseline is not None and baseline != 0:
            ratio = round(value / baseline, 4)
        line = {
            "benchmark": self.benchmark,
            "metric": metric,
            "value": value if isinstance(value, int) else round(float(value), 4),
            "unit": unit,
            "baseline": None if baseline is None else round(float(baseline), 4),
            "ratio": ratio,
            "target": target,
            "met": None if target is None else target_met(target, value, ratio),
        }
        self.lines.append(line)
        if self.jsonl:
            print(json.dumps(line, ensure_ascii=False), file=self._out, flush=True)
        return line


# ------------------------------------------------------------- process tree RSS


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from /proc/*/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError, ValueError):
                todo.extend(int(child) for child in task.read_text().split())
    return found


def _pss_kb(pid: int) -> int:
    """A process's proportional set size: its private pages plus its share of the pages
    it shares. Summed over a tree it counts each page once, where summed RSS counts a
    freshly started child's pages (shared with its parent until it execs) twice. VmRSS
    on kernels before 4.14, which have no smaps_rollup."""
    for name, field in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1])
    return 0


class TreeRss:
    """Samples the summed memory (PSS, see :func:`_pss_kb`) of a process tree (a
    harvest and its write process) in a thread until stopped: GNU time's and wait4's
    peak is the RSS of the largest process only."""

    @classmethod
    def start(cls, pid: int) -> TreeRss | None:
        """A sampler of ``pid``'s tree; None where there is no /proc."""
        return cls(pid) if Path("/proc/self/status").exists() else None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(_pss_kb(pid) for pid in _descendants(self.pid))
            self.peak_kb = max(self.peak_kb, total)
            self._stop.wait(0.02)

    def stop(self) -> float | None:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024 if self.peak_kb else None


_MAXRSS = re.compile(r"Maximum resident set size \(kbytes\):\s*(\d+)")


@dataclass
class Child:
    """One process run to its end (:func:`measure_child`)."""

    seconds: float  # wall clock, from start to exit
    rss_mb: float  # peak RSS of the largest process (GNU time's, else wait4's)
    code: int
    how: str  # how rss_mb was measured
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + system CPU seconds of the process and what it waited for
    #: the largest summed PSS of the process and all its descendants (a harvest and its
    #: write process), sampled every 20 ms (:class:`TreeRss`); None when not sampled
    tree_rss_mb: float | None = None

    @property
    def peak_mb(self) -> float:
        """The larger of the largest process's peak and the tree's summed peak."""
        return max(self.rss_mb, self.tree_rss_mb or 0.0)


def measure_child(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    tree: bool = False,
) -> Child:
    """Run ``argv`` to its end under ``/usr/bin/time -v`` where there is one: wall-clock
    and CPU seconds, peak RSS, exit code, output; with ``tree``, also the summed memory
    of its process tree. ``env`` is added to :func:`clean_env`. The CPU and the fallback
    peak come from the child's own rusage (``os.wait4``), not ``RUSAGE_CHILDREN``, which
    would report the largest child this process ever had (a fixture server included)."""
    gnu_time = Path("/usr/bin/time")
    use_time = gnu_time.is_file() and os.access(gnu_time, os.X_OK)
    full = [str(gnu_time), "-v", *argv] if use_time else list(argv)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            full, stdout=out, stderr=err, env={**clean_env(), **(env or {})}, cwd=cwd
        )
        sampler = TreeRss.start(proc.pid) if tree else None
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        tree_mb = sampler.stop() if sampler is not None else None
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    match = _MAXRSS.search(stderr) if use_time else None
    if match:
        kilobytes, how = float(match[1]), "/usr/bin/time -v"
    else:
        kilobytes = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
        how = "os.wait4 ru_maxrss" + (" (of /usr/bin/time itself?)" if use_time else "")
    cpu = usage.ru_utime + usage.ru_stime
    return Child(seconds, kilobytes / 1024, code, how, stdout, stderr, cpu, tree_mb)
