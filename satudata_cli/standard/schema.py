"""The standard as data: JSON Schemas, vocabularies and the field table.

``load_standard()`` reads ``schemas/`` once per process and returns a
:class:`Standard`; everything that validates, maps or documents fields reads
from it, so the schema files stay the single source of field names, labels,
kinds and vocabularies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from satudata_cli.core.errors import StandardError
from satudata_cli.standard.findings import Message
from satudata_cli.standard.vocabularies import Vocabulary, parse_vocabularies

DATASET_SCHEMA = "satudata-dataset.schema.json"
MS_SCHEMAS = ("ms-kegiatan.schema.json", "ms-variabel.schema.json", "ms-indikator.schema.json")
#: The schemas of the configuration files, by kind, for editors (``schema export --config``);
#: each is its model written out, and a test keeps them equal.
CONFIG_SCHEMAS = {
    "source": "harvest-config.schema.json",
    "target": "publish-target.schema.json",
    "profile": "profile.schema.json",
}

_LABEL_FOLD = re.compile(r"[^0-9a-z]+")


def fold_label(label: str) -> str:
    """Header matching key: lower-case letters and digits only.

    ``Produsen Data`` -> ``produsendata``.
    """
    return _LABEL_FOLD.sub("", label.lower())


def schemas_dir() -> Path:
    """Where the standard's files are: inside the installed wheel, else the source tree."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_schemas", package.parent / "schemas"):
        if (candidate / DATASET_SCHEMA).is_file():
            return candidate
    raise StandardError(f"the schemas folder of satudata was not found next to {package}")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StandardError(f"{path.name}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise StandardError(f"{path.name}: the top level must be an object")
    return data


def config_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a kind of configuration file (a key of :data:`CONFIG_SCHEMAS`),
    read from the schemas folder in use (the wheel's own when installed)."""
    name = CONFIG_SCHEMAS.get(kind)
    if name is None:
        raise StandardError(
            f"unknown kind of configuration file {kind!r} ({', '.join(CONFIG_SCHEMAS)})"
        )
    return _read_json(schemas_dir() / name)


@dataclass(frozen=True)
class FieldInfo:
    """One top-level field of the dataset schema, as the tools need it."""

    name: str
    types: tuple[str, ...]
    title: Message
    description: Message
    source: str
    labels: tuple[str, ...]
    vocabulary: str | None
    kind: str | None
    item_types: tuple[str, ...]

    @property
    def is_array(self) -> bool:
        return self.types == ("array",)


def _types(spec: Mapping[str, Any]) -> tuple[str, ...]:
    raw = spec.get("type", ())
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(t) for t in raw)


def _bilingual(spec: Mapping[str, Any], key: str, fallback: str) -> Message:
    raw = spec.get(key)
    if isinstance(raw, Mapping):
        return Message(id=str(raw.get("id", fallback)), en=str(raw.get("en", fallback)))
    return Message(id=fallback, en=fallback)


@dataclass(frozen=True, eq=False)
class Standard:
    """Everything loaded from ``schemas/``; build once and share."""

    directory: Path
    dataset_schema: Mapping[str, Any]
    ms_schemas: Mapping[str, Mapping[str, Any]]
    vocabularies: Mapping[str, Vocabulary]
    fields: Mapping[str, FieldInfo]
    label_index: Mapping[str, str]

    def field_for_label(self, label: str) -> str | None:
        return self.label_index.get(fold_label(label))

    @cached_property
    def vocabulary_fields(self) -> tuple[tuple[str, Vocabulary], ...]:
        """The fields with a controlled vocabulary (a handful of the ~35), with it."""
        return tuple(
            (n, self.vocabularies[f.vocabulary])
            for n, f in self.fields.items()
            if f.vocabulary is not None
        )


def build_standard(directory: Path) -> Standard:
    dataset = _read_json(directory / DATASET_SCHEMA)
    ms = {}
    for name in MS_SCHEMAS:
        schema = _read_json(directory / name)
        schema_id = schema.get("$id")
        if not isinstance(schema_id, str):
            raise StandardError(f"{name}: needs an $id")
        ms[schema_id] = schema
    try:
        vocab_data = yaml.safe_load((directory / "vocabularies.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StandardError(f"vocabularies.yaml: cannot be read: {exc}") from exc
    vocabularies = parse_vocabularies(vocab_data)

    properties = dataset.get("properties")
    if not isinstance(properties, Mapping):
        raise StandardError(f"{DATASET_SCHEMA}: has no properties")
    fields: dict[str, FieldInfo] = {}
    label_index: dict[str, str] = {}
    for name, spec in properties.items():
        vocabulary = spec.get("x-vocabulary")
        if vocabulary is not None and vocabulary not in vocabularies:
            raise StandardError(f"{DATASET_SCHEMA}: {name}: unknown vocabulary {vocabulary!r}")
        items = spec.get("items", {})
        info = FieldInfo(
            name=name,
            types=_types(spec),
            title=_bilingual(spec, "x-title", name),
            description=_bilingual(spec, "x-description", str(spec.get("description", ""))),
            source=str(spec.get("x-source", "")),
            labels=tuple(str(label) for label in spec.get("x-labels", ())),
            vocabulary=vocabulary,
            kind=spec.get("x-kind"),
            item_types=_types(items) if isinstance(items, Mapping) else (),
        )
        fields[name] = info
        for label in (name, *info.labels):
            key = fold_label(label)
            other = label_index.setdefault(key, name)
            if other != name:
                raise StandardError(
                    f"{DATASET_SCHEMA}: the label {label!r} is used by {other} and {name}"
                )
    return Standard(
        directory=directory,
        dataset_schema=dataset,
        ms_schemas=ms,
        vocabularies=vocabularies,
        fields=fields,
        label_index=label_index,
    )


@cache
def load_standard() -> Standard:
    """The bundled standard, loaded once per process."""
    return build_standard(schemas_dir())
