"""The fast DCAT export writes the same graph as today's (issue 15, target 3).

``tests/helpers/dcat_reference.py`` is the export as it was (one rdflib graph per
dataset, rdflib's serialisers); the codec now builds plain triples and writes the text
itself. For a varied sample of records (every field of the standard, translations,
unicode, ``\\r\\n``, control characters, HTML, quotes, odd IRIs, numbers, nulls, keys that
are no XML names, CKAN's resource keys) each format is parsed back and compared with
the reference's output as a graph (``rdflib.compare.isomorphic``).
"""

from __future__ import annotations

import io
import random
import warnings
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from satudata_cli.catalogue.models import DatasetSummary
from satudata_cli.exports import ExportContext, ExportItem, get_exporter
from tests.helpers.dcat_reference import REFERENCE_WRITERS
from tests.helpers.records import make_record

CONTEXT = ExportContext(
    base_uri="https://katalog.pemkomedan.go.id/",
    generated_at="2026-11-28T10:00:00Z",
    catalogue="katalog.db",
    title="Katalog Satu Data Kota Medan",
)
PARSERS = {"dcat-ttl": "turtle", "dcat-nt": "nt", "dcat-rdfxml": "xml", "dcat-jsonld": "json-ld"}
TEXTS = (
    "Baris pertama.\r\nBaris kedua.\r\n\r\nSendiri: \r akhir",
    "<p>HTML &amp; <b>tebal</b> ]]> selesai</p>\r\n",
    "Kutip \"ganda\", 'tunggal', garis miring \\ terbalik, tab\tdi tengah",
    "Excel\x0bbaris \x01 kendali \x0c \x7f akhir",
    "Unicode: é ü ñ 中文 العربية 😀 \u200b",
    "  spasi di tepi  ",
    "a, b, c",  # a keyword with commas
    "",
)
IRIS = (
    "https://data.pemkomedan.go.id/dataset/a?x=1&y=2#bagian",
    "https://data.pemkomedan.go.id/files/100%zz.csv",  # a percent sign that escapes nothing
    "https://data.pemkomedan.go.id/a#b#c",
    "http://publications.europa.eu/resource/authority/data-theme/HEAL",
    "urn:uuid:3f1c6e2a-0000-4000-8000-000000000001",
    "mailto:data@pemkomedan.go.id",
    "ftp://ftp.pemkomedan.go.id/pub/é.zip",
)


