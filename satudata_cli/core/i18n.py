"""Language selection. Messages are carried in both languages by each finding;
this module only decides which one a person sees."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)


def detect_lang(environ: Mapping[str, str]) -> Lang:
    """Indonesian when LC_ALL, LC_MESSAGES or LANG (first one set) starts with ``id``."""
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key, "")
        if value:
            return "id" if value.lower().startswith(("id", "in_")) else "en"
    return "en"
