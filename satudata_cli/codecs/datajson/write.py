"""A record -> a DCAT-US 1.1 ``data.json`` dataset (the inverse of :mod:`.read`).

The Satu Data fields that DCAT-US has a term for are written with it (the mapping is
the one :mod:`.read` reads): title, description, keyword, issued, modified,
publisher, contactPoint (``mailto:`` added), accrualPeriodicity (ISO 8601, e.g.
``R/P1Y``), accessLevel (public, restricted public, non-public), landingPage, license,
spatial (kode wilayah), temporal (tahun as a span of whole years) and distribution.

A record's own ``spatial`` (a place name, a bounding box, WKT, a URI, an object) and
``temporal`` (``1905-03-01/2013-01-05``) are written to those terms as they are, before
``kode_wilayah`` and ``tahun``; a term named like a record key that no field fills
(``modified`` holding ``R/P1W``) is written from that key.

Every other key of the record travels under its own name, as data.json allows for
extensions (``produsen_data``, ``walidata``, ``kode_standar_data``, ``name``, ...). The
writer checks each dataset by reading it back with :func:`.read.dataset_to_record`;
a field that a DCAT-US term cannot carry exactly (a date with a time, a contact with
only an e-mail) is written under its own name as well, where it wins on reading. A
record key named like a DCAT-US term cannot travel under its own name: when the term
does not give it back exactly, its value goes to the object ``satudata:fields`` (field
-> exact value), and a field the terms would add that the record lacks (``tahun`` read
from a ``temporal`` of whole years) is named in the list ``satudata:unset``; the reader
applies both last. So a catalogue exported and harvested again gives the same canonical
records.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from satudata_cli.codecs.datajson.read import dataset_to_record
from satudata_cli.codecs.datajson.terms import (
    ACCESS_LEVEL_OF,
    EXACT_FIELDS,
    MAPPED_KEYS,
    PERIODICITY,
    UNSET_FIELDS,
)

__all__ = ["CONTEXT", "MEDIA_TYPES", "SCHEMA_VERSION", "record_to_dataset"]

SCHEMA_VERSION: Final = "https://project-open-data.cio.gov/v1.1/schema"
CONTEXT: Final = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
MEDIA_TYPES: Final[dict[str, str]] = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "pdf": "application/pdf",
    "xml": "application/xml",
    "zip": "application/zip",
    "geojson": "application/geo+json",
    "html": "text/html",
}
_YEAR = re.compile(r"^(\d{4})(?:-(\d{4}))?$")

#: record field -> data.json term written from it directly (text)
_DIRECT: Final[tuple[tuple[str, str], ...]] = (
    ("title", "title"),
    ("notes", "description"),
    ("tanggal_dibuat", "issued"),
    ("tanggal_diperbarui", "modified"),
    ("link_akses", "landingPage"),
    ("license_id", "license"),
)
#: fields the DCAT-US terms carry (the others travel under their own names)
_CARRIED: Final[frozenset[str]] = frozenset(
    {
        *(f for f, _ in _DIRECT),
        "tags",
        "organization",
        "kontak",
        "jadwal_pemutakhiran",
        "klasifikasi_akses",
        "kode_wilayah",
        "tahun",
        "resources",
    }
)


def _contact(value: Any) -> dict[str, Any] | None:
    contact: dict[str, Any] = {"@type": "vcard:Contact"}
    if isinstance(value, str) and value.strip():
        contact["hasEmail"] = f"mailto:{value.strip()}"
        return contact
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("nama"), str):
        contact["fn"] = value["nama"]
    if isinstance(value.get("email"), str):
        contact["hasEmail"] = f"mailto:{value['email']}"
    if isinstance(value.get("telepon"), str):
        contact["hasTelephone"] = value["telepon"]
    return contact if len(contact) > 1 else None


def _distribution(resource: Any) -> Any:
    if not isinstance(resource, dict):
        return resource
    out: dict[str, Any] = {"@type": "dcat:Distribution"}
    if "name" in resource:
        out["title"] = resource["name"]
    if "url" in resource:
        out["downloadURL"] = resource["url"]
    fmt, media = resource.get("format"), resource.get("mimetype")
    if fmt is not None:
        out["format"] = fmt
        if not isinstance(media, str):
            media = MEDIA_TYPES.get(str(fmt).strip().lower())
    if isinstance(media, str) and media.strip():
        out["mediaType"] = media  # the resource's own media type first
    if "description" in resource:
        out["description"] = resource["description"]
    for key, value in resource.items():
        if key not in ("name", "url", "format", "mimetype", "description") and key not in out:
            out[key] = value
    return out


def _temporal(value: Any) -> str | None:
    match = _YEAR.match(str(value)) if isinstance(value, int | str) else None
    if match is None:
        return None
    first, last = match[1], match[2] or match[1]
    return f"{first}-01-01/{last}-12-31"


def record_to_dataset(record: dict[str, Any], identifier: str) -> dict[str, Any]:
    """One canonical record as a data.json dataset (see the module's docstring)."""
    dataset: dict[str, Any] = {"@type": "dcat:Dataset", "identifier": identifier}
    for field, term in _DIRECT:
        value = record.get(field)
        if value is not None:
            dataset[term] = value
    if record.get("tags") is not None:
        dataset["keyword"] = record["tags"]
    if record.get("organization") is not None:
        dataset["publisher"] = {"@type": "org:Organization", "name": record["organization"]}
    contact = _contact(record.get("kontak"))
    if contact is not None:
        dataset["contactPoint"] = contact
    frequency = record.get("jadwal_pemutakhiran")
    if isinstance(frequency, str):
        dataset["accrualPeriodicity"] = PERIODICITY.get(frequency, frequency)
    access = record.get("klasifikasi_akses")
    if isinstance(access, str):
        dataset["accessLevel"] = ACCESS_LEVEL_OF.get(access, access)
    # the record's own place and period as they are, else the ones of the standard
    if record.get("spatial") is not None:
        dataset["spatial"] = record["spatial"]
    elif record.get("kode_wilayah") is not None:
        dataset["spatial"] = record["kode_wilayah"]
    temporal = record.get("temporal")
    if temporal is None:
        temporal = _temporal(record.get("tahun"))
    if temporal is not None:
        dataset["temporal"] = temporal
    resources = record.get("resources")
    if isinstance(resources, list):
        dataset["distribution"] = [_distribution(r) for r in resources]
    for key, value in record.items():
        if key not in _CARRIED and key not in MAPPED_KEYS:
            dataset[key] = value
    for key in MAPPED_KEYS:  # a term named like a key of the record, when still free
        if key not in dataset and record.get(key) is not None:
            dataset[key] = record[key]
    # what the DCAT-US terms could not carry exactly travels under its own name too
    back, _ = dataset_to_record(dataset)
    exact: dict[str, Any] = {}
    for key, value in record.items():
        if key in back and _same(back[key], value):
            continue
        if key in MAPPED_KEYS or key in (EXACT_FIELDS, UNSET_FIELDS):
            exact[key] = value  # no key of its own: it would be read as the term
        else:
            dataset[key] = value
    if exact:
        dataset[EXACT_FIELDS] = exact
    unset = sorted(key for key in back if key not in record)
    if unset:
        dataset[UNSET_FIELDS] = unset
    return dataset


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values (``1 == True`` and ``1 == 1.0`` are not the same here)."""
    if type(a) is not type(b) or a != b:
        return False
    if isinstance(a, list | dict):  # equal, but the items' types may differ
        return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    return True
