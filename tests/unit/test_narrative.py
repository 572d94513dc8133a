"""The summary in words (reports/narrative.py) and the site's file names and writing
(reports/site.py): known sentences in both languages, the languages' number formats,
stable unique slugs, a site written as a whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from satudata_cli.reports.models import AgencySummary, Summary
from satudata_cli.reports.narrative import change_cell, count, number, opening, sentence
from satudata_cli.reports.site import (
    MARKER,
    NO_AGENCY_SLUG,
    Site,
    SiteError,
    SitePage,
    agency_slugs,
    check_base_url,
    write_site,
)

ROOT = Path(__file__).resolve().parents[2]


def _facts(**values: object) -> AgencySummary:
    base: dict[str, object] = {
        "name": "Dinas Kesehatan",
        "datasets": 12,
        "score": 73.8,
        "change": -2.1,
        "change_since": "last_month",
        "new": False,
        "compliant": 4,
        "overdue": 5,
        "unknown_frequency": 0,
        "broken_links": 3,
    }
    base.update(values)
    return AgencySummary(**base)  # type: ignore[arg-type]


def test_the_issue_s_example_in_both_languages() -> None:
    facts = _facts()
    assert sentence(facts, "id") == (
        "Dinas Kesehatan: skor 73,8 (turun 2,1 sejak bulan lalu); 5 dataset terlambat "
        "diperbarui; 3 tautan rusak."
    )
    assert sentence(facts, "en") == (
        "Dinas Kesehatan: score 73.8 (down 2.1 since last month); 5 datasets overdue for "
        "update; 3 broken links."
    )


def test_realisasi_sentence_in_both_languages() -> None:
    facts = _facts(
        score=None, change=None, change_since=None, overdue=None, broken_links=None,
        compliant=None, planned=10, published=8, published_compliant=6, to_confirm=0,
        missing=2,
    )  # fmt: skip
    assert sentence(facts, "id") == (
        "Dinas Kesehatan: 8 dari 10 data yang direncanakan sudah terbit, 6 memenuhi standar; "
        "2 belum terbit."
    )
    assert sentence(facts, "en") == (
        "Dinas Kesehatan: 8 of 10 planned datasets published, 6 meeting the standard; "
        "2 not published yet."
    )
    one = _facts(
        score=None, change=None, change_since=None, overdue=None, broken_links=None,
        compliant=None, planned=1, published=0, published_compliant=0, to_confirm=1,
        missing=0,
    )  # fmt: skip
    assert sentence(one, "en") == (
        "Dinas Kesehatan: 0 of 1 planned dataset published, 0 meeting the standard; 1 to confirm."
    )
    assert sentence(one, "en", agencies=1, overall="narr_overall_plan") == (
        "Whole Daftar Data, 1 agency: 0 of 1 planned dataset published, 0 meeting the "
        "standard; 1 to confirm."
    )


def test_links_sentence_in_both_languages() -> None:
    facts = _facts(
        datasets=5, score=None, change=None, change_since=None, compliant=None, overdue=None,
        broken_links=2, links_checked=1234, unverifiable_links=1, oldest_broken_days=30,
        oldest_broken_url="https://data.example/a.csv",
    )  # fmt: skip
    assert sentence(facts, "id") == (
        "Dinas Kesehatan: 1.234 tautan diperiksa; 2 tautan rusak; 1 tidak dapat diverifikasi; "
        "tautan rusak terlama sudah 30 hari."
    )
    assert sentence(facts, "en") == (
        "Dinas Kesehatan: 1,234 links checked; 2 broken links; 1 unverifiable; the oldest "
        "broken for 30 days."
    )
    clean = _facts(
        score=None, change=None, change_since=None, compliant=None, overdue=None,
        broken_links=0, links_checked=1, unverifiable_links=0,
    )  # fmt: skip
    assert sentence(clean, "id") == "Dinas Kesehatan: 1 tautan diperiksa; tidak ada tautan rusak."


@pytest.mark.parametrize(
    ("values", "indonesian", "english"),
    [
        (
            {"change": 0.4, "change_since": "previous_harvest", "overdue": 1, "broken_links": 1},
            "skor 73,8 (naik 0,4 sejak panen sebelumnya); 1 dataset terlambat diperbarui; "
            "1 tautan rusak.",
            "score 73.8 (up 0.4 since the previous harvest); 1 dataset overdue for update; "
            "1 broken link.",
        ),
        (
            {"change": 0.0, "overdue": 0, "broken_links": 0},
            "skor 73,8 (tetap sejak bulan lalu); tidak ada dataset yang terlambat "
            "diperbarui; tidak ada tautan rusak.",
            "score 73.8 (unchanged since last month); no dataset overdue for update; "
            "no broken links.",
        ),
        (
            # nothing to compare with, links never checked: those parts are left out
            {"change": None, "change_since": None, "broken_links": None},
            "skor 73,8; 5 dataset terlambat diperbarui.",
            "score 73.8; 5 datasets overdue for update.",
        ),
        (
            {"new": True, "change": None, "change_since": None, "broken_links": None},
            "skor 73,8 (baru); 5 dataset terlambat diperbarui.",
            "score 73.8 (new); 5 datasets overdue for update.",
        ),
        (
            # a freshness report has no score
            {"score": None, "change": None, "change_since": None, "broken_links": None},
            "5 dataset terlambat diperbarui.",
            "5 datasets overdue for update.",
        ),
    ],
)
def test_sentence_parts(values: dict[str, object], indonesian: str, english: str) -> None:
    facts = _facts(**values)
    assert sentence(facts, "id") == f"Dinas Kesehatan: {indonesian}"
    assert sentence(facts, "en") == f"Dinas Kesehatan: {english}"


def test_whole_catalogue_sentence_and_unnamed_agency() -> None:
    overall = _facts(name=None, datasets=1234, score=81.25, change=None, change_since=None)
    assert sentence(overall, "id", agencies=8) == (
        "Seluruh katalog: 1.234 dataset dari 8 perangkat daerah; skor 81,2; 5 dataset "
        "terlambat diperbarui; 3 tautan rusak."
    )
    assert sentence(overall, "en", agencies=8).startswith(
        "Whole catalogue: 1,234 datasets from 8 agencies; score 81.2;"
    )
    assert sentence(_facts(name=None), "id").startswith("(tidak diisi): skor 73,8")


def test_number_formats() -> None:
    assert number(73.84, "id") == "73,8" and number(73.84, "en") == "73.8"
    assert number(1234.5, "id") == "1.234,5" and number(1234.5, "en") == "1,234.5"
    assert number(-2.1, "id") == "-2,1"
    assert count(20000, "id") == "20.000" and count(20000, "en") == "20,000"
    assert change_cell(_facts(change=2.0), "id") == "+2,0"
    assert change_cell(_facts(change=-0.25), "en") == "-0.2"
    assert change_cell(_facts(change=None), "en") == "–"
    assert change_cell(_facts(new=True), "id") == "baru"


def test_opening_names_the_first_agencies_and_counts_the_rest() -> None:
    texts = [f"kalimat {i}" for i in range(9)]
    summary = Summary(version=1, overall=_facts(), agencies=[], text_id=texts, text_en=texts)
    assert opening(summary, "id", limit=None) == texts
    shown = opening(summary, "id", limit=3)
    assert shown == [*texts[:4], "... dan 5 perangkat daerah lain."]
    assert opening(summary, "en", limit=3)[-1] == "... and 5 more agencies."
    assert opening(summary, "id", limit=8) == texts


def test_summary_schema_is_the_one_in_every_report_schema() -> None:
    summary = json.loads((ROOT / "schemas" / "report-summary.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(summary)
    names = (
        "compliance-report",
        "freshness-report",
        "trend-report",
        "changes-report",
        "links-report",
        "realisasi-report",
    )
    # every report schema of the folder is in the list
    assert {p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").glob("*-report*")} == {
        *names,
        "validation-report",
    }
    for name in names:
        jsonschema.Draft202012Validator.check_schema(
            json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
        )
        report = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
        inline = report["$defs"]["summary"]
        assert {k: v for k, v in inline.items() if k != "description"} == {
            k: v for k, v in summary.items() if k in inline and k != "description"
        }
        assert report["$defs"]["summary_agency"] == summary["$defs"]["summary_agency"]
        assert "summary" in report["required"]


# --------------------------------------------------------------------- the site


def test_slugs_are_ascii_stable_and_unique() -> None:
    names = [
        "Dinas Pekerjaan Umum & Penataan Ruang",
        "Dinas Kesehatan Kota Medan",
        "DINAS KESEHATAN KOTA MEDAN",
        "Dinas Kesehatan — Kota Medan",
        None,
        "Badan Pendapatan Daerah (Bapenda)",
    ]
    slugs = agency_slugs(names)
    assert slugs["Dinas Pekerjaan Umum & Penataan Ruang"] == "dinas-pekerjaan-umum-penataan-ruang"
    assert slugs["Badan Pendapatan Daerah (Bapenda)"] == "badan-pendapatan-daerah-bapenda"
    assert slugs[None] == NO_AGENCY_SLUG
    # three names, one slug: numbered in the order of the names, whatever the input order
    assert sorted(
        slugs[n]
        for n in (
            "DINAS KESEHATAN KOTA MEDAN",
            "Dinas Kesehatan Kota Medan",
            "Dinas Kesehatan — Kota Medan",
        )
    ) == [
        "dinas-kesehatan-kota-medan",
        "dinas-kesehatan-kota-medan-2",
        "dinas-kesehatan-kota-medan-3",
    ]
    assert agency_slugs(reversed(names)) == slugs
    assert len(set(slugs.values())) == len(slugs)


def test_base_url() -> None:
    assert check_base_url(None) is None
    assert check_base_url("https://data.medan.go.id/kepatuhan") == (
        "https://data.medan.go.id/kepatuhan/"
    )
    for bad in ("data.medan.go.id", "ftp://x/", "javascript:alert(1)", "/kepatuhan/"):
        with pytest.raises(SiteError):
            check_base_url(bad)


def _site(*pages: tuple[str, str]) -> Site:
    overall = _facts(name=None)
    summary = Summary(version=1, overall=overall, agencies=[], text_id=[], text_en=[])
    return Site(
        title="t",
        lang="id",
        generated_at="2026-12-06T00:00:00Z",
        as_of="2026-12-06",
        sources=[],
        summary=summary,
        agency_pages={},
        pages=[SitePage(path, text) for path, text in pages],
    )


def test_site_is_written_whole_and_replaces_only_a_site(tmp_path: Path) -> None:
    out = tmp_path / "publik" / "situs"
    write_site(_site(("index.html", "satu"), ("perangkat-daerah/a.html", "a")), out)
    assert (out / "index.html").read_text("utf-8") == "satu"
    assert (out / MARKER).is_file()
    assert oct(out.stat().st_mode & 0o777) == "0o755"  # readable by the web server
    # the next run replaces the whole folder: a page that is gone is gone
    write_site(_site(("index.html", "dua")), out)
    assert (out / "index.html").read_text("utf-8") == "dua"
    assert not (out / "perangkat-daerah").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["situs"]  # no temporary left

    # a failed run (a page where a folder has to be) leaves the previous site as it was
    with pytest.raises(SiteError):
        write_site(_site(("index.html", "tiga"), ("index.html/x.html", "x")), out)
    assert (out / "index.html").read_text("utf-8") == "dua"
    assert sorted(p.name for p in out.parent.iterdir()) == ["situs"]


def test_a_folder_that_is_not_a_site_is_never_touched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "skripsi.docx").write_text("penting", encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        write_site(_site(("index.html", "x")), home)
    assert "bukan situs buatan satudata" in raised.value.message.id
    assert sorted(p.name for p in home.iterdir()) == ["skripsi.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
    # an empty folder is fine
    empty = tmp_path / "kosong"
    empty.mkdir()
    write_site(_site(("index.html", "x")), empty)
    assert (empty / "index.html").is_file()
