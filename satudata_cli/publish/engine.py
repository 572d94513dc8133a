"""The publisher: the katalog's datasets onto a CKAN portal, idempotently.

A run, for one target:

1. Preflight: the portal answers and accepts the token (``user_show`` of the token's
   user, an authenticated call); otherwise :class:`PortalError` and nothing is done.
2. The plan, from the catalogue and its ``publish_state`` rows (no network): per
   dataset ``create`` (never published), ``unchanged`` (the package built from the
   record hashes as the one last published: no call at all), ``update`` (published,
   different now) or ``withdraw`` (withdrawn from the katalog, published, and
   ``--withdrawn private|delete``). Invalid records are left out unless asked for.
3. Datasets without state are looked up on the portal by their identity extras
   (``package_search`` on ``satudata_source``, page by page), so a lost or new
   catalogue adopts the datasets it published before instead of duplicating them; a
   create that meets "name already in use" checks that dataset's identity too.
4. The work, ``http.concurrency`` datasets at a time, write calls capped at
   ``http.writes_per_second``: an update reads the dataset, compares, and sends one
   ``package_update`` of the whole package (CKAN's full replace, so the portal ends
   equal to the mapped record) with the resources' ids matched by URL, then position,
   so they are updated in place. Each outcome is committed to ``publish_state`` when it
   arrives; a failure (CKAN's field errors of a 409, a missing organization) is recorded
   against that dataset and the run goes on.

Withdrawals pass the safety valve first: when more than ``withdraw.max_fraction`` of
the target's published datasets would be hidden or deleted at once, none is and the
report says why.

Stopped (Ctrl-C, or SIGTERM/SIGHUP under :func:`satudata_cli.core.signals.stop_on_signals`):
no new dataset is started, the calls already sent are let finish and their outcomes
are committed to ``publish_state`` like any other, then the interrupt goes on to the
caller; the next run continues from there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.lock import CatalogueLock
from satudata_cli.catalogue.publish_state import PublishState, StateRow
from satudata_cli.codecs.ckan.client import (
    ActionError,
    ActionNotAuthorized,
    ActionNotFound,
    CkanClient,
)
from satudata_cli.codecs.ckan.write import (
    IDENTITY_SOURCE,
    FieldChange,
    diff_packages,
    identity_of,
    match_resources,
)
from satudata_cli.core.http import HttpClient, redact_secret
from satudata_cli.core.logcontext import log_context, submit_in_context
from satudata_cli.publish.config import TargetConfig
from satudata_cli.publish.errors import PortalError, PublishError
from satudata_cli.publish.mapping import RecordMapper

__all__ = [
    "Action",
    "DatasetOutcome",
    "PublishObserver",
    "PublishReport",
    "Publisher",
    "WithdrawMode",
]

logger = logging.getLogger("satudata.publish")

Action = Literal["create", "update", "unchanged", "withdraw"]
WithdrawMode = Literal["keep", "private", "delete"]
_SEARCH_ROWS = 1000


@dataclass(slots=True)
class DatasetOutcome:
    """What happened (or, in a dry run, would happen) to one dataset."""

    dataset_id: int
    source_id: str
    remote_id: str
    title: str | None
    action: Action
    ok: bool = True
    portal_id: str | None = None
    portal_name: str | None = None
    error: str | None = None
    field_errors: dict[str, Any] = field(default_factory=dict)
    changes: list[FieldChange] = field(default_factory=list)
    withdrawn: str | None = None

    @property
    def status(self) -> str:
        return "failed" if not self.ok else self.action

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset_id": self.dataset_id,
            "source": self.source_id,
            "remote_id": self.remote_id,
            "title": self.title,
            "action": self.action,
            "ok": self.ok,
            "portal_id": self.portal_id,
            "portal_name": self.portal_name,
            "error": self.error,
            "field_errors": self.field_errors,
            "changes": [c.to_dict() for c in self.changes],
            "withdrawn": self.withdrawn,
        }


@dataclass(slots=True)
class PublishReport:
    """The result of one run; ``writes`` counts every write call sent to the portal."""

    target: str
    url: str
    dry_run: bool
    outcomes: list[DatasetOutcome] = field(default_factory=list)
    skipped_invalid: int = 0
    writes: int = 0
    reads: int = 0
    organizations_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, action: Action) -> int:
        return sum(1 for o in self.outcomes if o.ok and o.action == action)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.ok)

    @property
    def partial(self) -> bool:
        return self.failed > 0

    @property
    def nothing_done(self) -> bool:
        """Every dataset that needed work failed."""
        return self.failed > 0 and self.failed == len(self.outcomes)

    def summary(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "url": self.url,
            "dry_run": self.dry_run,
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "withdrawn": self.count("withdraw"),
            "failed": self.failed,
            "skipped_invalid": self.skipped_invalid,
            "write_calls": self.writes,
            "read_calls": self.reads,
            "organizations_created": list(self.organizations_created),
            "seconds": round(self.seconds, 3),
            "notes": list(self.notes),
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "datasets": [o.to_dict() for o in self.outcomes]}


class PublishObserver(Protocol):
    """Progress callbacks (called from the main thread)."""

    def planned(self, total: int) -> None: ...

    def dataset_done(self, outcome: DatasetOutcome) -> None: ...


@dataclass(slots=True)
class _Item:
    dataset_id: int
    source_id: str
    remote_id: str
    title: str | None
    kind: Action
    record: dict[str, Any]
    name: str
    owner: tuple[str, str] | None
    package: dict[str, Any] | None
    hash: str | None
    state: StateRow | None
    mode: WithdrawMode = "keep"


class Publisher:
    """``Publisher(target, db_path).run(...)`` -> :class:`PublishReport`."""

    def __init__(
        self,
        target: TargetConfig,
        db_path: Path,
        *,
        environ: Mapping[str, str] | None = None,
        concurrency: int | None = None,
        observer: PublishObserver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        lock_wait: float = 0.0,
    ) -> None:
        self.target = target
        self.db_path = Path(db_path)
        self.environ = os.environ if environ is None else environ
        settings = target.http
        if concurrency is not None:
            settings = settings.model_copy(update={"concurrency": concurrency})
        self.settings = settings
        self.observer = observer
        self.mapper = RecordMapper(target)
        self.lock_wait = lock_wait
        self._sleep = sleep
        self._org_lock = threading.Lock()
        self._orgs: dict[str, str | None] = {}
        self._created_orgs: list[str] = []

    def __repr__(self) -> str:
        return f"Publisher(target={self.target.id!r}, url={self.target.url!r})"

    # -- the run -----------------------------------------------------------------------

    def run(
        self,
        *,
        source_ids: Sequence[str] | None = None,
        include_invalid: bool = False,
        dry_run: bool = False,
        withdrawn: WithdrawMode | None = None,
    ) -> PublishReport:
        with log_context(target=self.target.id):
            return self._run_logged(
                source_ids=source_ids,
                include_invalid=include_invalid,
                dry_run=dry_run,
                withdrawn=withdrawn,
            )

    def _run_logged(
        self,
        *,
        source_ids: Sequence[str] | None,
        include_invalid: bool,
        dry_run: bool,
        withdrawn: WithdrawMode | None,
    ) -> PublishReport:
        started = time.monotonic()
        token = self.target.resolve_token(self.environ)
        self._secret = token
        mode: WithdrawMode = withdrawn or self.target.withdraw.mode
        report = PublishReport(target=self.target.id, url=self.target.url, dry_run=dry_run)
        if not self.db_path.exists():
            raise PublishError(
                f"there is no katalog at {self.db_path}; run `satudata harvest` first / "
                "belum ada katalog: jalankan `satudata harvest` dulu"
            )
        with HttpClient(self.settings) as http:
            api = CkanClient(
                http,
                self.target.url,
                token=token,
                writes_per_second=self.settings.writes_per_second,
                sleep=self._sleep,
            )
            self._preflight(api)
            if self.target.token_in_clear:
                note = (
                    f"{self.target.url} is http://: the API token crosses the network "
                    "unencrypted; use the portal's https:// address / token API dikirim "
                    "tanpa enkripsi, gunakan alamat https://"
                )
                report.notes.append(note)
                logger.warning(
                    "target %s: %s", self.target.id, note, extra={"event": "token_in_clear"}
                )
            # a dry run writes nothing, so it does not wait for (or block) a harvest
            lock = (
                CatalogueLock(self.db_path, command="satudata publish", wait=self.lock_wait)
                if not dry_run
                else contextlib.nullcontext()
            )
            with lock, Catalogue.open(self.db_path, create=False) as cat:
                self._run(cat, api, report, source_ids, include_invalid, dry_run, mode)
            report.writes, report.reads = api.writes, api.reads
        report.organizations_created = list(self._created_orgs)
        report.seconds = time.monotonic() - started
        summary = report.summary()
        counts = {
            k: summary[k]
            for k in ("created", "updated", "unchanged", "withdrawn", "failed", "skipped_invalid")
        }
        logger.log(
            logging.WARNING if report.failed else logging.INFO,
            "target %s: %s",
            self.target.id,
            ", ".join(f"{n} {k}" for k, n in counts.items()),
            extra={
                "event": "publish_finished",
                # under "fields": "created" is a name LogRecord keeps for itself
                "fields": {
                    "dry_run": dry_run,
                    "write_calls": report.writes,
                    "seconds": round(report.seconds, 3),
                    **counts,
                },
            },
        )
        return report

    def _preflight(self, api: CkanClient) -> None:
        url = self.target.url
        env = self.target.token_env
        try:
            # a POST: a portal that redirects (http -> https, another host) is reported
            # with its new address; a followed GET would drop the token and look refused
            user = api.call("user_show", {}, post=True)
        except ActionNotFound as exc:
            if exc.kind is None:
                # a 404 without CKAN's envelope: the address is not a CKAN Action API
                # (a path too many, another site), which is not a token problem
                raise PortalError(
                    f"the portal {url} does not answer as a CKAN portal ({exc}); check the "
                    f"url in the target / portal {url} bukan alamat CKAN, periksa url"
                ) from None
            # CKAN's own "Not Found Error": user_show without a (valid) token
            raise PortalError(
                f"the portal {url} does not accept the API token in {env} (an authenticated "
                f"call was refused); check the token / portal menolak token API di {env}"
            ) from None
        except ActionNotAuthorized:
            raise PortalError(
                f"the portal {url} does not accept the API token in {env} (an authenticated "
                f"call was refused); check the token / portal menolak token API di {env}"
            ) from None
        except ActionError as exc:
            if exc.status == 409:  # CKAN before 2.10 wants an id: any login-only action
                try:
                    api.call("dashboard_new_activities_count", {})
                    return
                except ActionNotAuthorized:
                    raise PortalError(
                        f"the portal {url} does not accept the API token in {env} / "
                        f"portal menolak token API di {env}"
                    ) from None
                except ActionError as again:
                    exc = again
            raise PortalError(
                f"the portal {url} does not answer as a CKAN portal: {exc} / "
                f"portal {url} tidak dapat dihubungi"
            ) from None
        name = user.get("name") if isinstance(user, Mapping) else None
        logger.info("publishing to %s as %s", url, name or "?", extra={"event": "portal_connected"})

    def _run(
        self,
        cat: Catalogue,
        api: CkanClient,
        report: PublishReport,
        source_ids: Sequence[str] | None,
        include_invalid: bool,
        dry_run: bool,
        mode: WithdrawMode,
    ) -> None:
        if source_ids:
            known = {s.id for s in cat.list_sources()}
            unknown = [s for s in source_ids if s not in known]
            if unknown:
                raise PublishError(
                    f"no source {', '.join(unknown)} in the katalog (known: "
                    f"{', '.join(sorted(known)) or 'none'}) / sumber tidak ada di katalog"
                )
        state = cat.publish_state(self.target.id)
        rows = state.rows()
        items, unchanged = self._plan(cat, rows, report, source_ids, include_invalid, mode)
        self._safety_valve(items, rows, report, mode)
        report.outcomes.extend(unchanged)
        if self.observer is not None:
            self.observer.planned(len(items) + len(unchanged))
            for outcome in unchanged:
                self.observer.dataset_done(outcome)
        creates = [i for i in items if i.kind == "create"]
        found = self._find_published(api, creates, report) if creates else {}

        def done(item: _Item, outcome: DatasetOutcome) -> None:
            report.outcomes.append(outcome)
            if not outcome.ok:
                logger.warning(
                    "target %s: %s %s:%s failed: %s",
                    self.target.id,
                    outcome.action,
                    outcome.source_id,
                    outcome.remote_id,
                    outcome.error,
                    extra={
                        "event": "dataset_failed",
                        "source": outcome.source_id,
                        "remote_id": outcome.remote_id,
                        "action": outcome.action,
                        "error": outcome.error,
                    },
                )
            if not dry_run:
                _save(state, item, outcome)
            if self.observer is not None:
                self.observer.dataset_done(outcome)

        self._execute(api, items, found, dry_run, done)
        report.outcomes.sort(key=lambda o: (o.source_id, o.dataset_id))

    # -- planning (no network) ---------------------------------------------------------

    def _plan(
        self,
        cat: Catalogue,
        rows: dict[int, StateRow],
        report: PublishReport,
        source_ids: Sequence[str] | None,
        include_invalid: bool,
        mode: WithdrawMode,
    ) -> tuple[list[_Item], list[DatasetOutcome]]:
        names_taken = {r.remote_name: i for i, r in rows.items() if r.remote_name}
        items: list[_Item] = []
        unchanged: list[DatasetOutcome] = []
        for summary, record in cat.iter_records(source_ids or None, status=None):
            row = rows.get(summary.id)
            published = row is not None and row.remote_id is not None
            base: dict[str, Any] = {
                "dataset_id": summary.id,
                "source_id": summary.source_id,
                "remote_id": summary.remote_id,
                "title": summary.title,
                "record": record,
                "state": row,
            }
            if summary.status == "withdrawn":
                if published and mode != "keep" and (row is None or row.withdrawn != _done(mode)):
                    assert row is not None and row.remote_id is not None
                    items.append(
                        _Item(
                            **base,
                            kind="withdraw",
                            name=row.remote_name or "",
                            owner=None,
                            package=None,
                            hash=None,
                            mode=mode,
                        )
                    )
                continue
            if not summary.valid and not include_invalid:
                report.skipped_invalid += 1
                continue
            name = row.remote_name if row is not None and row.remote_name else None
            if name is None:
                name = self.mapper.base_name(record, summary.source_id, summary.remote_id)
                holder = names_taken.get(name)
                if holder is not None and holder != summary.id:
                    name = self.mapper.alternative_name(name, summary.source_id, summary.remote_id)
                names_taken[name] = summary.id
            owner = self.mapper.organization(record)
            package = self.mapper.build(
                record,
                source_id=summary.source_id,
                remote_id=summary.remote_id,
                name=name,
                owner=owner[0] if owner else None,
            )
            digest = self.mapper.package_hash(package)
            if published and row is not None and row.published_hash == digest and not row.withdrawn:
                unchanged.append(
                    DatasetOutcome(
                        summary.id,
                        summary.source_id,
                        summary.remote_id,
                        summary.title,
                        "unchanged",
                        portal_id=row.remote_id,
                        portal_name=row.remote_name,
                    )
                )
                continue
            items.append(
                _Item(
                    **base,
                    kind="update" if published else "create",
                    name=name,
                    owner=owner,
                    package=package,
                    hash=digest,
                )
            )
        return items, unchanged

    def _safety_valve(
        self, items: list[_Item], rows: dict[int, StateRow], report: PublishReport, mode: str
    ) -> None:
        leaving = [i for i in items if i.kind == "withdraw"]
        if not leaving:
            return
        published = sum(1 for r in rows.values() if r.remote_id is not None and not r.withdrawn)
        limit = self.target.withdraw.max_fraction * published
        if len(leaving) > limit:
            for item in leaving:
                items.remove(item)
            done = "made private" if mode == "private" else "deleted"
            fraction = self.target.withdraw.max_fraction
            note = (
                f"{len(leaving)} of {published} published datasets would be {done} at "
                f"once, more than withdraw.max_fraction={fraction:g} allows; none was "
                "(raise max_fraction in the target to proceed) / terlalu banyak dataset "
                "akan ditarik sekaligus, tidak ada yang ditarik"
            )
            report.notes.append(note)
            logger.warning(
                "target %s: %s", self.target.id, note, extra={"event": "withdraw_blocked"}
            )

    # -- finding what was published before --------------------------------------------

    def _find_published(
        self, api: CkanClient, creates: list[_Item], report: PublishReport
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """Packages on the portal carrying the identity of a dataset about to be created."""
        wanted = {(i.source_id, i.remote_id) for i in creates}
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for source_id in sorted({i.source_id for i in creates}):
            start = 0
            quoted = source_id.replace("\\", "\\\\").replace('"', '\\"')
            while True:
                try:
                    result = api.call(
                        "package_search",
                        {
                            "q": "*:*",
                            "fq": f'extras_{IDENTITY_SOURCE}:"{quoted}"',
                            "rows": _SEARCH_ROWS,
                            "start": start,
                            "include_private": "true",
                            "sort": "id asc",
                        },
                    )
                except ActionError as exc:
                    note = (
                        f"cannot search the portal for datasets published before ({exc}); "
                        "relying on dataset names to avoid duplicates"
                    )
                    report.notes.append(redact_secret(note, self._secret))
                    break
                results = result.get("results") if isinstance(result, Mapping) else None
                if not isinstance(results, list) or not results:
                    break
                for package in results:
                    if isinstance(package, Mapping):
                        identity = identity_of(package)
                        if identity in wanted:
                            found[identity] = dict(package)
                start += len(results)
                if len(results) < _SEARCH_ROWS:
                    break
        if found:
            report.notes.append(
                f"{len(found)} datasets without publish state were found on the portal by "
                "their identity and adopted (no duplicates)"
            )
        return found

    # -- the work ----------------------------------------------------------------------

    def _execute(
        self,
        api: CkanClient,
        items: list[_Item],
        found: Mapping[tuple[str, str], dict[str, Any]],
        dry_run: bool,
        done: Callable[[_Item, DatasetOutcome], None],
    ) -> None:
        """Work on ``items``, ``http.concurrency`` at a time; ``done`` gets each outcome
        in the calling thread as it arrives.

        Stopped (Ctrl-C or a stop signal in the calling thread): datasets
        not started yet are dropped, the ones under way finish, and their outcomes still
        go to ``done`` (so the publish state knows what the portal got) before the
        exception goes on."""
        workers = self.settings.concurrency
        queue = iter(items)
        pending: set[Future[tuple[_Item, DatasetOutcome]]] = set()
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish")

        def fill() -> None:
            while len(pending) < workers * 4:
                item = next(queue, None)
                if item is None:
                    return
                pending.add(submit_in_context(executor, self._one, api, item, found, dry_run))

        try:
            fill()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    pending.discard(future)
                    done(*future.result())
                fill()
        except KeyboardInterrupt:
            for future in pending:
                future.cancel()
            executor.shutdown(wait=True, cancel_futures=True)
            for future in pending:
                if future.done() and not future.cancelled() and future.exception() is None:
                    done(*future.result())
            raise
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    def _one(
        self,
        api: CkanClient,
        item: _Item,
        found: Mapping[tuple[str, str], dict[str, Any]],
        dry_run: bool,
    ) -> tuple[_Item, DatasetOutcome]:
        outcome = DatasetOutcome(
            item.dataset_id, item.source_id, item.remote_id, item.title, item.kind
        )
        outcome.portal_name = item.name or None
        outcome.portal_id = item.state.remote_id if item.state is not None else None
        try:
            if item.kind == "withdraw":
                self._withdraw(api, item, outcome, dry_run)
            elif item.kind == "update":
                self._update(api, item, outcome, dry_run)
            else:
                current = found.get((item.source_id, item.remote_id))
                if current is not None:
                    self._reconcile(api, item, outcome, current, dry_run)
                else:
                    self._create(api, item, outcome, dry_run)
        except ActionError as exc:
            outcome.ok = False
            outcome.error = redact_secret(str(exc), self._secret)
            outcome.field_errors = exc.fields
        except PublishError as exc:
            outcome.ok = False
            outcome.error = redact_secret(str(exc), self._secret)
        return item, outcome

    def _ensure_organization(
        self, api: CkanClient, owner: tuple[str, str] | None, dry_run: bool
    ) -> None:
        if owner is None:
            raise PublishError(
                "the record names no organization or produsen_data and the target has no "
                "default_organization / dataset tidak menyebut organisasi"
            )
        name, title = owner
        with self._org_lock:
            if name in self._orgs:
                problem = self._orgs[name]
            else:
                problem = self._check_organization(api, name, title, dry_run)
                self._orgs[name] = problem
        if problem is not None:
            raise PublishError(problem)

    def _check_organization(
        self, api: CkanClient, name: str, title: str, dry_run: bool
    ) -> str | None:
        try:
            api.call("organization_show", {"id": name, "include_datasets": "false"})
            return None
        except ActionNotFound:
            pass
        except ActionError as exc:
            return f"cannot check organization {name}: {exc}"
        if not self.target.create_organizations:
            return (
                f"organization {name} does not exist on the portal and create_organizations "
                f"is false in target {self.target.id}; create it on the portal or map the "
                f"organization in the target / organisasi {name} belum ada di portal"
            )
        if dry_run:
            return None
        try:
            api.call("organization_create", {"name": name, "title": title}, write=True)
        except ActionError as exc:
            return f"cannot create organization {name}: {exc}"
        self._created_orgs.append(name)
        return None

    def _create(self, api: CkanClient, item: _Item, outcome: DatasetOutcome, dry_run: bool) -> None:
        assert item.package is not None
        self._ensure_organization(api, item.owner, dry_run)
        if dry_run:
            try:
                current = api.call("package_show", {"id": item.name})
            except ActionNotFound:
                outcome.changes = diff_packages(item.package, None)
                return
            if identity_of(current) == (item.source_id, item.remote_id):
                self._reconcile(api, item, outcome, current, dry_run)
                return
            item.name = self.mapper.alternative_name(item.name, item.source_id, item.remote_id)
            item.package = {**item.package, "name": item.name}
            outcome.portal_name = item.name
            outcome.changes = diff_packages(item.package, None)
            return
        for attempt in (1, 2):
            try:
                created = api.call("package_create", item.package, write=True)
            except ActionError as exc:
                if exc.status != 409 or "name" not in exc.fields or attempt == 2:
                    raise
                try:
                    current = api.call("package_show", {"id": item.name})
                except ActionNotFound:
                    raise exc from None
                if identity_of(current) == (item.source_id, item.remote_id):
                    self._reconcile(api, item, outcome, current, dry_run)
                    return
                item.name = self.mapper.alternative_name(item.name, item.source_id, item.remote_id)
                item.package = {**item.package, "name": item.name}
                item.hash = self.mapper.package_hash(item.package)
                outcome.portal_name = item.name
                continue
            outcome.portal_id = created.get("id") if isinstance(created, Mapping) else None
            outcome.portal_name = item.name
            return

    def _update(self, api: CkanClient, item: _Item, outcome: DatasetOutcome, dry_run: bool) -> None:
        assert item.state is not None and item.state.remote_id is not None
        try:
            current = api.call("package_show", {"id": item.state.remote_id})
        except ActionNotFound:
            # purged on the portal: publish it again
            outcome.action = "create"
            self._create(api, item, outcome, dry_run)
            return
        self._reconcile(api, item, outcome, current, dry_run)

    def _reconcile(
        self,
        api: CkanClient,
        item: _Item,
        outcome: DatasetOutcome,
        current: Mapping[str, Any],
        dry_run: bool,
    ) -> None:
        """Make the portal's ``current`` package equal to the desired one (one write)."""
        assert item.package is not None
        name = current.get("name")
        if isinstance(name, str) and name != item.name:
            item.name = name
            item.package = {**item.package, "name": name}
            item.hash = self.mapper.package_hash(item.package)
        outcome.portal_id = str(current.get("id"))
        outcome.portal_name = item.name
        changes = diff_packages(item.package, current)
        if current.get("state") not in (None, "active"):
            changes.append(FieldChange("state", current.get("state"), "active"))
        outcome.changes = changes
        if not changes:
            outcome.action = "unchanged"
            return
        outcome.action = "update"
        if dry_run:
            return
        self._ensure_organization(api, item.owner, dry_run)
        payload = dict(item.package)
        payload["id"] = current["id"]
        payload["state"] = "active"
        existing = [r for r in current.get("resources") or [] if isinstance(r, Mapping)]
        payload["resources"] = match_resources(item.package.get("resources", []), existing)
        api.call("package_update", payload, write=True)

    def _withdraw(
        self, api: CkanClient, item: _Item, outcome: DatasetOutcome, dry_run: bool
    ) -> None:
        assert item.state is not None and item.state.remote_id is not None
        outcome.withdrawn = _done(item.mode)
        outcome.changes = (
            [FieldChange("private", False, True)]
            if item.mode == "private"
            else [FieldChange("state", "active", "deleted")]
        )
        if dry_run:
            return
        if item.mode == "private":
            api.call("package_patch", {"id": item.state.remote_id, "private": True}, write=True)
        else:
            with contextlib.suppress(ActionNotFound):  # gone already
                api.call("package_delete", {"id": item.state.remote_id}, write=True)


def _save(state: PublishState, item: _Item, outcome: DatasetOutcome) -> None:
    """Commit one outcome: the next run starts from here."""
    if not outcome.ok:
        known = item.state
        state.save(
            outcome.dataset_id,
            remote_id=outcome.portal_id,
            remote_name=outcome.portal_name if outcome.portal_id else None,
            published_hash=None,
            published=False,
            withdrawn=known.withdrawn if known is not None else None,
            error=outcome.error or "failed",
        )
    elif outcome.action == "withdraw":
        state.save(
            outcome.dataset_id,
            remote_id=outcome.portal_id,
            remote_name=outcome.portal_name,
            published_hash=None,
            published=False,
            withdrawn=outcome.withdrawn,
            error=None,
        )
    else:
        state.save(
            outcome.dataset_id,
            remote_id=outcome.portal_id,
            remote_name=outcome.portal_name,
            published_hash=item.hash,
            published=True,
            withdrawn=None,
            error=None,
        )


def _done(mode: str) -> str | None:
    return {"private": "private", "delete": "deleted"}.get(mode)
