"""``satudata publish``: from the katalog onto a CKAN portal."""

from __future__ import annotations

import contextlib
import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from satudata_cli.cli.common import Color, ColorOption, cli_errors, make_console, notice
from satudata_cli.cli.context import json_logging, options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.options import (
    JsonOption,
    LockWaitOption,
    PublishFormatOption,
    TextOrJson,
    source_option,
    text_or_json,
)
from satudata_cli.cli.output import ListFormat, render_rows
from satudata_cli.core.signals import stop_on_signals

if TYPE_CHECKING:
    from satudata_cli.publish.engine import DatasetOutcome, PublishReport

_SHOWN = 60  # characters of one value in a dry-run diff


class WithdrawnChoice(StrEnum):
    keep = "keep"
    private = "private"
    delete = "delete"


class _Progress:
    """A progress bar on stderr (only on a terminal)."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("publish"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),  # the ETA once the plan (the total) is known
            console=make_console(sys.stderr),
            transient=True,
        )
        self.task = self.progress.add_task("publish", total=None)

    def planned(self, total: int) -> None:
        self.progress.update(self.task, total=total)

    def dataset_done(self, outcome: DatasetOutcome) -> None:
        self.progress.advance(self.task)


def publish(
    ctx: typer.Context,
    target_id: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="Target id (harvest_configs/targets/<id>.yaml) or a target YAML file.",
        ),
    ],
    source_ids: Annotated[
        list[str] | None, source_option("Only datasets of this source (repeatable).")
    ] = None,
    include_invalid: Annotated[
        bool,
        typer.Option(
            "--include-invalid/--only-valid",
            envvar="SATUDATA_INCLUDE_INVALID",
            help="Also publish records that do not pass validation (default: only valid).",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            envvar="SATUDATA_DRY_RUN",
            help="Show create/update/unchanged/withdraw with a field diff; write nothing.",
        ),
    ] = False,
    withdrawn: Annotated[
        WithdrawnChoice | None,
        typer.Option(
            "--withdrawn",
            envvar="SATUDATA_WITHDRAWN",
            help="Withdrawn datasets on the portal: keep, private or delete "
            "(default: the target's withdraw.mode, else keep).",
            show_default=False,
        ),
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            "--concurrency",
            min=1,
            max=64,
            envvar="SATUDATA_CONCURRENCY",
            help="Datasets worked on at once (default: the target's http.concurrency).",
            show_default=False,
        ),
    ] = None,
    output_format: PublishFormatOption = TextOrJson.text,
    as_json: JsonOption = False,
    lock_wait: LockWaitOption = 0.0,
    color: ColorOption = Color.auto,
) -> None:
    """Publish the katalog to a CKAN portal: create, update, leave unchanged, withdraw.

    Idempotent: a dataset unchanged since the last publish costs no call at all.
    Exit codes: 0 ok; 2 configuration error; 3 some datasets failed; 4 another run
    holds the catalogue; 5 the portal does not answer or refuses the token, or every
    dataset failed; 130 interrupted (143 SIGTERM, 129 SIGHUP).

    Terbitkan katalog ke portal CKAN.
    """
    from satudata_cli.publish.config import find_target
    from satudata_cli.publish.engine import Publisher

    opts = options(ctx)
    fmt = text_or_json(output_format, as_json)
    with cli_errors(), stop_on_signals():
        target = find_target(opts.config_dir, target_id)
        show_progress = (
            sys.stderr.isatty()
            and opts.verbosity >= 0
            and fmt is TextOrJson.text
            and not json_logging()
        )
        progress = _Progress() if show_progress else None
        publisher = Publisher(
            target, opts.db, concurrency=concurrency, observer=progress, lock_wait=lock_wait
        )
        with progress.progress if progress is not None else contextlib.nullcontext():
            report = publisher.run(
                source_ids=source_ids or None,
                include_invalid=include_invalid,
                dry_run=dry_run,
                withdrawn=withdrawn.value if withdrawn is not None else None,
            )
    _render(report, fmt, color)
    if json_logging():  # the text output prints them after its table
        for note in report.notes:
            notice(f"note: {note}", event="publish_note", target=report.target)
    if report.nothing_done:
        raise typer.Exit(int(ExitCode.NOTHING_DONE))
    if report.partial:
        raise typer.Exit(int(ExitCode.PARTIAL))
    raise typer.Exit(int(ExitCode.OK))


def _short(value: Any) -> str:
    text = "-" if value is None else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _render(report: PublishReport, fmt: TextOrJson, color: Color) -> None:
    if fmt is TextOrJson.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if report.dry_run:
        # one line per dataset, then one indented line per changed field (never wrapped)
        out = make_console(sys.stdout, color, wrap=False)
        out.print("Dry run: nothing written / Uji coba: tidak ada yang ditulis", markup=False)
        for o in report.outcomes:
            head = f"{o.status:<9} {o.source_id}:{o.remote_id} -> {o.portal_name or '-'}"
            out.print(head + (f"  ({o.error})" if o.error else ""), markup=False)
            if o.action == "create" and o.ok:
                out.print(f"    {len(o.changes)} fields to publish", markup=False)
                continue
            for c in o.changes:
                out.print(f"    {c.field}: {_short(c.old)} -> {_short(c.new)}", markup=False)
    else:
        failed = [
            {
                "source": o.source_id,
                "remote_id": o.remote_id,
                "portal_name": o.portal_name,
                "action": o.action,
                "error": o.error,
            }
            for o in report.outcomes
            if not o.ok
        ]
        if failed:
            render_rows(
                failed,
                ["source", "remote_id", "portal_name", "action", "error"],
                ListFormat.text,
                title="Failed / Gagal",
                color=color,
            )
    summary = report.summary()
    summary["seconds"] = f"{report.seconds:.1f}"
    render_rows(
        [summary],
        [
            "target",
            "created",
            "updated",
            "unchanged",
            "withdrawn",
            "failed",
            "skipped_invalid",
            "write_calls",
            "seconds",
        ],
        ListFormat.text,
        title="Publish / Terbit" + (" (dry run)" if report.dry_run else ""),
        color=color,
    )
    if not json_logging():
        console = make_console(sys.stderr, color, wrap=False)
        for note in report.notes:
            console.print(f"note: {note}", markup=False, highlight=False)
