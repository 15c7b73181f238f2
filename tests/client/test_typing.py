"""Static types of results: checked by ``mypy --strict`` (``mypy tests``), and run for real."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import assert_type

import pytest

from hat_sdk import ActiveHatModel, AsyncHatClient, HatClient

from .conftest import Location, Visit


class Note(ActiveHatModel):
    text: str


def test_sync_result_types(client: HatClient) -> None:
    saved = client.post(Location(endpoint="locations", latitude=1, longitude=2))
    assert_type(saved, list[Location])
    assert_type(client.get(Location, "locations"), list[Location])
    assert_type(client.put(saved[0].model_copy(update={"latitude": 3})), list[Location])
    assert_type(client.iter(Visit, "visits"), Generator[Visit, None, None])
    assert_type(client.delete(saved[0]), None)
    ActiveHatModel.client = client
    try:
        note = Note(endpoint="notes", text="hi").save()
        assert_type(note, Note)
        assert_type(Note.get("notes"), list[Note])
        assert_type(Note.iter("notes"), Generator[Note, None, None])
    finally:
        ActiveHatModel.client = None


@pytest.mark.anyio
async def test_async_result_types(aclient: AsyncHatClient) -> None:
    saved = await aclient.post(Location(endpoint="locations", latitude=1, longitude=2))
    assert_type(saved, list[Location])
    assert_type(await aclient.get(Location, "locations"), list[Location])
    assert_type(await aclient.put(saved[0]), list[Location])
    assert_type(aclient.iter(Location, "locations"), AsyncGenerator[Location, None])
    assert [loc async for loc in aclient.iter(Location, "locations")] == saved
    ActiveHatModel.aclient = aclient
    try:
        note = await Note(endpoint="notes", text="hi").asave()
        assert_type(note, Note)
        assert_type(await Note.aget("notes"), list[Note])
        assert_type(Note.aiter("notes"), AsyncGenerator[Note, None])
    finally:
        ActiveHatModel.aclient = None
