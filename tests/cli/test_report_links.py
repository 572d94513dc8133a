"""``satudata report links``, the link findings in ``validate --catalog`` and ``catalog
show``, and the link findings in the compliance score, over a katalog harvested by the
real engine with link checks stored through the link-check storage API (known answers:
tests/helpers/link_reports.py)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from satudata_cli.catalogue import Catalogue
from satudata_cli.catalogue.link_findings import findings_by_dataset, link_totals_sql
from satudata_cli.standard.scoring import finding_points
from tests.helpers.cli import Cli, csv_rows, squash
from tests.helpers.link_reports import (
    BAPPEDA,
    DINKES,
    EXPECTED_FINDINGS,
    EXPECTED_POINTS,
    NEW_URL,
    csv_url,
    link_akses,
    link_cli,
    record_checks,
)


@pytest.fixture
def harvested(tmp_path: Path) -> Cli:
    cli = link_cli(tmp_path)
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return cli


@pytest.fixture
def checked(harvested: Cli) -> Cli:
    record_checks(harvested.db, dt.datetime.now(dt.UTC))
    return harvested


SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "links-report.schema.json").read_text(
        encoding="utf-8"
    )
)


def _json(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("report", "links", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    return data


def test_json_known_answers_two_checks_rule_and_unverifiable(checked: Cli) -> None:
    report = _json(checked)
    assert report["report"] == "links" and report["broken_after_hours"] == 20
    agencies = {a["name"]: a for a in report["agencies"]}
    assert [a["name"] for a in report["agencies"]] == [DINKES, BAPPEDA]  # most broken first
    dinkes, bappeda = agencies[DINKES], agencies[BAPPEDA]
    # 8 links; the never-checked CSV is not "checked"; failed-once (2 h apart) is pending,
    # 403 is unverifiable: neither counts as broken
    assert (dinkes["links"], dinkes["checked"], dinkes["broken"]) == (8, 7, 2)
    assert (dinkes["pending"], dinkes["unverifiable"], dinkes["redirected"]) == (1, 1, 1)
    assert (dinkes["not_checked"], dinkes["content_type_mismatch"]) == (1, 1)
    assert dinkes["broken_share"] == round(2 / 7, 4)
    assert dinkes["oldest_broken"]["url"] == link_akses(0)
    assert dinkes["oldest_broken"]["days_broken"] == 30
    assert (bappeda["links"], bappeda["checked"], bappeda["broken"]) == (6, 6, 1)
    assert bappeda["oldest_broken"]["url"] == csv_url(10)
    assert bappeda["oldest_broken"]["days_broken"] == 10
    overall = report["overall"]
    assert (overall["links"], overall["checked"], overall["broken"]) == (14, 13, 3)
    statuses = {(i["url"], i["path"]): i["status"] for i in report["links"]}
    assert statuses[(link_akses(1), "$.link_akses")] == "pending"
    assert statuses[(csv_url(1), "$.resources[0].url")] == "unverifiable"
    assert statuses[(link_akses(3), "$.link_akses")] == "broken"  # exactly 20 h apart
    assert statuses[(csv_url(3), "$.resources[0].url")] == "not_checked"
    assert statuses[(link_akses(2), "$.link_akses")] == "redirected"
    # broken first, oldest first
    assert [i["url"] for i in report["links"][:3]] == [link_akses(0), csv_url(10), link_akses(3)]
    assert report["last_run"]["status"] == "finished"
    # the summary: the same facts under the summary's stable keys, and in words
    summary = report["summary"]
    facts = {a["name"]: a for a in summary["agencies"]}
    assert [a["name"] for a in summary["agencies"]] == [DINKES, BAPPEDA]
    assert (facts[DINKES]["links_checked"], facts[DINKES]["broken_links"]) == (7, 2)
    assert facts[DINKES]["unverifiable_links"] == 1
    assert (facts[DINKES]["oldest_broken_days"], facts[DINKES]["oldest_broken_url"]) == (
        30,
        link_akses(0),
    )
    assert facts[BAPPEDA]["oldest_broken_days"] == 10 and facts[DINKES]["score"] is None
    assert (summary["overall"]["links_checked"], summary["overall"]["broken_links"]) == (13, 3)
    assert summary["overall"]["oldest_broken_days"] == 30
    assert summary["text_id"][1] == (
        f"{DINKES}: 7 tautan diperiksa; 2 tautan rusak; 1 tidak dapat diverifikasi; "
        "tautan rusak terlama sudah 30 hari."
    )
    assert summary["text_en"][1] == (
        f"{DINKES}: 7 links checked; 2 broken links; 1 unverifiable; the oldest broken for 30 days."
    )
    assert summary["text_en"][0].startswith("Whole catalogue: ")
    assert "13 links checked; 3 broken links; " in summary["text_en"][0]


def test_by_source_and_source_filter(checked: Cli) -> None:
    report = _json(checked, "--by", "source", "--source", "bappeda")
    assert report["sources"] == ["bappeda"]
    assert [(a["name"], a["links"], a["broken"]) for a in report["agencies"]] == [("bappeda", 6, 1)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_text_both_languages(checked: Cli, lang: str) -> None:
    result = checked("report", "links", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    text = squash(result.stdout)
    title = "Tautan rusak per perangkat daerah" if lang == "id" else "Broken links per agency"
    assert title in text
    rule = "dua pemeriksaan berjarak sedikitnya 20 jam" if lang == "id" else "at least 20 hours"
    assert rule in text
    assert "Nomor 10 di" in text
    # the summary in words opens the report, before the table
    said = "7 tautan diperiksa; 2 tautan rusak" if lang == "id" else "7 links checked; 2 broken"
    assert text.index(f"{DINKES}: {said}") < text.index(title)
    # without --detail only broken links are listed; with it every link
    ok, unchecked = ("Baik", "Belum diperiksa") if lang == "id" else ("OK", "Not checked")
    assert f" {ok} " not in text and unchecked not in text
    detail = squash(checked("report", "links", "--lang", lang, "--detail").stdout)
    assert f" {ok} " in detail and unchecked in detail


@pytest.mark.parametrize("lang", ["id", "en"])
def test_csv_agencies_and_detail(checked: Cli, lang: str) -> None:
    rows = csv_rows(checked("report", "links", "--format", "csv", "--lang", lang).stdout)
    by_name = {r["agency"]: r for r in rows}
    assert by_name[DINKES]["broken"] == "2" and by_name[DINKES]["checked"] == "7"
    assert by_name[DINKES]["oldest_broken_days"] == "30"
    assert by_name[BAPPEDA]["broken_share"] == str(round(1 / 6, 4))
    detail = csv_rows(
        checked("report", "links", "--format", "csv", "--detail", "--lang", lang).stdout
    )
    assert len(detail) == 14
    unverifiable = next(r for r in detail if r["url"] == csv_url(1))
    assert unverifiable["status"] == "unverifiable"
    assert unverifiable["label"] == ("Tidak dapat dipastikan" if lang == "id" else "Unverifiable")
    assert unverifiable["reason"] == ("akses ditolak" if lang == "id" else "forbidden")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_html_is_self_contained_and_escaped(checked: Cli, lang: str, tmp_path: Path) -> None:
    out = tmp_path / f"tautan-{lang}.html"
    result = checked("report", "links", "--format", "html", "--lang", lang, "--output", out)
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert page.count('class="links-bar"') == 2
    assert "puskesmas-10.csv" in page and "http" not in page.split("<body>")[0].split("</style>")[1]
    assert "<script>alert(1)</script>" not in page  # the dataset title is escaped
    said = "tautan rusak terlama sudah 30 hari" if lang == "id" else "the oldest broken for 30"
    assert page.index('<section class="summary"') < page.index('id="links"')
    assert said in page
    detail = checked("report", "links", "--format", "html", "--detail").stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail  # dataset 2 listed with --detail


def test_compliance_page_shows_the_links_section_only_with_checks(harvested: Cli) -> None:
    before = harvested("report", "compliance", "--format", "html").stdout
    assert 'id="links"' not in before
    record_checks(harvested.db, dt.datetime.now(dt.UTC))
    after = harvested("report", "compliance", "--format", "html").stdout
    assert 'id="links"' in after and after.count('class="links-bar"') == 2
    assert "satudata report links --format html" in after


def test_no_catalogue_and_unknown_source(tmp_path: Path, checked: Cli) -> None:
    missing = Cli(tmp_path / "none.db", checked.cfg)("report", "links")
    assert missing.exit_code == 5
    unknown = checked("report", "links", "--source", "nope")
    assert unknown.exit_code == 2


def _scores(cli: Cli) -> dict[str, dict[str, Any]]:
    result = cli("report", "compliance", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {d["name"]: d for d in json.loads(result.stdout)["datasets"]}


def test_link_findings_count_in_the_compliance_score(harvested: Cli) -> None:
    before = _scores(harvested)
    record_checks(harvested.db, dt.datetime.now(dt.UTC))
    after = _scores(harvested)
    for name, data in after.items():
        assert data["score"] == before[name]["score"] - EXPECTED_POINTS.get(name, 0), name
    broken = after["jumlah-puskesmas-0"]
    assert broken["errors"] == before["jumlah-puskesmas-0"]["errors"] + 1
    assert not broken["valid"] and not broken["compliant"]
    assert "link.broken" in broken["rules"]
    redirected = after["jumlah-puskesmas-2"]
    assert redirected["valid"] and not redirected["compliant"]  # two warnings
    # pending and unverifiable links cost nothing
    assert after["jumlah-puskesmas-1"]["score"] == before["jumlah-puskesmas-1"]["score"]


def test_snapshots_include_link_findings_so_no_change_is_invented(harvested: Cli) -> None:
    record_checks(harvested.db, dt.datetime.now(dt.UTC))
    for _ in range(2):  # the second harvest's snapshot is the "previous" of the third
        assert harvested("harvest", "--all", "--json").exit_code == 0
    report = json.loads(harvested("report", "compliance", "--format", "json").stdout)
    assert {a["name"]: a["change"] for a in report["agencies"]} == {DINKES: 0.0, BAPPEDA: 0.0}
    assert report["overall"]["score"] < 100


def test_sql_points_equal_the_findings_points(checked: Cli) -> None:
    """The score's SQL and the findings built in Python agree, link by link."""
    with Catalogue.open(checked.db, create=False) as cat:
        python = {
            dataset: sum(finding_points(f.rule, f.severity.value) for f in found)
            for dataset, found in findings_by_dataset(cat).items()
        }
    conn = sqlite3.connect(checked.db)
    try:
        sql = {row[0]: row[1] for row in conn.execute(link_totals_sql())}
        names = dict(conn.execute("SELECT id, name FROM datasets"))
    finally:
        conn.close()
    assert sql == python
    assert {names[d]: p for d, p in sql.items()} == EXPECTED_POINTS


