"""Source configuration: one YAML file per *sumber* (source) in ``harvest_configs/``.

Each ``*.yaml`` / ``*.yml`` file directly inside the configuration folder describes
one source to harvest; sub-folders (``data/``, ``targets/``, ``examples/``) are not
sources. Example::

    id: medan-contoh
    title: Contoh metadata Kota Medan
    type: directory                  # ckan | directory | dcat | datajson | spreadsheet | jsonapi
    path: data/medan                 # relative to this file's folder
    organization: Pemerintah Kota Medan
    defaults:
      walidata: Dinas Komunikasi dan Informatika Kota Medan
      kode_wilayah: "12.71"          # quoted: unquoted 12.71 is a number in YAML
    schedule: daily

A file is validated with pydantic; unknown keys are refused, and every problem is
reported as ``FILE:LINE: key.path: what is wrong``, all problems of all files at once,
as one :class:`ConfigError` (the CLI exits 2). Secrets never live in these files: a key
named ``token``, ``api_key``, ``password``, ``secret`` (and similar) anywhere in a file
is refused; ``token_env`` names the environment variable that holds the token, and
:meth:`SourceConfig.resolve_token` reads it.

Type-specific settings live in their own block: ``spreadsheet:`` (sheet, header row,
header map) and ``jsonapi:`` (request, paging, JMESPath field mapping; required for
that type) and ``dcat:`` (RDF serialisation, preferred languages, Hydra page cap;
:class:`DcatSettings`); a block given for another type is refused. ``dcat``,
``datajson`` and ``spreadsheet`` read a ``url`` or a local ``path``.

``schemas/harvest-config.schema.json`` is :func:`config_json_schema` written out (a
test keeps the two equal). After changing a model here, regenerate it with::

    .venv/bin/python -c "import json; from satudata_cli.sources.config import \\
config_json_schema as s; open('schemas/harvest-config.schema.json', 'w').write(\\
json.dumps(s(), indent=2, ensure_ascii=False) + chr(10))"
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar, get_args
from urllib.parse import unquote_plus, urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from satudata_cli.core.errors import SatudataError

__all__ = [
    "SCHEDULES",
    "SECRET_KEYS",
    "SOURCE_TYPES",
    "URL_TYPES",
    "ConfigError",
    "DcatSettings",
    "Filters",
    "HttpSettings",
    "JsonApiSettings",
    "PaginationSettings",
    "Schedule",
    "SourceConfig",
    "SourceType",
    "SpreadsheetSettings",
    "WithdrawSettings",
    "config_json_schema",
    "load_source",
    "load_sources",
]

SourceType = Literal["ckan", "directory", "dcat", "datajson", "spreadsheet", "jsonapi"]
Schedule = Literal["manual", "hourly", "daily", "weekly", "monthly"]
SOURCE_TYPES: tuple[str, ...] = get_args(SourceType)
SCHEDULES: tuple[str, ...] = get_args(Schedule)
ModelT = TypeVar("ModelT", bound=BaseModel)
#: Types that read from a web address (``url`` required).
URL_TYPES: frozenset[str] = frozenset({"ckan", "jsonapi"})
#: Key names refused anywhere in a configuration file (compared lower-case, ``-`` as ``_``).
SECRET_KEYS: frozenset[str] = frozenset(
    {
        "token",
        "api_key",
        "apikey",
        "api_token",
        "access_token",
        "auth_token",
        "password",
        "passwd",
        "secret",
        "client_secret",
    }
)

_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_ENV_PATTERN = r"^[A-Z_][A-Z0-9_]*$"
_ENV_VAR_HELP = (
    "secrets never live in configuration files: put the token in an environment "
    "variable and name that variable with token_env (e.g. token_env: SATUDATA_MEDAN_TOKEN)"
)
_SECRET_QUERY = re.compile(r"token|api_?key|^key$|secret|passw|auth|signature|credential")
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy_authorization", "cookie", "x_api_key"})


class ConfigError(SatudataError):
    """A source configuration file (or the folder of them) cannot be used.

    ``problems`` holds one line per problem (``FILE:LINE: key: message``); ``str()`` of
    the error is those lines joined. The CLI maps it to exit code 2.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(self.problems))


