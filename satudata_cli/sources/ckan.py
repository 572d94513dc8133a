"""The ``ckan`` source: dataset metadata from a CKAN portal's Action API.

How the datasets are listed, in order of preference (each step is logged on the
``satudata.sources.ckan`` logger and written to ``pass_info.notes``):

1. ``package_search``, paged with ``rows`` up to 1000 and ``sort=id asc``; the filters
   of the source go into ``fq`` (``organization:``, ``tags:``), the free-text query into
   ``q``, and an incremental pass adds ``metadata_modified:[<since>Z TO *]``. With a
   token, ``include_private=true``. ``count`` is never trusted alone:

   - paging stops on an empty page, on a page whose ids were all seen before (a portal
     that ignores ``start``: noted, and the pass is not complete unless the distinct ids
     reached ``count``), or on a page shorter than the page size once ``start`` has
     reached ``count`` (a portal capping ``rows`` lower is detected on the first page);
   - a count larger than what the pages hold ends at the empty page (noted); a smaller
     count does not stop paging while full pages keep coming (noted);
   - ids are de-duplicated across pages, so a dataset inserted while paging (which
     shifts the offsets by one) cannot yield a duplicate. It could make the pass miss
     the inserted dataset itself (it sorts before pages already read); therefore, when
     ``count`` changed between the first and the last page, the listing is read again
     from the start, once, picking up unseen ids only (stopping as soon as as many new
     ids as the count grew by were found). A dataset *deleted* while paging can shift
     one other dataset past the pages for this pass; that one is then missing from a
     single pass only, which never withdraws it (withdrawal needs ``grace_days`` of
     absence), and the next pass sees it again.

2. When ``package_search`` is refused or broken (HTTP 400/403/404/409/500 after
   retries, any other 4xx but 429, a body that is not JSON, ``success: false``, or a
   result without a list of results), ``current_package_list_with_resources`` paged
   with ``limit``/``offset`` until an empty (or repeated) page.

3. When that fails too, ``package_list`` and one ``package_show`` per name, with at most
   ``http.concurrency`` requests in flight (a thread pool with a bounded window, so an
   early stop leaves no backlog). A package that vanished between the list and the show
   (404) is skipped and counted in a note; another failure of one ``package_show`` is an
   errored record and the pass goes on.

   In both fallbacks the filters (organizations, tags, query) and ``since`` are applied
   on the client side (noted); the query there is a plain word match (every word must
   occur in the name, title, notes, tags, organization or extras), not Solr's search.

Records de-duplicated across steps: when a step breaks after some pages, the next
one skips ids already yielded. If every step fails, :class:`SourceError` names each
URL and reason. Timeouts, connection errors and HTTP 429/502/503/504 that outlast the
client's retries are not "refused": they end the pass with a :class:`SourceError` at
once (a fallback would only put more load on a portal that is struggling). HTTP 500 is
retried here (CKAN answers 500 for passing trouble such as a busy search index) with
the client's backoff, then counts as refused.

The API token (``token_env``) goes in the ``Authorization`` header as CKAN expects and
never into a note, a log line or an error message.

Mapping (:class:`PackageMapper`) turns a CKAN package into a record with the
standard's field names, keeping what it cannot place under its own key (the engine
reports those as ``field.unknown``); the source's ``mapping`` and ``defaults`` are
applied later by the engine, so extras named in ``mapping`` keep their original key.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from satudata_cli.sources.base import PassInfo, RemoteRecord, SourceError
from satudata_cli.sources.config import ConfigError, SourceConfig
from satudata_cli.sources.http import (
    HttpClient,
    HttpError,
    HttpStatusError,
    NotJsonError,
    ResponseTooLarge,
)
from satudata_cli.standard.schema import FieldInfo, Standard, load_standard

__all__ = [
    "CKAN_CORE_KEYS",
    "MAX_ROWS",
    "CkanSource",
    "PackageMapper",
    "package_to_record",
]

logger = logging.getLogger("satudata.sources.ckan")

#: CKAN's ceiling for ``rows`` in package_search (larger values are silently capped).
MAX_ROWS = 1000

#: Top-level keys of a CKAN package that are CKAN's own (core fields and bookkeeping).
#: Any other top-level key is a custom field of a ckanext-scheming portal ("flattened
#: extras") and is treated like an extra.
CKAN_CORE_KEYS: frozenset[str] = frozenset(
    {
        "id",
        "name",
        "title",
        "notes",
        "url",
        "version",
        "author",
        "author_email",
        "maintainer",
        "maintainer_email",
        "license_id",
        "license_title",
        "license_url",
        "isopen",
        "state",
        "type",
        "private",
        "owner_org",
        "organization",
        "groups",
        "tags",
        "extras",
        "resources",
        "num_resources",
        "num_tags",
        "metadata_created",
        "metadata_modified",
        "creator_user_id",
        "revision_id",
        "relationships_as_object",
        "relationships_as_subject",
        "tracking_summary",
        "total_res_downloads",
        "ratings_average",
        "ratings_count",
        "score",
        "index_id",
        "site_id",
        "data_dict",
        "validated_data_dict",
    }
)

_SEARCH = "package_search"
_CURRENT = "current_package_list_with_resources"
_LIST = "package_list"
_SHOW = "package_show"
_LIST_SEPARATORS = (";", ",")


class _Refused(Exception):  # noqa: N818 - internal signal, never leaves this module
    """An action was refused or is broken: the next way of listing may still work."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.status = status


