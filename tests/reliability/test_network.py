"""The network fault matrix of issue 16: broken portals, networks and documents against
the real CLI.

Every case first harvests a good state from a healthy portal, then harvests again
while a fault is armed on the loopback fault server (tests/helpers/fault_server.py,
in front of the CKAN fixture or with its own routes), and asserts:

- no traceback and no "internal error" on stdout or stderr;
- the documented exit code (docs/exit-codes.md) and the job's status in the catalogue;
- that nothing stored before is lost or wrongly withdrawn (the faulty pass runs with
  ``grace_days: 0`` and ``max_fraction: 1``, so a pass wrongly taken as complete would
  withdraw at once).

Each test's docstring names the fault as issue 16 does ("held": it held before the
issue's fixes; "defect N": it broke and was fixed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.catalogue.db import Catalogue
from satudata_cli.catalogue.models import JobInfo
from tests.helpers.ckan_fixture import CkanFixture, make_packages
from tests.helpers.cli import Cli, write_source
from tests.helpers.fault_server import (
    FaultServer,
    Reply,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "portal"
#: the HTTP settings of every source here: few, quick retries; no rate limit to speak of
FAST_HTTP: dict[str, Any] = {
    "retries": 1,
    "timeout": 5,
    "connect_timeout": 2,
    "requests_per_second": 1000,
}
#: a pass wrongly taken as complete withdraws at once
EAGER_WITHDRAW = {"grace_days": 0, "max_fraction": 1.0}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def outcome(self) -> dict[str, Any]:
        """The one source's entry of ``harvest --json``."""
        (entry,) = json.loads(self.stdout)
        assert isinstance(entry, dict)
        return entry


class Bench:
    """A catalogue and a configuration folder; harvests through the CLI, in process or
    as a real process, and reads what the catalogue holds."""

    def __init__(self, tmp_path: Path) -> None:
        self.db = tmp_path / "katalog.db"
        self.cfg = tmp_path / "sumber"
        self.tmp = tmp_path

    def source(self, **fields: Any) -> None:
        fields.setdefault("http", FAST_HTTP)
        fields.setdefault("withdraw", EAGER_WITHDRAW)
        write_source(self.cfg, SOURCE, **fields)

    def harvest(self, *args: str, env: dict[str, str] | None = None) -> Run:
        """``satudata harvest portal --full --json ARGS`` in process."""
        result = Cli(self.db, self.cfg)("harvest", SOURCE, "--full", "--json", *args, env=env)
        run = Run(result.exit_code, result.stdout, result.stderr)
        assert_clean(run)
        return run

    def harvest_process(self, *args: str, env: dict[str, str] | None = None) -> Run:
        """The same as a real process (``python -m satudata_cli``)."""
        environ = {k: v for k, v in os.environ.items() if not k.startswith("SATUDATA_")}
        environ["PYTHONPATH"] = str(ROOT) + os.pathsep + environ.get("PYTHONPATH", "")
        environ["NO_COLOR"] = "1"
        environ.update(env or {})
        argv = [sys.executable, "-m", "satudata_cli", "--db", str(self.db)]
        argv += ["--config-dir", str(self.cfg), *args]
        done = subprocess.run(
            argv, capture_output=True, text=True, env=environ, cwd=self.tmp, timeout=120
        )
        run = Run(done.returncode, done.stdout, done.stderr)
        assert_clean(run)
        return run

    def state(self) -> dict[str, tuple[str, str]]:
        """remote id -> (status, content hash) of every dataset of the source."""
        with Catalogue.open(self.db, create=False) as cat:
            return {k: (v.status, v.content_hash) for k, v in cat.dataset_states(SOURCE).items()}

    def active(self) -> set[str]:
        return {k for k, (status, _hash) in self.state().items() if status == "active"}

    def last_job(self) -> JobInfo:
        with Catalogue.open(self.db, create=False) as cat:
            (job,) = cat.list_jobs(limit=1, source_id=SOURCE)
            return job

    def good_state(self, *args: str) -> dict[str, tuple[str, str]]:
        """Harvest the healthy portal; what the catalogue then holds."""
        run = self.harvest(*args)
        assert run.code == 0, run.stderr
        assert run.outcome["complete"] is True
        state = self.state()
        assert state and all(status == "active" for status, _ in state.values())
        return state

    def assert_kept(self, before: dict[str, tuple[str, str]]) -> None:
        """Every dataset stored before is still there, active and unchanged."""
        after = self.state()
        assert {k: after.get(k) for k in before} == before


def assert_clean(run: Run) -> None:
    both = run.stdout + run.stderr
    assert "Traceback" not in both, both
    assert "internal error" not in both, both


@pytest.fixture
def bench(tmp_path: Path) -> Bench:
    return Bench(tmp_path)


@dataclass
class Portal:
    """A CKAN portal (the fixture) behind a fault server; ``url`` is the server's."""

    ckan: CkanFixture
    server: FaultServer

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def portal() -> Iterator[Portal]:
    with (
        CkanFixture(datasets=make_packages(30, seed=16)) as ckan,
        FaultServer(ckan.url) as server,
    ):
        yield Portal(ckan, server)


# -- documents that point elsewhere ------------------------------------------------------------


