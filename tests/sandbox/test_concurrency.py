"""Many concurrent writers: nothing lost, nothing doubled."""

from __future__ import annotations

import asyncio

import httpx

from hat_sdk.sandbox import Sandbox


async def _post_all(url: str, token: str, count: int) -> list[int]:
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        responses = await asyncio.gather(
            *(
                client.post("/api/v2.6/data/ns/ep", json={"i": i}, headers={"X-Auth-Token": token})
                for i in range(count)
            )
        )
    return [r.status_code for r in responses]


def test_hundred_concurrent_posts(
    hat_sandbox: Sandbox, client: httpx.Client, owner: dict[str, str]
) -> None:
    statuses = asyncio.run(_post_all(hat_sandbox.url, owner["X-Auth-Token"], 100))
    assert statuses == [201] * 100
    stored = client.get("/api/v2.6/data/ns/ep", headers=owner).json()
    assert sorted(r["data"]["i"] for r in stored) == list(range(100))
    assert len({r["recordId"] for r in stored}) == 100
