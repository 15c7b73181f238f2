"""Quickstart: define a record model, store records, read them back sorted, delete them.

    python examples/quickstart.py

Runs against a local sandbox HAT unless HAT_URL is set (see examples/_hat.py).
"""

from __future__ import annotations

import sys
from typing import Any

from _hat import hat_owner, namespace

from hat_sdk import GetOpts, HatClient, HatModel, HatToken, Ordering


class Run(HatModel):
    """A run: the fields are the record's data; ``endpoint``/``record_id`` come with HatModel."""

    distance_km: float
    minutes: int
    route: str


def quickstart(token: HatToken[Any], namespace: str) -> list[Run]:
    """Store three runs, return them longest first, then delete them again."""
    with HatClient(token, namespace) as client:
        stored = client.post(
            Run(endpoint="runs", distance_km=5.2, minutes=31, route="park loop"),
            Run(endpoint="runs", distance_km=10.0, minutes=58, route="river path"),
            Run(endpoint="runs", distance_km=3.1, minutes=17, route="around the block"),
            skip_duplicates=True,  # running the example twice must not fail
        )
        longest_first = client.get(
            Run, "runs", GetOpts(order_by="distance_km", ordering=Ordering.DESCENDING)
        )
        client.delete(*stored)
    return longest_first


def main() -> None:
    """Run the quickstart and print what the HAT returned."""
    with hat_owner() as token:
        for run in quickstart(token, namespace()):
            sys.stdout.write(f"{run.distance_km:5.1f} km in {run.minutes} min ({run.route})\n")


if __name__ == "__main__":
    main()
