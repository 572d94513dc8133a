"""The generic part of mapping a source's record onto the standard.

Every source first maps its own shape (CKAN extras, spreadsheet headers, ...)
onto field names; then, for every kind of source alike, the source's
``mapping`` renames fields (``frekuensi_penerbitan: jadwal_pemutakhiran``) and
its ``defaults`` fill what the record lacks (a value in the record wins), and
``organization`` names the owner when the record has none. Last, the Medan Satu Data
pillar (``pilar``) of a record that names none comes from the source's
``pilar_by_organization`` (its organization's entry) or else from its ``pilar``
(:func:`fill_pilar`): the record's own pillar > the agency's > the source's.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal

#: Where a filled-in pillar came from: the config key that gave it.
PilarOrigin = Literal["pilar_by_organization", "pilar"]


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def apply_mapping(
    record: Mapping[str, Any],
    mapping: Mapping[str, str],
    defaults: Mapping[str, Any],
    organization: str | None = None,
) -> dict[str, Any]:
    out = dict(record)
    for source_key, target in mapping.items():
        if source_key not in out or source_key == target:
            continue
        value = out.pop(source_key)
        if _blank(out.get(target)):
            out[target] = value
        else:
            # both given: the standard's own field wins; keep the other under its name
            out[source_key] = value
    for key, value in defaults.items():
        if _blank(out.get(key)):
            out[key] = copy.deepcopy(value)
    if organization and _blank(out.get("organization")):
        out["organization"] = organization
    return out


def organization_key(name: str) -> str:
    """How organization names are matched in ``pilar_by_organization``: case and runs
    of blanks ignored (``Dinas  Kesehatan`` is ``dinas kesehatan``)."""
    return " ".join(name.split()).casefold()


def _organization_names(value: Any) -> list[str]:
    """The names a record's organization goes by: the text, or a CKAN-style object's
    title and name."""
    if isinstance(value, Mapping):
        return [v for v in (value.get("title"), value.get("name")) if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def fill_pilar(
    record: dict[str, Any], default: str | None, by_organization: Mapping[str, str]
) -> tuple[PilarOrigin, str | None] | None:
    """Give ``record`` (changed in place) the source's pillar when it names none: the
    entry of its organization in ``by_organization`` (keys made by
    :func:`organization_key`), else ``default``. Returns where it came from and the
    organization entry used (None when the record keeps its own or nothing applies)."""
    if not _blank(record.get("pilar")):
        return None
    if by_organization:
        for name in _organization_names(record.get("organization")):
            value = by_organization.get(organization_key(name))
            if value is not None:
                record["pilar"] = value
                return "pilar_by_organization", name
    if default is not None:
        record["pilar"] = default
        return "pilar", None
    return None
