"""A ckanext-scheming dataset schema for the SDI fields of a profile.

``satudata schema export --format ckan-scheming`` writes :func:`scheming_schema`, so a
city's CKAN can hold the standard's fields as first-class package fields (a form field
each, bilingual labels and help, required markers, choices from the vocabularies)
instead of free-form extras. A publish target with ``scheming: true`` then sends the
SDI fields to those fields (:func:`scheming_fields`), and the CKAN source reads them
back from the package's top level (``codecs/ckan/read.py`` treats a top-level key that
is not CKAN's own like an extra).

How each SDI field is held, chosen so that publish -> harvest back gives the record
unchanged (ckanext-scheming 3.1 presets):

=============================  ====================================================
SDI field                      scheming field
=============================  ====================================================
``title``, ``name``, ``notes`` CKAN's own ``title``, ``name`` (slug), ``notes``
``tags``                       ``tag_string`` (CKAN's tags)
``organization``               ``owner_org``
``license_id``                 CKAN's ``license_id`` (CKAN's licence list)
``link_akses``                 CKAN's ``url``
``resources``                  ``resource_fields``: url, name, description, format
one value from a vocabulary    ``preset: select`` with the vocabulary's choices
list of texts                  ``preset: multiple_text`` (kept in order: ``select``
                               lists would be re-ordered by scheming)
text, dates, codes             a text field (dates stay text: scheming's ``date``
                               preset would cut a time of day off)
objects, lists of objects      a text field holding JSON, given back parsed by the API
                               (``kontak`` may be a text or an object, so it cannot be
                               ``json_object``)
a number or a text (``tahun``) a text field; the API gives a whole number back as a
                               number (a year written as a text of digits, ``"2025"``,
                               therefore comes back as the number 2025)
=============================  ====================================================
"""

from __future__ import annotations

from typing import Any

from satudata_cli.core.i18n import Message
from satudata_cli.standard.profiles import Profile
from satudata_cli.standard.schema import FieldInfo, Standard

__all__ = [
    "SCHEMING_VERSION",
    "scheming_fields",
    "scheming_list_fields",
    "scheming_schema",
]

SCHEMING_VERSION = 2

#: SDI field -> the CKAN field that holds it in the scheming schema (CKAN's own fields,
#: and how ckanext-scheming's own ``ckan_dataset.yaml`` names them). Fields not listed
#: keep their SDI name as the scheming field name.
_CORE_PLACES: dict[str, dict[str, Any]] = {
    "title": {"field_name": "title", "preset": "title"},
    "name": {"field_name": "name", "preset": "dataset_slug"},
    "notes": {"field_name": "notes", "form_snippet": "markdown.html"},
    "tags": {"field_name": "tag_string", "preset": "tag_string_autocomplete"},
    "license_id": {"field_name": "license_id", "form_snippet": "license.html"},
    "organization": {"field_name": "owner_org", "preset": "dataset_organization"},
    "link_akses": {
        "field_name": "url",
        "display_snippet": "link.html",
        "form_placeholder": "https://",
    },
}

#: CKAN's contact fields: not SDI fields, but the publisher fills them from ``kontak``
#: for the portal's page.
_CONTACT_FIELDS = (
    {"field_name": "maintainer", "label": {"id": "Narahubung", "en": "Maintainer"}},
    {
        "field_name": "maintainer_email",
        "label": {"id": "Surel Narahubung", "en": "Maintainer Email"},
        "display_snippet": "email.html",
        "display_email_name_field": "maintainer",
    },
)

_RESOURCE_FIELDS = (
    {
        "field_name": "url",
        "label": {"id": "URL", "en": "URL"},
        "preset": "resource_url_upload",
    },
    {
        "field_name": "name",
        "label": {"id": "Nama", "en": "Name"},
        "form_placeholder": "Data 2025 (CSV)",
    },
    {
        "field_name": "description",
        "label": {"id": "Deskripsi", "en": "Description"},
        "form_snippet": "markdown.html",
    },
    {
        "field_name": "format",
        "label": {"id": "Format", "en": "Format"},
        "preset": "resource_format_autocomplete",
    },
)

