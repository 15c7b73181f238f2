"""Request parsing with Play's error behaviour: JSON bodies and query-string binders."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from hat_sdk.sandbox._errors import bad_request, html_client_error
from hat_sdk.sandbox._jsonb import JsonValue, compact

MAX_BODY_BYTES = 10 * 1024 * 1024
_JSON_TYPES = ("application/json", "text/json")
_INT = re.compile(r"^[+-]?\d+$")
_INT_RANGE = range(-(2**31), 2**31)


def json_response(body: JsonValue, status: int = 200) -> JSONResponse:
    """A JSON response whose text keeps non-ASCII characters, like Play's."""
    return _PlayJSONResponse(body, status_code=status)


class _PlayJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return compact(content).encode("utf-8")


def _reject_constant(name: str) -> None:
    raise ValueError(f"Non-standard token '{name}'")


async def json_body(request: Request) -> JsonValue:
    """Parse the body like Play's ``parse.json``: 415/413 HTML pages, 400 "Invalid Json: ..."."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in _JSON_TYPES:
        raise html_client_error(
            415, "Unsupported Media Type", "Expecting text/json or application/json body"
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise html_client_error(413, "Request Entity Too Large", "Request Entity Too Large")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise html_client_error(413, "Request Entity Too Large", "Request Entity Too Large")
    if not raw.strip():
        raise bad_request("Invalid Json: No content to map due to end-of-input")
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"Invalid Json: {exc}") from None


def query_first(request: Request, name: str) -> str | None:
    """The first value of a query parameter, as Play reads one (``params.get(key).headOption``):
    ``?take=1&take=2`` binds 1 (Starlette's ``query_params.get`` gives the last)."""
    values = request.query_params.getlist(name)
    return values[0] if values else None


def query_bindable(request: Request, name: str) -> str | None:
    """The value a Play 2.8 ``Parsing`` binder (Int, Long, Boolean, UUID) reads: the first one,
    and an empty one counts as absent (``.filter(_.nonEmpty)``; Play 2.8.x, which HAT2.0 runs
    since its "DAS-521 Play 2.8 upgrade", ``core/play/src/main/scala/play/api/mvc/Binders.scala``
    l.321-327), so ``?take=`` takes the default rather than failing."""
    return query_first(request, name) or None


def query_int(request: Request, name: str, default: int) -> int:
    """Bind an ``Option[Int]`` query parameter; 400 with Play's binder message if not an Int."""
    value = query_bindable(request, name)
    if value is None:
        return default
    if not _INT.match(value) or int(value) not in _INT_RANGE:
        raise bad_request(f'Cannot parse parameter {name} as Int: For input string: "{value}"')
    return int(value)


def _parse_bool(name: str, value: str) -> bool:
    parsed = {"true": True, "false": False, "1": True, "0": False}.get(value.strip())
    if parsed is None:
        raise bad_request(
            f"Cannot parse parameter {name} as Boolean: should be true, false, 0 or 1"
        )
    return parsed


def query_bool(request: Request, name: str, default: bool) -> bool:
    """Bind an optional ``Boolean`` query parameter (``true``/``false``/``1``/``0``)."""
    value = query_bindable(request, name)
    return default if value is None else _parse_bool(name, value)


def required_bool(request: Request, name: str) -> bool:
    """Bind a required ``Boolean`` query parameter: absent or empty is Play's router 400
    "Missing parameter: <name>"."""
    value = query_bindable(request, name)
    if value is None:
        raise bad_request(f"Missing parameter: {name}")
    return _parse_bool(name, value)


def _uuid_or_error(name: str, value: str) -> tuple[str | None, str]:
    try:
        return str(uuid.UUID(value)), ""
    except ValueError:
        return None, f"Cannot parse parameter {name} as UUID: Invalid UUID string: {value}"


def parse_uuid(name: str, value: str) -> str:
    """Bind a UUID parameter to its canonical lowercase form, or 400 with the binder message."""
    parsed, error = _uuid_or_error(name, value)
    if parsed is None:
        raise bad_request(error)
    return parsed


def query_uuids(request: Request, name: str) -> list[str]:
    """Bind a repeated UUID query parameter (``?records=a&records=b``) as Play's ``Seq`` binder
    does: empty values are skipped, and every bad value is reported, one message a line
    (Play 2.8.x ``Binders.scala`` ``bindSeq``, l.574-605)."""
    ids: list[str] = []
    errors: list[str] = []
    for value in filter(None, request.query_params.getlist(name)):
        parsed, error = _uuid_or_error(name, value)
        if parsed is None:
            errors.append(error)
        else:
            ids.append(parsed)
    if errors:
        raise bad_request("\n".join(errors))
    return ids


def json_error(path: str, message: str) -> dict[str, JsonValue]:
    """One entry of a Play ``JsError`` rendering: ``{path: [{"msg": [message], "args": []}]}``."""
    return {path: [{"msg": [message], "args": []}]}
