"""Reports per agency (perangkat daerah) from the catalogue: compliance with the
standard and freshness (jadwal pemutakhiran), as result objects that the CLI renders
as text, JSON, CSV or one self-contained HTML page (:mod:`satudata_cli.reports.html`).
"""

from __future__ import annotations

from satudata_cli.reports.build import compliance_report, freshness_report, open_catalogue
from satudata_cli.reports.errors import NothingToReportError, ReportError, UnknownSourceError
from satudata_cli.reports.models import ComplianceReport, FreshnessReport, GroupBy

__all__ = [
    "ComplianceReport",
    "FreshnessReport",
    "GroupBy",
    "NothingToReportError",
    "ReportError",
    "UnknownSourceError",
    "compliance_report",
    "freshness_report",
    "open_catalogue",
]
