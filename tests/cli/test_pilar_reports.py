"""The pillars of Medan Satu Data through the CLI: the source keys ``pilar`` and
``pilar_by_organization`` filled in by a real harvest (record > agency > source), and
``--by pilar`` in every report (text and JSON, known answers from
tests/helpers/pillars.py), over a real SQLite katalog."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers.cli import Cli, csv_rows, squash, write_source
from tests.helpers.pillars import (
    DUKCAPIL,
    SCORES,
    TREND,
    dukcapil_records,
    mean,
    several_days,
    three_pillars,
)
from tests.helpers.reports import write_records

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 28).isoformat()
PILLARS = {"kependudukan", "layanan_publik", "sektoral", "sosial", None}


def _schema(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _json(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _report(cli: Cli, *args: str) -> dict[str, Any]:
    data = _json(cli, "report", *args, "--by", "pilar")
    _schema(f"{data['report']}-report").validate(data)
    assert data["by"] == "pilar"
    return data


@pytest.fixture
def harvested(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "katalog.db", three_pillars(tmp_path))
    result = cli("harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return cli


def _show(cli: Cli, dataset: str) -> dict[str, Any]:
    return _json(cli, "catalog", "show", dataset)


# -------------------------------------------------------------- config and harvest


def test_record_beats_agency_beats_source(harvested: Cli) -> None:
    pillars = {
        name: _show(harvested, name)["record"].get("pilar")
        for name in (
            "dukcapil:penduduk-umur",
            "dukcapil:layanan-ktp",
            "dukcapil:rt-rw",
            "dinkes:puskesmas",
            "mpp:antrean-mpp",
            "mpp:pengunjung-mpp",
            "mpp:survei-mpp",
        )
    }
    assert pillars == {
        "dukcapil:penduduk-umur": "kependudukan",  # the agency's entry
        "dukcapil:layanan-ktp": "layanan_publik",  # the record's own
        "dukcapil:rt-rw": "sektoral",  # an agency not in the map: the source's
        "dinkes:puskesmas": "sektoral",
        "mpp:antrean-mpp": "layanan_publik",  # a variant, stored canonical
        "mpp:pengunjung-mpp": None,  # no pillar anywhere
        "mpp:survei-mpp": "sosial",  # outside the vocabulary, kept as it is
    }


def test_a_filled_pillar_says_where_it_came_from(harvested: Cli) -> None:
    def notes(dataset: str) -> list[str]:
        return [
            f["message_en"]
            for f in _show(harvested, dataset)["findings"]
            if f["rule"] == "source.pilar-from-config"
        ]

    assert notes("dukcapil:penduduk-umur") == [
        "Pillar 'kependudukan' filled in from the source configuration "
        f"(pilar_by_organization: {DUKCAPIL})"
    ]
    assert notes("dukcapil:rt-rw") == [
        "Pillar 'sektoral' filled in from the source configuration (pilar)"
    ]
    assert notes("dukcapil:layanan-ktp") == [] and notes("mpp:pengunjung-mpp") == []
    survey = _show(harvested, "mpp:survei-mpp")["findings"]
    assert [(f["rule"], f["severity"]) for f in survey if f["path"] == "$.pilar"] == [
        ("vocab.unknown", "error")
    ]


def test_an_unchanged_reharvest_updates_nothing(harvested: Cli) -> None:
    result = harvested("harvest", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    runs = json.loads(result.stdout)
    assert [(r["source"], r["added"], r["updated"], r["unchanged"]) for r in runs] == [
        ("dinkes", 0, 0, 2),
        ("dukcapil", 0, 0, 4),
        ("mpp", 0, 0, 3),
    ]


def test_changing_the_map_moves_the_datasets(harvested: Cli) -> None:
    write_source(
        harvested.cfg,
        "dukcapil",
        type="directory",
        path="data/dukcapil",
        pilar="kependudukan",
    )
    result = harvested("harvest", "dukcapil", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["updated"] == 1  # rt-rw: sektoral -> kependudukan
    assert _show(harvested, "dukcapil:rt-rw")["record"]["pilar"] == "kependudukan"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"pilar": "sosial"}, ["pilar", "sektoral", "kependudukan", "layanan_publik"]),
        ({"pilar_by_organization": {DUKCAPIL: "ekonomi"}}, ["pilar_by_organization", DUKCAPIL]),
        ({"defaults": {"pilar": "sektoral"}}, ["defaults.pilar", "pilar_by_organization"]),
        (
            {"pilar_by_organization": {"Dinas A": "sektoral", "dinas  a": "kependudukan"}},
            ["the same organization as 'Dinas A'"],
        ),
    ],
)
def test_a_bad_pillar_in_config_exits_2(
    tmp_path: Path, fields: dict[str, Any], words: list[str]
) -> None:
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "dukcapil", dukcapil_records())
    write_source(cfg, "dukcapil", type="directory", path="data/dukcapil", **fields)
    cli = Cli(tmp_path / "katalog.db", cfg)
    result = cli("harvest", "--all", "--lang", "en")
    assert result.exit_code == 2
    assert "dukcapil.yaml" in result.stderr
    for word in words:
        assert word in result.stderr
    assert not (tmp_path / "katalog.db").exists()


def test_a_variant_in_config_is_taken_as_its_canonical_value(tmp_path: Path) -> None:
    cfg = tmp_path / "harvest_configs"
    write_records(cfg / "data" / "dukcapil", dukcapil_records())
    write_source(cfg, "dukcapil", type="directory", path="data/dukcapil", pilar="Data Sektoral")
    cli = Cli(tmp_path / "katalog.db", cfg)
    assert cli("harvest", "--all").exit_code == 0
    assert _show(cli, "dukcapil:penduduk-umur")["record"]["pilar"] == "sektoral"


# ------------------------------------------------------------------- the reports


def test_compliance_by_pilar(harvested: Cli) -> None:
    data = _report(harvested, "compliance")
    agencies = {a["name"]: a for a in data["agencies"]}
    assert set(agencies) == PILLARS
    assert {n: (a["datasets"], a["score"]) for n, a in agencies.items()} == {
        n: (len(s), mean(s)) for n, s in SCORES.items()
    }
    assert agencies["kependudukan"]["compliant"] == 1
    assert agencies["sosial"]["valid"] == 0
    assert data["overall"]["datasets"] == 9
    # text: the pillars' labels, and the datasets without one under their own label
    text = squash(harvested("report", "compliance", "--by", "pilar", "--lang", "id").stdout)
    for label in ("Data Kependudukan", "Data Layanan Publik", "(tanpa pilar)", "Pilar Satu Data"):
        assert label in text
    assert "9 dataset dari 5 kelompok pilar" in text
    text = squash(harvested("report", "compliance", "--by", "pilar", "--lang", "en").stdout)
    assert "Population data" in text and "(no pillar)" in text
    assert f"Population data: score {mean(SCORES['kependudukan'])}" in text
    # csv keeps the canonical values
    rows = csv_rows(harvested("report", "compliance", "--by", "pilar", "-f", "csv").stdout)
    assert {r["agency"] for r in rows} == {
        "kependudukan",
        "layanan_publik",
        "sektoral",
        "sosial",
        "",
    }


def test_compliance_change_by_pilar(harvested: Cli) -> None:
    records = dukcapil_records()
    records[1]["kontak"] = records[0]["kontak"]  # the missing kontak is given
    write_records(harvested.cfg / "data" / "dukcapil", records)
    assert harvested("harvest", "--all").exit_code == 0
    data = _report(harvested, "compliance")
    agencies = {a["name"]: a for a in data["agencies"]}
    before = mean(SCORES["kependudukan"])
    assert agencies["kependudukan"]["previous_score"] == before
    assert agencies["kependudukan"]["change"] == round(100.0 - before, 1)
    assert agencies["sektoral"]["change"] == 0.0 and agencies[None]["change"] == 0.0


def test_freshness_by_pilar(harvested: Cli) -> None:
    data = _report(harvested, "freshness", "--as-of", AS_OF)
    agencies = {a["name"]: (a["datasets"], a["on_time"], a["overdue"]) for a in data["agencies"]}
    assert agencies == {
        "kependudukan": (2, 2, 0),
        "layanan_publik": (2, 2, 0),
        "sektoral": (3, 2, 1),
        "sosial": (1, 1, 0),
        None: (1, 1, 0),
    }
    assert data["agencies"][0]["name"] == "sektoral"  # the one with overdue datasets first
    text = squash(
        harvested("report", "freshness", "--by", "pilar", "--as-of", AS_OF, "--lang", "en").stdout
    )
    assert "Government sectoral data: 1 dataset overdue" in text


def test_links_by_pilar(harvested: Cli) -> None:
    data = _report(harvested, "links")
    # every dataset has a link_akses and one resource URL; none was checked yet
    assert {a["name"]: (a["links"], a["checked"]) for a in data["agencies"]} == {
        n: (2 * len(s), 0) for n, s in SCORES.items()
    }
    text = squash(harvested("report", "links", "--by", "pilar", "--lang", "id").stdout)
    # (the narrow test terminal folds the names: their words are there)
    assert all(word in text for word in ("Kependudukan", "Sektoral", "Pemerintah", "(tanpa"))
    assert "sosial" in text and "kependudukan" not in text


def test_changes_by_pilar(harvested: Cli) -> None:
    data = _report(harvested, "changes")
    assert {a["name"]: a["added"] for a in data["agencies"]} == {
        n: len(s) for n, s in SCORES.items()
    }
    jobs: list[dict[str, Any]] = json.loads(harvested("jobs", "list", "-f", "json").stdout)
    last = max(job["id"] for job in jobs)
    records = dukcapil_records()
    records[0]["title"] = "Jumlah Penduduk Menurut Kelompok Umur"
    write_records(harvested.cfg / "data" / "dukcapil", records)
    assert harvested("harvest", "dukcapil").exit_code == 0
    data = _report(harvested, "changes", "--since-job", str(last))
    assert [(a["name"], a["updated"]) for a in data["agencies"]] == [("kependudukan", 1)]
    assert data["agencies"][0]["changes"][0]["fields"] == ["title"]
    text = squash(harvested("report", "changes", "--by", "pilar", "--lang", "en").stdout)
    assert "Satu Data pillar" in text and "Public service data" in text


def test_trend_by_pilar_of_one_day(harvested: Cli) -> None:
    data = _report(harvested, "trend", "--every", "day")
    last = {a["name"]: a["points"][-1] for a in data["agencies"]}
    assert {n: (p["datasets"], p["score"]) for n, p in last.items()} == {
        n: (len(s), mean(s)) for n, s in SCORES.items()
    }
    assert data["agencies"][0]["rank"] == 1


def test_site_by_pilar(harvested: Cli, tmp_path: Path) -> None:
    site = tmp_path / "situs"
    result = harvested("report", "site", str(site), "--by", "pilar", "--lang", "id")
    assert result.exit_code == 0, result.stderr
    pages = sorted(p.name for p in (site / "perangkat-daerah").iterdir())
    assert pages == [
        "kependudukan.html",
        "layanan-publik.html",
        "sektoral.html",
        "sosial.html",
        "tanpa-perangkat-daerah.html",
    ]
    page = (site / "perangkat-daerah" / "kependudukan.html").read_text("utf-8")
    assert "<h1>Data Kependudukan: kepatuhan dan kemutakhiran</h1>" in page
    index = (site / "index.html").read_text("utf-8")
    assert "(tanpa pilar)" in index and "Data Layanan Publik" in index


@pytest.mark.parametrize("lang", ["id", "en"])
def test_trend_by_pilar_over_several_jobs(tmp_path: Path, lang: str) -> None:
    days = several_days(tmp_path / "satudata.db")
    cli = Cli(days.path, tmp_path / "harvest_configs")
    window = ("--every", "day", "--since", days.first.isoformat(), "--until", days.last.isoformat())
    data = _report(cli, "trend", *window)
    assert data["periods"] == [
        days.first.isoformat(),
        "2026-11-03",
        days.last.isoformat(),
    ]
    got = {
        a["name"]: [None if p is None else (p["datasets"], p["score"]) for p in a["points"]]
        for a in data["agencies"]
    }
    assert got == TREND
    by = {a["name"]: a for a in data["agencies"]}
    assert by["kependudukan"]["change_score"] == round(100.0 - TREND["kependudukan"][0][1], 1)  # type: ignore[index]
    assert (
        by["sektoral"]["change_datasets"] == 1 and by[None]["first_period"] == days.last.isoformat()
    )
    result = cli("report", "trend", "--by", "pilar", *window, "--lang", lang)
    assert result.exit_code == 0, result.stderr
    text = squash(result.stdout)
    words = (
        ("Pilar Satu Data", "Data Kependudukan", "(tanpa pilar)")
        if lang == "id"
        else ("Satu Data pillar", "Population data", "(no pillar)")
    )
    for word in words:
        assert word in text
