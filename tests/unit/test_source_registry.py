"""The source registry: one SourceSpec per type, and everything derived from it."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, get_args

import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
from pydantic import BaseModel, ValidationError

from satudata_cli.core.http import HttpClient
from satudata_cli.pipeline.harvest import default_source_factory, open_http, source_is_incremental
from satudata_cli.sources import registry
from satudata_cli.sources.base import SourceError, SourceNotSupported, SourceSpec
from satudata_cli.sources.config import SOURCE_TYPES, SourceConfig, config_json_schema
from satudata_cli.standard.validator import Validator

SPECS = registry.SOURCE_SPECS
IDS = [spec.name for spec in SPECS]
#: Blocks every source may have; the other model-typed fields are the types' blocks.
COMMON_BLOCKS = {"filters", "http", "withdraw"}
URL = "https://data.contoh.go.id/katalog"
JSONAPI_BLOCK = {"records": "data", "id": "id", "fields": {"title": "judul"}}


def _fields(spec: SourceSpec, **location: Any) -> dict[str, Any]:
    """The smallest source of this type, with the given url and/or path."""
    data: dict[str, Any] = {"id": "contoh", "type": spec.name, **location}
    if spec.settings_required:
        data[spec.name] = JSONAPI_BLOCK if spec.name == "jsonapi" else {}
    return data


def _a_valid_source(spec: SourceSpec, tmp_path: Path) -> SourceConfig:
    where = {"url": URL} if spec.location != "path" else {"path": str(tmp_path)}
    return SourceConfig.model_validate(_fields(spec, **where))


def _loads(data: dict[str, Any]) -> bool:
    try:
        SourceConfig.model_validate(data)
    except ValidationError:
        return False
    return True


# -- the registration list -------------------------------------------------------------


def test_names_are_unique_and_are_the_configurable_types() -> None:
    assert len(set(IDS)) == len(IDS)
    assert SOURCE_TYPES == registry.source_names() == tuple(IDS)
    type_field = SourceConfig.model_fields["type"].annotation
    assert get_args(type_field) == tuple(IDS)


def test_the_config_has_one_block_per_type_with_settings() -> None:
    blocks = {}
    for name, info in SourceConfig.model_fields.items():
        models = [a for a in get_args(info.annotation) if isinstance(a, type)]
        if name not in COMMON_BLOCKS and any(issubclass(m, BaseModel) for m in models):
            blocks[name] = info
    with_settings = {spec.name: spec for spec in SPECS if spec.settings is not None}
    assert set(blocks) == set(with_settings)
    for name, info in blocks.items():
        spec = with_settings[name]
        assert info.annotation == (spec.settings | None), name
        assert info.default is None
        assert info.description == spec.settings_summary
        assert spec.settings_summary, name


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_each_spec_lives_next_to_its_source(spec: SourceSpec) -> None:
    """One module per type ends with its SPEC; the registry only lists them."""
    module = importlib.import_module(f"satudata_cli.sources.{spec.name}")
    assert module.SPEC is spec
    assert spec.build.__module__ == module.__name__
    if spec.settings is not None:
        assert spec.settings.__module__ == module.__name__


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_the_field_docs_name_every_type(spec: SourceSpec) -> None:
    fields = SourceConfig.model_fields
    assert f"{spec.name} ({spec.summary})" in str(fields["type"].description)
    if spec.location != "path":
        assert spec.name in str(fields["url"].description)
    if spec.location != "url":
        assert spec.path_means
        assert spec.name in str(fields["path"].description)


# -- location rules: the loader and the JSON Schema agree with the spec ------------------


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@pytest.mark.parametrize("given", ["url", "path", "both", "neither"])
def test_location_rules_follow_the_spec(spec: SourceSpec, given: str) -> None:
    location = {
        "url": {"url": URL},
        "path": {"path": "data"},
        "both": {"url": URL, "path": "data"},
        "neither": {},
    }[given]
    allowed = {"url": {"url"}, "path": {"path"}, "url_or_path": {"url", "path"}}[spec.location]
    data = _fields(spec, **location)
    expected = given in allowed
    assert _loads(data) is expected
    schema_valid = jsonschema.Draft202012Validator(config_json_schema()).is_valid(data)
    assert schema_valid is expected


def test_dcat_takes_a_path_in_the_json_schema_too() -> None:
    """The schema once said dcat requires url; it reads a local file as well."""
    validator = jsonschema.Draft202012Validator(config_json_schema())
    assert validator.is_valid({"id": "dcat-lokal", "type": "dcat", "path": "katalog.ttl"})
    assert "dcat" not in str(SourceConfig.model_fields["url"].description).split(";")[1]


@pytest.mark.parametrize("spec", [s for s in SPECS if s.settings_required], ids=lambda s: s.name)
def test_a_required_block_is_required(spec: SourceSpec) -> None:
    data = _fields(spec, url=URL)
    del data[spec.name]
    assert not _loads(data)
    assert not jsonschema.Draft202012Validator(config_json_schema()).is_valid(data)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.settings is not None], ids=lambda s: s.name)
def test_a_block_is_refused_for_another_type(spec: SourceSpec, tmp_path: Path) -> None:
    other = next(s for s in SPECS if s.name != spec.name and not s.settings_required)
    data = _fields(other, **({"path": "data"} if other.location == "path" else {"url": URL}))
    data[spec.name] = JSONAPI_BLOCK if spec.name == "jsonapi" else {}
    with pytest.raises(ValidationError, match=f"only used by type {spec.name}"):
        SourceConfig.model_validate(data)


# -- the factory, incremental passes and HTTP ------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_the_factory_builds_each_type(spec: SourceSpec, tmp_path: Path) -> None:
    config = _a_valid_source(spec, tmp_path)
    with HttpClient(config.http) as http:
        source = default_source_factory(config, Validator(), http)
    assert type(source).incremental is spec.incremental
    assert source_is_incremental(config) is spec.incremental
    assert registry.is_incremental(config) is spec.incremental


def test_only_ckan_is_incremental() -> None:
    assert [spec.name for spec in SPECS if spec.incremental] == ["ckan"]


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_http_is_opened_only_for_a_url(spec: SourceSpec, tmp_path: Path) -> None:
    config = _a_valid_source(spec, tmp_path)
    assert registry.needs_http(config) is (config.url is not None)
    http = open_http(config)
    try:
        assert (http is not None) is (config.url is not None)
    finally:
        if http is not None:
            http.close()
    if spec.location == "url_or_path":
        local = SourceConfig.model_validate(_fields(spec, path=str(tmp_path / "x")))
        assert not registry.needs_http(local)
        assert open_http(local) is None


@pytest.mark.parametrize("spec", [s for s in SPECS if s.location == "url"], ids=lambda s: s.name)
def test_a_url_type_is_not_built_without_http(spec: SourceSpec, tmp_path: Path) -> None:
    config = _a_valid_source(spec, tmp_path)
    with pytest.raises(SourceError, match="no HTTP client"):
        registry.build_source(config, Validator(), None)


def test_an_unregistered_type_is_not_supported(tmp_path: Path) -> None:
    config = SourceConfig.model_construct(id="baru", type="sparql", url=URL, path=None)
    with pytest.raises(SourceNotSupported, match=r"type 'sparql' is not supported.*ckan"):
        registry.build_source(config, Validator(), None)
    assert registry.spec_for("sparql") is None
    assert not registry.is_incremental(config)
    assert registry.needs_http(config)


def test_the_dcat_reader_is_imported_only_when_a_dcat_source_is_built() -> None:
    """The registry and the source configuration do not pay for rdflib and pyoxigraph
    (about 28 ms of every command's start-up); the spec agrees with the reader."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "import satudata_cli.sources.registry, satudata_cli.sources.config\n"
        "import satudata_cli.pipeline.harvest\n"
        "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'satudata_cli.sources.dcat_reader')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"

    from satudata_cli.sources import dcat
    from satudata_cli.sources.dcat_reader import DcatSource

    assert dcat.SPEC.incremental == DcatSource.incremental
