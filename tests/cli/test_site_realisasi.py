"""``satudata report site`` with a Daftar Data: ``--plan FILE`` (repeatable) and the
``plan:`` key of the source configs add the realisasi (planned vs published) to the
index, the agency pages, the summary in words and ``realisasi.json``.

The katalog and the plan are the ones of ``report realisasi`` (tests/helpers/realisasi.py:
exact, fuzzy, ambiguous and missing entries), read without ``--year``, so the answers are
known: Dinas Kesehatan (the plan names it "Dinas Kesehatan" twice and by its full name
once) 3 planned, 3 published (one by id, two by a close title), 2 of them by a compliant
dataset; Dinas Pendidikan 4 planned, 1 published (the 2025 row), 1 to confirm, 2
missing; Dinas Perhubungan 1 planned and missing, with no page (nothing in the katalog).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers.cli import Cli, squash, write_source
from tests.helpers.realisasi import DISDIK, DISHUB, csv_plan, realisasi_cli
from tests.helpers.records import make_record
from tests.helpers.reports import DINKES, write_records
from tests.helpers.site import follow_links, parse

ROOT = Path(__file__).resolve().parents[2]


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _site(cli: Cli, out: Path, *args: str | Path) -> Path:
    result = cli("report", "site", out, *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def _json(site: Path, name: str) -> Any:
    return json.loads((site / name).read_text(encoding="utf-8"))


def _rows(html: str) -> dict[str, list[str]]:
    """The index's realisasi table: agency -> its cells (text)."""
    section = html[
        html.index('id="realisasi-table"') : html.index(
            "</table>", html.index('id="realisasi-table"')
        )
    ]
    rows = {}
    for agency, row in re.findall(r'<tr data-agency="([^"]+)">(.*?)</tr>', section):
        rows[agency] = [parse(cell).text for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    return rows


def _matches(page: str) -> list[str]:
    return re.findall(r'<tr class="planned" data-match="([a-z_]+)"', page)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_plan_option_known_answers(tmp_path: Path, lang: str) -> None:
    cli = realisasi_cli(tmp_path)
    site = _site(cli, tmp_path / "situs", "--plan", csv_plan(tmp_path), "--lang", lang)
    assert sorted(p.name for p in site.iterdir()) == [
        ".satudata-site",
        "index.html",
        "perangkat-daerah",
        "realisasi.json",
        "summary.json",
    ]
    index = (site / "index.html").read_text(encoding="utf-8")
    rows = _rows(index)
    # agency, planned, published, published and compliant, to confirm, missing, share
    assert rows == {
        DINKES: [DINKES, "3", "3", "2", "0", "0", "100%"],
        DISDIK: [DISDIK, "4", "1", "1", "1", "2", "25%"],
        DISHUB: [DISHUB, "1", "0", "0", "0", "1", "0%"],
    }
    assert 'href="perangkat-daerah/dinas-kesehatan-kota-medan.html#realisasi"' in index
    assert f"<td>{DISHUB}</td>" in index  # no page: nothing in the katalog
    dinkes = (site / "perangkat-daerah" / "dinas-kesehatan-kota-medan.html").read_text("utf-8")
    disdik = (site / "perangkat-daerah" / "dinas-pendidikan-kota-medan.html").read_text("utf-8")
    assert _matches(dinkes) == ["exact", "fuzzy", "fuzzy"]
    assert _matches(disdik) == ["to_confirm", "missing", "missing", "exact"]
    words = ("tepat", "mirip", "perlu dikonfirmasi", "belum ada")
    if lang == "en":
        words = ("exact", "fuzzy", "to confirm", "missing")
    text = parse(disdik).text + " " + parse(dinkes).text
    assert all(word in text for word in words), text
    # the matched dataset and the candidates link to their rows on the agency pages
    assert 'href="../perangkat-daerah/dinas-kesehatan-kota-medan.html#d-' in dinkes
    assert disdik.count('href="../perangkat-daerah/dinas-pendidikan-kota-medan.html#d-') >= 3
    assert follow_links(site) > 0

    # the same facts in realisasi.json (the realisasi report's schema) and summary.json
    realisasi = _json(site, "realisasi.json")
    _validator("realisasi-report").validate(realisasi)
    assert (realisasi["overall"]["planned"], realisasi["overall"]["published"]) == (8, 4)
    summary = _json(site, "summary.json")
    _validator("report-summary").validate(summary)
    facts = {a["name"]: a for a in summary["agencies"]}
    keys = ("planned", "published", "published_compliant", "to_confirm", "missing")
    assert [facts[DINKES][k] for k in keys] == [3, 3, 2, 0, 0]
    assert [facts[DISDIK][k] for k in keys] == [4, 1, 1, 1, 2]
    assert [summary["overall"][k] for k in keys] == [8, 4, 3, 1, 3]
    assert facts[DISDIK]["compliant"] == 3  # the agency's compliant datasets, not the plan's
    said = summary["text_id" if lang == "id" else "text_en"]
    position = 1 + [a["name"] for a in summary["agencies"]].index(DISDIK)
    if lang == "id":
        assert said[position].endswith(
            "; 1 dari 4 data yang direncanakan sudah terbit, 1 memenuhi standar; "
            "1 perlu dikonfirmasi; 2 belum terbit."
        )
    else:
        assert said[position].endswith(
            "; 1 of 4 planned datasets published, 1 meeting the standard; 1 to confirm; "
            "2 not published yet."
        )
    # the summary opens the index and the agency's page
    assert squash(said[position]) in squash(parse(index).text)
    assert squash(said[position]) in squash(parse(disdik).text)


def test_without_a_plan_there_is_no_realisasi(tmp_path: Path) -> None:
    cli = realisasi_cli(tmp_path)
    site = _site(cli, tmp_path / "situs")
    assert not (site / "realisasi.json").exists()
    assert 'id="realisasi"' not in (site / "index.html").read_text(encoding="utf-8")
    assert _json(site, "summary.json")["overall"]["planned"] is None


def _second_source(cfg: Path, **fields: Any) -> None:
    """A second source (Dinas Perhubungan) with one dataset."""
    record = make_record(20, title="Jumlah Angkutan Kota di Kota Medan", organization=DISHUB)
    write_records(cfg / "data" / "dishub", [record])
    write_source(cfg, "dishub", type="directory", path="data/dishub", **fields)


def test_plan_key_of_the_source_configs(tmp_path: Path) -> None:
    """``plan:`` relative to the config file; two sources naming plans: both are read
    (a plan named twice is read once); ``--plan`` takes their place."""
    cfg = tmp_path / "harvest_configs"
    plan = csv_plan(tmp_path)
    (cfg / "rencana").mkdir(parents=True)
    plan.rename(cfg / "rencana" / "daftar-data.csv")
    (cfg / "rencana" / "dishub.csv").write_text(
        "Perangkat Daerah,Judul Data\n"
        f"{DISHUB},jumlah angkutan kota di kota medan\n"
        f"{DISHUB},Panjang Jalan Kota\n",
        encoding="utf-8",
    )
    _second_source(cfg, plan="rencana/dishub.csv")
    cli = realisasi_cli(tmp_path, plan="rencana/daftar-data.csv")
    # a third source names the first plan again: it is read once
    write_records(cfg / "data" / "lagi", [make_record(30, organization="Bappeda Kota Medan")])
    write_source(
        cfg, "kota-lagi", type="directory", path="data/lagi", plan="rencana/daftar-data.csv"
    )
    assert cli("harvest", "--all", "--json").exit_code in (0, 1)
    site = _site(cli, tmp_path / "situs")
    realisasi = _json(site, "realisasi.json")
    assert [Path(p).name for p in realisasi["plans"]] == ["dishub.csv", "daftar-data.csv"]
    assert realisasi["overall"]["planned"] == 8 + 2
    rows = _rows((site / "index.html").read_text(encoding="utf-8"))
    # Dinas Perhubungan has a page now: its one dataset realises one of its 3 entries
    assert rows[DISHUB][1:] == ["3", "1", "1", "0", "2", "33%"]
    assert "Bappeda Kota Medan" not in rows  # an agency the plan does not name
    assert rows[DINKES][1:4] == ["3", "3", "2"]
    # --plan replaces the configs' plans
    only = _site(cli, tmp_path / "hanya", "--plan", cfg / "rencana" / "dishub.csv")
    assert _json(only, "realisasi.json")["overall"]["planned"] == 2
    assert list(_rows((only / "index.html").read_text(encoding="utf-8"))) == [DISHUB]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("id", "tidak ada atau bukan berkas biasa"), ("en", "no such file, or not a regular file")],
)
def test_a_missing_plan_is_a_clear_error(tmp_path: Path, lang: str, words: str) -> None:
    cli = realisasi_cli(tmp_path)
    _second_source(cli.cfg, plan="rencana/tidak-ada.csv")
    result = cli("report", "site", tmp_path / "situs", "--lang", lang)
    assert result.exit_code == 2, result.stdout + result.stderr
    message = squash(result.stderr)
    assert words in message and "tidak-ada.csv" in message and "dishub.yaml" in message
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "situs").exists()
    # a --plan that does not exist, or that is not a Daftar Data: exit 2 too
    missing = cli("report", "site", tmp_path / "situs", "--plan", tmp_path / "nope.csv")
    assert missing.exit_code == 2 and "Traceback" not in missing.stderr
    bad = tmp_path / "bukan.csv"
    bad.write_text("Kolom A,Kolom B\n1,2\n", encoding="utf-8")
    wrong = cli("report", "site", tmp_path / "situs", "--plan", bad, "--lang", "en")
    assert wrong.exit_code == 2 and "no agency and title columns" in squash(wrong.stderr)
    assert not (tmp_path / "situs").exists()


def test_plan_key_is_validated(tmp_path: Path) -> None:
    cli = realisasi_cli(tmp_path)
    _second_source(cli.cfg, plan=["a.csv", "b.csv"])
    result = cli("report", "site", tmp_path / "situs", "--lang", "en")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "dishub.yaml" in squash(result.stderr) and "plan" in squash(result.stderr)
