"""error_from_response / error_from_transport: both HAT envelopes, HTML and garbage bodies."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hat_sdk import (
    APIStatusError,
    AuthenticationError,
    AuthError,
    BadRequestError,
    ConflictError,
    DuplicateDataError,
    HatConnectionError,
    HatError,
    HatNotFoundError,
    HatTimeoutError,
    InternalServerError,
    LimitedTokenScopeError,
    MalformedBodyError,
    MissingPathError,
    NotFoundError,
    RateLimitedError,
    RateLimitError,
    RecordNotFoundError,
    RequestTooLargeError,
    ResponseFormatError,
    UnsupportedMediaTypeError,
    UpdateFailedError,
    UriTooLongError,
    WrongCredentialsError,
    WrongTokenError,
    error_from_response,
    error_from_transport,
)

URL = "http://127.0.0.1:9/api/v2.6/data/ns/ep"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"


def respond(
    status: int,
    body: Any = None,
    *,
    text: str | None = None,
    content_type: str = "text/html",
    method: str = "POST",
    url: str = URL,
) -> httpx.Response:
    request = httpx.Request(method, url)
    if text is not None:
        return httpx.Response(
            status, text=text, headers={"content-type": content_type}, request=request
        )
    return httpx.Response(status, json=body, request=request)


ENVELOPE_A_401 = {"error": "Not Authenticated", "message": "Not Authenticated"}
CASES: list[tuple[str, httpx.Response, str, type[HatError]]] = [
    ("login 401", respond(401, ENVELOPE_A_401), "login", WrongCredentialsError),
    ("call 401", respond(401, ENVELOPE_A_401), "get", WrongTokenError),
    (
        "403 A",
        respond(403, {"error": "Forbidden", "message": "Access Denied"}),
        "post",
        LimitedTokenScopeError,
    ),
    (
        "403 B",
        respond(403, {"message": "Forbidden", "cause": "Access Denied - No rights"}),
        "post",
        LimitedTokenScopeError,
    ),
    (
        "HAT unavailable",
        respond(404, {"error": "Not Found", "message": "HAT unavailable"}),
        "login",
        HatNotFoundError,
    ),
    (
        "rate limited",
        respond(
            400,
            {
                "message": "Request rate exceeded",
                "cause": "Rate of requests from your IP exceeded",
                "details": ["Request to /users/access_token"],
            },
        ),
        "login",
        RateLimitedError,
    ),
    (
        "duplicate POST",
        respond(400, {"message": "Bad Request", "cause": "Duplicate data - Duplicate data"}),
        "post",
        DuplicateDataError,
    ),
    (
        "duplicate batch",
        respond(400, {"message": "Bad Request", "cause": "Could not insert data - Duplicate data"}),
        "post",
        DuplicateDataError,
    ),
    (
        "PUT 500",
        respond(500, {"error": "Internal Server error", "message": "Server error occurred: 7"}),
        "put",
        UpdateFailedError,
    ),
    (
        "data missing",
        respond(
            400, {"message": "Data Missing", "cause": "Could not delete records: Records missing"}
        ),
        "delete",
        RecordNotFoundError,
    ),
    (
        "path missing",
        respond(
            400,
            {
                "error": "Bad Request",
                "message": {"obj[0].endpoint": [{"msg": ["error.path.missing"], "args": []}]},
            },
        ),
        "put",
        MissingPathError,
    ),
    (
        "invalid JSON",
        respond(400, {"error": "Bad Request", "message": "Invalid Json: Unexpected end-of-input"}),
        "post",
        MalformedBodyError,
    ),
    (
        "415 HTML",
        respond(415, text="<html>Expecting text/json</html>"),
        "post",
        UnsupportedMediaTypeError,
    ),
    (
        "500 HTML on GET",
        respond(500, text="<html><body>oops</body></html>", method="GET"),
        "get",
        InternalServerError,
    ),
    (
        "502 garbage",
        respond(502, text="\x00\xffgarbage", content_type="application/json"),
        "delete",
        InternalServerError,
    ),
    (
        "200 HTML where JSON was due",
        respond(200, text="<!doctype html>", method="GET"),
        "get",
        ResponseFormatError,
    ),
    (
        "truncated JSON",
        respond(200, text='[{"endpoint": "ns/', content_type="application/json"),
        "get",
        ResponseFormatError,
    ),
    ("unknown status", respond(418, {"message": "teapot"}), "brew", APIStatusError),
    ("409", respond(409, {"message": "taken"}), "registerBundle", ConflictError),
    ("413 HTML", respond(413, text="<html>too big</html>"), "post", RequestTooLargeError),
    ("414", respond(414, text="URI too long"), "delete", UriTooLongError),
    ("429", respond(429, {"message": "slow down"}), "getFile", RateLimitError),
    ("404 empty", respond(404, text="", method="GET"), "getFileContent", NotFoundError),
]


@pytest.mark.parametrize(
    ("response", "operation", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_mapping(response: httpx.Response, operation: str, expected: type[HatError]) -> None:
    error = error_from_response(response, operation=operation)
    assert type(error) is expected
    assert error.status_code == response.status_code
    assert error.method == response.request.method
    assert f"HTTP {response.status_code}" in str(error)
    assert error.url is not None
    assert error.url in str(error)


def test_envelope_b_fields_are_kept() -> None:
    error = error_from_response(
        respond(
            400, {"message": "Request rate exceeded", "cause": "Too fast", "details": ["a", "b"]}
        ),
        operation="login",
    )
    assert (error.message, error.cause, error.details) == (
        "Request rate exceeded",
        "Too fast",
        ("a", "b"),
    )
    assert "Too fast" in str(error)


def test_the_envelope_is_kept_as_json_with_tokens_masked() -> None:
    field_errors = {"obj[0].endpoint": [{"msg": ["error.path.missing"], "args": []}]}
    refused = error_from_response(
        respond(400, {"error": "Bad Request", "message": field_errors}), operation="put"
    )
    assert refused.body == {"error": "Bad Request", "message": field_errors}
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    echoed = error_from_response(respond(400, {"message": "x", "cause": [jwt]}), operation="get")
    assert echoed.body == {"message": "x", "cause": ["<token>"]}
    html = error_from_response(respond(500, text="<html>oops</html>"), operation="get")
    assert html.body is None


def test_a_redirect_s_signature_is_hidden_in_the_error_headers() -> None:
    location = (
        "https://bucket.s3.eu-west-1.amazonaws.com/f?X-Amz-Credential=AKIA&X-Amz-Signature=s1g"
    )
    response = httpx.Response(
        307, headers={"Location": location}, request=httpx.Request("GET", URL)
    )
    error = error_from_response(response, operation="getStoredFileContent")
    assert error.headers is not None
    assert "s1g" not in str(error.headers)
    assert "AKIA" not in str(error.headers)
    assert error.headers["location"].startswith("https://bucket.s3.eu-west-1.amazonaws.com/f?")


@pytest.mark.parametrize(
    ("error", "shown"),
    [(httpx.ReadTimeout, "read timeout 0.2 s"), (httpx.ConnectTimeout, "connect timeout 10 s")],
)
def test_a_timeout_says_which_timeout_ran_out(
    error: type[httpx.TimeoutException], shown: str
) -> None:
    timeouts = {"read": 0.2, "connect": 10.0, "write": 0.2, "pool": 0.2}
    request = httpx.Request("GET", URL, extensions={"timeout": timeouts})
    mapped = error_from_transport(error("timed out", request=request), operation="get")
    assert isinstance(mapped, HatTimeoutError)
    assert shown in str(mapped)


def test_envelope_a_fields_are_kept() -> None:
    error = error_from_response(
        respond(403, {"error": "Forbidden", "message": "Access Denied"}), operation="get"
    )
    assert (error.message, error.cause) == ("Access Denied", None)
    assert "Access Denied" in str(error)


def test_html_body_is_described_not_dumped() -> None:
    error = error_from_response(
        respond(500, text="<html>" + "x" * 5000 + "</html>"), operation="post"
    )
    assert "text/html" in str(error)
    assert "xxxx" not in str(error)


def test_errors_are_keyed_by_status_with_the_operation_as_attribute() -> None:
    error = error_from_response(respond(401, ENVELOPE_A_401), operation="post")
    assert isinstance(error, AuthenticationError)
    assert isinstance(error, AuthError)
    assert error.operation == "post"
    duplicate = error_from_response(
        respond(400, {"message": "x", "cause": "Duplicate data"}), operation="post"
    )
    assert isinstance(duplicate, BadRequestError)
    assert isinstance(duplicate, DuplicateDataError)


def test_errors_keep_the_answer_headers_without_the_refreshed_token() -> None:
    response = respond(404, {"message": "Not Found"})
    response.headers["X-Auth-Token"] = JWT
    response.headers["X-Request-Id"] = "r-1"
    error = error_from_response(response, operation="getFile")
    assert error.headers is not None
    assert error.headers["x-request-id"] == "r-1"
    assert "x-auth-token" not in {name.lower() for name in error.headers}


def test_secrets_never_reach_the_error_text() -> None:
    response = respond(
        400,
        {"message": f"bad token {JWT}", "cause": "x"},
        url=f"http://user:pw@127.0.0.1:9/x?X-Auth-Token={JWT}&take=5&password=hunter2",
    )
    error = error_from_response(response, operation="get")
    text = str(error) + repr(error)
    for secret in (JWT, "hunter2", "user:pw"):
        assert secret not in text
    assert "take=5" in text


def test_human_summary_says_what_to_do() -> None:
    error = error_from_response(
        respond(403, {"error": "Forbidden", "message": "Access Denied"}), operation="get"
    )
    assert error.summary.startswith("The token is not allowed")
    assert str(error).startswith(error.summary)


@pytest.mark.parametrize(
    ("exc", "operation", "expected"),
    [
        (
            httpx.ConnectError("refused", request=httpx.Request("GET", URL)),
            "login",
            HatConnectionError,
        ),
        (
            httpx.ConnectError("refused", request=httpx.Request("GET", URL)),
            "get",
            HatConnectionError,
        ),
        (httpx.ReadTimeout("slow", request=httpx.Request("GET", URL)), "get", HatTimeoutError),
        (
            httpx.RemoteProtocolError("dropped", request=httpx.Request("GET", URL)),
            "post",
            HatConnectionError,
        ),
    ],
)
def test_transport_mapping(exc: Exception, operation: str, expected: type[HatError]) -> None:
    error = error_from_transport(exc, operation=operation)
    assert type(error) is expected
    assert error.url == URL
    assert error.status_code is None
