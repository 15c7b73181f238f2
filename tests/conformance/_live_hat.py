"""The live sandbox of the conformance run: started once, logged in, seeded with spec examples."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from hat_sdk.sandbox import Sandbox

TOKEN_HEADER = "X-Auth-Token"
SEEDED_DATA_DEBIT = "locationlocationlocation"
"""The spec's example ``dataDebitId``, registered and enabled by the seed."""


@dataclass(frozen=True)
class LiveHat:
    """The running sandbox of this module and an owner token for it."""

    url: str
    token: str = field(repr=False)  # a real JWT: keep it out of failure output
    record_id: str


def _login(url: str) -> str:
    response = httpx.get(
        f"{url}/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["accessToken"]
    return token


def _seed(http: httpx.Client) -> str:
    """Create what the spec's examples name, so the examples phase reaches real resources.

    The file ``testapptestfile`` (examples of ``fileId`` and of uploadFile's body), uploaded and
    complete, without the owner's own permission; the data debit ``locationlocationlocation``
    (example of ``dataDebitId``), enabled; and one record, whose id is returned (record ids
    are random, no example can name one).
    """
    upload = http.post("/api/v2.6/files/upload", json={"name": "testfile", "source": "testApp"})
    assert upload.status_code == 200, upload.text
    stored = httpx.put(
        upload.json()["contentUrl"],
        content=b"conformance",
        headers={"x-amz-server-side-encryption": "AES256"},
    )
    assert stored.is_success, stored.text
    complete = http.put("/api/v2.6/files/file/testapptestfile/complete")
    assert complete.status_code == 200, complete.text
    # A grant inserts a (file, user) permission and fails on an existing one (HAT2.0
    # api/repository/FileMetadataRepositorySlick.scala:123-131): lift the uploader's own, so
    # the allowFileAccess example (the owner's id) can succeed.
    owner_id = complete.json()["permissions"][0]["userId"]
    lifted = http.get(f"/api/v2.6/files/restrictAccess/testapptestfile/{owner_id}")
    assert lifted.status_code == 200, lifted.text
    debit = {
        "dataDebitKey": SEEDED_DATA_DEBIT,
        "purpose": "conformance run",
        "start": "2018-11-14T23:51:40.000Z",
        "period": 432000000,
        "cancelAtPeriodEnd": False,
        "requestClientName": "Example",
        "requestClientUrl": "https://example.com",
        "requestClientLogoUrl": "https://example.com/logo.png",
        "termsUrl": "https://example.com/terms",
        "bundle": {
            "name": "conformance-seed",
            "bundle": {"notes": {"endpoints": [{"endpoint": "rumpel/notes"}]}},
        },
    }
    registered = http.post(f"/api/v2.6/data-debit/{SEEDED_DATA_DEBIT}", json=debit)
    assert registered.status_code == 201, registered.text
    enabled = http.get(f"/api/v2.6/data-debit/{SEEDED_DATA_DEBIT}/enable")
    assert enabled.status_code == 200, enabled.text
    record = http.post("/api/v2.6/data/rumpel/notes", json={"note": "conformance seed"})
    assert record.status_code == 201, record.text
    record_id: str = record.json()["recordId"]
    return record_id


@contextmanager
def running_hat() -> Iterator[LiveHat]:
    """A started sandbox, logged in as the owner once and seeded (see :func:`_seed`)."""
    with Sandbox() as url:
        token = _login(url)
        with httpx.Client(base_url=url, headers={TOKEN_HEADER: token}) as http:
            record_id = _seed(http)
        yield LiveHat(url, token, record_id)
