"""Planning the pages of an iteration, without sockets: windows, read-ahead, order and the end."""

from __future__ import annotations

import httpx
import pytest

from hat_sdk import GetOpts, HatModel
from hat_sdk._core.exchange import Operation, Reply
from hat_sdk._core.wire import Wire
from hat_sdk._records.reads import Pager
from hat_sdk._records.requests import RecordRequests
from hat_sdk._records.scope import Scope
from hat_sdk.errors import NotFoundError, ResponseFormatError


class Reading(HatModel):
    value: int


def _pager(options: GetOpts, page_size: int) -> Pager[Reading]:
    wire = Wire("http://hat.test", httpx.Client().build_request)
    return Pager(Scope("ns", RecordRequests(wire)), Reading, "readings", options, page_size)


def _window(read: Operation[Reply]) -> tuple[int, int]:
    params = next(read).request.url.params
    return int(params.get("skip", 0)), int(params["take"])


def _plan(pager: Pager[Reading], count: int) -> list[Operation[Reply]]:
    reads: list[Operation[Reply]] = []
    while len(reads) < count and (read := pager.plan()) is not None:
        reads.append(read)
    return reads


def _answer(read: Operation[Reply], values: list[int], status: int = 200) -> Reply:
    """The reply the read would get: ``values`` as the HAT's records."""
    call = next(read)
    body = [
        {
            "endpoint": "ns/readings",
            "recordId": f"00000000-0000-4000-8000-{v:012d}",
            "data": {"value": v},
        }
        for v in values
    ]
    response = httpx.Response(status, json=body if status == 200 else {}, request=call.request)
    return Reply(response, None, False)


def test_windows_are_planned_ahead_consecutively_within_take() -> None:
    pager = _pager(GetOpts(skip=5, take=12), page_size=5)
    assert [_window(read) for read in _plan(pager, 4)] == [(5, 5), (10, 5), (15, 2)]
    assert pager.plan() is None


def test_records_settle_in_window_order_and_a_short_page_ends_the_iteration() -> None:
    pager = _pager(GetOpts(), page_size=3)
    first, second, _past_the_end = _plan(pager, 3)
    pages = [pager.parse(_answer(first, [0, 1, 2])), pager.parse(_answer(second, [3]))]
    assert [[r.value for r in page] for page in pages] == [[0, 1, 2], [3]]
    assert pager.settle(pages[0]) is True
    assert pager.settle(pages[1]) is False  # short: the third read is past the end
    assert pager.plan() is None


def test_take_ends_the_iteration_on_a_full_page() -> None:
    pager = _pager(GetOpts(take=4), page_size=2)
    first, second = _plan(pager, 5)
    assert pager.settle(pager.parse(_answer(first, [0, 1]))) is True
    assert pager.settle(pager.parse(_answer(second, [2, 3]))) is False


def test_read_ahead_starts_at_one_page_and_doubles_with_full_pages_up_to_prefetch() -> None:
    pager = _pager(GetOpts(), page_size=1)
    assert pager.read_ahead(0) == 0
    seen = []
    for value in range(5):
        seen.append(pager.read_ahead(4))
        [read] = _plan(pager, 1)
        assert pager.settle(pager.parse(_answer(read, [value])))
    assert seen == [1, 2, 4, 4, 4]


def test_reads_to_start_keep_the_read_ahead_beyond_the_window_awaited() -> None:
    pager = _pager(GetOpts(take=7), page_size=1)
    first = pager.reads_to_start(4)
    assert len(first) == 2  # the window awaited and one ahead, before any page came back
    assert pager.reads_to_start(4) == []  # those are planned already
    assert pager.settle(pager.parse(_answer(first[0], [0])))
    assert len(pager.reads_to_start(4)) == 2  # one settled, read-ahead now 2: two more
    assert pager.reads_to_start(0) == []
    assert pager.settle(pager.parse(_answer(first[1], [1])))
    assert len(pager.reads_to_start(4)) == 3  # up to 4 ahead, but take leaves 3 windows


def test_a_failed_read_raises_its_error_when_parsed() -> None:
    pager = _pager(GetOpts(), page_size=2)
    [read] = _plan(pager, 1)
    with pytest.raises(NotFoundError):
        pager.parse(_answer(read, [], status=404))


def test_a_server_that_ignores_skip_is_refused_rather_than_read_for_ever() -> None:
    pager = _pager(GetOpts(), page_size=2)
    first, second, third = _plan(pager, 3)
    assert pager.settle(pager.parse(_answer(first, [0, 1])))
    assert pager.settle(pager.parse(_answer(second, [0, 1])))  # two records added before
    with pytest.raises(ResponseFormatError, match="ignores skip"):
        pager.settle(pager.parse(_answer(third, [0, 1])))


def test_a_server_that_ignores_take_is_refused() -> None:
    pager = _pager(GetOpts(), page_size=2)
    [read] = _plan(pager, 1)
    with pytest.raises(ResponseFormatError, match="ignores take"):
        pager.settle(pager.parse(_answer(read, [0, 1, 2])))


def test_one_record_seen_again_is_a_shift_not_a_broken_server() -> None:
    pager = _pager(GetOpts(), page_size=2)
    first, second, third = _plan(pager, 3)
    assert pager.settle(pager.parse(_answer(first, [0, 1])))
    assert pager.settle(pager.parse(_answer(second, [1, 2])))  # a record deleted before it
    assert pager.settle(pager.parse(_answer(third, [3]))) is False
