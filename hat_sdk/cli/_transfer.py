"""Resumable bulk transfer: ``hat export`` (endpoint -> JSONL) and ``hat import`` (JSONL -> HAT).

Both stream (one page or batch in memory) and record their progress in a checkpoint only once
the pages it counts are on disk (every ``COMMIT_SECONDS``, and at once when the export stops on
an error or an interruption) or a batch is confirmed stored, so an interrupted run continues
where the last one safely stopped.

Export: the HAT pages by offset in its default order (creation time, oldest first; an update
moves a record to the end). Each read starts with the last few records of the previous one
again: if they are not the same, records were deleted or updated before the read position and
the offset no longer points where the export stopped, so the export reads the endpoint again
from its start, skipping the records (by id) already in the file. Every record that exists from
the start of the export to its end is written exactly once; a record created or deleted while
the export runs may or may not be in the file; records that share a creation instant have no
defined order on the HAT, which the overlap also detects. While one page is written, the next
few are read already, on the assumption that each page comes back full: a page read ahead is
written only in order and after the same check, and a short page or a shift drops the reads
planned after it.

Import: every line is read and checked before anything is sent. Lines whose data the target
endpoint already holds (in any key order: see ``data_digest``), or that
repeat an earlier line, are duplicates: refused before anything is stored, or skipped with
``--skip-duplicates``. So ``hat export`` then ``hat import`` into the same HAT stores nothing new.
A few batches are under way at once, confirmed in the file's order: the checkpoint counts the
lines confirmed (always a prefix of the file) and the last line sent. Batches whose outcome was
never confirmed are re-sent with ``skip_duplicates`` (data is sent in the HAT's stored key
order, so the HAT recognises what it already stored).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

from hat_sdk import GetOpts, HatClient, HatModel
from hat_sdk._records.batching import MAX_BODY_BYTES, batched_by_size
from hat_sdk._records.reads import read_ahead
from hat_sdk._records.replies import StoredPage, StoredRecord
from hat_sdk.cli._checkpoint import Checkpoint, checkpoint_path
from hat_sdk.cli._exit import CliInputError, ExitCode, fail
from hat_sdk.cli._records import (
    batched,
    check_storable,
    data_digest,
    export_line,
    exported_record,
    iter_jsonl,
    to_model,
)
from hat_sdk.cli._settings import split_endpoint
from hat_sdk.errors import DuplicateDataError

__all__ = ["ImportResult", "export_endpoint", "import_file", "progress_note"]

Progress = Callable[[int], None]

#: Records read again at the start of every page to check that the endpoint did not shift.
OVERLAP = 10
#: How often an export makes its progress durable (the file synced, then the checkpoint saved):
#: a crash redoes at most this much work, without repeats (a resumed export truncates the file to
#: its checkpoint); an error or an interruption saves the progress at once.
COMMIT_SECONDS = 0.5
#: Re-reads from the start an export makes before it gives up on an endpoint that keeps changing.
MAX_RESCANS = 3


def _start_or_resume(path: Path, fresh: Checkpoint) -> Checkpoint:
    saved = Checkpoint.load(path)
    if saved is None or not saved.started:
        # Nothing of an earlier run (if any) took effect: start this one afresh.
        fresh.save(path)
        return fresh
    saved.check_matches(fresh, path)
    return saved


def _digest_of(path: Path) -> str:
    """A digest of the file's bytes."""
    with path.open("rb") as source:
        return hashlib.file_digest(source, "blake2b").hexdigest()


def _holds_lines(path: Path, size: int, count: int) -> bool:
    """Whether the first ``size`` bytes of ``path`` are ``count`` whole lines."""
    if not size:
        return count == 0
    if not path.exists():
        return False
    lines, last = 0, b""
    with path.open("rb") as source:
        while (left := size - source.tell()) and (chunk := source.read(min(left, 1 << 20))):
            lines, last = lines + chunk.count(b"\n"), chunk[-1:]
        return source.tell() == size and lines == count and last == b"\n"


def _ids_in(path: Path, size: int) -> set[str]:
    """The record ids in the first ``size`` bytes of an export file."""
    ids: set[str] = set()
    read = 0
    with path.open("rb") as lines:
        for line in lines:
            read += len(line)
            if read > size:
                break
            ids.add(json.loads(line)["recordId"])
    return ids


