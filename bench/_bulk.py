"""Bulk reads with pages in flight, and how the client's cost grows with the work.

Bulk reads: ``iter`` over the bulk endpoint and ``hat export`` of it at 20 ms latency, reading
``prefetch`` pages ahead, against page after page (``prefetch=0``), sync and async; the records
must come in order. Each row also gives the shares that bound it: the sandbox's time to serve a
page (raw GETs, nothing parsed, at 0 ms) and the client's CPU time per page; with reads
overlapped, a page cannot come faster than the larger of the two.

Scaling: ``get``, ``iter`` and ``post`` of 1,000, 10,000 and 100,000 records at 0 ms (and
``hat export``/``hat import`` of them), time and time per record; the client's own CPU time per
record is compared with its time per record at 1,000 (the server's share is the rest of the
wall time).
"""

from __future__ import annotations

import asyncio
import inspect
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx
from _memory import BULK_ENDPOINT
from _remote import RemoteSandbox
from _report_types import Finding, ms
from _timing import alternating, alternating_async
from _workload import NAMESPACE, Reading, readings

from hat_sdk import AppToken, AsyncHatClient, GetOpts, HatClient
from hat_sdk.cli._cmd_transfer import export as export_command, import_ as import_command
from hat_sdk.cli._transfer import export_endpoint, import_file

LATENCY = 0.020
#: Where ``bulk_writes`` imports the bulk endpoint's export.
COPY_ENDPOINT = "bulk-copy"
PAGE = 1_000
#: Pages read ahead: each command's own default, as users get it.
ITER_PREFETCH = inspect.signature(HatClient.iter).parameters["prefetch"].default
EXPORT_PREFETCH = inspect.signature(export_command).parameters["prefetch"].default
IMPORT_IN_FLIGHT = inspect.signature(import_command).parameters["in_flight"].default
READ_GOAL = 3.0
LINEAR_GOAL = 1.2
SIZES = (1_000, 10_000, 100_000)
#: Records of an untimed first round of every operation.
WARM_UP = 100


def _read_all(client: HatClient, prefetch: int, count: int) -> None:
    sequences = [
        r.sequence for r in client.iter(Reading, BULK_ENDPOINT, page_size=PAGE, prefetch=prefetch)
    ]
    if sequences != sorted(sequences) or len(sequences) != count:
        raise AssertionError(f"iter read {len(sequences)} of {count} records, or out of order")


async def _read_all_async(client: AsyncHatClient, prefetch: int, count: int) -> None:
    pages = client.iter(Reading, BULK_ENDPOINT, page_size=PAGE, prefetch=prefetch)
    sequences = [r.sequence async for r in pages]
    if sequences != sorted(sequences) or len(sequences) != count:
        raise AssertionError(f"iter read {len(sequences)} of {count} records, or out of order")


def _export_all(client: HatClient, prefetch: int, count: int, output: Path) -> None:
    written = export_endpoint(
        client,
        f"{NAMESPACE}/{BULK_ENDPOINT}",
        output,
        page_size=PAGE,
        overwrite=True,
        progress=_ignore,
        prefetch=prefetch,
    )
    if written != count:
        raise AssertionError(f"export wrote {written} of {count} records")


@dataclass(frozen=True)
class _Shares:
    """Per page: the sandbox's time to serve it, and the client's CPU time to read it."""

    server: float
    client: float

    def note(self, sequential: float, pages: int) -> str:
        bound = sequential / pages / max(self.server, self.client)
        limit = "the sandbox" if self.server >= self.client else "the client's CPU"
        return (
            f"per page: sandbox {ms(self.server)}, client CPU {ms(self.client)}; overlapped reads"
            f" are bound by {limit}: at best {bound:.1f}x"
        )


def _server_share(hat: RemoteSandbox, token: AppToken, count: int) -> float:
    """Seconds the sandbox takes to serve a page: raw GETs page after page, nothing parsed."""
    url = f"{hat.url}/api/v2.6/data/{NAMESPACE}/{BULK_ENDPOINT}"
    headers = {"X-Auth-Token": token.access_token()}

    def serve_all() -> None:
        for skip in range(0, count, PAGE):
            raw.get(url, params={"skip": skip, "take": PAGE}).raise_for_status()

    with httpx.Client(headers=headers, timeout=120) as raw:
        return min(_cpu_and_wall(serve_all)[1] for _ in range(2)) / (count / PAGE)


