"""Publish targets: ``harvest_configs/targets/<id>.yaml``, one CKAN portal per file.

Loaded and validated like the source files, by the one configuration loader
(``satudata_cli.core.configfile``): every problem is reported as
``FILE:LINE: key: message``; a key that looks like a secret (``token``, ``api_key``,
...) is refused, because the token lives only in the environment variable that
``token_env`` names.

The targets live in their own folder below the sources' folder; ``load_sources`` reads
only the files directly in that folder, so a target is never taken for a source.

``schemas/publish-target.schema.json`` is :func:`target_json_schema` written out (a test
keeps it in sync); regenerate it with::

    python -c "import json; from satudata_cli.publish.config import target_json_schema; \\
print(json.dumps(target_json_schema(), indent=2, ensure_ascii=False))" \\
        > schemas/publish-target.schema.json
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from satudata_cli.codecs.ckan.package import CKAN_CORE_KEYS
from satudata_cli.core.configfile import (
    ConfigValueError,
    parse_config_file,
    parse_config_folder,
)
from satudata_cli.core.http import HttpSettings
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.publish.errors import TargetConfigError

__all__ = [
    "RESERVED_PACKAGE_KEYS",
    "DatasetNameRule",
    "TargetConfig",
    "TargetHttpSettings",
    "TargetWithdraw",
    "load_target",
    "load_targets",
    "target_json_schema",
]

_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_ENV_PATTERN = r"^[A-Z_][A-Z0-9_]*$"
_CKAN_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
_EXTRA_PREFIX = r"^[a-z0-9_]{0,30}$"

#: Keys of a CKAN package that satudata sets itself; ``fields`` may not aim at them.
RESERVED_PACKAGE_KEYS = frozenset(
    {
        "id",
        "name",
        "owner_org",
        "organization",
        "resources",
        "tags",
        "extras",
        "groups",
        "state",
        "type",
        "private",
    }
)


class TargetHttpSettings(HttpSettings):
    """HTTP settings of a target: those of a source, plus a cap on write calls."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="HTTP settings of a publish target",
        json_schema_extra={
            "description": (
                "How satudata talks to the portal. / Pengaturan koneksi HTTP ke portal."
            )
        },
    )

    requests_per_second: float = Field(
        default=200.0,
        gt=0,
        le=1000,
        description=(
            "Most requests (reads and writes) per second to the portal. / "
            "Jumlah permintaan per detik paling banyak ke portal."
        ),
    )
    writes_per_second: float = Field(
        default=20.0,
        gt=0,
        le=1000,
        description=(
            "Most write calls (create, update, delete) per second: CKAN manages about 60 "
            "creates/s on 2 cores, so the default leaves the portal room for its users. / "
            "Jumlah panggilan tulis per detik paling banyak."
        ),
    )


class DatasetNameRule(BaseModel):
    """How the CKAN dataset name (its URL) is made from a record."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Dataset name rule")

    source: Literal["name", "title"] = Field(
        default="name",
        alias="from",
        description=(
            "Slug from the record's name (falling back to its title) or from its title. / "
            "Nama dataset dibentuk dari kolom name (atau judul) atau dari judul."
        ),
    )
    prefix: str = Field(
        default="",
        pattern=r"^[a-z0-9_-]{0,40}$",
        description="Text put before every name, e.g. medan-. / Awalan setiap nama dataset.",
    )


class TargetWithdraw(BaseModel):
    """What happens on the portal to datasets withdrawn from the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Withdrawn datasets")

    mode: Literal["keep", "private", "delete"] = Field(
        default="keep",
        description=(
            "keep (leave them), private (hide them) or delete (CKAN's soft delete); "
            "--withdrawn overrides it. / Dataset yang ditarik: biarkan, sembunyikan, hapus."
        ),
    )
    max_fraction: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description=(
            "If more than this fraction of the published datasets would be hidden or "
            "deleted in one run, none is and the run says why. / Batas pecahan dataset "
            "yang boleh ditarik dalam satu kali jalan."
        ),
    )


