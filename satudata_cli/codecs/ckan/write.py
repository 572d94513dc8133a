"""Record -> CKAN package, and a field-level diff against the portal's package.

The inverse of :class:`satudata_cli.codecs.ckan.read.PackageMapper` (harvesting the
published portal with the CKAN source gives the records back). What a publish target
decides (its organizations map, default licence and organization, extras prefix,
``fields`` map, dataset name rule) comes in as :class:`PackageRules`:

=====================  =============================================================
record                 CKAN package
=====================  =============================================================
``title``, ``notes``   ``title``, ``notes``
``license_id``         ``license_id`` (else the rules' ``default_license``)
``link_akses``         ``url``
``organization``       ``owner_org``: the rules' ``organizations`` map (looked up by
                       ``organization``, then ``produsen_data``), else a slug of it;
                       a created organization gets the record's text as its title
``tags``               ``tags`` (``[{"name": ...}]``), characters CKAN refuses made
                       spaces, tags shorter than 2 left out
``resources``          ``resources`` (name, url, format, mimetype, description, hash,
                       license_id, access_url, size, last_modified, and each entry of
                       the resource's ``extras`` map as a key of its own name),
                       updated in place: matched by URL, then position
``extras``             each entry (a term named like ``dct:conformsTo``) an extra of
                       its own name (the rules' ``extras_prefix`` before it)
``kontak``             the extra ``kontak``, and ``maintainer``/``maintainer_email``
                       for the portal's page
``klasifikasi_akses``  the extra, and ``private: true`` unless it is ``terbuka``
every other field      an extra named ``extras_prefix + field``; lists and objects as
                       JSON text, numbers as text (CKAN stores extras as text)
=====================  =============================================================

The rules' ``fields`` map sends a field elsewhere: a CKAN core field (``author``,
``version``), ``extras:KEY``, or a top-level field of a ckanext-scheming schema (a
publish target's ``scheming: true`` maps every SDI field to the field of the schema
that ``satudata schema export --format ckan-scheming`` writes; those in ``list_fields``
go as a list, for scheming's ``multiple_text``). The
harvest identity rides along as two extras, ``satudata_source`` and
``satudata_remote_id``, so a publisher that lost its catalogue finds its datasets again.

Not carried: ``groups`` (CKAN groups must exist and are curated on the portal), and
fields whose extra would be named like a CKAN core field (CKAN refuses those).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from satudata_cli.codecs.ckan.package import CKAN_CORE_KEYS, RESOURCE_TEXT_KEYS, TERM_KEY
from satudata_cli.standard.rules import valid_email

__all__ = [
    "IDENTITY_REMOTE",
    "IDENTITY_SOURCE",
    "FieldChange",
    "PackageRules",
    "PackageWriter",
    "diff_packages",
    "identity_of",
    "match_resources",
    "portal_view",
    "slugify",
]

IDENTITY_SOURCE = "satudata_source"
IDENTITY_REMOTE = "satudata_remote_id"

#: Record fields with a fixed place in the package (not extras).
_PLACED = frozenset(
    {
        "name",
        "title",
        "notes",
        "organization",
        "tags",
        "resources",
        "license_id",
        "groups",
        "extras",
    }
)
_TEXT_CORE = (
    "title",
    "notes",
    "url",
    "license_id",
    "version",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
)
_RESOURCE_KEYS = (*RESOURCE_TEXT_KEYS, "size", "last_modified")
#: Resource keys a portal may hold when the record has none (CKAN guesses a format and
#: a media type, a harvester adds a checksum): kept by an update, and no change.
_PORTAL_MAY_ADD = frozenset({"format", "mimetype", "hash", "license_id", "access_url"})
_NAME_MAX = 100
#: Names CKAN refuses for a dataset (its own pages /dataset/new, /edit, /search).
_CKAN_RESERVED_NAMES = frozenset({"new", "edit", "search"})


def slugify(text: str, *, max_length: int = _NAME_MAX) -> str:
    """A CKAN name from any text: ASCII lower-case letters, digits and ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_]+", "-", ascii_text.lower()).strip("-_")
    slug = re.sub(r"-{2,}", "-", slug)
    return slug[:max_length].rstrip("-_")


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _text_value(value: Any) -> str | None:
    """An extra's value: text as is, numbers as text, lists/objects as JSON; None if empty."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | dict) and not value:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))


def identity_of(package: Mapping[str, Any]) -> tuple[str, str] | None:
    """(source id, remote id) from a package's identity extras, or None."""
    extras = package.get("extras")
    if not isinstance(extras, list):
        return None
    found: dict[str, str] = {}
    for item in extras:
        if isinstance(item, Mapping) and item.get("key") in (IDENTITY_SOURCE, IDENTITY_REMOTE):
            found[str(item["key"])] = str(item.get("value"))
    if IDENTITY_SOURCE in found and IDENTITY_REMOTE in found:
        return found[IDENTITY_SOURCE], found[IDENTITY_REMOTE]
    return None