# -- mapping ---------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A non-empty, stripped string, or None (numbers become text)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return None


def _date_part(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    head = text[:10]
    try:
        dt.date.fromisoformat(head)
    except ValueError:
        return None
    return head


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _names(items: Any, *keys: str) -> list[str]:
    """Names from a list of strings or objects (the first non-empty of ``keys``)."""
    if not isinstance(items, list):
        return []
    out: list[str] = []
    for item in items:
        name: str | None = None
        if isinstance(item, Mapping):
            for key in keys:
                name = _text(item.get(key))
                if name:
                    break
        else:
            name = _text(item)
        if name and name not in out:
            out.append(name)
    return out


def _split_list(text: str) -> list[str]:
    for separator in _LIST_SEPARATORS:
        if separator in text:
            return [part.strip() for part in text.split(separator) if part.strip()]
    return [text]


def _coerce(value: Any, info: FieldInfo | None) -> Any:
    """A value of an extra shaped for its field (lists, objects); None when empty."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    elif value is None:
        return None
    if info is None:
        if isinstance(value, str) and value[:1] in ("[", "{"):
            parsed = _parse_json(value)
            if isinstance(parsed, list | dict):
                return parsed
        return value
    if info.is_array:
        if isinstance(value, str):
            if value[:1] == "[":
                parsed = _parse_json(value)
                if isinstance(parsed, list):
                    value = parsed
            if isinstance(value, str):
                if "object" in info.item_types:
                    return value  # not a list: the validator reports it as it is
                return _split_list(value)
        if isinstance(value, list):
            items = [item.strip() if isinstance(item, str) else item for item in value]
            return [item for item in items if item not in ("", None)]
        return value
    if "object" in info.types and isinstance(value, str) and value[:1] == "{":
        parsed = _parse_json(value)
        if isinstance(parsed, dict):
            return parsed
    return value


def _resource(item: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("name", "url", "format", "description"):
        text = _text(item.get(key))
        if text is not None:
            out[key] = text
    size = item.get("size")
    if isinstance(size, str) and size.strip().isdigit():
        size = int(size.strip())
    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        out["size"] = size
    modified = _text(item.get("last_modified"))
    if modified is not None:
        out["last_modified"] = modified
    return out


def _extras(package: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(key, value) of the extras: a list of {key, value}, a dict, or top-level keys."""
    pairs: list[tuple[str, Any]] = []
    raw = package.get("extras")
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, Mapping):
                key = _text(item.get("key"))
                if key is not None:
                    pairs.append((key, item.get("value")))
    elif isinstance(raw, Mapping):
        pairs.extend((str(k).strip(), v) for k, v in raw.items() if str(k).strip())
    for key, value in package.items():
        if key not in CKAN_CORE_KEYS and isinstance(key, str) and not key.startswith("_"):
            pairs.append((key, value))
    return pairs


