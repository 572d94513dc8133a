"""The ``text`` output format of ``satudata validate``: rich tables for people."""

from __future__ import annotations

from typing import ClassVar, TextIO

from rich.console import Console
from rich.text import Text

from satudata_cli.cli.common import Color, make_console
from satudata_cli.core.i18n import Lang
from satudata_cli.standard.findings import RecordResult, Severity, ValidationSummary

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_WORD = {
    "id": {Severity.ERROR: "GALAT", Severity.WARNING: "PERINGATAN", Severity.INFO: "INFO"},
    "en": {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"},
}


class TextFormatter:
    """One table per record with findings, then a summary.

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
        mark = Text("✓ " if result.valid else "✗ ", style="green" if result.valid else "bold red")
        header = Text.assemble(mark, Text(where, style="bold"))
        counts = []
        if result.errors:
            counts.append(f"{result.errors} {'galat' if lang == 'id' else 'error(s)'}")
        if result.warnings:
            counts.append(f"{result.warnings} {'peringatan' if lang == 'id' else 'warning(s)'}")
        if result.infos:
            counts.append(f"{result.infos} info")
        if counts:
            header.append("  " + ", ".join(counts), style="dim")
        self.console.print(header)
        if not result.findings:
            return
        from rich.table import Table  # only for a record with findings

        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, style="dim")
        table.add_column(no_wrap=False, max_width=30, overflow="fold")
        table.add_column(ratio=1, overflow="fold")
        for finding in result.sorted_findings():
            message = finding.message.get(lang)
            if finding.line is not None:
                message += f" [{'baris' if lang == 'id' else 'line'} {finding.line}"
                if finding.column is not None:
                    message += f", {'kolom' if lang == 'id' else 'column'} {finding.column}"
                message += "]"
            table.add_row(
                Text("  " + _WORD[lang][finding.severity], style=_STYLE[finding.severity]),
                Text(finding.rule),
                Text(finding.path),
                Text(message),
            )
        self.console.print(table)

    def finish(self, summary: ValidationSummary) -> None:
        for line in summary_lines(summary, self.lang):
            self.console.print(line)

    def close(self) -> None:
        return None


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
