"""iter holds a bounded number of pages however long the endpoint, and leaves early cleanly."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from hat_sdk import AsyncHatClient, GetOpts, HatClient
from hat_sdk.sandbox import Sandbox

from .conftest import Location, locations

PAGE = 10
PAGES = 12


def _page_reads(sandbox: Sandbox, mark: int) -> int:
    return sum(1 for entry in sandbox.request_log[mark:] if entry.method == "GET")


@pytest.mark.parametrize("prefetch", [0, 1, 4])
def test_sync_iter_reads_at_most_prefetch_pages_ahead_of_the_one_it_yields(
    client: HatClient, hat_sandbox: Sandbox, prefetch: int
) -> None:
    client.post(*locations(PAGE * PAGES))
    mark = len(hat_sandbox.request_log)
    ahead = []
    for index, record in enumerate(
        client.iter(Location, "locations", page_size=PAGE, prefetch=prefetch)
    ):
        assert record.latitude == index
        ahead.append(_page_reads(hat_sandbox, mark) - (index // PAGE + 1))
    assert max(ahead) <= prefetch  # so memory holds at most prefetch + 1 pages
    if prefetch == 4:
        assert max(ahead) >= 1  # and it does read ahead


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.parametrize("prefetch", [0, 1, 4])
async def test_async_iter_reads_at_most_prefetch_pages_ahead_of_the_one_it_yields(
    aclient: AsyncHatClient, hat_sandbox: Sandbox, prefetch: int
) -> None:
    await aclient.post(*locations(PAGE * PAGES))
    mark = len(hat_sandbox.request_log)
    ahead = []
    index = 0
    async for record in aclient.iter(Location, "locations", page_size=PAGE, prefetch=prefetch):
        assert record.latitude == index
        ahead.append(_page_reads(hat_sandbox, mark) - (index // PAGE + 1))
        index += 1
    assert index == PAGE * PAGES
    assert max(ahead) <= prefetch
    if prefetch == 4:
        assert max(ahead) >= 1


def test_leaving_an_iteration_early_stops_its_reads(
    client: HatClient, hat_sandbox: Sandbox
) -> None:
    client.post(*locations(PAGE * PAGES))
    mark = len(hat_sandbox.request_log)
    pages = client.iter(Location, "locations", page_size=PAGE, prefetch=4)
    first = [next(pages) for _ in range(PAGE + 1)]
    pages.close()  # as a `break` does, once the generator is collected
    assert [r.latitude for r in first] == list(range(PAGE + 1))
    read = _page_reads(hat_sandbox, mark)
    assert read <= 2 + 4
    assert _page_reads(hat_sandbox, mark) == read  # nothing is read after the loop is left


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_leaving_an_async_iteration_early_stops_its_reads(
    aclient: AsyncHatClient, hat_sandbox: Sandbox, anyio_backend: str
) -> None:
    await aclient.post(*locations(PAGE * PAGES))
    mark = len(hat_sandbox.request_log)
    pages = aclient.iter(Location, "locations", page_size=PAGE, prefetch=4)
    first = [await anext(pages) for _ in range(PAGE + 1)]
    await pages.aclose()  # as a `break` does, once the generator is collected
    assert [r.latitude for r in first] == list(range(PAGE + 1))
    if anyio_backend == "asyncio":  # the reads in flight are over, not left running
        assert not [task for task in asyncio.all_tasks() if "_keep_outcome" in repr(task)]
    await aclient.get(Location, "locations", GetOpts(take=1))  # the client is still usable
    # Two pages settled and at most four read ahead (in flight when the loop was left: their
    # requests may have reached the sandbox), then the one later read; no read started since.
    assert _page_reads(hat_sandbox, mark) <= 2 + 4 + 1


@pytest.mark.anyio
async def test_an_async_iteration_cancelled_while_it_waits_leaves_no_read_running(
    aclient: AsyncHatClient, hat_sandbox: Sandbox
) -> None:
    await aclient.post(*locations(PAGE * 3))
    hat_sandbox.knobs.latency = 0.05  # the first read is still under way when it is cancelled
    with anyio.CancelScope() as scope:
        pages = aclient.iter(Location, "locations", page_size=PAGE, prefetch=4)
        scope.cancel()
        async for _ in pages:
            pytest.fail("nothing is read once cancelled")
    assert scope.cancelled_caught
    assert not [task for task in asyncio.all_tasks() if "_keep_outcome" in repr(task)]
