"""The generic part of mapping a source's record onto the standard.

Every source first maps its own shape (CKAN extras, spreadsheet headers, ...)
onto field names; then, for every kind of source alike, the source's
``mapping`` renames fields (``frekuensi_penerbitan: jadwal_pemutakhiran``) and
its ``defaults`` fill what the record lacks (a value in the record wins), and
``organization`` names the owner when the record has none.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


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
