"""Values the katalog can store: what JSON holds, and nothing else.

A record is stored as JSON text in UTF-8. Readers and portals can still hand over
values that have no such form:

- a float that is infinite or not a number: ``1e400`` in JSON overflows to infinity,
  YAML writes ``.inf`` and ``.nan``;
- bytes: YAML's ``!!binary``;
- a string (a value or a key) holding a lone surrogate: the JSON escape ``"\\ud800"``,
  common where a portal cuts a string inside an emoji; it has no UTF-8 form;
- a value of any other type, or nesting deeper than the JSON encoder goes.

:func:`unstorable` finds the first such value (depth first, in key order) and says
where and why, in Indonesian and English; ``None`` when everything can be stored.
Dates, times, decimals, sets and tuples count as storable: the catalogue writes them
as ISO text, strings and lists. The common case costs one C-speed JSON encoding; the
walk that finds the culprit runs only when that fails.

:func:`printable` makes any text writable (a lone surrogate becomes the escape
``\\ud800``) for messages, event rows and logs.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_NESTING", "Unstorable", "printable", "unstorable"]

#: Deeper than this is refused by the walk (the JSON encoder's own limit is near 1,000).
MAX_NESTING = 500

_CONVERTED = (dt.date, dt.datetime, dt.time, decimal.Decimal, set, frozenset)


def _default(value: object) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(type(value).__name__)


_STRICT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_default)


@dataclass(frozen=True, slots=True)
class Unstorable:
    """Where (``path``: keys and list positions, printable) and why (``id``/``en``)."""

    path: tuple[str | int, ...]
    id: str
    en: str


def printable(text: str) -> str:
    """``text`` with every lone surrogate written as its escape (``\\ud800``)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable(value: Any) -> Unstorable | None:
    """The first value in ``value`` that the catalogue cannot store, or ``None``."""
    try:
        _STRICT.encode(value).encode("utf-8")
    except (TypeError, ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return _find(value) or Unstorable((), _DEEP_ID, _DEEP_EN)
    return None


_SURROGATE_ID = (
    "surrogate tunggal (mis. \\ud800, emoji yang terpotong) yang tidak punya bentuk UTF-8"
)
_DEEP_ID, _DEEP_EN = "struktur bersarang terlalu dalam", "nested too deeply"
_SURROGATE_EN = "a lone surrogate (such as \\ud800, an emoji cut in half) that has no UTF-8 form"


def _why(value: Any) -> tuple[str, str] | None:
    """Why a scalar cannot be stored; None when it can (containers are walked)."""
    if value is None or isinstance(value, bool | int):
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return "bukan angka (NaN)", "not a number (NaN)"
        if math.isinf(value):
            return (
                "angka di luar jangkauan (tak hingga, mis. 1e400 atau .inf)",
                "a number out of range (infinite, e.g. 1e400 or .inf)",
            )
        return None
    if isinstance(value, str):
        if _encodable(value):
            return None
        return f"teks dengan {_SURROGATE_ID}", f"text with {_SURROGATE_EN}"
    if isinstance(value, bytes | bytearray):
        return "data biner (!!binary)", "binary data (!!binary)"
    if isinstance(value, (dict, list, tuple, *_CONVERTED)):
        return None
    name = type(value).__name__
    return f"nilai bertipe {name}", f"a value of type {name}"


def _key_part(key: Any) -> str | int:
    if isinstance(key, str):
        return printable(key)
    return str(key)


def _find(value: Any) -> Unstorable | None:
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_NESTING:
            return Unstorable(path, _DEEP_ID, _DEEP_EN)
        reason = _why(item)
        if reason is not None:
            return Unstorable(path, *reason)
        children: list[tuple[Any, tuple[str | int, ...]]] = []
        if isinstance(item, dict):
            for key, child in item.items():
                where = (*path, _key_part(key))
                if isinstance(key, str):
                    if not _encodable(key):
                        return Unstorable(
                            where, f"kunci dengan {_SURROGATE_ID}", f"a key with {_SURROGATE_EN}"
                        )
                elif not (key is None or isinstance(key, bool | int | float)) or _why(key):
                    name = type(key).__name__
                    key_id, key_en = _why(key) or (
                        f"nilai bertipe {name}",
                        f"a value of type {name}",
                    )
                    return Unstorable(where, f"kunci berupa {key_id}", f"a key that is {key_en}")
                children.append((child, where))
        elif isinstance(item, list | tuple | set | frozenset):
            children = [(child, (*path, i)) for i, child in enumerate(item)]
        stack.extend(reversed(children))
    return None
