"""Read operations (sans-IO): one window of an endpoint, and the pages of an iteration."""

from __future__ import annotations

from typing import Generic

from hat_sdk._core.exchange import Call, Operation
from hat_sdk._core.validation import InvalidInputError, check_model, check_options
from hat_sdk._records.models import HatModel, ModelT
from hat_sdk._records.options import GetOpts
from hat_sdk._records.replies import parse_records, succeeded
from hat_sdk._records.scope import Scope

__all__ = ["Pager", "get"]


def _endpoint_of(source: str | HatModel) -> str | None:
    return source if isinstance(source, str) else source.endpoint


def get(
    scope: Scope, model: type[ModelT], endpoint: str | HatModel, options: GetOpts
) -> Operation[list[ModelT]]:
    """Read one window of an endpoint's records as ``model`` instances."""
    check_model(model)
    located = scope.locate(_endpoint_of(endpoint))
    check_options(options)
    namespace, _, relative = located.partition("/")
    request = scope.target.get_endpoint_data(namespace, relative, options)
    reply = yield Call(request, reads=located)
    return parse_records(succeeded(reply, "get"), model)


class Pager(Generic[ModelT]):
    """Plans the pages of an iteration with skip/take; one page is held at a time."""

    def __init__(
        self,
        scope: Scope,
        model: type[ModelT],
        endpoint: str | HatModel,
        options: GetOpts,
        page_size: int,
    ) -> None:
        check_model(model)
        if not isinstance(page_size, int) or page_size < 1:
            raise InvalidInputError(f"page_size must be >= 1, got {page_size}")
        self._scope, self._model, self._endpoint = scope, model, endpoint
        self._skip = check_options(options).skip
        self._options = options
        self._remaining = options.take
        self._page_size = page_size
        self._done = options.take == 0

    def next_page(self) -> Operation[list[ModelT]] | None:
        """The operation reading the next page, or None when every record has been read."""
        if self._done:
            return None
        return self._page()

    def _page(self) -> Operation[list[ModelT]]:
        take = self._page_size if self._remaining is None else min(self._page_size, self._remaining)
        window = GetOpts(self._options.order_by, self._options.ordering, self._skip, take)
        records = yield from get(self._scope, self._model, self._endpoint, window)
        self._skip += len(records)
        if self._remaining is not None:
            self._remaining -= len(records)
        self._done = len(records) < take or self._remaining == 0
        return records
