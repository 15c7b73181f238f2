"""Area calls under injected server faults: idempotent calls are retried, errors stay typed."""

from __future__ import annotations

import pytest

from hat_sdk import ApiOwnerToken, HatClient, InternalServerError
from hat_sdk.queries import file_template
from hat_sdk.sandbox import Sandbox
from tests.areas.conftest import NAMESPACE


def test_reads_are_retried_then_fail_typed(hat_sandbox: Sandbox, owner: ApiOwnerToken) -> None:
    hat_sandbox.knobs.fault_kinds = ("503",)
    hat_sandbox.knobs.fault_rate = 1.0
    mark = len(hat_sandbox.request_log)
    with HatClient(owner, NAMESPACE, max_retries=2, retry_backoff=0.001) as client:
        with pytest.raises(InternalServerError) as caught:
            client.applications.list()
        assert caught.value.status_code == 503
        assert caught.value.operation == "listApplications"
        with pytest.raises(InternalServerError) as refused:
            client.files.search(file_template())
        assert refused.value.status_code == 503
        assert refused.value.operation == "searchFiles"
    paths = [entry.path for entry in hat_sandbox.request_log[mark:]]
    # GET: the first attempt and two retries; POST (not idempotent): once.
    assert paths == ["/api/v2.6/applications"] * 3 + ["/api/v2.6/files/search"]
