"""The read cache: requests after the first identical GET, and its speed at 20 ms latency."""

from __future__ import annotations

from _overhead import ENDPOINT
from _remote import RemoteSandbox
from _report_types import Finding, ms
from _timing import alternating
from _workload import NAMESPACE, Reading

from hat_sdk import AppToken, GetOpts, HatClient

READS = 20
OPTS = GetOpts(take=100)


def cache(hat: RemoteSandbox, token: AppToken, repeat: int) -> list[Finding]:
    """Rows: requests sent by repeated cached reads, and uncached/cached time at 20 ms."""
    hat.set_latency(0.02)
    with (
        HatClient(token, NAMESPACE, cache_ttl=300) as cached,
        HatClient(token, NAMESPACE) as uncached,
    ):
        cached.get(Reading, ENDPOINT, OPTS)
        hat.clear_requests()
        for _ in range(READS):
            cached.get(Reading, ENDPOINT, OPTS)
        requests = len(hat.requests())
        times = alternating(
            {
                "uncached": lambda: uncached.get(Reading, ENDPOINT, OPTS),
                "cached": lambda: cached.get(Reading, ENDPOINT, OPTS),
            },
            repeat,
        )
    hat.set_latency(0.0)
    speedup = times["uncached"] / times["cached"]
    return [
        Finding(
            "Cache",
            f"{READS} repeated GETs (100 records) after the first, cache on",
            f"{requests} requests",
            {"requests": requests},
            goal="0 requests",
            met=requests == 0,
        ),
        Finding(
            "Cache",
            "GET of 100 records at 20 ms: uncached / cached time",
            f"{ms(times['uncached'])} / {ms(times['cached'])} = {speedup:,.0f}x",
            {"uncached_seconds": times["uncached"], "cached_seconds": times["cached"]},
        ),
    ]
