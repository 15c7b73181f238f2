"""Injected faults (500/503 answers, dropped connections) never lose or double records.

Reads, updates and deletes recover by retrying. A POST whose outcome is unknown is reported
with the records concerned, never retried blindly; the tests resolve it as a user would: read
back, then re-post only what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from hat_sdk import AppToken, HatClient, OutcomeUnknownError
from hat_sdk.sandbox import Sandbox
from hat_sdk.sandbox._knobs import FaultKind, FaultPhase

from .conftest import NAMESPACE, Note, notes

RECORDS = 5_000
CHUNK = 50


def _stored(client: HatClient) -> dict[int, Note]:
    """Every stored note by serial, failing on any serial stored twice."""
    found: dict[int, Note] = {}
    for note in client.iter(Note, "notes"):
        assert note.serial not in found, f"note {note.serial} is stored twice"
        found[note.serial] = note
    return found


def _post_resolving_unknowns(client: HatClient, chunk: Sequence[Note]) -> int:
    """Post ``chunk``; after an unknown outcome, read back and re-post only what is missing.

    Returns how many outcomes were unknown.
    """
    pending, unknown = list(chunk), 0
    while pending:
        try:
            client.post(*pending)
        except OutcomeUnknownError as error:
            unconfirmed = [record for record in error.records if isinstance(record, Note)]
        else:
            return unknown
        unknown += 1
        assert unconfirmed == pending, "the error must name exactly the unconfirmed records"
        stored = _stored(client)
        pending = [record for record in pending if record.serial not in stored]
    return unknown


def test_upload_and_read_back_under_10_percent_faults(
    hat_sandbox: Sandbox, token: AppToken
) -> None:
    wanted = notes(RECORDS)
    hat_sandbox.knobs.seed(1)  # a seed under which faults strike POSTs and GETs
    hat_sandbox.knobs.fault_rate = 0.1
    with HatClient(token, NAMESPACE, max_retries=8, retry_backoff=0.001) as client:
        unknown = sum(
            _post_resolving_unknowns(client, wanted[start : start + CHUNK])
            for start in range(0, RECORDS, CHUNK)
        )
        stored = _stored(client)
        hat_sandbox.knobs.fault_rate = 0.0
    faults = [e for e in hat_sandbox.request_log if e.status in (0, 500, 503)]
    assert unknown >= 3, "faults must have left POST outcomes unknown"
    assert any(f.method == "GET" for f in faults), "faults must have struck reads"
    assert sorted(stored) == list(range(RECORDS))
    assert all(stored[r.serial].text == r.text for r in wanted), "a record came back altered"


def test_put_and_delete_recover_under_faults(hat_sandbox: Sandbox, token: AppToken) -> None:
    with HatClient(token, NAMESPACE, max_retries=8, retry_backoff=0.001) as client:
        saved = client.post(*notes(300))
        hat_sandbox.knobs.seed(1)
        hat_sandbox.knobs.fault_rate = 0.1
        for start in range(0, 100, 10):  # separate calls, so that faults surely strike
            client.put(
                *(n.model_copy(update={"text": "edited"}) for n in saved[start : start + 10])
            )
            assert len(client.get(Note, "notes")) == 300
        for start in range(100, 200, 10):
            client.delete(*saved[start : start + 10])
        stored = _stored(client)
        hat_sandbox.knobs.fault_rate = 0.0
    struck = {e.method for e in hat_sandbox.request_log if e.status in (0, 500, 503)}
    assert struck == {"GET", "PUT", "DELETE"}, f"faults must strike every kind of call: {struck}"
    assert sorted(stored) == [*range(100), *range(200, 300)]
    assert all(stored[i].text == "edited" for i in range(100))
    assert all(stored[i].text == f"note {i}" for i in range(200, 300))


@pytest.mark.parametrize("kind", ["500", "503", "drop"])
@pytest.mark.parametrize("phase", ["before", "after"])
def test_unknown_post_outcome_is_reported_once_with_its_records(
    hat_sandbox: Sandbox, token: AppToken, kind: FaultKind, phase: FaultPhase
) -> None:
    wanted = notes(3)
    with HatClient(token, NAMESPACE, max_retries=5, retry_backoff=0.001) as client:
        hat_sandbox.knobs.fault_kinds = (kind,)
        hat_sandbox.knobs.fault_phase = phase
        hat_sandbox.knobs.fault_rate = 1.0
        hat_sandbox.clear_request_log()
        with pytest.raises(OutcomeUnknownError) as caught:
            client.post(*wanted)
        posts = [e for e in hat_sandbox.request_log if e.method == "POST"]
        hat_sandbox.knobs.fault_rate = 0.0
        stored = _stored(client)
    assert len(posts) == 1, "a POST that may have reached the HAT must not be repeated"
    assert list(caught.value.records) == wanted
    # The error's promise holds either way: the records are stored iff the HAT handled them.
    assert sorted(stored) == ([0, 1, 2] if phase == "after" else [])
