"""hat-sdk tour: log in, batched writes, typed reads, paging, active records, deletes.

Runs against a local sandbox HAT (started here) unless ``HAT_URL`` is set; then it uses
``HAT_USERNAME`` / ``HAT_PASSWORD`` (owner) and ``HAT_APP`` (application id, default
``sandbox-app``). Each step prints what it did and how many HTTP requests it cost.

    python examples/demo.py
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from demo_areas import application_step, data_debit_step, feed_step, file_step

from hat_sdk import (
    ActiveHatModel,
    ApiOwnerToken,
    AppToken,
    GetOpts,
    HatClient,
    HatModel,
    Ordering,
)


class Location(HatModel):
    """A place, stored as a record's data."""

    latitude: float
    longitude: float


class Visit(ActiveHatModel):
    """A visit, an active record: it saves, loads and deletes itself."""

    place: str


def say(text: str) -> None:
    """Write one line of the tour (examples print; the library never does)."""
    sys.stdout.write(text + "\n")


class RequestCounter:
    """Counts HTTP requests: from the sandbox's request log, or with an httpx event hook."""

    def __init__(self, request_log: Callable[[], list[object]] | None) -> None:
        self._request_log = request_log
        self._sent = 0

    def hook(self, _request: httpx.Request) -> None:
        """httpx request hook (used when there is no sandbox log)."""
        self._sent += 1

    def total(self) -> int:
        """Requests counted so far."""
        return len(self._request_log()) if self._request_log is not None else self._sent

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        """Print ``title``, run the step, then print the requests it cost."""
        say(f"\n== {title}")
        before = self.total()
        yield
        say(f"   -> {self.total() - before} HTTP request(s)")


def tour(hat_url: str, username: str, password: str, app: str, counter: RequestCounter) -> None:
    """Every feature once, against the HAT at ``hat_url``."""
    owner = ApiOwnerToken(username, password=password, hat_url=hat_url)
    token = AppToken(owner, app)
    http = httpx.Client(event_hooks={"request": [counter.hook]})
    with HatClient(token, app, http_client=http) as client:
        with counter.step("log in as the owner, obtain the application token"):
            token.access_token(http)
            claims = token.claims
            assert claims is not None
            say(f"   verified claims: iss={claims.iss} application={claims.application}")
            say(f"   version={claims.application_version} issued={claims.iat:%Y-%m-%d %H:%M}Z")
            say(f"   expires={claims.expires_at:%Y-%m-%d %H:%M}Z (token itself never printed)")

        with counter.step("POST 1,000 records to 10 endpoints (one batched request)"):
            records = [
                Location(endpoint=f"demo-{i % 10}", latitude=i / 10, longitude=-i / 10)
                for i in range(1000)
            ]
            saved = client.post(*records)
            say(f"   stored {len(saved)}; first id {saved[0].record_id} at {saved[0].endpoint}")

        with counter.step("GET the 3 most northern places of demo-3, skipping the first"):
            opts = GetOpts(order_by="latitude", ordering=Ordering.DESCENDING, skip=1, take=3)
            for loc in client.get(Location, "demo-3", opts):
                say(f"   {loc.latitude:6.1f} {loc.longitude:6.1f}  {loc.record_id}")

        with counter.step("PUT: move two places (one request)"):
            moved = client.put(*(loc.model_copy(update={"longitude": 0.0}) for loc in saved[:2]))
            say(f"   longitudes now {[loc.longitude for loc in moved]}")

        with counter.step("iterate demo-7 in pages of 30 records"):
            count = sum(1 for _ in client.iter(Location, "demo-7", page_size=30))
            say(f"   read {count} records, one page in memory at a time")

        with counter.step("active records: save, load, update, delete"):
            ActiveHatModel.client = client
            visit = Visit(endpoint="visits", place="home").save()
            loaded = Visit.get("visits")[0]
            loaded.place = "work"
            loaded.save()
            say(f"   saved {visit.record_id}, now at {Visit.get('visits')[0].place!r}")
            loaded.delete()
            ActiveHatModel.client = None

        with counter.step("DELETE all 1,000 demo records (split only by URL length)"):
            client.delete(*saved)
            left = sum(len(client.get(Location, f"demo-{i}")) for i in range(10))
            say(f"   records left: {left} (10 of the requests were the checking GETs)")
    # The other HAT areas (data debits, applications, files, feed) act as the owner.
    with HatClient(owner, app, http_client=http) as owner_client:
        for area_step in (data_debit_step, application_step, file_step, feed_step):
            with counter.step(f"areas: {area_step.__doc__}"):
                area_step(owner_client)
    http.close()


def main() -> None:
    """Run the tour against ``HAT_URL`` or a fresh local sandbox."""
    hat_url = os.environ.get("HAT_URL")
    app = os.environ.get("HAT_APP", "sandbox-app")
    if hat_url:
        username = os.environ.get("HAT_USERNAME", "")
        password = os.environ.get("HAT_PASSWORD", "")
        tour(hat_url, username, password, app, RequestCounter(None))
        return
    from hat_sdk.sandbox import Sandbox

    sandbox = Sandbox()
    with sandbox as url:
        say(f"sandbox HAT at {url}")
        tour(url, "sandbox", "sandbox", app, RequestCounter(lambda: list(sandbox.request_log)))


if __name__ == "__main__":
    main()
