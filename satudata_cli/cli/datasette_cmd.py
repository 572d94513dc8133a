"""``satudata catalog datasette-metadata``: Datasette's metadata for the katalog."""

from __future__ import annotations

import json

import typer

from satudata_cli.cli.catalog_cmd import _open, catalog_app
from satudata_cli.cli.common import OutputTarget, cli_errors, fail, resolve_lang
from satudata_cli.cli.context import options
from satudata_cli.cli.exitcodes import ExitCode
from satudata_cli.cli.i18n import helptext
from satudata_cli.cli.options import LangOption, OutputOption
from satudata_cli.core.messages import M


@catalog_app.command("datasette-metadata", help=helptext(M.help_catalog_datasette))
def datasette_metadata(
    ctx: typer.Context,
    output: OutputOption = None,
    lang: LangOption = None,
) -> None:
    """Datasette metadata (help: ``M.help_catalog_datasette``)."""
    from satudata_cli.reports.datasette import datasette_metadata as build
    from satudata_cli.standard.schema import load_standard

    chosen = resolve_lang(lang)
    db = options(ctx).db
    with cli_errors(chosen):
        with _open(ctx) as cat:
            tables = cat.table_names()
        if "datasets" not in tables:
            raise fail(M.err_datasette_no_tables.format(path=db))
        metadata = build(database=db.stem, tables=tables, standard=load_standard(), lang=chosen)
        with OutputTarget(output) as out:
            out.write(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(int(ExitCode.OK))
