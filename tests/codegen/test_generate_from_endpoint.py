"""hat_sdk.codegen.generate_models_from_endpoint: a model that fits the records a HAT holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, HatClient, HatModel
from hat_sdk.codegen import generate_models_from_endpoint
from hat_sdk.sandbox import Sandbox

Loader = Callable[[str, str], type[HatModel]]


def test_model_from_live_records_round_trips_them(
    hat_sandbox: Sandbox, load_generated: Loader
) -> None:
    samples: list[dict[str, Any]] = [
        {"title": "a", "stars": 4, "tags": ["x"], "meta": {"lang": "en"}},
        {"title": "b", "stars": 4.5},
        {"title": "c", "stars": 2, "meta": {"lang": "fr", "draft": True}},
    ]
    token = ApiOwnerToken(SimpleCredential("sandbox", "sandbox"), hat_url=hat_sandbox.url)
    with HatClient(token, "sandbox-app") as client:
        client.post(
            *(
                HatModel.model_validate({**s, "endpoint": "sandbox-app/reviews/web"})
                for s in samples
            )
        )
        code = generate_models_from_endpoint(client, "sandbox-app/reviews/web", sample=10)
        model = load_generated(code, "ReviewsWeb")
        assert "from records of sandbox-app/reviews/web." in code
        stored = client.get(model, "sandbox-app/reviews/web")
    assert sorted(json.dumps(r.record_data(), sort_keys=True) for r in stored) == sorted(
        json.dumps(s, sort_keys=True) for s in samples
    )
