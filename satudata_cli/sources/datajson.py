"""The ``datajson`` source: a DCAT-US ``data.json`` catalogue (1.1, and the simple
parts of 3.0) at a URL or in a file.

Several regional Satu Data portals publish one. The document is read whole and parsed
before any dataset is given to the engine: a file that is not JSON, or not a
catalogue, fails the job with a clear message and stores nothing. A single dataset
entry that cannot be used (not an object, no ``identifier``, an identifier given
twice) is an errored record and the others are harvested.

The document is parsed and each dataset mapped by the data.json codec
(:mod:`satudata_cli.codecs.datajson.read`, where the mapping table is); this module
reads the document and turns its entries into records for the engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from satudata_cli.codecs.datajson.read import (
    BARE_EMAIL_FINDING,
    DUPLICATE_ID_FINDING,
    catalogue_problems,
    dataset_identifier,
    dataset_to_record,
    parse_catalogue,
)
from satudata_cli.codecs.text import clean_text as _text
from satudata_cli.core.http import HttpClient
from satudata_cli.core.messages import M
from satudata_cli.sources.base import PassInfo, RemoteRecord, SourceError, SourceSpec
from satudata_cli.sources.documents import read_document

if TYPE_CHECKING:
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator


class DataJsonSource:
    incremental: ClassVar[bool] = False

    def __init__(self, config: SourceConfig, http: HttpClient | None) -> None:
        self.config = config
        self.http = http
        self.pass_info = PassInfo()

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        self.pass_info = PassInfo(incremental=False)
        document = read_document(self.config, self.http)
        html = document.html_page()
        if html is not None:
            raise SourceError(M.err_source_prefix.format(source=self.config.id) + html)
        try:
            entries = parse_catalogue(document.body, document.where)
        except ValueError as exc:
            raise SourceError(f"source {self.config.id}: {exc}") from None
        self.pass_info.notes.extend(catalogue_problems(document.body))
        remote_ids = _remote_ids(entries)
        shared = _shared(entries, remote_ids)
        for identifier, ids in sorted(shared.items()):
            self.pass_info.notes.append(
                f"identifier {identifier!r} is given to {len(ids)} datasets; all are kept, "
                "as " + ", ".join(repr(i) for i in ids)
            )
        bare_emails = 0
        errored = 0
        self.pass_info.expected = len(entries)
        for index, entry in enumerate(entries, start=1):
            if limit is not None and index > limit:
                self.pass_info.notes.append(f"stopped after --limit {limit} records")
                break
            if not isinstance(entry, Mapping):
                errored += 1
                yield RemoteRecord(f"#{index}", None, error=f"dataset {index} is not a JSON object")
                continue
            remote_id = remote_ids[index - 1]
            if remote_id is None:
                errored += 1
                title = _text(entry.get("title"))
                yield RemoteRecord(
                    f"#{index}",
                    None,
                    error=f"dataset {index}"
                    + (f" ({title!r})" if title else "")
                    + " has no identifier",
                )
                continue
            record, bare = dataset_to_record(entry)
            bare_emails += bare
            modified = _text(entry.get("modified"))
            found = ((BARE_EMAIL_FINDING,) if bare else ()) + (
                (DUPLICATE_ID_FINDING,) if dataset_identifier(entry) in shared else ()
            )
            yield RemoteRecord(remote_id, record, remote_modified=modified, findings=found)
        if bare_emails:
            self.pass_info.notes.append(
                f"{bare_emails} dataset(s) give contactPoint.hasEmail without 'mailto:' "
                "(DCAT-US asks for it); the address was accepted as it is"
            )
        if errored:  # an entry without identifier may be a stored dataset
            self.pass_info.gaps.append(f"{errored} dataset entries could not be used")
        # an entry without identifier may be a stored dataset: it must not be withdrawn
        self.pass_info.complete = errored == 0 and (limit is None or len(entries) <= limit)


def _ids_of(entries: list[Any]) -> list[str | None]:
    return [dataset_identifier(e) if isinstance(e, Mapping) else None for e in entries]


def _remote_ids(entries: list[Any]) -> list[str | None]:
    """The remote id of each entry: its identifier; when several datasets share one,
    the first keeps it and the next get ``#2``, ``#3``, ... in document order (skipping
    a suffix another dataset has as its own identifier), so every dataset is kept and
    the ids stay the same while the document keeps its order."""
    ids = _ids_of(entries)
    taken = {i for i in ids if i is not None}
    seen: set[str] = set()
    out: list[str | None] = []
    for identifier in ids:
        if identifier is None or identifier not in seen:
            if identifier is not None:
                seen.add(identifier)
            out.append(identifier)
            continue
        number = 2
        while f"{identifier}#{number}" in taken:
            number += 1
        remote_id = f"{identifier}#{number}"
        taken.add(remote_id)
        out.append(remote_id)
    return out


def _shared(entries: list[Any], remote_ids: list[str | None]) -> dict[str, list[str]]:
    """identifier -> the remote ids given to the datasets that share it."""
    groups: dict[str, list[str]] = {}
    for identifier, remote_id in zip(_ids_of(entries), remote_ids, strict=True):
        if identifier is not None and remote_id is not None:
            groups.setdefault(identifier, []).append(remote_id)
    return {k: v for k, v in groups.items() if len(v) > 1}


# -- registration (see satudata_cli.sources.registry) ---------------------------------


def _build(config: SourceConfig, validator: Validator, http: HttpClient | None) -> DataJsonSource:
    return DataJsonSource(config, http)


SPEC = SourceSpec(
    name="datajson",
    summary="a data.json catalogue of the DCAT-US / Project Open Data schema",
    location="url_or_path",
    path_means="a file",
    build=_build,
    incremental=DataJsonSource.incremental,
    reads_whole=True,
)
