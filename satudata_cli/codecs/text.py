"""Text helpers shared by the codecs that read JSON (CKAN packages, data.json)."""

from __future__ import annotations

from typing import Any

__all__ = ["clean_text"]


def clean_text(value: Any) -> str | None:
    """A non-empty, stripped string, or None (numbers become text; booleans do not)."""
    if type(value) is str or isinstance(value, str):
        value = value.strip()
        return value or None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    return None
