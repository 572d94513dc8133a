"""Pieces both benchmarks share: finding the tools, a clean environment, the load average."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

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