def varied_record(i: int, rng: random.Random) -> dict[str, Any]:
    """Record ``i``: the complete record of the tests plus a random choice of the shapes
    a katalog holds."""
    text = rng.choice(TEXTS)
    record = make_record(i)
    choices: dict[str, Any] = {
        "notes": f"Catatan {i}. {text}",
        "title_translations": {"id": f"Judul {i}", "en": f"Title {i} {text}"},
        "notes_translations": {"und": f"tanpa bahasa {i}", "id": text or "isi", "x bad": "no"},
        "tags": rng.sample(["puskesmas", "kesehatan", "Fasilitas Umum", "a, b", "ü"], 3),
        "theme": [rng.choice(IRIS), "Kesehatan", text],
        "kolom": [{"nama": "kecamatan", "tipe_data": "teks"}, {"nama": text, "n": 1.5}],
        "kontak": rng.choice(
            [
                "seksi.data@pemkomedan.go.id",
                {"email": "data@pemkomedan.go.id"},
                {"nama": f"Seksi {text}", "email": "mailto:x@y.go.id", "telepon": "+62 61 123"},
                {"nama": "Tanpa surel", "telepon": "061-4512"},
            ]
        ),
        "tahun": rng.choice([2024, "2023", "2019-2023", "tahun lalu"]),
        "temporal": rng.choice(["2023-01-01T00:00:00Z/2023-12-31", "2020/..", "sepanjang"]),
        "spatial": rng.choice([["Kota Medan", "POINT(98.67 3.59)"], "Medan Johor", IRIS[0]]),
        "kode_wilayah": rng.choice(["12.71", "12.71.01", "1271"]),
        "license_id": rng.choice(["cc-by", "odc-odbl", "CC BY 4.0", IRIS[3], text or "x"]),
        "jadwal_pemutakhiran": rng.choice(["tahunan", "Tahunan", "R/P1Y", "setiap hujan"]),
        "klasifikasi_akses": rng.choice(["terbuka", "tertutup", "terbatas", "rahasia?"]),
        "tanggal_dibuat": rng.choice(["2021-03-15", "2021-03-15T08:00:00Z", "31/06/2025"]),
        "tanggal_diperbarui": rng.choice(["2026-06-01", "2026-06-01T08:00:00.000000", "2026"]),
        "link_akses": rng.choice([*IRIS, "bukan tautan", f"https://x.go.id/{i}"]),
        "produsen_data": rng.choice(["Bidang Data", text]),
        "Kode Lama": f"PKM-{i}",
        "angka": rng.choice([1.5, 2, True, None, [1, "dua"], {"k": text}]),
        "catatan_kosong": None,
        "extras": {
            "dct:conformsTo": rng.choice(IRIS),
            "dct:language": ["http://publications.europa.eu/resource/authority/language/IND"],
            "dcat:version": "2.1",
            "dct:rights": text or "Hak cipta",
        },
    }
    for key, value in choices.items():
        if rng.random() < 0.7:
            record[key] = value
    resources = []
    for position in range(rng.randrange(0, 4)):
        resource: dict[str, Any] = {
            "name": f"Berkas {position} {text}",
            "url": rng.choice([*IRIS, f"https://x.go.id/{i}/{position}.csv", "tanpa-skema"]),
            "format": rng.choice(["csv", "CSV", "XLSX", "application/json", "Peta"]),
        }
        extra: dict[str, Any] = {
            "access_url": rng.choice(IRIS),
            "description": text,
            "mimetype": rng.choice(["text/csv", "bukan media"]),
            "size": rng.choice([2048, 0, -1, 1.5]),
            "last_modified": rng.choice(["2026-05-30", "2026-05-30T10:11:12Z", "kemarin"]),
            "license_id": rng.choice(["cc-by", IRIS[0], "lisensi lain"]),
            "hash": rng.choice(["sha256:9f86d081884c7d65", "md5:abc", "tanpa-algoritma", {"a": 1}]),
            "id": f"res-{i}-{position}",
            "package_id": f"pkg-{i}",
            "extras": {"dct:rights": text or "bebas", "adms:status": IRIS[0]},
            "Kunci Aneh": [text],
        }
        for key, value in extra.items():
            if rng.random() < 0.5:
                resource[key] = value
        resources.append(resource)
    if resources or rng.random() < 0.5:
        record["resources"] = resources
    else:
        record.pop("resources")
    if rng.random() < 0.2:
        record.pop("format", None)
    return record


def sample(n: int = 200, seed: int = 15) -> list[ExportItem]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        source = rng.choice(["medan", "ckan portal", "dcat/ttl"])
        remote = rng.choice([f"dataset-{i}", f"Data Set {i}/é", f"{i}#x"])
        summary = DatasetSummary(
            i, source, remote, None, None, None, "active", True, 0, 0, 0, "", "", "", None, None
        )
        items.append(ExportItem(summary, varied_record(i, rng)))
    return items


def _graph(body: bytes, fmt: str) -> Graph:
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated class
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=body, format=PARSERS[fmt], publicID="file:///export")


#: records per compared export: rdflib's isomorphism check grows with the square of the
#: blank nodes (200 records at once: about a minute a format; in eighths: seconds)
BATCH = 25


@pytest.mark.parametrize("fmt", sorted(PARSERS))
def test_the_fast_export_is_todays_graph(fmt: str) -> None:
    items = sample()
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        fast, today = io.BytesIO(), io.BytesIO()
        assert get_exporter(fmt)(batch, fast, context=CONTEXT) == len(batch)
        assert REFERENCE_WRITERS[fmt](batch, today, context=CONTEXT) == len(batch)
        new, old = _graph(fast.getvalue(), fmt), _graph(today.getvalue(), fmt)
        assert len(new) == len(old) > BATCH * 30
        if not isomorphic(new, old):
            _both, only_new, only_old = graph_diff(to_isomorphic(new), to_isomorphic(old))
            pytest.fail(
                f"{fmt}, records {start}-{start + len(batch) - 1}: {len(only_new)} triples only "
                f"in the fast export, e.g. {sorted(only_new)[:3]}; {len(only_old)} only in "
                f"today's, e.g. {sorted(only_old)[:3]}"
            )


def test_the_sample_is_varied() -> None:
    """The sample holds what the comparison is meant to cover."""
    items = sample()
    text = repr([item.record for item in items])
    for needle in ("\\r\\n", "\\x0b", "]]>", "😀", "%zz", "Kode Lama", "Kunci Aneh", "None"):
        assert needle in text, needle
    assert sum(len(item.record.get("resources", [])) for item in items) > 150
    assert any("resources" not in item.record for item in items)
