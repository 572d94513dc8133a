"""Source configuration: one YAML file per *sumber* (source) in ``harvest_configs/``.

Each ``*.yaml`` / ``*.yml`` file directly inside the configuration folder describes
one source to harvest; sub-folders (``data/``, ``targets/``, ``examples/``) are not
sources. Example::

    id: medan-contoh
    title: Contoh metadata Kota Medan
    type: directory                  # ckan | directory | dcat | datajson | spreadsheet | jsonapi
    path: data/medan                 # relative to this file's folder
    organization: Pemerintah Kota Medan
    pilar: sektoral                  # sektoral | kependudukan | layanan_publik
    pilar_by_organization:           # per agency, before pilar (the record's own wins)
      Dinas Kependudukan dan Pencatatan Sipil Kota Medan: kependudukan
    defaults:
      walidata: Dinas Komunikasi dan Informatika Kota Medan
      kode_wilayah: "12.71"          # quoted: unquoted 12.71 is a number in YAML
    schedule: daily

The file is read by the one configuration loader,
:func:`satudata_cli.core.configfile.parse_config_file`: unknown keys are refused, and
every problem is reported as ``FILE:LINE: key.path: what is wrong``, all problems of
all files at once, as one :class:`ConfigError` (the CLI exits 2). Secrets never live in
these files: a key named ``token``, ``api_key``, ``password``, ``secret`` (and similar)
anywhere in a file is refused; ``token_env`` names the environment variable that holds
the token, and :meth:`SourceConfig.resolve_token` reads it.

This module holds the part common to every type. What differs per type (the ``type``
values, whether it reads a ``url``, a ``path`` or either, its own settings block such
as ``jsonapi:``, required or optional) is read from the registry
(:mod:`satudata_cli.sources.registry`); each block's model lives next to its source's
code. A block given for another type is refused.

``schemas/harvest-config.schema.json`` is :func:`config_json_schema` written out (a
test keeps the two equal). After changing a model here, regenerate it with::

    .venv/bin/python -c "import json; from satudata_cli.sources.config import \\
config_json_schema as s; open('schemas/harvest-config.schema.json', 'w').write(\\
json.dumps(s(), indent=2, ensure_ascii=False) + chr(10))"
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from satudata_cli.core.configfile import (
    ENV_VAR_HELP,
    ConfigError,
    ConfigValueError,
    KeyedValueError,
    parse_config_file,
    parse_config_folder,
    resolve_relative,
    secret_query_names,
)
from satudata_cli.core.http import HttpSettings
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.core.paths import is_dir, path_exists
from satudata_cli.sources.base import SourceSpec
from satudata_cli.sources.dcat import DcatSettings
from satudata_cli.sources.jsonapi import JsonApiSettings, templates_in
from satudata_cli.sources.mapping import organization_key
from satudata_cli.sources.registry import SOURCE_SPECS, source_names, spec_for
from satudata_cli.sources.spreadsheet import SpreadsheetSettings

__all__ = [
    "SCHEDULES",
    "SOURCE_TYPES",
    "ConfigError",
    "Filters",
    "Schedule",
    "SourceConfig",
    "SourceType",
    "WithdrawSettings",
    "config_json_schema",
    "load_source",
    "load_sources",
]

#: The ``type:`` values, read from the registry (:mod:`satudata_cli.sources.registry`).
SOURCE_TYPES: tuple[str, ...] = source_names()
if TYPE_CHECKING:
    SourceType = str
else:
    SourceType = Literal[SOURCE_TYPES]
Schedule = Literal["manual", "hourly", "daily", "weekly", "monthly"]
#: The three pillars of Medan Satu Data: the canonical values of the ``pilar``
#: vocabulary (schemas/vocabularies.yaml; a test keeps the two equal).
Pilar = Literal["sektoral", "kependudukan", "layanan_publik"]
PILARS: tuple[str, ...] = get_args(Pilar)
SCHEDULES: tuple[str, ...] = get_args(Schedule)

_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_ENV_PATTERN = r"^[A-Z_][A-Z0-9_]*$"
_DELAY_PATTERN = r"^ *[1-9][0-9]{0,5} *[mhdw] *$"
_DELAY_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _names(specs: list[SourceSpec], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (``dan`` in Indonesian)."""
    names = [spec.name for spec in specs]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def _located(location: str) -> list[SourceSpec]:
    return [spec for spec in SOURCE_SPECS if spec.location == location]


