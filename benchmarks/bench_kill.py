"""The long kill -9 run: ``tests/helpers/kill.py`` at many more moments than CI.

Harvest: the CKAN fixture portal of the CI test (2,100 datasets, pages of 150), killed
after every page of a first harvest and of the withdrawing harvest, and at ``--steps``
evenly spread moments of each one's tail (last page to exit, as measured on an
uninterrupted run here). Publish (when ``CKAN_URL`` and ``CKAN_API_TOKEN`` are set,
unless ``--no-publish``): ``--records`` records to the real CKAN, killed after every
``--publish-every``-th created dataset. After each kill: the file's integrity, a
re-run, the comparison with an uninterrupted run, the jobs left running marked
interrupted (see tests/reliability/test_kill.py).

Exit status: 0 whenever the run ran (read the figures), 2 when it could not.

    .venv/bin/python benchmarks/bench_kill.py
    .venv/bin/python benchmarks/run.py kill --steps 20 --no-publish
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from common import ROOT, Figures, load_average

FIGURES = Figures("kill")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=10, metavar="N", help="moments per tail")
    parser.add_argument("--records", type=int, default=30, metavar="N", help="records published")
    parser.add_argument(
        "--publish-every", type=int, default=3, metavar="N", help="a kill every N creates"
    )
    parser.add_argument("--no-publish", action="store_true", help="harvest kills only")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON line per figure on stdout, the report on stderr (benchmarks/run.py)",
    )
    args = parser.parse_args(argv)
    if args.steps < 1 or args.records < 2 or args.publish_every < 1:
        parser.error("--steps and --publish-every must be at least 1, --records at least 2")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.helpers import kill

    work = Path(tempfile.mkdtemp(prefix="satudata-bench-kill-"))
    with FIGURES.report(args.jsonl):
        try:
            print(f"kill -9 sweep; load average at start: {load_average()}")
            started = time.perf_counter()
            runs = consistent = killed = 0
            world = kill.HarvestWorld(work / "harvest")
            try:
                for point, withdrawal in kill.sweep_points(world, args.steps):
                    verdict = kill.check_harvest_kill(world, point, withdrawal=withdrawal)
                    runs += 1
                    killed += verdict.killed.killed
                    consistent += not [p for p in verdict.problems if "before the kill" not in p]
                    print(verdict.line(), flush=True)
            finally:
                world.close()
            harvest_runs, harvest_consistent = runs, consistent
            FIGURES.add("harvest_kills", killed, "runs")
            FIGURES.add(
                "harvest_consistent", harvest_consistent, "runs", baseline=harvest_runs,
                target="ratio == 1",
            )  # fmt: skip
            if not args.no_publish and os.environ.get("CKAN_URL"):
                from tests.helpers.ckan_real import RUN, connect, purge_run

                ckan = connect()
                try:
                    ref = kill.PublishWorld(work / "ref", ckan, f"{RUN}-bref", args.records)
                    ref.publish()
                    reference = ref.portal()
                    creates = range(1, args.records, args.publish_every)
                    points = [kill.publish_points(args.records)[0]] + [
                        kill.KillPoint(
                            f"publish-created-{n}", "create", lambda w, n=n: w.published() >= n
                        )
                        for n in creates
                    ]
                    for index, point in enumerate(points):
                        world_p = kill.PublishWorld(
                            work / point.name, ckan, f"{RUN}-b{index}", args.records
                        )
                        verdict = kill.check_publish_kill(world_p, point, reference)
                        runs += 1
                        killed += verdict.killed.killed
                        consistent += not [
                            p for p in verdict.problems if "before the kill" not in p
                        ]
                        print(verdict.line(), flush=True)
                finally:
                    purge_run(ckan)
                FIGURES.add(
                    "publish_consistent", consistent - harvest_consistent, "runs",
                    baseline=runs - harvest_runs, target="ratio == 1",
                )  # fmt: skip
            else:
                print("publish: skipped (--no-publish, or CKAN_URL is not set)")
            FIGURES.add("kill_runs", runs, "runs")
            FIGURES.add("consistent", consistent, "runs", baseline=runs, target="ratio == 1")
            print(
                f"\n{runs} kill -9 runs ({killed} killed before the end), {consistent} "
                f"consistent with an uninterrupted run, {time.perf_counter() - started:.0f} s; "
                f"load average at the end: {load_average()}"
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
