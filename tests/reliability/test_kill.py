"""kill -9 at many moments of a harvest and of a publish (tests/helpers/kill.py).

Harvest: a CKAN fixture portal on 127.0.0.1 (2,100 datasets in pages of 150, a little
slow, so two write batches), the real CLI killed while fetching, once the first batch
is stored, and at fractions of the tail (last page to exit) of an uninterrupted run;
then the harvest that withdraws the 150 datasets the portal lost, killed while
fetching and while storing and withdrawing. Publish: 30 records to the real CKAN
(``source /tmp/ckan.env``), killed during preflight and after 1, 15 and 22 datasets
were created.

After each kill: ``PRAGMA integrity_check`` and the FTS5 ``integrity-check`` of the
search index; a re-run; the catalogue (every dataset's columns, resources, findings,
the organization counts and search results) or the portal (every dataset, no
duplicate) equal to an uninterrupted run's; every job the kill left ``running``
marked ``interrupted``; after a publish, a third run writes nothing. 14 kill points
here; ``python benchmarks/run.py kill`` runs a sweep of many more.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import kill
from tests.helpers.ckan_real import RUN, RealCkan, connect, purge_run

FIRST = ["fetch-page-1", "fetch-half", "first-batch-stored", "tail-10%", "tail-40%", "tail-70%"]
WITHDRAWAL = [
    "withdrawal-fetch",
    "withdrawal-tail-30%",
    "withdrawal-tail-60%",
    "withdrawal-tail-85%",
]
PUBLISH = ["publish-start", "publish-first-created", "publish-half-created", "publish-late-created"]
RECORDS = 30


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[kill.HarvestWorld]:
    harvest_world = kill.HarvestWorld(tmp_path_factory.mktemp("kill-harvest"))
    try:
        yield harvest_world
    finally:
        harvest_world.close()


def test_the_points_are_the_named_ones(world: kill.HarvestWorld) -> None:
    assert [p.name for p in kill.harvest_points(world)] == FIRST
    assert [p.name for p in kill.withdrawal_points(world)] == WITHDRAWAL
    assert [p.name for p in kill.publish_points(RECORDS)] == PUBLISH
    # the uninterrupted runs the killed ones are compared with
    first = kill.content(world.first())
    withdrawn = kill.content(world.withdrawal())
    assert len(first["datasets"]) == 2100
    statuses = [row[0] for row in withdrawn["datasets"].values()]
    assert statuses.count("withdrawn") == len(world.dropped) == 150


@pytest.mark.parametrize("name", FIRST)
def test_kill_first_harvest(world: kill.HarvestWorld, name: str) -> None:
    """kill -9 during a first harvest: the file is sound, the re-run equals an
    uninterrupted harvest, the killed job is marked interrupted."""
    [point] = [p for p in kill.harvest_points(world) if p.name == name]
    verdict = kill.check_harvest_kill(world, point, withdrawal=False)
    assert not verdict.problems, verdict.line()


@pytest.mark.parametrize("name", WITHDRAWAL)
def test_kill_withdrawing_harvest(world: kill.HarvestWorld, name: str) -> None:
    """kill -9 during the harvest that withdraws 150 datasets: nothing wrongly
    withdrawn or lost, and the re-run withdraws exactly what an uninterrupted run did."""
    [point] = [p for p in kill.withdrawal_points(world) if p.name == name]
    verdict = kill.check_harvest_kill(world, point, withdrawal=True)
    assert not verdict.problems, verdict.line()


@pytest.fixture(scope="module")
def ckan() -> Iterator[RealCkan]:
    real = connect()
    yield real
    purge_run(real)


@pytest.fixture(scope="module")
def reference(ckan: RealCkan, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The portal after one uninterrupted publish of the same records."""
    clean = kill.PublishWorld(tmp_path_factory.mktemp("kill-publish"), ckan, f"{RUN}-kref")
    report = clean.publish()
    assert report["created"] == RECORDS, report
    return clean.portal()


@pytest.mark.parametrize("name", PUBLISH)
def test_kill_publish(
    ckan: RealCkan, reference: list[dict[str, Any]], tmp_path: Path, name: str
) -> None:
    """kill -9 during a publish to the real CKAN: the re-run leaves the portal as a
    clean publish does (each dataset once, the same content) and a third run writes
    nothing."""
    [point] = [p for p in kill.publish_points(RECORDS) if p.name == name]
    tag = f"{RUN}-k{PUBLISH.index(name)}"
    world = kill.PublishWorld(tmp_path, ckan, tag, records=RECORDS)
    verdict = kill.check_publish_kill(world, point, reference)
    assert not verdict.problems, verdict.line()
