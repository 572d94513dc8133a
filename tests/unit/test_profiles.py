"""Profiles: the built-in ones, user YAML profiles, and the resolved JSON Schema."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from satudata_cli.core.errors import ProfileError
from satudata_cli.standard.findings import RecordResult, Severity
from satudata_cli.standard.profiles import Profile, ProfileLoader
from satudata_cli.standard.resolve import resolved_schema
from satudata_cli.standard.schema import Standard
from satudata_cli.standard.validator import Validator

TODAY = date(2026, 11, 28)

RulesOf = Callable[[RecordResult], set[str]]

SDI_DASAR_REQUIRED = (
    "title",
    "organization",
    "produsen_data",
    "jadwal_pemutakhiran",
    "tanggal_dibuat",
    "format",
    "link_akses",
    "klasifikasi_akses",
)

MEDAN = """\
name: medan
extends: sdi-dasar
required: [kode_wilayah, kontak]
recommended: [walidata]
kode_wilayah:
  within: ["12.71"]
vocabularies:
  level_penyajian: [kabupaten_kota, kecamatan, desa_kelurahan]
rules:
  license.unknown: error
  field.unknown: "off"
freshness:
  grace_days: 30
"""

METADATA_STATISTIK: dict[str, Any] = {
    "kegiatan": {
        "judul_kegiatan": "Registrasi Penduduk Kota Medan",
        "tahun": 2025,
        "jenis_statistik": "STATISTIK_SEKTORAL",
        "cara_pengumpulan_data": "KOMPILASI_PRODUK_ADMINISTRASI",
    },
    "variabel": [
        {"nama": "jumlah_penduduk", "definisi": "Banyaknya penduduk menurut kecamatan."},
    ],
    "indikator": [
        {"nama": "Kepadatan penduduk", "definisi": "Penduduk per kilometer persegi."},
    ],
}


@pytest.fixture
def loader(standard: Standard) -> ProfileLoader:
    return ProfileLoader(standard)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def validator_for(standard: Standard, profile: Profile) -> Validator:
    return Validator(profile, standard=standard, today=TODAY)


# --- built-in profiles -----------------------------------------------------------------------


def test_sdi_dasar(loader: ProfileLoader) -> None:
    profile = loader.load("sdi-dasar")
    assert profile.name == "sdi-dasar"
    assert profile.chain == ("sdi-dasar",)
    assert profile.required == SDI_DASAR_REQUIRED
    assert "notes" in profile.recommended and "kode_wilayah" in profile.recommended
    assert not set(profile.required) & set(profile.recommended)
    assert profile.vocabularies == {}
    assert profile.region_within == ()
    assert profile.rules == {}
    assert profile.grace_days == 0
    assert profile.title.id != profile.title.en


def test_sdi_statistik_extends_sdi_dasar(loader: ProfileLoader) -> None:
    base = loader.load("sdi-dasar")
    profile = loader.load("sdi-statistik")
    assert profile.chain == ("sdi-dasar", "sdi-statistik")
    assert profile.required[: len(SDI_DASAR_REQUIRED)] == SDI_DASAR_REQUIRED
    for name in (
        "metadata_statistik",
        "metadata_statistik.kegiatan",
        "metadata_statistik.variabel",
    ):
        assert name in profile.required
    # what the parent only recommended and the child requires is no longer "recommended"
    for name in ("definisi", "konsep", "satuan"):
        assert name in base.recommended
        assert name in profile.required
        assert name not in profile.recommended
    assert "metadata_statistik.indikator" in profile.recommended


@pytest.fixture
def statistik(standard: Standard, loader: ProfileLoader) -> Validator:
    return validator_for(standard, loader.load("sdi-statistik"))


def test_statistik_requires_metadata_statistik(
    statistik: Validator, valid_record: dict[str, Any]
) -> None:
    result = statistik.validate(valid_record)
    errors = [(f.rule, f.path) for f in result.findings if f.severity is Severity.ERROR]
    assert errors == [("field.required", "$.metadata_statistik")]
    assert not result.valid


@pytest.mark.parametrize("empty", [{}, None])
def test_statistik_empty_block_is_one_finding(
    statistik: Validator, valid_record: dict[str, Any], empty: Any
) -> None:
    result = statistik.validate({**valid_record, "metadata_statistik": empty})
    inside = [f for f in result.findings if f.path.startswith("$.metadata_statistik")]
    assert [(f.rule, f.path) for f in inside] == [("field.required", "$.metadata_statistik")]


def test_statistik_complete_record_is_valid(
    statistik: Validator, valid_record: dict[str, Any], rules_of: RulesOf
) -> None:
    record = {**valid_record, "metadata_statistik": copy.deepcopy(METADATA_STATISTIK)}
    result = statistik.validate(record)
    assert result.valid
    assert rules_of(result) <= {"field.recommended"}  # id_konsep is only recommended


def test_statistik_requires_kegiatan_and_variabel(
    statistik: Validator, valid_record: dict[str, Any]
) -> None:
    block = {"indikator": METADATA_STATISTIK["indikator"], "variabel": []}
    result = statistik.validate({**valid_record, "metadata_statistik": block})
    required = {f.path for f in result.findings if f.rule == "field.required"}
    assert required == {"$.metadata_statistik.kegiatan", "$.metadata_statistik.variabel"}


def test_statistik_broken_kegiatan_gives_schema_findings(
    statistik: Validator, valid_record: dict[str, Any]
) -> None:
    block = copy.deepcopy(METADATA_STATISTIK)
    block["kegiatan"] = {"judul_kegiatan": "", "tahun": "dua ribu", "jenis_statistik": "SENSUS"}
    result = statistik.validate({**valid_record, "metadata_statistik": block})
    inside = {
        (f.rule, f.path)
        for f in result.findings
        if f.path.startswith("$.metadata_statistik.kegiatan")
    }
    base = "$.metadata_statistik.kegiatan"
    assert inside == {
        ("schema.required", f"{base}.cara_pengumpulan_data"),
        ("schema.min-length", f"{base}.judul_kegiatan"),
        ("schema.type", f"{base}.tahun"),
        ("schema.enum", f"{base}.jenis_statistik"),
    }
    for finding in result.findings:
        if finding.rule.startswith("schema."):
            assert finding.severity is Severity.ERROR
            assert finding.message.id and finding.message.en
            assert finding.message.id != finding.message.en
    assert not result.valid


def test_statistik_broken_variabel_item(statistik: Validator, valid_record: dict[str, Any]) -> None:
    block = copy.deepcopy(METADATA_STATISTIK)
    block["variabel"].append({"nama": "jumlah_kk"})
    result = statistik.validate({**valid_record, "metadata_statistik": block})
    paths = {(f.rule, f.path) for f in result.findings if f.rule.startswith("schema.")}
    assert paths == {("schema.required", "$.metadata_statistik.variabel[1].definisi")}


def test_unknown_profile_name(loader: ProfileLoader) -> None:
    with pytest.raises(ProfileError, match="sdi-lengkap"):
        loader.load("sdi-lengkap")


def test_a_profile_name_too_long_for_the_file_system_is_unknown(
    loader: ProfileLoader, tmp_path: Path
) -> None:
    """Found by the fuzz campaign (seed 47): ``extends:`` with a name of some hundred
    characters made ``Path.exists`` raise ENAMETOOLONG, an internal error."""
    long_name = "y" * 300
    path = write(tmp_path, "medan.yaml", f"name: medan\nextends: {long_name}\n")
    with pytest.raises(ProfileError, match="y" * 40):
        loader.load(str(path))
    with pytest.raises(ProfileError):
        loader.load(long_name)


# --- user profiles ---------------------------------------------------------------------------


def test_user_profile_extends_a_builtin_by_name(loader: ProfileLoader, tmp_path: Path) -> None:
    profile = loader.load(str(write(tmp_path, "medan.yaml", MEDAN)))
    assert profile.name == "medan"
    assert profile.chain == ("sdi-dasar", "medan")
    assert profile.required == (*SDI_DASAR_REQUIRED, "kode_wilayah", "kontak")
    assert "kode_wilayah" not in profile.recommended and "kontak" not in profile.recommended
    assert "walidata" in profile.recommended
    assert profile.region_within == ("12.71",)
    assert profile.vocabularies == {
        "level_penyajian": ("kabupaten_kota", "kecamatan", "desa_kelurahan")
    }
    assert profile.rules == {"license.unknown": Severity.ERROR, "field.unknown": None}
    assert profile.grace_days == 30


def test_user_profile_extends_sdi_statistik(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(tmp_path, "bps.yaml", "name: bps-medan\nextends: sdi-statistik\n")
    profile = loader.load(str(path))
    assert profile.chain == ("sdi-dasar", "sdi-statistik", "bps-medan")
    assert "metadata_statistik.variabel" in profile.required


def test_user_profile_extends_by_relative_path(
    loader: ProfileLoader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "dasar/medan.yaml", MEDAN)
    child = write(
        tmp_path,
        "opd/dinkes.yaml",
        "name: dinkes\nextends: ../dasar/medan.yaml\nrequired: [walidata]\n"
        "vocabularies:\n  level_penyajian: [kecamatan]\n",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # relative to the profile file, not to the working folder
    profile = loader.load(str(child))
    assert profile.chain == ("sdi-dasar", "medan", "dinkes")
    assert profile.required[-3:] == ("kode_wilayah", "kontak", "walidata")
    assert "walidata" not in profile.recommended
    assert profile.vocabularies == {"level_penyajian": ("kecamatan",)}
    # inherited from medan
    assert profile.region_within == ("12.71",)
    assert profile.grace_days == 30
    assert profile.rules["license.unknown"] is Severity.ERROR


def test_missing_parent_file(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "name: a\nextends: tidak-ada.yaml\n")
    with pytest.raises(ProfileError, match=r"tidak-ada\.yaml"):
        loader.load(str(path))


def test_unknown_key_names_file_line_and_key(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "medan.yaml",
        "name: medan\nextends: sdi-dasar\nrequired: [kontak]\nwarna: merah\n",
    )
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    message = str(info.value)
    assert f"{path}:4" in message
    assert "warna" in message


def test_unknown_nested_key(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(
        tmp_path, "medan.yaml", "name: medan\nfreshness:\n  grace_days: 30\n  grace_weeks: 2\n"
    )
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    assert f"{path}:4" in str(info.value)
    assert "freshness.grace_weeks" in str(info.value)


def test_unknown_key_with_block_value_names_the_key_line(
    loader: ProfileLoader, tmp_path: Path
) -> None:
    path = write(tmp_path, "medan.yaml", "name: medan\nextends: sdi-dasar\nwarna:\n  - merah\n")
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    assert f"{path}:3:" in str(info.value)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("- a\n- b\n", "mapping"),
        ("name: [\n", "not valid YAML"),
        ("extends: sdi-dasar\n", "name"),
        ("name: Medan Kota\n", "name"),
        ("name: medan\nrequired: [judul_data]\n", "judul_data"),
        ("name: medan\nrecommended: [metadata.kegiatan]\n", "metadata.kegiatan"),
        ("name: medan\nvocabularies:\n  title: [x]\n", "title"),
        ("name: medan\nrules:\n  license.unknown: fatal\n", "license.unknown"),
        ("name: medan\nfreshness:\n  grace_days: -1\n", "grace_days"),
        ("name: medan\nkode_wilayah: 12.71\n", "kode_wilayah"),
    ],
)
def test_broken_profiles(loader: ProfileLoader, tmp_path: Path, text: str, match: str) -> None:
    path = write(tmp_path, "rusak.yaml", text)
    with pytest.raises(ProfileError, match=re.escape(match)):
        loader.load(str(path))


# -- the one configuration loader (core.configfile) also reads profiles ------------------


def test_a_key_given_twice_is_refused_with_file_and_line(
    loader: ProfileLoader, tmp_path: Path
) -> None:
    """YAML alone would keep the second ``required``; the loader refuses the file."""
    path = write(
        tmp_path,
        "medan.yaml",
        "name: medan\nextends: sdi-dasar\nrequired: [kontak]\nrequired: [walidata]\n",
    )
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    assert str(info.value) == f"{path}:4: required: given twice; keep one"


def test_a_nested_key_given_twice_names_its_path(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "medan.yaml",
        "name: medan\nrules:\n  license.unknown: error\n  license.unknown: off\n",
    )
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    assert str(info.value) == f"{path}:4: rules.license.unknown: given twice; keep one"


@pytest.mark.parametrize("key", ["token", "api_key", "Password"])
def test_a_secret_key_is_refused_with_file_and_line(
    loader: ProfileLoader, tmp_path: Path, key: str
) -> None:
    path = write(tmp_path, "medan.yaml", f"name: medan\nextends: sdi-dasar\n{key}: rahasia-123\n")
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    message = str(info.value)
    assert message.startswith(f"{path}:3: {key}: secrets never live in configuration files")
    assert "token_env" in message
    assert "rahasia-123" not in message


def test_an_unknown_key_gets_a_hint_like_a_source_file(
    loader: ProfileLoader, tmp_path: Path
) -> None:
    path = write(tmp_path, "medan.yaml", "name: medan\nextend: sdi-dasar\n")
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    assert str(info.value).startswith(f"{path}:2: extend: unknown key (did you mean extends?)")


def test_an_empty_profile_file_says_what_it_needs(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(tmp_path, "kosong.yaml", "")
    with pytest.raises(ProfileError) as info:
        loader.load(str(path))
    assert str(info.value) == f"{path}: the file is empty; a profile needs at least name"


def test_extends_loop(loader: ProfileLoader, tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: a\nextends: b.yaml\n")
    write(tmp_path, "b.yaml", "name: b\nextends: ./c.yaml\n")
    write(tmp_path, "c.yaml", "name: c\nextends: a.yaml\n")
    with pytest.raises(ProfileError, match="loop"):
        loader.load(str(tmp_path / "a.yaml"))


def test_extends_itself(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "name: a\nextends: a.yaml\n")
    with pytest.raises(ProfileError, match="loop"):
        loader.load(str(path))


def test_narrowing_to_a_value_outside_the_vocabulary(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.yaml", "name: a\nvocabularies:\n  level_penyajian: [kecamatan, galaksi]\n"
    )
    with pytest.raises(ProfileError, match="galaksi") as info:
        loader.load(str(path))
    assert str(path) in str(info.value)


def test_narrowing_accepts_variants_and_stores_canonical_values(
    loader: ProfileLoader, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        "name: a\nvocabularies:\n  jadwal_pemutakhiran: [Tahunan, R/P1M]\n  format: [CSV]\n",
    )
    profile = loader.load(str(path))
    assert profile.vocabularies == {
        "jadwal_pemutakhiran": ("tahunan", "bulanan"),
        "format": ("csv",),
    }


def test_widening_what_the_parent_allows(loader: ProfileLoader, tmp_path: Path) -> None:
    write(tmp_path, "medan.yaml", MEDAN)
    child = write(
        tmp_path,
        "child.yaml",
        "name: child\nextends: medan.yaml\n"
        "vocabularies:\n  level_penyajian: [kecamatan, provinsi]\n",
    )
    with pytest.raises(ProfileError, match="narrow"):
        loader.load(str(child))


@pytest.mark.parametrize("code", ["99.99", "1271", "12.71.99", "Medan"])
def test_within_an_unknown_region(loader: ProfileLoader, tmp_path: Path, code: str) -> None:
    path = write(tmp_path, "a.yaml", f'name: a\nkode_wilayah:\n  within: ["{code}"]\n')
    with pytest.raises(ProfileError, match=r"kode_wilayah\.within"):
        loader.load(str(path))


def test_within_cannot_widen_the_parent_area(loader: ProfileLoader, tmp_path: Path) -> None:
    write(tmp_path, "medan.yaml", MEDAN)
    child = write(
        tmp_path,
        "child.yaml",
        'name: child\nextends: medan.yaml\nkode_wilayah:\n  within: ["12"]\n',
    )
    with pytest.raises(ProfileError):
        loader.load(str(child))


def test_within_may_narrow_the_parent_area(loader: ProfileLoader, tmp_path: Path) -> None:
    write(tmp_path, "medan.yaml", MEDAN)
    child = write(
        tmp_path,
        "child.yaml",
        'name: child\nextends: medan.yaml\nkode_wilayah:\n  within: ["12.71.01"]\n',
    )
    assert loader.load(str(child)).region_within == ("12.71.01",)


def test_unknown_rule_id_is_refused(loader: ProfileLoader, tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "name: a\nrules:\n  licence.unknown: error\n")
    with pytest.raises(ProfileError, match=r"licence\.unknown"):
        loader.load(str(path))


def test_readme_example_profile_loads(loader: ProfileLoader, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "docs" / "validate.md").read_text("utf-8")
    start = readme.index("# profil-medan.yaml")
    text = readme[start : readme.index("```", start)]
    assert "field.unknown: off\n" in text
    profile = loader.load(str(write(tmp_path, "profil-medan.yaml", text)))
    assert profile.rules["field.unknown"] is None


# --- rule overrides --------------------------------------------------------------------------


def _profile(standard: Standard, tmp_path: Path, text: str) -> Validator:
    loader = ProfileLoader(standard)
    return validator_for(standard, loader.load(str(write(tmp_path, "p.yaml", text))))


def test_rule_off_removes_its_findings(
    standard: Standard,
    tmp_path: Path,
    validator: Validator,
    valid_record: dict[str, Any],
    rules_of: RulesOf,
) -> None:
    record = {**valid_record, "Judul": "x", "catatan": "y", "notes": ""}
    assert {"field.unknown", "field.recommended"} <= rules_of(validator.validate(record))
    quiet = _profile(
        standard,
        tmp_path,
        'name: tenang\nrules:\n  field.unknown: "off"\n  field.recommended: "off"\n',
    )
    result = quiet.validate(record)
    assert result.findings == []


def test_schema_rule_off(
    standard: Standard, tmp_path: Path, valid_record: dict[str, Any], rules_of: RulesOf
) -> None:
    record = {**valid_record, "name": "Nama Dengan Spasi", "tahun": 1800}
    quiet = _profile(standard, tmp_path, 'name: tenang\nrules:\n  schema.pattern: "off"\n')
    assert rules_of(quiet.validate(record)) == {"schema.minimum"}


def test_warning_raised_to_error_makes_the_record_invalid(
    standard: Standard, tmp_path: Path, validator: Validator, valid_record: dict[str, Any]
) -> None:
    record = {**valid_record, "license_id": "lisensi-pemkot"}
    lenient = validator.validate(record)
    assert [f.severity for f in lenient.findings] == [Severity.WARNING]
    assert lenient.valid
    strict = _profile(standard, tmp_path, "name: ketat\nrules:\n  license.unknown: error\n")
    result = strict.validate(record)
    assert [(f.rule, f.severity) for f in result.findings] == [("license.unknown", Severity.ERROR)]
    assert not result.valid


def test_error_lowered_to_info_makes_the_record_valid(
    standard: Standard, tmp_path: Path, valid_record: dict[str, Any]
) -> None:
    record = {**valid_record, "kode_wilayah": "1275010"}
    relaxed = _profile(standard, tmp_path, "name: longgar\nrules:\n  kode-wilayah.bps: info\n")
    result = relaxed.validate(record)
    assert [(f.rule, f.severity) for f in result.findings] == [("kode-wilayah.bps", Severity.INFO)]
    assert result.valid


def test_child_overrides_a_parent_rule_setting(loader: ProfileLoader, tmp_path: Path) -> None:
    write(tmp_path, "medan.yaml", MEDAN)
    child = write(
        tmp_path, "child.yaml", "name: child\nextends: medan.yaml\nrules:\n  field.unknown: info\n"
    )
    profile = loader.load(str(child))
    assert profile.rules == {"license.unknown": Severity.ERROR, "field.unknown": Severity.INFO}


def test_user_profile_end_to_end(
    standard: Standard, tmp_path: Path, valid_record: dict[str, Any], rules_of: RulesOf
) -> None:
    medan = _profile(standard, tmp_path, MEDAN)
    assert medan.validate(valid_record).findings == []
    record = {**valid_record, "kontak": "", "kode_wilayah": "12.75", "Judul": "x"}
    result = medan.validate(record)
    assert {(f.rule, f.path) for f in result.findings} == {
        ("field.required", "$.kontak"),
        ("kode-wilayah.outside", "$.kode_wilayah"),
    }  # field.unknown is off
    del record["walidata"]
    assert ("field.recommended", "$.walidata") in {
        (f.rule, f.path) for f in medan.validate(record).findings
    }


# --- the resolved JSON Schema ----------------------------------------------------------------


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


def _pointer(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


@pytest.fixture(params=["sdi-dasar", "sdi-statistik", "medan"])
def any_profile(request: pytest.FixtureRequest, loader: ProfileLoader, tmp_path: Path) -> Profile:
    name: str = request.param
    if name == "medan":
        return loader.load(str(write(tmp_path, "medan.yaml", MEDAN)))
    return loader.load(name)


def test_resolved_schema_is_a_valid_self_contained_schema(
    standard: Standard, any_profile: Profile
) -> None:
    schema = resolved_schema(standard, any_profile)
    jsonschema.Draft202012Validator.check_schema(schema)
    json.dumps(schema)  # plain JSON data
    refs = list(_refs(schema))
    assert refs, "the BPS schemas are referenced"
    for ref in refs:
        assert ref.startswith("#/"), f"$ref leaves the document: {ref}"
        assert isinstance(_pointer(schema, ref), dict), ref
    top_required = [name for name in any_profile.required if "." not in name]
    assert schema["required"] == top_required
    assert schema["x-profile"]["name"] == any_profile.name


def test_resolved_schema_of_medan(
    loader: ProfileLoader, standard: Standard, tmp_path: Path
) -> None:
    profile = loader.load(str(write(tmp_path, "medan.yaml", MEDAN)))
    schema = resolved_schema(standard, profile)
    props = schema["properties"]
    assert props["level_penyajian"]["enum"] == ["kabupaten_kota", "kecamatan", "desa_kelurahan"]
    assert props["jadwal_pemutakhiran"]["enum"] == list(standard.vocabularies["frekuensi"].values)
    assert props["klasifikasi_akses"]["enum"] == ["terbuka", "terbatas", "tertutup"]
    assert "kode_wilayah" in schema["required"] and "kontak" in schema["required"]
    assert schema["x-rules"]["license.unknown"]["severity"] == "error"
    assert schema["x-rules"]["field.unknown"]["severity"] == "off"
    assert schema["x-rules"]["freshness.overdue"]["severity"] == "warning"
    assert schema["x-profile"]["grace_days"] == 30


def test_resolved_schema_of_statistik_requires_the_blocks(
    loader: ProfileLoader, standard: Standard
) -> None:
    schema = resolved_schema(standard, loader.load("sdi-statistik"))
    block = schema["properties"]["metadata_statistik"]
    assert set(block["required"]) == {"kegiatan", "variabel"}


def test_resolved_schema_does_not_touch_the_standard(
    loader: ProfileLoader, standard: Standard, tmp_path: Path
) -> None:
    before = copy.deepcopy(dict(standard.dataset_schema))
    profile = loader.load(str(write(tmp_path, "medan.yaml", MEDAN)))
    resolved_schema(standard, profile)
    resolved_schema(standard, loader.load("sdi-statistik"))
    assert dict(standard.dataset_schema) == before


def _errors(schema: dict[str, Any], record: Any) -> list[str]:
    checker = jsonschema.Draft202012Validator(schema)
    return [error.message for error in checker.iter_errors(record)]


def test_valid_record_passes_the_resolved_schema(
    standard: Standard, any_profile: Profile, valid_record: dict[str, Any]
) -> None:
    schema = resolved_schema(standard, any_profile)
    record = {**valid_record, "metadata_statistik": copy.deepcopy(METADATA_STATISTIK)}
    assert _errors(schema, record) == []
    # and satudata agrees: no error
    result = validator_for(standard, any_profile).validate(record)
    assert result.valid


@pytest.mark.parametrize("missing", ["title", "format", "klasifikasi_akses"])
def test_record_missing_a_required_field_fails_the_resolved_schema(
    standard: Standard, any_profile: Profile, valid_record: dict[str, Any], missing: str
) -> None:
    schema = resolved_schema(standard, any_profile)
    record = {**valid_record, "metadata_statistik": copy.deepcopy(METADATA_STATISTIK)}
    del record[missing]
    errors = _errors(schema, record)
    assert errors
    assert any(missing in message for message in errors)


def test_resolved_schema_rejects_what_the_profile_narrowed(
    loader: ProfileLoader, standard: Standard, tmp_path: Path, valid_record: dict[str, Any]
) -> None:
    schema = resolved_schema(standard, loader.load(str(write(tmp_path, "medan.yaml", MEDAN))))
    assert _errors(schema, {**valid_record, "level_penyajian": "provinsi"})
    assert _errors(schema, {**valid_record, "kode_wilayah": "12.75"})
    assert _errors(schema, {**valid_record, "kode_wilayah": "12.710"})
    assert _errors(schema, {**valid_record, "kode_wilayah": "12.71.01"}) == []
    assert _errors(schema, {**valid_record, "title": ""})


def test_statistik_resolved_schema_checks_the_inlined_bps_schemas(
    loader: ProfileLoader, standard: Standard, valid_record: dict[str, Any]
) -> None:
    schema = resolved_schema(standard, loader.load("sdi-statistik"))
    block = copy.deepcopy(METADATA_STATISTIK)
    block["kegiatan"]["jenis_statistik"] = "SENSUS"
    assert _errors(schema, {**valid_record, "metadata_statistik": block})
    del block["variabel"]
    assert any(
        "variabel" in m for m in _errors(schema, {**valid_record, "metadata_statistik": block})
    )


def test_normalized_records_fit_the_resolved_schema(
    standard: Standard, validator: Validator, valid_record: dict[str, Any]
) -> None:
    """What the catalogue stores (the normalised record) is a canonical record."""
    schema = resolved_schema(standard, validator.profile)
    record = {
        **valid_record,
        "jadwal_pemutakhiran": "R/P1Y",
        "klasifikasi_akses": "Terbuka",
        "level_penyajian": "Kecamatan",
        "format": ["CSV", "Excel"],
        "kode_wilayah": "1271",
        "tanggal_dibuat": "15/03/2021",
        "tanggal_diperbarui": "1 Juni 2026",
    }
    result = validator.validate(record)
    assert result.valid
    assert result.normalized is not None
    assert _errors(schema, record)  # the raw record is not canonical
    assert _errors(schema, result.normalized) == []
