"""Export every record of an endpoint to a JSON Lines file, page by page.

    python examples/export_records.py ENDPOINT OUT.jsonl

Memory stays flat however many records there are: ``HatClient.iter`` holds one page at a
time. (The ``hat export`` command does the same and can also resume after an interruption.)
Runs against a local sandbox HAT, seeded with 2,500 records, unless HAT_URL is set.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from _hat import hat_owner, namespace

from hat_sdk import HatClient, HatModel, HatToken


def export_records(token: HatToken[Any], namespace: str, endpoint: str, out: Path) -> int:
    """Write each record of ``namespace/endpoint`` as one line ``{"recordId", "data"}``."""
    count = 0
    with HatClient(token, namespace) as client, out.open("w", encoding="utf-8") as sink:
        for record in client.iter(HatModel, endpoint, page_size=500):
            line = {"recordId": str(record.record_id), "data": record.record_data()}
            sink.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    return count


def seed(token: HatToken[Any], namespace: str, endpoint: str, count: int) -> None:
    """Store ``count`` small records so that a fresh sandbox has something to export."""
    with HatClient(token, namespace) as client:
        records = (
            HatModel.model_validate({"endpoint": endpoint, "step": n, "note": f"step {n}"})
            for n in range(count)
        )
        client.post(*records, skip_duplicates=True)


def main() -> None:
    """Export ``sys.argv[1]`` (default ``steps``) to ``sys.argv[2]`` (default steps.jsonl)."""
    endpoint = sys.argv[1] if len(sys.argv) > 1 else "steps"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "steps.jsonl")
    with hat_owner() as token:
        if "HAT_URL" not in os.environ:
            seed(token, namespace(), endpoint, 2500)
        count = export_records(token, namespace(), endpoint, out)
    sys.stdout.write(f"Exported {count} records of {namespace()}/{endpoint} to {out}\n")


if __name__ == "__main__":
    main()
