"""Resumable bulk transfer: ``hat export`` (endpoint -> JSONL) and ``hat import`` (JSONL -> HAT).

Both stream (one page or batch in memory) and record their progress in a checkpoint only once a
page is on disk or a batch is confirmed stored, so an interrupted run continues where the last
one safely stopped: an export truncates the file to the checkpointed size and reads on from the
checkpointed offset; an import skips the confirmed lines and re-sends the batch whose outcome
was unknown with ``skip_duplicates`` (the HAT refuses identical data, so nothing is stored twice).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hat_sdk import GetOpts, HatClient, HatModel
from hat_sdk.cli._checkpoint import Checkpoint, checkpoint_path
from hat_sdk.cli._exit import CliInputError
from hat_sdk.cli._records import batched, export_line, exported_record, iter_jsonl, to_model
from hat_sdk.cli._settings import split_endpoint

__all__ = ["ImportResult", "export_endpoint", "import_file"]

Progress = Callable[[int], None]


def _start_or_resume(path: Path, fresh: Checkpoint) -> Checkpoint:
    saved = Checkpoint.load(path)
    if saved is None or (saved.done == 0 and not saved.pending):
        # Nothing of an earlier run (if any) took effect: start this one afresh.
        fresh.save(path)
        return fresh
    saved.check_matches(fresh, path)
    return saved


def export_endpoint(
    client: HatClient,
    endpoint: str,
    output: Path,
    *,
    page_size: int,
    overwrite: bool,
    progress: Progress,
) -> int:
    """Write every record of ``endpoint`` to ``output`` as JSON Lines; return how many.

    Records are read oldest first, ``page_size`` per request. Resumes an interrupted export of
    the same endpoint from ``output``'s checkpoint.
    """
    marker = checkpoint_path(output)
    fresh = Checkpoint("export", client.token.hat_url, endpoint)
    if not marker.exists() and output.exists() and not overwrite:
        raise CliInputError(f"{output} already exists: pass --force to overwrite it")
    state = _start_or_resume(marker, fresh)
    if state.size > (output.stat().st_size if output.exists() else 0):
        raise CliInputError(
            f"{output} is shorter than its checkpoint says; delete {marker} to export afresh"
        )
    with output.open("r+b" if output.exists() else "wb") as sink:
        sink.truncate(state.size)
        sink.seek(state.size)
        progress(state.done)
        while True:
            page = client.get(HatModel, endpoint, GetOpts(skip=state.done, take=page_size))
            sink.writelines(export_line(record) for record in page)
            sink.flush()
            os.fsync(sink.fileno())
            state = state.advanced(done=state.done + len(page), size=sink.tell())
            state.save(marker)
            progress(len(page))
            if len(page) < page_size:
                break
    marker.unlink()
    return state.done


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: records stored, and records skipped as already on the HAT."""

    stored: int
    skipped: int


class _Importer:
    """Posts batches of lines, one client per namespace (clients are namespace-scoped)."""

    def __init__(self, open_client: Callable[[str], HatClient], target: str | None) -> None:
        self._open_client = open_client
        self._target = target
        self._clients: dict[str, HatClient] = {}

    def client(self, namespace: str) -> HatClient:
        if namespace not in self._clients:
            self._clients[namespace] = self._open_client(namespace)
        return self._clients[namespace]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def model(self, number: int, value: object, source: Path) -> tuple[str, HatModel]:
        where = f"{source}, line {number}"
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
        return namespace, to_model(data, f"{namespace}/{relative}", where)

    def post(self, batch: list[tuple[str, HatModel]], *, skip_duplicates: bool) -> int:
        """Store ``batch`` (grouped by namespace, order kept); return how many were stored."""
        groups: dict[str, list[HatModel]] = {}
        for namespace, model in batch:
            groups.setdefault(namespace, []).append(model)
        return sum(
            len(self.client(namespace).post(*models, skip_duplicates=skip_duplicates))
            for namespace, models in groups.items()
        )


def import_file(
    open_client: Callable[[str], HatClient],
    hat_url: str,
    source: Path,
    *,
    target: str | None,
    batch_size: int,
    skip_duplicates: bool,
    progress: Progress,
) -> ImportResult:
    """Store the records of the JSON Lines file ``source``, resuming an interrupted import.

    Lines are ``hat export`` output (their endpoint is used unless ``target`` is given) or,
    with ``target``, plain record data.
    """
    marker = checkpoint_path(source)
    state = _start_or_resume(marker, Checkpoint("import", hat_url, target or ""))
    importer = _Importer(open_client, target)
    stored = skipped = 0
    progress(state.done)
    try:
        lines = iter_jsonl(source, start=state.done)
        for chunk in batched(lines, batch_size):
            batch = [importer.model(number, value, source) for number, value in chunk]
            last_line = chunk[-1][0]
            # A batch whose outcome was never confirmed may be (partly) stored already.
            retry = state.pending
            state = state.advanced(done=state.done, pending=True)
            state.save(marker)
            count = importer.post(batch, skip_duplicates=skip_duplicates or retry)
            stored += count
            skipped += len(batch) - count
            progress(last_line - state.done)
            state = state.advanced(done=last_line)
            state.save(marker)
    finally:
        importer.close()
    marker.unlink()
    return ImportResult(stored, skipped)
