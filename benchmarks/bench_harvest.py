"""Throughput and memory benchmark: ``satudata harvest`` from a CKAN portal.

What it does (details and how to read the output: ``benchmarks/README.md``):

1. Starts the CKAN-API fixture server (``tests/helpers/ckan_fixture.py``) in its own process
   with ``--datasets`` generated Kota Medan packages and ``--prebuilt-pages``: every
   ``package_search`` page (``rows=1000``, ``sort=id asc``) is built before the server
   prints its URL and each reply is served from memory, so that the raw floor measures
   the client, not the fixture's page building.
2. Writes a config folder with one ``ckan`` source pointing at it (a high
   ``requests_per_second`` so the rate limiter does not set the pace) and times the
   real CLI end to end, start-up included::

       satudata --db DB --config-dir CFG harvest --all --full --json

   into a fresh catalogue (every dataset ``added``), then once more into the same
   catalogue (every dataset ``unchanged``), with the peak RSS of each process. The
   catalogue is compared before and after the second run to count what it wrote.
3. Times the "raw floor" in its own process: page ``package_search`` with httpx
   (``rows=1000``), decode the JSON, store each package as JSON text in one SQLite
   table (``executemany``, one transaction per page); nothing else.
4. Prints a table (seconds, datasets/s, peak RSS, ratio to the raw floor) and the
   targets (issue 15): the first harvest at >= 0.25x the raw floor's speed (moonshot
   0.35x), an unchanged full re-harvest in <= 35 % of the first one's time.
5. Harvests ``--memory-datasets`` (fixture in its own process again) into a fresh
   catalogue and prints the harvester's peak RSS (target: under 250 MB), counting the
   harvest and its write process together (their PSS summed, sampled from /proc).

``--repeat N`` runs the floor, the first and the unchanged harvest N times, interleaved,
keeps the fastest of each and prints every run's figures (the spread on a busy machine).
``--profile`` also runs the engine in-process under cProfile (a first harvest, then an
unchanged one) and prints the top 25 functions by cumulative and by own time.

Exit status: 0 whatever the measurements say (this is a measurement, not a test);
2 when the benchmark itself cannot run (a tool is missing or crashes).

    .venv/bin/python benchmarks/bench_harvest.py
    .venv/bin/python benchmarks/bench_harvest.py --datasets 5000 --skip-memory --profile
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import json
import os
import platform
import pstats
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from common import (
    BenchmarkError,
    Child,
    Figures,
    clean_env,
    load_average,
    measure_child,
    tool,
    verdict,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "helpers" / "ckan_fixture.py"
SOURCE_ID = "bench-ckan"
SEED = 20261128
PAGE_ROWS = 1000  # package_search rows per page, CKAN's cap (the source asks for the same)
FLOOR_TARGET = 0.25  # first harvest's datasets/s >= a quarter of the raw floor's (issue 15)
FLOOR_MOONSHOT = 0.35
UNCHANGED_TARGET = 0.35  # unchanged full re-harvest seconds <= 35 % of the first's
MEMORY_TARGET_MB = 250.0  # peak RSS of the harvest at --memory-datasets
PROFILE_TOP = 25
FIGURES = Figures("harvest")


# =========================================================================== tools


# =========================================================================== the fixture


class Fixture:
    """``tests/helpers/ckan_fixture.py --datasets N --seed S --prebuilt-pages`` in its own
    process."""

    def __init__(self, python: str, datasets: int, seed: int, log: Path) -> None:
        self.python = python
        self.datasets = datasets
        self.seed = seed
        self.log = log  # the server's stderr (a file: a full pipe would block it)
        self.url = ""
        self.startup = 0.0
        self.proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> Fixture:
        argv = [self.python, str(FIXTURE), "--datasets", str(self.datasets)]
        argv += ["--seed", str(self.seed), "--prebuilt-pages"]
        start = time.perf_counter()
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=log, text=True, env=clean_env(), cwd=ROOT
            )
        line: list[str] = []
        reader = threading.Thread(
            target=lambda: line.append(self.proc.stdout.readline() if self.proc else ""),
            daemon=True,
        )
        reader.start()
        # generating and serialising the packages takes ~0.2 ms each
        reader.join(timeout=60 + self.datasets / 1000)
        url = line[0].strip() if line else ""
        if not url.startswith("http"):
            self._stop()
            err = self.log.read_text("utf-8", "replace")
            raise BenchmarkError(
                f"the fixture server did not print its URL (got {url!r}): {err[-2000:]}"
            )
        self.url = url
        self.startup = time.perf_counter() - start
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop()

    def peak_rss_mb(self) -> float | None:
        """The fixture process's own peak RSS (Linux ``VmHWM``), for information."""
        if self.proc is None:
            return None
        with contextlib.suppress(OSError, ValueError):
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
            match = re.search(r"VmHWM:\s*(\d+)\s*kB", status)
            if match:
                return int(match[1]) / 1024
        return None

    def _stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


