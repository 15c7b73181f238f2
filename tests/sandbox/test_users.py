"""User management (``/users/user``) as the Scala client ``HatAuthentication`` calls it."""

from __future__ import annotations

from typing import Any

import httpx

from hat_sdk.sandbox import Sandbox

USERS = "/users/user"
OWNER_ID = "694dd8ed-56ae-4910-abf1-6ec4887b4c42"
USER_ID = "e8b4ee6a-1c5f-4a47-a44b-9d6e8d1a2f10"
PRIVILEGED = {"message": "Forbidden", "cause": "Privileged account can not be enabled or disabled"}


def _user(**fields: Any) -> dict[str, Any]:
    user: dict[str, Any] = {
        "userId": USER_ID,
        "email": "service@example.com",
        "pass": "$2a$10$hashedhashedhashedhashe",
        "name": "A service",
        "role": "datacredit",
        "roles": [{"role": "namespacewrite", "detail": "svc"}],
    }
    return {**user, **fields}


def _create_roles() -> list[dict[str, str]]:
    return [{"role": "namespacewrite", "detail": "svc"}, {"role": "datacredit", "detail": ""}]


def _create(client: httpx.Client, headers: dict[str, str], **fields: Any) -> httpx.Response:
    return client.post(USERS, json=_user(**fields), headers=headers)


