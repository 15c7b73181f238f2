"""Regressions for the sandbox deviations the schemathesis run found, one request each.

Each case pins the real server's behaviour (dataswift/HAT2.0 @ beb2c0b6 and the Play JSON formats
of hat-client-scala-play, see openapi/FIDELITY.md) where the sandbox used to answer 500 or accept
a body Play-JSON rejects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hat_sdk.sandbox import Sandbox

_DEBIT: dict[str, Any] = {
    "dataDebitKey": "ignored",
    "purpose": "regressions",
    "start": "2026-01-01T00:00:00.000Z",
    "period": 86400000,
    "cancelAtPeriodEnd": False,
    "requestClientName": "Example",
    "requestClientUrl": "https://example.com",
    "requestClientLogoUrl": "https://example.com/logo.png",
    "termsUrl": "https://example.com/terms",
    "bundle": {"name": "regressions", "bundle": {}},
}


@pytest.fixture(scope="module")
def owner() -> Iterator[httpx.Client]:
    """A client with an owner token on one sandbox shared by this module."""
    with Sandbox() as url:
        login = httpx.get(
            f"{url}/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
        )
        assert login.status_code == 200, login.text
        token = login.json()["accessToken"]
        with httpx.Client(base_url=url, headers={"X-Auth-Token": token}) as client:
            yield client


def test_dates_before_year_1000_keep_four_digit_years(owner: httpx.Client) -> None:
    """Joda writes ``0085-…``; glibc's ``%Y`` wrote ``85-…`` (not a date-time).

    ``dateCreated`` is kept from the upload body; ``lastUpdated`` is always stamped now (HAT2.0
    api/repository/FileMetadataRepositorySlick.scala:77-91).
    """
    body = {"name": "old", "source": "regressions", "dateCreated": "0085-11-09T16:11:22.930Z"}
    response = owner.post("/api/v2.6/files/upload", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["dateCreated"] == "0085-11-09T16:11:22.930Z"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"since": "-5340024416733"}, 200),  # a Long, far before year 1: clamped, not a crash
        ({"until": "876944400084055"}, 200),  # far after year 9999: clamped
        ({"until": "9223372036854775808"}, 400),  # not a Long: the binder's 400
    ],
)
def test_feed_window_takes_any_long(
    owner: httpx.Client, query: dict[str, str], status: int
) -> None:
    """``since``/``until`` bind as Long; out-of-range Longs used to answer 500.

    HAT2.0 ``hat/conf/v26.routes:78-79`` (``since: Option[Long], until: Option[Long]``).
    """
    assert owner.get("/api/v2.6/she/feed", params=query).status_code == status


@pytest.mark.parametrize(
    ("path", "body"),
    [
        # Play's Reads[Int]: a bundle property's limit must fit 32 bits.
        (
            "/api/v2.6/data-bundle/regressions",
            {"p": {"endpoints": [{"endpoint": "a/b"}], "limit": 2**31}},
        ),
        # ApiHatFile is read whole: permissions, contentPublic and status.size are typed.
        (
            "/api/v2.6/files/upload",
            {"name": "n", "source": "s", "permissions": [{"userId": "x", "contentReadable": {}}]},
        ),
        ("/api/v2.6/files/upload", {"name": "n", "source": "s", "contentPublic": "yes"}),
        (
            "/api/v2.6/files/search",
            {"name": "", "source": "", "status": {"status": "Completed", "size": 2**63}},
        ),
        # EndpointData is read whole: sourceTimestamp must be a date even where it is ignored.
        ("/api/v2.6/data-batch", [{"endpoint": "a/b", "data": {}, "sourceTimestamp": ""}]),
        # LogRequest's optional fields are strings.
        ("/api/v2.6/report-frontend-action", {"actionCode": "a", "logGroup": {}}),
        # A Duration in milliseconds is a Long; the unused callback URL is still read as string.
        ("/api/v2.6/data-debit/regressions-a", {**_DEBIT, "period": 2**63}),
        ("/api/v2.6/data-debit/regressions-b", {**_DEBIT, "requestClientCallbackUrl": 1}),
    ],
)
def test_ill_typed_bodies_are_rejected(owner: httpx.Client, path: str, body: Any) -> None:
    """Bodies Play-JSON cannot read get 400 "Bad Request", not a success or a 500."""
    response = owner.post(path, json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "Bad Request"


def test_trigger_binds_use_all_as_boolean(owner: httpx.Client) -> None:
    """``useAll`` is a Boolean route parameter: anything else is the binder's 400."""
    assert owner.get("/api/v2.6/she/function/data-feed-counter/enable").status_code == 200
    trigger = "/api/v2.6/she/function/data-feed-counter/trigger"
    assert owner.get(trigger, params={"useAll": "true"}).status_code == 200
    response = owner.get(trigger, params={"useAll": "maybe"})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "Bad Request"


def test_encoded_slash_in_an_endpoint_is_decoded(owner: httpx.Client) -> None:
    """Clients that escape ``/`` in an endpoint (schemathesis does) reach the same endpoint."""
    stored = owner.post("/api/v2.6/data/regressions/a%2Fb", json={"slash": "encoded"})
    assert stored.status_code == 201, stored.text
    assert stored.json()["endpoint"] == "regressions/a/b"
    read = owner.get("/api/v2.6/data/regressions/a/b")
    assert [r["data"] for r in read.json()] == [{"slash": "encoded"}]