@dataclass(frozen=True)
class PackageRules:
    """What decides the package besides the record (a publish target's settings).

    ``organizations``: record text -> CKAN organization name; ``fields``: record field
    -> where it goes (a CKAN core field, ``extras:KEY`` or a ckanext-scheming field);
    ``list_fields``: the record fields whose ckanext-scheming field takes a list of
    texts (``multiple_text``: sent as a list, not as JSON text); ``extras_prefix`` comes
    before the extras' names; ``name_from`` (``name`` or ``title``) and ``name_prefix``
    make the dataset name.
    """

    organizations: Mapping[str, str] = field(default_factory=dict)
    default_organization: str | None = None
    default_license: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    list_fields: frozenset[str] = frozenset()
    extras_prefix: str = ""
    name_from: Literal["name", "title"] = "name"
    name_prefix: str = ""


class PackageWriter:
    """Builds the package for a record under one set of :class:`PackageRules`."""

    def __init__(self, rules: PackageRules) -> None:
        self.rules = rules
        self._orgs = dict(rules.organizations)

    # -- names -------------------------------------------------------------------------

    def base_name(self, record: Mapping[str, Any], source_id: str, remote_id: str) -> str:
        """The dataset name from the record (stable: the same record gives the same name)."""
        texts = [record.get("name"), record.get("title")]
        if self.rules.name_from == "title":
            texts.reverse()
        prefix = self.rules.name_prefix
        for text in texts:
            if isinstance(text, str):
                slug = slugify(text, max_length=_NAME_MAX - len(prefix))
                if len(prefix + slug) >= 2:
                    if prefix + slug in _CKAN_RESERVED_NAMES:  # CKAN: "cannot be used"
                        return self.alternative_name(prefix + slug, source_id, remote_id)
                    return prefix + slug
        return prefix + f"dataset-{_short_hash(f'{source_id}:{remote_id}')}"

    @staticmethod
    def alternative_name(base: str, source_id: str, remote_id: str) -> str:
        """The name when ``base`` belongs to another dataset: ``base-<hash of identity>``."""
        suffix = _short_hash(f"{source_id}:{remote_id}")
        return f"{base[: _NAME_MAX - len(suffix) - 1].rstrip('-_')}-{suffix}"

    # -- organizations -----------------------------------------------------------------

    def organization(self, record: Mapping[str, Any]) -> tuple[str, str] | None:
        """(CKAN organization name, title for creating it), or None when the record has none."""
        candidates = [record.get("organization"), record.get("produsen_data")]
        texts = [c.strip() for c in candidates if isinstance(c, str) and c.strip()]
        for text in texts:
            if text in self._orgs:
                return self._orgs[text], text
        for text in texts:
            slug = slugify(text)
            if len(slug) >= 2:
                return slug, text
        if self.rules.default_organization:
            return self.rules.default_organization, self.rules.default_organization
        return None

    # -- the package -------------------------------------------------------------------

    def build(
        self,
        record: Mapping[str, Any],
        *,
        source_id: str,
        remote_id: str,
        name: str,
        owner: str | None,
    ) -> dict[str, Any]:
        """The package (without ``id``) that represents ``record`` on the portal."""
        fields = self.rules.fields
        prefix = self.rules.extras_prefix
        package: dict[str, Any] = {"name": name}
        if owner is not None:
            package["owner_org"] = owner
        extras: dict[str, str] = {}
        top: dict[str, Any] = {}

        def place(field: str, value: Any, default_target: str | None) -> None:
            text = _text_value(value)
            target = fields.get(field, default_target)
            if target is not None and target.startswith("extras:") and value == "":
                extras[target.removeprefix("extras:")] = ""  # an empty extra keeps its key
                return
            if text is None or target is None:
                return
            if target.startswith("extras:"):
                extras[target.removeprefix("extras:")] = text
            elif target in _TEXT_CORE:
                top[target] = text
            elif field in self.rules.list_fields and _text_list(value):
                top[target] = [v for v in value if v.strip()]  # scheming multiple_text
            else:  # a field of a ckanext-scheming schema
                top[target] = value if isinstance(value, str) else text

        for key in ("title", "notes"):
            value = record.get(key)
            if isinstance(value, str) and value.strip():
                top[key] = value
        license_id = record.get("license_id") or self.rules.default_license
        if isinstance(license_id, str) and license_id.strip():
            top["license_id"] = license_id
        for key, value in _terms(record.get("extras")):
            place(key, value, f"extras:{prefix}{key}")
        for key, value in record.items():
            if key in _PLACED:
                continue
            if key == "link_akses":
                place(key, value, "url")
                continue
            extra = prefix + key
            if extra in CKAN_CORE_KEYS or extra in (IDENTITY_SOURCE, IDENTITY_REMOTE):
                place(key, value, None)  # only where the target's fields map sends it
            else:
                place(key, value, f"extras:{extra}")
        contact = record.get("kontak")
        # the portal's page shows maintainer/maintainer_email: filled from kontak unless
        # the fields map sends kontak to one of CKAN's own fields itself
        if fields.get("kontak") not in _TEXT_CORE:
            if isinstance(contact, Mapping):
                nama, email = contact.get("nama"), contact.get("email")
                if isinstance(nama, str) and nama.strip():
                    top.setdefault("maintainer", nama)
                address = _email_address(email)
                if address is not None:
                    top.setdefault("maintainer_email", address)
            elif isinstance(contact, str):
                address = _email_address(contact)
                if address is not None:
                    top.setdefault("maintainer_email", address)
        access = record.get("klasifikasi_akses")
        package["private"] = isinstance(access, str) and access.strip().lower() not in (
            "",
            "terbuka",
        )
        package.update(top)
        tags = record.get("tags")
        if isinstance(tags, list):
            cleaned = (_tag(t) for t in tags if isinstance(t, str))
            package["tags"] = [{"name": t} for t in dict.fromkeys(c for c in cleaned if c)]
        else:
            package["tags"] = []
        resources = record.get("resources")
        package["resources"] = [_resource(r) for r in resources or [] if isinstance(r, Mapping)]
        extras[IDENTITY_SOURCE] = source_id
        extras[IDENTITY_REMOTE] = remote_id
        package["extras"] = [{"key": k, "value": extras[k]} for k in sorted(extras)]
        return package


