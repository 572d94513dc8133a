"""Profiles: which fields a walidata requires, and how strictly.

A profile is a YAML file. Built-in profiles live in ``schemas/profiles/``
(``sdi-dasar``, ``sdi-statistik``); a user profile extends one of them (or
another user profile, by relative path) and may

- add ``required`` and ``recommended`` fields (dotted paths reach into objects:
  ``metadata_statistik.kegiatan``),
- narrow ``vocabularies`` (``level_penyajian: [kabupaten_kota, kecamatan]``),
- restrict ``kode_wilayah`` to regions ``within`` given codes (``["12.71"]``),
- change a rule's severity or switch it ``off`` under ``rules``,
- give the overdue check ``freshness.grace_days``.

Example (``medan.yaml``)::

    name: medan
    extends: sdi-dasar
    required: [kode_wilayah, kontak]
    kode_wilayah: {within: ["12.71"]}
    vocabularies: {level_penyajian: [kabupaten_kota, kecamatan, desa_kelurahan]}
    rules: {license.unknown: error, field.unknown: off}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from satudata_cli.core.errors import ProfileError
from satudata_cli.core.messages import M
from satudata_cli.core.paths import path_exists
from satudata_cli.standard.bundled import bundled_yaml
from satudata_cli.standard.findings import Message, Severity
from satudata_cli.standard.regions import region_exists, within
from satudata_cli.standard.ruleset import known_rule
from satudata_cli.standard.schema import Standard

RuleSetting = Literal["error", "warning", "info", "off"]


class _Bilingual(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    en: str


# Factories of empty defaults. Not the builtins list and dict: pydantic reads a factory's
# signature, and a builtin's is parsed by Python's tokenizer, whose first use costs every
# `satudata validate` about 3 ms (docs/benchmarks.md, start-up).
def _no_items() -> list[str]:
    return []


def _no_entries() -> dict[str, Any]:
    return {}


class _RegionRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    within: list[str] = Field(default_factory=_no_items)


class _Freshness(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grace_days: int = Field(default=0, ge=0, le=3660)


class ProfileFile(BaseModel):
    """A satudata profile: which fields a walidata requires, and how strictly.
    / Profil satudata: kolom yang diwajibkan walidata dan seberapa ketat."""

    model_config = ConfigDict(extra="forbid", title="satudata profile")
    name: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$",
        description="The profile's name, lower case. / Nama profil, huruf kecil.",
    )
    extends: str | None = Field(
        default=None,
        description="A built-in profile (sdi-dasar, sdi-statistik) or a profile file, "
        "relative to this one. / Profil bawaan atau berkas profil yang diperluas.",
    )
    title: _Bilingual | str | None = Field(
        default=None, description="Title, one text or {id, en}. / Judul profil."
    )
    description: _Bilingual | str | None = Field(
        default=None, description="Description, one text or {id, en}. / Keterangan profil."
    )
    required: list[str] = Field(
        default_factory=_no_items,
        description="Fields that must be filled (dotted paths reach into objects). / Kolom wajib.",
    )
    recommended: list[str] = Field(
        default_factory=_no_items, description="Fields that should be filled. / Kolom dianjurkan."
    )
    vocabularies: dict[str, list[str]] = Field(
        default_factory=_no_entries,
        description="Narrow a field's vocabulary to these values. / Persempit kosakata kolom.",
    )
    kode_wilayah: _RegionRule = Field(
        default_factory=_RegionRule,
        description="Kemendagri region codes the records must lie within. "
        "/ Kode wilayah Kemendagri yang diizinkan.",
    )
    rules: dict[str, RuleSetting] = Field(
        default_factory=_no_entries,
        description="Rule id -> error, warning, info or off. / Tingkat keparahan per aturan.",
    )
    freshness: _Freshness | None = Field(
        default=None, description="The overdue check. / Pemeriksaan keterlambatan."
    )

    @field_validator("rules", mode="before")
    @classmethod
    def _yaml_off(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted `off` as false: that is what the user wrote
        if isinstance(value, dict):
            return {k: ("off" if v is False else v) for k, v in value.items()}
        return value


@dataclass(frozen=True)
class Profile:
    """A resolved profile: its parents' settings merged in."""

    name: str
    title: Message
    description: Message
    origin: str
    chain: tuple[str, ...]
    required: tuple[str, ...]
    recommended: tuple[str, ...]
    vocabularies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    region_within: tuple[str, ...] = ()
    rules: Mapping[str, Severity | None] = field(default_factory=dict)
    grace_days: int = 0

    def severity(self, rule: str, default: Severity) -> Severity | None:
        """The severity a rule has under this profile; None when it is switched off."""
        return self.rules.get(rule, default)


BUILTIN_PROFILES = ("sdi-dasar", "sdi-statistik")


def _message(raw: _Bilingual | str | None, fallback: str) -> Message:
    if raw is None:
        return Message(id=fallback, en=fallback)
    if isinstance(raw, str):
        return Message(id=raw, en=raw)
    return Message(id=raw.id, en=raw.en)


def read_profile_file(path: Path) -> ProfileFile:
    """One profile file, read by the one configuration loader
    (:func:`~satudata_cli.core.configfile.parse_config_file`): every problem as
    ``FILE:LINE: key: message`` in one :class:`ProfileError`, including a key given
    twice and a key named like a secret (a profile holds no secrets)."""
    # the YAML loader, imported for a profile file only (a built-in one is bundled)
    from satudata_cli.core.configfile import parse_config_file, problems_message

    data, problems = parse_config_file(
        path, ProfileFile, what="profile", shape="name, extends, required", needs="name"
    )
    if data is None:
        raise ProfileError(problems_message(problems))
    return data


