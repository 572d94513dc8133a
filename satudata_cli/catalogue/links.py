"""Link checks in the catalogue (tables ``link_runs``, ``link_checks``, ``link_state``).

What ``satudata links check`` (:mod:`satudata_cli.links`) writes and what the link
reports, findings and score read. Obtain it with :meth:`Catalogue.link_checks
<satudata_cli.catalogue.db.Catalogue.link_checks>`.

The links of a dataset are its ``link_akses`` (from the stored record) and the ``url``
of each of its resources (table ``resources``). A URL given by many datasets is one
URL: it is fetched once per run and has one current state; the history keeps one row
per run, URL and place that gives it (:class:`LinkPlace`), so what was checked for
which dataset can be read back after the datasets changed.

Tables:

``link_runs``
    one row per run: ``status`` (``running``, ``finished``, ``interrupted``,
    ``failed``, ``no-network``: the checker found itself without network and marked
    nothing), times, number of URLs, counters per verdict (JSON), pid and host.
``link_checks``
    the history: per run, URL and place, the verdict, HTTP status, final URL, content
    type and length, elapsed milliseconds and the short reason in both languages.
``link_state``
    the current state per URL: the last check's fields, plus ``first_failed_at`` and
    ``last_failed_at`` (the first and the latest ``broken`` verdict of the current run
    of failures), ``failures`` (how many ``broken`` verdicts in that run of failures)
    and ``last_ok_at``. An ``ok`` or ``redirected-permanently`` verdict ends a run of
    failures (they are reset); ``unverifiable``, ``skipped`` and ``invalid`` leave it
    as it is (they neither confirm nor refute that the link is dead).

Broken in reports (:attr:`LinkRow.broken`, :func:`is_confirmed_broken`): the last
verdict is ``broken`` and the URL failed in at least two checks at least ``N`` hours
apart (``first_failed_at`` .. ``last_failed_at``; default
:data:`DEFAULT_BROKEN_AFTER_HOURS`, a parameter of the read functions so a profile or
option can change it without rewriting rows). ``unverifiable`` is never broken.

Retention: the history goes like the harvest jobs' (:meth:`Catalogue.prune
<satudata_cli.catalogue.db.Catalogue.prune>`, ``satudata jobs prune``): runs that
started before the cutoff and are not running are deleted with their checks; the
current state per URL stays.

Writing is done in the main thread of the run (one transaction per batch of results,
:meth:`LinkChecks.record`), so a run that stops half-way keeps what it checked, and the
next run with ``--max-age`` continues where it stopped.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from satudata_cli.catalogue.rows import fields_from_row, named, scalar
from satudata_cli.catalogue.timestamps import as_utc, from_iso, to_iso
from satudata_cli.core.messages import M

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue

__all__ = [
    "DEFAULT_BROKEN_AFTER_HOURS",
    "DEFAULT_MAX_AGE_DAYS",
    "RUN_STATUSES",
    "VERDICTS",
    "CheckRow",
    "LinkCheckResult",
    "LinkChecks",
    "LinkPlace",
    "LinkRow",
    "LinkRunInfo",
    "LinkTarget",
    "RunStatus",
    "UrlState",
    "Verdict",
    "is_confirmed_broken",
    "prune_link_runs",
]

#: What a check concluded. ``ok``, ``broken``, ``unverifiable`` and
#: ``redirected-permanently`` as issue 13 defines them; ``skipped``: not fetched (a
#: scheme other than http/https, or a private address without ``--allow-private``);
#: ``invalid``: the text is not a URL (a finding, never a request).
Verdict = Literal["ok", "broken", "unverifiable", "redirected-permanently", "skipped", "invalid"]
VERDICTS: Final[tuple[Verdict, ...]] = get_args(Verdict)

RunStatus = Literal["running", "finished", "interrupted", "failed", "no-network"]
RUN_STATUSES: Final[tuple[RunStatus, ...]] = get_args(RunStatus)

#: A link counts as broken after failing in two checks at least this many hours apart.
DEFAULT_BROKEN_AFTER_HOURS: Final = 20.0
#: ``links check`` does not check again a URL checked less than this many days ago.
DEFAULT_MAX_AGE_DAYS: Final = 7.0

_RESETS_FAILURES: Final = frozenset({"ok", "redirected-permanently"})


@dataclass(frozen=True, slots=True)
class LinkPlace:
    """Where a URL is given: a dataset's ``link_akses`` (``resource_position`` None) or
    its resource number ``resource_position`` (0-based, as in the record)."""

    dataset_id: int
    resource_id: int | None = None
    resource_position: int | None = None


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A URL to check, with every place of the selected active datasets that gives it,
    and when it was last checked (None: never)."""

    url: str
    places: tuple[LinkPlace, ...]
    checked_at: str | None


