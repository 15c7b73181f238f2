"""The public error hierarchy of hat-sdk and the mapping from HAT responses to it.

Every error is a ``HatError``. Errors of HAT answers are keyed by HTTP status, like the
best Python SDKs (``BadRequestError`` for 400, ``AuthenticationError`` for 401,
``PermissionDeniedError`` for 403, ``NotFoundError`` for 404, ...,
``InternalServerError`` for 5xx), with the HAT's own cases as leaves
(``DuplicateDataError``, ``RecordNotFoundError``, ``WrongCredentialsError``...).
The operation is an attribute (``error.operation``), as are the HAT's words (``message``,
``cause``, ``details`` of either error envelope), the status and the answer's headers. Tokens and
passwords never appear in an error: URLs are shown without secret query values, the refreshed
token header is dropped and JWT-looking text is masked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIStatusError",
    "AlreadyExistsError",
    "AuthError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DuplicateDataError",
    "FileNotCompletedError",
    "HatConnectionError",
    "HatError",
    "HatNotFoundError",
    "HatTimeoutError",
    "InternalServerError",
    "InvalidInputError",
    "LimitedTokenScopeError",
    "LoginRequiredError",
    "MalformedBodyError",
    "MissingCredentialsError",
    "MissingItemError",
    "MissingPathError",
    "NotEnabledError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitedError",
    "RecordNotFoundError",
    "RecordValidationError",
    "RequestTooLargeError",
    "ResponseFormatError",
    "ResponseTooLargeError",
    "TokenVerificationError",
    "UnsupportedMediaTypeError",
    "UriTooLongError",
    "WrongCredentialsError",
    "WrongTokenError",
    "error_from_response",
    "error_from_transport",
]

_JWT_LIKE = re.compile(r"eyJ[\w-]*\.[\w-]*\.[\w-]*")
_HEADER_VALUE = re.compile(r"(header value )\S.*")
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
E = TypeVar("E", bound="HatError")
#: Answer headers never kept on an error (the HAT sends a refreshed token in X-Auth-Token).
_SECRET_HEADERS = frozenset({"x-auth-token", "set-cookie", "authorization"})
#: Headers holding a URL, shown as ``safe_url`` shows it (a storage redirect's signature hidden).
_URL_HEADERS = frozenset({"location", "content-location"})


def redact(text: str) -> str:
    """Mask anything that looks like a JWT in ``text``, and the header values h11 quotes when
    it refuses one (e.g. a password with a trailing space)."""
    return _HEADER_VALUE.sub(r"\1<hidden>", _JWT_LIKE.sub("<token>", text))


def _redacted(value: object) -> object:
    """``value`` (decoded JSON) with ``redact`` applied to every string in it."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(str(key)): _redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value


