"""Verifying HAT tokens: RS256 against the HAT's public key, issuer, expiry and idle limit.

The public key comes from ``GET /publickey`` and is cached per HAT origin for the whole process
(fetched once, under a lock, by whichever caller needs it first). A signature that fails with a
cached key triggers one re-fetch, so a HAT that rotated its key (or a restarted local sandbox on a
reused port) keeps working; a forged token still fails against the fresh key.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from hat_sdk._auth.claims import AppClaims, OwnerClaims, parse_claims
from hat_sdk._auth.flows import DualLock, Flow, Lock, Unlock
from hat_sdk._core.retry import TOKEN_REQUEST
from hat_sdk._version import USER_AGENT
from hat_sdk.errors import ResponseFormatError, TokenVerificationError, error_from_response

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    from hat_sdk._auth.origin import HatOrigin

logger = logging.getLogger("hat_sdk.tokens")

ALGORITHM = "RS256"
LEEWAY = timedelta(seconds=60)
"""Tolerated clock difference between this machine and the HAT."""
RENEWAL_MARGIN = timedelta(hours=1)
"""A token is renewed before use when it has less than this (or 10 % of its life) left."""


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


ClaimsT = TypeVar("ClaimsT", bound=OwnerClaims | AppClaims)


@dataclass(frozen=True)
class VerifiedToken(Generic[ClaimsT]):
    """A token string that passed verification, with its claims (the string is kept out of repr)."""

    value: str = field(repr=False)
    claims: ClaimsT

    def needs_renewal(self, now: datetime) -> bool:
        """Whether the token is close enough to its idle or absolute expiry to be renewed."""
        deadline = self.claims.expires_at
        margin = min(RENEWAL_MARGIN, (deadline - self.claims.iat) / 10)
        return now >= deadline - margin

    def is_expired(self, now: datetime) -> bool:
        """Whether the HAT no longer accepts the token (by this machine's clock)."""
        return now >= self.claims.expires_at


class _PublicKeys:
    """Process-wide cache of HAT public keys, keyed by HAT base URL."""

    def __init__(self) -> None:
        self._keys: dict[str, RSAPublicKey] = {}
        self._locks: dict[str, DualLock] = {}
        self._guard = threading.Lock()

    def get(self, origin: HatOrigin) -> RSAPublicKey | None:
        return self._keys.get(origin.base_url)

    def put(self, origin: HatOrigin, key: RSAPublicKey) -> None:
        self._keys[origin.base_url] = key

    def lock(self, origin: HatOrigin) -> DualLock:
        with self._guard:
            return self._locks.setdefault(origin.base_url, DualLock())

    def clear(self) -> None:
        """Forget every key (tests)."""
        self._keys.clear()


PUBLIC_KEYS = _PublicKeys()


def _load_key(response: httpx.Response) -> RSAPublicKey:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(response.content)
    except ValueError:
        key = None
    if not isinstance(key, RSAPublicKey):
        raise ResponseFormatError.from_response(
            response,
            "GET /publickey did not return an RSA public key in PEM format. "
            "Check that the URL points at a HAT.",
        )
    return key


def public_key_flow(
    origin: HatOrigin, *, replacing: RSAPublicKey | None = None
) -> Flow[tuple[RSAPublicKey, bool]]:
    """The HAT's public key and whether it was just fetched; fetch it if not cached (or if the
    cached key is ``replacing``)."""
    key = PUBLIC_KEYS.get(origin)
    if key is not None and key is not replacing:
        return key, False
    lock = PUBLIC_KEYS.lock(origin)
    yield Lock(lock)
    key = PUBLIC_KEYS.get(origin)
    fetched = key is None or key is replacing
    if fetched:
        logger.debug("Fetching the public key of %s", origin.base_url)
        response = yield httpx.Request(
            "GET",
            origin.url("/publickey"),
            headers={"Accept": "text/plain", "User-Agent": USER_AGENT},
            extensions={TOKEN_REQUEST: True},
        )
        if response.status_code != 200:
            raise error_from_response(response, operation="publickey")
        key = _load_key(response)
        PUBLIC_KEYS.put(origin, key)
    yield Unlock(lock)
    assert key is not None  # narrowed above: cached or just fetched
    return key, fetched


class _BadSignatureError(Exception):
    pass


def _rejected(origin: HatOrigin, reason: str) -> TokenVerificationError:
    return TokenVerificationError(
        f"A token for the HAT at {origin.base_url} was rejected and not used: {reason}",
        url=origin.base_url,
    )


def check_algorithm(token: str, origin: HatOrigin) -> None:
    """Reject, without any request, strings that are not JWTs or not signed with RS256."""
    import jwt

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _rejected(origin, "it is not a well-formed JWT.") from None
    if header.get("alg") != ALGORITHM:
        raise _rejected(origin, f"it is signed with {header.get('alg')!r}, not {ALGORITHM}.")


def unverified_issuer(token: str) -> str:
    """The ``iss`` claim of a token, unverified (to locate its HAT); raises if there is none."""
    import jwt

    try:
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        issuer = None
    if not isinstance(issuer, str) or not issuer:
        raise TokenVerificationError(
            "The token is not a HAT token (not a JWT, or it has no 'iss' claim naming its HAT)."
        )
    return issuer


def _decode(
    token: str, key: RSAPublicKey, origin: HatOrigin, now: datetime
) -> OwnerClaims | AppClaims:
    import jwt

    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=origin.issuer,
            leeway=LEEWAY,
            # iat may lie ahead when the HAT's clock runs fast; expiry is what matters.
            options={"require": ["iss", "iat", "exp", "jti"], "verify_iat": False},
        )
    except jwt.InvalidSignatureError:
        raise _BadSignatureError from None
    except jwt.ExpiredSignatureError:
        raise _rejected(origin, "it has expired (exp is in the past).") from None
    except jwt.InvalidIssuerError:
        raise _rejected(
            origin, f"it was issued by another HAT (iss is not {origin.issuer!r})."
        ) from None
    except jwt.MissingRequiredClaimError as exc:
        raise _rejected(origin, f"it lacks the {exc.claim!r} claim.") from None
    except jwt.PyJWTError as exc:
        raise _rejected(origin, f"{type(exc).__name__}.") from None
    claims = parse_claims(payload)
    if claims.idle_expires_at + LEEWAY < now:
        raise _rejected(
            origin,
            f"it was idle for more than 3 days (expired {claims.idle_expires_at.isoformat()}).",
        )
    return claims


