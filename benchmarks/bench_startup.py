"""Start-up benchmark: ``satudata`` against check-jsonschema, the tool a CI user would
otherwise run, side by side in one run.

Two figures (details and how to read them: ``docs/benchmarks.md``, start-up):

``version``
    ``satudata --version`` against ``check-jsonschema --version``: the bare cost of
    starting each tool. Target: satudata's median at most 0.8x.
``validate-one``
    ``satudata validate ONE.json`` (every rule of the default profile, the region list
    included) against ``check-jsonschema --schemafile schemas/satudata-dataset.schema.json
    ONE.json`` (the JSON Schema alone). Target: at most 1.0x.

ONE.json is one valid Kota Medan dataset record (kode wilayah, kontak, resources), the
first such record of ``bench_validate.py``'s seeded generator. Both tools must accept it
(exit 0), or the run stops with exit 2.

Each command runs twice untimed first (the ``.pyc`` files and the page cache, as after
a wheel install), then ``--runs`` rounds (default 11), the four commands interleaved and
their order reversed every other round so that a change in the machine's load falls
on both tools; the median of each command counts.

Prints a table; with ``--jsonl`` one JSON object per figure on stdout (the contract of
benchmarks/README.md) and the table on stderr::

    {"benchmark": "startup", "metric": "version", "value": 0.09, "unit": "s",
     "baseline": 0.22, "ratio": 0.4091, "target": "ratio <= 0.8", "met": true}

``--importtime`` adds the heaviest imports of ``satudata validate ONE.json``
(``python -X importtime``), the place to look when the figure moves.

Exit status: 0 whenever the measurement ran (a missed target is a result, not an
error); 2 when it could not run (a tool is missing or does not accept ONE.json).

    .venv/bin/python benchmarks/bench_startup.py
    .venv/bin/python benchmarks/bench_startup.py --jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_validate import RecordFactory
from common import BenchmarkError, Figures, clean_env, load_average, tool, verdict

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schemas" / "satudata-dataset.schema.json"
RUNS = 11
FIGURES = Figures("startup")


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    command: list[str]
    baseline: list[str]
    target: float


@dataclass(frozen=True)
class Result:
    figure: Figure
    value: float  # median wall-clock seconds of satudata
    baseline: float  # ... and of check-jsonschema
    cpu: float  # median CPU seconds (user + system) of satudata
    baseline_cpu: float

    @property
    def ratio(self) -> float:
        return self.value / self.baseline

    @property
    def met(self) -> bool:
        return self.ratio <= self.figure.target

    def report(self) -> None:
        """This figure as a line of the benchmarks' contract (benchmarks/README.md)."""
        FIGURES.add(
            self.figure.name,
            self.value,
            "s",
            baseline=self.baseline,
            target=f"ratio <= {self.figure.target:g}",
        )


def one_record() -> dict[str, object]:
    """The first record of bench_validate's generator with nothing wrong in it and no
    BPS statistical metadata (check-jsonschema cannot resolve the MS schemas' URNs)."""
    factory = RecordFactory()
    for _ in range(1000):
        _, _, record, kinds = factory.make()
        if not kinds and "metadata_statistik" not in record and "kode_wilayah" in record:
            return record
    raise BenchmarkError("the generator gave no clean record in 1000 tries")


def figures(one: Path) -> list[Figure]:
    satudata, check = tool("satudata"), tool("check-jsonschema")
    return [
        Figure(
            "version",
            "--version",
            [satudata, "--version"],
            [check, "--version"],
            0.8,
        ),
        Figure(
            "validate-one",
            "validate ONE.json",
            [satudata, "validate", str(one)],
            [check, "--schemafile", str(SCHEMA), str(one)],
            1.0,
        ),
    ]


def environment() -> dict[str, str]:
    """clean_env(), and Python may write ``.pyc`` files (an installed wheel has them)."""
    env = clean_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds of one run, and the CPU seconds (user + system) it used."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise BenchmarkError(
                f"{' '.join(argv)} exited {child.returncode}: "
                f"{err.read().decode(errors='replace').strip()[:500]}"
            )
    return seconds, usage.ru_utime + usage.ru_stime


def measure(figs: Sequence[Figure], runs: int, env: dict[str, str]) -> list[Result]:
    commands = [argv for fig in figs for argv in (fig.command, fig.baseline)]
    for _ in range(2):
        for argv in commands:
            run(argv, env)
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for round_no in range(runs):
        order = list(range(len(commands)))
        if round_no % 2:
            order.reverse()
        for i in order:
            wall, cpu = run(commands[i], env)
            walls[i].append(wall)
            cpus[i].append(cpu)
    wall_median = [statistics.median(t) for t in walls]
    cpu_median = [statistics.median(t) for t in cpus]
    return [
        Result(
            fig,
            wall_median[2 * n],
            wall_median[2 * n + 1],
            cpu_median[2 * n],
            cpu_median[2 * n + 1],
        )
        for n, fig in enumerate(figs)
    ]


def heaviest_imports(argv: Sequence[str], env: dict[str, str], top: int = 15) -> list[str]:
    """The ``top`` largest cumulative imports of one run (``python -X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "satudata_cli", *argv[1:]],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return [f"{micros / 1000:8.1f} ms  {name}" for micros, name in rows[:top]]


def print_table(results: Sequence[Result], runs: int) -> None:
    print(f"start-up, median of {runs} runs, side by side (load average {load_average()})")
    header = (
        f"{'figure':<18}  {'satudata s':>10}  {'check-jsonschema s':>18}  {'ratio':>6}  "
        f"{'target':>6}  {'verdict':<14}  {'CPU s':>11}  {'CPU ratio':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.figure.title:<18}  {r.value:>10.3f}  {r.baseline:>18.3f}  {r.ratio:>6.2f}  "
            f"{r.figure.target:>6.2f}  {verdict(r.met):<14}  "
            f"{r.cpu:>5.3f}/{r.baseline_cpu:<5.3f}  {r.cpu / r.baseline_cpu:>9.2f}"
        )
    print(
        "(seconds: wall clock, what a user waits; CPU s: user + system seconds of satudata/"
        "check-jsonschema, steadier on a busy machine)"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="timed rounds (default 11)")
    parser.add_argument("--jsonl", action="store_true", help="one JSON line per figure")
    parser.add_argument(
        "--importtime", action="store_true", help="also list the heaviest imports of validate"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="satudata-bench-startup-") as work:
            one = Path(work) / "ONE.json"
            one.write_text(json.dumps(one_record(), ensure_ascii=False, indent=2), "utf-8")
            env = environment()
            figs = figures(one)
            results = measure(figs, args.runs, env)
            imports = heaviest_imports(figs[1].command, env) if args.importtime else []
    except BenchmarkError as exc:
        print(f"bench_startup: {exc}", file=sys.stderr)
        return 2
    with FIGURES.report(args.jsonl):  # --jsonl: the figures on stdout, the table on stderr
        for r in results:
            r.report()
        print_table(results, args.runs)
        if imports:
            print("\nheaviest imports of satudata validate ONE.json (cumulative):")
            print("\n".join(imports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