def _type_help() -> str:
    kinds = ", ".join(f"{spec.name} ({spec.summary})" for spec in SOURCE_SPECS)
    return f"Kind of source: {kinds}. / Jenis sumber."


def _url_help() -> str:
    only, either = _located("url"), _located("url_or_path")
    return (
        f"Address of the portal or document (http or https); required for {_names(only)}; "
        f"{_names(either)} take url or path. / Alamat portal atau dokumen; wajib untuk "
        f"{_names(only, 'dan')}; {_names(either, 'dan')} memakai url atau path."
    )


def _path_help() -> str:
    means: dict[str, list[str]] = {}
    for spec in SOURCE_SPECS:
        if spec.location != "url":
            means.setdefault(spec.path_means, []).append(spec.name)
    kinds = "; ".join(f"{what} for {', '.join(names)}" for what, names in means.items())
    return (
        f"What to read on disk, relative to this file's folder: {kinds}. / Folder atau "
        "berkas yang dibaca, relatif terhadap folder berkas ini."
    )


def _block_help(name: str) -> str:
    spec = spec_for(name)
    assert spec is not None and spec.settings is not None, name
    return spec.settings_summary


class Filters(BaseModel):
    """Which of the source's datasets to harvest."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Filters",
        json_schema_extra={
            "description": (
                "Harvest only some of the source's datasets. / Hanya panen sebagian dataset sumber."
            )
        },
    )

    organizations: list[str] = Field(
        default_factory=list,
        description=(
            "Only datasets of these organizations (CKAN organization names). / "
            "Hanya dataset milik organisasi (perangkat daerah) ini."
        ),
    )
    tags: list[str] = Field(
        default_factory=list,
        description="Only datasets with one of these tags. / Hanya dataset dengan tag ini.",
    )
    query: str | None = Field(
        default=None,
        description=(
            "Free-text search passed to the source (CKAN q). / "
            "Kata kunci pencarian yang diteruskan ke sumber."
        ),
    )

    @field_validator("organizations", "tags")
    @classmethod
    def _no_empty(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ConfigValueError(M.cfg_empty_entry)
        return [v.strip() for v in values]


class WithdrawSettings(BaseModel):
    """When datasets missing from the source are marked withdrawn."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Withdrawal",
        json_schema_extra={
            "description": (
                "When a dataset missing from a complete harvest is marked withdrawn "
                "(nothing is ever deleted). / Kapan dataset yang hilang dari sumber "
                "ditandai ditarik (tidak pernah dihapus)."
            )
        },
    )

    grace_days: int = Field(
        default=7,
        ge=0,
        le=3660,
        description=(
            "Days a dataset may be missing before it is withdrawn. / "
            "Jumlah hari dataset boleh hilang sebelum ditandai ditarik."
        ),
    )
    max_fraction: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description=(
            "If more than this fraction of the active datasets would be withdrawn in one "
            "run, none are (protects against an outage returning an empty list). / "
            "Jika lebih dari porsi ini akan ditarik sekaligus, tidak ada yang ditarik."
        ),
    )
    full_pass_days: int = Field(
        default=7,
        ge=0,
        le=366,
        description=(
            "For sources harvested incrementally (CKAN): make a complete pass, which may "
            "withdraw, when the last complete pass is older than this many days (0: only "
            "with --full). / Untuk sumber yang dipanen bertahap: lakukan panen lengkap bila "
            "panen lengkap terakhir lebih tua dari sekian hari (0: hanya dengan --full)."
        ),
    )


def _canonical_pilar(value: Any) -> Any:
    """A pillar written as a variant of the vocabulary (``Data Kependudukan``,
    ``layanan publik``) as its canonical value; anything else as it is (the model's
    choices then refuse it)."""
    if not isinstance(value, str):
        return value
    from satudata_cli.standard.schema import load_standard

    canonical = load_standard().vocabularies["pilar"].match(value).canonical
    return canonical if canonical is not None else value