def without_secrets(error: E, secrets: Iterable[str]) -> E:
    """``error`` with every occurrence of ``secrets`` (of 4 characters or more: shorter ones
    would mask common words) in its text, headers and body replaced by ``<hidden>``; for
    secrets a server may echo, such as the password of a login."""
    hidden = sorted({secret for secret in secrets if len(secret) >= 4}, key=len, reverse=True)
    if not hidden:
        return error

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for secret in hidden:
                value = value.replace(secret, "<hidden>")
            return value
        if isinstance(value, dict):
            return {clean(key): clean(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(clean(item) for item in value)
        return value

    error.message, error.cause = clean(error.message), clean(error.cause)
    error.details, error.headers, error.body = map(
        clean, (error.details, error.headers, error.body)
    )
    return restated(error, clean(error.summary))


def restated(error: E, summary: str) -> E:
    """``error`` with ``summary`` (a fuller account of what is done and not done) in place of
    its own, as its message too."""
    error.summary = summary
    error.args = (summary,)
    return error


def safe_url(url: object) -> str:
    """``url`` without user info or fragment, with the values of query parameters the HAT API
    does not define masked (e.g. ``X-Amz-Signature`` of a presigned storage URL); a value
    that is no URL is not shown."""
    try:
        parts = urlsplit(str(url))
    except ValueError:  # e.g. a bracketed host that is no IPv6 address
        return "<not a URL>"
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
        status_code: the HTTP status, when an answer was received.
        headers: the answer's headers (without the refreshed token), when one was received.
        message: the HAT's ``message`` (either error envelope), when it sent one.
        cause: the HAT's ``cause`` (envelope ``{message, cause, details}``).
        details: the HAT's ``details``.
        method: the HTTP method of the request concerned.
        url: the URL of the request concerned, without secrets.
        operation: what was attempted: the spec's operationId (e.g. ``"getDataDebit"``), or
            ``"get"``, ``"post"``, ``"put"``, ``"delete"`` for records, ``"login"``,
            ``"exchange"`` (application token) or ``"publickey"`` for tokens.
        attempts: how many times the request was tried, retries included (a try may fail
            before anything is sent, e.g. when the connection cannot be opened).
        body: the HAT's error envelope as decoded JSON (e.g. ``body["message"]`` holds the
            field errors of a refused body as a dict), when the answer was one; else None.
    """

    default_summary: ClassVar[str] = "The HAT request failed."
    attempts: int = 1

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
        operation: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: object = None,
    ) -> None:
        self.summary = redact(summary or self.default_summary)
        self.body = _redacted(body)
        self.status_code = status_code
        self.message = None if message is None else redact(message)
        self.cause = None if cause is None else redact(cause)
        self.details = tuple(redact(detail) for detail in details)
        self.method = method
        self.url = None if url is None else safe_url(url)
        self.operation = operation
        self.headers: dict[str, str] | None = (
            None
            if headers is None
            else {
                k: safe_url(v) if k.lower() in _URL_HEADERS else redact(v)
                for k, v in headers.items()
                if k.lower() not in _SECRET_HEADERS
            }
        )
        super().__init__(self.summary)

    @classmethod
    def from_response(
        cls,
        response: httpx.Response,
        summary: str | None = None,
        *,
        operation: str | None = None,
        **fields: Any,
    ) -> Self:
        """Build this error from a HAT answer, keeping its status, headers and envelope;
        ``fields`` are the class's own (e.g. ``records`` of ``OutcomeUnknownError``)."""
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
            operation=operation,
            headers=dict(response.headers.items()),
            body=envelope.body,
            **fields,
        )

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        said = "; ".join(part for part in (self.message, self.cause, *self.details) if part)
        status = f"HTTP {self.status_code}" if self.status_code is not None else ""
        context = " -> ".join(part for part in (where, status) if part)
        if said:
            context = f"{context}: {said}" if context else said
        if self.attempts > 1:
            context = "; ".join(part for part in (context, f"tried {self.attempts} times") if part)
        return f"{self.summary} [{context}]" if context else self.summary

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class InvalidInputError(HatError, ValueError):
    """An argument can't be sent to the HAT as given (raised before any request).

    The message says what to fix. It is both a ``HatError`` and a ``ValueError``.
    """

    default_summary = "An argument cannot be sent to the HAT as given."


class HatConnectionError(HatError):
    """The HAT could not be reached or the connection broke."""

    default_summary = "The HAT could not be reached. Check the network and the HAT URL."


class HatTimeoutError(HatConnectionError):
    """The HAT did not answer in time."""

    default_summary = "The HAT did not answer in time. Retry later or raise the timeout."


class ResponseFormatError(HatError):
    """The HAT's answer is not what the API promises (HTML instead of JSON, wrong shape...)."""

    default_summary = (
        "The HAT's response is not in the documented format. Check that the URL points at a HAT."
    )


class RecordValidationError(ResponseFormatError):
    """Some records read do not fit the model they were read as (another app may store other
    shapes under the same endpoint). The others were read and are kept on the error.

    Attributes:
        records: the records that fit, as model instances, in the order read.
        invalid: the ones that do not: ``(record id or None, problem)`` pairs.
    """

    default_summary = "Some records do not fit the model they were read as."

    def __init__(
        self,
        summary: str | None = None,
        *,
        records: Sequence[object] = (),
        invalid: Sequence[tuple[str | None, str]] = (),
        **fields: Any,
    ):
        super().__init__(summary, **fields)
        self.records = tuple(records)
        self.invalid = tuple(invalid)


class ResponseTooLargeError(ResponseFormatError):
    """The answer is larger than the client accepts (``max_response_bytes``), once decoded."""

    default_summary = "The HAT's answer is larger than this client accepts."


class OutcomeUnknownError(HatError):
    """A write may or may not have been applied (the connection failed after sending, or a
    5xx answer that does not say).

    Attributes:
        records: the records whose creation is uncertain; re-post them with
            ``skip_duplicates=True`` to store each exactly once.
    """

    default_summary = (
        "The connection failed after the request was sent, so the HAT may or may not have stored "
        "the records. Read them back before posting them again."
    )

    def __init__(
        self, summary: str | None = None, *, records: Sequence[object] = (), **fields: Any
    ):
        super().__init__(summary, **fields)
        self.records = tuple(records)


class AuthError(HatError):
    """Logging in, obtaining, verifying or using a token failed."""

    default_summary = "Authentication with the HAT failed."


