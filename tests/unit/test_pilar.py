"""The pillars of Medan Satu Data below the CLI: the ``pilar`` vocabulary and its rule,
the config keys and their precedence (:func:`fill_pilar`), migration 8 on an existing
catalogue (old snapshots resolved from the current datasets), and ``report trend
--by pilar`` over several jobs, all on real SQLite."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from satudata_cli.catalogue import SCHEMA_VERSION, Catalogue
from satudata_cli.catalogue.schema import APPLICATION_ID, MIGRATIONS
from satudata_cli.core.configfile import ConfigError
from satudata_cli.pipeline.harvest import prepare
from satudata_cli.reports.build import compliance_report
from satudata_cli.reports.history import Every, trend_report
from satudata_cli.reports.labels import agency_name
from satudata_cli.reports.models import GroupBy
from satudata_cli.sources.base import RemoteRecord
from satudata_cli.sources.config import PILARS, SourceConfig, load_source
from satudata_cli.sources.mapping import fill_pilar, organization_key
from satudata_cli.standard import scoring
from satudata_cli.standard.schema import Standard
from satudata_cli.standard.validator import Validator
from tests.helpers.history import Clock
from tests.helpers.pillars import TREND, several_days
from tests.helpers.records import make_record

DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kota Medan"

# ------------------------------------------------------------ vocabulary and rule


def test_the_vocabulary_is_the_three_pillars(standard: Standard) -> None:
    vocab = standard.vocabularies["pilar"]
    assert vocab.values == PILARS == ("sektoral", "kependudukan", "layanan_publik")
    labels = {v: (t.label.id, t.label.en) for v, t in vocab.terms.items()}
    assert labels == {
        "sektoral": ("Data Sektoral Pemerintah", "Government sectoral data"),
        "kependudukan": ("Data Kependudukan", "Population data"),
        "layanan_publik": ("Data Layanan Publik", "Public service data"),
    }
    field = standard.fields["pilar"]
    assert field.vocabulary == "pilar" and field.title.en == "Satu Data Pillar"
    assert "kode_pilar" in field.description.en and "kode_pilar" in field.description.id
    assert standard.field_for_label("Pilar Satu Data") == "pilar"
    assert standard.field_for_label("Kode Pilar") == "kode_pilar"  # the SDG pillar stays


def test_the_rule_checks_the_value(validator: Validator) -> None:
    def check(value: Any) -> tuple[Any, list[tuple[str, str]]]:
        result = validator.validate(make_record(0, pilar=value))
        found = [(f.rule, f.severity.value) for f in result.findings if f.path == "$.pilar"]
        return result.normalized.get("pilar"), found

    assert check("kependudukan") == ("kependudukan", [])
    assert check("Data Layanan Publik") == ("layanan_publik", [("vocab.variant", "info")])
    assert check("sosial") == ("sosial", [("vocab.unknown", "error")])
    assert check(3) == (3, [("schema.type", "error")])
    result = validator.validate(make_record(0, pilar="sosial"))
    assert not result.valid
    message = next(f.message for f in result.findings if f.rule == "vocab.unknown")
    assert "sektoral, kependudukan, layanan_publik" in message.en
    assert "Pilar Satu Data 'sosial' tidak dikenal" in message.id
    # optional: no pillar is no finding
    assert not [f for f in validator.validate(make_record(0)).findings if "pilar" in f.path]


def test_labels_of_the_groups() -> None:
    assert agency_name("kependudukan", "id", "pilar") == "Data Kependudukan"
    assert agency_name("layanan_publik", "en", "pilar") == "Public service data"
    assert agency_name(None, "id", "pilar") == "(tanpa pilar)"
    assert agency_name(None, "en", "pilar") == "(no pillar)"
    assert agency_name("sosial", "en", "pilar") == "sosial"  # outside: as it is
    assert agency_name(None, "en", "organization") == "(not given)"
    assert agency_name("kependudukan", "en", "organization") == "kependudukan"


# -------------------------------------------------------- config and precedence


def test_precedence_record_then_agency_then_source() -> None:
    by_org = {organization_key(DUKCAPIL): "kependudukan"}
    own = {"organization": DUKCAPIL, "pilar": "layanan_publik"}
    assert fill_pilar(own, "sektoral", by_org) is None
    assert own["pilar"] == "layanan_publik"
    mapped = {"organization": f"  {DUKCAPIL.lower()} "}
    assert fill_pilar(mapped, "sektoral", by_org) == (
        "pilar_by_organization",
        f"  {DUKCAPIL.lower()} ",
    )
    assert mapped["pilar"] == "kependudukan"
    other = {"organization": "Bappeda Kota Medan", "pilar": "  "}  # blank: none given
    assert fill_pilar(other, "sektoral", by_org) == ("pilar", None)
    assert other["pilar"] == "sektoral"
    ckan = {"organization": {"name": "dukcapil", "title": DUKCAPIL}}
    assert fill_pilar(ckan, None, by_org) == ("pilar_by_organization", DUKCAPIL)
    nothing: dict[str, Any] = {"organization": "Bappeda Kota Medan"}
    assert fill_pilar(nothing, None, by_org) is None and "pilar" not in nothing


def _config(tmp_path: Path, **fields: Any) -> SourceConfig:
    path = tmp_path / "sumber.yaml"
    path.write_text(
        json.dumps({"id": "sumber", "type": "directory", "path": "data", **fields}),
        encoding="utf-8",
    )
    return load_source(path)


def test_the_engine_fills_and_notes_it(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        pilar="sektoral",
        pilar_by_organization={
            "dinas kependudukan dan pencatatan sipil kota medan": "Data Kependudukan"
        },
    )
    assert config.pilar_by_organization == {
        "dinas kependudukan dan pencatatan sipil kota medan": "kependudukan"
    }
    item, record = prepare(config, RemoteRecord("r1", make_record(0, organization=DUKCAPIL)))
    assert record is not None and record["pilar"] == "kependudukan"
    (note,) = item.findings
    assert (note.rule, note.severity.value, note.path) == (
        "source.pilar-from-config",
        "info",
        "$.pilar",
    )
    assert note.message.id == (
        f"Pilar 'kependudukan' diisi dari konfigurasi sumber (pilar_by_organization: {DUKCAPIL})"
    )
    own, own_record = prepare(config, RemoteRecord("r2", make_record(0, pilar="layanan_publik")))
    assert own_record is not None and own_record["pilar"] == "layanan_publik"
    assert own.findings == ()
    # the same input, the same output: an unchanged re-harvest stays unchanged
    again = prepare(config, RemoteRecord("r1", make_record(0, organization=DUKCAPIL)))
    assert again == (item, record)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"pilar": "sosial"}, "pilar: Input should be 'sektoral', 'kependudukan' or"),
        ({"pilar_by_organization": {"Dinas A": 1}}, "pilar_by_organization.Dinas A:"),
        ({"defaults": {"pilar": "sektoral"}}, "defaults.pilar: pilar is not set through"),
        ({"pilar_by_organization": ["Dinas A"]}, "pilar_by_organization:"),
    ],
)
def test_bad_config(tmp_path: Path, fields: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, **fields)
    assert expected in caught.value.message.en


# ------------------------------------------------------------- migration 8


def _v7(path: Path) -> None:
    """A catalogue of schema version 7 (before the pillars), with datasets of two
    organizations of source ``medan`` and one harvest's snapshots of three."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(
        "CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TEXT NOT NULL)"
    )
    for version, (name, migration) in enumerate(MIGRATIONS[:7], start=1):
        migration(db)
        conn.execute(
            "INSERT INTO migrations VALUES (?, ?, '2026-01-01T00:00:00.000Z')", (version, name)
        )
    conn.execute("INSERT INTO sources (id, created_at, updated_at) VALUES ('medan', 'x', 'x')")
    at = "2026-03-01T19:05:00.000Z"
    rows = [
        ("a-1", "Dinas A", {"pilar": "kependudukan"}),
        ("a-2", "Dinas A", {"pilar": "kependudukan"}),
        ("a-3", "Dinas A", {}),
        ("b-1", "Dinas B", {"pilar": "layanan_publik"}),
        ("b-2", "Dinas B", {"pilar": ["not", "a", "text"]}),
    ]
    for remote, org, extra in rows:
        conn.execute(
            "INSERT INTO datasets (source_id, remote_id, status, last_seen, organization, "
            "valid, first_seen, last_changed, content_hash, findings_hash, record) "
            "VALUES ('medan', ?, ?, ?, ?, 1, ?, ?, 'h', 'f', ?)",
            (
                remote,
                "withdrawn" if remote == "b-2" else "active",
                at,
                org,
                at,
                at,
                json.dumps({"name": remote, "organization": org, **extra}),
            ),
        )
    conn.execute("INSERT INTO datasets_fts (datasets_fts) VALUES ('rebuild')")
    conn.execute(
        "INSERT INTO harvest_jobs (id, source_id, status, full, started_at, finished_at) "
        "VALUES (1, 'medan', 'finished', 1, '2026-03-01T19:00:00.000Z', ?)",
        (at,),
    )
    for org, datasets, score_sum in (("Dinas A", 3, 290.0), ("Dinas B", 1, 100.0), ("C", 1, 80.0)):
        conn.execute(
            "INSERT INTO compliance_snapshots (job_id, taken_at, source_id, organization, "
            "produsen_data, datasets, valid, compliant, score_sum, formula) "
            "VALUES (1, ?, 'medan', ?, NULL, ?, ?, 1, ?, ?)",
            (at, org, datasets, datasets, score_sum, scoring.FORMULA_VERSION),
        )
        conn.execute(
            "INSERT INTO freshness_snapshots (job_id, taken_at, source_id, organization, "
            "produsen_data, datasets, on_time, overdue, unknown_frequency) "
            "VALUES (1, ?, 'medan', ?, NULL, ?, ?, 0, 0)",
            (at, org, datasets, datasets),
        )
    conn.close()


