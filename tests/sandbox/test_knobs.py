"""Test knobs: latency, fault injection, request log."""

from __future__ import annotations

import httpx
import pytest

from hat_sdk.sandbox import LoggedRequest, Sandbox


def test_request_log_records_method_path_status(hat_sandbox: Sandbox, client: httpx.Client) -> None:
    hat_sandbox.clear_request_log()
    client.get("/healthz")
    client.post("/api/v2.6/nope")
    assert hat_sandbox.request_log == [
        LoggedRequest("GET", "/healthz", 200),
        LoggedRequest("POST", "/api/v2.6/nope", 404),
    ]


def test_latency_still_serves_every_request(hat_sandbox: Sandbox, client: httpx.Client) -> None:
    hat_sandbox.knobs.latency = 0.01
    hat_sandbox.clear_request_log()
    assert all(client.get("/healthz").status_code == 200 for _ in range(3))
    assert len(hat_sandbox.request_log) == 3


def test_fault_kinds(hat_sandbox: Sandbox, client: httpx.Client) -> None:
    hat_sandbox.knobs.fault_rate = 1.0
    hat_sandbox.knobs.fault_kinds = ("500",)
    failed = client.get("/healthz")
    assert failed.status_code == 500
    assert failed.json()["error"] == "Internal Server error"
    hat_sandbox.knobs.fault_kinds = ("503",)
    assert client.get("/healthz").status_code == 503
    hat_sandbox.knobs.fault_kinds = ("drop",)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/healthz")
    assert hat_sandbox.request_log[-1].status == 0


def test_fault_after_handler_keeps_the_effect(
    hat_sandbox: Sandbox, client: httpx.Client, owner: dict[str, str]
) -> None:
    hat_sandbox.knobs.fault_rate = 1.0
    hat_sandbox.knobs.fault_phase = "after"
    hat_sandbox.knobs.fault_kinds = ("503",)
    assert client.post("/api/v2.6/data/ns/ep", json={"a": 1}, headers=owner).status_code == 503
    hat_sandbox.knobs.fault_phase = "before"
    assert client.post("/api/v2.6/data/ns/ep", json={"a": 2}, headers=owner).status_code == 503
    hat_sandbox.knobs.fault_rate = 0.0
    stored = client.get("/api/v2.6/data/ns/ep", headers=owner).json()
    assert [r["data"] for r in stored] == [{"a": 1}]


def test_fault_rate_is_deterministic_with_a_seed() -> None:
    def outcomes(seed: int) -> list[int]:
        sandbox = Sandbox(seed=seed)
        sandbox.knobs.fault_rate = 0.5
        sandbox.knobs.fault_kinds = ("500", "503")
        with sandbox as url, httpx.Client(base_url=url) as http:
            return [http.get("/healthz").status_code for _ in range(20)]

    first = outcomes(7)
    assert first == outcomes(7)
    assert {200, 500} <= set(first) or {200, 503} <= set(first)


def test_knob_validation() -> None:
    knobs = Sandbox().knobs
    with pytest.raises(ValueError, match="fault_rate"):
        knobs.fault_rate = 2.0
    with pytest.raises(ValueError, match="latency"):
        knobs.latency = -1
    with pytest.raises(ValueError, match="fault_phase"):
        knobs.fault_phase = "later"  # type: ignore[assignment]
