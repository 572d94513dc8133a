"""The realisasi page (``report realisasi --format html``) in real headless Chromium:
rendered with its agencies and entries, XSS in a planned title shown as text, no
request from the page (helpers of ``test_report_browser.py``)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_report_browser import _page_requests, _run, chromium  # noqa: F401
from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record
from tests.helpers.reports import DINKES, XSS_TITLE, write_records


def test_realisasi_page_in_headless_chromium(
    chromium: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data", [make_record(1), make_record(2, title="Jumlah Rumah Sakit")])
    write_source(cfg, "dinkes", title="Dinas Kesehatan", type="directory", path="data")
    cli = Cli(tmp_path / "katalog.db", cfg)
    assert cli("harvest", "--all").exit_code == 0
    plan = tmp_path / "daftar-data.csv"
    plan.write_text(
        "Perangkat Daerah,Judul Data\n"
        f"{DINKES},Jumlah Puskesmas Kecamatan Nomor 1 di Kota Medan\n"
        f'{DINKES},"{XSS_TITLE}"\n',
        encoding="utf-8",
    )
    page = tmp_path / "realisasi.html"
    result = cli(
        "report", "realisasi", "--plan", str(plan), "-f", "html", "--lang", "id",
        "--detail", "--output", str(page),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    # loads nothing, runs nothing: no link, no script, no external address
    assert "<link" not in html and "<script" not in html and "url(" not in html
    assert "http://" not in html and "https://" not in html
    netlog = tmp_path / "netlog.json"
    dom = _run(chromium, tmp_path, f"--log-net-log={netlog}", "--dump-dom", page.as_uri()).stdout
    assert "Realisasi Daftar Data per perangkat daerah" in dom
    assert f'data-agency="{DINKES}"' in dom
    assert dom.count('class="entry"') == 2
    assert 'data-status="published"' in dom and 'data-status="missing"' in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and XSS_TITLE not in dom
    assert {u for u in _page_requests(netlog) if not u.startswith(("file:", "data:"))} == set()