def test_list_holds_the_owner(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.get(USERS, headers=owner)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["X-Auth-Token"]
    assert response.json() == [
        {
            "userId": OWNER_ID,
            "email": "sandbox",
            "name": "sandbox",
            "role": "owner",
            "roles": [{"role": "owner"}],
        }
    ]


def test_list_takes_any_valid_token_only(client: httpx.Client, app: dict[str, str]) -> None:
    assert client.get(USERS, headers=app).status_code == 200
    missing = client.get(USERS)
    assert missing.status_code == 401
    assert missing.json() == {"error": "Not Authenticated", "message": "Not Authenticated"}


def test_owner_holds_a_role_per_data_debit(client: httpx.Client, owner: dict[str, str]) -> None:
    debit = {
        "dataDebitKey": "dd1",
        "purpose": "testing",
        "start": "2024-01-01T00:00:00Z",
        "period": 86400000,
        "cancelAtPeriodEnd": False,
        "requestClientName": "Client",
        "requestClientUrl": "https://client.example.com",
        "requestClientLogoUrl": "https://client.example.com/logo.png",
        "termsUrl": "https://client.example.com/terms",
        "bundle": {"name": "b1", "bundle": {"p": {"endpoints": [{"endpoint": "rumpel/p"}]}}},
    }
    registered = client.post("/api/v2.6/data-debit/dd1", json=debit, headers=owner)
    assert registered.status_code == 201, registered.text
    roles = client.get(USERS, headers=owner).json()[0]["roles"]
    assert roles == [{"role": "owner"}, {"role": "datadebit", "detail": "dd1"}]


def test_create_answers_the_user_and_lists_it(client: httpx.Client, owner: dict[str, str]) -> None:
    response = _create(client, owner)
    assert response.status_code == 201
    created = {**_user(), "roles": _create_roles()}
    assert response.json() == created
    assert response.headers["X-Auth-Token"]
    listed = client.get(USERS, headers=owner).json()
    assert [u["userId"] for u in listed] == [OWNER_ID, USER_ID]
    assert listed[1] == created


def test_create_refuses_privileged_and_existing_users(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    privileged = _create(client, owner, role="platform")
    assert privileged.status_code == 400
    assert privileged.json() == {
        "message": "Invalid User",
        "cause": "Users with privileged roles may not be created",
    }
    assert _create(client, owner, roles=[{"role": "owner"}]).status_code == 400
    taken = _create(client, owner, email="sandbox")
    assert taken.status_code == 400
    assert taken.json() == {
        "message": "Error creating user",
        "cause": "User sandbox already exists",
    }
    assert len(client.get(USERS, headers=owner).json()) == 1


def test_create_refuses_roles_the_database_does_not_hold(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    response = _create(client, owner, roles=[{"role": "managefiles", "detail": "x"}])
    assert response.status_code == 400
    assert response.json()["message"] == "Error creating user"
    assert response.json()["cause"].startswith("User not created: ERROR: insert or update")
    assert len(client.get(USERS, headers=owner).json()) == 1


def test_create_needs_owner_or_platform(client: httpx.Client, app: dict[str, str]) -> None:
    assert _create(client, app).status_code == 403
    assert _create(client, {}).status_code == 401


def test_body_is_parsed_before_the_token_is_checked(client: httpx.Client) -> None:
    response = client.post(USERS, json={"userId": "nope", "email": 1, "roles": {}})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bad Request",
        "message": {
            "obj.userId": [{"msg": ["Expected UUID string"], "args": []}],
            "obj.email": [{"msg": ["error.expected.jsstring"], "args": []}],
            "obj.name": [{"msg": ["error.path.missing"], "args": []}],
            "obj.role": [{"msg": ["error.path.missing"], "args": []}],
            "obj.roles": [{"msg": ["error.expected.jsarray"], "args": []}],
        },
    }
    assert "X-Auth-Token" not in response.headers


def test_update_answers_201_with_the_user(client: httpx.Client, owner: dict[str, str]) -> None:
    assert _create(client, owner).status_code == 201
    changed = _user(name="Renamed", role="validate", roles=[])
    response = client.put(f"{USERS}/{USER_ID}/update", json=changed, headers=owner)
    assert response.status_code == 201
    assert response.json() == {**changed, "roles": [{"role": "validate"}]}
    assert client.get(USERS, headers=owner).json()[1]["name"] == "Renamed"


def test_update_of_a_missing_or_other_user_is_404(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    response = client.put(f"{USERS}/{USER_ID}/update", json=_user(), headers=owner)
    assert response.status_code == 404
    assert response.json() == {"message": "No such User", "cause": f"User {USER_ID} does not exist"}
    assert _create(client, owner).status_code == 201
    other = _user(userId="3d2c1b0a-0000-4000-8000-000000000001")
    assert client.put(f"{USERS}/{USER_ID}/update", json=other, headers=owner).status_code == 404


def test_privileged_accounts_are_not_changed(client: httpx.Client, owner: dict[str, str]) -> None:
    owner_body = _user(userId=OWNER_ID, email="sandbox", role="validate")
    response = client.put(f"{USERS}/{OWNER_ID}/update", json=owner_body, headers=owner)
    assert (response.status_code, response.json()) == (403, PRIVILEGED)
    assert _create(client, owner).status_code == 201
    to_owner = _user(role="owner")
    response = client.put(f"{USERS}/{USER_ID}/update", json=to_owner, headers=owner)
    assert (response.status_code, response.json()) == (403, PRIVILEGED)
    for action in ("enable", "disable", "delete"):
        response = client.put(f"{USERS}/{OWNER_ID}/{action}", headers=owner)
        assert (response.status_code, response.json()) == (403, PRIVILEGED)


def test_update_with_a_role_the_database_does_not_hold_is_500(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    assert _create(client, owner).status_code == 201
    body = _user(roles=[{"role": "verified", "detail": "email"}])
    response = client.put(f"{USERS}/{USER_ID}/update", json=body, headers=owner)
    assert response.status_code == 500
    assert response.json()["error"] == "Internal Server error"
    assert client.get(USERS, headers=owner).json()[1]["roles"] == _create_roles()


def test_enable_and_disable_both_answer_enabled(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    assert _create(client, owner).status_code == 201
    for action in ("enable", "disable"):
        response = client.put(f"{USERS}/{USER_ID}/{action}", content=b"", headers=owner)
        assert response.status_code == 200
        assert response.json() == {"message": "Enabled"}
        assert response.headers["X-Auth-Token"]
    missing = client.put(f"{USERS}/{OWNER_ID[:-1]}0/enable", headers=owner)
    assert missing.status_code == 404
    assert missing.json()["message"] == "No such User"


def test_delete(client: httpx.Client, owner: dict[str, str]) -> None:
    assert _create(client, owner).status_code == 201
    response = client.put(f"{USERS}/{USER_ID}/delete", headers=owner)
    assert (response.status_code, response.json()) == (200, {"message": "Account deleted"})
    assert len(client.get(USERS, headers=owner).json()) == 1
    assert client.put(f"{USERS}/{USER_ID}/delete", headers=owner).status_code == 404


def test_path_binder_and_methods(client: httpx.Client, owner: dict[str, str]) -> None:
    response = client.put(f"{USERS}/nope/enable", headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Bad Request",
        "message": "Cannot parse parameter userId as UUID: Invalid UUID string: nope",
    }
    # Only the dashboard answers a GET of the PUT routes; a DELETE finds no handler.
    assert client.get(f"{USERS}/{USER_ID}/enable").headers["content-type"].startswith("text/html")
    assert client.delete(f"{USERS}/{USER_ID}/delete", headers=owner).status_code == 404


def test_created_users_may_be_granted_files(client: httpx.Client, owner: dict[str, str]) -> None:
    upload = client.post(
        "/api/v2.6/files/upload", json={"name": "a.txt", "source": "svc"}, headers=owner
    )
    file_id = upload.json()["fileId"]
    grant = f"/api/v2.6/files/allowAccess/{file_id}/{USER_ID}"
    assert client.get(grant, params={"content": "false"}, headers=owner).status_code == 500
    assert _create(client, owner).status_code == 201
    granted = client.get(grant, params={"content": "false"}, headers=owner)
    assert granted.status_code == 200
    assert {"userId": USER_ID, "contentReadable": False} in granted.json()["permissions"]
    # The grant's foreign key keeps the user.
    assert client.put(f"{USERS}/{USER_ID}/delete", headers=owner).status_code == 500


def test_each_hat_has_its_own_users(hat_sandbox: Sandbox) -> None:
    other = hat_sandbox.add_hat("localhost")
    with (
        httpx.Client(base_url=hat_sandbox.url) as first,
        httpx.Client(base_url=other.url) as second,
    ):
        tokens = [
            {
                "X-Auth-Token": c.get(
                    "/users/access_token", headers={"username": "sandbox", "password": "sandbox"}
                ).json()["accessToken"]
            }
            for c in (first, second)
        ]
        assert _create(first, tokens[0]).status_code == 201
        assert len(first.get(USERS, headers=tokens[0]).json()) == 2
        assert [u["role"] for u in second.get(USERS, headers=tokens[1]).json()] == ["owner"]
