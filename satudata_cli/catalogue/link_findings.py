"""The link findings of the katalog's datasets, read from the stored link checks.

On top of the link-check storage (:mod:`satudata_cli.catalogue.links`): the findings
of one dataset or of all (built by :func:`satudata_cli.standard.links.link_findings`),
and the same findings as SQL for the compliance score (:func:`link_totals_sql`): per
active dataset the points its link findings cost and how many are errors and warnings,
so that the score of the reports and of the per-harvest snapshots
(:mod:`satudata_cli.catalogue.compliance`) counts them in one query.

The SQL repeats the conditions of :mod:`satudata_cli.standard.links` (the two-checks
rule, a permanent redirect to another URL, a web page for a data format):
``tests/cli/test_report_links.py`` checks that the points of the SQL equal those of
the findings, link by link.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from satudata_cli.catalogue.links import _LINKS_SQL, DEFAULT_BROKEN_AFTER_HOURS
from satudata_cli.catalogue.models import DatasetDetail, StoredFinding
from satudata_cli.catalogue.rows import scalar
from satudata_cli.standard.findings import Finding, Severity
from satudata_cli.standard.links import (
    BROKEN,
    CONTENT_TYPE_MISMATCH,
    HTML_MEDIA_TYPES,
    REDIRECTED,
    WEB_FORMATS,
    default_severities,
    link_findings,
)
from satudata_cli.standard.scoring import finding_points

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue

Severities = Mapping[str, Severity | None]


def has_link_checks(conn: sqlite3.Connection) -> bool:
    """Whether any URL has a stored state (else no link finding can exist)."""
    return bool(scalar(conn, "SELECT EXISTS (SELECT 1 FROM link_state)"))


def catalogue_has_link_checks(cat: Catalogue) -> bool:
    """:func:`has_link_checks` of an open catalogue."""
    return has_link_checks(cat.conn)


def _text_list(values: frozenset[str]) -> str:
    """An SQL list of text literals from the module's own constants."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


_FORMAT: Final = "lower(trim(trim(coalesce(l.resource_format, '')), '.'))"
_MEDIA: Final = (
    "lower(trim(CASE WHEN instr(coalesce(s.content_type, ''), ';') > 0 "
    "THEN substr(s.content_type, 1, instr(s.content_type, ';') - 1) "
    "ELSE coalesce(s.content_type, '') END))"
)


def _conditions(hours: float) -> dict[str, str]:
    milliseconds = round(hours * 3_600_000)
    return {
        BROKEN: (
            "(s.verdict = 'broken' AND s.failures >= 2 AND s.first_failed_at IS NOT NULL "
            "AND s.last_failed_at IS NOT NULL AND round((julianday(s.last_failed_at) - "
            f"julianday(s.first_failed_at)) * 86400000) >= {milliseconds})"
        ),
        REDIRECTED: (
            "(s.verdict = 'redirected-permanently' AND coalesce(s.final_url, '') != '' "
            "AND s.final_url != l.url)"
        ),
        CONTENT_TYPE_MISMATCH: (
            "(l.kind = 'resource' AND (s.verdict = 'ok' OR s.verdict = "
            f"'redirected-permanently') AND {_FORMAT} != '' AND {_FORMAT} NOT IN "
            f"({_text_list(WEB_FORMATS)}) AND {_MEDIA} IN ({_text_list(HTML_MEDIA_TYPES)}))"
        ),
    }


def link_totals_sql(
    *,
    hours: float = DEFAULT_BROKEN_AFTER_HOURS,
    severities: Severities | None = None,
    where: str = "",
) -> str:
    """A query of ``dataset_id, points, errors, warnings``: per active dataset with a
    link finding, the points they cost (:func:`finding_points`) and how many are errors
    and warnings. ``where`` filters the datasets (alias ``d``); it appears twice, so a
    placeholder in it is bound twice."""
    chosen = severities if severities is not None else default_severities()
    points: list[str] = []
    errors: list[str] = []
    warnings: list[str] = []
    for rule, condition in _conditions(hours).items():
        severity = chosen.get(rule)
        if severity is None:
            continue
        points.append(f"CASE WHEN {condition} THEN {finding_points(rule, severity)} ELSE 0 END")
        if severity is Severity.ERROR:
            errors.append(f"CASE WHEN {condition} THEN 1 ELSE 0 END")
        elif severity is Severity.WARNING:
            warnings.append(f"CASE WHEN {condition} THEN 1 ELSE 0 END")
    return (
        "SELECT dataset_id, sum(points) AS points, sum(errors) AS errors, "  # noqa: S608
        "sum(warnings) AS warnings FROM (SELECT l.dataset_id AS dataset_id, "
        f"{' + '.join(points) or '0'} AS points, {' + '.join(errors) or '0'} AS errors, "
        f"{' + '.join(warnings) or '0'} AS warnings "
        f"FROM ({_LINKS_SQL.format(where=where)}) l JOIN link_state s ON s.url = l.url) "
        "GROUP BY dataset_id HAVING sum(points) > 0 OR sum(errors) > 0 OR sum(warnings) > 0"
    )


def findings_by_dataset(
    cat: Catalogue,
    *,
    source_ids: Sequence[str] | None = None,
    hours: float = DEFAULT_BROKEN_AFTER_HOURS,
    severities: Severities | None = None,
) -> dict[int, list[Finding]]:
    """The link findings of the active datasets (only those with one)."""
    out: dict[int, list[Finding]] = defaultdict(list)
    if not has_link_checks(cat.conn):
        return out
    for link in cat.link_checks().links(
        source_ids=list(source_ids) if source_ids else None, broken_after_hours=hours
    ):
        if link.verdict is None:
            continue
        found = list(link_findings(link, severities))
        if found:
            out[link.dataset_id].extend(found)
    return out


def with_link_findings(cat: Catalogue, detail: DatasetDetail) -> DatasetDetail:
    """``detail`` with its dataset's link findings after the stored findings (for
    ``catalog show``)."""
    found = findings_by_dataset(cat, source_ids=[detail.dataset.source_id]).get(
        detail.dataset.id, []
    )
    if not found:
        return detail
    extra = [
        StoredFinding(f.rule, f.severity.value, f.path, f.message.id, f.message.en, f.suggestion)
        for f in found
    ]
    return dataclasses.replace(detail, findings=[*detail.findings, *extra])


def source_filter(source_ids: Sequence[str] | None) -> tuple[str, list[str]]:
    """A ``where`` for :func:`link_totals_sql` limiting it to ``source_ids`` (and its
    parameters, once per appearance)."""
    if source_ids is None:
        return "", []
    value = json.dumps(list(source_ids))
    return "AND d.source_id IN (SELECT value FROM json_each(?))", [value, value]
