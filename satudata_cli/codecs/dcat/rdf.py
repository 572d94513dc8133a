"""Reading RDF safely: which serialisation a document is in, and parsing it.

:func:`read_rdf` is what the ``dcat`` source calls: the streaming reader of
:mod:`.light` (pyoxigraph, a light index), or rdflib (:func:`parse_rdf`) for what only
rdflib reads as rdflib does, and for everything when ``SATUDATA_DCAT_READER=rdflib``
(the reference the benchmark and the equality test compare with). Both get the same
screens first.

The serialisation comes from the Content-Type, else the file extension, else the
content itself (an XML declaration or element: XML; ``{``/``[``: JSON-LD; ``@prefix``,
``<iri>``: Turtle, which also reads N-Triples). A Content-Type or extension that the
content plainly contradicts gives way to the content (servers label every file
``application/xml`` or ``application/json``). An HTML page is refused by name.

Safety (a catalogue is untrusted input):

- RDF/XML is screened with defusedxml before rdflib sees it: a document that declares
  entities (``<!ENTITY``: the way of XXE and of the "billion laughs") or refers to an
  external one is refused. Nothing in a document is ever fetched or read from disk.
- JSON-LD: a document whose ``@context`` (or ``@import``) names a remote, ``file:`` or
  relative context anywhere, at any depth (in nested lists, in nodes nested hundreds of
  levels deep, in the scoped context of a term), is refused before rdflib, which would
  otherwise fetch or read it; contexts must be written inline. The screen walks the
  document with a stack, not by recursion, so no depth escapes it; rdflib is then given
  the very object that was screened (not the bytes again), so the two cannot read the
  document differently.
- The streaming reader gets the same screens, in a form that does not need the whole
  document as Python objects: RDF/XML without ``<!DOCTYPE`` cannot declare or refer to
  any entity, so defusedxml screens exactly the documents that have one; a JSON-LD
  document without ``\\u`` escapes can spell ``"@context"``/``"@import"`` only
  literally, so each such key's value is decoded and screened alone (a document with
  escapes, or whose screen finds anything, gets the whole-document screen above).
  pyoxigraph has no document loader: a remote context is an error to it, never a fetch.
- And should anything still lead rdflib outside the document, it cannot act on it:
  rdflib 7 has no document loader to replace, and documents Python's audit hooks as the
  way to stop it (its "security considerations"). While a document is parsed, a hook
  refuses, in the parsing thread only, every outbound connection (``urllib.Request``,
  ``socket.connect``, ``socket.getaddrinfo``) and every file opened that is not Python
  code (rdflib may still import its own modules).
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike, fsdecode
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from xml.sax import ContentHandler, SAXException

import defusedxml
import defusedxml.sax
from rdflib import Graph

from satudata_cli.codecs.dcat.chunks import Chunks
from satudata_cli.codecs.dcat.light import LightGraph, parse_light

__all__ = ["FORMAT_LABELS", "detect_format", "parse_rdf", "quiet_rdflib", "read_rdf"]

#: ``SATUDATA_DCAT_READER=rdflib`` reads every document with rdflib (the old reader)
READER_VARIABLE: Final = "SATUDATA_DCAT_READER"

#: rdflib's parser name -> what a person calls it.
FORMAT_LABELS: Final[dict[str, str]] = {
    "xml": "RDF/XML",
    "turtle": "Turtle",
    "json-ld": "JSON-LD",
    "nt": "N-Triples",
}
_BY_MEDIA_TYPE: Final = {
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/n-triples": "nt",
}
_BY_EXTENSION: Final = {
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".ttl": "turtle",
    ".n3": "turtle",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
}


_XML_START = re.compile(rb"^<(\?xml|!--|!doctype|[a-z_][\w.-]*(:[a-z_][\w.-]*)?[\s>/])")
_TURTLE_START = re.compile(rb"^(@prefix|@base|prefix\s|base\s|#|_:|<[^\s<>]*>)")


def _sniff(head: bytes) -> str | None:
    """What the content itself says it is, when it says so clearly (``head`` lowered and
    stripped): ``xml``, ``json-ld``, ``turtle`` (which includes N-Triples) or None."""
    if head.startswith((b"{", b"[")):
        return "json-ld"
    xml, turtle = bool(_XML_START.match(head)), bool(_TURTLE_START.match(head))
    if xml != turtle:  # both (``<a> <b>`` is XML and Turtle alike): undecided
        return "xml" if xml else "turtle"
    return None


def detect_format(body: bytes, *, content_type: str | None = None, name: str | None = None) -> str:
    """rdflib's parser name for a document: the Content-Type, else the extension, unless
    the content plainly contradicts it (servers often label every file
    ``application/xml`` or ``application/json``); else the content; else Turtle.

    Raises :class:`ValueError` for an HTML page.
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if media in ("text/html", "application/xhtml+xml") or head.startswith(
        (b"<!doctype html", b"<html")
    ):
        raise ValueError("it is an HTML page, not an RDF document")
    declared = _BY_MEDIA_TYPE.get(media)
    if declared is None and name:
        declared = _BY_EXTENSION.get(Path(urlsplit(name).path).suffix.lower())
    sniffed = _sniff(head)
    if sniffed is None:
        return declared or "turtle"
    if declared is None or (sniffed == "turtle" and declared == "nt"):
        return declared or sniffed
    return sniffed


