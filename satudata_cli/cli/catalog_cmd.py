"""``satudata catalog`` and ``satudata jobs``: read the katalog and its history."""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from satudata_cli.cli.common import Color, ColorOption, OutputTarget, cli_errors, fail
from satudata_cli.cli.context import json_logging, log_event, options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import current_lang, helptext, say
from satudata_cli.cli.options import (
    CatalogFormatOption,
    JobsFormatOption,
    LangOption,
    SourcesOption,
    choices,
    format_option,
    output_option,
    source_option,
)
from satudata_cli.cli.output import (
    ListFormat,
    cell_text,
    heading,
    render_object,
    render_rows,
    value_label,
)
from satudata_cli.core.cells import CSV_DELIMITERS
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.core.paths import path_exists
from satudata_cli.exports import EXPORT_FORMATS

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue

catalog_app = typer.Typer(help=helptext(M.help_catalog_app), no_args_is_help=True)
jobs_app = typer.Typer(help=helptext(M.help_jobs_app), no_args_is_help=True)

_DATASET_COLUMNS = [
    "id",
    "source_id",
    "name",
    "title",
    "organization",
    "status",
    "valid",
    "errors",
    "warnings",
    "last_changed",
]
_JOB_COLUMNS = [
    "id",
    "source_id",
    "status",
    "full",
    "started_at",
    "seconds",
    "added",
    "updated",
    "unchanged",
    "withdrawn",
    "restored",
    "errored",
]

LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, help=helptext(M.help_limit_rows))]


def _open(ctx: typer.Context) -> Catalogue:
    from satudata_cli.catalogue.db import Catalogue  # loaded only by catalogue commands

    db = options(ctx).db
    if not path_exists(db):
        raise fail(M.err_no_catalogue.format(db=db))
    return Catalogue.open(db, create=False)


def _row(obj: Any) -> dict[str, Any]:
    return dataclasses.asdict(obj)


@catalog_app.command("list", help=helptext(M.help_catalog_list))
def catalog_list(
    ctx: typer.Context,
    source: SourcesOption = None,
    withdrawn: Annotated[
        bool, typer.Option("--withdrawn", help=helptext(M.help_catalog_list_withdrawn))
    ] = False,
    limit: LimitOption = 100,
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """List datasets in the catalogue."""
    with cli_errors(), _open(ctx) as cat:
        rows = [
            _row(d)
            for d in cat.list_datasets(
                source_ids=source or None,
                status="withdrawn" if withdrawn else "active",
                limit=limit,
            )
        ]
    render_rows(rows, _DATASET_COLUMNS, output_format, title=say(M.title_catalogue), color=color)


@catalog_app.command("search", help=helptext(M.help_catalog_search))
def catalog_search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help=helptext(M.help_catalog_search_query))],
    source: SourcesOption = None,
    limit: LimitOption = 20,
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """Full-text search (all words must match; word* is a prefix)."""
    with cli_errors(), _open(ctx) as cat:
        rows = [_row(d) for d in cat.search(query, limit=limit, source_ids=source or None)]
    render_rows(rows, _DATASET_COLUMNS, output_format, title=f"'{query}'", color=color)


@catalog_app.command("show", help=helptext(M.help_catalog_show))
def catalog_show(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help=helptext(M.help_catalog_show_dataset))],
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """Show one dataset: its record, findings, resources and recent events."""
    with cli_errors(), _open(ctx) as cat:
        detail = cat.get_dataset(dataset)
        if detail is None:
            raise fail(M.err_no_dataset.format(dataset=repr(dataset)))
        from satudata_cli.catalogue.link_findings import with_link_findings

        detail = with_link_findings(cat, detail)
    if output_format is ListFormat.json:
        render_object(_row(detail), output_format)
        return
    summary = _row(detail.dataset)
    summary["content_hash"] = detail.content_hash
    summary["remote_modified"] = detail.remote_modified
    render_object(summary, output_format, color=color)
    if output_format is ListFormat.csv:
        return
    # lists of objects (resources, kolom) get a table of their own below the record;
    # other nested values (kontak, metadata_statistik) are YAML in the record's table
    tables = {k: v for k, v in detail.record.items() if _is_table(v)}
    render_rows(
        [
            {"field": k, "value": v if k not in tables else f"({len(v)}) ↓"}
            for k, v in detail.record.items()
        ],
        ["field", "value"],
        ListFormat.text,
        title=say(M.title_record),
        color=color,
    )
    for name, items in tables.items():
        columns = list(dict.fromkeys(key for item in items for key in item))
        render_rows(items, columns, ListFormat.text, title=name, color=color)
    if detail.findings:
        render_rows(
            [_row(f) for f in detail.findings],
            ["severity", "rule", "path", "message_id" if current_lang() == "id" else "message_en"],
            ListFormat.text,
            title=say(M.title_findings),
            color=color,
        )
    if detail.events:
        render_rows(
            [_row(e) for e in detail.events],
            ["at", "job_id", "kind", "message"],
            ListFormat.text,
            title=say(M.title_events),
            color=color,
        )


