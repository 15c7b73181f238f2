"""Error responses shaped exactly like the real HAT server's.

Sources: [HAT] ``hat/app/org/hatdex/hat/utils/ErrorHandler.scala`` (envelope A); [MODELS]
``src/main/scala/org/hatdex/hat/api/models/ErrorMessage.scala`` (envelope B).

Two envelopes coexist: envelope A ``{"error", "message"}`` from the server's global error handler
(401/403/404/500 and framework 400s) and envelope B ``{"message", "cause"[, "details"]}`` for domain
errors raised by controllers. Route code raises ``HatHTTPError``; the app renders it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

JsonValue = Any
"""Any JSON-serialisable value (the sandbox passes parsed JSON around untyped)."""

_log = logging.getLogger("hat_sdk.sandbox")
_BASE26 = "0123456789abcdefghijklmnop"


class HatHTTPError(Exception):
    """An HTTP error response to send instead of the handler's normal result.

    ``body`` is either JSON (rendered as ``application/json``) or a ``str`` (rendered with
    ``media_type``, e.g. the HTML pages Play produces for 413/415); ``None`` means an empty body.
    """

    def __init__(
        self,
        status: int,
        body: JsonValue | str | None,
        *,
        headers: Mapping[str, str] | None = None,
        media_type: str = "application/json",
    ) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers: dict[str, str] = dict(headers or {})
        self.media_type = media_type


def envelope_a(status: int, error: str, message: JsonValue) -> HatHTTPError:
    """Error from the global handler: ``{"error": error, "message": message}``."""
    return HatHTTPError(status, {"error": error, "message": message})


def envelope_b(
    status: int, message: str, cause: str, details: Sequence[str] | None = None
) -> HatHTTPError:
    """Domain error ``ErrorMessage``: ``{"message", "cause"[, "details"]}``."""
    body: dict[str, JsonValue] = {"message": message, "cause": cause}
    if details is not None:
        body["details"] = list(details)
    return HatHTTPError(status, body)


def not_authenticated() -> HatHTTPError:
    """401 envelope A: missing, invalid, expired, idle or foreign token (or wrong password)."""
    return envelope_a(401, "Not Authenticated", "Not Authenticated")


def forbidden() -> HatHTTPError:
    """403 envelope A: the token is valid but lacks the required role."""
    return envelope_a(403, "Forbidden", "Access Denied")


def bad_request(message: JsonValue) -> HatHTTPError:
    """400 envelope A from the framework (binder errors, invalid JSON, JSON validation)."""
    return envelope_a(400, "Bad Request", message)


def hat_unavailable() -> HatHTTPError:
    """404 envelope A for a ``Host`` that names no HAT of this server.

    [HAT] ``hat/app/org/hatdex/hat/utils/ErrorHandler.scala:81-82,114-123`` (``onHatUnavailable``
    for the ``HatServerDiscoveryException`` of ``HatServerProvider.scala:98-117``).
    """
    return envelope_a(404, "Not Found", "HAT unavailable")


def handler_not_found(method: str, path: str) -> HatHTTPError:
    """404 envelope A for an unmatched non-GET request."""
    return envelope_a(
        404, "Handler Not Found", f"Request handler at {method}:{path} does not exist"
    )


def internal_error(reason: str) -> HatHTTPError:
    """500 envelope A, as the HAT answers an unhandled exception: an opaque error id in the
    answer, the ``reason`` only in the server's log, under that id ([HAT]
    ``hat/app/org/hatdex/hat/utils/ErrorHandler.scala:165-181``)."""
    error_id = _play_error_id()
    _log.error("Server Error %s: %s", error_id, reason)
    return envelope_a(500, "Internal Server error", f"Server error occurred: {error_id}")


def _play_error_id() -> str:
    """An id like Play's ``PlayException`` gives: the time in milliseconds, plus one, in base 26."""
    number, digits = int(time.time() * 1000) + 1, ""
    while number:
        number, digit = divmod(number, 26)
        digits = _BASE26[digit] + digits
    return digits


def data_missing(cause: str) -> HatHTTPError:
    """400 envelope B "Data Missing" used by record lookups, updates and deletes."""
    return envelope_b(400, "Data Missing", cause)


def html_client_error(status: int, title: str, detail: str) -> HatHTTPError:
    """Play's default HTML page for client errors HAT does not override (413, 415)."""
    page = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head><title>{title}</title></head>\n'
        f'<body><h1>{title}</h1><p id="detail">{detail}</p></body>\n</html>\n'
    )
    return HatHTTPError(status, page, media_type="text/html; charset=utf-8")
