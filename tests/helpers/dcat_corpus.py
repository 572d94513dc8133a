"""A generated DCAT catalogue of N datasets, in Turtle, RDF/XML, N-Triples or JSON-LD.

Used by ``benchmarks/bench_dcat_harvest.py`` (20,000 datasets) and by the test that the
streaming reader and the rdflib reader give the same records. The datasets vary the way
real catalogues do: several languages, comma-separated keywords, publishers as blank
nodes or IRIs, vCard contacts, EU authority IRIs and literals, typed format and
frequency nodes, ``time:`` durations, periods in years or dates, region codes, one to
three distributions with checksums and sizes, extras, satudata's own ``sdf:``/``sd:``
terms, datasets without ``dct:identifier`` and ``dcat:dataset`` links to nothing.

Turtle is written as text; the other formats are the same graph serialised by
pyoxigraph (RDF/XML, N-Triples, JSON-LD), so every format holds the same statements.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pyoxigraph

FORMATS = {
    "turtle": (".ttl", pyoxigraph.RdfFormat.TURTLE),
    "xml": (".rdf", pyoxigraph.RdfFormat.RDF_XML),
    "nt": (".nt", pyoxigraph.RdfFormat.N_TRIPLES),
    "json-ld": (".jsonld", pyoxigraph.RdfFormat.JSON_LD),
}

_PREFIXES = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix sd: <urn:satudata:ns#> .
@prefix sdf: <urn:satudata:field#> .
"""
_NAMESPACES = dict(re.findall(r"@prefix (\w+): <([^>]+)>", _PREFIXES))
_BASE = "https://data.pemkomedan.go.id"
_EU = "http://publications.europa.eu/resource/authority/"
_AGENCIES = (
    "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Perhubungan", "Dinas Sosial", "Bappeda", "Dinas Lingkungan Hidup",
    "Badan Pusat Statistik",
)  # fmt: skip
_TOPICS = (
    "penduduk", "kesehatan", "pendidikan", "transportasi", "sosial", "lingkungan",
    "ekonomi", "infrastruktur", "pariwisata", "pertanian",
)  # fmt: skip
_FREQUENCIES = (
    f"<{_EU}frequency/ANNUAL>", f"<{_EU}frequency/MONTHLY>", "<http://purl.org/cld/freq/quarterly>",
    '"Tahunan"', '"R/P1Y"', "[ a dct:Frequency ; rdfs:label \"Bulanan\"@id ]",
    "[ a dct:Frequency ; rdf:value [ a time:DurationDescription ; "
    "time:years \"1\"^^xsd:decimal ] ]",
    "[ a time:TemporalDuration ; time:hasXSDDuration \"P3M\"^^xsd:duration ]",
)  # fmt: skip
_FORMATS = (
    (f"<{_EU}file-type/CSV>", "<https://www.iana.org/assignments/media-types/text/csv>", "csv"),
    (f"<{_EU}file-type/XLSX>", None, "xlsx"),
    ('"JSON"', '"application/json"', "json"),
    ('[ a dct:IMT ; rdf:value "application/pdf" ; rdfs:label "PDF" ]', None, "pdf"),
    (None, "<https://www.iana.org/assignments/media-types/application/geo+json>", "geojson"),
)


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dataset(i: int, rng: random.Random) -> str:
    agency = _AGENCIES[i % len(_AGENCIES)]
    topic = _TOPICS[rng.randrange(len(_TOPICS))]
    year = 2015 + rng.randrange(10)
    slug = f"{topic}-{i:06d}"
    node = f"<{_BASE}/dataset/{slug}>"
    lines = [f"{node} a dcat:Dataset"]
    if i % 97 != 5:
        lines.append(f"dct:identifier {_lit(slug)}")
    title = f"Data {topic.title()} {agency} Kota Medan Tahun {year} nomor {i}"
    lines.append(f"dct:title {_lit(title)}@id")
    if i % 3 == 0:
        lines.append(f'dct:title "{topic.title()} data of Medan {year} ({i})"@en')
    if i % 11 == 0:
        lines.append(f'dct:title "Untagged title {i}"')
    notes = f'Rekapitulasi {topic} per kecamatan, sumber {agency}; baris "{i}"\nkedua.'
    lines.append(f"dct:description {_lit(notes)}@id")
    if i % 4 == 1:
        lines.append(f'dct:description "Summary of {topic} {i}."@en')
    keywords = [f'"{topic}"@id', '"medan"@id', f'"kw{i % 50}"']
    if i % 7 == 0:
        keywords.append(f'"{topic}, statistik , data{i % 13}"')
    lines.append("dcat:keyword " + ", ".join(keywords))
    lines.append(f"dcat:theme <{_EU}data-theme/{('SOCI', 'HEAL', 'EDUC', 'TRAN')[i % 4]}>")
    if i % 5 == 0:
        lines.append(f"dct:publisher <{_BASE}/org/{i % 8}>")
    else:
        lines.append(f"dct:publisher [ a foaf:Agent ; foaf:name {_lit(agency + ' Kota Medan')} ]")
    if i % 6 == 2:
        lines.append(f'dct:creator [ foaf:name "Bidang Data {i % 8}" ]')
    elif i % 6 == 4:
        lines.append(f"dct:creator <{_BASE}/org/{i % 8}>")
    else:
        lines.append(f"dct:creator {_lit('Bidang Statistik ' + agency)}")
    if i % 9 == 4:
        lines.append(f'dcat:contactPoint "data{i}@pemkomedan.go.id"')
    else:
        lines.append(
            f'dcat:contactPoint [ a vcard:Kind ; vcard:fn "Seksi Data {i % 8}" ; '
            f"vcard:hasEmail <mailto:data{i % 8}@pemkomedan.go.id>"
            + (f" ; vcard:hasTelephone <tel:+6261451{i % 1000:04d}>" if i % 2 else "")
            + " ]"
        )
    lines.append(f"dct:accrualPeriodicity {_FREQUENCIES[i % len(_FREQUENCIES)]}")
    if i % 3 != 2:
        right = ("PUBLIC", "RESTRICTED", "NON_PUBLIC")[i % 3]
        lines.append(f"dct:accessRights <{_EU}access-right/{right}>")
    else:
        lines.append('dct:accessRights [ skos:prefLabel "Terbuka"@id ]')
    if i % 4 == 0:
        lines.append(
            f'dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{year}"^^xsd:gYear ; '
            f'dcat:endDate "{year + i % 3}"^^xsd:gYear ]'
        )
    elif i % 4 == 1:
        lines.append(
            f'dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{year}-01-01"^^xsd:date ; '
            f'dcat:endDate "{year}-12-31"^^xsd:date ]'
        )
    elif i % 4 == 2:
        lines.append(f'dct:temporal "{year}"')
    if i % 2 == 0:
        lines.append('dct:spatial [ skos:notation "12.71"^^sd:kodeWilayah ]')
    elif i % 5 == 3:
        lines.append("dct:spatial <http://sws.geonames.org/1214520/>")
    lines.append(f'dct:issued "{year}-03-{1 + i % 28:02d}"^^xsd:date')
    if i % 8 == 3:
        lines.append(f'dct:modified "{1 + i % 28}/06/2025"')
    else:
        lines.append(f'dct:modified "2025-06-{1 + i % 28:02d}T08:30:00+07:00"^^xsd:dateTime')
    lines.append(f"dcat:landingPage <{_BASE}/dataset/{slug}>")
    if i % 3 == 0:
        lines.append("dct:license <https://creativecommons.org/licenses/by/4.0/>")
    if i % 10 == 1:
        lines.append(f"dct:language <{_EU}language/IND>")
        lines.append(f'dcat:version "1.{i % 4}"')
    if i % 12 == 5:
        lines.append('sdf:walidata "Diskominfo Kota Medan"')
        lines.append('sdf:ukuran "\\"Jumlah\\""^^rdf:JSON')
        lines.append(f'sdf:dimensi "{{\\"baris\\": {i}, \\"kolom\\": 7}}"^^rdf:JSON')
    distributions = []
    for d in range(1 + i % 3):
        fmt, media, ext = _FORMATS[(i + d) % len(_FORMATS)]
        parts = []
        if d % 2 == 0:
            parts.append(f"dcat:downloadURL <{_BASE}/files/{slug}-{d}.{ext}>")
            parts.append(f"dcat:accessURL <{_BASE}/dataset/{slug}>")
        else:
            parts.append(f"dcat:accessURL <{_BASE}/api/{slug}/{d}>")
        parts.append(f'dct:title "{topic.title()} {year} ({ext.upper()})"@id')
        if fmt:
            parts.append(f"dct:format {fmt}")
        if media:
            parts.append(f"dcat:mediaType {media}")
        if (i + d) % 2:
            parts.append(
                f'dcat:byteSize "{1024 * (1 + (i * 7 + d) % 500)}"^^xsd:nonNegativeInteger'
            )
        if (i + d) % 5 == 0:
            parts.append(
                "spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
                f'spdx:checksumValue "{i:064x}"^^xsd:hexBinary ]'
            )
        if i % 3 == 1:
            parts.append(f'sd:position "{d}"^^xsd:integer')
        if i % 10 == 1:
            parts.append("dct:license <https://creativecommons.org/licenses/by/4.0/>")
        distributions.append("[ a dcat:Distribution ; " + " ; ".join(parts) + " ]")
    lines.append("dcat:distribution " + ", ".join(distributions))
    return " ;\n    ".join(lines) + " .\n"


