"""The SHE feed and functions, and system information (sync and async)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hat_sdk import HatModel, NotEnabledError, NotFoundError
from tests.areas.conftest import AnyClient, Store, done, raises

pytestmark = pytest.mark.anyio


async def test_feed_window_and_endpoint(hat: AnyClient, store: Store) -> None:
    now = datetime.now(UTC)
    written = now - timedelta(hours=1)
    store(
        "rumpel/notablesv1",
        [{"message": "hello feed", "created_time": written.isoformat(), "shared": False}],
    )
    items = await done(hat.feed.items())
    notes = [item for item in items if item.source == "notables"]
    assert [n.content.text if n.content else None for n in notes] == ["hello feed"]
    assert abs(notes[0].date.iso - written) < timedelta(seconds=1)

    assert await done(hat.feed.items(since=now)) == []
    assert len(await done(hat.feed.items(since=now - timedelta(days=1), until=now))) == 1
    assert len(await done(hat.feed.endpoint("notables"))) == 1
    assert await done(hat.feed.endpoint("iphone")) == []


async def test_functions(hat: AnyClient) -> None:
    [function] = await done(hat.functions.list())
    assert (await done(hat.functions.get(function.id))).id == function.id
    disabled = await done(hat.functions.disable(function.id))
    assert not disabled.status.enabled
    await raises(NotEnabledError, lambda: hat.functions.trigger(function.id))
    enabled = await done(hat.functions.enable(function.id))
    assert enabled.status.enabled
    await done(hat.functions.trigger(function.id))
    ran = await done(hat.functions.get(function.id))
    assert ran.status.last_execution is not None
    await raises(NotFoundError, lambda: hat.functions.get("no-such-function"))


async def test_system(hat: AnyClient) -> None:
    status = await done(hat.system.status())
    titles = {metric.title: metric.kind for metric in status}
    assert titles["Owner Email"].kind == "Text"
    assert titles["Database Storage Used Share"].units == "%"
    assert (await done(hat.system.version())).startswith("v")
    assert (await done(hat.system.health())).status == "OK"
    assert (await done(hat.system.api_health())).status == "OK"
    profile = await done(hat.system.profile(HatModel))
    assert isinstance(profile, dict)
    await done(hat.system.report_action("sdk_test", message="from the tests"))
