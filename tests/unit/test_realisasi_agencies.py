"""Which agency of the site a Daftar Data's agency is (reports/realisasi.py,
``assign_agencies``): the same name, else the agency of its published datasets, else one
close name without a tie; else none (no page)."""

from __future__ import annotations

from satudata_cli.reports.realisasi import (
    AgencyRealisasi,
    Candidate,
    EntryResult,
    PlanEntry,
    RealisasiReport,
    agency_realisasi,
    assign_agencies,
    match_kind,
)

SITE = [
    "Dinas Kesehatan Kota Medan",
    "Dinas Kesehatan Hewan Kota Medan",
    "Dinas Pendidikan Kota Medan",
    None,
]


def _entry(agency: str, dataset: int | None = None, title: str = "Data") -> EntryResult:
    found = (
        Candidate(dataset, "kota", f"r{dataset}", f"d{dataset}", "Data", 100.0, True)
        if dataset is not None
        else None
    )
    return EntryResult(
        PlanEntry(1, agency, title),
        "published" if found else "missing",
        "title" if found else None,
        found,
    )


def _report(*agencies: AgencyRealisasi) -> RealisasiReport:
    everything = [e for a in agencies for e in a.entries]
    return RealisasiReport(
        report="realisasi",
        generated_at="2026-01-01T00:00:00Z",
        catalogue="k.db",
        plan="p.csv",
        plans=["p.csv"],
        year=None,
        thresholds={},
        agencies=list(agencies),
        overall=agency_realisasi("", everything),
        skipped=[],
    )


def test_name_then_datasets_then_one_close_name() -> None:
    report = _report(
        # 1. the same name, case and spaces aside
        agency_realisasi("DINAS  PENDIDIKAN kota medan", [_entry("x")]),
        # 2. both tie on the name ("Dinas Kesehatan" is in both), its dataset decides
        agency_realisasi("Dinas Kesehatan", [_entry("x", 7), _entry("x")]),
        # 3. no dataset: the one close name
        agency_realisasi("Dinas Pendidikan", [_entry("x")]),
        # a tie without a dataset: no page, never a guess
        agency_realisasi("Kesehatan", [_entry("x")]),
        # nothing like it
        agency_realisasi("Dinas Perhubungan", [_entry("x")]),
        # datasets of two agencies, and a tie on the name: no page
        agency_realisasi("Dinas Kesehatan Medan", [_entry("x", 7), _entry("x", 8)]),
    )
    owners = {7: "Dinas Kesehatan Kota Medan", 8: "Dinas Kesehatan Hewan Kota Medan"}
    assert assign_agencies(report, SITE, owners) == {
        "DINAS  PENDIDIKAN kota medan": "Dinas Pendidikan Kota Medan",
        "Dinas Kesehatan": "Dinas Kesehatan Kota Medan",
        "Dinas Pendidikan": "Dinas Pendidikan Kota Medan",
    }


def test_match_kinds() -> None:
    by_id = EntryResult(
        PlanEntry(2, "A", "Lain sekali"),
        "published",
        "id",
        Candidate(1, "s", "r", "n", "Data Puskesmas", 100.0, True),
    )
    same = EntryResult(
        PlanEntry(3, "A", "data  PUSKESMAS!"),
        "published",
        "title",
        Candidate(1, "s", "r", "n", "Data Puskesmas", 100.0, True),
    )
    reordered = EntryResult(
        PlanEntry(4, "A", "Puskesmas Data"),
        "published",
        "title",
        Candidate(1, "s", "r", "n", "Data Puskesmas", 100.0, True),
    )
    ambiguous = EntryResult(PlanEntry(5, "A", "Data"), "to_confirm", "title", None)
    assert [match_kind(r) for r in (by_id, same, reordered, ambiguous)] == [
        "exact",
        "exact",
        "fuzzy",
        "to_confirm",
    ]
