"""Concurrency: 200 concurrent async GETs vs 200 sequential ones, and single-flight token
renewal when all of them find the token stale."""

from __future__ import annotations

from datetime import timedelta

import anyio
import httpx
from _overhead import ENDPOINT
from _remote import RemoteSandbox
from _report_types import Finding, ms
from _timing import alternating_async
from _workload import APPLICATION, NAMESPACE, Reading, app_token

from hat_sdk import AppToken, AsyncHatClient, GetOpts, HatError

CALLS = 200
OPTS = GetOpts(take=10)
LOGIN = "/users/access_token"
APP_TOKEN = f"/api/v2.6/applications/{APPLICATION}/access-token"
#: Server clock this far behind at login: the token then has 30 minutes of idle life left,
#: which is inside the client's renewal margin.
ALMOST_IDLE = timedelta(days=3) - timedelta(minutes=30)
#: Server clock this far ahead: every token issued before is past its 3-day idle limit.
AGED = timedelta(days=4)
_BURST_TIMEOUT = httpx.Timeout(30.0, pool=10.0)


async def _concurrently(client: AsyncHatClient) -> None:
    async with anyio.create_task_group() as group:
        for _ in range(CALLS):
            group.start_soon(client.get, Reading, ENDPOINT, OPTS)


async def _sequentially(client: AsyncHatClient) -> None:
    for _ in range(CALLS):
        await client.get(Reading, ENDPOINT, OPTS)


def concurrency(hat: RemoteSandbox, token: AppToken, repeat: int) -> list[Finding]:
    """Row: wall time of 200 concurrent vs 200 sequential GETs at 20 ms latency."""

    async def measure() -> dict[str, float]:
        async with AsyncHatClient(token, NAMESPACE) as client:
            return await alternating_async(
                {
                    "concurrent": lambda: _concurrently(client),
                    "sequential": lambda: _sequentially(client),
                },
                repeat,
            )

    hat.set_latency(0.02)
    times = anyio.run(measure)
    hat.set_latency(0.0)
    speedup = times["sequential"] / times["concurrent"]
    return [
        Finding(
            "Concurrency",
            f"{CALLS} async GETs at 20 ms: concurrent vs sequential",
            f"{ms(times['concurrent'])} vs {ms(times['sequential'])} = {speedup:.1f}x faster",
            {"concurrent_seconds": times["concurrent"], "sequential_seconds": times["sequential"]},
        )
    ]


def _renewals(hat: RemoteSandbox, case: str, token: AppToken) -> Finding:
    async def burst() -> None:
        # A short pool timeout: if waiting tasks starve the renewal of connections, fail
        # within seconds rather than after the default minute.
        async with AsyncHatClient(token, NAMESPACE, timeout=_BURST_TIMEOUT) as client:
            await _concurrently(client)

    hat.clear_requests()
    try:
        anyio.run(burst)
        failure = ""
    except* HatError as errors:
        first = errors.exceptions[0]
        failure = f"; {len(errors.exceptions)} GET(s) failed: {first}"
    served = hat.requests()
    logins = sum(1 for _, path, status in served if path == LOGIN and status == 200)
    issued = sum(1 for _, path, status in served if path == APP_TOKEN and status == 200)
    return Finding(
        "Concurrency",
        f"{CALLS} concurrent GETs, {case}: token renewals",
        f"{issued} app-token renewal(s), {logins} owner login(s){failure}",
        {"app_token_renewals": issued, "owner_logins": logins},
        goal="exactly one, every GET succeeds",
        met=issued == 1 and logins == 1 and not failure,
    )


def renewals(hat: RemoteSandbox) -> list[Finding]:
    """Rows: renewals when 200 tasks share a token that is stale, or already rejected."""
    hat.set_clock_offset(-ALMOST_IDLE)
    stale = app_token(hat.url)
    hat.set_clock_offset(timedelta(0))
    findings = [_renewals(hat, "token near its idle limit", stale)]
    rejected = app_token(hat.url)
    hat.set_clock_offset(AGED)
    findings.append(_renewals(hat, "token past its idle limit (401s)", rejected))
    hat.set_clock_offset(timedelta(0))
    return findings
