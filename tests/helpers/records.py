"""Realistic Satu Data records for tests (Kota Medan)."""

from __future__ import annotations

from typing import Any


def make_record(i: int, **extra: Any) -> dict[str, Any]:
    """A complete, valid sdi-dasar record (Kota Medan) number ``i``."""
    record: dict[str, Any] = {
        "name": f"jumlah-puskesmas-{i}",
        "title": f"Jumlah Puskesmas Kecamatan Nomor {i} di Kota Medan",
        "notes": "Jumlah pusat kesehatan masyarakat per kecamatan di Kota Medan.",
        "organization": "Dinas Kesehatan Kota Medan",
        "produsen_data": "Bidang Pelayanan Kesehatan, Dinas Kesehatan Kota Medan",
        "walidata": "Dinas Komunikasi dan Informatika Kota Medan",
        "konsep": "Puskesmas",
        "definisi": "Fasilitas pelayanan kesehatan tingkat pertama.",
        "sumber_definisi": "Permenkes 43/2019",
        "ukuran": "Jumlah",
        "satuan": "unit",
        "jadwal_pemutakhiran": "tahunan",
        "tanggal_dibuat": "2021-03-15",
        "tanggal_diperbarui": "2026-06-01",
        "format": ["csv"],
        "link_akses": f"https://data.pemkomedan.go.id/dataset/jumlah-puskesmas-{i}",
        "klasifikasi_akses": "terbuka",
        "level_penyajian": "kecamatan",
        "kode_wilayah": "12.71",
        "tahun": 2025,
        "kode_standar_data": "DS.00001.01.01",
        "kontak": {"nama": "Seksi Data Dinkes", "email": "data.dinkes@pemkomedan.go.id"},
        "tags": ["kesehatan", "puskesmas"],
        "license_id": "cc-by",
        "resources": [
            {
                "name": f"Puskesmas {i} (CSV)",
                "url": f"https://data.pemkomedan.go.id/files/puskesmas-{i}.csv",
                "format": "csv",
            }
        ],
    }
    record.update(extra)
    return record