def _terms(extras: Any) -> list[tuple[str, Any]]:
    """The entries of an ``extras`` map (terms without a field of the standard, named
    like ``dct:conformsTo``) that travel as extras (resource keys) of that name; an
    entry of another name has no place in CKAN (docs/field-table.md)."""
    if not isinstance(extras, Mapping):
        return []
    return [(k, v) for k, v in extras.items() if isinstance(k, str) and TERM_KEY.match(k)]


def _text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _email_address(value: Any) -> str | None:
    """The address for ``maintainer_email``, or None: CKAN refuses the whole dataset (409)
    over a ``maintainer_email`` it does not take for an address, such as the
    ``mailto:data@...`` form that the Satu Data rules accept (the ``kontak`` extra keeps
    the text as it is)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    return text if text and valid_email(text) else None


_TAG_REFUSED = re.compile(r"[^\w .-]+")


def _tag(text: str) -> str | None:
    """A tag CKAN takes, or None: CKAN refuses the whole dataset (409) over one tag with
    other characters than letters, digits, space, ``-``, ``_`` and ``.`` (``Ibu & Anak``,
    ``COVID-19/Corona``), shorter than 2 or longer than 100 characters. Those characters
    become a space; a tag still too short is left out."""
    tag = " ".join(_TAG_REFUSED.sub(" ", text).split())[:_NAME_MAX].strip()
    return tag if len(tag) >= 2 else None


def _resource(item: Mapping[str, Any]) -> dict[str, Any]:
    """A resource as CKAN takes it: a ``size`` that is not a whole number of bytes or a
    ``last_modified`` that is not an ISO date would cost the whole dataset a 409, so
    they are left out."""
    out: dict[str, Any] = {}
    for key in _RESOURCE_KEYS:
        value = item.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key == "size":
            value = _size(value)
        elif key == "last_modified" and not _iso_time(value):
            value = None
        if value is not None:
            out[key] = value
    for key, value in _terms(item.get("extras")):
        text = _text_value(value)
        if text is not None or value == "":
            out.setdefault(key, text or "")
    out.setdefault("url", "")
    return out


def _size(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _iso_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


# -- comparing with the portal ---------------------------------------------------------


def _norm_time(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:  # CKAN stores the UTC time without its offset
        moment = moment.astimezone(dt.UTC)
    return moment.replace(tzinfo=None).isoformat()


def _norm_resource(item: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _RESOURCE_KEYS:
        value = item.get(key)
        if value is None or value == "":
            continue
        if key == "format" and isinstance(value, str):
            value = value.upper()  # CKAN writes known formats in capitals (csv -> CSV)
        elif key == "last_modified":
            value = _norm_time(value)
        elif key == "size" and isinstance(value, str) and value.isdigit():
            value = int(value)
        out[key] = value
    for key, value in item.items():
        if isinstance(key, str) and TERM_KEY.match(key):
            out[key] = value
    return out


def _view(package: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """The comparable parts of a package: ``keys`` at the top, tags, extras, resources."""
    out: dict[str, Any] = {}
    for key in keys:
        value = package.get(key)
        if key == "owner_org":
            org = package.get("organization")
            if isinstance(org, Mapping) and org.get("name"):
                value = org.get("name")
        if key == "private":
            value = bool(value)
        if value is None or value == "":
            continue
        out[key] = value
    tags = package.get("tags") or []
    out["tags"] = sorted(
        str(t.get("name")) for t in tags if isinstance(t, Mapping) and t.get("name")
    )
    extras = package.get("extras") or []
    out["extras"] = {str(e.get("key")): e.get("value") for e in extras if isinstance(e, Mapping)}
    resources = package.get("resources") or []
    out["resources"] = [_norm_resource(r) for r in resources if isinstance(r, Mapping)]
    return out


def portal_view(
    desired: Mapping[str, Any], current: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(desired, current) reduced to what satudata manages, for comparing."""
    keys = sorted(
        {k for k in desired if k not in ("tags", "extras", "resources")}
        | set(_TEXT_CORE)
        | {"owner_org", "private", "name"}
    )
    want = _view(desired, keys)
    have = _view(current, keys) if current is not None else {}
    return want, have


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: ``field`` like ``title``, ``extras.tahun``, ``resources[0].url``."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


