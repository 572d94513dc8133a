"""The options every command shares, declared once: ``--format``, ``--output``,
``--source``, ``--lang`` and ``--json`` (in the spirit of sqlite-utils' output options).

``--format``: every command that prints a result offers it, with the values that fit
that command. Its default can come from one environment variable per command family,
``SATUDATA_<FAMILY>_FORMAT`` (:data:`FORMAT_ENVVARS`), so a value meant for one command
can never break another: ``SATUDATA_VALIDATE_FORMAT`` (validate),
``SATUDATA_REPORT_FORMAT`` (report ...), ``SATUDATA_CATALOG_FORMAT`` (catalog list,
search, show, stats), ``SATUDATA_EXPORT_FORMAT`` (catalog export),
``SATUDATA_JOBS_FORMAT`` (jobs ...), ``SATUDATA_SOURCES_FORMAT`` (sources ...),
``SATUDATA_HARVEST_FORMAT``, ``SATUDATA_PUBLISH_FORMAT``, ``SATUDATA_SCHEMA_FORMAT``,
``SATUDATA_SCHEMA_EXPORT_FORMAT`` (schema export), ``SATUDATA_INFO_FORMAT``,
``SATUDATA_LINKS_FORMAT`` (links check).
The old shared ``SATUDATA_FORMAT`` is still read by ``validate`` alone, with a
deprecation note on stderr; every other command ignores it.

Choices that come from a registry (validate's finding formats, export formats, report
formats) are derived from it with :func:`choices`, never listed again here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, cast

import typer

from satudata_cli.cli.common import LangChoice
from satudata_cli.cli.i18n import helptext
from satudata_cli.core.i18n import LANG_ENVVAR, Lang
from satudata_cli.core.messages import M

#: Command family -> the environment variable of its ``--format``.
FORMAT_ENVVARS: Final[dict[str, str]] = {
    family: f"SATUDATA_{family.upper()}_FORMAT"
    for family in (
        "validate",
        "report",
        "catalog",
        "export",
        "jobs",
        "sources",
        "harvest",
        "publish",
        "schema",
        "schema_export",
        "info",
        "links",
    )
}
#: The variable all commands once shared; now only ``validate`` reads it (deprecated).
LEGACY_FORMAT_ENVVAR: Final = "SATUDATA_FORMAT"


def choices(name: str, values: Iterable[str]) -> type[StrEnum]:
    """A StrEnum with one member per value (member name = value), for typer's choices.

    Use it for choices that live in a registry; annotate with the class it returns
    under ``TYPE_CHECKING`` as plain :class:`StrEnum` (mypy cannot see the members of a
    class made at run time).
    """
    members = {value: value for value in values}
    return cast("type[StrEnum]", StrEnum(name, members))


class ListFormat(StrEnum):
    """The formats of every listing (catalog, jobs, sources)."""

    text = "text"
    json = "json"
    csv = "csv"


class TextOrJson(StrEnum):
    """The formats of commands that print a report object (harvest, publish, schema)."""

    text = "text"
    json = "json"


def format_option(family: str, help: str = M.help_format.en, **kwargs: Any) -> Any:
    """``--format/-f`` with the environment variable of ``family`` (see :data:`FORMAT_ENVVARS`)."""
    envvars = [FORMAT_ENVVARS[family]]
    if family == "validate":
        envvars.append(LEGACY_FORMAT_ENVVAR)
    return typer.Option("--format", "-f", envvar=envvars, help=help, **kwargs)


def legacy_format_note(
    ctx: typer.Context, lang: Lang = "en", param: str = "output_format"
) -> str | None:
    """The deprecation note (in ``lang``) when ``param`` came from ``SATUDATA_FORMAT``."""
    source = ctx.get_parameter_source(param)  # typer's own click: compare by name
    if source is None or source.name != "ENVIRONMENT":
        return None
    if os.environ.get(FORMAT_ENVVARS["validate"]) or not os.environ.get(LEGACY_FORMAT_ENVVAR):
        return None
    note = M.msg_legacy_format.format(legacy=LEGACY_FORMAT_ENVVAR, new=FORMAT_ENVVARS["validate"])
    return note.get(lang)


CatalogFormatOption = Annotated[ListFormat, format_option("catalog")]
JobsFormatOption = Annotated[ListFormat, format_option("jobs")]
SourcesFormatOption = Annotated[ListFormat, format_option("sources")]
HarvestFormatOption = Annotated[TextOrJson, format_option("harvest")]
PublishFormatOption = Annotated[TextOrJson, format_option("publish")]
InfoFormatOption = Annotated[TextOrJson, format_option("info")]
LinksFormatOption = Annotated[TextOrJson, format_option("links")]

JsonOption = Annotated[
    bool,
    typer.Option("--json", envvar="SATUDATA_JSON", help=helptext(M.help_json)),
]


def text_or_json(fmt: TextOrJson, as_json: bool) -> TextOrJson:
    """``--json`` is an alias of ``--format json``."""
    return TextOrJson.json if as_json else fmt


def output_option(help: str = M.help_output.en) -> Any:
    return typer.Option("--output", "-o", help=help, show_default=False)


OutputOption = Annotated[Path | None, output_option()]


def source_option(help: str = M.help_sources.en) -> Any:
    return typer.Option("--source", "-s", help=help, show_default=False)


SourcesOption = Annotated[list[str] | None, source_option()]

#: ``--lang`` of every command. The language is chosen from the whole command line
#: before typer parses it (:func:`satudata_cli.cli.i18n.scan_lang`: the last ``--lang``,
#: else ``SATUDATA_LANG``, else the locale), so a command only declares the option; the
#: global one (on the root, :data:`GlobalLangOption`) also reads ``SATUDATA_LANG``.
LangOption = Annotated[
    LangChoice | None,
    typer.Option("--lang", help=helptext(M.help_lang), show_default=False),
]
GlobalLangOption = Annotated[
    LangChoice | None,
    typer.Option("--lang", envvar=LANG_ENVVAR, help=helptext(M.help_lang), show_default=False),
]

LockWaitOption = Annotated[
    float,
    typer.Option(
        "--lock-wait",
        min=0,
        envvar="SATUDATA_LOCK_WAIT",
        metavar="SECONDS",
        help=helptext(M.help_lock_wait),
    ),
]
