"""openapi/hat.yaml is a valid OpenAPI 3.1 document with the shape the SDK relies on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from ._spec import SPEC_PATH, Operation, follow_ref, load_spec, operations, resolve_pointer

TAGS = (
    "auth",
    "records",
    "combinators",
    "bundles",
    "data-debits",
    "files",
    "applications",
    "feed",
    "functions",
    "system",
)

EXPECTED_OPERATION_IDS = {
    "auth": {"getAccessToken", "getPublicKey", "validateToken", "getApplicationToken"},
    "records": {
        "getEndpointData",
        "saveEndpointData",
        "deleteEndpointData",
        "updateRecords",
        "deleteRecords",
        "listDataSources",
        "saveBatchData",
        "linkDataRecords",
        "getRecord",
    },
    "combinators": {"registerCombinator", "getCombinatorData"},
    "bundles": {"registerBundle", "getBundleData", "getBundleStructure"},
    "data-debits": {
        "registerDataDebit",
        "updateDataDebit",
        "getDataDebit",
        "listDataDebits",
        "getDataDebitValues",
        "enableDataDebit",
        "disableDataDebit",
    },
    "files": {
        "uploadFile",
        "completeFile",
        "getFile",
        "updateFile",
        "deleteFile",
        "searchFiles",
        "getFileContent",
        "allowFileAccess",
        "restrictFileAccess",
        "allowFilesAccess",
        "restrictFilesAccess",
        "makeFilePublic",
        "makeFilePrivate",
    },
    "applications": {
        "listApplications",
        "listApplicationsHmi",
        "getApplication",
        "setupApplication",
        "disableApplication",
        "getApplicationHmi",
    },
    "feed": {"getSheFeed", "getSheEndpointFeed"},
    "functions": {
        "listFunctions",
        "getFunction",
        "enableFunction",
        "disableFunction",
        "triggerFunction",
    },
    "system": {
        "getSystemStatus",
        "getVersion",
        "getHealth",
        "getApiHealth",
        "getPhataProfile",
        "reportFrontendAction",
    },
}

# Called without a token. getApplicationHmi MUST be: the server answers 403 to a valid token.
PUBLIC_OPERATIONS = {
    "getAccessToken",
    "getPublicKey",
    "getApplicationHmi",
    "getVersion",
    "getHealth",
    "getApiHealth",
    "getPhataProfile",
}
# A token is optional (UserAwareAction): security lists `{}` and HatAuthToken.
OPTIONAL_TOKEN_OPERATIONS = {"getFileContent"}
# Secured operations that never answer 401, with the reason.
NO_401 = {
    "getRecord": "UserAwareAction: no or an invalid token gives 403 with an empty body",
}

CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
SUCCESS_STATUS = re.compile(r"^[23]\d\d$")
SLASH_SAFE_PATH_PARAMETERS = {"endpoint", "name"}  # mirrored in generator/templates

ALL_OPERATIONS = operations()


def _op_id(operation: Operation) -> str:
    return operation.operation_id or f"{operation.method} {operation.path}"


def test_spec_is_valid_openapi_3_1() -> None:
    spec_dict, base_uri = read_from_filename(str(SPEC_PATH))
    validate(spec_dict, base_uri=base_uri)
    assert load_spec()["openapi"] == "3.1.0"


def test_info_pins_spec_and_server_versions() -> None:
    info = load_spec()["info"]
    assert re.fullmatch(r"2\.6\.\d+-hatsdk\.\d+", info["version"])
    assert info["x-hat-server-version"] == "v2.8.18"
    assert info["x-server-source"].startswith("dataswift/HAT2.0 @ beb2c0b6")
    assert "x-facts-source" not in info
    for omitted in (
        "/api/v2",
        "contract-data",
        "/control/v2",
        "/users/user",
        "destroy-cache",
        "migrate",
    ):
        assert omitted in info["description"], f"info.description must list omitted {omitted}"


def test_operation_ids_are_exactly_the_documented_set() -> None:
    ids = [op.operation_id for op in ALL_OPERATIONS]
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    expected = set().union(*EXPECTED_OPERATION_IDS.values())
    assert set(ids) == expected
    assert len(ids) == 57


def test_declared_tags_are_the_areas() -> None:
    assert [tag["name"] for tag in load_spec()["tags"]] == list(TAGS)


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=_op_id)
def test_operation_has_id_one_tag_and_description(operation: Operation) -> None:
    assert CAMEL_CASE.match(operation.operation_id), "operationId must be camelCase"
    tags = operation.body.get("tags")
    assert isinstance(tags, list)
    assert len(tags) == 1, "exactly one tag"
    assert operation.operation_id in EXPECTED_OPERATION_IDS[tags[0]], "operation in wrong tag"
    assert operation.body.get("summary"), "summary missing"
    assert len(operation.body.get("description", "")) > 20, "description missing"


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=_op_id)
def test_operation_documents_success_and_errors(operation: Operation) -> None:
    statuses = set(operation.body["responses"])
    assert any(SUCCESS_STATUS.match(s) for s in statuses), "no 2xx/3xx response"
    if operation.operation_id not in PUBLIC_OPERATIONS:
        assert statuses & {"400", "401", "403", "404"}, "no error response documented"


def test_security_is_declared_per_operation_only() -> None:
    spec = load_spec()
    assert "security" not in spec, "no top-level security: every operation declares its own"
    scheme = spec["components"]["securitySchemes"]["HatAuthToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-Auth-Token")


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=_op_id)
def test_operation_security(operation: Operation) -> None:
    assert "security" in operation.body, "security must be declared on the operation"
    security: list[dict[str, list[str]]] = operation.body["security"]
    op_id = operation.operation_id
    if op_id in PUBLIC_OPERATIONS:
        assert security == []
    elif op_id in OPTIONAL_TOKEN_OPERATIONS:
        assert security == [{}, {"HatAuthToken": []}]
    else:
        assert security == [{"HatAuthToken": []}]
        if op_id not in NO_401:
            assert "401" in operation.body["responses"], "secured operation without 401"


def _success_responses(operation: Operation) -> list[tuple[str, dict[str, Any]]]:
    return [
        (status, resolve_pointer(follow_ref(f"{operation.pointer}/responses/{status}")))
        for status in operation.body["responses"]
        if status.startswith("2")
    ]


@pytest.mark.parametrize("operation", ALL_OPERATIONS, ids=_op_id)
def test_authenticated_success_documents_refreshed_token(operation: Operation) -> None:
    if operation.body["security"] != [{"HatAuthToken": []}]:
        return
    for status, response in _success_responses(operation):
        header = response.get("headers", {}).get("X-Auth-Token")
        assert header == {"$ref": "#/components/headers/RefreshedToken"}, status


def test_slash_path_parameters_match_the_generator_template() -> None:
    slash_params: set[str] = set()
    other_params: set[str] = set()
    for pointer, node in _parameters():
        if node.get("in") != "path":
            continue
        pattern = node.get("schema", {}).get("pattern", "")
        (slash_params if "/" in pattern else other_params).add(node["name"])
        assert node.get("required") is True, pointer
    assert slash_params == SLASH_SAFE_PATH_PARAMETERS
    assert not slash_params & other_params
    template = SPEC_PATH.parents[1] / "generator" / "templates" / "endpoint_module.py.jinja"
    assert 'SLASH_PATH_PARAMETERS = ["endpoint", "name"]' in template.read_text()


def test_path_parameter_patterns_follow_the_routes() -> None:
    patterns = {
        name: node["schema"].get("pattern")
        for _, node in _parameters()
        if node.get("in") == "path"
        for name in [node["name"]]
    }
    assert patterns["namespace"] == "^[0-9a-z-]+$"
    assert patterns["endpoint"] == "^[0-9a-z-/]+$"
    assert patterns["name"] == "^[0-9a-z-/]+$"
    assert patterns["bundleId"] == "^[0-9a-zA-Z-]+$"
    assert patterns["dataDebitId"] == "^[0-9a-zA-Z-]+$"


def test_records_parameter_is_a_repeated_uuid_list() -> None:
    records = load_spec()["components"]["parameters"]["Records"]
    assert records["style"] == "form"
    assert records["explode"] is True
    assert records["schema"] == {"type": "array", "items": {"type": "string", "format": "uuid"}}


def _parameters() -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for operation in ALL_OPERATIONS:
        path_item_pointer = operation.pointer.rsplit("/", 1)[0]
        for owner in (path_item_pointer, operation.pointer):
            for index, _ in enumerate(resolve_pointer(owner).get("parameters", [])):
                pointer = follow_ref(f"{owner}/parameters/{index}")
                found.append((pointer, resolve_pointer(pointer)))
    return found


@pytest.mark.parametrize("operation", operations(), ids=lambda op: op.operation_id)
def test_every_operation_names_its_resource_method(operation: Operation) -> None:
    """``x-hat-method`` names the method users call; it must be a unique identifier per tag."""
    method = operation.body.get("x-hat-method")
    assert isinstance(method, str), "add x-hat-method (the resource method's name)"
    assert method.isidentifier(), method
    assert not method.startswith("_"), method
    same_tag = [
        other.operation_id
        for other in operations()
        if other.body["tags"] == operation.body["tags"] and other.body.get("x-hat-method") == method
    ]
    assert same_tag == [operation.operation_id]
