"""Which captured payload (tests/contract/payloads, sources in its INDEX.md) is which body.

Every payload file is listed exactly once: as a body of an operation, as a known exception (a body
the spec deliberately rejects, with the reason), or as not-a-body material.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["request", "response"]


@dataclass(frozen=True)
class PayloadUse:
    """A payload file that is the request body, or the body of one response, of an operation."""

    file: str
    operation_id: str
    direction: Direction
    status: str = ""  # response status; "" for requests


PAYLOAD_USES = (
    PayloadUse("owner-token-response.json", "getAccessToken", "response", "200"),
    PayloadUse("error-not-authenticated.json", "validateToken", "response", "401"),
    PayloadUse("post-data-locations-array-request.json", "saveEndpointData", "request"),
    PayloadUse("post-data-profile-object-request.json", "saveEndpointData", "request"),
    PayloadUse("post-data-notable-request.json", "saveEndpointData", "request"),
    PayloadUse("post-data-nudge-request.json", "saveEndpointData", "request"),
    PayloadUse("server-test-record-simple.json", "saveEndpointData", "request"),
    PayloadUse("server-test-record-complex.json", "saveEndpointData", "request"),
    # Older build: `endpoint` is "locations" instead of "rumpel/locations" - still schema-valid.
    PayloadUse("post-data-array-response-legacy.json", "saveEndpointData", "response", "201"),
    PayloadUse("get-endpoint-data-response.json", "getEndpointData", "response", "200"),
    PayloadUse("put-data-request.json", "updateRecords", "request"),
    PayloadUse("delete-data-records-response.json", "deleteRecords", "response", "200"),
    PayloadUse("data-batch-linked-request.json", "saveBatchData", "request"),
    # Older `message` wording ("Duplicate Data"); the shape is the current ErrorMessage.
    PayloadUse("error-duplicate-data-legacy.json", "saveBatchData", "response", "400"),
    PayloadUse("data-sources-response.json", "listDataSources", "response", "200"),
    PayloadUse("combinator-mapping-request.json", "registerCombinator", "request"),
    PayloadUse("combinator-multi-endpoint-request.json", "registerCombinator", "request"),
    PayloadUse("combinator-linked-request.json", "registerCombinator", "request"),
    PayloadUse("combinator-filter-request.json", "registerCombinator", "request"),
    PayloadUse("data-bundle-register-request.json", "registerBundle", "request"),
    # The server's default `phata` bundle, as getBundleStructure returns a stored bundle.
    PayloadUse("phata-default-bundle.json", "getBundleStructure", "response", "200"),
    PayloadUse("data-debit-values-response.json", "getDataDebitValues", "response", "200"),
    PayloadUse("error-data-debit-not-enabled.json", "getDataDebitValues", "response", "400"),
    PayloadUse("files-search-request.json", "searchFiles", "request"),
    PayloadUse("she-feed-response.json", "getSheFeed", "response", "200"),
)

# Bodies the spec rejects on purpose: payload file -> (use it would have, why it fails).
KNOWN_EXCEPTIONS = {
    "applications-list-response.json": (
        PayloadUse("applications-list-response.json", "listApplications", "response", "200"),
        "hand-written iOS test stub: info.rating lacks `points`, an Int the Play format requires"
        " since 2019 (hat-client-scala-play models/applications/Application.scala:44-46)",
    ),
    "file-upload-response-legacy.json": (
        PayloadUse("file-upload-response-legacy.json", "uploadFile", "response", "200"),
        "2017 (Play 2.5) build wrote dateCreated/lastUpdated as epoch millis; v2.8 writes ISO-8601",
    ),
    "file-upload-response.json": (
        PayloadUse("file-upload-response.json", "uploadFile", "response", "200"),
        "hand-redacted permissions[0].userId 'de35e18d-14wf-...' is not a UUID ('w' is not hex)",
    ),
    "data-debit-legacy-v2-register-request.json": (
        PayloadUse("data-debit-legacy-v2-register-request.json", "registerDataDebit", "request"),
        "legacy /api/v2 DataDebitRequest {bundle,startDate,endDate,rolling}, not the v2.6 format",
    ),
    "data-debit-register-response.json": (
        PayloadUse("data-debit-register-response.json", "registerDataDebit", "response", "201"),
        "hand-edited doc example: permissions start written as LocalDateTime '+0000' although"
        " the model's DateTime is written ISO with millis (hat-client-scala-play"
        " models/EndpointData.scala:142-178, play-json-joda JodaWrites via"
        " json/RichDataJsonFormats.scala:12);"
        " its top-level start disagrees too",
    ),
}

# Files that are not request or response bodies: file -> what they are.
NOT_BODIES = {
    "auth-owner-token-request.postman.json": "Postman request object (credentials go in headers)",
    "jwt-examples.json": "decoded JWTs; checked by the tokens tests, not a body",
    "server-test-mapping-simple.json": "fragment: an EndpointQuery `mapping` (checked on its own)",
    "derived-error-catalogue.json": "derived from code; each body is checked against its envelope",
}
