"""Static result types of the area accessors, checked by ``mypy --strict`` (``mypy tests``).

``check_sync``/``check_async`` are also run against the sandbox; ``_static_only`` holds calls
that need prepared state and is only type-checked.
"""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import Any, assert_type
from uuid import UUID

import pytest

from hat_sdk import AsyncHatClient, HatClient, HatModel
from hat_sdk.queries import data_bundle, endpoint_query, file_template
from hat_sdk.types import (
    Application,
    AppStatus,
    DataDebit,
    DataDebitSetupRequest,
    DataDebitValues,
    DataFeedItem,
    DataSources,
    EndpointData,
    EndpointDataBundle,
    FunctionConfiguration,
    HatApplication,
    HatStatus,
    HealthStatus,
    StoredFile,
    SuccessResponse,
    VersionInfo,
)
from tests.areas.conftest import Note


def check_sync(hat: HatClient) -> None:
    assert_type(hat.data_debits.list(), list[DataDebit])
    assert_type(hat.applications.list(), list[HatApplication])
    assert_type(hat.applications.hmi("notables"), Application)
    app = hat.applications.get("notables")
    assert_type(hat.applications.status(app), AppStatus)
    assert_type(hat.applications.setup_url(app), str)
    assert_type(hat.files.search(file_template()), list[StoredFile])
    assert_type(hat.feed.items(), list[DataFeedItem])
    assert_type(hat.functions.list(), list[FunctionConfiguration])
    assert_type(hat.system.status(), list[HatStatus])
    assert_type(hat.system.version(), VersionInfo)
    assert_type(hat.system.health(), HealthStatus)
    assert_type(hat.records.sources(), DataSources)


async def check_async(hat: AsyncHatClient) -> None:
    assert_type(await hat.data_debits.list(), list[DataDebit])
    pending: Coroutine[Any, Any, list[HatApplication]] = hat.applications.list()
    pending.close()
    assert_type(await hat.applications.list(), list[HatApplication])
    app = await hat.applications.get("notables")
    assert_type(hat.applications.status(app), AppStatus)
    assert_type(await hat.files.search(file_template()), list[StoredFile])
    assert_type(await hat.feed.items(), list[DataFeedItem])
    assert_type(await hat.system.version(), VersionInfo)
    assert_type(await hat.records.sources(), DataSources)


def _static_only(
    hat: HatClient, ahat: AsyncHatClient, request: DataDebitSetupRequest
) -> None:  # pragma: no cover - type-checked, never run
    assert_type(hat.data_debits.register("d", request), DataDebit)
    assert_type(hat.data_debits.values("d", Note), DataDebitValues[Note])
    assert_type(hat.data_debits.disable("d", at_period_end=True), DataDebit)
    assert_type(hat.files.upload(Path("x.png"), source="me"), StoredFile)
    assert_type(hat.files.download("f"), bytes)
    assert_type(hat.files.download_to("f", "x.png"), Path)
    assert_type(hat.combinators.register("c", [endpoint_query("a/b")]), SuccessResponse)
    assert_type(hat.combinators.data("c", Note), list[Note])
    assert_type(hat.combinators.records("c"), list[EndpointData])
    assert_type(hat.bundles.register("b", data_bundle("b", {"p": "a/b"}).bundle), SuccessResponse)
    assert_type(hat.bundles.data("b", Note), dict[str, list[Note]])
    assert_type(hat.bundles.structure("b"), EndpointDataBundle)
    assert_type(hat.records.get_record(UUID(int=1)), EndpointData)
    assert_type(hat.records.link(records=[UUID(int=1), UUID(int=2)]), SuccessResponse)
    values: Coroutine[Any, Any, DataDebitValues[Note]] = ahat.data_debits.values("d", Note)
    uploaded: Coroutine[Any, Any, StoredFile] = ahat.files.upload(b"x", name="x", source="me")
    bundle: Coroutine[Any, Any, dict[str, list[HatModel]]] = ahat.bundles.data("b", HatModel)
    for pending in (values, uploaded, bundle):
        pending.close()
    hat.files.upload(1, source="me")  # type: ignore[arg-type]
    hat.data_debits.values("d")  # type: ignore[call-arg]


def test_sync_types_hold_at_runtime(owner: Any) -> None:
    with HatClient(owner, "sandbox-app") as hat:
        check_sync(hat)


@pytest.mark.anyio
async def test_async_types_hold_at_runtime(owner: Any) -> None:
    async with AsyncHatClient(owner, "sandbox-app") as hat:
        await check_async(hat)
