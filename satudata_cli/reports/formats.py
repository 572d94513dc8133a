"""The report formats: ONE registry, from which the CLI's ``--format`` choices derive.

Each :class:`ReportFormatSpec` names a format and its two renderers, one per report
(compliance, freshness). A renderer writes the whole document to a text stream and
never prints elsewhere. Adding a format is one renderer module plus one line in
:data:`REPORT_FORMATS` (and its tests and docs): ``satudata report ... --format NAME``
offers it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TextIO

from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.reports.errors import ReportError
from satudata_cli.reports.models import ComplianceReport, FreshnessReport
from satudata_cli.reports.render import RenderOptions
from satudata_cli.reports.tabular import compliance_csv, freshness_csv, report_json
from satudata_cli.reports.text import compliance_text, freshness_text

ComplianceRenderer = Callable[[ComplianceReport, TextIO, RenderOptions], None]
FreshnessRenderer = Callable[[FreshnessReport, TextIO, RenderOptions], None]


@dataclass(frozen=True, slots=True)
class ReportFormatSpec:
    """``with_freshness``: the compliance output also shows the freshness summary, so
    the caller builds that report too and passes it in :attr:`RenderOptions.freshness`."""

    name: str
    description: Message
    compliance: ComplianceRenderer
    freshness: FreshnessRenderer
    with_freshness: bool = False


def _compliance_html(report: ComplianceReport, out: TextIO, options: RenderOptions) -> None:
    from satudata_cli.reports.html import render_html  # jinja2 only when asked for

    out.write(
        render_html(
            lang=options.lang,
            compliance=report,
            freshness=options.freshness,
            detail=options.detail,
            links=options.links,
        )
    )


def _freshness_html(report: FreshnessReport, out: TextIO, options: RenderOptions) -> None:
    from satudata_cli.reports.html import render_html

    out.write(render_html(lang=options.lang, freshness=report, detail=options.detail))


REPORT_FORMATS: Final[dict[str, ReportFormatSpec]] = {
    spec.name: spec
    for spec in (
        ReportFormatSpec("text", M.report_format_text, compliance_text, freshness_text),
        ReportFormatSpec("json", M.report_format_json, report_json, report_json),
        ReportFormatSpec("csv", M.report_format_csv, compliance_csv, freshness_csv),
        ReportFormatSpec(
            "html",
            M.report_format_html,
            _compliance_html,
            _freshness_html,
            with_freshness=True,
        ),
    )
}


def get_report_format(name: str) -> ReportFormatSpec:
    """The spec of format ``name``; :class:`ReportError` for an unknown name."""
    try:
        return REPORT_FORMATS[name]
    except KeyError:
        known = ", ".join(REPORT_FORMATS)
        raise ReportError(
            M.err_unknown_report_format.format(name=repr(name), known=known)
        ) from None