def _is_table(value: Any) -> bool:
    """A non-empty list of objects: shown as a table of its own."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


@catalog_app.command("stats", help=helptext(M.help_catalog_stats))
def catalog_stats(
    ctx: typer.Context,
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """Counts per source: active, withdrawn, valid, invalid, last job."""
    with cli_errors(), _open(ctx) as cat:
        stats = cat.stats()
    rows = []
    for s in stats.sources:
        row = _row(s)
        job = s.last_job
        row["last_job"] = (
            f"{job.id} {value_label(job.status)} {cell_text(job.started_at)}" if job else None
        )
        rows.append(row)
    if output_format is ListFormat.json:
        render_object(_row(stats), output_format)
        return
    rows.append(
        {
            "source_id": say(M.msg_all),
            "active": stats.active,
            "withdrawn": stats.withdrawn,
            "valid": stats.valid,
            "invalid": stats.invalid,
        }
    )
    render_rows(
        rows,
        [
            "source_id",
            "title",
            "active",
            "withdrawn",
            "valid",
            "invalid",
            "organizations",
            "last_job",
        ],
        output_format,
        title=say(M.title_catalogue),
        color=color,
    )


if TYPE_CHECKING:
    ExportFormat = StrEnum
else:
    #: the choices of ``catalog export --format``: the export registry's names
    ExportFormat = choices("ExportFormat", EXPORT_FORMATS)


DEFAULT_BASE_URI = "https://katalog.satudata.invalid/"


class Delimiter(StrEnum):
    """``catalog export --delimiter``: the names of :data:`CSV_DELIMITERS`."""

    comma = ","
    semicolon = ";"
    tab = "tab"


def _check_base_uri(value: str) -> str:
    text = value.strip()
    if not re.match(r"^(https?://[^/\s]+/?\S*|urn:[a-z0-9][a-z0-9-]*:\S+)$", text, re.I):
        raise typer.BadParameter(say(M.err_bad_base_uri.format(value=repr(value))))
    return text


@catalog_app.command("export", help=helptext(M.help_catalog_export))
def catalog_export(
    ctx: typer.Context,
    export_format: Annotated[
        ExportFormat,
        format_option("export", helptext(M.help_export_format), case_sensitive=False),
    ],
    source: SourcesOption = None,
    output: Annotated[
        Path | None,
        output_option(
            helptext(
                M.help_export_output.format(
                    formats=", ".join(n for n, spec in EXPORT_FORMATS.items() if spec.needs_file)
                )
            )
        ),
    ] = None,
    base_uri: Annotated[
        str,
        typer.Option(
            "--base-uri",
            envvar="SATUDATA_BASE_URI",
            callback=_check_base_uri,
            help=helptext(M.help_export_base_uri),
        ),
    ] = DEFAULT_BASE_URI,
    delimiter: Annotated[
        Delimiter | None,
        typer.Option(
            "--delimiter",
            help=helptext(
                M.help_export_delimiter.format(
                    formats=", ".join(n for n, spec in EXPORT_FORMATS.items() if spec.delimited)
                )
            ),
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Export the catalogue's active datasets in one of the --format formats."""
    from satudata_cli.exports import ExportContext, ExportItem, get_exporter

    fmt = str(export_format)
    spec = EXPORT_FORMATS[fmt]
    to_stdout = output is None or str(output) == "-"
    if spec.needs_file and to_stdout:
        raise fail(M.err_export_needs_file.format(format=fmt))
    if delimiter is not None and not spec.delimited:
        raise fail(M.err_delimiter_csv_only.format(format=fmt))
    with cli_errors():
        writer = get_exporter(fmt)
    db = options(ctx).db
    if not path_exists(db):
        raise fail(M.err_nothing_to_export_no_catalogue.format(db=db), ExitCode.NOTHING_DONE)
    with cli_errors(), _open(ctx) as cat:
        stats = cat.stats()
        known = {s.source_id: s.active for s in stats.sources}
        unknown = [s for s in source or [] if s not in known]
        if unknown:
            raise fail(
                M.err_no_source_in_catalogue.format(
                    ids=", ".join(map(repr, unknown)), known=", ".join(sorted(known)) or M.msg_none
                )
            )
        wanted = sum(known[s] for s in set(source)) if source else stats.active
        if wanted == 0:
            sources = M.err_from_sources.format(sources=", ".join(source)) if source else ""
            raise fail(M.err_nothing_to_export.format(sources=sources), ExitCode.NOTHING_DONE)
        context = ExportContext(
            base_uri=base_uri,
            generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            catalogue=str(db),
            delimiter=CSV_DELIMITERS[(delimiter or Delimiter.comma).value],
        )
        scores = (
            {d.id: d.score for d in cat.report_datasets(source or None, with_record=False)}
            if spec.verdicts
            else {}
        )
        items = (
            ExportItem(summary, record, scores.get(summary.id))
            for summary, record in cat.iter_records(source or None, "active")
        )
        try:
            with OutputTarget(None if to_stdout else output) as stream:
                stream.flush()
                count = writer(items, stream.buffer, context=context)
                stream.buffer.flush()
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            where = M.msg_stdout if to_stdout else str(output)
            raise fail(M.err_cannot_write.format(where=where, reason=exc.strerror or exc)) from None
    where = M.msg_stdout if to_stdout else str(output)
    exported = M.msg_exported.format(n=count, format=fmt, where=where)
    if json_logging():
        log_event(
            logging.INFO,
            "export_written",
            exported.en,
            count=count,
            format=str(fmt),
            output=where.en if isinstance(where, Message) else where,
        )
    else:
        sys.stderr.write(say(exported) + "\n")
    raise typer.Exit(int(ExitCode.OK))


