"""One sandbox, many HATs: the ``Host`` header (port included) chooses the HAT."""

from __future__ import annotations

import socket
from unittest.mock import create_autospec

import httpx
import jwt
import pytest

from hat_sdk.sandbox import Sandbox, SandboxApp
from hat_sdk.sandbox._server import socket_url
from hat_sdk.sandbox.pytest_plugin import SandboxFactory
from tests.sandbox.conftest import login

RECORDS = "/api/v2.6/data/sandbox-app/notes"
VALIDATE = "/users/access_token/validate"
HAT_UNAVAILABLE = {"error": "Not Found", "message": "HAT unavailable"}


def test_localhost_and_127_0_0_1_are_two_hats_with_separate_data(hat_sandbox: Sandbox) -> None:
    first = hat_sandbox.hats[0]
    second = hat_sandbox.add_hat("localhost", owner="bob", password="bob-secret")
    assert first.url == hat_sandbox.url
    assert second.url == hat_sandbox.url.replace("127.0.0.1", "localhost")
    assert [h.domain for h in hat_sandbox.hats] == [first.domain, second.domain]
    with httpx.Client(base_url=first.url) as a, httpx.Client(base_url=second.url) as b:
        token_a, token_b = login(a), login(b, "bob", "bob-secret")
        assert a.post(RECORDS, json={"of": "a"}, headers={"X-Auth-Token": token_a}).is_success
        assert b.post(RECORDS, json={"of": "b"}, headers={"X-Auth-Token": token_b}).is_success
        in_a = a.get(RECORDS, headers={"X-Auth-Token": token_a}).json()
        in_b = b.get(RECORDS, headers={"X-Auth-Token": token_b}).json()
        # Each HAT has its own owner: the other's credentials do not log in.
        assert (
            b.get(
                "/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
            ).status_code
            == 401
        )
        keys = {a.get("/publickey").text, b.get("/publickey").text}
    assert [r["data"] for r in in_a] == [{"of": "a"}]
    assert [r["data"] for r in in_b] == [{"of": "b"}]
    assert len(keys) == 2
    assert jwt.decode(token_b, options={"verify_signature": False})["iss"] == second.domain


def test_token_of_one_hat_is_refused_by_another(hat_sandbox: Sandbox) -> None:
    other = hat_sandbox.add_hat("localhost")  # same owner and password, still another HAT
    with httpx.Client(base_url=hat_sandbox.url) as a, httpx.Client(base_url=other.url) as b:
        token_a = login(a)
        assert a.get(VALIDATE, headers={"X-Auth-Token": token_a}).status_code == 200
        refused = b.get(VALIDATE, headers={"X-Auth-Token": token_a})
        assert refused.status_code == 401
        assert refused.json() == {"error": "Not Authenticated", "message": "Not Authenticated"}
        assert b.get(RECORDS, headers={"X-Auth-Token": token_a}).status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/publickey"),
        ("GET", "/users/access_token"),
        ("GET", VALIDATE),
        ("GET", RECORDS),
        ("POST", RECORDS),
    ],
)
def test_unknown_host_answers_hat_unavailable(hat_sandbox: Sandbox, method: str, path: str) -> None:
    with httpx.Client(base_url=hat_sandbox.url) as client:
        token = login(client)
        response = client.request(
            method,
            path,
            json={"a": 1} if method == "POST" else None,
            headers={"Host": "nobody.example.com", "X-Auth-Token": token},
        )
    assert response.status_code == 404
    assert response.json() == HAT_UNAVAILABLE


def test_host_includes_the_port(hat_sandbox: Sandbox) -> None:
    host = hat_sandbox.hats[0].domain.rsplit(":", 1)[0]
    with httpx.Client(base_url=hat_sandbox.url) as client:
        response = client.get("/publickey", headers={"Host": host})  # port left out
    assert response.json() == HAT_UNAVAILABLE


def test_plain_actions_answer_for_any_host(hat_sandbox: Sandbox) -> None:
    # /healthz and unrouted requests never look a HAT up on the real server either.
    with httpx.Client(base_url=hat_sandbox.url, headers={"Host": "nobody.example"}) as client:
        assert client.get("/healthz").json() == {"Status": "OK"}
        assert client.post("/api/v2.6/nope").json()["error"] == "Handler Not Found"


def test_added_hat_has_its_own_applications(hat_sandbox: Sandbox) -> None:
    other = hat_sandbox.add_hat("localhost", apps=[SandboxApp("notes", ("notes",))])
    with httpx.Client(base_url=other.url) as client:
        token = {"X-Auth-Token": login(client)}
        assert client.get("/api/v2.6/applications/notes/access-token", headers=token).is_success
        missing = client.get("/api/v2.6/applications/sandbox-app/access-token", headers=token)
    assert missing.status_code == 404


def test_add_hat_rejects_a_served_host_or_a_port(hat_sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="already serves"):
        hat_sandbox.add_hat("127.0.0.1")
    with pytest.raises(ValueError, match="without a port"):
        hat_sandbox.add_hat("localhost:8080")


def test_add_hat_needs_a_running_sandbox() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        Sandbox().add_hat("localhost")


def test_factory_gives_independent_sandboxes(hat_sandbox_factory: SandboxFactory) -> None:
    alice = hat_sandbox_factory(owner="alice", password="alice-secret")
    other = hat_sandbox_factory()
    assert alice.url != other.url
    with httpx.Client(base_url=alice.url) as client:
        assert login(client, "alice", "alice-secret")


@pytest.mark.parametrize(
    ("bound", "url"),
    [
        (("0.0.0.0", 8080), "http://127.0.0.1:8080"),
        (("::", 8080, 0, 0), "http://[::1]:8080"),
        (("127.0.0.1", 8080), "http://127.0.0.1:8080"),
    ],
)
def test_a_socket_on_all_interfaces_is_named_by_loopback(
    bound: tuple[object, ...], url: str
) -> None:
    # The first HAT's domain comes from this URL: a client can reach and name it.
    sock = create_autospec(socket.socket, instance=True)
    sock.getsockname.return_value = bound
    assert socket_url(sock) == url
