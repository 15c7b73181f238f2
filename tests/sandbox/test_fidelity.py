"""Route behaviours the audit against the server source corrected (openapi/FIDELITY.md).

Sources: dataswift/HAT2.0 @ beb2c0b6 (v2.8.18), paths under hat/app/org/hatdex/hat/;
dataswift/play-silhouette @ fb94cc61 for the token handling.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hat_sdk.sandbox import Sandbox, SandboxApp

from .conftest import APP_ID, app_token_for, login

APPS = "/api/v2.6/applications"
DATA_EP = "/api/v2.6/data/ns/ep"


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def test_app_token_answer_header_is_the_callers_refreshed_token(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # api/controllers/Applications.scala:204-217 answers Ok(json); Silhouette then adds the
    # caller's touched token (RequestHandler.handleInitializedAuthenticator).
    response = client.get(f"{APPS}/{APP_ID}/access-token", headers=owner)
    assert response.status_code == 200
    app_claims = _claims(response.json()["accessToken"])
    header_claims = _claims(response.headers["X-Auth-Token"])
    assert app_claims["application"] == APP_ID
    assert "application" not in header_claims
    assert header_claims["jti"] == _claims(owner["X-Auth-Token"])["jti"]


def test_hmi_403_refreshes_the_token_sent(client: httpx.Client, owner: dict[str, str]) -> None:
    # UnsecuredAction answers a valid token through handleBlock (silhouette actions/
    # UnsecuredAction.scala:63-65), which touches and re-sends it.
    response = client.get(f"{APPS}/notables/hmi", headers=owner)
    assert response.status_code == 403
    assert _claims(response.headers["X-Auth-Token"])["jti"] == _claims(owner["X-Auth-Token"])["jti"]


@pytest.fixture
def lister() -> Iterator[httpx.Client]:
    apps = [
        SandboxApp(
            "lister", extra_roles=(("applicationlist", None), ("applicationmanage", "notables"))
        )
    ]
    with Sandbox(apps=apps) as url, httpx.Client(base_url=url) as http:
        yield http


def test_application_tokens_list_only_the_applications_they_manage(lister: httpx.Client) -> None:
    # api/controllers/Applications.scala:71-108: every application token passing
    # ContainsApplicationRole(ApplicationList()) - an owner-role one too - gets the list filtered
    # to its ApplicationManage grants.
    owner_token = login(lister)
    listed = lister.get(
        APPS, headers={"X-Auth-Token": app_token_for(lister, owner_token, "lister")}
    )
    assert [a["application"]["id"] for a in listed.json()] == ["notables"]
    hatapp = {"X-Auth-Token": app_token_for(lister, owner_token, "hatapp")}  # owner role granted
    assert lister.get(APPS, headers=hatapp).json() == []
    everything = lister.get(APPS, headers={"X-Auth-Token": owner_token}).json()
    assert {"notables", "lister", "hatapp"} <= {a["application"]["id"] for a in everything}


def test_disabled_application_has_no_update_or_recent_data_fields(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # ApplicationsService.scala collectStatus (l.457-527): needsUpdating and mostRecentData are
    # only computed for an enabled application.
    client.post("/api/v2.6/data/rumpel/notablesv1", json={"n": 1}, headers=owner)
    enabled = client.get(f"{APPS}/notables/setup", headers=owner).json()
    assert enabled["needsUpdating"] is False
    assert "mostRecentData" in enabled
    disabled = client.get(f"{APPS}/notables/disable", headers=owner).json()
    assert "needsUpdating" not in disabled
    assert "mostRecentData" not in disabled


def test_malformed_body_is_refused_before_the_token_is_checked(client: httpx.Client) -> None:
    # HatBodyParsers.json (utils/HatBodyParsers.scala:39-55) runs before SecuredAction.
    response = client.post(
        "/api/v2.6/data-debit/dd1",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Bad Request"
    assert "X-Auth-Token" not in response.headers


def test_function_guards_follow_the_function_manager() -> None:
    # she/controllers/FunctionManager.scala: functionList and functionGet accept
    # ContainsApplicationRole(Owner()) only; functionTrigger also ApplicationManage(function).
    apps = [
        SandboxApp("runner", extra_roles=(("applicationmanage", "data-feed-counter"),)),
        SandboxApp("platformer", extra_roles=(("platform", None),)),
    ]
    with Sandbox(apps=apps) as url, httpx.Client(base_url=url) as http:
        owner_token = login(http)
        runner = {"X-Auth-Token": app_token_for(http, owner_token, "runner")}
        platformer = {"X-Auth-Token": app_token_for(http, owner_token, "platformer")}
        function = "/api/v2.6/she/function/data-feed-counter"
        http.get(f"{function}/enable", headers={"X-Auth-Token": owner_token})
        assert http.get(f"{function}/trigger", headers=runner).status_code == 200
        assert http.get(function, headers=runner).status_code == 403
        assert http.get("/api/v2.6/she/function", headers=platformer).status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v2.6/data/rumpel/notes?take=abc", None),
        ("POST", "/api/v2.6/data/rumpel/notes?skipErrors=maybe", b"{}"),
        ("POST", "/api/v2.6/data/rumpel/notes", b"[1,"),
        ("PUT", "/api/v2.6/data", b"{}"),
        ("DELETE", "/api/v2.6/data?records=not-a-uuid", None),
        ("POST", "/api/v2.6/data-batch", b"[{}]"),
        ("POST", "/api/v2.6/data-link?records=not-a-uuid", None),
        ("GET", "/api/v2.6/she/feed?since=yesterday", None),
        ("POST", "/api/v2.6/report-frontend-action", b"{}"),
        ("GET", "/api/v2.6/she/function/data-feed-counter/trigger?useAll=maybe", None),
        ("GET", "/api/v2.6/combinator/x?skip=a", None),
        ("POST", "/api/v2.6/data-bundle/b", b"[]"),
        ("POST", "/api/v2.6/files/search", b"{}"),
    ],
)
def test_input_is_checked_before_the_token(
    client: httpx.Client, method: str, path: str, body: bytes | None
) -> None:
    # Route binders (RichData routes, hat/conf/v26.routes:30-37) and HatBodyParsers.json
    # (utils/HatBodyParsers.scala:39-55) run before SecuredAction looks at the token.
    headers = {"Content-Type": "application/json"}
    response = client.request(method, path, content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "Bad Request"


def test_filtering_on_an_array_with_non_strings_is_a_server_error(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # mashList reads every array element as[String] (api/controllers/RichData.scala:652-657).
    client.post("/api/v2.6/data/ns/ep", json=[{"tags": ["a", 1]}], headers=owner)
    response = client.get("/api/v2.6/data/ns/ep", params={"tags": "a"}, headers=owner)
    assert response.status_code == 500
    assert response.json()["error"] == "Internal Server error"


def test_query_parameters_bind_their_first_value(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # Play's binders read params.get(key).headOption (Play 2.8.x core/play/src/main/scala/play/
    # api/mvc/Binders.scala:321-327); orderBy and ordering likewise (bindableString).
    client.post("/api/v2.6/data/ns/ep", json=[{"a": 1}, {"a": 2}, {"b": 3}], headers=owner)

    def data(query: str) -> list[object]:
        response = client.get(f"/api/v2.6/data/ns/ep?{query}", headers=owner)
        assert response.status_code == 200, response.text
        return [r["data"] for r in response.json()]

    assert data("take=1&take=3") == [{"a": 1}]
    assert data("skip=2&skip=0") == [{"b": 3}]
    assert data("orderBy=a&orderBy=b&ordering=descending&ordering=ascending") == [
        {"a": 2},
        {"a": 1},
        {"b": 3},
    ]
    response = client.post(
        "/api/v2.6/data/ns/other?skipErrors=true&skipErrors=maybe", json=[{"c": 1}], headers=owner
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v2.6/data/ns/ep?skip=&take="),
        ("POST", "/api/v2.6/data/ns/ep?skipErrors="),
        ("GET", "/api/v2.6/combinator/c?skip=&take="),
        ("GET", "/api/v2.6/she/feed?since=&until="),
    ],
)
def test_an_empty_optional_parameter_is_absent(
    client: httpx.Client, owner: dict[str, str], method: str, path: str
) -> None:
    # Play 2.8's Parsing binders (Int, Long, Boolean, UUID) drop an empty value
    # (.filter(_.nonEmpty), Binders.scala:324): an Option binds None, the default applies.
    client.post("/api/v2.6/combinator/c", json=[{"endpoint": "ns/ep"}], headers=owner)
    body = {"k": 1} if method == "POST" else None
    response = client.request(method, path, json=body, headers=owner)
    assert response.status_code in (200, 201), response.text


def test_an_empty_required_parameter_is_missing(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # A required Boolean (hat/conf/v26.routes:47) whose only value is empty binds nothing, so
    # the router answers "Missing parameter", not a parse error.
    response = client.get("/api/v2.6/data-debit/dd/disable?atPeriodEnd=", headers=owner)
    assert response.status_code == 400
    assert response.json() == {"error": "Bad Request", "message": "Missing parameter: atPeriodEnd"}


def test_record_id_lists_skip_empty_values_and_report_every_bad_one(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # bindSeq (Binders.scala:574-605) skips values the UUID binder leaves unbound (empty ones)
    # and joins every error with a newline.
    record = client.post("/api/v2.6/data/ns/ep", json={"k": 1}, headers=owner).json()
    response = client.delete(f"/api/v2.6/data?records=&records={record['recordId']}", headers=owner)
    assert response.status_code == 200, response.text
    assert client.delete("/api/v2.6/data?records=", headers=owner).status_code == 200
    response = client.delete("/api/v2.6/data?records=x&records=y", headers=owner)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Cannot parse parameter records as UUID: Invalid UUID string: x\n"
        "Cannot parse parameter records as UUID: Invalid UUID string: y"
    )


def test_the_first_token_in_the_query_string_wins_even_empty(
    client: httpx.Client, owner: dict[str, str]
) -> None:
    # RequestExtractor.fromQueryString takes queryString.get(name).flatMap(_.headOption) and
    # only falls back to the headers when that is None (play-silhouette silhouette/app/com/
    # mohiva/play/silhouette/api/util/RequestExtractor.scala:53-57, 128-131).
    token = owner["X-Auth-Token"]
    validate = "/users/access_token/validate"
    assert client.get(f"{validate}?X-Auth-Token=", headers=owner).status_code == 401
    response = client.get(validate, params=[("X-Auth-Token", token), ("X-Auth-Token", "bad")])
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["skip=-1", "take=-1"])
def test_a_negative_skip_or_take_on_a_combinator_is_not_found(
    client: httpx.Client, owner: dict[str, str], query: str
) -> None:
    # propertyDataQuery passes them to Slick's drop/take (api/service/richData/
    # RichDataService.scala:477-484), which become OFFSET/LIMIT; Postgres refuses negative
    # ones, and getCombinatorData answers every failure with its 404 (api/controllers/
    # RichData.scala:266-271).
    client.post("/api/v2.6/data/ns/ep", json=[{"a": 1}], headers=owner)
    client.post("/api/v2.6/combinator/c", json=[{"endpoint": "ns/ep"}], headers=owner)
    response = client.get(f"/api/v2.6/combinator/c?{query}", headers=owner)
    assert response.status_code == 404
    assert response.json() == {"message": "Combinator Not Found", "cause": "Combinator c not found"}
    assert client.get("/api/v2.6/combinator/c?take=0", headers=owner).json() == []


def test_a_record_id_given_twice_is_refused(client: httpx.Client, owner: dict[str, str]) -> None:
    # deleteRecords keeps the deletion only if the rows deleted number the ids given
    # (api/service/richData/RichDataService.scala:246-255); saveRecordGroup inserts one
    # (group_id, record_id) row per id given, a primary key (RichDataService.scala:298-316).
    ids = [
        r["recordId"] for r in client.post(DATA_EP, json=[{"a": 1}, {"a": 2}], headers=owner).json()
    ]
    twice = f"records={ids[0]}&records={ids[1]}&records={ids[0]}"
    response = client.post(f"/api/v2.6/data-link?{twice}", headers=owner)
    assert response.status_code == 500
    response = client.delete(f"/api/v2.6/data?{twice}", headers=owner)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Data Missing",
        "cause": "Could not delete records: Records missing for deleting",
    }
    assert len(client.get(DATA_EP, headers=owner).json()) == 2


def test_a_login_header_with_a_malformed_escape_is_a_server_error() -> None:
    # accessToken decodes both headers with java.net.URLDecoder inside its block
    # (api/controllers/Authentication.scala:200-205), which throws IllegalArgumentException on
    # a '%' not followed by two hex digits: an unhandled exception (utils/ErrorHandler.scala:
    # 151-188), even when the raw header is the password.
    with Sandbox(password="100%sure") as url, httpx.Client(base_url=url) as http:
        for password in ("100%sure", "100%"):
            response = http.get(
                "/users/access_token", headers={"username": "sandbox", "password": password}
            )
            assert response.status_code == 500
            assert response.json()["error"] == "Internal Server error"
        assert login(http, password="100%25sure")