class _KeyedValueError(ValueError):
    """A cross-field problem that belongs to one key (for the error's location)."""

    def __init__(self, key: str, message: str, *, anchor: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.anchor = anchor or key


def _resolve(path: Path, info: ValidationInfo) -> Path:
    base = info.context.get("base_dir") if isinstance(info.context, dict) else None
    path = path.expanduser()
    if base is not None and not path.is_absolute():
        return Path(base) / path
    return path


class HttpSettings(BaseModel):
    """How to talk to a remote source over HTTP."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="HTTP settings",
        json_schema_extra={
            "description": (
                "How satudata talks to the source over HTTP. / Pengaturan koneksi HTTP ke sumber."
            )
        },
    )

    timeout: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description=(
            "Read timeout in seconds: how long to wait for data from the server. / "
            "Batas waktu membaca respons, dalam detik."
        ),
    )
    connect_timeout: float = Field(
        default=10.0,
        gt=0,
        le=600,
        description=("Connect timeout in seconds. / Batas waktu membuka koneksi, dalam detik."),
    )
    requests_per_second: float = Field(
        default=10.0,
        gt=0,
        le=1000,
        description=(
            "Most requests per second to one host of this source. / "
            "Jumlah permintaan per detik paling banyak ke satu host sumber ini."
        ),
    )
    concurrency: int = Field(
        default=4,
        ge=1,
        le=64,
        description=(
            "Most requests in flight at the same time for this source. / "
            "Jumlah permintaan bersamaan paling banyak untuk sumber ini."
        ),
    )
    retries: int = Field(
        default=4,
        ge=0,
        le=10,
        description=(
            "Retries after a connection error, a timeout or HTTP 429/502/503/504 "
            "(with exponential backoff; Retry-After is honoured). / "
            "Jumlah pengulangan setelah gangguan koneksi atau HTTP 429/502/503/504."
        ),
    )
    max_response_mb: float = Field(
        default=200.0,
        gt=0,
        le=4096,
        description=(
            "Largest response body accepted, in MiB (after decompression). / "
            "Ukuran respons terbesar yang diterima, dalam MiB."
        ),
    )
    ca_bundle: Path | None = Field(
        default=None,
        description=(
            "PEM file of extra certificate authorities to trust (e.g. a government CA "
            "or a missing intermediate certificate); relative to this file's folder. / "
            "Berkas PEM berisi sertifikat CA tambahan (mis. CA pemerintah); relatif "
            "terhadap folder berkas ini."
        ),
    )
    verify: bool = Field(
        default=True,
        description=(
            "Verify TLS certificates. false is dangerous and makes satudata warn loudly "
            "on every run; prefer ca_bundle. / Verifikasi sertifikat TLS. false berbahaya; "
            "gunakan ca_bundle."
        ),
    )

    @field_validator("ca_bundle")
    @classmethod
    def _resolve_ca_bundle(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        path = _resolve(value, info)
        if not path.is_file():
            raise ValueError(f"the CA bundle {path} does not exist or is not a file")
        return path

    @model_validator(mode="after")
    def _verify_and_bundle(self) -> HttpSettings:
        if self.ca_bundle is not None and not self.verify:
            raise _KeyedValueError(
                "verify", "verify: false and ca_bundle contradict each other; keep one"
            )
        return self

    @property
    def max_response_bytes(self) -> int:
        return int(self.max_response_mb * 1024 * 1024)


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
            raise ValueError("an entry is empty")
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


def _check_jmespath(value: str, what: str) -> str:
    """A JMESPath expression that compiles; the error names what it is for."""
    import jmespath
    from jmespath.exceptions import JMESPathError

    text = value.strip()
    if not text:
        raise ValueError(f"{what}: the JMESPath expression is empty")
    try:
        jmespath.compile(text)
    except JMESPathError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"{what}: not a valid JMESPath expression ({detail})") from None
    return text


class SpreadsheetSettings(BaseModel):
    """How to read a metadata sheet (``type: spreadsheet``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Spreadsheet settings",
        json_schema_extra={
            "description": (
                "How to read a CSV or XLSX metadata sheet. / Cara membaca lembar metadata "
                "CSV atau XLSX."
            )
        },
    )

    sheet: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "XLSX worksheet to read (default: every visible worksheet). / Lembar kerja XLSX "
            "yang dibaca (bawaan: semua lembar yang tampak)."
        ),
    )
    header_row: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description=(
            "Row number (1-based) of the header row (default: the first non-empty row); "
            "rows above it (a title, a logo) are skipped. / Nomor baris judul kolom "
            "(bawaan: baris pertama yang tidak kosong)."
        ),
    )
    format: Literal["csv", "xlsx"] | None = Field(
        default=None,
        description=(
            "csv or xlsx; by default from the file name's extension (or the Content-Type "
            "of a URL). / csv atau xlsx; bawaan dari ekstensi nama berkas."
        ),
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Header -> Satu Data field, for headers that are not a field name or one of "
            "its built-in labels (satudata schema show FIELD), e.g. 'Nama OPD': "
            "organization. / Judul kolom -> kolom Satu Data, untuk judul yang tidak dikenal."
        ),
    )
    id_field: str = Field(
        default="name",
        min_length=1,
        description=(
            "Field whose value is the dataset's stable id in this sheet (default name; "
            "rows without it use their title). / Kolom yang nilainya menjadi pengenal "
            "dataset (bawaan name; tanpa itu dipakai judul)."
        ),
    )

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str]) -> dict[str, str]:
        for header, target in value.items():
            if not str(header).strip() or not str(target).strip():
                raise _KeyedValueError(str(header), "header and field must not be empty")
        return {str(k).strip(): v.strip() for k, v in value.items()}