# =========================================================================== measuring


def run_child(argv: Sequence[str], work: Path) -> Child:
    """One process with its tree's memory (the harvest and its write process)."""
    return measure_child(argv, cwd=work, tree=True)


def write_config(folder: Path, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SOURCE_ID}.yaml").write_text(
        f"""\
# written by benchmarks/bench_harvest.py
id: {SOURCE_ID}
title: Benchmark CKAN fixture
type: ckan
url: {url}
organization: Pemerintah Kota Medan
defaults:
  walidata: Dinas Komunikasi dan Informatika Kota Medan
  kode_wilayah: "12.71"
mapping:
  frekuensi_penerbitan: jadwal_pemutakhiran
http:
  timeout: 120
  requests_per_second: 1000
  concurrency: 4
schedule: manual
profile: sdi-dasar
""",
        encoding="utf-8",
    )
    return folder


@dataclass
class Harvest:
    label: str
    datasets: int
    child: Child
    outcome: dict[str, Any]

    @property
    def seconds(self) -> float:
        return self.child.seconds

    @property
    def rate(self) -> float:
        return self.datasets / self.seconds if self.seconds > 0 else float("inf")


def run_harvest(
    satudata: str, db: Path, config: Path, work: Path, label: str, *extra: str
) -> Harvest:
    argv = [satudata, "--db", str(db), "--config-dir", str(config), "harvest", "--all"]
    argv += [*extra, "--json"]
    child = run_child(argv, work)
    if child.code not in (0, 3):
        raise BenchmarkError(
            f"satudata harvest exited {child.code}: {child.stderr[-2000:]}{child.stdout[-1000:]}"
        )
    try:
        outcomes = json.loads(child.stdout)
        outcome = next(o for o in outcomes if o.get("source") == SOURCE_ID)
    except (ValueError, StopIteration, AttributeError) as exc:
        raise BenchmarkError(f"satudata harvest printed no JSON outcome: {exc}") from exc
    done = sum(int(outcome.get(k) or 0) for k in ("added", "updated", "unchanged", "restored"))
    return Harvest(label, done + int(outcome.get("errored") or 0), child, outcome)


# -------------------------------------------------------------------------- raw floor


def raw_floor(url: str, db_path: Path) -> dict[str, Any]:
    """The floor: page package_search, store each raw package as JSON; nothing else."""
    import httpx

    start = time.perf_counter()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as the catalogue
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, package TEXT NOT NULL)")
    pages = stored = 0
    with httpx.Client(timeout=120) as client:
        offset = 0
        while True:
            reply = client.get(
                f"{url}/api/3/action/package_search",
                params={"q": "*:*", "sort": "id asc", "rows": PAGE_ROWS, "start": offset},
            )
            reply.raise_for_status()
            results = reply.json()["result"]["results"]
            pages += 1
            if not results:
                break
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT OR REPLACE INTO raw (id, package) VALUES (?, ?)",
                [(p["id"], json.dumps(p, ensure_ascii=False)) for p in results],
            )
            conn.execute("COMMIT")
            stored += len(results)
            offset += len(results)
    rows = conn.execute("SELECT count(*) FROM raw").fetchone()[0]
    conn.close()
    return {
        "datasets": rows,
        "stored": stored,
        "pages": pages,
        "seconds": time.perf_counter() - start,
    }


