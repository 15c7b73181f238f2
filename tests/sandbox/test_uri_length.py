"""Request targets over 2 KiB are refused with 414 before any route runs (Akka HTTP's limit)."""

from __future__ import annotations

import httpx
import pytest

from hat_sdk.sandbox import LoggedRequest, Sandbox


def _target(path: str, length: int) -> str:
    """``path`` plus a query string padding the request target to exactly ``length`` bytes."""
    padding = length - len(path) - len("?pad=")
    return f"{path}?pad={'x' * padding}"


@pytest.mark.parametrize(
    ("path", "status"),
    # /healthz answers; the data route runs and refuses the missing token.
    [("/healthz", 200), ("/api/v2.6/data/sandbox-app/notes", 401)],
)
def test_request_target_of_2048_bytes_is_served(
    client: httpx.Client, path: str, status: int
) -> None:
    target = _target(path, 2048)
    assert len(target) == 2048
    assert client.get(target).status_code == status


@pytest.mark.parametrize("path", ["/healthz", "/api/v2.6/data/sandbox-app/notes"])
def test_request_target_of_2049_bytes_is_refused_before_routing(
    client: httpx.Client, path: str
) -> None:
    response = client.get(_target(path, 2049))
    assert response.status_code == 414
    assert response.text == "URI length exceeds the configured limit of 2048 characters"
    assert response.headers["content-type"] == "text/plain; charset=UTF-8"


def test_long_path_without_query_is_refused(client: httpx.Client) -> None:
    assert client.post("/api/v2.6/data/sandbox-app/" + "e" * 2100, json={}).status_code == 414


def test_refusal_is_logged_and_the_server_goes_on(hat_sandbox: Sandbox) -> None:
    with httpx.Client(base_url=hat_sandbox.url) as client:
        hat_sandbox.clear_request_log()
        assert client.get(_target("/healthz", 3000)).status_code == 414
        assert client.get("/healthz").status_code == 200
    assert hat_sandbox.request_log == [
        LoggedRequest("GET", "/healthz", 414),
        LoggedRequest("GET", "/healthz", 200),
    ]
