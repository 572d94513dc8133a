"""Two agencies' records (Dinas Kesehatan, Bappeda) for the report tests, with the
awkward parts: a missing field, a stale date, an HTML title, a formula title."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers.records import make_record

XSS_TITLE = "<script>alert(1)</script>"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","klik")'
DINKES = "Dinas Kesehatan Kota Medan"
BAPPEDA = "Bappeda Kota Medan"
LABKESDA = "UPT Laboratorium Kesehatan Daerah Kota Medan"


def write_records(folder: Path, records: list[dict[str, Any]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "records.json").write_text(json.dumps(records), encoding="utf-8")


def dinkes_records() -> list[dict[str, Any]]:
    no_notes = make_record(1)
    del no_notes["notes"]
    stale = make_record(2, title=XSS_TITLE, tanggal_diperbarui="2024-01-10")
    return [make_record(0), no_notes, stale, make_record(3, title=FORMULA_TITLE)]


def bappeda_records() -> list[dict[str, Any]]:
    common = {"organization": BAPPEDA, "produsen_data": "Bidang Perencanaan, Bappeda"}
    bad = make_record(10, jadwal_pemutakhiran="kadang-kadang", **common)
    del bad["produsen_data"]
    undated = make_record(11, jadwal_pemutakhiran="bulanan", **common)
    del undated["tanggal_diperbarui"]
    adhoc = make_record(12, jadwal_pemutakhiran="ad_hoc", **common)
    return [bad, undated, adhoc]


def two_agencies(tmp_path: Path) -> Path:
    """The config folder of two directory sources with the records above (Dinas
    Kesehatan, Bappeda) under ``tmp_path``; harvest it with ``Cli(db, cfg)``."""
    from tests.helpers.cli import write_source

    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "dinkes", dinkes_records())
    write_records(cfg / "data" / "bappeda", bappeda_records())
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    write_source(cfg, "bappeda", title="Bappeda", type="directory", path="data/bappeda")
    return cfg