def _client_share(read_all: Callable[[], object], count: int) -> float:
    """The client's CPU seconds per page of ``read_all`` (page after page, at 0 ms)."""
    return min(_cpu_and_wall(read_all)[0] for _ in range(2)) / (count / PAGE)


def bulk_reads(hat: RemoteSandbox, token: AppToken, count: int, repeat: int) -> list[Finding]:
    """Rows: iter and export reading pages ahead vs page after page at 20 ms, sync and async."""
    findings = []
    with HatClient(token, NAMESPACE, timeout=120) as client, TemporaryDirectory() as folder:
        output = Path(folder) / "export.jsonl"
        server = _server_share(hat, token, count)
        iter_cpu = _client_share(lambda: _read_all(client, 0, count), count)
        export_cpu = _client_share(lambda: _export_all(client, 0, count, output), count)
        hat.set_latency(LATENCY)
        try:
            times = alternating(
                {
                    "prefetch": lambda: _read_all(client, ITER_PREFETCH, count),
                    "sequential": lambda: _read_all(client, 0, count),
                },
                repeat,
            )
            shares = _Shares(server, iter_cpu)
            findings.append(_read_row("iter", "sync", count, times, shares, ITER_PREFETCH))
            times = alternating(
                {
                    "prefetch": lambda: _export_all(client, EXPORT_PREFETCH, count, output),
                    "sequential": lambda: _export_all(client, 0, count, output),
                },
                repeat,
            )
            shares = _Shares(server, export_cpu)
            findings.append(_read_row("hat export", "sync", count, times, shares, EXPORT_PREFETCH))

            async def measure() -> dict[str, float]:
                async with AsyncHatClient(token, NAMESPACE, timeout=120) as aclient:
                    return await alternating_async(
                        {
                            "prefetch": lambda: _read_all_async(aclient, ITER_PREFETCH, count),
                            "sequential": lambda: _read_all_async(aclient, 0, count),
                        },
                        repeat,
                    )

            shares = _Shares(server, iter_cpu)
            times = asyncio.run(measure())
            findings.append(_read_row("iter", "async", count, times, shares, ITER_PREFETCH))
        finally:
            hat.set_latency(0.0)
    return findings


def bulk_writes(hat: RemoteSandbox, token: AppToken, count: int, repeat: int) -> list[Finding]:
    """Row: ``hat import`` of ``count`` records at 20 ms, its default batches under way at once
    vs one batch at a time (the endpoint emptied, untimed, before every run)."""
    samples: dict[int, list[float]] = {IMPORT_IN_FLIGHT: [], 1: []}
    with HatClient(token, NAMESPACE, timeout=300) as client, TemporaryDirectory() as folder:
        source = Path(folder) / "bulk.jsonl"
        _export_all(client, EXPORT_PREFETCH, count, source)
        hat.set_latency(LATENCY)
        try:
            for _ in range(repeat):
                for in_flight, times in samples.items():
                    client.records.delete_endpoint(NAMESPACE, COPY_ENDPOINT)
                    start = time.perf_counter()
                    import_file(
                        lambda namespace: HatClient(token, namespace, timeout=300),
                        token.hat_url,
                        source,
                        target=f"{NAMESPACE}/{COPY_ENDPOINT}",
                        batch_size=None,
                        skip_duplicates=False,
                        progress=_ignore,
                        in_flight=in_flight,
                    )
                    times.append(time.perf_counter() - start)
        finally:
            hat.set_latency(0)
            client.records.delete_endpoint(NAMESPACE, COPY_ENDPOINT)
    overlapped, one_by_one = (statistics.median(samples[n]) for n in (IMPORT_IN_FLIGHT, 1))
    return [
        Finding(
            "Bulk writes",
            f"hat import of {count:,} records, 20 ms: {IMPORT_IN_FLIGHT} batches under way vs one"
            " at a time",
            f"{ms(overlapped)} ({count / overlapped:,.0f} records/s) vs {ms(one_by_one)}"
            f" ({count / one_by_one:,.0f} records/s) = {one_by_one / overlapped:.2f}x faster",
            {"seconds": overlapped, "one_at_a_time_seconds": one_by_one},
            note="batches as large as a request carries (10 MB, at most 10,000 records); the"
            " sandbox stores one batch at a time, so the gain is the client's work (reading,"
            " checking and serialising the next batch) done while it stores",
        )
    ]