#: Not sent as package fields at all (resources have their own part of the schema).
_NOT_PACKAGE_FIELDS = frozenset({"resources"})


def _bilingual(message: Message) -> dict[str, str]:
    return {"id": message.id, "en": message.en}


def _is_text_list(info: FieldInfo) -> bool:
    return info.is_array and set(info.item_types) <= {"string"}


def _choices(standard: Standard, profile: Profile, info: FieldInfo) -> list[dict[str, Any]]:
    assert info.vocabulary is not None
    vocab = standard.vocabularies[info.vocabulary]
    allowed = profile.vocabularies.get(info.name)
    return [
        {"value": term.value, "label": _bilingual(term.label)}
        for term in vocab.terms.values()
        if allowed is None or term.value in allowed
    ]


def _field(standard: Standard, profile: Profile, info: FieldInfo) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    core = _CORE_PLACES.get(info.name)
    if core is not None:
        spec.update(core)
    else:
        spec["field_name"] = info.name
    spec["label"] = _bilingual(info.title)
    if info.name in profile.required:
        spec["required"] = True
    help_text = _bilingual(info.description)
    if core is None:
        closed = info.vocabulary is not None and (
            info.vocabulary not in ("format", "lisensi") or info.name in profile.vocabularies
        )
        if closed and not info.is_array:
            spec["preset"] = "select"
            spec["choices"] = _choices(standard, profile, info)
        elif _is_text_list(info):
            spec["preset"] = "multiple_text"
            if info.vocabulary is not None:
                values = ", ".join(c["value"] for c in _choices(standard, profile, info))
                help_text = {
                    "id": f"{help_text['id']} ({values})",
                    "en": f"{help_text['en']} ({values})",
                }
        elif "object" in info.types or info.is_array:
            spec["form_snippet"] = "textarea.html"
            spec["output_validators"] = "scheming_load_json"  # the API gives the JSON back
            help_text = {
                "id": f"{help_text['id']} (JSON)",
                "en": f"{help_text['en']} (JSON)",
            }
        elif info.kind == "date":
            spec["form_placeholder"] = "YYYY-MM-DD"
        elif "integer" in info.types:
            # stored as text; a whole number comes back as a number (tahun: 2025), any
            # other text (2020-2024) as text
            spec["output_validators"] = "scheming_load_json"
    spec["help_text"] = help_text
    return spec


def scheming_schema(standard: Standard, profile: Profile) -> dict[str, Any]:
    """The ckanext-scheming dataset schema (``scheming_version`` 2) of ``profile``."""
    fields = [
        _field(standard, profile, info)
        for name, info in standard.fields.items()
        if name not in _NOT_PACKAGE_FIELDS
    ]
    # CKAN's form and page read the contact from maintainer/maintainer_email: after kontak
    at = next(i for i, f in enumerate(fields) if f["field_name"] == "kontak") + 1
    fields[at:at] = [dict(f) for f in _CONTACT_FIELDS]
    resource_fields = [dict(f) for f in _RESOURCE_FIELDS]
    return {
        "scheming_version": SCHEMING_VERSION,
        "dataset_type": "dataset",
        "about": (
            f"Satu Data Indonesia: {profile.title.id} / {profile.title.en} "
            f"({profile.name}), satudata"
        ),
        "about_url": "https://satudata.go.id",
        "dataset_fields": fields,
        "resource_fields": resource_fields,
    }


def scheming_fields(standard: Standard) -> dict[str, str]:
    """SDI field -> scheming field, for the fields that are not CKAN's own: what a
    target with ``scheming: true`` adds to its ``fields`` map (the same for every
    profile: a profile changes required markers and choices, not names)."""
    return {
        name: name
        for name in standard.fields
        if name not in _CORE_PLACES and name not in _NOT_PACKAGE_FIELDS and name != "groups"
    }


def scheming_list_fields(standard: Standard) -> frozenset[str]:
    """The SDI fields a scheming portal takes as a JSON list (``multiple_text``)."""
    return frozenset(
        name
        for name, info in standard.fields.items()
        if name not in _CORE_PLACES and _is_text_list(info)
    )
