"""The ``dcat`` source type: its settings (the ``dcat:`` block) and its spec.

The reader itself (pyoxigraph, rdflib, the DCAT codecs) is in
:mod:`satudata_cli.sources.dcat_reader` and is imported when a DCAT source is built:
every command that reads the source configuration, and every harvest of other types,
would otherwise import rdflib and pyoxigraph (about 28 ms of start-up).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from pydantic import BaseModel, ConfigDict, Field, field_validator

from satudata_cli.sources.base import SourceSpec

if TYPE_CHECKING:
    from satudata_cli.core.http import HttpClient
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.sources.dcat_reader import DcatSource
    from satudata_cli.standard.validator import Validator

__all__ = ["SPEC", "DcatSettings"]

RdfFormat = TypingLiteral["auto", "rdfxml", "turtle", "jsonld", "ntriples"]


class DcatSettings(BaseModel):
    """Options of a ``dcat`` source (the ``dcat:`` block)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="DCAT settings",
        json_schema_extra={
            "description": (
                "Options of a dcat source. / Pengaturan sumber dcat (katalog RDF DCAT)."
            )
        },
    )

    format: RdfFormat = Field(
        default="auto",
        description=(
            "RDF serialisation of the document: auto (Content-Type, then file extension, "
            "then the content), rdfxml, turtle, jsonld or ntriples. / Serialisasi RDF "
            "dokumen: auto (Content-Type, ekstensi berkas, lalu isi), rdfxml, turtle, "
            "jsonld atau ntriples."
        ),
    )
    languages: list[str] = Field(
        default_factory=lambda: ["id", "en"],
        description=(
            "Preferred languages for titles and descriptions, in order; then text without "
            "a language tag, then any. / Bahasa yang diutamakan untuk judul dan deskripsi, "
            "berurutan; lalu teks tanpa tag bahasa, lalu bahasa lain."
        ),
    )
    max_pages: int = Field(
        default=10_000,
        ge=1,
        le=1_000_000,
        description=(
            "Most Hydra pages read in one pass; a catalogue with more pages is read "
            "partly and nothing is withdrawn. / Jumlah halaman Hydra paling banyak per "
            "panen; bila lebih, panen tidak lengkap dan tidak ada yang ditarik."
        ),
    )

    @field_validator("languages")
    @classmethod
    def _language_tags(cls, values: list[str]) -> list[str]:
        out = []
        for value in values:
            tag = value.strip().lower()
            if not re.fullmatch(r"[a-z]{1,8}(-[a-z0-9]{1,8})*", tag):
                raise ValueError(f"{value!r} is not a language tag such as id or en")
            out.append(tag)
        return out


def _build(config: SourceConfig, validator: Validator, http: HttpClient | None) -> DcatSource:
    from satudata_cli.sources.dcat_reader import DcatSource

    return DcatSource(config, http)


SPEC = SourceSpec(
    name="dcat",
    summary="a DCAT catalogue in RDF: RDF/XML, Turtle, JSON-LD or N-Triples; Hydra pages followed",
    location="url_or_path",
    path_means="a file",
    build=_build,
    incremental=False,  # a pass reads the whole catalogue (DcatSource.incremental)
    # a pass reads the whole catalogue but keeps each mapped record pickled until it is
    # handed over (dcat_reader): 280 MB with the write process beside it, 20,000 datasets
    reads_whole=False,
    settings=DcatSettings,
    settings_summary="type dcat: options (optional). / Pengaturan khusus jenis dcat.",
)
