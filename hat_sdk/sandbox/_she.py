"""Smart HAT Engine pieces: feed mappers and the built-in function catalogue. Pure.

Sources: [HAT] ``hat/app/org/hatdex/hat/she/service/FeedGeneratorService.scala`` (mapper keys),
``hat/app/org/hatdex/hat/she/models/FunctionConfiguration.scala`` and ``hat/conf/she.conf``
(functions); [MODELS] ``src/main/scala/org/hatdex/hat/api/models/applications/DataFeedItem.scala``.

Two feed mappers are provided, enough for a meaningful demo: notes posted through Notables
(``rumpel/notablesv1``, mapper key ``notables/feed``) and iOS locations
(``rumpel/locations/ios``, mapper key ``iphone/locations``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hat_sdk.sandbox._dates import iso_datetime, parse_datetime

Json = Any
FeedItem = dict[str, Json]


def _date(moment: datetime) -> dict[str, Json]:
    return {"iso": iso_datetime(moment), "unix": int(moment.timestamp())}


def _number(value: Json) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _geo(container: Json) -> dict[str, Json] | None:
    if not isinstance(container, dict):
        return None
    longitude, latitude = _number(container.get("longitude")), _number(container.get("latitude"))
    if longitude is None or latitude is None:
        return None
    return {"longitude": longitude, "latitude": latitude}


def _note(data: Json) -> tuple[datetime, FeedItem] | None:
    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        return None
    moment = parse_datetime(data.get("created_time")) or parse_datetime(data.get("updated_time"))
    if moment is None:
        return None
    shared_on = data.get("shared_on")
    platforms = shared_on if isinstance(shared_on, list) else [shared_on] if shared_on else []
    shared = data.get("shared") in (True, "true") and bool(platforms)
    title: dict[str, Json] = {"text": "You posted", "action": "shared" if shared else "private"}
    if shared:
        title["subtitle"] = "Shared on " + ", ".join(str(p) for p in platforms)
    content: dict[str, Json] = {"text": data["message"]}
    photo = data.get("photov1")
    if isinstance(photo, dict) and isinstance(photo.get("link"), str):
        content["media"] = [{"url": photo["link"]}]
    item: FeedItem = {
        "source": "notables",
        "date": _date(moment),
        "types": ["note"],
        "title": title,
        "content": content,
    }
    geo = _geo(data.get("locationv1"))
    if geo is not None:
        item["location"] = {"geo": geo}
    return moment, item


def _ios_location(data: Json) -> tuple[datetime, FeedItem] | None:
    geo = _geo(data)
    if geo is None:
        return None
    created = data.get("dateCreated")
    moment = (
        datetime.fromtimestamp(float(created), UTC)
        if _number(created) is not None
        else parse_datetime(created)
    )
    if moment is None:
        return None
    item: FeedItem = {
        "source": "iphone",
        "date": _date(moment),
        "types": ["location"],
        "title": {"text": "You were here"},
        "location": {"geo": geo},
    }
    return moment, item


@dataclass(frozen=True)
class FeedMapper:
    """Turns records of ``endpoint`` into feed items; ``key`` is what ``/she/feed/{x}`` matches."""

    key: str
    endpoint: str
    build: Callable[[Json], tuple[datetime, FeedItem] | None]


MAPPERS: tuple[FeedMapper, ...] = (
    FeedMapper("notables/feed", "rumpel/notablesv1", _note),
    FeedMapper("iphone/locations", "rumpel/locations/ios", _ios_location),
)


def mappers_for(prefix: str | None) -> list[FeedMapper]:
    """The mappers whose key starts with ``prefix`` (all when ``None``)."""
    return [m for m in MAPPERS if prefix is None or m.key.startswith(prefix)]


def feed_items(
    mapper: FeedMapper, records_data: Sequence[Json], since: datetime, until: datetime
) -> list[tuple[datetime, FeedItem]]:
    """Items built from ``records_data`` dated within ``[since, until]``."""
    built = (mapper.build(data) for data in records_data)
    return [pair for pair in built if pair is not None and since <= pair[0] <= until]


def merged_feed(groups: Sequence[list[tuple[datetime, FeedItem]]]) -> list[FeedItem]:
    """All items, newest first."""
    every = [pair for group in groups for pair in group]
    return [item for _, item in sorted(every, key=lambda pair: pair[0], reverse=True)]


def default_window(now: datetime) -> tuple[datetime, datetime]:
    """The server's default feed window: 180 days back to 30 days ahead."""
    return now - timedelta(days=180), now + timedelta(days=30)


# --- functions -----------------------------------------------------------------------------

COUNTER_ID = "data-feed-counter"
COUNTER_OUTPUT = "she/insights/activity-records"
COUNTER_PERIOD = timedelta(weeks=1)


def counter_bundle() -> dict[str, Json]:
    """The data bundle the counter function reads: the endpoints behind the feed mappers."""
    return {
        "name": COUNTER_ID,
        "bundle": {
            mapper.key.replace("/", "-"): {"endpoints": [{"endpoint": mapper.endpoint}]}
            for mapper in MAPPERS
        },
    }


def function_configuration(status: dict[str, Json]) -> dict[str, Json]:
    """The ``FunctionConfiguration`` JSON of the counter function with its current ``status``."""
    return {
        "id": COUNTER_ID,
        "info": {
            "version": "1.0.0",
            "versionReleaseDate": "2024-01-15T12:00:00.000Z",
            "name": "Weekly Summary",
            "headline": "A summary of your week's digital activities",
            "description": {
                "text": "Counts the records each of your data sources created in the last week."
            },
            "termsUrl": "https://example.com/terms",
            "supportContact": "support@example.com",
            "dataPreview": [],
            "graphics": {
                "banner": {"normal": ""},
                "logo": {"normal": "https://example.com/she-logo.png"},
                "screenshots": [],
            },
            "dataPreviewEndpoint": COUNTER_OUTPUT,
        },
        "developer": {
            "id": "sandbox",
            "name": "HAT Sandbox",
            "url": "https://example.com",
            "country": "United Kingdom",
        },
        "trigger": {
            "triggerType": "periodic",
            # A Joda Period, written as its ISO-8601 string (RichDataJsonFormats periodWrites).
            "period": "P1W",
        },
        "dataBundle": counter_bundle(),
        "status": status,
    }


def counter_insight(counts: dict[str, int], now: datetime) -> dict[str, Json]:
    """The activity-summary record the counter function writes."""
    return {
        "source": "she",
        "timestamp": iso_datetime(now),
        "period": {"start": iso_datetime(now - COUNTER_PERIOD), "end": iso_datetime(now)},
        "counters": counts,
    }
