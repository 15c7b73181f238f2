"""What the benchmarks read and write: the record model, record batches and tokens."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from keyring.credentials import SimpleCredential

from hat_sdk import ApiOwnerToken, AppToken, HatModel

NAMESPACE = "sandbox-app"
APPLICATION = "sandbox-app"
OWNER = SimpleCredential("sandbox", "sandbox")

_batches = itertools.count()


class Reading(HatModel):
    """A typical small sensor record (about 100 bytes of JSON)."""

    sensor: str
    value: float
    sequence: int
    batch: int
    tags: list[str]


def readings(count: int, endpoints: Sequence[str]) -> list[Reading]:
    """``count`` records spread round-robin over ``endpoints``.

    Every call yields data never produced before (the HAT refuses duplicate data).
    """
    batch = next(_batches)
    return [
        Reading(
            endpoint=endpoints[index % len(endpoints)],
            sensor=f"sensor-{index % 7}",
            value=index * 0.25,
            sequence=index,
            batch=batch,
            tags=["bench", "reading"],
        )
        for index in range(count)
    ]


def app_token(hat_url: str) -> AppToken:
    """A logged-in token of the sandbox's application."""
    token = AppToken(ApiOwnerToken(OWNER, hat_url=hat_url), APPLICATION)
    token.access_token()
    return token
