"""hat export against a HAT whose order shifts under it (sans-I/O, with a stand-in client).

The real HAT pages by offset in creation order, and an update gives a record a new date, which
moves it to the end; the sandbox keeps write order. A stand-in client shows what the export
does when that happens between two page reads.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
import typer

from hat_sdk import GetOpts, HatClient
from hat_sdk._records.replies import StoredRecord
from hat_sdk.cli._exit import ExitCode
from hat_sdk.cli._transfer import export_endpoint


@dataclass
class _Token:
    hat_url: str = "https://alice.hubat.net"


@dataclass(frozen=True)
class _Page:
    """What the export's read gives: its records on demand, as ``StoredPage``."""

    stored: list[StoredRecord]

    def records(self) -> list[StoredRecord]:
        return self.stored


@dataclass
class ShiftingEndpoint:
    """Answers the export's reads from a list in the HAT's order; ``before_read[n]`` runs
    before read n. Reads ahead come from several threads: one read at a time, numbered as they
    come."""

    records: list[StoredRecord]
    before_read: dict[int, Callable[[list[StoredRecord]], None]] = field(default_factory=dict)
    token: _Token = field(default_factory=_Token)
    reads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _get_stored(self, endpoint: str, opts: GetOpts) -> _Page:
        del endpoint
        with self.lock:
            self.reads += 1
            if self.reads in self.before_read:
                self.before_read[self.reads](self.records)
            skip, take = opts.skip or 0, opts.take or 1000
            return _Page(self.records[skip : skip + take])


def _records(count: int) -> list[StoredRecord]:
    return [
        {"endpoint": "a/b", "recordId": str(uuid.uuid4()), "data": {"n": n}} for n in range(count)
    ]


def _update_to_end(index: int) -> Callable[[list[StoredRecord]], None]:
    def update(records: list[StoredRecord]) -> None:
        moved = records.pop(index)
        records.append({**moved, "data": {"n": -1}})  # new data, new date: last

    return update


def _export(endpoint: ShiftingEndpoint, out: Path, prefetch: int = 4) -> list[dict[str, Any]]:
    client = cast(HatClient, endpoint)
    count = export_endpoint(
        client,
        "a/b",
        out,
        page_size=50,
        overwrite=False,
        progress=lambda _: None,
        prefetch=prefetch,
    )
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert count == len(lines)
    return lines


def test_a_record_updated_behind_the_export_shifts_nothing_out(tmp_path: Path) -> None:
    records = _records(300)
    ids = [r["recordId"] for r in records]
    # Before the 3rd read (offset 100), record 10 is updated and so moves to the end.
    endpoint = ShiftingEndpoint(list(records), {3: _update_to_end(10)})
    lines = _export(endpoint, tmp_path / "out.jsonl")
    assert sorted(line["recordId"] for line in lines) == sorted(ids)  # each exactly once
    assert endpoint.reads > 300 // 50 + 1, "the shift must have been noticed and re-read"


def test_an_unchanged_endpoint_is_read_once(tmp_path: Path) -> None:
    records = _records(300)
    endpoint = ShiftingEndpoint(list(records))
    lines = _export(endpoint, tmp_path / "out.jsonl", prefetch=0)  # no reads past the end
    assert [line["recordId"] for line in lines] == [r["recordId"] for r in records]
    assert endpoint.reads == 300 // 50 + 1  # the last read finds nothing new


def test_an_endpoint_that_keeps_shifting_stops_the_export_with_its_progress_kept(
    tmp_path: Path,
) -> None:
    records = _records(300)
    shifts = {read: _update_to_end(0) for read in range(2, 40)}
    endpoint = ShiftingEndpoint(list(records), shifts)
    out = tmp_path / "out.jsonl"
    with pytest.raises(typer.Exit) as stopped:
        _export(endpoint, out)
    assert stopped.value.exit_code == ExitCode.FAILED
    assert (tmp_path / "out.jsonl.checkpoint").exists()
    exported = [json.loads(line)["recordId"] for line in out.read_text().splitlines()]
    assert len(exported) == len(set(exported))
