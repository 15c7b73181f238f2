"""Every line of the documented blocking usage, against the sandbox over HTTP."""

from __future__ import annotations

from uuid import UUID

import pytest

from hat_sdk import GetOpts, HatClient, HatModel, Ordering
from hat_sdk.sandbox import Sandbox

from .conftest import Location, Visit, locations, requests_since


def test_get_with_options_returns_typed_window(client: HatClient) -> None:
    client.post(*locations(10))
    opts = GetOpts(order_by="latitude", ordering=Ordering.DESCENDING, skip=3, take=5)
    locs = client.get(Location, "locations", opts)
    assert [loc.latitude for loc in locs] == [6, 5, 4, 3, 2]
    assert all(isinstance(loc.record_id, UUID) for loc in locs)


def test_ordering_is_spelled_as_the_enum_or_as_the_hat_s_word(client: HatClient) -> None:
    client.post(*locations(4))
    words = client.get(Location, "locations", GetOpts(order_by="latitude", ordering="descending"))
    assert [loc.latitude for loc in words] == [3, 2, 1, 0]
    low_level = client.records.get(
        "sandbox-app", "locations", order_by="latitude", ordering="descending"
    )
    assert [record.data["latitude"] for record in low_level] == [3, 2, 1, 0]


def test_endpoint_spellings_and_model_as_endpoint(client: HatClient) -> None:
    [saved] = client.post(Location(endpoint="sandbox-app/locations", latitude=1, longitude=2))
    assert saved.endpoint == "sandbox-app/locations"
    assert client.get(Location, "locations") == [saved]
    assert client.get(Location, "sandbox-app/locations") == [saved]
    assert client.get(Location, HatModel(endpoint="locations")) == [saved]


def test_post_mixed_endpoints_returns_new_models_in_order(client: HatClient) -> None:
    first = Location(endpoint="locations", latitude=1, longitude=2)
    second = Location(endpoint="visits", latitude=3, longitude=4)
    saved = client.post(first, second)
    assert [s.endpoint for s in saved] == ["sandbox-app/locations", "sandbox-app/visits"]
    assert [s.latitude for s in saved] == [1, 3]
    assert all(s.record_id is not None for s in saved)
    assert first.record_id is None  # inputs untouched
    assert second.record_id is None


def test_put_returns_updated_copy_and_stores_it(client: HatClient) -> None:
    saved = client.post(*locations(2))
    updated = client.put(saved[0].model_copy(update={"latitude": 9}))
    assert updated[0].latitude == 9
    assert updated[0].record_id == saved[0].record_id
    assert saved[0].latitude == 0
    stored = {loc.record_id: loc.latitude for loc in client.get(Location, "locations")}
    assert stored[saved[0].record_id] == 9


def test_delete_by_model_and_by_id(client: HatClient) -> None:
    saved = client.post(*locations(3))
    client.delete(saved[0], saved[1].record_id, str(saved[2].record_id))
    assert client.get(Location, "locations") == []


def test_iter_reads_every_page(client: HatClient, hat_sandbox: Sandbox) -> None:
    client.post(*locations(2500))
    mark = len(hat_sandbox.request_log)
    seen = [loc.latitude for loc in client.iter(Location, "locations", page_size=400)]
    assert seen == list(range(2500))  # in order, though pages are read ahead
    gets = requests_since(hat_sandbox, mark)
    # 6 full pages and a short 7th; reads planned past the end are at most prefetch (4)
    assert 7 <= len(gets) <= 7 + 4
    assert {method for method, _, _ in gets} == {"GET"}
    mark = len(hat_sandbox.request_log)
    one_by_one = client.iter(Location, "locations", page_size=400, prefetch=0)
    assert [loc.latitude for loc in one_by_one] == list(range(2500))
    assert len(requests_since(hat_sandbox, mark)) == 7  # page after page: none past the end


def test_iter_respects_skip_and_take(client: HatClient) -> None:
    client.post(*locations(25))
    window = GetOpts(skip=5, take=12)
    assert [
        loc.latitude for loc in client.iter(Location, "locations", window, page_size=5)
    ] == list(range(5, 17))