class _NoContent(ContentHandler):
    """A SAX handler that keeps nothing: the screen only needs the parse to finish."""


def _screen_xml(body: bytes) -> None:
    """Refuse XML that declares entities or refers to external ones (defusedxml)."""
    try:
        defusedxml.sax.parseString(
            body, _NoContent(), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.EntitiesForbidden:
        raise ValueError(
            "the XML declares entities (<!ENTITY ...>), which satudata refuses: they are "
            "how XXE and billion-laughs attacks work, and DCAT needs none"
        ) from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise ValueError(
            "the XML refers to an external entity or DTD, which satudata never fetches"
        ) from None
    except SAXException as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None


def _remote_contexts(document: Any, limit: int = 3) -> list[str]:
    """Every context a JSON-LD document names by address (a string ``@context`` entry,
    in a list at any depth, or an ``@import``), wherever it is; at most ``limit``.

    Iterative (an explicit stack), so a document nested deeper than Python's recursion
    limit is screened whole. ``in_context`` marks values that are context definitions:
    there a string is an address, while elsewhere strings are plain values.
    """
    found: list[str] = []
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack and len(found) < limit:
        value, in_context = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@context":
                    stack.append((item, True))
                elif key == "@import" and isinstance(item, str):
                    found.append(item)
                else:
                    stack.append((item, False))
        elif isinstance(value, list):
            stack.extend((item, in_context) for item in value)
        elif in_context and isinstance(value, str):
            found.append(value)
    return found


def _screen_jsonld(body: bytes) -> Any:
    """The JSON-LD document as Python values, once screened (:class:`ValueError` when
    it names a context by address, or is not JSON)."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
    except ValueError as exc:
        raise ValueError(f"not valid JSON ({exc})") from None
    remote = _remote_contexts(data)
    if remote:
        raise ValueError(
            f"the JSON-LD document names a remote @context ({remote[0][:200]}); satudata "
            "never fetches or reads anything a document points to: write the context inline"
        )
    return data


class _OutsideAccess(PermissionError):
    """Raised by the audit hook when a parse tries to reach outside the document."""


_GUARD = threading.local()
_HOOK_LOCK = threading.Lock()
_hook_installed = False
_NETWORK_EVENTS: Final = frozenset({"urllib.Request", "socket.connect", "socket.getaddrinfo"})
_CODE_FILES: Final = (".py", ".pyc", ".so", ".pth")


def _refuse_outside_access(event: str, args: tuple[Any, ...]) -> None:
    """The audit hook (see the module doc): active only in a thread that is parsing."""
    if not getattr(_GUARD, "parsing", False):
        return
    if event in _NETWORK_EVENTS:
        raise _OutsideAccess(f"a network request ({event})")
    if event == "open" and args and isinstance(args[0], str | bytes | PathLike):
        name = fsdecode(args[0])
        if not name.endswith(_CODE_FILES):
            raise _OutsideAccess(f"reading {name}")


@contextmanager
def _sealed() -> Iterator[None]:
    """Run the block with the audit hook refusing network and file access in this thread."""
    global _hook_installed
    if not _hook_installed:
        with _HOOK_LOCK:
            if not _hook_installed:
                sys.addaudithook(_refuse_outside_access)  # cannot be removed: once per process
                _hook_installed = True
    _GUARD.parsing = True
    try:
        yield
    finally:
        _GUARD.parsing = False


_RDFLIB = threading.Lock()


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's deprecation warnings about its own internals (its JSON-LD code
    uses its deprecated ConjunctiveGraph). ``warnings.catch_warnings`` changes global
    state, so parsing and writing RDF are serialised by one lock: parallel sources
    cannot undo each other's filters (parsing holds the GIL anyway)."""
    with _RDFLIB, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def parse_rdf(body: bytes, rdf_format: str, base: str) -> Graph:
    """Parse ``body`` safely (see the module doc); :class:`ValueError` with the reason."""
    data: Any = body
    if rdf_format == "xml":
        _screen_xml(body)
    elif rdf_format == "json-ld":
        data = _screen_jsonld(body)  # rdflib reads what was screened, not the bytes again
    graph = Graph()
    try:
        with quiet_rdflib(), _sealed():
            graph.parse(data=data, format=rdf_format, publicID=base)
    except _OutsideAccess as exc:
        raise ValueError(
            f"the document makes the RDF parser reach outside it ({exc}); satudata never "
            "fetches or reads anything a document points to"
        ) from None
    except RecursionError:
        raise ValueError("the document is nested too deeply") from None
    except Exception as exc:  # rdflib raises many kinds; the message is what matters
        text = " ".join(str(exc).split()) or type(exc).__name__
        raise ValueError(text[:400]) from None
    return graph


_XML_DTD: Final = re.compile(rb"<!DOCTYPE|<!ENTITY")
_JSONLD_KEY: Final = re.compile(rb'"(@context|@import)"\s*:\s*')
_ESCAPE: Final = re.compile(rb"\\u")


def _xml_needs_screen(body: Chunks) -> bool:
    """Whether defusedxml must screen the document: it has a DTD (the only place an
    entity can be declared or an external one named), or is not plain UTF-8-ish text
    where ``<!DOCTYPE`` would be visible as bytes."""
    return b"\x00" in body.head(1024) or body.search(_XML_DTD)


def _jsonld_plainly_local(body: Chunks) -> bool:
    """True when no ``@context``/``@import`` of the document names anything by address
    (see the module doc); False means: screen the whole document.

    Each value is decoded from a window of the bytes that grows until it holds the whole
    value, so the document is never copied whole into a ``str`` (a JSON-LD catalogue of
    20,000 datasets is 70 MB). The streaming reader needs valid UTF-8 anyway (it refuses
    anything else, and rdflib then reads it after the whole-document screen), so a
    character cut at the window's end is simply dropped."""
    if b"\x00" in body.head(1024) or body.search(_ESCAPE):
        return False
    decoder = json.JSONDecoder()
    for offset, match in body.finditer(_JSONLD_KEY):
        start, size = offset + len(match[0]), 4096
        while True:
            window = body.slice(start, start + size).decode("utf-8", errors="ignore")
            try:
                value, _end = decoder.raw_decode(window)
                break
            except RecursionError:
                return False  # nested too deeply: the whole-document screen says so
            except ValueError:
                if start + size >= body.size:
                    return False  # not JSON there: let the whole-document screen say so
                size *= 16
        if _remote_contexts({match[1].decode("ascii"): value}, 1):
            return False
    return True


def read_rdf(body: bytes | Chunks, rdf_format: str, base: str) -> Graph | LightGraph:
    """Parse ``body`` safely (see the module doc): the streaming reader's
    :class:`~.light.LightGraph`, or rdflib's :class:`Graph`; :class:`ValueError` with
    the reason. A document in :class:`~.chunks.Chunks` that can be read again from its
    origin is handed to the streaming reader chunk by chunk, each let go once read; if
    that reader gives it back, it is read again and goes through this function anew
    (screens included) as plain bytes."""
    chunks = body if isinstance(body, Chunks) else Chunks([body])
    if os.environ.get(READER_VARIABLE, "").strip().lower() == "rdflib":
        return parse_rdf(chunks.join(), rdf_format, base)
    if rdf_format == "xml" and _xml_needs_screen(chunks):
        _screen_xml(chunks.join())
    elif rdf_format == "json-ld" and not _jsonld_plainly_local(chunks):
        return parse_rdf(chunks.join(), rdf_format, base)  # the whole-document screen decides
    with _sealed():
        graph = parse_light(chunks, rdf_format, base)
    if graph is not None:
        return graph
    if chunks.consumed:  # read again, and screened again: it may have changed meanwhile
        return read_rdf(chunks.reload(), rdf_format, base)
    return parse_rdf(chunks.join(), rdf_format, base)