@dataclass(frozen=True, slots=True)
class _Window:
    """What one read of an export asks for: the ``back`` records before ``offset`` again (to
    check them against the anchor), then a page of records from ``offset`` on."""

    offset: int
    back: int

    @classmethod
    def of(cls, state: Checkpoint) -> _Window:
        """The window an export at ``state`` reads next."""
        return cls(state.offset, len(state.anchor))

    def opts(self, page_size: int) -> GetOpts:
        return GetOpts(skip=self.offset - self.back, take=page_size + self.back)

    def after_full_page(self, page_size: int) -> _Window:
        """The window read next if this one comes back full (``page_size + back`` records)."""
        return _Window(self.offset + page_size, min(OVERLAP, page_size + self.back))


class _ReadAhead:
    """Reads the windows of an export up to ``prefetch`` pages before they are asked for.

    The windows after the one asked for are planned on the assumption that it comes back full,
    as they follow each other exactly then. When the export asks for another window instead
    (it reads from the start again after a shift), the reads planned are dropped; when it stops
    (a short page, or an error), ``close`` drops them. Memory holds the page asked for and up
    to ``prefetch`` pages after it (and briefly, after a drop, the reads already sent).
    """

    def __init__(self, client: HatClient, endpoint: str, page_size: int, prefetch: int) -> None:
        self._client, self._endpoint = client, endpoint
        self._page_size, self._prefetch = page_size, prefetch
        self._pool = ThreadPoolExecutor(prefetch + 1, thread_name_prefix="hat-export")
        self._ahead: deque[tuple[_Window, Future[StoredPage]]] = deque()
        self._asked = 0

    def page(self, window: _Window) -> list[StoredRecord]:
        """The records of ``window``: those read ahead if it was planned, else read now."""
        if self._ahead and self._ahead[0][0] != window:
            self._drop()  # planned from a position the export left: it reads from the start
        self._plan_from(window)
        self._asked += 1
        return self._ahead.popleft()[1].result().records()  # parsed here, not in a reader

    def _plan_from(self, window: _Window) -> None:
        """Have ``window`` and the windows after it read (one at first, doubling with each
        page asked for, up to ``prefetch``: a short endpoint costs one read past its end)."""
        while len(self._ahead) <= read_ahead(self._prefetch, self._asked):
            if self._ahead:
                window = self._ahead[-1][0].after_full_page(self._page_size)
            self._ahead.append((window, self._pool.submit(self._read, window)))

    def _read(self, window: _Window) -> StoredPage:
        # As the HAT sends them: copied to the file, so no model is built.
        return self._client._get_stored(self._endpoint, window.opts(self._page_size))

    def _drop(self) -> None:
        for _, read in self._ahead:
            read.cancel()  # reads already sent finish, and are not used
        self._ahead.clear()

    def close(self) -> None:
        """Drop the reads not sent yet; wait for those sent (past the end, or beside an error)."""
        self._pool.shutdown(cancel_futures=True)


