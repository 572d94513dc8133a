"""The ``csv`` and ``json`` report formats: for spreadsheets and for programs.

Written with the one CSV writer (:class:`satudata_cli.core.cells.CsvWriter`): cells
that a spreadsheet would run as a formula are neutralised, line breaks quoted.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TextIO

from satudata_cli.core.cells import CsvWriter
from satudata_cli.reports.labels import label
from satudata_cli.reports.models import ComplianceReport, FreshnessReport
from satudata_cli.reports.render import RenderOptions


def report_json(report: Any, out: TextIO, options: RenderOptions) -> None:
    """The report object as it is (every format's source of truth)."""
    out.write(json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2) + "\n")


def compliance_csv(report: ComplianceReport, out: TextIO, options: RenderOptions) -> None:
    """One row per agency (completeness per field as columns), or per dataset with detail."""
    detail = options.detail
    writer = CsvWriter(out)
    if detail:
        columns = [
            "source_id",
            "remote_id",
            "name",
            "title",
            "agency",
            "score",
            "valid",
            "compliant",
            "errors",
            "warnings",
            "missing_required",
            "missing_recommended",
            "rules",
        ]
        writer.writerow(columns)
        for d in report.datasets:
            row = dataclasses.asdict(d)
            writer.writerow(row[c] for c in columns)
        return
    fields = [fc.field for fc in report.overall.completeness]
    writer.writerow(
        [
            "agency",
            "datasets",
            "valid",
            "valid_share",
            "compliant",
            "compliant_share",
            "score",
            "previous_score",
            "change",
            "top_rules",
            *(f"completeness_{f}" for f in fields),
        ]
    )
    for a in report.agencies:
        writer.writerow(
            [
                a.name,
                a.datasets,
                a.valid,
                a.valid_share,
                a.compliant,
                a.compliant_share,
                a.score,
                a.previous_score,
                a.change,
                [f"{r.rule} x{r.datasets}" for r in a.top_rules],
                *(fc.share for fc in a.completeness),
            ]
        )


def freshness_csv(report: FreshnessReport, out: TextIO, options: RenderOptions) -> None:
    """One row per agency, or per dataset (with its status label) with detail."""
    lang, detail = options.lang, options.detail
    writer = CsvWriter(out)
    if detail:
        columns = [
            "source_id",
            "remote_id",
            "name",
            "title",
            "agency",
            "jadwal_pemutakhiran",
            "period_days",
            "last_update",
            "last_update_from",
            "next_due",
            "days_overdue",
            "status",
        ]
        writer.writerow([*columns, "label"])
        for d in report.datasets:
            row = dataclasses.asdict(d)
            writer.writerow([*(row[c] for c in columns), label(d.status, lang)])
        return
    writer.writerow(
        [
            "agency",
            "datasets",
            "on_time",
            "overdue",
            "unknown_frequency",
            "on_time_share",
            "max_days_overdue",
            "worst",
        ]
    )
    for a in report.agencies:
        writer.writerow(
            [
                a.name,
                a.datasets,
                a.on_time,
                a.overdue,
                a.unknown_frequency,
                a.on_time_share,
                a.max_days_overdue,
                [f"{w.title or w.name or w.remote_id} ({w.days_overdue})" for w in a.worst],
            ]
        )
