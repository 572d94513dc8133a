"""Benchmark: harvesting a large DCAT document, the streaming reader against rdflib.

Issue 15, target 2: a DCAT harvest of a 20,000-dataset Turtle / RDF/XML / N-Triples /
JSON-LD document at least 5x faster than the rdflib reader, at a peak RSS of at most
300 MB, with identical records. For each format this script writes the document
(``tests/helpers/dcat_corpus.py``: varied, realistic Kota Medan datasets), then runs the
real CLI twice into fresh catalogues, side by side in one run:

- **baseline**: ``SATUDATA_DCAT_READER=rdflib satudata harvest``: the whole document in
  one rdflib graph, mapped through rdflib terms (the reader before issue 15);
- **satudata**: ``satudata harvest``: pyoxigraph parses, a light index maps.

and compares the records both catalogues hold (``identical_records``: 1 when every
stored record, remote id and content hash are the same). Wall-clock seconds come from
``/usr/bin/time -v`` (else ``os.wait4``); the peak RSS counts the harvest and its write
process together (the larger of GNU time's peak and the summed PSS samples of the
tree, which count a shared page once).

    .venv/bin/python benchmarks/bench_dcat_harvest.py                  # 20,000 datasets
    .venv/bin/python benchmarks/bench_dcat_harvest.py --datasets 2000 --format turtle
    .venv/bin/python benchmarks/bench_dcat_harvest.py --jsonl          # one JSON line per figure

Exit status: 0 whenever the measurement ran (targets met or not), 2 when it could not.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from common import (
    ROOT,
    BenchmarkError,
    Child,
    Figures,
    load_average,
    measure_child,
    tool,
    verdict,
)

FIGURES = Figures("dcat_harvest")
FORMATS = ("turtle", "xml", "nt", "json-ld")
LABELS = {"turtle": "Turtle", "xml": "RDF/XML", "nt": "N-Triples", "json-ld": "JSON-LD"}
SPEED_TARGET = 5.0  # x the rdflib reader
MEMORY_TARGET_MB = 300.0
SOURCE_ID = "bench-dcat"


def write_config(folder: Path, document: Path, rdf_format: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    option = {"turtle": "turtle", "xml": "rdfxml", "nt": "ntriples", "json-ld": "jsonld"}
    (folder / f"{SOURCE_ID}.yaml").write_text(
        f"""\
# written by benchmarks/bench_dcat_harvest.py
id: {SOURCE_ID}
title: Benchmark DCAT document
type: dcat
path: {document}
dcat:
  format: {option[rdf_format]}
http:
  max_response_mb: 1024
defaults:
  walidata: Dinas Komunikasi dan Informatika Kota Medan
schedule: manual
profile: sdi-dasar
""",
        encoding="utf-8",
    )
    return folder


def harvest(satudata: str, db: Path, config: Path, work: Path, rdflib: bool) -> Child:
    argv = [satudata, "--db", str(db), "--config-dir", str(config), "harvest", "--all"]
    run = measure_child(
        [*argv, "--full", "--json"],
        cwd=work,
        env={"SATUDATA_DCAT_READER": "rdflib"} if rdflib else {},
        tree=True,
    )
    if run.code not in (0, 3):
        raise BenchmarkError(
            f"satudata harvest exited {run.code}: {run.stderr[-2000:]}{run.stdout[-1000:]}"
        )
    return run


def stored(db: Path) -> dict[str, tuple[str, str]]:
    """remote id -> (record JSON, content hash) of the active datasets."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            remote_id: (record, content_hash)
            for remote_id, record, content_hash in conn.execute(
                "SELECT remote_id, record, content_hash FROM datasets WHERE status = 'active'"
            )
        }
    finally:
        conn.close()


