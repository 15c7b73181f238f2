"""Requests of the record operations, from the generated routes of the ``records`` tag.

Bodies are JSON bytes serialised once by pydantic; their size decides how writes are split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import httpx

from hat_sdk._core.wire import Wire
from hat_sdk._generated.client.api import given
from hat_sdk._generated.client.api.records import (
    route_delete_records,
    route_get_endpoint_data,
    route_get_record,
    route_save_batch_data,
    route_save_endpoint_data,
    route_update_records,
)
from hat_sdk._records.options import GetOpts, sort_ordering

__all__ = ["RecordRequests"]


@dataclass(frozen=True, slots=True)
class RecordRequests:
    """The record requests of one client (its wire: HAT URL, builder, default options)."""

    wire: Wire

    def get_endpoint_data(self, namespace: str, endpoint: str, options: GetOpts) -> httpx.Request:
        """``GET /api/v2.6/data/{namespace}/{endpoint}`` with ordering and window."""
        route = route_get_endpoint_data(
            namespace,
            endpoint,
            order_by=given(options.order_by),
            ordering=given(sort_ordering(options.ordering)),
            skip=given(options.skip or None),
            take=given(options.take),
        )
        return self.wire.request(route)

    def save_endpoint_data(
        self, namespace: str, endpoint: str, body: bytes, *, skip_errors: bool
    ) -> httpx.Request:
        """``POST /api/v2.6/data/{namespace}/{endpoint}`` of a JSON array of record data."""
        route = route_save_endpoint_data(namespace, endpoint, skip_errors=skip_errors)
        return self.wire.request(route, body)

    def save_batch_data(self, body: bytes) -> httpx.Request:
        """``POST /api/v2.6/data-batch`` of a JSON array of ``EndpointData``."""
        return self.wire.request(route_save_batch_data(), body)

    def update_records(self, body: bytes) -> httpx.Request:
        """``PUT /api/v2.6/data`` of a JSON array of ``EndpointData`` with record ids."""
        return self.wire.request(route_update_records(), body)

    def delete_records(self, record_ids: Sequence[UUID]) -> httpx.Request:
        """``DELETE /api/v2.6/data?records=…`` of the given record ids."""
        return self.wire.request(route_delete_records(records=list(record_ids)))

    def get_record(self, record_id: UUID) -> httpx.Request:
        """``GET /api/v2.6/data-record/{recordId}``: one record by id, from any endpoint."""
        return self.wire.request(route_get_record(record_id))
