"""The HAT's RSA key pair: generated with each new sandbox database and kept in it.

The server keeps one pair per HAT ([HAT]
``hat/app/org/hatdex/hat/resourceManagement/HatKeyProvider.scala``) and serves its public half as
PEM (``resourceManagement/HatServerProvider.scala:48-56`` and
``api/controllers/Authentication.scala:136-143``, both under ``hat/app/org/hatdex/hat/``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass(frozen=True)
class KeyPair:
    """RSA-2048 signing key, its PEM public half, and a secret for encrypting ``sub`` claims."""

    private_key: rsa.RSAPrivateKey = field(repr=False)
    public_pem: str
    subject_key: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> KeyPair:
        """Create a new random key pair."""
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls._from_private(private_key, os.urandom(32))

    @classmethod
    def _from_private(cls, private_key: rsa.RSAPrivateKey, subject_key: bytes) -> KeyPair:
        public_pem = (
            private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )
        return cls(private_key, public_pem, subject_key)

    def to_secret_json(self) -> dict[str, str]:
        """The key material for storing in the sandbox database (never log it)."""
        private_pem = self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {"privateKey": private_pem.decode("ascii"), "subjectKey": self.subject_key.hex()}

    @classmethod
    def from_secret_json(cls, value: dict[str, str]) -> KeyPair:
        """Rebuild a key pair saved with ``to_secret_json``."""
        private_key = serialization.load_pem_private_key(
            value["privateKey"].encode("ascii"), password=None
        )
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise ValueError("the stored HAT signing key is not an RSA key")
        return cls._from_private(private_key, bytes.fromhex(value["subjectKey"]))

    @property
    def etag(self) -> str:
        """Strong ETag for ``GET /publickey`` (stable for the key's lifetime)."""
        return '"' + hashlib.sha1(self.public_pem.encode("ascii")).hexdigest() + '"'