def turtle(count: int, seed: int = 15) -> str:
    """A catalogue of ``count`` datasets in Turtle."""
    rng = random.Random(seed)
    out = [_PREFIXES]
    for org in range(8):
        out.append(
            f"<{_BASE}/org/{org}> a foaf:Organization ; foaf:name {_lit(_AGENCIES[org])} .\n"
        )
    links = [f"<{_BASE}/dataset/elsewhere>"]  # a link to nothing: no dataset record
    rng_links = random.Random(seed + 1)
    for i in range(count):
        if i % 3 == 0:
            links.append(f"<{_BASE}/dataset/{_TOPICS[rng_links.randrange(len(_TOPICS))]}-x>")
    out.append(f'<{_BASE}/catalog> a dcat:Catalog ; dct:title "Katalog Kota Medan"@id')
    out.append(" ;\n    dcat:dataset " + ", ".join(links[:50]) + " .\n")
    for i in range(count):
        out.append(_dataset(i, rng))
    return "".join(out)


def write(count: int, rdf_format: str, path: Path, seed: int = 15) -> Path:
    """The catalogue of ``count`` datasets in ``rdf_format`` (rdflib's parser name) at
    ``path`` (its extension is the format's)."""
    text = turtle(count, seed)
    suffix, target = FORMATS[rdf_format]
    path = path.with_suffix(suffix)
    if rdf_format == "turtle":
        path.write_text(text, "utf-8")
        return path
    quads = pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    if rdf_format != "json-ld":
        pyoxigraph.serialize(quads, output=str(path), format=target, prefixes=_NAMESPACES)
        return path
    expanded = json.loads(pyoxigraph.serialize(quads, format=target) or b"[]")
    document = {"@context": _NAMESPACES, "@graph": [_compact(node) for node in expanded]}
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


def _short(iri: str) -> str:
    for prefix, namespace in _NAMESPACES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _compact(value: Any) -> Any:
    """An expanded JSON-LD node in compact form: prefixed names as keys and types, a
    plain string for a value without language or type, one value without a list."""
    if isinstance(value, list):
        items = [_compact(item) for item in value]
        return items[0] if len(items) == 1 else items
    if not isinstance(value, dict):
        return value
    if set(value) == {"@value"}:
        return value["@value"]
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "@type":
            out[key] = [_short(t) for t in item] if isinstance(item, list) else _short(item)
            if isinstance(out[key], list) and len(out[key]) == 1:
                out[key] = out[key][0]
        elif key.startswith("@"):
            out[key] = item
        else:
            out[_short(key)] = _compact(item)
    return out
