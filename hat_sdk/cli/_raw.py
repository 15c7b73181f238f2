"""The two data calls ``HatClient`` has no method for: list sources, delete a whole endpoint."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from hat_sdk import HatToken
from hat_sdk._core.limits import DEFAULT_MAX_RESPONSE_BYTES, Budget, read_within
from hat_sdk._core.scrub import scrub_exception
from hat_sdk.errors import error_from_response, error_from_transport

__all__ = ["delete_endpoint", "list_sources"]


def _send(
    http: httpx.Client, token: HatToken[Any], method: str, path: str, operation: str
) -> httpx.Response:
    request = http.build_request(
        method, f"{token.hat_url}{path}", headers={"Accept": "application/json"}
    )
    try:
        response = http.send(request, auth=token, stream=True)
        # Bounded as the client's calls are: in size once decoded, and in time as a whole.
        read_within(response, Budget(request, DEFAULT_MAX_RESPONSE_BYTES))
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise error_from_transport(exc, operation=operation) from scrub_exception(exc)
    if response.status_code >= 400:
        raise error_from_response(response, operation=operation)
    return response


def list_sources(http: httpx.Client, token: HatToken[Any]) -> dict[str, list[str]]:
    """Every namespace that holds records, with its endpoints (``GET /api/v2.6/data/sources``)."""
    response = _send(http, token, "GET", "/api/v2.6/data/sources", "get")
    body: Any = response.json()
    if not isinstance(body, dict) or not all(isinstance(v, list) for v in body.values()):
        raise error_from_response(response, operation="get")
    return {namespace: sorted(map(str, endpoints)) for namespace, endpoints in body.items()}


def delete_endpoint(
    http: httpx.Client, token: HatToken[Any], namespace: str, endpoint: str
) -> None:
    """Delete every record of ``namespace/endpoint`` (``DELETE /api/v2.6/data/...``)."""
    path = f"/api/v2.6/data/{namespace}/{quote(endpoint, safe='/')}"
    _send(http, token, "DELETE", path, "delete")
