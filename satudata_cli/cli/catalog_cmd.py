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
from satudata_cli.cli.options import (
    CatalogFormatOption,
    JobsFormatOption,
    SourcesOption,
    choices,
    format_option,
    output_option,
    source_option,
)
from satudata_cli.cli.output import ListFormat, cell_text, render_object, render_rows
from satudata_cli.core.cells import CSV_DELIMITERS
from satudata_cli.exports import EXPORT_FORMATS

if TYPE_CHECKING:
    from satudata_cli.catalogue.db import Catalogue

catalog_app = typer.Typer(help="Browse the local catalogue (katalog).", no_args_is_help=True)
jobs_app = typer.Typer(help="Harvest jobs: history and retention.", no_args_is_help=True)

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

LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N rows.")]


def _open(ctx: typer.Context) -> Catalogue:
    from satudata_cli.catalogue.db import Catalogue  # loaded only by catalogue commands

    db = options(ctx).db
    if not db.exists():
        raise fail(
            f"the catalogue {db} does not exist yet; run 'satudata harvest' first "
            "(or point --db / SATUDATA_DB at it)"
        )
    return Catalogue.open(db, create=False)


def _row(obj: Any) -> dict[str, Any]:
    return dataclasses.asdict(obj)


@catalog_app.command("list")
def catalog_list(
    ctx: typer.Context,
    source: SourcesOption = None,
    withdrawn: Annotated[
        bool, typer.Option("--withdrawn", help="List withdrawn datasets instead of active ones.")
    ] = False,
    limit: LimitOption = 100,
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
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
    render_rows(rows, _DATASET_COLUMNS, output_format, title="Katalog / Catalogue", color=color)


@catalog_app.command("search")
def catalog_search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help="Words to find in title, notes, tags, organization.")
    ],
    source: SourcesOption = None,
    limit: LimitOption = 20,
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """Full-text search (all words must match; word* is a prefix)."""
    with cli_errors(), _open(ctx) as cat:
        rows = [_row(d) for d in cat.search(query, limit=limit, source_ids=source or None)]
    render_rows(rows, _DATASET_COLUMNS, output_format, title=f"'{query}'", color=color)


@catalog_app.command("show")
def catalog_show(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Argument(help="Dataset id, name, remote id or SOURCE:REMOTE_ID.")
    ],
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """Show one dataset: its record, findings, resources and recent events."""
    with cli_errors(), _open(ctx) as cat:
        detail = cat.get_dataset(dataset)
        if detail is None:
            raise fail(f"no dataset {dataset!r} in the catalogue")
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
        title="Record",
        color=color,
    )
    for name, items in tables.items():
        columns = list(dict.fromkeys(key for item in items for key in item))
        render_rows(items, columns, ListFormat.text, title=name, color=color)
    if detail.findings:
        render_rows(
            [_row(f) for f in detail.findings],
            ["severity", "rule", "path", "message_en"],
            ListFormat.text,
            title="Findings / Temuan",
            color=color,
        )
    if detail.events:
        render_rows(
            [_row(e) for e in detail.events],
            ["at", "job_id", "kind", "message"],
            ListFormat.text,
            title="Events",
            color=color,
        )