def _read_row(
    what: str, mode: str, count: int, times: dict[str, float], shares: _Shares, prefetch: int
) -> Finding:
    speedup = times["sequential"] / times["prefetch"]
    return Finding(
        "Bulk reads",
        f"{what} of {count:,} records, {mode}, 20 ms: {prefetch} pages ahead vs page after page",
        f"{ms(times['prefetch'])} vs {ms(times['sequential'])} = {speedup:.1f}x faster",
        {"prefetch_seconds": times["prefetch"], "sequential_seconds": times["sequential"]},
        goal=f">= {READ_GOAL:g}x faster",
        met=speedup >= READ_GOAL,
        note=shares.note(times["sequential"], count // PAGE),
    )


def _cpu_and_wall(action: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def _count(client: HatClient, size: int) -> int:
    return sum(1 for _ in client.iter(Reading, BULK_ENDPOINT, GetOpts(take=size)))


def _operations(
    client: HatClient, token: AppToken, size: int, folder: Path
) -> dict[str, Callable[[], Callable[[], object]]]:
    """Each operation as a setup, untimed, that returns the action to time. Setups keep the
    clock off the building of the records posted, and their models out of the other timings."""
    endpoint = f"scale-{size}"
    exported = folder / f"{endpoint}.jsonl"

    def open_client(namespace: str) -> HatClient:
        return HatClient(token, namespace, timeout=300)

    def emptied_then_import() -> Callable[[], object]:
        # hat import of what export wrote, once the endpoint is emptied (the HAT refuses data
        # it already stores anywhere)
        client.records.delete_endpoint(NAMESPACE, endpoint)
        return partial(
            import_file,
            open_client,
            token.hat_url,
            exported,
            target=None,
            batch_size=None,
            skip_duplicates=False,
            progress=_ignore,
            in_flight=IMPORT_IN_FLIGHT,
        )

    return {
        "get": lambda: partial(client.get, Reading, BULK_ENDPOINT, GetOpts(take=size)),
        "iter": lambda: partial(_count, client, size),
        "post": lambda: partial(client.post, *readings(size, [endpoint])),
        # hat export of what post stored
        "export": lambda: partial(
            export_endpoint,
            client,
            f"{NAMESPACE}/{endpoint}",
            exported,
            page_size=1_000,
            overwrite=True,
            progress=_ignore,
            prefetch=EXPORT_PREFETCH,
        ),
        "import": emptied_then_import,
    }


def _ignore(_: int) -> None:
    """No progress bar while timing."""


def scaling(token: AppToken) -> list[Finding]:
    """Rows: get, iter, post, export and import at 1,000 / 10,000 / 100,000 records (0 ms
    latency); the client's CPU per record at each size against its CPU per record at 1,000."""
    findings = []
    per_record: dict[str, dict[int, float]] = {
        name: {} for name in ("get", "iter", "post", "export", "import")
    }
    with HatClient(token, NAMESPACE, timeout=300) as client, TemporaryDirectory() as folder:
        for size in (WARM_UP, *SIZES):
            for name, setup in _operations(client, token, size, Path(folder)).items():
                cpu, wall = _cpu_and_wall(setup())
                if size == WARM_UP:  # one-time costs (validators built, connections) apart
                    continue
                per_record[name][size] = cpu / size
                findings.append(
                    Finding(
                        "Scaling",
                        f"{name} of {size:,} records, 0 ms",
                        f"{ms(wall)}, {size / wall:,.0f} records/s ({wall / size * 1e6:,.1f} µs per"
                        f" record; client CPU"
                        f" {cpu / size * 1e6:,.1f} µs per record, the rest is the server's share)",
                        {"seconds": wall, "client_cpu_seconds": cpu},
                    )
                )
    for name, costs in per_record.items():
        for size in SIZES[1:]:
            ratio = costs[size] / costs[SIZES[0]]
            findings.append(
                Finding(
                    "Linear cost",
                    f"{name}: client CPU per record at {size:,} vs at {SIZES[0]:,}",
                    f"{ratio:.2f}x",
                    {"ratio": ratio},
                    goal=f"<= {LINEAR_GOAL:g}x",
                    met=ratio <= LINEAR_GOAL,
                )
            )
    return findings