JsonScalar = str | int | float | bool


class PaginationSettings(BaseModel):
    """How a JSON API is paged and when paging stops."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Pagination",
        json_schema_extra={
            "description": (
                "How the API is paged: none, offset (offset + limit), page (page number), "
                "next_link (a URL to the next page in the response), cursor (a cursor in "
                "the response sent back as a parameter). Paging stops at an empty page, a "
                "page shorter than limit, when total is reached, or when there is no next "
                "link or cursor. / Cara API membagi halaman dan kapan berhenti."
            )
        },
    )

    style: Literal["none", "offset", "page", "next_link", "cursor"] = Field(
        default="none", description="Paging style. / Gaya pembagian halaman."
    )
    limit: int | None = Field(
        default=None,
        ge=1,
        le=100000,
        description=(
            "Page size sent with limit_param; a page shorter than this is the last. / "
            "Ukuran halaman; halaman yang lebih pendek adalah yang terakhir."
        ),
    )
    limit_param: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Name of the page-size parameter (offset style: default limit). / Nama "
            "parameter ukuran halaman."
        ),
    )
    offset_param: str = Field(
        default="offset", min_length=1, description="offset style: the offset parameter."
    )
    page_param: str = Field(
        default="page", min_length=1, description="page style: the page-number parameter."
    )
    first_page: int = Field(default=1, ge=0, description="page style: number of the first page.")
    next: str | None = Field(
        default=None,
        description=(
            "next_link style: JMESPath to the next page's URL (absolute or relative), e.g. "
            "links.next. / JMESPath ke URL halaman berikutnya."
        ),
    )
    cursor: str | None = Field(
        default=None,
        description="cursor style: JMESPath to the next cursor, e.g. meta.next_cursor.",
    )
    cursor_param: str = Field(
        default="cursor", min_length=1, description="cursor style: parameter carrying it."
    )
    total: str | None = Field(
        default=None,
        description=(
            "JMESPath to the total number of records (e.g. meta.total); paging stops when "
            "that many were read. / JMESPath ke jumlah seluruh rekaman."
        ),
    )
    params_in: Literal["query", "body"] = Field(
        default="query",
        description=(
            "Where paging parameters go: the query string, or the JSON body (POST). / "
            "Letak parameter halaman: query string atau badan JSON (POST)."
        ),
    )
    max_pages: int = Field(
        default=10000,
        ge=1,
        le=1000000,
        description=(
            "Stop after this many pages (protection against an API that never ends); the "
            "pass is then not complete. / Berhenti setelah sekian halaman."
        ),
    )

    @field_validator("next", "cursor", "total")
    @classmethod
    def _expressions(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _check_jmespath(value, str(info.field_name))

    @model_validator(mode="after")
    def _style_needs(self) -> PaginationSettings:
        if self.style == "next_link" and self.next is None:
            raise _KeyedValueError("next", "required for style next_link", anchor="style")
        if self.style == "cursor" and self.cursor is None:
            raise _KeyedValueError("cursor", "required for style cursor", anchor="style")
        return self


class JsonApiSettings(BaseModel):
    """A JSON API of a portal that is not CKAN, described by configuration alone."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="JSON API",
        json_schema_extra={
            "description": (
                "Request, paging, where the records are and how their fields map onto the "
                "standard (JMESPath expressions). / Permintaan, halaman, letak rekaman dan "
                "pemetaan kolom (ekspresi JMESPath)."
            )
        },
    )

    method: Literal["GET", "POST"] = Field(default="GET", description="HTTP method.")
    params: dict[str, JsonScalar] = Field(
        default_factory=dict, description="Query parameters sent with every request."
    )
    body: dict[str, Any] | None = Field(
        default=None, description="JSON body for POST (paging parameters are added to it)."
    )
    headers: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Extra request headers (never credentials: use token_env and token_header). / "
            "Header tambahan (bukan kredensial)."
        ),
    )
    token_header: str = Field(
        default="Authorization",
        min_length=1,
        description="Header carrying the token from token_env.",
    )
    token_prefix: str = Field(
        default="Bearer ", description="Text before the token in token_header."
    )
    records: str = Field(
        description=(
            "JMESPath to the list of records in a response, e.g. result, data, "
            "result.items. / JMESPath ke daftar rekaman dalam respons."
        ),
    )
    id: str = Field(
        description=(
            "JMESPath (within one record) to its stable remote id, e.g. id or slug. / "
            "JMESPath ke pengenal rekaman."
        ),
    )
    fields: dict[str, str] = Field(
        min_length=1,
        description=(
            "Satu Data field -> JMESPath within one record, e.g. title: judul, tags: "
            "tags[].name, kontak: {nama: pic, email: email_pic}. / Kolom Satu Data -> "
            "JMESPath."
        ),
    )
    modified: str | None = Field(
        default=None,
        description="JMESPath to the record's last-modified time (kept with the record).",
    )
    detail_url: str | None = Field(
        default=None,
        description=(
            "URL template of one record's detail, with {id} (absolute, or relative to "
            "url), for lists that do not describe records fully. / Templat URL detail "
            "rekaman dengan {id}."
        ),
    )
    detail_record: str = Field(
        default="@",
        description=(
            "JMESPath to the record in a detail response (e.g. result); it is merged over "
            "the list entry before the fields are mapped."
        ),
    )
    pagination: PaginationSettings = Field(default_factory=PaginationSettings)

    @field_validator("records", "id", "modified", "detail_record")
    @classmethod
    def _expression(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _check_jmespath(value, str(info.field_name))

    @field_validator("fields")
    @classmethod
    def _field_expressions(cls, value: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, expression in value.items():
            if not str(name).strip():
                raise _KeyedValueError(str(name), "the field name is empty")
            try:
                out[str(name).strip()] = _check_jmespath(str(expression), str(name))
            except ValueError as exc:
                raise _KeyedValueError(str(name), str(exc)) from None
        return out

    @field_validator("headers")
    @classmethod
    def _no_credentials(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            folded = name.lower().replace("-", "_")
            if folded in _CREDENTIAL_HEADERS or _SECRET_QUERY.search(folded):
                raise _KeyedValueError(name, _ENV_VAR_HELP + " (and token_header)")
        return value

    @field_validator("detail_url")
    @classmethod
    def _detail(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "{id}" not in value:
            raise ValueError("must contain {id}, where the record's id goes")
        if _secret_query_names(value.replace("{id}", "x")):
            raise ValueError(f"must not carry a key or token in the query string; {_ENV_VAR_HELP}")
        return value.strip()

    @field_validator("params")
    @classmethod
    def _no_secret_params(cls, value: dict[str, JsonScalar]) -> dict[str, JsonScalar]:
        for name in value:
            if _SECRET_QUERY.search(name.lower().replace("-", "_")):
                raise _KeyedValueError(name, _ENV_VAR_HELP)
        return value

    @model_validator(mode="after")
    def _body_needs_post(self) -> JsonApiSettings:
        if self.body is not None and self.method != "POST":
            raise _KeyedValueError("body", "a JSON body needs method: POST", anchor="body")
        if self.pagination.params_in == "body" and self.method != "POST":
            raise _KeyedValueError(
                "pagination", "params_in: body needs method: POST", anchor="pagination"
            )
        return self


RdfFormat = Literal["auto", "rdfxml", "turtle", "jsonld", "ntriples"]


class DcatSettings(BaseModel):
    """Options of a ``dcat`` source (the ``dcat:`` block)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="DCAT settings",
        json_schema_extra={
            "description": (
                "Options of a dcat source. / Pengaturan sumber dcat (katalog RDF DCAT)."
            )
        },
    )

    format: RdfFormat = Field(
        default="auto",
        description=(
            "RDF serialisation of the document: auto (Content-Type, then file extension, "
            "then the content), rdfxml, turtle, jsonld or ntriples. / Serialisasi RDF "
            "dokumen: auto (Content-Type, ekstensi berkas, lalu isi), rdfxml, turtle, "
            "jsonld atau ntriples."
        ),
    )
    languages: list[str] = Field(
        default_factory=lambda: ["id", "en"],
        description=(
            "Preferred languages for titles and descriptions, in order; then text without "
            "a language tag, then any. / Bahasa yang diutamakan untuk judul dan deskripsi, "
            "berurutan; lalu teks tanpa tag bahasa, lalu bahasa lain."
        ),
    )
    max_pages: int = Field(
        default=10_000,
        ge=1,
        le=1_000_000,
        description=(
            "Most Hydra pages read in one pass; a catalogue with more pages is read "
            "partly and nothing is withdrawn. / Jumlah halaman Hydra paling banyak per "
            "panen; bila lebih, panen tidak lengkap dan tidak ada yang ditarik."
        ),
    )

    @field_validator("languages")
    @classmethod
    def _language_tags(cls, values: list[str]) -> list[str]:
        out = []
        for value in values:
            tag = value.strip().lower()
            if not re.fullmatch(r"[a-z]{1,8}(-[a-z0-9]{1,8})*", tag):
                raise ValueError(f"{value!r} is not a language tag such as id or en")
            out.append(tag)
        return out


def _jsonable(value: Any) -> Any:
    """YAML values made JSON-like: dates as ISO strings, keys as strings."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _secret_query_names(url: str) -> list[str]:
    names = []
    for part in urlsplit(url).query.split("&"):
        name = unquote_plus(part.split("=", 1)[0]).lower().replace("-", "_")
        if name and _SECRET_QUERY.search(name):
            names.append(name)
    return names


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
    type: SourceType = Field(
        description=(
            "Kind of source: ckan (CKAN Action API), directory (a folder of "
            "JSON/YAML/CSV/XLSX metadata files), dcat, datajson, spreadsheet, jsonapi. / "
            "Jenis sumber."
        ),
    )
    url: str | None = Field(
        default=None,
        description=(
            "Base address of the portal or document (http or https); required for ckan, "
            "dcat and jsonapi; datajson and spreadsheet take url or path. For CKAN the "
            "site root, e.g. https://data.pemkomedan.go.id. / Alamat portal; wajib untuk "
            "ckan, dcat dan jsonapi; datajson dan spreadsheet memakai url atau path."
        ),
    )
    path: Path | None = Field(
        default=None,
        description=(
            "Folder (directory) or file (spreadsheet, datajson) to read, relative to this "
            "file's folder. / Folder atau berkas yang dibaca, relatif terhadap folder berkas "
            "ini."
        ),
    )
    organization: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Default owner for datasets that name none (e.g. Pemerintah Kota Medan). / "
            "Organisasi pemilik bawaan bila dataset tidak menyebutkannya."
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
    withdraw: WithdrawSettings = Field(default_factory=WithdrawSettings)
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

    spreadsheet: SpreadsheetSettings | None = Field(
        default=None,
        description=(
            "type spreadsheet: sheet, header row and header map (optional). / Pengaturan "
            "lembar untuk type spreadsheet."
        ),
    )
    dcat: DcatSettings | None = Field(
        default=None,
        description="type dcat: options (optional). / Pengaturan khusus jenis dcat.",
    )
    jsonapi: JsonApiSettings | None = Field(
        default=None,
        description=(
            "type jsonapi (required): request, paging, record list and field mapping. / "
            "Wajib untuk type jsonapi."
        ),
    )

    _file: Path | None = PrivateAttr(default=None)

    @property
    def file(self) -> Path | None:
        """The configuration file this source was read from (None when built in code)."""
        return self._file

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
            raise ValueError("must be an http:// or https:// address with a host name")
        if parts.username is not None or parts.password is not None:
            raise ValueError(f"must not contain a user name or password; {_ENV_VAR_HELP}")
        if _secret_query_names(value):
            raise ValueError(f"must not carry a key or token in the query string; {_ENV_VAR_HELP}")
        return value.rstrip("/") if not parts.query else value

    @field_validator("path")
    @classmethod
    def _resolve_path(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return None if value is None else _resolve(value, info)

    @field_validator("profile")
    @classmethod
    def _resolve_profile(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise ValueError("is empty")
        if value.lower().endswith((".yaml", ".yml")) or "/" in value or os.sep in value:
            return str(_resolve(Path(value), info))
        return value

    @field_validator("defaults", mode="before")
    @classmethod
    def _defaults_jsonable(cls, value: Any) -> Any:
        if isinstance(value, dict):
            code = value.get("kode_wilayah")
            if isinstance(code, int | float) and not isinstance(code, bool):
                raise _KeyedValueError(
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
                raise _KeyedValueError(str(source), "source and target fields must not be empty")
        return value

    @model_validator(mode="after")
    def _location(self) -> SourceConfig:
        if self.type in URL_TYPES:
            if self.url is None:
                raise _KeyedValueError("url", f"required for type {self.type}", anchor="type")
            if self.path is not None:
                raise _KeyedValueError("path", f"not used by type {self.type}; give url only")
        elif self.type == "directory":
            if self.path is None:
                raise _KeyedValueError(
                    "path", "required for type directory (a folder)", anchor="type"
                )
            if self.url is not None:
                raise _KeyedValueError("url", "not used by type directory; give path only")
        elif self.url is None and self.path is None:
            raise _KeyedValueError("url", f"type {self.type} needs url or path", anchor="type")
        elif self.url is not None and self.path is not None:
            raise _KeyedValueError("path", f"type {self.type} takes url or path, not both")
        if self.type == "jsonapi" and self.jsonapi is None:
            raise _KeyedValueError(
                "jsonapi", "required for type jsonapi (records, id, fields)", anchor="type"
            )
        for block in ("jsonapi", "spreadsheet", "dcat"):
            if getattr(self, block) is not None and self.type != block:
                raise _KeyedValueError(block, f"only used by type {block}, not {self.type}")
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
            where = f" (token_env in {self._file})" if self._file else ""
            raise ConfigError(
                f"source {self.id}: the environment variable {self.token_env} is not set or "
                f"empty{where}; set it to the portal's API token"
            )
        return value


# -- loading ---------------------------------------------------------------------------


def _key_line(root: yaml.Node | None, loc: Sequence[int | str]) -> int:
    """1-based line of the key at ``loc``; of its deepest existing parent when missing."""
    if root is None:
        return 1
    node: yaml.Node = root
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _model_at(loc: Sequence[int | str], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model whose keys are allowed at ``loc`` below ``root`` (for 'unknown key'
    hints)."""
    model: type[BaseModel] = root
    for part in loc:
        info = model.model_fields.get(str(part))
        annotation = info.annotation if info is not None else None
        candidates = (annotation, *get_args(annotation))  # X | None: look inside
        found = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not found:
            return None
        model = found[0]
    return model


def _describe(
    err: Mapping[str, Any], root: type[BaseModel]
) -> tuple[list[int | str], list[int | str], str]:
    """(location shown, location used for the line, message) of one pydantic error."""
    loc: list[int | str] = list(err["loc"])
    anchor = list(loc)
    kind = err["type"]
    if kind == "extra_forbidden" and loc:
        allowed = _model_at(loc[:-1], root)
        message = "unknown key"
        if allowed is not None:
            names = [info.alias or name for name, info in allowed.model_fields.items()]
            close = difflib.get_close_matches(str(loc[-1]), names, n=1)
            if close:
                message += f" (did you mean {close[0]}?)"
            message += f"; allowed: {', '.join(names)}"
        return loc, anchor, message
    if kind == "missing":
        return loc, anchor, "required key is missing"
    error = err.get("ctx", {}).get("error")
    if isinstance(error, _KeyedValueError):
        return [*loc, error.key], [*loc, error.anchor], str(error)
    message = re.sub(r"a valid dictionary( or instance of \w+)?", "a mapping", str(err["msg"]))
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    # Only the message: pydantic's "input" could echo a misplaced secret.
    return loc, anchor, message


def _key_problems(
    node: yaml.Node | None, prefix: tuple[str, ...] = ()
) -> list[tuple[int, str, str]]:
    """(line, key path, message) for secret-looking keys and keys given twice."""
    found: list[tuple[int, str, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            path = (*prefix, name)
            line = key.start_mark.line + 1
            if name.lower().replace("-", "_") in SECRET_KEYS:
                found.append((line, ".".join(path), _ENV_VAR_HELP))
            elif name in seen:
                found.append((line, ".".join(path), "given twice; keep one"))
            seen.add(name)
            found.extend(_key_problems(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(_key_problems(item, (*prefix, str(index))))
    return found


def parse_config_file(
    path: Path,
    model: type[ModelT],
    *,
    what: str,
    shape: str,
    context: dict[str, Any] | None = None,
) -> tuple[ModelT | None, list[str]]:
    """One YAML configuration file validated as ``model``: the model, or every problem
    as ``FILE:LINE: key: message`` (secret-looking and repeated keys first).

    Shared by source files and publish targets (``what`` names the kind in messages,
    ``shape`` hints at its keys). pydantic's input is never echoed: a misplaced secret
    must not reach a message.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [f"{path}: the file does not exist"]
    except UnicodeDecodeError:
        return None, [f"{path}: not UTF-8 text"]
    except OSError as exc:
        return None, [f"{path}: cannot be read: {exc.strerror or exc}"]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [f"{path}{line}: not valid YAML: {problem}"]
    bad_keys = _key_problems(root)
    if bad_keys:
        return None, [f"{path}:{line}: {key}: {message}" for line, key, message in bad_keys]
    if data is None:
        return None, [f"{path}: the file is empty; a {what} needs at least id and type"]
    if not isinstance(data, dict):
        return None, [f"{path}:1: a {what} must be a YAML mapping ({shape}, ...)"]
    try:
        config = model.model_validate(data, context=context)
    except ValidationError as exc:
        located = []
        for err in exc.errors():
            shown, anchor, message = _describe(err, model)
            key = ".".join(str(p) for p in shown) or "(top level)"
            located.append((_key_line(root, anchor), f"{key}: {message}"))
        return None, [f"{path}:{line}: {text}" for line, text in sorted(located)]
    return config, []


def _parse(path: Path) -> tuple[SourceConfig | None, list[str]]:
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
    if not config_dir.is_dir():
        what = "is not a folder" if config_dir.exists() else "does not exist"
        raise ConfigError(
            f"the configuration folder {config_dir} {what} "
            "(set --config-dir or SATUDATA_CONFIG_DIR)"
        )
    sources, problems = parse_config_folder(config_dir, _parse, what="source")
    if problems:
        raise ConfigError(problems)
    return sources


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


IdentifiedT = TypeVar("IdentifiedT", bound=_Identified)


def parse_config_folder(
    folder: Path,
    parse: Callable[[Path], tuple[IdentifiedT | None, list[str]]],
    *,
    what: str,
) -> tuple[list[IdentifiedT], list[str]]:
    """Every ``*.yaml``/``*.yml`` file directly in ``folder`` (hidden files skipped), by
    file name, parsed with ``parse``: the configurations and every problem, including
    two files with the same ``id`` (``what`` names the kind: source, target)."""
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
    )
    configs: list[IdentifiedT] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in files:
        config, found = parse(path)
        problems.extend(found)
        if config is None:
            continue
        first = seen.get(config.id)
        if first is not None:
            line = _key_line(_compose_quietly(path), ["id"])
            problems.append(
                f"{path}:{line}: id: {config.id!r} is already the id of the {what} in "
                f"{first}; ids must be unique"
            )
            continue
        seen[config.id] = path
        configs.append(config)
    return configs, problems


def _compose_quietly(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def config_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a source file, for editors; built from the models."""
    schema = SourceConfig.model_json_schema()
    conditions: list[dict[str, Any]] = [
        {
            "if": {"properties": {"type": {"enum": sorted(URL_TYPES)}}, "required": ["type"]},
            "then": {"required": ["url"], "not": {"required": ["path"]}},
        },
        {
            "if": {"properties": {"type": {"const": "directory"}}, "required": ["type"]},
            "then": {"required": ["path"], "not": {"required": ["url"]}},
        },
        {
            "if": {"properties": {"type": {"const": "spreadsheet"}}, "required": ["type"]},
            "then": {"oneOf": [{"required": ["url"]}, {"required": ["path"]}]},
        },
        {
            "if": {"properties": {"type": {"const": "datajson"}}, "required": ["type"]},
            "then": {"oneOf": [{"required": ["url"]}, {"required": ["path"]}]},
        },
        {
            "if": {"properties": {"type": {"const": "dcat"}}, "required": ["type"]},
            "then": {"oneOf": [{"required": ["url"]}, {"required": ["path"]}]},
        },
        {
            "if": {"properties": {"type": {"const": "jsonapi"}}, "required": ["type"]},
            "then": {"required": ["jsonapi"]},
        },
    ]
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
