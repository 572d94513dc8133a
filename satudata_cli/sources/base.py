"""What every kind of sumber (source) gives the harvest engine.

A source *gathers* :class:`RemoteRecord` items: one per remote dataset, mapped
from the portal's shape onto the standard's field names (the source-specific
part: CKAN extras, DCAT terms, spreadsheet headers). The engine then applies
the source's ``mapping`` and ``defaults`` from its configuration, validates,
compares content hashes and stores.

A record that cannot be parsed or mapped is a ``RemoteRecord`` with ``error``
set: the engine records an ``errored`` event and goes on. A failure that stops
the gather itself (the portal is down, a page is not JSON) is raised as a
:class:`SourceError`; the job fails with that message and nothing is withdrawn.

A source may attach findings about a dataset's original shape to its record
(``RemoteRecord.findings``, rule ids in :mod:`satudata_cli.standard.ruleset`).

Each source type describes itself with one :class:`SourceSpec` at the end of its
module (``SPEC = SourceSpec(...)``); :mod:`satudata_cli.sources.registry` lists them,
and the configuration checks, the config JSON Schema, the factory and the
needs-HTTP rule are all read from there.

After the iterator is exhausted, ``pass_info`` tells whether the pass saw the
whole catalogue of the source (``complete``), which only a complete pass may
use to withdraw datasets, and carries notes for the job log (e.g. "package_search
refused; fell back to package_list"). When the pass may have missed datasets, the
source says why in ``pass_info.gaps`` (one line each, e.g. "package_search returned
an empty page at start=2000 although count is 3120"): a pass with a gap is never
complete, and the engine reports it as incomplete (exit 3, ``incomplete_reason`` in
``harvest --json``). While it runs, a source that knows how many records it will
yield sets ``pass_info.expected`` (the progress display shows a total and an ETA).

Unchanged items before their mapping: a source that can hash an item as the portal
gave it (:class:`ChecksBeforeMapping`, CKAN) asks the engine's check with that hash
*before* mapping the item; when the check says the input is what it was, the source
yields the item with ``unchanged`` set and no record (the engine has already counted
it), so an unchanged dataset costs a hash, not a mapping, a validation and a write.
Otherwise it maps the item and passes the hash on as ``input_key``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, runtime_checkable

from pydantic import BaseModel

from satudata_cli.core.errors import SatudataError
from satudata_cli.standard.findings import Finding

if TYPE_CHECKING:
    from satudata_cli.core.http import HttpClient
    from satudata_cli.sources.config import SourceConfig
    from satudata_cli.standard.validator import Validator


class SourceError(SatudataError):
    """The gather of one source failed as a whole (unreachable, refused, broken)."""


class SourceNotSupported(SourceError):
    """The configured source type has no implementation in this version."""


@dataclass(frozen=True, slots=True)
class RemoteRecord:
    """One remote dataset as the source gave it.

    ``findings`` are what the source itself noticed about the dataset's original shape
    (e.g. a data.json e-mail without ``mailto:``), which the mapped record no longer
    shows; the engine adds them to the validator's verdict under the profile's
    severities (:meth:`Validator.add_source_findings`).
    """

    remote_id: str
    record: dict[str, Any] | None
    remote_modified: str | None = None
    error: str | None = None
    findings: tuple[Finding, ...] = ()
    #: the hash of the item as the source got it (:class:`ChecksBeforeMapping`)
    input_key: str | None = None
    #: the engine's check found the input unchanged: no record, nothing more to do
    unchanged: bool = False


@dataclass(slots=True)
class PassInfo:
    """What a pass learnt about itself (see the module doc).

    ``gaps``: why the pass may have missed datasets (a pass with one is not complete,
    whatever ``complete`` says); ``notes``: anything else worth keeping in the job log.
    ``expected``: how many records the source says the pass will yield (CKAN's
    ``count``, the length of a data.json, a JSON API's total), set as soon as it is
    known and left None otherwise; the engine reads it for the progress display only,
    never to decide anything.
    """

    complete: bool = False
    incremental: bool = False
    notes: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    expected: int | None = None

    @property
    def whole(self) -> bool:
        """Whether the pass saw the whole catalogue: complete and without a gap."""
        return self.complete and not self.gaps


class Source(Protocol):
    """A configured source, ready to gather.

    ``incremental`` says whether the source can gather only what changed since a
    moment (CKAN can, by ``metadata_modified``); a source that cannot always makes
    complete passes.
    """

    pass_info: PassInfo
    incremental: ClassVar[bool]

    def gather(self, *, since: datetime | None, limit: int | None) -> Iterator[RemoteRecord]:
        """Yield records; ``since`` asks for an incremental pass where the source can."""
        ...


#: ``check(remote_id, input_key)``: True when that input is what the catalogue last
#: judged (the engine has then counted the dataset as unchanged).
UnchangedCheck = Callable[[str, str], bool]


@runtime_checkable
class ChecksBeforeMapping(Protocol):
    """A source that hashes each item as the portal gave it and asks ``check`` before
    mapping it (see the module doc). The engine sets the check for one pass of a real
    harvest (never for a dry run or a preview) and clears it after."""

    def check_before_mapping(self, check: UnchangedCheck | None) -> None: ...


#: Where a source type reads from: a web address only, a local path only, or either.
Location = Literal["url", "path", "url_or_path"]

#: Builds a source from its configuration, the validator of its profile (for row
#: mapping and the standard's fields) and the HTTP client (None when not needed).
SourceBuilder = Callable[["SourceConfig", "Validator", "HttpClient | None"], Source]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """Everything the rest of satudata knows about one source type.

    - ``name``: the ``type:`` value in a source file;
    - ``summary``: what it reads, for the field docs (``type``) and the JSON Schema;
    - ``location``: ``url`` (required, no ``path``), ``path`` (required, no ``url``) or
      ``url_or_path`` (exactly one of them); ``path_means`` says what the path is
      (``a folder``, ``a file``);
    - ``build``: the factory (see :data:`SourceBuilder`);
    - ``incremental``: whether a pass can ask only for what changed (``since``);
    - ``reads_whole``: whether a pass holds the whole catalogue in memory as Python
      objects before its first record (a data.json file); the harvest then writes its
      batches in line rather than in a write process, whose memory would add to a peak
      that is already the source's (measured with a 20,000-dataset Turtle file before
      its reader kept the mapped records pickled: 288 MB, 303 to 330 MB with a write
      process beside it; the target is 300);
    - ``settings``: the pydantic model of the type's own block (the key is the type's
      name, e.g. ``dcat:``), None when it has none; ``settings_required`` with
      ``settings_hint`` (what the block must hold) when the type cannot work without
      it; ``settings_summary`` describes the block in the field docs.

    A type needs HTTP when it reads a ``url`` (:meth:`needs_http`).
    """

    name: str
    summary: str
    location: Location
    build: SourceBuilder
    incremental: bool = False
    reads_whole: bool = False
    path_means: str = ""
    settings: type[BaseModel] | None = None
    settings_required: bool = False
    settings_hint: str = ""
    settings_summary: str = ""

    def needs_http(self, config: SourceConfig) -> bool:
        """Whether a source of this type, so configured, talks HTTP (an HTTP client
        is opened for it): every ``url`` type, and the others when given a ``url``."""
        return self.location == "url" or config.url is not None


def lost_token(http: HttpClient, seen_before: int) -> str | None:
    """The gap of a token pass whose requests were redirected to another host (where
    the token is not sent, so only public datasets were listed there): the new
    address, or None. ``seen_before``: ``len(http.credentials_dropped())`` when the pass
    began."""
    moved = http.credentials_dropped()[seen_before:]
    if not moved:
        return None
    return (
        f"a request was redirected to {moved[0]}, another host, where the token is not "
        "sent: datasets only the token can see may be missing (if the portal moved, "
        "change url in the source file)"
    )


def require_http(config: SourceConfig, http: HttpClient | None) -> HttpClient:
    """The HTTP client a ``url`` source needs; :class:`SourceError` without one."""
    if http is None:
        raise SourceError(f"source {config.id}: no HTTP client")
    return http
