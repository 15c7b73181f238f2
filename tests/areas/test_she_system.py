"""The SHE feed and functions, and system information (sync and async)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hat_sdk import NotEnabledError, NotFoundError
from hat_sdk.types import BundleData, LogRequest, SuccessResponse
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

    # since/until are Unix seconds
    now_s = int(now.timestamp())
    assert await done(hat.feed.items(since=now_s)) == []
    day_ago = int((now - timedelta(days=1)).timestamp())
    assert len(await done(hat.feed.items(since=day_ago, until=now_s))) == 1
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
    assert (await done(hat.system.version())).version.startswith("v")
    assert (await done(hat.system.health())).status == "OK"
    assert (await done(hat.system.api_health())).status == "OK"
    profile = await done(hat.system.profile())
    assert isinstance(profile, BundleData)
    assert isinstance(profile.root, dict)
    logged = await done(
        hat.system.report_action(LogRequest(action_code="sdk_test", message="from the tests"))
    )
    assert isinstance(logged, SuccessResponse)
