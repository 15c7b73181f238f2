"""Read operations (sans-IO): one window of an endpoint, and the pages of an iteration."""

from __future__ import annotations

from typing import Generic

from hat_sdk._core.exchange import Call, Operation
from hat_sdk._records.models import HatModel, ModelT
from hat_sdk._records.options import GetOpts
from hat_sdk._records.replies import parse_records, succeeded
from hat_sdk._records.scope import Scope
from hat_sdk._records.validation import InvalidInputError, check_model, check_options

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
    """Plans the pages of an iteration with skip/take, several at a time.

    ``next_pages(n)`` gives the operations reading the next ``n`` windows (they may run
    concurrently); ``settle(pages)`` keeps them up to the first short one, which ends the
    iteration. Only one batch of pages is held at a time.
    """

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

    def next_pages(self, count: int) -> list[Operation[list[ModelT]]]:
        """The operations reading the next ``count`` pages (fewer near ``take``; none when
        every record has been read)."""
        pages: list[Operation[list[ModelT]]] = []
        skip, remaining = self._skip, self._remaining
        while not self._done and len(pages) < count and remaining != 0:
            take = self._page_size if remaining is None else min(self._page_size, remaining)
            window = GetOpts(self._options.order_by, self._options.ordering, skip, take)
            pages.append(get(self._scope, self._model, self._endpoint, window))
            skip += take
            remaining = None if remaining is None else remaining - take
        return pages

    def settle(self, pages: list[list[ModelT]]) -> list[list[ModelT]]:
        """The pages read, up to the first short one (the end of the records)."""
        kept: list[list[ModelT]] = []
        for records in pages:
            kept.append(records)
            self._skip += len(records)
            if self._remaining is not None:
                self._remaining -= len(records)
            if len(records) < self._page_size or self._remaining == 0:
                self._done = True
                break
        return kept
