"""A document held as a list of byte chunks instead of one ``bytes``.

A local catalogue file is read in chunks of a few MB. The screens of :mod:`.rdf` search
them like one byte string (a match may cross two chunks), and the streaming reader of
:mod:`.light` is given a file-like object that hands the chunks over one by one and lets
each go once read: the document and the index built from it are never both in memory
whole (a 100 MB N-Triples catalogue would otherwise sit beside its index).
Once consumed, the document can be read again from where it came from (:meth:`reload`),
for the rare document the streaming reader gives back to rdflib.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from typing import Final

__all__ = ["CHUNK_BYTES", "Chunks"]

CHUNK_BYTES: Final = 4 << 20
#: how far back a match may begin in the previous chunk (every pattern used on a
#: document matches far less: a keyword and its spacing, a language tag)
_OVERLAP: Final = 4096


class Chunks:
    """A document's bytes in chunks; see the module doc."""

    def __init__(self, chunks: list[bytes], reload: Callable[[], bytes] | None = None) -> None:
        self._chunks = [chunk for chunk in chunks if chunk]
        self._reload = reload
        self.size = sum(len(chunk) for chunk in self._chunks)
        self.consumed = False

    @property
    def consumable(self) -> bool:
        """Whether the streaming reader may let the chunks go as it reads them (the
        document can be read again from its origin)."""
        return self._reload is not None

    def head(self, size: int) -> bytes:
        out = b""
        for chunk in self._chunks:
            out += chunk[: size - len(out)]
            if len(out) >= size:
                break
        return out

    def finditer(self, pattern: re.Pattern[bytes]) -> Iterator[tuple[int, re.Match[bytes]]]:
        """Every match of ``pattern`` as (offset in the document, match in its window)."""
        offset = 0  # where the current chunk starts in the document
        tail = b""
        last = -1  # where the last match handed out starts
        for index, chunk in enumerate(self._chunks):
            window = tail + chunk
            base = offset - len(tail)
            final = index == len(self._chunks) - 1
            for match in pattern.finditer(window):
                if base + match.start() <= last:
                    continue  # handed out from the previous window already
                if match.end() == len(window) and not final:
                    break  # it may go on in the next chunk: found again there, whole
                last = base + match.start()
                yield last, match
            offset += len(chunk)
            tail = window[-_OVERLAP:]

    def search(self, pattern: re.Pattern[bytes]) -> bool:
        return next(self.finditer(pattern), None) is not None

    def slice(self, start: int, end: int) -> bytes:
        out: list[bytes] = []
        offset = 0
        for chunk in self._chunks:
            low, high = max(start - offset, 0), min(end - offset, len(chunk))
            if low < high:
                out.append(chunk[low:high])
            offset += len(chunk)
            if offset >= end:
                break
        return b"".join(out)

    def join(self) -> bytes:
        """The whole document as one ``bytes`` (for rdflib and the whole-document screens)."""
        if self.consumed:
            raise RuntimeError("the chunks were handed to the reader already")
        return self._chunks[0] if len(self._chunks) == 1 else b"".join(self._chunks)

    def reload(self) -> bytes:
        """The document read again from its origin (after the chunks were consumed)."""
        if self._reload is None:
            return self.join()
        return self._reload()

    def reader(self) -> _ChunkReader:
        """A file-like object over the chunks that lets each go once read (consumable
        documents; otherwise the chunks stay)."""
        chunks = self._chunks
        if self.consumable:
            self._chunks = []
            self.consumed = True
        return _ChunkReader(chunks)


class _ChunkReader:
    """``read(size)`` over a deque of chunks, dropping each once it is read out."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = deque(chunks)
        self._current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if not self._current:
            if not self._chunks:
                return b""
            self._current = memoryview(self._chunks.popleft())
        if size is None or size < 0:
            size = len(self._current)
        piece = bytes(self._current[:size])
        self._current = self._current[size:]
        return piece

    def readinto(self, buffer: bytearray | memoryview) -> int:
        piece = self.read(len(buffer))
        buffer[: len(piece)] = piece
        return len(piece)
