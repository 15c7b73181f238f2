"""Property-based conformance of the sandbox HAT to openapi/hat.yaml (schemathesis).

Every operation of the spec is exercised against one running sandbox (real loopback port) in
the examples, coverage and fuzzing phases, with schemathesis's response checks (schema, status
code, content type, headers) and negative-testing checks on. Checks that contradict the real
server's behaviour (dataswift/HAT2.0 @ beb2c0b6, see openapi/FIDELITY.md) are switched off in
:data:`CONFIG`, each with the server source that justifies it, per operation where the behaviour
is per operation. Four behaviours of the server are excused per case instead (see
:func:`test_operation_conforms`): GETs on out-of-pattern paths get the dashboard page, bodies
the server's JSON reads accept although the spec forbids them (``null`` options, epoch-millis
dates) and orderings other than the two the spec names are not "rejected", and request targets
over 2 KiB are refused with 414 by the HTTP layer before any operation runs.

The owner token reaches the requests through an auth provider for the spec's ``HatAuthToken``
scheme, never as an explicit header, so the negative cases that drop the token still go out
without it. A wrong token would turn every answer into a documented 401 and the run green, so
:func:`test_authenticated_operations_succeed` asserts that every operation succeeded at least
once; :func:`test_explicit_success_conforms` supplies the few successes that need ids or
state no generator can know. ``conftest.py`` prints the run's figures at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import settings
from schemathesis import APIOperation, AuthContext, Case, CheckFunction, Response
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection

from tests.conformance._explicit_cases import EXPLICIT_CASES
from tests.conformance._leniency import is_read_leniently
from tests.conformance._live_hat import TOKEN_HEADER, LiveHat, running_hat
from tests.conformance._stats import RUN
from tests.contract._spec import operation_by_id, request_schema_pointer

AnyCase = Case[Any]
AnyOperation = APIOperation[Any, Any, Any, Any]

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "hat.yaml"
_MAX_EXAMPLES = 20
_MAX_URI_LENGTH = 2048  # Akka HTTP's default akka.http.parsing.max-uri-length (2k)


def _checks_off(*names: str) -> dict[str, dict[str, bool]]:
    return {name: {"enabled": False} for name in names}


CONFIG = schemathesis.Config.from_dict(
    {
        # Same cases on every run and machine: derandomized, no replay of stored examples.
        "generation": {"max-examples": _MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": _checks_off(
            # The HAT answers schema-valid requests about things that do not exist with 400/404
            # (HAT2.0 api/controllers/RichData.scala:352-363 data-record 400 "Data Missing",
            # DataDebits.scala:106-236 404/400, Files.scala 404, Applications.scala:110-202
            # 404/400; she/controllers/FunctionManager.scala:65-84 404; wrong credentials 401,
            # utils/ErrorHandler.scala:77-99).
            "positive_data_acceptance",
            # Undeclared methods get 404 "Handler Not Found" (and GET the dashboard page), never
            # 405 (HAT2.0 utils/ErrorHandler.scala:125-148 onNotFound; hat/conf/routes:39).
            "unsupported_method",
        ),
        "operations": [
            {
                # Unknown record ids fail with an unmapped foreign-key error: 500 (HAT2.0
                # RichData.scala:274-287, RichDataService.scala:298-316).
                "include-operation-id": "linkDataRecords",
                "checks": _checks_off("not_a_server_error"),
            },
            {
                # Data identical to another record is an uncaught unique violation: 500, and so
                # is a missing namespace grant (HAT2.0 RichData.scala:365-391), an empty body or
                # "links": [] (authorizeEndpointDataWrite reduces an empty list, l.222-236).
                "include-operation-id": "updateRecords",
                "checks": _checks_off("not_a_server_error"),
            },
            {
                # An empty body or a record with "links": [] is a 500 as in updateRecords.
                "include-operation-id": "saveBatchData",
                "checks": _checks_off("not_a_server_error"),
            },
            {
                # A bundle name registered with registerBundle but used by no data debit hits
                # the bundles' primary key, unmapped: 500 (HAT2.0 DataDebitService.scala:188-201).
                "include-operation-id": "updateDataDebit",
                "checks": _checks_off("not_a_server_error"),
            },
            {
                # An unknown user fails an unrecovered guard: 500 (HAT2.0 Files.scala:186, 213).
                "include-operation-id": "allowFileAccess",
                "checks": _checks_off("not_a_server_error"),
            },
            {
                "include-operation-id": "restrictFileAccess",
                "checks": _checks_off("not_a_server_error"),
            },
        ],
    }
)

schema = schemathesis.openapi.from_path(SPEC_PATH, config=CONFIG)


def _operations() -> list[AnyOperation]:
    return [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]


def _operation_id(operation: AnyOperation) -> str:
    operation_id: str = operation.definition.raw["operationId"]
    return operation_id


def _declares_token(operation: AnyOperation) -> bool:
    requirements: list[dict[str, Any]] = operation.definition.raw.get("security", [])
    return any("HatAuthToken" in requirement for requirement in requirements)


RUN.spec_operations = len(_operations())


@pytest.fixture(scope="module")
def live_hat() -> Iterator[LiveHat]:
    """One sandbox for the whole run (data accumulates across operations), logged in once."""
    with running_hat() as hat:
        yield hat


# Schemathesis builds (and authenticates) the coverage-phase cases while collecting, before any
# sandbox runs, so the provider hands out a stand-in that the test swaps for the live token.
_DEFERRED_TOKEN = "owner-token-of-the-live-sandbox"


# No caching needed for a constant; no re-authentication on 401, which would hide a bad token.
@schema.auth(refresh_interval=None, retry_on=[])
class OwnerToken:
    """``HatAuthToken`` on the operations that declare it; schemathesis decides per case.

    Public operations get no token: ``getApplicationHmi`` answers 403 to any valid token
    (an ``UnsecuredAction``, HAT2.0 ``api/controllers/Applications.scala:52-69``).
    """

    def get(self, case: AnyCase, context: AuthContext) -> str:  # noqa: ARG002 (protocol)
        """The stand-in for the owner token."""
        return _DEFERRED_TOKEN

    def set(self, case: AnyCase, data: str, context: AuthContext) -> None:  # noqa: ARG002
        """Send it in the scheme's header."""
        if _declares_token(case.operation):
            case.headers[TOKEN_HEADER] = data


