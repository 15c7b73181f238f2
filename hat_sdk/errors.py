"""The public error hierarchy of hat-sdk and the mapping from HAT responses to it.

Every error is a :class:`HatError`. The HAT's own words (``message``, ``cause``, ``details`` from
either error envelope) are kept as attributes next to a human summary of what happened and what to
do. Operation errors (:class:`GetError`, :class:`PostError`, :class:`PutError`,
:class:`DeleteError`) are bases of the specific errors each operation can raise, so
``except PostError`` catches everything a failed POST raises. Tokens and passwords never appear in
an error: URLs are shown without secret query values and JWT-looking text is masked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Self
from urllib.parse import unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AlreadyExistsError",
    "AuthError",
    "DeleteError",
    "DuplicateDataError",
    "FileNotCompletedError",
    "GetError",
    "HatConnectionError",
    "HatError",
    "HatNotFoundError",
    "HatTimeoutError",
    "InvalidInputError",
    "LimitedTokenScopeError",
    "LoginRequiredError",
    "MalformedBodyError",
    "MissingCredentialsError",
    "MissingPathError",
    "NotEnabledError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PostError",
    "PutError",
    "RateLimitedError",
    "RecordNotFoundError",
    "ResponseFormatError",
    "TokenVerificationError",
    "UnsupportedMediaTypeError",
    "WrongCredentialsError",
    "WrongTokenError",
    "error_from_response",
    "error_from_transport",
]

_JWT_LIKE = re.compile(r"eyJ[\w-]*\.[\w-]*\.[\w-]*")
#: Query parameters of the HAT's API and login pages (openapi/hat.yaml): their values are shown.
#: Any other value is masked: tokens, and the signature and credential of presigned storage URLs.
_SHOWN_QUERY_KEYS = frozenset(
    {
        "atperiodend",
        "content",
        "orderby",
        "ordering",
        "records",
        "since",
        "skip",
        "skiperrors",
        "take",
        "until",
        "useall",
        "application_id",
        "redirect_uri",
        "name",
        "resource",
    }
)
_BODY_EXCERPT = 200


def redact(text: str) -> str:
    """Mask anything that looks like a JWT in ``text``."""
    return _JWT_LIKE.sub("<token>", text)


def safe_url(url: object) -> str:
    """``url`` without user info or fragment, with the values of query parameters the HAT API
    does not define masked (e.g. ``X-Amz-Signature`` of a presigned storage URL)."""
    parts = urlsplit(str(url))
    netloc = parts.netloc.rpartition("@")[2]
    query = "&".join(
        pair
        if unquote(pair.partition("=")[0]).lower() in _SHOWN_QUERY_KEYS
        else f"{pair.partition('=')[0]}=<hidden>"
        for pair in parts.query.split("&")
        if pair
    )
    return redact(urlunsplit((parts.scheme, netloc, parts.path, query, "")))


class HatError(Exception):
    """Base of every hat-sdk error.

    Attributes:
        summary: what happened and what to do, in plain words.
        status_code: the HTTP status, when a response was received.
        message, cause, details: the HAT's error envelope fields, when it sent them
            (``{"error", "message"}`` or ``{"message", "cause", "details"}``).
        method, url: the request concerned (the URL never carries secrets).
    """

    default_summary: ClassVar[str] = "The HAT request failed."

    def __init__(
        self,
        summary: str | None = None,
        *,
        status_code: int | None = None,
        message: str | None = None,
        cause: str | None = None,
        details: Sequence[str] = (),
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.summary = redact(summary or self.default_summary)
        self.status_code = status_code
        self.message = None if message is None else redact(message)
        self.cause = None if cause is None else redact(cause)
        self.details = tuple(redact(detail) for detail in details)
        self.method = method
        self.url = None if url is None else safe_url(url)
        super().__init__(self.summary)

    @classmethod
    def from_response(cls, response: httpx.Response, summary: str | None = None) -> Self:
        """Build this error from a HAT response, keeping its status and envelope fields."""
        envelope = _Envelope.parse(response)
        try:
            request: httpx.Request | None = response.request
        except RuntimeError:  # a response built by hand has no request
            request = None
        return cls(
            summary,
            status_code=response.status_code,
            message=envelope.message,
            cause=envelope.cause,
            details=envelope.details,
            method=request.method if request else None,
            url=str(request.url) if request else None,
        )

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        said = "; ".join(part for part in (self.message, self.cause, *self.details) if part)
        status = f"HTTP {self.status_code}" if self.status_code is not None else ""
        context = " -> ".join(part for part in (where, status) if part)
        if said:
            context = f"{context}: {said}" if context else said
        return f"{self.summary} [{context}]" if context else self.summary

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class AuthError(HatError):
    """Logging in, obtaining or using a token failed."""

    default_summary = "Authentication with the HAT failed."


class WrongCredentialsError(AuthError):
    """The HAT rejected the username or password (401 on login)."""

    default_summary = (
        "The HAT rejected the username or password. Check them (or the keyring entry) and retry."
    )


class MissingCredentialsError(AuthError):
    """No password is stored in the system keyring for the username."""

    default_summary = "No password was found for this HAT user in the system keyring."


class HatNotFoundError(AuthError):
    """No HAT answers at the address: 404 "HAT unavailable", or no server at all."""

    default_summary = (
        "No HAT is served at this address. Check the HAT URL "
        "(owner logins default to https://<username>.hubat.net)."
    )


class RateLimitedError(AuthError):
    """Logins stayed rate limited (400 "Request rate exceeded") for longer than allowed."""

    default_summary = (
        "The HAT is rate limiting logins (a burst of 10, then one every 2 seconds). Wait a "
        "little and retry, and share one token object instead of logging in repeatedly."
    )


class TokenVerificationError(AuthError):
    """A token failed verification (signature, algorithm, issuer, expiry or kind); never used."""

    default_summary = "A token received from the HAT failed verification and was not used."


class LoginRequiredError(AuthError):
    """A token that cannot renew itself (a web-login token) expired or was rejected."""

    default_summary = "The token expired and cannot be renewed. Log in again."


class GetError(HatError):
    """Reading from the HAT failed."""

    default_summary = "Reading from the HAT failed."


class PostError(HatError):
    """Creating records on the HAT failed."""

    default_summary = "Creating records on the HAT failed."


class PutError(HatError):
    """Updating records on the HAT failed."""

    default_summary = "Updating records on the HAT failed."


class DeleteError(HatError):
    """Deleting records on the HAT failed."""

    default_summary = "Deleting records on the HAT failed."


class WrongTokenError(AuthError, GetError, PostError, PutError, DeleteError):
    """The HAT rejected the token of a call (401): expired, idle too long or from another HAT."""

    default_summary = (
        "The HAT rejected the access token (expired, idle for over 3 days or issued by another "
        "HAT). Log in again."
    )


class LimitedTokenScopeError(AuthError, GetError, PostError, PutError, DeleteError):
    """The token is valid but not allowed to do this (403)."""

    default_summary = (
        "The token is not allowed to do this. Use an owner token, or grant the application the "
        "permission (e.g. namespacewrite/namespaceread on the namespace)."
    )


class InvalidInputError(HatError, ValueError):
    """An argument can't be sent to the HAT as given (raised before any request).

    The message says what to fix. It is both a ``HatError`` and a ``ValueError``.
    """

    default_summary = "An argument cannot be sent to the HAT as given."


class DuplicateDataError(PostError, PutError):
    """The HAT already stores a record with identical data (POST/batch 400, PUT 500).

    Attributes:
        duplicates: the inputs of the call known to duplicate each other (empty when the HAT did
            not say which).
    """

    default_summary = (
        "The HAT already stores a record with identical data (records are deduplicated by their "
        "exact JSON across all endpoints). Change the data or skip duplicates."
    )

    def __init__(
        self,
        summary: str | None = None,
        *,
        duplicates: Sequence[object] = (),
        status_code: int | None = None,
        message: str | None = None,
        cause: str | None = None,
        details: Sequence[str] = (),
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(
            summary,
            status_code=status_code,
            message=message,
            cause=cause,
            details=details,
            method=method,
            url=url,
        )
        self.duplicates = tuple(duplicates)


class RecordNotFoundError(GetError, PutError, DeleteError):
    """Some records do not exist or are not visible to the token ("Data Missing")."""

    default_summary = "Some of the records do not exist (or are not visible to this token)."


class MissingPathError(PostError, PutError):
    """The request body lacks a field the HAT requires (400, JSON validation error)."""

    default_summary = "The request body lacks a field the HAT requires."


class MalformedBodyError(PostError, PutError):
    """The HAT could not parse or validate the request body (400)."""

    default_summary = "The HAT could not parse or validate the request body."


class UnsupportedMediaTypeError(PostError, PutError):
    """The HAT expected a JSON body (415)."""

    default_summary = "The HAT expects a JSON body sent with Content-Type: application/json."


class ResponseFormatError(GetError, PostError, PutError, DeleteError, AuthError):
    """The HAT's response is not what the API promises (HTML instead of JSON, wrong shape...)."""

    default_summary = (
        "The HAT's response is not in the documented format. Check that the URL points at a HAT."
    )


