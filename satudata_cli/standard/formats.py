"""Machine output formats for ``satudata validate``: JSON, JUnit XML, SARIF, GitHub.

Every formatter is a stream: ``start()`` once, ``result()`` once per
:class:`RecordResult` as the validator produces it, ``finish()`` once with the
run's :class:`ValidationSummary`. No formatter keeps the results in a list, so
memory stays flat however many records a run has; each keeps only what its
format truly needs (SARIF its rule table, JUnit a per-file count while its test
cases wait in a spooled temporary file for the totals that head the document).

This module only writes to the text stream it is given: no printing, no exit.
The human ``text`` format lives with the CLI.
"""

from __future__ import annotations

import json
import re
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import IO, Any, ClassVar, Protocol, TextIO
from urllib.parse import quote

from satudata_cli.core.i18n import Lang
from satudata_cli.standard.findings import Finding, RecordResult, Severity, ValidationSummary

TOOL_NAME = "satudata"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
STDIN_SOURCE = "-"
STDIN_URI = "stdin"


class Formatter(Protocol):
    """What the CLI drives: one output format written as results arrive."""

    name: ClassVar[str]

    def __init__(self, out: TextIO, *, lang: Lang, tool_version: str) -> None: ...

    def start(self) -> None: ...

    def result(self, result: RecordResult) -> None: ...

    def finish(self, summary: ValidationSummary) -> None: ...

    def close(self) -> None: ...


class BaseFormatter(ABC):
    """Keeps the stream, language and tool version; subclasses write the format."""

    name: ClassVar[str]

    def __init__(self, out: TextIO, *, lang: Lang, tool_version: str) -> None:
        self.out = out
        self.lang: Lang = lang
        self.tool_version = tool_version

    def start(self) -> None:  # noqa: B027 - optional hook, most formats have a header
        """Write what comes before the first result (nothing by default)."""

    @abstractmethod
    def result(self, result: RecordResult) -> None:
        """Write (or spool) one record's verdict."""

    @abstractmethod
    def finish(self, summary: ValidationSummary) -> None:
        """Write what comes after the last result."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release what the formatter holds; called whether or not ``finish`` ran."""


def record_label(result: RecordResult) -> str:
    """The name a record goes by in reports: its label, ``#<index>``, else the file."""
    if result.record is not None:
        return result.record
    if result.index is not None:
        return f"#{result.index}"
    return result.source


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- json


class JsonFormatter(BaseFormatter):
    """One JSON object (``schemas/validation-report.schema.json``), results streamed."""

    name: ClassVar[str] = "json"

    def __init__(self, out: TextIO, *, lang: Lang, tool_version: str) -> None:
        super().__init__(out, lang=lang, tool_version=tool_version)
        self._count = 0

    def start(self) -> None:
        tool = _dumps({"name": TOOL_NAME, "version": self.tool_version})
        self.out.write(f'{{"tool": {tool}, "lang": {_dumps(self.lang)}, "results": [')

    def result(self, result: RecordResult) -> None:
        self.out.write(",\n" if self._count else "\n")
        self.out.write(_dumps(result.to_dict(self.lang)))
        self._count += 1

    def finish(self, summary: ValidationSummary) -> None:
        self.out.write("\n]" if self._count else "]")
        self.out.write(f', "summary": {_dumps(summary.to_dict())}}}\n')


# --------------------------------------------------------------------------- junit


@cache
def _xml_forbidden() -> re.Pattern[str]:
    """Characters XML 1.0 does not allow, even escaped: all but tab, LF, CR and everything
    from space up, minus the surrogate block and U+FFFE/U+FFFF. Compiled on first use
    (5 ms), like the ``xml.sax`` import (20 ms): only the JUnit format needs them, and
    every ``satudata validate`` loads this module (docs/benchmarks.md, start-up)."""
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_xml_forbidden().sub("", text))