def _use_live_token(case: AnyCase, hat: LiveHat) -> None:
    if case.headers and case.headers.get(TOKEN_HEADER) == _DEFERRED_TOKEN:
        case.headers[TOKEN_HEADER] = hat.token


def _negative_locations(case: AnyCase) -> set[ParameterLocation]:
    meta = case.meta
    if meta is None:
        return set()
    return {location for location, info in meta.components.items() if info.mode.is_negative}


def _is_spa_fallthrough(case: AnyCase, response: Response) -> bool:
    """A GET whose path parameters violate their pattern matches no route: dashboard page.

    Play falls through to ``GET /*path`` (200 text/html, HAT2.0 ``hat/conf/routes:39``) for any
    GET that no route matches, e.g. one whose value breaks a regex of ``hat/conf/v26.routes``, so
    a negative path value cannot be rejected with an error status there.
    """
    content_type = response.headers.get("content-type", [""])[0]
    return (
        case.method.upper() == "GET"
        and ParameterLocation.PATH in _negative_locations(case)
        and response.status_code == 200
        and content_type.startswith("text/html")
    )


def _is_uri_too_long(response: Response) -> bool:
    """A request target over Akka HTTP's default 2 KiB (``akka.http.parsing.max-uri-length``)
    is refused with 414 before routing, whatever the operation: no operation can declare it."""
    target = response.request.path_url
    return response.status_code == 414 and len(target) > _MAX_URI_LENGTH


@cache
def _body_schema_pointer(operation_id: str) -> str:
    return request_schema_pointer(operation_by_id(operation_id))


def _is_lenient_read(case: AnyCase, response: Response) -> bool:
    """An accepted negative body whose every violation the server reads leniently."""
    if not 200 <= response.status_code < 300:
        return False
    if _negative_locations(case) != {ParameterLocation.BODY}:
        return False
    pointer = _body_schema_pointer(_operation_id(case.operation))
    return is_read_leniently(SPEC_PATH, pointer, case.body)


_ORDERINGS = ("ascending", "descending")


def _is_lenient_ordering(case: AnyCase, response: Response) -> bool:
    """An accepted negative query whose ``ordering`` names neither value: the HAT sorts
    descending on ``descending`` and ascending on anything else ([HAT]
    ``hat/app/org/hatdex/hat/api/controllers/RichData.scala``:260, 636, ``ordering.contains``),
    so only a 2xx shows whether another query value was refused."""
    return (
        200 <= response.status_code < 300
        and _negative_locations(case) == {ParameterLocation.QUERY}
        and "ordering" in (case.query or {})
        and (case.query or {})["ordering"] not in _ORDERINGS
    )


@schema.parametrize()
@settings(deadline=None)
def test_operation_conforms(case: AnyCase, live_hat: LiveHat) -> None:
    """Each generated request gets a response that conforms to the spec."""
    operation_id = _operation_id(case.operation)
    _use_live_token(case, live_hat)
    response = case.call(base_url=live_hat.url)
    if case.method.upper() != case.operation.method.upper():
        # Coverage-phase probes of undeclared methods (see "unsupported_method" above).
        RUN.note("undeclared-method probes")
    else:
        RUN.record(operation_id, response.status_code)
    if _is_spa_fallthrough(case, response):
        RUN.note("GET paths out of pattern answered by the dashboard page")
        return
    if _is_uri_too_long(response):
        RUN.note("request targets over 2 KiB refused with 414 before routing")
        return
    excluded: list[CheckFunction] = []
    if _is_lenient_read(case, response):
        RUN.note("negative bodies the server reads leniently (null options, millis dates)")
        excluded.append(negative_data_rejection)
    if _is_lenient_ordering(case, response):
        RUN.note("orderings other than ascending and descending, sorted ascending")
        excluded.append(negative_data_rejection)
    case.validate_response(
        response, excluded_checks=excluded, transport_kwargs={"base_url": live_hat.url}
    )


@pytest.mark.parametrize("operation_id", sorted(EXPLICIT_CASES))
def test_explicit_success_conforms(operation_id: str, live_hat: LiveHat) -> None:
    """Operations whose success needs what no generator knows: one valid call succeeds, conforms."""
    operation = schema.find_operation_by_id(operation_id)
    request = EXPLICIT_CASES[operation_id](live_hat)
    if _declares_token(operation):
        request["headers"] = {**request.get("headers", {}), TOKEN_HEADER: live_hat.token}
    case = operation.Case(**request)
    response = case.call(base_url=live_hat.url)
    RUN.record(operation_id, response.status_code)
    assert 200 <= response.status_code < 300, response.text
    case.validate_response(response, transport_kwargs={"base_url": live_hat.url})


def test_authenticated_operations_succeed() -> None:
    """The token was accepted: every operation (all but getAccessToken take it) succeeded once.

    Without this, a rejected token would pass the run: 401 is documented everywhere.
    """
    ran = [op for op in map(_operation_id, _operations()) if op in RUN.operations]
    if not ran:
        pytest.skip("the conformance run did not run in this session")
    without_success = [op for op in ran if RUN.operations[op].successes == 0]
    assert not without_success, f"no successful answer at all for: {without_success}"
