"""Slow servers: a response that stalls mid-body ends in a timeout error within the configured
bound, sync and async, leaving no open sockets or threads behind."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator

import anyio
import pytest

from hat_sdk import AppToken, AsyncHatClient, HatClient, HatTimeoutError, OutcomeUnknownError
from hat_sdk.sandbox import Sandbox

from .conftest import NAMESPACE, Note, notes

TIMEOUT = 0.5
RETRIES = 1
#: Far longer than any timeout here: reaching the end of a stall would mean the bound failed.
STALL = 60.0
#: The configured bound: every attempt may use the whole timeout.
BOUND = (RETRIES + 1) * TIMEOUT
SETTLE = 10.0


def _sockets() -> int:
    """Open sockets of this process (client and in-process server alike)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # closed meanwhile
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


def _poll(condition: Callable[[], bool]) -> bool:
    """Whether ``condition`` becomes true within ``SETTLE`` seconds (checked every 10 ms)."""
    deadline = time.monotonic() + SETTLE
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture
def stalling(hat_sandbox: Sandbox, token: AppToken) -> Iterator[Sandbox]:
    """The sandbox, with some records, stalling every response from now on; afterwards checks
    that every socket and thread opened meanwhile is gone."""
    with HatClient(token, NAMESPACE) as client:
        client.post(*notes(50))
    # Connections of the set-up are closed on the client side; wait for the server's side.
    previous = -1
    while (current := _sockets()) != previous:
        previous = current
        time.sleep(0.05)
    threads = set(threading.enumerate())
    hat_sandbox.knobs.stall = STALL
    yield hat_sandbox
    assert _poll(lambda: _sockets() <= previous), f"{_sockets() - previous} socket(s) leaked"
    assert _poll(lambda: set(threading.enumerate()) <= threads), "thread(s) leaked"


def test_sync_get_times_out_within_the_bound(stalling: Sandbox, token: AppToken) -> None:
    started = time.monotonic()
    with (
        HatClient(
            token, NAMESPACE, timeout=TIMEOUT, max_retries=RETRIES, retry_backoff=0.01
        ) as client,
        pytest.raises(HatTimeoutError),
    ):
        client.get(Note, "notes")
    assert time.monotonic() - started < BOUND + SETTLE
    assert [e.method for e in stalling.request_log][-(RETRIES + 1) :] == ["GET"] * (RETRIES + 1)


@pytest.mark.usefixtures("stalling")
def test_async_get_times_out_within_the_bound(token: AppToken) -> None:
    async def read() -> None:
        async with AsyncHatClient(
            token, NAMESPACE, timeout=TIMEOUT, max_retries=RETRIES, retry_backoff=0.01
        ) as client:
            await client.get(Note, "notes")

    started = time.monotonic()
    with pytest.raises(HatTimeoutError):
        anyio.run(read)
    assert time.monotonic() - started < BOUND + SETTLE


def test_stalled_post_is_reported_as_unknown_outcome_once(
    stalling: Sandbox, token: AppToken
) -> None:
    stalling.clear_request_log()
    with (
        HatClient(token, NAMESPACE, timeout=TIMEOUT, max_retries=RETRIES) as client,
        pytest.raises(OutcomeUnknownError) as caught,
    ):
        client.post(*notes(2, start=100))
    assert [e.method for e in stalling.request_log] == ["POST"]
    assert len(caught.value.records) == 2


def test_stall_knob_refuses_negative_times(hat_sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="stall"):
        hat_sandbox.knobs.stall = -1
    assert hat_sandbox.knobs.stall == 0
