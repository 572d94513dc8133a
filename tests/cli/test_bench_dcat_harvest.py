"""benchmarks/bench_dcat_harvest.py keeps the contract of the benchmarks (one JSON line
per figure, each checked by run.py) on a tiny document, with the rdflib baseline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers.benchmarks import BENCHMARKS, load_benchmark


def test_a_tiny_run_prints_the_figures_of_the_contract(tmp_path: Path) -> None:
    argv = [sys.executable, str(BENCHMARKS / "bench_dcat_harvest.py"), "--datasets", "25"]
    done = subprocess.run(
        [*argv, "--format", "turtle", "--format", "json-ld", "--jsonl", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    run = load_benchmark("run")
    assert [run.contract_problem(line, "dcat_harvest") for line in lines] == [None] * len(lines)
    figures = {line["metric"]: line for line in lines}
    assert set(figures) == {
        f"{fmt}_{metric}"
        for fmt in ("turtle", "jsonld")
        for metric in ("seconds", "cpu_s", "datasets_per_s", "peak_rss_mb", "identical_records")
    }
    for fmt in ("turtle", "jsonld"):
        assert figures[f"{fmt}_identical_records"]["value"] == 1  # the same records
        assert figures[f"{fmt}_identical_records"]["met"] is True
        speed = figures[f"{fmt}_datasets_per_s"]
        assert speed["target"] == "ratio >= 5" and speed["baseline"] > 0
        assert figures[f"{fmt}_peak_rss_mb"]["target"] == "<= 300"
        assert 0 < figures[f"{fmt}_peak_rss_mb"]["value"] < 2000
        assert figures[f"{fmt}_cpu_s"]["baseline"] > 0 and figures[f"{fmt}_cpu_s"]["target"] is None
    assert "pyoxigraph + light index" in done.stderr and "rdflib (baseline)" in done.stderr
    assert list(tmp_path.glob("satudata-bench-dcat-harvest-*")) == []  # cleaned up
