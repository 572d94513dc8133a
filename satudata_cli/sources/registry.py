"""The source types satudata knows: one :class:`SourceSpec` per type, registered here.

Each type's module ends with its ``SPEC`` (name, location rules, settings block,
incremental or not, how to build it); :data:`SOURCE_SPECS` is the one registration
list. Everything else is read from it: the ``type`` choices, the location and
settings-block checks and the field docs of
:class:`~satudata_cli.sources.config.SourceConfig`, the config JSON Schema, the
harvest engine's factory, whether a type is incremental, and whether it needs HTTP.
Adding a type: see ``docs/adding-a-source.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from satudata_cli.sources import ckan, datajson, dcat, directory, jsonapi, spreadsheet
from satudata_cli.sources.base import Source, SourceNotSupported, SourceSpec

if TYPE_CHECKING:
    from satudata_cli.core.http import HttpClient
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator

__all__ = [
    "SOURCE_SPECS",
    "build_source",
    "is_incremental",
    "needs_http",
    "reads_whole",
    "source_names",
    "spec_for",
]


#: The registration list, in the order the docs show the types.
SOURCE_SPECS: tuple[SourceSpec, ...] = (
    ckan.SPEC,
    directory.SPEC,
    dcat.SPEC,
    datajson.SPEC,
    spreadsheet.SPEC,
    jsonapi.SPEC,
)

_BY_NAME: dict[str, SourceSpec] = {spec.name: spec for spec in SOURCE_SPECS}


def source_names() -> tuple[str, ...]:
    """The ``type:`` values, in registration order."""
    return tuple(_BY_NAME)


def spec_for(name: str) -> SourceSpec | None:
    """The spec of a type; None for a name that is not registered."""
    return _BY_NAME.get(name)


def build_source(config: SourceConfig, validator: Validator, http: HttpClient | None) -> Source:
    """The source for ``config`` (the harvest engine's default factory);
    :class:`SourceNotSupported` for a type that is not registered."""
    spec = spec_for(config.type)
    if spec is None:
        raise SourceNotSupported(
            f"source {config.id}: type {config.type!r} is not supported by this version of "
            f"satudata yet (supported: {', '.join(sorted(_BY_NAME))})"
        )
    return spec.build(config, validator, http)


def is_incremental(config: SourceConfig) -> bool:
    """Whether the source's type can gather only what changed (CKAN can)."""
    spec = spec_for(config.type)
    return spec is not None and spec.incremental


def reads_whole(config: SourceConfig) -> bool:
    """Whether the source's type reads its whole catalogue into memory before the first
    record (see :class:`SourceSpec`)."""
    spec = spec_for(config.type)
    return spec is not None and spec.reads_whole


def needs_http(config: SourceConfig) -> bool:
    """Whether an HTTP client is opened for the source (a type that reads a url)."""
    spec = spec_for(config.type)
    return config.url is not None if spec is None else spec.needs_http(config)
