"""The state of one sandbox HAT: its database, keys, owner, applications and knobs.

A sandbox server hosts several HATs (see ``_hats``); route handlers get the one a request is
for from ``_auth.hat_state``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from hat_sdk.sandbox._catalogue import build_catalogue
from hat_sdk.sandbox._config import SandboxConfig
from hat_sdk.sandbox._keys import KeyPair
from hat_sdk.sandbox._knobs import Knobs
from hat_sdk.sandbox._rate_limit import TokenBucketLimiter
from hat_sdk.sandbox._store import Store

OWNER_USER_ID = "694dd8ed-56ae-4910-abf1-6ec4887b4c42"
"""Fixed owner user id (the HAT dev owner's), so tokens survive restarts on a file database."""


_KEYS_BLOB = ("auth", "signing-keys")


def _load_or_create_keys(store: Store) -> KeyPair:
    # A database file keeps its HAT's keys, so tokens stay valid across restarts.
    saved = store.get_blob(*_KEYS_BLOB)
    if isinstance(saved, dict):
        return KeyPair.from_secret_json(saved)
    keys = KeyPair.generate()
    with store.transaction():
        store.put_blob(*_KEYS_BLOB, keys.to_secret_json())
    return keys


class ApplicationHooks(Protocol):
    """Extra work done when an application is set up or disabled (e.g. its data debit)."""

    def on_setup(self, state: SandboxState, application: dict[str, Any]) -> None:
        """Called inside the setup transaction after the application is marked enabled."""

    def on_disable(self, state: SandboxState, application: dict[str, Any]) -> None:
        """Called inside the disable transaction after the application is marked disabled."""


@dataclass
class SandboxState:
    """Everything route handlers share: storage, configuration, keys, knobs and applications.

    ``catalogue`` maps application id to its ``Application`` JSON (the DEX's role);
    ``application_hooks`` run on application setup/disable.
    """

    config: SandboxConfig
    store: Store
    knobs: Knobs
    keys: KeyPair
    catalogue: dict[str, dict[str, Any]]
    login_limiter: TokenBucketLimiter = field(default_factory=TokenBucketLimiter)
    application_hooks: list[ApplicationHooks] = field(default_factory=list)
    owner_id: str = OWNER_USER_ID
    instance_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def create(
        cls,
        config: SandboxConfig,
        knobs: Knobs,
        *,
        login_limiter: TokenBucketLimiter | None = None,
        application_hooks: Sequence[ApplicationHooks] = (),
        owner_id: str = OWNER_USER_ID,
    ) -> SandboxState:
        """Open the database, generate keys and register the configured applications.

        ``login_limiter`` may be shared between HATs (the server has one); by default the HAT
        gets its own.
        """
        store = Store(config.db_path)
        state = cls(
            config=config,
            store=store,
            knobs=knobs,
            keys=_load_or_create_keys(store),
            catalogue=build_catalogue(config.apps),
            login_limiter=TokenBucketLimiter() if login_limiter is None else login_limiter,
            application_hooks=list(application_hooks),
            owner_id=owner_id,
        )
        with state.store.transaction():
            for app in config.apps:
                if state.store.application_status(app.id) is None and app.enabled:
                    state.store.set_application_status(app.id, app.version, enabled=True)
        return state

    def now(self) -> datetime:
        """The server clock: UTC now plus the ``clock_offset`` knob."""
        return datetime.now(UTC) + self.knobs.clock_offset

    def application_enabled(self, app_id: str) -> bool:
        """Whether the application is currently set up and enabled."""
        status = self.store.application_status(app_id)
        return status is not None and status[1]
