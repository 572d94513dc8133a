"""Throughput and memory benchmark: ``satudata validate`` against check-jsonschema.

What it does (details and how to read the output: ``benchmarks/README.md``):

1. Generates ``--files`` record files (one JSON object per file, seeded random,
   nested folders): mostly valid Kota Medan dataset metadata with a realistic share of
   errors, warnings and variants (``Tahunan``, ``1271``, a bad e-mail now and then,
   missing recommended fields, a few structurally invalid records).
2. Times the real CLI end to end, start-up included::

       satudata validate DIR --format json --output FILE --as-of 2026-11-28 -q

   and the library in-process (one ``Validator``, iterate ``check_paths``) to show
   the per-record cost without process start-up.
3. Times ``check-jsonschema --schemafile BUNDLE FILE...`` on the same files, in
   batches of ``--batch-size`` files per call (as ``xargs`` would). BUNDLE is the
   dataset schema with the three BPS MS schemas inlined under ``$defs`` (check-jsonschema
   cannot resolve their ``urn:satudata:schema:ms-*`` ids) plus the sdi-dasar required
   fields at the top level, so both tools check the same structure.
4. Prints a table (seconds, records/s, ratio, failing records) and the 2x target.
5. Runs the CLI on a JSON Lines file of ``--memory-records`` records and on one of a
   tenth of that, and prints both peak RSS values (flat-memory target: ratio <= 1.2).

Exit status: 0 whatever the measurements say (this is a measurement, not a test);
2 when the benchmark itself cannot run (a tool is missing or crashes).

    .venv/bin/python benchmarks/bench_validate.py
    .venv/bin/python benchmarks/bench_validate.py --files 2000 --skip-memory
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from common import BenchmarkError, Figures, clean_env, load_average, measure_child, tool, verdict

FIGURES = Figures("validate")

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
DATASET_SCHEMA = SCHEMAS / "satudata-dataset.schema.json"
MS_SCHEMAS = ("ms-kegiatan.schema.json", "ms-variabel.schema.json", "ms-indikator.schema.json")
PROFILE = "sdi-dasar"
AS_OF = date(2026, 11, 28)
SEED = 20261128
THROUGHPUT_TARGET = 2.0  # satudata records/s >= 2x check-jsonschema records/s
MEMORY_TARGET = 1.2  # peak RSS at --memory-records <= 1.2x peak RSS at a tenth of it


# =========================================================================== tools


def tool_version(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "?"


# =========================================================================== records


OPDS: tuple[tuple[str, str, str, tuple[tuple[str, str, str, str, tuple[str, ...]], ...]], ...] = (
    # (folder, organization, e-mail local part, topics: (subject, konsep, ukuran, satuan, tags))
    (
        "dinkes",
        "Dinas Kesehatan Kota Medan",
        "data.dinkes",
        (
            ("Jumlah Puskesmas", "Puskesmas", "Jumlah", "unit", ("kesehatan", "puskesmas")),
            (
                "Cakupan Imunisasi Dasar Lengkap",
                "Imunisasi dasar lengkap",
                "Persentase",
                "persen",
                ("kesehatan", "imunisasi", "bayi"),
            ),
            (
                "Jumlah Kasus Demam Berdarah",
                "Demam berdarah dengue",
                "Jumlah",
                "kasus",
                ("kesehatan", "dbd", "penyakit"),
            ),
            (
                "Prevalensi Stunting pada Balita",
                "Stunting",
                "Persentase",
                "persen",
                ("kesehatan", "stunting", "gizi"),
            ),
        ),
    ),
    (
        "disdik",
        "Dinas Pendidikan Kota Medan",
        "data.disdik",
        (
            ("Jumlah Sekolah Dasar", "Sekolah dasar", "Jumlah", "sekolah", ("pendidikan", "sd")),
            ("Jumlah Guru SMP", "Guru", "Jumlah", "orang", ("pendidikan", "guru", "smp")),
            (
                "Angka Partisipasi Murni SD",
                "Angka partisipasi murni",
                "Persentase",
                "persen",
                ("pendidikan", "apm"),
            ),
        ),
    ),
    (
        "disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil Kota Medan",
        "data.disdukcapil",
        (
            ("Jumlah Penduduk", "Penduduk", "Jumlah", "jiwa", ("kependudukan", "penduduk")),
            ("Jumlah Kelahiran", "Kelahiran", "Jumlah", "jiwa", ("kependudukan", "kelahiran")),
            (
                "Kepemilikan Akta Kelahiran Anak",
                "Akta kelahiran",
                "Persentase",
                "persen",
                ("kependudukan", "akta", "anak"),
            ),
        ),
    ),
    (
        "dishub",
        "Dinas Perhubungan Kota Medan",
        "data.dishub",
        (
            (
                "Jumlah Kendaraan Bermotor",
                "Kendaraan bermotor",
                "Jumlah",
                "unit",
                ("transportasi", "kendaraan"),
            ),
            (
                "Panjang Jalur Angkutan Umum",
                "Trayek angkutan umum",
                "Panjang",
                "kilometer",
                ("transportasi", "angkutan-umum"),
            ),
        ),
    ),
    (
        "dinsos",
        "Dinas Sosial Kota Medan",
        "data.dinsos",
        (
            (
                "Jumlah Penerima Bantuan Sosial",
                "Bantuan sosial",
                "Jumlah",
                "keluarga",
                ("sosial", "bansos"),
            ),
            (
                "Jumlah Penyandang Disabilitas",
                "Penyandang disabilitas",
                "Jumlah",
                "orang",
                ("sosial", "disabilitas"),
            ),
        ),
    ),
    (
        "bappeda",
        "Badan Perencanaan Pembangunan Daerah Kota Medan",
        "bappeda",
        (
            (
                "Realisasi Program Prioritas Daerah",
                "Program prioritas",
                "Persentase",
                "persen",
                ("perencanaan", "rkpd"),
            ),
            (
                "Jumlah Usulan Musrenbang",
                "Musrenbang",
                "Jumlah",
                "usulan",
                ("perencanaan", "musrenbang"),
            ),
        ),
    ),
    (
        "dlh",
        "Dinas Lingkungan Hidup Kota Medan",
        "data.dlh",
        (
            ("Volume Sampah Terangkut", "Sampah", "Volume", "ton", ("lingkungan", "sampah")),
            (
                "Luas Ruang Terbuka Hijau",
                "Ruang terbuka hijau",
                "Luas",
                "hektare",
                ("lingkungan", "rth"),
            ),
        ),
    ),
    (
        "bps",
        "Badan Pusat Statistik Kota Medan",
        "bps1275",
        (
            (
                "Indeks Pembangunan Manusia",
                "Pembangunan manusia",
                "Indeks",
                "indeks",
                ("ipm", "statistik"),
            ),
            (
                "Tingkat Pengangguran Terbuka",
                "Pengangguran terbuka",
                "Persentase",
                "persen",
                ("ketenagakerjaan", "statistik"),
            ),
            (
                "Persentase Penduduk Miskin",
                "Kemiskinan",
                "Persentase",
                "persen",
                ("kemiskinan", "statistik"),
            ),
        ),
    ),
)

KECAMATAN = (
    ("12.71.01", "Medan Kota"),
    ("12.71.02", "Medan Sunggal"),
    ("12.71.03", "Medan Helvetia"),
    ("12.71.04", "Medan Denai"),
    ("12.71.05", "Medan Barat"),
    ("12.71.06", "Medan Deli"),
    ("12.71.07", "Medan Tuntungan"),
    ("12.71.08", "Medan Belawan"),
    ("12.71.09", "Medan Amplas"),
    ("12.71.10", "Medan Area"),
    ("12.71.11", "Medan Johor"),
    ("12.71.12", "Medan Marelan"),
    ("12.71.13", "Medan Labuhan"),
    ("12.71.14", "Medan Tembung"),
    ("12.71.15", "Medan Maimun"),
    ("12.71.16", "Medan Polonia"),
    ("12.71.17", "Medan Baru"),
    ("12.71.18", "Medan Perjuangan"),
    ("12.71.19", "Medan Petisah"),
    ("12.71.20", "Medan Timur"),
    ("12.71.21", "Medan Selayang"),
)

# jadwal_pemutakhiran: (canonical, weight, days between updates or None)
FREQUENCIES = (
    ("tahunan", 50, 366),
    ("bulanan", 14, 31),
    ("triwulanan", 10, 92),
    ("semesteran", 10, 184),
    ("dua_tahunan", 5, 731),
    ("lebih_dari_dua_tahunan", 5, None),
    ("ad_hoc", 6, None),
)
FREQUENCY_VARIANTS = {
    "tahunan": ("Tahunan", "TAHUNAN", "annual", "R/P1Y", "setiap tahun"),
    "bulanan": ("Bulanan", "monthly", "R/P1M"),
    "triwulanan": ("Triwulanan", "quarterly", "per triwulan"),
    "semesteran": ("Semesteran", "semester", "R/P6M"),
    "dua_tahunan": ("Dua Tahunan", "biennial"),
    "lebih_dari_dua_tahunan": ("lima tahunan", "R/P5Y"),
    "ad_hoc": ("tidak tentu", "adhoc"),
}
FORMATS = (("csv", 55), ("xlsx", 30), ("json", 8), ("pdf", 5), ("geojson", 2))
BREAKDOWNS = ("Kecamatan", "Kelurahan", "Jenis Kelamin", "Kelompok Umur", "Bulan")
RECOMMENDED = (
    "notes",
    "definisi",
    "konsep",
    "satuan",
    "kode_wilayah",
    "level_penyajian",
    "kontak",
    "tags",
    "license_id",
    "tanggal_diperbarui",
)
PORTAL = "https://data.pemkomedan.go.id"


@dataclass
class Expectation:
    """What the generator put into the data, to check the tools' verdicts against."""

    records: int = 0
    structural: set[str] = field(default_factory=set)  # keys of schema-invalid records
    failing: set[str] = field(default_factory=set)  # keys of records with any error

    def add(self, key: str, kinds: set[str]) -> None:
        self.records += 1
        if "schema" in kinds:
            self.structural.add(key)
        if "schema" in kinds or "error" in kinds:
            self.failing.add(key)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _non_iso(rng: random.Random, day: date) -> str:
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
    months += ["September", "Oktober", "November", "Desember"]
    if rng.random() < 0.5:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {months[day.month - 1]} {day.year}"


