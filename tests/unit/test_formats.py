"""Machine output formats: json, junit, sarif, github."""

from __future__ import annotations

import ast
import io
import json
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from satudata_cli.core.i18n import Lang
from satudata_cli.standard import formats
from satudata_cli.standard.findings import (
    Finding,
    Message,
    RecordResult,
    Severity,
    ValidationSummary,
)
from satudata_cli.standard.formats import (
    FORMATTERS,
    GithubFormatter,
    JsonFormatter,
    JUnitFormatter,
    SarifFormatter,
    escape_data,
    escape_property,
    source_uri,
)

ROOT = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = json.loads(
    (ROOT / "schemas" / "validation-report.schema.json").read_text(encoding="utf-8")
)
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.json").read_text("utf-8"))

NASTY = "<script>alert(\"x\") & 'y'</script>\nbaris dua, a:b 100% ]]>"
SRC_A = "data/ok file.json"
SRC_B = "dir/a,b:c%d.json"


def _results() -> list[RecordResult]:
    ok = RecordResult(
        source=SRC_A,
        record="jumlah-penduduk",
        index=1,
        line=3,
        findings=[
            Finding(
                rule="vocab.variant",
                severity=Severity.WARNING,
                path="$.frekuensi",
                message=Message("Nilai 'Tahunan' bukan bentuk baku → 'tahunan'", "Use 'tahunan'"),
                suggestion="tahunan",
            ),
        ],
    )
    bad = RecordResult(
        source=SRC_A,
        record="#2",
        index=2,
        findings=[
            Finding(
                rule="field.recommended",
                severity=Severity.INFO,
                path="$.tags",
                message=Message("Kolom dianjurkan 'tags' kosong", "Recommended field 'tags'"),
            ),
            Finding(
                rule="url.invalid",
                severity=Severity.ERROR,
                path="$.resources[0].url",
                message=Message(NASTY, "Bad URL: " + NASTY),
            ),
            Finding(
                rule="field.required",
                severity=Severity.ERROR,
                path="$",
                message=Message("Kolom wajib 'title' tidak ada", "Required field 'title'"),
            ),
        ],
    )
    unreadable = RecordResult(
        source=SRC_B,
        record=None,
        index=None,
        findings=[
            Finding(
                rule="file.unreadable",
                severity=Severity.ERROR,
                path="$",
                message=Message("JSON rusak\x01 di sini\x1b", "Broken JSON\x01 here\x1b"),
                line=4,
                column=7,
            ),
        ],
    )
    stdin = RecordResult(source="-", record="data-stdin", index=1)
    return [ok, bad, unreadable, stdin]


def _summary(results: Iterable[RecordResult]) -> ValidationSummary:
    summary = ValidationSummary()
    for result in results:
        summary.add(result)
    return summary


def _render(
    cls: type[formats.Formatter],
    results: Iterable[RecordResult],
    summary: ValidationSummary,
    lang: Lang = "id",
) -> str:
    out = io.StringIO()
    formatter = cls(out, lang=lang, tool_version="1.2.3")
    formatter.start()
    for result in results:
        formatter.result(result)
    formatter.finish(summary)
    return out.getvalue()


def test_registry() -> None:
    assert set(FORMATTERS) == {"json", "junit", "sarif", "github"}
    for name, cls in FORMATTERS.items():
        assert cls.name == name


def test_module_imports_no_cli_libraries() -> None:
    tree = ast.parse(Path(formats.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Name):
            assert node.id not in {"print", "exit"}
    assert not imported & {"typer", "rich", "sys"}


# --------------------------------------------------------------------------- json


def test_report_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)
    assert REPORT_SCHEMA["$id"] == "urn:satudata:schema:validation-report"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_json_validates_against_report_schema(lang: Lang) -> None:
    results = _results()
    summary = _summary(results)
    text = _render(JsonFormatter, results, summary, lang)
    assert text.endswith("}\n")
    doc = json.loads(text)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(doc)
    assert doc["tool"] == {"name": "satudata", "version": "1.2.3"}
    assert doc["lang"] == lang
    assert doc["summary"] == summary.to_dict()
    assert doc["summary"]["unreadable_files"] == 1
    assert doc["results"] == [r.to_dict(lang) for r in results]
    # Not escaped to \uXXXX.
    if lang == "id":
        assert "→" in text
    assert doc["results"][2]["record"] is None
    assert doc["results"][2]["findings"][0]["line"] == 4


