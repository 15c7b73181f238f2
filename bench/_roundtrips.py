"""Round trips: writing records over 10 endpoints with one ``post`` vs one POST per endpoint
vs one POST per record."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from _remote import RemoteSandbox
from _report_types import Finding, ms
from _timing import timed
from _workload import Reading, readings

from hat_sdk import HatClient

ENDPOINTS = [f"trip-{index}" for index in range(10)]
#: Per-record runs above this many records are timed on this many and scaled linearly.
PER_RECORD_SAMPLE = 100

Strategy = Callable[[HatClient, Sequence[Reading]], object]


def _one_post(client: HatClient, records: Sequence[Reading]) -> None:
    client.post(*records)


def _post_per_endpoint(client: HatClient, records: Sequence[Reading]) -> None:
    by_endpoint: dict[str | None, list[Reading]] = {}
    for record in records:
        by_endpoint.setdefault(record.endpoint, []).append(record)
    for group in by_endpoint.values():
        client.post(*group)


def _post_per_record(client: HatClient, records: Sequence[Reading]) -> None:
    for record in records:
        client.post(record)


_BATCHED = "client.post (all at once)"
_PER_ENDPOINT = "one POST per endpoint"
STRATEGIES: dict[str, Strategy] = {
    _BATCHED: _one_post,
    _PER_ENDPOINT: _post_per_endpoint,
    "one POST per record": _post_per_record,
}


def _sample_size(strategy: Strategy, count: int, latency: float) -> int:
    if strategy is _post_per_record and (count > 1000 or latency > 0):
        return min(count, PER_RECORD_SAMPLE)
    return count


@dataclass(frozen=True)
class _Run:
    """Medians of one strategy's runs: wall time, this process's CPU time, POSTs sent."""

    seconds: float
    cpu: float
    posts: int


def _run(hat: RemoteSandbox, client: HatClient, strategy: Strategy, size: int, repeat: int) -> _Run:
    """Write ``size`` fresh records ``repeat`` times with ``strategy``."""
    walls, cpus, posts = [], [], 0
    for _ in range(repeat):
        records = readings(size, ENDPOINTS)
        hat.clear_requests()
        cpu = time.process_time()
        walls.append(timed(lambda: strategy(client, records)))  # noqa: B023 - called at once
        cpus.append(time.process_time() - cpu)
        posts = sum(1 for method, _, _ in hat.requests() if method == "POST")
    return _Run(statistics.median(walls), statistics.median(cpus), posts)


def round_trips(hat: RemoteSandbox, client: HatClient, repeat: int) -> list[Finding]:
    """Rows for 1,000 and 10,000 records at 0 and 20 ms latency, with the 5x goal at 20 ms."""
    findings = []
    for count in (1_000, 10_000):
        at_zero: dict[str, float] = {}
        for latency in (0.0, 0.02):
            hat.set_latency(latency)
            seconds: dict[str, float] = {}
            for name, strategy in STRATEGIES.items():
                size = _sample_size(strategy, count, latency)
                run = _run(hat, client, strategy, size, repeat)
                scale = count / size
                seconds[name] = run.seconds * scale
                requests = round(run.posts * scale)
                # Every workload here is far below 10 MB: one request is the goal.
                batched = strategy is _one_post
                findings.append(
                    Finding(
                        "Round trips",
                        f"{count:,} records / {len(ENDPOINTS)} endpoints,"
                        f" {latency * 1000:g} ms: {name}",
                        f"{requests:,} request{'s' * (requests != 1)}, {ms(seconds[name])}"
                        f" (client CPU {ms(run.cpu * scale)})",
                        {
                            "seconds": seconds[name],
                            "client_cpu_seconds": run.cpu * scale,
                            "requests": requests,
                            "sampled": size,
                        },
                        goal="1 request per 10 MB" if batched else "",
                        met=requests == 1 if batched else None,
                        note=f"timed on {size:,} records, scaled x{scale:g}" if scale > 1 else "",
                    )
                )
            findings.append(_speedup(count, latency, seconds, at_zero))
            at_zero = at_zero or seconds
    hat.set_latency(0.0)
    return findings


def _speedup(
    count: int, latency: float, seconds: dict[str, float], at_zero: dict[str, float]
) -> Finding:
    batched, per_endpoint = seconds[_BATCHED], seconds[_PER_ENDPOINT]
    speedup = per_endpoint / batched
    note = ""
    if latency:
        # What latency alone allows, given each strategy's time without latency (which is
        # the server storing the records plus the client's own work).
        ceiling = (at_zero[_PER_ENDPOINT] + len(ENDPOINTS) * latency) / (
            at_zero[_BATCHED] + latency
        )
        note = (
            f"the 0 ms times ({ms(at_zero[_BATCHED])} / {ms(at_zero[_PER_ENDPOINT])}) cap it at"
            f" {ceiling:.1f}x: the rest is the server's own work per record"
        )
    return Finding(
        "Round trips",
        f"{count:,} records, {latency * 1000:g} ms: speed-up of client.post over"
        " one POST per endpoint",
        f"{speedup:.1f}x",
        {"speedup": speedup},
        goal=">= 5x at 20 ms" if latency else "",
        met=speedup >= 5 if latency else None,
        note=note,
    )
