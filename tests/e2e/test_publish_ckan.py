"""``satudata publish`` against a real CKAN (see tests/helpers/ckan_real.py for how it is found).

Each test builds its own katalog: records written as JSON files, a directory source
harvested with the real CLI, a target YAML pointing at the CKAN, then the publish CLI.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from satudata_cli.cli import app
from tests.helpers.ckan_real import RUN, RealCkan, connect, purge_run
from tests.helpers.records import make_record


@pytest.fixture(scope="module")
def ckan() -> Iterator[RealCkan]:
    real = connect()
    yield real
    purge_run(real)


class World:
    """A katalog with one directory source and one target at the real CKAN."""

    def __init__(self, root: Path, ckan: RealCkan, tag: str) -> None:
        self.root = root
        self.ckan = ckan
        self.tag = f"{RUN}-{tag}"
        self.cfg = root / "cfg"
        self.data = root / "data"
        self.db = root / "katalog.db"
        self.data.mkdir(parents=True)
        (self.cfg / "targets").mkdir(parents=True)
        self.write_source()
        self.write_target()

    @property
    def org(self) -> str:
        return f"{self.tag}-dinkes"

    def record(self, i: int, **extra: Any) -> dict[str, Any]:
        return make_record(
            i,
            name=f"{self.tag}-puskesmas-{i}",
            organization=f"Dinas Kesehatan {self.tag}",
            **extra,
        )

    def put(self, *records: dict[str, Any]) -> None:
        for record in records:
            path = self.data / f"{record['name']}.json"
            path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    def remove(self, name: str) -> None:
        (self.data / f"{name}.json").unlink()

    def write_source(self) -> None:
        source = {
            "id": "dinkes",
            "type": "directory",
            "path": str(self.data),
            "withdraw": {"grace_days": 0, "max_fraction": 1.0},
        }
        (self.cfg / "dinkes.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")

    def write_target(self, **overrides: Any) -> None:
        target: dict[str, Any] = {
            "id": "portal",
            "type": "ckan",
            "url": self.ckan.url,
            "token_env": "TEST_CKAN_TOKEN",
            "create_organizations": True,
            "organizations": {f"Dinas Kesehatan {self.tag}": self.org},
            "http": {"concurrency": 4, "writes_per_second": 100, "retries": 2},
            **overrides,
        }
        path = self.cfg / "targets" / "portal.yaml"
        path.write_text(yaml.safe_dump(target, allow_unicode=True), encoding="utf-8")

    def cli(self, *args: str, token: str | None = None) -> Result:
        env = {"TEST_CKAN_TOKEN": self.ckan.token if token is None else token}
        argv = ["--db", str(self.db), "--config-dir", str(self.cfg), *args]
        result = CliRunner().invoke(app, argv, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert "Traceback" not in result.stdout + result.stderr
        return result

    def harvest(self) -> None:
        result = self.cli("harvest", "--all", "--full")
        assert result.exit_code == 0, result.stdout + result.stderr

    def publish(self, *args: str, code: int = 0, token: str | None = None) -> dict[str, Any]:
        result = self.cli("publish", "portal", "--json", *args, token=token)
        assert result.exit_code == code, result.stdout + result.stderr
        report: dict[str, Any] = json.loads(result.stdout)
        return report


@pytest.fixture
def world(tmp_path: Path, ckan: RealCkan, request: pytest.FixtureRequest) -> World:
    tag = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower().removeprefix("test_"))[:20]
    return World(tmp_path, ckan, tag.strip("-"))


def by_action(report: dict[str, Any]) -> dict[str, int]:
    return {k: report[k] for k in ("created", "updated", "unchanged", "withdrawn", "failed")}


def test_create_rerun_update_and_lost_catalogue(world: World, tmp_path: Path) -> None:
    records = [world.record(i) for i in range(3)]
    world.put(*records)
    world.harvest()

    first = world.publish()
    assert by_action(first) == {
        "created": 3, "updated": 0, "unchanged": 0, "withdrawn": 0, "failed": 0
    }  # fmt: skip
    assert first["organizations_created"] == [world.org]
    assert first["write_calls"] == 4  # one organization, three datasets
    package = world.ckan.show(records[0]["name"])
    assert package is not None
    assert package["title"] == records[0]["title"]
    assert package["organization"]["name"] == world.org
    assert package["organization"]["title"] == records[0]["organization"]
    assert package["url"] == records[0]["link_akses"]
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["jadwal_pemutakhiran"] == "tahunan"
    assert json.loads(extras["kontak"]) == records[0]["kontak"]
    assert extras["satudata_source"] == "dinkes"
    assert extras["satudata_remote_id"] == records[0]["name"]
    assert package["maintainer_email"] == records[0]["kontak"]["email"]
    resource_ids = [r["id"] for r in package["resources"]]
    assert len(resource_ids) == 1

    again = world.publish()
    assert again["unchanged"] == 3 and again["write_calls"] == 0

    # what the portal added to a resource (DataStore flag, an admin's field) must survive
    world.ckan.call(
        "resource_patch",
        {"id": resource_ids[0], "datastore_active": True, "catatan_admin": "dicek"},
    )

    # one field changed: one update, the resource updated in place, the rest kept
    changed = dict(records[0], title="Jumlah Puskesmas (direvisi)")
    changed["resources"] = [dict(records[0]["resources"][0], description="Revisi 2026")]
    world.put(changed)
    world.harvest()
    update = world.publish()
    assert by_action(update) == {
        "created": 0, "updated": 1, "unchanged": 2, "withdrawn": 0, "failed": 0
    }  # fmt: skip
    assert update["write_calls"] == 1
    entry = next(d for d in update["datasets"] if d["action"] == "update")
    assert {c["field"] for c in entry["changes"]} == {"title", "resources[0].description"}
    package = world.ckan.show(records[0]["name"])
    assert package is not None
    assert package["title"] == "Jumlah Puskesmas (direvisi)"
    assert [r["id"] for r in package["resources"]] == resource_ids
    assert package["resources"][0]["description"] == "Revisi 2026"
    assert package["resources"][0]["datastore_active"] is True
    assert package["resources"][0]["catatan_admin"] == "dicek"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["konsep"] == "Puskesmas"  # package_update's full replace kept every field
    assert [t["name"] for t in package["tags"]] == ["kesehatan", "puskesmas"]

    # the katalog is lost: a new one finds the datasets by their identity, no duplicate
    world.db = tmp_path / "baru.db"
    world.harvest()
    recovered = world.publish()
    assert recovered["unchanged"] == 3 and recovered["created"] == 0
    assert recovered["write_calls"] == 0
    assert len(world.ckan.datasets_of(world.org)) == 3


def test_validation_error_is_recorded_and_the_run_goes_on(world: World) -> None:
    # the target sends a field of the records to CKAN's author_email, which CKAN checks
    world.write_target(fields={"email_produsen": "author_email"})
    good = [world.record(i, email_produsen="data@medan.go.id") for i in range(2)]
    bad = world.record(9, email_produsen="bukan surel")  # CKAN refuses it: a 409
    world.put(*good, bad)
    world.harvest()
    report = world.publish(code=3)
    assert report["created"] == 2 and report["failed"] == 1
    failed = next(d for d in report["datasets"] if not d["ok"])
    assert failed["remote_id"] == bad["name"]
    assert "author_email" in failed["field_errors"]
    assert "Validation Error" in failed["error"]
    with sqlite3.connect(world.db) as conn:
        errors = conn.execute(
            "SELECT last_error FROM publish_state WHERE last_error IS NOT NULL"
        ).fetchall()
    assert len(errors) == 1 and "author_email" in errors[0][0]

    # the rerun continues where it stopped: the two done are unchanged, the fixed one goes
    world.put(dict(bad, email_produsen="data@medan.go.id"))
    world.harvest()
    rerun = world.publish()
    assert by_action(rerun) == {
        "created": 1, "updated": 0, "unchanged": 2, "withdrawn": 0, "failed": 0
    }  # fmt: skip
    assert rerun["write_calls"] == 1


def test_invalid_records_stay_out_unless_asked(world: World) -> None:
    world.put(world.record(0), world.record(1, jadwal_pemutakhiran="kadang-kadang"))
    world.harvest()
    report = world.publish()
    assert report["created"] == 1 and report["skipped_invalid"] == 1
    more = world.publish("--include-invalid")
    assert more["created"] == 1 and more["unchanged"] == 1


def test_missing_organization_is_a_clear_error_per_dataset(world: World) -> None:
    world.write_target(create_organizations=False)
    world.put(world.record(0), world.record(1))
    world.harvest()
    report = world.publish(code=5)  # every dataset failed: nothing could be done
    assert report["failed"] == 2 and report["write_calls"] == 0
    for entry in report["datasets"]:
        assert f"organization {world.org} does not exist on the portal" in entry["error"]
        assert "create_organizations is false" in entry["error"]
    assert "Failed / Gagal" in world.cli("publish", "portal").stdout


def test_bad_token_exits_5_and_no_token_leaks(world: World) -> None:
    world.put(world.record(0))
    world.harvest()
    fake = "fake-token-Zq81x7"
    result = world.cli("-vv", "publish", "portal", token=fake)
    assert result.exit_code == 5
    assert "TEST_CKAN_TOKEN" in result.stderr
    assert "does not accept the API token" in result.stderr
    assert fake not in result.stdout + result.stderr

    # the real token with a failing dataset: not in the output, the logs or the catalogue
    world.write_target(fields={"email_produsen": "author_email"})
    world.put(world.record(1, email_produsen="bukan surel"))
    world.harvest()
    result = world.cli("-vv", "--log-format", "json", "publish", "portal", "--json")
    assert result.exit_code == 3, result.stdout + result.stderr
    token = world.ckan.token
    assert token not in result.stdout + result.stderr
    for path in world.root.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path


def test_dry_run_writes_nothing(world: World) -> None:
    records = [world.record(i) for i in range(2)]
    world.put(*records)
    world.harvest()
    unknown = world.cli("publish", "portal", "--source", "tidak-ada", "--dry-run")
    assert unknown.exit_code == 2 and "no source tidak-ada in the katalog" in unknown.stderr
    assert world.publish("--dry-run", "--source", "dinkes")["created"] == 2
    plan = world.publish("--dry-run")
    assert plan["dry_run"] is True and plan["write_calls"] == 0
    assert [d["action"] for d in plan["datasets"]] == ["create", "create"]
    assert world.ckan.show(records[0]["name"]) is None
    with sqlite3.connect(world.db) as conn:
        assert conn.execute("SELECT count(*) FROM publish_state").fetchone()[0] == 0

    world.publish()
    world.put(dict(records[1], notes="Catatan baru."))
    world.harvest()
    plan = world.publish("--dry-run")
    assert plan["write_calls"] == 0
    actions = {d["remote_id"]: d for d in plan["datasets"]}
    assert actions[records[0]["name"]]["action"] == "unchanged"
    diff = actions[records[1]["name"]]
    assert diff["action"] == "update"
    assert diff["changes"] == [
        {"field": "notes", "old": records[1]["notes"], "new": "Catatan baru."}
    ]
    package = world.ckan.show(records[1]["name"])
    assert package is not None and package["notes"] == records[1]["notes"]
    text = world.cli("publish", "portal", "--dry-run")
    assert text.exit_code == 0
    assert "notes:" in text.stdout and "Catatan baru." in text.stdout, text.stdout


def test_withdrawn_private_delete_and_safety_valve(world: World) -> None:
    world.write_target(withdraw={"max_fraction": 0.4})
    records = [world.record(i) for i in range(5)]
    world.put(*records)
    world.harvest()
    assert world.publish()["created"] == 5

    world.remove(records[0]["name"])
    world.harvest()
    kept = world.publish()  # default: keep
    assert kept["withdrawn"] == 0 and kept["write_calls"] == 0
    hidden = world.publish("--withdrawn", "private")
    assert hidden["withdrawn"] == 1 and hidden["write_calls"] == 1
    package = world.ckan.show(records[0]["name"])
    assert package is not None and package["private"] is True

    for record in records[1:4]:
        world.remove(record["name"])
    world.harvest()
    blocked = world.publish("--withdrawn", "delete")
    assert blocked["withdrawn"] == 0 and blocked["write_calls"] == 0
    assert any("max_fraction" in note for note in blocked["notes"])
    assert world.ckan.show(records[1]["name"]) is not None

    world.write_target(withdraw={"max_fraction": 1.0})
    deleted = world.publish("--withdrawn", "delete")
    assert deleted["withdrawn"] == 4
    for record in records[:4]:
        package = world.ckan.show(record["name"])
        assert package is None or package["state"] == "deleted"

    # a dataset that comes back is published again
    world.put(records[1])
    world.harvest()
    back = world.publish()
    assert back["updated"] + back["created"] == 1
    package = world.ckan.show(records[1]["name"])
    assert package is not None and package["state"] == "active"


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """What CKAN itself normalizes: tags are a set (listed sorted), extras are text
    (tahun: 2025 -> "2025"), known resource formats are written in capitals."""
    out = dict(record)
    out["resources"] = [
        {**r, "format": r["format"].upper()} if "format" in r else r
        for r in out.get("resources", [])
    ]
    if "tags" in out:
        out["tags"] = sorted(out["tags"])
    if "tahun" in out:
        out["tahun"] = str(out["tahun"])
    for key in ("satudata_source", "satudata_remote_id"):
        out.pop(key, None)
    return out


def test_round_trip_publish_then_harvest_gives_the_same_records(world: World) -> None:
    records = [
        world.record(0),
        world.record(1, tags=["puskesmas", "kesehatan"], klasifikasi_akses="terbatas"),
        world.record(
            2,
            kontak="data.dinkes@pemkomedan.go.id",
            sumber_data=["Dinas Kesehatan", "Puskesmas"],
            kolom=[{"nama": "kecamatan", "tipe": "teks"}],
            resources=[
                {
                    "name": "Data 2025",
                    "url": "https://data.pemkomedan.go.id/files/a.csv",
                    "format": "CSV",
                    "description": "Berkas utama",
                    "size": 1024,
                },
                {
                    "name": "Kamus data",
                    "url": "https://data.pemkomedan.go.id/files/b.pdf",
                    "format": "PDF",
                },
            ],
        ),
    ]
    world.put(*records)
    world.harvest()
    assert world.publish()["created"] == 3
    back = {
        "id": "kembali",
        "type": "ckan",
        "url": world.ckan.url,
        "token_env": "TEST_CKAN_TOKEN",
        "filters": {"organizations": [world.org]},
    }
    (world.cfg / "kembali.yaml").write_text(yaml.safe_dump(back), encoding="utf-8")
    result = world.cli("harvest", "kembali", "--full")
    assert result.exit_code == 0, result.stdout + result.stderr
    with sqlite3.connect(world.db) as conn:
        rows = conn.execute("SELECT source_id, record FROM datasets").fetchall()
    original = {json.loads(r)["name"]: json.loads(r) for s, r in rows if s == "dinkes"}
    harvested = {json.loads(r)["name"]: json.loads(r) for s, r in rows if s == "kembali"}
    assert set(harvested) == set(original)
    for name, record in original.items():
        assert _comparable(harvested[name]) == _comparable(record), name


def test_unreachable_portal_exits_5(world: World) -> None:
    world.write_target(url="http://127.0.0.1:9", http={"retries": 0, "connect_timeout": 2})
    world.put(world.record(0))
    world.harvest()
    result = world.cli("publish", "portal")
    assert result.exit_code == 5
    assert "does not answer" in result.stderr
    assert os.environ.get("CKAN_API_TOKEN", "unset-token") not in result.stderr


def test_a_wrong_portal_path_is_not_called_a_bad_token(world: World) -> None:
    world.write_target(url=world.ckan.url + "/dataset")
    world.put(world.record(0))
    world.harvest()
    result = world.cli("publish", "portal")
    assert result.exit_code == 5
    assert "does not answer as a CKAN portal" in result.stderr
    assert "does not accept the API token" not in result.stderr
    assert world.ckan.token not in result.stderr


def test_a_redirecting_portal_address_is_named_not_called_a_bad_token(
    world: World, ckan: RealCkan
) -> None:
    class Redirect(BaseHTTPRequestHandler):
        def _moved(self) -> None:  # like http:// -> https:// on a real portal
            self.send_response(301)
            self.send_header("Location", ckan.url + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _moved

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        world.write_target(url=f"http://127.0.0.1:{server.server_address[1]}")
        world.put(world.record(0))
        world.harvest()
        result = world.cli("publish", "portal")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 5
    assert "does not accept the API token" not in result.stderr
    assert f"to {ckan.url}/api/3/action/user_show" in result.stderr
    assert ckan.token not in result.stderr


def test_a_target_pointed_at_another_portal_checks_its_datasets_there(world: World) -> None:
    if "127.0.0.1" in world.ckan.url:
        other = world.ckan.url.replace("127.0.0.1", "localhost")
    elif "localhost" in world.ckan.url:
        other = world.ckan.url.replace("localhost", "127.0.0.1")
    else:
        pytest.skip("needs a CKAN on 127.0.0.1 or localhost (two addresses of one portal)")
    records = [world.record(i) for i in range(2)]
    world.put(*records)
    world.harvest()
    assert world.publish()["created"] == 2

    # the same portal under another address: every dataset is checked there, none written
    world.write_target(url=other)
    same = world.publish()
    assert same["unchanged"] == 2 and same["write_calls"] == 0 and same["read_calls"] >= 2

    # "another portal" that lacks a dataset (purged here): it is published there, not
    # taken for unchanged because the katalog published it somewhere else before
    package = world.ckan.show(records[0]["name"])
    assert package is not None
    world.ckan.call("dataset_purge", {"id": package["id"]})
    world.write_target()
    moved = world.publish()
    assert moved["created"] == 1 and moved["unchanged"] == 1, moved
    assert world.ckan.show(records[0]["name"]) is not None
    assert world.publish()["write_calls"] == 0


def test_an_interrupted_run_is_continued_without_duplicates(world: World) -> None:
    from satudata_cli.publish.config import load_target
    from satudata_cli.publish.engine import DatasetOutcome, Publisher

    class StopAfter:
        """Ctrl-C after three datasets, while others are in flight."""

        def __init__(self) -> None:
            self.done = 0

        def planned(self, total: int) -> None:
            pass

        def dataset_done(self, outcome: DatasetOutcome) -> None:
            self.done += 1
            if self.done == 3:
                raise KeyboardInterrupt

    records = [world.record(i) for i in range(12)]
    world.put(*records)
    world.harvest()
    target = load_target(world.cfg / "targets" / "portal.yaml")
    publisher = Publisher(
        target,
        world.db,
        environ={"TEST_CKAN_TOKEN": world.ckan.token},
        concurrency=4,
        observer=StopAfter(),
    )
    with pytest.raises(KeyboardInterrupt):
        publisher.run()
    with sqlite3.connect(world.db) as conn:
        saved = conn.execute("SELECT count(*) FROM publish_state").fetchone()[0]
    assert 3 <= saved < 12

    rerun = world.publish()
    assert rerun["created"] + rerun["unchanged"] == 12 and rerun["failed"] == 0
    assert rerun["unchanged"] >= 3
    assert len(world.ckan.datasets_of(world.org)) == 12  # no duplicate of one in flight
    assert world.publish()["write_calls"] == 0


def test_a_mailto_contact_does_not_cost_the_dataset(world: World) -> None:
    # the Satu Data rules accept kontak e-mails written as mailto:...; CKAN's
    # maintainer_email does not, and would refuse the whole dataset with a 409
    record = world.record(0, kontak={"nama": "Seksi Data", "email": "mailto:data@medan.go.id"})
    world.put(record)
    world.harvest()
    report = world.publish()
    assert report["created"] == 1 and report["failed"] == 0, report
    package = world.ckan.show(record["name"])
    assert package is not None and package["maintainer_email"] == "data@medan.go.id"
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert json.loads(extras["kontak"])["email"] == "mailto:data@medan.go.id"


def test_tags_and_resource_details_ckan_refuses_do_not_cost_the_dataset(world: World) -> None:
    # a valid Satu Data record (tags are free text there); CKAN would refuse the whole
    # dataset over one of these tags
    record = world.record(
        0,
        tags=["kesehatan", "Ibu & Anak", "COVID-19/Corona", "x"],
        resources=[
            {
                "name": "Data",
                "url": "https://data.pemkomedan.go.id/files/b.csv",
                "format": "CSV",
                "size": 2048,
                "last_modified": "2026-02-10T10:00:00+07:00",
            },
        ],
    )
    # an invalid one, published on request: its unreadable size and date are left out
    odd = world.record(
        1,
        resources=[
            {
                "name": "Data",
                "url": "https://data.pemkomedan.go.id/files/a.csv",
                "format": "CSV",
                "size": "12 MB",
                "last_modified": "kemarin",
            }
        ],
    )
    world.put(record, odd)
    world.harvest()
    report = world.publish("--include-invalid")
    assert report["created"] == 2 and report["failed"] == 0, report
    package = world.ckan.show(record["name"])
    assert package is not None
    assert sorted(t["name"] for t in package["tags"]) == [
        "COVID-19 Corona",
        "Ibu Anak",
        "kesehatan",
    ]
    (resource,) = package["resources"]
    assert resource["size"] == 2048 and resource["last_modified"] == "2026-02-10T03:00:00"
    package = world.ckan.show(odd["name"])
    assert package is not None
    assert package["resources"][0]["size"] is None
    assert package["resources"][0]["last_modified"] is None
    # what CKAN stored (in UTC) is what was meant: checked against the portal, no change
    with sqlite3.connect(world.db) as conn:
        conn.execute("DELETE FROM publish_state")
    plan = world.publish("--dry-run", "--include-invalid")
    assert [d["action"] for d in plan["datasets"]] == ["unchanged", "unchanged"], plan


def test_an_empty_extra_keeps_its_key_on_the_portal(world: World) -> None:
    """Issue 12: an extra with an empty value is information; publishing keeps the key
    and a second publish finds nothing to change."""
    record = world.record(0, catatan_walidata="")
    world.put(record)
    world.harvest()
    first = world.publish()
    assert first["created"] == 1 and first["failed"] == 0
    package = world.ckan.show(record["name"])
    assert package is not None
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["catatan_walidata"] == ""
    again = world.publish()
    assert again["unchanged"] == 1 and again["write_calls"] == 0
