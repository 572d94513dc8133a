"""A target's record -> package mapping: the CKAN codec's writer under the target's rules.

The mapping itself (record -> package, the diff against the portal, the resources'
matching) is :mod:`satudata_cli.codecs.ckan.write`; this module turns a
:class:`TargetConfig` into its :class:`PackageRules` and adds what is publish's own:
the hash kept in the publish state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from satudata_cli.catalogue.hashing import content_hash
from satudata_cli.codecs.ckan.write import PackageRules, PackageWriter
from satudata_cli.publish.config import TargetConfig
from satudata_cli.publish.scheming import scheming_fields, scheming_list_fields
from satudata_cli.standard.schema import load_standard

__all__ = ["RecordMapper", "target_rules"]


def target_rules(target: TargetConfig) -> PackageRules:
    """The package rules a target's settings make; ``scheming: true`` sends every SDI
    field that is not CKAN's own to the scheming field of its name (the target's
    ``fields`` entries still win)."""
    fields = dict(target.fields)
    list_fields: frozenset[str] = frozenset()
    if target.scheming:
        standard = load_standard()
        fields = {**scheming_fields(standard), **fields}
        list_fields = frozenset(
            name for name in scheming_list_fields(standard) if fields.get(name) == name
        )
    return PackageRules(
        organizations=dict(target.organizations),
        default_organization=target.default_organization,
        default_license=target.default_license,
        fields=fields,
        list_fields=list_fields,
        extras_prefix=target.extras_prefix,
        name_from=target.dataset_name.source,
        name_prefix=target.dataset_name.prefix,
    )


class RecordMapper(PackageWriter):
    """Builds the package for a record under one target's rules."""

    def __init__(self, target: TargetConfig) -> None:
        super().__init__(target_rules(target))
        self.target = target

    def package_hash(self, package: Mapping[str, Any]) -> str:
        """The hash kept in the publish state: the package *and* the portal it went to,
        so pointing a target at another portal (staging -> production) checks every
        dataset there instead of taking it for unchanged."""
        return content_hash({"portal": self.target.url, "package": package})
