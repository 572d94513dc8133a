"""Every table command on an 80- and a 60-column terminal (``COLUMNS``): numbers and
ids are never cut, nothing is dropped, no line is wider than the terminal.

The catalogue has what breaks tables: a source of 10,001 datasets (five-digit counts)
with long titles, and source ids of about 40 characters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import pytest
from rich.cells import cell_len

from satudata_cli.cli.common import Color
from satudata_cli.publish.engine import DatasetOutcome, PublishReport
from tests.helpers.cli import Cli, write_source
from tests.helpers.records import make_record

BIG = "dinas-kesehatan-kota-medan-puskesmas-p2p"
SMALL = "bappeda-kota-medan-perencanaan-daerah"
COUNT = 10_001
WIDTHS = (80, 60)
LONG_TITLE = (
    "Jumlah Puskesmas Kecamatan Nomor {i} menurut Jenis Layanan, Status Akreditasi dan "
    "Wilayah Kerja di Kota Medan Provinsi Sumatera Utara"
)


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    base = tmp_path_factory.mktemp("narrow")
    cfg = base / "cfg"
    big = base / "big"
    big.mkdir()
    with (big / "records.jsonl").open("w", encoding="utf-8") as out:
        for i in range(COUNT):
            record = make_record(i, title=LONG_TITLE.format(i=i))
            out.write(json.dumps(record) + "\n")
    small = base / "small"
    small.mkdir()
    records = [
        make_record(
            20_000 + i,
            organization="Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
            kolom=[{"nama": "kecamatan", "tipe": "teks"}, {"nama": "jumlah", "tipe": "angka"}],
        )
        for i in range(3)
    ]
    records[2]["jadwal_pemutakhiran"] = "kadang-kadang"  # one invalid record: findings
    (small / "records.json").write_text(json.dumps(records), encoding="utf-8")
    write_source(cfg, BIG, title="Dinas Kesehatan Kota Medan", type="directory", path=str(big))
    write_source(cfg, SMALL, title="Bappeda Kota Medan", type="directory", path=str(small))
    cli = Cli(base / "katalog.db", cfg)
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.output
    return cli


def listing(cli: Cli, *args: str) -> list[dict[str, Any]]:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def whole(token: object, text: str) -> bool:
    """``token`` appears in ``text`` as a whole (not the start or end of a longer one)."""
    pattern = rf"(?<![\w-]){re.escape(str(token))}(?![\w-])"
    return re.search(pattern, text) is not None


def check(text: str, width: int, tokens: Iterable[object]) -> None:
    assert text.strip(), "no output"
    assert "…" not in text, text
    for line in text.splitlines():
        assert cell_len(line) <= width, (width, line)
    missing = [t for t in tokens if not whole(t, text)]
    assert not missing, f"cut or missing at {width} columns: {missing}\n{text}"


def run(cli: Cli, width: int, *args: str) -> str:
    result = cli(*args, env={"COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.output
    assert "{'" not in result.stdout  # no Python dict repr anywhere
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
def test_harvest(cli: Cli, width: int) -> None:
    text = run(cli, width, "harvest", "--all")
    check(text, width, [BIG, SMALL, COUNT])


@pytest.mark.parametrize("width", WIDTHS)
def test_sources_list_and_check(cli: Cli, width: int) -> None:
    check(run(cli, width, "sources", "list"), width, [BIG, SMALL, "directory"])
    check(run(cli, width, "sources", "check", SMALL), width, ["jumlah-puskesmas-20000"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [("catalog", "list", "-s", BIG, "-n", "5"), ("catalog", "search", "Puskesmas", "-n", "5")],
    ids=["list", "search"],
)
def test_catalog_list_and_search(cli: Cli, width: int, args: tuple[str, ...]) -> None:
    rows = listing(cli, *args)
    assert rows
    text = run(cli, width, *args)
    tokens: list[object] = [r["id"] for r in rows] + [r["source_id"] for r in rows]
    check(text, width, tokens + [r["name"] for r in rows])
    for row in rows:
        # a long title wraps, but every word of it is there
        assert all(whole(word, text) for word in row["title"].replace(",", "").split())


@pytest.mark.parametrize("width", WIDTHS)
def test_catalog_stats_drops_no_column(cli: Cli, width: int) -> None:
    stats = json.loads(cli("catalog", "stats", "--format", "json").stdout)
    text = run(cli, width, "catalog", "stats")
    jobs = [s["last_job"]["id"] for s in stats["sources"]]
    check(text, width, [BIG, SMALL, COUNT, COUNT + 3, *jobs])
    assert text.count("finished") == 2  # the last_job column is there


@pytest.mark.parametrize("width", WIDTHS)
def test_catalog_show_nested_fields(cli: Cli, width: int) -> None:
    [row] = listing(cli, "catalog", "search", "20002")
    text = run(cli, width, "catalog", "show", str(row["id"]))
    check(text, width, [row["id"], SMALL, "jumlah-puskesmas-20002", "kadang-kadang"])
    # nested values: kontak as YAML lines, resources and kolom as tables of their own
    assert re.search(r"email: data\.dinkes@pemkomedan\.go\.id", text)
    assert re.search(r"nama: Seksi Data Dinkes", text)
    assert "(CSV)" in text and text.count("resources") >= 2  # the field and its table
    assert whole("kecamatan", text) and whole("angka", text)
    assert "[{" not in text and "{'" not in text


@pytest.mark.parametrize("width", WIDTHS)
def test_jobs_list_and_show(cli: Cli, width: int) -> None:
    jobs = listing(cli, "jobs", "list")
    text = run(cli, width, "jobs", "list")
    check(text, width, [j["id"] for j in jobs] + [BIG, SMALL, COUNT])
    first = next(j for j in reversed(jobs) if j["source_id"] == BIG)
    shown = run(cli, width, "jobs", "show", str(first["id"]), "--events", "3")
    check(shown, width, [first["id"], BIG, COUNT, "jumlah-puskesmas-0"])
    assert "added: 10001" in shown  # the counters object as YAML, not a dict repr


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", ["compliance", "freshness"])
def test_reports(cli: Cli, width: int, kind: str) -> None:
    text = run(cli, width, "report", kind, "--by", "source")
    check(text, width, [BIG, SMALL, COUNT, COUNT + 3])
    detail = run(cli, width, "report", kind, "--detail", "--source", SMALL)
    check(detail, width, ["3"])


@pytest.mark.parametrize("width", WIDTHS)
def test_publish_tables(
    width: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The publish summary and failure tables (rendered as ``satudata publish`` does;
    the portal side is tested in tests/e2e)."""
    from satudata_cli.cli.options import TextOrJson
    from satudata_cli.cli.publish_cmd import _render

    target = "portal-satu-data-kota-medan-produksi"
    report = PublishReport(target=target, url="https://data.example.invalid", dry_run=False)
    report.outcomes = [
        DatasetOutcome(i, BIG, f"jumlah-puskesmas-{i}", None, "unchanged") for i in range(12_345)
    ]
    report.outcomes.append(
        DatasetOutcome(
            99_999,
            SMALL,
            "realisasi-program-prioritas-daerah-2025",
            None,
            "create",
            ok=False,
            error="HTTP 409 Conflict: That URL is already in use. " * 2,
        )
    )
    report.writes = 10_500
    monkeypatch.setenv("COLUMNS", str(width))
    _render(report, TextOrJson.text, Color.never)
    text = capsys.readouterr().out
    check(
        text,
        width,
        [target, 12_345, 10_500, SMALL, "realisasi-program-prioritas-daerah-2025", "409"],
    )


def test_wide_terminal_keeps_one_table(cli: Cli) -> None:
    """With room enough the table stays a table: one header row, one row per job."""
    text = run(cli, 200, "jobs", "list")
    header = next(line for line in text.splitlines() if "source_id" in line)
    assert all(word in header for word in ("id", "status", "added", "errored"))