def profile_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a profile file, for editors; built from the model.

    ``rules`` also accepts ``false``: YAML 1.1 (PyYAML, and editors set to it) reads an
    unquoted ``off`` as false, which the loader takes as ``off``.
    ``schemas/profile.schema.json`` is this written out (a test keeps the two equal);
    regenerate it after changing :class:`ProfileFile` with::

        .venv/bin/python -c "import json; from satudata_cli.standard.profiles import \\
    profile_json_schema as s; open('schemas/profile.schema.json', 'w').write(\\
    json.dumps(s(), indent=2, ensure_ascii=False) + chr(10))"
    """
    schema = ProfileFile.model_json_schema()
    rules = schema["properties"]["rules"]
    rules["additionalProperties"] = {"anyOf": [rules["additionalProperties"], {"const": False}]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


class ProfileLoader:
    """Resolves profile names and files against a :class:`Standard`."""

    def __init__(self, standard: Standard) -> None:
        self.standard = standard

    def load(self, spec: str) -> Profile:
        """``spec`` is a built-in name or a path to a YAML file."""
        return self._load(spec, base=None, seen=())

    def _load(self, spec: str, base: Path | None, seen: tuple[str, ...]) -> Profile:
        builtin = spec in BUILTIN_PROFILES
        if builtin:
            path = self.standard.directory / "profiles" / f"{spec}.yaml"
            origin = spec
        else:
            path = Path(spec)
            if base is not None and not path.is_absolute():
                path = base / path
            if not path_exists(path):
                names = ", ".join(BUILTIN_PROFILES)
                raise ProfileError(M.err_unknown_profile.format(spec=repr(spec), names=names))
            origin = str(path)
        key = str(path.resolve())
        if key in seen:
            raise ProfileError(M.err_profile_loop.format(path=path))
        data = self._read_builtin(path) if builtin else read_profile_file(path)
        parent = (
            self._load(data.extends, base=path.parent, seen=(*seen, key)) if data.extends else None
        )
        return self._merge(data, parent, origin, path)

    def _read_builtin(self, path: Path) -> ProfileFile:
        """A built-in profile from its copy parsed ahead of time (standard/bundled.py)
        while the file is unchanged; else, and for any problem, as YAML."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return read_profile_file(path)  # says what is wrong, with the file name
        data = bundled_yaml(self.standard.directory, f"profiles/{path.name}", text)
        if data is None:
            return read_profile_file(path)
        try:
            return ProfileFile.model_validate(data)
        except ValidationError:
            return read_profile_file(path)  # the message with the file's lines

    def _check_field(self, dotted: str, path: Path) -> None:
        top = dotted.split(".", 1)[0]
        if top not in self.standard.fields:
            raise ProfileError(M.err_profile_field.format(path=path, field=repr(dotted)))

    def _merge(self, data: ProfileFile, parent: Profile | None, origin: str, path: Path) -> Profile:
        for name in (*data.required, *data.recommended):
            self._check_field(name, path)
        required = tuple(dict.fromkeys((*(parent.required if parent else ()), *data.required)))
        recommended = tuple(
            name
            for name in dict.fromkeys((*(parent.recommended if parent else ()), *data.recommended))
            if name not in required
        )
        vocabularies = dict(parent.vocabularies) if parent else {}
        for field_name, values in data.vocabularies.items():
            info = self.standard.fields.get(field_name)
            if info is None or info.vocabulary is None:
                raise ProfileError(
                    f"{path}: vocabularies: {field_name!r} is not a field with a vocabulary"
                )
            vocab = self.standard.vocabularies[info.vocabulary]
            canonical = []
            for value in values:
                match = vocab.match(value)
                if match.canonical is None:
                    known = ", ".join(vocab.values)
                    raise ProfileError(
                        f"{path}: vocabularies: {field_name}: {value!r} is not in the "
                        f"{vocab.name} vocabulary ({known})"
                    )
                canonical.append(match.canonical)
            previous = vocabularies.get(field_name)
            if previous is not None and not set(canonical) <= set(previous):
                raise ProfileError(
                    f"{path}: vocabularies: {field_name} may only narrow what "
                    f"{parent.name if parent else 'its parent'} allows ({', '.join(previous)})"
                )
            vocabularies[field_name] = tuple(dict.fromkeys(canonical))
        region_within = parent.region_within if parent else ()
        if data.kode_wilayah.within:
            for code in data.kode_wilayah.within:
                if not region_exists(code):
                    raise ProfileError(
                        f"{path}: kode_wilayah.within: {code!r} is not a Kemendagri region code"
                    )
                if region_within and not within(code, region_within):
                    raise ProfileError(
                        f"{path}: kode_wilayah.within: {code!r} lies outside the area of "
                        f"{parent.name if parent else 'its parent'} "
                        f"({', '.join(region_within)}); a profile may only narrow it"
                    )
            region_within = tuple(data.kode_wilayah.within)
        rules: dict[str, Severity | None] = dict(parent.rules) if parent else {}
        for rule, setting in data.rules.items():
            if not known_rule(rule):
                from satudata_cli.core.configfile import key_line_in_file

                line = key_line_in_file(path, ("rules", rule))
                raise ProfileError(
                    M.err_profile_rule.format(where=f"{path}:{line}", rule=repr(rule))
                )
            rules[rule] = None if setting == "off" else Severity(setting)
        grace = (
            data.freshness.grace_days if data.freshness else (parent.grace_days if parent else 0)
        )
        return Profile(
            name=data.name,
            title=_message(data.title, data.name),
            description=_message(data.description, ""),
            origin=origin,
            chain=((*parent.chain, data.name) if parent else (data.name,)),
            required=required,
            recommended=recommended,
            vocabularies=vocabularies,
            region_within=region_within,
            rules=rules,
            grace_days=grace,
        )