class PackageMapper:
    """Maps CKAN packages onto records with the standard's field names.

    - core fields: ``name``, ``title``, ``notes``, ``license_id``; ``organization`` is
      the organization's title, else its name, else ``organization`` given here (the
      source's default owner); ``tags`` and ``groups`` become lists of names;
      ``resources`` keep ``name``, ``url``, ``format``, ``description``, ``size`` and
      ``last_modified``;
    - extras (a list of ``{key, value}``, a dict, or custom top-level keys): a key that
      is a field name of the standard goes to that field; then a key that is a label of
      a field (``frekuensi_penerbitan`` -> ``jadwal_pemutakhiran``, ``instansi`` ->
      ``organization``) goes there unless the field is already filled; everything else,
      and every key named in the source's ``mapping``, stays under its own key. Values
      are shaped for their field: a JSON list (``'["csv","xlsx"]'``) or a ``;``/``,``
      separated text becomes a list for list fields, a JSON object becomes an object;
    - ``tanggal_dibuat`` / ``tanggal_diperbarui`` from the date part of
      ``metadata_created`` / ``metadata_modified`` only when the extras lack them;
    - ``link_akses`` when the extras lack it: the package's ``url`` if it is a web
      address, else the dataset's page on the portal (``<site>/dataset/<name>``);
    - ``kontak`` when the extras lack it: the maintainer's (else the author's) name and
      e-mail, when there is an e-mail.
    """

    def __init__(
        self,
        standard: Standard | None = None,
        *,
        mapping: Mapping[str, str] | None = None,
        organization: str | None = None,
        site_url: str | None = None,
    ) -> None:
        self.standard = standard or load_standard()
        self.mapping: dict[str, str] = dict(mapping or {})
        self.organization = organization
        self.site_url = site_url.rstrip("/") if site_url else None
        self._targets: dict[str, tuple[str | None, bool]] = {}

    def target(self, key: str) -> tuple[str | None, bool]:
        """(standard field for an extra key or None, whether it is the exact name)."""
        found = self._targets.get(key)
        if found is None:
            if key in self.mapping:
                found = (None, False)
            elif key in self.standard.fields:
                found = (key, True)
            else:
                found = (self.standard.field_for_label(key), False)
            self._targets[key] = found
        return found

    def map(self, package: Mapping[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for key in ("name", "title", "notes", "license_id"):
            text = _text(package.get(key))
            if text is not None:
                record[key] = text
        organization = package.get("organization")
        owner: str | None = None
        if isinstance(organization, Mapping):
            owner = _text(organization.get("title")) or _text(organization.get("name"))
        else:
            owner = _text(organization)
        owner = owner or self.organization
        if owner:
            record["organization"] = owner
        tags = _names(package.get("tags"), "name", "display_name")
        if tags:
            record["tags"] = tags
        groups = _names(package.get("groups"), "name", "title")
        if groups:
            record["groups"] = groups
        resources = package.get("resources")
        if isinstance(resources, list):
            mapped = [_resource(r) for r in resources if isinstance(r, Mapping)]
            if mapped:
                record["resources"] = mapped
        self._map_extras(package, record)
        if "tanggal_dibuat" not in record:
            created = _date_part(package.get("metadata_created"))
            if created:
                record["tanggal_dibuat"] = created
        if "tanggal_diperbarui" not in record:
            modified = _date_part(package.get("metadata_modified"))
            if modified:
                record["tanggal_diperbarui"] = modified
        if "link_akses" not in record:
            link = _text(package.get("url"))
            if link is not None and link.lower().startswith(("http://", "https://")):
                record["link_akses"] = link
            elif self.site_url and "name" in record:
                record["link_akses"] = f"{self.site_url}/dataset/{record['name']}"
        if "kontak" not in record:
            for who in ("maintainer", "author"):
                email = _text(package.get(f"{who}_email"))
                if email:
                    name = _text(package.get(who))
                    record["kontak"] = {"nama": name, "email": email} if name else email
                    break
        return record

    def _map_extras(self, package: Mapping[str, Any], record: dict[str, Any]) -> None:
        labelled: list[tuple[str, str, Any]] = []
        own: list[tuple[str, Any]] = []
        fields = self.standard.fields
        for key, raw in _extras(package):
            target, exact = self.target(key)
            if target is None:
                own.append((key, raw))
            elif exact:
                value = _coerce(raw, fields[target])
                if value is None:
                    continue
                if target in record:
                    if key != target:
                        own.append((key, raw))
                    continue  # a core field wins over an extra of the same name
                record[target] = value
            else:
                labelled.append((key, target, raw))
        for key, target, raw in labelled:
            value = _coerce(raw, fields[target])
            if value is None:
                continue
            if target in record:
                own.append((key, raw))
            else:
                record[target] = value
        for key, raw in own:
            if key in record:
                continue
            # a key named in the source's mapping is shaped for the field it maps to
            value = _coerce(raw, fields.get(self.mapping.get(key, "")))
            if value is not None:
                record[key] = value


def package_to_record(
    package: Mapping[str, Any],
    *,
    mapping: Mapping[str, str] | None = None,
    organization: str | None = None,
    site_url: str | None = None,
) -> dict[str, Any]:
    """One CKAN package as a record (see :class:`PackageMapper`)."""
    return PackageMapper(mapping=mapping, organization=organization, site_url=site_url).map(
        package
    )
