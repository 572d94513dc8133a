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
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from satudata_cli.cli.common import Color, ColorOption, cli_errors, fail, make_console
from satudata_cli.cli.context import options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext, say
from satudata_cli.cli.options import (
    HarvestFormatOption,
    JsonOption,
    LangOption,
    SourcesFormatOption,
    TextOrJson,
    text_or_json,
)
from satudata_cli.cli.output import ListFormat, render_rows, value_label
from satudata_cli.core.errors import SatudataError
from satudata_cli.core.messages import M

if TYPE_CHECKING:
    from satudata_cli.catalogue.models import JobInfo
    from satudata_cli.pipeline.harvest import HarvestReport, SourceOutcome
    from satudata_cli.sources.config import SourceConfig

# The catalogue, the sources and the validator are imported inside the commands, so
# that `satudata validate` and `--help` do not pay for loading them.

sources_app = typer.Typer(help=helptext(M.help_sources_app), no_args_is_help=True)

_COUNTERS = ("added", "updated", "unchanged", "withdrawn", "restored", "errored")


class _Progress:
    """Rich progress on stderr, one line per source; only used on a terminal."""

    def __init__(self) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn(say(M.msg_progress_records).replace("{n}", "{task.completed}")),
            TimeElapsedColumn(),
            console=make_console(sys.stderr),
            transient=True,
        )
        self.tasks: dict[str, Any] = {}
        self.lock = threading.Lock()

    def source_started(self, source_id: str) -> None:
        with self.lock:
            self.tasks[source_id] = self.progress.add_task(source_id, total=None)

    def record_done(self, source_id: str, kind: str) -> None:
        task = self.tasks.get(source_id)
        if task is not None:
            self.progress.advance(task)

    def source_finished(self, outcome: SourceOutcome) -> None:
        task = self.tasks.get(outcome.source)
        if task is not None:
            status = value_label(outcome.status)
            self.progress.update(task, description=f"{outcome.source} ({status})")


def _last_jobs(db_path: Path, configs: list[SourceConfig]) -> dict[str, JobInfo]:
    """The newest job of each configured source (none when there is no catalogue yet)."""
    from satudata_cli.catalogue.db import Catalogue

    if not db_path.exists():
        return {}
    with Catalogue.open(db_path, create=False) as cat:
        return {c.id: jobs[0] for c in configs if (jobs := cat.list_jobs(limit=1, source_id=c.id))}


def _select(
    configs: list[SourceConfig], ids: list[str], all_: bool, db_path: Any
) -> list[SourceConfig]:
    from satudata_cli.catalogue.errors import CatalogueError
    from satudata_cli.pipeline.harvest import is_due

    by_id = {c.id: c for c in configs}
    if ids:
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            known = ", ".join(by_id) or M.msg_none
            raise fail(M.err_unknown_sources.format(ids=", ".join(unknown), known=known))
        return [by_id[i] for i in dict.fromkeys(ids)]
    if all_:
        return configs
    # neither ids nor --all: the sources whose schedule says they are due
    try:
        last = {sid: job.started_at for sid, job in _last_jobs(db_path, configs).items()}
    except CatalogueError:
        last = {}
    now = datetime.now(UTC)
    return [c for c in configs if is_due(c.schedule, last.get(c.id), now)]


def harvest(
    ctx: typer.Context,
    source_ids: Annotated[
        list[str] | None,
        typer.Argument(help=helptext(M.help_harvest_ids), show_default=False),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option("--all", envvar="SATUDATA_ALL", help=helptext(M.help_harvest_all)),
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            envvar="SATUDATA_FULL",
            help=helptext(M.help_harvest_full),
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", envvar="SATUDATA_DRY_RUN", help=helptext(M.help_dry_run_harvest)),
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=1,
            envvar="SATUDATA_LIMIT",
            help=helptext(M.help_harvest_limit),
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
            help=helptext(M.help_concurrency_sources),
        ),
    ] = 2,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """Harvest sources into the catalogue (help: ``M.help_harvest``)."""
    from satudata_cli.pipeline.harvest import Harvester
    from satudata_cli.sources.config import load_sources

    opts = options(ctx)
    fmt = text_or_json(output_format, as_json)
    with cli_errors():
        configs = load_sources(opts.config_dir)
        selected = _select(configs, source_ids or [], all_, opts.db)
        if not selected:
            make_console(sys.stderr, color).print(say(M.msg_no_source_due))
            raise typer.Exit(int(ExitCode.OK))
        show_progress = sys.stderr.isatty() and opts.verbosity >= 0 and fmt is TextOrJson.text
        progress = _Progress() if show_progress else None
        harvester = Harvester(opts.db, observer=progress, concurrency=concurrency)
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
                "status": value_label(o.status) + (say(M.msg_dry_run_suffix) if o.dry_run else ""),
                "seconds": f"{o.seconds:.1f}",
            }
            for o in report.outcomes
        ]
        render_rows(
            rows,
            ["source", "status", *_COUNTERS, "invalid", "seconds"],
            ListFormat.text,
            title=say(M.title_harvest),
            color=color,
        )


@sources_app.command("list", help=helptext(M.help_sources_list))
def sources_list(
    ctx: typer.Context,
    output_format: SourcesFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """List the configured sources with their last harvest."""
    from satudata_cli.sources.config import load_sources

    opts = options(ctx)
    with cli_errors():
        configs = load_sources(opts.config_dir)
        last = _last_jobs(opts.db, configs)
        rows = []
        for c in configs:
            job = last.get(c.id)
            rows.append(
                {
                    "id": c.id,
                    "title": c.label,
                    "type": c.type,
                    "location": c.url or (str(c.path) if c.path else ""),
                    "schedule": c.schedule,
                    "last_job": job.started_at if job else None,
                    "last_status": job.status if job else None,
                }
            )
    render_rows(
        rows,
        ["id", "title", "type", "location", "schedule", "last_job", "last_status"],
        output_format,
        title=say(M.title_sources),
        color=color,
    )


@sources_app.command("check", help=helptext(M.help_sources_check))
def sources_check(
    ctx: typer.Context,
    source_id: Annotated[str, typer.Argument(help=helptext(M.help_sources_check_id))],
    limit: Annotated[
        int, typer.Option("--limit", min=1, help=helptext(M.help_sources_check_limit))
    ] = 5,
    output_format: SourcesFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """Check that a source answers and preview its first records (writes nothing)."""
    from satudata_cli.pipeline.preview import open_check
    from satudata_cli.sources.config import load_sources

    opts = options(ctx)
    with cli_errors():
        configs = {c.id: c for c in load_sources(opts.config_dir)}
        config = configs.get(source_id)
        if config is None:
            known = ", ".join(configs) or M.msg_none
            raise fail(M.err_unknown_source.format(id=repr(source_id), known=known))
        with open_check(config) as check:
            try:
                preview = check.run(limit=limit)
            except SatudataError as exc:
                reason = exc.message.strip_prefix(M.err_source_prefix.format(source=source_id))
                raise fail(
                    M.err_source_unreadable.format(id=source_id, reason=reason),
                    ExitCode.NOTHING_DONE,
                ) from None
    rows = [row.to_dict() for row in preview.rows]
    if output_format is ListFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    render_rows(
        rows,
        ["remote_id", "title", "valid", "findings"],
        output_format,
        title=say(M.msg_preview_title.format(source=config.label, n=len(rows))),
        color=color,
    )
