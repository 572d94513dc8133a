"""``report trend --format html`` in a real headless Chromium (as the compliance page in
test_report_browser.py): the small multiples and one line chart per agency are drawn,
the page asks no server for anything, and a screenshot at 1280 px is not blank."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.test_report_browser import (  # the chromium fixture and its helpers
    WINDOW,
    _page_requests,
    _png_facts,
    _run,
    chromium,  # noqa: F401
)
from tests.helpers.cli import Cli
from tests.helpers.history import IMPROVES, RENAMED_NEW, RENAMED_OLD, STOPS, WORSENS, make_year


def test_trend_page_in_headless_chromium(chromium: str, tmp_path: Path) -> None:  # noqa: F811
    year = make_year(tmp_path / "satudata.db", days=120)
    cli = Cli(year.path, tmp_path / "harvest_configs")
    page = tmp_path / "tren.html"
    result = cli(
        "report",
        "trend",
        "-f",
        "html",
        "--every",
        "week",
        "--until",
        year.last_day.isoformat(),
        "--lang",
        "id",
        "-o",
        page,
    )
    assert result.exit_code == 0, result.stderr
    netlog = tmp_path / "netlog.json"
    dom = _run(chromium, tmp_path, f"--log-net-log={netlog}", "--dump-dom", page.as_uri()).stdout
    multiples = re.findall(r'<figure class="small-multiple" data-agency="([^"]+)"', dom)
    assert sorted(multiples) == sorted([IMPROVES, WORSENS, STOPS, RENAMED_OLD, RENAMED_NEW])
    charts = re.findall(r'<svg class="trend".*?</svg>', dom, re.S)
    assert len(charts) == 5
    # a line per agency: the renamed agency's two names split the year between them
    lines = [re.findall(r'<polyline class="score" points="([^"]+)"', c) for c in charts]
    assert all(len(found) == 1 for found in lines)
    points = [len(found[0].split()) for found in lines]
    assert max(points) == 18  # 120 days from a Monday: 18 weeks
    # the agency that stopped updating has its overdue bars
    stops = next(c for c in charts if STOPS in c)
    assert stops.count('<rect class="late"') > 0
    assert {u for u in _page_requests(netlog) if not u.startswith(("file:", "data:"))} == set()
    shot = tmp_path / "tren.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", page.as_uri())
    width, height, variety = _png_facts(shot)
    assert (width, height) == WINDOW
    assert variety > 50, "the screenshot is (nearly) blank"


def test_changes_page_in_headless_chromium(chromium: str, tmp_path: Path) -> None:  # noqa: F811
    year = make_year(tmp_path / "satudata.db", days=60)
    cli = Cli(year.path, tmp_path / "harvest_configs")
    folder = tmp_path / "surel"
    window = ("--since", year.day(1).isoformat(), "--until", year.last_day.isoformat())
    result = cli("report", "changes", *window, "-f", "html", "--lang", "en", "-o", f"{folder}/")
    assert result.exit_code == 0, result.stderr
    page = folder / "dinas-kesehatan-kota-medan.html"
    netlog = tmp_path / "netlog.json"
    dom = _run(chromium, tmp_path, f"--log-net-log={netlog}", "--dump-dom", page.as_uri()).stdout
    # 60 days: a kontak fixed every 10 days, the extra dataset withdrawn on day 40 and
    # back on day 50
    rows = re.findall(r'<tr class="change (\w+)">(.*?)</tr>', dom, re.S)
    assert [kind for kind, _ in rows] == ["updated"] * 5 + ["withdrawn", "restored"]
    assert all("kontak" in cells for _, cells in rows[:5])
    assert "Findings fixed" in dom and IMPROVES in dom and WORSENS not in dom
    assert {u for u in _page_requests(netlog) if not u.startswith(("file:", "data:"))} == set()
