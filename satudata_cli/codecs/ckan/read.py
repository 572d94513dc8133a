"""CKAN package -> record: the standard's field names from a package of the Action API.

:class:`PackageMapper` turns a CKAN package into a record, keeping what it cannot
place under its own key (the harvest engine reports those as ``field.unknown``); a
source's ``mapping`` and ``defaults`` are applied later by the engine, so extras named
in ``mapping`` keep their original key. The inverse is :mod:`.write`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from satudata_cli.codecs.ckan.package import CKAN_CORE_KEYS, RESOURCE_TEXT_KEYS, TERM_KEY
from satudata_cli.codecs.text import clean_text as _text
from satudata_cli.standard.schema import FieldInfo, Standard, load_standard

__all__ = [
    "PackageMapper",
    "item_names",
    "package_extras",
    "package_to_record",
    "shape_for_field",
]

_LIST_SEPARATORS = (";", ",")


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
        if type(item) is dict or isinstance(item, Mapping):
            for key in keys:
                value = item.get(key)
                # _text, inlined for plain strings
                name = (value.strip() or None) if type(value) is str else _text(value)
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


# How an extra's value is shaped, by the field it lands in.
_AS_ANY = 0  # not a field of the standard: a JSON list or object in text is parsed
_AS_TEXT = 1  # text (or a number): kept as it is
_AS_LIST = 2  # a list of strings: JSON list, or text separated by ; or ,
_AS_OBJECTS = 3  # a list of objects (kolom): JSON list only
_AS_OBJECT = 4  # an object or text (kontak, metadata_statistik): JSON object parsed


def _shape(info: FieldInfo | None) -> int:
    if info is None:
        return _AS_ANY
    if info.is_array:
        return _AS_OBJECTS if "object" in info.item_types else _AS_LIST
    if "object" in info.types:
        return _AS_OBJECT
    return _AS_TEXT


def _clean_list(items: list[Any]) -> list[Any]:
    out = []
    for item in items:
        if type(item) is str:
            item = item.strip()
        if item != "" and item is not None:
            out.append(item)
    return out


#: _coerce's answers for short texts of list fields or in JSON, which repeat a lot
#: across packages ("JSON, CSV", '["csv"]'): a text, or a list of texts kept as a tuple
#: (each caller gets a new list). Answers holding anything else (objects, numbers) are
#: not kept.
_COERCED: dict[tuple[str, int], str | tuple[str, ...]] = {}
_COERCED_MAX = 8192
_COERCED_TEXT_MAX = 200


def _coerce(value: Any, shape: int) -> Any:
    """A value of an extra shaped for its field (lists, objects); None when empty."""
    if type(value) is str:
        value = value.strip()
        if not value or shape == _AS_TEXT:
            return value or None
        if shape in (_AS_ANY, _AS_OBJECT) and value[0] not in "[{":
            return value  # plain text: nothing to parse or split
        if len(value) > _COERCED_TEXT_MAX:
            return _coerce_value(value, shape)
        key = (value, shape)
        found = _COERCED.get(key)
        if found is not None:
            return list(found) if type(found) is tuple else found
        result = _coerce_value(value, shape)
        if type(result) is str:
            keep: str | tuple[str, ...] = result
        elif type(result) is list and all(type(item) is str for item in result):
            keep = tuple(result)
        else:
            return result
        if len(_COERCED) >= _COERCED_MAX:
            _COERCED.clear()
        _COERCED[key] = keep
        return result
    return _coerce_value(value, shape)


def shape_for_field(value: Any, info: FieldInfo | None) -> Any:
    """A value shaped for the standard's field ``info`` as CKAN extras are: a JSON list
    or a ``;``/``,`` separated text for list fields, a JSON object for object fields,
    text kept as it is; None when empty. Used by other sources too (jsonapi)."""
    return _coerce(value, _shape(info))


def _coerce_value(value: Any, shape: int) -> Any:
    if type(value) is str or isinstance(value, str):
        value = value.strip()
        if not value or shape == _AS_TEXT:
            return value or None
        first = value[0]
        if shape in (_AS_LIST, _AS_OBJECTS):
            if first == "[":
                parsed = _parse_json(value)
                if type(parsed) is list:
                    return _clean_list(parsed)
            # not a JSON list: text for list fields, left as it is for lists of objects
            # (the validator reports it)
            return _split_list(value) if shape == _AS_LIST else value
        if first == "{" or (first == "[" and shape == _AS_ANY):
            parsed = _parse_json(value)
            if type(parsed) is dict or (type(parsed) is list and shape == _AS_ANY):
                return parsed
        return value
    if value is None:
        return None
    if type(value) is list and (shape in (_AS_LIST, _AS_OBJECTS)):
        return _clean_list(value)
    return value


def _resource(item: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in RESOURCE_TEXT_KEYS:
        value = item.get(key)
        # _text, inlined for plain strings
        text = (value.strip() or None) if type(value) is str else _text(value)
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
    terms = _terms((k, v) for k, v in item.items() if ":" in k and TERM_KEY.match(k))
    if terms:
        out["extras"] = terms
    return out


def _terms(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The ``extras`` map from keys named like prefixed terms (``dct:conformsTo``): a
    JSON list in text as the list, other text as it is (an empty one as ``""``)."""
    out: dict[str, Any] = {}
    for key, raw in pairs:
        value = _coerce(raw, _AS_ANY)
        if value is not None:
            out[key] = value
        elif type(raw) is str:
            out[key] = ""
    return out


