"""``satudata sources check``: gather a source's first records and judge them, writing
nothing.

The preview runs on the harvest engine's own path (:mod:`satudata_cli.pipeline.harvest`):
the validator of the source's profile (:func:`make_validator`), the HTTP client its
type needs (:func:`open_http`, the registry's rule), the source built by the registry
(:func:`default_source_factory`), and each record prepared and judged as a harvest
would (:func:`prepare`, :func:`judge`).

Built, then run: :func:`open_check` loads the profile and opens the HTTP client (their
errors are configuration errors); :meth:`SourceCheck.run` gathers and judges (its
errors mean the source could not be read) and returns a :class:`SourcePreview`.
Rendering it is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from satudata_cli.core.http import HttpClient
from satudata_cli.pipeline.harvest import (
    SourceFactory,
    default_source_factory,
    judge,
    make_validator,
    open_http,
    prepare,
    storable_error,
)
from satudata_cli.sources.config import SourceConfig
from satudata_cli.standard.schema import Standard, load_standard
from satudata_cli.standard.validator import Validator

__all__ = ["PreviewRow", "SourceCheck", "SourcePreview", "open_check"]


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One gathered record: its title, whether it is valid, and its findings as
    ``severity rule path`` lines (for a record the source could not read: its error)."""

    remote_id: str
    title: Any
    valid: bool
    findings: tuple[str | None, ...]
    errored: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "remote_id": self.remote_id,
            "title": self.title,
            "valid": self.valid,
            "findings": list(self.findings),
        }


@dataclass(slots=True)
class SourcePreview:
    """What ``sources check`` saw of one source."""

    config: SourceConfig
    rows: list[PreviewRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return sum(1 for row in self.rows if row.valid)

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if not row.valid and not row.errored)

    @property
    def errored(self) -> int:
        return sum(1 for row in self.rows if row.errored)


@dataclass(slots=True)
class SourceCheck:
    """A preview ready to run: the source's validator and HTTP client are in place."""

    config: SourceConfig
    validator: Validator
    http: HttpClient | None
    source_factory: SourceFactory = default_source_factory

    def run(self, *, limit: int) -> SourcePreview:
        """The first ``limit`` records of the source, judged under its profile; a
        SatudataError when the source cannot be read."""
        config, validator = self.config, self.validator
        preview = SourcePreview(config)
        source = self.source_factory(config, validator, self.http)
        for item in source.gather(since=None, limit=limit):
            item, record = prepare(config, item)
            error = item.error if record is None else storable_error(record)
            if record is None or error is not None:
                preview.rows.append(PreviewRow(item.remote_id, None, False, (error,), errored=True))
                continue
            result = judge(validator, config, item, record)
            preview.rows.append(
                PreviewRow(
                    item.remote_id,
                    record.get("title"),
                    result.valid,
                    tuple(
                        f"{f.severity.value} {f.rule} {f.path}" for f in result.sorted_findings()
                    ),
                )
            )
        preview.notes.extend(source.pass_info.notes)
        return preview


@contextmanager
def open_check(
    config: SourceConfig,
    *,
    default_profile: str = "sdi-dasar",
    standard: Standard | None = None,
    source_factory: SourceFactory = default_source_factory,
) -> Iterator[SourceCheck]:
    """Build the check of one source (a ProfileError or ConfigError here is a problem
    of the configuration, not of the source); the HTTP client is closed on exit."""
    standard = standard or load_standard()
    validator = make_validator(standard, config.profile or default_profile)
    http = open_http(config)
    try:
        yield SourceCheck(config, validator, http, source_factory)
    finally:
        if http is not None:
            http.close()
