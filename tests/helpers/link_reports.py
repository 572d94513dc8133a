"""A katalog with stored link checks of known answer, for the links report, the link
findings and the score (tests/cli/test_report_links.py, tests/e2e).

Two agencies harvested by the real engine from directory sources; each dataset gives
two links (its ``link_akses`` and one CSV resource). The checks are written through the
link-check storage API (:meth:`Catalogue.link_checks`) with explicit check times
relative to ``now``:

Dinas Kesehatan (4 datasets, 8 links): dataset 0's link_akses broken (failed 30 and 29
days ago), its CSV ok; dataset 1's link_akses failed twice only 2 hours apart (pending,
not broken), its CSV answers 403 (unverifiable); dataset 2's link_akses permanently
redirected, its CSV ok but answered with text/html (a login page); dataset 3's
link_akses failed twice exactly 20 hours apart (broken, 5 days), its CSV never checked.
Bappeda (3 datasets, 6 links): all ok but dataset 10's CSV (broken, 10 days).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from satudata_cli.catalogue import Catalogue, LinkCheckResult
from satudata_cli.catalogue.timestamps import to_iso
from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record
from tests.helpers.reports import BAPPEDA, DINKES, XSS_TITLE, write_records

NEW_URL = "https://portal.pemkomedan.go.id/dataset/2"
DEAD = {"status": 404, "reason_id": "tidak ditemukan", "reason_en": "not found"}


def link_akses(i: int) -> str:
    return f"https://data.pemkomedan.go.id/dataset/jumlah-puskesmas-{i}"


def csv_url(i: int) -> str:
    return f"https://data.pemkomedan.go.id/files/puskesmas-{i}.csv"


def link_cli(tmp_path: Path) -> Cli:
    """A config folder with the two agencies' directory sources (not harvested yet)."""
    cfg = tmp_path / "harvest_configs"
    dinkes = [make_record(i) for i in range(4)]
    dinkes[2]["title"] = XSS_TITLE
    common: dict[str, Any] = {"organization": BAPPEDA, "produsen_data": "Bidang Perencanaan"}
    bappeda = [make_record(i, **common) for i in (10, 11, 12)]
    write_records(cfg / "data" / "dinkes", dinkes)
    write_records(cfg / "data" / "bappeda", bappeda)
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    write_source(cfg, "bappeda", title="Bappeda", type="directory", path="data/bappeda")
    return Cli(tmp_path / "katalog.db", cfg)


def record_checks(db: Path, now: dt.datetime) -> None:
    """Store the checks described in the module's docstring (two runs)."""

    def at(**ago: float) -> str:
        return to_iso(now - dt.timedelta(**ago))

    with Catalogue.open(db, create=False) as cat:
        links = cat.link_checks()
        places = {t.url: t.places for t in links.targets(max_age=None)}

        def check(url: str, verdict: str, when: str, **kw: Any) -> LinkCheckResult:
            return LinkCheckResult(
                url=url, verdict=verdict, checked_at=when, places=places[url], **kw
            )  # type: ignore[arg-type]

        first = [
            check(link_akses(0), "broken", at(days=30), **DEAD),
            check(link_akses(1), "broken", at(hours=3), **DEAD),
            check(link_akses(3), "broken", at(days=5), **DEAD),
            check(csv_url(10), "broken", at(days=10), **DEAD),
        ]
        second = [
            check(link_akses(0), "broken", at(days=29), **DEAD),
            check(link_akses(1), "broken", at(hours=1), **DEAD),
            check(link_akses(3), "broken", at(days=5, hours=-20), **DEAD),
            check(csv_url(10), "broken", at(days=9), **DEAD),
            check(csv_url(0), "ok", at(days=1), status=200, content_type="text/csv"),
            check(
                csv_url(1),
                "unverifiable",
                at(days=1),
                status=403,
                reason_id="akses ditolak",
                reason_en="forbidden",
            ),
            check(
                link_akses(2),
                "redirected-permanently",
                at(days=1),
                status=301,
                final_url=NEW_URL,
            ),
            check(
                csv_url(2),
                "ok",
                at(days=1),
                status=200,
                content_type="text/html; charset=utf-8",
            ),
            *(
                check(url, "ok", at(days=1), status=200, content_type="text/csv")
                for i in (10, 11, 12)
                for url in (link_akses(i), csv_url(i))
                if url != csv_url(10)
            ),
        ]
        for batch in (first, second):
            run = links.start_run()
            links.record(run, batch)
            links.finish_run(run, "finished", urls=len(batch))


#: dataset remote name -> the link findings it must have (rule, path)
EXPECTED_FINDINGS: dict[str, set[tuple[str, str]]] = {
    "jumlah-puskesmas-0": {("link.broken", "$.link_akses")},
    "jumlah-puskesmas-2": {
        ("link.redirected", "$.link_akses"),
        ("link.content-type-mismatch", "$.resources[0].url"),
    },
    "jumlah-puskesmas-3": {("link.broken", "$.link_akses")},
    "jumlah-puskesmas-10": {("link.broken", "$.resources[0].url")},
}
#: the points they cost in the score (error 10, warning 2)
EXPECTED_POINTS = {
    "jumlah-puskesmas-0": 10,
    "jumlah-puskesmas-2": 4,
    "jumlah-puskesmas-3": 10,
    "jumlah-puskesmas-10": 10,
}
__all__ = ["BAPPEDA", "DINKES", "EXPECTED_FINDINGS", "EXPECTED_POINTS", "link_cli", "record_checks"]