def test_json_empty_run() -> None:
    text = _render(JsonFormatter, [], ValidationSummary())
    doc = json.loads(text)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(doc)
    assert doc["results"] == []


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["summary"].pop("files"),
        lambda d: d["summary"].__setitem__("errors", -1),
        lambda d: d["summary"].__setitem__("extra", 1),
        lambda d: d["results"][0]["findings"][0].__setitem__("rule", "Bad Rule"),
        lambda d: d["results"][0]["findings"][0].__setitem__("rule", "a..b"),
        lambda d: d["results"][0]["findings"][0].__setitem__("severity", "fatal"),
        lambda d: d["results"][0]["findings"][0].__setitem__("path", "resources"),
        lambda d: d["results"][0]["findings"][0].__setitem__("line", 0),
        lambda d: d["results"][0].pop("valid"),
        lambda d: d["results"][0].__setitem__("index", "1"),
        lambda d: d.__setitem__("lang", "fr"),
        lambda d: d["tool"].__setitem__("name", "other"),
    ],
)
def test_report_schema_rejects(mutate: Any) -> None:
    results = _results()
    doc = json.loads(_render(JsonFormatter, results, _summary(results)))
    mutate(doc)
    assert not jsonschema.Draft202012Validator(REPORT_SCHEMA).is_valid(doc)


class _CountingWriter(io.TextIOBase):
    """A text stream that keeps nothing but a character count."""

    def __init__(self) -> None:
        self.chars = 0

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


def _many(n: int) -> Iterator[RecordResult]:
    for i in range(1, n + 1):
        yield RecordResult(
            source=f"data/part-{i // 1000}.jsonl",
            record=f"dataset-{i}",
            index=i,
            line=i,
            findings=[
                Finding(
                    rule=f"rule.r{i % 7}",
                    severity=Severity.ERROR if i % 3 == 0 else Severity.WARNING,
                    path=f"$.resources[{i % 5}].url",
                    message=Message(f"Pesan nomor {i} ✓", f"Message number {i} ✓"),
                )
            ],
        )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cls", "n"), [(JsonFormatter, 50_000), (SarifFormatter, 20_000), (GithubFormatter, 20_000)]
)
def test_streams_with_flat_memory(cls: type[formats.Formatter], n: int) -> None:
    out = _CountingWriter()
    summary = ValidationSummary()
    tracemalloc.start()
    try:
        formatter = cls(out, lang="id", tool_version="1.2.3")  # type: ignore[arg-type]
        formatter.start()
        for result in _many(n):
            summary.add(result)
            formatter.result(result)
        formatter.finish(summary)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.chars > n * 80  # far more than the peak: nothing was kept
    assert peak < 1024 * 1024, peak


# --------------------------------------------------------------------------- junit


