"""The conventions of the best Python SDKs: raw responses, with_options, typed resources."""

from __future__ import annotations

from typing import assert_type

import httpx
import pytest

from hat_sdk import ApiOwnerToken, AsyncHatClient, HatClient, RawResponse
from hat_sdk.sandbox import Sandbox
from hat_sdk.types import HealthStatus, VersionInfo

from .conftest import requests_since


def test_raw_response_gives_the_answer_with_the_typed_result(owner: ApiOwnerToken) -> None:
    with HatClient(owner, "sandbox-app") as hat:
        raw = hat.with_raw_response.system.version()
        assert_type(raw, RawResponse[VersionInfo])
        assert raw.status_code == 200
        assert raw.headers["content-type"].startswith("application/json")
        assert raw.parse() == hat.system.version()
        debits = hat.with_raw_response.data_debits.list()  # a secured call: a refreshed token
        assert "x-auth-token" in debits.http_response.headers
        assert "x-auth-token" not in debits.headers


@pytest.mark.anyio
async def test_raw_response_async(owner: ApiOwnerToken) -> None:
    async with AsyncHatClient(owner, "sandbox-app") as hat:
        raw = await hat.with_raw_response.system.health()
        assert_type(raw, RawResponse[HealthStatus])
        assert raw.http_response.request.url.path == "/healthz"


def test_with_options_changes_defaults_for_the_copy_only(
    owner: ApiOwnerToken, hat_sandbox: Sandbox
) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [seen.append]})
    with HatClient(owner, "sandbox-app", http_client=http) as hat:
        quick = hat.with_options(timeout=3, max_retries=0, extra_headers={"X-Trace": "t"})
        quick.system.version()
        hat.system.version()
        assert seen[-2].headers["X-Trace"] == "t"
        assert seen[-2].extensions["timeout"]["read"] == 3
        assert "X-Trace" not in seen[-1].headers
        hat_sandbox.knobs.fault_rate = 1.0
        hat_sandbox.knobs.fault_phase = "before"
        mark = len(hat_sandbox.request_log)
        with pytest.raises(Exception):  # noqa: B017 - whatever the fault, no retry
            quick.system.version()
        hat_sandbox.knobs.fault_rate = 0.0
        assert len(requests_since(hat_sandbox, mark)) == 1
        quick.close()  # a copy never closes what it shares
        assert hat.system.version().version
    assert not http.is_closed  # supplied by the caller: the caller closes it
    http.close()


def test_every_request_names_the_sdk(owner: ApiOwnerToken) -> None:
    seen: list[httpx.Request] = []
    with HatClient(
        owner, "sandbox-app", http_client=httpx.Client(event_hooks={"request": [seen.append]})
    ) as hat:
        hat.system.version()
    assert seen[-1].headers["User-Agent"].startswith("hat-sdk/")


def test_the_low_level_client_is_reached_as_documented(owner: ApiOwnerToken) -> None:
    from hat_sdk.lowlevel import api

    with HatClient(owner, "sandbox-app") as client:
        detailed = api.system.get_version.sync_detailed(client=client.lowlevel)
    assert detailed.status_code == 200
    assert detailed.parsed is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        api.nope  # noqa: B018 - the attribute access is the test
