"""Sending a file takes the time the link needs: the call's timeout bounds each network
operation of the upload, not the whole transfer, sync and async."""

from __future__ import annotations

import time

import pytest

from hat_sdk import ApiOwnerToken, AsyncHatClient, HatClient
from hat_sdk.resources._content import CHUNK_BYTES
from hat_sdk.sandbox import Sandbox

CONTENT = b"x" * (4 * CHUNK_BYTES)  # four chunks


def _slow_link(_sent: int, _total: int) -> None:
    time.sleep(0.4)  # each chunk: the four take 1.6 s, over the 1 s timeout in all


def _owner(hat_sandbox: Sandbox) -> ApiOwnerToken:
    return ApiOwnerToken("sandbox", password="sandbox", hat_url=hat_sandbox.url)


def test_an_upload_slower_than_the_timeout_completes(hat_sandbox: Sandbox) -> None:
    with HatClient(_owner(hat_sandbox), "sandbox-app", timeout=1, max_retries=0) as hat:
        stored = hat.files.upload(CONTENT, name="slow.bin", source="tests", progress=_slow_link)
        assert stored.status is not None
        assert stored.status.size == len(CONTENT)
        assert hat.files.download(stored.file_id) == CONTENT


@pytest.mark.anyio
async def test_an_upload_slower_than_the_timeout_completes_async(hat_sandbox: Sandbox) -> None:
    async with AsyncHatClient(_owner(hat_sandbox), "sandbox-app", timeout=1, max_retries=0) as hat:
        stored = await hat.files.upload(
            CONTENT, name="slow.bin", source="tests", progress=_slow_link
        )
        assert stored.status is not None
        assert stored.status.size == len(CONTENT)
