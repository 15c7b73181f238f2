"""Linked records survive every typed read (records, combinators, bundles, data-debit values):
a record read as a user model carries its links, as the HAT returned them, never dropped."""

from __future__ import annotations

import json

import httpx

from hat_sdk import HatModel
from hat_sdk._records.replies import parse_records
from hat_sdk.resources._typed_records import bundle_records, json_object
from hat_sdk.types import EndpointData

# The shape of a combinator answer whose query declares links (the developer portal's example).
LINKED = [
    {
        "endpoint": "rumpel/locations",
        "recordId": "0a79bef4-9a8e-4d19-937d-9a759fc2981b",
        "data": {"latitude": 51.67, "longitude": 0.1},
        "links": [
            {
                "endpoint": "rumpel/notables",
                "recordId": "7a6d8b4e-4b3c-4f0e-9c1a-2b8e5f6d7c90",
                "data": {"message": "coffee here", "kind": "note"},
                "links": [],
            }
        ],
    },
    {
        "endpoint": "rumpel/locations",
        "recordId": "b6ebcdc3-235e-4e8c-834c-eec08beb55cd",
        "data": {"latitude": 51.6, "longitude": 0.2},
    },
]


class Location(HatModel):
    latitude: float
    longitude: float


class Notable(HatModel):
    message: str


def _answer(body: object) -> httpx.Response:
    request = httpx.Request("GET", "http://hat.test/api/v2.6/combinator/linked")
    return httpx.Response(200, content=json.dumps(body).encode(), request=request)


def _check(records: list[Location]) -> None:
    first, second = records
    assert len(first.links) == 1
    link = first.links[0]
    assert isinstance(link, EndpointData)
    assert link.endpoint == "rumpel/notables"
    assert Notable.model_validate(link.data).message == "coffee here"
    assert second.links == ()
    assert "links" not in first.record_data()  # links are not part of the record's data


def test_links_survive_endpoint_and_combinator_reads() -> None:
    # Records of an endpoint and of a combinator are read by the same parse_records.
    _check(parse_records(_answer(LINKED), Location))


def test_links_survive_bundle_and_data_debit_reads() -> None:
    response = _answer({"places": LINKED})
    _check(bundle_records(response, json_object(response), Location)["places"])
