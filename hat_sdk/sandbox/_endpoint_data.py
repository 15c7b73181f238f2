"""Reading ``EndpointData[]`` request bodies with Play-JSON's validation errors.

The model and its reads: [MODELS] ``src/main/scala/org/hatdex/hat/api/models/EndpointData.scala``
and ``json/RichDataJsonFormats.scala:14-29``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from hat_sdk.sandbox._dates import parse_datetime
from hat_sdk.sandbox._errors import bad_request, internal_error
from hat_sdk.sandbox._jsonb import JsonValue
from hat_sdk.sandbox._namespace import ENDPOINT_PATTERN


@dataclass(frozen=True)
class IncomingRecord:
    """One ``EndpointData`` of a request body (``links_given``: it carried a ``links`` array)."""

    endpoint: str
    record_id: str | None
    data: JsonValue
    links: tuple[IncomingRecord, ...]
    links_given: bool = False

    @property
    def namespace(self) -> str:
        """The namespace part of ``endpoint``."""
        return self.endpoint.split("/", 1)[0]

    def namespaces(self) -> set[str]:
        """Namespaces of this record and (recursively) its links; 500 for ``"links": []``.

        The server reduces the links' namespace sets without a start value, which throws on an
        empty array ([HAT] ``hat/app/org/hatdex/hat/api/controllers/RichData.scala:211-219``).
        """
        if self.links_given and not self.links:
            raise internal_error("empty.reduceLeft")
        found = {self.namespace}
        for link in self.links:
            found |= link.namespaces()
        return found


def written_namespaces(records: Sequence[IncomingRecord]) -> set[str]:
    """The namespaces a ``PUT /data`` or ``POST /data-batch`` body writes to, as the server's
    ``authorizeEndpointDataWrite`` computes them: an empty body, or any record carrying
    ``"links": []``, fails with a 500 ([HAT] ``RichData.scala:222-236``, called at l.185 and
    l.374 before anything is written)."""
    if not records:
        raise internal_error("empty.reduceLeft")
    namespaces = [record.namespaces() for record in records]
    return set().union(*namespaces)


def _error(errors: dict[str, JsonValue], path: str, message: str) -> None:
    errors.setdefault(path, []).append({"msg": [message], "args": []})


_MISSING = object()


def _read_one(value: JsonValue, path: str, errors: dict[str, JsonValue]) -> IncomingRecord | None:
    fields = value if isinstance(value, dict) else {}
    endpoint = fields.get("endpoint", _MISSING)
    if endpoint is _MISSING:
        _error(errors, f"{path}.endpoint", "error.path.missing")
    elif not isinstance(endpoint, str):
        _error(errors, f"{path}.endpoint", "error.expected.jsstring")
    elif not ENDPOINT_PATTERN.match(endpoint):
        _error(errors, f"{path}.endpoint", "Endpoint invalid")
    record_id = fields.get("recordId")
    if record_id is not None:
        try:
            record_id = str(uuid.UUID(str(record_id)))
        except ValueError:
            _error(errors, f"{path}.recordId", "error.expected.uuid")
    # Read (then ignored) by the server's EndpointData format, so they must be well-typed.
    source_timestamp = fields.get("sourceTimestamp")
    if source_timestamp is not None and parse_datetime(source_timestamp) is None:
        _error(errors, f"{path}.sourceTimestamp", "error.expected.jodadate.format")
    source_unique_id = fields.get("sourceUniqueId")
    if source_unique_id is not None and not isinstance(source_unique_id, str):
        _error(errors, f"{path}.sourceUniqueId", "error.expected.jsstring")
    if "data" not in fields:
        _error(errors, f"{path}.data", "error.path.missing")
    links: list[IncomingRecord] = []
    raw_links = fields.get("links")
    links_given = isinstance(raw_links, list)
    if raw_links is not None:
        if isinstance(raw_links, list):
            for index, item in enumerate(raw_links):
                link = _read_one(item, f"{path}.links[{index}]", errors)
                if link is not None:
                    links.append(link)
        else:
            _error(errors, f"{path}.links", "error.expected.jsarray")
    if errors:
        return None
    assert isinstance(endpoint, str)
    return IncomingRecord(endpoint, record_id, fields["data"], tuple(links), links_given)


def read_endpoint_data_list(body: JsonValue) -> list[IncomingRecord]:
    """Parse a JSON array of ``EndpointData``; 400 envelope A with the ``JsError`` otherwise."""
    errors: dict[str, JsonValue] = {}
    if not isinstance(body, list):
        _error(errors, "obj", "error.expected.jsarray")
        raise bad_request(errors)
    records = [_read_one(item, f"obj[{i}]", errors) for i, item in enumerate(body)]
    if errors:
        raise bad_request(errors)
    return [r for r in records if r is not None]
