"""The DCAT codec's one vocabulary table: what writing turns into an IRI, reading turns
back into the same name."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from satudata_cli.codecs.dcat.vocab import (
    EU_ACCESS_RIGHT,
    EU_FILE_TYPE,
    EU_FILE_TYPES,
    EU_FREQUENCY,
    IANA_MEDIA_TYPES,
    eu_iri,
    format_node,
    media_name,
    media_type_node,
    vocabulary_iri,
)
from satudata_cli.standard.schema import load_standard


def test_vocabulary_iris_come_from_the_standard_vocabularies() -> None:
    standard = load_standard()
    assert vocabulary_iri(standard, "frekuensi", "Tahunan", EU_FREQUENCY) == (
        EU_FREQUENCY + "ANNUAL"
    )
    assert vocabulary_iri(standard, "lisensi", "CC BY 4.0", "http") == (
        "https://creativecommons.org/licenses/by/4.0/"  # the first IRI listed
    )
    access = vocabulary_iri(standard, "akses", "terbuka", EU_ACCESS_RIGHT)
    assert access is not None and access.startswith(EU_ACCESS_RIGHT)
    assert vocabulary_iri(standard, "frekuensi", "no such term", EU_FREQUENCY) is None
    # the variants are those of vocabularies.yaml, in its order
    term = standard.vocabularies["lisensi"].terms["cc-by"]
    assert term.variants[0] == "cc-by-4.0"


@pytest.mark.parametrize("name", sorted(EU_FILE_TYPES))
def test_file_types_written_as_iris_read_back_as_names(name: str) -> None:
    node = format_node(name)
    assert node == URIRef(EU_FILE_TYPE + name)
    assert media_name(str(node)) == name


def test_media_types_and_plain_formats() -> None:
    node = media_type_node("text/csv")
    assert node == URIRef(IANA_MEDIA_TYPES[0] + "text/csv")
    assert media_name(str(node)) == "text/csv"
    assert media_name(IANA_MEDIA_TYPES[1] + "text/csv") == "text/csv"
    assert format_node("csv") == Literal("csv")  # not the authority's spelling
    assert media_type_node("CSV file") == Literal("CSV file")


def test_https_authority_iris_are_read_in_the_vocabularies_http_form() -> None:
    https = "https://publications.europa.eu/resource/authority/frequency/ANNUAL"
    assert eu_iri(https) == EU_FREQUENCY + "ANNUAL"
    assert eu_iri("https://example.org/x") == "https://example.org/x"
