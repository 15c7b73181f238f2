"""HTTP tests: combinators, data bundles and the phata profile.

Server source: dataswift/HAT2.0 ``hat/app/org/hatdex/hat/api/controllers/RichData.scala``,
``api/service/richData/RichDataService.scala`` and ``phata/controllers/Phata.scala``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

PostData = Callable[[str, Any], list[str]]

LOCATIONS = [
    {"data": {"locations": {"latitude": "51.6", "longitude": "0.1", "hour": 8}}},
    {"data": {"locations": {"latitude": "51.7", "longitude": "0.2", "hour": 12}}},
    {"data": {"locations": {"latitude": "51.8", "longitude": "0.3", "hour": 9}}},
]
MAPPING = {"longitude": "data.locations.longitude", "latitude": "data.locations.latitude"}


def test_combinator_register_and_get_with_mapping_and_filters(
    owner: httpx.Client, post_data: PostData
) -> None:
    ids = post_data("rumpel/locations", LOCATIONS)
    query = [
        {
            "endpoint": "rumpel/locations",
            "mapping": MAPPING,
            "filters": [
                {
                    "field": "data.locations.hour",
                    "operator": {"operator": "between", "lower": 7, "upper": 9},
                }
            ],
        }
    ]
    registered = owner.post("/api/v2.6/combinator/locations/morning", json=query)
    assert registered.status_code == 201
    assert registered.json() == {"message": "Combinator locations/morning registered"}

    response = owner.get("/api/v2.6/combinator/locations/morning")
    assert response.status_code == 200
    assert response.json() == [
        {
            "endpoint": "rumpel/locations",
            "recordId": ids[0],
            "data": {"longitude": "0.1", "latitude": "51.6"},
        },
        {
            "endpoint": "rumpel/locations",
            "recordId": ids[2],
            "data": {"longitude": "0.3", "latitude": "51.8"},
        },
    ]


def test_combinator_paging_ordering_and_upsert(owner: httpx.Client, post_data: PostData) -> None:
    post_data("rumpel/locations", LOCATIONS)
    assert owner.post("/api/v2.6/combinator/c", json=[{"endpoint": "nothing/here"}]).is_success
    assert owner.get("/api/v2.6/combinator/c").json() == []
    # Registering again replaces the combinator.
    assert owner.post("/api/v2.6/combinator/c", json=[{"endpoint": "rumpel/locations"}]).is_success
    params: dict[str, str | int] = {
        "orderBy": "data.locations.hour",
        "ordering": "descending",
        "skip": 1,
        "take": 1,
    }
    page = owner.get("/api/v2.6/combinator/c", params=params).json()
    assert [r["data"]["data"]["locations"]["hour"] for r in page] == [9]


def test_combinator_links(owner: httpx.Client) -> None:
    batch = [
        {
            "endpoint": "rumpel/notable",
            "data": {"message": "hello"},
            "links": [{"endpoint": "rumpel/nudge", "data": {"nudge": "share it"}}],
        }
    ]
    saved = owner.post("/api/v2.6/data-batch", json=batch)
    assert saved.status_code == 201, saved.text
    note_id = saved.json()[0]["recordId"]
    nudge_id = saved.json()[0]["links"][0]["recordId"]
    query = [{"endpoint": "rumpel/notable", "links": [{"endpoint": "rumpel/nudge"}]}]
    assert owner.post("/api/v2.6/combinator/notables", json=query).status_code == 201
    assert owner.get("/api/v2.6/combinator/notables").json() == [
        {
            "endpoint": "rumpel/notable",
            "recordId": note_id,
            "data": {"message": "hello"},
            "links": [
                {"endpoint": "rumpel/nudge", "recordId": nudge_id, "data": {"nudge": "share it"}}
            ],
        }
    ]


def test_unknown_or_failing_combinator_is_404(owner: httpx.Client, post_data: PostData) -> None:
    missing = owner.get("/api/v2.6/combinator/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "message": "Combinator Not Found",
        "cause": "Combinator nope not found",
    }
    post_data("test/dates", {"t": "not a date"})
    failing = [
        {
            "endpoint": "test/dates",
            "filters": [
                {
                    "field": "t",
                    "transformation": {"transformation": "datetimeExtract", "part": "hour"},
                    "operator": {"operator": "contains", "value": 1},
                }
            ],
        }
    ]
    assert owner.post("/api/v2.6/combinator/bad", json=failing).status_code == 201
    assert owner.get("/api/v2.6/combinator/bad").status_code == 404


def test_invalid_combinator_body_is_a_400_json_error(owner: httpx.Client) -> None:
    response = owner.post("/api/v2.6/combinator/x", json=[{"endpoint": "Bad_Endpoint"}])
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bad Request",
        "message": {"obj[0].endpoint": [{"msg": ["Endpoint invalid"], "args": []}]},
    }


def test_combinators_require_owner_level_tokens(
    anonymous: httpx.Client, app_client: httpx.Client
) -> None:
    assert anonymous.get("/api/v2.6/combinator/x").status_code == 401
    forbidden = app_client.post("/api/v2.6/combinator/x", json=[{"endpoint": "a/b"}])
    assert forbidden.status_code == 403
    assert forbidden.json() == {"error": "Forbidden", "message": "Access Denied"}


def test_data_bundle_register_get_and_structure(owner: httpx.Client, post_data: PostData) -> None:
    post_data("rumpel/profile", [{"name": "old"}, {"name": "new"}])
    post_data("rumpel/locations", LOCATIONS)
    bundle = {
        "profile": {"endpoints": [{"endpoint": "rumpel/profile"}], "limit": 1},
        "location": {
            "endpoints": [{"endpoint": "rumpel/locations", "mapping": MAPPING}],
            "orderBy": "data.locations.hour",
        },
    }
    registered = owner.post("/api/v2.6/data-bundle/localprofile", json=bundle)
    assert registered.status_code == 201
    assert registered.json() == {"message": "Bundle localprofile registered"}

    data = owner.get("/api/v2.6/data-bundle/localprofile").json()
    assert [r["data"] for r in data["profile"]] == [{"name": "old"}]
    assert [r["data"]["longitude"] for r in data["location"]] == ["0.1", "0.3", "0.2"]

    structure = owner.get("/api/v2.6/data-bundle/localprofile/structure")
    assert structure.status_code == 200
    assert structure.json() == {"name": "localprofile", "bundle": bundle}


def test_unknown_bundle_is_404(owner: httpx.Client) -> None:
    for path in ("/api/v2.6/data-bundle/nope", "/api/v2.6/data-bundle/nope/structure"):
        response = owner.get(path)
        assert response.status_code == 404
        assert response.json() == {"message": "Bundle Not Found", "cause": "Bundle nope not found"}


def test_phata_profile_uses_the_default_bundle_without_auth(
    anonymous: httpx.Client, post_data: PostData
) -> None:
    assert anonymous.get("/api/v2.6/phata/profile").json() == {"notables": [], "profile": []}
    post_data(
        "rumpel/notablesv1",
        [
            {"message": "public", "shared": True, "shared_on": ["phata"], "updated_time": "2"},
            {"message": "private", "shared": False, "shared_on": [], "updated_time": "3"},
            {"message": "later", "shared": True, "shared_on": ["phata"], "updated_time": "4"},
        ],
    )
    post_data("rumpel/profile", {"shared": True, "name": "hidden by mapping"})
    profile = anonymous.get("/api/v2.6/phata/profile").json()
    assert [r["data"]["message"] for r in profile["notables"]] == ["later", "public"]
    assert [r["data"] for r in profile["profile"]] == [{"shared": True}]


def test_phata_profile_uses_a_registered_phata_bundle(
    owner: httpx.Client, anonymous: httpx.Client, post_data: PostData
) -> None:
    post_data("rumpel/profile", {"nick": "ann"})
    custom = {"me": {"endpoints": [{"endpoint": "rumpel/profile"}]}}
    assert owner.post("/api/v2.6/data-bundle/phata", json=custom).status_code == 201
    profile = anonymous.get("/api/v2.6/phata/profile").json()
    assert [r["data"] for r in profile["me"]] == [{"nick": "ann"}]
