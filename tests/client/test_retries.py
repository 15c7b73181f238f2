"""Retries: idempotent calls recover from injected faults; POSTs never repeat blindly."""

from __future__ import annotations

import httpx
import pytest

from hat_sdk import (
    ApiOwnerToken,
    AppToken,
    AsyncHatClient,
    HatClient,
    HatConnectionError,
    InternalServerError,
    OutcomeUnknownError,
)
from hat_sdk._core.retry import RetryPolicy
from hat_sdk.sandbox import Sandbox

from .conftest import Location, locations


def test_get_put_delete_recover_under_faults(token: AppToken, hat_sandbox: Sandbox) -> None:
    with HatClient(token, "sandbox-app", max_retries=12, retry_backoff=0.001) as hat:
        saved = hat.post(*locations(40))
        hat_sandbox.knobs.seed(7)
        hat_sandbox.knobs.fault_rate = 0.4
        for record in saved[:20]:  # many calls, so that faults surely strike
            hat.put(record.model_copy(update={"longitude": 9.0}))
        reads = [hat.get(Location, "locations") for _ in range(10)]
        hat.delete(*saved[20:30])
        for record in saved[30:]:
            hat.delete(record)
        hat_sandbox.knobs.fault_rate = 0.0
        assert any(entry.status not in (200, 201) for entry in hat_sandbox.request_log)
        final = hat.get(Location, "locations")
    assert all(len(read) == 40 for read in reads)
    assert sorted((loc.latitude, loc.longitude) for loc in final) == [(i, 9.0) for i in range(20)]


def test_post_outcome_unknown_carries_records_and_reposting_stores_each_once(
    token: AppToken, hat_sandbox: Sandbox
) -> None:
    wanted = locations(30)
    unknown: list[OutcomeUnknownError] = []
    with HatClient(token, "sandbox-app", max_retries=5, retry_backoff=0.001) as hat:
        hat_sandbox.knobs.seed(3)
        hat_sandbox.knobs.fault_rate = 0.4
        for record in wanted:
            pending: list[Location] = [record]
            while pending:
                try:
                    hat.post(*pending, skip_duplicates=bool(unknown))
                    pending = []
                except OutcomeUnknownError as error:
                    unknown.append(error)
                    pending = [record for record in error.records if isinstance(record, Location)]
        hat_sandbox.knobs.fault_rate = 0.0
        stored = hat.get(Location, "locations")
    assert unknown, "faults should have left some POST outcomes unknown"
    assert sorted(loc.latitude for loc in stored) == [r.latitude for r in wanted]


def _client(handler: httpx.MockTransport, token: AppToken, max_retries: int = 2) -> HatClient:
    return HatClient(
        token,
        "sandbox-app",
        http_client=httpx.Client(transport=handler),
        retry_backoff=0.0,
        max_retries=max_retries,
    )


def test_post_retried_only_when_never_sent(token: AppToken) -> None:
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.method)
        if len(attempts) == 1:
            raise httpx.ConnectError("refused", request=request)
        if len(attempts) == 2:
            raise httpx.ReadError("connection reset", request=request)
        raise AssertionError("a POST that may have arrived must not be repeated")

    with _client(httpx.MockTransport(handler), token) as hat, pytest.raises(OutcomeUnknownError):
        hat.post(Location(endpoint="locations", latitude=1, longitude=1))
    assert attempts == ["POST", "POST"]


def test_an_error_says_how_many_times_its_request_was_sent(token: AppToken) -> None:
    def busy(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, headers={"Retry-After": "0"})

    with _client(httpx.MockTransport(busy), token, max_retries=2) as hat:
        with pytest.raises(InternalServerError) as retried:
            hat.get(Location, "locations")
        with pytest.raises(InternalServerError) as once:
            hat.with_options(max_retries=0).system.status()
    assert retried.value.attempts == 3
    assert "tried 3 times" in str(retried.value)
    assert once.value.attempts == 1
    assert "times" not in str(once.value)


def test_a_raw_response_says_how_many_retries_it_took(token: AppToken) -> None:
    statuses = iter([503, 502])

    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(statuses, 200), json={"version": "v2.8.18"})

    with _client(httpx.MockTransport(handler), token) as hat:
        assert hat.with_raw_response.system.version().retries_taken == 2
        assert hat.with_raw_response.system.version().retries_taken == 0


def test_retry_after_is_honoured_and_budget_bounded(token: AppToken) -> None:
    statuses = iter([503, 429, 502])

    def handler(_request: httpx.Request) -> httpx.Response:
        status = next(statuses, None)
        if status is None:
            return httpx.Response(200, json=[])
        return httpx.Response(status, headers={"Retry-After": "0"})

    with _client(httpx.MockTransport(handler), token, max_retries=3) as hat:
        assert hat.get(Location, "locations") == []

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with (
        _client(httpx.MockTransport(refuse), token, max_retries=0) as hat,
        pytest.raises(HatConnectionError),
    ):
        hat.get(Location, "locations")