def _xml_attr(text: str) -> str:
    """A quoted attribute value; newlines and tabs kept as character references."""
    from xml.sax.saxutils import quoteattr

    return quoteattr(_xml_forbidden().sub("", text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _finding_line(finding: Finding, lang: Lang) -> str:
    return f"{finding.severity.value} {finding.rule} {finding.path}: {finding.message.get(lang)}"


@dataclass(slots=True)
class _Suite:
    name: str
    tests: int = 0
    failures: int = 0
    nbytes: int = 0


class JUnitFormatter(BaseFormatter):
    """JUnit XML as Jenkins and GitLab read it: one suite per file, one case per record.

    The totals belong in the attributes at the top, so test cases are spooled
    (in memory, then on disk past a few MiB) and the document is written at
    ``finish``. Results arrive grouped by source; each run of one source becomes
    one ``<testsuite>``. Only a per-suite count is held in memory.
    """

    name: ClassVar[str] = "junit"
    SPOOL_MAX_BYTES: ClassVar[int] = 4 * 1024 * 1024
    COPY_CHUNK: ClassVar[int] = 64 * 1024

    def __init__(self, out: TextIO, *, lang: Lang, tool_version: str) -> None:
        super().__init__(out, lang=lang, tool_version=tool_version)
        # Closed by finish(); the document cannot be written before then.
        self._spool: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=self.SPOOL_MAX_BYTES
        )
        self._suites: list[_Suite] = []

    def result(self, result: RecordResult) -> None:
        if not self._suites or self._suites[-1].name != result.source:
            self._suites.append(_Suite(result.source))
        suite = self._suites[-1]
        suite.tests += 1
        attrs = f"classname={_xml_attr(result.source)} name={_xml_attr(record_label(result))}"
        lines = "\n".join(_finding_line(f, self.lang) for f in result.sorted_findings())
        if not result.valid:
            suite.failures += 1
            message = _xml_attr(self._failure_message(result))
            body = (
                f'<failure message={message} type="satudata.validation">'
                f"{_xml_text(lines)}</failure>"
            )
        elif lines:
            body = f"<system-out>{_xml_text(lines)}</system-out>"
        else:
            body = ""
        case = (
            f"    <testcase {attrs}>{body}</testcase>\n" if body else f"    <testcase {attrs}/>\n"
        )
        data = case.encode("utf-8")
        self._spool.write(data)
        suite.nbytes += len(data)

    @staticmethod
    def _failure_message(result: RecordResult) -> str:
        if result.errors:
            return f"{result.errors} error(s)"
        # Failed at a lower --fail-on threshold: count what reached it.
        threshold = result.fail_on.rank
        reached = sum(1 for f in result.findings if f.severity.rank >= threshold)
        return f"{reached} {result.fail_on.value}(s)"

    def finish(self, summary: ValidationSummary) -> None:
        tests = sum(s.tests for s in self._suites)
        failures = sum(s.failures for s in self._suites)
        write = self.out.write
        write('<?xml version="1.0" encoding="UTF-8"?>\n')
        write(f'<testsuites name="{TOOL_NAME}" tests="{tests}" failures="{failures}" errors="0">\n')
        self._spool.seek(0)
        for suite in self._suites:
            write(
                f'  <testsuite name={_xml_attr(suite.name)} tests="{suite.tests}"'
                f' failures="{suite.failures}" errors="0" skipped="0">\n'
            )
            self._copy(suite.nbytes)
            write("  </testsuite>\n")
        write("</testsuites>\n")
        self.close()

    def close(self) -> None:
        self._spool.close()

    def _copy(self, nbytes: int) -> None:
        """Copy one suite's bytes; test cases are whole lines, so chunks split cleanly."""
        remaining = nbytes
        while remaining:
            chunk = self._spool.read(min(remaining, self.COPY_CHUNK))
            if not chunk:  # pragma: no cover - the spool holds what was counted
                break
            remaining -= len(chunk)
            # Extend to the end of the line so a multi-byte character is never split.
            if remaining and not chunk.endswith(b"\n"):
                rest = self._spool.readline(remaining)
                remaining -= len(rest)
                chunk += rest
            self.out.write(chunk.decode("utf-8"))


# --------------------------------------------------------------------------- sarif

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def source_uri(source: str) -> str:
    """The source as a URI reference: relative paths percent-encoded, ``-`` as ``stdin``."""
    if source == STDIN_SOURCE:
        return STDIN_URI
    if _URI_SCHEME.match(source):
        return source
    path = PurePosixPath(source)
    text = path.as_posix()
    if path.is_absolute():
        return "file://" + quote(text, safe="/", errors="surrogateescape")
    return quote(text, safe="/", errors="surrogateescape")


class SarifFormatter(BaseFormatter):
    """SARIF 2.1.0, one run; results streamed, the rule table written at the end."""

    name: ClassVar[str] = "sarif"

    def __init__(self, out: TextIO, *, lang: Lang, tool_version: str) -> None:
        super().__init__(out, lang=lang, tool_version=tool_version)
        self._rule_index: dict[str, int] = {}
        self._rules: list[dict[str, Any]] = []
        self._count = 0
        self._uri_for: tuple[str, str] | None = None  # (source, uri) of the current source

    def start(self) -> None:
        self.out.write(
            f'{{"$schema": {_dumps(SARIF_SCHEMA)}, "version": {_dumps(SARIF_VERSION)}, "runs": [\n'
            f'{{"language": {_dumps(self.lang)}, "columnKind": "unicodeCodePoints", "results": ['
        )

    def _rule(self, finding: Finding) -> int:
        index = self._rule_index.get(finding.rule)
        if index is None:
            index = len(self._rules)
            self._rule_index[finding.rule] = index
            self._rules.append(
                {
                    "id": finding.rule,
                    "shortDescription": {"text": finding.message.get(self.lang)},
                    "defaultConfiguration": {"level": _SARIF_LEVEL[finding.severity]},
                }
            )
        return index

    def result(self, result: RecordResult) -> None:
        if self._uri_for is None or self._uri_for[0] != result.source:
            self._uri_for = (result.source, source_uri(result.source))
        uri = self._uri_for[1]
        label = record_label(result)
        for finding in result.sorted_findings():
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
            line = finding.line if finding.line is not None else result.line
            if line is not None:
                region: dict[str, int] = {"startLine": line}
                if finding.column is not None:
                    region["startColumn"] = finding.column
                physical["region"] = region
            properties: dict[str, Any] = {"jsonPath": finding.path, "record": label}
            if finding.suggestion is not None:
                properties["suggestion"] = finding.suggestion
            item = {
                "ruleId": finding.rule,
                "ruleIndex": self._rule(finding),
                "level": _SARIF_LEVEL[finding.severity],
                "message": {"text": finding.message.get(self.lang)},
                "locations": [
                    {
                        "physicalLocation": physical,
                        "logicalLocations": [
                            {"fullyQualifiedName": label + finding.path.removeprefix("$")}
                        ],
                    }
                ],
                "properties": properties,
            }
            self.out.write(",\n" if self._count else "\n")
            self.out.write(_dumps(item))
            self._count += 1

    def finish(self, summary: ValidationSummary) -> None:
        driver = {"name": TOOL_NAME, "version": self.tool_version, "rules": self._rules}
        self.out.write("\n]" if self._count else "]")
        self.out.write(f', "tool": {{"driver": {_dumps(driver)}}}}}\n]}}\n')


# --------------------------------------------------------------------------- github


def escape_data(text: str) -> str:
    """Escape a workflow command's message as ``@actions/core`` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value as ``@actions/core`` does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


class GithubFormatter(BaseFormatter):
    """GitHub Actions annotations: one workflow command line per finding."""

    name: ClassVar[str] = "github"

    def result(self, result: RecordResult) -> None:
        for finding in result.sorted_findings():
            props: list[str] = []
            if result.source != STDIN_SOURCE:
                props.append(f"file={escape_property(result.source)}")
            line = finding.line if finding.line is not None else result.line
            if line is not None:
                props.append(f"line={line}")
                if finding.column is not None:
                    props.append(f"col={finding.column}")
            props.append(f"title={escape_property(finding.rule)}")
            message = escape_data(f"{finding.message.get(self.lang)} ({finding.path})")
            command = _GITHUB_COMMAND[finding.severity]
            self.out.write(f"::{command} {','.join(props)}::{message}\n")

    def finish(self, summary: ValidationSummary) -> None:
        """Nothing: the CLI reports the summary on stderr."""


FORMATTERS: dict[str, type[Formatter]] = {
    cls.name: cls for cls in (JsonFormatter, JUnitFormatter, SarifFormatter, GithubFormatter)
}
