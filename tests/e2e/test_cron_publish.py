"""docs/cron.md's publish line against a real CKAN: after the harvest line, the publish
line run as cron runs it (``env -i``, ``PATH=/usr/bin:/bin``, the crontab's token
variable) publishes the katalog, and the next night changes nothing."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from satudata_cli.cli import app
from tests.helpers.ckan_real import RUN, RealCkan, connect, purge_run
from tests.helpers.cron_recipe import crontab, make_home, run_job


@pytest.fixture(scope="module")
def ckan() -> Iterator[RealCkan]:
    real = connect()
    yield real
    purge_run(real)


def test_the_publish_line_publishes_in_crons_environment(tmp_path: Path, ckan: RealCkan) -> None:
    home = make_home(tmp_path)
    harvested = run_job(home, "harvest")
    assert harvested.returncode == 0, harvested.stderr
    # every organization of the records goes to this run's own (purged at the end)
    (token_env,) = crontab()[0]
    org = f"{RUN}-cron"
    exported = CliRunner().invoke(
        app, ["--db", str(home / ".local/share/satudata/satudata.db"), "catalog", "export",
              "--format", "jsonl"],
    )  # fmt: skip
    assert exported.exit_code == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    owners = {r[key] for r in records for key in ("organization", "produsen_data") if r.get(key)}
    target = {
        "id": "portal",
        "type": "ckan",
        "url": ckan.url,
        "token_env": token_env,
        "create_organizations": True,
        "organizations": dict.fromkeys(sorted(owners), org),
        "dataset_name": {"from": "name", "prefix": f"{RUN}-"},
    }
    targets = home / ".config" / "satudata" / "targets"
    targets.mkdir()
    (targets / "portal.yaml").write_text(yaml.safe_dump(target), encoding="utf-8")

    token = {token_env: os.environ["CKAN_API_TOKEN"]}
    published = run_job(home, "publish", **token)
    assert published.returncode == 0, published.stdout + published.stderr
    assert published.stdout == published.stderr == ""
    state = home / ".local" / "state" / "satudata"
    report = json.loads((state / "publish-last.json").read_text("utf-8"))
    assert (report["created"], report["failed"]) == (8, 0)
    assert len(ckan.datasets_of(org)) == 8
    for line in (state / "publish.log").read_text("utf-8").splitlines():
        assert isinstance(json.loads(line), dict), line

    again = run_job(home, "publish", **token)
    assert again.returncode == 0, again.stderr
    report = json.loads((state / "publish-last.json").read_text("utf-8"))
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 8)
