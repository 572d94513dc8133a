"""A DCAT-US ``data.json`` document (1.1, and the simple parts of 3.0) -> records.

Mapping onto the standard (the remote id is ``identifier``):

============================  =====================================================
data.json                     Satu Data record
============================  =====================================================
title, description            title, notes
keyword (list or text)        tags
issued, modified              tanggal_dibuat, tanggal_diperbarui (a date-time keeps
                              its date part, a basic-format ``20201117`` is written
                              ``2020-11-17``; other forms go to the validator as given).
                              A repeating interval in modified (``R/P1W``) is no date:
                              kept as ``modified``, and it is jadwal_pemutakhiran when
                              accrualPeriodicity is missing
publisher.name                organization
contactPoint fn, hasEmail     kontak {nama, email} (only an e-mail: kontak is the
                              e-mail); ``mailto:`` is dropped, and an address without
                              it is accepted and noted on the job
contactPoint hasTelephone     kontak.telepon
accrualPeriodicity            jadwal_pemutakhiran (``R/P1Y`` ... as given; the
                              validator maps ISO 8601 onto tahunan, bulanan, ...)
accessLevel                   klasifikasi_akses: public -> terbuka, restricted public
                              -> terbatas, non-public -> tertutup
landingPage, license          link_akses, license_id
spatial                       kode_wilayah when it is a Kemendagri code (``12.71``),
                              else kept as ``spatial`` (any form: a place name, a
                              bounding box, WKT, a URI, an object)
temporal ``2025-01-01/2025-12-31``  tahun (2025, or ``2019-2023`` for several years),
                              else kept as ``temporal``
distribution                  resources: title -> name, downloadURL (else accessURL)
                              -> url, format (else mediaType) -> format, mediaType
                              (when format is given too) -> mimetype, description;
                              other keys of a distribution are kept
============================  =====================================================

Every other key of a dataset (``bureauCode``, ``theme``, the portal's own keys such
as ``produsen_data`` or ``kode_urusan``) is kept in the record under its own name:
the catalogue shows what the portal publishes. A key named like a Satu Data field
(``tanggal_diperbarui``) wins over the value mapped from a DCAT-US term, and
satudata's own ``satudata:fields`` (field -> exact value) and ``satudata:unset``
(fields to remove), which only satudata's export writes, are applied last. The writer
(:mod:`.write`, used by ``satudata catalog export --format datajson``) relies on both:
Satu Data fields that DCAT-US has no term for, and values a DCAT-US term cannot carry
exactly, travel as such keys and come back unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final, NoReturn

from satudata_cli.codecs.datajson.terms import (
    ACCESS_LEVELS,
    EXACT_FIELDS,
    MAPPED_KEYS,
    UNSET_FIELDS,
)
from satudata_cli.codecs.text import clean_text as _text
from satudata_cli.standard.findings import Finding
from satudata_cli.standard.ruleset import RULES

__all__ = [
    "BARE_EMAIL_FINDING",
    "DUPLICATE_ID_FINDING",
    "catalogue_problems",
    "dataset_identifier",
    "dataset_to_record",
    "parse_catalogue",
]

_DISTRIBUTION_KEYS: Final[frozenset[str]] = frozenset(
    {"@type", "title", "description", "downloadURL", "accessURL", "format", "mediaType"}
)
_BARE_EMAIL = RULES["source.email-without-mailto"]
#: Attached to a record whose ``contactPoint.hasEmail`` came without ``mailto:``.
BARE_EMAIL_FINDING: Final = Finding(
    _BARE_EMAIL.id,
    _BARE_EMAIL.severity,
    "$.kontak",
    _BARE_EMAIL.title,
    suggestion="mailto:",
)
_DUPLICATE_ID = RULES["source.duplicate-identifier"]
#: Attached to every dataset of a data.json whose ``identifier`` another one shares.
DUPLICATE_ID_FINDING: Final = Finding(
    _DUPLICATE_ID.id, _DUPLICATE_ID.severity, "$.identifier", _DUPLICATE_ID.title
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_KODE_WILAYAH = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_YEAR_SPAN = re.compile(r"^(\d{4})-01-01(?:T[\d:.]+Z?)?/(\d{4})-12-31(?:T[\d:.]+Z?)?$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}")


_BASIC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{4,6}(?:[.,]\d+)?(?:Z|[+-]\d{2,4})?)?$")
#: an ISO 8601 repeating interval (``R/P1W``, ``R5/2020-01-01/P1M``): its duration
_REPEATING = re.compile(r"^R\d*/(?:[^/]+/)?(P[0-9YMWDTHS.]+)$", re.IGNORECASE)


def _date(value: Any) -> Any:
    text = _text(value)
    if text is None:
        return value if value not in (None, "") else None
    match = _DATE_TIME.match(text)
    if match:
        return match[1]
    basic = _BASIC_DATE.match(text)  # ISO 8601 basic format, which DCAT-US accepts
    return f"{basic[1]}-{basic[2]}-{basic[3]}" if basic else text


def _email(value: Any) -> tuple[str | None, bool]:
    """(address without mailto:, whether it came without mailto:)."""
    text = _text(value)
    if text is None:
        return None, False
    if text.lower().startswith("mailto:"):
        return text[len("mailto:") :].strip() or None, False
    return text, True


def _contact(value: Any) -> tuple[Any, bool]:
    if isinstance(value, list):  # DCAT-US 3.0: a list of contacts; the first one
        value = next((v for v in value if isinstance(v, Mapping)), None)
    if not isinstance(value, Mapping):
        return None, False
    email, bare = _email(value.get("hasEmail"))
    name = _text(value.get("fn"))
    phone = _text(value.get("hasTelephone"))
    if isinstance(value.get("hasTelephone"), Mapping):
        phone = _text(value["hasTelephone"].get("value"))
    if phone is not None and phone.lower().startswith("tel:"):
        phone = phone[4:]
    if email is not None and name is None and phone is None:
        return email, bare
    contact = {k: v for k, v in (("nama", name), ("email", email), ("telepon", phone)) if v}
    return contact or None, bare


def _keywords(value: Any) -> list[str] | None:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return None
    words = [w.strip() for w in value if isinstance(w, str) and w.strip()]
    return words or None


def _publisher(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return _text(value.get("name")) or _text(value.get("fn"))
    return _text(value)


def _resource(item: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    name = _text(item.get("title"))
    if name:
        out["name"] = name
    url = _text(item.get("downloadURL")) or _text(item.get("accessURL"))
    if url:
        out["url"] = url
    fmt = _text(item.get("format")) or _text(item.get("mediaType"))
    if fmt:
        out["format"] = fmt
    media = _text(item.get("mediaType"))
    if media and _text(item.get("format")):
        out["mimetype"] = media  # both kept (format alone gives format)
    description = _text(item.get("description"))
    if description:
        out["description"] = description
    for key, value in item.items():
        if key not in _DISTRIBUTION_KEYS and key not in out:
            out[key] = value
    return out


def dataset_to_record(dataset: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """One data.json dataset as a record, and whether its e-mail lacked ``mailto:``."""
    record: dict[str, Any] = {}
    for key, field in (("title", "title"), ("description", "notes")):
        text = _text(dataset.get(key))
        if text:
            record[field] = text
    tags = _keywords(dataset.get("keyword"))
    if tags:
        record["tags"] = tags
    repeating = _REPEATING.match(_text(dataset.get("modified")) or "")
    for key, field in (("issued", "tanggal_dibuat"), ("modified", "tanggal_diperbarui")):
        if key == "modified" and repeating:
            # how often, not when (DCAT-US allows it): no date; kept under its own key
            record["modified"] = dataset["modified"]
            continue
        value = _date(dataset.get(key))
        if value is not None:
            record[field] = value
    owner = _publisher(dataset.get("publisher"))
    if owner:
        record["organization"] = owner
    contact, bare = _contact(dataset.get("contactPoint"))
    if contact is not None:
        record["kontak"] = contact
    periodicity = _text(dataset.get("accrualPeriodicity"))
    if periodicity:
        record["jadwal_pemutakhiran"] = periodicity
    elif repeating:  # a repeating interval in modified says how often it is updated
        record["jadwal_pemutakhiran"] = f"R/{repeating[1].upper()}"
    access = _text(dataset.get("accessLevel"))
    if access:
        record["klasifikasi_akses"] = ACCESS_LEVELS.get(access.lower(), access)
    for key, field in (("landingPage", "link_akses"), ("license", "license_id")):
        text = _text(dataset.get(key))
        if text:
            record[field] = text
    spatial = dataset.get("spatial")
    spatial_text = _text(spatial)
    if spatial_text and _KODE_WILAYAH.match(spatial_text):
        record["kode_wilayah"] = spatial_text
    elif spatial not in (None, ""):
        record["spatial"] = spatial
    temporal = dataset.get("temporal")
    span = _YEAR_SPAN.match(_text(temporal) or "")
    if span:
        first, last = span[1], span[2]
        record["tahun"] = int(first) if first == last else f"{first}-{last}"
    elif temporal not in (None, ""):
        record["temporal"] = temporal
    distribution = dataset.get("distribution")
    if isinstance(distribution, list):
        resources = [_resource(d) for d in distribution if isinstance(d, Mapping)]
        if resources:
            record["resources"] = resources
    for key, value in dataset.items():
        if key not in MAPPED_KEYS and key not in (EXACT_FIELDS, UNSET_FIELDS):
            # kept; a key named like a Satu Data field is the portal's own, exact value
            # and wins over what was mapped from the DCAT-US terms
            record[key] = value
    _apply_exact(dataset, record)
    return record, bare


def _apply_exact(dataset: Mapping[str, Any], record: dict[str, Any]) -> None:
    """satudata's own keys (written by :mod:`.write` only when needed): the exact
    values of fields named like DCAT-US terms, then the fields to remove. A key of
    another shape is kept as it is (it is not ours)."""
    exact, unset = dataset.get(EXACT_FIELDS), dataset.get(UNSET_FIELDS)
    if exact is not None and not isinstance(exact, Mapping):
        record[EXACT_FIELDS] = exact
    if unset is not None and not (
        isinstance(unset, list) and all(isinstance(k, str) for k in unset)
    ):
        record[UNSET_FIELDS] = unset
    if isinstance(exact, Mapping):
        record.update(exact)
    if isinstance(unset, list):
        for key in unset:
            if isinstance(key, str):
                record.pop(key, None)


def dataset_identifier(dataset: Mapping[str, Any]) -> str | None:
    """The remote id of a dataset: ``identifier`` as DCAT-US 1.1 writes it (text) or as
    3.0 may (a URI, or an object ``{"@id": ...}``); without one, the dataset's own
    ``@id`` (a JSON-LD node id, DCAT-US 3.0). None when there is none."""
    value = dataset.get("identifier")
    if isinstance(value, Mapping):
        value = value.get("@id", value.get("id"))
    text = _text(value) if not isinstance(value, Mapping | list) else None
    if text is None and "identifier" not in dataset:
        node = dataset.get("@id")
        text = _text(node) if isinstance(node, str) else None
    return text


def catalogue_problems(body: bytes) -> list[str]:
    """What is wrong with a data.json catalogue object itself (not its datasets): no
    ``conformsTo``, an ``@type`` other than ``dcat:Catalog``, a ``describedBy`` that is
    not a URI. Each as a sentence for the job's notes; [] for a bare list (data.json
    1.0) or a catalogue without such problems. The body was parsed before."""
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except ValueError:
        return []
    if not isinstance(document, Mapping):
        return []
    problems: list[str] = []
    conforms = document.get("conformsTo")
    if _text(conforms) is None:
        problems.append(
            "the catalogue has no conformsTo (DCAT-US asks for the schema's URI, such as "
            "https://project-open-data.cio.gov/v1.1/schema)"
        )
    kind = document.get("@type")
    if kind is not None and kind != "dcat:Catalog":
        problems.append(
            f"the catalogue's @type is {json.dumps(kind, ensure_ascii=False)}, not 'dcat:Catalog'"
        )
    described = document.get("describedBy")
    if described is not None and not (isinstance(described, str) and _URI.match(described)):
        problems.append(
            f"the catalogue's describedBy {json.dumps(described, ensure_ascii=False)} is not a URI"
        )
    return problems


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def parse_catalogue(body: bytes, where: str) -> list[Any]:
    """The dataset entries of a data.json document; ValueError says what is wrong."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{where} is not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise ValueError(f"{where} is empty")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError(f"{where} is nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            + (
                "; the file may be cut off"
                if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated")
                else ""
            )
        ) from None
    except ValueError as exc:
        raise ValueError(f"{where} is not valid JSON: {exc}") from None
    if isinstance(document, list):  # data.json 1.0: a bare list of datasets
        return document
    if isinstance(document, dict) and isinstance(document.get("dataset"), list):
        return list(document["dataset"])
    raise ValueError(
        f"{where} is not a data.json catalogue: expected an object with a 'dataset' "
        "list (DCAT-US 1.1) or a list of datasets"
    )


#: A non-empty stripped text (numbers as text) or None; the source reads ids with it.
