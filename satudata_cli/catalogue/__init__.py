"""The local catalogue: every source's dataset metadata in one SQLite file.

This package stores and queries; it does not fetch (``sources``), validate
(``standard``) or print (``cli``); no SQL runs outside it. The harvest engine
(:mod:`satudata_cli.pipeline.harvest`) uses it like this::

    with Catalogue.open(path) as cat:
        cat.interrupt_stale_jobs()
        cat.upsert_source(src.id, src.title, src.type, src.url, config_hash)
        job = cat.start_job(src.id, full=True)
        try:
            with cat.writer(job) as writer:
                for remote_id, record, result in records:
                    writer.put(remote_id, record, result, remote_modified=...)
            outcome = cat.withdraw_missing(job, src.id, writer.seen, grace_days=7,
                                           max_fraction=0.2)
            cat.finish_job(job, "finished", notes=outcome.reason)
        except KeyboardInterrupt:
            cat.finish_job(job, "interrupted")
            raise
"""

from __future__ import annotations

from satudata_cli.catalogue.db import Catalogue, process_alive
from satudata_cli.catalogue.errors import CatalogueError, CatalogueLockedError
from satudata_cli.catalogue.hashing import canonical_json, content_hash, findings_hash
from satudata_cli.catalogue.links import (
    LinkCheckResult,
    LinkChecks,
    LinkPlace,
    LinkRow,
    LinkRunInfo,
    LinkTarget,
    UrlState,
)
from satudata_cli.catalogue.models import (
    CatalogueStats,
    DatasetDetail,
    DatasetState,
    DatasetSummary,
    EventInfo,
    JobDetail,
    JobInfo,
    PruneResult,
    ResourceInfo,
    SourceInfo,
    SourceStats,
    StoredFinding,
    WithdrawOutcome,
)
from satudata_cli.catalogue.publish_state import PublishState, StateRow
from satudata_cli.catalogue.schema import SCHEMA_VERSION
from satudata_cli.catalogue.writer import JobWriter

__all__ = [
    "SCHEMA_VERSION",
    "Catalogue",
    "CatalogueError",
    "CatalogueLockedError",
    "CatalogueStats",
    "DatasetDetail",
    "DatasetState",
    "DatasetSummary",
    "EventInfo",
    "JobDetail",
    "JobInfo",
    "JobWriter",
    "LinkCheckResult",
    "LinkChecks",
    "LinkPlace",
    "LinkRow",
    "LinkRunInfo",
    "LinkTarget",
    "PruneResult",
    "PublishState",
    "ResourceInfo",
    "SourceInfo",
    "SourceStats",
    "StateRow",
    "StoredFinding",
    "UrlState",
    "WithdrawOutcome",
    "canonical_json",
    "content_hash",
    "findings_hash",
    "process_alive",
]
