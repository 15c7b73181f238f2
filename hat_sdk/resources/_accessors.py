"""The resource accessors of ``HatClient`` / ``AsyncHatClient`` and their raw views.

One accessor per tag of the spec comes generated (``ApiResources``); where hat-sdk adds
helpers to a tag's operations, the accessor here returns the handwritten subclass instead.
A tag added to the spec reaches the clients through ``ApiResources`` with no edit here.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from hat_sdk._core.resource import ModeT, Session
from hat_sdk._generated.client.api import ApiResources
from hat_sdk._records.methods import RecordMethods

if TYPE_CHECKING:
    from hat_sdk.resources.applications import Applications
    from hat_sdk.resources.bundles import Bundles, Combinators
    from hat_sdk.resources.data_debits import DataDebits
    from hat_sdk.resources.files import Files

__all__ = ["ResourceView", "Resources"]


class Resources(ApiResources[ModeT]):
    """Every resource of the HAT API, with hat-sdk's helpers where it has some."""

    @cached_property
    def applications(self) -> Applications[ModeT]:
        """Applications and data plugs: state, setup, disable, dashboard status."""
        from hat_sdk.resources.applications import Applications

        return Applications(self._op_session())

    @cached_property
    def bundles(self) -> Bundles[ModeT]:
        """Data bundles: stored sets of named queries, read as your models."""
        from hat_sdk.resources.bundles import Bundles

        return Bundles(self._op_session())

    @cached_property
    def combinators(self) -> Combinators[ModeT]:
        """Combinators: stored queries over endpoints, read as your models."""
        from hat_sdk.resources.bundles import Combinators

        return Combinators(self._op_session())

    @cached_property
    def data_debits(self) -> DataDebits[ModeT]:
        """Data debits: register, enable/disable, read the values they share."""
        from hat_sdk.resources.data_debits import DataDebits

        return DataDebits(self._op_session())

    @cached_property
    def files(self) -> Files[ModeT]:
        """Files: upload, download, search, metadata, access."""
        from hat_sdk.resources.files import Files

        return Files(self._op_session())


class ResourceView(RecordMethods[ModeT], Resources[ModeT]):
    """The record methods and resources of a client over another session
    (``client.with_raw_response``)."""

    def __init__(self, session: Session[ModeT]) -> None:
        self._view_session: Session[ModeT] = session

    def _op_session(self) -> Session[ModeT]:
        return self._view_session