def diff_packages(
    desired: Mapping[str, Any], current: Mapping[str, Any] | None
) -> list[FieldChange]:
    """Field-level differences between the portal's package and the desired one."""
    want, have = portal_view(desired, current)
    changes: list[FieldChange] = []
    for key in sorted(set(want) | set(have)):
        if key in ("extras", "resources"):
            continue
        if want.get(key) != have.get(key):
            changes.append(FieldChange(key, have.get(key), want.get(key)))
    want_extras, have_extras = want.get("extras", {}), have.get("extras", {})
    for key in sorted(set(want_extras) | set(have_extras)):
        if want_extras.get(key) != have_extras.get(key):
            changes.append(FieldChange(f"extras.{key}", have_extras.get(key), want_extras.get(key)))
    want_res, have_res = want.get("resources", []), have.get("resources", [])
    for index in range(max(len(want_res), len(have_res))):
        new = want_res[index] if index < len(want_res) else None
        old = have_res[index] if index < len(have_res) else None
        if new is None or old is None:
            changes.append(FieldChange(f"resources[{index}]", old, new))
            continue
        for key in sorted(set(new) | set(old)):
            if key not in new and (key in _PORTAL_MAY_ADD or TERM_KEY.match(key)):
                continue  # CKAN guesses a missing format from the URL: not a change
            if new.get(key) != old.get(key):
                changes.append(FieldChange(f"resources[{index}].{key}", old.get(key), new.get(key)))
    return changes


