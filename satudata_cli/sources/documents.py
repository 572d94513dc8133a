"""One document at a ``url`` or a local ``path``: a data.json file, a metadata sheet.

Sources that read a single document (``datajson``, ``spreadsheet``) get its bytes
here: over HTTP through the source's :class:`~satudata_cli.core.http.HttpClient`
(retries, rate limit, size cap), or from disk with the same size cap
(``http.max_response_mb``). Every failure is a :class:`SourceError` naming the
source and the document; nothing is read half.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from satudata_cli.core.http import HttpClient, HttpError, redact_url
from satudata_cli.core.i18n import Message
from satudata_cli.core.messages import M
from satudata_cli.sources.base import SourceError

if TYPE_CHECKING:
    from satudata_cli.sources.config import SourceConfig


@dataclass(frozen=True, slots=True)
class Document:
    """The bytes of a document, where they came from (shown in messages) and the
    Content-Type the server gave (None for a file)."""

    body: bytes
    where: str
    content_type: str | None
    name: str

    def html_page(self) -> Message | None:
        """A message when the body is an HTML page (a portal's login, error or
        maintenance page answered with 200) instead of the document, else None. Judged
        by the content, not the Content-Type: some servers send sheets as text/html."""
        head = self.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if not head.startswith(_HTML_START):
            return None
        served = f" ({self.content_type})" if self.content_type else ""
        return M.err_src_html_page.format(where=self.where, served=served)


_HTML_START: Final = (b"<!doctype html", b"<html", b"<head>", b"<body")


def read_document(config: SourceConfig, http: HttpClient | None) -> Document:
    """The source's document; :class:`SourceError` when it cannot be had whole."""
    if config.url is not None:
        if http is None:  # pragma: no cover - the engine always passes one for a url
            raise SourceError(f"source {config.id}: no HTTP client")
        try:
            body, content_type, _final = http.get_bytes(config.url)
        except HttpError as exc:
            raise SourceError(M.err_source_prefix.format(source=config.id) + exc.message) from exc
        where = redact_url(config.url)
        name = config.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return Document(body, where, content_type, name)
    if config.path is None:  # pragma: no cover - the configuration requires one
        raise SourceError(f"source {config.id}: type {config.type} needs url or path")
    path: Path = config.path
    limit = config.http.max_response_bytes
    try:
        if not path.is_file():
            problem = M.err_src_is_folder if path.is_dir() else M.err_src_no_file
            raise SourceError(
                M.err_source_prefix.format(source=config.id) + problem.format(path=path)
            )
        if path.stat().st_size > limit:
            raise SourceError(
                f"source {config.id}: {path} is larger than {limit / 1048576:.3g} MiB "
                "(http.max_response_mb)"
            )
        body = path.read_bytes()
    except OSError as exc:
        problem = M.err_src_unreadable.format(path=path, reason=exc.strerror or exc)
        raise SourceError(M.err_source_prefix.format(source=config.id) + problem) from exc
    return Document(body, str(path), None, path.name)
