"""The seeded mutation fuzzer (tests/helpers/fuzz.py) with its CI budget: 300 inputs.

Every reader (JSON, JSON Lines, YAML, CSV/TSV, XLSX, RDF as Turtle, RDF/XML and
JSON-LD, data.json, CKAN and JSON API responses) and every configuration file (source,
target, profile) gets mutated inputs through the real CLI in subprocesses with a 1 GiB
address-space cap: the exit code must be one the command documents, with no
traceback and no "internal error", no job left running and no remote JSON-LD context
fetched. The inputs are the same on every run (seeded); a longer campaign is
``python benchmarks/run.py fuzz --budget N``.

The tests after the campaign pin what the fuzzer found beyond the defects of issue 16.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import fuzz
from tests.helpers.cli import write_source
from tests.helpers.jsonapi_fixture import StaticFixture

BUDGET = fuzz.split(300)  # inputs per harness, 300 in all


def test_the_budget_covers_every_harness_and_reader() -> None:
    assert set(BUDGET) == set(fuzz.HARNESSES)
    assert sum(BUDGET.values()) == 300
    assert BUDGET == fuzz.WEIGHTS
    kinds = {kind for harness in fuzz.HARNESSES.values() for kind in harness.kinds}
    assert kinds == set(fuzz.KINDS)


def test_the_inputs_are_the_same_on_every_run() -> None:
    canary = "http://127.0.0.1:1" + fuzz.CANARY_PATH
    first = fuzz.make_inputs(("yaml", "xlsx", "jsonld"), 9, 16, canary=canary)
    again = fuzz.make_inputs(("yaml", "xlsx", "jsonld"), 9, 16, canary=canary)
    assert [i.data for i in first] == [i.data for i in again]
    seeds = {k: fuzz.KINDS[k].seed() for k in ("yaml", "xlsx", "jsonld")}
    assert sum(i.data != seeds[i.kind] for i in first) >= 8  # they are mutants


@pytest.mark.parametrize("harness", list(BUDGET))
def test_fuzz(harness: str, tmp_path: Path) -> None:
    """Mutated inputs through the real CLI: documented exit codes only, no traceback,
    no internal error, bounded memory (RLIMIT_AS 1 GiB), nothing left running."""
    outcome = fuzz.fuzz(harness, BUDGET[harness], tmp_path, batch=50, bisect_limit=12)
    assert outcome.inputs == BUDGET[harness]
    report = "\n".join(f.describe() for f in outcome.failures)
    assert not outcome.failures, f"{outcome.crashes} failing input(s):\n{report}"


# ------------------------------------------------------------- what the fuzzer found


def _harvest(tmp_path: Path, source: dict[str, object]) -> fuzz.Run:
    cfg = tmp_path / "cfg"
    write_source(cfg, "found", title="Found by the fuzzer", **source)
    db = tmp_path / "katalog.db"
    return fuzz.cli(
        ["--db", str(db), "--config-dir", str(cfg), "harvest", "--all", "--json"], tmp_path
    )


def test_ill_typed_rdf_literal_prints_no_traceback(tmp_path: Path) -> None:
    """Found by the fuzzer: a Turtle ``"2025-02-29"^^xsd:date`` made rdflib log a
    warning with a traceback, which Python's last-resort handler printed on stderr.
    Other libraries' log lines are now one line each, shown with -v."""
    text = (fuzz.ROOT / "tests/data/dcat/catalog.ttl").read_text(encoding="utf-8")
    assert '"2021-03-15"^^xsd:date' in text
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "c.ttl").write_text(
        text.replace('"2021-03-15"^^xsd:date', '"2025-02-29"^^xsd:date'), encoding="utf-8"
    )
    run = _harvest(tmp_path, {"type": "dcat", "path": "c.ttl", "organization": "Kota Medan"})
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr and "ValueError" not in run.stderr
    [outcome] = json.loads(run.stdout)
    assert outcome["status"] == "finished" and outcome["added"] == 2


def test_deeply_nested_api_response_is_a_source_error(tmp_path: Path) -> None:
    """Found by the fuzzer: a CKAN answer nested 3,000 levels deep was a RecursionError
    ("internal error") in the source and exit 70 in ``sources check``; it is an answer
    that cannot be read, like broken JSON."""
    body = b'{"success": true, "result": ' + b'{"a":' * 3000 + b"1" + b"}" * 3001
    files = {"/api/3/action/package_search": (body, "application/json")}
    with StaticFixture(files) as portal:
        http = {"retries": 0, "timeout": 10}
        run = _harvest(tmp_path, {"type": "ckan", "url": portal.url, "http": http})
        check = fuzz.cli(
            ["--config-dir", str(tmp_path / "cfg"), "sources", "check", "found"], tmp_path
        )
    for result in (run, check):
        assert result.code == 5, result.stdout + result.stderr
        assert "internal error" not in result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr
    [outcome] = json.loads(run.stdout)
    assert outcome["status"] == "failed"
    assert "package_search" in outcome["error"] and "internal" not in outcome["error"]


def test_data_json_nested_too_deeply_is_a_source_error(tmp_path: Path) -> None:
    """Found by the fuzzer, the same for a data.json file read from disk."""
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "data.json").write_text('{"dataset": ' + "[" * 5000 + "]" * 5000 + "}")
    run = _harvest(tmp_path, {"type": "datajson", "path": "data.json"})
    assert run.code == 5, run.stderr
    [outcome] = json.loads(run.stdout)
    assert "nested too deeply" in outcome["error"]


