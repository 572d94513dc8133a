"""A profile resolved into one self-contained JSON Schema (``satudata schema export``).

The exported schema describes a *canonical* record (what the catalogue stores):
vocabulary fields get an ``enum`` of canonical values (narrowed by the
profile), the profile's required fields become ``required`` at each level,
region codes get the dotted Kemendagri pattern, and the BPS statistical
metadata schemas are inlined under ``$defs`` so no reference leaves the file.
Rules that need data (the Kemendagri list, dates against today) stay in code
and are listed under ``x-rules``.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from satudata_cli.standard.profiles import Profile
from satudata_cli.standard.ruleset import RULES
from satudata_cli.standard.schema import Standard


def _def_name(schema_id: str) -> str:
    return schema_id.rsplit(":", 1)[-1]


def _rewrite_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in names:
                out[key] = f"#/$defs/{names[value]}"
            else:
                out[key] = _rewrite_refs(value, names)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, names) for v in node]
    return node


def resolved_schema(standard: Standard, profile: Profile) -> dict[str, Any]:
    names = {schema_id: _def_name(schema_id) for schema_id in standard.ms_schemas}
    schema: dict[str, Any] = _rewrite_refs(copy.deepcopy(dict(standard.dataset_schema)), names)
    schema["$id"] = f"urn:satudata:schema:satudata-dataset:{profile.name}"
    defs = schema.setdefault("$defs", {})
    for schema_id, ms in standard.ms_schemas.items():
        inlined = _rewrite_refs(copy.deepcopy(dict(ms)), names)
        inlined.pop("$schema", None)
        inlined.pop("$id", None)
        defs[names[schema_id]] = inlined
    properties: dict[str, Any] = schema["properties"]

    for name, info in standard.fields.items():
        prop = properties[name]
        if info.vocabulary is not None:
            allowed = (
                profile.vocabularies.get(name) or standard.vocabularies[info.vocabulary].values
            )
            target = (
                prop["items"] if info.is_array and isinstance(prop.get("items"), dict) else prop
            )
            if info.vocabulary not in ("format", "lisensi") or name in profile.vocabularies:
                target["enum"] = list(allowed)
            else:
                target["examples"] = list(allowed)
        if info.kind == "region-code":
            if profile.region_within:
                alternatives = "|".join(re.escape(code) for code in profile.region_within)
                prop["pattern"] = rf"^(?:{alternatives})(?:\.[0-9]+)*$"
            else:
                prop["pattern"] = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
        if info.kind == "date":
            prop["pattern"] = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def require(path: list[str]) -> None:
        node = schema
        for part in path[:-1]:
            node = node["properties"][part]
            if "$ref" in node:
                node = defs[node["$ref"].rsplit("/", 1)[-1]]
        required = node.setdefault("required", [])
        if path[-1] not in required:
            required.append(path[-1])
        node.setdefault("properties", {})

    for dotted in profile.required:
        try:
            require(dotted.split("."))
        except KeyError:
            continue
    # an empty value does not satisfy a required field
    for dotted in profile.required:
        if "." in dotted:
            continue
        prop = properties.get(dotted, {})
        if "string" in standard.fields[dotted].types:
            prop.setdefault("minLength", 1)
        if standard.fields[dotted].is_array:
            prop.setdefault("minItems", 1)
    schema["x-profile"] = {
        "name": profile.name,
        "chain": list(profile.chain),
        "recommended": list(profile.recommended),
        "grace_days": profile.grace_days,
    }
    schema["x-rules"] = {
        rule_id: {
            "severity": (
                profile.severity(rule_id, info.severity).value  # type: ignore[union-attr]
                if profile.severity(rule_id, info.severity) is not None
                else "off"
            ),
            "title": {"id": info.title.id, "en": info.title.en},
            "source": info.source,
        }
        for rule_id, info in RULES.items()
    }
    return schema
