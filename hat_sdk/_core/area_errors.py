"""Mapping failed answers of the HAT areas beyond records (data debits, applications, files,
SHE...) to their errors in :mod:`hat_sdk.errors`; every other failure is mapped as for records
(:func:`hat_sdk.errors.error_from_response`).
"""

from __future__ import annotations

import httpx

from hat_sdk.errors import (
    AlreadyExistsError,
    FileNotCompletedError,
    HatError,
    NotEnabledError,
    NotFoundError,
    error_from_response,
)

__all__ = ["area_error"]


_NOT_FOUND_MESSAGES = frozenset(
    {
        "Not Found",
        "No such file",
        "Application not Found",
        "Bundle Not Found",
        "Combinator Not Found",
        "Function Not Found",
    }
)


def _said(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", ""
    if not isinstance(body, dict) or "error" in body:  # envelope A: not a domain error
        return "", ""
    return str(body.get("message") or ""), str(body.get("cause") or "")


def area_error(response: httpx.Response) -> HatError:
    """The error describing a failed (non-2xx) answer to an area request."""
    status = response.status_code
    message, cause = _said(response)
    cls: type[HatError] | None = None
    if message == "File not available" and status == 400:
        cls = FileNotCompletedError
    elif (
        message in _NOT_FOUND_MESSAGES
        or message == "File not available"
        # file content that is neither public nor readable by the token: empty 404
        or (status == 404 and not response.content)
    ):
        cls = NotFoundError
    elif cause.endswith("not enabled") or message.startswith("Function Not"):
        cls = NotEnabledError
    elif "already exists" in cause:
        cls = AlreadyExistsError
    if cls is not None:
        return cls.from_response(response)
    # Reads fall back to GetError; other area calls (not record writes) to plain HatError.
    operation = "get" if response.request.method == "GET" else "area"
    return error_from_response(response, operation=operation)
