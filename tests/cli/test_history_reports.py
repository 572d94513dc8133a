"""``satudata report trend`` and ``satudata report changes`` through the CLI, on a
generated year of daily harvests with known answers (tests/helpers/history.py): every
format in both languages, the published JSON schemas, one file per agency, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from satudata_cli.cli.report_trend_cmd import slug
from tests.helpers.cli import Cli, csv_rows, squash
from tests.helpers.history import (
    IMPROVES,
    RENAMED_NEW,
    RENAMED_OLD,
    STOPS,
    WORSENS,
    Year,
    make_year,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Year:
    return make_year(tmp_path_factory.mktemp("year") / "satudata.db", days=365, extra=1)


@pytest.fixture
def cli(year: Year, tmp_path: Path) -> Cli:
    return Cli(year.path, tmp_path / "harvest_configs")


def _schema(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}-report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json(cli: Cli, *args: str) -> Any:
    result = cli("report", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_trend_json_matches_schema_and_answers(cli: Cli, year: Year) -> None:
    until = year.last_day.isoformat()
    data = _json(cli, "trend", "--every", "month", "--until", until)
    _schema("trend").validate(data)
    by = {a["name"]: a for a in data["agencies"]}
    assert by[IMPROVES]["points"][0]["compliant_share"] < 0.2
    assert by[IMPROVES]["points"][-1]["compliant_share"] == 1.0
    assert by[WORSENS]["change_score"] < 0 < by[IMPROVES]["change_score"]
    assert by[STOPS]["points"][-1]["overdue"] == 5 and by[STOPS]["change_overdue"] == 5
    assert by[RENAMED_OLD]["present"] is False and by[RENAMED_NEW]["present"] is True
    assert data["agencies"][0]["rank"] == 1
    # the summary: one agency's facts per agency of the report, in its (rank) order
    summary = data["summary"]
    facts = {a["name"]: a for a in summary["agencies"]}
    assert [a["name"] for a in summary["agencies"]] == [a["name"] for a in data["agencies"]]
    assert facts[WORSENS]["change"] == by[WORSENS]["change_score"] < 0
    assert facts[WORSENS]["change_since"] == "window_start"
    assert facts[WORSENS]["score"] == by[WORSENS]["points"][-1]["score"]
    assert facts[STOPS]["overdue"] == 5 and facts[RENAMED_OLD]["datasets"] == 0
    assert facts[IMPROVES]["planned"] is None and facts[IMPROVES]["links_checked"] is None
    sentences = dict(
        zip([a["name"] for a in summary["agencies"]], summary["text_id"][1:], strict=True)
    )
    assert sentences[STOPS].endswith("; 5 dataset terlambat diperbarui.")
    assert sentences[RENAMED_OLD] == f"{RENAMED_OLD}: tidak ada dataset lagi."
    drop = f"{abs(by[WORSENS]['change_score']):.1f}"
    assert f"(turun {drop.replace('.', ',')} sejak awal rentang laporan)" in sentences[WORSENS]
    assert (
        f"(down {drop} since the start of the report's window)"
        in summary["text_en"][1 + list(facts).index(WORSENS)]
    )
    weekly = _json(cli, "trend", "--until", until)
    _schema("trend").validate(weekly)
    assert weekly["every"] == "week" and len(weekly["periods"]) == 53
    assert all(p.startswith(("20",)) for p in weekly["periods"])
    # the schema rejects what it should: an unknown key, a score above 100
    broken = json.loads(json.dumps(data))
    broken["agencies"][0]["points"][-1]["score"] = 101
    assert list(_schema("trend").iter_errors(broken))
    broken = {**data, "extra": 1}
    assert list(_schema("trend").iter_errors(broken))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_trend_text_has_sparklines_in_both_languages(cli: Cli, year: Year, lang: str) -> None:
    result = cli(
        "report", "trend", "--every", "month", "--until", year.last_day.isoformat(), "--lang", lang
    )
    assert result.exit_code == 0, result.stderr
    text = squash(result.stdout)
    title = "Kinerja perangkat daerah" if lang == "id" else "Agency performance over time"
    assert title in text
    lines = result.stdout.splitlines()
    start = next(i for i, x in enumerate(lines) if title in x)
    line = next(x for x in lines[start:] if "Bappeda" in x)
    assert "█" in line and "▁" in line  # falls from its best to its worst
    # the summary in words opens the report, before the table
    opening = squash("\n".join(lines[:start]))
    whole = "Seluruh katalog: " if lang == "id" else "Whole catalogue: "
    assert opening.startswith(whole)
    assert f"{WORSENS}: {'skor' if lang == 'id' else 'score'} " in opening
    assert ("turun" if lang == "id" else "down") in opening
    absent = "tidak ada lagi sejak" if lang == "id" else "none since"
    assert absent in text
    assert ("per bulan" if lang == "id" else "per month") in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_trend_csv_and_html(cli: Cli, year: Year, tmp_path: Path, lang: str) -> None:
    until = year.last_day.isoformat()
    result = cli("report", "trend", "-f", "csv", "--every", "month", "--until", until)
    assert result.exit_code == 0, result.stderr
    rows = csv_rows(result.stdout)
    stops = [r for r in rows if r["agency"] == STOPS]
    assert len(stops) == 12 and stops[-1]["overdue"] == "5" and stops[0]["overdue"] == "0"
    assert {r["agency"] for r in rows if r["rank"] == ""} == {RENAMED_OLD}
    page = tmp_path / "tren.html"
    result = cli("report", "trend", "-f", "html", "--until", until, "--lang", lang, "-o", page)
    assert result.exit_code == 0, result.stderr
    html = page.read_text("utf-8")
    assert html.count('class="small-multiple"') == 6  # four agencies, a renamed one, one extra
    assert html.count("<svg") == 12 and "<script" not in html and "http" not in html.lower()
    assert html.index('<section class="summary"') < html.index('id="overview"')
    assert ("Seluruh katalog: " if lang == "id" else "Whole catalogue: ") in html
    assert (
        "Ikhtisar semua perangkat daerah" if lang == "id" else "Overview of every agency"
    ) in html


@pytest.mark.parametrize("lang", ["id", "en"])
def test_changes_in_every_format(cli: Cli, year: Year, tmp_path: Path, lang: str) -> None:
    window = ("--since", year.day(1).isoformat(), "--until", year.last_day.isoformat())
    data = _json(cli, "changes", *window)
    _schema("changes").validate(data)
    by = {a["name"]: a for a in data["agencies"]}
    assert (by[IMPROVES]["updated"], by[IMPROVES]["findings_fixed"]) == (5, 5)
    assert (by[WORSENS]["added"], by[WORSENS]["findings_new"]) == (1, 5)
    facts = {a["name"]: a for a in data["summary"]["agencies"]}
    for key in ("added", "updated", "withdrawn", "restored", "findings_new", "findings_fixed"):
        assert facts[IMPROVES][key] == by[IMPROVES][key], key
        assert data["summary"]["overall"][key] == data["overall"][key], key
    assert facts[WORSENS]["score"] is None and facts[WORSENS]["overdue"] is None
    said = dict(
        zip(facts, data["summary"]["text_id" if lang == "id" else "text_en"][1:], strict=True)
    )
    if lang == "id":
        assert said[WORSENS].startswith(f"{WORSENS}: 1 ditambah, ")
        assert said[IMPROVES].endswith("; 5 temuan diperbaiki, 0 temuan baru.")
    else:
        assert said[WORSENS].startswith(f"{WORSENS}: 1 added, ")
        assert said[IMPROVES].endswith("; 5 findings fixed, 0 new.")
    assert {c["kind"] for c in by[IMPROVES]["changes"]} == {"updated", "withdrawn", "restored"}
    result = cli("report", "changes", *window, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    text = squash(result.stdout)
    assert ("Ditarik" if lang == "id" else "Withdrawn") in text and "kontak" in text
    assert text.startswith(squash(data["summary"]["text_id" if lang == "id" else "text_en"][0]))
    assert squash(said[WORSENS]) in text
    rows = csv_rows(cli("report", "changes", *window, "-f", "csv").stdout)
    assert {r["kind"] for r in rows} == {"added", "updated", "withdrawn", "restored"}
    assert sum(1 for r in rows if r["fields"] == "kontak") == 10
    page = tmp_path / "perubahan.html"
    result = cli("report", "changes", *window, "-f", "html", "--lang", lang, "-o", page)
    assert result.exit_code == 0, result.stderr
    html = page.read_text("utf-8")
    assert html.count('class="change updated"') == 5 + 5 + 5 + 5  # four agencies x 5 datasets
    assert ("Temuan diperbaiki" if lang == "id" else "Findings fixed") in html
    assert html.index('<section class="summary"') < html.index('id="counts"')
    assert said[WORSENS] in html


def test_changes_one_file_per_agency(cli: Cli, year: Year, tmp_path: Path) -> None:
    folder = tmp_path / "surel"
    window = ("--since", year.day(1).isoformat(), "--until", year.last_day.isoformat())
    result = cli("report", "changes", *window, "-f", "html", "-o", f"{folder}/")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{slug(n)}.html" for n in (IMPROVES, WORSENS, STOPS, RENAMED_NEW))
    assert "dinas-kesehatan-kota-medan.html" in names
    own = (folder / "bappeda-kota-medan.html").read_text("utf-8")
    assert WORSENS in own and IMPROVES not in own
    # JSON per agency: each file is a whole report of one agency
    result = cli("report", "changes", *window, "-f", "json", "-o", f"{folder}/")
    assert result.exit_code == 0, result.stderr
    one = json.loads((folder / "bappeda-kota-medan.json").read_text("utf-8"))
    _schema("changes").validate(one)
    assert [a["name"] for a in one["agencies"]] == [WORSENS]
    assert one["overall"]["added"] == 1
    # its summary is that agency's alone
    assert [a["name"] for a in one["summary"]["agencies"]] == [WORSENS]
    assert one["summary"]["overall"]["added"] == 1 and len(one["summary"]["text_id"]) == 2


def test_slug() -> None:
    assert slug("Dinas Komunikasi dan Informatika Kota Medan") == (
        "dinas-komunikasi-dan-informatika-kota-medan"
    )
    assert slug("Badan Pendapatan Daerah (Bapenda) — Bidang PBB & BPHTB") == (
        "badan-pendapatan-daerah-bapenda-bidang-pbb-bphtb"
    )
    assert slug("Dinas Perhubungan Kota Médan") == "dinas-perhubungan-kota-medan"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("…") == "perangkat-daerah"


def test_exit_codes(cli: Cli, year: Year, tmp_path: Path) -> None:
    bad = cli("report", "trend", "--since", "2026-12-01", "--until", "2026-01-01", "--lang", "en")
    assert bad.exit_code == 2 and "--since 2026-12-01 is after --until 2026-01-01" in bad.stderr
    assert cli("report", "trend", "--since", "kemarin").exit_code == 2
    both = cli("report", "changes", "--since", "2026-01-01", "--since-job", "3")
    assert both.exit_code == 2
    unknown = cli("report", "changes", "--since-job", "999999", "--lang", "id")
    assert unknown.exit_code == 2 and "999999" in unknown.stderr
    since_job = _json(cli, "changes", "--since-job", str(year.jobs[year.withdraw_day - 1]))
    assert since_job["overall"]["withdrawn"] == 1 and since_job["since"] is None
    empty = Cli(tmp_path / "kosong.db", tmp_path / "cfg")
    assert empty("report", "trend").exit_code == 5
