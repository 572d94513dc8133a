"""The link-check storage: satudata_cli.catalogue.links (real SQLite files in tmp_path)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.catalogue import Catalogue, LinkCheckResult, LinkPlace
from satudata_cli.catalogue.links import is_confirmed_broken
from satudata_cli.standard.findings import RecordResult

T0 = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def _record(i: int, org: str, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": f"dataset-{i}",
        "title": f"Jumlah Puskesmas {i}",
        "organization": org,
        "produsen_data": f"Bidang {org}",
        "link_akses": f"https://data.example.go.id/dataset/{i}",
        "resources": [
            {"name": "CSV", "url": f"https://files.example.go.id/{i}.csv", "format": "CSV"},
            {"name": "Shared", "url": "https://files.example.go.id/shared.pdf", "format": "PDF"},
        ],
    }
    record.update(extra)
    return record


def _harvest(cat: Catalogue, source: str, records: dict[int, dict[str, Any]]) -> None:
    job = cat.start_job(source, full=True)
    with cat.writer(job) as writer:
        for i, record in records.items():
            result = RecordResult(
                source=source, record=record["name"], index=i, findings=[], normalized=record
            )
            writer.put(f"remote-{i}", record, result)
    cat.finish_job(job, "finished")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cat(tmp_path: Path, clock: FakeClock) -> Iterator[Catalogue]:
    catalogue = Catalogue.open(tmp_path / "satudata.db", clock=clock)
    catalogue.upsert_source("medan", "Portal Data Medan", "ckan", "https://data.example", "h")
    catalogue.upsert_source("sumut", "Portal Sumut", "ckan", "https://sumut.example", "h")
    _harvest(
        catalogue,
        "medan",
        {1: _record(1, "Dinas Kesehatan"), 2: _record(2, "Dinas Pendidikan", link_akses=" ")},
    )
    _harvest(catalogue, "sumut", {3: _record(3, "Bappeda")})
    yield catalogue
    assert catalogue.integrity_check() == ["ok"]
    assert catalogue.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    catalogue.close()


def _check(
    url: str, verdict: Any, places: tuple[LinkPlace, ...] = (), **kw: Any
) -> LinkCheckResult:
    return LinkCheckResult(url=url, verdict=verdict, places=places, **kw)


def test_targets_are_distinct_urls_of_active_datasets_with_every_place(cat: Catalogue) -> None:
    targets = cat.link_checks().targets()
    urls = [t.url for t in targets]
    # link_akses of 1 and 3 (2's is blank), each dataset's CSV, the shared PDF once
    assert urls == sorted(urls)
    assert len(urls) == len(set(urls)) == 6
    shared = next(t for t in targets if t.url.endswith("shared.pdf"))
    assert len(shared.places) == 3
    assert {p.resource_position for p in shared.places} == {1}
    landing = next(t for t in targets if t.url.endswith("/dataset/1"))
    assert landing.places[0].resource_position is None and landing.checked_at is None
    only_medan = cat.link_checks().targets(source_ids=["medan"], organizations=["Dinas Kesehatan"])
    assert {t.url for t in only_medan} == {
        "https://data.example.go.id/dataset/1",
        "https://files.example.go.id/1.csv",
        "https://files.example.go.id/shared.pdf",
    }


def test_max_age_skips_recently_checked_urls(cat: Catalogue, clock: FakeClock) -> None:
    links = cat.link_checks()
    run = links.start_run()
    links.record(run, [_check("https://files.example.go.id/1.csv", "ok", status=200)])
    links.finish_run(run, "finished", urls=1, counters={"ok": 1})
    clock.advance(days=3)
    week = dt.timedelta(days=7)
    assert "https://files.example.go.id/1.csv" not in {t.url for t in links.targets(max_age=week)}
    assert len(links.targets(max_age=dt.timedelta(0))) == 6
    assert len(links.targets(max_age=None)) == 6
    clock.advance(days=5)
    assert len(links.targets(max_age=week)) == 6
    [last] = links.runs()
    assert (last.status, last.urls, last.counters) == ("finished", 1, {"ok": 1})
    assert links.last_run() == last


def test_two_checks_rule_with_fake_clock(cat: Catalogue, clock: FakeClock) -> None:
    links = cat.link_checks()
    url = "https://files.example.go.id/1.csv"
    dead = {"status": 404, "reason_id": "tidak ditemukan", "reason_en": "not found"}

    def check(verdict: str, **kw: Any) -> None:
        run = links.start_run()
        links.record(run, [_check(url, verdict, **kw)])
        links.finish_run(run, "finished")

    check("broken", **dead)
    state = links.state(url)
    assert state is not None and state.failures == 1 and not state.broken
    clock.advance(hours=2)
    check("broken", **dead)  # two failures, only 2 h apart: a night's outage
    state = links.state(url)
    assert state is not None and state.failures == 2 and not state.broken
    assert state.first_failed_at == "2026-05-01T02:00:00.000Z"
    clock.advance(hours=18)
    check("unverifiable", status=429)  # neither confirms nor refutes; never broken itself
    state = links.state(url)
    assert state is not None and state.failures == 2 and not state.broken
    check("broken", **dead)  # 20 h after the first failure
    state = links.state(url)
    assert state is not None and state.failures == 3 and state.broken
    assert not links.state(url, broken_after_hours=21).broken  # type: ignore[union-attr]
    rows = [r for r in links.links() if r.url == url]
    assert [(r.broken, r.broken_days, r.reason_en) for r in rows] == [(True, 0, "not found")]
    clock.advance(days=3)
    assert [r.broken_days for r in links.links() if r.url == url] == [3]
    check("ok", status=200)  # fixed: the run of failures ends
    state = links.state(url)
    assert state is not None
    assert (state.failures, state.first_failed_at, state.broken) == (0, None, False)
    assert state.last_ok_at == state.checked_at
    assert [c.verdict for c in links.history(url)] == [
        "ok",
        "broken",
        "unverifiable",
        "broken",
        "broken",
    ]


def test_is_confirmed_broken_needs_broken_verdict_and_hours() -> None:
    a, b = "2026-05-01T00:00:00.000Z", "2026-05-01T20:00:00.000Z"
    assert is_confirmed_broken("broken", 2, a, b)
    assert not is_confirmed_broken("broken", 1, a, b)
    assert not is_confirmed_broken("unverifiable", 5, a, b)
    assert not is_confirmed_broken("broken", 2, a, b, hours=20.5)


def test_links_join_dataset_fields_and_places(cat: Catalogue) -> None:
    links = cat.link_checks()
    shared = "https://files.example.go.id/shared.pdf"
    run = links.start_run()
    places = next(t for t in links.targets() if t.url == shared).places
    links.record(
        run,
        [_check(shared, "ok", places, status=200, content_type="text/html", content_length=10)],
    )
    rows = list(links.links())
    assert len(rows) == 3 + 3 + 2  # 3 CSVs, 3 shared PDFs, 2 link_akses
    pdf = [r for r in rows if r.url == shared]
    assert {(r.source_id, r.organization) for r in pdf} == {
        ("medan", "Dinas Kesehatan"),
        ("medan", "Dinas Pendidikan"),
        ("sumut", "Bappeda"),
    }
    first = pdf[0]
    assert (first.kind, first.resource_format, first.content_type, first.verdict) == (
        "resource",
        "PDF",
        "text/html",
        "ok",
    )
    assert first.produsen_data == f"Bidang {first.organization}"
    assert first.dataset_name and first.dataset_title and first.remote_id
    unchecked = [r for r in rows if r.verdict is None]
    assert len(unchecked) == 5 and all(r.failures == 0 and not r.broken for r in unchecked)
    assert len(links.history(shared)) == 3  # one history row per place
    assert len(list(links.links(source_ids=["sumut"]))) == 3


def test_prune_deletes_old_runs_with_jobs_but_keeps_state(cat: Catalogue, clock: FakeClock) -> None:
    links = cat.link_checks()
    url = "https://files.example.go.id/1.csv"
    old = links.start_run()
    links.record(old, [_check(url, "broken", status=404)])
    links.finish_run(old, "finished")
    running = links.start_run()
    clock.advance(days=100)
    new = links.start_run()
    links.record(new, [_check(url, "broken", status=404)])
    links.finish_run(new, "finished")
    result = cat.prune(dt.timedelta(days=90))
    assert (result.link_runs, result.link_checks) == (1, 1)
    assert {r.id for r in links.runs()} == {running, new}
    assert [c.run_id for c in links.history(url)] == [new]
    state = links.state(url)
    assert state is not None and state.failures == 2 and state.broken  # 100 days apart
    assert links.interrupt_stale_runs() == 1


def test_discard_run_marks_nothing(cat: Catalogue) -> None:
    links = cat.link_checks()
    run = links.start_run()
    links.discard_run(run)
    assert links.runs() == [] and links.count_checks() == 0
    with pytest.raises(ValueError):
        links.finish_run(run, "running")
