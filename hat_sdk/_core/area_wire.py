"""Requests of the area operations, built from the generated client's ``_get_kwargs``.

The generated modules stay the single source of methods, paths, query parameters and
headers. Bodies are serialised once by pydantic (by alias, None-valued optional fields left
out) and sent as ``content``; the generated attrs body only feeds ``_get_kwargs``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Self, TypeVar

import httpx
from pydantic import BaseModel

from hat_sdk._core.wire import RequestBuilder

__all__ = ["ANONYMOUS", "JSON_HEADERS", "AttrsBody", "Wire", "attrs_body", "json_bytes"]

#: Request extension marking a request that must be sent without the HAT token.
ANONYMOUS = "hat_sdk.anonymous"
JSON_HEADERS = {"Content-Type": "application/json"}


class AttrsBody(Protocol):
    """A generated (attrs) request body class."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...


A = TypeVar("A", bound=AttrsBody)


def json_bytes(body: BaseModel | Sequence[BaseModel]) -> bytes:
    """``body`` (a model or a list of them) as compact JSON by alias, None fields left out."""
    if isinstance(body, BaseModel):
        return body.model_dump_json(by_alias=True, exclude_none=True).encode()
    return b"[" + b",".join(json_bytes(item) for item in body) + b"]"


def attrs_body(cls: type[A], model: BaseModel) -> A:
    """The generated client's body object for ``model`` (only used to call ``_get_kwargs``)."""
    return cls.from_dict(model.model_dump(mode="json", by_alias=True, exclude_none=True))


@dataclass(frozen=True, slots=True)
class Wire:
    """Where area requests go (the HAT's base URL) and how they are built."""

    hat_url: str
    build: RequestBuilder

    def request(
        self,
        kwargs: dict[str, Any],
        body: BaseModel | Sequence[BaseModel] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        anonymous: bool = False,
    ) -> httpx.Request:
        """The request described by a generated ``_get_kwargs`` result (+ a JSON body)."""
        kwargs.pop("json", None)
        merged = {**(kwargs.get("headers") or {}), **(headers or {})}
        request = self.build(
            kwargs["method"].upper(),
            self.hat_url.rstrip("/") + kwargs["url"],
            params=kwargs.get("params"),
            headers=merged or None,
            content=None if body is None else json_bytes(body),
        )
        if anonymous:
            request.extensions = {**request.extensions, ANONYMOUS: True}
        return request