class MissingCredentialsError(AuthError):
    """No password was given and none is stored in the system keyring for the username."""

    default_summary = "No password was found for this HAT user in the system keyring."


class TokenVerificationError(AuthError):
    """A token failed verification (signature, algorithm, issuer, expiry or kind); never used."""

    default_summary = "A token received from the HAT failed verification and was not used."


class LoginRequiredError(AuthError):
    """A token that cannot renew itself (a web-login token) expired or was rejected."""

    default_summary = "The token expired and cannot be renewed. Log in again."


# Errors of HAT answers, keyed by HTTP status.


class APIStatusError(HatError):
    """The HAT answered with an error status (see ``status_code`` and ``headers``)."""


class BadRequestError(APIStatusError):
    """HTTP 400: the HAT refused the request as given."""

    default_summary = "The HAT refused the request (HTTP 400)."


class AuthenticationError(APIStatusError, AuthError):
    """HTTP 401: no valid credentials or token."""

    default_summary = "The HAT did not accept the credentials or token (HTTP 401)."


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the token is valid but not allowed to do this."""

    default_summary = (
        "The token is not allowed to do this. Use an owner token, or grant the application the "
        "permission (e.g. namespacewrite/namespaceread on the namespace)."
    )


class NotFoundError(APIStatusError):
    """HTTP 404: the named data debit, application, file, bundle, combinator or function does
    not exist (or is not visible to this token)."""

    default_summary = (
        "The HAT has no such item (data debit, application, file, bundle, combinator or "
        "function), or this token may not see it. Check the id."
    )


class ConflictError(APIStatusError):
    """HTTP 409."""

    default_summary = "The HAT reported a conflict (HTTP 409)."


class RequestTooLargeError(APIStatusError):
    """HTTP 413: the body is over the HAT's 10 MB limit."""

    default_summary = "The request body is over the HAT's limit (10 MB). Send less at once."


class UriTooLongError(APIStatusError):
    """HTTP 414: the request target is over the HAT's limit (2 KiB by default)."""

    default_summary = "The request URL is over the HAT's limit (2 KiB). Send fewer ids at once."


class UnsupportedMediaTypeError(APIStatusError):
    """HTTP 415: the HAT expected a JSON body."""

    default_summary = "The HAT expects a JSON body sent with Content-Type: application/json."


class RateLimitError(APIStatusError):
    """HTTP 429: too many requests."""

    default_summary = "Too many requests (HTTP 429). Wait a little and retry."


class InternalServerError(APIStatusError):
    """HTTP 5xx: the HAT (or a proxy before it) failed."""

    default_summary = "The HAT had an internal error (HTTP 5xx); retry later."


# The HAT's own cases, under the status it answers them with.


class WrongCredentialsError(AuthenticationError):
    """The HAT rejected the username or password (401 on login)."""

    default_summary = (
        "The HAT rejected the username or password. Check them (or the keyring entry) and retry."
    )


class WrongTokenError(AuthenticationError):
    """The HAT rejected the token of a call (401): expired, idle too long or from another HAT."""

    default_summary = (
        "The HAT rejected the access token (expired, idle for over 3 days or issued by another "
        "HAT). Log in again."
    )


class LimitedTokenScopeError(PermissionDeniedError):
    """The token is valid but not allowed to do this (403)."""


class HatNotFoundError(NotFoundError, AuthError):
    """No HAT answers at the address: the server there says 404 "HAT unavailable", or
    answers a login with a redirect. (When nothing answers at all: ``HatConnectionError``.)"""

    default_summary = (
        "No HAT is served at this address. Check the HAT URL "
        "(owner logins default to https://<username>.hubat.net)."
    )


class RateLimitedError(BadRequestError, AuthError):
    """Logins stayed rate limited (400 "Request rate exceeded") for longer than allowed."""

    default_summary = (
        "The HAT is rate limiting logins (a burst of 10, then one every 2 seconds). Wait a "
        "little and retry, and share one token object instead of logging in repeatedly."
    )


class DuplicateDataError(BadRequestError):
    """The HAT already stores a record with identical data (POST/batch 400; a PUT answers
    500: ``UpdateFailedError``).

    Attributes:
        duplicates: the inputs of the call known to duplicate each other (empty when the HAT did
            not say which).
    """

    default_summary = (
        "The HAT already stores a record with identical data (records are deduplicated by their "
        "exact JSON across all endpoints). Change the data or skip duplicates."
    )

    def __init__(
        self, summary: str | None = None, *, duplicates: Sequence[object] = (), **fields: Any
    ):
        super().__init__(summary, **fields)
        self.duplicates = tuple(duplicates)


