"""The long fuzz campaign: ``tests/helpers/fuzz.py`` with a budget of your choosing.

The CI run (``tests/reliability/test_fuzz.py``) feeds 300 mutated inputs through the
real CLI; this feeds ``--budget`` (default 3,000) with the same harnesses, the same
split among them and the same checks (documented exit codes, no traceback, no
"internal error", a 1 GiB address-space cap, no job left running, no remote JSON-LD
context fetched), in batches of ``--batch`` inputs per CLI run. A failing batch is
bisected; the failing inputs, each with its report, are written to ``--keep DIR``.

Exit status: 0 whenever the campaign ran (read the crash figures), 2 when it could not.

    .venv/bin/python benchmarks/bench_fuzz.py --budget 3000
    .venv/bin/python benchmarks/run.py fuzz --budget 10000 --seed 7
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from common import ROOT, Figures, load_average

FIGURES = Figures("fuzz")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=int, default=3000, metavar="N", help="inputs in all")
    parser.add_argument("--seed", type=int, default=16, help="campaign seed (CI uses 16)")
    parser.add_argument("--batch", type=int, default=100, metavar="N", help="inputs per CLI run")
    parser.add_argument(
        "--harness",
        action="append",
        default=None,
        metavar="NAME",
        help="only this harness (repeatable); default: all",
    )
    parser.add_argument(
        "--bisect-limit", type=int, default=50, metavar="N", help="single runs per failing batch"
    )
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR", help="failing inputs")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON line per figure on stdout, the report on stderr (benchmarks/run.py)",
    )
    args = parser.parse_args(argv)
    if args.budget < 1 or args.batch < 1:
        parser.error("--budget and --batch must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.helpers import fuzz

    names = args.harness or list(fuzz.WEIGHTS)
    unknown = [n for n in names if n not in fuzz.WEIGHTS]
    if unknown:
        known = list(fuzz.WEIGHTS)
        print(f"bench_fuzz: unknown harness {unknown}; known: {known}", file=sys.stderr)
        return 2
    shares = fuzz.split(args.budget, names)
    work = Path(tempfile.mkdtemp(prefix="satudata-bench-fuzz-"))
    with FIGURES.report(args.jsonl):
        try:
            print(f"fuzz campaign: budget {args.budget:,}, seed {args.seed}, batch {args.batch}")
            print(f"load average at start: {load_average()}")
            started = time.perf_counter()
            total_inputs = total_crashes = total_runs = 0
            for name in names:
                t0 = time.perf_counter()
                outcome = fuzz.fuzz(
                    name,
                    shares[name],
                    work,
                    seed=args.seed,
                    batch=args.batch,
                    bisect_limit=args.bisect_limit,
                    keep=args.keep / name if args.keep else None,
                )
                seconds = time.perf_counter() - t0
                total_inputs += outcome.inputs
                total_crashes += outcome.crashes
                total_runs += outcome.runs
                print(
                    f"\n{name}: {outcome.inputs:,} inputs, {outcome.runs} CLI runs, "
                    f"{outcome.crashes} failing input(s), {seconds:.1f} s"
                )
                for failure in outcome.failures:
                    print(f"  {failure.describe()}")
                FIGURES.add(f"{name}_failing_inputs", outcome.crashes, "inputs", target="== 0")
            seconds = time.perf_counter() - started
            FIGURES.add("inputs", total_inputs, "inputs")
            FIGURES.add("failing_inputs", total_crashes, "inputs", target="== 0")
            FIGURES.add("inputs_per_s", total_inputs / seconds if seconds else 0.0, "inputs/s")
            print(
                f"\n{total_inputs:,} inputs in {total_runs} CLI runs, {seconds:.0f} s: "
                f"{total_crashes} failing input(s)"
                + (f"; kept in {args.keep}" if args.keep and total_crashes else "")
            )
            print(f"load average at the end: {load_average()}")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
