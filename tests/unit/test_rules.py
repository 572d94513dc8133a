"""Every rule of the standard: one record that triggers it, one that does not.

The records start from the ``valid_record`` fixture (a complete Kota Medan record
with no finding) and change as little as possible, so each case shows exactly
what the rule reacts to. Dates are judged as of 2026-11-28.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from satudata_cli.standard.findings import Finding, RecordResult, Severity
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.rules import RULES
from satudata_cli.standard.schema import Standard
from satudata_cli.standard.validator import Validator

TODAY = date(2026, 11, 28)
DELETE = object()  # marks a key to remove from the valid record

RulesOf = Callable[[RecordResult], set[str]]


def changed(record: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    for key, value in changes.items():
        if value is DELETE:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def at(result: RecordResult, path: str) -> list[Finding]:
    return [f for f in result.findings if f.path == path]


def one(result: RecordResult, rule: str, path: str) -> Finding:
    """The single finding of ``rule`` at ``path``, checked for a sound bilingual message."""
    found = [f for f in result.findings if f.rule == rule and f.path == path]
    assert len(found) == 1, (rule, path, [(f.rule, f.path) for f in result.findings])
    finding = found[0]
    assert finding.message.id.strip()
    assert finding.message.en.strip()
    assert finding.message.id != finding.message.en
    return finding


def profile_validator(
    standard: Standard, tmp_path: Path, text: str, name: str = "profil.yaml"
) -> Validator:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    profile = ProfileLoader(standard).load(str(path))
    return Validator(profile, standard=standard, today=TODAY)


# --- one table: every rule, a record that triggers it and one that does not ----------------


@dataclass(frozen=True)
class Case:
    rule: str
    path: str
    changes: dict[str, Any] = field(default_factory=dict)
    suggestion: str | None = None
    profile: str | None = None  # YAML of a user profile extending sdi-dasar
    record: Any = DELETE  # replaces the whole record when set


MEDAN_PROFILE = """\
name: medan
extends: sdi-dasar
kode_wilayah:
  within: ["12.71"]
vocabularies:
  level_penyajian: [kabupaten_kota, kecamatan]
"""

KABKOTA_PROFILE = """\
name: kabkota
extends: sdi-dasar
vocabularies:
  level_penyajian: [kabupaten_kota]
