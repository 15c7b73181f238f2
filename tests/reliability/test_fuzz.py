"""Fuzzing: any answer a server may give yields valid models or a ``HatError``; any user model
and JSON data round-trips through the sandbox unchanged."""

from __future__ import annotations

import json
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from typing import Any
from uuid import UUID, uuid4

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from keyring.credentials import SimpleCredential
from pydantic import Field, create_model

from hat_sdk import ApiOwnerToken, AppToken, AsyncHatClient, GetOpts, HatClient, HatError, HatModel
from hat_sdk._core.retry import RetryPolicy
from tests.tokens._forge import owner_claims, private_key, public_pem, rs256

from .conftest import NAMESPACE, Note

FAKE_HOST = "fuzz-hat.localhost"  # loopback by name, so plain http is allowed; unique key cache
FAKE_URL = f"http://{FAKE_HOST}"
JSON_MAX = 2**63 - 1

# --- answers of a misbehaving server ------------------------------------------------------

_header_text = st.text(alphabet=string.printable.strip("\r\n\x0b\x0c"), max_size=40)
_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-JSON_MAX - 1, JSON_MAX)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
_json = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_note_data = st.fixed_dictionaries(
    {"serial": st.integers() | st.text(max_size=5), "text": st.text(max_size=10) | st.integers()}
)
_wire_record: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {
        "endpoint": st.just(f"{NAMESPACE}/notes") | st.text(max_size=12),
        "recordId": st.uuids().map(str) | st.text(max_size=12) | st.integers(),
        "data": _note_data | _json,
    },
    optional={"links": st.just([])},
)
_valid_record = st.fixed_dictionaries(
    {
        "endpoint": st.just(f"{NAMESPACE}/notes"),
        "recordId": st.uuids().map(str),
        "data": st.fixed_dictionaries({"serial": st.integers(), "text": st.text(max_size=10)}),
    }
)
_bodies = (
    st.binary(max_size=120)
    | st.lists(_valid_record, min_size=2, max_size=3).map(lambda value: json.dumps(value).encode())
    | _json.map(lambda value: json.dumps(value).encode())
    | st.lists(_wire_record, max_size=4).map(lambda value: json.dumps(value).encode())
    | _wire_record.map(lambda value: json.dumps(value).encode())
)
_headers: st.SearchStrategy[dict[str, str]] = st.just({}) | st.dictionaries(
    st.sampled_from(
        ["Content-Type", "X-Auth-Token", "Retry-After", "Content-Encoding", "Location", "X-Other"]
    ),
    _header_text | st.sampled_from(["application/json", "gzip", "br", "eyJ.x.y", "text/html"]),
    max_size=4,
)


@dataclass(frozen=True)
class Answer:
    """What the fake HAT answers to every data request."""

    status: int
    headers: dict[str, str]
    body: bytes


_answers = st.builds(Answer, st.sampled_from([200, 201]) | st.integers(100, 599), _headers, _bodies)


def _fake_hat(answer: Answer) -> Callable[[httpx.Request], httpx.Response]:
    """A HAT that logs in properly and answers every other request with ``answer``."""
    key = private_key("reliability-fuzz")

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/users/access_token":
            return httpx.Response(200, json={"accessToken": rs256(owner_claims(FAKE_HOST), key)})
        if request.url.path == "/publickey":
            return httpx.Response(200, text=public_pem(key))
        # A stream, not content: the client (not the mock) decodes the body, as on the wire.
        return httpx.Response(
            answer.status, headers=answer.headers, stream=httpx.ByteStream(answer.body)
        )

    return handle


def _token() -> ApiOwnerToken:
    return ApiOwnerToken(SimpleCredential("fuzz", "pw"), hat_url=FAKE_URL)


@contextmanager
def _client(answer: Answer) -> Iterator[HatClient]:
    http = httpx.Client(transport=httpx.MockTransport(_fake_hat(answer)))
    with http, HatClient(_token(), NAMESPACE, http_client=http, max_retries=0) as client:
        yield client


_INPUTS = [Note(endpoint="notes", serial=i, text=str(i)) for i in range(3)]
_STORED = [n.model_copy(update={"record_id": uuid4()}) for n in _INPUTS]
_MIXED = [_INPUTS[0], Note(endpoint="other", serial=9, text="9")]

OPERATIONS: dict[str, Callable[[HatClient], list[Note] | None]] = {
    "get": lambda c: c.get(Note, "notes", GetOpts(take=5)),
    "iter": lambda c: list(c.iter(Note, "notes", GetOpts(take=6), page_size=2)),
    "post to one endpoint": lambda c: c.post(*_INPUTS),
    "post to two endpoints": lambda c: c.post(*_MIXED),
    "post skipping duplicates": lambda c: c.post(*_INPUTS, skip_duplicates=True),
    "put": lambda c: c.put(*_STORED),
    "delete": lambda c: c.delete(*_STORED),
}


