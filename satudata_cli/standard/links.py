"""The link findings: what the stored link checks say about a dataset's links.

``satudata links check`` stores, per URL, the last verdict and the run of failures
(:mod:`satudata_cli.catalogue.links`). This module turns one link of a dataset (its
``link_akses`` or a resource's ``url``) with its URL's current state into findings of
three rules (:data:`LINK_RULES`, registered in :mod:`satudata_cli.standard.ruleset`,
so a profile's ``rules:`` sets their severity or switches them off):

``link.broken`` (default error)
    the URL counts as broken under the two-checks rule (it failed in at least two
    checks at least 20 hours apart; ``unverifiable`` never counts). A link that failed
    once is not a finding yet: one outage at night is not a broken link.
``link.redirected`` (default warning)
    the server answers with a permanent redirect (301/308) to another URL: the
    metadata should name the new one (given as the suggestion).
``link.content-type-mismatch`` (default warning)
    a resource whose format names a data file (CSV, XLSX, JSON, ...) is answered with
    an HTML page (``text/html`` or ``application/xhtml+xml``): a login or landing page.
    Only this case: servers name data files loosely (CSV as ``text/plain`` or
    ``application/octet-stream``), and a finding must be true. A resource whose format
    is itself a web page or an API (:data:`WEB_FORMATS`) is expected to answer HTML.

The same conditions are written in SQL for the compliance score
(:mod:`satudata_cli.catalogue.link_findings`); a test checks that both agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final, Protocol

from satudata_cli.standard.findings import Finding, Message, Severity
from satudata_cli.standard.ruleset import RULES

BROKEN: Final = "link.broken"
REDIRECTED: Final = "link.redirected"
CONTENT_TYPE_MISMATCH: Final = "link.content-type-mismatch"
LINK_RULES: Final = (BROKEN, REDIRECTED, CONTENT_TYPE_MISMATCH)

#: Media types of a web page.
HTML_MEDIA_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
#: Declared formats (lower case, no dot) that are expected to answer with a web page.
WEB_FORMATS: Final = frozenset(
    {
        "html",
        "htm",
        "xhtml",
        "php",
        "asp",
        "aspx",
        "jsp",
        "web",
        "website",
        "webpage",
        "web page",
        "halaman web",
        "situs",
        "url",
        "link",
        "tautan",
        "api",
        "rest",
        "landing page",
        "dashboard",
        "arcgis",
        "wms",
        "wfs",
    }
)


class LinkFacts(Protocol):
    """One link of a dataset with its URL's current state (as
    :class:`satudata_cli.catalogue.links.LinkRow` gives it)."""

    @property
    def kind(self) -> str: ...
    @property
    def resource_position(self) -> int | None: ...
    @property
    def resource_format(self) -> str | None: ...
    @property
    def url(self) -> str: ...
    @property
    def verdict(self) -> str | None: ...
    @property
    def final_url(self) -> str | None: ...
    @property
    def content_type(self) -> str | None: ...
    @property
    def status(self) -> int | None: ...
    @property
    def reason_id(self) -> str | None: ...
    @property
    def reason_en(self) -> str | None: ...
    @property
    def first_failed_at(self) -> str | None: ...
    @property
    def broken(self) -> bool: ...
    @property
    def broken_days(self) -> int | None: ...


def link_path(kind: str, resource_position: int | None) -> str:
    """``$.link_akses`` or ``$.resources[N].url``."""
    if kind == "resource" and resource_position is not None:
        return f"$.resources[{resource_position}].url"
    return "$.link_akses"


def normal_format(declared: str | None) -> str:
    """A declared format as compared: trimmed, without dots around it, lower case."""
    # spaces only, as SQLite's trim() (the score's SQL compares the same way)
    return (declared or "").strip(" ").strip(".").lower()


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip(" ").lower()


def html_instead_of_data(declared_format: str | None, content_type: str | None) -> bool:
    """A data format was declared and the server sends a web page."""
    fmt = normal_format(declared_format)
    return bool(fmt) and fmt not in WEB_FORMATS and media_type(content_type) in HTML_MEDIA_TYPES


def _reason(link: LinkFacts) -> tuple[str, str]:
    parts_id = [f"HTTP {link.status}"] if link.status else []
    parts_en = list(parts_id)
    if link.reason_id:
        parts_id.append(link.reason_id)
    if link.reason_en:
        parts_en.append(link.reason_en)
    return "; ".join(parts_id), "; ".join(parts_en)


def default_severities() -> dict[str, Severity | None]:
    """The registry's severity of each link rule (a profile may override them)."""
    return {rule: RULES[rule].severity for rule in LINK_RULES}


def link_findings(
    link: LinkFacts, severities: Mapping[str, Severity | None] | None = None
) -> Iterator[Finding]:
    """The findings of one link (none for a link that is fine, unverifiable, failed
    only once or never checked). ``severities``: rule -> severity, None switches the
    rule off; default the registry's."""
    chosen = severities if severities is not None else default_severities()
    path = link_path(link.kind, link.resource_position)
    url = link.url
    if link.broken:
        severity = chosen.get(BROKEN)
        if severity is not None:
            why_id, why_en = _reason(link)
            days = link.broken_days if link.broken_days is not None else 0
            since = (link.first_failed_at or "")[:10]
            yield Finding(
                BROKEN,
                severity,
                path,
                Message(
                    f"Tautan {url} rusak sejak {since} ({days} hari)"
                    + (f": {why_id}" if why_id else ""),
                    f"Link {url} broken since {since} ({days} days)"
                    + (f": {why_en}" if why_en else ""),
                ),
            )
    if link.verdict == "redirected-permanently" and link.final_url and link.final_url != url:
        severity = chosen.get(REDIRECTED)
        if severity is not None:
            yield Finding(
                REDIRECTED,
                severity,
                path,
                Message(
                    f"Tautan {url} dialihkan permanen ke {link.final_url}: perbarui metadata",
                    f"Link {url} permanently redirects to {link.final_url}: update the metadata",
                ),
                suggestion=link.final_url,
            )
    if (
        link.kind == "resource"
        and link.verdict in ("ok", "redirected-permanently")
        and html_instead_of_data(link.resource_format, link.content_type)
    ):
        severity = chosen.get(CONTENT_TYPE_MISMATCH)
        if severity is not None:
            declared = (link.resource_format or "").strip()
            shown = media_type(link.content_type)
            yield Finding(
                CONTENT_TYPE_MISMATCH,
                severity,
                path,
                Message(
                    f"Format {declared} dinyatakan, tetapi server mengirim {shown} "
                    "(halaman login atau halaman arahan?)",
                    f"Format {declared} declared, but the server sends {shown} "
                    "(a login or landing page?)",
                ),
            )
