"""kill -9 at chosen moments of a harvest or a publish, and what must hold afterwards.

A :class:`KillPoint` names a moment by what can be seen from outside the process: how
many pages the fixture portal has served, how many datasets (or withdrawn datasets,
or publish-state rows) the catalogue holds, plus an optional delay after that. No
hook in satudata's code places the kill: the process is the real CLI
(``python -m satudata_cli``), watched every few milliseconds and sent SIGKILL.

After the kill: :func:`integrity` (``PRAGMA integrity_check`` and FTS5's
``integrity-check`` of the search index against its content), then the caller re-runs
the command uninterrupted and compares :func:`content` of the catalogue with that of
an uninterrupted run, and :func:`jobs` shows every job of the killed run marked
``interrupted``.

``tests/reliability/test_kill.py`` runs a few kill points in CI; ``python
benchmarks/run.py kill`` many (``benchmarks/bench_kill.py``).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.helpers.ckan_fixture import CkanFixture, make_packages

ROOT = Path(__file__).resolve().parents[2]
POLL = 0.002  # seconds between two looks at the running process
LIMIT = 300.0  # seconds a killed run may take before the kill (a hang fails the point)


def cli_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "satudata_cli", *args]


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
    env.update({"NO_COLOR": "1", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "COLUMNS": "200"})
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra or {})
    return env


# ------------------------------------------------------------------ watching


def _count(db: Path, sql: str) -> int:
    """A count from the catalogue, read like any reader (WAL: never blocks the writer);
    0 while the file or the table is not there yet."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


@dataclass
class Watch:
    """What a trigger can look at while the process runs."""

    db: Path
    pages: Callable[[], int] = lambda: 0  # fixture pages served so far
    started: float = 0.0

    def datasets(self) -> int:
        return _count(self.db, "SELECT count(*) FROM datasets")

    def withdrawn(self) -> int:
        return _count(self.db, "SELECT count(*) FROM datasets WHERE status = 'withdrawn'")

    def published(self) -> int:
        return _count(self.db, "SELECT count(*) FROM publish_state WHERE remote_id IS NOT NULL")

    def seconds(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class KillPoint:
    """A moment: ``when(watch)`` turns true, then ``delay`` seconds pass, then SIGKILL."""

    name: str
    phase: str  # what the moment is meant to hit: fetch, write, withdraw, publish, ...
    when: Callable[[Watch], bool]
    delay: float = 0.0


@dataclass
class Killed:
    point: KillPoint
    killed: bool  # False: the run ended by itself before the moment came
    code: int
    stderr: str
    seen: dict[str, int]  # the catalogue at the kill


def run_and_kill(argv: Sequence[str], env: dict[str, str], cwd: Path, point: KillPoint,
                 watch: Watch) -> Killed:  # fmt: skip
    """Start the CLI, wait for the moment, kill -9 it; what the catalogue held then."""
    err = cwd / f"killed-{point.name}.stderr"
    with err.open("wb") as stderr:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        watch.started = time.monotonic()
        killed = False
        try:
            while proc.poll() is None and watch.seconds() < LIMIT:
                if point.when(watch):
                    if point.delay:
                        time.sleep(point.delay)
                    if proc.poll() is None:
                        proc.send_signal(signal.SIGKILL)
                        killed = True
                    break
                time.sleep(POLL)
            else:
                if proc.poll() is None:  # never reached the moment: a hang
                    proc.kill()
        finally:
            code = proc.wait()
    seen = {
        "datasets": watch.datasets(),
        "withdrawn": watch.withdrawn(),
        "published": watch.published(),
        "pages": watch.pages(),
    }
    return Killed(point, killed and code == -signal.SIGKILL, code,
                  err.read_text("utf-8", "replace"), seen)  # fmt: skip


# ------------------------------------------------------------------ afterwards


def integrity(db: Path) -> list[str]:
    """Problems of the file after the kill: ``PRAGMA integrity_check`` and the FTS5
    index checked against the datasets it indexes (``integrity-check`` with rank 1)."""
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    problems: list[str] = []
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"integrity_check: {result[:5]}")
        has_fts = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'datasets_fts'"
        ).fetchone()[0]
        if has_fts:
            try:
                conn.execute(
                    "INSERT INTO datasets_fts (datasets_fts, rank) VALUES ('integrity-check', 1)"
                )
            except sqlite3.Error as exc:
                problems.append(f"FTS5 integrity-check: {exc}")
    finally:
        conn.close()
    return problems