def _validate(cli: Cli, *args: str) -> dict[str, set[tuple[str, str, str]]]:
    result = cli("validate", "--catalog", "--format", "json", *args)
    data = json.loads(result.stdout)
    out: dict[str, set[tuple[str, str, str]]] = {}
    for record in data["results"]:
        out[record["record"]] = {
            (f["rule"], f["path"], f["severity"])
            for f in record["findings"]
            if f["rule"].startswith("link.")
        }
    return out


def test_validate_catalog_shows_link_findings_at_the_profile_severity(
    checked: Cli, tmp_path: Path
) -> None:
    found = _validate(checked)
    assert {k: {(r, p) for r, p, _ in v} for k, v in found.items() if v} == EXPECTED_FINDINGS
    assert ("link.broken", "$.link_akses", "error") in found["jumlah-puskesmas-0"]
    profile = tmp_path / "ketat.yaml"
    profile.write_text(
        "name: ketat\nextends: sdi-dasar\nrules:\n  link.broken: 'off'\n  link.redirected: error\n",
        encoding="utf-8",
    )
    strict = _validate(checked, "--profile", str(profile))
    assert strict["jumlah-puskesmas-0"] == set()
    assert ("link.redirected", "$.link_akses", "error") in strict["jumlah-puskesmas-2"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_catalog_show_lists_link_findings(checked: Cli, lang: str) -> None:
    shown = checked("catalog", "show", "jumlah-puskesmas-2", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    findings = {(f["rule"], f["path"]) for f in json.loads(shown.stdout)["findings"]}
    assert EXPECTED_FINDINGS["jumlah-puskesmas-2"] <= findings
    suggestion = next(
        f for f in json.loads(shown.stdout)["findings"] if f["rule"] == "link.redirected"
    )
    assert suggestion["suggestion"] == NEW_URL
    text = squash(checked("catalog", "show", "jumlah-puskesmas-0", "--lang", lang).stdout)
    assert "link.broken" in text
    assert ("rusak sejak" if lang == "id" else "broken since") in text


def test_without_link_checks_every_link_is_not_checked_and_scores_stay(tmp_path: Path) -> None:
    cli = link_cli(tmp_path)
    assert cli("harvest", "--all").exit_code == 0
    report = _json(cli)
    assert report["overall"]["checked"] == 0 and report["last_run"] is None
    assert report["overall"]["not_checked"] == 14 and report["overall"]["broken_share"] is None
    assert {d["score"] for d in _scores(cli).values()} == {100.0}
