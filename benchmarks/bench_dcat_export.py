"""DCAT export benchmark: ``satudata catalog export --format F`` for every RDF format.

What it does (details and how to read the output: ``benchmarks/README.md``):

1. Builds a katalog of ``--datasets`` realistic Kota Medan datasets: the CKAN fixture
   (``tests/helpers/ckan_fixture.py``, in a thread) harvested by the real engine, so the
   records are what a CKAN harvest stores (extras, resources with CKAN's ids, sizes and
   dates). A second katalog of a tenth of them is the baseline of the memory figure.
2. For each format (``dcat-ttl``, ``dcat-nt``, ``dcat-rdfxml``, ``dcat-jsonld``) times the
   real CLI end to end, start-up included, writing to a file::

       satudata --db DB catalog export --format F --output FILE

   with its CPU seconds and peak RSS (``/usr/bin/time -v``, else ``os.wait4``), and, side
   by side in the same run, **today's export** (the baseline: the writer as it was
   before issue 15, target 3, frozen in ``tests/helpers/dcat_reference.py``: one rdflib
   graph per dataset and rdflib's serialisers) in its own process over the same
   katalog (this file run with a hidden option: it pays a Python start-up and the
   imports like the CLI does). N-Triples of both are compared line for line by count.
3. The same CLI export of the tenth-size katalog, for the memory figure: flat memory
   means the peak at N is about the peak at N/10.

Targets (issue 15, target 3): each format in <= 15 s for 20,000 datasets; peak RSS at N
at most 1.2x the peak at N/10. Exit status: 0 whatever the measurements say (this is a
measurement, not a test); 2 when the benchmark itself cannot run.

    .venv/bin/python benchmarks/bench_dcat_export.py
    .venv/bin/python benchmarks/bench_dcat_export.py --datasets 2000 --skip-baseline
    .venv/bin/python benchmarks/bench_dcat_export.py --format dcat-ttl --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from common import BenchmarkError, Figures, load_average, measure_child, tool, verdict

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("dcat-ttl", "dcat-nt", "dcat-rdfxml", "dcat-jsonld")
SEED = 20261128
SECONDS_TARGET = 15.0  # per format, 20,000 datasets, start-up included (issue 15)
MEMORY_TARGET = 1.2  # peak RSS at N / peak RSS at N/10
BASE_URI = "https://katalog.satudata.invalid/"
PROFILE_TOP = 25
FIGURES = Figures("dcat_export")


@dataclass
class Run:
    label: str
    seconds: float
    cpu: float
    rss_mb: float
    size_mb: float
    how: str


def run_child(argv: Sequence[str], work: Path, label: str, output: Path) -> Run:
    """Run one process to its end: wall-clock and CPU seconds, peak RSS."""
    child = measure_child(argv, cwd=work)
    if child.code != 0:
        raise BenchmarkError(f"{label} exited {child.code}: {child.stderr[-2000:]}")
    size = output.stat().st_size / 1_000_000
    return Run(label, child.seconds, child.cpu, child.rss_mb, size, child.how)


def build_katalog(db: Path, datasets: int, seed: int) -> float:
    """``datasets`` generated CKAN packages harvested into ``db``; the seconds it took."""
    from satudata_cli.pipeline.harvest import Harvester
    from satudata_cli.sources.config import SourceConfig
    from tests.helpers.ckan_fixture import CkanFixture, iter_packages

    start = time.perf_counter()
    packages = iter_packages(datasets, seed=seed)
    with CkanFixture(datasets=packages, record_requests=False) as ckan:
        config = SourceConfig.model_validate(
            {
                "id": "ckan",
                "type": "ckan",
                "url": ckan.url,
                "http": {"retries": 0, "requests_per_second": 1000},
            }
        )
        (outcome,) = Harvester(db).run([config], full=True).outcomes
    if outcome.status != "finished" or outcome.added != datasets:
        raise BenchmarkError(
            f"building the katalog: harvest {outcome.status}, {outcome.added} of {datasets} "
            f"added ({outcome.error})"
        )
    return time.perf_counter() - start


def baseline_child(fmt: str, db: str, output: str) -> int:
    """Today's export (the frozen reference) of katalog ``db`` into ``output``: what the
    CLI did before the fast writer, without the CLI's argument parsing."""
    sys.path.insert(0, str(ROOT))
    from datetime import UTC, datetime

    from satudata_cli.catalogue.db import Catalogue
    from satudata_cli.exports import ExportContext, ExportItem
    from tests.helpers.dcat_reference import REFERENCE_WRITERS

    context = ExportContext(
        base_uri=BASE_URI,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        catalogue=db,
    )
    with Catalogue.open(Path(db)) as cat, Path(output).open("wb") as out:
        items = (ExportItem(s, r) for s, r in cat.iter_records(None, "active"))
        count = REFERENCE_WRITERS[fmt](items, out, context=context)
    print(f"{count} datasets", file=sys.stderr)
    return 0


