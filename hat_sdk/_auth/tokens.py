"""Self-managing HAT tokens: lazy login, verification, sliding refresh and single-flight renewal.

A token is an ``httpx.Auth``: pass it as ``auth=`` to ``httpx.Client``, ``httpx.AsyncClient`` or
the generated client (``httpx_args={"auth": token}``). For each request to its HAT it

1. renews itself first if it has none yet or is close to expiry (only one caller renews; the
   others wait and reuse the result — per thread-shared ``threading.Lock`` for sync clients, per
   event-loop ``asyncio.Lock`` for async ones),
2. attaches ``X-Auth-Token``,
3. on a 401 renews once and retries once,
4. replaces itself with the refreshed token of the ``X-Auth-Token`` response header (verified).

Requests to any other scheme/host/port are passed through without the token.
The logic is written once, as generator flows (``hat_sdk._auth.flows``).
"""

from __future__ import annotations

import logging
import re
from abc import abstractmethod
from collections.abc import AsyncGenerator, Callable, Generator
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Generic, cast
from urllib.parse import quote

import httpx
from pydantic_core import from_json

from hat_sdk._auth.claims import AppClaims, OwnerClaims
from hat_sdk._auth.flows import (
    DualLock,
    Flow,
    Lock,
    Unlock,
    drive_async,
    drive_sync,
    run_async,
    run_sync,
)
from hat_sdk._auth.jwt import (
    ClaimsT,
    VerifiedToken,
    check_algorithm,
    unverified_issuer,
    utc_now,
    verify_flow,
    verify_with_cached_key,
)
from hat_sdk._auth.keyring import lookup_password, service_for
from hat_sdk._auth.origin import HatOrigin
from hat_sdk._core.exchange import Sleep
from hat_sdk._core.log_redaction import install as install_log_redaction
from hat_sdk._core.paths import path_segment
from hat_sdk._core.retry import RETRYABLE_STATUSES, TOKEN_REQUEST
from hat_sdk._core.scrub import scrub_exception
from hat_sdk._core.wire import TOKEN_HEADER
from hat_sdk._version import USER_AGENT
from hat_sdk.errors import (
    HatError,
    InvalidInputError,
    LoginRequiredError,
    RateLimitedError,
    ResponseFormatError,
    TokenVerificationError,
    WrongCredentialsError,
    error_from_response,
    error_from_transport,
    redact,
    without_secrets,
)

if TYPE_CHECKING:
    from keyring.credentials import Credential

logger = logging.getLogger("hat_sdk.tokens")
install_log_redaction()  # tokens travel in headers, which httpcore logs at DEBUG

_HAT_NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


#: Answers of a HAT (or a proxy before it) failing for the moment: a token request (a GET,
#: so safe to repeat) is sent again after them, twice at most.
_TRANSIENT_STATUSES = RETRYABLE_STATUSES - {429}
_TOKEN_RETRIES = 2
#: Seconds before the first repeat of an application token request (doubled for the second).
_FIRST_RETRY_WAIT = 0.5


def _tried_again(
    send: Callable[[], Flow[httpx.Response]], what: str, first_wait: float
) -> Flow[httpx.Response]:
    """The answer of ``send()``, sent again up to twice after a 5xx answer."""
    failures = 0
    while True:
        response = yield from send()
        if response.status_code not in _TRANSIENT_STATUSES or failures == _TOKEN_RETRIES:
            return response
        failures += 1
        wait = first_wait * failures
        logger.info("%s failed with HTTP %d; retrying in %.2f s", what, response.status_code, wait)
        yield Sleep(wait)