class UpdateFailedError(DuplicateDataError, InternalServerError):
    """A record PUT answered 5xx. The HAT answers an update that would give a record the same
    data as another with 500 (its unique index refuses it, unhandled), so this is most likely a
    duplicate; it may also be a failing HAT. Caught as either ``DuplicateDataError`` or
    ``InternalServerError``."""

    default_summary = (
        "The HAT failed to update the records (HTTP 5xx), most likely because the update would "
        "give a record exactly the same data as another record. Make the data unique; if it is, "
        "the HAT itself failed: retry later."
    )


class OutcomeUnknownServerError(OutcomeUnknownError, InternalServerError):
    """A POST answered 5xx, which does not say whether the records were stored (a proxy may
    answer so after the HAT stored them). Caught as either ``OutcomeUnknownError`` or
    ``InternalServerError``; ``records`` lists the records concerned."""


class MissingItemError(BadRequestError, NotFoundError):
    """The named application, data debit or function does not exist, answered with 400 (as
    the HAT does on some routes) rather than 404: both ``except BadRequestError`` and
    ``except NotFoundError`` catch it."""

    default_summary = NotFoundError.default_summary


class RecordNotFoundError(BadRequestError):
    """Some records do not exist or are not visible to the token (400 "Data Missing")."""

    default_summary = "Some of the records do not exist (or are not visible to this token)."


class MalformedBodyError(BadRequestError):
    """The HAT could not parse or validate the request body (400)."""

    default_summary = "The HAT could not parse or validate the request body."


class MissingPathError(MalformedBodyError):
    """The request body lacks a field the HAT requires (400, JSON validation error)."""

    default_summary = "The request body lacks a field the HAT requires."


class NotEnabledError(BadRequestError):
    """The data debit or SHE function is not enabled (or not available) right now."""

    default_summary = (
        "The data debit or function is not enabled. Enable it first (data debits also need to "
        "have started and not ended)."
    )


class FileNotCompletedError(BadRequestError):
    """The file's content was not (fully) uploaded, so it cannot be completed or read."""

    default_summary = (
        "The file's content has not been uploaded, so the HAT cannot complete it. Upload the "
        "bytes to the file's contentUrl first (files.upload does all three steps)."
    )


class AlreadyExistsError(BadRequestError):
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
        body: dict[str, object] | None = None,
    ) -> None:
        self.is_json = is_json
        self.body = body
        self.error = error
        self.message = message
        self.cause = cause
        self.details = details
        self.structured_message = structured_message

    @classmethod
    def parse(cls, response: httpx.Response) -> _Envelope:
        # pydantic-core's parser: deep nesting is a ValueError, not a RecursionError.
        from pydantic_core import from_json

        try:
            body = from_json(response.content) if response.content else None
        except ValueError:
            return cls(is_json=False, message=_describe_body(response))
        if not isinstance(body, dict):
            return cls(is_json=False, message=_describe_json(response, body))
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
            body=body,
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


def _describe_json(response: httpx.Response, body: object) -> str | None:
    """A JSON body that is not an error envelope (a page of records, say), by its kind."""
    if body is None and not response.content:
        return None
    kinds = {list: "an array", str: "a string", bool: "a boolean", int: "a number"}
    kind = "null" if body is None else kinds.get(type(body), "a number")
    content_type = response.headers.get("content-type", "unknown type").split(";")[0]
    return f"JSON body, {kind} ({content_type}, {len(response.content)} bytes)"


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: RequestTooLargeError,
    414: UriTooLongError,
    415: UnsupportedMediaTypeError,
    429: RateLimitError,
}


#: What the HAT says when a named item is missing, on routes that answer it with 400.
_MISSING_ITEM_MESSAGES = frozenset(
    {
        "Not Found",
        "Application not Found",
        "Bundle Not Found",
        "Combinator Not Found",
        "Function Not Found",
        "No such file",
    }
)


def _leaf(status: int, envelope: _Envelope, operation: str) -> type[HatError] | None:
    """The HAT-specific case of an error answer, if it is one."""
    message = envelope.message or ""
    cause = envelope.cause or ""
    if status == 401:
        logins = ("login", "getAccessToken")  # the token's own, and the generated one
        return WrongCredentialsError if operation in logins else WrongTokenError
    if status == 403:
        return LimitedTokenScopeError
    if status == 404 and message == "HAT unavailable":
        return HatNotFoundError
    if status == 400 and message == "Request rate exceeded":
        return RateLimitedError
    if status == 400 and "Duplicate data" in cause:
        return DuplicateDataError
    if status >= 500 and operation == "put":
        return UpdateFailedError
    if status == 400 and message == "Data Missing":
        return RecordNotFoundError
    if status == 400 and message in _MISSING_ITEM_MESSAGES:
        return MissingItemError
    if status == 400 and message == "File not available":
        return FileNotCompletedError
    if status == 400 and (cause.endswith("not enabled") or message.startswith("Function Not")):
        return NotEnabledError
    if status == 400 and "already exists" in cause:
        return AlreadyExistsError
    if status == 400 and envelope.error == "Bad Request":
        if envelope.structured_message and "error.path.missing" in message:
            return MissingPathError
        return MalformedBodyError
    return None


