"""``satudata report compliance`` and ``report freshness`` over catalogues built by the
real harvest engine (directory sources in tmp_path), through typer's CliRunner.

Every JSON output is validated against its schema in ``schemas/``. Expected scores are
recomputed here from the stored findings with the documented weights, independently
of the SQL expression that the reports use.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from satudata_cli.catalogue import SCHEMA_VERSION, Catalogue
from satudata_cli.standard import scoring
from satudata_cli.standard.schema import load_standard
from tests.helpers.cli import Cli, csv_rows, squash, write_source
from tests.helpers.records import make_record
from tests.helpers.reports import (
    BAPPEDA,
    DINKES,
    FORMULA_TITLE,
    LABKESDA,
    XSS_TITLE,
    bappeda_records,
    dinkes_records,
    write_records,
)

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 28)


def _schema(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "dinkes", dinkes_records())
    write_records(cfg / "data" / "bappeda", bappeda_records())
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    write_source(cfg, "bappeda", title="Bappeda", type="directory", path="data/bappeda")
    return Cli(tmp_path / "katalog.db", cfg)


@pytest.fixture
def harvested(cli: Cli) -> Cli:
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return cli


def _expected_scores(db: Path, key: str = "organization") -> dict[str | None, float]:
    """Mean dataset score per group, from the stored findings, with the documented weights."""
    conn = sqlite3.connect(db)
    try:
        groups: dict[str | None, list[float]] = {}
        datasets = conn.execute(
            f"SELECT id, {key} FROM datasets WHERE status = 'active'"
        ).fetchall()
        for dataset_id, group in datasets:
            penalty = 0
            for rule, severity in conn.execute(
                "SELECT rule, severity FROM validation_findings WHERE dataset_id = ?",
                (dataset_id,),
            ):
                if severity not in ("error", "warning"):
                    continue
                if rule == "field.required":
                    penalty += scoring.MISSING_REQUIRED
                elif rule == "field.recommended":
                    penalty += scoring.MISSING_RECOMMENDED
                elif severity == "error":
                    penalty += scoring.OTHER_ERROR
                else:
                    penalty += scoring.OTHER_WARNING
            groups.setdefault(group, []).append(max(0, 100 - penalty))
    finally:
        conn.close()
    return {g: sum(s) / len(s) for g, s in groups.items()}


def _report(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("report", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    _schema(f"{data['report']}-report").validate(data)
    return data


# ------------------------------------------------------------------ compliance


def test_compliance_per_agency(harvested: Cli) -> None:
    data = _report(harvested, "compliance")
    assert data["scope"] == "active" and data["by"] == "organization"
    assert data["sources"] == ["bappeda", "dinkes"]
    assert data["catalogue"] == str(harvested.db)
    agencies = {a["name"]: a for a in data["agencies"]}
    assert set(agencies) == {DINKES, BAPPEDA}
    expected = _expected_scores(harvested.db)
    for name, agency in agencies.items():
        assert agency["score"] == round(expected[name], 1)
    # lowest first: the agency behind is the first line
    assert [a["name"] for a in data["agencies"]] == sorted(agencies, key=lambda n: expected[n])
    dinkes = agencies[DINKES]
    assert dinkes["datasets"] == 4
    notes = next(c for c in dinkes["completeness"] if c["field"] == "notes")
    assert (notes["filled"], notes["share"], notes["required"]) == (3, 0.75, False)
    assert any(r["rule"] == "field.recommended" for r in dinkes["top_rules"])
    bappeda = agencies[BAPPEDA]
    produsen = next(c for c in bappeda["completeness"] if c["field"] == "produsen_data")
    assert (produsen["filled"], produsen["required"]) == (2, True)
    rules = {r["rule"]: r for r in bappeda["top_rules"]}
    assert rules["field.required"]["datasets"] == 1
    assert rules["vocab.unknown"]["severity"] == "error"
    assert bappeda["valid"] == 2 and bappeda["valid_share"] == round(2 / 3, 4)
    assert bappeda["compliant"] + dinkes["compliant"] == data["overall"]["compliant"]
    # one missing recommended field costs exactly its weight
    no_notes = next(d for d in data["datasets"] if d["name"] == "jumlah-puskesmas-1")
    assert no_notes["score"] == 100 - scoring.MISSING_RECOMMENDED
    assert no_notes["missing_recommended"] == ["notes"]
    assert no_notes["compliant"] is False and no_notes["valid"] is True
    # the first harvest has nothing to compare with
    assert data["previous"] == []
    assert all(a["change"] is None and a["previous_score"] is None for a in data["agencies"])


@pytest.mark.parametrize("by", ["produsen_data", "source", "pilar"])
def test_compliance_by_other_groupings(harvested: Cli, by: str) -> None:
    data = _report(harvested, "compliance", "--by", by)
    key = "source_id" if by == "source" else by
    expected = _expected_scores(harvested.db, key)
    assert {a["name"]: a["score"] for a in data["agencies"]} == {
        name: round(score, 1) for name, score in expected.items()
    }
    assert sum(a["datasets"] for a in data["agencies"]) == 7


def test_compliance_change_since_previous_harvest(harvested: Cli) -> None:
    before = _expected_scores(harvested.db)
    # dinkes empties a required field of one record and harvests again
    records = dinkes_records()
    del records[0]["produsen_data"]
    records[1]["organization"] = LABKESDA  # a UPT now named as its own agency
    write_records(harvested.cfg / "data" / "dinkes", records)
    result = harvested("harvest", "dinkes", "--json")
    assert result.exit_code == 0, result.stderr
    after = _expected_scores(harvested.db)
    assert after[DINKES] < before[DINKES]
    data = _report(harvested, "compliance")
    agencies = {a["name"]: a for a in data["agencies"]}
    dinkes = agencies[DINKES]
    assert dinkes["previous_score"] == round(before[DINKES], 1)
    assert dinkes["change"] == round(after[DINKES] - before[DINKES], 1) < 0
    assert dinkes["previous_datasets"] == 4 and dinkes["datasets"] == 3
    # an agency that had no dataset in the previous harvest of its source is new
    assert agencies[LABKESDA]["previous_datasets"] == 0
    assert agencies[LABKESDA]["change"] is None
    # bappeda has been harvested once: nothing to compare with, which is not "new"
    assert agencies[BAPPEDA]["previous_datasets"] is None
    assert agencies[BAPPEDA]["change"] is None
    # nor can the whole catalogue be compared while one of its sources has no past
    assert data["overall"]["change"] is None
    jobs = harvested("jobs", "list", "--source", "dinkes", "--format", "json")
    first_job = min(job["id"] for job in json.loads(jobs.stdout))
    assert data["previous"] == [
        {
            "source_id": "dinkes",
            "job_id": first_job,
            "finished_at": data["previous"][0]["finished_at"],
        }
    ]
    text = squash(harvested("report", "compliance", "--lang", "en").stdout)
    assert f"{dinkes['change']:+.1f}" in text and "new" in text
    # a drop is a number a spreadsheet can sum, not a text with an apostrophe
    rows = {r["agency"]: r for r in csv_rows(harvested("report", "compliance", "-f", "csv").stdout)}
    assert float(rows[DINKES]["change"]) == dinkes["change"] < 0
    assert rows[BAPPEDA]["change"] == ""
    # an unchanged harvest: no change any more
    assert harvested("harvest", "--all").exit_code == 0
    again = _report(harvested, "compliance")
    assert {a["name"]: a["change"] for a in again["agencies"]} == {
        DINKES: 0.0,
        BAPPEDA: 0.0,
        LABKESDA: 0.0,
    }
    assert again["overall"]["change"] == 0.0
    # a new source with datasets of dinkes: dinkes now mixes a source with a past and one
    # without; its change is not the old sources' score against all datasets now
    extra = make_record(40, organization=DINKES)
    del extra["notes"], extra["kontak"], extra["tags"]
    write_records(harvested.cfg / "data" / "puskesmas", [extra])
    write_source(
        harvested.cfg, "puskesmas", title="Puskesmas", type="directory", path="data/puskesmas"
    )
    assert harvested("harvest", "puskesmas").exit_code == 0
    mixed = {a["name"]: a for a in _report(harvested, "compliance")["agencies"]}
    assert mixed[DINKES]["datasets"] == 4 and mixed[DINKES]["change"] is None
    assert mixed[DINKES]["previous_datasets"] is None
    assert mixed[BAPPEDA]["change"] == 0.0


def test_snapshots_outlive_pruned_jobs(harvested: Cli) -> None:
    # the snapshots are the monitoring history (docs/monitoring.md): jobs prune keeps
    # them, their own retention thins them
    with Catalogue.open(harvested.db, create=False) as cat:
        assert cat.schema_version == SCHEMA_VERSION
        count = cat.conn.execute("SELECT count(*) FROM compliance_snapshots").fetchone()[0]
        assert count == 3  # dinkes: one agency and produsen data; bappeda: two pairs
        fresh = cat.conn.execute("SELECT count(*) FROM freshness_snapshots").fetchone()[0]
        assert fresh == 3
        cat.prune(timedelta(0), now=cat.now() + timedelta(days=1))
        assert cat.conn.execute("SELECT count(*) FROM harvest_jobs").fetchone()[0] == 0
        assert cat.conn.execute("SELECT count(*) FROM compliance_snapshots").fetchone()[0] == 3
        assert cat.conn.execute("SELECT count(*) FROM freshness_snapshots").fetchone()[0] == 3


def test_min_score_gate(harvested: Cli) -> None:
    scores = _expected_scores(harvested.db)
    lowest = min(scores.values())
    passing = harvested("report", "compliance", "--min-score", f"{lowest - 0.1:.1f}")
    assert passing.exit_code == 0, passing.stderr
    failing = harvested("report", "compliance", "--min-score", "99", "--lang", "en")
    assert failing.exit_code == 1
    assert BAPPEDA in failing.stderr and "below the minimum score 99" in failing.stderr
    assert "Bappeda" in failing.stdout  # the report is still printed
    assert harvested("report", "compliance", "--min-score", "101").exit_code == 2


def test_compliance_csv_is_formula_safe(harvested: Cli) -> None:
    result = harvested("report", "compliance", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert {r["agency"] for r in rows} == {DINKES, BAPPEDA}
    assert "completeness_notes" in rows[0] and "score" in rows[0]
    detail = csv_rows(harvested("report", "compliance", "-f", "csv", "--detail").stdout)
    assert len(detail) == 7
    titles = {r["title"] for r in detail}
    assert "'" + FORMULA_TITLE in titles and FORMULA_TITLE not in titles


def test_compliance_text_is_readable_at_100_columns(harvested: Cli) -> None:
    for lang, word in (("id", "Perangkat daerah"), ("en", "Agency")):
        result = harvested("report", "compliance", "--lang", lang, "--detail")
        assert result.exit_code == 0, result.stderr
        assert max(len(line) for line in result.stdout.splitlines()) <= 100
        text = squash(result.stdout)
        assert word in text and DINKES in text and "field.required" in text
    assert "Active datasets only" in squash(result.stdout)


# ------------------------------------------------------------------- freshness


def _days(jadwal: str) -> int:
    days = load_standard().vocabularies["frekuensi"].terms[jadwal].days
    assert days is not None
    return days


def test_freshness_per_dataset_and_agency(harvested: Cli) -> None:
    data = _report(harvested, "freshness", "--as-of", AS_OF.isoformat())
    assert data["as_of"] == AS_OF.isoformat() and data["grace_days"] == 0
    by_name = {d["name"]: d for d in data["datasets"]}
    stale = by_name["jumlah-puskesmas-2"]
    due = date(2024, 1, 10) + timedelta(days=_days("tahunan"))
    assert stale["status"] == "overdue" and stale["title"] == XSS_TITLE
    assert stale["last_update"] == "2024-01-10"
    assert stale["last_update_from"] == "tanggal_diperbarui"
    assert stale["next_due"] == due.isoformat()
    assert stale["days_overdue"] == (AS_OF - due).days
    fresh = by_name["jumlah-puskesmas-0"]
    assert (fresh["status"], fresh["days_overdue"]) == ("on_time", 0)
    # no tanggal_diperbarui, no modified time from a directory source: first seen
    undated = by_name["jumlah-puskesmas-11"]
    assert undated["last_update_from"] == "first_seen"
    assert undated["period_days"] == _days("bulanan")
    assert by_name["jumlah-puskesmas-12"]["status"] == "unknown_frequency"  # ad hoc
    assert by_name["jumlah-puskesmas-10"]["status"] == "unknown_frequency"  # not in vocab
    agencies = {a["name"]: a for a in data["agencies"]}
    dinkes = agencies[DINKES]
    assert (dinkes["on_time"], dinkes["overdue"], dinkes["unknown_frequency"]) == (3, 1, 0)
    assert [w["name"] for w in dinkes["worst"]] == ["jumlah-puskesmas-2"]
    assert agencies[BAPPEDA]["unknown_frequency"] == 2
    assert data["agencies"][0]["name"] == DINKES  # most overdue first
    assert data["datasets"][0]["status"] == "overdue"


def test_freshness_agrees_with_the_overdue_rule(harvested: Cli) -> None:
    # the rule judged at harvest time (today), the report as of today too. Where a record
    # has no tanggal_diperbarui they differ on purpose: the rule falls back on
    # tanggal_dibuat, the report (as the issue asks) on the source's time or first seen
    data = _report(harvested, "freshness")
    dated = [d for d in data["datasets"] if d["last_update_from"] == "tanggal_diperbarui"]
    overdue = {d["name"] for d in dated if d["status"] == "overdue"}
    conn = sqlite3.connect(harvested.db)
    flagged = {
        row[0]
        for row in conn.execute(
            "SELECT d.name FROM validation_findings f JOIN datasets d ON d.id = f.dataset_id "
            "WHERE f.rule = 'freshness.overdue' AND f.path = '$.tanggal_diperbarui'"
        )
    }
    conn.close()
    assert overdue == flagged == {"jumlah-puskesmas-2"}


def test_freshness_ignores_a_last_update_in_the_future(cli: Cli) -> None:
    # a typo (2062 for 2026) must not keep a dataset "on time" until 2063
    write_records(
        cli.cfg / "data" / "dinkes",
        [make_record(0, tanggal_diperbarui="2062-01-10"), make_record(1)],
    )
    assert cli("harvest", "dinkes").exit_code in (0, 1, 3)
    data = _report(cli, "freshness", "--source", "dinkes")
    typo = {d["name"]: d for d in data["datasets"]}["jumlah-puskesmas-0"]
    assert typo["last_update_from"] == "first_seen"
    assert typo["last_update"] < "2062" and typo["next_due"] < "2062"


def test_freshness_later_day_makes_more_overdue(harvested: Cli) -> None:
    later = AS_OF + timedelta(days=_days("tahunan") * 2)
    data = _report(harvested, "freshness", "--as-of", later.isoformat(), "--source", "dinkes")
    assert data["sources"] == ["dinkes"]
    assert data["overall"]["overdue"] == 4 and data["overall"]["datasets"] == 4


@pytest.mark.parametrize(("lang", "word"), [("id", "Terlambat"), ("en", "Overdue")])
def test_freshness_text_labels(harvested: Cli, lang: str, word: str) -> None:
    result = harvested("report", "freshness", "--as-of", AS_OF.isoformat(), "--lang", lang)
    assert result.exit_code == 0, result.stderr
    text = squash(result.stdout)
    assert word in text and "alert(1)" in text  # printed as text, folded over lines
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_freshness_csv(harvested: Cli, tmp_path: Path) -> None:
    out = tmp_path / "kemutakhiran.csv"
    result = harvested(
        "report",
        "freshness",
        "--as-of",
        AS_OF.isoformat(),
        "-f",
        "csv",
        "--detail",
        "--lang",
        "id",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 7
    late = [r for r in rows if r["status"] == "overdue"]
    assert [r["label"] for r in late] == ["Terlambat"]
    summary = csv_rows(harvested("report", "freshness", "-f", "csv").stdout)
    assert {r["agency"] for r in summary} == {DINKES, BAPPEDA}


# ---------------------------------------------------------------------- errors


def test_missing_or_empty_catalogue_exits_5(cli: Cli) -> None:
    for command in ("compliance", "freshness"):
        result = cli("report", command)
        assert result.exit_code == 5
        assert "satudata harvest" in result.stderr
    Catalogue.open(cli.db).close()  # a catalogue without datasets
    for command in ("compliance", "freshness"):
        result = cli("report", command, "--format", "html")
        assert result.exit_code == 5
        assert "no active dataset" in result.stderr
        assert result.stdout == ""


def test_unknown_source_and_bad_date_exit_2(harvested: Cli) -> None:
    result = harvested("report", "compliance", "--source", "tidak-ada")
    assert result.exit_code == 2
    assert "tidak-ada" in result.stderr and "dinkes" in result.stderr
    assert harvested("report", "freshness", "--as-of", "28/11/2026").exit_code == 2
    assert harvested("report", "compliance", "--by", "kecamatan").exit_code == 2


# ------------------------------------------------------------------------ html


def test_html_is_self_contained_and_escaped(
    harvested: Cli, tmp_path: Path, html_checks: Callable[[str], None]
) -> None:
    out = tmp_path / "laporan.html"
    result = harvested("report", "compliance", "--format", "html", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    html_checks(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert XSS_TITLE not in page
    assert page.count('class="bar"') == 2
    assert str(harvested.db) in page  # the catalogue it was made from
    assert 'id="freshness"' in page  # the freshness summary is on the page
    fresh = harvested("report", "freshness", "--format", "html", "--lang", "id")
    assert fresh.exit_code == 0
    html_checks(fresh.stdout)
    assert "Terlambat" in fresh.stdout and "&lt;script&gt;" in fresh.stdout


def test_language_from_the_environment_and_html_detail(harvested: Cli) -> None:
    result = harvested("report", "freshness", env={"LANG": "id_ID.UTF-8"})
    assert result.exit_code == 0
    assert "Perangkat daerah" in squash(result.stdout)
    assert "Hanya dataset aktif" in squash(result.stdout)
    page = harvested("report", "freshness", "-f", "html", "--detail", "--lang", "en").stdout
    body = page.split('id="freshness-datasets"', 1)[1].split("</table>", 1)[0]
    assert body.count("<tr>") == 1 + 7  # the heading and every active dataset
    assert "On time" in body and "Unknown frequency" in body