def _parse_xml(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_junit_structure_and_escaping() -> None:
    results = _results()
    root = _parse_xml(_render(JUnitFormatter, results, _summary(results), "en"))
    assert root.tag == "testsuites"
    assert root.attrib == {"name": "satudata", "tests": "4", "failures": "2", "errors": "0"}
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [SRC_A, SRC_B, "-"]
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [
        ("2", "1"),
        ("1", "1"),
        ("1", "0"),
    ]
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == ["jumlah-penduduk", "#2", SRC_B, "data-stdin"]
    assert [c.get("classname") for c in cases] == [SRC_A, SRC_A, SRC_B, "-"]

    ok, bad, unreadable, stdin = cases
    assert ok.find("failure") is None
    out = ok.find("system-out")
    assert out is not None
    assert out.text == "warning vocab.variant $.frekuensi: Use 'tahunan'"

    failure = bad.find("failure")
    assert failure is not None
    assert failure.get("message") == "2 error(s)"
    assert failure.get("type") == "satudata.validation"
    assert failure.text == (
        "error field.required $: Required field 'title'\n"
        f"error url.invalid $.resources[0].url: Bad URL: {NASTY}\n"
        "info field.recommended $.tags: Recommended field 'tags'"
    )

    failure = unreadable.find("failure")
    assert failure is not None
    assert failure.get("message") == "1 error(s)"
    assert failure.text == "error file.unreadable $: Broken JSON here"  # controls stripped

    assert list(stdin) == []


def test_junit_attribute_escaping() -> None:
    name = "a \"b\" <c> & 'd'\nе\x00f"
    results = [RecordResult(source=name, record=name, index=1)]
    root = _parse_xml(_render(JUnitFormatter, results, _summary(results)))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == "a \"b\" <c> & 'd'\nеf"
    assert root.find("testsuite").get("name") == case.get("classname")  # type: ignore[union-attr]


def test_junit_fail_on_warning_message() -> None:
    result = RecordResult(
        source="x.json",
        record="r",
        index=1,
        fail_on=Severity.WARNING,
        findings=[
            Finding("vocab.variant", Severity.WARNING, "$.a", Message("a", "a")),
            Finding("field.recommended", Severity.INFO, "$.b", Message("b", "b")),
        ],
    )
    root = _parse_xml(_render(JUnitFormatter, [result], _summary([result])))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "1 warning(s)"


def test_junit_empty_run() -> None:
    root = _parse_xml(_render(JUnitFormatter, [], ValidationSummary()))
    assert root.attrib["tests"] == "0"
    assert root.findall("testsuite") == []


def test_junit_spills_to_disk_and_copies_whole_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(JUnitFormatter, "SPOOL_MAX_BYTES", 1024)
    monkeypatch.setattr(JUnitFormatter, "COPY_CHUNK", 7)  # splits multi-byte characters
    results = list(_many(2_500))
    root = _parse_xml(_render(JUnitFormatter, results, _summary(results)))
    assert root.attrib["tests"] == "2500"
    assert root.attrib["failures"] == str(sum(1 for r in results if not r.valid))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f"data/part-{i}.jsonl" for i in range(3)]
    assert sum(int(s.attrib["tests"]) for s in suites) == 2500
    names = [c.get("name") for c in root.iter("testcase")]
    assert names == [f"dataset-{i}" for i in range(1, 2501)]
    texts = [c[0].text for c in root.iter("testcase")]
    assert all(t is not None and t.endswith("✓") for t in texts)


# --------------------------------------------------------------------------- sarif


def _sarif(lang: Lang = "id") -> dict[str, Any]:
    results = _results()
    text = _render(SarifFormatter, results, _summary(results), lang)
    assert text.endswith("\n")
    doc: dict[str, Any] = json.loads(text)
    return doc