class HatToken(httpx.Auth, Generic[ClaimsT]):
    """An ``X-Auth-Token`` for one HAT that logs in lazily, verifies and renews itself.

    Use it as ``auth=`` of an httpx client (sync or async) or of the generated client; share one
    object between threads and tasks. Subclasses: [`ApiOwnerToken`][hat_sdk.ApiOwnerToken],
    [`WebOwnerToken`][hat_sdk.WebOwnerToken], [`AppToken`][hat_sdk.AppToken].

    The token is attached only to requests for its own HAT (same scheme, host and port). Keep
    ``follow_redirects=False`` (the httpx default): httpx copies custom headers such as
    ``X-Auth-Token`` to redirect targets, which an auth flow cannot intercept.
    """

    requires_request_body = True  # a 401 retry sends the body again
    _claims_types: ClassVar[tuple[type[OwnerClaims | AppClaims], ...]]
    _renewable: ClassVar[bool] = True

    def __init__(self, origin: HatOrigin) -> None:
        self._origin = origin
        self._current: VerifiedToken[ClaimsT] | None = None
        self._renewal_lock = DualLock()

    @property
    def hat_url(self) -> str:
        """The HAT this token belongs to, e.g. ``https://alice.hubat.net``."""
        return self._origin.base_url

    @property
    def claims(self) -> ClaimsT | None:
        """The verified claims of the current token (``None`` before the first login)."""
        current = self._current
        return None if current is None else current.claims

    @property
    def expires_at(self) -> datetime | None:
        """When the current token stops working unless used (and so refreshed) before:
        the earlier of ``iat`` + 3 days and ``exp``. ``None`` before the first login."""
        current = self._current
        return None if current is None else current.claims.expires_at

    def access_token(self, client: httpx.Client | None = None) -> str:
        """The current token string, logging in or renewing first when needed.

        For handing the token to other tools; keep it secret. ``client`` is used for any request
        (a short-lived client with TLS verification is created when omitted).
        """
        try:
            if client is None:
                with httpx.Client() as temporary:
                    run_sync(self._usable_flow(), temporary)
            else:
                run_sync(self._usable_flow(), client)
        except httpx.TransportError as exc:
            raise error_from_transport(exc, operation="login") from scrub_exception(exc)
        return self._current_value()

    async def aaccess_token(self, client: httpx.AsyncClient | None = None) -> str:
        """Async [`access_token`][hat_sdk.HatToken.access_token]."""
        try:
            if client is None:
                async with httpx.AsyncClient() as temporary:
                    await run_async(self._usable_flow(), temporary)
            else:
                await run_async(self._usable_flow(), client)
        except httpx.TransportError as exc:
            raise error_from_transport(exc, operation="login") from scrub_exception(exc)
        return self._current_value()

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        """httpx hook for sync clients (locks with a ``threading.Lock``)."""
        return drive_sync(self._request_flow(request), request)

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """httpx hook for async clients (locks with the event loop's ``asyncio.Lock``)."""
        return drive_async(self._request_flow(request), request)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        """httpx hook; same as [`sync_auth_flow`][hat_sdk.HatToken.sync_auth_flow]."""
        return self.sync_auth_flow(request)

    def __repr__(self) -> str:
        fields = [f"hat_url={self.hat_url!r}", *self._repr_fields()]
        expires_at = self.expires_at
        fields.append(
            "not logged in" if expires_at is None else f"expires_at={expires_at.isoformat()!r}"
        )
        return f"{type(self).__name__}({', '.join(fields)})"

    def _repr_fields(self) -> list[str]:
        return []

    @abstractmethod
    def _obtain(self) -> Flow[VerifiedToken[ClaimsT]]:
        """Obtain a new verified token (the current one is missing, stale or was rejected)."""

    def _current_value(self) -> str:
        current = self._current
        if current is None:  # the flow always leaves a token behind or raises
            raise RuntimeError("no token after a successful renewal")
        return current.value

    def _narrowed(self, token: VerifiedToken[OwnerClaims | AppClaims]) -> VerifiedToken[ClaimsT]:
        """``token`` if its claims are of the kind this class holds, else TokenVerificationError."""
        if not isinstance(token.claims, self._claims_types):
            kind = "an application" if isinstance(token.claims, AppClaims) else "an owner"
            raise TokenVerificationError(
                f"The HAT at {self.hat_url} issued {kind} token where {type(self).__name__} "
                "expected another kind; it was not used.",
                url=self.hat_url,
            )
        return cast(VerifiedToken[ClaimsT], token)

    def _usable_flow(self) -> Flow[VerifiedToken[ClaimsT]]:
        """A token fit for use: the current one, or a renewed one if it is missing or stale."""
        seen, now = self._current, utc_now()
        if seen is not None and not seen.needs_renewal(now):
            return seen
        if seen is not None and not self._renewable and not seen.is_expired(now):
            return seen  # nothing better to get; use it while it lasts
        return (yield from self._renew_once(seen))

    def _renew_once(self, seen: VerifiedToken[ClaimsT] | None) -> Flow[VerifiedToken[ClaimsT]]:
        """Single flight: the first caller that found ``seen`` renews; callers that waited for
        it find a different current token and reuse it (double-checked locking)."""
        yield Lock(self._renewal_lock)
        current = self._current
        if current is seen:
            current = yield from self._obtain()
            self._current = current
        yield Unlock(self._renewal_lock)
        assert current is not None  # renewal returns a token or raises
        return current

    def _request_flow(self, request: httpx.Request) -> Flow[httpx.Response]:
        """Send ``request`` with the token: renew first if needed, retry once after a 401,
        and adopt a refreshed token from the response."""
        if not self._origin.owns(request.url):
            logger.debug("Not sending the %s token to %s", self.hat_url, request.url.host)
            request.headers.pop(TOKEN_HEADER, None)
            return (yield request)
        token = yield from self._usable_flow()
        request.headers[TOKEN_HEADER] = token.value
        response = yield request
        if response.status_code == 401:
            logger.info("%s rejected the token (401); renewing it and retrying once", self.hat_url)
            token = yield from self._renew_once(token)
            request.headers[TOKEN_HEADER] = token.value
            response = yield request
        self._adopt_refreshed(response, token)
        return response

    def _adopt_refreshed(self, response: httpx.Response, sent: VerifiedToken[ClaimsT]) -> None:
        """Replace the current token with the response's refreshed one (same session, newer).

        A refreshed token that fails verification is ignored, never raised: the response it
        came with is the outcome of the call (e.g. records stored), and the current token stays
        valid until its own expiry.
        """
        header = response.headers.get(TOKEN_HEADER)
        if not header or header == sent.value:
            return
        # The key is cached: it verified the token just sent. No request may follow the
        # user's response, so an uncached key means "skip", never "fetch".
        try:
            verified = verify_with_cached_key(header, self._origin)
            if verified is None:
                return
            current = self._current
            if (
                current is not None
                and verified.claims.jti == current.claims.jti
                and verified.claims.iat >= current.claims.iat
            ):
                self._current = self._narrowed(verified)
        except TokenVerificationError as refused:
            logger.warning("Ignored a refreshed token from %s: %s", self.hat_url, refused.summary)
        except Exception as broken:
            # The call's answer is what matters (a POST may have stored records): a refreshed
            # token that breaks its check must not turn it into a failure.
            logger.warning(
                "Ignored a refreshed token from %s: %s: %s",
                self.hat_url,
                type(broken).__name__,
                redact(str(broken)),
            )