def test_policy_decisions() -> None:
    policy = RetryPolicy(max_retries=2, initial_delay=1.0, max_delay=3.0, max_retry_after=10)
    request = httpx.Request("GET", "http://hat.test/")
    busy = httpx.Response(503, headers={"Retry-After": "4"}, request=request)
    assert policy.delay_after_response("GET", busy, 0) == 4
    assert policy.delay_after_response("POST", busy, 0) is None
    assert policy.delay_after_response("GET", busy, 2) is None  # budget spent
    too_long = httpx.Response(503, headers={"Retry-After": "600"}, request=request)
    assert policy.delay_after_response("GET", too_long, 0) is None
    assert policy.delay_after_response("GET", httpx.Response(404, request=request), 0) is None
    delay = policy.delay_after_error("PUT", httpx.ReadTimeout("slow", request=request), 1)
    assert delay is not None
    assert 1.0 <= delay <= 2.0
    capped = policy.delay_after_error("PUT", httpx.ReadError("x", request=request), 1)
    assert capped is not None
    assert capped <= 3.0
    assert policy.delay_after_error("POST", httpx.ReadError("x", request=request), 0) is None
    assert policy.delay_after_error("POST", httpx.ConnectError("x", request=request), 0) is not None


@pytest.mark.parametrize(
    "value",
    ["Mon, 01 Jan 2024 00:00:00 +99999999999999999999", "Mon, 01 Jan 99999 00:00:00 GMT", "x"],
)
def test_a_retry_after_no_clock_can_hold_falls_back_to_backoff(value: str) -> None:
    policy = RetryPolicy(max_retries=2, initial_delay=1.0, max_delay=3.0)
    request = httpx.Request("GET", "http://hat.test/")
    busy = httpx.Response(503, headers={"Retry-After": value}, request=request)
    delay = policy.delay_after_response("GET", busy, 0)
    assert delay is not None
    assert 0.5 <= delay <= 1.0


def test_lowlevel_client_gets_the_same_retries(token: AppToken) -> None:
    from hat_sdk._generated.client.api.records import list_data_sources

    statuses = iter([503, 504])

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["X-Auth-Token"]  # the token is applied by the shared driver
        return httpx.Response(next(statuses, 200), json={"sandbox-app": ["locations"]})

    with _client(httpx.MockTransport(handler), token, max_retries=2) as hat:
        response = list_data_sources.sync_detailed(client=hat.lowlevel)
    assert response.status_code == 200


class _LoginRefused(httpx.AsyncBaseTransport):
    """Refuses the connection of logins while ``refusing``; sends the rest to the HAT."""

    def __init__(self) -> None:
        self.refusing = True
        self._hat = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.refusing and request.url.path == "/users/access_token":
            raise httpx.ConnectError("connection refused", request=request)
        return await self._hat.handle_async_request(request)


@pytest.mark.anyio
async def test_an_async_client_whose_login_failed_logs_in_when_it_can(owner: ApiOwnerToken) -> None:
    transport = _LoginRefused()
    http = httpx.AsyncClient(transport=transport)
    async with AsyncHatClient(owner, "sandbox-app", http_client=http, max_retries=0) as hat:
        for _ in range(2):  # the failed login left no lock held
            with pytest.raises(HatConnectionError):
                await hat.get(Location, "locations")
        transport.refusing = False
        assert await hat.get(Location, "locations") == []
    await http.aclose()


class _LoginDropped(httpx.BaseTransport):
    """Drops the connection of the first ``drops`` logins after sending them."""

    def __init__(self, drops: int) -> None:
        self.drops = drops
        self.posts = 0
        self._hat = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/users/access_token" and self.drops:
            self.drops -= 1
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        self.posts += request.method == "POST"
        return self._hat.handle_request(request)


@pytest.mark.parametrize("max_retries", [0, 2])
def test_a_post_whose_login_failed_was_not_sent_and_is_retried(
    owner: ApiOwnerToken, max_retries: int
) -> None:
    transport = _LoginDropped(drops=1)
    http = httpx.Client(transport=transport)
    with HatClient(owner, "sandbox-app", http_client=http, max_retries=max_retries) as hat:
        record = Location(endpoint="locations", latitude=1, longitude=2)
        if max_retries:
            assert [saved.latitude for saved in hat.post(record)] == [1]
            assert transport.posts == 1
        else:
            # Not "may or may not be stored": the POST never left.
            with pytest.raises(HatConnectionError) as caught:
                hat.post(record)
            assert not isinstance(caught.value, OutcomeUnknownError)
            assert "/users/access_token" in str(caught.value)
            assert transport.posts == 0
    http.close()


@pytest.mark.anyio
async def test_the_login_a_call_starts_has_the_calls_timeouts(owner: ApiOwnerToken) -> None:
    # httpx sets no timeout on the requests of an auth flow: a silent HAT would hold them.
    seen: list[object] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/users/access_token":
            seen.append(request.extensions.get("timeout"))
        raise httpx.ConnectError("refused", request=request)

    sync_http = httpx.Client(transport=httpx.MockTransport(handle))
    timeout = httpx.Timeout(3.0, connect=1.0)
    with (
        HatClient(owner, "sandbox-app", http_client=sync_http, max_retries=0) as hat,
        pytest.raises(HatConnectionError),
    ):
        hat.get(Location, "locations", timeout=timeout)
    async_http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    async with AsyncHatClient(owner, "sandbox-app", http_client=async_http, max_retries=0) as ahat:
        with pytest.raises(HatConnectionError):
            await ahat.get(Location, "locations", timeout=timeout)
    assert seen == [timeout.as_dict()] * 2
    sync_http.close()
    await async_http.aclose()
