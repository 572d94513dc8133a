"""The exceptions of the reports layer.

SatudataError
└── ReportError               a report cannot be made as asked
    ├── UnknownSourceError    --source names a source the catalogue does not know  (exit 2)
    └── NothingToReportError  the catalogue is missing or holds no active dataset  (exit 5)
"""

from __future__ import annotations

from satudata_cli.core.errors import SatudataError


class ReportError(SatudataError):
    """A report cannot be made as asked."""


class UnknownSourceError(ReportError):
    """A requested source is not in the catalogue."""


class NothingToReportError(ReportError):
    """There is no catalogue, or it holds no active dataset in the requested scope."""
