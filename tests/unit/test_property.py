"""Property tests: the validator judges any JSON value and never raises."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from satudata_cli.standard.findings import Severity
from satudata_cli.standard.profiles import ProfileLoader
from satudata_cli.standard.rules import known_rule
from satudata_cli.standard.schema import load_standard
from satudata_cli.standard.validator import Validator

STANDARD = load_standard()
VALIDATORS = [
    Validator(ProfileLoader(STANDARD).load(name), standard=STANDARD, today=date(2026, 11, 28))
    for name in ("sdi-dasar", "sdi-statistik")
]
FIELD_NAMES = sorted(STANDARD.fields)

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

huge_ints = st.one_of(
    st.integers(min_value=2**63, max_value=2**200),
    st.integers(min_value=-(2**200), max_value=-(2**63) - 1),
)

# strings that look like what the rules parse, so the parsers see near misses too
shaped_text = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[0-9]{1,10}\Z"),
    st.from_regex(r"\A[0-9]{2}(\.[0-9]{1,4}){0,4}\Z"),
    st.from_regex(r"\A[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}(T[0-9:.Z+-]{0,20})?\Z"),
    st.from_regex(r"\A[0-9]{1,2} [A-Za-z]{3,9}\.? [0-9]{4}\Z"),
    st.from_regex(r"\A(mailto:)?[a-z.]{0,8}@[a-z.-]{0,12}\Z"),
    st.from_regex(r"\A(https?|ftp|htp)://[^/?#]{0,20}(/[a-z.]{0,12})?\Z"),
    st.sampled_from(
        ["Tahunan", "R/P1Y", "terbuka", "CSV", "cc-by", "12.71", "1271", "1275010", "", "  "]
    ),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    huge_ints,
    st.floats(allow_nan=False),
    shaped_text,
)

json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=4),
    ),
    max_leaves=15,
)

# records whose keys are the real field names, so every rule runs on wrong-typed values
field_records = st.dictionaries(
    st.sampled_from(FIELD_NAMES),
    json_values,
    max_size=12,
)

resources = st.lists(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {},
            optional={
                "url": st.one_of(shaped_text, json_values),
                "format": st.one_of(shaped_text, json_values),
                "last_modified": st.one_of(shaped_text, json_values),
                "size": st.one_of(st.integers(), huge_ints),
            },
        ),
    ),
    max_size=4,
)

kontak = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={"email": json_values, "nama": json_values}),
)

metadata_statistik = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "kegiatan": st.one_of(
                json_values,
                st.dictionaries(
                    st.sampled_from(
                        ["judul_kegiatan", "tahun", "jenis_statistik", "cara_pengumpulan_data"]
                    ),
                    json_values,
                ),
            ),
            "variabel": json_values,
            "indikator": json_values,
        },
    ),
)

structured_records = st.fixed_dictionaries(
    {},
    optional={
        "resources": resources,
        "kontak": kontak,
        "metadata_statistik": metadata_statistik,
        "format": st.lists(st.one_of(shaped_text, json_values), max_size=4),
        "tags": st.lists(st.one_of(shaped_text, json_values), max_size=4),
        **dict.fromkeys(
            (
                "jadwal_pemutakhiran",
                "klasifikasi_akses",
                "level_penyajian",
                "license_id",
                "kode_wilayah",
                "tanggal_dibuat",
                "tanggal_diperbarui",
                "link_akses",
                "kode_standar_data",
                "name",
            ),
            shaped_text,
        ),
    },
)

records = st.one_of(json_values, field_records, structured_records)


def _check(value: Any) -> None:
    for validator in VALIDATORS:
        result = validator.validate(value, source="prop.json", index=1)
        for finding in result.findings:
            assert isinstance(finding.severity, Severity)
            assert finding.severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            assert finding.path.startswith("$"), finding
            assert known_rule(finding.rule), finding.rule
            assert finding.message.id and finding.message.en
        assert result.valid is not any(f.severity is Severity.ERROR for f in result.findings)
        if isinstance(value, dict):
            assert isinstance(result.normalized, dict)
            assert set(result.normalized) == set(value)
        else:
            assert result.normalized is None
            assert [f.rule for f in result.findings] == ["record.not-object"]


@SETTINGS
@given(json_values)
def test_any_json_value_is_judged_without_raising(value: Any) -> None:
    _check(value)


@SETTINGS
@given(field_records)
def test_real_field_names_with_any_values(value: dict[str, Any]) -> None:
    _check(value)


@SETTINGS
@given(structured_records)
def test_records_shaped_like_the_standard(value: dict[str, Any]) -> None:
    _check(value)


@settings(max_examples=50, deadline=None)
@given(records)
def test_validation_is_deterministic(value: Any) -> None:
    validator = VALIDATORS[0]
    first = validator.validate(value)
    second = validator.validate(value)
    assert first.findings == second.findings
    assert first.normalized == second.normalized
