"""AsyncHatClient under both async backends anyio supports: asyncio and trio.

The token's single-flight renewal locks per event loop and the engine sleeps between retries
through anyio, so the same client code runs under either; these tests run the whole path
(login, app-token exchange, batched write, typed read, a generated resource, a retry) on each.
"""

from __future__ import annotations

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppToken, AsyncHatClient, HatError
from hat_sdk.sandbox import Sandbox
from hat_sdk.types import DataDebit
from tests.client.conftest import NAMESPACE, Location


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.anyio
async def test_a_round_trip_runs_on_each_backend(hat_sandbox: Sandbox) -> None:
    owner = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=hat_sandbox.url)
    token = AppToken(owner, NAMESPACE)
    async with AsyncHatClient(token, NAMESPACE, retry_backoff=0.001) as client:
        saved = await client.post(Location(endpoint="backends", latitude=1.0, longitude=2.0))
        read = await client.get(Location, "backends")
        assert [record.record_id for record in read] == [saved[0].record_id]
    async with AsyncHatClient(owner, NAMESPACE) as owner_client:
        debits = await owner_client.data_debits.list()
        assert all(isinstance(debit, DataDebit) for debit in debits)


@pytest.mark.anyio
async def test_retries_sleep_through_the_running_backend(hat_sandbox: Sandbox) -> None:
    owner = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=hat_sandbox.url)
    async with AsyncHatClient(owner, NAMESPACE, retry_backoff=0.001) as client:
        await client.get(Location, "backends")  # logs in first
        hat_sandbox.knobs.fault_rate = 1.0
        hat_sandbox.knobs.fault_phase = "before"
        mark = len(hat_sandbox.request_log)
        with pytest.raises(HatError):
            await client.get(Location, "backends")
        hat_sandbox.knobs.fault_rate = 0.0
        assert len(hat_sandbox.request_log) - mark == 3  # one try and two retries