def export_endpoint(
    client: HatClient,
    endpoint: str,
    output: Path,
    *,
    page_size: int,
    overwrite: bool,
    progress: Progress,
    prefetch: int,
) -> int:
    """Write every record of ``endpoint`` to ``output`` as JSON Lines; return how many.

    Records are read oldest first, ``page_size`` per request, up to ``prefetch`` (>= 0)
    requests ahead of the page being written (0: page after page). Resumes an interrupted
    export of the same endpoint from ``output``'s checkpoint, unless ``overwrite`` says to
    start afresh.
    """
    marker = checkpoint_path(output)
    fresh = Checkpoint("export", client.token.hat_url, endpoint)
    if overwrite:  # afresh, whatever an earlier run left
        marker.unlink(missing_ok=True)
        output.unlink(missing_ok=True)
    elif not marker.exists() and output.exists():
        raise CliInputError(f"{output} already exists: pass --force to overwrite it")
    state = _start_or_resume(marker, fresh)
    if not _holds_lines(output, state.size, state.done):
        raise CliInputError(
            f"{output} does not begin with the {state.done} records its checkpoint counts"
            f" ({state.size} bytes): it changed since. Pass --force to export afresh"
        )
    known = _ids_in(output, state.size) if state.rescan else None
    rescans = 0
    with (
        output.open("r+b" if output.exists() else "wb") as sink,
        closing(_ReadAhead(client, endpoint, page_size, prefetch)) as reads,
    ):
        sink.truncate(state.size)
        sink.seek(state.size)
        progress(state.done)
        committed_at = time.monotonic()
        try:
            while True:
                window = _Window.of(state)
                page = reads.page(window)
                back = window.back
                if {record["recordId"] for record in page[:back]} != set(state.anchor):
                    rescans += 1
                    if rescans > MAX_RESCANS:
                        raise _keeps_changing(endpoint, output)
                    # Records before the read position went away or moved: read all again.
                    state = state.advanced(offset=0, anchor=(), rescan=True)
                    _commit(sink, state, marker)  # the file holds every line written so far
                    known = _ids_in(output, state.size)
                    continue
                new = page[back:]
                if known is not None:
                    new = [record for record in new if record["recordId"] not in known]
                    known.update(record["recordId"] for record in new)
                sink.writelines(export_line(record) for record in new)
                state = state.advanced(
                    done=state.done + len(new),
                    size=sink.tell(),
                    offset=state.offset + len(page) - back,
                    anchor=tuple(record["recordId"] for record in page[-OVERLAP:]),
                )
                if time.monotonic() - committed_at >= COMMIT_SECONDS:
                    _commit(sink, state, marker)
                    committed_at = time.monotonic()
                progress(len(new))
                if len(page) < page_size + back:
                    break
            sink.flush()
            os.fsync(sink.fileno())  # all of it on disk before the checkpoint goes
        except BaseException:
            # An error or an interruption: keep the pages written, so the next run goes on
            # from here. If that fails too, the last checkpoint saved still holds.
            with suppress(OSError):
                _commit(sink, state, marker)
            raise
    marker.unlink()
    return state.done


def _commit(sink: BinaryIO, state: Checkpoint, marker: Path) -> None:
    """Make the export's progress durable: the lines on disk first, then the checkpoint that
    counts them (so a checkpoint never counts a line that a crash could lose)."""
    sink.flush()
    os.fsync(sink.fileno())
    state.save(marker)


