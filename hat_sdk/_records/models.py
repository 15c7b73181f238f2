"""HatModel: a user's pydantic model of a record's ``data``, plus where the record lives."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, NotRequired, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, TypeAdapter
from pydantic.fields import FieldInfo
from pydantic_core import to_json
from typing_extensions import TypedDict

if TYPE_CHECKING:
    from hat_sdk._generated.models import EndpointData

__all__ = [
    "RECORD_FIELDS",
    "HatModel",
    "ModelT",
    "record_adapter",
    "record_list_adapter",
    "unwrap",
]

#: Fields that describe the record rather than belong to its data.
RECORD_FIELDS = frozenset({"endpoint", "record_id"})
#: ``RECORD_FIELDS`` as pydantic's ``exclude`` takes them, built once rather than per record.
_DATA_ONLY = set(RECORD_FIELDS)
#: Keys of a record's ``__pydantic_private__`` (see ``_keep_private``).
_RESERVED_DATA = "_hat_reserved_data"
_LINKS = "_hat_links"


def _keep_private(record: BaseModel, key: str, value: object) -> None:
    """Keep ``value`` in the record's private values, creating them on first use.

    Not pydantic private attributes: those are initialised by a Python call for every record
    validated, which took about half of the time of parsing a page of small records.
    """
    private = record.__pydantic_private__
    if private is None:
        object.__setattr__(record, "__pydantic_private__", {key: value})
    else:
        private[key] = value


class HatModel(BaseModel):
    """Base class for typed HAT records: subclass it and declare the fields of the record's data.

    ``endpoint`` is where the record lives (``"locations"`` or ``"namespace/locations"``) and
    ``record_id`` is set by the HAT once the record is stored. Every other field, including
    unknown ones the HAT returns (kept, never dropped), is the record's ``data``, serialised
    by alias. Data that another app stored under the keys ``endpoint`` or ``record_id`` is
    kept too (in ``reserved_data``) and written back unchanged. Records read from a
    combinator with links carry the linked records in ``links``.
    """

    # Deferred so that `import hat_sdk` does not build the schema of a class that is rarely
    # validated itself; subclasses do not inherit it (see below) and are built when defined.
    # NaN and infinities serialise as strings ("NaN"), which writes detect and refuse (JSON
    # has no such numbers; pydantic's default writes null, which the HAT would store).
    model_config = ConfigDict(
        extra="allow", populate_by_name=True, ser_json_inf_nan="strings", defer_build=True
    )

    endpoint: str | None = None
    record_id: UUID | None = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse, when the class is defined, a data field that would take the place of the
        record's own ``endpoint``/``record_id``: its value would never be stored."""
        super().__pydantic_init_subclass__(**kwargs)
        base = HatModel.model_fields

        def shape(field: FieldInfo) -> tuple[object, ...]:
            return field.annotation, field.alias, field.default

        for name, field in cls.model_fields.items():
            reused = name in RECORD_FIELDS and shape(field) != shape(base[name])
            aliased = name not in RECORD_FIELDS and field.alias in RECORD_FIELDS
            if reused or aliased:
                raise TypeError(
                    f"{cls.__name__}.{name}: the key {field.alias or name!r} is where HatModel"
                    " keeps the record's location, so this data field would never be stored."
                    " Name it otherwise (e.g. 'target'); data other apps stored under that key"
                    " is read into record.reserved_data and written back unchanged."
                )

    @property
    def reserved_data(self) -> Mapping[str, Any]:
        """Keys of the record's data named like the record's own fields (``endpoint``,
        ``record_id``), as stored by another app; kept apart and written back unchanged (so
        read-only: a record cannot give its data such keys itself)."""
        return MappingProxyType(self._reserved())

    def _reserved(self) -> dict[str, Any]:
        reserved: dict[str, Any] = (self.__pydantic_private__ or {}).get(_RESERVED_DATA, {})
        return reserved

    @property
    def links(self) -> tuple[EndpointData, ...]:
        """The records linked to this one, as the HAT returned them (``EndpointData``; parse
        their ``data`` with your models, e.g. ``Place.model_validate(link.data)``)."""
        links: tuple[EndpointData, ...] = (self.__pydantic_private__ or {}).get(_LINKS, ())
        return links

    def record_data(self) -> dict[str, Any]:
        """The record's ``data`` as JSON-compatible values, by alias (what the HAT stores)."""
        data = self.model_dump(mode="json", by_alias=True, exclude=_DATA_ONLY)
        reserved = self._reserved()
        return {**data, **reserved} if reserved else data

    def record_data_json(self) -> bytes:
        """The record's ``data`` as compact JSON bytes, by alias (what the HAT hashes)."""
        if self._reserved():  # read for every record sent: no read-only view built
            return to_json(self.record_data())
        return self.__pydantic_serializer__.to_json(self, by_alias=True, exclude=_DATA_ONLY)


