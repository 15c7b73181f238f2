"""Per-call overhead: ``get`` through the client vs raw httpx + ``json.loads``, sync and async,
and the client's parsing path vs pydantic's own ceiling."""

from __future__ import annotations

import json
from uuid import UUID

import anyio
import httpx
from _remote import RemoteSandbox
from _report_types import Finding, ms
from _timing import alternating, alternating_async
from _workload import NAMESPACE, Reading
from pydantic import TypeAdapter
from typing_extensions import TypedDict

from hat_sdk import AppToken, AsyncHatClient, GetOpts, HatClient
from hat_sdk._records.replies import parse_records

ENDPOINT = "overhead"
#: Calls per timed sample: single calls are too short for a steady clock reading.
CALLS = 10
GOAL = 1.2
CEILING_GOAL = 0.8


class _Envelope(TypedDict):
    """The leanest pydantic description of the HAT's wire records (the ceiling's target)."""

    endpoint: str
    recordId: UUID
    data: Reading


def _data_url(hat: RemoteSandbox) -> str:
    return f"{hat.url}/api/v2.6/data/{NAMESPACE}/{ENDPOINT}"


def _ratio_finding(mode: str, count: int, times: dict[str, float]) -> Finding:
    ratio = times["client"] / times["raw"]
    return Finding(
        "Per-call overhead",
        f"GET {count:,} records, {mode}, 0 ms: HatClient.get vs httpx + json.loads",
        f"{ms(times['client'] / CALLS)} vs {ms(times['raw'] / CALLS)} = {ratio:.2f}x",
        {"client_seconds": times["client"] / CALLS, "raw_seconds": times["raw"] / CALLS},
        goal=f"<= {GOAL}x raw",
        met=ratio <= GOAL,
    )


def sync_overhead(hat: RemoteSandbox, token: AppToken, repeat: int) -> list[Finding]:
    """Sync rows for reads of 100 and 1,000 records."""
    findings = []
    url, header = _data_url(hat), {"X-Auth-Token": token.access_token()}
    with HatClient(token, NAMESPACE) as client, httpx.Client() as raw:
        for count in (100, 1_000):
            opts = GetOpts(take=count)

            def through_client() -> None:
                for _ in range(CALLS):
                    client.get(Reading, ENDPOINT, opts)  # noqa: B023 - used in this iteration

            def through_httpx() -> None:
                for _ in range(CALLS):
                    json.loads(raw.get(url, params={"take": count}, headers=header).content)  # noqa: B023

            times = alternating({"client": through_client, "raw": through_httpx}, repeat)
            findings.append(_ratio_finding("sync", count, times))
    return findings


def async_overhead(hat: RemoteSandbox, token: AppToken, repeat: int) -> list[Finding]:
    """Async rows for reads of 100 and 1,000 records."""
    url, header = _data_url(hat), {"X-Auth-Token": token.access_token()}

    async def measure() -> list[Finding]:
        findings = []
        async with AsyncHatClient(token, NAMESPACE) as client, httpx.AsyncClient() as raw:
            for count in (100, 1_000):
                opts = GetOpts(take=count)

                async def through_client() -> None:
                    for _ in range(CALLS):
                        await client.get(Reading, ENDPOINT, opts)  # noqa: B023

                async def through_httpx() -> None:
                    for _ in range(CALLS):
                        response = await raw.get(url, params={"take": count}, headers=header)  # noqa: B023
                        json.loads(response.content)

                times = await alternating_async(
                    {"client": through_client, "raw": through_httpx}, repeat
                )
                findings.append(_ratio_finding("async", count, times))
        return findings

    return anyio.run(measure)


def parsing(body: bytes, repeat: int) -> Finding:
    """The client's parsing of a GET answer vs ``TypeAdapter(...).validate_json`` alone."""
    count = body.count(b'"recordId"')
    response = httpx.Response(200, content=body, request=httpx.Request("GET", "http://hat"))
    ceiling = TypeAdapter(list[_Envelope])
    times = alternating(
        {
            "client": lambda: parse_records(response, Reading),
            "ceiling": lambda: ceiling.validate_json(body),
        },
        repeat,
    )
    speed = times["ceiling"] / times["client"]
    return Finding(
        "Parsing",
        f"{count:,} records into a user model: client path vs TypeAdapter.validate_json",
        f"{ms(times['client'])} vs {ms(times['ceiling'])} = {speed:.2f}x the ceiling's speed",
        {"client_seconds": times["client"], "ceiling_seconds": times["ceiling"]},
        goal=f">= {CEILING_GOAL}x the ceiling",
        met=speed >= CEILING_GOAL,
    )
