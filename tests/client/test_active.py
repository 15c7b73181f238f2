"""The active-record API, blocking and async."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hat_sdk import ActiveHatModel, AsyncHatClient, HatClient, InvalidInputError


class Visit(ActiveHatModel):
    place: str


@pytest.fixture
def bound(client: HatClient) -> Iterator[HatClient]:
    ActiveHatModel.client = client
    yield client
    ActiveHatModel.client = None


@pytest.mark.usefixtures("bound")
def test_round_trip() -> None:
    v = Visit(endpoint="visits", place="home").save()
    assert v.record_id is not None
    v = Visit.get("visits")[0]
    v.place = "work"
    v.save()
    assert [x.place for x in Visit.get("visits")] == ["work"]
    v.delete()
    assert v.record_id is None
    assert Visit.get("visits") == []


@pytest.mark.usefixtures("bound")
def test_delete_all_and_iter() -> None:
    ids = [Visit(endpoint="visits", place=str(i)).save().record_id for i in range(5)]
    assert [v.place for v in Visit.iter("visits", page_size=2)] == ["0", "1", "2", "3", "4"]
    Visit.delete_all(*ids)
    assert Visit.get("visits") == []


def test_without_client_says_what_to_do() -> None:
    with pytest.raises(InvalidInputError, match=r"ActiveHatModel.client = HatClient"):
        Visit(endpoint="visits", place="x").save()


@pytest.mark.anyio
async def test_async_round_trip(aclient: AsyncHatClient) -> None:
    ActiveHatModel.aclient = aclient
    try:
        v = await Visit(endpoint="visits", place="home").asave()
        [got] = await Visit.aget("visits")
        assert got == v
        got.place = "office"
        await got.asave()
        assert [x.place async for x in Visit.aiter("visits")] == ["office"]
        await got.adelete()
        other = await Visit(endpoint="visits", place="y").asave()
        await Visit.adelete_all(other)
        assert await Visit.aget("visits") == []
    finally:
        ActiveHatModel.aclient = None