class TargetConfig(BaseModel):
    """A CKAN portal to publish the catalogue to."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        title="satudata publish target",
        json_schema_extra={
            "description": (
                "A CKAN portal that satudata publishes the katalog to "
                "(harvest_configs/targets/<id>.yaml). / Satu portal CKAN tujuan penerbitan."
            )
        },
    )

    id: str = Field(
        pattern=_ID_PATTERN,
        description="Stable identifier of the target. / Pengenal tujuan yang tetap.",
    )
    title: str | None = Field(default=None, min_length=1, description="Name for people.")
    type: Literal["ckan"] = Field(description="Kind of portal (ckan). / Jenis portal.")
    url: str = Field(description="The portal's address. / Alamat portal.")
    token_env: str = Field(
        pattern=_ENV_PATTERN,
        description=(
            "Name of the environment variable holding the API token (never the token "
            "itself). / Nama variabel lingkungan yang berisi token API."
        ),
    )
    create_organizations: bool = Field(
        default=False,
        description=(
            "Create CKAN organizations that do not exist yet (needs a sysadmin token). / "
            "Buat organisasi CKAN yang belum ada."
        ),
    )
    organizations: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "SDI organization or produsen_data -> CKAN organization name; unmapped ones "
            "are slugged (Dinas Kesehatan -> dinas-kesehatan). / Pemetaan organisasi atau "
            "produsen data ke nama organisasi CKAN."
        ),
    )
    default_organization: str | None = Field(
        default=None,
        description=(
            "CKAN organization for records that name none. / Organisasi CKAN bagi "
            "dataset yang tidak menyebut organisasi."
        ),
    )
    fields: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "SDI field -> where it goes on the portal: a CKAN core field (author, "
            "version, ...), extras:KEY, or a ckanext-scheming field name; unmapped fields "
            "go to extras named extras_prefix + field. / Pemetaan kolom SDI ke kolom CKAN."
        ),
    )
    scheming: bool = Field(
        default=False,
        description=(
            "The portal runs ckanext-scheming with the schema of `satudata schema export "
            "--format ckan-scheming`: SDI fields go to its top-level package fields instead "
            "of extras (entries of fields still win). / Portal memakai skema "
            "ckanext-scheming dari satudata: kolom SDI dikirim sebagai kolom paket, bukan "
            "extras."
        ),
    )
    extras_prefix: str = Field(
        default="",
        pattern=_EXTRA_PREFIX,
        description=(
            "Prefix of the extras that carry SDI fields (e.g. sdi_); empty by default, so "
            "the CKAN source of satudata reads them back without a mapping. / Awalan nama "
            "extras untuk kolom SDI."
        ),
    )
    default_license: str | None = Field(
        default=None,
        min_length=1,
        description="license_id for records without one. / Lisensi bawaan.",
    )
    dataset_name: DatasetNameRule = Field(default_factory=DatasetNameRule)
    withdraw: TargetWithdraw = Field(default_factory=TargetWithdraw)
    http: TargetHttpSettings = Field(default_factory=TargetHttpSettings)

    _file: Path | None = PrivateAttr(default=None)

    @property
    def file(self) -> Path | None:
        return self._file

    @property
    def label(self) -> str:
        return self.title or self.id

    @property
    def token_in_clear(self) -> bool:
        """True when the token would cross the network unencrypted (http:// to a host
        other than this machine)."""
        parts = urlsplit(self.url)
        return parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1")

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigValueError(M.cfg_not_http)
        if parts.username is not None or parts.password is not None or parts.query:
            raise ConfigValueError(M.cfg_target_url_plain)
        path = parts.path.rstrip("/")
        for tail in ("/api/3/action", "/api/action", "/api/3", "/api"):
            if path.endswith(tail):
                path = path[: -len(tail)]
                break
        return f"{parts.scheme}://{parts.netloc}{path}"

    @field_validator("organizations")
    @classmethod
    def _org_names(cls, value: dict[str, str]) -> dict[str, str]:
        for key, name in value.items():
            if not _CKAN_NAME.match(name):
                raise ConfigValueError(M.cfg_bad_org_key.format(key=key, name=repr(name)))
        return value

    @field_validator("default_organization")
    @classmethod
    def _default_org(cls, value: str | None) -> str | None:
        if value is not None and not _CKAN_NAME.match(value):
            raise ConfigValueError(M.cfg_bad_org)
        return value

    @field_validator("fields")
    @classmethod
    def _field_targets(cls, value: dict[str, str]) -> dict[str, str]:
        for key, target in value.items():
            name = target.removeprefix("extras:")
            if not name or not re.match(r"^[A-Za-z0-9_.-]{1,100}$", name):
                raise ValueError(f"{key}: {target!r} is not a CKAN field or extras:KEY")
            if target.startswith("extras:") and (
                name in CKAN_CORE_KEYS or name in ("satudata_source", "satudata_remote_id")
            ):
                raise ValueError(
                    f"{key}: CKAN refuses an extra named like its own field {name!r} (and "
                    "satudata_* extras carry the harvest identity); choose another KEY"
                )
            if not target.startswith("extras:") and target in RESERVED_PACKAGE_KEYS:
                raise ValueError(
                    f"{key}: {target} is set by satudata itself; choose another field or extras:KEY"
                )
            if key in ("name", "title", "organization", "tags", "resources"):
                raise ValueError(f"{key}: this field has a fixed place on the portal")
        return value

    def resolve_token(self, environ: Mapping[str, str] | None = None) -> str:
        """The API token from ``token_env``; :class:`TargetConfigError` when unset."""
        env = os.environ if environ is None else environ
        value = env.get(self.token_env, "").strip()
        if not value:
            where = M.cfg_token_where.format(file=self._file) if self._file else ""
            raise TargetConfigError(
                M.cfg_token_unset.format(
                    kind=M.cfg_kind_target, id=self.id, var=self.token_env, where=where
                )
            )
        return value


def _parse(path: Path) -> tuple[TargetConfig | None, list[Message]]:
    config, problems = parse_config_file(
        path, TargetConfig, what="target", shape="id, type, url, token_env"
    )
    if config is not None:
        config._file = path
    return config, problems


def load_target(path: Path) -> TargetConfig:
    """One target file; :class:`TargetConfigError` lists every problem."""
    config, problems = _parse(path)
    if config is None:
        raise TargetConfigError(problems)
    return config


def targets_dir(config_dir: Path) -> Path:
    return config_dir / "targets"


def load_targets(config_dir: Path) -> list[TargetConfig]:
    """Every target in ``<config_dir>/targets/``, by file name; ids must be unique."""
    folder = targets_dir(config_dir)
    if not folder.is_dir():
        return []
    targets, problems = parse_config_folder(folder, _parse, what="target")
    if problems:
        raise TargetConfigError(problems)
    return targets


def find_target(config_dir: Path, name: str) -> TargetConfig:
    """The target with id ``name`` (or the YAML file at that path)."""
    as_path = Path(name)
    if as_path.suffix.lower() in (".yaml", ".yml") and as_path.is_file():
        return load_target(as_path)
    targets = load_targets(config_dir)
    for target in targets:
        if target.id == name:
            return target
    known = ", ".join(t.id for t in targets) or M.msg_none
    raise TargetConfigError(
        M.cfg_unknown_target.format(name=repr(name), folder=targets_dir(config_dir), known=known)
    )


def target_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a target file, for editors; built from the models."""
    schema = TargetConfig.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
