"""The HTML report in a real headless browser (Debian's ``chromium``).

The README's test command (``scripts/test.sh``) installs the package with apt-get when
it is missing and runs as root (as in CI); when Chromium is missing or cannot start,
the test fails (it never skips). The page is rendered twice: ``--dump-dom`` to read
the DOM after the inline script ran, ``--screenshot`` for a picture saved under the
test's tmp_path. A network log (``--log-net-log``) shows that the page made no request
to any server.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.cli import Cli, write_source
from tests.helpers.link_reports import link_cli, record_checks
from tests.helpers.records import make_record
from tests.helpers.reports import (
    BAPPEDA,
    DINKES,
    XSS_TITLE,
    bappeda_records,
    dinkes_records,
    write_records,
)

WINDOW = (1280, 1600)


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Debian's chromium (``scripts/test.sh`` installs it when missing)."""
    path = _find_chromium()
    if path is None:
        pytest.fail(
            "Debian's 'chromium' is not installed; the HTML report test needs it "
            "(bash scripts/test.sh installs it as root, or: apt-get install chromium)"
        )
    version = subprocess.run(
        [path, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    if version.returncode != 0:
        pytest.fail(f"chromium cannot start: {version.stderr.strip()[-500:]}")
    return path


def _run(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium,
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pings",
        # nothing leaves the machine, whatever asks: every host name fails to resolve
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done


def _png_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values of the image data."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    idat = b""
    pos = 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def _page_requests(netlog: Path) -> set[str]:
    """URLs that the page asked for (not the browser itself: its own update and account
    checks have the initiator 'not an origin'; a page from a file has 'null')."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    kinds = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    urls: set[str] = set()
    for event in log.get("events", []):
        params = event.get("params") or {}
        if kinds.get(event.get("type")) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if params.get("initiator") != "not an origin":
            urls.add(params["url"])
    return urls


def test_html_report_in_headless_chromium(
    chromium: str, tmp_path: Path, html_checks: Callable[[str], None]
) -> None:
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "dinkes", dinkes_records())
    write_records(cfg / "data" / "bappeda", bappeda_records())
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    write_source(cfg, "bappeda", title="Bappeda", type="directory", path="data/bappeda")
    cli = Cli(tmp_path / "katalog.db", cfg)
    assert cli("harvest", "--all").exit_code == 0
    page = tmp_path / "laporan-kepatuhan.html"
    result = cli("report", "compliance", "--format", "html", "--lang", "id", "--output", page)
    assert result.exit_code == 0, result.stderr
    html_checks(page.read_text(encoding="utf-8"))
    url = page.as_uri()

    netlog = tmp_path / "netlog.json"
    dom = _run(chromium, tmp_path, f"--log-net-log={netlog}", "--dump-dom", url).stdout
    # the agencies, the chart with one bar per agency, the escaped title as text
    assert DINKES in dom and BAPPEDA in dom
    chart = re.search(r'<svg[^>]*id="score-chart".*?</svg>', dom, re.S)
    assert chart is not None, "no score chart in the rendered page"
    bars = re.findall(r'<rect class="bar" data-agency="([^"]+)"', chart.group(0))
    assert sorted(bars) == sorted([DINKES, BAPPEDA])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert XSS_TITLE not in dom
    assert 'id="freshness"' in dom and "Terlambat" in dom
    # no request from the page; the same check does see one on a page that loads an image
    assert {u for u in _page_requests(netlog) if not u.startswith(("file:", "data:"))} == set()
    control = tmp_path / "control.html"
    control.write_text('<img src="https://example.invalid/logo.png">', encoding="utf-8")
    control_log = tmp_path / "control-netlog.json"
    _run(chromium, tmp_path, f"--log-net-log={control_log}", "--dump-dom", control.as_uri())
    assert _page_requests(control_log) == {"https://example.invalid/logo.png"}

    shot = tmp_path / "laporan-kepatuhan.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", url)
    width, height, variety = _png_facts(shot)
    assert (width, height) == WINDOW
    assert shot.stat().st_size > 20_000
    assert variety > 50, "the screenshot is (nearly) blank"


def test_sorting_a_date_column_keeps_the_day_order(chromium: str, tmp_path: Path) -> None:
    # same year, different days: a column of ISO dates must not sort by the year alone
    days = ["2026-03-01", "2026-11-01", "2026-06-15", "2025-12-31"]
    cfg = tmp_path / "harvest_configs"
    write_records(
        cfg / "data" / "dinkes",
        [make_record(i, tanggal_diperbarui=day) for i, day in enumerate(days)],
    )
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data/dinkes")
    cli = Cli(tmp_path / "katalog.db", cfg)
    assert cli("harvest", "--all").exit_code == 0
    page = tmp_path / "kemutakhiran.html"
    result = cli(
        "report", "freshness", "-f", "html", "--detail", "--as-of", "2026-11-28", "-o", page
    )
    assert result.exit_code == 0, result.stderr
    # click the "last update" heading twice (ascending, then descending), as a reader would
    clicks = (
        "<script>var th = document.querySelectorAll('#freshness-datasets thead th')[3];"
        "th.click(); th.click();</script></body>"
    )
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", clicks), "utf-8")
    dom = _run(chromium, tmp_path, "--dump-dom", page.as_uri()).stdout
    table = re.search(r'<table class="sortable" id="freshness-datasets">.*?</table>', dom, re.S)
    assert table is not None
    shown = re.findall(r'<td class="date" data-sort="(\d{4}-\d\d-\d\d)">\1<br>', table.group(0))
    assert shown == sorted(days, reverse=True)


def test_links_report_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    """The links report's page (tests/helpers/link_reports.py): the agencies' bars, the
    broken links, sorting by a click, no console message and no request."""
    cli = link_cli(tmp_path)
    assert cli("harvest", "--all").exit_code == 0
    record_checks(cli.db, dt.datetime.now(dt.UTC))
    page = tmp_path / "laporan-tautan.html"
    result = cli("report", "links", "--format", "html", "--lang", "en", "--output", page)
    assert result.exit_code == 0, result.stderr
    # click the "days broken" heading once (ascending), as a reader would
    clicks = "<script>document.querySelectorAll('#links-list thead th')[6].click();</script></body>"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", clicks), "utf-8")
    netlog = tmp_path / "links-netlog.json"
    done = _run(
        chromium,
        tmp_path,
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={netlog}",
        "--dump-dom",
        page.as_uri(),
    )
    dom = done.stdout
    assert "CONSOLE" not in done.stderr, done.stderr[-2000:]  # no script error or message
    chart = re.search(r'<svg[^>]*id="links-chart".*?</svg>', dom, re.S)
    assert chart is not None, "no links chart in the rendered page"
    bars = dict(re.findall(r'data-agency="([^"]+)" data-broken="(\d+)"', chart.group(0)))
    assert bars == {DINKES: "2", BAPPEDA: "1"}
    table = re.search(r'<table class="sortable" id="links-list">.*?</table>', dom, re.S)
    assert table is not None
    days = re.findall(r'<td class="num" data-sort="(\d+)">\1</td><td>', table.group(0))
    assert days == ["5", "10", "30"]  # sorted ascending by the click
    assert {u for u in _page_requests(netlog) if not u.startswith(("file:", "data:"))} == set()
    shot = tmp_path / "laporan-tautan.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", page.as_uri())
    assert _png_facts(shot)[2] > 50, "the screenshot is (nearly) blank"
