"""The katalog as a DCAT-US 1.1 ``data.json`` catalogue (``--format datajson``).

Each active dataset is a ``dcat:Dataset`` whose ``identifier`` is
``{base_uri}dataset/{source_id}/{remote_id}`` (unique across sources and stable across
exports), written by the data.json codec (:mod:`satudata_cli.codecs.datajson.write`,
the inverse of the mapping the ``datajson`` source reads): a catalogue exported and
harvested again gives the same canonical records. This module streams the document,
one dataset at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO
from urllib.parse import quote

from satudata_cli.codecs.datajson.write import CONTEXT, SCHEMA_VERSION, record_to_dataset
from satudata_cli.exports import ExportContext, ExportItem

__all__ = ["write_datajson"]


def write_datajson(items: Iterable[ExportItem], out: BinaryIO, *, context: ExportContext) -> int:
    base = context.base_uri if context.base_uri.endswith("/") else context.base_uri + "/"
    count = 0
    out.write(
        (
            "{\n"
            f'  "@context": {json.dumps(CONTEXT)},\n'
            f'  "@id": {json.dumps(base + "data.json")},\n'
            '  "@type": "dcat:Catalog",\n'
            f'  "conformsTo": {json.dumps(SCHEMA_VERSION)},\n'
            f'  "describedBy": {json.dumps(SCHEMA_VERSION + "/catalog.json")},\n'
            f'  "title": {json.dumps(context.title, ensure_ascii=False)},\n'
            f'  "modified": {json.dumps(context.generated_at)},\n'
            '  "dataset": ['
        ).encode()
    )
    for item in items:
        summary = item.summary
        identifier = (
            f"{base}dataset/{quote(summary.source_id, safe='')}/{quote(summary.remote_id, safe='')}"
        )
        dataset = record_to_dataset(item.record, identifier)
        text = json.dumps(dataset, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        out.write((",\n    " if count else "\n    ").encode("utf-8"))
        out.write(text.encode("utf-8"))
        count += 1
    out.write(("\n  ]\n}\n" if count else "]\n}\n").encode("utf-8"))
    return count
