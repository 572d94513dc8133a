"""One self-contained HTML page of a report, for e-mail and office laptops offline.

Jinja2 with autoescape on for every template: every harvested string (titles,
agency names, rule ids) is escaped, so ``<script>`` in a title shows as text. The page
loads nothing: CSS and the charts (SVG) are inline, and so is the small script that
sorts the tables when a heading is clicked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import jinja2

from satudata_cli import __version__
from satudata_cli.core.i18n import Lang
from satudata_cli.reports import labels
from satudata_cli.reports.models import ComplianceReport, FreshnessReport
from satudata_cli.reports.narrative import SHOWN_AGENCIES, number, opening, summarize

if TYPE_CHECKING:
    from satudata_cli.reports.links import LinksReport

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
    """A name cut for a chart's label; every place that shows it cut also gives the whole
    name as a tooltip (an SVG ``<title>``, an HTML ``title=``)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def page_globals(lang: Lang, by: str | None = None) -> dict[str, Any]:
    """The helpers every page's template uses: labels, names (of the report's grouping
    ``by``), numbers."""
    return {
        "lang": lang,
        "version": __version__,
        "L": lambda key, **values: labels.label(key, lang, **values),
        "agency": lambda name: labels.agency_name(name, lang, by),
        "change": lambda a: labels.change_text(a.change, a.previous_datasets, lang),
        "pct": labels.percent,
        "num": lambda value: number(value, lang),
        "short": _short,
    }


def template(name: str) -> jinja2.Template:
    """A template of ``reports/templates`` in the reports' one environment."""
    return _ENV.get_template(name)


def render_html(
    *,
    lang: Lang,
    compliance: ComplianceReport | None = None,
    freshness: FreshnessReport | None = None,
    detail: bool = False,
    links: LinksReport | None = None,
) -> str:
    """The page of a compliance report (with the freshness summary and the link-check
    section when given) or of a freshness report."""
    if compliance is None and freshness is None:
        raise ValueError("render_html needs a compliance or a freshness report")
    first: Any = compliance if compliance is not None else freshness
    summary = (
        summarize(
            compliance=compliance,
            freshness=freshness,
            broken_links=None if links is None else {a.name: a.broken for a in links.agencies},
        )
        if compliance is not None and freshness is not None
        else first.summary
    )
    return template("report.html.j2").render(
        c=compliance,
        f=freshness,
        meta=first,
        detail=detail,
        rows=None if detail else DATASET_ROWS,
        group=labels.group_label(first.by, lang),
        opening=opening(summary, lang, None if detail else SHOWN_AGENCIES) if summary else [],
        links=links,
        **page_globals(lang, first.by),
        **_links_globals(lang),
    )


def _links_globals(lang: Lang) -> dict[str, Any]:
    """What the links section and page use besides the report (links_section.html.j2)."""
    from satudata_cli.reports.links_render import dataset_label, notes, status_label

    return {
        "link_status": lambda status: status_label(status, lang),
        "dataset_label": dataset_label,
        "link_notes": lambda report: notes(report, lang),
    }


def render_links_html(report: LinksReport, *, lang: Lang, detail: bool = False) -> str:
    """The page of the links report."""
    from satudata_cli.reports.links_render import listed

    summary = report.summary
    return template("links.html.j2").render(
        r=report,
        meta=report,
        listed=listed(report, detail),
        detail=detail,
        opening=opening(summary, lang, None if detail else SHOWN_AGENCIES) if summary else [],
        group=labels.group_label(report.by, lang),
        **page_globals(lang, report.by),
        **_links_globals(lang),
    )


def environment() -> jinja2.Environment:
    """The reports' Jinja2 environment (autoescape on), for other reports' pages."""
    return _ENV