def _default_hat_url(username: str) -> str:
    if not _HAT_NAME.fullmatch(username):
        raise InvalidInputError(
            f"Cannot derive a HAT URL from the username {username!r} (not a HAT name); "
            "pass hat_url='https://<your HAT host>'."
        )
    return f"https://{username}.hubat.net"


class ApiOwnerToken(HatToken[OwnerClaims]):
    """The HAT owner's token, obtained by logging in with username and password.

    Args:
        credential: the username, or a ``keyring`` credential (e.g.
            ``SimpleCredential("alice", "secret")``).
        password: the password of a username given as ``credential``. Default: looked up in
            the system keyring under the service ``hat-sdk:<hat host[:port]>`` (see
            [`keyring_service`][hat_sdk.keyring_service]).
        hat_url: the HAT; default ``https://<username>.hubat.net``.
        allow_insecure_http: allow ``http://`` to a non-loopback host (passwords in clear text).
        login_backoff: first wait in seconds when the HAT rate-limits logins; doubles each time.
        login_max_wait: total seconds to keep retrying a rate-limited login before raising
            [`RateLimitedError`][hat_sdk.errors.RateLimitedError].

    Nothing is sent until the token is first needed.
    """

    _claims_types = (OwnerClaims,)

    def __init__(
        self,
        credential: Credential | str,
        *,
        password: str | None = None,
        hat_url: str | None = None,
        allow_insecure_http: bool = False,
        login_backoff: float = 2.0,
        login_max_wait: float = 30.0,
    ) -> None:
        if password is not None:
            if not isinstance(credential, str):
                raise InvalidInputError(
                    "password= goes with a username; a credential already holds its password."
                )
            from keyring.credentials import SimpleCredential  # a password given in code

            credential = SimpleCredential(credential, password)
        self._credential = None if isinstance(credential, str) else credential
        self._username = credential if isinstance(credential, str) else credential.username
        if not self._username:
            raise InvalidInputError("The HAT username is empty.")
        if login_backoff <= 0 or login_max_wait < 0:
            raise InvalidInputError("login_backoff must be > 0 and login_max_wait >= 0 (seconds).")
        super().__init__(
            HatOrigin.parse(
                hat_url or _default_hat_url(self._username),
                allow_insecure_http=allow_insecure_http,
            )
        )
        self._login_backoff = login_backoff
        self._login_max_wait = login_max_wait

    @property
    def username(self) -> str:
        """The HAT username."""
        return self._username

    def _repr_fields(self) -> list[str]:
        return [f"username={self._username!r}"]

    def _password(self) -> str:
        if self._credential is None:
            return lookup_password(self._origin, self._username)
        return self._credential.password

    def _obtain(self) -> Flow[VerifiedToken[OwnerClaims]]:
        try:
            return (yield from self._logged_in())
        except HatError as failed:  # a server or proxy may echo the password it was sent
            without_secrets(failed, self._password_forms())
            raise

    def _password_forms(self) -> list[str]:
        """The password as given and as sent (percent-encoded), if it can be known."""
        try:
            password = self._password()
        except HatError:
            return []
        return [password, quote(password, safe="")]

    def _logged_in(self) -> Flow[VerifiedToken[OwnerClaims]]:
        logger.info("Logging in to %s as %r", self.hat_url, self._username)
        response = yield from self._login_request_flow()
        if response.status_code == 401:
            where = (
                f" stored in the keyring under {service_for(self._origin)!r}"
                if self._credential is None
                else ""
            )
            raise WrongCredentialsError.from_response(
                response,
                f"The HAT at {self.hat_url} rejected the username {self._username!r} or its "
                f"password{where}. Check them and try again.",
            )
        if response.status_code != 200:
            raise error_from_response(response, operation="login")
        return self._narrowed((yield from verify_flow(_access_token(response), self._origin)))

    def _login_request_flow(self) -> Flow[httpx.Response]:
        """``GET /users/access_token``, waiting and retrying while logins are rate limited
        (and after a HAT failing for the moment: see ``_tried_again``)."""
        waited = 0.0
        delay = self._login_backoff

        def login() -> Flow[httpx.Response]:
            return (
                yield httpx.Request(
                    "GET",
                    self._origin.url("/users/access_token"),
                    headers={
                        "Accept": "application/json",
                        "User-Agent": USER_AGENT,
                        # The HAT URL-decodes both headers.
                        "username": quote(self._username, safe=""),
                        "password": quote(self._password(), safe=""),
                    },
                    extensions={TOKEN_REQUEST: True},
                )
            )

        while True:
            response = yield from _tried_again(login, f"Login to {self.hat_url}", delay / 4)
            if not isinstance(error_from_response(response, operation="login"), RateLimitedError):
                return response
            if waited + delay > self._login_max_wait:
                raise RateLimitedError.from_response(
                    response,
                    f"Logins to {self.hat_url} stayed rate limited for {waited:.1f} s. Wait a "
                    "little and retry, and share one token object instead of logging in "
                    "repeatedly.",
                )
            logger.info("Login to %s is rate limited; retrying in %.2f s", self.hat_url, delay)
            yield Sleep(delay)
            waited += delay
            delay *= 2


