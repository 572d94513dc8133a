"""Link checking (issue 13): ``satudata links check``.

A pipeline-level stage: :mod:`satudata_cli.links.check` decides the verdict of each
URL (asyncio and httpx, per-host limits, no private addresses:
:mod:`satudata_cli.links.net`), :mod:`satudata_cli.links.run` takes the URLs to check
from the katalog and records the verdicts there
(:mod:`satudata_cli.catalogue.links`). See docs/links.md.
"""

from __future__ import annotations

from satudata_cli.links.check import (
    USER_AGENT,
    Checker,
    CheckSettings,
    CheckSummary,
    LinkOutcome,
    classify,
)
from satudata_cli.links.errors import LinkCheckError, NoNetworkError
from satudata_cli.links.run import LinkRunObserver, LinkRunReport, LinkRunRequest, run_link_check

__all__ = [
    "USER_AGENT",
    "CheckSettings",
    "CheckSummary",
    "Checker",
    "LinkCheckError",
    "LinkOutcome",
    "LinkRunObserver",
    "LinkRunReport",
    "LinkRunRequest",
    "NoNetworkError",
    "classify",
    "run_link_check",
]
