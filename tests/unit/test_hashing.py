"""Content hashes made with orjson are the hashes the standard library's encoder made
(satudata_cli/catalogue/hashing.py): a catalogue written before keeps its hashes, so a
re-harvest after the upgrade finds its datasets unchanged."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satudata_cli.catalogue import hashing
from satudata_cli.catalogue.errors import UnstorableRecordError
from satudata_cli.catalogue.hashing import canonical_json_and_hash


def _reference(record: Any) -> tuple[str, str]:
    """What satudata stored before orjson: the standard library's canonical JSON."""
    text = json.dumps(
        record,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=hashing._json_default,
    )
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT
    | st.dates()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_TEXT, _VALUES, max_size=6))
def test_same_text_and_hash_as_the_standard_encoder(record: dict[str, Any]) -> None:
    assert canonical_json_and_hash(record) == _reference(record)


@pytest.mark.parametrize(
    "value",
    [
        1e-07,  # orjson alone: 1e-7
        2.5e-05,  # orjson alone: 0.000025
        1e16,
        -0.0,
        None,
        2**64 + 1,  # past orjson's 64 bits
        "a:1.5 null [2e3",  # look like floats and nulls inside a string
        '\x00\x1f\x7f\u2028é\U0001f600"\\/',
        dt.datetime(2026, 5, 1, 2, 0, 1, 5, tzinfo=dt.UTC),
        dt.date(2026, 5, 1),
        dt.time(7, 30),
        decimal.Decimal("1.10"),
        {"b", "a"},
        ("x", 1),
        {1: "a key that is not a string"},
    ],
)
def test_values_where_orjson_alone_would_differ(value: Any) -> None:
    record = {"value": value, "nested": [{"z": value, "a": 1}]}
    assert canonical_json_and_hash(record) == _reference(record)


def test_a_plain_record_does_not_need_the_standard_encoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Refuse(json.JSONEncoder):
        def encode(self, o: Any) -> str:
            raise AssertionError("the standard library's encoder was used")

    monkeypatch.setattr(hashing, "_CANONICAL", Refuse())
    record = {
        "title": "Jumlah Penduduk Kota Medan 2025",
        "tags": ["kependudukan", "kota-medan"],
        "tahun": 2025,
        "valid": True,
        "resources": [
            {
                "url": "https://data.pemkomedan.go.id/a.csv",
                "format": "csv",
                "last_modified": "2023-12-10T11:49:47.000000",  # no float, no null
            }
        ],
    }
    assert canonical_json_and_hash(record) == _reference(record)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "\ud800", b"bytes", object()])
def test_values_with_no_json_form_are_still_refused(bad: Any) -> None:
    with pytest.raises(UnstorableRecordError):
        canonical_json_and_hash({"ok": 1, "bad": [bad]})
