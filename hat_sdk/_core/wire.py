"""Requests of the record operations, built from the generated client's ``_get_kwargs``.

The spec (through the generated modules) stays the single source of methods, paths, query
parameters and headers. Bodies are JSON bytes serialised once by pydantic (their size decides
how writes are split), so the generated body serialisation is bypassed: ``_get_kwargs`` is
called with an empty body and the bytes are sent as ``content``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from uuid import UUID

import httpx

from hat_sdk._generated.client.api.records import (
    delete_records,
    get_endpoint_data,
    save_batch_data,
    save_endpoint_data,
    update_records,
)
from hat_sdk._generated.client.types import UNSET, Unset
from hat_sdk._records.options import GetOpts

__all__ = ["RequestBuilder", "Target", "json_array"]

T = TypeVar("T")


class RequestBuilder(Protocol):
    """``httpx.Client.build_request`` / ``httpx.AsyncClient.build_request`` (pure, no I/O)."""

    def __call__(
        self,
        method: str,
        url: httpx.URL | str,
        *,
        content: bytes | None = None,
        params: Any = None,
        headers: Any = None,
    ) -> httpx.Request: ...


def _given(value: T | None) -> T | Unset:
    return UNSET if value is None else value


def json_array(items: Sequence[bytes]) -> bytes:
    """Join JSON documents into a JSON array without re-serialising them."""
    return b"[" + b",".join(items) + b"]"


@dataclass(frozen=True, slots=True)
class Target:
    """Where requests go (the HAT's base URL) and how they are built (the client's builder)."""

    hat_url: str
    build: RequestBuilder

    def _request(self, kwargs: dict[str, Any], body: bytes | None = None) -> httpx.Request:
        kwargs.pop("json", None)
        return self.build(
            kwargs["method"].upper(),
            self.hat_url.rstrip("/") + kwargs["url"],
            params=kwargs.get("params"),
            headers=kwargs.get("headers"),
            content=body,
        )

    def get_endpoint_data(self, namespace: str, endpoint: str, options: GetOpts) -> httpx.Request:
        """``GET /api/v2.6/data/{namespace}/{endpoint}`` with ordering and window."""
        ordering = options.ordering.value if options.ordering is not None else None
        return self._request(
            get_endpoint_data._get_kwargs(
                namespace,
                endpoint,
                order_by=_given(options.order_by),
                ordering=_given(ordering),
                skip=_given(options.skip or None),
                take=_given(options.take),
            )
        )

    def save_endpoint_data(
        self, namespace: str, endpoint: str, body: bytes, *, skip_errors: bool
    ) -> httpx.Request:
        """``POST /api/v2.6/data/{namespace}/{endpoint}`` of a JSON array of record data."""
        kwargs = save_endpoint_data._get_kwargs(
            namespace, endpoint, body=None, skip_errors=skip_errors
        )
        return self._request(kwargs, body)

    def save_batch_data(self, body: bytes) -> httpx.Request:
        """``POST /api/v2.6/data-batch`` of a JSON array of ``EndpointData``."""
        return self._request(save_batch_data._get_kwargs(body=[]), body)

    def update_records(self, body: bytes) -> httpx.Request:
        """``PUT /api/v2.6/data`` of a JSON array of ``EndpointData`` with record ids."""
        return self._request(update_records._get_kwargs(body=[]), body)

    def delete_records(self, record_ids: Sequence[UUID]) -> httpx.Request:
        """``DELETE /api/v2.6/data?records=…`` of the given record ids."""
        return self._request(delete_records._get_kwargs(records=list(record_ids)))
