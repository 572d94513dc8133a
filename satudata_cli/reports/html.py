"""One self-contained HTML page of a report, for e-mail and office laptops offline.

Jinja2 with autoescape on for every template: every harvested string (titles,
agency names, rule ids) is escaped, so ``<script>`` in a title shows as text. The page
loads nothing: CSS and the charts (SVG) are inline, and so is the small script that
sorts the tables when a heading is clicked.
"""

from __future__ import annotations

from typing import Any, Final

import jinja2

from satudata_cli import __version__
from satudata_cli.core.i18n import Lang
from satudata_cli.reports import labels
from satudata_cli.reports.models import ComplianceReport, FreshnessReport

#: Rows of the dataset tables when the page is made without ``--detail``.
DATASET_ROWS: Final = 25

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("satudata_cli.reports", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_html(
    *,
    lang: Lang,
    compliance: ComplianceReport | None = None,
    freshness: FreshnessReport | None = None,
    detail: bool = False,
) -> str:
    """The page of a compliance report (with the freshness summary when given) or of a
    freshness report."""
    if compliance is None and freshness is None:
        raise ValueError("render_html needs a compliance or a freshness report")
    first: Any = compliance if compliance is not None else freshness
    template = _ENV.get_template("report.html.j2")
    return template.render(
        lang=lang,
        c=compliance,
        f=freshness,
        meta=first,
        detail=detail,
        rows=None if detail else DATASET_ROWS,
        version=__version__,
        L=lambda key, **values: labels.label(key, lang, **values),
        agency=lambda name: labels.agency_name(name, lang),
        change=lambda a: labels.change_text(a.change, a.previous_datasets, lang),
        pct=labels.percent,
        short=_short,
        group=labels.group_label(first.by, lang),
    )


def environment() -> jinja2.Environment:
    """The reports' Jinja2 environment (autoescape on), for other reports' pages."""
    return _ENV
