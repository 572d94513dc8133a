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
from typing import TYPE_CHECKING, ClassVar

from satudata_cli.codecs.datajson.read import BARE_EMAIL_FINDING, dataset_to_record, parse_catalogue
from satudata_cli.codecs.text import clean_text as _text
from satudata_cli.core.http import HttpClient
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
            raise SourceError(f"source {self.config.id}: {html}")
        try:
            entries = parse_catalogue(document.body, document.where)
        except ValueError as exc:
            raise SourceError(f"source {self.config.id}: {exc}") from None
        seen: set[str] = set()
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
            remote_id = _text(entry.get("identifier"))
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
            if remote_id in seen:
                yield RemoteRecord(
                    remote_id,
                    None,
                    error=f"identifier {remote_id!r} is given twice (dataset {index}); "
                    "the first one is kept",
                )
                continue
            seen.add(remote_id)
            record, bare = dataset_to_record(entry)
            bare_emails += bare
            modified = _text(entry.get("modified"))
            yield RemoteRecord(
                remote_id,
                record,
                remote_modified=modified,
                findings=(BARE_EMAIL_FINDING,) if bare else (),
            )
        if bare_emails:
            self.pass_info.notes.append(
                f"{bare_emails} dataset(s) give contactPoint.hasEmail without 'mailto:' "
                "(DCAT-US asks for it); the address was accepted as it is"
            )
        if errored:  # an entry without identifier may be a stored dataset
            self.pass_info.gaps.append(f"{errored} dataset entries could not be used")
        # an entry without identifier may be a stored dataset: it must not be withdrawn
        self.pass_info.complete = errored == 0 and (limit is None or len(entries) <= limit)


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
)