class RecordFactory:
    """Seeded realistic records; each comes with the kinds of problems put into it.

    Kinds: ``schema`` (structurally invalid: both tools must flag it), ``error`` (an
    error only satudata's code rules can see), ``warning``, ``info``.
    """

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.serial = 0

    def make(self) -> tuple[str, str, dict[str, Any], set[str]]:
        """(folder, slug, record, kinds)."""
        rng = self.rng
        self.serial += 1
        kinds: set[str] = set()
        folder, org, mailbox, topics = rng.choice(OPDS)
        subject, konsep, ukuran, satuan, base_tags = rng.choice(topics)
        breakdown = rng.choice(BREAKDOWNS)
        tahun = rng.randint(2019, 2025)
        slug = f"{_slug(subject)}-{_slug(breakdown)}-{tahun}-{self.serial:06d}"
        level, kode = "kabupaten_kota", "12.71"
        title = f"{subject} menurut {breakdown} di Kota Medan Tahun {tahun}"
        if rng.random() < 0.25:
            kode, kec = rng.choice(KECAMATAN)
            level = "kelurahan" if breakdown == "Kelurahan" else "kecamatan"
            level = "desa_kelurahan" if level == "kelurahan" else level
            title = f"{subject} menurut {breakdown} di Kecamatan {kec} Tahun {tahun}"
        frequency, days = rng.choices(
            [(f, d) for f, _, d in FREQUENCIES], weights=[w for _, w, _ in FREQUENCIES]
        )[0]
        created = _day(rng, date(2017, 1, 1), date(2025, 12, 31))
        # most agencies update on time; about one in five is late
        period = days or 730
        late = rng.random() < 0.2
        back = rng.randint(period + 30, period * 2 + 60) if late else rng.randint(0, period - 1)
        updated = max(created, AS_OF - timedelta(days=back))
        formats = sorted(
            set(rng.choices([f for f, _ in FORMATS], weights=[w for _, w in FORMATS], k=2))
        )
        resources = []
        for fmt in formats:
            modified = _day(rng, created, updated)
            resources.append(
                {
                    "name": f"{subject} {tahun} ({fmt.upper()})",
                    "url": f"{PORTAL}/dataset/{slug}/resource/{rng.getrandbits(64):016x}"
                    f"/download/{_slug(subject)}-{tahun}.{fmt}",
                    "format": fmt.upper(),
                    "size": rng.randint(2_000, 5_000_000),
                    "last_modified": modified.isoformat(),
                    "description": f"{subject} {breakdown.lower()} tahun {tahun}",
                }
            )
        email = f"{mailbox}@pemkomedan.go.id" if folder != "bps" else f"{mailbox}@bps.go.id"
        record: dict[str, Any] = {
            "name": slug,
            "title": title,
            "notes": f"Data {subject.lower()} menurut {breakdown.lower()} yang dihimpun "
            f"{org} untuk tahun {tahun}. Angka sementara dapat berubah setelah verifikasi.",
            "organization": org,
            "produsen_data": f"Bidang Data dan Informasi, {org}",
            "walidata": "Dinas Komunikasi dan Informatika Kota Medan",
            "konsep": konsep,
            "definisi": f"{konsep} sebagaimana dicatat oleh {org} pada akhir periode pelaporan.",
            "ukuran": ukuran,
            "satuan": satuan,
            "jadwal_pemutakhiran": frequency,
            "tanggal_dibuat": created.isoformat(),
            "tanggal_diperbarui": updated.isoformat(),
            "format": formats,
            "link_akses": f"{PORTAL}/dataset/{slug}",
            "klasifikasi_akses": rng.choices(["terbuka", "terbatas"], weights=[92, 8])[0],
            "level_penyajian": level,
            "kode_wilayah": kode,
            "tahun": tahun if rng.random() < 0.8 else str(tahun),
            "kontak": {"nama": f"Seksi Data {org}", "email": email}
            if rng.random() < 0.6
            else email,
            "tags": [*base_tags, "kota-medan"],
            "license_id": rng.choices(["cc-by", "cc-by-sa", "cc-zero"], weights=[80, 10, 10])[0],
            "sumber_data": ["catatan administrasi"],
            "resources": resources,
        }
        if rng.random() < 0.4:
            record["kolom"] = [
                {"nama": "kode_wilayah", "tipe_data": "teks", "deskripsi": "Kode Kemendagri"},
                {"nama": "nama_wilayah", "tipe_data": "teks", "deskripsi": "Nama wilayah"},
                {"nama": "tahun", "tipe_data": "bilangan bulat", "deskripsi": "Tahun data"},
                {
                    "nama": _slug(ukuran),
                    "tipe_data": "desimal",
                    "deskripsi": f"{ukuran} ({satuan})",
                },
            ]
        if rng.random() < 0.3:
            record["kode_standar_data"] = f"DS.{rng.randint(1, 99999):05d}.01.01"
        if folder == "bps" or rng.random() < 0.05:
            record["metadata_statistik"] = {
                "kegiatan": {
                    "judul_kegiatan": f"Kompilasi Data {subject} Kota Medan {tahun}",
                    "tahun": tahun,
                    "jenis_statistik": "STATISTIK_SEKTORAL",
                    "cara_pengumpulan_data": "KOMPILASI_PRODUK_ADMINISTRASI",
                },
                "variabel": [{"nama": konsep, "definisi": record["definisi"], "satuan": satuan}],
                "indikator": [{"nama": subject, "definisi": record["definisi"]}],
            }
        self._variants(record, frequency, kinds)
        self._warnings(record, kinds)
        self._rule_errors(record, kinds)
        self._structural(record, kinds)
        return folder, slug, record, kinds

    # -- what real metadata gets wrong ----------------------------------------------------

    def _variants(self, record: dict[str, Any], frequency: str, kinds: set[str]) -> None:
        """Accepted variants (satudata: vocab.variant info, normalised)."""
        rng = self.rng
        if rng.random() < 0.20:
            record["jadwal_pemutakhiran"] = rng.choice(FREQUENCY_VARIANTS[frequency])
            kinds.add("info")
        if rng.random() < 0.10 and record["klasifikasi_akses"] == "terbuka":
            record["klasifikasi_akses"] = rng.choice(["Terbuka", "publik", "open"])
            kinds.add("info")
        if rng.random() < 0.10:
            record["license_id"] = rng.choice(["CC BY 4.0", "cc-by-4.0", "CC-BY"])
            kinds.add("info")
        if rng.random() < 0.03:
            record[rng.choice(["Keterangan Tambahan", "opd", "catatan_internal"])] = "lihat SK"
            kinds.add("info")

    def _warnings(self, record: dict[str, Any], kinds: set[str]) -> None:
        rng = self.rng
        if rng.random() < 0.25:  # missing recommended fields
            for name in rng.sample(RECOMMENDED, rng.randint(1, 3)):
                record.pop(name, None)
            kinds.add("warning")
        if "kode_wilayah" in record and rng.random() < 0.06:  # undotted Kemendagri code
            record["kode_wilayah"] = record["kode_wilayah"].replace(".", "")
            kinds.add("warning")
        if rng.random() < 0.04:  # readable, but not ISO 8601
            day = date.fromisoformat(record["tanggal_dibuat"])
            record["tanggal_dibuat"] = _non_iso(rng, day)
            kinds.add("warning")
        if rng.random() < 0.02:  # resource format contradicts the URL's extension
            resource = record["resources"][0]
            resource["format"] = "XLSX" if not resource["url"].endswith(".xlsx") else "CSV"
            kinds.add("warning")
        if rng.random() < 0.01:
            record["kode_standar_data"] = "DS-0001"
            kinds.add("warning")

    def _rule_errors(self, record: dict[str, Any], kinds: set[str]) -> None:
        """Errors JSON Schema cannot see; only satudata flags these records."""
        rng = self.rng
        if rng.random() < 0.02:  # a bad e-mail now and then
            bad = rng.choice(
                ["data.dinkes@pemkomedan", "dinkes(at)pemkomedan.go.id", "data dinkes@pemko.go.id"]
            )
            if isinstance(record.get("kontak"), dict):
                record["kontak"]["email"] = bad
            else:
                record["kontak"] = bad
            kinds.add("error")
        if rng.random() < 0.01:
            record["link_akses"] = record["link_akses"].removeprefix("https://")
            kinds.add("error")
        if rng.random() < 0.007:  # a BPS kecamatan code (7 digits) instead of Kemendagri
            record["kode_wilayah"] = "1275010"
            kinds.add("error")
        if rng.random() < 0.008:
            record["jadwal_pemutakhiran"] = rng.choice(["dua kali setahun", "per proyek"])
            kinds.add("error")
        if rng.random() < 0.005:  # an impossible date
            record["tanggal_diperbarui"] = "31/06/2025"
            kinds.add("error")
        if rng.random() < 0.003:  # a date after --as-of
            record["tanggal_diperbarui"] = "2027-01-15"
            kinds.add("error")
        if rng.random() < 0.004 and isinstance(record.get("tanggal_diperbarui"), str):
            record["tanggal_dibuat"] = "2026-11-27"  # created after it was updated
            record["tanggal_diperbarui"] = "2020-01-02"
            kinds.add("error")
        if rng.random() < 0.005:  # required but empty (the schema has no minLength here)
            record["klasifikasi_akses"] = ""
            kinds.add("error")

    def _structural(self, record: dict[str, Any], kinds: set[str]) -> None:
        """Structural errors: the bundled schema flags these, and so does satudata."""
        rng = self.rng
        if rng.random() >= 0.05:
            return
        kind = rng.choice(
            [
                "missing-required",
                "missing-required",
                "name-pattern",
                "tahun-pattern",
                "format-string",
                "duplicate-tag",
                "resource-no-url",
                "empty-produsen",
                "ms-enum",
            ]
        )
        if kind == "missing-required":
            record.pop(rng.choice(["produsen_data", "link_akses", "tanggal_dibuat", "format"]))
        elif kind == "name-pattern":
            record["name"] = record["title"][:60]
        elif kind == "tahun-pattern":
            record["tahun"] = f"{record['tahun']}/{int(record['tahun']) + 1}"
        elif kind == "format-string":
            record["format"] = record["format"][0]
        elif kind == "duplicate-tag":
            record["tags"] = [*record.get("tags", ["kota-medan"]), "kota-medan"]
        elif kind == "resource-no-url":
            record["resources"][0]["link"] = record["resources"][0].pop("url")
        elif kind == "empty-produsen":
            record["produsen_data"] = ""
        else:  # an MS-Keg value outside its enum: needs the inlined $defs to be seen
            kegiatan = {
                "judul_kegiatan": "Kompilasi Data Kota Medan",
                "tahun": 2025,
                "jenis_statistik": "Sektoral",
                "cara_pengumpulan_data": "KOMPILASI_PRODUK_ADMINISTRASI",
            }
            record.setdefault("metadata_statistik", {})["kegiatan"] = kegiatan
        kinds.add("schema")