def _check_models(result: list[Note] | None, operation: str) -> None:
    if result is None:
        assert operation == "delete"
        return
    assert all(isinstance(note, Note) for note in result)
    assert all(isinstance(note.record_id, UUID) for note in result)
    assert all(isinstance(note.endpoint, str) for note in result)
    if operation.startswith("post to") or operation == "put":
        assert len(result) == len(_MIXED if "two" in operation else _INPUTS)


@settings(max_examples=400, deadline=None)
@given(answer=_answers, operation=st.sampled_from(list(OPERATIONS)))
def test_any_answer_gives_valid_models_or_a_hat_error(answer: Answer, operation: str) -> None:
    with _client(answer) as client:
        try:
            result = OPERATIONS[operation](client)
        except HatError as error:
            event(f"{operation}: {type(error).__name__}")
            return
    event(f"{operation}: {'no records' if not result else 'records'}")
    _check_models(result, operation)


@settings(max_examples=60, deadline=None)
@given(answer=_answers, operation=st.sampled_from(["get", "post"]))
def test_any_answer_to_the_async_client_gives_models_or_a_hat_error(
    answer: Answer, operation: str
) -> None:
    async def run() -> list[Note]:
        transport = httpx.MockTransport(_fake_hat(answer))
        async with (
            httpx.AsyncClient(transport=transport) as http,
            AsyncHatClient(_token(), NAMESPACE, http_client=http, max_retries=0) as client,
        ):
            if operation == "get":
                return await client.get(Note, "notes")
            return await client.post(*_INPUTS)

    try:
        result = anyio.run(run)
    except HatError:
        return
    _check_models(result, "get" if operation == "get" else "post to one endpoint")


@settings(max_examples=300, deadline=None)
@given(value=_header_text | st.sampled_from(["1e308", "-5", "nan", "inf", "Wed, 21 Oct 2015"]))
def test_any_retry_after_gives_a_bounded_delay_or_none(value: str) -> None:
    policy = RetryPolicy()
    response = httpx.Response(503, headers={"Retry-After": value})
    delay = policy.delay_after_response("GET", response, 0)
    assert delay is None or 0 <= delay <= policy.max_retry_after


# --- arbitrary user models round-trip through the sandbox ------------------------------

_serials = count()
# The HAT deletes "\u0000" from the JSON text it stores, so the client refuses text holding a
# NUL character or a backslash before "u0000" (and, with codec="utf-8", no lone surrogates).
_storable_chars = st.characters(codec="utf-8", exclude_characters="\x00")


def _storable_text(*, max_size: int, min_size: int = 0) -> st.SearchStrategy[str]:
    text = st.text(_storable_chars, min_size=min_size, max_size=max_size)
    return text.filter(lambda value: "\\u0000" not in value)


_storable_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-JSON_MAX - 1, JSON_MAX)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _storable_text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(_storable_text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_field_types: dict[str, tuple[type[Any], st.SearchStrategy[Any]]] = {
    "str": (str, _storable_text(max_size=30)),
    "int": (int, st.integers(-JSON_MAX - 1, JSON_MAX)),
    "float": (float, st.floats(allow_nan=False, allow_infinity=False)),
    "bool": (bool, st.booleans()),
    "json": (Any, _storable_json),
    "list": (list[Any], st.lists(_storable_json, max_size=4)),
    "object": (
        dict[str, Any],
        st.dictionaries(_storable_text(max_size=10), _storable_json, max_size=4),
    ),
}
_aliases = _storable_text(min_size=1, max_size=12).filter(
    lambda alias: alias not in {"endpoint", "record_id", "serial"}
)


@st.composite
def _models_and_values(draw: st.DrawFn) -> tuple[type[HatModel], dict[str, Any]]:
    """A HatModel subclass with fields of JSON types under arbitrary (unicode) aliases, and
    values for them."""
    aliases = draw(st.lists(_aliases, max_size=5, unique=True))
    kinds = [draw(st.sampled_from(list(_field_types))) for _ in aliases]
    fields: dict[str, Any] = {"serial": (int, ...)}
    values: dict[str, Any] = {"serial": next(_serials)}  # the HAT refuses repeated data
    for index, (alias, kind) in enumerate(zip(aliases, kinds, strict=True)):
        annotation, strategy = _field_types[kind]
        fields[f"field_{index}"] = (annotation, Field(alias=alias))
        values[alias] = draw(strategy)
    model = create_model("FuzzedRecord", __base__=HatModel, **fields)
    return model, values


@pytest.fixture
def client(token: AppToken) -> Iterator[HatClient]:
    with HatClient(token, NAMESPACE) as hat:
        yield hat


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(model_and_values=_models_and_values())
def test_arbitrary_models_and_data_round_trip(
    client: HatClient, model_and_values: tuple[type[HatModel], dict[str, Any]]
) -> None:
    model, values = model_and_values
    endpoint = f"fuzzed-{values['serial']}"
    sent = model.model_validate({**values, "endpoint": endpoint})
    (stored,) = client.post(sent)
    (read,) = client.get(model, endpoint)
    assert stored.record_data() == read.record_data() == sent.record_data()
    assert read.record_id == stored.record_id
