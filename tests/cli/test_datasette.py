"""``satudata catalog datasette-metadata`` and satudata's Datasette plugin, checked by
starting the real Datasette on 127.0.0.1 over a katalog harvested by the real engine and
fetching its canned queries.

The overdue answer must be the freshness report's, including the cases SQL's ``date()``
cannot judge: an Indonesian date (``17/08/2024``), a date in the future (a mistake, so
the source's modified time or first seen is taken instead)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.catalogue import Catalogue
from satudata_cli.catalogue.canned import is_hidden
from satudata_cli.reports.datasette import DATASET_FACETS
from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record
from tests.helpers.reports import DINKES, dinkes_records, write_records

BAPPEDA = "Bappeda Kota Medan"


def _records() -> list[dict[str, Any]]:
    common = {"organization": BAPPEDA, "produsen_data": "Bidang Perencanaan, Bappeda"}
    return [
        # overdue: monthly, last updated on an Indonesian-form date long ago
        make_record(20, jadwal_pemutakhiran="bulanan", tanggal_diperbarui="17/08/2024", **common),
        # on time although "updated" far in the future: the future date is a mistake, the
        # dataset counts from its first harvest (today), and a year has not passed
        make_record(21, jadwal_pemutakhiran="tahunan", tanggal_diperbarui="2099-01-01", **common),
        # no period: never overdue
        make_record(22, jadwal_pemutakhiran="ad_hoc", **common),
    ]


@pytest.fixture
def harvested(tmp_path: Path) -> Cli:
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "dinkes", dinkes_records())
    write_records(cfg / "data" / "bappeda", _records())
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    write_source(cfg, "bappeda", title="Bappeda", type="directory", path="data/bappeda")
    cli = Cli(tmp_path / "katalog.db", cfg)
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return cli


def _metadata(cli: Cli, lang: str) -> dict[str, Any]:
    result = cli("catalog", "datasette-metadata", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_every_table_and_dataset_column_is_described(harvested: Cli) -> None:
    with Catalogue.open(harvested.db, create=False) as cat:
        tables = cat.db.table_names()
        dataset_columns = [c.name for c in cat.db["datasets"].columns]  # type: ignore[union-attr]
    for lang in ("id", "en"):
        meta = _metadata(harvested, lang)
        described = meta["databases"]["katalog"]["tables"]
        assert set(described) == set(tables)
        for table in tables:
            if is_hidden(table):
                assert described[table] == {"hidden": True}
            else:
                assert described[table]["description"], (lang, table)
        assert set(described["datasets"]["columns"]) == set(dataset_columns), lang
        assert all(described["datasets"]["columns"].values())
        assert described["datasets"]["facets"] == list(DATASET_FACETS)
        assert len(meta["databases"]["katalog"]["queries"]) == 4
    id_meta, en_meta = _metadata(harvested, "id"), _metadata(harvested, "en")
    id_q = id_meta["databases"]["katalog"]["queries"]["terlambat_per_perangkat_daerah"]
    en_q = en_meta["databases"]["katalog"]["queries"]["terlambat_per_perangkat_daerah"]
    assert id_q["title"] == "Dataset terlambat diperbarui per perangkat daerah"
    assert en_q["title"] == "Overdue datasets per agency"
    assert '"perangkat daerah"' in id_q["sql"] and '"agency"' in en_q["sql"]


def test_not_a_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "none.db", tmp_path / "harvest_configs")
    result = cli("catalog", "datasette-metadata")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def datasette(harvested: Cli, tmp_path: Path) -> Iterator[str]:
    meta = tmp_path / "metadata.json"
    result = harvested("catalog", "datasette-metadata", "--lang", "en", "--output", str(meta))
    assert result.exit_code == 0, result.stderr
    port = _free_port()
    exe = Path(sys.executable).with_name("datasette")
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    proc = subprocess.Popen(
        [str(exe), str(harvested.db), "-m", str(meta), "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    pytest.fail(f"datasette did not start: {proc.communicate()[0]}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def test_canned_overdue_query_agrees_with_the_freshness_report(
    harvested: Cli, datasette: str
) -> None:
    plugins = _get(f"{datasette}/-/plugins.json")
    assert any(p["name"] == "satudata" for p in plugins), plugins
    rows = _get(f"{datasette}/katalog/terlambat_per_perangkat_daerah.json?_shape=array")
    by_agency = {row["agency"]: row for row in rows}
    report = harvested("report", "freshness", "--format", "json")
    assert report.exit_code == 0, report.stderr
    agencies = json.loads(report.stdout)["agencies"]
    assert {a["name"] for a in agencies} == set(by_agency)
    for agency in agencies:
        row = by_agency[agency["name"]]
        assert row["active datasets"] == agency["datasets"], agency["name"]
        assert row["overdue"] == agency["overdue"], agency["name"]
        assert row["longest overdue (days)"] == (agency["max_days_overdue"] or 0)
    # the known answers: Bappeda's Indonesian-form date is overdue, its future date is not
    assert by_agency[BAPPEDA]["overdue"] == 1
    assert by_agency[DINKES]["overdue"] >= 1  # the stale 2024 record of the report tests
    listed = _get(f"{datasette}/katalog/dataset_terlambat.json?_shape=array")
    titles = {row["title"] for row in listed}
    assert make_record(20)["title"] in titles and make_record(21)["title"] not in titles


def test_canned_invalid_and_changed_queries(harvested: Cli, datasette: str) -> None:
    invalid = _get(f"{datasette}/katalog/dataset_tidak_valid.json?_shape=array")
    with Catalogue.open(harvested.db, create=False) as cat:
        expected = cat.conn.execute(
            "SELECT count(*) FROM datasets WHERE status = 'active' AND valid = 0"
        ).fetchone()[0]
    assert len(invalid) == expected > 0
    assert all(": " in row["error findings"] for row in invalid)
    changed = _get(f"{datasette}/katalog/berubah_minggu_ini.json?_shape=array")
    assert len(changed) == 7  # 4 + 3 datasets added by the harvest just run
    assert {row["change"] for row in changed} == {"added"}
    facets = _get(f"{datasette}/katalog/datasets.json?_size=0")
    assert set(facets["facet_results"]) == set(DATASET_FACETS)
