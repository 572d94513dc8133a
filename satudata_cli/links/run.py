"""One run of ``satudata links check``: the katalog's links in, the verdicts stored.

:func:`run_link_check` takes the URLs of the selected active datasets not checked for
``max_age_days`` (:meth:`LinkChecks.targets
<satudata_cli.catalogue.links.LinkChecks.targets>`; a URL given by many datasets is
one URL, fetched once), checks them (:class:`~satudata_cli.links.check.Checker`) and
records each verdict with every place that gives the URL, in batches. The caller holds
the catalogue lock (the CLI does, like ``harvest``).

When the checker finds itself without network, the run is recorded as ``no-network``
with no check at all, and :class:`~satudata_cli.links.errors.NoNetworkError` is
raised: a walidata's own outage must not turn every agency red.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.links import (
    DEFAULT_MAX_AGE_DAYS,
    LinkCheckResult,
    LinkPlace,
    RunStatus,
)
from satudata_cli.core.messages import M
from satudata_cli.links.check import Checker, CheckSettings, LinkOutcome, classify, host_key
from satudata_cli.links.errors import NoNetworkError

__all__ = ["LinkResult", "LinkRunObserver", "LinkRunReport", "LinkRunRequest", "run_link_check"]

#: Verdicts written per catalogue transaction.
BATCH: Final = 500


@dataclass(frozen=True, slots=True)
class LinkRunRequest:
    """What to check and how (the options of ``satudata links check``)."""

    source_ids: tuple[str, ...] | None = None
    organizations: tuple[str, ...] | None = None
    max_age_days: float = DEFAULT_MAX_AGE_DAYS
    dry_run: bool = False
    settings: CheckSettings = field(default_factory=CheckSettings)
    #: keep the result of each URL whose verdict is not ``ok`` in the report (an ``ok``
    #: one is only counted: memory stays flat however many links are ``ok``)
    keep_results: bool = False


class LinkRunObserver(Protocol):
    """Progress callbacks (from the run's thread); the CLI draws them on a terminal."""

    def started(self, urls: int) -> None: ...

    def checked(self, outcome: LinkOutcome) -> None: ...


@dataclass(frozen=True, slots=True)
class LinkResult:
    """One checked URL with how many links (dataset places) give it."""

    outcome: LinkOutcome
    links: int


@dataclass(slots=True)
class LinkRunReport:
    """The end of a run: counts per verdict, and the result of each URL that is not
    ``ok`` when asked for (``keep_results``; every verdict is in the katalog).
    ``status`` ``dry-run``: nothing was fetched or written."""

    run_id: int | None
    status: RunStatus | Literal["dry-run"]
    urls: int
    links: int
    hosts: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    results: list[LinkResult] = field(default_factory=list)


def _stored(outcome: LinkOutcome, places: Sequence[LinkPlace]) -> LinkCheckResult:
    return LinkCheckResult(
        url=outcome.url,
        verdict=outcome.verdict,
        status=outcome.status,
        final_url=outcome.final_url,
        content_type=outcome.content_type,
        content_length=outcome.content_length,
        elapsed_ms=outcome.elapsed_ms,
        reason_id=outcome.reason.id,
        reason_en=outcome.reason.en,
        places=tuple(places),
    )


def run_link_check(
    cat: Catalogue, request: LinkRunRequest, observer: LinkRunObserver | None = None
) -> LinkRunReport:
    """Check the selected links and record the verdicts (see the module)."""
    started = time.monotonic()
    links = cat.link_checks()
    max_age = dt.timedelta(days=request.max_age_days) if request.max_age_days > 0 else None
    targets = links.targets(
        source_ids=request.source_ids, organizations=request.organizations, max_age=max_age
    )
    places = {t.url: t.places for t in targets}
    del targets
    total_links = sum(len(p) for p in places.values())
    if request.dry_run:
        return _dry_run(places, request, total_links, started)
    if observer is not None:
        observer.started(len(places))
    links.interrupt_stale_runs()
    run_id = links.start_run()
    checker = Checker(request.settings)
    pending: list[LinkCheckResult] = []
    counts: Counter[str] = Counter()
    results: list[LinkResult] = []

    def write() -> None:
        if pending:
            links.record(run_id, pending)
            pending.clear()

    def on_outcome(outcome: LinkOutcome) -> None:
        given = places.get(outcome.url, ())
        pending.append(_stored(outcome, given))
        counts[outcome.verdict] += 1
        if request.keep_results and outcome.verdict != "ok":
            results.append(LinkResult(outcome, len(given)))
        if observer is not None:
            observer.checked(outcome)
        if len(pending) >= BATCH:
            write()

    status: RunStatus = "failed"
    try:
        summary = asyncio.run(checker.run(list(places), on_outcome))
        if summary.no_network:
            pending.clear()
            status = "no-network"
            raise NoNetworkError(M.err_links_no_network.format(hosts=summary.hosts))
        write()
        status = "finished"
    except KeyboardInterrupt:
        if checker.proven:
            write()
        status = "interrupted"
        raise
    finally:
        links.finish_run(run_id, status, urls=sum(counts.values()), counters=dict(counts))
    return LinkRunReport(
        run_id=run_id,
        status=status,
        urls=len(places),
        links=total_links,
        hosts=summary.hosts,
        seconds=round(time.monotonic() - started, 3),
        counts=dict(counts),
        results=results,
    )


def _dry_run(
    places: dict[str, tuple[LinkPlace, ...]],
    request: LinkRunRequest,
    total_links: int,
    started: float,
) -> LinkRunReport:
    counts: Counter[str] = Counter()
    hosts: set[str] = set()
    results: list[LinkResult] = []
    for url, given in places.items():
        static = classify(url, allow_private=request.settings.allow_private)
        if static is None:
            counts["to-check"] += 1
            hosts.add(host_key(url.strip()))
            continue
        counts[static.verdict] += 1
        if request.keep_results:
            results.append(LinkResult(static, len(given)))
    return LinkRunReport(
        run_id=None,
        status="dry-run",
        urls=len(places),
        links=total_links,
        hosts=len(hosts),
        seconds=round(time.monotonic() - started, 3),
        counts=dict(counts),
        results=results,
    )
