"""The ``text`` output format of ``satudata validate``: aligned columns for people
(colour on a terminal through rich, plain text to a file or a pipe)."""

from __future__ import annotations

import io
from typing import ClassVar, TextIO

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from satudata_cli.cli.common import Color, make_console
from satudata_cli.core.i18n import Lang
from satudata_cli.standard.findings import RecordResult, Severity, ValidationSummary

_SEVERITY = {
    Severity.ERROR: Style.parse("bold red"),
    Severity.WARNING: Style.parse("yellow"),
    Severity.INFO: Style.parse("cyan"),
}
_GREEN, _RED = Style.parse("green"), Style.parse("bold red")
_BOLD, _DIM = Style.parse("bold"), Style.parse("dim")
_NEWLINE = Segment("\n")
_GAP = "  "  # between columns
_PATH_WIDTH = 30  # a longer JSON path is folded over several lines
_MIN_MESSAGE = 20  # on a very narrow terminal the message column keeps this much
_WORD = {
    "id": {Severity.ERROR: "GALAT", Severity.WARNING: "PERINGATAN", Severity.INFO: "INFO"},
    "en": {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"},
}


class TextFormatter:
    """One block per record with findings (a header, then one row per finding), then a
    summary.

    ``verbosity`` -1 shows only records that fail, 0 records with any finding,
    1 every record.
    """

    name: ClassVar[str] = "text"

    def __init__(
        self,
        out: TextIO,
        *,
        lang: Lang,
        tool_version: str,
        color: Color = Color.auto,
        verbosity: int = 0,
    ) -> None:
        self.console: Console = make_console(out, color)
        self.lang = lang
        self.verbosity = verbosity

    def start(self) -> None:
        return None

    def result(self, result: RecordResult) -> None:
        if self.verbosity < 0 and result.valid:
            return
        if not result.findings and self.verbosity < 1:
            return
        lang = self.lang
        where = result.source
        if result.record is not None:
            where += f" › {result.record}"
        if result.line is not None:
            where += f" ({'baris' if lang == 'id' else 'line'} {result.line})"
        counts = []
        if result.errors:
            counts.append(f"{result.errors} {'galat' if lang == 'id' else 'error(s)'}")
        if result.warnings:
            counts.append(f"{result.warnings} {'peringatan' if lang == 'id' else 'warning(s)'}")
        if result.infos:
            counts.append(f"{result.infos} info")
        pieces: list[Segment] = [
            Segment("✓ ", _GREEN) if result.valid else Segment("✗ ", _RED),
            Segment(_clean(where), _BOLD),
        ]
        if counts:
            pieces.append(Segment("  " + ", ".join(counts), _DIM))
        pieces.append(_NEWLINE)
        if result.findings:
            self._findings(result, pieces)
        if self.console.color_system is None:  # a file or a pipe: no style to render
            self.console.file.write("".join(piece.text for piece in pieces))
        else:
            self.console.print(_Block(pieces), soft_wrap=True, end="")

    def finish(self, summary: ValidationSummary) -> None:
        for line in summary_lines(summary, self.lang):
            self.console.print(line)

    def close(self) -> None:
        return None

    def _findings(self, result: RecordResult, pieces: list[Segment]) -> None:
        """The record's findings as aligned columns (severity, rule, path folded at 30
        cells, message wrapped to the console's width), appended to ``pieces``.

        Laid out here, one block of segments per record: a rich ``Table`` per record
        measured and rendered every cell twice (6.3 ms for a record of 17 findings, about
        150 records/s; now 0.25 ms to a file, 1 ms with colours on a terminal)."""
        lang = self.lang
        rows: list[tuple[Severity, str, str, str]] = []
        for finding in result.sorted_findings():
            message = finding.message.get(lang)
            if finding.line is not None:
                message += f" [{'baris' if lang == 'id' else 'line'} {finding.line}"
                if finding.column is not None:
                    message += f", {'kolom' if lang == 'id' else 'column'} {finding.column}"
                message += "]"
            rows.append(
                (finding.severity, _clean(finding.rule), _clean(finding.path), _clean(message))
            )
        words = _WORD[lang]
        severity_width = 2 + max(len(words[severity]) for severity, _, _, _ in rows)
        rule_width = max(cell_len(rule) for _, rule, _, _ in rows)
        path_width = min(_PATH_WIDTH, max(cell_len(path) for _, _, path, _ in rows))
        blank = " " * (severity_width + rule_width + 2 * len(_GAP))
        message_width = max(_MIN_MESSAGE, self.console.width - len(blank) - path_width - len(_GAP))
        for severity, rule, path, message in rows:
            paths = chop_cells(path, path_width) if cell_len(path) > path_width else [path]
            messages = _wrap(message, message_width)
            for i in range(max(len(paths), len(messages))):
                if i == 0:
                    word = words[severity]
                    pieces.append(Segment("  "))
                    pieces.append(Segment(word, _SEVERITY[severity]))
                    pieces.append(Segment(" " * (severity_width - 2 - len(word)) + _GAP))
                    pieces.append(Segment(rule, _DIM))
                    line = " " * (rule_width - cell_len(rule)) + _GAP
                else:
                    line = blank
                part = paths[i] if i < len(paths) else ""
                text = messages[i] if i < len(messages) else ""
                line += part + " " * (path_width - cell_len(part)) + _GAP + text
                pieces.append(Segment(line.rstrip() + "\n"))


class _Block:
    """Segments laid out by :class:`TextFormatter`, printed as they are."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.segments


def _clean(text: str) -> str:
    """No control characters (a terminal escape in a record's value), as rich's
    ``Text`` would strip them; tabs become spaces."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else " " if ch in "\t\n\r" else "" for ch in text)


def _wrap(message: str, width: int) -> list[str]:
    """``message`` in lines of at most ``width`` terminal cells, broken at spaces (a
    longer word is cut). Plain ASCII, nearly every message, is wrapped greedily here
    (a third of :func:`textwrap.wrap`'s time, which was a third of the whole text
    output); anything else by rich, which knows the width of every character."""
    if message.isascii():
        if len(message) <= width:
            return [message]
        lines: list[str] = []
        line = ""
        for word in message.split():
            while len(word) > width:  # a word longer than a line (a URL): cut it
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:width])
                word = word[width:]
            if not line:
                line = word
            elif len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                lines.append(line)
                line = word
        if line or not lines:
            lines.append(line)
        return lines
    if cell_len(message) <= width:
        return [message]
    return [line.plain for line in Text(message).wrap(_MEASURE, width, overflow="fold")]


_MEASURE = Console(width=200, color_system=None, file=io.StringIO())


def summary_lines(summary: ValidationSummary, lang: Lang) -> list[Text]:
    if lang == "id":
        head = (
            f"Ringkasan: {summary.records} rekaman dari {summary.files} berkas: "
            f"{summary.valid} sah, {summary.invalid} tidak sah; "
            f"{summary.errors} galat, {summary.warnings} peringatan, {summary.infos} info"
        )
    else:
        head = (
            f"Summary: {summary.records} records in {summary.files} files: "
            f"{summary.valid} valid, {summary.invalid} invalid; "
            f"{summary.errors} errors, {summary.warnings} warnings, {summary.infos} infos"
        )
    lines = [Text(head, style="bold green" if summary.ok else "bold red")]
    if summary.rule_counts:
        top = sorted(summary.rule_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        label = "Aturan terbanyak" if lang == "id" else "Most frequent rules"
        lines.append(Text(f"{label}: " + ", ".join(f"{r} ({n})" for r, n in top), style="dim"))
    return lines
