"""Many tasks sharing one token: rejected tokens are renewed once, without exhausting the pool."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import anyio
import httpx

from hat_sdk import AppToken, AsyncHatClient, GetOpts, HatClient
from hat_sdk.sandbox import Sandbox

from .conftest import NAMESPACE, Note

TASKS = 200
THREADS = 50
#: Fewer connections than callers, as with httpx's default limits under load; a short pool
#: timeout makes a pool exhausted by waiting callers fail fast instead of hanging.
LIMITS = httpx.Limits(max_connections=10)
TIMEOUT = httpx.Timeout(30.0, pool=5.0)
APP_TOKEN = f"/api/v2.6/applications/{NAMESPACE}/access-token"
LOGIN = "/users/access_token"


async def _read_concurrently(token: AppToken) -> list[int]:
    http = httpx.AsyncClient(limits=LIMITS, timeout=TIMEOUT)
    sizes: list[int] = []
    async with http, AsyncHatClient(token, NAMESPACE, http_client=http, max_retries=0) as client:

        async def read() -> None:
            sizes.append(len(await client.get(Note, "notes", GetOpts(take=5))))

        async with anyio.create_task_group() as group:
            for _ in range(TASKS):
                group.start_soon(read)
    return sizes


def test_tasks_rejected_together_renew_once_without_exhausting_the_pool(
    hat_sandbox: Sandbox, token: AppToken
) -> None:
    hat_sandbox.knobs.clock_offset = timedelta(days=4)  # every token issued so far is idle
    hat_sandbox.clear_request_log()

    sizes = anyio.run(_read_concurrently, token)

    assert sizes == [0] * TASKS
    _assert_renewed_once(hat_sandbox)


def test_threads_rejected_together_renew_once_without_exhausting_the_pool(
    hat_sandbox: Sandbox, token: AppToken
) -> None:
    hat_sandbox.knobs.clock_offset = timedelta(days=4)
    hat_sandbox.clear_request_log()
    http = httpx.Client(limits=LIMITS, timeout=TIMEOUT)
    with (
        http,
        HatClient(token, NAMESPACE, http_client=http, max_retries=0) as client,
        ThreadPoolExecutor(THREADS) as pool,
    ):
        sizes = list(
            pool.map(lambda _: len(client.get(Note, "notes", GetOpts(take=5))), range(THREADS))
        )

    assert sizes == [0] * THREADS
    _assert_renewed_once(hat_sandbox)


def _assert_renewed_once(sandbox: Sandbox) -> None:
    served = sandbox.request_log
    assert sum(1 for e in served if e.path == LOGIN and e.status == 200) == 1
    assert sum(1 for e in served if e.path == APP_TOKEN and e.status == 200) == 1
