"""Three directory sources whose datasets fall into the three pillars of Medan Satu Data
(and outside them), with known answers, for the ``--by pilar`` tests.

- ``dukcapil``: ``pilar: sektoral`` and ``pilar_by_organization`` naming
  :data:`DUKCAPIL` -> ``kependudukan``. Its records: two of Dukcapil (one without
  ``kontak``: a missing recommended field), one of Dukcapil that names its own pillar
  ``layanan_publik`` (the record wins), one of :data:`KECAMATAN` (not in the map: the
  source's ``sektoral``).
- ``dinkes``: ``pilar: sektoral``; two records, one of them overdue for update
  (``tanggal_diperbarui`` 2024).
- ``mpp``: no pillar in its config; one record naming ``Data Layanan Publik`` (a
  variant of ``layanan_publik``), one naming none, one naming ``sosial`` (outside the
  vocabulary: an error).

So, per pillar: ``kependudukan`` 2 datasets (scores 100 and 95), ``layanan_publik`` 2
(100, 100), ``sektoral`` 3 (100, 98, 100; one overdue), ``sosial`` 1 (90), no pillar 1
(100).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from satudata_cli.catalogue import Catalogue
from satudata_cli.standard import scoring
from satudata_cli.standard.validator import Validator
from tests.helpers.cli import write_source
from tests.helpers.history import Clock, medan_record
from tests.helpers.reports import write_records

DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kota Medan"
KECAMATAN = "Kecamatan Medan Kota"
DINKES = "Dinas Kesehatan Kota Medan"
MPP = "Mal Pelayanan Publik Kota Medan"

FULL = 100.0
NO_KONTAK = 100.0 - scoring.MISSING_RECOMMENDED
OVERDUE = 100.0 - scoring.OTHER_WARNING  # freshness.overdue, a warning
UNKNOWN_PILAR = 100.0 - scoring.OTHER_ERROR  # vocab.unknown, an error

#: pillar -> the scores of its datasets (None: the datasets without a pillar)
SCORES: dict[str | None, list[float]] = {
    "kependudukan": [FULL, NO_KONTAK],
    "layanan_publik": [FULL, FULL],
    "sektoral": [FULL, OVERDUE, FULL],
    "sosial": [UNKNOWN_PILAR],
    None: [FULL],
}


def mean(scores: list[float]) -> float:
    return round(sum(scores) / len(scores), 1)


def dukcapil_records() -> list[dict[str, Any]]:
    no_kontak = medan_record("penduduk-kecamatan", DUKCAPIL)
    del no_kontak["kontak"]
    return [
        medan_record("penduduk-umur", DUKCAPIL),
        no_kontak,
        medan_record("layanan-ktp", DUKCAPIL, pilar="layanan_publik"),
        medan_record("rt-rw", KECAMATAN),
    ]


def dinkes_records() -> list[dict[str, Any]]:
    return [
        medan_record("puskesmas", DINKES),
        medan_record("posyandu", DINKES, tanggal_diperbarui="2024-01-10"),
    ]


def mpp_records() -> list[dict[str, Any]]:
    return [
        medan_record("antrean-mpp", MPP, pilar="Data Layanan Publik"),
        medan_record("pengunjung-mpp", MPP),
        medan_record("survei-mpp", MPP, pilar="sosial"),
    ]


def three_pillars(tmp_path: Path) -> Path:
    """The config folder of the three sources above under ``tmp_path``."""
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "dukcapil", dukcapil_records())
    write_records(cfg / "data" / "dinkes", dinkes_records())
    write_records(cfg / "data" / "mpp", mpp_records())
    write_source(
        cfg,
        "dukcapil",
        type="directory",
        path="data/dukcapil",
        pilar="sektoral",
        # matched ignoring case and blanks
        pilar_by_organization={DUKCAPIL.upper().replace(" ", "  "): "kependudukan"},
    )
    write_source(cfg, "dinkes", type="directory", path="data/dinkes", pilar="sektoral")
    write_source(cfg, "mpp", type="directory", path="data/mpp")
    return cfg


# ------------------------------------------------------------ several jobs


def _rec(remote: str, org: str, pilar: str | None, complete: bool = True) -> dict[str, Any]:
    record = medan_record(remote, org)
    if pilar is not None:
        record["pilar"] = pilar
    if not complete:
        del record["kontak"]
    return record


def _days() -> Iterator[list[dict[str, Any]]]:
    """Three daily harvests of one source: each day's records."""
    yield [
        _rec("dukcapil-0", DUKCAPIL, "kependudukan", complete=False),
        _rec("dukcapil-1", DUKCAPIL, "kependudukan"),
        _rec("dinkes-0", DINKES, "sektoral"),
        _rec("mpp-0", MPP, "layanan_publik"),
    ]
    yield [  # dukcapil-0 gets its kontak; dinkes adds a dataset without one
        _rec("dukcapil-0", DUKCAPIL, "kependudukan"),
        _rec("dukcapil-1", DUKCAPIL, "kependudukan"),
        _rec("dinkes-0", DINKES, "sektoral"),
        _rec("dinkes-1", DINKES, "sektoral", complete=False),
        _rec("mpp-0", MPP, "layanan_publik"),
    ]
    yield [  # mpp-0 loses its pillar, mpp-1 comes
        _rec("dukcapil-0", DUKCAPIL, "kependudukan"),
        _rec("dukcapil-1", DUKCAPIL, "kependudukan"),
        _rec("dinkes-0", DINKES, "sektoral"),
        _rec("dinkes-1", DINKES, "sektoral", complete=False),
        _rec("mpp-0", MPP, None),
        _rec("mpp-1", MPP, "layanan_publik"),
    ]


#: pillar -> (datasets, score) at the end of each of the three days
TREND: dict[str | None, list[tuple[int, float] | None]] = {
    "kependudukan": [(2, mean([NO_KONTAK, FULL])), (2, FULL), (2, FULL)],
    "sektoral": [(1, FULL), (2, mean([FULL, NO_KONTAK])), (2, mean([FULL, NO_KONTAK]))],
    "layanan_publik": [(1, FULL), (1, FULL), (1, FULL)],
    None: [None, None, (1, FULL)],
}


@dataclass(frozen=True)
class Days:
    path: Path
    first: dt.date
    last: dt.date


def several_days(path: Path, first: dt.date = dt.date(2026, 11, 2)) -> Days:
    """A catalogue of one source harvested on three days (19:00 UTC) through the real
    catalogue code (jobs, writer, snapshots), with the records of :func:`_days`; the
    trend per pillar is :data:`TREND`."""
    validator = Validator(today=first + dt.timedelta(days=2))
    clock = Clock(dt.datetime.combine(first, dt.time(19), tzinfo=dt.UTC))
    with Catalogue.open(path, clock=clock) as cat:
        cat.upsert_source("medan", "Kota Medan", "directory", "data", None)
        for i, records in enumerate(_days()):
            clock.now = dt.datetime.combine(
                first + dt.timedelta(days=i), dt.time(19), tzinfo=dt.UTC
            )
            job = cat.start_job("medan", full=True)
            with cat.writer(job) as writer:
                for record in records:
                    result = validator.validate(record)
                    writer.put(record["name"], result.normalized, result)
                seen = writer.seen
            cat.withdraw_missing(job, "medan", seen, grace_days=0, max_fraction=0.5)
            clock.now += dt.timedelta(seconds=30)
            cat.finish_job(job, "finished")
    return Days(path, first, first + dt.timedelta(days=2))
