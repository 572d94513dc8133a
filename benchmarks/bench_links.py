"""Benchmark of ``satudata links check`` (issue 13), side by side with ``linkchecker``.

1. Starts the loopback link fixture (``tests/helpers/link_fixture.py``) in its own
   process: 50 hosts (distinct ports of 127.0.0.1), every answer after 100 ms.
2. Writes a catalogue of 10,000 datasets, each with one link (200 URLs per host).
3. Runs ``satudata links check --allow-private --max-age 0`` (defaults: 2 requests per
   host at once) as a child process; the ideal time is 200 x 0.1 s / 2 = 10 s; target
   at most 1.5 x the ideal. The fixture process's CPU time during the run is measured
   (its share of the wall time shows it is not the bottleneck).
4. Runs ``linkchecker`` (PyPI ``linkchecker``, the well-known Python link checker) on an
   HTML page listing the same 10,000 URLs, with comparable settings: as many threads
   as satudata's concurrency (100), at most 20 requests per second per host (what 2
   requests at once with 100 ms latency give), robots.txt not read (satudata does not
   read it either), external links checked, no recursion beyond the page. Target:
   satudata at least 3 x faster.
5. Memory: a catalogue of ``--memory-links`` (100,000) datasets, each with one link, on
   a fixture without latency; the peak RSS of the ``satudata links check`` process
   (``/usr/bin/time -v`` or ``os.wait4``); target under 200 MB.

Always exits 0 when the measurement ran (the figures say whether targets were met).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from common import ROOT, BenchmarkError, Figures, load_average, measure_child, tool, verdict

FIXTURE = ROOT / "tests" / "helpers" / "link_fixture.py"
HOSTS = 50
PER_HOST_URLS = 200
LATENCY = 0.1
PER_HOST = 2
CONCURRENCY = 100


@contextlib.contextmanager
def fixture(ports: int, latency: float) -> Iterator[tuple[subprocess.Popen[str], list[int]]]:
    """The link fixture in its own process; its ports."""
    proc = subprocess.Popen(
        [sys.executable, str(FIXTURE), "--ports", str(ports), "--latency", str(latency)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line:
            raise BenchmarkError("the link fixture did not print its ports")
        yield proc, [int(p) for p in line.split(",")]
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_catalogue(db: Path, urls: Sequence[str]) -> None:
    """One active dataset per URL (its link_akses), written as a harvest would."""
    sys.path.insert(0, str(ROOT))
    from satudata_cli.catalogue import Catalogue
    from satudata_cli.standard.findings import RecordResult

    with Catalogue.open(db) as cat:
        cat.upsert_source("bench", "Benchmark", "ckan", "http://127.0.0.1", "h")
        job = cat.start_job("bench", full=True)
        with cat.writer(job) as writer:
            for i, url in enumerate(urls):
                record = {
                    "name": f"dataset-{i}",
                    "title": f"Dataset {i}",
                    "organization": f"Dinas {i % 40}",
                    "link_akses": url,
                }
                result = RecordResult(
                    source="bench", record=record["name"], index=i, findings=[], normalized=record
                )
                writer.put(f"r{i}", record, result)
        cat.finish_job(job, "finished")


def bench_urls(ports: Sequence[int], per_host: int) -> list[str]:
    # host by host in turn, as a catalogue mixes agencies
    return [f"http://127.0.0.1:{p}/bench/{i}" for i in range(per_host) for p in ports]


def children_cpu() -> float:
    """User + system CPU seconds of the children waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_satudata(db: Path, work: Path) -> tuple[float, float, dict[str, int]]:
    argv = [
        tool("satudata"),
        "--db",
        str(db),
        "links",
        "check",
        "--allow-private",
        "--max-age",
        "0",
        "--concurrency",
        str(CONCURRENCY),
        "--per-host",
        str(PER_HOST),
        "--json",
    ]
    child = measure_child(argv, cwd=work)
    if child.code != 0:
        raise BenchmarkError(f"satudata links check exited {child.code}: {child.stderr[-2000:]}")
    data = json.loads(child.stdout)
    return child.seconds, child.rss_mb, data["counts"]


