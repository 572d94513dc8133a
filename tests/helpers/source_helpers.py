"""Shared by the tests of the file-and-URL source types: write one source file, harvest
it into ``k.db`` through the real engine, read back what the catalogue stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import yaml

from satudata_cli.pipeline.harvest import Harvester, SourceOutcome
from satudata_cli.sources.config import SourceConfig, load_source


def source_config(tmp_path: Path, source_id: str, kind: str, **fields: Any) -> SourceConfig:
    """``<tmp_path>/cfg/<source_id>.yaml`` with ``id``, ``type`` and ``fields``, loaded."""
    path = tmp_path / "cfg" / f"{source_id}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        yaml.safe_dump({"id": source_id, "type": kind, **fields}, allow_unicode=True),
        encoding="utf-8",
    )
    return load_source(path)


def harvest_one(tmp_path: Path, source: SourceConfig) -> SourceOutcome:
    return Harvester(tmp_path / "k.db").run([source]).outcomes[0]


def stored_records(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """remote id -> stored record of ``<tmp_path>/k.db`` (empty when there is none)."""
    db = tmp_path / "k.db"
    if not db.exists():
        return {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT remote_id, record FROM datasets").fetchall()
    finally:
        conn.close()
    return {r[0]: json.loads(r[1]) for r in rows}


def stored_findings(db: Path, remote_id: str) -> set[str]:
    """'rule path' of every stored finding of the dataset with this remote id."""
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