def verify_flow(token: str, origin: HatOrigin) -> Flow[VerifiedToken[OwnerClaims | AppClaims]]:
    """Verify ``token`` as issued by the HAT at ``origin`` (fetching its key if needed)."""
    check_algorithm(token, origin)
    key, fetched = yield from public_key_flow(origin)
    try:
        claims = _decode(token, key, origin, utc_now())
    except _BadSignatureError:
        if fetched:
            raise _rejected(origin, "its signature does not match the HAT's public key.") from None
        logger.debug("Signature mismatch with the cached key of %s; re-fetching", origin.base_url)
        key, _ = yield from public_key_flow(origin, replacing=key)
        try:
            claims = _decode(token, key, origin, utc_now())
        except _BadSignatureError:
            raise _rejected(origin, "its signature does not match the HAT's public key.") from None
    return VerifiedToken(token, claims)


def verify_with_cached_key(
    token: str, origin: HatOrigin
) -> VerifiedToken[OwnerClaims | AppClaims] | None:
    """Verify ``token`` without any request; ``None`` when the HAT's key is not cached."""
    key = PUBLIC_KEYS.get(origin)
    if key is None:
        return None
    check_algorithm(token, origin)
    try:
        claims = _decode(token, key, origin, utc_now())
    except _BadSignatureError:
        raise _rejected(origin, "its signature does not match the HAT's public key.") from None
    return VerifiedToken(token, claims)
