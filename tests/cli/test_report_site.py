"""``satudata report site`` through the CLI, against a generated history with known
answers (tests/helpers/history.py: an agency that improves, one that gets worse, one
that stops updating, one that is renamed), in both languages; with link checks written
through the catalogue's own storage; and the summary that now opens every report.

The expected scores are recomputed here from the generator's script (which dataset
lacks ``kontak`` on which day, which is overdue) and the documented weights, not read
back from the reports. Pages are checked with the standard library's HTML parser for
their links (every relative link and fragment resolves inside the site); the HTML
validator and the browser run in tests/e2e/test_site_browser.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from satudata_cli.reports.narrative import number
from satudata_cli.reports.site import MARKER
from satudata_cli.standard import scoring
from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.history import (
    IMPROVES,
    RENAMED_NEW,
    RENAMED_OLD,
    STOPS,
    WORSENS,
    Year,
    make_year,
)
from tests.helpers.reports import (
    BAPPEDA,
    DINKES,
    XSS_TITLE,
    dinkes_records,
    two_agencies,
    write_records,
)
from tests.helpers.site import Page, check_links_twice, follow_links, parse

ROOT = Path(__file__).resolve().parents[2]
DAYS = 120
MISSING = scoring.MISSING_RECOMMENDED  # a dataset without kontak (a recommended field)
LATE = scoring.OTHER_WARNING  # the freshness.overdue warning


def _schema(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


# ------------------------------------------------------------ the known answers


def _scores(year: Year, i: int) -> dict[str, list[float]]:
    """Every agency's dataset scores on day ``i``, from the generator's script."""
    step = year.step
    dinkes = [100.0 - MISSING * (i < step * (k + 1)) for k in range(5)]
    if not year.withdraw_day <= i < year.restore_day:
        dinkes.append(100.0)
    bappeda = [100.0 - MISSING * (i >= step * (k + 1)) for k in range(5)]
    if i >= year.add_day:
        bappeda.append(100.0)
    # bulanan, judged by the validator as of the last day: overdue once its last update
    # is more than 31 days before the last day
    updated = year.day(30 * (min(i, year.stop_day - 1) // 30))
    late = (year.last_day - updated).days > 31
    scores = {
        IMPROVES: dinkes,
        WORSENS: bappeda,
        STOPS: [100.0 - LATE * late] * 5,
        RENAMED_OLD if i < year.rename_day else RENAMED_NEW: [100.0] * 5,
    }
    for name in year.extra_names:
        scores[name] = [100.0] * 5
    return scores


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1)


def _expected(year: Year) -> dict[str | None, tuple[float, float]]:
    """Per agency (``None``: the whole catalogue) the score on the last day and its
    change since the end of last month (the difference of the shown, rounded scores)."""
    end_of_last_month = year.last_day.replace(day=1) - dt.timedelta(days=1)
    before_day = (end_of_last_month - year.day(0)).days
    now, before = _scores(year, year.days - 1), _scores(year, before_day)
    result: dict[str | None, tuple[float, float]] = {}
    for name, values in now.items():
        result[name] = (_mean(values), round(_mean(values) - _mean(before[name]), 1))
    everything = [v for values in now.values() for v in values]
    everything_before = [v for values in before.values() for v in values]
    result[None] = (
        _mean(everything),
        round(_mean(everything) - _mean(everything_before), 1),
    )
    return result


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Year:
    return make_year(tmp_path_factory.mktemp("year") / "satudata.db", days=DAYS, extra=1)


def _cli(year: Year, tmp_path: Path) -> Cli:
    return Cli(year.path, tmp_path / "harvest_configs")


def _page(path: Path) -> Page:
    return parse(path.read_text(encoding="utf-8"))


def _summary(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "summary.json").read_text(encoding="utf-8"))
    _schema("report-summary").validate(data)
    return data


# ------------------------------------------------------------------------ tests


@pytest.mark.parametrize("lang", ["id", "en"])
def test_site_of_a_year_of_history(year: Year, tmp_path: Path, lang: str) -> None:
    site = tmp_path / "publik"
    cli = _cli(year, tmp_path)
    result = cli(
        "report", "site", site, "--lang", lang, "--as-of", year.last_day.isoformat()
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    agencies = [IMPROVES, WORSENS, STOPS, RENAMED_NEW, *year.extra_names]
    written = "Situs ditulis ke" if lang == "id" else "Site written to"
    assert f"{written} {site}: {1 + len(agencies)}" in squash(result.stderr)
    pages = sorted(p.name for p in (site / "perangkat-daerah").iterdir())
    assert pages == sorted(
        [
            "dinas-kesehatan-kota-medan.html",
            "bappeda-kota-medan.html",
            "dinas-pendidikan-kota-medan.html",
            "dinas-kominfo-kota-medan.html",
            "dinas-05-kota-medan.html",
        ]
    )  # no page for the old name of the renamed agency
    assert (site / MARKER).is_file()
    assert follow_links(site) > len(agencies) * 2

    # the summary's facts: scores and the change since last month, as scripted
    expected = _expected(year)
    summary = _summary(site)
    facts = {a["name"]: a for a in summary["agencies"]}
    assert set(facts) == set(agencies)
    for name in agencies:
        score, change = expected[name]
        assert (facts[name]["score"], facts[name]["change"]) == (score, change), name
        assert facts[name]["change_since"] == "last_month"
        assert facts[name]["overdue"] == (5 if name == STOPS else 0)
        assert facts[name]["broken_links"] is None  # links never checked
    assert expected[IMPROVES][1] > 0 and expected[WORSENS][1] < 0  # the script works
    assert (summary["overall"]["score"], summary["overall"]["change"]) == expected[None]
    assert summary["overall"]["datasets"] == sum(a["datasets"] for a in facts.values())

    # ... and in words on the index (worst first) and on each agency's page
    index = site / "index.html"
    text = _page(index).text
    score, change = expected[WORSENS]
    if lang == "id":
        words = (
            f"{WORSENS}: skor {number(score, 'id')} (turun {number(-change, 'id')} sejak "
            "bulan lalu); tidak ada dataset yang terlambat diperbarui."
        )
        stops = f"{STOPS}: skor {number(expected[STOPS][0], 'id')} (tetap sejak bulan lalu); "
        stops += "5 dataset terlambat diperbarui."
    else:
        words = (
            f"{WORSENS}: score {score:.1f} (down {-change:.1f} since last month); no dataset "
            "overdue for update."
        )
        stops = f"{STOPS}: score {expected[STOPS][0]:.1f} (unchanged since last month); "
        stops += "5 datasets overdue for update."
    assert words in text and stops in text
    improves_page = site / "perangkat-daerah" / "dinas-kesehatan-kota-medan.html"
    own = [t for t in summary[f"text_{lang}"] if t.startswith(f"{IMPROVES}:")]
    assert own and own[0] in _page(improves_page).text

    # the trend: a small multiple per agency, the old name without a page
    html = index.read_text(encoding="utf-8")
    assert 'id="trend"' in html and 'id="changes"' in html
    figure = html[html.index(f'data-agency="{RENAMED_OLD}"') :]
    figure = figure[: figure.index("</figure>")]
    assert "<a " not in figure
    assert ("tidak ada lagi sejak" if lang == "id" else "none since") in figure
    # the changes of the last seven days: the dataset Bappeda added
    assert year.last_day - dt.timedelta(days=6) <= year.day(year.add_day) <= year.last_day
    changes = html[html.index('id="changes-table"') :]
    changes = changes[: changes.index("</table>")]
    row = changes[changes.index(WORSENS) :]
    assert row.split('<td class="num">')[1:3] == ["1</td>", "0</td>"]  # added, updated
    assert IMPROVES not in changes  # its last change was before the window
    # the agency page of the agency that stopped updating: every dataset overdue
    stops_page = (site / "perangkat-daerah" / "dinas-pendidikan-kota-medan.html").read_text(
        encoding="utf-8"
    )
    overdue = "Terlambat" if lang == "id" else "Overdue"
    assert stops_page.count(f'<td class="overdue">{overdue}</td>') == 5
    assert 'id="trend-table"' in stops_page


def test_link_checks_appear_when_links_were_checked(year: Year, tmp_path: Path) -> None:
    db = tmp_path / "satudata.db"
    db.write_bytes(year.path.read_bytes())
    check_links_twice(db, "/dataset/dinkes-0")
    site = tmp_path / "situs"
    cli = Cli(db, tmp_path / "harvest_configs")
    args = ("report", "site", site, "--lang", "id", "--as-of", year.last_day.isoformat())
    assert cli(*args).exit_code == 0
    summary = _summary(site)
    facts = {a["name"]: a["broken_links"] for a in summary["agencies"]}
    assert facts[IMPROVES] == 1 and set(facts.values()) == {0, 1}
    assert summary["overall"]["broken_links"] == 1
    assert "1 tautan rusak" in summary["text_id"][0]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="links"' in index and "Tautan rusak" in index
    # every link of the active datasets counted once: a link_akses and a resource each
    active = summary["overall"]["datasets"]
    assert f"{2 * active} tautan diperiksa pada pemeriksaan terakhir, 1 rusak." in index
    page = (site / "perangkat-daerah" / "dinas-kesehatan-kota-medan.html").read_text("utf-8")
    assert page.count('<td class="num overdue" title="Tautan diperiksa: 2">1</td>') == 1
    # without link checks the section is not there at all
    plain = tmp_path / "tanpa"
    assert _cli(year, tmp_path)("report", "site", plain).exit_code == 0
    assert 'id="links"' not in (plain / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def harvested(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "katalog.db", two_agencies(tmp_path))
    assert cli("harvest", "--all").exit_code == 0
    return cli


def test_options_errors_and_replacing(
    harvested: Cli, tmp_path: Path, html_checks: Callable[[str], None]
) -> None:
    site = tmp_path / "www" / "kepatuhan"
    result = harvested(
        "report", "site", site, "--title", "Satu Data Kota Medan",
        "--base-url", "https://data.pemkomedan.go.id/kepatuhan",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    index = _page(site / "index.html")
    assert index.canonical == "https://data.pemkomedan.go.id/kepatuhan/index.html"
    agency = _page(site / "perangkat-daerah" / "bappeda-kota-medan.html")
    assert agency.canonical == (
        "https://data.pemkomedan.go.id/kepatuhan/perangkat-daerah/bappeda-kota-medan.html"
    )
    assert "Satu Data Kota Medan" in index.texts
    assert follow_links(site) > 0  # canonical links aside, every link relative
    # one harvest: the change is measured since the previous harvest (none yet)
    summary = _summary(site)
    assert {a["change_since"] for a in summary["agencies"]} == {None}
    assert {a["name"] for a in summary["agencies"]} == {DINKES, BAPPEDA}

    # again: replaced whole, no temporary folder left beside it
    (site / "perangkat-daerah" / "lama.html").write_text("lama", encoding="utf-8")
    assert harvested("report", "site", site).exit_code == 0
    assert not (site / "perangkat-daerah" / "lama.html").exists()
    # self-contained (no canonical link without --base-url) and escaped
    for page in sorted(site.rglob("*.html")):
        html_checks(page.read_text(encoding="utf-8"))
    dinkes = (site / "perangkat-daerah" / "dinas-kesehatan-kota-medan.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dinkes and XSS_TITLE not in dinkes
    assert sorted(p.name for p in site.parent.iterdir()) == ["kepatuhan"]

    # a folder that is not a site is refused and left alone (exit 2)
    other = tmp_path / "dokumen"
    other.mkdir()
    (other / "catatan.txt").write_text("x", encoding="utf-8")
    refused = harvested("--lang", "id", "report", "site", other)
    assert refused.exit_code == 2
    assert "bukan situs buatan satudata" in squash(refused.stderr)
    assert [p.name for p in other.iterdir()] == ["catatan.txt"]
    bad = harvested("report", "site", tmp_path / "x", "--base-url", "data.pemkomedan.go.id")
    assert bad.exit_code == 2 and "--base-url" in bad.stderr
    assert not (tmp_path / "x").exists()
    bad_day = harvested("report", "site", tmp_path / "x", "--as-of", "kemarin")
    assert bad_day.exit_code == 2
    missing = Cli(tmp_path / "tidak-ada.db", tmp_path / "harvest_configs")
    assert missing("report", "site", tmp_path / "y").exit_code == 5
    assert not (tmp_path / "y").exists()


def test_every_report_opens_with_its_summary(harvested: Cli) -> None:
    comp = json.loads(harvested("report", "compliance", "--format", "json").stdout)
    _schema("compliance-report").validate(comp)
    fresh = json.loads(harvested("report", "freshness", "--format", "json").stdout)
    _schema("freshness-report").validate(fresh)
    by_name = {a["name"]: a for a in comp["agencies"]}
    facts = {a["name"]: a for a in comp["summary"]["agencies"]}
    for name, agency in by_name.items():
        assert facts[name]["score"] == agency["score"]
        assert facts[name]["compliant"] == agency["compliant"]
        assert facts[name]["overdue"] is None  # the compliance report has no freshness
    assert [a["name"] for a in comp["summary"]["agencies"]] == list(by_name)
    overdue = {a["name"]: a["overdue"] for a in fresh["agencies"]}
    assert {a["name"]: a["overdue"] for a in fresh["summary"]["agencies"]} == overdue
    assert fresh["summary"]["overall"]["score"] is None

    text = harvested("--lang", "id", "report", "compliance").stdout
    first = comp["summary"]["text_id"][0]
    assert text.startswith(first) and "," in first.split("skor ")[1][:5]
    text = harvested("--lang", "en", "report", "freshness").stdout
    assert text.startswith(fresh["summary"]["text_en"][0])
    html = harvested("--lang", "id", "report", "compliance", "-f", "html").stdout
    head = html[html.index('<section class="summary"') :]
    # the HTML page has the freshness beside the scores: its sentences say both
    assert "terlambat diperbarui" in head[: head.index("</section>")]


def test_completeness_headings_are_the_fields_labels(harvested: Cli) -> None:
    html = harvested("--lang", "id", "report", "compliance", "-f", "html").stdout
    table = html[html.index('id="completeness"') :]
    heads = table[: table.index("</thead>")]
    assert '<th class="num" title="produsen_data (wajib)">Produsen Data*</th>' in heads
    assert "Jadwal Pemutakhiran" in heads
    assert ">produsen_data" not in heads  # the field name only in the tooltip
    english = harvested("--lang", "en", "report", "compliance", "-f", "html").stdout
    assert ">Data Producer*</th>" in english


def test_a_long_agency_name_is_cut_only_with_a_tooltip(tmp_path: Path) -> None:
    long_name = "Dinas Kependudukan dan Pencatatan Sipil Kota Medan Provinsi Sumatera Utara"
    cfg = tmp_path / "harvest_configs"
    records = [r | {"organization": long_name} for r in dinkes_records()]
    write_records(cfg / "data", records)
    write_source(cfg, "disdukcapil", title="Disdukcapil", type="directory", path="data")
    cli = Cli(tmp_path / "katalog.db", cfg)
    assert cli("harvest", "--all").exit_code == 0
    site = tmp_path / "situs"
    assert cli("report", "site", site).exit_code == 0
    for page in (
        cli("report", "compliance", "-f", "html").stdout,
        (site / "index.html").read_text(encoding="utf-8"),
    ):
        # in the chart the name is cut, and the bar's tooltip holds all of it
        cut = long_name[:43] + "…"
        assert f">{cut}</text>" in page
        for part in page.split("<g ")[1:]:
            if cut in part:
                assert f"<title>{long_name}: " in part
        # in the tables it is whole
        assert f">{long_name}</" in page


def test_trend_and_changes_summaries(year: Year, tmp_path: Path) -> None:
    """The sentences of ``report trend`` and ``report changes`` (narrative.py), which
    open the site's trend and changes sections."""
    from satudata_cli.catalogue import Catalogue
    from satudata_cli.reports.history import Every, changes_report, trend_report
    from satudata_cli.reports.narrative import changes_summary, trend_summary

    now = dt.datetime.combine(year.last_day, dt.time(23), tzinfo=dt.UTC)
    with Catalogue.open(year.path, create=False) as cat:
        trend = trend_report(cat, every=Every.month, until=year.last_day, now=now)
        changes = changes_report(cat, until=year.last_day, now=now)
    words = trend_summary(trend)
    _schema("report-summary").validate(dataclasses.asdict(words))
    first_month_end = (year.day(0).replace(day=28) + dt.timedelta(days=4)).replace(
        day=1
    ) - dt.timedelta(days=1)
    first = _scores(year, (first_month_end - year.day(0)).days)
    last = _scores(year, year.days - 1)
    for name, verb_id, verb_en in ((IMPROVES, "naik", "up"), (WORSENS, "turun", "down")):
        delta = abs(round(_mean(last[name]) - _mean(first[name]), 1))
        assert (
            f"{name}: skor {number(_mean(last[name]), 'id')} ({verb_id} {number(delta, 'id')} "
            "sejak awal rentang laporan); tidak ada dataset yang terlambat diperbarui."
        ) in words.text_id
        assert (
            f"{name}: score {_mean(last[name]):.1f} ({verb_en} {delta:.1f} since the start of "
            "the report's window); no dataset overdue for update."
        ) in words.text_en
    assert f"{RENAMED_OLD}: tidak ada dataset lagi." in words.text_id
    assert f"{RENAMED_OLD}: no datasets any more." in words.text_en
    present = len(last)
    assert words.text_en[0].startswith(f"Whole catalogue: {sum(map(len, last.values()))} datasets "
                                       f"from {present} agencies; score ")  # fmt: skip

    said = changes_summary(changes)
    _schema("report-summary").validate(dataclasses.asdict(said))
    assert said.text_id == [
        "Seluruh katalog: 1 dataset dari 1 perangkat daerah; 1 ditambah, 0 diperbarui, "
        "0 ditarik, 0 dipulihkan; 0 temuan diperbaiki, 0 temuan baru.",
        f"{WORSENS}: 1 ditambah, 0 diperbarui, 0 ditarik, 0 dipulihkan; 0 temuan "
        "diperbaiki, 0 temuan baru.",
    ]
    assert said.text_en[0] == (
        "Whole catalogue: 1 dataset from 1 agency; 1 added, 0 updated, 0 withdrawn, "
        "0 restored; 0 findings fixed, 0 new."
    )

    # the site's sections open with them
    site = tmp_path / "situs"
    args = ("report", "site", site, "--lang", "id", "--as-of", year.last_day.isoformat())
    assert _cli(year, tmp_path)(*args).exit_code == 0
    page = (site / "perangkat-daerah" / "bappeda-kota-medan.html").read_text(encoding="utf-8")
    assert f'<p class="lead">{said.text_id[1]}</p>' in page
    assert (
        f'<p class="lead">{words.text_id[1 + [a.name for a in trend.agencies].index(WORSENS)]}</p>'
        in page
    )
