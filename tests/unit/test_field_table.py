"""docs/field-table.md is the field table of the code (satudata_cli/exports/fields.py),
and every limit the table lists has its normalisation in the round-trip suite."""

from __future__ import annotations

from pathlib import Path

from satudata_cli.exports.fields import FORMATS, LIMITS, carriage, render
from satudata_cli.standard.schema import load_standard

ROOT = Path(__file__).resolve().parents[2]
SUITE = (
    ROOT / "tests" / "integration" / "test_roundtrip.py",
    ROOT / "tests" / "e2e" / "test_roundtrip_ckan.py",
)


def test_the_document_is_the_table() -> None:
    document = (ROOT / "docs" / "field-table.md").read_text(encoding="utf-8")
    assert document == render(), (
        "docs/field-table.md differs from satudata_cli/exports/fields.py: regenerate it "
        "(the command is in the module's docstring)"
    )


def test_every_field_of_the_standard_has_a_row_for_every_format() -> None:
    document = render()
    for field in load_standard().fields:
        assert f"| `{field}` |" in document
        for fmt in FORMATS:
            assert carriage(field, fmt).how


def test_every_limit_is_normalised_by_the_round_trip_suite() -> None:
    suite = "\n".join(path.read_text(encoding="utf-8") for path in SUITE)
    for limit in LIMITS:
        assert set(limit.formats) <= set(FORMATS)
        assert f'"{limit.id}":' in suite, f"no normalisation of {limit.id} in the suite"


def test_the_readme_links_the_table() -> None:
    assert "docs/field-table.md" in (ROOT / "README.md").read_text(encoding="utf-8")