class WebOwnerToken(HatToken[OwnerClaims | AppClaims]):
    """A token received from the HAT web login (``redirect_uri?token=...``).

    Args:
        token: the JWT from the redirect. It is verified (signature, issuer, expiry) before first
            use; its HAT is taken from its ``iss`` claim unless ``hat_url`` is given.
        hat_url: the HAT, if not the token's issuer (``https://``, ``http://`` for loopback).
        allow_insecure_http: allow ``http://`` to a non-loopback host.

    It cannot log in again: when it expires or is rejected,
    [`LoginRequiredError`][hat_sdk.errors.LoginRequiredError] asks for a new web login
    (see [`web_login_url`][hat_sdk.web_login_url]). Each use slides its 3-day idle limit.
    """

    _claims_types = (OwnerClaims, AppClaims)
    _renewable = False

    def __init__(
        self, token: str, *, hat_url: str | None = None, allow_insecure_http: bool = False
    ) -> None:
        origin = (
            HatOrigin.parse(hat_url, allow_insecure_http=allow_insecure_http)
            if hat_url
            else HatOrigin.from_issuer(
                unverified_issuer(token), allow_insecure_http=allow_insecure_http
            )
        )
        check_algorithm(token, origin)
        super().__init__(origin)
        self._given = token

    def _obtain(self) -> Flow[VerifiedToken[OwnerClaims | AppClaims]]:
        used = self._current
        if used is None:
            return (yield from verify_flow(self._given, self._origin))
        raise LoginRequiredError(
            f"The web-login token for {self.hat_url} expired (at "
            f"{used.claims.expires_at.isoformat()}) or was rejected by the HAT, and it cannot be "
            "renewed. Send the user through the web login again (hat_sdk.web_login_url) and use "
            "the new token.",
            url=self.hat_url,
        )


