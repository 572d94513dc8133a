"""The one table of DCAT vocabulary both directions use: namespaces, the EU authority
IRIs (file types, frequencies, access rights), the IANA media types, and the IRIs of
the standard's vocabularies (``schemas/vocabularies.yaml``, read once by
:mod:`satudata_cli.standard.vocabularies`).

Reading turns an IRI into the name it stands for (:func:`media_name`, :func:`eu_iri`);
writing turns a name into the IRI (:func:`format_node`, :func:`media_type_node`,
:func:`vocabulary_iri`). Both sides read these constants, so what the export writes is
what the ``dcat`` source reads back.
"""

from __future__ import annotations

import re
from typing import Any, Final

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS, XSD, Namespace
from rdflib.term import Node

from satudata_cli.standard.schema import Standard, load_standard

__all__ = [
    "ADMS",
    "DATASET_EXTRAS",
    "EU_ACCESS_RIGHT",
    "EU_AUTHORITY",
    "EU_FILE_TYPE",
    "EU_FILE_TYPES",
    "EU_FREQUENCY",
    "IANA_MEDIA_TYPES",
    "LOCN",
    "PREFIXES",
    "RESOURCE_EXTRAS",
    "SCHEMA",
    "SCHEMA_S",
    "SD",
    "SDF",
    "SPDX",
    "TIME",
    "VCARD",
    "duration_frequency",
    "eu_iri",
    "format_node",
    "iso_frequency",
    "media_name",
    "media_type_node",
    "vocabulary_iri",
]

#: satudata's own terms (control terms of the DCAT export): sd:position, sd:field,
#: sd:key, sd:value, sd:unset and the datatype sd:kodeWilayah.
SD: Final = Namespace("urn:satudata:ns#")
#: One property per record field that has no DCAT term: sdf:walidata, sdf:konsep, ...
SDF: Final = Namespace("urn:satudata:field#")
VCARD: Final = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA: Final = Namespace("http://schema.org/")
SCHEMA_S: Final = Namespace("https://schema.org/")
TIME: Final = Namespace("http://www.w3.org/2006/time#")
LOCN: Final = Namespace("http://www.w3.org/ns/locn#")
ADMS: Final = Namespace("http://www.w3.org/ns/adms#")
SPDX: Final = Namespace("http://spdx.org/rdf/terms#")
OWL_VERSION_INFO: Final = URIRef("http://www.w3.org/2002/07/owl#versionInfo")
DCATAP: Final = Namespace("http://data.europa.eu/r5r/")
ODRL: Final = Namespace("http://www.w3.org/ns/odrl/2/")
PROV: Final = Namespace("http://www.w3.org/ns/prov#")

#: Terms of a dataset the standard has no field for: kept in the record's ``extras``
#: map under these names (DCAT 3, DCAT-AP 3 optional properties), never dropped.
DATASET_EXTRAS: Final = {
    "dct:conformsTo": DCTERMS.conformsTo,
    "dct:language": DCTERMS.language,
    "dcat:version": URIRef(str(DCAT) + "version"),
    "owl:versionInfo": OWL_VERSION_INFO,
    "adms:versionNotes": ADMS.versionNotes,
    "adms:identifier": ADMS.identifier,
    "adms:sample": ADMS.sample,
    "dct:type": DCTERMS.type,
    "dct:source": DCTERMS.source,
    "dct:relation": DCTERMS.relation,
    "dct:hasVersion": DCTERMS.hasVersion,
    "dct:isVersionOf": DCTERMS.isVersionOf,
    "dct:isReferencedBy": DCTERMS.isReferencedBy,
    "dct:provenance": DCTERMS.provenance,
    "dct:rights": DCTERMS.rights,
    "dct:rightsHolder": DCTERMS.rightsHolder,
    "foaf:page": FOAF.page,
    "dcat:spatialResolutionInMeters": DCAT.spatialResolutionInMeters,
    "dcat:temporalResolution": DCAT.temporalResolution,
    "prov:wasGeneratedBy": PROV.wasGeneratedBy,
}
#: The same for a distribution's terms, kept in the resource's ``extras``.
RESOURCE_EXTRAS: Final = {
    "dct:conformsTo": DCTERMS.conformsTo,
    "dct:language": DCTERMS.language,
    "dcat:version": URIRef(str(DCAT) + "version"),
    "owl:versionInfo": OWL_VERSION_INFO,
    "dct:rights": DCTERMS.rights,
    "dct:issued": DCTERMS.issued,
    "adms:status": ADMS.status,
    "dcat:compressFormat": DCAT.compressFormat,
    "dcat:packageFormat": DCAT.packageFormat,
    "dcat:accessService": DCAT.accessService,
    "dcatap:availability": DCATAP.availability,
    "odrl:hasPolicy": ODRL.hasPolicy,
    "foaf:page": FOAF.page,
    "dcat:spatialResolutionInMeters": DCAT.spatialResolutionInMeters,
    "dcat:temporalResolution": DCAT.temporalResolution,
}

#: The prefixes a written document binds.
PREFIXES: Final = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "xsd": XSD,
    "sd": SD,
    "sdf": SDF,
    # the terms of the extras maps and a distribution's checksum (:mod:`.write`)
    "spdx": SPDX,
    "adms": ADMS,
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "dcatap": DCATAP,
    "odrl": ODRL,
    "prov": PROV,
}

