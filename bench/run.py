"""Benchmarks of hat-sdk against the sandbox HAT: `make bench` (not part of the test suite).

Prints a table, writes ``bench/results.json`` and renders ``bench/README.md``.
Options: ``--quick`` (fewer repetitions and records, for trying the script out; does not
touch README.md or results.json).
"""

from __future__ import annotations

import argparse
import time

import httpx
from _bulk import bulk_reads, bulk_writes, scaling
from _caching import cache
from _concurrency import concurrency, renewals
from _imports import import_time
from _memory import BULK_ENDPOINT, memory
from _overhead import ENDPOINT, async_overhead, parsing, sync_overhead
from _remote import RemoteSandbox
from _report import environment, print_table, write_json, write_readme
from _report_types import Finding
from _roundtrips import round_trips
from _workload import NAMESPACE, app_token, readings

from hat_sdk import HatClient

BULK = 100_000
#: 200 sequential GETs at 20 ms take seconds; three runs are enough for a median.
CONCURRENCY_REPEAT = 3


def _measure(repeat: int, bulk: int) -> list[Finding]:
    findings: list[Finding] = []
    with RemoteSandbox() as hat:
        token = app_token(hat.url)
        with HatClient(token, NAMESPACE, timeout=120) as client:
            client.post(*readings(1_000, [ENDPOINT]))
            client.post(*readings(bulk, [BULK_ENDPOINT]))
            findings += round_trips(hat, client, repeat)
        # Single calls are short and the machine may be shared: more samples steady them.
        findings += sync_overhead(hat, token, 2 * repeat - 1)
        findings += async_overhead(hat, token, 2 * repeat - 1)
        body = httpx.get(
            f"{hat.url}/api/v2.6/data/{NAMESPACE}/{BULK_ENDPOINT}",
            params={"take": bulk},
            headers={"X-Auth-Token": token.access_token()},
            timeout=120,
        ).content
        findings.append(parsing(body, repeat))
        findings += cache(hat, token, repeat)
        findings += concurrency(hat, token, CONCURRENCY_REPEAT)
        findings += bulk_reads(hat, token, bulk, repeat=3 if repeat > 1 else 1)
        findings += bulk_writes(hat, token, bulk, repeat=2 if repeat > 1 else 1)
        findings += memory(hat.url, token.access_token(), bulk, repeat=3)
        if bulk >= 100_000:
            findings += scaling(token)
        findings += renewals(hat)
    findings += import_time(repeat=2 * repeat + 1)
    return findings


def main() -> None:
    """Run every benchmark and report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a fast trial run; writes nothing")
    args = parser.parse_args()
    repeat = 3 if args.quick else 5
    started = time.monotonic()
    findings = _measure(repeat, 5_000 if args.quick else BULK)
    print_table(findings)
    if not args.quick:
        env = environment(repeat)
        print(f"wrote {write_json(findings, env)} and {write_readme(findings, env)}")
    print(f"took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
