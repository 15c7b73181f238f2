"""The area accessors of ``HatClient`` / ``AsyncHatClient`` (mixins).

``client.data_debits``, ``client.applications``, ``client.files``, ``client.combinators``,
``client.bundles``, ``client.feed``, ``client.functions``, ``client.system`` and the methods
``sources``, ``link`` and ``get_record``: the same resource classes for both clients, in
sync or async mode. Area requests share the client's httpx client, token and retry policy.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import httpx

from hat_sdk._auth.tokens import HatToken
from hat_sdk._core.drivers import AsyncDriver, SyncDriver
from hat_sdk._core.session import (
    AsyncMode,
    ModeT,
    Session,
    SyncMode,
    async_session,
    sync_session,
)
from hat_sdk.resources.applications import Applications
from hat_sdk.resources.bundles import Bundles, Combinators
from hat_sdk.resources.data_debits import DataDebits
from hat_sdk.resources.files import Files
from hat_sdk.resources.she import Feed, Functions
from hat_sdk.resources.system import ClientRecordsMixin, System

__all__ = ["AsyncAreas", "SyncAreas"]


class _ClientAreas(ClientRecordsMixin[ModeT]):
    """The accessors, written once for both modes."""

    def _area_session(self) -> Session[ModeT]:
        raise NotImplementedError  # provided by SyncAreas / AsyncAreas

    @cached_property
    def data_debits(self) -> DataDebits[ModeT]:
        """Data debits: register, enable/disable, read the values they share."""
        return DataDebits(self._area_session())

    @cached_property
    def applications(self) -> Applications[ModeT]:
        """Applications and data plugs: state, setup, disable, dashboard status."""
        return Applications(self._area_session())

    @cached_property
    def files(self) -> Files[ModeT]:
        """Files: upload, download, search, metadata, access."""
        return Files(self._area_session())

    @cached_property
    def combinators(self) -> Combinators[ModeT]:
        """Combinators: stored queries over endpoints."""
        return Combinators(self._area_session())

    @cached_property
    def bundles(self) -> Bundles[ModeT]:
        """Data bundles: stored sets of named queries."""
        return Bundles(self._area_session())

    @cached_property
    def feed(self) -> Feed[ModeT]:
        """The SHE data feed."""
        return Feed(self._area_session())

    @cached_property
    def functions(self) -> Functions[ModeT]:
        """SHE functions."""
        return Functions(self._area_session())

    @cached_property
    def system(self) -> System[ModeT]:
        """The HAT server: status, version, health."""
        return System(self._area_session())


class SyncAreas(_ClientAreas[SyncMode]):
    """Area accessors of :class:`hat_sdk.HatClient`."""

    http_client: httpx.Client
    token: HatToken[Any]
    _driver: SyncDriver

    @cached_property
    def _areas_session(self) -> Session[SyncMode]:
        return sync_session(self.http_client, self.token, self._driver.policy)

    def _area_session(self) -> Session[SyncMode]:
        return self._areas_session


class AsyncAreas(_ClientAreas[AsyncMode]):
    """Area accessors of :class:`hat_sdk.AsyncHatClient`."""

    http_client: httpx.AsyncClient
    token: HatToken[Any]
    _driver: AsyncDriver

    @cached_property
    def _areas_session(self) -> Session[AsyncMode]:
        return async_session(self.http_client, self.token, self._driver.policy)

    def _area_session(self) -> Session[AsyncMode]:
        return self._areas_session
