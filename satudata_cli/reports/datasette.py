"""Datasette metadata for the katalog: ``datasette satudata.db -m metadata.json``.

The katalog is a plain SQLite file, so Datasette browses it as it is; this module gives
that browser the words and the questions a walidata needs: a description of every table
and of the columns of ``datasets`` (in Indonesian or English: Datasette shows one
language, the run's), facets (agency, produsen data, jadwal pemutakhiran, access class,
validity) and canned queries (overdue datasets per agency, invalid datasets with their
findings, what changed in the last seven days).

Overdue is judged by the same function as ``satudata report freshness``
(:func:`~satudata_cli.reports.build.freshness_of`), not by a second SQL version of it:
the canned queries call the SQL function ``satudata_days_overdue``, which satudata's
Datasette plugin (:mod:`satudata_cli.reports.datasette_plugin`, registered as a
``datasette`` entry point) adds to every connection when Datasette is installed in the
same environment as satudata. Dates in Indonesian forms (``17/08/2024``), a date in the
future taken as a mistake, the fall-back to the source's modified time and to first
seen: SQL's ``date()`` knows none of them, and a second implementation would drift.

Built for Datasette 0.65 (metadata holds ``queries`` and ``facets``; the 1.0 alphas move
them to ``datasette.yaml``).
"""

from __future__ import annotations

from typing import Any, Final

from satudata_cli.catalogue import canned
from satudata_cli.core.i18n import Lang
from satudata_cli.core.messages import CATALOGUE_DOCS, M
from satudata_cli.standard.schema import Standard

#: Columns of ``datasets`` copied out of the record: their words come from the standard.
_STANDARD_COLUMNS: Final = (
    "name",
    "title",
    "organization",
    "notes",
    "tags",
    "produsen_data",
    "jadwal_pemutakhiran",
    "tanggal_diperbarui",
    "klasifikasi_akses",
    "kode_wilayah",
    "license_id",
    "pilar",
)

#: Facets offered on ``datasets`` without a click.
DATASET_FACETS: Final = (
    "organization",
    "produsen_data",
    "jadwal_pemutakhiran",
    "klasifikasi_akses",
    "pilar",
    "valid",
    "status",
)


def _sql(template: str, lang: Lang) -> str:
    words = {
        key: CATALOGUE_DOCS[f"q.{key}"].get(lang)
        for key in ("agency", "datasets", "overdue", "worst", "days", "findings", "when", "what")
    }
    words["none"] = CATALOGUE_DOCS["q.none"].get(lang).replace("'", "''")
    words["message_column"] = "message_id" if lang == "id" else "message_en"
    quoted = {k: (v if k in {"none", "message_column"} else f'"{v}"') for k, v in words.items()}
    return template.format(**quoted).strip()


def _queries(lang: Lang) -> dict[str, dict[str, Any]]:
    return {
        "terlambat_per_perangkat_daerah": {
            "title": M.dsm_q_overdue.get(lang),
            "description": M.dsm_q_overdue_about.get(lang),
            "sql": _sql(canned.OVERDUE_PER_AGENCY, lang),
        },
        "dataset_terlambat": {
            "title": M.dsm_q_overdue_list.get(lang),
            "description": M.dsm_q_overdue_list_about.get(lang),
            "sql": _sql(canned.OVERDUE_DATASETS, lang),
        },
        "dataset_tidak_valid": {
            "title": M.dsm_q_invalid.get(lang),
            "description": M.dsm_q_invalid_about.get(lang),
            "sql": _sql(canned.INVALID_DATASETS, lang),
        },
        "berubah_minggu_ini": {
            "title": M.dsm_q_changed.get(lang),
            "description": M.dsm_q_changed_about.get(lang),
            "sql": _sql(canned.CHANGED_THIS_WEEK, lang),
        },
    }


def _dataset_columns(standard: Standard, lang: Lang) -> dict[str, str]:
    columns: dict[str, str] = {}
    for name in _STANDARD_COLUMNS:
        info = standard.fields.get(name)
        own = CATALOGUE_DOCS.get(f"datasets.{name}")
        if own is not None:
            columns[name] = own.get(lang)
        elif info is not None:
            about = info.description.get(lang)
            columns[name] = f"{info.title.get(lang)}: {about}" if about else info.title.get(lang)
    for key, text in CATALOGUE_DOCS.items():
        table, _, column = key.partition(".")
        if table == "datasets" and column and column not in columns:
            columns[column] = text.get(lang)
    return columns


def datasette_metadata(
    *, database: str, tables: list[str], standard: Standard, lang: Lang
) -> dict[str, Any]:
    """Datasette's ``metadata.json`` for a katalog file named ``database`` (the file name
    without ``.db``, as Datasette names it) holding ``tables``."""
    described: dict[str, dict[str, Any]] = {}
    for table in tables:
        if canned.is_hidden(table):
            described[table] = {"hidden": True}
            continue
        entry: dict[str, Any] = {}
        about = CATALOGUE_DOCS.get(table)
        if about is not None:
            entry["description"] = about.get(lang)
        columns = {
            key.partition(".")[2]: text.get(lang)
            for key, text in CATALOGUE_DOCS.items()
            if key.partition(".")[0] == table and key.partition(".")[2]
        }
        if table == "datasets":
            columns = _dataset_columns(standard, lang)
            entry.update(
                label_column="title", facets=list(DATASET_FACETS), sort_desc="last_changed"
            )
        elif table == "validation_findings":
            entry["facets"] = ["severity", "rule"]
        elif table == "harvest_jobs":
            entry.update(facets=["source_id", "status"], sort_desc="id")
        elif table == "harvest_events":
            entry.update(facets=["kind"], sort_desc="id")
        if columns:
            entry["columns"] = columns
        described[table] = entry
    return {
        "title": M.dsm_title.get(lang),
        "description": M.dsm_about.get(lang),
        "databases": {
            database: {
                "description": M.dsm_about.get(lang),
                "tables": described,
                "queries": _queries(lang),
            }
        },
    }
