"""File content as a request stream (sync and async) that reports its progress."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

import httpx

__all__ = ["CHUNK_BYTES", "FileSink", "Progress", "ProgressStream"]

#: ``progress(done_bytes, total_bytes)``, called as content is sent or received.
Progress = Callable[[int, int], None]
CHUNK_BYTES = 256 * 1024


class ProgressStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The bytes of ``content`` (bytes in memory, or a file read chunk by chunk), reporting
    each chunk to ``progress``. Re-iterable, so a retried upload sends everything again."""

    def __init__(self, content: bytes | Path, progress: Progress | None) -> None:
        self._content = content
        self._progress = progress
        self.size = len(content) if isinstance(content, bytes) else os.path.getsize(content)

    def _chunks(self) -> Iterator[bytes]:
        if isinstance(self._content, bytes):
            view = memoryview(self._content)
            for start in range(0, len(view), CHUNK_BYTES):
                yield bytes(view[start : start + CHUNK_BYTES])
            return
        with self._content.open("rb") as source:
            while chunk := source.read(CHUNK_BYTES):
                yield chunk

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self._chunks():
            yield chunk
            sent += len(chunk)
            if self._progress is not None:
                self._progress(sent, self.size)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


class FileSink:
    """Writes a download to ``<path>.part`` as it arrives, reporting ``progress``; ``commit``
    moves it to ``path`` once complete. A new attempt starts the file over; leaving without
    ``commit`` removes it."""

    def __init__(self, path: Path, progress: Progress | None) -> None:
        self._path = path
        self._partial = path.with_name(path.name + ".part")
        self._progress = progress
        self._file: BinaryIO | None = None
        self._received = 0
        self._total = 0

    def start(self, total: int | None) -> None:
        """A new attempt: start the partial file over."""
        if self._file is not None:
            self._file.close()
        self._file = self._partial.open("wb")
        self._received, self._total = 0, total or 0
        if self._progress is not None:
            self._progress(0, self._total)

    def write(self, chunk: bytes) -> None:
        """Append ``chunk`` and report the progress."""
        assert self._file is not None  # the driver starts every attempt
        self._file.write(chunk)
        self._received += len(chunk)
        if self._progress is not None:
            self._progress(self._received, self._total)

    def commit(self) -> None:
        """The download is complete: the partial file becomes ``path``."""
        if self._file is None:  # an empty answer never started: an empty file
            self.start(0)
        assert self._file is not None
        self._file.close()
        self._file = None
        self._partial.replace(self._path)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._partial.unlink(missing_ok=True)
