"""Controlled vocabularies (``schemas/vocabularies.yaml``) and their matching.

A value matches a term when it equals the canonical value or one of the
term's variants after folding: case, surrounding blanks, and runs of spaces,
``-``, ``_`` and ``/`` are ignored, so ``Empat Bulanan``, ``EMPAT_BULANAN`` and
``empat-bulanan`` are one key. URIs are matched after the same folding.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from satudata_cli.core.errors import StandardError
from satudata_cli.standard.findings import Message, Severity

_FOLD = re.compile(r"[\s_\-/]+")
_CACHE_SIZE = 4096  # distinct raw values remembered per vocabulary


def fold(value: str) -> str:
    return _FOLD.sub(" ", value.strip().lower()).strip()


@dataclass(frozen=True, slots=True)
class Term:
    value: str
    label: Message
    days: int | None = None
    extensions: tuple[str, ...] = ()
    #: the other spellings and IRIs of the term, as vocabularies.yaml lists them
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """Result of looking a raw value up: ``canonical`` is None when unknown."""

    raw: str
    canonical: str | None

    @property
    def exact(self) -> bool:
        return self.canonical is not None and self.raw == self.canonical


@dataclass(frozen=True)
class Vocabulary:
    name: str
    title: Message
    source: str
    severity_unknown: Severity
    terms: Mapping[str, Term]
    _lookup: Mapping[str, str] = field(repr=False)
    # Caches of match and by_extension (not fields: no part of repr, eq or asdict);
    # values repeat a lot across records, and both answers are immutable.
    _matches: ClassVar[dict[str, Match]]
    _extensions: ClassVar[dict[str, str | None]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_matches", {})
        object.__setattr__(self, "_extensions", {})

    def match(self, raw: str) -> Match:
        found = self._matches.get(raw)
        if found is not None and found.raw.__class__ is raw.__class__:
            return found
        found = Match(raw, self._lookup.get(fold(raw)))
        if len(raw) <= 100 and len(self._matches) < _CACHE_SIZE:
            self._matches[raw] = found
        return found

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.terms)

    def by_extension(self, extension: str) -> str | None:
        try:
            return self._extensions[extension]
        except KeyError:
            pass
        ext = extension.lower()
        found: str | None = None
        for term in self.terms.values():
            if ext in term.extensions:
                found = term.value
                break
        if len(extension) <= 100 and len(self._extensions) < _CACHE_SIZE:
            self._extensions[extension] = found
        return found


def _message(raw: Any, where: str) -> Message:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        raise StandardError(f"vocabularies.yaml: {where} needs 'id' and 'en' texts")
    return Message(id=raw["id"], en=str(raw.get("en", raw["id"])))


def parse_vocabularies(data: Any) -> dict[str, Vocabulary]:
    """Build vocabularies from the parsed YAML; a broken file is a StandardError."""
    if not isinstance(data, Mapping):
        raise StandardError("vocabularies.yaml: the top level must be a mapping")
    out: dict[str, Vocabulary] = {}
    for name, spec in data.items():
        if not isinstance(spec, Mapping) or not isinstance(spec.get("values"), Mapping):
            raise StandardError(f"vocabularies.yaml: {name}: 'values' must be a mapping")
        terms: dict[str, Term] = {}
        lookup: dict[str, str] = {}
        for value, term_spec in spec["values"].items():
            value = str(value)
            term_spec = term_spec or {}
            days = term_spec.get("days")
            terms[value] = Term(
                value=value,
                label=_message(term_spec.get("label", {"id": value}), f"{name}.{value}"),
                days=int(days) if days is not None else None,
                extensions=tuple(str(e).lower() for e in term_spec.get("extensions", ())),
                variants=tuple(str(v) for v in term_spec.get("variants", ())),
            )
            keys = [value, *terms[value].variants]
            keys.append(terms[value].label.id)
            keys.append(terms[value].label.en)
            for key in keys:
                folded = fold(key)
                other = lookup.setdefault(folded, value)
                if other != value:
                    raise StandardError(
                        f"vocabularies.yaml: {name}: '{key}' means both '{other}' and '{value}'"
                    )
        out[str(name)] = Vocabulary(
            name=str(name),
            title=_message(spec.get("title"), f"{name}.title"),
            source=str(spec.get("source", "")),
            severity_unknown=Severity(spec.get("severity_unknown", "error")),
            terms=terms,
            _lookup=lookup,
        )
    return out