def _extras(package: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(key, value) of the extras: a list of {key, value}, a dict, or top-level keys."""
    pairs: list[tuple[str, Any]] = []
    raw = package.get("extras")
    if type(raw) is list:
        for item in raw:
            if type(item) is dict or isinstance(item, Mapping):
                key = item.get("key")
                key = key.strip() if type(key) is str else _text(key)
                if key:
                    pairs.append((key, item.get("value")))
    elif isinstance(raw, Mapping):
        pairs.extend((str(k).strip(), v) for k, v in raw.items() if str(k).strip())
    if type(package) is dict and not package.keys() - CKAN_CORE_KEYS:
        return pairs  # core keys only (most packages), found out in one set operation
    pairs.extend(
        (key, value)
        for key, value in package.items()
        if key not in CKAN_CORE_KEYS and type(key) is str and not key.startswith("_")
    )
    return pairs


class PackageMapper:
    """Maps CKAN packages onto records with the standard's field names.

    - core fields: ``name``, ``title``, ``notes``, ``license_id``; ``organization`` is
      the organization's title, else its name, else ``organization`` given here (the
      source's default owner); ``tags`` and ``groups`` become lists of names;
      ``resources`` keep ``name``, ``url``, ``format``, ``mimetype``, ``description``,
      ``hash``, ``license_id``, ``access_url``, ``size`` and ``last_modified``, and
      their keys named like prefixed terms (``dct:conformsTo``) in ``extras``;
    - extras named like prefixed terms (``dct:conformsTo``, ``dcat:version``: what the
      CKAN writer sends from a record's ``extras`` map) go to the ``extras`` map;
    - extras (a list of ``{key, value}``, a dict, or custom top-level keys): a key that
      is a field name of the standard goes to that field; then a key that is a label of
      a field (``frekuensi_penerbitan`` -> ``jadwal_pemutakhiran``, ``instansi`` ->
      ``organization``) goes there unless the field is already filled; everything else,
      and every key named in the source's ``mapping``, stays under its own key (an
      extra of its own key with an empty or blank value is kept as ``""``). Values
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
        self._targets: dict[str, tuple[str | None, bool, int]] = {}

    def target(self, key: str) -> tuple[str | None, bool, int]:
        """Where an extra goes: (standard field or None, exact field name?, value shape).

        A key named in the source's mapping stays under its own key (None), shaped for
        the field it maps to.
        """
        found = self._targets.get(key)
        if found is None:
            fields = self.standard.fields
            if key in self.mapping:
                found = (None, False, _shape(fields.get(self.mapping[key])))
            elif key in fields:
                found = (key, True, _shape(fields[key]))
            else:
                label = self.standard.field_for_label(key)
                found = (label, False, _shape(fields[label] if label else None))
            self._targets[key] = found
        return found

    def map(self, package: Mapping[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for key in ("name", "title", "notes", "license_id"):
            value = package.get(key)
            # _text, inlined for plain strings
            text = (value.strip() or None) if type(value) is str else _text(value)
            if text is not None:
                record[key] = text
        organization = package.get("organization")
        owner: str | None = None
        if type(organization) is dict or isinstance(organization, Mapping):
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
        if type(resources) is list:
            mapped = [_resource(r) for r in resources if type(r) is dict or isinstance(r, Mapping)]
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
        labelled: list[tuple[str, str, Any, int]] = []
        own: list[tuple[str, Any]] = []
        targets = self._targets
        terms: list[tuple[str, Any]] = []
        for key, raw in _extras(package):
            if ":" in key and key not in self.mapping and TERM_KEY.match(key):
                terms.append((key, raw))  # a term without a field: the extras map
                continue
            target, exact, shape = targets.get(key) or self.target(key)
            if target is None:
                own.append((key, raw))
            elif exact:
                if target in record:
                    if key != target:
                        own.append((key, raw))
                    continue  # a core field wins over an extra of the same name
                value = _coerce(raw, shape)
                # [] is empty too: what a ckanext-scheming list field gives when unset
                if value is not None and value != []:
                    record[target] = value
            else:
                labelled.append((key, target, raw, shape))
        for key, target, raw, shape in labelled:
            if target in record:
                own.append((key, raw))
                continue
            value = _coerce(raw, shape)
            if value is not None and value != []:
                record[target] = value
        extras = _terms(terms)
        if extras:
            record["extras"] = extras
        for key, raw in own:
            if key not in record:
                value = _coerce(raw, self.target(key)[2] if key in self.mapping else _AS_ANY)
                if value is not None:
                    record[key] = value
                elif type(raw) is str:
                    # an empty value is information, and publishing back keeps the key
                    record[key] = ""


def package_to_record(
    package: Mapping[str, Any],
    *,
    mapping: Mapping[str, str] | None = None,
    organization: str | None = None,
    site_url: str | None = None,
) -> dict[str, Any]:
    """One CKAN package as a record (see :class:`PackageMapper`)."""
    return PackageMapper(mapping=mapping, organization=organization, site_url=site_url).map(package)


#: The helpers other modules use (the CKAN source's client-side filters, the jsonapi
#: source): a non-empty stripped text or None; names from a list of strings or objects;
#: the (key, value) pairs of a package's extras.
item_names = _names
package_extras = _extras
