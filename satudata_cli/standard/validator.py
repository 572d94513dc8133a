"""The validator: JSON Schema (compiled once, jsonschema-rs) plus the code rules.

``Validator.validate(record)`` returns a :class:`RecordResult` with every
finding and the normalised record. It never raises on data: any JSON value is
a record to judge, not an exception.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

import jsonschema_rs

from satudata_cli.standard.findings import (
    VERDICT_COLUMNS,
    Finding,
    Message,
    RecordResult,
    Severity,
    json_path,
)
from satudata_cli.standard.profiles import Profile, ProfileLoader
from satudata_cli.standard.rules import RuleContext, run_rules, short
from satudata_cli.standard.ruleset import RULES
from satudata_cli.standard.schema import Standard, load_standard

MULTI_VALUE_SEPARATOR = ";"


def _schema_message(kind: str, params: Mapping[str, Any], fallback: str) -> Message:
    """Bilingual text for one JSON Schema error, without echoing huge values."""
    if kind == "type":
        types = " / ".join(str(t) for t in params.get("types", ()))
        return Message(f"Tipe nilai salah: seharusnya {types}", f"Wrong type: expected {types}")
    if kind == "required":
        prop = params.get("property")
        return Message(f"Kolom wajib '{prop}' tidak ada", f"Required field '{prop}' is missing")
    if kind in ("maxLength", "minLength", "maxItems", "minItems"):
        limit = params.get("limit")
        texts = {
            "maxLength": (
                f"Teks terlalu panjang (paling banyak {limit} karakter)",
                f"Text too long (at most {limit} characters)",
            ),
            "minLength": (
                f"Teks terlalu pendek (paling sedikit {limit} karakter)",
                f"Text too short (at least {limit} characters)",
            ),
            "maxItems": (
                f"Terlalu banyak butir (paling banyak {limit})",
                f"Too many items (at most {limit})",
            ),
            "minItems": (
                f"Terlalu sedikit butir (paling sedikit {limit})",
                f"Too few items (at least {limit})",
            ),
        }
        return Message(*texts[kind])
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        limit = params.get("limit")
        words = {
            "minimum": ("paling kecil", "at least"),
            "maximum": ("paling besar", "at most"),
            "exclusiveMinimum": ("lebih dari", "greater than"),
            "exclusiveMaximum": ("kurang dari", "less than"),
        }[kind]
        return Message(f"Nilai harus {words[0]} {limit}", f"Value must be {words[1]} {limit}")
    if kind == "pattern":
        pattern = params.get("pattern")
        return Message(
            f"Nilai tidak sesuai pola {pattern}", f"Value does not match the pattern {pattern}"
        )
    if kind == "enum":
        options = ", ".join(str(o) for o in params.get("options", ()))
        return Message(
            f"Nilai harus salah satu dari: {options}", f"Value must be one of: {options}"
        )
    if kind == "uniqueItems":
        return Message(
            "Butir dalam daftar tidak boleh berulang", "Items in the list must be unique"
        )
    if kind == "const":
        return Message(
            f"Nilai harus {short(params.get('expected_value'))}",
            f"Value must be {short(params.get('expected_value'))}",
        )
    return Message(f"Tidak sesuai skema: {fallback}", f"Does not match the schema: {fallback}")


def _limited(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Validator:
    """Validates records against one resolved profile. Build once, call many times."""

    def __init__(
        self,
        profile: Profile | None = None,
        *,
        standard: Standard | None = None,
        today: date | None = None,
        fail_on: Severity = Severity.ERROR,
    ) -> None:
        self.standard = standard or load_standard()
        self.profile = profile or ProfileLoader(self.standard).load("sdi-dasar")
        self.today = today or date.today()
        self.fail_on = fail_on
        self.fingerprint = _fingerprint(self.standard, self.profile, self.today, self.fail_on)
        registry = jsonschema_rs.Registry(
            [(uri, dict(schema)) for uri, schema in self.standard.ms_schemas.items()]
        )
        self._schema = jsonschema_rs.validator_for(
            dict(self.standard.dataset_schema), registry=registry
        )

    # -- tabular rows (CSV, XLSX) --------------------------------------------------------

    def from_row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """Map spreadsheet headers to canonical fields and cells to typed values.

        Headers match a field's name or any of its ``x-labels`` (case and
        punctuation ignored); unmatched headers are kept as they are. Cells of list
        fields are split on ``;``; cells of object/list-of-object fields that hold
        JSON are parsed; whole numbers become integers where the field is numeric.
        A row with the verdict columns of an export (``valid``, ``errors`` and
        ``warnings``, see :data:`VERDICT_COLUMNS`) has those columns left out.
        """
        record: dict[str, Any] = {}
        if all(name in row for name in VERDICT_COLUMNS[:3]):
            row = {k: v for k, v in row.items() if k not in VERDICT_COLUMNS}
        for header, cell in row.items():
            name = self.standard.field_for_label(header) or header
            info = self.standard.fields.get(name)
            value: Any = cell
            if info is not None and isinstance(cell, str):
                value = self._coerce(cell, info.types, info.item_types)
            if name in record and name != header:
                continue  # the first column for a field wins; later ones stay as found
            record[name] = value
        return record

    @staticmethod
    def _coerce(cell: str, types: tuple[str, ...], item_types: tuple[str, ...]) -> Any:
        text = cell.strip()
        if "object" in types or (types == ("array",) and "object" in item_types):
            if text[:1] in "[{":
                try:
                    return json.loads(text)
                except ValueError:
                    return cell
            if "string" in types:
                return text
            if types == ("array",):
                return [part.strip() for part in text.split(MULTI_VALUE_SEPARATOR) if part.strip()]
            return cell
        if types == ("array",):
            return [part.strip() for part in text.split(MULTI_VALUE_SEPARATOR) if part.strip()]
        if "integer" in types and text.lstrip("-").isdigit() and len(text) < 19:
            return int(text)
        return text

    # -- records ---------------------------------------------------------------------------

    def validate(
        self,
        record: Any,
        *,
        source: str = "-",
        index: int | None = None,
        line: int | None = None,
    ) -> RecordResult:
        label = self._label(record, index)
        result = RecordResult(
            source=source, record=label, index=index, line=line, fail_on=self.fail_on
        )
        if not isinstance(record, dict):
            info = RULES["record.not-object"]
            severity = self.profile.severity(info.id, info.severity)
            if severity is None:
                return result
            result.findings.append(
                Finding(
                    info.id,
                    severity,
                    "$",
                    Message(
                        f"Rekaman harus berupa objek JSON, bukan {type(record).__name__}",
                        f"A record must be a JSON object, not {type(record).__name__}",
                    ),
                )
            )
            return result
        ctx = RuleContext(self.standard, self.profile, self.today, record)
        result.findings.extend(run_rules(ctx))
        result.findings.extend(self._schema_findings(ctx.normalized, ctx.handled_paths))
        result.normalized = ctx.normalized
        return result

    def add_source_findings(self, result: RecordResult, findings: Iterable[Finding]) -> None:
        """Add what a source noticed about the record's original shape to ``result``,
        each at the severity the profile gives its rule (left out when switched off)."""
        for finding in findings:
            severity = self.profile.severity(finding.rule, finding.severity)
            if severity is None:
                continue
            if severity is not finding.severity:
                finding = replace(finding, severity=severity)
            result.findings.append(finding)

    def validate_many(self, records: Iterable[Any], *, source: str = "-") -> Iterator[RecordResult]:
        for i, record in enumerate(records, start=1):
            yield self.validate(record, source=source, index=i)

    def _schema_findings(self, record: dict[str, Any], handled: set[str]) -> Iterator[Finding]:
        try:
            errors = list(self._schema.iter_errors(record))
        except (ValueError, OverflowError, RecursionError) as exc:
            # jsonschema-rs refuses values it cannot represent (e.g. integers past 64 bits,
            # nesting deeper than its limit); that is a finding about the record.
            yield Finding(
                "schema.unsupported-value",
                Severity.ERROR,
                "$",
                Message(
                    f"Rekaman memuat nilai yang tidak dapat diperiksa: {_limited(str(exc))}",
                    f"The record holds a value that cannot be checked: {_limited(str(exc))}",
                ),
            )
            return
        for error in errors:
            parts = list(error.instance_path)
            kind = error.kind.name
            params = error.kind.as_dict()
            if kind == "required" and params.get("property") is not None:
                parts.append(str(params["property"]))
            path = json_path(parts)
            if path in handled:
                continue
            rule = f"schema.{_kebab(kind)}"
            severity = self.profile.severity(rule, Severity.ERROR)
            if severity is None:
                continue
            yield Finding(
                rule,
                severity,
                path,
                _schema_message(kind, params, _limited(error.message)),
            )

    @staticmethod
    def _label(record: Any, index: int | None) -> str:
        if isinstance(record, dict):
            for key in ("name", "title"):
                value = record.get(key)
                if isinstance(value, str) and value.strip():
                    return short(value.strip(), 80)
        return f"#{index}" if index is not None else "#?"


@lru_cache(maxsize=256)  # a handful of JSON Schema keywords
def _kebab(name: str) -> str:
    out = []
    for ch in name:
        if ch.isupper():
            out.append("-" + ch.lower())
        else:
            out.append(ch)
    return "".join(out)


def _fingerprint(standard: Standard, profile: Profile, today: date, fail_on: Severity) -> str:
    """What a verdict depends on besides the record: version, standard, profile, day."""
    from satudata_cli import __version__

    parts = {
        "version": __version__,
        "standard": [
            standard.dataset_schema,
            standard.ms_schemas,
            sorted(
                (
                    name,
                    sorted((t.value, t.days, t.extensions) for t in v.terms.values()),
                    sorted(v._lookup.items()),
                )
                for name, v in standard.vocabularies.items()
            ),
        ],
        "profile": [
            profile.chain,
            profile.required,
            profile.recommended,
            sorted((k, list(v)) for k, v in profile.vocabularies.items()),
            profile.region_within,
            sorted((k, v.value if v else None) for k, v in profile.rules.items()),
            profile.grace_days,
        ],
        "today": today.isoformat(),
        "fail_on": fail_on.value,
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