# What subclasses inherit: no defer_build, so each is built, and fails, where it is defined.
HatModel.model_config = ConfigDict(extra="allow", populate_by_name=True, ser_json_inf_nan="strings")

ModelT = TypeVar("ModelT", bound=HatModel)


class _Envelope(TypedDict, Generic[ModelT]):
    """The HAT's ``EndpointData`` wrapper around one record's data (wire shape).

    A TypedDict rather than a model: it only lives until ``unwrap``, and dicts are cheaper.
    """

    endpoint: str
    recordId: UUID
    data: ModelT
    links: NotRequired[list[Any]]


@cache
def record_list_adapter(model: type[ModelT]) -> TypeAdapter[list[_Envelope[ModelT]]]:
    """A cached validator for a JSON array of ``EndpointData`` whose data is ``model``."""
    return TypeAdapter(list[_Envelope[model]])  # type: ignore[valid-type]


@cache
def record_adapter(model: type[ModelT]) -> TypeAdapter[_Envelope[ModelT]]:
    """A cached validator for one ``EndpointData`` whose data is ``model``."""
    return TypeAdapter(_Envelope[model])  # type: ignore[valid-type]


def unwrap(envelopes: list[_Envelope[ModelT]]) -> list[ModelT]:
    """Move each envelope's ``endpoint``/``record_id`` (and ``links``) onto its freshly
    validated data model.

    Raises ``ValueError`` when the data itself has an ``endpoint`` or ``record_id`` key, which
    the fast path cannot keep apart: callers then parse record by record (``one_record``).
    """
    records: list[ModelT] = []
    for index, envelope in enumerate(envelopes):
        record = envelope["data"]
        reserved = record.__pydantic_fields_set__ & RECORD_FIELDS
        if reserved:
            raise ValueError(f"record #{index} has data keys {sorted(reserved)}")
        records.append(_placed(record, envelope))
    return records


def _placed(record: ModelT, envelope: _Envelope[ModelT]) -> ModelT:
    # The data model was just created by the validator, so filling its record fields in
    # place mutates nothing the caller owns and avoids a second validation pass.
    record.__dict__["endpoint"] = envelope["endpoint"]
    record.__dict__["record_id"] = envelope["recordId"]
    record.__pydantic_fields_set__.update(RECORD_FIELDS)
    links = envelope.get("links")
    if links:
        from hat_sdk._generated.models import EndpointData

        _keep_private(record, _LINKS, tuple(EndpointData.model_validate(link) for link in links))
    return record


def one_record(model: type[ModelT], item: object) -> ModelT:
    """One ``EndpointData`` (parsed JSON) as ``model``, keeping data under reserved keys apart.

    Raises ``ValueError`` (a pydantic ``ValidationError`` included) if it does not fit.
    """
    if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
        raise ValueError("not an EndpointData object with a data object")
    data = dict(item["data"])
    reserved = {key: data.pop(key) for key in RECORD_FIELDS if key in data}
    envelope: _Envelope[ModelT] = record_adapter(model).validate_python({**item, "data": data})
    placed = _placed(envelope["data"], envelope)
    if reserved:
        _keep_private(placed, _RESERVED_DATA, reserved)
    return placed
