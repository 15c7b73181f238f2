"""Requests of every operation, built from the routes of the generated endpoint modules.

The spec, through each generated module's ``_route``, is the single source of methods, paths,
query parameters and headers. Bodies are JSON bytes serialised once by pydantic (by alias, None
fields left out); their size decides how record writes are split.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from pydantic import BaseModel
from pydantic_core import to_json

from hat_sdk.errors import InvalidInputError

__all__ = [
    "ANONYMOUS",
    "TOKEN_HEADER",
    "CallOptions",
    "RequestBuilder",
    "Wire",
    "check_timeout",
    "is_seconds",
    "json_array",
    "json_bytes",
]

#: The header that carries the HAT token, both ways (the HAT answers with a refreshed one).
TOKEN_HEADER = "X-Auth-Token"
#: Request extension marking a request that must be sent without the HAT token.
ANONYMOUS = "hat_sdk.anonymous"


class RequestBuilder(Protocol):
    """``httpx.Client.build_request`` / ``httpx.AsyncClient.build_request`` (pure, no I/O)."""

    def __call__(
        self,
        method: str,
        url: httpx.URL | str,
        *,
        content: bytes | None = None,
        params: Any = None,
        headers: Any = None,
        timeout: Any = ...,
    ) -> httpx.Request: ...


#: The longest timeout a socket takes (``socket.settimeout`` overflows past about 9.2e9 s).
MAX_TIMEOUT = 1e9


def check_timeout(timeout: object) -> None:
    """Refuse (``InvalidInputError``) a ``timeout=`` that is neither None, a number of seconds
    above 0 (at most ``MAX_TIMEOUT``), nor an ``httpx.Timeout`` of such numbers or None."""
    if timeout is None:
        return
    if isinstance(timeout, httpx.Timeout):
        seconds = [timeout.connect, timeout.read, timeout.write, timeout.pool]
        if all(s is None or is_seconds(s) for s in seconds):
            return
    elif is_seconds(timeout):
        return
    raise InvalidInputError(
        f"timeout must be a number of seconds > 0 and <= {MAX_TIMEOUT:g} or an httpx.Timeout,"
        f" got {timeout!r} (for no timeout at all, pass httpx.Timeout(None))"
    )


#: A header name (RFC 9110 section 5.1: a token), and a str value httpx can send (it encodes
#: str values as ASCII) that h11 accepts (no line breaks or other control characters).
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_TEXT = re.compile(r"[\t\x20-\x7e]*")
_HEADER_BYTES = re.compile(rb"[^\r\n\x00]*")


def check_headers(headers: Mapping[str, str | bytes]) -> None:
    """Refuse (``InvalidInputError``) ``extra_headers`` that no request could carry, before
    anything is sent."""
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise InvalidInputError(
                f"extra_headers: {name!r} is not a header name (letters, digits and"
                " !#$%&'*+-.^_`|~ only)"
            )
        if isinstance(value, bytes) and _HEADER_BYTES.fullmatch(value):
            continue
        if not isinstance(value, str) or not _HEADER_TEXT.fullmatch(value):
            raise InvalidInputError(
                f"extra_headers: the value of {name!r} is not printable ASCII text without line"
                " breaks: percent-encode it (or pass the bytes to send, without line breaks)"
            )


def is_seconds(value: object, *, zero: bool = False) -> bool:
    """Whether ``value`` is a number of seconds above 0 (or 0, with ``zero``), at most
    ``MAX_TIMEOUT``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (value >= 0 if zero else value > 0) and value <= MAX_TIMEOUT


@dataclass(frozen=True, slots=True)
class CallOptions:
    """Per-call settings: ``timeout`` (seconds or ``httpx.Timeout``; None: the client's) and
    ``extra_headers`` added to the request."""

    timeout: float | httpx.Timeout | None = None
    extra_headers: Mapping[str, str] | None = None

    def __post_init__(self) -> None:
        check_timeout(self.timeout)
        check_headers(self.extra_headers or {})

    def over(self, defaults: CallOptions) -> CallOptions:
        """These options, falling back to ``defaults`` (headers are merged, these win)."""
        headers = {**(defaults.extra_headers or {}), **(self.extra_headers or {})}
        return CallOptions(
            self.timeout if self.timeout is not None else defaults.timeout, headers or None
        )


def json_bytes(body: object) -> bytes:
    """``body`` (a pydantic model, a list of them, or plain JSON data) as compact JSON bytes,
    by alias, None-valued fields left out."""
    if isinstance(body, BaseModel):
        return body.model_dump_json(by_alias=True, exclude_none=True).encode()
    if isinstance(body, list | tuple):
        return json_array([json_bytes(item) for item in body])
    return to_json(body, by_alias=True, exclude_none=True)


def json_array(items: Sequence[bytes]) -> bytes:
    """Join JSON documents into a JSON array without re-serialising them."""
    return b"[" + b",".join(items) + b"]"


@dataclass(frozen=True, slots=True)
class Wire:
    """Where requests go (the HAT's base URL), how they are built (the http client's builder),
    the client's default call options and the namespace its records live in."""

    hat_url: str
    build: RequestBuilder
    defaults: CallOptions = field(default_factory=CallOptions)
    namespace: str = ""

    def with_options(self, options: CallOptions) -> Wire:
        """This wire with ``options`` over its defaults (for one call's requests)."""
        if options.timeout is None and not options.extra_headers:
            return self
        return Wire(self.hat_url, self.build, options.over(self.defaults), self.namespace)

    def storage_request(
        self,
        method: str,
        url: httpx.URL,
        *,
        headers: Mapping[str, str] | None = None,
        stream: httpx.SyncByteStream | httpx.AsyncByteStream | None = None,
    ) -> httpx.Request:
        """A request to file storage, another host: none of the http client's headers, never
        the token (marked anonymous), with the call's timeout like every request."""
        timeout = self.defaults.timeout
        built = self.build(
            method, url, timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT
        )
        extensions = {**built.extensions, ANONYMOUS: True}
        return httpx.Request(method, url, headers=headers, stream=stream, extensions=extensions)

    def request(
        self,
        route: Mapping[str, Any],
        content: bytes | None = None,
        *,
        options: CallOptions | None = None,
        anonymous: bool = False,
    ) -> httpx.Request:
        """The request of a generated ``_route`` result, with a JSON body and call options."""
        chosen = (options or CallOptions()).over(self.defaults)
        headers = {**(route.get("headers") or {}), **(chosen.extra_headers or {})}
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            request = self.build(
                str(route["method"]).upper(),
                self.hat_url.rstrip("/") + route["url"],
                params=route.get("params"),
                headers=headers or None,
                content=content,
                timeout=chosen.timeout if chosen.timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except (httpx.InvalidURL, UnicodeError) as unsendable:  # a value no URL can carry
            raise InvalidInputError(
                f"no request can carry these arguments ({type(unsendable).__name__}:"
                f" {str(unsendable)[:200]}): check the ids, names and options given, e.g. for"
                " an unpaired surrogate or a value tens of thousands of characters long"
            ) from None

        if anonymous:
            request.extensions = {**request.extensions, ANONYMOUS: True}
        return request
