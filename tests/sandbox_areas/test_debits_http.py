"""HTTP tests: data debits in the v2.6 format.

Server source: dataswift/HAT2.0 ``hat/app/org/hatdex/hat/api/controllers/DataDebits.scala`` and
``api/service/richData/DataDebitService.scala``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

PostData = Callable[[str, Any], list[str]]

_LOCAL_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")
_ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def _request(
    bundle_name: str = "dd-bundle",
    *,
    conditions: dict[str, Any] | None = None,
    period: Any = 432000000,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "dataDebitKey": "ignored",
        "purpose": "testing",
        "start": datetime.now(UTC).isoformat(),
        "period": period,
        "cancelAtPeriodEnd": False,
        "requestClientName": "Client",
        "requestClientUrl": "https://client.example.com",
        "requestClientLogoUrl": "https://client.example.com/logo.png",
        "requestDescription": "a test debit",
        "termsUrl": "https://client.example.com/terms",
        "bundle": {
            "name": bundle_name,
            "bundle": {"profile": {"endpoints": [{"endpoint": "rumpel/profile"}]}},
        },
    }
    if conditions is not None:
        body["conditions"] = conditions
    return body


def test_register_shape(owner: httpx.Client) -> None:
    response = owner.post("/api/v2.6/data-debit/dd1", json=_request())
    assert response.status_code == 201
    debit = response.json()
    assert list(debit) == [
        "dataDebitKey",
        "dateCreated",
        "permissions",
        "requestClientName",
        "requestClientUrl",
        "requestClientLogoUrl",
        "requestDescription",
        "active",
        "accepted",
        "start",
        "end",
        "permissionsActive",
        "permissionsLatest",
    ]
    assert debit["dataDebitKey"] == "dd1"
    assert _LOCAL_DATETIME.match(debit["dateCreated"])
    assert _ISO_MILLIS.match(debit["start"])
    assert (debit["active"], debit["accepted"], debit["end"]) == (False, False, None)
    assert debit["permissionsActive"] is None
    latest = debit["permissionsLatest"]
    assert latest == debit["permissions"][0]
    assert latest["period"] == 432000000
    assert (latest["accepted"], latest["active"], latest["end"]) == (False, False, None)
    assert latest["bundle"]["name"] == "dd-bundle"
    assert "conditions" not in latest


def test_lifecycle(owner: httpx.Client, post_data: PostData) -> None:
    ids = post_data("rumpel/profile", {"name": "Ann"})
    assert owner.post("/api/v2.6/data-debit/dd1", json=_request()).status_code == 201

    not_enabled = owner.get("/api/v2.6/data-debit/dd1/values")
    assert not_enabled.status_code == 400
    assert not_enabled.json() == {"message": "Bad Request", "cause": "Data Debit dd1 not enabled"}

    enabled = owner.get("/api/v2.6/data-debit/dd1/enable")
    assert enabled.status_code == 200
    assert (enabled.json()["active"], enabled.json()["accepted"]) == (True, True)
    assert enabled.json()["permissionsActive"]["active"] is True

    values = owner.get("/api/v2.6/data-debit/dd1/values")
    assert values.status_code == 200
    assert values.json() == {
        "bundle": {
            "profile": [{"endpoint": "rumpel/profile", "recordId": ids[0], "data": {"name": "Ann"}}]
        }
    }

    disabled = owner.get("/api/v2.6/data-debit/dd1/disable", params={"atPeriodEnd": "false"})
    assert disabled.status_code == 200
    assert disabled.json()["active"] is False
    assert _ISO_MILLIS.match(disabled.json()["end"])
    assert "canceledAt" in disabled.json()["permissions"][0]
    assert owner.get("/api/v2.6/data-debit/dd1/values").status_code == 400


def test_disable_at_period_end_keeps_the_debit_active(owner: httpx.Client) -> None:
    owner.post("/api/v2.6/data-debit/dd1", json=_request(period="P5D"))
    owner.get("/api/v2.6/data-debit/dd1/enable")
    debit = owner.get("/api/v2.6/data-debit/dd1/disable", params={"atPeriodEnd": "true"}).json()
    assert debit["active"] is True
    assert debit["end"] is not None
    assert debit["permissionsActive"]["period"] == 5 * 24 * 3600 * 1000


def test_update_adds_permissions_and_get_and_list(owner: httpx.Client) -> None:
    owner.post("/api/v2.6/data-debit/dd1", json=_request())
    owner.get("/api/v2.6/data-debit/dd1/enable")
    updated = owner.put("/api/v2.6/data-debit/dd1", json=_request("dd-bundle-2"))
    assert updated.status_code == 200
    debit = updated.json()
    assert len(debit["permissions"]) == 2
    assert debit["permissionsLatest"]["bundle"]["name"] == "dd-bundle-2"
    assert debit["permissionsLatest"]["accepted"] is False
    assert debit["permissionsActive"]["bundle"]["name"] == "dd-bundle"

    enabled = owner.get("/api/v2.6/data-debit/dd1/enable").json()
    assert enabled["permissionsActive"]["bundle"]["name"] == "dd-bundle-2"
    assert [p["accepted"] for p in enabled["permissions"]] == [False, True]

    assert owner.get("/api/v2.6/data-debit/dd1").json() == enabled
    owner.post("/api/v2.6/data-debit/dd2", json=_request("other-bundle"))
    listed = owner.get("/api/v2.6/data-debit")
    assert listed.status_code == 200
    assert [d["dataDebitKey"] for d in listed.json()] == ["dd1", "dd2"]


def test_conditions_unmet_give_an_empty_bundle(owner: httpx.Client, post_data: PostData) -> None:
    post_data("rumpel/profile", {"name": "Ann"})
    conditions = {
        "name": "dd-conditions",
        "bundle": {"hasNotes": {"endpoints": [{"endpoint": "rumpel/notablesv1"}]}},
    }
    owner.post("/api/v2.6/data-debit/dd1", json=_request(conditions=conditions))
    owner.get("/api/v2.6/data-debit/dd1/enable")
    unmet = owner.get("/api/v2.6/data-debit/dd1/values").json()
    assert unmet == {"conditions": {"hasNotes": False}, "bundle": {}}

    post_data("rumpel/notablesv1", {"message": "note"})
    met = owner.get("/api/v2.6/data-debit/dd1/values").json()
    assert met["conditions"] == {"hasNotes": True}
    assert [r["data"] for r in met["bundle"]["profile"]] == [{"name": "Ann"}]


def test_duplicates_are_rejected(owner: httpx.Client) -> None:
    assert owner.post("/api/v2.6/data-debit/dd1", json=_request()).status_code == 201
    again = owner.post("/api/v2.6/data-debit/dd1", json=_request("fresh"))
    assert again.status_code == 400
    assert again.json() == {
        "message": "Bad Request",
        "cause": "Data Debit request malformed: Data Debit with such ID already exists",
    }
    same_bundle = owner.post("/api/v2.6/data-debit/dd2", json=_request())
    assert same_bundle.status_code == 400
    assert same_bundle.json()["cause"] == (
        "Data Debit request malformed: Data bundle with such ID already exists"
    )
    reassigned = owner.put("/api/v2.6/data-debit/dd1", json=_request("dd-bundle"))
    assert reassigned.status_code == 200
    owner.post("/api/v2.6/data-debit/dd3", json=_request("third"))
    stolen = owner.put("/api/v2.6/data-debit/dd1", json=_request("third"))
    assert stolen.status_code == 400
    assert stolen.json()["cause"] == (
        "Data Debit request malformed: Bundle third already linked and could not be "
        "reassigned to a different data debit"
    )


_NOT_FOUND = {"message": "Not Found", "cause": "Data Debit nope not found"}
_NO_SUCH_ID = {"message": "Not Found", "cause": "Data Debit with this ID does not exist"}
_MISSING_PARAM = {"error": "Bad Request", "message": "Missing parameter: atPeriodEnd"}


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/api/v2.6/data-debit/nope", 404, _NOT_FOUND),
        ("/api/v2.6/data-debit/nope/values", 404, _NOT_FOUND),
        ("/api/v2.6/data-debit/nope/enable", 400, _NO_SUCH_ID),
        ("/api/v2.6/data-debit/nope/disable?atPeriodEnd=false", 400, _NO_SUCH_ID),
        ("/api/v2.6/data-debit/nope/disable", 400, _MISSING_PARAM),
    ],
)
def test_unknown_debits(owner: httpx.Client, path: str, status: int, body: dict[str, str]) -> None:
    response = owner.get(path)
    assert response.status_code == status
    assert response.json() == body


def test_update_of_unknown_debit_and_malformed_request(owner: httpx.Client) -> None:
    missing = owner.put("/api/v2.6/data-debit/nope", json=_request())
    assert missing.status_code == 400
    assert missing.json()["cause"] == (
        "Data Debit request malformed: Data Debit being updated does not exist"
    )
    body = _request()
    del body["purpose"]
    malformed = owner.post("/api/v2.6/data-debit/dd1", json=body)
    assert malformed.status_code == 400
    assert malformed.json() == {
        "error": "Bad Request",
        "message": {"obj.purpose": [{"msg": ["error.path.missing"], "args": []}]},
    }


def test_debits_need_owner_or_debit_role(anonymous: httpx.Client, app_client: httpx.Client) -> None:
    assert anonymous.get("/api/v2.6/data-debit").status_code == 401
    assert app_client.get("/api/v2.6/data-debit").status_code == 403
    assert app_client.post("/api/v2.6/data-debit/dd1", json=_request()).status_code == 403


def test_update_reuses_a_bundle_already_linked_to_the_debit(owner: httpx.Client) -> None:
    owner.post("/api/v2.6/data-debit/dd1", json=_request())
    changed = _request()
    changed["bundle"]["bundle"] = {"other": {"endpoints": [{"endpoint": "rumpel/other"}]}}
    debit = owner.put("/api/v2.6/data-debit/dd1", json=changed).json()
    assert list(debit["permissionsLatest"]["bundle"]["bundle"]) == ["profile"]


def test_reregistering_a_debit_bundle_changes_the_debit(
    owner: httpx.Client, post_data: PostData
) -> None:
    post_data("rumpel/notablesv1", {"message": "note"})
    owner.post("/api/v2.6/data-debit/dd1", json=_request())
    owner.get("/api/v2.6/data-debit/dd1/enable")
    notes = {"notes": {"endpoints": [{"endpoint": "rumpel/notablesv1"}]}}
    assert owner.post("/api/v2.6/data-bundle/dd-bundle", json=notes).status_code == 201
    values = owner.get("/api/v2.6/data-debit/dd1/values").json()
    assert [r["data"] for r in values["bundle"]["notes"]] == [{"message": "note"}]
    # The bundle stays linked to dd1, so dd1 may still update with it.
    assert owner.put("/api/v2.6/data-debit/dd1", json=_request()).status_code == 200


def test_enable_accepts_every_entry_naming_the_newest_bundle(owner: httpx.Client) -> None:
    # DataDebitService.dataDebitEnableNewestPermissions (api/service/richData/
    # DataDebitService.scala:339-360) accepts every row whose bundleId is the newest row's.
    owner.post("/api/v2.6/data-debit/dd1", json=_request("dd-bundle"))
    owner.put("/api/v2.6/data-debit/dd1", json=_request("dd-bundle-2"))
    owner.put("/api/v2.6/data-debit/dd1", json=_request("dd-bundle"))
    enabled = owner.get("/api/v2.6/data-debit/dd1/enable").json()
    assert [p["accepted"] for p in enabled["permissions"]] == [True, False, True]


def test_update_keeps_the_registered_client_details(owner: httpx.Client) -> None:
    # updateDataDebitPermissions (DataDebitService.scala:165-268) inserts a permissions row only.
    owner.post("/api/v2.6/data-debit/dd1", json=_request())
    changed = {**_request("dd-bundle-2"), "requestClientName": "Other", "requestDescription": "new"}
    debit = owner.put("/api/v2.6/data-debit/dd1", json=changed).json()
    assert (debit["requestClientName"], debit["requestDescription"]) == ("Client", "a test debit")


def test_update_with_a_bundle_no_debit_uses_is_a_server_error(owner: httpx.Client) -> None:
    # The insert hits data_bundles_pkey, which nothing maps (DataDebitService.scala:188-201,
    # 247-255; api/controllers/DataDebits.scala:100-102 recovers RichDataServiceException only).
    owner.post("/api/v2.6/data-debit/dd1", json=_request())
    registered = {"profile": {"endpoints": [{"endpoint": "rumpel/profile"}]}}
    assert owner.post("/api/v2.6/data-bundle/loose", json=registered).status_code == 201
    response = owner.put("/api/v2.6/data-debit/dd1", json=_request("loose"))
    assert response.status_code == 500
    assert response.json()["error"] == "Internal Server error"


def test_conditions_named_like_the_bundle_are_a_duplicate_bundle(owner: httpx.Client) -> None:
    # Both bundles are inserted under their names (DataDebitService.scala:69-77): the second
    # insert hits data_bundles_pkey, mapped to RichDataDuplicateBundleException (l.105-113).
    same = {"name": "dd-bundle", "bundle": {"p": {"endpoints": [{"endpoint": "rumpel/profile"}]}}}
    response = owner.post("/api/v2.6/data-debit/dd1", json=_request(conditions=same))
    assert response.status_code == 400
    assert response.json()["cause"].endswith("Data bundle with such ID already exists")
    assert owner.get("/api/v2.6/data-debit/dd1").status_code == 404