def _keeps_changing(endpoint: str, output: Path) -> Exception:
    return fail(
        f"{endpoint} changed under the export {MAX_RESCANS + 1} times (records before the read "
        f"position were deleted or updated); {output} holds what was exported so far",
        ExitCode.FAILED,
        "Run the same command again when fewer writes hit the endpoint: it continues from "
        "the checkpoint and writes no record twice.",
    )


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: records stored, and records skipped as already on the HAT."""

    stored: int
    skipped: int


class _Importer:
    """Reads lines as records and posts batches, one client per namespace (clients are
    namespace-scoped)."""

    def __init__(
        self, open_client: Callable[[str], HatClient], source: Path, target: str | None
    ) -> None:
        self._open_client = open_client
        self._source = source
        self._target = target
        self._clients: dict[str, HatClient] = {}
        self._lock = threading.Lock()  # batches are posted from several threads

    def client(self, namespace: str) -> HatClient:
        with self._lock:
            if namespace not in self._clients:
                self._clients[namespace] = self._open_client(namespace)
            return self._clients[namespace]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def lines(self, start: int, *, check: bool = False) -> Iterator[tuple[int, str, HatModel]]:
        """``(line number, namespace, record)`` of every line after the first ``start``;
        ``check``: refuse data the HAT would store changed (see ``check_storable``)."""
        for number, value in iter_jsonl(self._source, start=start):
            yield (number, *self._model(number, value, check=check))

    def _model(self, number: int, value: object, *, check: bool) -> tuple[str, HatModel]:
        where = f"{self._source}, line {number}"
        exported = exported_record(value)
        if self._target is not None:
            endpoint, data = self._target, (exported[1] if exported else value)
        elif exported is not None:
            endpoint, data = exported
        else:
            raise CliInputError(
                f"{where}: not a line written by `hat export` (endpoint, data); pass "
                "--to NAMESPACE/ENDPOINT to import plain record data"
            )
        namespace, relative = split_endpoint(endpoint)
        model = to_model(data, f"{namespace}/{relative}", where)
        if check:
            check_storable(model, where)
        return namespace, model

    def stored_digests(self, endpoints: set[str]) -> set[bytes]:
        """The data digests of every record the HAT holds at ``endpoints``."""
        digests: set[bytes] = set()
        for endpoint in sorted(endpoints):
            namespace, relative = split_endpoint(endpoint)
            records = self.client(namespace).iter(HatModel, relative, page_size=1000)
            digests.update(data_digest(record.record_data()) for record in records)
        return digests

    def post(self, batch: list[tuple[str, HatModel]], *, skip_duplicates: bool) -> int:
        """Store ``batch`` (grouped by namespace, order kept); return how many were stored."""
        groups: dict[str, list[HatModel]] = {}
        for namespace, model in batch:
            groups.setdefault(namespace, []).append(model)
        return sum(
            len(self.client(namespace).post(*models, skip_duplicates=skip_duplicates))
            for namespace, models in groups.items()
        )


def _duplicates(importer: _Importer, state: Checkpoint) -> tuple[set[int], set[int]]:
    """Check every line still to import. Return the duplicates: lines whose data the HAT
    already stores at their endpoint, or that repeat an earlier line; and apart from them, the
    lines of the unconfirmed batch that the HAT turned out to store."""
    first: dict[bytes, int] = {}
    endpoints: set[str] = set()
    repeats: set[int] = set()
    # Checked before its digest, which needs valid Unicode.
    for number, _, model in importer.lines(state.done, check=True):
        endpoints.add(str(model.endpoint))
        digest = data_digest(model.record_data())
        if first.setdefault(digest, number) != number:
            repeats.add(number)
    on_hat = importer.stored_digests(endpoints)
    found = {number for digest, number in first.items() if digest in on_hat}
    pending = {number for number in found if number <= state.pending}
    return (found - pending) | repeats, pending


def _refuse(source: Path, duplicates: set[int]) -> DuplicateDataError:
    shown = ", ".join(map(str, sorted(duplicates)[:5])) + (", ..." if len(duplicates) > 5 else "")
    return DuplicateDataError(
        f"{len(duplicates)} lines of {source} hold data the HAT already stores at their "
        f"endpoint, or repeat an earlier line (lines {shown}); nothing was stored."
    )


#: Records of one import batch at most when it is cut by size: a batch is held as models, about
#: ten times its JSON, so this bounds memory (some 20 MB for small records, for each of the
#: batches under way and the one being read) where the body limit alone would
#: allow a hundred thousand records.
MAX_BATCH_RECORDS = 10_000


def _batches(
    lines: Iterator[tuple[int, str, HatModel]], batch_size: int | None
) -> Iterator[list[tuple[int, str, HatModel]]]:
    """``batch_size`` lines at a time, or as many as one request carries (``None``)."""
    if batch_size is not None:
        return batched(lines, batch_size)
    return batched_by_size(
        lines,
        lambda line: len(line[2].record_data_json()) + 1,
        limit=MAX_BODY_BYTES,
        most=MAX_BATCH_RECORDS,
    )


def import_file(
    open_client: Callable[[str], HatClient],
    hat_url: str,
    source: Path,
    *,
    target: str | None,
    batch_size: int | None,
    skip_duplicates: bool,
    progress: Progress,
    in_flight: int,
) -> ImportResult:
    """Store the records of the JSON Lines file ``source``, resuming an interrupted import.

    Lines are ``hat export`` output (their endpoint is used unless ``target`` is given) or,
    with ``target``, plain record data. Every line is checked before any is sent. Up to
    ``in_flight`` (>= 1) batches are under way at once, the next one read and serialised
    while the HAT stores them; they are confirmed in the file's order, so the checkpoint's
    lines done are always a prefix of the file.
    """
    marker = checkpoint_path(source)
    fresh = Checkpoint("import", hat_url, target or "", source=_digest_of(source))
    state = _start_or_resume(marker, fresh)
    # Lines an earlier run sent without seeing the outcome: they may be (partly) stored.
    uncertain_up_to = state.pending
    importer = _Importer(open_client, source, target)
    pool = ThreadPoolExecutor(in_flight, thread_name_prefix="hat-import")
    try:
        duplicates, already = _duplicates(importer, state)
        if duplicates and not skip_duplicates:
            raise _refuse(source, duplicates)
        unsent = duplicates | already
        progress(state.done)
        sent = _Sent(state, marker, progress)
        for chunk in _batches(importer.lines(state.done), batch_size):
            batch = [(ns, model) for n, ns, model in chunk if n not in unsent]
            sent.skipped += len(chunk) - len(batch)
            while sent.waiting >= in_flight:
                sent.confirm_oldest()
            post = None
            if batch:
                retry = skip_duplicates or uncertain_up_to >= chunk[0][0]
                post = partial(importer.post, batch, skip_duplicates=retry)
            sent.send(chunk[-1][0], post, len(batch), pool)
        while sent.waiting:
            sent.confirm_oldest()
    finally:
        pool.shutdown(cancel_futures=True)  # a post under way is waited for: none outlives us
        importer.close()
    marker.unlink()
    return ImportResult(sent.stored, sent.skipped)


class _Sent:
    """The batches of an import sent and not yet confirmed, oldest first, and the checkpoint
    that follows them: its lines done end at the last batch confirmed (in the file's order),
    its ``pending`` at the last line sent while any batch is under way."""

    def __init__(self, state: Checkpoint, marker: Path, progress: Progress) -> None:
        self.state, self._marker, self._progress = state, marker, progress
        self.stored = self.skipped = 0
        self._waiting: deque[tuple[int, Future[int] | None, int]] = deque()

    @property
    def waiting(self) -> int:
        """Batches sent and not confirmed."""
        return len(self._waiting)

    def send(
        self, last_line: int, post: Callable[[], int] | None, size: int, pool: ThreadPoolExecutor
    ) -> None:
        """Start ``post`` (the ``size`` records of the lines up to ``last_line`` not skipped;
        ``None`` when there are none), once the checkpoint counts its lines as pending."""
        if post is None:
            self._waiting.append((last_line, None, 0))
        else:
            self.state = self.state.advanced(pending=last_line)
            self.state.save(self._marker)
            self._waiting.append((last_line, pool.submit(post), size))
        while self._waiting and self._waiting[0][1] is None:  # nothing to wait for
            self.confirm_oldest()

    def confirm_oldest(self) -> None:
        """Wait for the oldest batch and record it as done. Raises the batch's error, its
        lines still pending."""
        last_line, post, size = self._waiting[0]
        try:
            count = post.result() if post is not None else 0
        except DuplicateDataError:
            if len(self._waiting) == 1:  # refused as a whole, and nothing else under way
                self.state = self.state.advanced(pending=0)
                self.state.save(self._marker)
            raise
        self._waiting.popleft()
        self.stored, self.skipped = self.stored + count, self.skipped + size - count
        self._progress(last_line - self.state.done)
        pending = self.state.pending if self._waiting else 0  # of the batches still under way
        self.state = self.state.advanced(done=last_line, pending=pending)
        self.state.save(self._marker)


def progress_note(command: str, data_file: Path) -> str | None:
    """What an interrupted ``hat export`` / ``hat import`` of ``data_file`` has done and how
    to continue, from its checkpoint (``None`` if it has none, or did nothing yet)."""
    try:
        state = Checkpoint.load(checkpoint_path(data_file))
    except CliInputError:
        return None
    if state is None or not state.started or state.command != command:
        return None
    checkpoint = checkpoint_path(data_file)
    again = f"Run the same command again to continue from the checkpoint {checkpoint}"
    if command == "export":
        return (
            f"{state.done} records are exported to {data_file} so far. {again}: no record "
            "is lost or written twice."
        )
    done = f"Lines 1-{state.done} of {data_file} are stored" if state.done else "No line is stored"
    if state.pending:
        return (
            f"{done}; lines {state.done + 1}-{state.pending} were sent but are not confirmed "
            f"stored; nothing after them was sent. {again}: it stores whichever of those lines "
            "the HAT does not hold yet, then the rest."
        )
    return f"{done}; the rest is not. {again}."
