"""``satudata links check``: are the katalog's data links alive (issue 13)?

Exit codes: 0 the run finished (whatever the verdicts: broken links are reported by
the link report and ``validate --catalog``), 2 usage (unknown source, no catalogue),
4 another run holds the catalogue, 5 the checker has no network (nothing marked),
130 interrupted (what was checked is kept).
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from satudata_cli.cli.common import Color, ColorOption, cli_errors, fail, make_console, notice
from satudata_cli.cli.context import json_logging, options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext, say
from satudata_cli.cli.options import (
    JsonOption,
    LangOption,
    LinksFormatOption,
    LockWaitOption,
    TextOrJson,
    text_or_json,
)
from satudata_cli.cli.output import ListFormat, render_rows, value_label
from satudata_cli.core.messages import M
from satudata_cli.core.paths import path_exists
from satudata_cli.core.signals import stop_on_signals

if TYPE_CHECKING:
    from satudata_cli.links.check import LinkOutcome
    from satudata_cli.links.run import LinkRunReport

links_app = typer.Typer(help=helptext(M.help_links_app), no_args_is_help=True)

_ORDER = ("ok", "redirected-permanently", "unverifiable", "broken", "skipped", "invalid")


class _Progress:
    """A bar of URLs checked on stderr; only used on a terminal."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=make_console(sys.stderr),
            transient=True,
        )
        self.task: Any = None

    def started(self, urls: int) -> None:
        self.task = self.progress.add_task(say(M.msg_progress_links.format(n="")), total=urls)

    def checked(self, outcome: LinkOutcome) -> None:
        if self.task is not None:
            self.progress.advance(self.task)


@links_app.command("check", help=helptext(M.help_links_check))
def links_check(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", metavar="ID", help=helptext(M.help_publish_sources), show_default=False
        ),
    ] = None,
    organization: Annotated[
        list[str] | None,
        typer.Option(
            "--organization",
            metavar="NAME",
            help=helptext(M.help_links_organization),
            show_default=False,
        ),
    ] = None,
    max_age: Annotated[
        float,
        typer.Option("--max-age", min=0, metavar="DAYS", help=helptext(M.help_links_max_age)),
    ] = 7.0,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency", min=1, max=1000, metavar="N", help=helptext(M.help_links_concurrency)
        ),
    ] = 100,
    per_host: Annotated[
        int,
        typer.Option(
            "--per-host", min=1, max=32, metavar="N", help=helptext(M.help_links_per_host)
        ),
    ] = 2,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0.1, max=600, metavar="SECONDS", help=helptext(M.help_links_timeout)
        ),
    ] = 20.0,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=helptext(M.help_links_dry_run))
    ] = False,
    output_format: LinksFormatOption = TextOrJson.text,
    as_json: JsonOption = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help=helptext(M.help_links_allow_private))
    ] = False,
    lock_wait: LockWaitOption = 0.0,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """Check the catalogue's links (help: ``M.help_links_check``)."""
    from satudata_cli.catalogue.db import Catalogue
    from satudata_cli.catalogue.links import DEFAULT_BROKEN_AFTER_HOURS
    from satudata_cli.catalogue.lock import CatalogueLock
    from satudata_cli.links.check import CheckSettings
    from satudata_cli.links.run import LinkRunRequest, run_link_check

    opts = options(ctx)
    as_json = text_or_json(output_format, as_json) is TextOrJson.json
    settings = CheckSettings(
        concurrency=concurrency, per_host=per_host, timeout=timeout, allow_private=allow_private
    )
    request = LinkRunRequest(
        source_ids=tuple(dict.fromkeys(source)) if source else None,
        organizations=tuple(dict.fromkeys(organization)) if organization else None,
        max_age_days=max_age,
        dry_run=dry_run,
        settings=settings,
        keep_results=True,
    )
    with cli_errors(), stop_on_signals():
        if not path_exists(opts.db):
            raise fail(M.err_no_catalogue.format(db=opts.db))
        show_progress = (
            sys.stderr.isatty() and opts.verbosity >= 0 and not as_json and not json_logging()
        )
        progress = _Progress() if show_progress and not dry_run else None
        # a writer like harvest: one run at a time on a catalogue (a dry run only reads)
        lock: contextlib.AbstractContextManager[Any] = (
            contextlib.nullcontext()
            if dry_run
            else CatalogueLock(opts.db, command="satudata links check", wait=lock_wait)
        )
        with lock, Catalogue.open(opts.db, create=False) as cat:
            if request.source_ids:
                known = cat.source_ids()
                unknown = [i for i in request.source_ids if i not in known]
                if unknown:
                    raise fail(
                        M.err_links_unknown_source.format(
                            ids=", ".join(unknown), known=", ".join(known) or M.msg_none
                        ),
                        event="unknown_source",
                    )
            with progress.progress if progress is not None else contextlib.nullcontext():
                report = run_link_check(cat, request, observer=progress)
    _render(report, as_json, color, max_age)
    if not as_json and report.status != "dry-run" and report.counts.get("broken"):
        notice(
            M.msg_links_broken_note.format(hours=f"{DEFAULT_BROKEN_AFTER_HOURS:g}"),
            event="links_broken_note",
        )
    raise typer.Exit(int(ExitCode.OK))


def _render(report: LinkRunReport, as_json: bool, color: Color, max_age: float) -> None:
    if as_json:
        data = {
            "run_id": report.run_id,
            "status": report.status,
            "urls": report.urls,
            "links": report.links,
            "hosts": report.hosts,
            "seconds": report.seconds,
            "counts": report.counts,
            "results": [
                {
                    "url": r.outcome.url,
                    "verdict": r.outcome.verdict,
                    "status": r.outcome.status,
                    "final_url": r.outcome.final_url,
                    "content_type": r.outcome.content_type,
                    "content_length": r.outcome.content_length,
                    "elapsed_ms": r.outcome.elapsed_ms,
                    "reason_id": r.outcome.reason.id,
                    "reason_en": r.outcome.reason.en,
                    "links": r.links,
                }
                for r in report.results
            ],
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if report.urls == 0:
        notice(M.msg_links_nothing.format(days=f"{max_age:g}"), event="links_nothing")
        return
    run = f" #{report.run_id}" if report.run_id is not None else ""
    summary = M.msg_links_summary.format(
        run=run,
        urls=report.urls,
        links=report.links,
        hosts=report.hosts,
        seconds=f"{report.seconds:.1f}",
    )
    sys.stdout.write(say(summary) + "\n")
    if report.status == "dry-run":
        sys.stdout.write(say(M.msg_links_dry_run) + "\n")
    order = [*_ORDER, "to-check"]
    counts = sorted(report.counts.items(), key=lambda kv: order.index(kv[0]))
    render_rows(
        [{"verdict": value_label(k), "count": v} for k, v in counts],
        ["verdict", "count"],
        ListFormat.text,
        color=color,
    )
    problems = [r for r in report.results if r.outcome.verdict != "ok"]
    if problems:
        problems.sort(key=lambda r: (_ORDER.index(r.outcome.verdict), r.outcome.url))
        render_rows(
            [
                {
                    "url": r.outcome.url,
                    "verdict": value_label(r.outcome.verdict),
                    "http_status": "" if r.outcome.status is None else r.outcome.status,
                    "links": r.links,
                    "reason": say(r.outcome.reason),
                }
                for r in problems
            ],
            ["url", "verdict", "http_status", "links", "reason"],
            ListFormat.text,
            title=say(M.title_links_problems),
            color=color,
        )
