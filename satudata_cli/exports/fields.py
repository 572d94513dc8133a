"""What each export format (and publishing to CKAN) carries of a record: the one table
behind ``docs/field-table.md``.

For every field of the standard (and the keys outside it that the sources keep), per
format: **carried** by the format's own term or field, **carried as extra** (under the
field's own name: a data.json key, a ``sdf:`` property in DCAT, a CKAN extra, a
spreadsheet column), or **not representable**, with why. :data:`LIMITS` lists the
values a format cannot keep exactly (an empty text in a spreadsheet cell, a number
written as text in a CKAN extra); the round-trip suite (tests/integration/
test_roundtrip.py, tests/e2e/test_roundtrip_ckan.py) compares records minus exactly
these, and tests/unit/test_field_table.py checks that the document is :func:`render`'s
text and that every limit has its normalisation in the suite.

After changing the table, regenerate the document::

    python -c "import pathlib, satudata_cli.exports.fields as f; \\
        pathlib.Path('docs/field-table.md').write_text(f.render(), encoding='utf-8')"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from satudata_cli.standard.schema import load_standard

__all__ = [
    "FORMATS",
    "LIMITS",
    "OTHER_KEYS",
    "RESOURCE_KEYS",
    "Carriage",
    "Limit",
    "carriage",
    "render",
]

Status = Literal["carried", "extra", "not"]


@dataclass(frozen=True, slots=True)
class Carriage:
    """How one format carries one field: ``how`` names the term or key, or says why
    the field is not representable."""

    status: Status
    how: str


@dataclass(frozen=True, slots=True)
class Limit:
    """A value a format cannot keep exactly (``id`` names its normalisation in the
    round-trip suite)."""

    id: str
    formats: tuple[str, ...]
    text: str


#: format -> (heading, how a field without a term of the format travels)
FORMATS: Final[dict[str, tuple[str, str]]] = {
    "jsonl": ("JSON Lines (`jsonl`)", "the record as it is"),
    "sheet": (
        "CSV / XLSX (`csv`, `xlsx`)",
        "a column of its name (lists of texts joined by `; `, objects as JSON)",
    ),
    "datajson": ("data.json (`datajson`)", "a key of its name"),
    "dcat": (
        "DCAT (`dcat-ttl`, `dcat-jsonld`, `dcat-rdfxml`, `dcat-nt`)",
        "`sdf:<field>` (`urn:satudata:field#`)",
    ),
    "ckan": ("CKAN (`publish`, then a `ckan` source)", "an extra of its name"),
}

#: format -> field -> the format's own term for it (carried); fields not listed travel
#: as extras (FORMATS' second column) unless :data:`_NOT` says otherwise
_TERMS: Final[dict[str, dict[str, str]]] = {
    "jsonl": {},
    "sheet": {},
    "datajson": {
        "title": "`title`",
        "notes": "`description`",
        "tags": "`keyword`",
        "organization": "`publisher.name`",
        "license_id": "`license`",
        "jadwal_pemutakhiran": "`accrualPeriodicity` (`R/P1Y` ...)",
        "tanggal_dibuat": "`issued`",
        "tanggal_diperbarui": "`modified`",
        "link_akses": "`landingPage`",
        "klasifikasi_akses": "`accessLevel` (public, restricted public, non-public)",
        "kode_wilayah": "`spatial` (when the record has no `spatial` of its own)",
        "tahun": "`temporal` as whole years (when the record has no `temporal`)",
        "kontak": "`contactPoint` (`fn`, `hasEmail`, `hasTelephone`)",
        "resources": "`distribution`",
        "spatial": "`spatial`, as it is (a name, a bounding box, WKT, a URI)",
        "temporal": "`temporal`, as it is (`1905-03-01/2013-01-05`)",
        "modified": "`modified` (a repeating interval `R/P1W`, when no date fills it)",
    },
    "dcat": {
        "title": "`dct:title` (each language of `title_translations`)",
        "notes": "`dct:description` (each language of `notes_translations`)",
        "title_translations": "`dct:title` with language tags",
        "notes_translations": "`dct:description` with language tags",
        "tags": "`dcat:keyword`",
        "organization": "`dct:publisher` (`foaf:Agent`)",
        "produsen_data": "`dct:creator` (`foaf:Agent`)",
        "license_id": "`dct:license` (the licence's IRI, else a `dct:LicenseDocument`)",
        "jadwal_pemutakhiran": "`dct:accrualPeriodicity` (EU frequency IRI)",
        "tanggal_dibuat": "`dct:issued`",
        "tanggal_diperbarui": "`dct:modified`",
        "format": "`dct:format` of the distributions",
        "link_akses": "`dcat:landingPage`",
        "klasifikasi_akses": "`dct:accessRights` (EU access-right IRI)",
        "kode_wilayah": "`dct:spatial` (`skos:notation` typed `sd:kodeWilayah`)",
        "tahun": "`dct:temporal` (`dcat:startDate`, `dcat:endDate`)",
        "kontak": "`dcat:contactPoint` (vCard)",
        "resources": "`dcat:distribution`",
        "theme": "`dcat:theme`",
        "spatial": "`dct:spatial` (an IRI, else a `dct:Location` with its label)",
        "temporal": "`dct:temporal` (a `dct:PeriodOfTime`)",
        "extras": "each entry with its term (`dct:conformsTo`, `dct:language`, ...)",
    },
    "ckan": {
        "name": "`name`",
        "title": "`title`",
        "notes": "`notes`",
        "organization": "`owner_org` (the organization's title)",
        "tags": "`tags`",
        "license_id": "`license_id`",
        "link_akses": "`url`",
        "resources": "`resources`",
        "kontak": "the extra `kontak`, and `maintainer` / `maintainer_email`",
        "klasifikasi_akses": "the extra, and `private` unless `terbuka`",
        "extras": "each entry an extra of its term's name (`dct:conformsTo`)",
    },
}

#: formats that hold any key of a record in their own way (a JSON object, a column)
_WHOLE_RECORD: Final = frozenset({"jsonl", "sheet"})

#: format -> field -> why it is not representable
_NOT: Final[dict[str, dict[str, str]]] = {
    "ckan": {
        "groups": "CKAN groups must exist on the portal and are curated there; not sent",
    },
}

#: keys outside the standard that sources keep, with where they come from
OTHER_KEYS: Final[dict[str, str]] = {
    "extras": "terms without a field (DCAT `dct:conformsTo` ...), by prefixed name",
    "theme": "DCAT `dcat:theme`",
    "spatial": "a place that is no Kemendagri code (data.json, DCAT)",
    "temporal": "a period in dates (data.json, DCAT)",
    "modified": "data.json `modified` holding a repeating interval",
    "groups": "CKAN groups",
    "(any other key)": "a portal's own keys",
}

#: resource key -> per format: the term (carried), or None: as extra; "-" not carried
RESOURCE_KEYS: Final[dict[str, dict[str, str | None]]] = {
    "name": {"datajson": "`title`", "dcat": "`dct:title`", "ckan": "`name`"},
    "url": {"datajson": "`downloadURL`", "dcat": "`dcat:downloadURL` / `accessURL`",
            "ckan": "`url`"},
    "access_url": {"datajson": None, "dcat": "`dcat:accessURL`", "ckan": "`access_url`"},
    "format": {"datajson": "`format`", "dcat": "`dct:format`", "ckan": "`format`"},
    "mimetype": {"datajson": "`mediaType`", "dcat": "`dcat:mediaType`", "ckan": "`mimetype`"},
    "description": {"datajson": "`description`", "dcat": "`dct:description`",
                    "ckan": "`description`"},
    "size": {"datajson": None, "dcat": "`dcat:byteSize`", "ckan": "`size`"},
    "last_modified": {"datajson": None, "dcat": "`dct:modified`", "ckan": "`last_modified`"},
    "license_id": {"datajson": None, "dcat": "`dct:license`", "ckan": "`license_id`"},
    "hash": {"datajson": None, "dcat": "`spdx:checksum`", "ckan": "`hash`"},
    "extras": {"datajson": None, "dcat": "each entry with its term",
               "ckan": "each entry a resource key of its term's name"},
    "(any other key)": {"datajson": None, "dcat": None,
                        "ckan": "-"},
}  # fmt: skip

#: values a format cannot keep exactly; the round-trip suite normalises each by its id
LIMITS: Final[tuple[Limit, ...]] = (
    Limit(
        "empty-text",
        ("sheet",),
        'An empty text (`""`) and a missing field are both an empty cell: the field '
        "comes back missing.",
    ),
    Limit(
        "number-text",
        ("sheet", "ckan"),
        'A whole number written as text in a numeric field (`tahun: "2022"`) comes '
        "back as the number (a cell, or a CKAN extra, has no type of its own); CKAN "
        "stores every extra as text, so a number or true/false in an extra comes back "
        "as text.",
    ),
    Limit(
        "sheet-types",
        ("sheet",),
        "A cell has no JSON type: a number or true/false of a key outside the standard "
        'comes back as text (`1.5` -> `"1.5"`, `true` -> `"true"`), and null, `[]` '
        "and `{}` as a missing key.",
    ),
    Limit(
        "label-key",
        ("sheet",),
        "A key of the record named like a label of a field of the standard "
        "(`modified`, `deskripsi`) is read as that field when the field's own cell is "
        "empty (the sheet readers map the labels people write in headers).",
    ),
    Limit(
        "long-text",
        ("sheet",),
        "XLSX only: a cell holds at most 32 767 characters; a longer text makes the "
        "export refuse (use `csv` or `jsonl`).",
    ),
    Limit(
        "ckan-normalises",
        ("ckan",),
        "CKAN lists tags in its own order (sorted), writes known resource formats in "
        "capitals (`csv` -> `CSV`), stores a resource's `last_modified` as a time "
        "(`2026-05-30` -> `2026-05-30T00:00:00`), and drops null, empty lists and "
        "empty objects.",
    ),
    Limit(
        "ckan-trims",
        ("ckan",),
        "The CKAN source trims the spaces and line breaks around a text (a portal's "
        '`"Judul "` is `Judul`); CKAN has no place to keep the exact text beside it.',
    ),
    Limit(
        "ckan-fills",
        ("ckan",),
        "CKAN gives every dataset a `name`, an organization and the dates "
        "`metadata_created` / `metadata_modified`, and a page: a harvest of the portal "
        "fills `name`, `organization`, `tanggal_dibuat`, `tanggal_diperbarui` and "
        "`link_akses` (the dataset's page) when the record had none.",
    ),
    Limit(
        "ckan-resource-keys",
        ("ckan",),
        "Resource keys other than those in the table (a portal's own `id`, ...) and "
        "entries of an `extras` map not named like a term (`prefix:name`) are not sent.",
    ),
)


def carriage(field: str, fmt: str) -> Carriage:
    """How format ``fmt`` (a key of :data:`FORMATS`) carries ``field``."""
    why = _NOT.get(fmt, {}).get(field)
    if why is not None:
        return Carriage("not", why)
    term = _TERMS[fmt].get(field)
    if term is not None:
        return Carriage("carried", term)
    if fmt in _WHOLE_RECORD:  # the format's own place for any key
        return Carriage("carried", FORMATS[fmt][1])
    return Carriage("extra", FORMATS[fmt][1])


_MARK: Final[dict[Status, str]] = {
    "carried": "carried",
    "extra": "carried as extra",
    "not": "**not representable**",
}


def _cell(found: Carriage) -> str:
    return f"{_MARK[found.status]}: {found.how}".replace("|", "\\|")


def render() -> str:
    """``docs/field-table.md``, from the tables of this module."""
    formats = list(FORMATS)
    lines = [
        "# Field table: what each export format carries",
        "",
        "<!-- Generated from satudata_cli/exports/fields.py (render()); do not edit by "
        "hand: tests/unit/test_field_table.py fails when they differ. -->",
        "",
        "Each field of the standard (and each key outside it that a source keeps), per "
        "format of `satudata catalog export` and for publishing to CKAN: **carried** by "
        "the format's own term, **carried as extra** under the field's own name (where "
        "the format allows keys of its own), or **not representable**, with why. A "
        "catalogue exported and harvested again with the source type that reads the "
        "format gives identical canonical records, minus the limits listed at the end: "
        "the round-trip suite (`tests/integration/test_roundtrip.py`, every source type "
        "x every format; `tests/e2e/test_roundtrip_ckan.py`, publish to a real CKAN "
        "and harvest it back) checks it.",
        "",
        "## Fields of the standard",
        "",
        "| field | " + " | ".join(FORMATS[f][0] for f in formats) + " |",
        "|---" * (len(formats) + 1) + "|",
    ]
    fields = list(load_standard().fields)
    for field in fields:
        lines.append(
            f"| `{field}` | " + " | ".join(_cell(carriage(field, f)) for f in formats) + " |"
        )
    lines += [
        "",
        "## Keys outside the standard",
        "",
        "| key | kept from | " + " | ".join(FORMATS[f][0] for f in formats) + " |",
        "|---" * (len(formats) + 2) + "|",
    ]
    for key, origin in OTHER_KEYS.items():
        name = key if key.startswith("(") else f"`{key}`"
        lines.append(
            f"| {name} | {origin} | " + " | ".join(_cell(carriage(key, f)) for f in formats) + " |"
        )
    lines += [
        "",
        "## Keys of a resource",
        "",
        "JSON Lines and the spreadsheets carry `resources` whole (JSON in a cell).",
        "",
        "| key | " + " | ".join(FORMATS[f][0] for f in ("datajson", "dcat", "ckan")) + " |",
        "|---|---|---|---|",
    ]
    for key, where in RESOURCE_KEYS.items():
        cells = []
        for fmt in ("datajson", "dcat", "ckan"):
            term = where.get(fmt)
            if term == "-":
                cells.append(_cell(Carriage("not", "no place for it; see the limits")))
            elif term is None:
                how = "a key of its name" if fmt == "datajson" else "`sdf:<key>`"
                cells.append(_cell(Carriage("extra", how)))
            else:
                cells.append(_cell(Carriage("carried", term)))
        name = key if key.startswith("(") else f"`{key}`"
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## Limits", ""]
    for limit in LIMITS:
        applies = ", ".join(FORMATS[f][0] for f in limit.formats)
        lines.append(f"- **{limit.id}** ({applies}): {limit.text}")
    return "\n".join(lines) + "\n"
