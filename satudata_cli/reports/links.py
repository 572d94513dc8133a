"""The broken-links report per agency (``satudata report links``), from the stored link
checks (:meth:`Catalogue.link_checks <satudata_cli.catalogue.db.Catalogue.link_checks>`).

A *link* is one place where an active dataset gives a URL: its ``link_akses`` or the
``url`` of one of its resources (a URL given by two datasets is two links, one per
agency that must fix it; it was fetched once). Each link gets one status from its URL's
current state:

``broken``
    broken under the two-checks rule (failed in two checks at least 20 hours apart);
``pending``
    failed, but not yet confirmed by a second check hours later (not counted as broken);
``unverifiable``
    the server would not say (401/403, a WAF challenge, 429, timeouts, persistent 5xx):
    never counted as broken;
``redirected``
    a permanent redirect to another URL (the link works; the metadata should be updated);
``ok``; ``skipped`` (not an http/https URL, or a private address) and ``invalid`` (not a
URL); ``not_checked`` (no check stored yet).

Per agency: links, checked (fetched: ok, broken, pending, unverifiable, redirected),
broken, unverifiable, the share broken (broken / checked), the oldest broken link and
how many days it has been broken.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.link_findings import catalogue_has_link_checks
from satudata_cli.catalogue.links import DEFAULT_BROKEN_AFTER_HOURS, LinkRow
from satudata_cli.catalogue.timestamps import to_iso
from satudata_cli.reports.build import _check_sources as check_sources
from satudata_cli.reports.build import _empty as empty_report
from satudata_cli.reports.build import _reading as reading
from satudata_cli.reports.models import GroupBy, Summary
from satudata_cli.reports.narrative import links_report_summary
from satudata_cli.standard.links import html_instead_of_data, link_path

LinkStatus = Literal[
    "broken", "pending", "unverifiable", "redirected", "ok", "skipped", "invalid", "not_checked"
]
#: The order of the statuses in lists: what needs work first.
STATUS_ORDER: Final[tuple[LinkStatus, ...]] = (
    "broken",
    "pending",
    "unverifiable",
    "redirected",
    "invalid",
    "skipped",
    "not_checked",
    "ok",
)
_FETCHED: Final = frozenset({"broken", "pending", "unverifiable", "redirected", "ok"})


@dataclass(frozen=True, slots=True)
class LinkItem:
    source_id: str
    dataset_id: int
    remote_id: str
    dataset_name: str | None
    dataset_title: str | None
    agency: str | None
    path: str
    url: str
    status: LinkStatus
    http_status: int | None
    final_url: str | None
    content_type: str | None
    content_type_mismatch: bool
    checked_at: str | None
    first_failed_at: str | None
    days_broken: int | None
    reason_id: str | None
    reason_en: str | None


@dataclass(frozen=True, slots=True)
class AgencyLinks:
    name: str | None
    datasets: int
    links: int
    checked: int
    broken: int
    pending: int
    unverifiable: int
    redirected: int
    content_type_mismatch: int
    not_checked: int
    broken_share: float | None
    oldest_broken: LinkItem | None


@dataclass(frozen=True, slots=True)
class LinkRun:
    id: int
    status: str
    started_at: str
    finished_at: str | None


@dataclass(frozen=True, slots=True)
class LinksReport:
    report: Literal["links"]
    generated_at: str
    catalogue: str
    by: str
    sources: list[str]
    scope: Literal["active"]
    broken_after_hours: float
    last_run: LinkRun | None
    overall: AgencyLinks
    agencies: list[AgencyLinks]
    links: list[LinkItem]
    #: the summary in words that opens the report (narrative.links_report_summary)
    summary: Summary | None = None


def _status(row: LinkRow) -> LinkStatus:
    if row.verdict is None:
        return "not_checked"
    if row.broken:
        return "broken"
    if row.verdict == "broken":
        return "pending"
    if row.verdict == "redirected-permanently":
        return "redirected"
    return row.verdict  # ok, unverifiable, skipped, invalid


def _agency(by: GroupBy, row: LinkRow) -> str | None:
    if by is GroupBy.organization:
        return row.organization
    if by is GroupBy.produsen_data:
        return row.produsen_data
    if by is GroupBy.pilar:
        return row.pilar
    return row.source_id


def _item(row: LinkRow, agency: str | None) -> LinkItem:
    status = _status(row)
    return LinkItem(
        source_id=row.source_id,
        dataset_id=row.dataset_id,
        remote_id=row.remote_id,
        dataset_name=row.dataset_name,
        dataset_title=row.dataset_title,
        agency=agency,
        path=link_path(row.kind, row.resource_position),
        url=row.url,
        status=status,
        http_status=row.status,
        final_url=row.final_url,
        content_type=row.content_type,
        content_type_mismatch=(
            row.kind == "resource"
            and row.verdict in ("ok", "redirected-permanently")
            and html_instead_of_data(row.resource_format, row.content_type)
        ),
        checked_at=row.checked_at,
        first_failed_at=row.first_failed_at if status in ("broken", "pending") else None,
        days_broken=row.broken_days,
        reason_id=row.reason_id,
        reason_en=row.reason_en,
    )


def _oldest_first(item: LinkItem) -> tuple[str, str, int]:
    return (item.first_failed_at or "", item.url, item.dataset_id)


def agency_links(name: str | None, items: Sequence[LinkItem]) -> AgencyLinks:
    """The counts of one agency (or of the whole scope) from its links."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.status] += 1
    checked = sum(counts[s] for s in _FETCHED)
    broken = sorted((i for i in items if i.status == "broken"), key=_oldest_first)
    return AgencyLinks(
        name=name,
        datasets=len({i.dataset_id for i in items}),
        links=len(items),
        checked=checked,
        broken=counts["broken"],
        pending=counts["pending"],
        unverifiable=counts["unverifiable"],
        redirected=counts["redirected"],
        content_type_mismatch=sum(1 for i in items if i.content_type_mismatch),
        not_checked=counts["not_checked"],
        broken_share=round(counts["broken"] / checked, 4) if checked else None,
        oldest_broken=broken[0] if broken else None,
    )