def _jsonld_catalogue(context: Any, *extra: dict[str, Any]) -> dict[str, Any]:
    """A JSON-LD catalogue of two datasets with ``context`` as its @context."""
    datasets = [
        {
            "@id": f"https://data.example.go.id/dataset/{n}",
            "@type": "dcat:Dataset",
            "dct:identifier": f"ds-{n}",
            "dct:title": f"Data {n}",
        }
        for n in (1, 2)
    ]
    return {
        "@context": context,
        "@id": "https://data.example.go.id/catalog",
        "@type": "dcat:Catalog",
        "dcat:dataset": datasets + list(extra),
    }


_INLINE = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"}


def _nest_in_lists(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


def _nest_in_nodes(node: dict[str, Any], depth: int) -> dict[str, Any]:
    for level in range(depth):
        node = {"@id": f"https://data.example.go.id/n/{level}", "dct:hasPart": node}
    return node


def _attacks(remote: str, local: str) -> dict[str, Any]:
    """@context shapes that name ``remote`` or ``local`` deep inside a document."""
    return {
        "remote in a list": _jsonld_catalogue([_INLINE, [remote]]),
        "remote 250 lists deep": _jsonld_catalogue([_INLINE, _nest_in_lists(remote, 250)]),
        "remote in a node 250 levels deep": _jsonld_catalogue(
            _INLINE, _nest_in_nodes({"@context": remote, "@id": "https://x.example/deep"}, 250)
        ),
        "remote @import in a scoped context": _jsonld_catalogue(
            {**_INLINE, "judul": {"@id": "dct:title", "@context": {"@import": remote}}}
        ),
        "remote in a scoped context list": _jsonld_catalogue(
            {**_INLINE, "judul": {"@id": "dct:title", "@context": [[{}], [[remote]]]}}
        ),
        "file 250 lists deep": _jsonld_catalogue([_INLINE, _nest_in_lists(local, 250)]),
        "file in a node 250 levels deep": _jsonld_catalogue(
            _INLINE, _nest_in_nodes({"@context": [[local]], "@id": "https://x.example/f"}, 250)
        ),
    }


CANARY = "KANARI-RAHASIA-7f3a9c"
_OPENED: list[str] = []
_WATCHING: list[str] = []


def _record_opens(event: str, args: tuple[Any, ...]) -> None:
    """An audit hook of this test process: every attempt to open a watched file."""
    if event == "open" and _WATCHING and args and isinstance(args[0], str | bytes | Path):
        name = os.fsdecode(args[0])
        if any(name.endswith(watched) for watched in _WATCHING):
            _OPENED.append(name)


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """The files named ``rahasia*`` that anything in this process tried to open."""
    if not getattr(sys, "_satudata_test_open_hook", False):
        sys.addaudithook(_record_opens)  # hooks cannot be removed: installed once
        sys._satudata_test_open_hook = True  # type: ignore[attr-defined]
    _OPENED.clear()
    _WATCHING[:] = ["rahasia.jsonld"]
    try:
        yield _OPENED
    finally:
        _WATCHING.clear()


def test_jsonld_contexts_nested_at_any_depth_are_never_fetched_nor_read(
    bench: Bench, opened_files: list[str]
) -> None:
    """Defect 4: the JSON-LD remote-context screen can be bypassed (a @context nested
    ~200+ levels deep is fetched; a file:// context is read from disk)."""
    secret = bench.tmp / "rahasia.jsonld"
    secret.write_text(json.dumps({"@context": {"kanari": f"http://{CANARY}/"}}), encoding="utf-8")
    opened_files.clear()  # writing it was this test
    document = bench.tmp / "katalog.jsonld"
    document.write_text(json.dumps(_jsonld_catalogue(_INLINE)), encoding="utf-8")
    bench.source(type="dcat", path=str(document))
    before = bench.good_state()
    with FaultServer() as server:
        server.route("/ctx.jsonld", Reply.json({"@context": {"x": "http://x.example/"}}))
        for name, attack in _attacks(server.url + "/ctx.jsonld", secret.as_uri()).items():
            document.write_text(json.dumps(attack), encoding="utf-8")
            run = bench.harvest()
            assert run.code == 5, (name, run.stderr)  # the one source failed
            assert run.outcome["status"] == "failed", name
            assert "@context" in run.outcome["error"], (name, run.outcome["error"])
            assert bench.last_job().status == "failed"
            assert server.requests == [], name
            assert opened_files == [], name
            assert CANARY not in run.stdout + run.stderr, name
            bench.assert_kept(before)
    assert CANARY.encode() not in bench.db.read_bytes()


def test_the_rdf_parser_cannot_reach_outside_the_document_even_past_the_screen(
    tmp_path: Path,
) -> None:
    """Defect 4, second line: should rdflib be led to a context the screen missed, the
    parse is sealed (no connection, no file opened) and refused with a clear reason."""
    from rdflib import Graph

    from satudata_cli.codecs.dcat import rdf

    secret = tmp_path / "rahasia.jsonld"
    secret.write_text(json.dumps({"@context": {"k": f"http://{CANARY}/"}}), encoding="utf-8")
    with FaultServer() as server:
        server.route("/ctx.jsonld", Reply.json({"@context": {"x": "http://x.example/"}}))
        for context in (secret.as_uri(), server.url + "/ctx.jsonld"):
            document = {"@context": context, "@id": "https://x.example/a", "k": "v"}
            with pytest.raises(PermissionError), rdf.quiet_rdflib(), rdf._sealed():
                Graph().parse(data=document, format="json-ld", publicID="https://x.example/")
        assert server.requests == []
    # the seal is for the parsing thread, during the parse only
    assert json.loads(secret.read_text(encoding="utf-8"))["@context"]["k"].startswith("http")
