"""Tokens a HAT never issued: other keys, wrong algorithms, wrong claims."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


@cache
def private_key(name: str) -> rsa.RSAPrivateKey:
    """A cached RSA-2048 key per ``name`` (generating keys is slow)."""
    del name  # only distinguishes cache entries
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    """The PEM ``-----BEGIN PUBLIC KEY-----`` text of ``key``, as ``GET /publickey`` serves it."""
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def owner_claims(
    issuer: str, *, issued: datetime | None = None, lifetime: timedelta = timedelta(days=30)
) -> dict[str, Any]:
    """Claims of an owner token of the HAT ``issuer``."""
    iat = issued or datetime.now(UTC)
    return {
        "sub": "1-opaque",
        "resource": issuer,
        "accessScope": "owner",
        "iss": issuer,
        "iat": int(iat.timestamp()),
        "exp": int((iat + lifetime).timestamp()),
        "jti": secrets.token_hex(128),
    }


def rs256(claims: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
    """``claims`` signed RS256 with ``key``."""
    return jwt.encode(claims, key, algorithm="RS256", headers={"typ": "JWT"})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())


def alg_none(claims: dict[str, Any]) -> str:
    """An unsigned token (``alg: none``)."""
    return _unsigned({"typ": "JWT", "alg": "none"}, claims) + "."


def hs256_keyed_with(claims: dict[str, Any], secret: str) -> str:
    """HS256 with ``secret`` as HMAC key: the classic RS256/HS256 confusion attack."""
    signing_input = _unsigned({"typ": "JWT", "alg": "HS256"}, claims)
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(mac)
