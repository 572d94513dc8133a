"""The ``text`` output format of ``satudata validate``: rich tables for people."""

from __future__ import annotations

from typing import ClassVar, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from satudata_cli.cli.common import Color, make_console
from satudata_cli.core.i18n import Lang
from satudata_cli.core.messages import VALUES, M
from satudata_cli.standard.findings import RecordResult, Severity, ValidationSummary

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


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
            where += " " + M.text_at_line.format(line=result.line).get(lang)
        mark = Text("✓ " if result.valid else "✗ ", style="green" if result.valid else "bold red")
        header = Text.assemble(mark, Text(where, style="bold"))
        counts = []
        if result.errors:
            counts.append(M.text_errors.format(n=result.errors).get(lang))
        if result.warnings:
            counts.append(M.text_warnings.format(n=result.warnings).get(lang))
        if result.infos:
            counts.append(M.text_infos.format(n=result.infos).get(lang))
        if counts:
            header.append("  " + ", ".join(counts), style="dim")
        self.console.print(header)
        if not result.findings:
            return
        table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True, style="dim")
        table.add_column(no_wrap=False, max_width=30, overflow="fold")
        table.add_column(ratio=1, overflow="fold")
        for finding in result.sorted_findings():
            message = finding.message.get(lang)
            if finding.line is not None:
                place = (
                    M.text_line_column.format(line=finding.line, column=finding.column)
                    if finding.column is not None
                    else M.text_line.format(line=finding.line)
                )
                message += f" [{place.get(lang)}]"
            word = VALUES[finding.severity.value].get(lang).upper()
            table.add_row(
                Text("  " + word, style=_STYLE[finding.severity]),
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
    head = M.text_summary.format(
        records=summary.records,
        files=summary.files,
        valid=summary.valid,
        invalid=summary.invalid,
        errors=summary.errors,
        warnings=summary.warnings,
        infos=summary.infos,
    ).get(lang)
    lines = [Text(head, style="bold green" if summary.ok else "bold red")]
    if summary.rule_counts:
        top = sorted(summary.rule_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        rules = ", ".join(f"{r} ({n})" for r, n in top)
        lines.append(Text(M.text_top_rules.format(rules=rules).get(lang), style="dim"))
    return lines
