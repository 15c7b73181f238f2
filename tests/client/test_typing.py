"""Static types of results: checked by ``mypy --strict`` (``mypy tests``), and run for real."""

from __future__ import annotations

import inspect
import pydoc
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


def test_a_method_called_on_the_class_is_typed_as_on_the_instance(client: HatClient) -> None:
    saved = HatClient.post(client, Location(endpoint="locations", latitude=1, longitude=2))
    assert_type(saved, list[Location])
    assert_type(HatClient.get(client, Location, "locations"), list[Location])
    assert HatClient.get(client, Location, "locations") == saved


def test_help_shows_each_method_with_its_signature_and_result(client: HatClient) -> None:
    # What help(), inspect and REPLs read at run time (IDEs read the static types above).
    assert str(inspect.signature(HatClient.delete)).startswith("(self, /, *records: ")
    page = pydoc.plain(pydoc.render_doc(HatClient.post))
    assert "post(self, /, *records: 'ModelT', skip_duplicates: 'bool' = False," in page
    assert inspect.signature(client.post).return_annotation == "list[ModelT]"
    raw = client.with_raw_response.system.version
    assert inspect.signature(raw).return_annotation == "RawResponse[api.VersionInfo]"
    # Generated operations go by the names the resources give them, not the spec's.
    assert (raw.__name__, raw.__qualname__) == ("version", "SystemResource.version")
    assert HatClient.post.__qualname__ == "RecordMethods.post"


@pytest.mark.anyio
async def test_help_shows_what_async_methods_return(aclient: AsyncHatClient) -> None:
    returned = inspect.signature(aclient.get).return_annotation
    assert returned == "Coroutine[Any, Any, list[ModelT]]"