def test_json_ld_context_nested_too_deeply_is_a_source_error(tmp_path: Path) -> None:
    """Found by the fuzzer (run.py's campaign of 3,000 inputs, seed 16): a JSON-LD
    ``@context`` nested thousands of levels deep was a RecursionError ("internal error",
    exit 70 in ``sources check``) in the screen that reads each context alone; it is a
    document that cannot be read, named by the whole-document screen."""
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "catalog.jsonld").write_text(
        '{"@context": {"dcat": ' + "[" * 5000 + "]" * 5000 + '}, "@id": "https://x.example/d"}'
    )
    run = _harvest(tmp_path, {"type": "dcat", "path": "catalog.jsonld"})
    assert run.code == 5, run.stderr
    assert "Traceback" not in run.stderr and "internal" not in run.stderr
    [outcome] = json.loads(run.stdout)
    assert outcome["status"] == "failed"
    assert "nested too deeply" in outcome["error"]


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
@pytest.mark.parametrize("fmt", ["--json", "--format=text"])
def test_a_lone_surrogate_in_a_note_is_written_as_its_escape(
    tmp_path: Path, locale: str, fmt: str
) -> None:
    """Found by the fuzzer (seed 7, 10,000 inputs): a data.json whose ``describedBy``
    is ``"\\udfff"`` gave a job note holding a lone surrogate, which standard output
    could not encode: the harvest ended in an internal error (exit 70) after it was
    stored. Standard output now writes such a character as its escape, under any
    locale (a C locale's ``surrogateescape`` covers only undecodable bytes)."""
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "data.json").write_text(
        '{"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "describedBy":'
        ' "\\udfff", "dataset": [{"identifier": "a1", "title": "Data A", "description":'
        ' "Keterangan", "keyword": ["a"], "modified": "2025-01-01", "publisher":'
        ' {"name": "Dinas"}, "accessLevel": "public"}]}',
        encoding="utf-8",
    )
    write_source(tmp_path / "cfg", "found", title="Found by the fuzzer", type="datajson",
                 path="data.json")  # fmt: skip
    args = ["--db", str(tmp_path / "k.db"), "--config-dir", str(tmp_path / "cfg")]
    run = fuzz.cli([*args, "harvest", "--all", fmt], tmp_path, {"LC_ALL": locale, "LANG": locale})
    assert run.code == 0, run.stderr
    assert "internal" not in run.stderr
    if fmt == "--json":
        [outcome] = json.loads(run.stdout)
        assert outcome["added"] == 1
        assert any("describedBy" in note and "\udfff" in note for note in outcome["notes"])
    else:
        assert "found" in run.stdout


_NOT_PACKAGES = [{"name": "x"}, 1, "a", None]


@pytest.mark.parametrize(
    ("search", "action"),
    [
        ({"result": _NOT_PACKAGES}, "current_package_list_with_resources"),
        ({"result": {"count": 1_000_000, "results": _NOT_PACKAGES}}, "package_search"),
    ],
    ids=["current-list", "search-with-a-lying-count"],
)
def test_a_repeated_page_of_items_without_ids_ends_the_pass(
    tmp_path: Path, search: dict[str, object], action: str
) -> None:
    """Found by the fuzzer (seed 11, 10,000 inputs): a CKAN portal that ignores the
    offset and answers with a page none of whose items is a package with an id was read
    for ever (the harness gave up after 120 s, the job left running): the check for a
    repeated page compared package ids, and there were none. Such a page is now
    recognised by its content: its items are errored records once, and the pass ends
    as not complete."""
    listing = json.dumps({"success": True, "result": _NOT_PACKAGES}).encode()
    files = {
        "/api/3/action/package_search": (
            json.dumps({"success": True, **search}).encode(),
            "application/json",
        ),
        "/api/3/action/current_package_list_with_resources": (listing, "application/json"),
    }
    with StaticFixture(files) as portal:
        http = {"retries": 0, "timeout": 10}
        run = _harvest(tmp_path, {"type": "ckan", "url": portal.url, "http": http})
    assert run.code == 3, run.stdout + run.stderr
    [outcome] = json.loads(run.stdout)
    assert outcome["status"] == "finished"
    assert outcome["errored"] == len(_NOT_PACKAGES)
    assert f"{action} at" in outcome["incomplete_reason"]
    assert "returned the same page again" in outcome["incomplete_reason"]


_LONG = "z" * 300  # longer than any file system's name limit (255 bytes on Linux)


@pytest.mark.parametrize(
    "args",
    [
        ["--db", f"{_LONG}/k.db", "catalog", "list"],
        ["--db", f"{_LONG}/k.db", "links", "check"],
        ["--db", f"{_LONG}/k.db", "info"],
        ["--db", f"{_LONG}/k.db", "report", "compliance"],
        ["--db", f"{_LONG}/k.db", "report", "trend"],
        ["--config-dir", _LONG, "sources", "list"],
        ["--config-dir", _LONG, "harvest", "--all"],
        ["init", _LONG],
        ["validate", _LONG],
        ["validate", "--profile", _LONG, "-"],
    ],
    ids=lambda args: " ".join(a for a in args if a != _LONG and not a.startswith("z")),
)
def test_a_path_name_too_long_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    """Found by the fuzz campaign (seed 47, a profile's ``extends``), then by hand: a
    path longer than the file system allows made ``Path.exists`` raise ENAMETOOLONG,
    an internal error (exit 70) in many commands. It is a usage error naming the path,
    from the command's own check or from the last resort in ``cli.main``."""
    run = fuzz.cli(args, tmp_path)
    assert run.code == 2, run.stdout + run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert "zzzzzzzzzz" in run.stderr


def test_a_folder_source_whose_path_is_too_long_fails_with_its_message(tmp_path: Path) -> None:
    run = _harvest(tmp_path, {"type": "directory", "path": _LONG})
    assert run.code == 5, run.stderr
    [outcome] = json.loads(run.stdout)
    assert "internal" not in outcome["error"] and "does not exist" in outcome["error"]
