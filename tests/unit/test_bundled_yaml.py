"""schemas/bundled-yaml.json: the bundled YAML files of the standard, parsed ahead of time
(satudata_cli/standard/bundled.py). The copy must be current, must give exactly what the
YAML gives, and must be ignored as soon as a file no longer has the text it was made from.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from satudata_cli.standard import bundled
from satudata_cli.standard.bundled import BUNDLE, SOURCES, build_bundle, bundled_yaml
from satudata_cli.standard.profiles import BUILTIN_PROFILES, ProfileLoader
from satudata_cli.standard.schema import build_standard, schemas_dir

REGENERATE = (
    "schemas/bundled-yaml.json is out of date; regenerate it: .venv/bin/python -c "
    '"from satudata_cli.standard.bundled import write_bundle; write_bundle()"'
)


def test_the_committed_copy_is_current() -> None:
    committed = json.loads((schemas_dir() / BUNDLE).read_text(encoding="utf-8"))
    assert committed == build_bundle(schemas_dir()), REGENERATE


def test_it_covers_the_vocabularies_and_every_built_in_profile() -> None:
    assert set(SOURCES) == {"vocabularies.yaml", *(f"profiles/{p}.yaml" for p in BUILTIN_PROFILES)}


@pytest.fixture
def yaml_only(tmp_path: Path) -> Path:
    """The schemas folder without the parsed copy: everything is read as YAML."""
    folder = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), folder)
    (folder / BUNDLE).unlink()
    return folder


def test_the_copy_gives_what_the_yaml_gives(yaml_only: Path) -> None:
    from_copy = build_standard(schemas_dir())
    from_yaml = build_standard(yaml_only)
    assert from_copy.vocabularies == from_yaml.vocabularies
    assert list(from_copy.vocabularies) == list(from_yaml.vocabularies)
    for name in BUILTIN_PROFILES:
        assert ProfileLoader(from_copy).load(name) == ProfileLoader(from_yaml).load(name)


def test_an_edited_file_is_read_as_yaml_again(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), folder)
    vocab = folder / "vocabularies.yaml"
    vocab.write_text(
        vocab.read_text(encoding="utf-8").replace(
            "variants: [daily, day,", "variants: [daily, day, sehari-hari,", 1
        ),
        encoding="utf-8",
    )
    profile = folder / "profiles" / "sdi-dasar.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("  - title\n", "  - title\n  - tahun\n", 1),
        encoding="utf-8",
    )
    bundled._bundle.cache_clear()
    standard = build_standard(folder)
    assert standard.vocabularies["frekuensi"].match("Sehari-hari").canonical == "harian"
    assert "tahun" in ProfileLoader(standard).load("sdi-dasar").required
    assert "tahun" not in ProfileLoader(build_standard(schemas_dir())).load("sdi-dasar").required


def test_the_lookup_wants_the_exact_text() -> None:
    text = (schemas_dir() / "vocabularies.yaml").read_text(encoding="utf-8")
    assert bundled_yaml(schemas_dir(), "vocabularies.yaml", text) is not None
    assert bundled_yaml(schemas_dir(), "vocabularies.yaml", text + "\n") is None
    assert bundled_yaml(schemas_dir(), "profiles/other.yaml", text) is None
