"""``satudata harvest`` and ``satudata sources``: from the sumber into the katalog."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from satudata_cli.cli.common import Color, ColorOption, cli_errors, fail, make_console, notice
from satudata_cli.cli.context import json_logging, options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.options import (
    HarvestFormatOption,
    JsonOption,
    LockWaitOption,
    SourcesFormatOption,
    TextOrJson,
    text_or_json,
)
from satudata_cli.cli.output import ListFormat, render_rows
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.signals import stop_on_signals

if TYPE_CHECKING:
    from satudata_cli.catalogue.models import SourceRuns
    from satudata_cli.pipeline.harvest import HarvestReport, SourceOutcome
    from satudata_cli.sources.config import SourceConfig

# The catalogue, the sources and the validator are imported inside the commands, so
# that `satudata validate` and `--help` do not pay for loading them.

sources_app = typer.Typer(
    help="The configured sources (sumber): list them, check one.", no_args_is_help=True
)

_COUNTERS = ("added", "updated", "unchanged", "withdrawn", "restored", "errored")


class _Count(ProgressColumn):
    """``N records``, or ``N/TOTAL records`` once the source has said its total."""

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        if task.total is None:
            return Text(f"{done} records")
        return Text(f"{done}/{int(task.total)} records")


class _Eta(TimeRemainingColumn):
    """``ETA 0:01:23`` while a source with a known total runs; nothing otherwise."""

    def render(self, task: Task) -> Text:
        if task.total is None or task.finished:
            return Text("")
        return Text("ETA ") + super().render(task)


class _Progress:
    """Rich progress on stderr, one line per source; only used on a terminal.

    A source that knows its total (``PassInfo.expected``: CKAN's count, a data.json's
    length, a JSON API's total) gets a bar, ``done/total`` and an ETA; the others a
    spinner and a count."""

    def __init__(self, console: Console | None = None) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=20),
            _Count(),
            TimeElapsedColumn(),
            _Eta(),
            console=console or make_console(sys.stderr),
            transient=True,
        )
        self.tasks: dict[str, Any] = {}
        self.lock = threading.Lock()

    def source_started(self, source_id: str) -> None:
        with self.lock:
            self.tasks[source_id] = self.progress.add_task(source_id, total=None)

    def source_total(self, source_id: str, total: int) -> None:
        task = self.tasks.get(source_id)
        if task is not None:
            self.progress.update(task, total=total)

    def record_done(self, source_id: str, kind: str) -> None:
        task = self.tasks.get(source_id)
        if task is not None:
            self.progress.advance(task)

    def source_finished(self, outcome: SourceOutcome) -> None:
        task = self.tasks.get(outcome.source)
        if task is not None:
            self.progress.update(task, description=f"{outcome.source} ({outcome.status})")


def _runs(db_path: Path, configs: list[SourceConfig]) -> dict[str, SourceRuns]:
    """The job history the schedules need; empty when the catalogue cannot be read (a
    source then counts as never harvested, and the harvest itself says what is wrong)."""
    from satudata_cli.catalogue.errors import CatalogueError
    from satudata_cli.pipeline.harvest import read_runs

    try:
        return read_runs(db_path, configs)
    except CatalogueError:
        return {}


def _select(
    configs: list[SourceConfig], ids: list[str], all_: bool, failed: bool, db_path: Path
) -> list[SourceConfig]:
    from satudata_cli.pipeline.harvest import due_sources, failed_sources, read_runs

    by_id = {c.id: c for c in configs}
    if ids:
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            known = ", ".join(by_id) or "none"
            raise fail(
                f"unknown source(s): {', '.join(unknown)} (configured: {known})",
                event="unknown_source",
                unknown=unknown,
            )
        configs = [by_id[i] for i in dict.fromkeys(ids)]
    if failed:
        # the sources (of those given, or of all) whose last job did not finish
        return failed_sources(configs, read_runs(db_path, configs))
    if ids or all_:
        return configs
    # neither ids nor --all: the sources whose schedule says they are due
    return due_sources(configs, _runs(db_path, configs), datetime.now(UTC))


def harvest(
    ctx: typer.Context,
    source_ids: Annotated[
        list[str] | None, typer.Argument(help="Source ids to harvest.", show_default=False)
    ] = None,
    all_: Annotated[
        bool,
        typer.Option("--all", envvar="SATUDATA_ALL", help="Harvest every configured source."),
    ] = False,
    failed: Annotated[
        bool,
        typer.Option(
            "--failed",
            envvar="SATUDATA_FAILED",
            help="Only the sources (given, or all) whose last harvest failed or was "
            "interrupted, whatever their schedule.",
        ),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            envvar="SATUDATA_FULL",
            help="A complete pass (not incremental); may withdraw datasets.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", envvar="SATUDATA_DRY_RUN", help="Fetch and validate, write nothing."
        ),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            envvar="SATUDATA_LIMIT",
            help="At most N records per source (withdraws nothing).",
        ),
    ] = None,
    output_format: HarvestFormatOption = TextOrJson.text,
    as_json: JsonOption = False,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            min=1,
            max=16,
            envvar="SATUDATA_CONCURRENCY",
            help="Sources harvested at once.",
        ),
    ] = 2,
    lock_wait: LockWaitOption = 0.0,
    color: ColorOption = Color.auto,
) -> None:
    """Harvest sources into the catalogue (incremental unless --full).

    Without ids and without --all, harvests the sources whose schedule is due (a
    failed source: again after its schedule_retry delay).
    Exit codes: 0 ok; 2 configuration error; 3 some sources or records failed, a pass
    was incomplete or the withdrawal valve held; 4 another run holds the catalogue;
    5 every source failed; 130 interrupted (143 SIGTERM, 129 SIGHUP).

    Panen metadata dari sumber ke katalog lokal.
    """
    from satudata_cli.pipeline.harvest import Harvester
    from satudata_cli.sources.config import load_sources

    opts = options(ctx)
    fmt = text_or_json(output_format, as_json)
    with cli_errors(), stop_on_signals():
        configs = load_sources(opts.config_dir)
        selected = _select(configs, source_ids or [], all_, failed, opts.db)
        if not selected:
            if failed:
                notice(
                    "No source's last harvest failed or was interrupted.", event="no_source_failed"
                )
            else:
                notice(
                    "No source is due (give source ids or --all to harvest now).",
                    event="no_source_due",
                )
            if fmt is TextOrJson.json:
                sys.stdout.write("[]\n")  # still a JSON result: no source harvested
            raise typer.Exit(int(ExitCode.OK))
        show_progress = (
            sys.stderr.isatty()
            and opts.verbosity >= 0
            and fmt is TextOrJson.text
            and not json_logging()
        )
        progress = _Progress() if show_progress else None
        harvester = Harvester(
            opts.db, observer=progress, concurrency=concurrency, lock_wait=lock_wait
        )
        with progress.progress if progress is not None else contextlib.nullcontext():
            report = harvester.run(selected, full=full, dry_run=dry_run, limit=limit)
    _render_report(report, fmt, color)
    if report.all_failed:
        raise typer.Exit(int(ExitCode.NOTHING_DONE))
    if report.partial:
        raise typer.Exit(int(ExitCode.PARTIAL))
    raise typer.Exit(int(ExitCode.OK))


def _render_report(report: HarvestReport, fmt: TextOrJson, color: Color) -> None:
    """The result on stdout; errors, notes and warnings went to the log (stderr)."""
    if fmt is TextOrJson.json:
        sys.stdout.write(
            json.dumps([o.to_dict() for o in report.outcomes], ensure_ascii=False, indent=2) + "\n"
        )
    else:
        rows = [
            {
                **o.to_dict(),
                "status": o.status + (" (dry run)" if o.dry_run else ""),
                "seconds": f"{o.seconds:.1f}",
            }
            for o in report.outcomes
        ]
        render_rows(
            rows,
            ["source", "status", *_COUNTERS, "invalid", "seconds"],
            ListFormat.text,
            title="Harvest / Panen",
            color=color,
        )


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at is not None else None


_SOURCE_COLUMNS = [
    "id",
    "title",
    "type",
    "location",
    "schedule",
    "last_job",
    "last_status",
    "last_success",
    "next_due",
]


@sources_app.command("list")
def sources_list(
    ctx: typer.Context,
    output_format: SourcesFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """List the configured sources with their last harvest, last success and when each
    is due next (``now`` for one due at once; none for a manual source)."""
    from satudata_cli.pipeline.harvest import is_due, next_due, read_runs
    from satudata_cli.sources.config import load_sources

    opts = options(ctx)
    now = datetime.now(UTC)
    with cli_errors():
        configs = load_sources(opts.config_dir)
        runs = read_runs(opts.db, configs)
        rows = []
        for c in configs:
            run = runs.get(c.id)
            job = run.last_job if run is not None else None
            due = is_due(c.schedule, run, now, c.retry_delay)
            at = next_due(c.schedule, run, now, c.retry_delay)
            rows.append(
                {
                    "id": c.id,
                    "title": c.label,
                    "type": c.type,
                    "location": c.url or (str(c.path) if c.path else ""),
                    "schedule": c.schedule,
                    "schedule_retry": c.schedule_retry,
                    "last_job": job.started_at if job else None,
                    "last_status": run.last_status if run is not None else None,
                    "last_success": run.last_success if run is not None else None,
                    "failures": run.failures if run is not None else 0,
                    "due": due,
                    # when it is (or became) due; text and csv say "now" for a due one
                    "next_due": (
                        ("now" if due else _iso(at))
                        if output_format is not ListFormat.json and at is not None
                        else _iso(at)
                    ),
                }
            )
    render_rows(
        rows,
        _SOURCE_COLUMNS
        if output_format is ListFormat.text
        else [*_SOURCE_COLUMNS[:5], "schedule_retry", *_SOURCE_COLUMNS[5:], "failures", "due"],
        output_format,
        title="Sumber / Sources",
        color=color,
    )


@sources_app.command("check")
def sources_check(
    ctx: typer.Context,
    source_id: Annotated[str, typer.Argument(help="The source to check.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="Records to preview.")] = 5,
    output_format: SourcesFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """Check that a source answers and preview its first records with their findings.

    Writes nothing. Exit 0 when the source answered, 5 when it could not be read.
    """
    from satudata_cli.pipeline.preview import open_check
    from satudata_cli.sources.config import load_sources

    opts = options(ctx)
    with cli_errors():
        configs = {c.id: c for c in load_sources(opts.config_dir)}
        config = configs.get(source_id)
        if config is None:
            raise fail(f"unknown source {source_id!r} (configured: {', '.join(configs) or 'none'})")
        with open_check(config) as check:
            try:
                preview = check.run(limit=limit)
            except SatudataError as exc:
                reason = str(exc).removeprefix(f"source {source_id}: ")  # said once is enough
                raise fail(
                    f"source {source_id} could not be read: {reason}", ExitCode.NOTHING_DONE
                ) from None
    rows = [row.to_dict() for row in preview.rows]
    if output_format is ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    render_rows(
        rows,
        ["remote_id", "title", "valid", "findings"],
        output_format,
        title=f"{config.label}: {len(rows)} record(s) previewed",
        color=color,
    )