def run_raw_floor(python: str, url: str, db: Path, work: Path) -> Harvest:
    child = run_child(
        [python, str(Path(__file__).resolve()), "--raw-floor-child", url, str(db)], work
    )
    if child.code != 0:
        raise BenchmarkError(f"the raw floor exited {child.code}: {child.stderr[-2000:]}")
    try:
        outcome = json.loads(child.stdout)
    except ValueError as exc:
        raise BenchmarkError(f"the raw floor printed no JSON: {exc}") from exc
    return Harvest("raw floor (httpx + sqlite3)", int(outcome["datasets"]), child, outcome)


# -------------------------------------------------------------------------- what was written


@dataclass
class Snapshot:
    rows: dict[int, str]  # dataset id -> digest of every column but last_seen/missing_since
    max_last_changed: str | None
    counts: dict[str, tuple[int, int]]  # table -> (rows, max id)
    fts: str
    file_bytes: int
    jobs: list[tuple[Any, ...]] = field(default_factory=list)


_WRITE_TABLES = ("resources", "validation_findings", "harvest_events", "harvest_jobs")


def snapshot(db: Path) -> Snapshot:
    conn = sqlite3.connect(db)
    try:
        columns = [
            row[1]
            for row in conn.execute("PRAGMA table_info(datasets)")
            if row[1] not in ("last_seen", "missing_since")
        ]
        rows = {
            int(row[0]): hashlib.blake2b(repr(row).encode(), digest_size=16).hexdigest()
            for row in conn.execute(f"SELECT {', '.join(columns)} FROM datasets ORDER BY id")
        }
        counts = {
            table: tuple(
                conn.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}").fetchone()
            )
            for table in _WRITE_TABLES
        }
        fts = hashlib.blake2b(digest_size=16)
        for block_id, block in conn.execute("SELECT id, block FROM datasets_fts_data ORDER BY id"):
            fts.update(str(block_id).encode())
            fts.update(block if isinstance(block, bytes) else str(block).encode())
        max_changed = conn.execute("SELECT max(last_changed) FROM datasets").fetchone()[0]
        jobs = conn.execute(
            "SELECT id, started_at, status, added, updated, unchanged, errored "
            "FROM harvest_jobs ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.suffix != ".lock")
    return Snapshot(rows, max_changed, counts, fts.hexdigest(), size, jobs)  # type: ignore[arg-type]


def last_seen_since(db: Path, moment: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(
            conn.execute(
                "SELECT count(*) FROM datasets WHERE last_seen >= ?", (moment,)
            ).fetchone()[0]
        )
    finally:
        conn.close()


def describe_writes(db: Path, before: Snapshot, after: Snapshot) -> list[str]:
    """What the catalogue shows the unchanged re-harvest wrote."""
    rewritten = sum(1 for k, v in after.rows.items() if before.rows.get(k) != v)
    new_rows = len(after.rows.keys() - before.rows.keys())
    job = after.jobs[-1] if after.jobs else None
    seen = last_seen_since(db, job[1]) if job else 0
    parts = []
    for table in ("resources", "validation_findings", "harvest_events"):
        n0, id0 = before.counts[table]
        n1, id1 = after.counts[table]
        added = id1 - id0
        parts.append(f"{table} +{added:,}/-{n0 + added - n1:,}")
    return [
        f"{rewritten:,} of {len(before.rows):,} dataset rows rewritten, {new_rows:,} inserted "
        "(every column but last_seen/missing_since compared); max(last_changed) "
        + ("unchanged" if before.max_last_changed == after.max_last_changed else "MOVED"),
        f"last_seen advanced on {seen:,} rows (the one write an unchanged dataset costs: "
        "one UPDATE per batch)",
        ", ".join(parts)
        + f"; harvest_jobs +{after.counts['harvest_jobs'][0] - before.counts['harvest_jobs'][0]}"
        + "; search index "
        + ("untouched" if before.fts == after.fts else "REWRITTEN"),
        f"catalogue files {before.file_bytes / 1e6:.1f} MB before, "
        f"{after.file_bytes / 1e6:.1f} MB after",
    ]


# -------------------------------------------------------------------------- profile


def _where(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name  # a built-in: "<built-in method ...>" or "<method ... of ... objects>"
    text = filename
    root = str(ROOT) + os.sep
    if text.startswith(root):
        text = text[len(root) :]
    elif "site-packages" + os.sep in text:
        text = text.split("site-packages" + os.sep, 1)[1]
    elif "python3" in text and os.sep + "lib" + os.sep in text:
        text = "stdlib:" + Path(text).name
    return f"{text}:{line}({name})"


def print_top(stats: pstats.Stats, key: str, title: str) -> None:
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    index = 3 if key == "cumulative" else 2
    top = sorted(table.items(), key=lambda kv: kv[1][index], reverse=True)[:PROFILE_TOP]
    print(f"\n{title}\n")
    print(f"{'ncalls':>12}  {'tottime':>8}  {'cumtime':>8}  function")
    for func, (primitive, calls, tottime, cumtime, _callers) in top:
        ncalls = f"{calls}" if calls == primitive else f"{calls}/{primitive}"
        print(f"{ncalls:>12}  {tottime:>8.3f}  {cumtime:>8.3f}  {_where(func)}")


def profile_engine(config_dir: Path, db: Path, datasets: int) -> None:
    """The engine in-process under cProfile: a first harvest, then an unchanged one."""
    from satudata_cli.pipeline.harvest import Harvester
    from satudata_cli.sources.config import load_sources

    configs = load_sources(config_dir)
    for label in ("first harvest", "unchanged re-harvest"):
        harvester = Harvester(db, concurrency=1)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        report = harvester.run(configs, full=True)
        profiler.disable()
        seconds = time.perf_counter() - start
        outcome = report.outcomes[0]
        print(
            f"\nprofile: {label}, in-process, {datasets:,} datasets: {seconds:.2f} s under "
            f"cProfile (status {outcome.status}, added {outcome.added:,}, unchanged "
            f"{outcome.unchanged:,}, errored {outcome.errored:,}); Harvester set-up not "
            "counted; cProfile's overhead inflates many small calls"
        )
        stats = pstats.Stats(profiler)
        print_top(stats, "cumulative", f"top {PROFILE_TOP} by cumulative time ({label})")
        print_top(stats, "tottime", f"top {PROFILE_TOP} by own time ({label})")


# =========================================================================== output


def print_table(rows: Sequence[Harvest], floor: Harvest) -> None:
    header = (
        "run", "datasets", "seconds", "datasets/s", "job s", "CPU s", "peak RSS MB",
        "x raw floor", "x floor (CPU)",
    )  # fmt: skip
    body = [
        (
            row.label,
            f"{row.datasets:,}",
            f"{row.seconds:.2f}",
            f"{row.rate:,.0f}",
            f"{float(row.outcome.get('seconds') or 0):.2f}",
            f"{row.child.cpu:.2f}",
            f"{row.child.rss_mb:.1f}",
            f"{row.rate / floor.rate:.3f}",
            f"{floor.child.cpu / row.child.cpu if row.child.cpu else float('nan'):.3f}",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    line = fmt(header)
    print(line)
    print("-" * len(line))
    for cells in body:
        print(fmt(cells))


def check_outcome(run: Harvest, kind: str, expected: int) -> str:
    o = run.outcome
    got = int(o.get(kind) or 0)
    other = {k: o.get(k) for k in ("added", "updated", "unchanged", "errored") if k != kind}
    ok = o.get("status") == "finished" and got == expected and not o.get("errored")
    return (
        f"check: {run.label}: status {o.get('status')}, {kind} {got:,} of {expected:,}; "
        + ", ".join(f"{k} {v:,}" for k, v in other.items())
        + f", invalid {int(o.get('invalid') or 0):,} -> "
        + ("as expected" if ok else "NOT as expected: look into it before trusting the numbers")
    )


# =========================================================================== main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Harvest generated CKAN datasets from a local fixture server with the "
        "satudata CLI (a first and an unchanged full pass) and with a minimal raw harvester; "
        "print datasets/s, the ratios and peak memory. Always exits 0 when the measurement ran.",
    )
    parser.add_argument(
        "--datasets",
        type=int,
        default=20_000,
        metavar="N",
        help="datasets the fixture serves for the throughput runs (default 20000)",
    )
    parser.add_argument(
        "--memory-datasets",
        type=int,
        default=100_000,
        metavar="N",
        help="datasets harvested by the memory run (default 100000)",
    )
    parser.add_argument("--skip-memory", action="store_true", help="skip the memory run")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also run the engine in-process under cProfile (first and unchanged harvest) "
        f"and print the top {PROFILE_TOP} functions",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to put the catalogues (a new folder inside DIR); default: the system "
        "temp directory",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the catalogues and config (the path is printed)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run each measurement N times (interleaved) and keep the fastest (default 1)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="fixture generator seed")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON line per figure on stdout, the report on stderr (benchmarks/run.py)",
    )
    parser.add_argument("--raw-floor-child", nargs=2, metavar=("URL", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("datasets", "repeat"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.memory_datasets < 1 and not args.skip_memory:
        parser.error("--memory-datasets must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.raw_floor_child:
        url, db = args.raw_floor_child
        print(json.dumps(raw_floor(url, Path(db))))
        return 0
    return FIGURES.run_in_workdir(
        args, "satudata-bench-harvest-", measure, kept="catalogues and config kept in"
    )


def _best(current: Harvest | None, new: Harvest) -> Harvest:
    """The faster run, carrying the larger peak RSS of the two (a peak is a peak)."""
    if current is None:
        return new
    best = new if new.seconds < current.seconds else current
    best.child.rss_mb = max(current.child.rss_mb, new.child.rss_mb)
    return best


def measure(args: argparse.Namespace, work: Path) -> None:
    sys.path.insert(0, str(ROOT))  # the in-process profile runs from this checkout
    from satudata_cli import __version__

    satudata = tool("satudata")
    python = tool("python")
    n = args.datasets
    print("satudata harvest (CKAN) vs a raw harvest")
    print("=" * 40)
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"satudata {__version__} ({satudata})")
    with contextlib.suppress(metadata.PackageNotFoundError):
        print(f"httpx {metadata.version('httpx')}, SQLite {sqlite3.sqlite_version}")
    print(f"work folder: {work}")
    print(f"load average at start: {load_average()}")

    with Fixture(python, n, args.seed, work / "fixture.log") as fixture:
        print(
            f"\nfixture: tests/helpers/ckan_fixture.py --datasets {n:,} --seed {args.seed} "
            f"in its own process (pid {fixture.proc.pid if fixture.proc else '?'}), "
            f"{fixture.url}, ready in "
            f"{fixture.startup:.1f} s"
        )
        config = write_config(work / "harvest_configs", fixture.url)

        # start-up: one record into a scratch catalogue (also warms the .pyc files)
        startup = _startup(satudata, config, work)

        best_raw: Harvest | None = None
        best_first: Harvest | None = None
        best_again: Harvest | None = None
        writes: list[str] = []
        spread: dict[str, list[Harvest]] = {"raw floor": [], "first": [], "unchanged": []}
        for attempt in range(args.repeat):
            raw_db = work / f"raw-{attempt}.db"
            raw = run_raw_floor(python, fixture.url, raw_db, work)
            spread["raw floor"].append(raw)
            best_raw = _best(best_raw, raw)
            db = work / f"catalogue-{attempt}.db"
            first = run_harvest(
                satudata, db, config, work, "satudata harvest, first (CLI)", "--full"
            )
            spread["first"].append(first)
            best_first = _best(best_first, first)
            before = snapshot(db)
            again = run_harvest(
                satudata, db, config, work, "satudata harvest, unchanged (CLI)", "--full"
            )
            after = snapshot(db)
            spread["unchanged"].append(again)
            best_again = _best(best_again, again)
            writes = describe_writes(db, before, after)
            for path in work.glob(f"raw-{attempt}.db*"):
                path.unlink()
        assert best_raw is not None and best_first is not None and best_again is not None

        print(f"\nthroughput ({n:,} datasets; best of {args.repeat})\n")
        print_table([best_raw, best_first, best_again], best_raw)
        ratio = best_again.seconds / best_first.seconds
        engine_first = float(best_first.outcome.get("seconds") or 0)
        engine_again = float(best_again.outcome.get("seconds") or 0)
        print(
            f"\nunchanged / first: {ratio:.2f} (wall clock of the CLI); "
            f"{engine_again / engine_first if engine_first else float('nan'):.2f} by the "
            "engine's own job seconds"
        )
        print(
            f"start-up, one record (harvest --limit 1 into a fresh catalogue): {startup:.2f} s "
            "of each CLI run"
        )
        print(
            f"raw floor: {best_raw.outcome['pages']} package_search pages of {PAGE_ROWS} "
            f"(sort=id asc), {best_raw.outcome['datasets']:,} packages stored, "
            f"{best_raw.outcome['seconds']:.2f} s inside the process"
        )
        print(f"(peak RSS measured with {best_first.child.how})")
        print(check_outcome(best_first, "added", n))
        print(check_outcome(best_again, "unchanged", n))
        if best_raw.datasets != n:
            print(f"check: the raw floor stored {best_raw.datasets:,} of {n:,} packages")
        print("writes of the unchanged re-harvest, from the catalogue before and after it:")
        for line in writes:
            print(f"  {line}")
        fixture_rss = fixture.peak_rss_mb()
        if fixture_rss is not None:
            print(f"fixture server's own peak RSS: {fixture_rss:.0f} MB (its process, not counted)")
        print(f"load average after the throughput runs: {load_average()}")

        rate = best_first.rate
        floor_ratio = best_first.rate / best_raw.rate
        FIGURES.add("raw_floor_datasets_per_s", best_raw.rate, "datasets/s")
        FIGURES.add("datasets_per_s", rate, "datasets/s", baseline=best_raw.rate)
        FIGURES.add(
            "vs_raw_floor",
            rate,
            "datasets/s",
            baseline=best_raw.rate,
            target=f"ratio >= {FLOOR_TARGET:g}",
        )
        FIGURES.add(
            "unchanged_reharvest_s",
            best_again.seconds,
            "s",
            baseline=best_first.seconds,
            target=f"ratio <= {UNCHANGED_TARGET:g}",
        )
        FIGURES.add("startup_one_record_s", startup, "s")
        FIGURES.add(
            "vs_raw_floor_cpu",
            n / best_first.child.cpu,
            "datasets/CPU s",
            baseline=n / best_raw.child.cpu,
        )
        FIGURES.add(
            "unchanged_reharvest_cpu_s",
            best_again.child.cpu,
            "CPU s",
            baseline=best_first.child.cpu,
        )
        if args.repeat > 1:
            print(f"\nevery run ({args.repeat}, interleaved): wall-clock seconds (CPU seconds)")
            for label, runs in spread.items():
                cells = ", ".join(f"{r.seconds:.2f} ({r.child.cpu:.2f})" for r in runs)
                walls = [r.seconds for r in runs]
                print(f"  {label:<10} {cells}  (spread {max(walls) - min(walls):.2f} s)")
            rounds = list(zip(*spread.values(), strict=True))
            print(
                "  vs raw floor per round: "
                + ", ".join(f"{r.seconds / f.seconds:.3f}x" for r, f, _ in rounds)
                + " (CPU: "
                + ", ".join(f"{r.child.cpu / f.child.cpu:.3f}x" for r, f, _ in rounds)
                + "); unchanged / first per round: "
                + ", ".join(f"{a.seconds / f.seconds:.2f}" for _, f, a in rounds)
                + " (CPU: "
                + ", ".join(f"{a.child.cpu / f.child.cpu:.2f}" for _, f, a in rounds)
                + ")"
            )
        print(
            f"\nraw floor target (first harvest >= {FLOOR_TARGET:.2f}x the raw floor's speed, "
            f"validation included; moonshot {FLOOR_MOONSHOT:.2f}x): {floor_ratio:.3f}x -> "
            f"{verdict(floor_ratio >= FLOOR_TARGET)}"
            + (" (moonshot met)" if floor_ratio >= FLOOR_MOONSHOT else "")
        )
        print(
            f"re-harvest target (unchanged full re-harvest <= {UNCHANGED_TARGET:.0%} of the "
            f"first's time): {ratio:.0%} -> {verdict(ratio <= UNCHANGED_TARGET)}"
        )

        if args.profile:
            profile_engine(config, work / "profile.db", n)

    # -- memory ------------------------------------------------------------------------------
    if args.skip_memory:
        print("\nmemory: skipped (--skip-memory)")
        return
    m = args.memory_datasets
    with Fixture(python, m, args.seed, work / "fixture-memory.log") as fixture:
        print(
            f"\nmemory: fixture with {m:,} datasets in its own process, ready in "
            f"{fixture.startup:.1f} s; one CLI harvest --full into a fresh catalogue\n"
        )
        config = write_config(work / "harvest_configs-memory", fixture.url)
        db = work / "memory.db"
        run = run_harvest(satudata, db, config, work, "satudata harvest, memory (CLI)", "--full")
        size = sum(p.stat().st_size for p in work.glob("memory.db*") if p.suffix != ".lock")
        print(
            f"{'datasets':>9}  {'seconds':>7}  {'datasets/s':>10}  {'peak RSS MB':>11}  "
            f"{'catalogue MB':>12}"
        )
        print(
            f"{run.datasets:>9,}  {run.seconds:>7.2f}  {run.rate:>10,.0f}  "
            f"{run.child.rss_mb:>11.1f}  {size / 1e6:>12.1f}"
        )
        print(
            f"(peak RSS measured with {run.child.how}: the largest process; for comparison, "
            f"{n:,} datasets: {best_first.child.rss_mb:.1f} MB)"
        )
        if run.child.tree_rss_mb is not None:
            print(
                f"the harvest and its write process together (RSS summed, sampled every "
                f"20 ms): {run.child.tree_rss_mb:.1f} MB at most"
            )
        print(check_outcome(run, "added", m))
        fixture_rss = fixture.peak_rss_mb()
        if fixture_rss is not None:
            print(f"fixture server's own peak RSS: {fixture_rss:.0f} MB (its process, not counted)")
    # the target holds for the harvest's processes together (the larger of the summed
    # samples and the largest single process's exact peak)
    peak = run.child.peak_mb
    FIGURES.add(
        "peak_rss_mb",
        peak,
        "MB",
        baseline=best_first.child.rss_mb,
        target=f"< {MEMORY_TARGET_MB:g}",
    )
    print(
        f"\nmemory target (peak RSS < {MEMORY_TARGET_MB:.0f} MB at {m:,} datasets, the "
        f"harvest's processes together): {peak:.1f} MB -> {verdict(peak < MEMORY_TARGET_MB)}"
    )


def _startup(satudata: str, config: Path, work: Path) -> float:
    """The fastest of two ``harvest --limit 1`` runs into fresh catalogues."""
    best = float("inf")
    for i in range(2):
        db = work / f"warm-{i}.db"
        run = run_harvest(satudata, db, config, work, "warm-up", "--limit", "1")
        best = min(best, run.seconds)
        for path in work.glob(f"warm-{i}.db*"):
            path.unlink()
    return best


if __name__ == "__main__":
    sys.exit(main())
