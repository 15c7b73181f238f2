"""HTTP tests: the SHE feed and functions.

Server source: dataswift/HAT2.0 ``hat/app/org/hatdex/hat/she/controllers/FeedGenerator.scala``,
``FunctionManager.scala`` and ``she/service/FeedGeneratorService.scala``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

PostData = Callable[[str, Any], list[str]]

_NOTE_TIME = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def _seed(post_data: PostData) -> None:
    post_data(
        "rumpel/notablesv1",
        {
            "message": "Showcasing the new HAT APIs",
            "kind": "note",
            "shared": True,
            "shared_on": ["phata"],
            "created_time": "2026-01-10T12:00:00Z",
            "locationv1": {"latitude": 51.5, "longitude": -0.1},
        },
    )
    post_data(
        "rumpel/locations/ios",
        {"latitude": 52.2, "longitude": 0.12, "dateCreated": int(_NOTE_TIME.timestamp()) + 3600},
    )


def _window(start: datetime, end: datetime) -> dict[str, int]:
    return {"since": int(start.timestamp()), "until": int(end.timestamp())}


def test_feed_builds_items_from_notes_and_locations(
    owner: httpx.Client, post_data: PostData
) -> None:
    _seed(post_data)
    window = _window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    response = owner.get("/api/v2.6/she/feed", params=window)
    assert response.status_code == 200
    location, note = response.json()
    assert note == {
        "source": "notables",
        "date": {"iso": "2026-01-10T12:00:00.000Z", "unix": int(_NOTE_TIME.timestamp())},
        "types": ["note"],
        "title": {"text": "You posted", "action": "shared", "subtitle": "Shared on phata"},
        "content": {"text": "Showcasing the new HAT APIs"},
        "location": {"geo": {"longitude": -0.1, "latitude": 51.5}},
    }
    assert location["source"] == "iphone"
    assert location["types"] == ["location"]
    assert location["location"] == {"geo": {"longitude": 0.12, "latitude": 52.2}}


def test_feed_window_and_endpoint_prefix(owner: httpx.Client, post_data: PostData) -> None:
    _seed(post_data)
    before = _window(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC))
    assert owner.get("/api/v2.6/she/feed", params=before).json() == []
    window = _window(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))
    notes = owner.get("/api/v2.6/she/feed/notables", params=window).json()
    assert [item["source"] for item in notes] == ["notables"]
    assert owner.get("/api/v2.6/she/feed/facebook", params=window).json() == []
    bad = owner.get("/api/v2.6/she/feed", params={"since": "soon"})
    assert bad.status_code == 400
    assert bad.json()["message"] == 'Cannot parse parameter since as Long: For input string: "soon"'


def test_feed_default_window_is_recent(owner: httpx.Client, post_data: PostData) -> None:
    now = datetime.now(UTC)
    post_data("rumpel/notablesv1", {"message": "today", "created_time": now.isoformat()})
    post_data("rumpel/notablesv1", {"message": "ancient", "created_time": "2001-01-01T00:00:00Z"})
    feed = owner.get("/api/v2.6/she/feed").json()
    assert [item["content"]["text"] for item in feed] == ["today"]


def test_feed_requires_owner_level(anonymous: httpx.Client, app_client: httpx.Client) -> None:
    assert anonymous.get("/api/v2.6/she/feed").status_code == 401
    assert app_client.get("/api/v2.6/she/feed").status_code == 403


def test_function_lifecycle(owner: httpx.Client, post_data: PostData) -> None:
    listed = owner.get("/api/v2.6/she/function")
    assert listed.status_code == 200
    assert [f["id"] for f in listed.json()] == ["data-feed-counter"]
    function = owner.get("/api/v2.6/she/function/data-feed-counter").json()
    assert function["status"] == {"available": True, "enabled": False}
    assert function["trigger"]["triggerType"] == "periodic"

    not_enabled = owner.get("/api/v2.6/she/function/data-feed-counter/trigger")
    assert not_enabled.status_code == 400
    assert not_enabled.json()["message"] == "Function Not Enabled"

    enabled = owner.get("/api/v2.6/she/function/data-feed-counter/enable")
    assert enabled.json()["status"]["enabled"] is True
    _seed(post_data)
    triggered = owner.get("/api/v2.6/she/function/data-feed-counter/trigger")
    assert triggered.status_code == 200
    assert triggered.json() == {"message": "Function Executed"}
    insight = owner.get("/api/v2.6/data/she/insights/activity-records").json()
    assert insight[0]["data"]["counters"] == {"rumpel/notablesv1": 1, "rumpel/locations/ios": 1}
    status = owner.get("/api/v2.6/she/function/data-feed-counter").json()["status"]
    assert "lastExecution" in status

    disabled = owner.get("/api/v2.6/she/function/data-feed-counter/disable")
    assert disabled.json()["status"]["enabled"] is False


def test_unknown_function_is_404(owner: httpx.Client) -> None:
    for suffix in ("", "/enable", "/disable", "/trigger"):
        response = owner.get(f"/api/v2.6/she/function/nope{suffix}")
        assert response.status_code == 404
        assert response.json() == {
            "message": "Function Not Found",
            "cause": "Function nope not found",
        }