class AppToken(HatToken[AppClaims]):
    """An application token, obtained (and re-obtained when needed) with an owner token.

    Args:
        owner: the owner's token; used for ``GET /api/v2.6/applications/{id}/access-token``.
        application_id: the application, e.g. ``"sandbox-app"``.
    """

    _claims_types = (AppClaims,)

    def __init__(self, owner: ApiOwnerToken | WebOwnerToken, application_id: str) -> None:
        if not application_id:
            raise InvalidInputError("The application id is empty.")
        super().__init__(owner._origin)
        self._owner = owner
        self._application_id = application_id

    @property
    def application_id(self) -> str:
        """The application this token acts for."""
        return self._application_id

    def _repr_fields(self) -> list[str]:
        return [f"application_id={self._application_id!r}"]

    def _obtain(self) -> Flow[VerifiedToken[AppClaims]]:
        logger.info(
            "Obtaining the %r application token from %s", self._application_id, self.hat_url
        )
        application = quote(
            path_segment(self._application_id, "application_id", slashes=False), safe=""
        )
        request = httpx.Request(
            "GET",
            self._origin.url(f"/api/v2.6/applications/{application}/access-token"),
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            extensions={TOKEN_REQUEST: True},
        )
        response = yield from _tried_again(
            lambda: self._owner._request_flow(request),
            f"The {self._application_id!r} application token request to {self.hat_url}",
            _FIRST_RETRY_WAIT,
        )
        if response.status_code != 200:
            raise error_from_response(response, operation="exchange")
        token = self._narrowed((yield from verify_flow(_access_token(response), self._origin)))
        if token.claims.application != self._application_id:
            raise TokenVerificationError(
                f"The HAT at {self.hat_url} issued a token for application "
                f"{token.claims.application!r} instead of {self._application_id!r}; not used.",
                url=self.hat_url,
            )
        return token


def _access_token(response: httpx.Response) -> str:
    """The ``accessToken`` of a ``{"accessToken", "userId"}`` body."""
    try:
        body = from_json(response.content)
    except ValueError:  # bad JSON and over-deep nesting alike
        body = None
    token = body.get("accessToken") if isinstance(body, dict) else None
    if not isinstance(token, str):
        raise ResponseFormatError.from_response(
            response, "The HAT's token response has no 'accessToken'. Check the HAT URL."
        )
    return token
