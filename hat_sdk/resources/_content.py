"""File content as a request stream (sync and async) that reports its progress."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

import httpx

from hat_sdk.errors import HatError, InvalidInputError

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
        if not path.name or path.is_dir():
            raise InvalidInputError(
                f"download_to: {str(path)!r} is a folder: give the path of the file to write"
            )
        if not path.parent.is_dir():
            raise InvalidInputError(
                f"download_to: the folder {str(path.parent)!r} does not exist: create it first"
            )
        if not os.access(path.parent, os.W_OK):
            raise InvalidInputError(
                f"download_to: this user may not write files in {str(path.parent)!r}"
            )
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
        with self._writing():
            self._file = self._partial.open("wb")
        self._received, self._total = 0, total or 0
        if self._progress is not None:
            self._progress(0, self._total)

    def write(self, chunk: bytes) -> None:
        """Append ``chunk`` and report the progress."""
        assert self._file is not None  # the driver starts every attempt
        with self._writing():
            self._file.write(chunk)
        self._received += len(chunk)
        if self._progress is not None:
            self._progress(self._received, self._total)

    def commit(self) -> None:
        """The download is complete: the partial file becomes ``path``."""
        if self._file is None:  # an empty answer never started: an empty file
            self.start(0)
        assert self._file is not None
        with self._writing():
            self._file.close()
            self._file = None
            self._partial.replace(self._path)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A local failure to write (a full disk, a file replaced by a folder) as a HatError,
        the download's content having arrived."""
        try:
            yield
        except OSError as failed:
            raise HatError(
                f"The file's content could not be written to {str(self._path)!r}:"
                f" {failed.strerror or failed}. Nothing was written there."
            ) from None

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
