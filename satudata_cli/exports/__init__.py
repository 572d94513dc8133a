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
from satudata_cli.core.messages import M


class ExportError(SatudataError):
    """An export could not be written."""


@dataclass(frozen=True, slots=True)
class ExportItem:
    """One active dataset: its catalogue row (with the stored verdict: ``valid``,
    ``errors``, ``warnings``), its canonical record and its compliance score (0-100,
    :mod:`satudata_cli.standard.scoring`; None when the caller did not read it)."""

    summary: DatasetSummary
    record: dict[str, Any]
    score: float | None = None


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What a writer may need besides the datasets.

    ``base_uri`` names datasets in RDF and data.json when a record has no URL of its
    own (``{base_uri}dataset/{source_id}/{remote_id}``); ``generated_at`` is the ISO
    8601 UTC time of the export; ``catalogue`` the file it was made from;
    ``delimiter`` the field separator of CSV (``,``, ``;`` or a tab).
    """

    base_uri: str
    generated_at: str
    catalogue: str
    title: str = "Katalog Satu Data"
    delimiter: str = ","


class Exporter(Protocol):
    def __call__(
        self, items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext
    ) -> int: ...


@dataclass(frozen=True, slots=True)
class ExportFormatSpec:
    """One export format: where its writer lives (imported only when used) and what it
    needs. ``needs_file``: the format is a binary container that is never written to a
    terminal or pipe (``--output FILE`` is required). ``extra``: the optional
    dependency the writer imports, for the message when it is missing. ``verdicts``:
    the writer writes each item's stored verdict and score (the caller reads the
    scores only for these). ``delimited``: the writer takes ``--delimiter``."""

    module: str
    function: str
    needs_file: bool = False
    extra: str | None = None
    verdicts: bool = False
    delimited: bool = False


#: format name -> spec: the ONE list of export formats; ``catalog export --format``
#: offers exactly these names.
EXPORT_FORMATS: Final[dict[str, ExportFormatSpec]] = {
    "jsonl": ExportFormatSpec("satudata_cli.exports.tabular", "write_jsonl"),
    "csv": ExportFormatSpec(
        "satudata_cli.exports.tabular", "write_csv", verdicts=True, delimited=True
    ),
    "xlsx": ExportFormatSpec(
        "satudata_cli.exports.tabular", "write_xlsx", needs_file=True, verdicts=True
    ),
    "datajson": ExportFormatSpec("satudata_cli.exports.datajson", "write_datajson"),
    "dcat-ttl": ExportFormatSpec("satudata_cli.exports.dcat", "write_turtle", extra="rdflib"),
    "dcat-jsonld": ExportFormatSpec("satudata_cli.exports.dcat", "write_jsonld", extra="rdflib"),
    "dcat-rdfxml": ExportFormatSpec("satudata_cli.exports.dcat", "write_rdfxml", extra="rdflib"),
    "dcat-nt": ExportFormatSpec("satudata_cli.exports.dcat", "write_ntriples", extra="rdflib"),
}


def get_exporter(name: str) -> Exporter:
    """The writer of format ``name``; :class:`ExportError` for an unknown name or a
    format whose optional dependency is not installed."""
    try:
        spec = EXPORT_FORMATS[name]
    except KeyError:
        known = ", ".join(EXPORT_FORMATS)
        raise ExportError(
            M.err_unknown_export_format.format(name=repr(name), known=known)
        ) from None
    try:
        module = importlib.import_module(spec.module)
    except ImportError as exc:
        usable = [n for n, s in EXPORT_FORMATS.items() if s.extra is None]
        raise ExportError(
            M.err_export_unavailable.format(
                name=name,
                reason=exc.name or exc,
                choices=", ".join(usable[:-1]),
                last=usable[-1],
            )
        ) from None
    writer: Exporter = getattr(module, spec.function)
    return writer