def _pick_class(status: int, envelope: _Envelope, operation: str) -> type[HatError]:
    if 200 <= status < 400:
        return ResponseFormatError
    leaf = _leaf(status, envelope, operation)
    if leaf is not None:
        return leaf
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


def _summary(
    cls: type[HatError], response: httpx.Response, envelope: _Envelope, operation: str
) -> str:
    status = response.status_code
    if cls is ResponseFormatError and response.has_redirect_location:
        # "See other" answers a request that was processed (RFC 9110 section 15.4.4).
        changed = status == 303 and response.request.method not in ("GET", "HEAD")
        return (
            f"The HAT answered HTTP {status}, a redirect to"
            f" {safe_url(response.headers['location'])}, which hat-sdk did not follow (a client"
            " follows redirects only if its http_client has follow_redirects=True, and then at"
            " most max_redirects of them). Use the address it redirects to as the HAT's URL."
            + (" The change this request asked for may have been applied." if changed else "")
        )
    if cls is ResponseFormatError:
        return (
            f"The HAT answered HTTP {status} but the body is not what the API documents for this "
            "call. Check that the URL points at a HAT."
        )
    if operation == "exchange" and cls is LimitedTokenScopeError:
        return (
            "The token may not obtain this application's token. Use the owner's token (or an "
            "application token granted retrieveapplicationtoken for this application)."
        )
    if operation == "exchange" and cls is NotFoundError:
        return (
            "The HAT knows no application with this id, so it has no token for it. Check the "
            "application id (client.applications.list() lists those the HAT knows)."
        )
    if cls in _BY_STATUS.values() or cls in {APIStatusError, InternalServerError}:
        said = "" if envelope.is_json else " without a JSON error body"
        return f"{cls.default_summary} The HAT answered HTTP {status}{said} to {operation}."
    return cls.default_summary


def error_from_response(response: httpx.Response, *, operation: str) -> HatError:
    """The ``HatError`` subclass describing a failed HAT answer.

    Args:
        response: a HAT answer whose body has been read. A 2xx/3xx answer is reported as a
            ``ResponseFormatError`` (call this only when its body was unusable).
        operation: what was attempted (the spec's operationId, or ``"get"``, ``"post"``,
            ``"put"``, ``"delete"`` for records, ``"login"``, ``"exchange"``, ``"publickey"``
            for tokens); it settles ambiguous statuses (401 on login means wrong credentials,
            a 5xx on a record PUT most likely means duplicate data).
    """
    envelope = _Envelope.parse(response)
    status = response.status_code
    cls = _pick_class(status, envelope, operation)
    return cls.from_response(
        response, _summary(cls, response, envelope, operation), operation=operation
    )


def error_from_transport(exc: Exception, *, operation: str) -> HatError:
    """The ``HatError`` for an httpx transport failure (``httpx.TransportError``).

    Timeouts become ``HatTimeoutError``, anything else ``HatConnectionError``, whichever call
    it was (a login too: a refused connection does not tell a wrong address from a HAT that is
    down). Chain the result: ``raise error_from_transport(e, ...) from e``.
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
    if isinstance(exc, httpx.TimeoutException) or isinstance(exc.__cause__, httpx.TimeoutException):
        cls = HatTimeoutError  # the call's request, or a token request before it, timed out
        timed_out = exc if isinstance(exc, httpx.TimeoutException) else exc.__cause__
        phase = "read"  # which of the request's timeouts it was
        if isinstance(timed_out, httpx.ConnectTimeout):
            phase = "connect"
        elif isinstance(timed_out, httpx.WriteTimeout):
            phase = "write"
        elif isinstance(timed_out, httpx.PoolTimeout):
            phase = "pool"
        timeouts = request.extensions.get("timeout") if request else None
        if isinstance(timeouts, dict) and timeouts.get(phase) is not None:
            reason = f"{reason}; {phase} timeout {timeouts[phase]:g} s"
    return cls(f"{cls.default_summary} ({reason})", method=method, url=url, operation=operation)