def measure(args: argparse.Namespace, work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.helpers import dcat_corpus

    satudata = tool("satudata")
    print(f"DCAT harvest, {args.datasets:,} datasets per document; load {load_average()}")
    header = (
        f"{'format':<10} {'reader':<26} {'MB':>6} {'seconds':>8} {'datasets/s':>11} "
        f"{'CPU s':>7} {'peak RSS MB':>12} {'x rdflib':>9} {'x (CPU)':>8}"
    )
    print(header)
    print("-" * len(header))
    for rdf_format in args.format or FORMATS:
        label = LABELS[rdf_format]
        document = dcat_corpus.write(args.datasets, rdf_format, work / f"catalogue-{rdf_format}")
        size_mb = document.stat().st_size / 1048576
        config = write_config(work / f"config-{rdf_format}", document, rdf_format)
        runs: dict[str, Child] = {}
        dbs: dict[str, Path] = {}
        for reader in ("rdflib", "satudata"):
            dbs[reader] = work / f"{rdf_format}-{reader}.db"
            if args.skip_baseline and reader == "rdflib":
                continue
            runs[reader] = harvest(satudata, dbs[reader], config, work, reader == "rdflib")
        fast = runs["satudata"]
        base = runs.get("rdflib")
        records = stored(dbs["satudata"])
        rate = len(records) / fast.seconds
        key = rdf_format.replace("-", "")
        if base is not None:
            base_records = stored(dbs["rdflib"])
            base_rate = len(base_records) / base.seconds
            same = int(records == base_records and len(records) > 0)
            print(
                f"{label:<10} {'rdflib (baseline)':<26} {size_mb:6.1f} {base.seconds:8.2f} "
                f"{base_rate:11,.0f} {base.cpu:7.2f} {base.peak_mb:12.1f} {1.0:9.2f} {1.0:8.2f}"
            )
            print(
                f"{label:<10} {'pyoxigraph + light index':<26} {size_mb:6.1f} "
                f"{fast.seconds:8.2f} {rate:11,.0f} {fast.cpu:7.2f} {fast.peak_mb:12.1f} "
                f"{rate / base_rate:9.2f} {base.cpu / fast.cpu:8.2f}"
            )
            FIGURES.add(f"{key}_seconds", fast.seconds, "s", baseline=base.seconds)
            FIGURES.add(f"{key}_cpu_s", fast.cpu, "s", baseline=base.cpu)
            FIGURES.add(
                f"{key}_datasets_per_s",
                rate,
                "datasets/s",
                baseline=base_rate,
                target=f"ratio >= {SPEED_TARGET:g}",
            )
            FIGURES.add(
                f"{key}_peak_rss_mb",
                fast.peak_mb,
                "MB",
                baseline=base.peak_mb,
                target=f"<= {MEMORY_TARGET_MB:g}",
            )
            FIGURES.add(f"{key}_identical_records", same, "bool", target="== 1")
            print(
                f"  {len(records):,} records; identical to rdflib's: {'yes' if same else 'NO'}; "
                f"speed {rate / base_rate:.2f}x -> {verdict(rate / base_rate >= SPEED_TARGET)}; "
                f"memory {fast.peak_mb:.0f} MB -> {verdict(fast.peak_mb <= MEMORY_TARGET_MB)}"
            )
        else:
            print(
                f"{label:<10} {'pyoxigraph + light index':<26} {size_mb:6.1f} "
                f"{fast.seconds:8.2f} {rate:11,.0f} {fast.cpu:7.2f} {fast.peak_mb:12.1f}"
            )
            FIGURES.add(f"{key}_seconds", fast.seconds, "s")
            FIGURES.add(f"{key}_cpu_s", fast.cpu, "s")
            FIGURES.add(f"{key}_datasets_per_s", rate, "datasets/s")
            FIGURES.add(f"{key}_peak_rss_mb", fast.peak_mb, "MB", target=f"<= {MEMORY_TARGET_MB:g}")
        if args.profile:
            split(config, work / f"{rdf_format}-split.db")
        for db in dbs.values():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        document.unlink(missing_ok=True)
    print(f"load after: {load_average()}")


def split(config: Path, db: Path) -> None:
    """Where the streaming reader's harvest spends its CPU, in-process (no profiler
    overhead): reading the document (parse + map, the source) against the whole run."""
    from satudata_cli.pipeline.harvest import Harvester
    from satudata_cli.sources.config import load_sources
    from satudata_cli.sources.dcat_reader import DcatSource

    (source_config,) = load_sources(config)
    start = time.process_time()
    records = list(DcatSource(source_config).gather(since=None, limit=None))
    source_cpu = time.process_time() - start
    del records
    start = time.process_time()
    Harvester(db, concurrency=1).run([source_config], full=True)
    whole = time.process_time() - start
    print(
        f"  CPU split, in-process (no start-up): reading the document {source_cpu:.2f} s "
        f"(parse and map), the whole harvest {whole:.2f} s, so the engine (validation, "
        f"hashing, writing) {whole - source_cpu:.2f} s"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="DCAT harvest: the streaming reader against rdflib (issue 15, target 2)."
    )
    parser.add_argument("--datasets", type=int, default=20000, help="datasets per document")
    parser.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        help="only this format (repeatable; default: all four)",
    )
    parser.add_argument("--skip-baseline", action="store_true", help="do not run the rdflib reader")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print the CPU split between reading the document and the engine",
    )
    parser.add_argument("--workdir", type=Path, help="put the work folder here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--jsonl", action="store_true", help="one JSON line per figure on stdout")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.datasets < 1:
        print("--datasets must be at least 1", file=sys.stderr)
        return 2
    return FIGURES.run_in_workdir(
        args, "satudata-bench-dcat-harvest-", measure, kept="work folder kept in"
    )


if __name__ == "__main__":
    sys.exit(main())