def profile_export(db: Path, fmt: str, datasets: int) -> None:
    """The fast export in-process under cProfile (to /dev/null)."""
    from satudata_cli.catalogue.db import Catalogue
    from satudata_cli.exports import ExportContext, ExportItem, get_exporter

    context = ExportContext(
        base_uri=BASE_URI, generated_at="2026-11-28T10:00:00Z", catalogue=str(db)
    )
    writer = get_exporter(fmt)
    profiler = cProfile.Profile()
    with Catalogue.open(db) as cat, Path(os.devnull).open("wb") as out:
        items = (ExportItem(s, r) for s, r in cat.iter_records(None, "active"))
        start = time.perf_counter()
        profiler.enable()
        writer(items, out, context=context)
        profiler.disable()
    seconds = time.perf_counter() - start
    print(
        f"\nprofile: {fmt}, in-process, {datasets:,} datasets: {seconds:.2f} s under cProfile "
        "(its overhead inflates many small calls: read it for proportions)"
    )
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    print(text.getvalue().replace(str(ROOT) + os.sep, ""))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Export a generated katalog as DCAT in every RDF format with the "
        "satudata CLI and with today's export (the baseline); print seconds, the ratio and "
        "peak memory. Always exits 0 when the measurement ran.",
    )
    parser.add_argument(
        "--datasets",
        type=int,
        default=20_000,
        metavar="N",
        help="datasets in the katalog (default 20000)",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=FORMATS,
        help="only this format (repeatable; default all four)",
    )
    parser.add_argument(
        "--skip-baseline",
        action="store_true",
        help="do not run today's export (minutes at full size)",
    )
    parser.add_argument(
        "--skip-memory", action="store_true", help="do not export the katalog of N/10 datasets"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run each CLI export N times, keep the fastest",
    )
    parser.add_argument(
        "--profile", action="store_true", help=f"profile each format in-process (top {PROFILE_TOP})"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to put the katalogs (a new folder inside DIR)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the katalogs and exports")
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    parser.add_argument(
        "--jsonl", action="store_true", help="JSON lines on stdout, the report on stderr"
    )
    parser.add_argument(
        "--baseline-child", nargs=3, metavar=("FORMAT", "DB", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    for name in ("datasets", "repeat"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    args.formats = tuple(dict.fromkeys(args.formats or FORMATS))
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.baseline_child:
        return baseline_child(*args.baseline_child)
    return FIGURES.run_in_workdir(
        args, "satudata-bench-dcat-export-", measure, kept="katalogs and exports kept in"
    )


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def measure(args: argparse.Namespace, work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from satudata_cli import __version__

    satudata = tool("satudata")
    python = tool("python")
    n = args.datasets
    small_n = max(1, n // 10)
    print("satudata catalog export (DCAT) vs today's export")
    print("=" * 48)
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"satudata {__version__} ({satudata}); work folder: {work}")
    print(f"load average at start: {load_average()}")
    db, small = work / "katalog.db", work / "katalog-tenth.db"
    seconds = build_katalog(db, n, args.seed)
    print(
        f"katalog: {n:,} CKAN datasets harvested in {seconds:.1f} s "
        f"({db.stat().st_size / 1e6:.0f} MB)"
    )
    build_katalog(small, small_n, args.seed)
    print(f"katalog for the memory baseline (and the warm-up): {small_n:,} datasets")

    def cli(katalog: Path, fmt: str, out: Path) -> list[str]:
        return [
            satudata,
            "-q",
            "--db",
            str(katalog),
            "catalog",
            "export",
            "--format",
            fmt,
            "--base-uri",
            BASE_URI,
            "--output",
            str(out),
        ]

    # a first export warms the .pyc files and the page cache
    run_child(cli(small, "dcat-nt", work / "warm.nt"), work, "warm-up", work / "warm.nt")
    rows: list[tuple[str, Run, Run | None, Run | None]] = []
    for fmt in args.formats:
        out = work / f"export.{fmt}"
        best: Run | None = None
        for _ in range(args.repeat):
            run = run_child(cli(db, fmt, out), work, f"{fmt} (CLI)", out)
            best = run if best is None or run.seconds < best.seconds else best
        assert best is not None
        old: Run | None = None
        if not args.skip_baseline:
            old_out = work / f"today.{fmt}"
            argv = [
                python,
                str(Path(__file__).resolve()),
                "--baseline-child",
                fmt,
                str(db),
                str(old_out),
            ]
            old = run_child(argv, work, f"{fmt} (today's export)", old_out)
            if fmt == "dcat-nt":
                new_lines, old_lines = _lines(out), _lines(old_out)
                same = "the same" if new_lines == old_lines else "DIFFERENT"
                print(
                    f"check: N-Triples lines {new_lines:,} (fast) vs {old_lines:,} "
                    f"(today's): {same} number of triples"
                )
            old_out.unlink()
        tenth: Run | None = None
        if not args.skip_memory:
            small_out = work / f"tenth.{fmt}"
            tenth = run_child(cli(small, fmt, small_out), work, f"{fmt} (N/10)", small_out)
        rows.append((fmt, best, old, tenth))
        out.unlink()
        if args.profile:
            profile_export(db, fmt, n)

    print(f"\n{n:,} datasets, best of {args.repeat}; today's export once\n")
    head = (
        f"{'format':<12} {'seconds':>8} {'CPU s':>7} {'peak MB':>8} {'out MB':>7} "
        f"{'today s':>8} {'today CPU':>9} {'today MB':>9} {'x faster':>8}"
    )
    print(head)
    print("-" * len(head))
    for fmt, run, old, _tenth in rows:
        today = f"{'-':>8} {'-':>9} {'-':>9} {'-':>8}"
        if old:
            today = (
                f"{old.seconds:>8.2f} {old.cpu:>9.2f} {old.rss_mb:>9.1f} "
                f"{old.seconds / run.seconds:>7.1f}x"
            )
        print(
            f"{fmt:<12} {run.seconds:>8.2f} {run.cpu:>7.2f} {run.rss_mb:>8.1f} "
            f"{run.size_mb:>7.1f} {today}"
        )
    print(f"(peak RSS measured with {rows[0][1].how})")
    print(f"load average after the runs: {load_average()}\n")

    for fmt, run, old, _tenth in rows:
        name = fmt.removeprefix("dcat-")
        line = FIGURES.add(
            f"{name}_s",
            round(run.seconds, 3),
            "s",
            baseline=old.seconds if old else None,
            target=f"<= {SECONDS_TARGET:g}",
        )
        FIGURES.add(f"{name}_cpu_s", round(run.cpu, 3), "s", baseline=old.cpu if old else None)
        ratio = f"; {old.seconds / run.seconds:.1f}x faster than today's" if old else ""
        print(
            f"{fmt}: {run.seconds:.2f} s for {n:,} datasets (target <= {SECONDS_TARGET:g} s)"
            f"{ratio} -> {verdict(line['met'])}"
        )
    peak = max(run.rss_mb for _fmt, run, _old, _tenth in rows)
    if args.skip_memory:
        FIGURES.add("peak_rss_mb", round(peak, 1), "MB")
        return
    tenth_peak = max(t.rss_mb for _fmt, _run, _old, t in rows if t is not None)
    line = FIGURES.add(
        "peak_rss_mb",
        round(peak, 1),
        "MB",
        baseline=round(tenth_peak, 1),
        target=f"ratio <= {MEMORY_TARGET:g}",
    )
    print(
        f"memory: peak RSS {peak:.1f} MB at {n:,} datasets, {tenth_peak:.1f} MB at "
        f"{small_n:,} (ratio {peak / tenth_peak:.2f}, target <= {MEMORY_TARGET:g}) -> "
        f"{verdict(line['met'])}"
    )


if __name__ == "__main__":
    sys.exit(main())
