"""Bad input is refused before any request, with a message that says what to fix."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pydantic
import pytest

from hat_sdk import AppToken, GetOpts, HatClient, HatModel, InvalidInputError
from hat_sdk.sandbox import Sandbox

from .conftest import Location


def _no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


@pytest.fixture
def offline(offline_token: AppToken) -> Iterator[HatClient]:
    http = httpx.Client(transport=httpx.MockTransport(_no_request))
    with HatClient(offline_token, "sandbox-app", http_client=http) as hat:
        yield hat


BAD_ENDPOINTS = [
    "../x",
    "a/../b",
    "x?y=1",
    "x#y",
    "a%2Fb",
    "café",
    "a//b",
    "/a",
    "a/",
    "",
    "A",
    "a_b",
    "a.b",
    "a b",
]


@pytest.mark.parametrize("endpoint", BAD_ENDPOINTS)
def test_bad_endpoints_are_refused(offline: HatClient, endpoint: str) -> None:
    with pytest.raises(InvalidInputError, match="lowercase letters a-z, digits and '-'"):
        offline.get(Location, endpoint)
    with pytest.raises(InvalidInputError, match=r"record #0.*lowercase"):
        offline.post(Location(endpoint=endpoint, latitude=1, longitude=1))


@pytest.mark.parametrize("namespace", ["", "Sandbox", "a/b", "a_b", "ns?", "nś"])
def test_bad_namespaces_are_refused(offline_token: AppToken, namespace: str) -> None:
    with pytest.raises(InvalidInputError, match="namespace"):
        HatClient(offline_token, namespace)


def test_missing_endpoint_and_record_id(offline: HatClient) -> None:
    with pytest.raises(InvalidInputError, match="set endpoint="):
        offline.post(Location(latitude=1, longitude=1))
    with pytest.raises(InvalidInputError, match="no record_id"):
        offline.put(Location(endpoint="locations", latitude=1, longitude=1))
    with pytest.raises(InvalidInputError, match="does not identify a stored record"):
        offline.delete("not-a-uuid")
    with pytest.raises(InvalidInputError, match="does not identify"):
        offline.delete(HatModel(endpoint="locations"))
    with pytest.raises(InvalidInputError, match="does not identify"):
        offline.delete(HatModel(endpoint="locations").record_id)  # None: never stored


@pytest.mark.parametrize(
    ("opts", "message"),
    [(GetOpts(take=-1), "take must be >= 0"), (GetOpts(skip=-2), "skip must be >= 0")],
)
def test_bad_options(offline: HatClient, opts: GetOpts, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        offline.get(Location, "locations", opts)
    with pytest.raises(InvalidInputError, match=message):
        list(offline.iter(Location, "locations", opts))


def test_bad_settings(offline_token: AppToken, offline: HatClient) -> None:
    with pytest.raises(InvalidInputError, match="page_size"):
        list(offline.iter(Location, "locations", page_size=0))
    with pytest.raises(InvalidInputError, match="max_retries"):
        HatClient(offline_token, "sandbox-app", max_retries=-1)
    with pytest.raises(InvalidInputError, match="cache_ttl"):
        HatClient(offline_token, "sandbox-app", cache_ttl=0)
    with pytest.raises(InvalidInputError, match="nothing would be cached"):
        HatClient(offline_token, "sandbox-app", cache_dir="somewhere")
    for not_a_count in ("3", 2.5, True, -1):
        with pytest.raises(InvalidInputError, match="max_retries"):
            HatClient(offline_token, "sandbox-app", max_retries=not_a_count)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="max_retries"):
            offline.with_options(max_retries=not_a_count)  # type: ignore[arg-type]
    for not_seconds in ("1", float("nan"), -0.5):
        with pytest.raises(InvalidInputError, match="retry_backoff"):
            HatClient(offline_token, "sandbox-app", retry_backoff=not_seconds)  # type: ignore[arg-type]
        with pytest.raises(InvalidInputError, match="cache_ttl"):
            HatClient(offline_token, "sandbox-app", cache_ttl=not_seconds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "timeout",
    ["5", 0, -1.0, float("nan"), True, float("inf"), 1e10, httpx.Timeout(5, read=float("inf"))],
)
def test_a_timeout_that_is_not_one_is_refused(
    offline_token: AppToken, offline: HatClient, timeout: object
) -> None:
    with pytest.raises(InvalidInputError, match="timeout must be"):
        HatClient(offline_token, "sandbox-app", timeout=timeout)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="timeout must be"):
        offline.get(Location, "locations", timeout=timeout)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="timeout must be"):
        offline.system.version(timeout=timeout)  # type: ignore[arg-type]


def test_the_client_timeout_applies_with_a_supplied_http_client(offline_token: AppToken) -> None:
    read_timeouts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        read_timeouts.append(request.extensions["timeout"]["read"])
        return httpx.Response(200, json={"version": "v2.8.18"})

    http = httpx.Client(transport=httpx.MockTransport(answer), timeout=30)
    with HatClient(offline_token, "sandbox-app", http_client=http, timeout=2) as hat:
        hat.system.version()
        hat.system.version(timeout=3)  # a call's own timeout wins
    with HatClient(offline_token, "sandbox-app", http_client=http) as hat:
        hat.system.version()  # none given: the http client's own
    assert read_timeouts == [2, 3, 30]


def test_a_wrong_argument_names_the_method_called(offline: HatClient) -> None:
    with pytest.raises(TypeError, match=r"^SystemResource\.version\(\) got an unexpected"):
        offline.system.version(max_retries=0)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"^FilesResource\.get\(\) missing .*'file_id'"):
        offline.files.get()  # type: ignore[call-arg]


def test_not_a_model(offline: HatClient) -> None:
    with pytest.raises(InvalidInputError, match="not a HatModel"):
        offline.post({"latitude": 1})  # type: ignore[type-var]


def test_invalid_input_is_a_value_error_and_a_hat_error() -> None:
    from hat_sdk import HatError

    assert issubclass(InvalidInputError, ValueError)
    assert issubclass(InvalidInputError, HatError)


def test_record_too_large_for_one_request(offline: HatClient) -> None:
    class Blob(HatModel):
        text: str

    with pytest.raises(InvalidInputError, match="more than the HAT accepts"):
        offline.post(Blob(endpoint="blobs", text="x" * (11 * 1024 * 1024)))


@pytest.mark.parametrize(
    "options",
    [
        GetOpts(take="5"),  # type: ignore[arg-type]
        GetOpts(skip=1.5),  # type: ignore[arg-type]
        GetOpts(skip=True),
        GetOpts(ordering="sideways"),  # type: ignore[arg-type]
        GetOpts(order_by=3),  # type: ignore[arg-type]
    ],
)
def test_mistyped_options_are_refused(offline: HatClient, options: GetOpts) -> None:
    with pytest.raises(InvalidInputError):
        offline.get(Location, "locations", options)


def test_a_model_that_is_not_a_hat_model_class_is_refused(offline: HatClient) -> None:
    with pytest.raises(InvalidInputError, match="not a HatModel subclass"):
        offline.get(dict, "locations")  # type: ignore[type-var]
    with pytest.raises(InvalidInputError, match="not a HatModel subclass"):
        offline.iter(Location(endpoint="x", latitude=1, longitude=1), "locations")  # type: ignore[arg-type]


def test_an_endpoint_path_must_start_with_the_clients_namespace(client: HatClient) -> None:
    # "rumpel/notes" looks like namespace rumpel; it would be written to sandbox-app/rumpel/notes.
    with pytest.raises(InvalidInputError, match="sandbox-app/rumpel/notes"):
        client.post(Location(endpoint="rumpel/notes", latitude=1, longitude=2))
    with pytest.raises(InvalidInputError, match="ambiguous"):
        client.get(Location, "rumpel/notes")
    stored = client.post(Location(endpoint="sandbox-app/rumpel/notes", latitude=1, longitude=2))
    assert stored[0].endpoint == "sandbox-app/rumpel/notes"


class _Note(HatModel):
    text: str
    tags: tuple[str, ...] = ()


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (_Note(endpoint="notes", text="ok", tags=("a", "b\x00")), r"NUL character .* tags\[1\]"),
        (_Note(endpoint="notes", text="C:\\u0000dir"), r"the text \\u0000 .* at text,"),
        (_Note(endpoint="notes", text="ok", extra={"k\x00": 1}), r"NUL .* key 'extra\.k"),
        (_Note(endpoint="notes", text="ok", tags=("\udc80",)), r"unpaired surrogate .* tags\[0\]"),
        (_Note(endpoint="notes", text="ok", extra=object()), r"cannot be written as JSON"),
        (_Note(endpoint="notes", text="ok", score=float("nan")), r"holds nan at score"),
        (_Note(endpoint="notes", text="ok", data={"a": [float("-inf")]}), r"-inf at data\.a\[0\]"),
    ],
    ids=["nul", "backslash-u0000", "nul-key", "surrogate", "not-json", "nan", "infinity"],
)
@pytest.mark.parametrize("write", ["post", "put"])
def test_data_the_hat_would_store_changed_is_refused_before_sending(
    client: HatClient, hat_sandbox: Sandbox, bad: _Note, problem: str, write: str
) -> None:
    # The HAT deletes "\u0000" from its JSON text and stores unpaired surrogates as "?".
    (good,) = client.post(_Note(endpoint="notes", text="fine"))
    if write == "put":
        bad = bad.model_copy(update={"record_id": good.record_id})
    mark = len(hat_sandbox.request_log)
    with pytest.raises(InvalidInputError, match=rf"record #1: its data .*{problem}"):
        getattr(client, write)(good, bad)
    assert len(hat_sandbox.request_log) == mark  # nothing was sent
    assert client.get(_Note, "notes") == [good]


def test_empty_writes_send_nothing(client: HatClient, hat_sandbox: Sandbox) -> None:
    mark = len(hat_sandbox.request_log)
    assert client.post() == []
    assert client.put() == []
    assert len(hat_sandbox.request_log) == mark


@pytest.mark.parametrize(
    "body",
    [
        "endpoint: str",
        "record_id: str",
        "target: str = pydantic.Field(alias='endpoint')",
    ],
)
def test_a_model_cannot_declare_data_where_the_record_location_lives(body: str) -> None:
    # Its value would never be stored: refused when the class is defined, not after a write.
    with pytest.raises(TypeError, match="reserved_data"):
        exec(f"class Note(HatModel):\n    {body}\n", {"HatModel": HatModel, "pydantic": pydantic})


def test_a_model_with_a_field_pydantic_cannot_check_fails_where_it_is_defined() -> None:
    # HatModel defers its own schema (for import time); its subclasses must not inherit that,
    # or a model's mistake would surface at its first read instead of at its definition.
    class Opaque:
        pass

    with pytest.raises(pydantic.PydanticSchemaGenerationError):

        class Bad(HatModel):
            thing: Opaque

    class Good(HatModel):
        x: int

    assert Good.__pydantic_complete__
    assert HatModel.model_validate({"x": 1}).model_extra == {"x": 1}


@pytest.mark.parametrize(
    "headers",
    [{"X-Note": "café"}, {"X-Note": "a\r\nInjected: 1"}, {"X Note": "a"}, {"X-Note\n": "a"}],
    ids=["non-ascii", "line-break", "space-in-name", "newline-in-name"],
)
def test_headers_no_request_could_carry_are_refused_before_sending(
    offline: HatClient, headers: dict[str, str]
) -> None:
    record = Location(endpoint="locations", latitude=1, longitude=2)
    with pytest.raises(InvalidInputError, match="extra_headers"):
        offline.post(record, extra_headers=headers)  # not an OutcomeUnknownError: never sent
    with pytest.raises(InvalidInputError, match="extra_headers"):
        offline.system.version(extra_headers=headers)
    with pytest.raises(InvalidInputError, match="extra_headers"):
        offline.with_options(extra_headers=headers)


def test_values_no_url_can_carry_are_refused_before_sending(offline: HatClient) -> None:
    with pytest.raises(InvalidInputError, match="no request can carry"):
        offline.get(Location, "a" * 70_000)  # httpx refuses URLs over 64 KiB
    with pytest.raises(InvalidInputError, match="no request can carry"):
        offline.get(Location, "locations", GetOpts(order_by="\udc80"))
    with pytest.raises(InvalidInputError, match="no request can carry"):
        offline.post(Location(endpoint="a" * 70_000, latitude=1, longitude=2))


def test_header_bytes_without_line_breaks_are_sent_as_given(offline_token: AppToken) -> None:
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.extend(value for name, value in request.headers.raw if name.lower() == b"x-note")
        return httpx.Response(200, json={"version": "2.6"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with HatClient(offline_token, "sandbox-app", http_client=http) as hat:
        hat.system.version(extra_headers={"X-Note": b"caf\xc3\xa9"})  # type: ignore[dict-item]
    assert sent == [b"caf\xc3\xa9"]
