"""The documented usage through AsyncHatClient, against the sandbox over HTTP."""

from __future__ import annotations

import pytest

from hat_sdk import AppToken, AsyncHatClient, GetOpts, HatModel, Ordering
from hat_sdk.sandbox import Sandbox

from .conftest import Location, locations, requests_since

pytestmark = pytest.mark.anyio


async def test_context_manager_and_get(token: AppToken) -> None:
    async with AsyncHatClient(token, "sandbox-app") as aclient:
        assert await aclient.get(Location, "locations") == []
        await aclient.post(*locations(6))
        opts = GetOpts(order_by="latitude", ordering=Ordering.DESCENDING, skip=1, take=2)
        assert [loc.latitude for loc in await aclient.get(Location, "locations", opts)] == [4, 3]
        assert len(await aclient.get(Location, HatModel(endpoint="sandbox-app/locations"))) == 6


async def test_post_put_delete_round_trip(aclient: AsyncHatClient, hat_sandbox: Sandbox) -> None:
    mark = len(hat_sandbox.request_log)
    saved = await aclient.post(
        Location(endpoint="locations", latitude=1, longitude=2),
        Location(endpoint="visits", latitude=3, longitude=4),
    )
    assert requests_since(hat_sandbox, mark) == [("POST", "/api/v2.6/data-batch", 201)]
    assert [s.endpoint for s in saved] == ["sandbox-app/locations", "sandbox-app/visits"]
    [updated] = await aclient.put(saved[0].model_copy(update={"latitude": 9}))
    assert updated.latitude == 9
    assert updated.record_id == saved[0].record_id
    await aclient.delete(saved[0], saved[1].record_id)
    assert await aclient.get(Location, "locations") == []
    assert await aclient.get(Location, "visits") == []


async def test_iter_pages(aclient: AsyncHatClient, hat_sandbox: Sandbox) -> None:
    await aclient.post(*locations(250))
    mark = len(hat_sandbox.request_log)
    pages = aclient.iter(Location, "locations", page_size=100, prefetch=0)
    assert [loc.latitude async for loc in pages] == list(range(250))
    assert len(requests_since(hat_sandbox, mark)) == 3  # page after page: none past the end
    # Last: reads dropped past the end may still reach the sandbox after the loop.
    mark = len(hat_sandbox.request_log)
    seen = [loc.latitude async for loc in aclient.iter(Location, "locations", page_size=100)]
    assert seen == list(range(250))
    # 2 full pages and a short 3rd; past the end: the round in flight (at most prefetch, 4)
    # and the rest of the round holding the short page (at most 3)
    assert 3 <= len(requests_since(hat_sandbox, mark)) <= 3 + 4 + 3


async def test_lowlevel_async(aclient: AsyncHatClient) -> None:
    from hat_sdk._generated.client.api.records import list_data_sources

    response = await list_data_sources.asyncio_detailed(client=aclient.lowlevel)
    assert response.status_code == 200
