"""benchmarks/run.py and the contract of the benchmarks (benchmarks/README.md): one JSON
line per figure, each checked; a short real run of the fuzz benchmark through it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.benchmarks import BENCHMARKS, load_benchmark


def _line(**changes: object) -> dict[str, object]:
    line: dict[str, object] = {
        "benchmark": "harvest",
        "metric": "datasets_per_s",
        "value": 1734.0,
        "unit": "datasets/s",
        "baseline": 7585.0,
        "ratio": 0.2286,
        "target": ">= 5000",
        "met": False,
    }
    line.update(changes)
    return line


@pytest.mark.parametrize(
    ("target", "value", "ratio", "met"),
    [
        (">= 5000", 6000.0, None, True),
        (">= 5000", 4999.0, None, False),
        ("ratio <= 0.6", 9.0, 0.59, True),
        ("ratio <= 0.6", 9.0, 0.61, False),
        ("ratio >= 2", 9.0, None, False),
        ("== 0", 0, None, True),
        ("< 250", 250.0, None, False),
    ],
)
def test_targets(target: str, value: float, ratio: float | None, met: bool) -> None:
    assert load_benchmark("common").target_met(target, value, ratio) is met


def test_the_contract_is_checked() -> None:
    run = load_benchmark("run")
    assert run.contract_problem(_line(), "harvest") is None
    assert "met is" in run.contract_problem(_line(met=True), "harvest")
    assert "keys" in run.contract_problem({"metric": "x", "value": 1}, "harvest")
    assert "printed by" in run.contract_problem(_line(), "validate")
    assert "number" in run.contract_problem(_line(value="fast"), "harvest")
    assert "not" in run.contract_problem(_line(target="at least 5000"), "harvest")
    assert run.contract_problem(_line(target=None, met=None), "harvest") is None
    assert "string" in run.contract_problem(_line(target=0.8), "harvest")


def test_every_benchmark_takes_jsonl() -> None:
    run = load_benchmark("run")
    names = run.available()
    assert {"harvest", "publish", "validate", "fuzz", "kill", "startup"} <= set(names)
    for name in names:
        text = (BENCHMARKS / f"bench_{name}.py").read_text(encoding="utf-8")
        assert '"--jsonl"' in text and "Figures(" in text, name


def test_run_prints_one_json_line_per_figure(tmp_path: Path) -> None:
    argv = [sys.executable, str(BENCHMARKS / "run.py"), "fuzz", "--budget", "7", "--batch", "7"]
    done = subprocess.run(
        [*argv, "--harness", "config-targets"], capture_output=True, text=True, timeout=300,
        cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    figures = {line["metric"]: line for line in lines}
    assert list(lines[0]) == ["benchmark", "metric", "value", "unit", "baseline", "ratio",
                              "target", "met"]  # fmt: skip
    assert figures["inputs"]["value"] == 7
    assert figures["failing_inputs"]["target"] == "== 0"
    assert "run.py: fuzz:" in done.stderr


def test_unknown_benchmark_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "nonsense"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no benchmark" in done.stderr


def test_publish_is_left_out_of_a_run_of_all_without_a_ckan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = load_benchmark("run")
    monkeypatch.delenv("CKAN_URL", raising=False)
    monkeypatch.setenv("CKAN_API_TOKEN", "")
    assert run.missing_environment("publish") == ["CKAN_URL", "CKAN_API_TOKEN"]
    assert run.missing_environment("harvest") == []
    monkeypatch.setenv("CKAN_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("CKAN_API_TOKEN", "token")
    assert run.missing_environment("publish") == []
