"""benchmarks/common.py's TreeRss: the memory of a process tree counts a page shared by
a parent and its child once (PSS), so a child started by fork, which shares its
parent's pages until it writes or execs, does not double a benchmark's peak."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers.benchmarks import load_benchmark

# a parent holding 150 MB that forks a child holding the same pages (copy on write);
# both then wait, so the sampler sees the two at once
_SCRIPT = """
import os, sys, time
block = bytearray(150 * 1024 * 1024)
for i in range(0, len(block), 4096):
    block[i] = 1
pid = os.fork()
time.sleep(1.5)
if pid:
    os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_pages_a_forked_child_shares_with_its_parent_are_counted_once() -> None:
    common = load_benchmark("common")
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT])
    tree = common.TreeRss.start(proc.pid)
    assert tree is not None
    time.sleep(1.2)  # the fork happened and both processes hold the block
    two = common._descendants(proc.pid)
    rss_sum = sum(_vm_rss_kb(pid) for pid in two) / 1024
    assert proc.wait(timeout=30) == 0
    peak = tree.stop()
    assert peak is not None
    assert len(two) == 2 and rss_sum > 290  # summed RSS counts the block twice
    assert 150 <= peak < 200  # PSS counts it once


def _vm_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
