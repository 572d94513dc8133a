"""benchmarks/bench_dcat_export.py keeps the benchmarks' contract (benchmarks/README.md):
a tiny real run through benchmarks/run.py, one JSON line per figure, each checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


def test_a_tiny_run_prints_the_figures_of_the_contract(tmp_path: Path) -> None:
    argv = [sys.executable, str(BENCHMARKS / "run.py"), "dcat_export", "--datasets", "30",
            "--format", "dcat-ttl", "--format", "dcat-nt", "--workdir", str(tmp_path)]  # fmt: skip
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert {line["benchmark"] for line in lines} == {"dcat_export"}
    figures = {line["metric"]: line for line in lines}
    assert set(figures) == {"ttl_s", "ttl_cpu_s", "nt_s", "nt_cpu_s", "peak_rss_mb"}
    for name in ("ttl_s", "nt_s"):
        line = figures[name]
        assert line["unit"] == "s" and line["target"] == "<= 15"
        # today's export ran beside it, so the ratio is there
        assert line["baseline"] > 0
        assert abs(line["ratio"] - line["value"] / line["baseline"]) < 0.01
        assert line["met"] is (line["value"] <= 15)
    memory = figures["peak_rss_mb"]
    assert memory["target"] == "ratio <= 1.2" and memory["baseline"] > 0
    assert "the same number of triples" in done.stderr
    assert "30 datasets" in done.stderr
    assert "run.py: dcat_export:" in done.stderr
    assert list(tmp_path.glob("satudata-bench-dcat-export-*")) == []  # cleaned up


def test_bad_options_are_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_dcat_export.py"), "--datasets", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--datasets must be at least 1" in done.stderr
