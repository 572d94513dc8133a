"""Run the benchmarks and print one JSON line per figure.

    python benchmarks/run.py                      # every bench_*.py in this folder
    python benchmarks/run.py harvest validate     # bench_harvest.py, bench_validate.py
    python benchmarks/run.py fuzz --budget 10000  # options after the names go to each one
    python benchmarks/run.py --list

Without names every benchmark runs, except one whose environment is missing: publish
needs a real CKAN (``CKAN_URL`` and ``CKAN_API_TOKEN``, e.g. ``source /tmp/ckan.env``)
and is left out, saying so, when they are not set (named, it runs and says why it
cannot).

Each named benchmark runs in its own process (the project's venv Python) with
``--jsonl``: it prints one JSON line per figure on stdout and its human report on
stderr (the contract in benchmarks/README.md). This script checks every line against
the contract, prints it on stdout as it comes and the human reports on stderr, then a
summary on stderr.

Exit status: 0 when every benchmark ran and kept the contract (targets met or not);
1 with ``--check`` when a figure missed its target; 2 when a benchmark could not run,
exited non-zero or printed a line that breaks the contract.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import FIGURE_KEYS, BenchmarkError, target_met, tool  # noqa: E402

USAGE = __doc__.split("\n\n")[1]

#: the environment variables a benchmark needs (left out of a run of all when unset)
NEEDS: dict[str, tuple[str, ...]] = {"publish": ("CKAN_URL", "CKAN_API_TOKEN")}


def missing_environment(name: str) -> list[str]:
    """The variables ``name`` needs that are not set (empty when it can run)."""
    return [var for var in NEEDS.get(name, ()) if not os.environ.get(var, "").strip()]


def available() -> list[str]:
    """The benchmark names: bench_NAME.py in this folder."""
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def contract_problem(line: dict[str, Any], name: str) -> str | None:
    """Why a figure line breaks the contract, or None."""
    if tuple(line) != FIGURE_KEYS:
        return f"keys {list(line)} instead of {list(FIGURE_KEYS)}"
    if line["benchmark"] != name:
        return f"benchmark {line['benchmark']!r} printed by bench_{name}.py"
    if not isinstance(line["metric"], str) or not line["metric"]:
        return "metric must be a non-empty string"
    for key in ("value", "baseline", "ratio"):
        value = line[key]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            return f"{key} must be a number or null"
    if line["value"] is None:
        return "value must be a number"
    if not isinstance(line["unit"], str):
        return "unit must be a string"
    if line["target"] is None:
        return None if line["met"] is None else "met without a target"
    if not isinstance(line["target"], str):
        return "target must be a string ('OP NUMBER' or 'ratio OP NUMBER') or null"
    try:
        met = target_met(line["target"], line["value"], line["ratio"])
    except ValueError as exc:
        return str(exc)
    if line["met"] is not met:
        return f"met is {line['met']!r}, the target says {met!r}"
    return None


def parse(argv: Sequence[str]) -> tuple[list[str], list[str], bool, bool]:
    """(names, options for the benchmarks, --list, --check). The names and this
    script's own options come first; everything from the first other option on
    (or after ``--``) goes to every named benchmark."""
    names: list[str] = []
    rest: list[str] = []
    listing = check = False
    for index, arg in enumerate(argv):
        if arg == "--":
            rest = list(argv[index + 1 :])
            break
        if arg in ("-h", "--help"):
            print(__doc__)
            raise SystemExit(0)
        if arg == "--list":
            listing = True
        elif arg == "--check":
            check = True
        elif arg.startswith("-"):
            rest = list(argv[index:])
            break
        else:
            names.append(arg)
    return names, rest, listing, check


def run_one(python: str, name: str, options: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Run bench_NAME.py --jsonl; its figure lines and the problems met."""
    argv = [python, str(HERE / f"bench_{name}.py"), "--jsonl", *options]
    problems: list[str] = []
    figures: list[dict[str, Any]] = []
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
    assert proc.stdout is not None
    for raw in proc.stdout:
        text = raw.strip()
        if not text:
            continue
        try:
            line = json.loads(text)
        except ValueError:
            problems.append(f"not a JSON line on stdout: {text[:200]!r}")
            continue
        problem = contract_problem(line, name) if isinstance(line, dict) else "not an object"
        if problem:
            problems.append(f"{problem}: {text[:200]}")
            continue
        figures.append(line)
        print(json.dumps(line, ensure_ascii=False), flush=True)
    code = proc.wait()
    if code != 0:
        problems.append(f"bench_{name}.py exited {code}")
    elif not figures:
        problems.append(f"bench_{name}.py printed no figure")
    return figures, problems


def main(argv: Sequence[str] | None = None) -> int:
    names, options, listing, check = parse(sys.argv[1:] if argv is None else argv)
    known = available()
    if listing:
        print("\n".join(known))
        return 0
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"run.py: no benchmark {unknown}; there are: {', '.join(known)}", file=sys.stderr)
        return 2
    try:
        python = tool("python")
    except BenchmarkError as exc:
        print(f"run.py: {exc}", file=sys.stderr)
        return 2
    failed = missed = 0
    summary = []
    for name in names or known:
        missing = [] if names else missing_environment(name)
        if missing:
            summary.append(f"{name}: skipped ({' and '.join(missing)} not set)")
            print(f"run.py: bench_{name}.py skipped: {', '.join(missing)} not set", file=sys.stderr)
            continue
        print(f"run.py: bench_{name}.py {' '.join(options)}".rstrip(), file=sys.stderr, flush=True)
        figures, problems = run_one(python, name, options)
        failed += bool(problems)
        misses = [f["metric"] for f in figures if f["met"] is False]
        missed += len(misses)
        summary.append(
            f"{name}: {len(figures)} figure(s), "
            f"{sum(f['met'] is True for f in figures)} target(s) met, {len(misses)} missed"
            + (f" ({', '.join(misses)})" if misses else "")
            + ("; " + "; ".join(problems) if problems else "")
        )
    print("\nrun.py: " + "\nrun.py: ".join(summary), file=sys.stderr)
    if failed:
        return 2
    return 1 if check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