def _jsonable(value: Any) -> Any:
    """YAML values made JSON-like: dates as ISO strings, keys as strings."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


class SourceConfig(BaseModel):
    """One source (*sumber*) to harvest, as written in ``harvest_configs/<id>.yaml``."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="satudata harvest source",
        json_schema_extra={
            "description": (
                "One source of dataset metadata for `satudata harvest`, one YAML file per "
                "source in harvest_configs/. / Satu sumber metadata dataset untuk "
                "`satudata harvest`, satu berkas YAML per sumber di harvest_configs/."
            ),
        },
    )

    id: str = Field(
        pattern=_ID_PATTERN,
        description=(
            "Stable identifier of the source: lower-case letters, digits, - and _; unique "
            "across files. / Pengenal sumber yang tetap: huruf kecil, angka, - dan _; unik."
        ),
    )
    title: str | None = Field(
        default=None,
        min_length=1,
        description="Human name of the source. / Nama sumber untuk manusia.",
    )
    type: SourceType = Field(description=_type_help())
    url: str | None = Field(default=None, description=_url_help())
    path: Path | None = Field(default=None, description=_path_help())
    organization: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Default owner for datasets that name none (e.g. Pemerintah Kota Medan). / "
            "Organisasi pemilik bawaan bila dataset tidak menyebutkannya."
        ),
    )
    pilar: Pilar | None = Field(
        default=None,
        description=(
            "Medan Satu Data pillar of the source's datasets that name none: sektoral "
            "(Data Sektoral Pemerintah), kependudukan (Data Kependudukan) or layanan_publik "
            "(Data Layanan Publik); pilar_by_organization and the record's own pilar win. "
            "/ Pilar Medan Satu Data bawaan untuk dataset sumber ini yang tidak "
            "menyebutkannya; pilar_by_organization dan pilar rekaman sendiri lebih diutamakan."
        ),
    )
    pilar_by_organization: dict[str, Pilar] = Field(
        default_factory=dict,
        description=(
            "Organization (perangkat daerah) name -> its pillar, for the datasets that name "
            "no pilar (names matched ignoring case and extra blanks; before the source's "
            "pilar). / Nama organisasi (perangkat daerah) -> pilarnya, untuk dataset yang "
            "tidak menyebutkan pilar (huruf besar/kecil diabaikan; sebelum pilar sumber)."
        ),
    )
    filters: Filters = Field(default_factory=Filters)
    defaults: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Values for Satu Data fields the source lacks (produsen_data, walidata, "
            "kode_wilayah, ...); a value in the record wins. / Nilai bawaan untuk kolom "
            "Satu Data yang tidak ada di sumber."
        ),
    )
    mapping: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Source field (top-level key or extra) -> Satu Data field, e.g. "
            "frekuensi_penerbitan: jadwal_pemutakhiran. / Pemetaan kolom sumber ke kolom "
            "Satu Data."
        ),
    )
    http: HttpSettings = Field(default_factory=HttpSettings)
    schedule: Schedule = Field(
        default="manual",
        description=(
            "How often the source should be harvested (manual, hourly, daily, weekly, "
            "monthly). / Seberapa sering sumber dipanen."
        ),
    )
    schedule_retry: str = Field(
        default="1h",
        pattern=_DELAY_PATTERN,
        description=(
            "After a failed or interrupted harvest, the source is due again after this "
            "delay (a number and m, h, d or w: 30m, 1h, 2d), doubled with each failure "
            "in a row, at most the schedule's period. / Setelah panen gagal atau terhenti, "
            "sumber dipanen lagi setelah jeda ini (30m, 1h, 2d), dua kali lipat pada "
            "setiap kegagalan berturut-turut, paling lama satu periode jadwal."
        ),
    )
    withdraw: WithdrawSettings = Field(default_factory=WithdrawSettings)
    job_deadline: float = Field(
        default=21600.0,
        gt=0,
        le=604800,
        description=(
            "Most seconds one harvest job of this source may run (default 6 hours): past "
            "it the job stops as failed, keeping what it read and withdrawing nothing. / "
            "Batas waktu satu pekerjaan panen sumber ini, dalam detik; lewat batas, "
            "pekerjaan berhenti sebagai gagal tanpa menarik dataset."
        ),
    )
    profile: str | None = Field(
        default=None,
        description=(
            "Validation profile: a built-in name (sdi-dasar, sdi-statistik) or a YAML "
            "file relative to this file's folder. / Profil validasi: nama bawaan atau "
            "berkas YAML."
        ),
    )
    token_env: str | None = Field(
        default=None,
        pattern=_ENV_PATTERN,
        description=(
            "Name of the environment variable holding the API token (never the token "
            "itself). / Nama variabel lingkungan yang berisi token API (bukan tokennya)."
        ),
    )
    plan: Path | None = Field(
        default=None,
        description=(
            "The Daftar Data of the agencies of this source (CSV, TSV or XLSX: agency, "
            "title, frequency, optionally year and dataset id), relative to this file's "
            "folder: `satudata report site` shows its realisasi (planned vs published). "
            "/ Daftar Data perangkat daerah sumber ini (CSV, TSV atau XLSX), relatif "
            "terhadap folder berkas ini: `satudata report site` menampilkan realisasinya."
        ),
    )

    # one optional block per type with settings, named like the type (a test checks
    # these fields against the registry)
    spreadsheet: SpreadsheetSettings | None = Field(
        default=None, description=_block_help("spreadsheet")
    )
    dcat: DcatSettings | None = Field(default=None, description=_block_help("dcat"))
    jsonapi: JsonApiSettings | None = Field(default=None, description=_block_help("jsonapi"))

    _file: Path | None = PrivateAttr(default=None)

    @property
    def file(self) -> Path | None:
        """The configuration file this source was read from (None when built in code)."""
        return self._file

    @property
    def retry_delay(self) -> dt.timedelta:
        """``schedule_retry`` as a duration (the first retry after a failure)."""
        text = self.schedule_retry.replace(" ", "")
        return dt.timedelta(**{_DELAY_UNITS[text[-1]]: int(text[:-1])})

    @property
    def label(self) -> str:
        """The title, or the id when there is none."""
        return self.title or self.id

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigValueError(M.cfg_not_http)
        if parts.username is not None or parts.password is not None:
            raise ConfigValueError(M.cfg_url_userinfo.format(help=ENV_VAR_HELP))
        if secret_query_names(value):
            raise ConfigValueError(M.cfg_url_secret_query.format(help=ENV_VAR_HELP))
        return value.rstrip("/") if not parts.query else value

    @field_validator("path", "plan")
    @classmethod
    def _resolve_path(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return None if value is None else resolve_relative(value, info)

    @field_validator("profile")
    @classmethod
    def _resolve_profile(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ConfigValueError(M.cfg_is_empty)
        if value.lower().endswith((".yaml", ".yml")) or "/" in value or os.sep in value:
            return str(resolve_relative(Path(value), info))
        return value

    @field_validator("pilar", mode="before")
    @classmethod
    def _pilar_canonical(cls, value: Any) -> Any:
        return _canonical_pilar(value)

    @field_validator("pilar_by_organization", mode="before")
    @classmethod
    def _pilar_map(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        seen: dict[str, str] = {}
        out: dict[str, Any] = {}
        for name, pilar in value.items():
            key = organization_key(str(name))
            if not key:
                raise ConfigValueError(M.cfg_empty_entry)
            if key in seen:
                raise KeyedValueError(
                    str(name), M.cfg_pilar_same_organization.format(other=seen[key])
                )
            seen[key] = str(name)
            out[str(name)] = _canonical_pilar(pilar)
        return out

    @cached_property
    def pilar_organizations(self) -> Mapping[str, str]:
        """``pilar_by_organization`` keyed for matching (:func:`organization_key`); made
        once (read for every record of a harvest)."""
        return {organization_key(k): v for k, v in self.pilar_by_organization.items()}

    @field_validator("defaults", mode="before")
    @classmethod
    def _defaults_jsonable(cls, value: Any) -> Any:
        if isinstance(value, dict):
            if "pilar" in value:
                raise KeyedValueError("pilar", M.cfg_pilar_in_defaults)
            code = value.get("kode_wilayah")
            if isinstance(code, int | float) and not isinstance(code, bool):
                raise KeyedValueError(
                    "kode_wilayah",
                    'must be quoted text, e.g. kode_wilayah: "12.71" (unquoted, YAML reads '
                    "a number and drops zeros: 12.10 becomes 12.1)",
                )
        return _jsonable(value)

    @field_validator("mapping")
    @classmethod
    def _mapping_names(cls, value: dict[str, str]) -> dict[str, str]:
        for source, target in value.items():
            if not source.strip() or not target.strip():
                raise KeyedValueError(str(source), M.cfg_mapping_empty)
        return value

    @model_validator(mode="after")
    def _location(self) -> SourceConfig:
        """The registry's location and settings-block rules of the type."""
        spec = spec_for(self.type)
        assert spec is not None  # the type is one of the registered names
        kind = self.type
        if spec.location == "url":
            if self.url is None:
                raise KeyedValueError(
                    "url", M.cfg_required_for_type.format(kind=kind), anchor="type"
                )
            if self.path is not None:
                raise KeyedValueError("path", M.cfg_path_not_used.format(kind=kind))
        elif spec.location == "path":
            if self.path is None:
                required = M.cfg_required_for_type.format(kind=kind) + f" ({spec.path_means})"
                raise KeyedValueError("path", required, anchor="type")
            if self.url is not None:
                raise KeyedValueError("url", M.cfg_url_not_used.format(kind=kind))
        elif self.url is None and self.path is None:
            raise KeyedValueError("url", M.cfg_needs_url_or_path.format(kind=kind), anchor="type")
        elif self.url is not None and self.path is not None:
            raise KeyedValueError("path", M.cfg_url_and_path.format(kind=kind))
        if spec.settings_required and getattr(self, kind) is None:
            required = M.cfg_required_for_type.format(kind=kind) + f" ({spec.settings_hint})"
            raise KeyedValueError(kind, required, anchor="type")
        if (
            self.jsonapi is not None
            and "token" in templates_in(self.jsonapi.body)
            and self.token_env is None
        ):
            raise KeyedValueError("token_env", M.cfg_body_token_needs_env)
        for block in SOURCE_SPECS:
            given = block.settings is not None and getattr(self, block.name) is not None
            if given and block.name != kind:
                raise KeyedValueError(
                    block.name, M.cfg_block_other_type.format(block=block.name, kind=kind)
                )
        return self

    def resolve_token(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The API token from the environment variable named by ``token_env``.

        None when the source has no ``token_env``. A variable that is unset or empty is a
        :class:`ConfigError` naming the variable (never a value).
        """
        if self.token_env is None:
            return None
        env = os.environ if environ is None else environ
        value = env.get(self.token_env, "").strip()
        if not value:
            where = M.cfg_token_where.format(file=self._file) if self._file else ""
            raise ConfigError(
                M.cfg_token_unset.format(
                    kind=M.cfg_kind_source, id=self.id, var=self.token_env, where=where
                )
            )
        return value


# -- loading ---------------------------------------------------------------------------


def _parse(path: Path) -> tuple[SourceConfig | None, list[Message]]:
    config, problems = parse_config_file(
        path,
        SourceConfig,
        what="source",
        shape="id, title, type",
        context={"base_dir": path.parent},
    )
    if config is not None:
        config._file = path
    return config, problems


def load_source(path: Path) -> SourceConfig:
    """Read and validate one source file; :class:`ConfigError` lists every problem."""
    config, problems = _parse(path)
    if config is None:
        raise ConfigError(problems)
    return config


def load_sources(config_dir: Path) -> list[SourceConfig]:
    """Every source in ``config_dir`` (``*.yaml``/``*.yml`` directly in it), by file name.

    Problems of all files are collected into one :class:`ConfigError`: a missing
    folder, files that do not validate, and two files with the same ``id``.
    """
    if not is_dir(config_dir):
        problem = M.cfg_not_folder if path_exists(config_dir) else M.cfg_no_folder
        raise ConfigError(problem.format(path=config_dir))
    sources, problems = parse_config_folder(config_dir, _parse, what="source")
    if problems:
        raise ConfigError(problems)
    return sources


def config_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a source file, for editors; built from the models."""
    schema = SourceConfig.model_json_schema()
    conditions: list[dict[str, Any]] = []
    for location, then in (
        ("url", {"required": ["url"], "not": {"required": ["path"]}}),
        ("path", {"required": ["path"], "not": {"required": ["url"]}}),
    ):
        names = sorted(spec.name for spec in _located(location))
        if names:
            conditions.append({"if": _type_is(names), "then": then})
    for spec in _located("url_or_path"):
        conditions.append(
            {
                "if": _type_is([spec.name]),
                "then": {"oneOf": [{"required": ["url"]}, {"required": ["path"]}]},
            }
        )
    for spec in SOURCE_SPECS:
        if spec.settings_required:
            conditions.append({"if": _type_is([spec.name]), "then": {"required": [spec.name]}})
    properties = schema["properties"]
    properties["url"] = {
        **properties["url"],
        "anyOf": [{"type": "string", "format": "uri", "pattern": "^https?://"}, {"type": "null"}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "allOf": conditions,
    }


def _type_is(names: list[str]) -> dict[str, Any]:
    """The JSON Schema ``if`` that matches a source of one of these types."""
    match = {"const": names[0]} if len(names) == 1 else {"enum": names}
    return {"properties": {"type": match}, "required": ["type"]}