"""

INVALID = [
    Case("record.not-object", "$", record=[]),
    Case("field.required", "$.title", {"title": DELETE}),
    Case("field.recommended", "$.notes", {"notes": DELETE}),
    Case("field.unknown", "$.Judul", {"Judul": "Jumlah Penduduk"}, suggestion="title"),
    Case("vocab.variant", "$.jadwal_pemutakhiran", {"jadwal_pemutakhiran": "Tahunan"}, "tahunan"),
    Case("vocab.unknown", "$.jadwal_pemutakhiran", {"jadwal_pemutakhiran": "kadang-kadang"}),
    Case("vocab.not-allowed", "$.level_penyajian", profile=KABKOTA_PROFILE),
    Case("format.unknown", "$.format[1]", {"format": ["csv", "lotus123"]}),
    Case("license.unknown", "$.license_id", {"license_id": "wtfpl"}),
    Case("kode-wilayah.unknown", "$.kode_wilayah", {"kode_wilayah": "99.99"}),
    Case("kode-wilayah.bps", "$.kode_wilayah", {"kode_wilayah": "1275010"}),
    Case("kode-wilayah.format", "$.kode_wilayah", {"kode_wilayah": "1271"}, suggestion="12.71"),
    Case(
        "kode-wilayah.outside",
        "$.kode_wilayah",
        {"kode_wilayah": "12.75"},  # Kota Binjai
        profile=MEDAN_PROFILE,
    ),
    Case("tanggal.invalid", "$.tanggal_dibuat", {"tanggal_dibuat": "2026-02-30"}),
    Case(
        "tanggal.non-iso",
        "$.tanggal_dibuat",
        {"tanggal_dibuat": "31/12/2025"},
        suggestion="2025-12-31",
    ),
    Case("tanggal.future", "$.tanggal_diperbarui", {"tanggal_diperbarui": "2027-01-01"}),
    Case("tanggal.order", "$.tanggal_diperbarui", {"tanggal_diperbarui": "2020-01-01"}),
    Case("freshness.overdue", "$.tanggal_diperbarui", {"tanggal_diperbarui": "2025-01-01"}),
    Case("email.invalid", "$.kontak", {"kontak": "bukan-alamat-surel"}),
    Case("url.invalid", "$.link_akses", {"link_akses": "htp:/x"}),
    Case(
        "resource.format-mismatch",
        "$.resources[0].format",
        {
            "resources": [
                {"url": "https://data.pemkomedan.go.id/files/laporan.pdf", "format": "csv"}
            ]
        },
        suggestion="pdf",
    ),
    Case(
        "resource.media-mismatch",
        "$.resources[0].mimetype",
        {
            "resources": [
                {
                    "url": "https://data.pemkomedan.go.id/files/grafik.png",
                    "format": "CSV",
                    "mimetype": "image/png",
                }
            ]
        },
    ),
    Case("kode-standar-data.pattern", "$.kode_standar_data", {"kode_standar_data": "SD-12"}),
    Case("notes.long", "$.notes", {"notes": "Jumlah penduduk per kecamatan. " * 1000}),
    Case("tag.ckan-invalid", "$.tags[1]", {"tags": ["penduduk", "penduduk/kecamatan"]}),
]

VALID = [
    Case("record.not-object", "$", record={}),
    Case("field.required", "$.title", {"title": "Penduduk"}),
    Case("field.recommended", "$.notes", {"notes": "Data penduduk."}),
    Case("field.unknown", "$.title", {"title": "Jumlah Penduduk"}),
    Case("vocab.variant", "$.jadwal_pemutakhiran", {"jadwal_pemutakhiran": "tahunan"}),
    Case("vocab.unknown", "$.jadwal_pemutakhiran", {"jadwal_pemutakhiran": "Dua Tahunan"}),
    Case(
        "vocab.not-allowed",
        "$.level_penyajian",
        {"level_penyajian": "Kabupaten/Kota"},
        profile=KABKOTA_PROFILE,
    ),
    Case("format.unknown", "$.format[1]", {"format": ["csv", "GeoJSON", "application/pdf"]}),
    Case("license.unknown", "$.license_id", {"license_id": "CC BY 4.0"}),
    Case("kode-wilayah.unknown", "$.kode_wilayah", {"kode_wilayah": "12.71.01.1001"}),
    Case("kode-wilayah.bps", "$.kode_wilayah", {"kode_wilayah": "1271"}),
    Case("kode-wilayah.format", "$.kode_wilayah", {"kode_wilayah": "12.71.01"}),
    Case(
        "kode-wilayah.outside",
        "$.kode_wilayah",
        {"kode_wilayah": "12.71.02"},  # Medan Sunggal
        profile=MEDAN_PROFILE,
    ),
    Case("tanggal.invalid", "$.tanggal_dibuat", {"tanggal_dibuat": "2024-02-29"}),
    Case("tanggal.non-iso", "$.tanggal_dibuat", {"tanggal_dibuat": "2021-03-15T08:30:00Z"}),
    Case("tanggal.future", "$.tanggal_diperbarui", {"tanggal_diperbarui": "2026-11-28"}),
    Case("tanggal.order", "$.tanggal_diperbarui", {"tanggal_diperbarui": "2021-03-15"}),
    Case("freshness.overdue", "$.tanggal_diperbarui", {"tanggal_diperbarui": "2025-11-27"}),
    Case("email.invalid", "$.kontak", {"kontak": "mailto:data@pemkomedan.go.id"}),
    Case("url.invalid", "$.link_akses", {"link_akses": "http://data.pemkomedan.go.id"}),
    Case(
        "resource.format-mismatch",
        "$.resources[0].format",
        {"resources": [{"url": "https://data.pemkomedan.go.id/api/penduduk", "format": "csv"}]},
    ),
    Case(
        "resource.media-mismatch",
        "$.resources[0].mimetype",
        {
            "resources": [
                {
                    "url": "https://data.pemkomedan.go.id/files/penduduk.csv",
                    "format": "CSV",
                    "mimetype": "text/csv",
                }
            ]
        },
    ),
    Case("kode-standar-data.pattern", "$.kode_standar_data", {"kode_standar_data": "DS000010101"}),
    Case("notes.long", "$.notes", {"notes": "Jumlah penduduk per kecamatan. " * 300}),
    Case("tag.ckan-invalid", "$.tags[1]", {"tags": ["penduduk", "Kependudukan_2025 v1.0-ñ"]}),
]

# file.* findings come from the readers, source.* from the sources (tests/unit/test_files.py,
# tests/integration/test_datajson_source.py), link.* from the stored link checks
# (tests/cli/test_report_links.py); the validator itself checks the rest
CHECKED_RULES = {rule for rule in RULES if not rule.startswith(("file.", "source.", "link."))}


def _run(case: Case, standard: Standard, tmp_path: Path, record: dict[str, Any]) -> RecordResult:
    validator = (
        profile_validator(standard, tmp_path, case.profile)
        if case.profile
        else Validator(standard=standard, today=TODAY)
    )
    subject = case.record if case.record is not DELETE else changed(record, case.changes)
    return validator.validate(subject)


def test_the_tables_cover_every_rule() -> None:
    assert {c.rule for c in INVALID} == CHECKED_RULES
    assert {c.rule for c in VALID} == CHECKED_RULES


@pytest.mark.parametrize("case", INVALID, ids=[c.rule for c in INVALID])
def test_rule_triggers(
    case: Case, standard: Standard, tmp_path: Path, valid_record: dict[str, Any]
) -> None:
    result = _run(case, standard, tmp_path, valid_record)
    finding = one(result, case.rule, case.path)
    assert finding.severity is RULES[case.rule].severity
    if case.suggestion is not None:
        assert finding.suggestion == case.suggestion
    assert result.valid is (finding.severity is not Severity.ERROR)


@pytest.mark.parametrize("case", VALID, ids=[c.rule for c in VALID])
def test_rule_stays_quiet(
    case: Case,
    standard: Standard,
    tmp_path: Path,
    valid_record: dict[str, Any],
    rules_of: RulesOf,
) -> None:
    result = _run(case, standard, tmp_path, valid_record)
    assert case.rule not in rules_of(result)


# --- the valid record ------------------------------------------------------------------------


def test_valid_record_has_no_finding(validator: Validator, valid_record: dict[str, Any]) -> None:
    result = validator.validate(valid_record)
    assert result.findings == []
    assert result.valid
    assert result.normalized == valid_record


def test_every_finding_of_a_bad_record_is_bilingual(validator: Validator) -> None:
    record = {
        "Judul": "x",
        "jadwal_pemutakhiran": "kadang-kadang",
        "tanggal_dibuat": "5 Januari 2026",
        "tanggal_diperbarui": "2027-01-01",
        "kode_wilayah": "1275",
        "kontak": {"email": "x@"},
        "link_akses": "https://",
        "name": "Nama Dengan Spasi",
        "format": ["PDF", "lotus123"],
    }
    result = validator.validate(record)
    assert len(result.findings) > 10
    for finding in result.findings:
        assert finding.path.startswith("$")
        assert finding.message.id.strip() and finding.message.en.strip()
        assert finding.message.id != finding.message.en, finding


# --- vocabularies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["Tahunan", "TAHUNAN", "annual", "R/P1Y", "http://purl.org/cld/freq/annual", " tahunan "],
)
def test_frequency_variants_are_accepted_as_tahunan(
    validator: Validator, valid_record: dict[str, Any], raw: str
) -> None:
    result = validator.validate(changed(valid_record, {"jadwal_pemutakhiran": raw}))
    finding = one(result, "vocab.variant", "$.jadwal_pemutakhiran")
    assert finding.severity is Severity.INFO
    assert finding.suggestion == "tahunan"
    assert "tahunan" in finding.message.id and "tahunan" in finding.message.en
    assert [f.rule for f in result.findings] == ["vocab.variant"]
    assert result.normalized is not None
    assert result.normalized["jadwal_pemutakhiran"] == "tahunan"
    assert result.valid


@pytest.mark.parametrize(
    ("field_name", "raw", "canonical"),
    [
        ("klasifikasi_akses", "Terbuka", "terbuka"),
        ("klasifikasi_akses", "public", "terbuka"),
        ("klasifikasi_akses", "Dikecualikan", "tertutup"),
        ("level_penyajian", "Kabupaten/Kota", "kabupaten_kota"),
        ("level_penyajian", "desa-kelurahan", "desa_kelurahan"),
        ("jadwal_pemutakhiran", "Empat Bulanan", "empat_bulanan"),
        ("jadwal_pemutakhiran", "ad-hoc", "ad_hoc"),
        ("license_id", "CC BY 4.0", "cc-by"),
    ],
)
def test_other_variants(
    validator: Validator,
    valid_record: dict[str, Any],
    field_name: str,
    raw: str,
    canonical: str,
) -> None:
    result = validator.validate(changed(valid_record, {field_name: raw}))
    finding = one(result, "vocab.variant", f"$.{field_name}")
    assert finding.suggestion == canonical
    assert result.normalized is not None
    assert result.normalized[field_name] == canonical


@pytest.mark.parametrize(
    ("field_name", "raw"),
    [
        ("jadwal_pemutakhiran", "kadang-kadang"),
        ("jadwal_pemutakhiran", "P13M"),
        ("klasifikasi_akses", "setengah terbuka"),
        ("level_penyajian", "galaksi"),
    ],
)
def test_unknown_vocabulary_values(
    validator: Validator, valid_record: dict[str, Any], field_name: str, raw: str
) -> None:
    result = validator.validate(changed(valid_record, {field_name: raw}))
    finding = one(result, "vocab.unknown", f"$.{field_name}")
    assert finding.severity is Severity.ERROR
    assert finding.suggestion is None
    assert raw in finding.message.id and raw in finding.message.en
    assert not result.valid
    assert result.normalized is not None
    assert result.normalized[field_name] == raw  # kept as found


def test_format_list_items_are_checked_one_by_one(
    validator: Validator, valid_record: dict[str, Any]
) -> None:
    record = changed(valid_record, {"format": ["CSV", "lotus123", "xlsx", "text/csv"]})
    result = validator.validate(record)
    assert one(result, "vocab.variant", "$.format[0]").suggestion == "csv"
    unknown = one(result, "format.unknown", "$.format[1]")
    assert unknown.severity is Severity.WARNING
    assert one(result, "vocab.variant", "$.format[3]").suggestion == "csv"
    assert at(result, "$.format[2]") == []
    assert result.valid  # warnings and infos only
    assert result.normalized is not None
    # canonical values, duplicates dropped, the unknown kept as found
    assert result.normalized["format"] == ["csv", "lotus123", "xlsx"]


def test_license_unknown_is_a_warning(validator: Validator, valid_record: dict[str, Any]) -> None:
    result = validator.validate(changed(valid_record, {"license_id": "lisensi-bebas-pemkot"}))
    finding = one(result, "license.unknown", "$.license_id")
    assert finding.severity is Severity.WARNING
    assert result.valid


def test_vocab_not_allowed_through_a_profile(
    standard: Standard, tmp_path: Path, valid_record: dict[str, Any], rules_of: RulesOf
) -> None:
    validator = profile_validator(standard, tmp_path, MEDAN_PROFILE)
    result = validator.validate(changed(valid_record, {"level_penyajian": "Provinsi"}))
    # a variant of a value the profile removed: the canonical value is named, then refused
    assert one(result, "vocab.variant", "$.level_penyajian").suggestion == "provinsi"
    finding = one(result, "vocab.not-allowed", "$.level_penyajian")
    assert finding.severity is Severity.ERROR
    assert "kabupaten_kota" in finding.message.en and "medan" in finding.message.en
    assert not result.valid
    assert "vocab.not-allowed" not in rules_of(validator.validate(valid_record))


def test_vocab_not_allowed_on_list_items(
    standard: Standard, tmp_path: Path, valid_record: dict[str, Any]
) -> None:
    validator = profile_validator(
        standard,
        tmp_path,
        "name: terbuka-saja\nextends: sdi-dasar\nvocabularies:\n  format: [csv, json]\n",
    )
    result = validator.validate(changed(valid_record, {"format": ["csv", "XLSX"]}))
    one(result, "vocab.not-allowed", "$.format[1]")
    assert at(result, "$.format[0]") == []


# --- region codes ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["12", "12.71", "12.71.01", "12.71.01.1001"])
def test_region_codes_in_the_list(
    validator: Validator, valid_record: dict[str, Any], code: str
) -> None:
    result = validator.validate(changed(valid_record, {"kode_wilayah": code}))
    assert at(result, "$.kode_wilayah") == []
    assert result.normalized is not None
    assert result.normalized["kode_wilayah"] == code


@pytest.mark.parametrize(
    ("raw", "dotted"), [("1271", "12.71"), ("127101", "12.71.01"), ("1271011001", "12.71.01.1001")]
)
def test_region_code_without_dots(
    validator: Validator, valid_record: dict[str, Any], raw: str, dotted: str
) -> None:
    result = validator.validate(changed(valid_record, {"kode_wilayah": raw}))
    finding = one(result, "kode-wilayah.format", "$.kode_wilayah")
    assert finding.severity is Severity.WARNING
    assert finding.suggestion == dotted
    assert "Medan" in finding.message.id and "Medan" in finding.message.en
    assert result.normalized is not None
    assert result.normalized["kode_wilayah"] == dotted
    assert result.valid


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("1275010", "kode-wilayah.bps"),  # 7 digits: a BPS kecamatan code
        ("1275010001", "kode-wilayah.bps"),  # 10 digits, not a Kemendagri desa code
        ("99.99", "kode-wilayah.unknown"),  # well formed, not in the list
        ("12.71.99", "kode-wilayah.unknown"),
        ("abc", "kode-wilayah.unknown"),  # not a code at all
        ("12.7", "kode-wilayah.unknown"),
        ("12345", "kode-wilayah.unknown"),
    ],
)
def test_bad_region_codes(
    validator: Validator, valid_record: dict[str, Any], raw: str, rule: str
) -> None:
    result = validator.validate(changed(valid_record, {"kode_wilayah": raw}))
    finding = one(result, rule, "$.kode_wilayah")
    assert finding.severity is Severity.ERROR
    assert [f.rule for f in at(result, "$.kode_wilayah")] == [rule]
    assert result.normalized is not None
    assert result.normalized["kode_wilayah"] == raw
    assert not result.valid


def test_bps_finding_explains_the_medan_mix_up(
    validator: Validator, valid_record: dict[str, Any]
) -> None:
    result = validator.validate(changed(valid_record, {"kode_wilayah": "1275010"}))
    finding = one(result, "kode-wilayah.bps", "$.kode_wilayah")
    assert "kecamatan" in finding.message.en
    assert "12.71" in finding.message.id and "12.71" in finding.message.en


def test_region_outside_the_profile_area(
    standard: Standard, tmp_path: Path, valid_record: dict[str, Any]
) -> None:
    validator = profile_validator(standard, tmp_path, MEDAN_PROFILE)
    assert validator.validate(valid_record).findings == []
    for inside in ("12.71", "12.71.01.1001", "1271"):
        result = validator.validate(changed(valid_record, {"kode_wilayah": inside}))
        assert "kode-wilayah.outside" not in {f.rule for f in result.findings}, inside
    for outside in ("12", "12.75", "31.71", "1275"):
        result = validator.validate(changed(valid_record, {"kode_wilayah": outside}))
        finding = one(result, "kode-wilayah.outside", "$.kode_wilayah")
        assert finding.severity is Severity.ERROR
        assert "12.71" in finding.message.en


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2026-06-01",
        "2026-06-01T10:15:00Z",
        "2026-06-01T10:15:00+07:00",
        "2026-06-01T10:15:00.123456",
        "2026-11-28",
    ],
)
def test_iso_dates_are_fine(validator: Validator, valid_record: dict[str, Any], raw: str) -> None:
    result = validator.validate(changed(valid_record, {"tanggal_diperbarui": raw}))
    assert result.findings == []
    assert result.normalized is not None
    assert result.normalized["tanggal_diperbarui"] == raw


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("31/12/2025", "2025-12-31"),
        ("31-12-2025", "2025-12-31"),
        ("5 Januari 2026", "2026-01-05"),
        ("17 Agustus 2025", "2025-08-17"),
        ("2025/12/31", "2025-12-31"),
    ],
)
def test_readable_dates_not_in_iso_form(
    validator: Validator, valid_record: dict[str, Any], raw: str, iso: str
) -> None:
    result = validator.validate(changed(valid_record, {"tanggal_diperbarui": raw}))
    finding = one(result, "tanggal.non-iso", "$.tanggal_diperbarui")
    assert finding.severity is Severity.WARNING
    assert finding.suggestion == iso
    assert iso in finding.message.id and iso in finding.message.en
    assert result.normalized is not None
    assert result.normalized["tanggal_diperbarui"] == iso
    assert result.valid


@pytest.mark.parametrize(
    "raw",
    ["2026-02-30", "2026-13-01", "31/02/2026", "kemarin", "2026-06-01T25:00:00", "1 Foo 2026"],
)
def test_unreadable_dates(validator: Validator, valid_record: dict[str, Any], raw: str) -> None:
    result = validator.validate(changed(valid_record, {"tanggal_dibuat": raw}))
    finding = one(result, "tanggal.invalid", "$.tanggal_dibuat")
    assert finding.severity is Severity.ERROR
    assert [f.rule for f in at(result, "$.tanggal_dibuat")] == ["tanggal.invalid"]
    assert not result.valid


def test_future_dates(validator: Validator, valid_record: dict[str, Any]) -> None:
    result = validator.validate(changed(valid_record, {"tanggal_dibuat": "29/11/2026"}))
    # read (non-ISO), then judged: tomorrow is the future
    assert {f.rule for f in at(result, "$.tanggal_dibuat")} == {"tanggal.non-iso", "tanggal.future"}
    # resources[i].last_modified is a date too
    record = changed(valid_record, {})
    record["resources"][0]["last_modified"] = "2030-01-01"
    result = validator.validate(record)
    one(result, "tanggal.future", "$.resources[0].last_modified")


def test_date_order(validator: Validator, valid_record: dict[str, Any]) -> None:
    record = changed(
        valid_record, {"tanggal_dibuat": "2026-06-02", "tanggal_diperbarui": "2026-06-01T23:59:59Z"}
    )
    finding = one(validator.validate(record), "tanggal.order", "$.tanggal_diperbarui")
    assert "2026-06-01" in finding.message.en and "2026-06-02" in finding.message.en
    # non-ISO forms are compared by their dates
    record = changed(
        valid_record, {"tanggal_dibuat": "1 Juni 2026", "tanggal_diperbarui": "2026-06-01"}
    )
    assert "tanggal.order" not in {f.rule for f in validator.validate(record).findings}


# --- freshness -------------------------------------------------------------------------------


def test_overdue_annual_dataset(validator: Validator, valid_record: dict[str, Any]) -> None:
    result = validator.validate(changed(valid_record, {"tanggal_diperbarui": "2025-01-01"}))
    finding = one(result, "freshness.overdue", "$.tanggal_diperbarui")
    assert finding.severity is Severity.WARNING
    assert "Terlambat" in finding.message.id
    assert "Overdue" in finding.message.en
    assert "2025-01-01" in finding.message.en
    assert result.valid  # a warning


def test_overdue_is_judged_from_a_variant_frequency(
    validator: Validator, valid_record: dict[str, Any]
) -> None:
    record = changed(
        valid_record, {"jadwal_pemutakhiran": "R/P1M", "tanggal_diperbarui": "2026-10-01"}
    )
    result = validator.validate(record)
    one(result, "freshness.overdue", "$.tanggal_diperbarui")


def test_overdue_falls_back_to_the_created_date(
    validator: Validator, valid_record: dict[str, Any]
) -> None:
    result = validator.validate(changed(valid_record, {"tanggal_diperbarui": DELETE}))
    one(result, "freshness.overdue", "$.tanggal_dibuat")


@pytest.mark.parametrize("frequency", ["ad_hoc", "Ad-hoc", "lebih_dari_dua_tahunan"])
def test_no_schedule_is_never_overdue(
    validator: Validator, valid_record: dict[str, Any], rules_of: RulesOf, frequency: str
) -> None:
    record = changed(
        valid_record,
        {
            "jadwal_pemutakhiran": frequency,
            "tanggal_dibuat": "1990-01-01",
            "tanggal_diperbarui": "1990-01-01",
        },
    )
    assert "freshness.overdue" not in rules_of(validator.validate(record))


def test_grace_days_delay_the_overdue_warning(
    standard: Standard,
    tmp_path: Path,
    validator: Validator,
    valid_record: dict[str, Any],
    rules_of: RulesOf,
) -> None:
    # tahunan = 366 days: updated 2025-11-01 was due 2026-11-02
    record = changed(valid_record, {"tanggal_diperbarui": "2025-11-01"})
    assert "freshness.overdue" in rules_of(validator.validate(record))
    lenient = profile_validator(
        standard, tmp_path, "name: sabar\nextends: sdi-dasar\nfreshness:\n  grace_days: 30\n"
    )
    assert "freshness.overdue" not in rules_of(lenient.validate(record))
    record = changed(valid_record, {"tanggal_diperbarui": "2025-10-01"})
    one(lenient.validate(record), "freshness.overdue", "$.tanggal_diperbarui")


def test_future_update_is_not_overdue(
    validator: Validator, valid_record: dict[str, Any], rules_of: RulesOf
) -> None:
    result = validator.validate(changed(valid_record, {"tanggal_diperbarui": "2027-06-01"}))
    assert rules_of(result) == {"tanggal.future"}


# --- e-mail and URLs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kontak",
    [
        "data@pemkomedan.go.id",
        "mailto:data@pemkomedan.go.id",
        "MAILTO:data@pemkomedan.go.id",
        "seksi.data+medan@diskominfo.pemkomedan.go.id",
        {"email": "data@pemkomedan.go.id"},
        {"nama": "Seksi Data", "telepon": "061-4512412"},
    ],
)
def test_good_contacts(validator: Validator, valid_record: dict[str, Any], kontak: Any) -> None:
    result = validator.validate(changed(valid_record, {"kontak": kontak}))
    assert result.findings == []


@pytest.mark.parametrize(
    ("kontak", "path"),
    [
        ("bukan-surel", "$.kontak"),
        ("data@", "$.kontak"),
        ("data@pemkomedan", "$.kontak"),
        ("data pemko@medan.go.id", "$.kontak"),
        ("mailto:", "$.kontak"),
        ({"nama": "Seksi Data", "email": "data@@pemkomedan.go.id"}, "$.kontak.email"),
    ],
)
def test_bad_contacts(
    validator: Validator, valid_record: dict[str, Any], kontak: Any, path: str
) -> None:
    result = validator.validate(changed(valid_record, {"kontak": kontak}))
    finding = one(result, "email.invalid", path)
    assert finding.severity is Severity.ERROR
    assert not result.valid


@pytest.mark.parametrize(
    "url",
    [
        "http://data.pemkomedan.go.id",
        "https://data.pemkomedan.go.id/dataset/penduduk?tahun=2025#unduh",
        "https://data.pemkomedan.go.id:8443/dataset",
        "https://10.0.0.1/dataset",
    ],
)
def test_good_urls(validator: Validator, valid_record: dict[str, Any], url: str) -> None:
    assert validator.validate(changed(valid_record, {"link_akses": url})).findings == []


@pytest.mark.parametrize(
    "url",
    [
        "htp:/x",
        "https://",
        "https://exa mple.com",
        "data.pemkomedan.go.id/dataset",
        "javascript:alert(1)",
        "https://data.pemkomedan.go.id:99999/",
        " https://data.pemkomedan.go.id",
        "https://-medan-.go.id/",
    ],
)
def test_bad_urls(validator: Validator, valid_record: dict[str, Any], url: str) -> None:
    result = validator.validate(changed(valid_record, {"link_akses": url}))
    finding = one(result, "url.invalid", "$.link_akses")
    assert finding.severity is Severity.ERROR


def test_resource_urls_are_checked(validator: Validator, valid_record: dict[str, Any]) -> None:
    resources = [
        {"url": "https://data.pemkomedan.go.id/files/a.csv", "format": "csv"},
        {"url": "https://exa mple.com/b.csv", "format": "csv"},
        "not a resource",
        {"url": "htp:/x"},
    ]
    result = validator.validate(changed(valid_record, {"resources": resources}))
    one(result, "url.invalid", "$.resources[1].url")
    one(result, "url.invalid", "$.resources[3].url")
    assert "url.invalid" not in {f.rule for f in at(result, "$.resources[0].url")}


@pytest.mark.parametrize("url", ["http://[::1]/data", "https://[2001:db8::1]:8443/dataset"])
def test_ipv6_literal_urls_are_valid(
    validator: Validator, valid_record: dict[str, Any], rules_of: RulesOf, url: str
) -> None:
    result = validator.validate(changed(valid_record, {"link_akses": url}))
    assert "url.invalid" not in rules_of(result)


# --- resource format against URL extension ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "declared", "suggestion"),
    [
        ("https://data.pemkomedan.go.id/files/laporan.pdf", "csv", "pdf"),
        ("https://data.pemkomedan.go.id/files/data.XLSX?v=2", "CSV", "xlsx"),
        ("https://data.pemkomedan.go.id/files/peta.geojson", "application/json", "geojson"),
    ],
)
def test_resource_format_mismatch(
    validator: Validator, valid_record: dict[str, Any], url: str, declared: str, suggestion: str
) -> None:
    resources = [valid_record["resources"][0], {"url": url, "format": declared}]
    result = validator.validate(changed(valid_record, {"resources": resources}))
    finding = one(result, "resource.format-mismatch", "$.resources[1].format")
    assert finding.severity is Severity.WARNING
    assert finding.suggestion == suggestion
    assert result.valid


@pytest.mark.parametrize(
    ("url", "declared"),
    [
        ("https://data.pemkomedan.go.id/api/penduduk", "csv"),  # no extension
        ("https://data.pemkomedan.go.id/files/", "csv"),
        ("https://data.pemkomedan.go.id/files/data.csv", "CSV"),  # same format, other case
        ("https://data.pemkomedan.go.id/files/data.jpeg", "jpg"),  # one format, two extensions
        ("https://data.pemkomedan.go.id/files/data.tar.gz", "zip"),  # unknown extension
        ("https://data.pemkomedan.go.id/files/data.pdf", "lotus123"),  # unknown format
        ("https://data.pemkomedan.go.id/files/data.pdf", ""),
    ],
)
def test_resource_format_without_mismatch(
    validator: Validator, valid_record: dict[str, Any], url: str, declared: str
) -> None:
    resources = [{"url": url, "format": declared}]
    result = validator.validate(changed(valid_record, {"resources": resources}))
    assert "resource.format-mismatch" not in {f.rule for f in result.findings}


# --- kode standar data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["DS.00001.01.01", "DS000010101", "A.12345.67.89", "ab00001.01.01"]
)
def test_kode_standar_data_shapes(
    validator: Validator, valid_record: dict[str, Any], code: str
) -> None:
    assert validator.validate(changed(valid_record, {"kode_standar_data": code})).findings == []


@pytest.mark.parametrize("code", ["SD-12", "DS.0001.01.01", "ABC.00001.01.01", "00001.01.01"])
def test_kode_standar_data_pattern(
    validator: Validator, valid_record: dict[str, Any], code: str
) -> None:
    result = validator.validate(changed(valid_record, {"kode_standar_data": code}))
    finding = one(result, "kode-standar-data.pattern", "$.kode_standar_data")
    assert finding.severity is Severity.WARNING
    assert result.valid


# --- required, recommended and unknown fields ------------------------------------------------

EMPTY = [DELETE, "", "   ", "\t\n", [], None]
EMPTY_IDS = ["missing", "empty-string", "blank", "whitespace", "empty-list", "null"]


@pytest.mark.parametrize("empty", EMPTY, ids=EMPTY_IDS)
@pytest.mark.parametrize("field_name", ["title", "format", "klasifikasi_akses", "link_akses"])
def test_required_field_missing_or_empty(
    validator: Validator, valid_record: dict[str, Any], field_name: str, empty: Any
) -> None:
    result = validator.validate(changed(valid_record, {field_name: empty}))
    path = f"$.{field_name}"
    finding = one(result, "field.required", path)
    assert finding.severity is Severity.ERROR
    assert field_name in finding.message.id and field_name in finding.message.en
    # one finding for the place: no schema.min-length / schema.type echo
    assert [f.rule for f in at(result, path)] == ["field.required"]
    assert [f.rule for f in result.findings] == ["field.required"]
    assert not result.valid


@pytest.mark.parametrize("empty", EMPTY, ids=EMPTY_IDS)
@pytest.mark.parametrize("field_name", ["notes", "tags", "kontak", "kode_wilayah"])
def test_recommended_field_missing_or_empty(
    validator: Validator, valid_record: dict[str, Any], field_name: str, empty: Any
) -> None:
    result = validator.validate(changed(valid_record, {field_name: empty}))
    path = f"$.{field_name}"
    finding = one(result, "field.recommended", path)
    assert finding.severity is Severity.WARNING
    assert [f.rule for f in result.findings] == ["field.recommended"]
    assert result.valid


def test_empty_required_string_is_not_also_a_min_length_finding(
    validator: Validator, valid_record: dict[str, Any], rules_of: RulesOf
) -> None:
    result = validator.validate(changed(valid_record, {"title": "", "organization": ""}))
    assert rules_of(result) == {"field.required"}
    assert sorted(f.path for f in result.findings) == ["$.organization", "$.title"]


def test_every_missing_field_of_an_empty_record(validator: Validator) -> None:
    result = validator.validate({})
    required = {f.path for f in result.findings if f.rule == "field.required"}
    recommended = {f.path for f in result.findings if f.rule == "field.recommended"}
    assert required == {f"$.{name}" for name in validator.profile.required}
    assert recommended == {f"$.{name}" for name in validator.profile.recommended}
    assert len(result.findings) == len(required) + len(recommended)


@pytest.mark.parametrize(
    ("key", "path", "suggestion"),
    [
        ("Judul", "$.Judul", "title"),
        ("Produsen Data", "$['Produsen Data']", "produsen_data"),
        ("frekuensi_penerbitan", "$.frekuensi_penerbitan", "jadwal_pemutakhiran"),
        ("Kode Wilayah", "$['Kode Wilayah']", "kode_wilayah"),
        ("catatan_internal", "$.catatan_internal", None),
        ("it's", "$['it\\'s']", None),
    ],
)
def test_unknown_fields(
    validator: Validator,
    valid_record: dict[str, Any],
    key: str,
    path: str,
    suggestion: str | None,
) -> None:
    result = validator.validate(changed(valid_record, {key: "nilai"}))
    finding = one(result, "field.unknown", path)
    assert finding.severity is Severity.INFO
    assert finding.suggestion == suggestion
    if suggestion is not None:
        assert suggestion in finding.message.id and suggestion in finding.message.en
    assert result.valid
    assert result.normalized is not None
    assert result.normalized[key] == "nilai"  # kept


# --- JSON Schema findings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "rule", "path"),
    [
        ({"name": "nama dengan spasi"}, "schema.pattern", "$.name"),
        ({"tahun": 1800}, "schema.minimum", "$.tahun"),
        ({"tahun": 2101}, "schema.maximum", "$.tahun"),
        ({"tahun": "20-25"}, "schema.pattern", "$.tahun"),
        ({"tags": ["kesehatan", "kesehatan"]}, "schema.unique-items", "$.tags"),
        ({"tags": ["kesehatan", ""]}, "schema.min-length", "$.tags[1]"),
        ({"kontak": 42}, "schema.type", "$.kontak"),
        ({"kontak": ["data@pemkomedan.go.id"]}, "schema.type", "$.kontak"),
        ({"title": "J" * 501}, "schema.max-length", "$.title"),
        ({"format": "csv"}, "schema.type", "$.format"),
        ({"resources": [{"format": "csv"}]}, "schema.required", "$.resources[0].url"),
        (
            {"resources": [{"url": "https://x.go.id/a.csv", "size": -1}]},
            "schema.minimum",
            "$.resources[0].size",
        ),
    ],
)
def test_schema_findings(
    validator: Validator,
    valid_record: dict[str, Any],
    changes: dict[str, Any],
    rule: str,
    path: str,
) -> None:
    result = validator.validate(changed(valid_record, changes))
    finding = one(result, rule, path)
    assert finding.severity is Severity.ERROR
    assert not result.valid


def test_schema_findings_are_checked_on_the_normalized_record(
    validator: Validator, valid_record: dict[str, Any], rules_of: RulesOf
) -> None:
    # a variant is not a schema error: the canonical value is what the schema sees
    result = validator.validate(
        changed(valid_record, {"format": ["CSV", "csv"], "jadwal_pemutakhiran": "Tahunan"})
    )
    assert rules_of(result) == {"vocab.variant"}


def test_huge_integer_is_a_finding_not_a_crash(
    validator: Validator, valid_record: dict[str, Any]
) -> None:
    for value in (2**70, -(2**200)):
        result = validator.validate(changed(valid_record, {"tahun": value}))
        assert not result.valid
        assert all(f.path.startswith("$") for f in result.findings)


# --- records that are no objects -------------------------------------------------------------


@pytest.mark.parametrize("record", [[], [{"title": "x"}], 1, None, "judul", 1.5, True])
def test_record_not_object(validator: Validator, record: Any) -> None:
    result = validator.validate(record, source="daftar.json", index=3)
    finding = one(result, "record.not-object", "$")
    assert finding.severity is Severity.ERROR
    assert len(result.findings) == 1
    assert not result.valid
    assert result.normalized is None
    assert result.record == "#3"


# --- huge values are never echoed ------------------------------------------------------------


def test_a_10_mb_notes_string_is_not_echoed(
    validator: Validator, valid_record: dict[str, Any]
) -> None:
    result = validator.validate(changed(valid_record, {"notes": "x" * 10_000_000}))
    finding = one(result, "schema.max-length", "$.notes")
    assert len(finding.message.id) < 500
    assert len(finding.message.en) < 500


def test_huge_values_are_never_echoed_by_any_rule(
    validator: Validator, valid_record: dict[str, Any]
) -> None:
    big = "9" * 1_000_000
    record = changed(
        valid_record,
        {
            "title": "J" * 1_000_000,
            "jadwal_pemutakhiran": "x" + big,
            "format": ["y" + big],
            "license_id": "z" + big,
            "tanggal_dibuat": big,
            "tanggal_diperbarui": "5 " + big,
            "kode_wilayah": big,
            "kontak": "k" + big,
            "link_akses": "https://" + big + ".invalid x",
            "kode_standar_data": big,
            "name": "N" * 1_000_000,
            "Kolom " + big: "v",
        },
    )
    result = validator.validate(record)
    assert len(result.findings) >= 10
    for finding in result.findings:
        assert len(finding.message.id) < 500, finding.rule
        assert len(finding.message.en) < 500, finding.rule
        assert finding.suggestion is None or len(finding.suggestion) < 500
    assert result.record is not None and len(result.record) <= 80


@pytest.mark.parametrize(
    ("tag", "refused"),
    [
        ("a", True),  # shorter than CKAN's 2 characters
        ("x" * 101, True),  # longer than 100
        ("penduduk, kecamatan", True),  # a comma
        ("data/2025", True),
        ("kesehatan&gizi", True),
        ("ab", False),
        ("x" * 100, False),
        ("Jumlah Penduduk 2025", False),
        ("ekonomi_kreatif-umkm.v2", False),
        ("pendidikan dasar é", False),  # CKAN's \w is Unicode
    ],
)
def test_a_tag_ckan_would_refuse(
    tag: str, refused: bool, standard: Standard, valid_record: dict[str, Any]
) -> None:
    result = Validator(standard=standard, today=TODAY).validate(
        changed(valid_record, {"tags": ["penduduk", tag]})
    )
    found = [f for f in result.findings if f.rule == "tag.ckan-invalid"]
    assert [f.path for f in found] == (["$.tags[1]"] if refused else [])
    for finding in found:
        assert finding.severity == Severity.WARNING
        assert finding.message.id != finding.message.en