def _points(report: Any, period: int) -> dict[str | None, tuple[int, float] | None]:
    out: dict[str | None, tuple[int, float] | None] = {}
    for agency in report.agencies:
        point = agency.points[period]
        out[agency.name] = None if point is None else (point.datasets, point.score)
    return out


def test_migration_8_on_an_existing_catalogue(tmp_path: Path, validator: Validator) -> None:
    path = tmp_path / "v7.db"
    _v7(path)
    clock = Clock(dt.datetime(2026, 3, 2, 19, 0, tzinfo=dt.UTC))
    with Catalogue.open(path, clock=clock) as cat:
        assert cat.schema_version == SCHEMA_VERSION == 8
        conn = cat.conn
        names = [r[1] for r in conn.execute("SELECT * FROM migrations ORDER BY version")]
        assert names[-1] == "pilar"
        pillars = dict(conn.execute("SELECT remote_id, pilar FROM datasets").fetchall())
        # filled from the stored records; a pilar that is no text is left out
        assert pillars == {
            "a-1": "kependudukan",
            "a-2": "kependudukan",
            "a-3": None,
            "b-1": "layanan_publik",
            "b-2": None,
        }
        for table in ("compliance_snapshots", "freshness_snapshots"):
            rows = conn.execute(f"SELECT pilar, pilar_known FROM {table}").fetchall()
            assert [tuple(r) for r in rows] == [(None, 0)] * 3
        now = dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
        report = trend_report(
            cat,
            by=GroupBy.pilar,
            since=dt.date(2026, 3, 1),
            until=dt.date(2026, 3, 1),
            every=Every.day,
            now=now,
        )
        # the old rows resolved from the current datasets of their organization: Dinas A
        # has two kependudukan datasets and one without; C has no dataset any more
        assert _points(report, 0) == {
            "kependudukan": (3, round(290 / 3, 1)),
            "layanan_publik": (1, 100.0),
            None: (1, 80.0),
        }
        kependudukan = next(a for a in report.agencies if a.name == "kependudukan")
        assert kependudukan.points[0] is not None and kependudukan.points[0].on_time == 3
        # a new harvest writes rows with their own pillar: Dinas A is split now
        job = cat.start_job("medan", full=False)
        with cat.writer(job) as writer:
            for remote, pilar in (("a-1", "kependudukan"), ("a-3", None)):
                record = make_record(0, organization="Dinas A", name=remote)
                if pilar is not None:
                    record["pilar"] = pilar
                result = validator.validate(record)
                writer.put(remote, result.normalized, result)
        clock.now += dt.timedelta(minutes=1)
        cat.finish_job(job, "finished")
        rows = conn.execute(
            "SELECT organization, produsen_data IS NOT NULL, pilar, datasets, pilar_known "
            "FROM compliance_snapshots WHERE job_id = ? ORDER BY 1, 2, 3",
            (job,),
        ).fetchall()
        # (a-1 and a-3 now name a produsen data, a-2 does not: a group of its own)
        assert [tuple(r) for r in rows] == [
            ("Dinas A", 0, "kependudukan", 1, 1),
            ("Dinas A", 1, None, 1, 1),
            ("Dinas A", 1, "kependudukan", 1, 1),
            ("Dinas B", 0, "layanan_publik", 1, 1),
        ]
        report = trend_report(
            cat,
            by=GroupBy.pilar,
            since=dt.date(2026, 3, 1),
            until=dt.date(2026, 3, 2),
            every=Every.day,
            now=now,
        )
        assert _points(report, 1) == {
            "kependudukan": (2, 100.0),
            "layanan_publik": (1, 100.0),
            None: (1, 100.0),  # Dinas A's dataset without a pillar, not merged
        }
        # the compliance report compares with the old rows, resolved the same way
        comp = compliance_report(cat, by=GroupBy.pilar, now=now)
        by_name = {a.name: a for a in comp.agencies}
        assert by_name["kependudukan"].previous_score == round(290 / 3, 1)
        assert by_name["kependudukan"].previous_datasets == 3
        assert by_name[None].previous_score == 80.0


# ------------------------------------------------------- trend over several jobs


def test_trend_by_pilar_over_several_jobs(tmp_path: Path) -> None:
    days = several_days(tmp_path / "satudata.db")
    with Catalogue.open(days.path, create=False) as cat:
        report = trend_report(
            cat,
            by=GroupBy.pilar,
            since=days.first,
            until=days.last,
            every=Every.day,
            now=dt.datetime.combine(days.last, dt.time(23), tzinfo=dt.UTC),
        )
    assert report.by == "pilar" and len(report.periods) == 3
    got = {a.name: [_point(p) for p in a.points] for a in report.agencies}
    assert got == TREND
    ranks = {a.name: a.rank for a in report.agencies}
    assert ranks == {"kependudukan": 1, "layanan_publik": 2, None: 3, "sektoral": 4}


def _point(point: Any) -> tuple[int, float] | None:
    return None if point is None else (point.datasets, point.score)
