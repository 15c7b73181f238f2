"""No input reaches a route its method does not name: every path parameter of every generated
operation refuses empty values and dot segments (also between slashes it would encode, which a
proxy decoding ``%2F`` would resolve), and encodes everything else within its segment.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hat_sdk import InvalidInputError
from hat_sdk._generated.client import api

HOSTILE = ["", ".", "..", "../x", "x/..", "a/./b", "a//b", "/x", "x/"]
SLASH_PARAMETERS = {"endpoint", "name"}


def _required_keywords(route: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """Plausible values of a route's required query parameters (flags, here)."""
    parameters = inspect.signature(route).parameters.values()
    return {p.name: True for p in parameters if p.kind is p.KEYWORD_ONLY and p.default is p.empty}


def _routes() -> Iterator[tuple[str, Callable[..., dict[str, Any]], list[str]]]:
    for tag in pkgutil.iter_modules(api.__path__):
        package = importlib.import_module(f"{api.__name__}.{tag.name}")
        for name, function in vars(package).items():
            if name.startswith("route_") and callable(function):
                parameters = inspect.signature(function).parameters.values()
                positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
                if positional:
                    yield f"{tag.name}.{name}", function, positional


ROUTES = list(_routes())


def test_every_operation_with_a_path_parameter_is_checked() -> None:
    assert len(ROUTES) >= 30  # the spec has that many operations with path parameters


@pytest.mark.parametrize(("name", "route", "parameters"), ROUTES, ids=[r[0] for r in ROUTES])
def test_dot_segments_and_empty_values_are_refused(
    name: str,  # noqa: ARG001 - the test id
    route: Callable[..., dict[str, Any]],
    parameters: list[str],
) -> None:
    for target in parameters:
        for value in HOSTILE:
            dot_segment = any(part in (".", "..") for part in value.split("/"))
            if target not in SLASH_PARAMETERS and value and not dot_segment:
                continue  # a '/' in a one-segment parameter is encoded below, not refused
            arguments = {p: (value if p == target else "ok") for p in parameters}
            with pytest.raises(InvalidInputError, match=target):
                route(**arguments, **_required_keywords(route))


@pytest.mark.parametrize(("name", "route", "parameters"), ROUTES, ids=[r[0] for r in ROUTES])
def test_other_characters_stay_inside_their_segment(
    name: str,  # noqa: ARG001 - the test id
    route: Callable[..., dict[str, Any]],
    parameters: list[str],
) -> None:
    for target in parameters:
        arguments = {p: ("x/y?#%" if p == target else "ok") for p in parameters}
        if target in SLASH_PARAMETERS:
            continue  # their '/' separate checked segments
        url = route(**arguments, **_required_keywords(route))["url"]
        assert "?" not in url
        assert "#" not in url
        assert "x%2Fy%3F%23%25" in url


@pytest.mark.parametrize(("name", "route", "parameters"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_value_no_url_can_carry_is_refused(
    name: str,  # noqa: ARG001 - the test id
    route: Callable[..., dict[str, Any]],
    parameters: list[str],
) -> None:
    for target in parameters:
        arguments = {p: ("a\ud800" if p == target else "ok") for p in parameters}
        with pytest.raises(InvalidInputError, match="surrogate"):
            route(**arguments, **_required_keywords(route))
