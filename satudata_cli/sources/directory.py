"""The ``directory`` source: a folder of metadata files handed over by agencies.

Read with the same readers as ``satudata validate`` (JSON, JSON Lines, YAML,
CSV, XLSX). The remote id of a record is its ``name`` (the CKAN-style slug)
when it has one, else ``<file relative to the folder>#<index>``; two records
with the same id in one pass: the second is an error, the first is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from satudata_cli.core.errors import InputError
from satudata_cli.core.messages import M
from satudata_cli.core.paths import is_dir
from satudata_cli.readers.files import FileProblem, iter_records
from satudata_cli.sources.base import PassInfo, RemoteRecord, SourceError, SourceSpec

if TYPE_CHECKING:
    from satudata_cli.core.http import HttpClient
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator

RowMapper = Callable[[Mapping[str, Any]], dict[str, Any]]


class DirectorySource:
    incremental: ClassVar[bool] = False

    def __init__(self, config: SourceConfig, from_row: RowMapper) -> None:
        if config.path is None:
            raise SourceError(f"source {config.id}: type directory needs a path")
        self.config = config
        self.root: Path = config.path
        self.from_row = from_row
        self.pass_info = PassInfo()

    def _relative(self, source: str) -> str:
        try:
            return Path(source).relative_to(self.root).as_posix()
        except ValueError:
            return source

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        self.pass_info = PassInfo(incremental=False)
        if not is_dir(self.root):
            raise SourceError(
                M.err_source_prefix.format(source=self.config.id)
                + M.err_src_no_folder.format(path=self.root)
            )
        seen: set[str] = set()
        count = 0
        unreadable = 0
        try:
            items = iter_records([str(self.root)])
            for item in items:
                if limit is not None and count >= limit:
                    self.pass_info.notes.append(f"stopped after --limit {limit} records")
                    return
                if isinstance(item, FileProblem):
                    unreadable += 1
                    where = self._relative(item.source)
                    if item.index is not None:
                        where += f"#{item.index}"
                    yield RemoteRecord(where, None, error=item.finding.message.en)
                    count += 1
                    continue
                record = self.from_row(item.data) if item.tabular else dict(item.data)
                name = record.get("name")
                remote_id = (
                    name.strip()
                    if isinstance(name, str) and name.strip()
                    else f"{self._relative(item.source)}#{item.index}"
                )
                count += 1
                if remote_id in seen:
                    yield RemoteRecord(
                        remote_id,
                        None,
                        error=f"duplicate id {remote_id!r} in {self._relative(item.source)}"
                        f" (record {item.index}); the first one is kept",
                    )
                    continue
                seen.add(remote_id)
                yield RemoteRecord(remote_id, record)
        except InputError as exc:
            raise SourceError(f"source {self.config.id}: {exc}") from exc
        if unreadable:
            self.pass_info.gaps.append(f"{unreadable} file(s) or line(s) could not be read")
        # a pass with unreadable files is not complete: their datasets must not be withdrawn
        self.pass_info.complete = unreadable == 0 and limit is None


def _build(config: SourceConfig, validator: Validator, http: HttpClient | None) -> DirectorySource:
    return DirectorySource(config, validator.from_row)


SPEC = SourceSpec(
    name="directory",
    summary="a folder of JSON/YAML/CSV/XLSX metadata files",
    location="path",
    path_means="a folder",
    build=_build,
    incremental=DirectorySource.incremental,
)
