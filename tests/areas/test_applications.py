"""Applications through client.applications (sync and async) against the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from hat_sdk import (
    ApiOwnerToken,
    AppToken,
    BadRequestError,
    HatClient,
    LimitedTokenScopeError,
    NotFoundError,
)
from hat_sdk.sandbox import Sandbox
from hat_sdk.types import AppStatus, HatApplication, app_status
from tests.areas.conftest import NAMESPACE, AnyClient, Store, done, raises

pytestmark = pytest.mark.anyio


async def test_list_get_setup_disable(hat: AnyClient, store: Store) -> None:
    listed = await done(hat.applications.list())
    by_id = {app.application.id: app for app in listed}
    assert {"notables", "spotify", "sandbox-app"} <= set(by_id)
    assert {app.application.id for app in await done(hat.applications.list_hmi())} == set(by_id)

    plug = await done(hat.applications.get("spotify", cache_control="no-cache"))
    assert plug.application.kind.kind == "DataPlug"
    assert hat.applications.status(plug) is AppStatus.UNTOUCHED

    set_up = await done(hat.applications.setup("spotify"))
    assert set_up.enabled
    assert hat.applications.status(set_up) is AppStatus.FETCHING

    store("spotify/feed", [{"name": "song"}])
    fetched = await done(hat.applications.get("spotify"))
    assert fetched.most_recent_data is not None
    assert hat.applications.status(fetched) is AppStatus.RUNNING

    disabled = await done(hat.applications.disable("spotify"))
    assert not disabled.enabled
    assert hat.applications.status(disabled) is AppStatus.UNTOUCHED
    assert hat.applications.status(by_id["notables"]) is AppStatus.GOTO


async def test_hmi_is_sent_without_token(hat: AnyClient, hat_sandbox: Sandbox) -> None:
    definition = await done(hat.applications.hmi("notables"))
    assert definition.id == "notables"
    assert definition.info.name == "Notables"
    # The sandbox, like the HAT, answers 403 to a token on this route.
    token = hat.token.access_token()
    response = httpx.get(
        f"{hat_sandbox.url}/api/v2.6/applications/notables/hmi", headers={"X-Auth-Token": token}
    )
    assert response.status_code == 403


async def test_unknown_application(hat: AnyClient) -> None:
    await raises(NotFoundError, lambda: hat.applications.get("no-such-app"))
    # The HAT answers an unknown application's setup with 400 "Application not Found".
    refused = await raises(BadRequestError, lambda: hat.applications.setup("no-such-app"))
    assert refused.value.message == "Application not Found"
    assert isinstance(refused.value, NotFoundError)  # a missing item, whatever its status
    assert refused.value.operation == "setupApplication"
    await raises(NotFoundError, lambda: hat.applications.hmi("no-such-app"))


async def test_setup_url(hat: AnyClient) -> None:
    plug = await done(hat.applications.get("spotify"))
    url = urlsplit(hat.applications.setup_url(plug))
    assert url.path == "/hatlogin"
    query = parse_qs(url.query)
    assert query["application_id"] == ["spotify"]
    assert query["redirect_uri"] == [plug.application.setup.url]
    custom = hat.applications.setup_url("spotify", "https://me.example.com/done")
    assert parse_qs(urlsplit(custom).query)["redirect_uri"] == ["https://me.example.com/done"]


def _app(kind: str, **state: object) -> HatApplication:
    base = HatApplication.model_validate_json(_APP_JSON)
    application = base.application.model_copy(
        update={"kind": base.application.kind.model_copy(update={"kind": kind})}
    )
    return base.model_copy(update={"application": application, **state})


_APP_JSON = """{"application": {"id": "x", "kind": {"kind": "App", "url": "https://x"},
 "info": {"version": "1.0.0", "published": true, "name": "X", "headline": "h",
  "description": {"text": "d"}, "termsUrl": "t", "dataUsePurpose": "p", "supportContact": "s",
  "dataPreview": [], "graphics": {"banner": {"normal": ""}, "logo": {"normal": ""},
  "screenshots": []}},
 "developer": {"id": "d", "name": "D", "url": "https://d"},
 "permissions": {"rolesGranted": []}, "setup": {"kind": "External"},
 "status": {"kind": "Internal", "compatibility": "1.0.0", "recentDataCheckEndpoint": "x/y",
 "versionReleaseDate": "2024-01-15T12:00:00.000Z"}},
 "setup": false, "enabled": false, "active": false}"""


@pytest.mark.parametrize(
    ("kind", "state", "expected"),
    [
        ("App", {}, AppStatus.GOTO),
        ("DataPlug", {}, AppStatus.UNTOUCHED),
        ("DataPlug", {"setup": True, "enabled": False}, AppStatus.UNTOUCHED),
        ("App", {"setup": True, "enabled": True, "needs_updating": True}, AppStatus.UPDATE),
        ("DataPlug", {"setup": True, "enabled": True, "active": False}, AppStatus.FAILING),
        ("DataPlug", {"setup": True, "enabled": True, "active": True}, AppStatus.FETCHING),
        (
            "DataPlug",
            {"setup": True, "enabled": True, "active": True, "most_recent_data": datetime.now(UTC)},
            AppStatus.RUNNING,
        ),
    ],
)
def test_status_derivation(kind: str, state: dict[str, object], expected: AppStatus) -> None:
    assert app_status(_app(kind, **state)) is expected


def test_app_token_without_permission_gets_typed_error(owner: ApiOwnerToken) -> None:
    app_token = AppToken(owner, NAMESPACE)
    with (
        HatClient(app_token, NAMESPACE, max_retries=0) as app_client,
        pytest.raises(LimitedTokenScopeError),
    ):
        app_client.applications.list()