def test_sarif_validates_against_official_schema() -> None:
    assert SARIF_SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"
    validator_cls = jsonschema.validators.validator_for(SARIF_SCHEMA)
    assert validator_cls is jsonschema.Draft4Validator
    validator_cls.check_schema(SARIF_SCHEMA)
    assert len(SARIF_SCHEMA["definitions"]) > 40  # the real schema, not a stub
    langs: tuple[Lang, ...] = ("id", "en")
    for lang in langs:
        doc = _sarif(lang)
        validator_cls(SARIF_SCHEMA, format_checker=validator_cls.FORMAT_CHECKER).validate(doc)
    empty = json.loads(_render(SarifFormatter, [], ValidationSummary()))
    validator_cls(SARIF_SCHEMA).validate(empty)
    assert empty["runs"][0]["results"] == []
    assert empty["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_content() -> None:
    doc = _sarif("en")
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    [run] = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "satudata"
    assert driver["version"] == "1.2.3"
    assert "informationUri" not in driver

    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert set(ids) == {
        "vocab.variant",
        "url.invalid",
        "field.required",
        "field.recommended",
        "file.unreadable",
    }
    by_id = {r["id"]: r for r in rules}
    assert by_id["vocab.variant"]["defaultConfiguration"] == {"level": "warning"}
    assert by_id["field.recommended"]["defaultConfiguration"] == {"level": "note"}
    assert by_id["vocab.variant"]["shortDescription"] == {"text": "Use 'tahunan'"}

    results = run["results"]
    assert len(results) == 5  # one per finding
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    levels = {res["ruleId"]: res["level"] for res in results}
    assert levels == {
        "vocab.variant": "warning",
        "field.required": "error",
        "url.invalid": "error",
        "field.recommended": "note",
        "file.unreadable": "error",
    }

    def one(rule: str) -> dict[str, Any]:
        [found] = [r for r in results if r["ruleId"] == rule]
        assert isinstance(found, dict)
        return found

    variant = one("vocab.variant")
    loc = variant["locations"][0]
    assert loc["physicalLocation"] == {
        "artifactLocation": {"uri": "data/ok%20file.json"},
        "region": {"startLine": 3},  # the record's line
    }
    assert loc["logicalLocations"] == [{"fullyQualifiedName": "jumlah-penduduk.frekuensi"}]
    assert variant["properties"] == {
        "jsonPath": "$.frekuensi",
        "record": "jumlah-penduduk",
        "suggestion": "tahunan",
    }

    url = one("url.invalid")
    assert url["message"] == {"text": "Bad URL: " + NASTY}
    assert "region" not in url["locations"][0]["physicalLocation"]  # line unknown
    assert url["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "#2.resources[0].url"
    )
    assert one("field.required")["locations"][0]["logicalLocations"][0] == {
        "fullyQualifiedName": "#2"
    }

    broken = one("file.unreadable")
    assert broken["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "dir/a%2Cb%3Ac%25d.json"},
        "region": {"startLine": 4, "startColumn": 7},
    }
    assert broken["properties"]["record"] == SRC_B


def test_sarif_stdin_uri() -> None:
    result = RecordResult(
        source="-",
        record="r",
        index=1,
        findings=[Finding("field.required", Severity.ERROR, "$", Message("a", "a"))],
    )
    doc = json.loads(_render(SarifFormatter, [result], _summary([result])))
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "stdin"}}


@pytest.mark.parametrize(
    ("source", "uri"),
    [
        ("-", "stdin"),
        ("a.json", "a.json"),
        ("./sub dir/ä.json", "sub%20dir/%C3%A4.json"),
        ("a:b#c?.json", "a%3Ab%23c%3F.json"),
        ("/tmp/x y.json", "file:///tmp/x%20y.json"),
        ("https://data.go.id/a.json", "https://data.go.id/a.json"),
        ("bad-\udcff.json", "bad-%FF.json"),
    ],
)
def test_source_uri(source: str, uri: str) -> None:
    assert source_uri(source) == uri


# --------------------------------------------------------------------------- github


def test_github_escaping_functions() -> None:
    assert escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad"
    assert escape_property("50% a:b,c\r\nd") == "50%25 a%3Ab%2Cc%0D%0Ad"


def test_github_lines() -> None:
    results = _results()
    text = _render(GithubFormatter, results, _summary(results), "id")
    assert text.splitlines() == [
        "::warning file=data/ok file.json,line=3,title=vocab.variant::"
        "Nilai 'Tahunan' bukan bentuk baku → 'tahunan' ($.frekuensi)",
        "::error file=data/ok file.json,title=field.required::Kolom wajib 'title' tidak ada ($)",
        "::error file=data/ok file.json,title=url.invalid::"
        "<script>alert(\"x\") & 'y'</script>%0Abaris dua, a:b 100%25 ]]> ($.resources[0].url)",
        "::notice file=data/ok file.json,title=field.recommended::"
        "Kolom dianjurkan 'tags' kosong ($.tags)",
        "::error file=dir/a%2Cb%3Ac%25d.json,line=4,col=7,title=file.unreadable::"
        "JSON rusak\x01 di sini\x1b ($)",
    ]
    assert text.endswith("\n")


def test_github_stdin_and_empty_finish() -> None:
    result = RecordResult(
        source="-",
        record="r",
        index=1,
        line=2,
        findings=[Finding("tanggal.invalid", Severity.INFO, "$.a", Message("x,y:z", "x"))],
    )
    text = _render(GithubFormatter, [result], _summary([result]))
    assert text == "::notice line=2,title=tanggal.invalid::x,y:z ($.a)\n"
    assert _render(GithubFormatter, [], ValidationSummary()) == ""