def run_linkchecker(urls: Sequence[str], work: Path) -> tuple[float, int]:
    page = work / "links.html"
    page.write_text(
        "<!doctype html><html><head><title>links</title></head><body>\n"
        + "\n".join(f'<a href="{html.escape(u)}">{i}</a>' for i, u in enumerate(urls))
        + "\n</body></html>\n",
        encoding="utf-8",
    )
    config = work / "linkcheckerrc"
    config.write_text(
        "[checking]\n"
        f"threads={CONCURRENCY}\n"
        f"maxrequestspersecond={int(PER_HOST / LATENCY)}\n"
        "recursionlevel=1\n"
        "timeout=20\n"
        "[filtering]\n"
        "checkextern=1\n"
        "[output]\n"
        "status=0\n",
        encoding="utf-8",
    )
    for path in (work, page, config):
        path.chmod(0o755 if path.is_dir() else 0o644)  # linkchecker drops root to nobody
    argv = [
        tool("linkchecker"),
        "-f",
        str(config),
        "--no-robots",
        "--check-extern",
        "-r",
        "1",
        "-o",
        "none",
        "--no-status",
        page.as_uri(),
    ]
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=work, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise BenchmarkError(f"linkchecker exited {proc.returncode}: {proc.stderr[-2000:]}")
    return seconds, proc.returncode


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl", action="store_true", help="one JSON line per figure")
    parser.add_argument(
        "--memory-links",
        type=int,
        default=100_000,
        metavar="N",
        help="links of the memory run (default 100000)",
    )
    parser.add_argument("--skip-memory", action="store_true", help="skip the memory run")
    parser.add_argument("--skip-linkchecker", action="store_true", help="skip linkchecker")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    figures = Figures("links")
    work = Path(tempfile.mkdtemp(prefix="satudata-bench-links-"))
    work.chmod(0o755)
    try:
        with figures.report(args.jsonl):
            print(f"bench_links: load average {load_average()}; work folder {work}")
            ideal = PER_HOST_URLS * LATENCY / PER_HOST
            with fixture(HOSTS, LATENCY) as (proc, ports):
                urls = bench_urls(ports, PER_HOST_URLS)
                db = work / "links.db"
                make_catalogue(db, urls)
                cpu0, own0 = cpu_seconds(proc.pid), children_cpu()
                seconds, _, counts = run_satudata(db, work)
                fixture_cpu = cpu_seconds(proc.pid) - cpu0
                own_cpu = children_cpu() - own0
                print(
                    f"satudata links check: {len(urls):,} links on {HOSTS} hosts in "
                    f"{seconds:.2f} s (ideal {ideal:.0f} s); verdicts {counts}; the fixture "
                    f"used {fixture_cpu:.2f} s of CPU ({fixture_cpu / seconds:.0%} of one core)"
                )
                if counts != {"ok": len(urls)}:
                    print(f"check: NOT every link ok ({counts}): look into it")
                line = figures.add(
                    "check_seconds_10k",
                    seconds,
                    "s",
                    baseline=ideal,
                    target="ratio <= 1.5",
                )
                print(f"  ratio to the ideal {line['ratio']}: {verdict(bool(line['met']))}")
                # the CPU the check needs: below the ideal wall time, the check is not
                # CPU-bound on a free core (on a busy machine it waits for one)
                line = figures.add("check_cpu_seconds_10k", own_cpu, "s", baseline=ideal)
                print(
                    f"  satudata used {own_cpu:.2f} s of CPU ({line['ratio']} of the ideal "
                    "wall time)"
                )
                figures.add(
                    "fixture_cpu_share",
                    fixture_cpu / seconds,
                    "cores",
                    target="< 0.8",
                )
                if not args.skip_linkchecker:
                    lc_seconds, code = run_linkchecker(urls, work)
                    print(
                        f"linkchecker: the same {len(urls):,} links in {lc_seconds:.2f} s "
                        f"(exit {code})"
                    )
                    line = figures.add(
                        "speedup_vs_linkchecker",
                        lc_seconds / seconds,
                        "x",
                        target=">= 3",
                    )
                    figures.add("linkchecker_seconds_10k", lc_seconds, "s")
                    print(f"  satudata {line['value']}x faster: {verdict(bool(line['met']))}")
            if not args.skip_memory:
                n = args.memory_links
                with fixture(HOSTS, 0.0) as (_, ports):
                    urls = bench_urls(ports, max(1, n // HOSTS))
                    db = work / "memory.db"
                    make_catalogue(db, urls)
                    del urls
                    seconds, rss, counts = run_satudata(db, work)
                print(
                    f"memory: {n:,} links checked in {seconds:.1f} s, peak RSS {rss:.1f} MB; "
                    f"verdicts {counts}"
                )
                line = figures.add(f"peak_rss_mb_{n}", rss, "MB", target="< 200")
                print(f"  {verdict(bool(line['met']))}")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