def generate_files(directory: Path, count: int, seed: int) -> tuple[list[Path], Expectation]:
    """``count`` files of one record each, under ``directory/<agency>/<year>/``."""
    factory = RecordFactory(seed)
    expect = Expectation()
    paths: list[Path] = []
    made: set[Path] = set()
    for _ in range(count):
        folder, slug, record, kinds = factory.make()
        year = slug.rsplit("-", 2)[-2]
        parent = directory / folder / year
        if parent not in made:
            parent.mkdir(parents=True, exist_ok=True)
            made.add(parent)
        path = parent / f"{slug}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        paths.append(path)
        expect.add(str(path), kinds)
    paths.sort()
    return paths, expect


def generate_jsonl(path: Path, count: int, seed: int) -> None:
    factory = RecordFactory(seed)
    with path.open("w", encoding="utf-8") as out:
        for _ in range(count):
            out.write(json.dumps(factory.make()[2], ensure_ascii=False))
            out.write("\n")


# =========================================================================== schema bundle


def _rewrite_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                f"#/$defs/{names[value]}"
                if key == "$ref" and isinstance(value, str) and value in names
                else _rewrite_refs(value, names)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item, names) for item in node]
    return node


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def bundled_schema(required: Sequence[str]) -> dict[str, Any]:
    """The dataset schema, MS schemas inlined under ``$defs``, ``required`` at the top.

    Structure only, exactly as satudata compiles it: no profile enums or patterns.
    """
    dataset = json.loads(DATASET_SCHEMA.read_text(encoding="utf-8"))
    ms = {}
    for name in MS_SCHEMAS:
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        ms[schema["$id"]] = schema
    names = {schema_id: schema_id.rsplit(":", 1)[-1] for schema_id in ms}
    bundle: dict[str, Any] = _rewrite_refs(dataset, names)
    defs = bundle.setdefault("$defs", {})
    for schema_id, schema in ms.items():
        inlined = _rewrite_refs(schema, names)
        inlined.pop("$schema", None)
        inlined.pop("$id", None)
        defs[names[schema_id]] = inlined
    bundle["$id"] = f"{dataset['$id']}:bundled-for-benchmark"
    bundle["required"] = [name for name in required if "." not in name]
    outside = sorted({ref for ref in _refs(bundle) if not ref.startswith("#")})
    if outside:
        raise BenchmarkError(f"the bundled schema still refers outside itself: {outside}")
    return bundle


