"""Reliability under faults: 10 workers doing overlapping POST, PUT and DELETE through the
public client against a sandbox HAT that fails 10 % or 30 % of requests (not part of the tests).

Usage: ``.venv/bin/python bench/reliability.py [--quick]``. Each worker posts records, then mixes
PUTs of its own records with DELETEs of anyone's records and more POSTs; sync workers are threads
sharing one ``HatClient``, async workers are tasks sharing one ``AsyncHatClient``. A ledger keeps
what each call *reported*; once the faults are off every record is read back and compared:

- lost: a POST reported the record stored (and no DELETE touched it), but it is not there;
- doubled: the same record data is stored more than once;
- corrupted: stored data is no version written for that record, or an older one than the last
  PUT that reported success (when no PUT after it is in doubt);
- refused PUT applied: the data is the version of a PUT that raised ``RecordNotFoundError``,
  which promises that nothing of its batch was updated;
- survived delete: a DELETE reported success, but the record is still there.

Calls that raise other errors may leave their records in either state; they are counted, not
judged. The workers' code is written once, as generators of calls (the project's sans-I/O
style), driven by a thread or by a task.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import threading
from collections import Counter
from collections.abc import Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppToken, AsyncHatClient, HatClient, HatModel
from hat_sdk.errors import HatError, RecordNotFoundError
from hat_sdk.sandbox import Sandbox

NAMESPACE = "sandbox-app"
ENDPOINT = "reliability"
WORKERS = 10
#: Generous retries with a short backoff: faults are frequent and the HAT is local.
MAX_RETRIES, BACKOFF = 8, 0.001


class Item(HatModel):
    """One record: ``key`` names it for good, ``version`` and ``text`` change with each PUT."""

    key: str
    version: int
    text: str


def _item(key: str, version: int, record_id: UUID | None = None) -> Item:
    return Item(
        endpoint=ENDPOINT,
        record_id=record_id,
        key=key,
        version=version,
        text=f"{key} version {version}",
    )


@dataclass
class Call:
    """One client call a worker wants made."""

    kind: Literal["post", "put", "delete"]
    items: list[Item]


Outcome = list[Item] | None | HatError
Worker = Generator[Call, Outcome, None]


@dataclass
class _Record:
    key: str
    stored: bool = False  #: a POST reported it stored
    uncertain_post: bool = False  #: a POST of it raised: stored once or not at all
    deleted: bool = False  #: a DELETE of it reported success
    maybe_deleted: bool = False  #: a DELETE of it raised (other than RecordNotFoundError)
    record_id: UUID | None = None
    expected: set[int] = field(default_factory=lambda: {0})  #: versions it may hold now
    refused: set[int] = field(default_factory=set)  #: versions of PUTs that reported no update


class Ledger:
    """What every call reported, per record key (shared by all workers; guarded by a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.records: dict[str, _Record] = {}
        self.calls: Counter[str] = Counter()
        self.raised: Counter[str] = Counter()
        self._versions = itertools.count(1)

    def live(self, rng: random.Random, count: int, keys: Sequence[str] | None = None) -> list[Item]:
        """Up to ``count`` records (of ``keys``, or anyone's) stored and not known deleted, as
        items carrying a new version."""
        with self._lock:
            records = self.records.values() if keys is None else map(self.records.get, keys)
            live = [r for r in records if r and r.record_id and not r.deleted]
            chosen = rng.sample(live, min(count, len(live)))
            return [_item(r.key, next(self._versions), r.record_id) for r in chosen]

    def record(self, call: Call, outcome: Outcome) -> None:
        """Note what ``call`` reported."""
        with self._lock:
            self.calls[call.kind] += 1
            if isinstance(outcome, HatError):
                self.raised[f"{call.kind} {type(outcome).__name__}"] += 1
            getattr(self, f"_{call.kind}")(call.items, outcome)

    def _post(self, items: list[Item], outcome: Outcome) -> None:
        for item in items:
            self.records[item.key] = _Record(item.key, uncertain_post=isinstance(outcome, HatError))
        for saved in outcome if isinstance(outcome, list) else []:
            record = self.records[saved.key]
            record.stored, record.record_id = True, saved.record_id

    def _put(self, items: list[Item], outcome: Outcome) -> None:
        for item in items:
            record = self.records[item.key]
            if isinstance(outcome, RecordNotFoundError):
                record.refused.add(item.version)  # all or nothing: a record of it was gone
            elif isinstance(outcome, HatError):
                record.expected.add(item.version)
            else:
                record.expected = {item.version}

    def _delete(self, items: list[Item], outcome: Outcome) -> None:
        for item in items:
            record = self.records[item.key]
            if isinstance(outcome, RecordNotFoundError):
                continue  # all or nothing: another worker deleted one of them first
            if isinstance(outcome, HatError):
                record.maybe_deleted = True
            else:
                record.deleted = True


def worker(ledger: Ledger, number: int, size: int, seed: int) -> Worker:
    """Post ``size`` records of its own in tens, then ``size // 3`` calls: 20 % POSTs of new
    records, 45 % PUTs of 1-3 of its own records, 35 % DELETEs of 1-3 of anyone's."""
    rng = random.Random(seed * 1000 + number)
    serials = itertools.count()
    mine: list[str] = []

    def new_items(count: int) -> list[Item]:
        keys = [f"w{number}-{next(serials)}" for _ in range(count)]
        mine.extend(keys)
        return [_item(key, 0) for key in keys]

    for _ in range(size // 10):
        yield Call("post", new_items(10))
    for _ in range(size // 3):
        roll = rng.random()
        if roll < 0.2:
            yield Call("post", new_items(rng.randint(1, 5)))
        elif roll < 0.65:
            if items := ledger.live(rng, rng.randint(1, 3), mine):
                yield Call("put", items)
        elif items := ledger.live(rng, rng.randint(1, 3)):
            yield Call("delete", items)


def run_sync(client: HatClient, work: Worker, ledger: Ledger) -> None:
    """Drive one worker with the sync client."""
    outcome: Outcome = None
    try:
        while True:
            call = work.send(outcome)
            try:
                outcome = _sync_call(client, call)
            except HatError as error:
                outcome = error
            ledger.record(call, outcome)
    except StopIteration:
        return


def _sync_call(client: HatClient, call: Call) -> Outcome:
    if call.kind == "post":
        return client.post(*call.items)
    if call.kind == "put":
        return client.put(*call.items)
    client.delete(*call.items)
    return None


async def run_async(client: AsyncHatClient, work: Worker, ledger: Ledger) -> None:
    """Drive one worker with the async client."""
    outcome: Outcome = None
    try:
        while True:
            call = work.send(outcome)
            try:
                outcome = await _async_call(client, call)
            except HatError as error:
                outcome = error
            ledger.record(call, outcome)
    except StopIteration:
        return


async def _async_call(client: AsyncHatClient, call: Call) -> Outcome:
    if call.kind == "post":
        return await client.post(*call.items)
    if call.kind == "put":
        return await client.put(*call.items)
    await client.delete(*call.items)
    return None


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    mode: str
    fault_rate: float
    calls: int
    raised: int
    records: int
    lost: list[str]
    doubled: list[str]
    corrupted: list[str]
    refused_put_applied: list[str]
    survived_delete: list[str]


def judge(ledger: Ledger, stored: list[Item], mode: str, rate: float) -> Row:
    """Compare what the calls reported with what the HAT holds."""
    copies = Counter(item.key for item in stored)
    found = {item.key: item for item in stored}
    lost: list[str] = []
    corrupted: list[str] = []
    refused: list[str] = []
    survived: list[str] = []
    for key, record in ledger.records.items():
        item = found.get(key)
        if item is None:
            if record.stored and not (record.deleted or record.maybe_deleted):
                lost.append(key)
            continue
        if record.deleted:
            survived.append(key)
        if item.text != f"{key} version {item.version}":
            corrupted.append(key)
        elif item.version in record.refused - record.expected:
            refused.append(key)
        elif item.version not in record.expected:
            corrupted.append(key)
    strangers = [key for key in found if key not in ledger.records]
    return Row(
        mode,
        rate,
        sum(ledger.calls.values()),
        sum(ledger.raised.values()),
        len(ledger.records),
        lost,
        sorted(key for key, n in copies.items() if n > 1),
        corrupted + strangers,
        refused,
        survived,
    )


def _token(url: str) -> AppToken:
    token = AppToken(ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=url), NAMESPACE)
    token.access_token()  # log in before the faults start
    return token


def measure(mode: str, rate: float, size: int, seed: int) -> tuple[Row, Ledger]:
    """One run: a fresh sandbox, ``WORKERS`` workers, faults at ``rate`` while they work."""
    ledger = Ledger()
    sandbox = Sandbox(seed=seed)
    with sandbox as url:
        token = _token(url)
        works = [worker(ledger, n, size, seed) for n in range(WORKERS)]
        sandbox.knobs.fault_rate = rate
        if mode == "sync":
            with (
                HatClient(
                    token, NAMESPACE, max_retries=MAX_RETRIES, retry_backoff=BACKOFF
                ) as client,
                ThreadPoolExecutor(WORKERS) as pool,
            ):
                for done in [pool.submit(run_sync, client, w, ledger) for w in works]:
                    done.result()
        else:

            async def gather() -> None:
                async with AsyncHatClient(
                    token, NAMESPACE, max_retries=MAX_RETRIES, retry_backoff=BACKOFF
                ) as client:
                    await asyncio.gather(*(run_async(client, w, ledger) for w in works))

            asyncio.run(gather())
        sandbox.knobs.fault_rate = 0.0
        with HatClient(token, NAMESPACE) as client:
            stored = list(client.iter(Item, ENDPOINT))
    return judge(ledger, stored, mode, rate), ledger


def _show(keys: list[str]) -> str:
    return str(len(keys)) + (
        f" ({', '.join(keys[:3])}{', ...' if len(keys) > 3 else ''})" if keys else ""
    )


def print_table(rows: list[Row]) -> None:
    """The result table, one line per mode and fault rate."""
    header = (
        "mode",
        "faults",
        "calls",
        "raised",
        "records",
        "lost",
        "doubled",
        "corrupted",
        "refused PUT applied",
        "survived delete",
    )
    lines = [header] + [
        (
            row.mode,
            f"{row.fault_rate:.0%}",
            str(row.calls),
            str(row.raised),
            str(row.records),
            _show(row.lost),
            _show(row.doubled),
            _show(row.corrupted),
            _show(row.refused_put_applied),
            _show(row.survived_delete),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="50 records per worker, not 200")
    parser.add_argument("--seed", type=int, default=1, help="fault and workload seed")
    args = parser.parse_args()
    size = 50 if args.quick else 200
    rows: list[Row] = []
    for mode in ("sync", "async"):
        for rate in (0.1, 0.3):
            row, ledger = measure(mode, rate, size, args.seed)
            rows.append(row)
            print(f"{mode} {rate:.0%}: calls {dict(ledger.calls)}; raised {dict(ledger.raised)}")
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