def test_a_model_that_fills_in_its_own_endpoint_reads_and_writes(client: HatClient) -> None:
    class Thing(HatModel):
        x: int

        def model_post_init(self, _context: object) -> None:
            if self.endpoint is None:
                self.endpoint = "things"

    [stored] = client.post(Thing(x=1))
    assert stored.endpoint == "sandbox-app/things"
    assert stored.record_id is not None
    [read] = client.get(Thing, "things")
    assert (read.x, read.record_id, read.endpoint) == (1, stored.record_id, "sandbox-app/things")


def test_unknown_data_fields_are_kept(client: HatClient) -> None:
    [saved] = client.post(Visit(endpoint="visits", place="home", mood="good"))
    [read] = client.get(Visit, "visits")
    assert read.model_extra == {"mood": "good"} == saved.model_extra


def test_aliases_are_used_on_the_wire(client: HatClient) -> None:
    from pydantic import Field

    class Named(HatModel):
        full_name: str = Field(alias="fullName")

    client.post(Named(endpoint="people", full_name="Ada"))
    [raw] = client.get(HatModel, "people")
    assert raw.model_extra == {"fullName": "Ada"}
    assert client.get(Named, "people")[0].full_name == "Ada"


def test_lowlevel_client_shares_token_and_transport(client: HatClient) -> None:
    from hat_sdk._generated.client.api.records import list_data_sources

    client.post(Location(endpoint="locations", latitude=1, longitude=1))
    response = list_data_sources.sync_detailed(client=client.lowlevel)
    assert response.status_code == 200
    assert b"locations" in response.content


def test_user_supplied_http_client_is_used_and_left_open(token: object) -> None:
    import httpx

    from hat_sdk import AppToken

    assert isinstance(token, AppToken)
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda request: seen.append(request.method)]})
    with HatClient(token, "sandbox-app", http_client=http) as hat:
        hat.get(Location, "locations")
    assert seen == ["GET"]
    assert not http.is_closed
    http.close()


@pytest.mark.parametrize("count", [1, 1000])
def test_post_to_one_endpoint_is_one_request(
    client: HatClient, hat_sandbox: Sandbox, count: int
) -> None:
    mark = len(hat_sandbox.request_log)
    saved = client.post(*locations(count))
    assert [s.latitude for s in saved] == list(range(count))
    assert requests_since(hat_sandbox, mark) == [
        ("POST", "/api/v2.6/data/sandbox-app/locations", 201)
    ]


def test_mixed_post_of_1000_records_to_10_endpoints_is_one_request(
    client: HatClient, hat_sandbox: Sandbox
) -> None:
    records = [
        Location(endpoint=f"place-{i % 10}", latitude=i, longitude=i % 7) for i in range(1000)
    ]
    mark = len(hat_sandbox.request_log)
    saved = client.post(*records)
    assert requests_since(hat_sandbox, mark) == [("POST", "/api/v2.6/data-batch", 201)]
    assert [(s.endpoint, s.latitude) for s in saved] == [
        (f"sandbox-app/place-{i % 10}", i) for i in range(1000)
    ]
    assert len(client.get(Location, "place-3")) == 100


def test_put_and_delete_of_many_records(client: HatClient, hat_sandbox: Sandbox) -> None:
    saved = client.post(*locations(300))
    mark = len(hat_sandbox.request_log)
    client.put(*[s.model_copy(update={"longitude": 7.5}) for s in saved])
    assert requests_since(hat_sandbox, mark) == [("PUT", "/api/v2.6/data", 201)]
    mark = len(hat_sandbox.request_log)
    client.delete(*saved)
    deletes = requests_since(hat_sandbox, mark)
    # 300 ids do not fit in one 2 KiB request target: 45 "records=<uuid>" per request.
    assert len(deletes) == 7
    assert set(deletes) == {("DELETE", "/api/v2.6/data", 200)}
    assert client.get(Location, "locations") == []


def test_record_methods_take_per_call_headers(client: HatClient) -> None:
    import httpx

    seen: list[str | None] = []

    def record(request: httpx.Request) -> None:
        seen.append(request.headers.get("X-Trace"))

    client.http_client.event_hooks["request"].append(record)
    saved = client.post(*locations(1), extra_headers={"X-Trace": "post"})
    client.get(Location, "locations", extra_headers={"X-Trace": "get"}, timeout=5)
    client.put(saved[0], extra_headers={"X-Trace": "put"})
    client.delete(saved[0], extra_headers={"X-Trace": "delete"})
    assert [value for value in seen if value] == ["post", "get", "put", "delete"]
    assert client.http_client.headers.get("X-Trace") is None  # one call's only
