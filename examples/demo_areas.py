"""hat-sdk tour of the HAT areas beyond records: a data debit's values, an application's
status, a file round trip and the data feed (one step each; ``demo.py`` may call them).

Runs against a local sandbox HAT unless ``HAT_URL`` is set (see ``_hat.py``).

    python examples/demo_areas.py
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from _hat import hat_owner, namespace

from hat_sdk import HatClient, HatModel
from hat_sdk.queries import data_bundle, endpoint_query, property_query
from hat_sdk.types import DataDebitSetupRequest


class Note(HatModel):
    """A note, stored as a record's data."""

    message: str


def say(text: str) -> None:
    """Write one line of the tour (examples print; the library never does)."""
    sys.stdout.write(text + "\n")


def data_debit_step(client: HatClient) -> None:
    """Register a data debit over the notes, enable it and read what it shares."""
    client.post(Note(endpoint="notes", message=f"shared at {datetime.now(UTC):%H:%M:%S}"))
    debit_id = f"demo-{datetime.now(UTC):%Y%m%d%H%M%S}"
    notes = property_query(endpoint_query(f"{client.namespace}/notes"), limit=5)
    client.data_debits.register(
        debit_id,
        DataDebitSetupRequest(
            data_debit_key=debit_id,
            purpose="Show my latest notes on the demo dashboard",
            start=datetime.now(UTC) - timedelta(minutes=1),
            period=timedelta(days=7) // timedelta(milliseconds=1),  # milliseconds
            cancel_at_period_end=False,
            request_client_name="hat-sdk demo",
            request_client_url="https://example.com",
            request_client_logo_url="https://example.com/logo.png",
            terms_url="https://example.com/terms",
            bundle=data_bundle(f"{debit_id}-bundle", {"notes": notes}),
        ),
    )
    client.data_debits.enable(debit_id)
    values = client.data_debits.values(debit_id, Note)
    say(f"   data debit {debit_id} shares {[n.message for n in values.bundle['notes']]}")
    client.data_debits.disable(debit_id, at_period_end=False)


def application_step(client: HatClient) -> None:
    """Print each application's dashboard status."""
    for app in client.applications.list():
        say(f"   {app.application.id:>14}: {client.applications.status(app)}")


def file_step(client: HatClient) -> None:
    """Upload a file (with progress), download it back and compare."""
    content = b"hello from hat-sdk\n" * 10_000
    uploaded = client.files.upload(
        content,
        name="hello.txt",
        source="hat-sdk-demo",
        progress=lambda sent, total: say(f"   uploaded {sent}/{total} bytes"),
    )
    same = client.files.download(uploaded.file_id) == content
    say(f"   file {uploaded.file_id}: {len(content)} bytes, round trip identical: {same}")
    client.files.delete(uploaded.file_id)


def feed_step(client: HatClient) -> None:
    """Print the last week of the owner's data feed."""
    week_ago = datetime.now(UTC) - timedelta(days=7)
    items = client.feed.items(since=int(week_ago.timestamp()))  # Unix seconds
    say(f"   feed: {len(items)} item(s) this week")
    for item in items[:5]:
        title = item.title.text if item.title else ""
        say(f"   {item.date.iso:%Y-%m-%d %H:%M} {item.source}: {title}")


def main() -> None:
    """Run every step once."""
    with hat_owner() as owner, HatClient(owner, namespace()) as client:
        for step in (data_debit_step, application_step, file_step, feed_step):
            say(f"\n== {step.__doc__}")
            step(client)


if __name__ == "__main__":
    main()