_DATASET_COLUMNS = (
    "source_id, remote_id, status, name, title, organization, valid, errors, warnings, "
    "infos, remote_modified, produsen_data, jadwal_pemutakhiran, tanggal_diperbarui, "
    "klasifikasi_akses, kode_wilayah, license_id, tags, content_hash, findings_hash, notes, "
    "record, missing_since IS NULL, withdrawn_at IS NULL"
)


def content(db: Path, *, words: Sequence[str] = ()) -> dict[str, Any]:
    """Everything a harvest stores about the datasets, without times and row ids: each
    dataset's columns, resources and findings by (source, remote id), the organization
    counts, and which datasets the search index finds for ``words``."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        datasets = {
            f"{row[0]}:{row[1]}": list(row[2:])
            for row in conn.execute(f"SELECT {_DATASET_COLUMNS} FROM datasets")
        }
        resources: dict[str, list[Any]] = {}
        for row in conn.execute(
            "SELECT d.source_id || ':' || d.remote_id, r.position, r.name, r.url, r.format, "
            "r.description, r.record FROM resources r JOIN datasets d ON d.id = r.dataset_id "
            "ORDER BY 1, 2"
        ):
            resources.setdefault(row[0], []).append(list(row[1:]))
        findings: dict[str, list[Any]] = {}
        for row in conn.execute(
            "SELECT d.source_id || ':' || d.remote_id, f.rule, f.severity, f.path, "
            "f.message_id, f.message_en, f.suggestion FROM validation_findings f "
            "JOIN datasets d ON d.id = f.dataset_id ORDER BY 1, 2, 4, 3, 5"
        ):
            findings.setdefault(row[0], []).append(list(row[1:]))
        organizations = sorted(
            list(row)
            for row in conn.execute(
                "SELECT source_id, name, active, withdrawn, valid, invalid FROM organizations"
            )
        )
        search = {
            word: sorted(
                row[0]
                for row in conn.execute(
                    "SELECT d.source_id || ':' || d.remote_id FROM datasets_fts "
                    "JOIN datasets d ON d.id = datasets_fts.rowid WHERE datasets_fts MATCH ?",
                    (word,),
                )
            )
            for word in words
        }
    finally:
        conn.close()
    return {
        "datasets": datasets,
        "resources": resources,
        "findings": findings,
        "organizations": organizations,
        "search": search,
    }


def jobs(db: Path) -> list[tuple[int, str]]:
    """(job id, status) of every harvest job, oldest first."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [
            (r[0], r[1]) for r in conn.execute("SELECT id, status FROM harvest_jobs ORDER BY id")
        ]
    finally:
        conn.close()


def differences(got: dict[str, Any], want: dict[str, Any], limit: int = 5) -> list[str]:
    """Where two :func:`content` results differ, in a few lines."""
    out: list[str] = []
    for part in want:
        a, b = got.get(part), want[part]
        if a == b:
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            keys = sorted(set(a) ^ set(b))[:limit]
            if keys:
                out.append(f"{part}: keys only on one side: {keys} ({len(a)} vs {len(b)})")
            changed = [k for k in sorted(set(a) & set(b)) if a[k] != b[k]][:limit]
            for key in changed:
                out.append(
                    f"{part}[{key}]: {json.dumps(a[key])[:200]} != {json.dumps(b[key])[:200]}"
                )
        else:
            out.append(f"{part}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}")
    return out


# ------------------------------------------------------------------ the harvest world

SEARCH_WORDS = ("jumlah", "kesehatan", "pendidikan", "penduduk", "medan")


