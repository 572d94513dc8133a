"""``satudata report realisasi``: a Daftar Data (CSV and XLSX) with exact, fuzzy,
ambiguous and missing entries matched to a katalog built by the real harvest engine,
with known answers, in both languages and all four formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest

from tests.helpers.cli import Cli, csv_rows, squash
from tests.helpers.realisasi import DISDIK, DISHUB, HEADINGS, PLAN, csv_plan, realisasi_cli
from tests.helpers.reports import DINKES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "realisasi-report.schema.json").read_text("utf-8"))


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return realisasi_cli(tmp_path)


def _csv_plan(tmp_path: Path) -> Path:
    return csv_plan(tmp_path)


def _xlsx_plan(tmp_path: Path) -> Path:
    path = tmp_path / "daftar-data.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADINGS)
    for row in PLAN:
        sheet.append([int(row[0]), *row[1:4], int(row[4]), row[5] or None])
    book.save(path)
    return path


def _json(cli: Cli, plan: Path, *args: str) -> dict[str, Any]:
    result = cli("report", "realisasi", "--plan", str(plan), "--format", "json", *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    return data


def _by_line(data: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {e["entry"]["line"]: e for a in data["agencies"] for e in a["entries"]}


@pytest.mark.parametrize("make_plan", [_csv_plan, _xlsx_plan], ids=["csv", "xlsx"])
def test_known_answers(cli: Cli, tmp_path: Path, make_plan: Any) -> None:
    data = _json(cli, make_plan(tmp_path), "--year", "2026")
    entries = _by_line(data)
    # the heading row is line 1, the plan's entry N is on line N + 1
    assert sorted(entries) == [2, 3, 4, 5, 6, 7, 8]
    exact, fuzzy, uncompliant, ambiguous, nothing, no_agency, bad_id = (
        entries[n] for n in range(2, 9)
    )
    assert exact["status"] == "published" and exact["method"] == "id"
    assert exact["dataset"]["name"] == "jumlah-puskesmas-2"
    assert fuzzy["status"] == "published" and fuzzy["method"] == "title"
    assert fuzzy["dataset"]["name"] == "jumlah-puskesmas-1"
    assert fuzzy["dataset"]["score"] >= 90
    assert uncompliant["status"] == "published" and uncompliant["dataset"]["compliant"] is False
    assert ambiguous["status"] == "to_confirm" and ambiguous["dataset"] is None
    assert {c["name"] for c in ambiguous["candidates"]} >= {
        "jumlah-puskesmas-10",
        "jumlah-puskesmas-11",
    }
    assert nothing["status"] == "missing" and nothing["candidates"] == []
    assert no_agency["status"] == "missing"
    assert "no active dataset" in no_agency["reason_en"]
    assert bad_id["status"] == "missing" and bad_id["method"] == "id"
    agencies = {a["name"]: a for a in data["agencies"]}
    dinkes = agencies["Dinas Kesehatan"]
    assert (dinkes["planned"], dinkes["published"], dinkes["compliant"]) == (2, 2, 2)
    assert agencies[DINKES]["compliant"] == 0
    disdik = agencies[DISDIK]
    assert (disdik["planned"], disdik["published"], disdik["to_confirm"], disdik["missing"]) == (
        3,
        0,
        1,
        2,
    )
    overall = data["overall"]
    assert (overall["planned"], overall["published"], overall["missing"]) == (7, 3, 3)
    assert [s["line"] for s in data["skipped"]] == [10]
    assert data["thresholds"] == {"match": 90.0, "possible": 75.0, "margin": 5.0, "agency": 90.0}
    assert [e["match"] for e in (exact, fuzzy, ambiguous, nothing, bad_id)] == [
        "exact",
        "fuzzy",
        "to_confirm",
        "missing",
        "missing",
    ]
    # the summary: the same facts under the stable keys, the same sentences in both languages
    summary = data["summary"]
    facts = {a["name"]: a for a in summary["agencies"]}
    assert [a["name"] for a in summary["agencies"]] == [a["name"] for a in data["agencies"]]
    assert summary["overall"]["name"] is None
    assert {k: summary["overall"][k] for k in ("planned", "published", "published_compliant")} == {
        "planned": 7,
        "published": 3,
        "published_compliant": 2,
    }
    assert summary["overall"]["compliant"] is None
    assert (summary["overall"]["to_confirm"], summary["overall"]["missing"]) == (1, 3)
    assert (facts[DISDIK]["planned"], facts[DISDIK]["to_confirm"]) == (3, 1)
    assert facts[DISDIK]["score"] is None and facts[DISDIK]["broken_links"] is None
    assert summary["text_id"][0] == (
        "Seluruh Daftar Data, 4 perangkat daerah: 3 dari 7 data yang direncanakan sudah "
        "terbit, 2 memenuhi standar; 1 perlu dikonfirmasi; 3 belum terbit."
    )
    assert summary["text_en"][1] == (
        "Dinas Kesehatan: 2 of 2 planned datasets published, 2 meeting the standard."
    )
    assert f"{DISDIK}: 0 dari 3 data yang direncanakan sudah terbit, 0 memenuhi standar; " in (
        " ".join(summary["text_id"])
    )


def test_without_year_every_row_counts(cli: Cli, tmp_path: Path) -> None:
    data = _json(cli, _csv_plan(tmp_path))
    assert data["overall"]["planned"] == 8
    # line 9's title would match, but an id-less entry of an earlier year takes nothing
    # from the others: the APM dataset is published for it
    assert _by_line(data)[9]["status"] == "published"


def test_text_in_both_languages(cli: Cli, tmp_path: Path) -> None:
    plan = _csv_plan(tmp_path)
    for lang, words in (
        (
            "id",
            [
                "Realisasi Daftar Data",
                "Perlu dikonfirmasi",
                "Belum ada",
                "Terbit dan patuh",
                "Seluruh Daftar Data, 4 perangkat daerah: 3 dari 7 data yang direncanakan",
                "Dinas Kesehatan: 2 dari 2 data yang direncanakan sudah terbit, 2 memenuhi "
                "standar.",
            ],
        ),
        (
            "en",
            [
                "Realisasi of the Daftar Data",
                "To confirm",
                "Missing",
                "Published and",
                f"{DISHUB}: 0 of 1 planned dataset published, 0 meeting the standard; 1 not "
                "published yet.",
            ],
        ),
    ):
        result = cli("report", "realisasi", "--plan", str(plan), "--year", "2026", "--lang", lang)
        assert result.exit_code == 0, result.stderr
        text = squash(result.stdout)
        for word in words:
            assert word in text, (lang, word, text)
        # without --detail only what needs a person: not the published entries
        assert "Data Rumah Sakit" not in text
        assert "Rasio" in text and "Angkutan" in text


def test_csv_per_agency_and_per_entry(cli: Cli, tmp_path: Path) -> None:
    plan = _csv_plan(tmp_path)
    result = cli("report", "realisasi", "--plan", str(plan), "--year", "2026", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    assert list(rows[0])[:3] == ["agency", "planned", "published"]
    assert [row["agency"] for row in rows] == ["Dinas Kesehatan", DINKES, DISDIK, DISHUB]
    detail = cli(
        "report", "realisasi", "--plan", str(plan), "--year", "2026", "-f", "csv", "--detail"
    )
    status = {row["line"]: row["status"] for row in csv_rows(detail.stdout)}
    assert status == {
        "2": "published",
        "3": "published",
        "4": "published",
        "5": "to_confirm",
        "6": "missing",
        "7": "missing",
        "8": "missing",
    }


def test_html_page(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "realisasi.html"
    result = cli(
        "report",
        "realisasi",
        "--plan",
        str(_csv_plan(tmp_path)),
        "--year",
        "2026",
        "-f",
        "html",
        "--lang",
        "id",
        "--output",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="id">' in page
    assert page.count('class="entry"') == 4  # to confirm and missing, not the published
    # the summary opens the page, before the tables
    assert page.index('<section class="summary"') < page.index('id="agencies"')
    assert "Seluruh Daftar Data, 4 perangkat daerah: 3 dari 7 data" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ("Kolom A,Kolom B\n1,2\n", "no agency and title columns"),
        ("", "empty"),
        ('{"title": "x"}', "not a table"),
    ],
)
def test_bad_plans_are_clear_errors(cli: Cli, tmp_path: Path, content: str, word: str) -> None:
    suffix = ".json" if content.startswith("{") else ".csv"
    plan = tmp_path / f"plan{suffix}"
    plan.write_text(content, encoding="utf-8")
    result = cli("report", "realisasi", "--plan", str(plan), "--lang", "en")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert word in squash(result.stderr)
    assert "Traceback" not in result.stderr


def test_missing_plan_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", "realisasi", "--plan", str(tmp_path / "nope.csv"), "--lang", "id")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
