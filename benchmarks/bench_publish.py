"""Throughput benchmark: ``satudata publish`` to a real CKAN, beside ckanapi and CKAN's ceiling.

What it does (how to read the output: ``benchmarks/README.md``):

1. Needs a CKAN with a sysadmin token in ``CKAN_URL`` / ``CKAN_API_TOKEN`` (the kit:
   ``eval "$(bash ../shared/ckan/ckan-up.sh)"``). Creates one organization per agency
   for this run (prefix ``bench<random>``), untimed.
2. Generates ``--datasets`` Kota Medan records, harvests them into a fresh katalog
   with the real CLI (untimed), and writes the same records as CKAN packages (the
   publisher's own mapping) in three JSON Lines files with distinct dataset names, one
   per contender, so that each one creates new datasets.
3. Times, each at ``--parallel`` workers, one after the other, each starting from the
   same portal (what one contender created is purged before the next starts), in
   ``--rounds`` rounds of alternating order; each contender's fastest round counts:

   - **ceiling**: raw ``package_create`` calls from a thread pool with one keep-alive
     httpx client, nothing else: what this CKAN can take;
   - **ckanapi**: ``ckanapi load datasets -I FILE -p N -r URL -a TOKEN``;
   - **satudata**: ``satudata publish TARGET --json --concurrency N`` (the real CLI,
     start-up and preflight included), with the write-rate cap out of the way;
   - **unchanged**: the same publish again: its time and its count of write calls.

4. Prints datasets/s, the ratios, and the targets (issue 15): satudata at least 95 % of
   the ceiling measured in the same run, 0 write calls for the unchanged re-publish. The
   ratio to ckanapi is printed for information (the former 1.5x target is withdrawn:
   ckanapi already reaches 80-90 % of the ceiling, so the ceiling is the honest measure).
5. Purges the datasets and organizations it made (``--keep`` leaves them).

Exit status: 0 whatever the measurements say; 2 when it cannot run.

    .venv/bin/python benchmarks/bench_publish.py
    .venv/bin/python benchmarks/bench_publish.py --datasets 200 --parallel 4
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml
from common import BenchmarkError, Figures, clean_env, load_average, tool, verdict

FIGURES = Figures("publish")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from satudata_cli.publish.config import TargetConfig  # noqa: E402
from satudata_cli.publish.mapping import RecordMapper  # noqa: E402

CEILING_TARGET = 0.95  # satudata datasets/s >= 95 % of the raw package_create ceiling
AGENCIES = (
    ("Dinas Kesehatan Kota Medan", "kesehatan"),
    ("Dinas Pendidikan Kota Medan", "pendidikan"),
    ("Dinas Kependudukan dan Pencatatan Sipil Kota Medan", "kependudukan"),
    ("Dinas Perhubungan Kota Medan", "transportasi"),
    ("Badan Pusat Statistik Kota Medan", "statistik"),
)


def make_records(count: int, run: str, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records = []
    for i in range(count):
        agency, topic = AGENCIES[i % len(AGENCIES)]
        year = 2020 + rng.randrange(6)
        records.append(
            {
                "name": f"{run}-{topic}-{i:05d}",
                "title": f"Data {topic.title()} Kecamatan {i} Kota Medan {year}",
                "notes": f"Data {topic} per kecamatan di Kota Medan tahun {year}.",
                "organization": f"{agency} {run}",
                "produsen_data": agency,
                "walidata": "Dinas Komunikasi dan Informatika Kota Medan",
                "konsep": topic.title(),
                "definisi": f"Definisi baku {topic}.",
                "ukuran": "Jumlah",
                "satuan": "unit",
                "jadwal_pemutakhiran": "tahunan",
                "tanggal_dibuat": "2021-03-15",
                "tanggal_diperbarui": "2026-06-01",
                "format": ["csv", "xlsx"],
                "link_akses": f"https://data.pemkomedan.go.id/dataset/{topic}-{i}",
                "klasifikasi_akses": "terbuka",
                "level_penyajian": "kecamatan",
                "kode_wilayah": "12.71",
                "tahun": year,
                "kontak": {"nama": f"Seksi Data {topic}", "email": f"data.{topic}@medan.go.id"},
                "tags": [topic, "kota-medan"],
                "license_id": "cc-by",
                "resources": [
                    {
                        "name": f"{topic} {year} (CSV)",
                        "url": f"https://data.pemkomedan.go.id/files/{topic}-{i}.csv",
                        "format": "csv",
                    }
                ],
            }
        )
    return records


class Api:
    def __init__(self, url: str, token: str, workers: int) -> None:
        self.url = url.rstrip("/")
        self.client = httpx.Client(
            headers={"Authorization": token},
            timeout=60,
            limits=httpx.Limits(max_connections=workers, max_keepalive_connections=workers),
        )

    def call(self, action: str, data: dict[str, Any]) -> Any:
        reply = self.client.post(f"{self.url}/api/3/action/{action}", json=data)
        if reply.status_code != 200:
            raise BenchmarkError(f"{action}: HTTP {reply.status_code}: {reply.text[:300]}")
        return reply.json()["result"]


def run_timed(
    argv: list[str], env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done


def ceiling(api: Api, packages: list[dict[str, Any]], workers: int) -> float:
    errors: list[str] = []
    lock = threading.Lock()

    def create(package: dict[str, Any]) -> None:
        try:
            api.call("package_create", package)
        except BenchmarkError as exc:
            with lock:
                errors.append(str(exc))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(create, packages))
    seconds = time.perf_counter() - started
    if errors:
        raise BenchmarkError(f"raw package_create failed {len(errors)} times: {errors[0]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument(
        "--rounds", type=int, default=2, help="rounds in alternating order; the best counts"
    )
    parser.add_argument("--keep", action="store_true", help="leave the datasets on the portal")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON line per figure on stdout, the report on stderr (benchmarks/run.py)",
    )
    args = parser.parse_args(argv)
    url = os.environ.get("CKAN_URL", "").strip()
    token = os.environ.get("CKAN_API_TOKEN", "").strip()
    with FIGURES.report(args.jsonl):
        if not url or not token:
            print("bench_publish: set CKAN_URL and CKAN_API_TOKEN (see benchmarks/README.md)")
            return 2
        try:
            return _run(args, url, token)
        except BenchmarkError as exc:
            print(f"bench_publish: {exc}")
            return 2


def _run(args: argparse.Namespace, url: str, token: str) -> int:
    run = f"bench{secrets.token_hex(3)}"
    workers = args.parallel
    api = Api(url, token, workers)
    satudata, ckanapi = tool("satudata"), tool("ckanapi")
    print(f"publish benchmark: {args.datasets} datasets, {workers} in parallel, CKAN at {url}")
    print(f"load average: {load_average()}")
    orgs = {f"{agency} {run}": f"{run}-{topic}" for agency, topic in AGENCIES}
    for title, name in orgs.items():
        api.call("organization_create", {"name": name, "title": title})
    try:
        return _measure(args, run, api, orgs, satudata, ckanapi, url, token)
    finally:
        if not args.keep:
            _purge(api, run, workers)


def _measure(
    args: argparse.Namespace,
    run: str,
    api: Api,
    orgs: dict[str, str],
    satudata: str,
    ckanapi: str,
    url: str,
    token: str,
) -> int:
    workers = args.parallel
    records = make_records(args.datasets, run, args.seed)
    with tempfile.TemporaryDirectory(prefix="satudata-bench-publish-") as tmp:
        work = Path(tmp)
        data, cfg = work / "data", work / "cfg"
        (cfg / "targets").mkdir(parents=True)
        data.mkdir()
        with (data / "records.jsonl").open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        (cfg / "bench.yaml").write_text(
            yaml.safe_dump({"id": "bench", "type": "directory", "path": str(data)}),
            encoding="utf-8",
        )
        target = {
            "id": "bench-portal",
            "type": "ckan",
            "url": url,
            "token_env": "BENCH_CKAN_TOKEN",
            "organizations": orgs,
            "http": {"concurrency": workers, "writes_per_second": 1000},
        }
        (cfg / "targets" / "bench-portal.yaml").write_text(
            yaml.safe_dump(target, allow_unicode=True), encoding="utf-8"
        )
        env = {**clean_env(), "BENCH_CKAN_TOKEN": token}
        # ckanapi starts its worker processes as `ckanapi` from PATH
        env["PATH"] = f"{Path(ckanapi).parent}{os.pathsep}{env.get('PATH', '')}"
        db = work / "katalog.db"
        base = [satudata, "--db", str(db), "--config-dir", str(cfg)]
        _, harvested = run_timed([*base, "harvest", "--all", "--full", "--json"], env)
        if harvested.returncode != 0:
            raise BenchmarkError(f"harvest failed: {harvested.stderr[-500:]}")
        added = json.loads(harvested.stdout)[0]["added"]
        if added != len(records):
            raise BenchmarkError(f"the harvest stored {added} of {len(records)} records")

        mapper = RecordMapper(TargetConfig.model_validate(target))

        def packages(prefix: str) -> list[dict[str, Any]]:
            out = []
            for record in records:
                owner = mapper.organization(record)
                out.append(
                    mapper.build(
                        record,
                        source_id=f"{prefix}-bench",  # not satudata's: it must not adopt them
                        remote_id=record["name"],
                        name=f"{prefix}-{record['name']}"[:100],
                        owner=owner[0] if owner else None,
                    )
                )
            return out

        jsonl = work / "ckanapi.jsonl"
        with jsonl.open("w", encoding="utf-8") as out:
            for package in packages("ck"):
                out.write(json.dumps(package, ensure_ascii=False) + "\n")

        def run_ceiling() -> float:
            raw = packages("raw")
            seconds = ceiling(api, raw, workers)
            _purge_names(api, [p["name"] for p in raw], workers)
            return seconds

        def run_ckanapi() -> float:
            seconds, ck = run_timed(
                [ckanapi, "load", "datasets", "-I", str(jsonl), "-p", str(workers), "-r",
                 url, "-a", token, "-q"],
                env,
            )  # fmt: skip
            if ck.returncode != 0:
                raise BenchmarkError(f"ckanapi failed: {ck.stderr[-500:]}")
            _purge_names(api, [p["name"] for p in packages("ck")], workers)
            return seconds

        publish = [*base, "publish", "bench-portal", "--json", "--concurrency", str(workers)]
        reports: list[dict[str, Any]] = []

        def run_satudata() -> float:
            seconds, first = run_timed(publish, env)
            if first.returncode != 0:
                raise BenchmarkError(f"satudata publish failed: {first.stderr[-500:]}")
            reports.append(json.loads(first.stdout))
            return seconds

        # Each contender starts from the same portal: what one created is purged before
        # the next one runs (CKAN and its search index slow down as datasets pile up).
        # Rounds alternate the order, and each contender's fastest round counts, so no
        # one gains from going first on a machine whose load changes.
        contenders = {"ceiling": run_ceiling, "ckanapi": run_ckanapi, "satudata": run_satudata}
        best: dict[str, float] = {}
        rounds: list[dict[str, float]] = []
        order = list(contenders)
        for round_number in range(args.rounds):
            if round_number:
                order.reverse()
                # satudata again from a katalog that never published (the same records)
                db.unlink()
                _purge_names(api, [r["name"] for r in records], workers)
                run_timed([*base, "harvest", "--all", "--full", "--json"], env)
            for name in order:
                seconds = contenders[name]()
                print(f"  round {round_number + 1}: {name:<9} {seconds:7.1f} s")
                best[name] = min(seconds, best.get(name, seconds))
                if len(rounds) <= round_number:
                    rounds.append({})
                rounds[round_number][name] = seconds
        raw_seconds, ck_seconds, sd_seconds = best["ceiling"], best["ckanapi"], best["satudata"]
        first_report = reports[-1]
        again_seconds, again = run_timed(publish, env)
        again_report = json.loads(again.stdout)

    n = args.datasets
    rate = {
        "ceiling": n / raw_seconds,
        "ckanapi": n / ck_seconds,
        "satudata": n / sd_seconds,
    }
    print()
    print(f"{'run':<34}{'seconds':>9}{'datasets/s':>12}{'write calls':>13}")
    print(f"{'ceiling (raw package_create)':<34}{raw_seconds:>9.1f}{rate['ceiling']:>12.1f}{n:>13}")
    print(f"{'ckanapi load datasets':<34}{ck_seconds:>9.1f}{rate['ckanapi']:>12.1f}{'':>13}")
    print(
        f"{'satudata publish (first)':<34}{sd_seconds:>9.1f}{rate['satudata']:>12.1f}"
        f"{first_report['write_calls']:>13}"
    )
    print(
        f"{'satudata publish (unchanged)':<34}{again_seconds:>9.1f}{'':>12}"
        f"{again_report['write_calls']:>13}"
    )
    print()
    versus_ckanapi = rate["satudata"] / rate["ckanapi"]
    versus_ceiling = rate["satudata"] / rate["ceiling"]
    print(
        f"satudata: created {first_report['created']} of {n}, failed {first_report['failed']}, "
        f"left out as invalid {first_report['skipped_invalid']}"
    )
    print(f"satudata / ckanapi: {versus_ckanapi:.2f}x (for information)")
    print(
        f"satudata's share of CKAN's write ceiling (raw package_create, same run): "
        f"{versus_ceiling:.1%} (target >= {CEILING_TARGET:.0%}): "
        f"{verdict(versus_ceiling >= CEILING_TARGET)}"
    )
    # the load of a shared machine changes between contenders: each round's own share
    # (the ceiling's seconds over satudata's) shows how far the best-of figure moved
    print(
        "share of the ceiling per round (its seconds / satudata's): "
        + ", ".join(
            f"round {i + 1} {r['ceiling'] / r['satudata']:.0%}" for i, r in enumerate(rounds)
        )
    )
    unchanged_ok = again_report["write_calls"] == 0 and again_report["unchanged"] == n
    FIGURES.add("ceiling_datasets_per_s", rate["ceiling"], "datasets/s")
    FIGURES.add("datasets_per_s", rate["satudata"], "datasets/s", baseline=rate["ckanapi"])
    FIGURES.add(
        "vs_ceiling",
        rate["satudata"],
        "datasets/s",
        baseline=rate["ceiling"],
        target=f"ratio >= {CEILING_TARGET:g}",
    )
    FIGURES.add("unchanged_write_calls", again_report["write_calls"], "calls", target="== 0")
    FIGURES.add("unchanged_republish_s", again_seconds, "s", baseline=sd_seconds)
    print(
        f"unchanged re-publish: {again_seconds:.2f} s, {again_report['write_calls']} write "
        f"calls (target 0): {verdict(unchanged_ok)}"
    )
    return 0


def _purge_names(api: Api, names: list[str], workers: int) -> None:
    def purge(name: str) -> None:
        with contextlib.suppress(BenchmarkError):  # not there: a create that failed
            api.call("dataset_purge", {"id": name})

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(purge, names))


def _purge(api: Api, run: str, workers: int) -> None:
    names: list[str] = []
    for org in {f"{run}-{topic}" for _agency, topic in AGENCIES}:
        while True:
            found = api.call(
                "package_search",
                {"fq": f'organization:"{org}"', "rows": 1000, "include_private": True,
                 "start": 0},
            )  # fmt: skip
            batch = [p["id"] for p in found["results"] if p["id"] not in names]
            if not batch:
                break
            names.extend(batch)
            with ThreadPoolExecutor(max_workers=workers) as pool:
                list(pool.map(lambda i: api.call("dataset_purge", {"id": i}), batch))
        api.call("organization_purge", {"id": org})
    print(f"purged {len(names)} datasets and the organizations of run {run}")


if __name__ == "__main__":
    sys.exit(main())
