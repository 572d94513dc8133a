"""The one finding model that every output format renders.

A :class:`Finding` is one thing the validator noticed about one record (or one
file that could not be read). It carries its message in Indonesian and English,
so a renderer only chooses a language. A :class:`RecordResult` groups the
findings of one record; a :class:`ValidationSummary` counts a whole run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from satudata_cli.core.i18n import Lang, Message

__all__ = ["Finding", "Message", "RecordResult", "Severity", "ValidationSummary", "json_path"]

#: The verdict columns a spreadsheet export of the katalog adds to each row (the stored
#: validity, error and warning counts and the compliance score). They are judgements,
#: not metadata: a sheet row that carries ``valid``, ``errors`` and ``warnings``
#: together has all four left out when it is read back (:meth:`Validator.from_row`).
VERDICT_COLUMNS: Final[tuple[str, ...]] = ("valid", "errors", "warnings", "score")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        # a StrEnum member hashes and compares as its text: no (slow) ``value`` lookup
        return _RANK[self]


_RANK = {"error": 2, "warning": 1, "info": 0}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's verdict on one place of one record.

    ``path`` is a JSON path into the record (``$.resources[0].url``); ``$`` for the
    whole record or file. ``suggestion`` carries the canonical value when the rule
    knows it (``Tahunan`` -> ``tahunan``). ``line``/``column`` are set for findings
    about a file that could not be parsed, where the parser gives them.
    """

    rule: str
    severity: Severity
    path: str
    message: Message
    suggestion: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "message": self.message.get(lang),
        }
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        return out


def json_path(parts: Iterable[str | int]) -> str:
    """``["resources", 0, "url"]`` -> ``$.resources[0].url``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            out += f"['{escaped}']"
    return out


@dataclass(slots=True)
class RecordResult:
    """The verdict on one record of one input.

    ``record`` is a short label (the record's ``name``, else its title, else
    ``#<index>``); ``None`` when the whole file could not be read. ``index`` is the
    record's 1-based position in its input, ``line`` its line where known.
    ``normalized`` is the record with vocabulary values, region codes and dates in
    canonical form (what the catalogue stores); ``None`` for an unreadable file.
    """

    source: str
    record: str | None
    index: int | None
    findings: list[Finding] = field(default_factory=list)
    line: int | None = None
    normalized: dict[str, Any] | None = None
    fail_on: Severity = Severity.ERROR

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def infos(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.INFO)

    @property
    def valid(self) -> bool:
        """Valid unless a finding reaches the ``fail_on`` severity."""
        threshold = self.fail_on.rank
        return not any(f.severity.rank >= threshold for f in self.findings)

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "record": self.record,
            "index": self.index,
            "valid": self.valid,
            "findings": [f.to_dict(lang) for f in self.sorted_findings()],
        }
        if self.line is not None:
            out["line"] = self.line
        return out

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (-f.severity.rank, f.path, f.rule))


@dataclass(slots=True)
class ValidationSummary:
    """Counts over a run; fed one result at a time so memory stays flat."""

    records: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    files: int = 0
    unreadable_files: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    _last_source: str | None = field(default=None, repr=False)

    def add(self, result: RecordResult) -> None:
        source = _file_of(result.source)
        if source != self._last_source:
            self.files += 1
            self._last_source = source
        if result.record is None and result.index is None:
            self.unreadable_files += 1
        self.records += 1
        if result.valid:
            self.valid += 1
        else:
            self.invalid += 1
        for finding in result.findings:
            if finding.severity is Severity.ERROR:
                self.errors += 1
            elif finding.severity is Severity.WARNING:
                self.warnings += 1
            else:
                self.infos += 1
            self.rule_counts[finding.rule] = self.rule_counts.get(finding.rule, 0) + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "files": self.files,
            "unreadable_files": self.unreadable_files,
        }

    @property
    def ok(self) -> bool:
        return self.invalid == 0


_SHEET_SUFFIXES = (".xlsx#", ".xlsm#")


def _file_of(source: str) -> str:
    """The file a source names: ``book.xlsx#Sheet2`` is one sheet of ``book.xlsx``."""
    lowered = source.lower()
    for suffix in _SHEET_SUFFIXES:
        at = lowered.rfind(suffix)
        if at != -1:
            return source[: at + len(suffix) - 1]
    return source
