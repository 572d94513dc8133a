"""Issue 12: CKAN and JSON API shapes read (and published back) without losing a field.

Each test serves small packages of one shape from the loopback CKAN fixture
(tests/helpers/ckan_fixture.py) or the JSON API fixture and harvests them through the
real source and engine, or checks the codec when only the mapping is at stake.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.publish.config import TargetConfig
from satudata_cli.publish.mapping import RecordMapper
from satudata_cli.sources.config import SourceConfig
from tests.helpers.ckan_fixture import CkanFixture, package

HTTP = {"timeout": 5.0, "connect_timeout": 2.0, "requests_per_second": 1000}


def harvest(db: Path, config: dict[str, Any], **options: Any) -> SourceOutcome:
    source_config = SourceConfig.model_validate({"http": HTTP, **config})
    (outcome,) = Harvester(db).run([source_config], **options).outcomes
    return outcome


def stored(db: Path, source_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """remote id -> (status, record) of every stored dataset of the source."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            remote_id: (status, json.loads(record))
            for remote_id, status, record in conn.execute(
                "SELECT remote_id, status, record FROM datasets WHERE source_id = ?",
                (source_id,),
            )
        }
    finally:
        conn.close()


def findings(db: Path, remote_id: str) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            f"{rule} {path}"
            for rule, path in conn.execute(
                "SELECT f.rule, f.path FROM validation_findings f JOIN datasets d "
                "ON d.id = f.dataset_id WHERE d.remote_id = ?",
                (remote_id,),
            )
        }
    finally:
        conn.close()


# -- CKAN: extras with empty values ----------------------------------------------------


def test_ckan_extras_with_empty_values_are_kept_and_published_back(tmp_path: Path) -> None:
    pkg = package(0, seed=5)
    pkg["extras"] = [
        *pkg["extras"],
        {"key": "catatan_walidata", "value": ""},
        {"key": "sumber_asli", "value": "   "},
    ]
    db = tmp_path / "k.db"
    with CkanFixture(datasets=[pkg]) as server:
        outcome = harvest(db, {"id": "ckan-kosong", "type": "ckan", "url": server.url})
    assert outcome.added == 1 and outcome.errored == 0
    ((_, record),) = stored(db, "ckan-kosong").values()
    assert record["catatan_walidata"] == ""
    assert record["sumber_asli"] == ""
    target = TargetConfig.model_validate(
        {"id": "portal", "type": "ckan", "url": "https://data.example.go.id", "token_env": "T"}
    )
    built = RecordMapper(target).build(
        record, source_id="ckan-kosong", remote_id="r1", name="n", owner="pemkot"
    )
    extras = {e["key"]: e["value"] for e in built["extras"]}
    assert extras["catatan_walidata"] == ""
    assert extras["sumber_asli"] == ""


# -- CKAN: a resource's mimetype -------------------------------------------------------


def test_ckan_mimetype_is_kept_and_a_disagreement_is_a_warning(tmp_path: Path) -> None:
    pkg = package(1, seed=5)
    base = "https://data.pemkomedan.go.id/files"
    pkg["resources"] = [
        # the portal's format says CSV, the file is a PNG chart
        {"name": "Grafik", "url": f"{base}/grafik.png", "format": "CSV", "mimetype": "image/png"},
        {"name": "Tabel", "url": f"{base}/tabel.csv", "format": "CSV", "mimetype": "text/csv"},
        # parameters of the media type do not count; an unknown media type is left alone
        {
            "name": "Tabel UTF-8",
            "url": f"{base}/tabel-utf8.csv",
            "format": "csv",
            "mimetype": "text/csv; charset=utf-8",
        },
        {"name": "Lain", "url": f"{base}/x.csv", "format": "CSV", "mimetype": "x-satudata/aneh"},
        # format and extension agree, the media type does not
        {
            "name": "Lembar",
            "url": f"{base}/lembar.xlsx",
            "format": "XLSX",
            "mimetype": "application/pdf",
        },
    ]
    db = tmp_path / "m.db"
    with CkanFixture(datasets=[pkg]) as server:
        outcome = harvest(db, {"id": "ckan-mime", "type": "ckan", "url": server.url})
    assert outcome.added == 1 and outcome.errored == 0
    ((remote_id, (_, record)),) = stored(db, "ckan-mime").items()
    assert [r.get("mimetype") for r in record["resources"]] == [
        "image/png",
        "text/csv",
        "text/csv; charset=utf-8",
        "x-satudata/aneh",
        "application/pdf",
    ]
    found = {f for f in findings(db, remote_id) if f.startswith("resource.media-mismatch")}
    assert found == {
        "resource.media-mismatch $.resources[0].mimetype",
        "resource.media-mismatch $.resources[4].mimetype",
    }
