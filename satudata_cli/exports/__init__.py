"""Writing the katalog's active datasets in the formats other catalogues harvest.

``satudata catalog export --format F`` looks the format up in :data:`EXPORT_FORMATS`
and imports its writer lazily (rdflib is only imported for the DCAT formats). Every
writer has the :class:`Exporter` signature: it takes the datasets in catalogue order
and a binary stream, writes the whole document and returns how many datasets it wrote.
A writer never prints; problems are raised as :class:`ExportError`.

Each format that a source type can read back is round-trip tested: export, harvest the
export with that source type, compare the canonical records.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO, Final, Protocol

from satudata_cli.catalogue.models import DatasetSummary
from satudata_cli.core.errors import SatudataError


class ExportError(SatudataError):
    """An export could not be written."""


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One active dataset: its catalogue row and its canonical record."""

    summary: DatasetSummary
    record: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What a writer may need besides the datasets.

    ``base_uri`` names datasets in RDF and data.json when a record has no URL of its
    own (``{base_uri}dataset/{source_id}/{remote_id}``); ``generated_at`` is the ISO
    8601 UTC time of the export; ``catalogue`` the file it was made from.
    """

    base_uri: str
    generated_at: str
    catalogue: str
    title: str = "Katalog Satu Data"


class Exporter(Protocol):
    def __call__(
        self, items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext
    ) -> int: ...


#: format name -> (module, function). Modules are imported only when used.
EXPORT_FORMATS: Final[dict[str, tuple[str, str]]] = {
    "jsonl": ("satudata_cli.exports.tabular", "write_jsonl"),
    "csv": ("satudata_cli.exports.tabular", "write_csv"),
    "xlsx": ("satudata_cli.exports.tabular", "write_xlsx"),
    "datajson": ("satudata_cli.exports.datajson", "write_datajson"),
    "dcat-ttl": ("satudata_cli.exports.dcat", "write_turtle"),
    "dcat-jsonld": ("satudata_cli.exports.dcat", "write_jsonld"),
    "dcat-rdfxml": ("satudata_cli.exports.dcat", "write_rdfxml"),
}


def get_exporter(name: str) -> Exporter:
    """The writer of format ``name``; :class:`ExportError` for an unknown name."""
    try:
        module_name, function = EXPORT_FORMATS[name]
    except KeyError:
        known = ", ".join(EXPORT_FORMATS)
        raise ExportError(f"unknown export format {name!r} (known: {known})") from None
    writer: Exporter = getattr(importlib.import_module(module_name), function)
    return writer
