"""The ready-made record models parse the real HAT payloads and serialise them back unchanged."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hat_sdk._records.models import HatModel
from hat_sdk.models import DataFeedItem, Location, Notable, Nudge, Profile

REPO = Path(__file__).resolve().parents[2]


def _canonical(value: Any) -> str:
    # Differs whenever the JSON differs, including 1 vs 1.0 and true vs 1.
    return json.dumps(value, sort_keys=True)


def _records(payload: Callable[[str], Any]) -> list[tuple[type[HatModel], Any]]:
    batch = payload("data-batch-linked-request.json")[0]
    debit = payload("data-debit-values-response.json")["bundle"]
    return [
        *((Location, item) for item in payload("post-data-locations-array-request.json")),
        (Notable, payload("post-data-notable-request.json")),
        (Notable, batch["data"]),
        (Nudge, payload("post-data-nudge-request.json")),
        (Nudge, batch["links"][0]["data"]),
        (Profile, payload("post-data-profile-object-request.json")),
        (Profile, debit["profile"][0]["data"]),
        *((DataFeedItem, item) for item in payload("she-feed-response.json")),
    ]


def test_every_payload_parses_and_round_trips(payload: Callable[[str], Any]) -> None:
    records = _records(payload)
    assert len(records) == 11
    for model, data in records:
        record = model.model_validate(data)
        assert _canonical(record.record_data()) == _canonical(data), model.__name__
        assert json.loads(record.record_data_json()) == record.record_data()


def test_parsed_fields_are_typed(payload: Callable[[str], Any]) -> None:
    location = Location.model_validate(payload("post-data-locations-array-request.json")[0])
    assert location.data.locations.latitude == "51.671358277138"
    assert location.last_updated == "2017-04-23T16:11:17.000Z"
    item = DataFeedItem.model_validate(payload("she-feed-response.json")[0])
    assert item.date.unix == 1542279600
    assert item.types == ["event"]


def test_absent_keys_stay_absent_and_nulls_stay_null() -> None:
    nudge = Nudge(nudge="Stretch")
    assert nudge.record_data() == {"nudge": "Stretch"}
    kept = Nudge.model_validate({"nudge": "Walk", "note": None, "extra": [1, 2.5]})
    assert kept.record_data() == {"nudge": "Walk", "note": None, "extra": [1, 2.5]}


def test_a_record_missing_a_required_key_is_rejected() -> None:
    with pytest.raises(ValueError, match="nudge"):
        Nudge.model_validate({"type": "time"})


def test_committed_models_match_the_schemas() -> None:
    script = REPO / "generator" / "generate_record_models.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
