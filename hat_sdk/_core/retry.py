"""When a failed attempt may be repeated, and how long to wait first (pure policy, no I/O).

Idempotent requests (GET, PUT, DELETE) are retried after transport errors and on 408, 429,
500, 502, 503 and 504. A POST is retried only if it provably was not processed: the connection
could not be opened, or the answer was 408 or 429, which say the request was not acted on. The
HAT has no idempotency keys, so a POST that may have reached it must not be repeated blindly
(see ``OutcomeUnknownError``). A failure of the
token's own requests (a login, an application token, the public key) leaves the call's
request unsent, or refused by a 401: ``token_request_failed`` says so.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

__all__ = [
    "RETRYABLE_STATUSES",
    "TOKEN_REQUEST",
    "RequestNotSent",
    "RetryPolicy",
    "surely_unsent",
    "token_request_failed",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
# 500 is included because a HAT behind flaky infrastructure answers 500 for failures that a
# repeat of the same idempotent request does not hit again.
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Answers saying the request was not acted on, so that any method may be sent again: 408 (the
#: server stopped waiting for the request, RFC 9110 section 15.5.9) and 429 (refused by a rate
#: limit, RFC 6585 section 4).
UNPROCESSED_STATUSES = frozenset({408, 429})


#: Request extension marking a request of a token's own flow, sent by the auth flow of a call.
TOKEN_REQUEST = "hat_sdk.token_request"


class RequestNotSent(httpx.TransportError):
    """A call's request was not sent, or the HAT refused it with a 401 (so it took no effect):
    a request of the token's flow failed first. Its error is the ``__cause__``."""


def surely_unsent(error: httpx.TransportError) -> bool:
    """True if ``error`` happened before any byte of the request reached the server."""
    return isinstance(
        error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout | RequestNotSent
    )


def token_request_failed(error: httpx.TransportError) -> httpx.TransportError:
    """``error`` as a call's outcome: ``RequestNotSent`` if it struck a token request."""
    try:
        failed = error.request
    except RuntimeError:  # httpx raises when the error was created without a request
        return error
    if surely_unsent(error) or not failed.extensions.get(TOKEN_REQUEST):
        return error
    unsent = RequestNotSent(
        f"{type(error).__name__} on the token's request {failed.method} {failed.url.path}"
        f" (the call's own request was not sent): {error}",
        request=failed,
    )
    unsent.__cause__ = error
    return unsent


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry budget and exponential backoff with jitter, bounded, honouring ``Retry-After``."""

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def delay_after_error(
        self, method: str, error: httpx.TransportError, attempt: int
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1`` after ``error``, or None: give up."""
        if attempt >= self.max_retries:
            return None
        if method not in IDEMPOTENT_METHODS and not surely_unsent(error):
            return None
        return self._backoff(attempt)

    def delay_after_response(
        self, method: str, response: httpx.Response, attempt: int
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1`` after ``response``, or None: keep it."""
        if attempt >= self.max_retries or response.status_code not in RETRYABLE_STATUSES:
            return None
        if method not in IDEMPOTENT_METHODS and response.status_code not in UNPROCESSED_STATUSES:
            return None
        retry_after = _retry_after_seconds(response)
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return retry_after
        return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.initial_delay * 2.0**attempt, self.max_delay)
        # Jitter keeps clients that failed together from all retrying at the same moment.
        return ceiling * (0.5 + random.random() / 2)


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError, IndexError):  # a date no server sends
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    except OverflowError:  # a zone offset beyond any date
        return None
