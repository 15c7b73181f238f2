"""Hostile answers end as HatErrors (never RecursionError or another escape), without I/O."""

from __future__ import annotations

import httpx
import pytest

from hat_sdk import HatError, ResponseFormatError, error_from_response
from hat_sdk._core.calls import parsed
from hat_sdk.types import DataDebit

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"message":' + DEEP + b"}"


def _answer(status: int, content: bytes) -> httpx.Response:
    request = httpx.Request("GET", "http://hat.test/api/v2.6/data-debit")
    return httpx.Response(
        status, content=content, headers={"Content-Type": "application/json"}, request=request
    )


@pytest.mark.parametrize("content", [DEEP, DEEP_OBJECT])
def test_deeply_nested_error_bodies_are_described(content: bytes) -> None:
    error = error_from_response(_answer(400, content), operation="listDataDebits")
    assert isinstance(error, HatError)
    assert error.status_code == 400


@pytest.mark.parametrize("shape", [list[DataDebit], DataDebit])
def test_deeply_nested_answers_are_format_errors(shape: object) -> None:
    with pytest.raises(ResponseFormatError):
        parsed(_answer(200, DEEP), shape)