@jobs_app.command("list", help=helptext(M.help_jobs_list))
def jobs_list(
    ctx: typer.Context,
    source: Annotated[str | None, source_option(helptext(M.help_jobs_source))] = None,
    limit: LimitOption = 20,
    output_format: JobsFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """Recent harvest jobs, newest first."""
    with cli_errors(), _open(ctx) as cat:
        rows = [_row(j) for j in cat.list_jobs(limit=limit, source_id=source)]
    render_rows(rows, _JOB_COLUMNS, output_format, title=say(M.title_jobs), color=color)


@jobs_app.command("show", help=helptext(M.help_jobs_show))
def jobs_show(
    ctx: typer.Context,
    job_id: Annotated[int, typer.Argument(help=helptext(M.help_jobs_show_id))],
    events: Annotated[
        int, typer.Option("--events", min=0, help=helptext(M.help_jobs_show_events))
    ] = 50,
    output_format: JobsFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
    lang: LangOption = None,
) -> None:
    """One job: counters, timings, error text, notes and its events."""
    with cli_errors(), _open(ctx) as cat:
        detail = cat.get_job(job_id, events_limit=events)
        if detail is None:
            raise fail(M.err_no_job.format(id=job_id))
    if output_format is ListFormat.json:
        render_object(_row(detail), output_format)
        return
    job = _row(detail.job)
    if output_format is ListFormat.text and isinstance(job.get("counters"), dict):
        # the counters' names are column names: in the run's language like the others
        job["counters"] = {heading(k): v for k, v in job["counters"].items()}
    render_object(job, output_format)
    if output_format is ListFormat.text and detail.events:
        render_rows(
            [_row(e) for e in detail.events],
            ["at", "kind", "remote_id", "name", "message"],
            ListFormat.text,
            title=say(M.title_events),
            color=color,
        )


_DURATION = re.compile(r"^(\d+)\s*([dhw])$")


def parse_age(text: str) -> timedelta:
    """``90d``, ``12w``, ``36h`` -> a timedelta."""
    match = _DURATION.match(text.strip().lower())
    if match is None:
        raise typer.BadParameter(say(M.err_bad_age.format(value=repr(text))))
    number, unit = int(match[1]), match[2]
    return {
        "d": timedelta(days=number),
        "w": timedelta(weeks=number),
        "h": timedelta(hours=number),
    }[unit]


@jobs_app.command("prune", help=helptext(M.help_jobs_prune))
def jobs_prune(
    ctx: typer.Context,
    older_than: Annotated[
        str, typer.Option("--older-than", help=helptext(M.help_jobs_prune_older))
    ] = "90d",
    vacuum: Annotated[
        bool, typer.Option("--vacuum", help=helptext(M.help_jobs_prune_vacuum))
    ] = False,
    lang: LangOption = None,
) -> None:
    """Delete old harvest history (jobs and events); datasets are never deleted."""
    from satudata_cli.catalogue.lock import CatalogueLock

    age = parse_age(older_than)
    # a writer like harvest and publish: never prune under a running harvest
    lock = CatalogueLock(options(ctx).db, command="satudata jobs prune")
    with cli_errors(), _open(ctx) as cat, lock:
        result = cat.prune(age, vacuum=vacuum)
    message = M.msg_pruned.format(jobs=result.jobs, events=result.events, cutoff=result.cutoff)
    sys.stdout.write(say(message) + "\n")
    raise typer.Exit(int(ExitCode.OK))


# commands of other modules on catalog_app (imported last: they import catalog_app)
from satudata_cli.cli import datasette_cmd  # noqa: E402, F401