#: The EU Publications Office's authority tables, in the ``http`` form the standard's
#: vocabularies use (an ``https`` IRI is read as this one).
EU_AUTHORITY: Final = "http://publications.europa.eu/resource/authority/"
_EU_AUTHORITY_HTTPS: Final = "https://publications.europa.eu/resource/authority/"
EU_FILE_TYPE: Final = EU_AUTHORITY + "file-type/"
EU_FREQUENCY: Final = EU_AUTHORITY + "frequency/"
EU_ACCESS_RIGHT: Final = EU_AUTHORITY + "access-right/"
#: IANA media types; the first is the one written.
IANA_MEDIA_TYPES: Final = (
    "https://www.iana.org/assignments/media-types/",
    "http://www.iana.org/assignments/media-types/",
)
#: Formats written as the EU file-type authority's IRI (DCAT-AP wants dct:format as an
#: IRI): the common ones, when written in the authority's own (upper-case) spelling, so
#: the dcat source reads the same text back. Others stay literals.
EU_FILE_TYPES: Final = frozenset(
    {
        "CSV", "TSV", "XLS", "XLSX", "ODS", "JSON", "GEOJSON", "XML", "RDF_XML", "PDF",
        "DOC", "DOCX", "ODT", "TXT", "HTML", "ZIP", "GZIP", "SHP", "KML", "KMZ", "GML",
        "GPKG", "WMS_SRVC", "WFS_SRVC", "JPEG", "PNG", "TIFF", "PPTX", "RDF_TURTLE",
        "JSON_LD", "SPARQLQ", "MDB", "DBF", "SQL", "PARQUET",
    }
)  # fmt: skip
_MEDIA_TYPE = re.compile(r"^[a-z]+/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")


# -- reading: IRI -> name ----------------------------------------------------------------


def media_name(text: str) -> str:
    """EU file-type and IANA media-type IRIs as the name they stand for."""
    if text.startswith(EU_FILE_TYPE):
        return text[len(EU_FILE_TYPE) :]
    for prefix in IANA_MEDIA_TYPES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


_DURATION_UNITS: Final = (("years", "Y"), ("months", "M"), ("weeks", "W"), ("days", "D"))


def duration_frequency(parts: dict[str, float], standard: Standard | None = None) -> str | None:
    """A ``time:DurationDescription`` (``time:years 1`` ...) as a frequency: the term of
    the ``frekuensi`` vocabulary it stands for (``P1Y`` -> ``tahunan``, ``P1W`` ->
    ``mingguan``), else the ISO 8601 duration itself (``P5D``); None when it gives no
    whole amount of years, months, weeks or days."""
    text = "P"
    for name, unit in _DURATION_UNITS:
        amount = parts.get(name)
        if amount is None or amount == 0:
            continue
        if amount < 0 or amount != int(amount):
            return None
        text += f"{int(amount)}{unit}"
    if text == "P":
        return None
    return iso_frequency(text, standard)


def iso_frequency(text: str, standard: Standard | None = None) -> str:
    """An ISO 8601 duration (``P1Y``, ``P3M``) as the ``frekuensi`` term it stands for,
    else as given."""
    vocab = (standard or load_standard()).vocabularies.get("frekuensi")
    canonical = vocab.match(text).canonical if vocab is not None else None
    return canonical or text


def eu_iri(text: str) -> str:
    """``https://publications.europa.eu/...`` in the ``http`` form the vocabularies use."""
    if text.startswith(_EU_AUTHORITY_HTTPS):
        return "http://" + text[len("https://") :]
    return text


# -- writing: name -> IRI ----------------------------------------------------------------


def format_node(text: str) -> Node:
    """``dct:format``: the EU file-type IRI for a common format in its spelling, the
    IANA IRI for a media type (a resource whose only format was ``dcat:mediaType``),
    else the text."""
    if text in EU_FILE_TYPES:
        return URIRef(EU_FILE_TYPE + text)
    return media_type_node(text)


def media_type_node(text: str) -> Node:
    """``dcat:mediaType``: the IANA IRI DCAT-AP asks for (``text/csv`` ->
    ``https://www.iana.org/assignments/media-types/text/csv``), else the text."""
    return URIRef(IANA_MEDIA_TYPES[0] + text) if _MEDIA_TYPE.match(text) else Literal(text)


def vocabulary_iri(standard: Standard, vocabulary: str, value: str, prefix: str) -> str | None:
    """The IRI (a variant starting with ``prefix``) of the term of ``vocabulary`` that
    ``value`` matches, as ``vocabularies.yaml`` lists it; None when there is none."""
    vocab = standard.vocabularies[vocabulary]
    canonical = vocab.match(value).canonical
    if canonical is None:
        return None
    for variant in vocab.terms[canonical].variants:
        if variant.startswith(prefix):
            return variant
    return None


_YEAR: Final = re.compile(r"^\d{4}$")
_YEAR_RANGE: Final = re.compile(r"^(\d{4})\s*[-/]\s*(\d{4})$")


def period_of_text(text: str) -> tuple[str, str] | None:
    """A ``dct:temporal`` literal as (start, end): ``2020``, ``2018-2020``, ``a/b``;
    ``None`` when it is no period (the text is then kept as ``temporal`` itself)."""
    text = text.strip()
    years = _YEAR_RANGE.match(text)
    if _YEAR.match(text):
        return text, text
    if years:
        return years.group(1), years.group(2)
    if "/" in text:
        start, end = (part.strip() for part in text.split("/", 1))
        return start, end
    return None


def put_period(start: str, end: str, record: dict[str, Any]) -> None:
    """A period's bounds (``..`` when open) into the record: ``tahun`` when both start
    with a year, ``temporal`` as ``start/end`` unless both are whole years."""
    if start == ".." and end == "..":
        return
    if _YEAR.match(start[:4]) and _YEAR.match(end[:4]):
        first, last = int(start[:4]), int(end[:4])
        record["tahun"] = first if first == last else f"{first}-{last}"
    if not (_YEAR.match(start) and _YEAR.match(end)):
        record["temporal"] = f"{start}/{end}"