def links_report(
    cat: Catalogue,
    *,
    by: GroupBy = GroupBy.organization,
    source_ids: Sequence[str] | None = None,
    now: datetime,
    broken_after_hours: float = DEFAULT_BROKEN_AFTER_HOURS,
) -> LinksReport:
    """Per agency: links, checked, broken, unverifiable, share broken, the oldest broken
    link; every link with its status (broken first, the oldest first)."""
    with reading(cat):
        sources = check_sources(cat, source_ids)
        scope = sources if source_ids else None
        checks = cat.link_checks()
        items = [
            _item(row, _agency(by, row))
            for row in checks.links(
                source_ids=scope, broken_after_hours=broken_after_hours, now=now
            )
        ]
        run = checks.last_run()
    if not items:
        raise empty_report(cat, source_ids or [])
    groups: dict[str | None, list[LinkItem]] = defaultdict(list)
    for item in items:
        groups[item.agency].append(item)
    agencies = [agency_links(name, group) for name, group in groups.items()]
    agencies.sort(
        key=lambda a: (-a.broken, -(a.broken_share or 0), a.name is None, (a.name or "").casefold())
    )
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    items.sort(key=lambda i: (rank[i.status], *_oldest_first(i)))
    report = LinksReport(
        report="links",
        generated_at=to_iso(now),
        catalogue=str(cat.path),
        by=by.value,
        sources=sources,
        scope="active",
        broken_after_hours=broken_after_hours,
        last_run=(LinkRun(run.id, run.status, run.started_at, run.finished_at) if run else None),
        overall=agency_links(None, items),
        agencies=agencies,
        links=items,
    )
    return replace(report, summary=links_report_summary(report))


def links_summary(
    cat: Catalogue,
    *,
    by: GroupBy = GroupBy.organization,
    source_ids: Sequence[str] | None = None,
    now: datetime,
) -> LinksReport | None:
    """The links report for the compliance page's optional section: None when no link
    of the scope was ever checked."""
    with reading(cat):
        if not catalogue_has_link_checks(cat):
            return None
    report = links_report(cat, by=by, source_ids=source_ids, now=now)
    return report if report.overall.checked or report.overall.broken else None