def profile_required(profile: str) -> tuple[str, ...]:
    from satudata_cli.standard.profiles import ProfileLoader
    from satudata_cli.standard.schema import load_standard

    return ProfileLoader(load_standard()).load(profile).required


# =========================================================================== measuring


@dataclass
class Run:
    tool: str
    files: int
    records: int
    seconds: float
    failing: int | None
    note: str = ""

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds > 0 else float("inf")


def _summary_from_report(path: Path) -> dict[str, Any]:
    """The ``summary`` object at the end of a satudata JSON report, without loading it all."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - 1024 * 1024))
        tail = handle.read().decode("utf-8", "replace")
    marker = tail.rfind('"summary": ')
    if marker < 0:
        raise BenchmarkError(f"no summary at the end of {path}")
    summary, _ = json.JSONDecoder().raw_decode(tail, marker + len('"summary": '))
    return dict(summary)


def run_satudata_cli(
    satudata: str, paths: Sequence[str], report: Path
) -> tuple[float, dict[str, Any]]:
    argv = [
        satudata,
        "validate",
        *paths,
        "--profile",
        PROFILE,
        "--format",
        "json",
        "--output",
        str(report),
        "--as-of",
        AS_OF.isoformat(),
        "-q",
    ]
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=clean_env(), check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise BenchmarkError(
            f"satudata exited {done.returncode}: {done.stderr.decode('utf-8', 'replace')[-2000:]}"
        )
    return seconds, _summary_from_report(report)


def run_library(directory: Path) -> tuple[float, float, Any]:
    """(set-up seconds, validation seconds, summary): one Validator, check_paths."""
    from satudata_cli.pipeline.validate import check_paths
    from satudata_cli.standard.findings import ValidationSummary
    from satudata_cli.standard.profiles import ProfileLoader
    from satudata_cli.standard.schema import load_standard
    from satudata_cli.standard.validator import Validator

    start = time.perf_counter()
    standard = load_standard()
    validator = Validator(ProfileLoader(standard).load(PROFILE), standard=standard, today=AS_OF)
    validator.validate({"title": "warm-up", "kode_wilayah": "12.71"})  # loads the region list
    setup = time.perf_counter() - start
    summary = ValidationSummary()
    start = time.perf_counter()
    for result in check_paths([str(directory)], validator):
        summary.add(result)
    return setup, time.perf_counter() - start, summary


def run_check_jsonschema(
    cjs: str, schema: Path, paths: Sequence[Path], batch: int
) -> tuple[float, set[str], int]:
    """(seconds summed over the calls, files flagged, number of calls)."""
    total = 0.0
    flagged: set[str] = set()
    calls = 0
    for first in range(0, len(paths), batch):
        chunk = [str(p) for p in paths[first : first + batch]]
        argv = [cjs, "--schemafile", str(schema), "--output-format", "json", *chunk]
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, env=clean_env(), check=False)
        total += time.perf_counter() - start
        calls += 1
        if done.returncode not in (0, 1):
            raise BenchmarkError(
                f"check-jsonschema exited {done.returncode}: "
                f"{done.stderr.decode('utf-8', 'replace')[-2000:]}"
            )
        try:
            report = json.loads(done.stdout)
        except ValueError as exc:
            raise BenchmarkError(f"check-jsonschema printed no JSON report: {exc}") from exc
        for item in (*report.get("errors", ()), *report.get("parse_errors", ())):
            flagged.add(item["filename"])
    return total, flagged, calls


def peak_rss(argv: Sequence[str]) -> tuple[float, float, int, str]:
    """(peak RSS in MB, seconds, exit code, how it was measured) of one child process."""
    child = measure_child(argv)
    return child.rss_mb, child.seconds, child.code, child.how


# =========================================================================== output


def _fmt_seconds(value: float) -> str:
    return f"{value:.2f}"


def print_table(rows: Sequence[Run], baseline: Run) -> None:
    header = ("tool", "files", "records", "seconds", "records/s", "x check-jsonschema", "failing")
    body = [
        (
            row.tool,
            f"{row.files:,}",
            f"{row.records:,}",
            _fmt_seconds(row.seconds),
            f"{row.rate:,.0f}",
            f"{row.rate / baseline.rate:.2f}x",
            "?" if row.failing is None else f"{row.failing:,}",
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]
    line = "  ".join(
        h.ljust(w) if i == 0 else h.rjust(w)
        for i, (h, w) in enumerate(zip(header, widths, strict=True))
    )
    print(line)
    print("-" * len(line))
    for cells in body:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    for row in rows:
        if row.note:
            print(f"  {row.tool}: {row.note}")


# =========================================================================== main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Validate generated Satu Data records with satudata and with "
        "check-jsonschema (same structural schema, same files); print records/s, the "
        "ratio and peak memory. Always exits 0 when the measurement ran.",
    )
    parser.add_argument(
        "--files",
        type=int,
        default=20_000,
        metavar="N",
        help="record files to generate and validate (default 20000)",
    )
    parser.add_argument(
        "--memory-records",
        type=int,
        default=100_000,
        metavar="N",
        help="records in the JSON Lines file of the memory run; a file of "
        "N/10 records is the baseline (default 100000)",
    )
    parser.add_argument("--skip-memory", action="store_true", help="skip the memory run")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where to put generated data (a new folder inside DIR); "
        "default: the system temp directory",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the generated data and reports (the path is printed)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=2000,
        metavar="N",
        help="files per check-jsonschema call, as xargs would (default 2000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="time each tool N times and keep the fastest (default 1)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help="generator seed")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON line per figure on stdout, the report on stderr (benchmarks/run.py)",
    )
    args = parser.parse_args(argv)
    for name in ("files", "batch_size", "repeat"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.memory_records < 10 and not args.skip_memory:
        parser.error("--memory-records must be at least 10")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    return FIGURES.run_in_workdir(
        args, "satudata-bench-", measure, kept="generated data and reports kept in"
    )


def measure(args: argparse.Namespace, work: Path) -> None:
    sys.path.insert(0, str(ROOT))  # the library path runs from this checkout
    from satudata_cli import __version__
    from satudata_cli.standard.rules import RULES

    satudata = tool("satudata")
    cjs = tool("check-jsonschema")
    print("satudata validate vs check-jsonschema")
    print("=" * 37)
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs")
    print(f"satudata {__version__} ({satudata})")
    print(f"{tool_version([cjs, '--version'])} ({cjs})")
    with contextlib.suppress(metadata.PackageNotFoundError):
        print(f"jsonschema-rs {metadata.version('jsonschema-rs')}")
    print(f"work folder: {work}")
    print(f"load average at start: {load_average()}")

    # -- 1. data ---------------------------------------------------------------------------
    data = work / "records"
    start = time.perf_counter()
    paths, expect = generate_files(data, args.files, args.seed)
    size = sum(p.stat().st_size for p in paths)
    folders = len({p.parent for p in paths})
    print(
        f"\ngenerated {len(paths):,} record files ({size / 1e6:.1f} MB, mean "
        f"{size / len(paths) / 1024:.1f} KiB) in {folders} folders in "
        f"{time.perf_counter() - start:.1f} s (seed {args.seed})"
    )
    print(
        f"  by construction: {len(expect.structural):,} structurally invalid, "
        f"{len(expect.failing):,} with at least one error (the rest: valid, many with "
        "warnings or accepted variants)"
    )

    required = profile_required(PROFILE)
    schema_path = work / "satudata-dataset.bundled.schema.json"
    schema_path.write_text(json.dumps(bundled_schema(required), ensure_ascii=False, indent=1))

    # -- start-up cost (also warms the page cache and the .pyc files) ----------------------
    one = [str(paths[0])]
    report = work / "report.json"
    startup_sd = min(run_satudata_cli(satudata, one, report)[0] for _ in range(2))
    startup_cjs = min(run_check_jsonschema(cjs, schema_path, paths[:1], 1)[0] for _ in range(2))

    # -- 2. and 3. the runs, interleaved so a burst of load hits both tools alike ---------
    best_cli: tuple[float, dict[str, Any]] | None = None
    best_lib: tuple[float, float, Any] | None = None
    best_cjs: tuple[float, set[str], int] | None = None
    for _ in range(args.repeat):
        seconds, summary = run_satudata_cli(satudata, [str(data)], report)
        if best_cli is None or seconds < best_cli[0]:
            best_cli = (seconds, summary)
        lib = run_library(data)
        if best_lib is None or lib[1] < best_lib[1]:
            best_lib = lib
        result = run_check_jsonschema(cjs, schema_path, paths, args.batch_size)
        if best_cjs is None or result[0] < best_cjs[0]:
            best_cjs = result
    assert best_cli is not None and best_lib is not None and best_cjs is not None

    cli_seconds, cli_summary = best_cli
    cli_run = Run(
        "satudata validate (CLI)",
        len(paths),
        int(cli_summary["records"]),
        cli_seconds,
        int(cli_summary["invalid"]),
        "one process, start-up and JSON report included",
    )
    lib_setup, lib_seconds, lib_summary = best_lib
    lib_run = Run(
        "satudata library (in-process)",
        len(paths),
        lib_summary.records,
        lib_seconds,
        lib_summary.invalid,
        f"Validator built once ({lib_setup:.2f} s, not counted), check_paths, no report",
    )
    cjs_seconds, cjs_flagged, calls = best_cjs
    cjs_run = Run(
        "check-jsonschema",
        len(paths),
        len(paths),
        cjs_seconds,
        len(cjs_flagged),
        f"{calls} call(s) of at most {args.batch_size:,} files (xargs-style), times summed",
    )

    # -- 4. results ------------------------------------------------------------------------
    print(f"\nthroughput ({args.files:,} files, one record each; best of {args.repeat})\n")
    print_table([cli_run, lib_run, cjs_run], cjs_run)
    print(
        f"\nstart-up, one file: satudata {startup_sd:.2f} s (paid once), check-jsonschema "
        f"{startup_cjs:.2f} s (paid once per call: {calls} call(s), ~{startup_cjs * calls:.1f} s "
        "of its total)"
    )
    print(
        f"check-jsonschema schema: {DATASET_SCHEMA.name} with "
        f"{', '.join(s.split('.')[0] for s in MS_SCHEMAS)} inlined under $defs (their "
        "urn:satudata:schema:ms-* $refs rewritten to #/$defs/...) and the "
        f"{PROFILE} required fields added at the top level ({', '.join(required)}), so it "
        "checks required fields too; satudata compiles the same dataset schema (jsonschema-rs)"
    )
    print(
        f"what satudata checks that check-jsonschema does not: {len(RULES)} code rules "
        "(satudata_cli.standard.rules.RULES: vocabularies, Kemendagri region codes, dates, "
        "freshness, e-mail, URLs, ...) on top of the same structural schema"
    )
    fired = sorted(lib_summary.rule_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    print("findings by rule in this data (satudata): " + ", ".join(f"{r} {n:,}" for r, n in fired))

    expected_flagged = expect.structural
    if cjs_flagged == expected_flagged:
        per_call = max(
            (
                len(cjs_flagged.intersection(str(p) for p in paths[i : i + args.batch_size]))
                for i in range(0, len(paths), args.batch_size)
            ),
            default=0,
        )
        print(
            f"check: check-jsonschema flagged exactly the {len(expected_flagged):,} structurally "
            f"invalid files (up to {per_call:,} in one call): it checks every file it is given, "
            "it does not stop at the first failing one"
        )
    else:
        missed = len(expected_flagged - cjs_flagged)
        extra = len(cjs_flagged - expected_flagged)
        print(
            f"check: check-jsonschema flagged {len(cjs_flagged):,} files, the generator made "
            f"{len(expected_flagged):,} structurally invalid ({missed} not flagged, {extra} "
            "unexpected): look into it before trusting the ratio"
        )
    if cli_run.failing == len(expect.failing) == lib_run.failing:
        print(
            f"check: satudata flagged exactly the {len(expect.failing):,} records the generator "
            f"gave an error ({len(expect.failing) - len(expect.structural):,} of them only "
            "visible to the code rules)"
        )
    else:
        print(
            f"check: satudata flagged {cli_run.failing} (CLI) / {lib_run.failing} (library) "
            f"records, the generator gave {len(expect.failing):,} an error"
        )

    print(f"load average after the throughput runs: {load_average()}")
    ratio = cli_run.rate / cjs_run.rate
    FIGURES.add(
        "records_per_s",
        cli_run.rate,
        "records/s",
        baseline=cjs_run.rate,
        target=f"ratio >= {THROUGHPUT_TARGET:g}",
    )
    FIGURES.add("library_records_per_s", lib_run.rate, "records/s", baseline=cjs_run.rate)
    FIGURES.add("startup_one_file_s", startup_sd, "s", baseline=startup_cjs)
    print(
        f"\nthroughput target (satudata CLI >= {THROUGHPUT_TARGET:.0f}x check-jsonschema on "
        f"{args.files:,} files): {ratio:.2f}x -> {verdict(ratio >= THROUGHPUT_TARGET)}"
    )

    # -- 5. memory -------------------------------------------------------------------------
    if args.skip_memory:
        print("memory: skipped (--skip-memory)")
        return
    big_n = args.memory_records
    small_n = max(1, big_n // 10)
    small, big = work / f"records-{small_n}.jsonl", work / f"records-{big_n}.jsonl"
    generate_jsonl(small, small_n, args.seed)
    generate_jsonl(big, big_n, args.seed)
    print("\nmemory (one JSON Lines file, CLI with --format json --output FILE)\n")
    rows = []
    for count, path in ((small_n, small), (big_n, big)):
        argv = [
            satudata,
            "validate",
            str(path),
            "--format",
            "json",
            "--output",
            str(work / "memory-report.json"),
            "--as-of",
            AS_OF.isoformat(),
            "-q",
        ]
        megabytes, seconds, code, how = peak_rss(argv)
        if code not in (0, 1):
            raise BenchmarkError(f"satudata exited {code} on {path}")
        rows.append((count, path.stat().st_size, megabytes, seconds))
    print(f"{'records':>9}  {'file MB':>8}  {'peak RSS MB':>11}  {'seconds':>7}  {'records/s':>9}")
    for count, size_bytes, megabytes, seconds in rows:
        print(
            f"{count:>9,}  {size_bytes / 1e6:>8.1f}  {megabytes:>11.1f}  {seconds:>7.2f}  "
            f"{count / seconds:>9,.0f}"
        )
    growth = rows[1][2] / rows[0][2]
    FIGURES.add(
        "peak_rss_mb",
        rows[1][2],
        "MB",
        baseline=rows[0][2],
        target=f"ratio <= {MEMORY_TARGET:g}",
    )
    print(f"(peak RSS measured with {how})")
    print(
        f"\nmemory target (peak RSS at {big_n:,} <= {MEMORY_TARGET}x peak at {small_n:,}): "
        f"{growth:.2f}x -> {verdict(growth <= MEMORY_TARGET)}"
    )


if __name__ == "__main__":
    sys.exit(main())
