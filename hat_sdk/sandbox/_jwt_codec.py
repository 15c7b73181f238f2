"""Issuing, re-signing and verifying HAT JWTs.

Sources: [SIL]
``silhouette/app/com/mohiva/play/silhouette/impl/authenticators/JWTRS256Authenticator.scala``
(``serialize``, ``touch``); [HAT] ``hat/app/org/hatdex/hat/modules/SilhouetteModule.scala`` and
``hat/conf/application.conf:67-79`` (lifetimes).

Tokens are RS256 with header ``{"typ":"JWT","alg":"RS256"}``; ``iss`` is the request ``Host``;
``sub`` is ``"1-" + base64(IV || AES-CTR(LoginInfo JSON))``, opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from hat_sdk.sandbox._keys import KeyPair

TOKEN_EXPIRY = timedelta(days=30)
IDLE_TIMEOUT = timedelta(days=3)
_RESERVED = frozenset({"jti", "iss", "sub", "iat", "exp"})


def _crypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    # AES-CTR is symmetric: the same operation encrypts and decrypts.
    cryptor = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    return cryptor.update(data) + cryptor.finalize()


def encode_subject(keys: KeyPair, host: str, username: str) -> str:
    """Encrypt the LoginInfo of ``username`` into an opaque ``sub`` claim."""
    iv = os.urandom(16)
    login_info = json.dumps({"providerID": host, "providerKey": username}).encode()
    return "1-" + base64.b64encode(iv + _crypt(keys.subject_key, iv, login_info)).decode()


def decode_subject(keys: KeyPair, subject: str) -> str | None:
    """Return the username inside a ``sub`` claim, or ``None`` when it is not one of ours."""
    if not subject.startswith("1-"):
        return None
    try:
        raw = base64.b64decode(subject[2:], validate=True)
        info = json.loads(_crypt(keys.subject_key, raw[:16], raw[16:]))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    key = info.get("providerKey") if isinstance(info, dict) else None
    return key if isinstance(key, str) else None


def sign(keys: KeyPair, claims: dict[str, Any]) -> str:
    """Serialise ``claims`` as an RS256 JWT signed with the HAT private key."""
    return jwt.encode(
        claims, keys.private_key, algorithm="RS256", headers={"typ": "JWT"}, sort_headers=False
    )


def issue(keys: KeyPair, *, host: str, username: str, now: datetime, custom: dict[str, str]) -> str:
    """A new token for ``username`` on HAT ``host`` with the given custom claims."""
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        **{k: v for k, v in custom.items() if k not in _RESERVED},
        "sub": encode_subject(keys, host, username),
        "iss": host,
        "exp": issued + int(TOKEN_EXPIRY.total_seconds()),
        "iat": issued,
        "jti": secrets.token_hex(128),
    }
    return sign(keys, claims)


def refreshed(keys: KeyPair, claims: dict[str, Any], now: datetime) -> str:
    """The sliding-refresh token: same claims, ``jti`` and ``exp``; ``iat`` = now."""
    return _resigned(keys, json.dumps(claims), int(now.timestamp()))


# Every request gets a refreshed token and checks its own: RS256 signatures are deterministic,
# so the tokens of one second and the checks of one token are remembered rather than redone
# (about 0.8 ms of every request).
@lru_cache(maxsize=256)
def _resigned(keys: KeyPair, claims: str, issued: int) -> str:
    return sign(keys, {**json.loads(claims), "iat": issued})


@lru_cache(maxsize=256)
def _signed_claims(keys: KeyPair, token: str) -> str | None:
    """The claims (JSON) of an RS256 token this HAT signed, else ``None``; times unchecked."""
    try:
        if jwt.get_unverified_header(token).get("alg") != "RS256":
            return None
        claims = jwt.decode(
            token,
            keys.private_key.public_key(),
            algorithms=["RS256"],
            # The sandbox clock may be offset, so time checks happen in verify, not in PyJWT.
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.PyJWTError:
        return None
    return json.dumps(claims)


def verify(keys: KeyPair, token: str, *, host: str, now: datetime) -> dict[str, Any] | None:
    """Return the claims of a token valid for ``host`` at ``now``, else ``None``.

    Rejects anything not RS256-signed by this HAT, foreign issuers, expired tokens (``exp < now``)
    and idle ones (``iat + 3 days < now``).
    """
    signed = _signed_claims(keys, token)
    if signed is None:
        return None
    claims: dict[str, Any] = json.loads(signed)
    iat, exp = claims.get("iat"), claims.get("exp")
    if claims.get("iss") != host or not isinstance(iat, int) or not isinstance(exp, int):
        return None
    moment = now.timestamp()
    if exp < moment or iat + IDLE_TIMEOUT.total_seconds() < moment:
        return None
    return claims