def _is_table(value: Any) -> bool:
    """A non-empty list of objects: shown as a table of its own."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


@catalog_app.command("stats")
def catalog_stats(
    ctx: typer.Context,
    output_format: CatalogFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """Counts per source: active, withdrawn, valid, invalid, last job."""
    with cli_errors(), _open(ctx) as cat:
        stats = cat.stats()
    rows = []
    for s in stats.sources:
        row = _row(s)
        job = s.last_job
        row["last_job"] = f"{job.id} {job.status} {cell_text(job.started_at)}" if job else None
        rows.append(row)
    if output_format is ListFormat.json:
        render_object(_row(stats), output_format)
        return
    rows.append(
        {
            "source_id": "(all)",
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
        title="Katalog / Catalogue",
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
        raise typer.BadParameter(f"{value!r}: give an http(s):// address or a urn:")
    return text


@catalog_app.command("export")
def catalog_export(
    ctx: typer.Context,
    export_format: Annotated[
        ExportFormat,
        format_option("export", "Export format.", case_sensitive=False),
    ],
    source: SourcesOption = None,
    output: Annotated[
        Path | None,
        output_option(
            "Write to FILE (atomically) instead of standard output; required for "
            + ", ".join(name for name, spec in EXPORT_FORMATS.items() if spec.needs_file)
            + "."
        ),
    ] = None,
    base_uri: Annotated[
        str,
        typer.Option(
            "--base-uri",
            envvar="SATUDATA_BASE_URI",
            callback=_check_base_uri,
            help="Base of the URIs naming datasets in data.json and DCAT "
            "({base-uri}dataset/SOURCE/REMOTE_ID).",
        ),
    ] = DEFAULT_BASE_URI,
    delimiter: Annotated[
        Delimiter | None,
        typer.Option(
            "--delimiter",
            help="Field separator of "
            + ", ".join(name for name, spec in EXPORT_FORMATS.items() if spec.delimited)
            + ": ',' (default), ';' (Excel in Indonesian locales) or tab.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export the catalogue's active datasets in one of the --format formats."""
    from satudata_cli.exports import ExportContext, ExportItem, get_exporter

    fmt = str(export_format)
    spec = EXPORT_FORMATS[fmt]
    to_stdout = output is None or str(output) == "-"
    if spec.needs_file and to_stdout:
        raise fail(f"--format {fmt} writes a workbook: give --output FILE.{fmt}")
    if delimiter is not None and not spec.delimited:
        raise fail(f"--delimiter applies to csv only, not to --format {fmt}")
    with cli_errors():
        writer = get_exporter(fmt)
    db = options(ctx).db
    if not db.exists():
        raise fail(
            f"nothing to export: the catalogue {db} does not exist yet; run 'satudata "
            "harvest' first (or point --db / SATUDATA_DB at it)",
            ExitCode.NOTHING_DONE,
        )
    with cli_errors(), _open(ctx) as cat:
        stats = cat.stats()
        known = {s.source_id: s.active for s in stats.sources}
        unknown = [s for s in source or [] if s not in known]
        if unknown:
            raise fail(
                f"no source {', '.join(map(repr, unknown))} in the catalogue "
                f"(sources: {', '.join(sorted(known)) or 'none'})"
            )
        wanted = sum(known[s] for s in set(source)) if source else stats.active
        if wanted == 0:
            raise fail(
                "nothing to export: the catalogue has no active datasets"
                + (f" from {', '.join(source)}" if source else ""),
                ExitCode.NOTHING_DONE,
            )
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
            where = "standard output" if to_stdout else str(output)
            raise fail(f"cannot write {where}: {exc.strerror or exc}") from None
    where = "standard output" if to_stdout else str(output)
    if json_logging():
        log_event(
            logging.INFO,
            "export_written",
            f"Exported {count} dataset(s) as {fmt} to {where}.",
            count=count,
            format=str(fmt),
            output=where,
        )
    else:
        sys.stderr.write(f"Exported {count} dataset(s) as {fmt} to {where}.\n")
    raise typer.Exit(int(ExitCode.OK))


@jobs_app.command("list")
def jobs_list(
    ctx: typer.Context,
    source: Annotated[str | None, source_option("Only this source.")] = None,
    limit: LimitOption = 20,
    output_format: JobsFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """Recent harvest jobs, newest first."""
    with cli_errors(), _open(ctx) as cat:
        rows = [_row(j) for j in cat.list_jobs(limit=limit, source_id=source)]
    render_rows(rows, _JOB_COLUMNS, output_format, title="Jobs", color=color)


@jobs_app.command("show")
def jobs_show(
    ctx: typer.Context,
    job_id: Annotated[int, typer.Argument(help="The job id.")],
    events: Annotated[int, typer.Option("--events", min=0, help="Events to show.")] = 50,
    output_format: JobsFormatOption = ListFormat.text,
    color: ColorOption = Color.auto,
) -> None:
    """One job: counters, timings, error text, notes and its events."""
    with cli_errors(), _open(ctx) as cat:
        detail = cat.get_job(job_id, events_limit=events)
        if detail is None:
            raise fail(f"there is no job {job_id}")
    if output_format is ListFormat.json:
        render_object(_row(detail), output_format)
        return
    render_object(_row(detail.job), output_format)
    if output_format is ListFormat.text and detail.events:
        render_rows(
            [_row(e) for e in detail.events],
            ["at", "kind", "remote_id", "name", "message"],
            ListFormat.text,
            title="Events",
            color=color,
        )


_DURATION = re.compile(r"^(\d+)\s*([dhw])$")


def parse_age(text: str) -> timedelta:
    """``90d``, ``12w``, ``36h`` -> a timedelta."""
    match = _DURATION.match(text.strip().lower())
    if match is None:
        raise typer.BadParameter(f"{text!r}: give a number and d, w or h, e.g. 90d")
    number, unit = int(match[1]), match[2]
    return {
        "d": timedelta(days=number),
        "w": timedelta(weeks=number),
        "h": timedelta(hours=number),
    }[unit]


@jobs_app.command("prune")
def jobs_prune(
    ctx: typer.Context,
    older_than: Annotated[
        str, typer.Option("--older-than", help="Delete jobs and their events older than this.")
    ] = "90d",
    vacuum: Annotated[
        bool, typer.Option("--vacuum", help="Give the space back to the disk.")
    ] = False,
) -> None:
    """Delete old harvest history (jobs and events); datasets are never deleted."""
    from satudata_cli.catalogue.lock import CatalogueLock

    age = parse_age(older_than)
    # a writer like harvest and publish: never prune under a running harvest
    lock = CatalogueLock(options(ctx).db, command="satudata jobs prune")
    with cli_errors(), _open(ctx) as cat, lock:
        result = cat.prune(age, vacuum=vacuum)
    sys.stdout.write(
        f"Deleted {result.jobs} job(s) and {result.events} event(s) older than {result.cutoff}.\n"
    )
    raise typer.Exit(int(ExitCode.OK))
