"""The starter of ``satudata init`` against a real CKAN: once the user has set the
portal's address (the one edit its comments ask for), the sheet harvested from the
starter's spreadsheet source makes a publish plan (``publish portal --dry-run``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner, Result

from satudata_cli.cli import app
from tests.helpers.ckan_real import connect


def run(*args: str | Path, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_the_starter_target_plans_a_publish_on_a_real_ckan(tmp_path: Path) -> None:
    ckan = connect()
    cfg, db = tmp_path / "cfg", tmp_path / "katalog.db"
    assert run("init", cfg).exit_code == 0
    target = cfg / "targets" / "portal.yaml"
    text = target.read_text(encoding="utf-8")
    placeholder = "url: https://data.contoh.go.id"
    assert text.count(placeholder) == 1
    # the user's edits: the portal's address; organizations made on the first real run
    text = text.replace(placeholder, f"url: {ckan.url}")
    text = text.replace("create_organizations: false", "create_organizations: true")
    target.write_text(text, encoding="utf-8")

    base = ["--config-dir", cfg, "--db", db]
    harvested = run(*base, "harvest", "daftar-data")
    assert harvested.exit_code == 0, harvested.stderr
    env = {"SATUDATA_PORTAL_TOKEN": os.environ["CKAN_API_TOKEN"]}
    plan = run(*base, "publish", "portal", "--dry-run", "--format", "json", env=env)
    assert plan.exit_code == 0, plan.stdout + plan.stderr
    report = json.loads(plan.stdout)
    assert report["dry_run"] is True
    datasets = report["datasets"]
    assert len(datasets) == 2
    assert all(d["ok"] and d["error"] is None for d in datasets), datasets
    assert {d["action"] for d in datasets} <= {"create", "update", "unchanged"}