class HarvestWorld:
    """A CKAN fixture portal of ``packages`` datasets, paged by ``page`` and slowed by
    ``slow`` seconds a request, and a source that withdraws at once (grace 0, valve
    20 %). :meth:`first` and :meth:`withdrawal` give the uninterrupted results the
    killed runs must end up equal to."""

    def __init__(self, work: Path, packages: int = 2100, page: int = 150, slow: float = 0.02,
                 drop: int = 150) -> None:  # fmt: skip
        self.work = work
        self.fixture = CkanFixture(make_packages(packages, seed=11))
        self.fixture.max_rows = page
        self.fixture.slow_seconds = slow
        self.pages_per_pass = -(-packages // page)
        self.dropped = [p for i, p in enumerate(make_packages(packages, seed=11)) if i % 14 == 5][
            :drop
        ]
        self.fixture.start()
        self.cfg = work / "cfg"
        self.cfg.mkdir(parents=True)
        source = {
            "id": "portal",
            "title": "Portal fixture",
            "type": "ckan",
            "url": self.fixture.url,
            "organization": "Pemerintah Kota Medan",
            "withdraw": {"grace_days": 0, "max_fraction": 0.2},
            "http": {"requests_per_second": 1000, "concurrency": 2, "retries": 1},
        }
        (self.cfg / "portal.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
        self._first: Path | None = None
        self._withdrawal: Path | None = None
        self.tail = {"first": 0.0, "withdrawal": 0.0}

    def close(self) -> None:
        self.fixture.stop()

    def argv(self, db: Path) -> list[str]:
        return cli_argv(
            "--db", str(db), "--config-dir", str(self.cfg), "harvest", "--all", "--full"
        )

    def harvest(self, db: Path) -> float:
        """One uninterrupted harvest; the seconds from its last page to its exit (the
        tail: storing, withdrawing, finishing), which places the later kill points."""
        pages = self.pages()
        err = self.work / "harvest.stderr"
        with err.open("wb") as stderr:
            proc = subprocess.Popen(self.argv(db), cwd=self.work, env=cli_env(),
                                    stdout=subprocess.DEVNULL, stderr=stderr)  # fmt: skip
            last_page = None
            started = time.monotonic()
            while proc.poll() is None and time.monotonic() - started < LIMIT:
                if last_page is None and pages() >= self.pages_per_pass:
                    last_page = time.monotonic()
                time.sleep(POLL)
            if proc.poll() is None:
                proc.kill()
            code = proc.wait()
        if code != 0:
            raise AssertionError(f"harvest exited {code}: {err.read_text()[-2000:]}")
        return time.monotonic() - (last_page or started)

    def pages(self) -> Callable[[], int]:
        base = len(self.fixture.requests_for("package_search"))
        return lambda: len(self.fixture.requests_for("package_search")) - base

    def drop(self) -> None:
        for pkg in self.dropped:
            self.fixture.delete_package(pkg["id"])

    def restore(self) -> None:
        for pkg in self.dropped:
            self.fixture.add_package(pkg)

    def first(self) -> Path:
        """The catalogue of one uninterrupted first harvest."""
        if self._first is None:
            self._first = self.work / "reference-first.db"
            self.tail["first"] = self.harvest(self._first)
        return self._first

    def withdrawal(self) -> Path:
        """First harvest, then the portal loses ``drop`` datasets, then a harvest."""
        if self._withdrawal is None:
            self._withdrawal = self.work / "reference-withdrawal.db"
            self.copy(self.first(), self._withdrawal)
            self.drop()
            try:
                self.tail["withdrawal"] = self.harvest(self._withdrawal)
            finally:
                self.restore()
        return self._withdrawal

    @staticmethod
    def copy(src: Path, dst: Path) -> None:
        """A consistent copy through SQLite's backup API."""
        source = sqlite3.connect(src)
        target = sqlite3.connect(dst)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()


def _after_last_page(name: str, phase: str, pages: int, delay: float) -> KillPoint:
    return KillPoint(name, phase, lambda w: w.pages() >= pages, delay)


def harvest_points(world: HarvestWorld) -> list[KillPoint]:
    """Kill points of a first harvest: while fetching, once the first batch is stored,
    and at fractions of the tail (last page to exit) an uninterrupted run took here."""
    world.first()
    pages, tail = world.pages_per_pass, world.tail["first"]
    return [
        KillPoint("fetch-page-1", "fetch", lambda w: w.pages() >= 1),
        KillPoint("fetch-half", "fetch", lambda w: w.pages() >= pages // 2),
        KillPoint("first-batch-stored", "write", lambda w: w.datasets() >= 1),
        _after_last_page("tail-10%", "write", pages, 0.1 * tail),
        _after_last_page("tail-40%", "write", pages, 0.4 * tail),
        _after_last_page("tail-70%", "finish", pages, 0.7 * tail),
    ]


def withdrawal_points(world: HarvestWorld) -> list[KillPoint]:
    """Kill points of the harvest that withdraws what the portal lost."""
    world.withdrawal()
    pages, tail = world.pages_per_pass, world.tail["withdrawal"]
    return [
        KillPoint("withdrawal-fetch", "fetch", lambda w: w.pages() >= pages // 2),
        _after_last_page("withdrawal-tail-30%", "write", pages, 0.3 * tail),
        _after_last_page("withdrawal-tail-60%", "withdraw", pages, 0.6 * tail),
        _after_last_page("withdrawal-tail-85%", "withdraw", pages, 0.85 * tail),
    ]


def sweep_points(world: HarvestWorld, steps: int) -> list[tuple[KillPoint, bool]]:
    """Many points for the long run: every page, then ``steps`` delays over the tail,
    of both harvests; (point, withdrawal?)."""
    world.withdrawal()
    out: list[tuple[KillPoint, bool]] = []
    for withdrawal, key in ((False, "first"), (True, "withdrawal")):
        pages, tail = world.pages_per_pass, world.tail[key]
        for page in range(1, pages + 1):
            point = KillPoint(f"{key}-page-{page}", "fetch", lambda w, n=page: w.pages() >= n)
            out.append((point, withdrawal))
        for step in range(steps):
            fraction = (step + 0.5) / steps
            name = f"{key}-tail-{fraction:.0%}"
            out.append((_after_last_page(name, "tail", pages, fraction * tail), withdrawal))
    return out


@dataclass
class Verdict:
    """One kill point, checked: the kill, the file, the re-run, the jobs."""

    killed: Killed
    problems: list[str]
    left_running: int = 0

    def line(self) -> str:
        k = self.killed
        state = "killed" if k.killed else f"ended by itself (exit {k.code})"
        where = ", ".join(f"{key} {value}" for key, value in k.seen.items())
        verdict = "consistent" if not self.problems else "; ".join(self.problems)
        return (
            f"{k.point.name} [{k.point.phase}]: {state} at {where}; {self.left_running} job(s) "
            f"left running -> {verdict}"
        )


def _fresh(path: Path) -> None:
    for old in path.parent.glob(path.name + "*"):
        old.unlink()


def check_harvest_kill(world: HarvestWorld, point: KillPoint, *, withdrawal: bool) -> Verdict:
    """kill -9 one harvest at ``point``; then integrity, a re-run and the comparison.

    A moment placed by a delay that the run outlived (this run was faster than the one
    that set the delay) is tried again, up to twice, with half the delay each time, so
    that the kill still lands in the part of the run it aims at."""
    db = world.work / f"killed-{point.name}.db"
    reference = world.withdrawal() if withdrawal else world.first()
    for attempt in range(3):
        _fresh(db)
        if withdrawal:
            world.copy(world.first(), db)
            world.drop()
        try:
            watch = Watch(db, pages=world.pages())
            killed = run_and_kill(world.argv(db), cli_env(), world.work, point, watch)
            if not killed.killed and point.delay and attempt < 2:
                point = KillPoint(point.name, point.phase, point.when, point.delay / 2)
                continue
            problems = [] if killed.killed else ["the run ended before the kill"]
            problems += [f"after the kill: {p}" for p in integrity(db)]
            # the jobs the kill left running: the re-run must mark each one interrupted
            left = [job for job, status in jobs(db) if status == "running"] if db.exists() else []
            world.harvest(db)  # the re-run, uninterrupted
        finally:
            if withdrawal:
                world.restore()
        break
    problems += [f"after the re-run: {p}" for p in integrity(db)]
    statuses = dict(jobs(db))
    for job in left:
        if statuses.get(job) != "interrupted":
            problems.append(f"job {job}, left running by the kill, is {statuses.get(job)!r}")
    problems += [f"job {job} {status}" for job, status in statuses.items() if status == "running"]
    got = content(db, words=SEARCH_WORDS)
    want = content(reference, words=SEARCH_WORDS)
    problems += [f"differs from an uninterrupted run: {d}" for d in differences(got, want)]
    return Verdict(killed, problems, len(left))


# ------------------------------------------------------------------ the publish world


class PublishWorld:
    """``records`` records of one agency, harvested into a katalog and published to the
    real CKAN (``RealCkan``) under organization and dataset names carrying ``tag``."""

    def __init__(self, work: Path, ckan: Any, tag: str, records: int = 30) -> None:
        from tests.helpers.records import make_record

        self.work = work
        self.ckan = ckan
        self.tag = tag
        self.count = records
        self.cfg = work / "cfg"
        self.db = work / "katalog.db"
        data = work / "data"
        data.mkdir(parents=True)
        (self.cfg / "targets").mkdir(parents=True)
        for i in range(records):
            record = make_record(
                i, name=f"{tag}-puskesmas-{i}", organization=f"Dinas Kesehatan {tag}"
            )
            (data / f"{i:03d}.json").write_text(json.dumps(record), encoding="utf-8")
        source = {"id": "dinkes", "type": "directory", "path": str(data)}
        (self.cfg / "dinkes.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
        target = {
            "id": "portal",
            "type": "ckan",
            "url": ckan.url,
            "token_env": "TEST_CKAN_TOKEN",
            "create_organizations": True,
            "organizations": {f"Dinas Kesehatan {tag}": self.org},
            "http": {"concurrency": 4, "writes_per_second": 100, "retries": 2},
        }
        (self.cfg / "targets" / "portal.yaml").write_text(
            yaml.safe_dump(target, allow_unicode=True), encoding="utf-8"
        )
        self.env = cli_env({"TEST_CKAN_TOKEN": ckan.token})
        self.run("harvest", "--all", "--full")

    @property
    def org(self) -> str:
        return f"{self.tag}-dinkes"

    def argv(self, *args: str) -> list[str]:
        return cli_argv("--db", str(self.db), "--config-dir", str(self.cfg), *args)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(self.argv(*args), cwd=self.work, env=self.env, capture_output=True,
                              text=True, timeout=LIMIT, check=False)  # fmt: skip
        if done.returncode != 0:
            raise AssertionError(f"{args} exited {done.returncode}: {done.stderr[-2000:]}")
        return done

    def publish(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(self.run("publish", "portal", "--json").stdout)
        return report

    def portal(self) -> list[dict[str, Any]]:
        """The organization's datasets as the portal holds them, without ids, times and
        the tag (so two worlds compare)."""
        out = []
        for package in self.ckan.datasets_of(self.org):
            kept = {
                "name": package["name"],
                "title": package["title"],
                "notes": package.get("notes"),
                "url": package.get("url"),
                "license_id": package.get("license_id"),
                "private": package.get("private"),
                "state": package.get("state"),
                "author_email": package.get("author_email"),
                "maintainer_email": package.get("maintainer_email"),
                "organization": package["organization"]["title"],
                "tags": sorted(t["name"] for t in package.get("tags", [])),
                "extras": sorted((e["key"], e["value"]) for e in package.get("extras", [])),
                "resources": [
                    (r.get("name"), r.get("url"), r.get("format"), r.get("description"))
                    for r in package.get("resources", [])
                ],
            }
            out.append(json.loads(json.dumps(kept).replace(self.tag, "{tag}")))
        return sorted(out, key=lambda p: str(p["name"]))


def publish_points(records: int) -> list[KillPoint]:
    return [
        KillPoint("publish-start", "preflight", lambda w: w.seconds() >= 0.8),
        KillPoint("publish-first-created", "create", lambda w: w.published() >= 1),
        KillPoint("publish-half-created", "create", lambda w: w.published() >= records // 2),
        KillPoint("publish-late-created", "create", lambda w: w.published() >= records * 3 // 4),
    ]


def check_publish_kill(
    world: PublishWorld, point: KillPoint, reference: list[dict[str, Any]]
) -> Verdict:
    """kill -9 one publish at ``point``; integrity; a re-run; the portal as a clean run
    left it (no dataset twice, the same content), and a third run that writes nothing."""
    watch = Watch(world.db)
    killed = run_and_kill(world.argv("publish", "portal", "--json"), world.env, world.work,
                          point, watch)  # fmt: skip
    problems = [] if killed.killed else ["the run ended before the kill"]
    # created on the portal but not yet recorded in the katalog: the case a kill can make
    killed.seen["on_portal"] = len(world.ckan.datasets_of(world.org))
    problems += [f"after the kill: {p}" for p in integrity(world.db)]
    rerun = world.publish()
    if rerun["failed"]:
        problems.append(f"the re-run failed {rerun['failed']} dataset(s)")
    again = world.publish()
    if again["write_calls"] or again["unchanged"] != world.count:
        problems.append(
            f"a third run wrote {again['write_calls']} time(s), {again['unchanged']} unchanged"
        )
    problems += [f"after the re-runs: {p}" for p in integrity(world.db)]
    got = world.portal()
    names = [p["name"] for p in got]
    if len(names) != len(set(names)) or len(got) != world.count:
        problems.append(f"the portal holds {len(got)} datasets for {world.count} records")
    if got != reference:
        diff = [f"{a['name']}" for a, b in zip(got, reference, strict=False) if a != b][:5]
        problems.append(f"the portal differs from a clean publish: {diff}")
    return Verdict(killed, problems)
