"""Single valid requests for the operations whose success no generated case can reach.

Each builder returns the keyword arguments of ``APIOperation.Case`` (without the token, which
the test adds where the operation declares it), doing any preparation the call needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from tests.conformance._live_hat import SEEDED_DATA_DEBIT, TOKEN_HEADER, LiveHat


def _known_record(hat: LiveHat) -> dict[str, Any]:
    return {"path_parameters": {"recordId": hat.record_id}}


def _data_debit_request(debit_id: str, bundle_name: str) -> dict[str, Any]:
    body = {
        "dataDebitKey": "ignored",
        "purpose": "conformance run",
        "start": "2026-01-01T00:00:00.000Z",
        "period": 86400000,
        "cancelAtPeriodEnd": True,
        "requestClientName": "Example",
        "requestClientUrl": "https://example.com",
        "requestClientLogoUrl": "https://example.com/logo.png",
        "termsUrl": "https://example.com/terms",
        "bundle": {"name": bundle_name, "bundle": {}},
    }
    return {
        "path_parameters": {"dataDebitId": debit_id},
        "body": body,
        "media_type": "application/json",
    }


def _fresh_data_debit(hat: LiveHat) -> dict[str, Any]:
    # The example id is the seeded debit, and bundle names are global (one data_bundles key,
    # HAT2.0 api/service/richData/DataDebitService.scala:105-121): use new ones.
    return _data_debit_request(f"fresh-{hat.record_id}", f"fresh-{hat.record_id}")


def _new_terms(hat: LiveHat) -> dict[str, Any]:
    # New terms for the seeded debit, under a bundle name nothing else has taken (HAT2.0
    # api/service/richData/DataDebitService.scala:165-268).
    return _data_debit_request(SEEDED_DATA_DEBIT, f"terms-{hat.record_id}")


def _enabled_function(hat: LiveHat) -> dict[str, Any]:
    # The run disables the function (disableFunction runs before triggerFunction); re-enable it.
    enabled = httpx.get(
        f"{hat.url}/api/v2.6/she/function/data-feed-counter/enable",
        headers={TOKEN_HEADER: hat.token},
    )
    assert enabled.status_code == 200, enabled.text
    return {"path_parameters": {"functionId": "data-feed-counter"}}


def _fresh_batch(_hat: LiveHat) -> dict[str, Any]:
    # Generated batches are empty, carry "links": [] (both 500 on the server) or repeat data.
    body = [{"endpoint": "rumpel/notes", "data": {"batch": f"fresh-{uuid.uuid4()}"}}]
    return {"body": body, "media_type": "application/json"}


def _update_of_known_record(hat: LiveHat) -> dict[str, Any]:
    # Record ids are random UUIDs: generated updates never name a stored record.
    data = {"note": f"updated-{uuid.uuid4()}"}
    body = [{"endpoint": "rumpel/notes", "recordId": hat.record_id, "data": data}]
    return {"body": body, "media_type": "application/json"}


def _owner_credentials(_hat: LiveHat) -> dict[str, Any]:
    # The rate limiter keys on X-Forwarded-For (HAT2.0 hat/conf/application.conf:10,
    # authentication/HatApiController.scala:179-183): a bucket the run has not drained.
    return {
        "headers": {
            "username": "sandbox",
            "password": "sandbox",
            "X-Forwarded-For": "conformance-explicit-login",
        }
    }


EXPLICIT_CASES: dict[str, Callable[[LiveHat], dict[str, Any]]] = {
    # Generated credentials are wrong (401), then the login rate limit answers 400.
    "getAccessToken": _owner_credentials,
    # Record ids are random UUIDs: generated ones never name a stored record.
    "getRecord": _known_record,
    # Generated bodies reuse the example's bundle name, taken after the first success.
    "registerDataDebit": _fresh_data_debit,
    "saveBatchData": _fresh_batch,
    # Only an enabled function runs (HAT2.0 she/controllers/FunctionManager.scala:134-188).
    "triggerFunction": _enabled_function,
    # Generated bodies name bundles that other generated debits may have taken by then.
    "updateDataDebit": _new_terms,
    "updateRecords": _update_of_known_record,
}
