"""HatModel: a user's pydantic model of a record's ``data``, plus where the record lives."""

from __future__ import annotations

from functools import cache
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, TypeAdapter
from typing_extensions import TypedDict

__all__ = [
    "HatModel",
    "ModelT",
    "ReservedDataKeyError",
    "record_adapter",
    "record_list_adapter",
    "unwrap",
]

#: Fields that describe the record rather than belong to its data.
RECORD_FIELDS = frozenset({"endpoint", "record_id"})


class HatModel(BaseModel):
    """Base class for typed HAT records: subclass it and declare the fields of the record's data.

    ``endpoint`` is where the record lives (``"locations"`` or ``"namespace/locations"``) and
    ``record_id`` is set by the HAT once the record is stored. Every other field, including
    unknown ones the HAT returns (kept, never dropped), is the record's ``data``, serialised
    by alias.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    endpoint: str | None = None
    record_id: UUID | None = None

    def record_data(self) -> dict[str, Any]:
        """The record's ``data`` as JSON-compatible values, by alias (what the HAT stores)."""
        return self.model_dump(mode="json", by_alias=True, exclude=set(RECORD_FIELDS))

    def record_data_json(self) -> bytes:
        """The record's ``data`` as compact JSON bytes, by alias (what the HAT hashes)."""
        return self.__pydantic_serializer__.to_json(self, by_alias=True, exclude=set(RECORD_FIELDS))


ModelT = TypeVar("ModelT", bound=HatModel)


class _Envelope(TypedDict, Generic[ModelT]):
    """The HAT's ``EndpointData`` wrapper around one record's data (wire shape).

    A TypedDict rather than a model: it only lives until ``unwrap``, and dicts are cheaper.
    """

    endpoint: str
    recordId: UUID
    data: ModelT


@cache
def record_list_adapter(model: type[ModelT]) -> TypeAdapter[list[_Envelope[ModelT]]]:
    """A cached validator for a JSON array of ``EndpointData`` whose data is ``model``."""
    return TypeAdapter(list[_Envelope[model]])  # type: ignore[valid-type]


@cache
def record_adapter(model: type[ModelT]) -> TypeAdapter[_Envelope[ModelT]]:
    """A cached validator for one ``EndpointData`` whose data is ``model``."""
    return TypeAdapter(_Envelope[model])  # type: ignore[valid-type]


class ReservedDataKeyError(ValueError):
    """A stored record's data uses a key that HatModel reserves for where the record lives."""


def unwrap(envelopes: list[_Envelope[ModelT]]) -> list[ModelT]:
    """Move each envelope's ``endpoint``/``record_id`` onto its freshly validated data model.

    Raises ReservedDataKeyError when the data itself has an ``endpoint`` or ``record_id`` key:
    the model could not hold both, and writing it back would silently drop that key.
    """
    records: list[ModelT] = []
    for index, envelope in enumerate(envelopes):
        record = envelope["data"]
        reserved = record.__pydantic_fields_set__ & RECORD_FIELDS
        if reserved:
            raise ReservedDataKeyError(
                f"record #{index} ({envelope['recordId']}) has data keys {sorted(reserved)}, which"
                " HatModel reserves for the record's location; read it with client.lowlevel"
            )
        # The data model was just created by the validator, so filling its record fields in
        # place mutates nothing the caller owns and avoids a second validation pass.
        record.__dict__["endpoint"] = envelope["endpoint"]
        record.__dict__["record_id"] = envelope["recordId"]
        record.__pydantic_fields_set__.update(RECORD_FIELDS)
        records.append(record)
    return records
