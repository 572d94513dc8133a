"""harvest, sources, catalog, jobs and validate --catalog through typer's CliRunner.

Global options go before the command: ``--db`` and ``--config-dir`` point at files in
tmp_path. Every test looks at stdout, stderr and the exit code of the README's table.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.cli import Cli, csv_rows, squash, write_source
from tests.helpers.records import make_record

ROOT = Path(__file__).resolve().parents[2]
COUNTERS = ("added", "updated", "unchanged", "withdrawn", "restored", "errored")


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    """Two directory sources: 'dinkes' (4 valid records, one titled like a formula) and
    'bappeda' (2 records, one invalid)."""
    cfg = tmp_path / "harvest_configs"
    dinkes = cfg / "data" / "dinkes"
    dinkes.mkdir(parents=True)
    records = [make_record(i) for i in range(3)]
    records.append(make_record(3, title='=HYPERLINK("http://evil.example","klik")'))
    (dinkes / "dinkes.json").write_text(json.dumps(records), encoding="utf-8")
    bappeda = cfg / "data" / "bappeda"
    bappeda.mkdir(parents=True)
    good = make_record(
        10,
        name="indeks-pembangunan-manusia",
        title="Indeks Pembangunan Manusia Kota Medan",
        organization="Bappeda Kota Medan",
        tags=["pembangunan"],
    )
    bad = make_record(
        11,
        name="realisasi-program-prioritas",
        title="Realisasi Program Prioritas",
        organization="Bappeda Kota Medan",
        jadwal_pemutakhiran="kadang-kadang",
    )
    (bappeda / "bappeda.json").write_text(json.dumps([good, bad]), encoding="utf-8")
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    write_source(
        cfg,
        "bappeda",
        title="Bappeda",
        type="directory",
        path="data/bappeda",
        schedule="daily",
    )
    return cfg


@pytest.fixture
def cli(tmp_path: Path, cfg: Path) -> Cli:
    return Cli(tmp_path / "katalog.db", cfg)


@pytest.fixture
def harvested(cli: Cli) -> Cli:
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return cli


# ------------------------------------------------------------------------- harvest


def test_harvest_all_json(cli: Cli) -> None:
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        for key in ("source", "status", *COUNTERS, "seconds"):
            assert key in item, key
        assert isinstance(item["seconds"], int | float)
    by_source = {item["source"]: item for item in data}
    assert by_source["dinkes"]["status"] == "finished"
    assert by_source["dinkes"]["added"] == 4
    assert by_source["bappeda"]["added"] == 2
    assert by_source["bappeda"]["invalid"] == 1

    again = cli("harvest", "--all", "--json")
    assert again.exit_code == 0
    by_source = {item["source"]: item for item in json.loads(again.stdout)}
    assert by_source["dinkes"]["unchanged"] == 4
    assert by_source["dinkes"]["added"] == 0


def test_harvest_text_summary(cli: Cli) -> None:
    result = cli("harvest", "dinkes")
    assert result.exit_code == 0, result.stderr
    text = squash(result.stdout)
    assert "dinkes" in text and "finished" in text


def test_harvest_broken_config_names_file_and_line(cli: Cli, cfg: Path) -> None:
    (cfg / "rusak.yaml").write_text(
        "id: rusak\ntype: directory\npath: data\nschedul: daily\n", encoding="utf-8"
    )
    result = cli("harvest", "--all")
    assert result.exit_code == 2
    assert "rusak.yaml:4" in squash(result.stderr).replace(" ", "")
    assert "schedul" in result.stderr
    assert result.stdout == ""
    assert not cli.db.exists()


def test_harvest_unknown_source_id(cli: Cli) -> None:
    result = cli("harvest", "tidak-ada")
    assert result.exit_code == 2
    assert "tidak-ada" in result.stderr
    assert "dinkes" in result.stderr  # names the configured ones


def test_harvest_one_of_two_failing_is_partial(cli: Cli, cfg: Path) -> None:
    shutil.rmtree(cfg / "data" / "bappeda")
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 3
    by_source = {item["source"]: item for item in json.loads(result.stdout)}
    assert by_source["dinkes"]["status"] == "finished"
    assert by_source["bappeda"]["status"] == "failed"
    assert "does not exist" in by_source["bappeda"]["error"]
    assert "bappeda" in result.stderr


def test_harvest_every_source_failing(cli: Cli, cfg: Path) -> None:
    shutil.rmtree(cfg / "data")
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 5
    assert {item["status"] for item in json.loads(result.stdout)} == {"failed"}


def test_harvest_errored_record_is_partial(cli: Cli, cfg: Path) -> None:
    (cfg / "data" / "dinkes" / "rusak.json").write_text("{", encoding="utf-8")
    result = cli("harvest", "dinkes", "--json")
    assert result.exit_code == 3
    [item] = json.loads(result.stdout)
    assert item["status"] == "finished"
    assert item["errored"] == 1 and item["added"] == 4


def test_harvest_nothing_due(cli: Cli) -> None:
    # dinkes is manual (never due); bappeda is daily: due before its first harvest
    first = cli("harvest", "--json")
    assert first.exit_code == 0, first.stderr
    assert [item["source"] for item in json.loads(first.stdout)] == ["bappeda"]
    second = cli("harvest")
    assert second.exit_code == 0
    assert "No source is due" in second.stderr
    assert second.stdout == ""


def test_harvest_dry_run_json(harvested: Cli, cfg: Path) -> None:
    (cfg / "data" / "dinkes" / "extra.json").write_text(
        json.dumps(make_record(99)), encoding="utf-8"
    )
    result = harvested("harvest", "dinkes", "--dry-run", "--json")
    assert result.exit_code == 0
    [item] = json.loads(result.stdout)
    assert item["dry_run"] is True
    assert (item["added"], item["unchanged"]) == (1, 4)
    listing = harvested("catalog", "list", "--source", "dinkes", "--format", "json")
    assert len(json.loads(listing.stdout)) == 4


def test_harvest_locked_catalogue_exits_4(cli: Cli) -> None:
    from satudata_cli.catalogue.lock import CatalogueLock

    with CatalogueLock(cli.db, command="satudata harvest --all"):
        result = cli("harvest", "--all")
    assert result.exit_code == 4
    assert str(os.getpid()) in squash(result.stderr)


# ------------------------------------------------------------------------- sources


def test_sources_list_formats(harvested: Cli) -> None:
    text = harvested("sources", "list")
    assert text.exit_code == 0
    assert "dinkes" in text.stdout and "bappeda" in text.stdout

    data = json.loads(harvested("sources", "list", "--format", "json").stdout)
    by_id = {item["id"]: item for item in data}
    assert set(by_id) == {"dinkes", "bappeda"}
    assert by_id["dinkes"]["type"] == "directory"
    assert by_id["bappeda"]["schedule"] == "daily"
    assert by_id["dinkes"]["last_status"] == "finished"

    table = csv_rows(harvested("sources", "list", "--format", "csv").stdout)
    assert {row["id"] for row in table} == {"dinkes", "bappeda"}
    assert {"id", "title", "type", "schedule", "last_status"} <= set(table[0])


def test_sources_list_without_catalogue(cli: Cli) -> None:
    result = cli("sources", "list", "--format", "json")
    assert result.exit_code == 0
    assert {item["last_status"] for item in json.loads(result.stdout)} == {None}
    assert not cli.db.exists()


def test_sources_check_bundled_example_writes_nothing(tmp_path: Path) -> None:
    cfg = tmp_path / "harvest_configs"
    shutil.copytree(ROOT / "harvest_configs", cfg)
    cli = Cli(tmp_path / "baru.db", cfg)
    result = cli("sources", "check", "medan-contoh", "--limit", "3", "--format", "json")
    assert result.exit_code == 0, result.stderr
    preview = json.loads(result.stdout)
    assert len(preview) == 3
    for row in preview:
        assert {"remote_id", "title", "valid", "findings"} <= set(row)
    text = cli("sources", "check", "medan-contoh")
    assert text.exit_code == 0
    assert "medan" in text.stdout.lower()
    assert not (tmp_path / "baru.db").exists()
    assert not list(tmp_path.glob("baru.db*"))


def test_sources_check_ckan_previews_and_writes_nothing(tmp_path: Path) -> None:
    with CkanFixture(datasets=make_packages(25, seed=9)) as ckan:
        cfg = tmp_path / "cfg"
        write_source(
            cfg,
            "ckan-medan",
            type="ckan",
            url=ckan.url,
            mapping={"frekuensi_penerbitan": "jadwal_pemutakhiran"},
            http={"retries": 0},
        )
        cli = Cli(tmp_path / "katalog.db", cfg)
        result = cli("sources", "check", "ckan-medan", "--limit", "4", "--format", "json")
        ckan.fail_500_times = 10**6
        broken = cli("sources", "check", "ckan-medan")
    assert result.exit_code == 0, result.stderr
    preview = json.loads(result.stdout)
    assert len(preview) == 4
    assert all(row["title"] for row in preview)
    assert broken.exit_code == 5
    assert "500" in broken.stderr
    # the source is named once, not again by the reason
    assert "could not be read" in broken.stderr
    error = next(line for line in broken.stderr.splitlines() if "could not be read" in line)
    assert error.count("ckan-medan") == 1, error
    assert not list(tmp_path.glob("katalog.db*"))


def test_sources_check_unknown_and_unreadable(cli: Cli, cfg: Path) -> None:
    assert cli("sources", "check", "tidak-ada").exit_code == 2
    shutil.rmtree(cfg / "data" / "bappeda")
    result = cli("sources", "check", "bappeda")
    assert result.exit_code == 5
    assert "does not exist" in squash(result.stderr)
    assert not cli.db.exists()


# ------------------------------------------------------------------------- catalog


def test_catalog_list_formats(harvested: Cli) -> None:
    text = harvested("catalog", "list")
    assert text.exit_code == 0
    assert "bappeda" in text.stdout and "dinkes" in text.stdout

    data = json.loads(harvested("catalog", "list", "--format", "json").stdout)
    assert len(data) == 6
    assert {d["source_id"] for d in data} == {"dinkes", "bappeda"}
    only_dinkes = json.loads(
        harvested("catalog", "list", "--source", "dinkes", "--format", "json").stdout
    )
    assert len(only_dinkes) == 4

    table = csv_rows(harvested("catalog", "list", "--format", "csv").stdout)
    assert len(table) == 6
    titles = {row["title"] for row in table}
    # a title that a spreadsheet would run as a formula is neutralised
    assert '\'=HYPERLINK("http://evil.example","klik")' in titles
    assert not any(t.startswith("=") for t in titles)
    assert json.loads(harvested("catalog", "list", "--withdrawn", "--format", "json").stdout) == []


def test_catalog_search_formats(harvested: Cli) -> None:
    data = json.loads(harvested("catalog", "search", "pembangunan", "--format", "json").stdout)
    assert [d["name"] for d in data] == ["indeks-pembangunan-manusia"]
    text = harvested("catalog", "search", "Indeks Pembangunan")
    assert text.exit_code == 0
    assert "bappeda" in text.stdout and "dinkes" not in text.stdout
    table = csv_rows(harvested("catalog", "search", "puskesmas", "--format", "csv").stdout)
    assert len(table) == 5  # four of dinkes, and bappeda's record tagged puskesmas
    filtered = harvested("catalog", "search", "puskesmas", "-s", "dinkes", "--format", "csv")
    assert {row["source_id"] for row in csv_rows(filtered.stdout)} == {"dinkes"}
    assert json.loads(harvested("catalog", "search", "zzzzz", "--format", "json").stdout) == []
    odd = harvested("catalog", "search", '"unbalanced -( AND', "--format", "json")
    assert odd.exit_code == 0


def test_catalog_show_by_id_name_and_source_remote(harvested: Cli) -> None:
    listing = json.loads(harvested("catalog", "list", "--format", "json").stdout)
    target = next(d for d in listing if d["name"] == "indeks-pembangunan-manusia")

    by_id = json.loads(harvested("catalog", "show", str(target["id"]), "--format", "json").stdout)
    by_name = json.loads(
        harvested("catalog", "show", "indeks-pembangunan-manusia", "--format", "json").stdout
    )
    by_remote = json.loads(
        harvested(
            "catalog", "show", "bappeda:indeks-pembangunan-manusia", "--format", "json"
        ).stdout
    )
    assert by_id == by_name == by_remote
    assert by_id["dataset"]["id"] == target["id"]
    assert by_id["record"]["title"] == "Indeks Pembangunan Manusia Kota Medan"
    assert by_id["resources"] and by_id["events"]

    invalid = json.loads(
        harvested("catalog", "show", "realisasi-program-prioritas", "--format", "json").stdout
    )
    assert invalid["dataset"]["valid"] is False
    assert any(f["rule"] == "vocab.unknown" for f in invalid["findings"])

    text = harvested("catalog", "show", "realisasi-program-prioritas")
    assert text.exit_code == 0
    assert "vocab.unknown" in text.stdout
    table = harvested("catalog", "show", str(target["id"]), "--format", "csv")
    assert table.exit_code == 0
    assert {"field", "value"} == set(csv_rows(table.stdout)[0])


def test_catalog_show_unknown(harvested: Cli) -> None:
    for ref in ("tidak-ada", "99999", "dinkes:tidak-ada"):
        result = harvested("catalog", "show", ref)
        assert result.exit_code == 2, ref
        assert ref in result.stderr
        assert result.stdout == ""


def test_catalog_show_ambiguous_name(cli: Cli, cfg: Path) -> None:
    write_source(cfg, "dinkes-salinan", type="directory", path="data/dinkes")
    assert cli("harvest", "--all").exit_code == 0
    result = cli("catalog", "show", "jumlah-puskesmas-0")
    assert result.exit_code == 2
    flat = " ".join(result.stderr.split())
    assert "2 datasets" in flat and "source:remote_id" in flat
    one = cli("catalog", "show", "dinkes-salinan:jumlah-puskesmas-0", "--format", "json")
    assert one.exit_code == 0
    assert json.loads(one.stdout)["dataset"]["source_id"] == "dinkes-salinan"


def test_catalog_stats_formats(harvested: Cli) -> None:
    data = json.loads(harvested("catalog", "stats", "--format", "json").stdout)
    assert data["active"] == 6
    assert data["withdrawn"] == 0
    assert data["valid"] == 5
    assert data["invalid"] == 1
    per_source = {s["source_id"]: s for s in data["sources"]}
    assert per_source["bappeda"]["invalid"] == 1
    assert per_source["dinkes"]["active"] == 4
    text = harvested("catalog", "stats")
    assert text.exit_code == 0
    assert "(all)" in text.stdout
    table = csv_rows(harvested("catalog", "stats", "--format", "csv").stdout)
    assert {row["source_id"] for row in table} == {"dinkes", "bappeda", "(all)"}


@pytest.mark.parametrize(
    "command",
    [
        ("catalog", "list"),
        ("catalog", "search", "puskesmas"),
        ("catalog", "show", "1"),
        ("catalog", "stats"),
        ("jobs", "list"),
        ("jobs", "show", "1"),
        ("jobs", "prune", "--older-than", "90d"),
        ("validate", "--catalog"),
    ],
)
def test_read_commands_on_missing_catalogue(cli: Cli, command: tuple[str, ...]) -> None:
    result = cli(*command)
    assert result.exit_code == 2
    assert "harvest" in result.stderr
    assert str(cli.db.name) in result.stderr
    assert result.stdout == ""
    assert not cli.db.exists()


# ------------------------------------------------------------------------- jobs


def test_jobs_list_show_prune(harvested: Cli) -> None:
    data = json.loads(harvested("jobs", "list", "--format", "json").stdout)
    assert len(data) == 2
    assert {j["status"] for j in data} == {"finished"}
    assert {j["source_id"] for j in data} == {"dinkes", "bappeda"}
    only = json.loads(harvested("jobs", "list", "--source", "dinkes", "--format", "json").stdout)
    assert [j["source_id"] for j in only] == ["dinkes"]
    assert harvested("jobs", "list").exit_code == 0
    assert len(csv_rows(harvested("jobs", "list", "--format", "csv").stdout)) == 2

    job_id = only[0]["id"]
    detail = json.loads(harvested("jobs", "show", str(job_id), "--format", "json").stdout)
    assert detail["job"]["id"] == job_id
    assert detail["job"]["added"] == 4
    assert {e["kind"] for e in detail["events"]} == {"added"}
    assert len(detail["events"]) == 4
    text = harvested("jobs", "show", str(job_id))
    assert text.exit_code == 0 and "added" in text.stdout
    missing = harvested("jobs", "show", "999")
    assert missing.exit_code == 2 and "999" in missing.stderr

    kept = harvested("jobs", "prune", "--older-than", "90d")
    assert kept.exit_code == 0
    assert "Deleted 0 job(s)" in kept.stdout
    assert len(json.loads(harvested("jobs", "list", "--format", "json").stdout)) == 2

    conn = sqlite3.connect(harvested.db)
    with conn:
        conn.execute(
            "UPDATE harvest_jobs SET started_at = '2020-01-01T02:00:00Z' WHERE id = ?", (job_id,)
        )
    conn.close()
    pruned = harvested("jobs", "prune", "--older-than", "90d")
    assert pruned.exit_code == 0
    assert "Deleted 1 job(s) and 4 event(s)" in pruned.stdout
    remaining = json.loads(harvested("jobs", "list", "--format", "json").stdout)
    assert [j["source_id"] for j in remaining] == ["bappeda"]
    # datasets are never deleted by pruning history
    assert len(json.loads(harvested("catalog", "list", "--format", "json").stdout)) == 6


@pytest.mark.parametrize("value", ["90x", "ninety", "-5d", ""])
def test_jobs_prune_bad_age(harvested: Cli, value: str) -> None:
    result = harvested("jobs", "prune", "--older-than", value)
    assert result.exit_code == 2
    assert "90d" in result.stderr  # says what a good value looks like
    assert len(json.loads(harvested("jobs", "list", "--format", "json").stdout)) == 2


# ------------------------------------------------------------------ validate --catalog


def test_validate_catalog(harvested: Cli) -> None:
    everything = harvested("validate", "--catalog")
    assert everything.exit_code == 1  # bappeda holds an invalid record
    assert harvested("validate", "--catalog", "--source", "dinkes").exit_code == 0
    assert harvested("validate", "--catalog", "--source", "bappeda").exit_code == 1
    report = harvested("validate", "--catalog", "--source", "dinkes", "--format", "json")
    assert report.exit_code == 0
    json.loads(report.stdout)


def test_validate_catalog_unknown_source(harvested: Cli) -> None:
    result = harvested("validate", "--catalog", "--source", "dinkez")
    assert result.exit_code == 2
    assert "dinkez" in result.stderr


def test_validate_catalog_all_valid(cli: Cli, cfg: Path) -> None:
    (cfg / "bappeda.yaml").unlink()
    assert cli("harvest", "--all").exit_code == 0
    assert cli("validate", "--catalog").exit_code == 0


# ------------------------------------------------------------------------- logging


def test_log_format_json_lines_are_json(tmp_path: Path) -> None:
    with CkanFixture(datasets=make_packages(30, seed=5)) as ckan:
        ckan.disable_package_search = True  # the source falls back, and logs it
        cfg = tmp_path / "cfg"
        write_source(cfg, "ckan-medan", type="ckan", url=ckan.url, http={"retries": 0})
        cli = Cli(tmp_path / "katalog.db", cfg)
        result = cli("--log-format", "json", "-v", "harvest", "--all", "--json")
        quiet = cli("--log-format", "json", "harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["added"] == 30
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines
    payloads = [json.loads(line) for line in lines]
    for payload in payloads:
        assert {"ts", "level", "event", "source", "job_id", "error", "message"} <= set(payload)
    assert any("package_search" in p["message"] for p in payloads)
    # the fallback note comes from the source's own code, and still names the source
    fallback = [p for p in payloads if "package_search" in p["message"]]
    assert all(p["source"] == "ckan-medan" and p["job_id"] == 1 for p in fallback), fallback
    assert quiet.exit_code == 0, quiet.stderr
    for line in quiet.stderr.splitlines():  # without -v: warnings only, still JSON
        json.loads(line)


def test_log_format_json_every_stderr_line_is_json(cli: Cli, cfg: Path) -> None:
    """For cron: with --log-format json, stderr holds JSON lines only, errors included."""
    shutil.rmtree(cfg / "data" / "bappeda")
    for extra in (["--json"], []):
        result = cli("--log-format", "json", "-v", "harvest", "--all", *extra)
        assert result.exit_code == 3
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines
        payloads = [json.loads(line) for line in lines]
        for payload in payloads:
            assert {"ts", "level", "event", "source", "job_id", "message"} <= set(payload)
        errors = [p["message"] for p in payloads if p["level"] == "error"]
        assert any("bappeda" in m and "does not exist" in m for m in errors), payloads
        assert any("dinkes" in p["message"] for p in payloads if p["level"] == "info")