class HatConnectionError(GetError, PostError, PutError, DeleteError):
    """The HAT could not be reached or the connection broke."""

    default_summary = "The HAT could not be reached. Check the network and the HAT URL."


class HatTimeoutError(HatConnectionError):
    """The HAT did not answer in time."""

    default_summary = "The HAT did not answer in time. Retry later or raise the timeout."


class OutcomeUnknownError(PostError):
    """A POST may or may not have been applied (the connection failed after sending).

    Attributes:
        records: the records whose creation is uncertain; read them back before re-posting.
    """

    default_summary = (
        "The connection failed after the request was sent, so the HAT may or may not have stored "
        "the records. Read them back before posting them again."
    )

    def __init__(
        self,
        summary: str | None = None,
        *,
        records: Sequence[object] = (),
        status_code: int | None = None,
        message: str | None = None,
        cause: str | None = None,
        details: Sequence[str] = (),
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(
            summary,
            status_code=status_code,
            message=message,
            cause=cause,
            details=details,
            method=method,
            url=url,
        )
        self.records = tuple(records)


# Errors of the areas beyond records (data debits, applications, files, SHE...).


class NotFoundError(HatError):
    """The named data debit, application, file, bundle, combinator or function does not
    exist (or is not visible to this token)."""

    default_summary = (
        "The HAT has no such item (data debit, application, file, bundle, combinator or "
        "function), or this token may not see it. Check the id."
    )


class NotEnabledError(HatError):
    """The data debit or SHE function is not enabled (or not available) right now."""

    default_summary = (
        "The data debit or function is not enabled. Enable it first (data debits also need to "
        "have started and not ended)."
    )


class FileNotCompletedError(HatError):
    """The file's content was not (fully) uploaded, so it cannot be completed or read."""

    default_summary = (
        "The file's content has not been uploaded, so the HAT cannot complete it. Upload the "
        "bytes to the file's contentUrl first (files.upload does all three steps)."
    )


class AlreadyExistsError(HatError):
    """A data debit or bundle with this id already exists (ids of bundles are global)."""

    default_summary = (
        "A data debit or bundle with this id already exists on the HAT. Use another id, or "
        "update the existing data debit."
    )


class _Envelope:
    """The fields of either HAT error envelope, or a description of a non-JSON body."""

    def __init__(
        self,
        *,
        is_json: bool,
        error: str | None = None,
        message: str | None = None,
        cause: str | None = None,
        details: tuple[str, ...] = (),
        structured_message: bool = False,
    ) -> None:
        self.is_json = is_json
        self.error = error
        self.message = message
        self.cause = cause
        self.details = details
        self.structured_message = structured_message

    @classmethod
    def parse(cls, response: httpx.Response) -> _Envelope:
        try:
            body = json.loads(response.content) if response.content else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return cls(is_json=False, message=_describe_body(response))
        message = body.get("message")
        structured = isinstance(message, dict | list)
        details = body.get("details")
        return cls(
            is_json=True,
            error=_text(body.get("error")),
            message=json.dumps(message, separators=(",", ":")) if structured else _text(message),
            cause=_text(body.get("cause")),
            details=tuple(str(item) for item in details) if isinstance(details, list) else (),
            structured_message=structured,
        )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _describe_body(response: httpx.Response) -> str | None:
    if not response.content:
        return None
    content_type = response.headers.get("content-type", "unknown type").split(";")[0]
    if content_type.startswith("text/plain"):
        return response.text[:_BODY_EXCERPT]
    return f"non-JSON body ({content_type}, {len(response.content)} bytes)"


_OPERATION_ERRORS: dict[str, type[HatError]] = {
    "get": GetError,
    "post": PostError,
    "put": PutError,
    "delete": DeleteError,
    "login": AuthError,
    "exchange": AuthError,
    "publickey": AuthError,
}


def _pick_class(status: int, envelope: _Envelope, operation: str) -> type[HatError]:
    message = envelope.message or ""
    cause = envelope.cause or ""
    if 200 <= status < 300:
        return ResponseFormatError
    if status == 401:
        return WrongCredentialsError if operation == "login" else WrongTokenError
    if status == 403:
        return LimitedTokenScopeError
    if status == 404 and message == "HAT unavailable":
        return HatNotFoundError
    if status == 415:
        return UnsupportedMediaTypeError
    if status == 400 and message == "Request rate exceeded":
        return RateLimitedError
    if (status == 400 and "Duplicate data" in cause) or (status == 500 and operation == "put"):
        return DuplicateDataError
    if status == 400 and message == "Data Missing":
        return RecordNotFoundError
    if status == 400 and envelope.error == "Bad Request":
        if envelope.structured_message and "error.path.missing" in message:
            return MissingPathError
        return MalformedBodyError
    return _OPERATION_ERRORS.get(operation, HatError)


def _summary(cls: type[HatError], status: int, envelope: _Envelope, operation: str) -> str:
    if cls is ResponseFormatError:
        return (
            f"The HAT answered HTTP {status} but the body is not what the API documents for this "
            "call. Check that the URL points at a HAT."
        )
    if cls is DuplicateDataError and status == 500:
        return (
            "The HAT failed to update the records, most likely because the update would give a "
            "record exactly the same data as another record. Make the data unique."
        )
    if cls in _OPERATION_ERRORS.values() and not envelope.is_json:
        return f"{cls.default_summary} The HAT answered HTTP {status} without a JSON error body."
    if cls in _OPERATION_ERRORS.values() and status >= 500:
        return f"{cls.default_summary} The HAT had an internal error; retry later."
    if operation == "exchange" and cls is LimitedTokenScopeError:
        return (
            "The token may not obtain this application's token. Use the owner's token (or an "
            "application token granted retrieveapplicationtoken for this application)."
        )
    return cls.default_summary


def error_from_response(response: httpx.Response, *, operation: str) -> HatError:
    """The :class:`HatError` subclass describing a failed HAT response.

    Args:
        response: a HAT response whose body has been read. A 2xx response is reported as a
            :class:`ResponseFormatError` (call this only when its body was unusable).
        operation: what was attempted: ``"get"``, ``"post"``, ``"put"``, ``"delete"`` (record
            operations), ``"login"``, ``"exchange"`` (application token) or ``"publickey"``; it
            picks the fallback class and the meaning of ambiguous statuses (401 on login means
            wrong credentials, a 500 on PUT means duplicate data).
    """
    envelope = _Envelope.parse(response)
    cls = _pick_class(response.status_code, envelope, operation)
    return cls.from_response(response, _summary(cls, response.status_code, envelope, operation))


def error_from_transport(exc: Exception, *, operation: str) -> HatError:
    """The :class:`HatError` for an httpx transport failure (``httpx.TransportError``).

    A connection failure while logging in means no HAT is at that address
    (:class:`HatNotFoundError`); timeouts become :class:`HatTimeoutError`; anything else
    :class:`HatConnectionError`. Chain the result: ``raise error_from_transport(e, ...) from e``.
    """
    import httpx  # local: keeps ``import hat_sdk.errors`` free of the HTTP stack

    try:
        request: httpx.Request | None = exc.request if isinstance(exc, httpx.RequestError) else None
    except RuntimeError:  # httpx raises when the error was created without a request
        request = None
    method = request.method if request else None
    url = str(request.url) if request else None
    reason = f"{type(exc).__name__}: {redact(str(exc))}" if str(exc) else type(exc).__name__
    cls: type[HatError] = HatConnectionError
    if isinstance(exc, httpx.ConnectError) and operation in {"login", "publickey", "exchange"}:
        cls = HatNotFoundError
    elif isinstance(exc, httpx.TimeoutException):
        cls = HatTimeoutError
    return cls(f"{cls.default_summary} ({reason})", method=method, url=url)
