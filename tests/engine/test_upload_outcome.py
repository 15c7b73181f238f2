"""A lost answer to the file-upload announcement: the entry may exist, and the error says which."""

from __future__ import annotations

import httpx
import pytest
from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, HatClient, OutcomeUnknownError
from hat_sdk.sandbox import Sandbox
from hat_sdk.types import StoredFile


class _LoseUploadAnswer(httpx.BaseTransport):
    """Forwards every request; the answer to the first announcement is lost on the way back."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.url.path.endswith("/files/upload") and not self.lost:
            response.read()
            self.lost += 1
            raise httpx.RemoteProtocolError("connection reset", request=request)
        return response


def test_a_lost_announcement_reports_the_entry_it_may_have_made(hat_sandbox: Sandbox) -> None:
    owner = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=hat_sandbox.url)
    transport = _LoseUploadAnswer()
    with HatClient(owner, "sandbox-app", http_client=httpx.Client(transport=transport)) as hat:
        with pytest.raises(OutcomeUnknownError) as caught:
            hat.files.upload(b"hello", source="tests", name="lost.txt")
        entries = caught.value.records
        assert len(entries) == 1
        assert isinstance(entries[0], StoredFile)
        assert entries[0].name == "lost.txt"
        hat.files.delete(entries[0].file_id)  # the way out the error names
        again = hat.files.upload(b"hello", source="tests", name="lost.txt")
    assert again.status is not None
    assert again.status.status == "Completed"
