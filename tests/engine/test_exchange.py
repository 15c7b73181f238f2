"""The engine's decisions, stepped without sockets: retries and their sleeps, what is never
retried, and which cached reads a write makes stale."""

from __future__ import annotations

import contextlib

import httpx
import pytest

from hat_sdk._core.cache import ALL_ENDPOINTS, API_READS, CacheKeys
from hat_sdk._core.exchange import (
    Call,
    Operation,
    Reply,
    Send,
    Sleep,
    exchange,
    stopped_within,
    with_retries,
)
from hat_sdk._core.retry import RetryPolicy

POLICY = RetryPolicy(max_retries=2, initial_delay=0.01)


def _request(method: str, path: str = "/api/v2.6/data/ns/ep") -> httpx.Request:
    return httpx.Request(method, f"http://hat.test{path}")


def _answer(request: httpx.Request, status: int) -> httpx.Response:
    return httpx.Response(status, json={}, request=request)


def test_a_get_is_retried_after_a_503_with_a_sleep_between() -> None:
    call = Call(_request("GET"))
    flow = exchange(call, POLICY)
    assert isinstance(next(flow), Send)
    assert isinstance(flow.send(_answer(call.request, 503)), Sleep)
    assert isinstance(flow.send(None), Send)
    try:
        flow.send(_answer(call.request, 200))
    except StopIteration as done:
        reply = done.value
    assert isinstance(reply, Reply)
    assert reply.response is not None
    assert reply.response.status_code == 200
    assert reply.maybe_applied_before  # the 503 may have come after the HAT acted


def test_a_post_that_may_have_been_sent_is_never_retried() -> None:
    call = Call(_request("POST"))
    flow = exchange(call, POLICY)
    next(flow)
    lost = httpx.ReadError("connection reset", request=call.request)
    try:
        flow.send(lost)
    except StopIteration as done:
        reply = done.value
    assert reply.error is lost


@pytest.mark.parametrize("status", [408, 429])
def test_a_post_refused_unprocessed_is_sent_again(status: int) -> None:
    call = Call(_request("POST"))
    flow = exchange(call, POLICY)
    next(flow)
    assert isinstance(flow.send(_answer(call.request, status)), Sleep)
    assert isinstance(flow.send(None), Send)


def test_a_post_answered_5xx_is_not_sent_again() -> None:
    call = Call(_request("POST"))
    flow = exchange(call, POLICY)
    next(flow)
    with pytest.raises(StopIteration) as done:
        flow.send(_answer(call.request, 503))
    assert done.value.value.response.status_code == 503


def test_retries_stop_at_the_budget() -> None:
    call = Call(_request("GET"))
    flow = exchange(call, POLICY)
    actions = [next(flow)]
    try:
        while True:
            outcome = _answer(call.request, 503) if isinstance(actions[-1], Send) else None
            actions.append(flow.send(outcome))
    except StopIteration as done:
        reply = done.value
    assert [type(action) for action in actions] == [Send, Sleep, Send, Sleep, Send]
    assert reply.response is not None
    assert reply.response.status_code == 503


def test_a_write_makes_its_endpoints_reads_stale_and_no_other() -> None:
    keys = CacheKeys("identity", "https://alice.hubat.net")
    read = _request("GET")
    other = _request("GET", "/api/v2.6/data/ns/other")
    before = keys.key_for(read, "ns/ep"), keys.key_for(other, "ns/other")
    api_before = keys.key_for(_request("GET", "/api/v2.6/data-debit"), API_READS)

    def write() -> Operation[None]:
        yield Call(_request("POST"), writes=frozenset({"ns/ep"}))

    flow = with_retries(write(), POLICY, keys)
    call = next(flow)
    assert isinstance(call, Send)
    with contextlib.suppress(StopIteration):
        flow.send(_answer(call.request, 201))
    assert keys.key_for(read, "ns/ep") != before[0]
    assert keys.key_for(other, "ns/other") == before[1]
    assert keys.key_for(_request("GET", "/api/v2.6/data-debit"), API_READS) != api_before
    keys.invalidate({ALL_ENDPOINTS})
    assert keys.key_for(other, "ns/other") != before[1]
    assert keys.key_for(_request("POST"), "ns/ep") is None  # only GETs are cached


def _noting(seen: list[BaseException], *, swallow: bool = False) -> Operation[None]:
    """An operation of one call that notes what stopped it (and, with ``swallow``, goes on
    as if nothing had happened)."""
    try:
        yield Call(_request("GET"))
    except BaseException as stopped:
        seen.append(stopped)
        if not swallow:
            raise


@pytest.mark.parametrize("swallow", [False, True])
def test_what_stops_a_call_is_raised_in_its_operation_and_always_ends_it(swallow: bool) -> None:
    seen: list[BaseException] = []
    flow = with_retries(_noting(seen, swallow=swallow), POLICY, None)
    assert isinstance(next(flow), Send)
    interrupt = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt) as raised:
        stopped_within(flow, interrupt)
    assert raised.value is interrupt
    assert seen == [interrupt]