@dataclass(frozen=True, slots=True)
class LinkCheckResult:
    """The outcome of checking one URL once (what the checker hands to :meth:`record`).

    ``reason_id``/``reason_en``: the short reason in Indonesian and English.
    ``checked_at`` None: the catalogue's clock at the time of writing.
    """

    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    content_length: int | None = None
    elapsed_ms: int | None = None
    reason_id: str | None = None
    reason_en: str | None = None
    checked_at: str | None = None
    places: tuple[LinkPlace, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkRunInfo:
    """One run of ``satudata links check``."""

    id: int
    status: RunStatus
    started_at: str
    finished_at: str | None
    urls: int
    counters: dict[str, int]
    notes: str | None


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One row of the history (``link_checks``)."""

    id: int
    run_id: int
    url: str
    dataset_id: int | None
    resource_id: int | None
    resource_position: int | None
    checked_at: str
    verdict: Verdict
    status: int | None
    final_url: str | None
    content_type: str | None
    content_length: int | None
    elapsed_ms: int | None
    reason_id: str | None
    reason_en: str | None


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One link of an active dataset with the current state of its URL (what the link
    report, findings and score read).

    ``kind`` is ``link_akses`` or ``resource`` (then ``resource_*`` say which one and
    ``resource_format`` is the format the metadata declares, to compare with
    ``content_type``). The check fields are None when the URL was never checked
    (``verdict`` None). ``broken`` applies the two-checks rule with the hours the
    read function was given; ``broken_days`` is the whole days since
    ``first_failed_at`` when ``broken``, else None.
    """

    source_id: str
    organization: str | None
    produsen_data: str | None
    pilar: str | None
    dataset_id: int
    dataset_name: str | None
    dataset_title: str | None
    remote_id: str
    kind: Literal["link_akses", "resource"]
    resource_id: int | None
    resource_position: int | None
    resource_name: str | None
    resource_format: str | None
    url: str
    verdict: Verdict | None
    checked_at: str | None
    status: int | None
    final_url: str | None
    content_type: str | None
    content_length: int | None
    elapsed_ms: int | None
    reason_id: str | None
    reason_en: str | None
    first_failed_at: str | None
    last_failed_at: str | None
    last_ok_at: str | None
    failures: int
    broken: bool = False
    broken_days: int | None = None


@dataclass(frozen=True, slots=True)
class UrlState:
    """The current state of one URL (``link_state``), with the two-checks rule applied
    (``broken``) for the hours the read function was given."""

    url: str
    checked_at: str
    run_id: int | None
    verdict: Verdict
    status: int | None
    final_url: str | None
    content_type: str | None
    content_length: int | None
    elapsed_ms: int | None
    reason_id: str | None
    reason_en: str | None
    first_failed_at: str | None
    last_failed_at: str | None
    last_ok_at: str | None
    failures: int
    broken: bool


def is_confirmed_broken(
    verdict: str | None,
    failures: int,
    first_failed_at: str | None,
    last_failed_at: str | None,
    hours: float = DEFAULT_BROKEN_AFTER_HOURS,
) -> bool:
    """The two-checks rule: last verdict ``broken``, at least two failures, the first
    and the latest at least ``hours`` apart. ``unverifiable`` is never broken."""
    if verdict != "broken" or failures < 2 or not first_failed_at or not last_failed_at:
        return False
    apart = from_iso(last_failed_at) - from_iso(first_failed_at)
    return apart >= dt.timedelta(hours=hours)


# The links of active datasets: link_akses from the record, then each resource's url.
# ``{where}`` filters datasets (alias d); both halves give the same columns.
_LINKS_SQL = """
SELECT d.id AS dataset_id, d.source_id, d.organization, d.produsen_data, d.pilar,
    d.name AS dataset_name, d.title AS dataset_title, d.remote_id,
    'link_akses' AS kind, NULL AS resource_id, NULL AS resource_position,
    NULL AS resource_name, NULL AS resource_format,
    trim(json_extract(d.record, '$.link_akses')) AS url
FROM datasets d
WHERE d.status = 'active' AND json_type(d.record, '$.link_akses') = 'text'
    AND trim(json_extract(d.record, '$.link_akses')) != '' {where}
UNION ALL
SELECT d.id, d.source_id, d.organization, d.produsen_data, d.pilar, d.name, d.title,
    d.remote_id, 'resource', r.id, r.position, r.name, r.format, trim(r.url)
FROM datasets d JOIN resources r ON r.dataset_id = d.id
WHERE d.status = 'active' AND r.url IS NOT NULL AND trim(r.url) != '' {where}
"""

_STATE_COLUMNS = (
    "verdict, checked_at, status, final_url, content_type, content_length, elapsed_ms, "
    "reason_id, reason_en, first_failed_at, last_failed_at, last_ok_at, failures"
)

_INSERT_CHECK = (
    "INSERT INTO link_checks (run_id, url, dataset_id, resource_id, resource_position, "
    "checked_at, verdict, status, final_url, content_type, content_length, elapsed_ms, "
    "reason_id, reason_en) VALUES (:run, :url, :dataset, :resource, :position, :at, "
    ":verdict, :status, :final_url, :content_type, :content_length, :elapsed_ms, "
    ":reason_id, :reason_en)"
)

# the current state: a 'broken' verdict starts or extends the run of failures; 'ok'
# and 'redirected-permanently' end it; the other verdicts leave it as it is
_UPSERT_STATE = """
INSERT INTO link_state (url, checked_at, run_id, verdict, status, final_url, content_type,
    content_length, elapsed_ms, reason_id, reason_en, first_failed_at, last_failed_at,
    last_ok_at, failures)
VALUES (:url, :at, :run, :verdict, :status, :final_url, :content_type, :content_length,
    :elapsed_ms, :reason_id, :reason_en,
    CASE WHEN :verdict = 'broken' THEN :at END,
    CASE WHEN :verdict = 'broken' THEN :at END,
    CASE WHEN :resets THEN :at END,
    CASE WHEN :verdict = 'broken' THEN 1 ELSE 0 END)
ON CONFLICT (url) DO UPDATE SET
    checked_at = excluded.checked_at, run_id = excluded.run_id, verdict = excluded.verdict,
    status = excluded.status, final_url = excluded.final_url,
    content_type = excluded.content_type, content_length = excluded.content_length,
    elapsed_ms = excluded.elapsed_ms, reason_id = excluded.reason_id,
    reason_en = excluded.reason_en,
    first_failed_at = CASE WHEN :verdict = 'broken'
        THEN coalesce(first_failed_at, excluded.checked_at)
        WHEN :resets THEN NULL ELSE first_failed_at END,
    last_failed_at = CASE WHEN :verdict = 'broken' THEN excluded.checked_at
        WHEN :resets THEN NULL ELSE last_failed_at END,
    last_ok_at = CASE WHEN :resets THEN excluded.checked_at ELSE last_ok_at END,
    failures = CASE WHEN :verdict = 'broken' THEN failures + 1
        WHEN :resets THEN 0 ELSE failures END
"""


def _filters(
    source_ids: Sequence[str] | None, organizations: Sequence[str] | None
) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if source_ids is not None:
        clauses.append("AND d.source_id IN (SELECT value FROM json_each(:sources))")
        params["sources"] = json.dumps(list(source_ids))
    if organizations is not None:
        clauses.append("AND d.organization IN (SELECT value FROM json_each(:orgs))")
        params["orgs"] = json.dumps(list(organizations))
    return " ".join(clauses), params


class LinkChecks:
    """Reads and writes the link tables of one catalogue (main thread only)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    # ------------------------------------------------------------------ runs

    def start_run(self) -> int:
        """A new run (``running``); its id."""
        cat = self.catalogue
        with cat._guard(M.act_link_write), cat._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO link_runs (status, started_at, pid, hostname) "
                "VALUES ('running', ?, ?, ?)",
                (cat._now_iso(), os.getpid(), socket.gethostname()),
            )
            run_id = cursor.lastrowid
        assert run_id is not None
        return run_id

    def finish_run(
        self,
        run_id: int,
        status: RunStatus,
        *,
        urls: int = 0,
        counters: Mapping[str, int] | None = None,
        notes: str | None = None,
    ) -> None:
        """End a run with its status, number of URLs checked and counters per verdict."""
        if status not in RUN_STATUSES or status == "running":
            raise ValueError(f"not a final run status: {status!r}")
        cat = self.catalogue
        with cat._guard(M.act_link_write), cat._transaction() as conn:
            conn.execute(
                "UPDATE link_runs SET status = ?, finished_at = ?, urls = ?, counters = ?, "
                "notes = ? WHERE id = ?",
                (
                    status,
                    cat._now_iso(),
                    urls,
                    json.dumps(dict(counters or {}), sort_keys=True),
                    notes,
                    run_id,
                ),
            )

    def discard_run(self, run_id: int) -> None:
        """Delete a run and its checks, and restore nothing else: for a run that found
        itself without network before it recorded anything (it marks nothing)."""
        cat = self.catalogue
        with cat._guard(M.act_link_write), cat._transaction() as conn:
            conn.execute("DELETE FROM link_checks WHERE run_id = ?", (run_id,))
            conn.execute("DELETE FROM link_runs WHERE id = ?", (run_id,))

    def runs(self, limit: int | None = 20) -> list[LinkRunInfo]:
        """Runs, newest first."""
        with self.catalogue._guard(M.act_link_read):
            cursor = named(
                self.catalogue.conn,
                "SELECT id, status, started_at, finished_at, urls, counters, notes "
                "FROM link_runs ORDER BY started_at DESC, id DESC LIMIT ?",
                (-1 if limit is None else limit,),
            )
            return [
                fields_from_row(LinkRunInfo, row, counters=json.loads(row["counters"] or "{}"))
                for row in cursor
            ]

    def last_run(self) -> LinkRunInfo | None:
        """The newest run that ended (``finished`` or ``interrupted``), if any."""
        with self.catalogue._guard(M.act_link_read):
            row = named(
                self.catalogue.conn,
                "SELECT id, status, started_at, finished_at, urls, counters, notes "
                "FROM link_runs WHERE status = 'finished' OR status = 'interrupted' "
                "ORDER BY started_at DESC, id DESC LIMIT 1",
            ).fetchone()
        if row is None:
            return None
        return fields_from_row(LinkRunInfo, row, counters=json.loads(row["counters"] or "{}"))

    def interrupt_stale_runs(self) -> int:
        """Mark ``running`` runs as ``interrupted`` (call under the catalogue lock: no
        other run can be going on); how many."""
        cat = self.catalogue
        with cat._guard(M.act_link_write), cat._transaction() as conn:
            return conn.execute(
                "UPDATE link_runs SET status = 'interrupted', finished_at = ? "
                "WHERE status = 'running'",
                (cat._now_iso(),),
            ).rowcount

    # ---------------------------------------------------------------- writing

    def record(self, run_id: int, results: Sequence[LinkCheckResult]) -> None:
        """Write checked URLs in one transaction: a history row per place (one row
        without a dataset when the result has no place) and the URL's current state."""
        if not results:
            return
        cat = self.catalogue
        now = cat._now_iso()
        checks: list[dict[str, Any]] = []
        states: list[dict[str, Any]] = []
        for result in results:
            if result.verdict not in VERDICTS:
                raise ValueError(f"not a verdict: {result.verdict!r}")
            at = result.checked_at or now
            common: dict[str, Any] = {
                "run": run_id,
                "url": result.url,
                "at": at,
                "verdict": result.verdict,
                "status": result.status,
                "final_url": result.final_url,
                "content_type": result.content_type,
                "content_length": result.content_length,
                "elapsed_ms": result.elapsed_ms,
                "reason_id": result.reason_id,
                "reason_en": result.reason_en,
            }
            for place in result.places or (None,):
                checks.append(
                    common
                    | {
                        "dataset": place.dataset_id if place else None,
                        "resource": place.resource_id if place else None,
                        "position": place.resource_position if place else None,
                    }
                )
            states.append(common | {"resets": result.verdict in _RESETS_FAILURES})
        with cat._guard(M.act_link_write), cat._transaction() as conn:
            conn.executemany(_INSERT_CHECK, checks)
            conn.executemany(_UPSERT_STATE, states)

    # ---------------------------------------------------------------- reading

    def targets(
        self,
        *,
        source_ids: Sequence[str] | None = None,
        organizations: Sequence[str] | None = None,
        max_age: dt.timedelta | None = dt.timedelta(days=DEFAULT_MAX_AGE_DAYS),
        now: dt.datetime | None = None,
    ) -> list[LinkTarget]:
        """The URLs to check: every distinct link of the selected active datasets not
        checked since ``now - max_age`` (``max_age`` None or zero: all), ordered by
        URL, each with the places that give it."""
        where, params = _filters(source_ids, organizations)
        check_all = max_age is None or max_age <= dt.timedelta(0)
        cutoff = None
        if not check_all:
            assert max_age is not None
            cutoff = to_iso(as_utc(now or self.catalogue.now()) - max_age)
        sql = (
            f"SELECT l.url, l.dataset_id, l.resource_id, l.resource_position, "  # noqa: S608
            f"s.checked_at FROM ({_LINKS_SQL.format(where=where)}) l "
            "LEFT JOIN link_state s ON s.url = l.url "
            "WHERE (:cutoff IS NULL OR s.checked_at IS NULL OR s.checked_at < :cutoff) "
            "ORDER BY l.url, l.dataset_id, l.resource_position"
        )
        params["cutoff"] = cutoff
        targets: list[LinkTarget] = []
        with self.catalogue._guard(M.act_link_read):
            url: str | None = None
            places: list[LinkPlace] = []
            checked_at: str | None = None
            for row in named(self.catalogue.conn, sql, params):
                if row["url"] != url:
                    if url is not None:
                        targets.append(LinkTarget(url, tuple(places), checked_at))
                    url, places, checked_at = row["url"], [], row["checked_at"]
                places.append(
                    LinkPlace(row["dataset_id"], row["resource_id"], row["resource_position"])
                )
            if url is not None:
                targets.append(LinkTarget(url, tuple(places), checked_at))
        return targets

    def links(
        self,
        *,
        source_ids: Sequence[str] | None = None,
        organizations: Sequence[str] | None = None,
        broken_after_hours: float = DEFAULT_BROKEN_AFTER_HOURS,
        now: dt.datetime | None = None,
    ) -> Iterator[LinkRow]:
        """Every link of the selected active datasets with its URL's current state,
        ordered by source, organization, dataset name and place, streamed."""
        where, params = _filters(source_ids, organizations)
        sql = (
            f"SELECT l.*, {', '.join('s.' + c for c in _STATE_COLUMNS.split(', '))} "  # noqa: S608
            f"FROM ({_LINKS_SQL.format(where=where)}) l "
            "LEFT JOIN link_state s ON s.url = l.url "
            "ORDER BY l.source_id, l.organization, l.dataset_name, l.dataset_id, "
            "l.kind, l.resource_position"
        )
        current = as_utc(now or self.catalogue.now())
        with self.catalogue._guard(M.act_link_read):
            for row in named(self.catalogue.conn, sql, params):
                failures = row["failures"] or 0
                broken = is_confirmed_broken(
                    row["verdict"],
                    failures,
                    row["first_failed_at"],
                    row["last_failed_at"],
                    broken_after_hours,
                )
                days = (current - from_iso(row["first_failed_at"])).days if broken else None
                yield fields_from_row(
                    LinkRow, row, failures=failures, broken=broken, broken_days=days
                )

    def state(
        self, url: str, *, broken_after_hours: float = DEFAULT_BROKEN_AFTER_HOURS
    ) -> UrlState | None:
        """The current state of one URL (None: never checked)."""
        with self.catalogue._guard(M.act_link_read):
            row = named(
                self.catalogue.conn,
                "SELECT url, checked_at, run_id, verdict, status, final_url, content_type, "
                "content_length, elapsed_ms, reason_id, reason_en, first_failed_at, "
                "last_failed_at, last_ok_at, failures FROM link_state WHERE url = ?",
                (url,),
            ).fetchone()
        if row is None:
            return None
        broken = is_confirmed_broken(
            row["verdict"],
            row["failures"],
            row["first_failed_at"],
            row["last_failed_at"],
            broken_after_hours,
        )
        return fields_from_row(UrlState, row, broken=broken)

    def history(self, url: str, limit: int | None = None) -> list[CheckRow]:
        """The checks of one URL, newest first."""
        with self.catalogue._guard(M.act_link_read):
            cursor = named(
                self.catalogue.conn,
                "SELECT id, run_id, url, dataset_id, resource_id, resource_position, "
                "checked_at, verdict, status, final_url, content_type, content_length, "
                "elapsed_ms, reason_id, reason_en FROM link_checks WHERE url = ? "
                "ORDER BY checked_at DESC, id DESC LIMIT ?",
                (url, -1 if limit is None else limit),
            )
            return [fields_from_row(CheckRow, row) for row in cursor]

    def count_checks(self) -> int:
        """Rows in the history."""
        with self.catalogue._guard(M.act_link_read):
            return int(scalar(self.catalogue.conn, "SELECT count(*) FROM link_checks"))


def prune_link_runs(conn: sqlite3.Connection, cutoff: str) -> tuple[int, int]:
    """Delete runs started before ``cutoff`` (not running) and their checks, in the
    caller's transaction; ``(runs, checks)`` deleted."""
    old = "SELECT id FROM link_runs WHERE started_at < ? AND status != 'running'"
    checks = conn.execute(
        f"DELETE FROM link_checks WHERE run_id IN ({old})",  # noqa: S608
        (cutoff,),
    ).rowcount
    runs = conn.execute(
        "DELETE FROM link_runs WHERE started_at < ? AND status != 'running'", (cutoff,)
    ).rowcount
    return int(runs), int(checks)