def match_resources(
    desired: Sequence[Mapping[str, Any]], current: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The desired resources with the ids of the portal's, so CKAN updates them in place.

    Matched by URL first; a resource whose URL changed takes the portal's resource at
    its position when that one is left over, else the next one left over. Portal
    resources left over after that are removed by the update. A matched resource keeps
    what satudata does not manage (``datastore_active``, fields added on the portal;
    file details such as ``url_type`` and ``mimetype`` only while its URL is the same).
    """
    taken: set[int] = set()
    by_url: dict[str, list[int]] = {}
    for index, item in enumerate(current):
        url = item.get("url")
        if isinstance(url, str) and url:
            by_url.setdefault(url, []).append(index)
    chosen: list[int | None] = []
    for item in desired:
        match = None
        for index in by_url.get(str(item.get("url") or ""), []):
            if index not in taken:
                match = index
                break
        chosen.append(match)
        if match is not None:
            taken.add(match)
    free = [i for i in range(len(current)) if i not in taken]
    out: list[dict[str, Any]] = []
    for position, item in enumerate(desired):
        match = chosen[position]
        if match is None and free:
            # the one at the same place when it is free, else the next one left over
            match = position if position in free else free[0]
            free.remove(match)
        resource: dict[str, Any] = {}
        if match is not None:
            resource.update(_portal_kept(current[match], same_url=chosen[position] is not None))
        resource.update(item)
        if match is not None and current[match].get("id"):
            resource["id"] = current[match]["id"]
        out.append(resource)
    return out


#: Resource keys CKAN computes itself; never sent back.
_RESOURCE_SERVER_KEYS = frozenset(
    {"id", "package_id", "position", "created", "metadata_modified", "state", "tracking_summary"}
)
#: Resource keys that describe the file at the old URL; dropped when the URL changes.
_RESOURCE_URL_KEYS = frozenset(
    {"url_type", "mimetype", "mimetype_inner", "hash", "cache_url", "cache_last_updated"}
)


def _portal_kept(item: Mapping[str, Any], *, same_url: bool) -> dict[str, Any]:
    """What the portal's resource holds that satudata does not manage (kept by an update).

    ``package_update`` replaces a resource with what is sent: without this, the keys the
    portal or its administrator added (``datastore_active``, a resource view's settings,
    custom fields) would be wiped by every update of the dataset.
    """
    return {
        key: value
        for key, value in item.items()
        if (key not in _RESOURCE_KEYS or (key in _PORTAL_MAY_ADD and key != "format"))
        and key not in _RESOURCE_SERVER_KEYS
        and (same_url or key not in _RESOURCE_URL_KEYS)
    }
