"""A katalog and a Daftar Data with known answers for ``report realisasi`` and the
site's realisasi: exact (by id), fuzzy (word order, case, the agency without "Kota
Medan"), published but not compliant, ambiguous, missing (no title like it, an agency
with nothing in the katalog, an unknown id), another year, a row without a title."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record
from tests.helpers.reports import DINKES, write_records

DISDIK = "Dinas Pendidikan Kota Medan"
DISHUB = "Dinas Perhubungan Kota Medan"


def records() -> list[dict[str, Any]]:
    edu = {"organization": DISDIK, "produsen_data": "Bidang SD, Dinas Pendidikan Kota Medan"}
    no_notes = make_record(3, title="Jumlah Tenaga Kesehatan per Puskesmas di Kota Medan")
    del no_notes["notes"]  # published, but not compliant
    return [
        make_record(1, title="Jumlah Puskesmas per Kecamatan di Kota Medan"),
        make_record(2, title="Jumlah Rumah Sakit Umum di Kota Medan"),
        no_notes,
        make_record(10, title="Jumlah Sekolah Dasar Negeri di Kota Medan 2025", **edu),
        make_record(11, title="Jumlah Sekolah Dasar Swasta di Kota Medan 2025", **edu),
        make_record(12, title="Angka Partisipasi Murni SD di Kota Medan", **edu),
    ]


HEADINGS = ["No", "Perangkat Daerah", "Judul Data", "Frekuensi", "Tahun", "ID Dataset"]
PLAN = [
    # exact: by id (the dataset's name), whatever the title says
    ["1", "Dinas Kesehatan", "Data Rumah Sakit", "tahunan", "2026", "jumlah-puskesmas-2"],
    # fuzzy: other word order and case, the agency without "Kota Medan"
    ["2", "Dinas Kesehatan", "jumlah puskesmas kecamatan per di kota medan", "tahunan", "2026", ""],
    # fuzzy and published, but the dataset is not compliant
    ["3", DINKES, "Jumlah Tenaga Kesehatan Per Puskesmas Kota Medan", "tahunan", "2026", ""],
    # ambiguous: two datasets about as close
    ["4", DISDIK, "Jumlah Sekolah Dasar di Kota Medan 2025", "tahunan", "2026", ""],
    # missing: nothing like it
    ["5", DISDIK, "Rasio Guru terhadap Murid SMP", "tahunan", "2026", ""],
    # missing: the agency has nothing in the katalog
    ["6", DISHUB, "Jumlah Angkutan Kota", "bulanan", "2026", ""],
    # missing: an id no dataset has
    ["7", DISDIK, "Angka Partisipasi Murni SD", "tahunan", "2026", "tidak-ada"],
    # another year: left out with --year 2026
    ["8", DISDIK, "Angka Partisipasi Murni SD di Kota Medan", "tahunan", "2025", ""],
    # a row without a title: skipped and listed
    ["9", DISDIK, "", "tahunan", "2026", ""],
]


def realisasi_cli(tmp_path: Path, **source: Any) -> Cli:
    """The katalog of :func:`_records`, harvested from one directory source ``kota``
    (``source``: more keys of its config, e.g. ``plan``)."""
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "kota", records())
    write_source(cfg, "kota", title="Kota Medan", type="directory", path="data/kota", **source)
    cli = Cli(tmp_path / "katalog.db", cfg)
    result = cli("harvest", "--all", "--json")
    assert result.exit_code in (0, 1), result.stderr
    return cli


def csv_plan(tmp_path: Path) -> Path:
    path = tmp_path / "daftar-data.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    writer.writerows(PLAN)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path
