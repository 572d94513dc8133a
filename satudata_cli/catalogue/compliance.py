"""What the compliance and freshness reports read from the catalogue, and the per-job
compliance snapshot that lets them show the change since the previous harvest.

Snapshot: when a harvest job ends (:meth:`Catalogue.finish_job`, in the same
transaction), one row per organization, produsen data and pillar of the job's source
is written to ``compliance_snapshots``: active datasets, valid ones, fully compliant
ones and the sum of their scores (:mod:`satudata_cli.standard.scoring`), with the
formula version. Sums add up, so any grouping of the report (organization, produsen
data, source, pillar) is a sum of these rows. Rows taken before the snapshots kept a
pillar (schema version 8) get one from the current datasets (:class:`OldPilar`). A
source whose job found no active dataset gets one row with ``datasets = 0``, so every
snapshotted job has at least one row. Since schema version 7 the rows carry their
job's finish time (``taken_at``) and outlive the job (``jobs prune``): they are the
monitoring history, thinned by its own retention
(:mod:`satudata_cli.catalogue.history`).

"The previous harvest" of a source is its second newest ended job (the newest one
made the current state); its snapshot is the source's previous state. A source with no
such snapshot (harvested once, or only before this table existed) has no previous
state, and an agency with datasets of such a source is not compared at all
(:func:`satudata_cli.reports.build.compliance_report`). Cost: one grouped query over
the source's active datasets and their findings per job.

Link findings (:mod:`satudata_cli.catalogue.link_findings`) count in the score, the
errors and warnings, the valid and the fully compliant datasets of both the reports and
the snapshots, as soon as any link has a stored state.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from satudata_cli.catalogue.link_findings import has_link_checks, link_totals_sql
from satudata_cli.catalogue.link_findings import source_filter as link_source_filter
from satudata_cli.catalogue.rows import fields_from_row, named, scalars
from satudata_cli.standard.scoring import FORMULA_VERSION, dataset_score_sql


@dataclass(frozen=True, slots=True)
class ReportDataset:
    """One active dataset as the reports need it."""

    id: int
    source_id: str
    remote_id: str
    name: str | None
    title: str | None
    organization: str | None
    produsen_data: str | None
    pilar: str | None
    jadwal_pemutakhiran: str | None
    tanggal_diperbarui: str | None
    remote_modified: str | None
    first_seen: str
    valid: bool
    errors: int
    warnings: int
    score: float
    record: dict[str, Any] | None


class FailingFinding(NamedTuple):
    """An error or warning of an active dataset."""

    dataset_id: int
    rule: str
    severity: str


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    job_id: int
    finished_at: str | None
    source_id: str
    organization: str | None
    produsen_data: str | None
    pilar: str | None
    datasets: int
    valid: int
    compliant: int
    score_sum: float


def _source_filter(source_ids: Sequence[str] | None, column: str) -> tuple[str, list[Any]]:
    if source_ids is None:
        return "", []
    clause = f" AND {column} IN (SELECT value FROM json_each(?))"  # noqa: S608 (a column name)
    return clause, [json.dumps(list(source_ids))]


def _link_join(conn: sqlite3.Connection, where: str, params: list[Any]) -> tuple[str, list[Any]]:
    """The join of the link findings' totals per dataset (alias ``lt``), or nothing when
    no link was ever checked (then the queries are as they were without link checks)."""
    if not has_link_checks(conn):
        return "", []
    return f" LEFT JOIN ({link_totals_sql(where=where)}) lt ON lt.dataset_id = d.id", params


def _link_columns(joined: bool) -> tuple[str, str, str, str | None]:
    """errors, warnings and valid of a dataset with its link findings, and their points."""
    if not joined:
        return "d.errors", "d.warnings", "d.valid", None
    return (
        "(d.errors + coalesce(lt.errors, 0))",
        "(d.warnings + coalesce(lt.warnings, 0))",
        "(d.valid AND coalesce(lt.errors, 0) = 0)",
        "lt.points",
    )


def write_snapshot(conn: sqlite3.Connection, job_id: int, source_id: str, taken_at: str) -> None:
    """Store the compliance state of ``source_id`` as the job ends (inside its
    transaction); ``taken_at`` is the job's finish time."""
    join, link_params = _link_join(conn, "AND d.source_id = ?", [source_id, source_id])
    errors, warnings, valid, points = _link_columns(bool(join))
    inserted = conn.execute(
        "INSERT INTO compliance_snapshots (job_id, taken_at, source_id, organization, "  # noqa: S608
        "produsen_data, pilar, pilar_known, datasets, valid, compliant, score_sum, formula) "
        "SELECT ?, ?, d.source_id, d.organization, d.produsen_data, d.pilar, 1, count(*), "
        f"sum({valid}), sum({errors} = 0 AND {warnings} = 0), "
        f"sum({dataset_score_sql(link_points=points)}), ? "
        f"FROM datasets d{join} WHERE d.source_id = ? AND d.status = 'active' "
        "GROUP BY d.organization, d.produsen_data, d.pilar",
        (job_id, taken_at, FORMULA_VERSION, *link_params, source_id),
    ).rowcount
    if inserted == 0:
        conn.execute(
            "INSERT INTO compliance_snapshots (job_id, taken_at, source_id, organization, "
            "produsen_data, pilar, pilar_known, datasets, valid, compliant, score_sum, formula) "
            "VALUES (?, ?, ?, NULL, NULL, NULL, 1, 0, 0, 0, 0, ?)",
            (job_id, taken_at, source_id, FORMULA_VERSION),
        )


