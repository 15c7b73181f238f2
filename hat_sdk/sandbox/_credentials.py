"""The owner's current password (changeable at runtime) and the new-password strength rule."""

from __future__ import annotations

import hmac
import string

from hat_sdk.sandbox._state import SandboxState

_PASSWORD_BLOB = ("auth", "owner-password")
_COMMON = frozenset({"password", "password1", "12345678", "123456789", "qwertyuiop", "iloveyou"})
_MIN_SEARCH_SPACE = 10**9


def password_matches(state: SandboxState, candidate: str) -> bool:
    """Whether ``candidate`` is the owner's current password (constant-time comparison)."""
    stored = state.store.get_blob(*_PASSWORD_BLOB)
    current = stored if isinstance(stored, str) else state.config.password
    return hmac.compare_digest(candidate.encode(), current.encode())


def set_password(state: SandboxState, new_password: str) -> None:
    """Replace the owner's password (persisted with the database)."""
    state.store.put_blob(*_PASSWORD_BLOB, new_password)


def strong_enough(password: str) -> bool:
    """Rough stand-in for the server's nbvcxz strength rule (score >= 2): a large enough
    brute-force search space over the character classes used, and not a well-known password."""
    if password.lower() in _COMMON or len(set(password)) < 4:
        return False
    pools = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    pool = sum(len(p) for p in pools if any(c in p for c in password))
    pool += 33 if any(not c.isalnum() for c in password) else 0
    return bool(pool) and pool ** len(password) >= _MIN_SEARCH_SPACE
