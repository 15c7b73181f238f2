"""The HATs one sandbox server hosts, each chosen by the request's ``Host`` header.

As on the real server, one process serves many HATs: ``HatServerProvider.retrieve`` looks the
HAT up by ``request.host``, port included ([HAT] ``hat/app/org/hatdex/hat/resourceManagement/
HatServerProvider.scala:71-75``), and each HAT has its own database, keys and owner
(``HatServer.scala``). Server-wide things are shared: the test knobs and the login rate limiter
(one ``RateLimiter`` per ``UserLimiter``, ``hat/app/org/hatdex/hat/authentication/
HatApiController.scala:121-152``, keyed by client address, not by HAT).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence

from hat_sdk.sandbox._config import SandboxConfig
from hat_sdk.sandbox._knobs import Knobs
from hat_sdk.sandbox._rate_limit import TokenBucketLimiter
from hat_sdk.sandbox._state import OWNER_USER_ID, ApplicationHooks, SandboxState

HooksFactory = Callable[[], Sequence[ApplicationHooks]]


class Hats:
    """HAT states by domain (``host[:port]``, exactly as the ``Host`` header carries it).

    The first HAT added keeps the fixed dev owner id (so tokens of a file database survive
    restarts); later ones get an owner id derived from their domain. Adding a HAT while the
    server runs is safe: lookups read an immutable snapshot of the mapping.
    """

    def __init__(self, knobs: Knobs, hooks: HooksFactory) -> None:
        self._knobs = knobs
        self._hooks = hooks
        self._limiter = TokenBucketLimiter()
        self._lock = threading.Lock()
        self._by_domain: dict[str, SandboxState] = {}

    def add(self, domain: str, config: SandboxConfig) -> SandboxState:
        """Create and serve a HAT at ``domain``; raises ``ValueError`` if one is there already."""
        with self._lock:
            if domain in self._by_domain:
                raise ValueError(f"the sandbox already serves a HAT at {domain!r}")
            first = not self._by_domain
            owner_id = OWNER_USER_ID if first else str(uuid.uuid5(uuid.NAMESPACE_DNS, domain))
            state = SandboxState.create(
                config,
                self._knobs,
                login_limiter=self._limiter,
                application_hooks=self._hooks(),
                owner_id=owner_id,
            )
            self._by_domain = {**self._by_domain, domain: state}
            return state

    def get(self, domain: str) -> SandboxState | None:
        """The HAT served at ``domain``, if any."""
        return self._by_domain.get(domain)

    def served(self) -> list[tuple[str, SandboxState]]:
        """``(domain, HAT)`` pairs in the order they were added."""
        return list(self._by_domain.items())

    def close(self) -> None:
        """Close every HAT's database."""
        with self._lock:
            for state in self._by_domain.values():
                state.store.close()
            self._by_domain = {}
