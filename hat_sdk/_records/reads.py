"""Read operations (sans-IO): one window of an endpoint, and the pages of an iteration."""

from __future__ import annotations

from collections import deque
from typing import Generic
from uuid import UUID

from hat_sdk._core.exchange import Call, Operation, Reply, answer
from hat_sdk._records.models import HatModel, ModelT
from hat_sdk._records.options import GetOpts
from hat_sdk._records.replies import StoredPage, parse_records, succeeded
from hat_sdk._records.scope import Scope
from hat_sdk._records.validation import InvalidInputError, check_model, check_options
from hat_sdk.errors import ResponseFormatError

__all__ = ["Pager", "get", "get_stored", "read_ahead"]


def _endpoint_of(source: str | HatModel) -> str | None:
    return source if isinstance(source, str) else source.endpoint


def _window(scope: Scope, located: str, options: GetOpts) -> Call:
    namespace, _, relative = located.partition("/")
    return Call(scope.target.get_endpoint_data(namespace, relative, options), reads=located)


def get(
    scope: Scope, model: type[ModelT], endpoint: str | HatModel, options: GetOpts
) -> Operation[list[ModelT]]:
    """Read one window of an endpoint's records as ``model`` instances."""
    check_model(model)
    located = scope.locate(_endpoint_of(endpoint))
    reply = yield _window(scope, located, check_options(options))
    return parse_records(succeeded(reply, "get"), model)


def get_stored(scope: Scope, endpoint: str, options: GetOpts) -> Operation[StoredPage]:
    """Read one window of an endpoint's records as the HAT sends them, without a model: for
    copying records (``hat export``), at a third of the CPU of building models. The page is
    parsed when its records are asked for."""
    located = scope.locate(endpoint)
    reply = yield _window(scope, located, check_options(options))
    return StoredPage(succeeded(reply, "get"))


#: Read-ahead doubles with each full page, from one page: a short endpoint costs one extra read.
_RAMP_LIMIT = 16


def read_ahead(prefetch: int, settled: int) -> int:
    """Pages to have read ahead of the one awaited once ``settled`` pages came back full: one
    at first, doubling with each, at most ``prefetch``."""
    return min(prefetch, 1 << min(settled, _RAMP_LIMIT))


#: Windows in a row that may repeat the one before (records added before them shift them).
_REPEATS_TOLERATED = 1


class Pager(Generic[ModelT]):
    """Plans the windows (skip/take) of an iteration ahead of the records already kept.

    ``plan()`` gives the read of the next window, so that several can be in flight;
    ``parse(reply)`` turns a read's reply into records (or raises its error), and
    ``settle(records)`` keeps the records of the oldest window not yet settled, in order, and
    says whether the iteration goes on: a short window is the end, and the reads planned beyond
    it are to be dropped. ``read_ahead(prefetch)`` is how many windows to have planned beyond
    the one being settled: one at first, doubling with each full page, at most ``prefetch``;
    ``reads_to_start(prefetch)`` plans up to there.
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
        self._scope, self._model = scope, model
        self._located = scope.locate(_endpoint_of(endpoint))
        self._options = check_options(options)
        self._page_size = page_size
        self._planned_skip = options.skip
        self._planned_remaining = options.take
        self._planned_takes: deque[int] = deque()
        self._settled = 0
        self._done = False
        self._last_page: list[UUID | None] = []  # the record ids of the last window
        self._repeats = 0  # how many windows in a row repeated it

    def plan(self) -> Operation[Reply] | None:
        """The read of the window after those planned; ``None`` when they reach the end."""
        if self._done or self._planned_remaining == 0:
            return None
        remaining = self._planned_remaining
        take = self._page_size if remaining is None else min(self._page_size, remaining)
        window = GetOpts(self._options.order_by, self._options.ordering, self._planned_skip, take)
        self._planned_skip += take
        self._planned_remaining = None if remaining is None else remaining - take
        self._planned_takes.append(take)
        return answer(_window(self._scope, self._located, window))

    def parse(self, reply: Reply) -> list[ModelT]:
        """The records of a window's reply; raises the error the reply describes."""
        return parse_records(succeeded(reply, "get"), self._model)

    def settle(self, records: list[ModelT]) -> bool:
        """Keep ``records`` as the oldest planned window's; ``False`` once the end is reached."""
        take = self._planned_takes.popleft()
        self._check_window(records, take)
        self._settled += 1
        # A short window is the end; so is the last full window that ``take`` allows.
        last_allowed = self._planned_remaining == 0 and not self._planned_takes
        if len(records) < take or last_allowed:
            self._done = True
        return not self._done

    def _check_window(self, records: list[ModelT], take: int) -> None:
        """Refuse windows that show the server does not page (it would never end)."""
        where = f"reading {self._located} page by page"
        if len(records) > take:
            raise ResponseFormatError(
                f"The HAT answered {len(records)} records to a read of at most {take} while"
                f" {where}: it ignores take, so the pages cannot be told apart. Check that the"
                " URL points at a HAT (not a proxy that rewrites queries)."
            )
        ids = [record.record_id for record in records]
        # Once may be ``take`` records added before the window (they shift it); three times
        # in a row is a server that ignores skip.
        self._repeats = self._repeats + 1 if ids == self._last_page else 0
        if len(records) == take and self._repeats == _REPEATS_TOLERATED + 1:
            raise ResponseFormatError(
                f"The HAT answered the same {take} records to {self._repeats + 1} windows in a"
                f" row while {where}: it ignores skip, so the iteration would never end. Check"
                " that the URL points at a HAT (not a proxy that rewrites queries)."
            )
        self._last_page = ids

    def read_ahead(self, prefetch: int) -> int:
        """Windows to have planned beyond the one being settled (see the class docstring)."""
        return read_ahead(prefetch, self._settled)

    def reads_to_start(self, prefetch: int) -> list[Operation[Reply]]:
        """The reads to start now (each planned window is read once), so that
        ``read_ahead(prefetch)`` windows are planned beyond the oldest one not settled; fewer
        near the end."""
        reads: list[Operation[Reply]] = []
        while len(self._planned_takes) <= self.read_ahead(prefetch) and (read := self.plan()):
            reads.append(read)
        return reads
