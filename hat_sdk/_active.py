"""ActiveHatModel: records that save, load and delete themselves through a shared client."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import ClassVar, Self
from uuid import UUID

from hat_sdk._client import AsyncHatClient, HatClient
from hat_sdk._records.models import HatModel
from hat_sdk._records.options import GetOpts
from hat_sdk.errors import InvalidInputError

__all__ = ["ActiveHatModel"]


class ActiveHatModel(HatModel):
    """A [`HatModel`][hat_sdk.HatModel] with the active-record API.

    Set ``ActiveHatModel.client = HatClient(...)`` (blocking methods) and/or
    ``ActiveHatModel.aclient = AsyncHatClient(...)`` (the ``a``-prefixed awaitable methods),
    on this class for all models or on a subclass for its records only. Unlike the clients,
    ``save``/``asave`` and ``delete``/``adelete`` update the instance itself.
    """

    client: ClassVar[HatClient | None] = None
    aclient: ClassVar[AsyncHatClient | None] = None

    @classmethod
    def _client(cls) -> HatClient:
        if cls.client is None:
            raise InvalidInputError(
                f"{cls.__name__} has no client: set ActiveHatModel.client = HatClient(token,"
                " namespace) first (or use the async methods with ActiveHatModel.aclient)"
            )
        return cls.client

    @classmethod
    def _aclient(cls) -> AsyncHatClient:
        if cls.aclient is None:
            raise InvalidInputError(
                f"{cls.__name__} has no async client: set ActiveHatModel.aclient ="
                " AsyncHatClient(token, namespace) first (or use the blocking methods)"
            )
        return cls.aclient

    def _adopt(self, stored: HatModel) -> Self:
        self.record_id = stored.record_id
        self.endpoint = stored.endpoint
        return self

    def save(self) -> Self:
        """Create this record (no ``record_id`` yet) or update it; returns ``self``, with
        ``record_id`` set."""
        client = self._client()
        stored = client.put(self) if self.record_id is not None else client.post(self)
        return self._adopt(stored[0])

    async def asave(self) -> Self:
        """Awaitable [`save`][hat_sdk.ActiveHatModel.save] through ``aclient``."""
        client = self._aclient()
        stored = await (client.put(self) if self.record_id is not None else client.post(self))
        return self._adopt(stored[0])

    def delete(self) -> None:
        """Delete this record from the HAT and clear its ``record_id``."""
        self._client().delete(self)
        self.record_id = None

    async def adelete(self) -> None:
        """Awaitable [`delete`][hat_sdk.ActiveHatModel.delete] through ``aclient``."""
        await self._aclient().delete(self)
        self.record_id = None

    @classmethod
    def get(cls, endpoint: str | HatModel, opts: GetOpts | None = None) -> list[Self]:
        """Read records of ``endpoint`` as instances of this class (see ``HatClient.get``)."""
        return cls._client().get(cls, endpoint, opts)

    @classmethod
    async def aget(cls, endpoint: str | HatModel, opts: GetOpts | None = None) -> list[Self]:
        """Awaitable [`get`][hat_sdk.ActiveHatModel.get] through ``aclient``."""
        return await cls._aclient().get(cls, endpoint, opts)

    @classmethod
    def iter(
        cls, endpoint: str | HatModel, opts: GetOpts | None = None, *, page_size: int = 1000
    ) -> Generator[Self, None, None]:
        """Yield every record of ``endpoint``, page by page (see ``HatClient.iter``)."""
        return cls._client().iter(cls, endpoint, opts, page_size=page_size)

    @classmethod
    def aiter(
        cls, endpoint: str | HatModel, opts: GetOpts | None = None, *, page_size: int = 1000
    ) -> AsyncGenerator[Self, None]:
        """Async [`iter`][hat_sdk.ActiveHatModel.iter] through ``aclient`` (``async for``)."""
        return cls._aclient().iter(cls, endpoint, opts, page_size=page_size)

    @classmethod
    def delete_all(cls, *records: HatModel | UUID | str | None) -> None:
        """Delete the records given, as models or record ids (not the records of an endpoint:
        ``delete_all(*Model.get("visits"))`` does that); see ``HatClient.delete``."""
        cls._client().delete(*records)

    @classmethod
    async def adelete_all(cls, *records: HatModel | UUID | str | None) -> None:
        """Awaitable [`delete_all`][hat_sdk.ActiveHatModel.delete_all] through ``aclient``."""
        await cls._aclient().delete(*records)
