"""The base of the API's generated models: their JSON as the HAT writes it, in one call."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

__all__ = ["ApiModel"]


class ApiModel(BaseModel):
    """A model of the HAT API spec (``openapi/hat.yaml``).

    ``model_dump()`` gives Python field names and every field, unset ones as ``None``;
    ``to_dict()`` and ``to_json()`` give the HAT's own JSON: its field names (``fileId``, not
    ``file_id``) and only the fields that were set (received from the HAT, or given).
    """

    def to_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data, by the HAT's field names, set fields only."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self, *, indent: int | None = None) -> str:
        """The model as JSON text, by the HAT's field names, set fields only."""
        return self.model_dump_json(by_alias=True, exclude_unset=True, indent=indent)