# the columns of datasets a ReportDataset takes as they are
_REPORT_COLUMNS = (
    "id",
    "source_id",
    "remote_id",
    "name",
    "title",
    "organization",
    "produsen_data",
    "pilar",
    "jadwal_pemutakhiran",
    "tanggal_diperbarui",
    "remote_modified",
    "first_seen",
    "errors",
    "warnings",
)


def iter_report_datasets(
    conn: sqlite3.Connection, source_ids: Sequence[str] | None, *, with_record: bool
) -> Iterator[ReportDataset]:
    """Active datasets with their score, ordered by source and name."""
    where, params = _source_filter(source_ids, "d.source_id")
    join, link_params = _link_join(conn, *link_source_filter(source_ids))
    errors, warnings, valid, points = _link_columns(bool(join))
    record = "d.record" if with_record else "NULL"
    columns = ", ".join(
        f"d.{c} AS {c}" for c in _REPORT_COLUMNS if c != "errors" and c != "warnings"
    )
    cursor = named(
        conn,
        f"SELECT {columns}, {errors} AS errors, {warnings} AS warnings, "  # noqa: S608
        f"{valid} AS valid, {dataset_score_sql(link_points=points)} AS score, "
        f"{record} AS record FROM datasets d{join} "
        f"WHERE d.status = 'active'{where} ORDER BY d.source_id, d.name, d.id",
        [*link_params, *params],
    )
    for row in cursor:
        yield ReportDataset(
            **{c: row[c] for c in _REPORT_COLUMNS},
            valid=bool(row["valid"]),
            score=float(row["score"]),
            record=json.loads(row["record"]) if row["record"] is not None else None,
        )


def failing_findings(
    conn: sqlite3.Connection, source_ids: Sequence[str] | None
) -> Iterator[FailingFinding]:
    """Every error and warning of active datasets."""
    where, params = _source_filter(source_ids, "d.source_id")
    for row in named(
        conn,
        "SELECT f.dataset_id AS dataset_id, f.rule AS rule, f.severity AS severity "  # noqa: S608
        "FROM validation_findings f "
        "JOIN datasets d ON d.id = f.dataset_id WHERE d.status = 'active' "
        f"AND (f.severity = 'error' OR f.severity = 'warning'){where}",
        params,
    ):
        yield FailingFinding(row["dataset_id"], row["rule"], row["severity"])


def previous_snapshots(
    conn: sqlite3.Connection, source_ids: Sequence[str] | None
) -> list[SnapshotRow]:
    """Each source's state after its previous harvest (see the module docstring)."""
    where, params = _source_filter(source_ids, "source_id")
    jobs = scalars(
        conn,
        "SELECT id FROM (SELECT id, row_number() OVER "  # noqa: S608
        "(PARTITION BY source_id ORDER BY id DESC) AS n FROM harvest_jobs "
        f"WHERE status != 'running'{where}) WHERE n = 2",
        params,
    )
    if not jobs:
        return []
    rows = named(
        conn,
        "SELECT s.job_id AS job_id, j.finished_at AS finished_at, s.source_id AS source_id, "
        "s.organization AS organization, s.produsen_data AS produsen_data, "
        "s.pilar AS pilar, s.pilar_known AS pilar_known, "
        "s.datasets AS datasets, s.valid AS valid, s.compliant AS compliant, "
        "s.score_sum AS score_sum FROM compliance_snapshots s "
        "JOIN harvest_jobs j ON j.id = s.job_id "
        "WHERE s.job_id IN (SELECT value FROM json_each(?)) AND s.formula = ? "
        "ORDER BY s.source_id, s.id",
        (json.dumps(jobs), FORMULA_VERSION),
    ).fetchall()
    old = OldPilar(conn) if any(not row["pilar_known"] for row in rows) else None
    return [
        fields_from_row(SnapshotRow, row, pilar=row["pilar"] if old is None else old.pilar_of(row))
        for row in rows
    ]


class OldPilar:
    """The pillar of the snapshot rows taken before the snapshots kept one (schema
    version 8; ``pilar_known`` 0): the pillar most of the current datasets of the row's
    source and organization have (counted among the active ones, then among all; a tie
    goes to the first in name order, and "no pillar" is one of the choices, first). A
    source and organization without datasets now has no pillar. Read once per query."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        counts: dict[tuple[str, str | None], list[tuple[int, int, str]]] = {}
        for row in named(
            conn,
            "SELECT source_id, organization, pilar, sum(status = 'active') AS active, "
            "count(*) AS n FROM datasets GROUP BY source_id, organization, pilar",
        ):
            counts.setdefault((row["source_id"], row["organization"]), []).append(
                (-row["active"], -row["n"], row["pilar"] or "")
            )
        self._pilar = {key: min(found)[2] or None for key, found in counts.items()}

    def pilar_of(self, row: Any) -> str | None:
        """The pillar of a row with ``source_id``, ``organization``, ``pilar`` and
        ``pilar_known`` (read by name): its own when known, else the resolved one."""
        if row["pilar_known"]:
            pilar: str | None = row["pilar"]
            return pilar
        return self._pilar.get((row["source_id"], row["organization"]))


def source_ids(conn: sqlite3.Connection) -> list[str]:
    """Every source the catalogue knows."""
    return scalars(conn, "SELECT id FROM sources ORDER BY id")
