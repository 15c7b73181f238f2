"""files.download_to streams to disk in bounded memory, with real progress, whatever the
client's max_response_bytes, and leaves no partial file behind when it fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AsyncHatClient, HatClient, HatError
from hat_sdk.sandbox import Sandbox

SIZE = 3 * 1024 * 1024 + 17


def _owner(hat_sandbox: Sandbox) -> ApiOwnerToken:
    return ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=hat_sandbox.url)


def test_a_file_larger_than_the_answer_limit_streams_to_disk(
    hat_sandbox: Sandbox, tmp_path: Path
) -> None:
    content = os.urandom(SIZE)
    seen: list[tuple[int, int]] = []
    # An answer limit of 1 MiB: a buffered read of 3 MiB would raise, a stream does not.
    with HatClient(_owner(hat_sandbox), "sandbox-app", max_response_bytes=1024 * 1024) as hat:
        stored = hat.files.upload(content, source="tests", name="big.bin")
        target = hat.files.download_to(
            stored.file_id, tmp_path / "big.bin", progress=lambda d, t: seen.append((d, t))
        )
        with pytest.raises(HatError):
            hat.files.download(stored.file_id)  # in memory: over the limit
    assert target.read_bytes() == content
    assert seen[-1] == (SIZE, SIZE)
    assert len(seen) > 3  # reported as chunks arrived
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert not (tmp_path / "big.bin.part").exists()


@pytest.mark.anyio
async def test_async_download_to_streams_too(hat_sandbox: Sandbox, tmp_path: Path) -> None:
    content = os.urandom(SIZE)
    async with AsyncHatClient(_owner(hat_sandbox), "sandbox-app", max_response_bytes=1024) as hat:
        stored = await hat.files.upload(content, source="tests", name="big-async.bin")
        target = await hat.files.download_to(stored.file_id, tmp_path / "out.bin")
    assert target.read_bytes() == content


def test_a_failed_download_leaves_no_file(hat_sandbox: Sandbox, tmp_path: Path) -> None:
    with HatClient(_owner(hat_sandbox), "sandbox-app") as hat, pytest.raises(HatError):
        hat.files.download_to("no-such-file", tmp_path / "x.bin")
    assert list(tmp_path.iterdir()) == []
